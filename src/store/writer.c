/* The single writer thread: it commits queued jobs together (group commit), each in its own
 * savepoint, and for a driver whose COMMIT does not wait for the disk (SQLite) a sync thread
 * makes each batch durable before its jobs are acknowledged (issue #8). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"
#include "store/core.h"

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
	struct pd_stmt *s = pd_store_cs_stmt(st->drv, cs, &SQL_GEN_EXISTS, &err);
	if (!s)
		return false;
	bool yes = st->drv->step(s) == 1 && st->drv->col_int(s, 0) > 0;
	st->drv->reset(s);
	*seen = yes;
	return yes;
}

/* Gives rc to every job of the batch not already answered by a failure of its own. */
static int fail_batch(struct job *batch, int rc)
{
	for (struct job *j = batch; j; j = j->next)
		if (!j->dropped)
			j->rc = rc;
	return rc;
}

static int run_batch(struct pd_store *st, struct job *batch, bool *pub)
{
	const struct pd_driver *drv = st->drv;
	struct connstate *cs = st->writer_cs;
	for (int attempt = 0;; attempt++) {
		int rc = drv->exec(cs->conn, drv->begin_write);
		if (rc == PD_ERR_BUSY && attempt < MAX_RETRIES) {
			pd_store_sleep_ms(1 << (attempt < 6 ? attempt : 6));
			continue;
		}
		if (rc)
			return fail_batch(batch, rc);
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
			pd_store_tx_end_statements(&tx);
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
					pd_store_sleep_ms(1 << (attempt < 6 ? attempt : 6));
				continue;
			}
			return fail_batch(batch, PD_ERR_DB);
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
					pd_store_sleep_ms(1 << (attempt < 6 ? attempt : 6));
					continue;
				}
				return fail_batch(batch, rc);
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

/* Tells each job of a finished batch (rc set): a callback, or a waiter woken under the lock. */
static void acknowledge(struct pd_store *st, struct job *batch)
{
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
	if (!sync_jobs)
		return;
	pthread_mutex_lock(&st->lock);
	/* Waiters need the lock to return, so their stack frames stay valid here. */
	for (struct job *j = sync_jobs; j; j = j->next)
		j->finished = true;
	pthread_cond_broadcast(&st->done_cv);
	pthread_mutex_unlock(&st->lock);
}

/* The sync thread (drivers with sync_log): one sync makes every batch committed before it
 * durable, then they are acknowledged. The writer meanwhile runs the next batch, so the disk's
 * wait no longer stops it (issue #8, docs/performance.md). */
static void *syncer_main(void *p)
{
	struct pd_store *st = p;
	pthread_mutex_lock(&st->lock);
	for (;;) {
		while (!st->sync_head && !st->syncer_stop)
			pthread_cond_wait(&st->sync_cv, &st->lock);
		if (!st->sync_head)
			break;
		struct job *batch = st->sync_head;
		st->sync_head = st->sync_tail = NULL;
		pthread_mutex_unlock(&st->lock);
		bool committed = false;
		for (struct job *j = batch; j && !committed; j = j->next)
			committed = !j->rc;
		int rc = committed ? st->drv->sync_log(st->writer_cs->conn) : PD_OK;
		for (struct job *j = batch; j; j = j->next)
			if (!j->rc) {
				if (rc)
					j->rc = rc; /* committed, but whether it is on the disk is unknown */
				else
					atomic_fetch_add(&st->jobs, 1);
			}
		acknowledge(st, batch);
		pthread_mutex_lock(&st->lock);
	}
	pthread_mutex_unlock(&st->lock);
	return NULL;
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
		if (!rc)
			atomic_fetch_add(&st->commits, 1);
		if (st->has_syncer) {
			/* Acknowledged once the sync thread has made the commit durable. */
			pthread_mutex_lock(&st->lock);
			if (st->sync_tail)
				st->sync_tail->next = batch;
			else
				st->sync_head = batch;
			st->sync_tail = last;
			pthread_cond_signal(&st->sync_cv);
			continue; /* with the lock held, as the loop expects */
		}
		/* Acknowledge only now: the commit (and its sync) has returned. */
		if (!rc)
			for (struct job *j = batch; j; j = j->next)
				if (!j->rc)
					atomic_fetch_add(&st->jobs, 1);
		acknowledge(st, batch);
		pthread_mutex_lock(&st->lock);
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

int pd_writer_start(struct pd_store *st, char *err, size_t errlen)
{
	pthread_cond_init(&st->sync_cv, NULL);
	st->has_syncer = st->drv->sync_log && !pthread_create(&st->syncer, NULL, syncer_main, st);
	if (st->drv->sync_log && !st->has_syncer) {
		pthread_cond_destroy(&st->sync_cv);
		snprintf(err, errlen, "cannot start the sync thread");
		return PD_ERR_NOMEM;
	}
	if (pthread_create(&st->writer, NULL, writer_main, st)) {
		if (st->has_syncer) {
			pthread_mutex_lock(&st->lock);
			st->syncer_stop = true;
			pthread_cond_signal(&st->sync_cv);
			pthread_mutex_unlock(&st->lock);
			pthread_join(st->syncer, NULL);
		}
		pthread_cond_destroy(&st->sync_cv);
		snprintf(err, errlen, "cannot start the writer thread");
		return PD_ERR_NOMEM;
	}
	return PD_OK;
}

void pd_writer_stop(struct pd_store *st)
{
	pthread_mutex_lock(&st->lock);
	st->stopping = true;
	pthread_cond_signal(&st->work_cv);
	pthread_mutex_unlock(&st->lock);
	pthread_join(st->writer, NULL);
	if (st->has_syncer) { /* after the writer: it acknowledges the last batches */
		pthread_mutex_lock(&st->lock);
		st->syncer_stop = true;
		pthread_cond_signal(&st->sync_cv);
		pthread_mutex_unlock(&st->lock);
		pthread_join(st->syncer, NULL);
	}
	pthread_cond_destroy(&st->sync_cv);
}
