/* Storage core: connections per thread, the statement cache, transactions with bounded retry,
 * and the single writer thread that commits queued jobs together (group commit). */
#include "store/store.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/str.h"
#include "store/driver.h"
#include "store/internal.h"

#define MAX_RETRIES 8

struct cache_entry {
	const struct pd_sql *key;
	struct pd_stmt *stmt;
};

struct connstate {
	struct pd_conn *conn;
	struct cache_entry *tab;
	size_t cap, n;
	struct pd_gen_memo gen_memo; /* SQLite readers: the generation at a data_version */
	struct connstate *next_all; /* the store's list, for closing */
};

struct job {
	pd_tx_fn fn;
	void *arg;
	void (*done)(void *arg, int rc);
	int rc;
	bool finished;
	bool dropped; /* failed in a way that ended the batch's transaction: not run again */
	struct job *next;
};

struct pd_store {
	const struct pd_driver *drv;
	char *url;
	uint64_t serial;
	int max_batch, queue_max;
	pthread_mutex_t lock;       /* guards everything below */
	pthread_cond_t work_cv;     /* writer waits for jobs */
	pthread_cond_t done_cv;     /* synchronous callers wait for their job */
	struct job *head, *tail;
	int queued;
	bool stopping;
	pthread_t writer;
	struct connstate *writer_cs;
	struct connstate *all;      /* every reader connection */
	_Atomic uint64_t commits, jobs;
	/* Response caches (issue #8, store/generation.c): the shared generation row of migration
	 * 0020 exists, and each batch that wrote a table public pages may show bumps it. */
	atomic_bool gen_table;
};

struct pd_q {
	struct pd_tx *tx;
	struct pd_stmt *stmt;
	const struct pd_sql *sql;
	bool open;
	struct pd_q *next;
};

struct pd_tx {
	struct pd_store *st;
	struct connstate *cs;
	struct pd_arena *arena;
	int err;
	struct pd_q *qs;
	bool public_write; /* on the writer: a statement may change what public pages show */
};

static _Atomic uint64_t next_serial = 1;

/* --- connections and the statement cache --------------------------------------------------- */

static struct connstate *cs_open(struct pd_store *st, bool writer, char *err, size_t errlen)
{
	struct pd_conn *c = NULL;
	if (st->drv->open(st->url, writer, &c, err, errlen))
		return NULL;
	struct connstate *cs = pd_xcalloc(1, sizeof *cs);
	cs->conn = c;
	return cs;
}

static void cs_close(const struct pd_driver *drv, struct connstate *cs)
{
	if (!cs)
		return;
	for (size_t i = 0; i < cs->cap; i++)
		if (cs->tab[i].key)
			drv->finalize(cs->tab[i].stmt);
	free(cs->tab);
	drv->close(cs->conn);
	free(cs);
}

static size_t ptr_hash(const void *p, size_t cap)
{
	uint64_t x = (uint64_t)(uintptr_t)p;
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x & (cap - 1);
}

static struct pd_stmt *cs_stmt(const struct pd_driver *drv, struct connstate *cs,
                               const struct pd_sql *sql, int *err)
{
	if (cs->cap) {
		for (size_t i = ptr_hash(sql, cs->cap);; i = (i + 1) & (cs->cap - 1)) {
			if (cs->tab[i].key == sql)
				return cs->tab[i].stmt;
			if (!cs->tab[i].key)
				break;
		}
	}
	const char *text = (sql->pg && strcmp(drv->name, "postgres") == 0) ? sql->pg : sql->sql;
	struct pd_stmt *stmt = NULL;
	*err = drv->prepare(cs->conn, sql->name, text, &stmt);
	if (*err)
		return NULL;
	if ((cs->n + 1) * 2 > cs->cap) {
		size_t ncap = cs->cap ? cs->cap * 2 : 64;
		struct cache_entry *nt = pd_xcalloc(ncap, sizeof *nt);
		for (size_t i = 0; i < cs->cap; i++) {
			if (!cs->tab[i].key)
				continue;
			size_t j = ptr_hash(cs->tab[i].key, ncap);
			while (nt[j].key)
				j = (j + 1) & (ncap - 1);
			nt[j] = cs->tab[i];
		}
		free(cs->tab);
		cs->tab = nt;
		cs->cap = ncap;
	}
	size_t j = ptr_hash(sql, cs->cap);
	while (cs->tab[j].key)
		j = (j + 1) & (cs->cap - 1);
	cs->tab[j].key = sql;
	cs->tab[j].stmt = stmt;
	cs->n++;
	return stmt;
}

