/* Work a request waits for without holding a pool thread: a small pool of worker threads for
 * slow, CPU-bound work (argon2id password hashes), and durable writes handed to the store's
 * writer. The connection is suspended meanwhile and resumed when the job has finished. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/err.h"
#include "core/mem.h"
#include "http/internal.h"

#define QUEUE_MAX 1024

struct ojob {
	struct pd_conn_state *cs;
	int (*fn)(void *arg);
	void *arg;
	struct ojob *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static struct ojob *head, *tail;
static int queued, n_threads;
static bool stopping;
static pthread_t threads[64];

static void *worker(void *p)
{
	(void)p;
	pthread_mutex_lock(&lock);
	for (;;) {
		while (!head && !stopping)
			pthread_cond_wait(&cv, &lock);
		if (!head)
			break;
		struct ojob *j = head;
		head = j->next;
		if (!head)
			tail = NULL;
		queued--;
		pthread_mutex_unlock(&lock);
		struct pd_conn_state *cs = j->cs;
		struct pd_app *app = cs->req.app;
		/* A graceful stop waits for every suspended connection: once it has begun, jobs not
		 * started yet are answered 503 rather than hashed one by one (DESIGN §1). */
		int rc = atomic_load(&app->draining) ? PD_ERR_UNAVAILABLE : j->fn(j->arg);
		free(j);
		cs->req.write_rc = rc;
		atomic_store(&cs->write_finished, true);
		MHD_resume_connection(cs->req.conn);
		atomic_fetch_sub(&app->suspended, 1);
		pthread_mutex_lock(&lock);
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

void pd_offload_start(int n)
{
	if (n < 1)
		n = 1;
	if (n > 64)
		n = 64;
	stopping = false;
	for (n_threads = 0; n_threads < n; n_threads++)
		if (pthread_create(&threads[n_threads], NULL, worker, NULL))
			break;
}

void pd_offload_stop(void)
{
	pthread_mutex_lock(&lock);
	stopping = true;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&lock);
	for (int i = 0; i < n_threads; i++)
		pthread_join(threads[i], NULL);
	n_threads = 0;
}

void pd_req_offload(struct pd_req *r, int (*fn)(void *arg), void *arg,
                    void (*then)(struct pd_req *r, int rc))
{
	struct pd_conn_state *cs = r->priv;
	struct pd_app *app = r->app;
	if (n_threads == 0) {
		then(r, fn(arg));
		return;
	}
	/* Count first, then look at draining (see pd_req_write). */
	atomic_fetch_add(&app->suspended, 1);
	if (atomic_load(&app->draining)) {
		atomic_fetch_sub(&app->suspended, 1);
		then(r, PD_ERR_UNAVAILABLE);
		return;
	}
	pthread_mutex_lock(&lock);
	if (queued >= QUEUE_MAX) {
		pthread_mutex_unlock(&lock);
		atomic_fetch_sub(&app->suspended, 1);
		then(r, PD_ERR_UNAVAILABLE);
		return;
	}
	struct ojob *j = pd_xcalloc(1, sizeof *j);
	j->cs = cs;
	j->fn = fn;
	j->arg = arg;
	r->then = then;
	cs->deferred = true;
	atomic_store(&cs->write_finished, false); /* a continuation may defer again */
	MHD_suspend_connection(r->conn);
	if (tail)
		tail->next = j;
	else
		head = j;
	tail = j;
	queued++;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&lock);
}

/* --- deferred writes -------------------------------------------------------------------------- */

struct write_ctx {
	struct pd_conn_state *cs;
	pd_tx_fn fn;
	void *arg;
};

static int write_trampoline(struct pd_tx *tx, void *p)
{
	struct write_ctx *w = p;
	return w->fn(tx, w->arg);
}

static void write_done(void *p, int rc)
{
	struct write_ctx *w = p;
	struct pd_conn_state *cs = w->cs;
	struct pd_app *app = cs->req.app; /* once resumed, cs may be completed and freed */
	cs->req.write_rc = rc;
	atomic_store(&cs->write_finished, true);
	MHD_resume_connection(cs->req.conn);
	atomic_fetch_sub(&app->suspended, 1);
}

void pd_req_write(struct pd_req *r, pd_tx_fn fn, void *arg, void (*then)(struct pd_req *r, int rc))
{
	struct pd_conn_state *cs = r->priv;
	struct pd_app *app = r->app;
	/* Count first, then look at draining: the stopping thread sets draining and then reads the
	 * count, so either it waits for this request or this request sees draining (both seq_cst). */
	atomic_fetch_add(&app->suspended, 1);
	if (atomic_load(&app->draining)) {
		atomic_fetch_sub(&app->suspended, 1);
		then(r, PD_ERR_UNAVAILABLE);
		return;
	}
	struct write_ctx *w = pd_arena_alloc(r->arena, sizeof *w);
	w->cs = cs;
	w->fn = fn;
	w->arg = arg;
	r->then = then;
	cs->deferred = true;
	atomic_store(&cs->write_finished, false); /* a continuation may defer again */
	MHD_suspend_connection(r->conn);
	int rc = pd_store_write_async(app->store, write_trampoline, w, write_done);
	if (rc) {
		r->write_rc = rc;
		atomic_store(&cs->write_finished, true);
		MHD_resume_connection(r->conn);
		atomic_fetch_sub(&app->suspended, 1);
	}
}