/* Per-thread connections, keyed by the store's serial so a reused address is never confused. */
struct tl_entry {
	uint64_t serial;
	struct connstate *cs;
};
static __thread struct tl_entry tl_conns[4];

static struct connstate *thread_conn(struct pd_store *st, int *err)
{
	int free_slot = -1;
	for (int i = 0; i < 4; i++) {
		if (tl_conns[i].serial == st->serial)
			return tl_conns[i].cs;
		if (free_slot < 0 && tl_conns[i].serial == 0)
			free_slot = i;
	}
	char msg[256];
	struct connstate *cs = cs_open(st, false, msg, sizeof msg);
	if (!cs) {
		pd_log(PD_LOG_ERROR, "db_connect_failed", "msg=\"%s\"", msg);
		*err = PD_ERR_DB;
		return NULL;
	}
	pthread_mutex_lock(&st->lock);
	cs->next_all = st->all;
	st->all = cs;
	pthread_mutex_unlock(&st->lock);
	if (free_slot < 0)
		free_slot = 0; /* more than 4 stores on one thread: the oldest slot is forgotten */
	tl_conns[free_slot].serial = st->serial;
	tl_conns[free_slot].cs = cs;
	return cs;
}

/* --- transactions ----------------------------------------------------------------------------- */

static void tx_end_statements(struct pd_tx *tx)
{
	for (struct pd_q *q = tx->qs; q; q = q->next)
		pd_q_close(q);
	tx->qs = NULL;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

int pd_store_read(struct pd_store *st, pd_tx_fn fn, void *arg)
{
	int err = 0;
	struct connstate *cs = thread_conn(st, &err);
	if (!cs)
		return err;
	for (int attempt = 0;; attempt++) {
		struct pd_tx tx = {.st = st, .cs = cs, .arena = pd_arena_new()};
		int rc = st->drv->exec(cs->conn, st->drv->begin_read);
		if (!rc) {
			rc = fn(&tx, arg);
			if (!rc)
				rc = tx.err;
		}
		tx_end_statements(&tx);
		int end = st->drv->exec(cs->conn, rc ? "ROLLBACK" : "COMMIT");
		if (!rc)
			rc = end;
		pd_arena_free(tx.arena);
		if (rc != PD_ERR_BUSY || attempt >= MAX_RETRIES)
			return rc;
		sleep_ms(1 << (attempt < 6 ? attempt : 6));
	}
}

struct pd_store *pd_tx_store(struct pd_tx *tx)
{
	return tx->st;
}

struct pd_arena *pd_tx_arena(struct pd_tx *tx)
{
	return tx->arena;
}

bool pd_tx_is_pg(const struct pd_tx *tx)
{
	return tx->st->drv == &pd_driver_pg;
}

int pd_tx_error(const struct pd_tx *tx)
{
	return tx->err;
}

void pd_tx_fail(struct pd_tx *tx, int err)
{
	if (!tx->err)
		tx->err = err ? err : PD_ERR_DB;
}

int pd_tx_exec_raw(struct pd_tx *tx, const char *sql)
{
	if (tx->err)
		return tx->err;
	if (tx->cs == tx->st->writer_cs)
		tx->public_write = true;
	int rc = tx->st->drv->exec(tx->cs->conn, sql);
	if (rc)
		pd_tx_fail(tx, rc);
	return rc;
}

int pd_tx_try(struct pd_tx *tx, pd_tx_fn fn, void *arg)
{
	if (tx->err)
		return tx->err;
	const struct pd_driver *drv = tx->st->drv;
	int rc = drv->exec(tx->cs->conn, "SAVEPOINT pd_try");
	if (rc) {
		pd_tx_fail(tx, rc);
		return rc;
	}
	rc = fn(tx, arg);
	if (!rc)
		rc = tx->err;
	if (rc == PD_ERR_CONFLICT) {
		/* Undo fn's statements (a PostgreSQL transaction is unusable after an error until
		 * then) and clear the latched conflict: the caller may try again. */
		tx_end_statements(tx);
		tx->err = 0;
		if (drv->exec(tx->cs->conn, "ROLLBACK TO SAVEPOINT pd_try") ||
		    drv->exec(tx->cs->conn, "RELEASE SAVEPOINT pd_try")) {
			pd_tx_fail(tx, PD_ERR_DB);
			return PD_ERR_DB;
		}
		return PD_ERR_CONFLICT;
	}
	if (rc)
		return rc;
	tx_end_statements(tx);
	rc = drv->exec(tx->cs->conn, "RELEASE SAVEPOINT pd_try");
	if (rc)
		pd_tx_fail(tx, rc);
	return rc;
}

/* --- statements ------------------------------------------------------------------------------- */

struct pd_q *pd_q_open(struct pd_tx *tx, const struct pd_sql *sql)
{
	struct pd_q *q = pd_arena_alloc(tx->arena, sizeof *q);
	q->tx = tx;
	q->sql = sql;
	if (tx->err)
		return q;
	int err = 0;
	if (!tx->public_write && tx->cs == tx->st->writer_cs && pd_store_sql_public_write(sql->sql))
		tx->public_write = true;
	q->stmt = cs_stmt(tx->st->drv, tx->cs, sql, &err);
	if (!q->stmt) {
		pd_tx_fail(tx, err);
		return q;
	}
	/* The same statement may still be open in this transaction: reset it first. Closed ones
	 * leave the list, so a transaction that opens statements many times stays linear. */
	for (struct pd_q **pp = &tx->qs; *pp;) {
		struct pd_q *o = *pp;
		if (o->stmt == q->stmt)
			pd_q_close(o);
		if (o->open)
			pp = &o->next;
		else
			*pp = o->next;
	}
	tx->st->drv->reset(q->stmt);
	q->open = true;
	q->next = tx->qs;
	tx->qs = q;
	return q;
}

static bool q_ok(struct pd_q *q)
{
	return q->open && !q->tx->err;
}

static void bind_rc(struct pd_q *q, int rc)
{
	if (rc) {
		pd_log(PD_LOG_ERROR, "db_bind_failed", "stmt=%s", q->sql->name);
		pd_tx_fail(q->tx, PD_ERR_DB);
	}
}

void pd_q_text(struct pd_q *q, int i, const char *s)
{
	if (!s)
		pd_q_null(q, i);
	else
		pd_q_textn(q, i, s, strlen(s));
}

void pd_q_textn(struct pd_q *q, int i, const char *s, size_t n)
{
	if (q_ok(q))
		bind_rc(q, q->tx->st->drv->bind_text(q->stmt, i, s, n));
}

void pd_q_int(struct pd_q *q, int i, int64_t v)
{
	if (q_ok(q))
		bind_rc(q, q->tx->st->drv->bind_int(q->stmt, i, v));
}

void pd_q_blob(struct pd_q *q, int i, const void *p, size_t n)
{
	if (q_ok(q))
		bind_rc(q, q->tx->st->drv->bind_blob(q->stmt, i, p, n));
}

void pd_q_null(struct pd_q *q, int i)
{
	if (q_ok(q))
		bind_rc(q, q->tx->st->drv->bind_null(q->stmt, i));
}

int pd_q_step(struct pd_q *q)
{
	if (!q_ok(q))
		return -1;
	int rc = q->tx->st->drv->step(q->stmt);
	if (rc >= 0)
		return rc;
	pd_tx_fail(q->tx, -rc);
	return -1;
}

int64_t pd_q_exec(struct pd_q *q)
{
	int rc = pd_q_step(q);
	if (rc < 0)
		return -1;
	int64_t n = q->tx->st->drv->changes(q->stmt);
	pd_q_close(q);
	return n;
}

bool pd_q_isnull(struct pd_q *q, int i)
{
	return !q->open || q->tx->st->drv->col_null(q->stmt, i);
}

int64_t pd_q_col_int(struct pd_q *q, int i)
{
	return q->open ? q->tx->st->drv->col_int(q->stmt, i) : 0;
}

const char *pd_q_col_text(struct pd_q *q, int i)
{
	if (!q->open)
		return NULL;
	return q->tx->st->drv->col_text(q->stmt, i, NULL);
}

char *pd_q_col_dup(struct pd_q *q, int i, struct pd_arena *a)
{
	if (!q->open)
		return NULL;
	size_t n = 0;
	const char *t = q->tx->st->drv->col_text(q->stmt, i, &n);
	return t ? pd_arena_strndup(a ? a : q->tx->arena, t, n) : NULL;
}

const void *pd_q_col_blob(struct pd_q *q, int i, size_t *n)
{
	if (!q->open) {
		*n = 0;
		return NULL;
	}
	return q->tx->st->drv->col_blob(q->stmt, i, n);
}

void pd_q_blob_or_null(struct pd_q *q, int i, struct pd_blob b)
{
	if (b.p)
		pd_q_blob(q, i, b.p, b.n);
	else
		pd_q_null(q, i);
}

void pd_q_int_or_null(struct pd_q *q, int i, int64_t v)
{
	if (v)
		pd_q_int(q, i, v);
	else
		pd_q_null(q, i);
}

struct pd_blob pd_q_col_blob_dup(struct pd_q *q, int i, struct pd_arena *a)
{
	struct pd_blob b = {NULL, 0};
	if (pd_q_isnull(q, i))
		return b;
	size_t n = 0;
	const void *p = pd_q_col_blob(q, i, &n);
	b.p = pd_arena_memdup(a ? a : q->tx->arena, p ? p : "", n ? n : 1);
	b.n = n;
	return b;
}

enum pd_qs pd_qs_of_changes(int64_t n)
{
	return n < 0 ? PD_QS_HARD : n == 0 ? PD_QS_NONE : PD_QS_ONE;
}

void pd_q_close(struct pd_q *q)
{
	if (!q->open)
		return;
	q->tx->st->drv->reset(q->stmt);
	q->open = false;
}

/* --- the writer ------------------------------------------------------------------------------- */

/* Bumps the shared generation row (migration 0020) inside the batch's transaction. */
static const char GEN_BUMP[] = "UPDATE cache_generation SET gen = gen + 1 WHERE id = 1";
static const struct pd_sql SQL_GEN_EXISTS = {
	"gen_exists", "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'cache_generation'",
	"SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'cache_generation' "
	"AND table_schema = current_schema()"};

/* Whether the schema has the generation row, asked inside the batch's transaction until a
 * commit has shown it (a CLI process never checks the schema; the migration that creates the
 * table bumps it too). *seen: it was found by asking. */
static bool gen_table_here(struct pd_store *st, struct connstate *cs, bool *seen)
{
	if (atomic_load(&st->gen_table))
		return true;
	int err = 0;
	struct pd_stmt *s = cs_stmt(st->drv, cs, &SQL_GEN_EXISTS, &err);
	if (!s)
		return false;
	bool yes = st->drv->step(s) == 1 && st->drv->col_int(s, 0) > 0;
	st->drv->reset(s);
	*seen = yes;
	return yes;
}

static int run_batch(struct pd_store *st, struct job *batch, bool *pub)
{
	const struct pd_driver *drv = st->drv;
	struct connstate *cs = st->writer_cs;
	for (int attempt = 0;; attempt++) {
		int rc = drv->exec(cs->conn, drv->begin_write);
		if (rc == PD_ERR_BUSY && attempt < MAX_RETRIES) {
			sleep_ms(1 << (attempt < 6 ? attempt : 6));
			continue;
		}
		if (rc) {
			for (struct job *j = batch; j; j = j->next)
				if (!j->dropped)
					j->rc = rc;
			return rc;
		}
		bool busy = false, lost = false;
		for (struct job *j = batch; j && !lost; j = j->next) {
			if (j->dropped)
				continue;
			struct pd_tx tx = {.st = st, .cs = cs, .arena = pd_arena_new()};
			bool ran = false;
			int r = drv->exec(cs->conn, "SAVEPOINT pd_job");
			if (!r) {
				ran = true;
				r = j->fn(&tx, j->arg);
				if (!r)
					r = tx.err;
			}
			if (tx.public_write)
				*pub = true; /* also when it failed: invalidating too much is harmless */
			tx_end_statements(&tx);
			pd_arena_free(tx.arena);
			/* Undo a failed job; then forget its savepoint. When either fails, the transaction
			 * itself has gone (SQLite rolls back by itself on some I/O errors; a PostgreSQL
			 * connection can drop): the jobs before are undone with it, and a job run after
			 * would commit alone at its RELEASE while the batch's COMMIT fails, so its client
			 * would hear "failed" of a row that is there. Drop this job, run the rest again. */
			if ((r && drv->exec(cs->conn, "ROLLBACK TO SAVEPOINT pd_job")) ||
			    drv->exec(cs->conn, "RELEASE SAVEPOINT pd_job")) {
				lost = true;
				if (ran) {
					j->dropped = true;
					j->rc = r ? r : PD_ERR_DB;
				}
				break;
			}
			if (r == PD_ERR_BUSY)
				busy = true;
			j->rc = r;
		}
		if (lost || (busy && attempt < MAX_RETRIES)) {
			drv->exec(cs->conn, "ROLLBACK");
			if (attempt < MAX_RETRIES) {
				if (busy)
					sleep_ms(1 << (attempt < 6 ? attempt : 6));
				continue;
			}
			for (struct job *j = batch; j; j = j->next)
				if (!j->dropped)
					j->rc = PD_ERR_DB;
			return PD_ERR_DB;
		}
		bool seen = false;
		if (*pub && gen_table_here(st, cs, &seen)) {
			/* In a savepoint: a schema dropped under a running store (the conformance suite
			 * does) loses the table; the batch then commits without a bump and the table is
			 * looked for again next time, instead of failing every write after. */
			rc = drv->exec(cs->conn, "SAVEPOINT pd_gen");
			if (!rc && drv->exec(cs->conn, GEN_BUMP) != PD_OK) {
				drv->exec(cs->conn, "ROLLBACK TO SAVEPOINT pd_gen");
				atomic_store(&st->gen_table, false);
				bool again = false;
				if (gen_table_here(st, cs, &again))
					rc = PD_ERR_DB; /* the table is there: a real failure, no commit */
			}
			if (!rc)
				rc = drv->exec(cs->conn, "RELEASE SAVEPOINT pd_gen");
			if (rc) {
				drv->exec(cs->conn, "ROLLBACK");
				if (rc == PD_ERR_BUSY && attempt < MAX_RETRIES) {
					sleep_ms(1 << (attempt < 6 ? attempt : 6));
					continue;
				}
				for (struct job *j = batch; j; j = j->next)
					if (!j->dropped)
						j->rc = rc;
				return rc;
			}
		}
		rc = drv->exec(cs->conn, "COMMIT");
		if (rc) {
			drv->exec(cs->conn, "ROLLBACK");
			if (rc == PD_ERR_BUSY && attempt < MAX_RETRIES)
				continue;
			for (struct job *j = batch; j; j = j->next)
				if (!j->rc)
					j->rc = rc;
			return rc;
		}
		if (seen)
			atomic_store(&st->gen_table, true);
		return PD_OK;
	}
}

static void *writer_main(void *p)
{
	struct pd_store *st = p;
	pthread_mutex_lock(&st->lock);
	for (;;) {
		while (!st->head && !st->stopping)
			pthread_cond_wait(&st->work_cv, &st->lock);
		if (!st->head && st->stopping)
			break;
		struct job *batch = st->head, *last = batch;
		int n = 1;
		while (last->next && n < st->max_batch) {
			last = last->next;
			n++;
		}
		st->head = last->next;
		if (!st->head)
			st->tail = NULL;
		last->next = NULL;
		st->queued -= n;
		pthread_mutex_unlock(&st->lock);

		bool pub = false; /* the generation row was bumped in the batch's own transaction */
		int rc = run_batch(st, batch, &pub);
		if (!rc) {
			atomic_fetch_add(&st->commits, 1);
			for (struct job *j = batch; j; j = j->next)
				if (!j->rc)
					atomic_fetch_add(&st->jobs, 1);
		}
		/* Acknowledge only now: the commit (and its sync) has returned. */
		struct job *sync_jobs = NULL;
		for (struct job *j = batch, *next; j; j = next) {
			next = j->next;
			if (j->done) {
				j->done(j->arg, j->rc);
				free(j);
			} else {
				j->next = sync_jobs;
				sync_jobs = j;
			}
		}
		pthread_mutex_lock(&st->lock);
		if (sync_jobs) {
			/* Waiters need the lock to return, so their stack frames stay valid here. */
			for (struct job *j = sync_jobs; j; j = j->next)
				j->finished = true;
			pthread_cond_broadcast(&st->done_cv);
		}
	}
	pthread_mutex_unlock(&st->lock);
	return NULL;
}

static int enqueue(struct pd_store *st, struct job *j, bool bounded)
{
	pthread_mutex_lock(&st->lock);
	if (st->stopping || (bounded && st->queued >= st->queue_max)) {
		pthread_mutex_unlock(&st->lock);
		return PD_ERR_UNAVAILABLE;
	}
	j->next = NULL;
	if (st->tail)
		st->tail->next = j;
	else
		st->head = j;
	st->tail = j;
	st->queued++;
	pthread_cond_signal(&st->work_cv);
	pthread_mutex_unlock(&st->lock);
	return PD_OK;
}

int pd_store_write(struct pd_store *st, pd_tx_fn fn, void *arg)
{
	struct job j = {.fn = fn, .arg = arg};
	int rc = enqueue(st, &j, false);
	if (rc)
		return rc;
	pthread_mutex_lock(&st->lock);
	while (!j.finished)
		pthread_cond_wait(&st->done_cv, &st->lock);
	pthread_mutex_unlock(&st->lock);
	return j.rc;
}

int pd_store_write_async(struct pd_store *st, pd_tx_fn fn, void *arg,
                         void (*done)(void *arg, int rc))
{
	struct job *j = pd_xcalloc(1, sizeof *j);
	j->fn = fn;
	j->arg = arg;
	j->done = done;
	int rc = enqueue(st, j, true);
	if (rc)
		free(j);
	return rc;
}

/* --- open and close --------------------------------------------------------------------------- */

int pd_store_open(const struct pd_store_opts *opts, struct pd_store **out, char *err,
                  size_t errlen)
{
	const struct pd_driver *drv;
	if (pd_str_starts(opts->url, "sqlite:"))
		drv = &pd_driver_sqlite;
	else if (pd_str_starts(opts->url, "postgres://") || pd_str_starts(opts->url, "postgresql://"))
		drv = &pd_driver_pg;
	else {
		snprintf(err, errlen, "unknown database URL (want sqlite:PATH or postgres://…)");
		return PD_ERR_INVALID;
	}
	struct pd_store *st = pd_xcalloc(1, sizeof *st);
	st->drv = drv;
	st->url = pd_xstrdup(opts->url);
	st->serial = atomic_fetch_add(&next_serial, 1);
	st->max_batch = opts->max_batch > 0 ? opts->max_batch : 256;
	st->queue_max = opts->queue_max > 0 ? opts->queue_max : 4096;
	pthread_mutex_init(&st->lock, NULL);
	pthread_cond_init(&st->work_cv, NULL);
	pthread_cond_init(&st->done_cv, NULL);
	st->writer_cs = cs_open(st, true, err, errlen);
	if (!st->writer_cs) {
		free(st->url);
		free(st);
		return PD_ERR_DB;
	}
	if (pthread_create(&st->writer, NULL, writer_main, st)) {
		cs_close(drv, st->writer_cs);
		free(st->url);
		free(st);
		snprintf(err, errlen, "cannot start the writer thread");
		return PD_ERR_NOMEM;
	}
	*out = st;
	return PD_OK;
}

void pd_store_close(struct pd_store *st)
{
	if (!st)
		return;
	pthread_mutex_lock(&st->lock);
	st->stopping = true;
	pthread_cond_signal(&st->work_cv);
	pthread_mutex_unlock(&st->lock);
	pthread_join(st->writer, NULL);
	cs_close(st->drv, st->writer_cs);
	for (int i = 0; i < 4; i++)
		if (tl_conns[i].serial == st->serial)
			tl_conns[i].serial = 0;
	while (st->all) {
		struct connstate *cs = st->all;
		st->all = cs->next_all;
		cs_close(st->drv, cs);
	}
	pthread_mutex_destroy(&st->lock);
	pthread_cond_destroy(&st->work_cv);
	pthread_cond_destroy(&st->done_cv);
	free(st->url);
	free(st);
}

uint64_t pd_store_serial(const struct pd_store *st)
{
	return st->serial;
}

const char *pd_store_backend(const struct pd_store *st)
{
	return st->drv->name;
}

atomic_bool *pd_store_gen_table(struct pd_store *st)
{
	return &st->gen_table;
}

static const struct pd_sql SQL_DATA_VERSION = {"data_version", "PRAGMA data_version", NULL};

int pd_store_thread_data_version(struct pd_store *st, int64_t *dv, struct pd_gen_memo **memo)
{
	int err = 0;
	struct connstate *cs = thread_conn(st, &err);
	if (!cs)
		return err;
	struct pd_stmt *s = cs_stmt(st->drv, cs, &SQL_DATA_VERSION, &err);
	if (!s)
		return err ? err : PD_ERR_DB;
	int rc = st->drv->step(s);
	if (rc == 1)
		*dv = st->drv->col_int(s, 0);
	st->drv->reset(s);
	if (rc != 1)
		return rc < 0 ? -rc : PD_ERR_DB;
	*memo = &cs->gen_memo;
	return PD_OK;
}

void pd_store_stats(struct pd_store *st, struct pd_store_stats *out)
{
	out->commits = atomic_load(&st->commits);
	out->jobs = atomic_load(&st->jobs);
	out->syncs = st->drv == &pd_driver_sqlite ? pd_sqlite_sync_count() : 0;
	pthread_mutex_lock(&st->lock);
	out->queue_depth = (uint64_t)st->queued;
	pthread_mutex_unlock(&st->lock);
}

int pd_store_backup(struct pd_store *st, const char *path, char *err, size_t errlen)
{
	if (st->drv != &pd_driver_sqlite) {
		snprintf(err, errlen, "backup is for SQLite; use pg_dump for PostgreSQL");
		return PD_ERR_INVALID;
	}
	struct connstate *cs = cs_open(st, false, err, errlen);
	if (!cs)
		return PD_ERR_DB;
	int rc = pd_sqlite_backup(cs->conn, path, err, errlen);
	cs_close(st->drv, cs);
	return rc;
}

const struct pd_driver *pd_store_driver(const struct pd_store *st)
{
	return st->drv;
}
