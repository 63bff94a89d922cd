/* Storage core: connections per thread, the statement cache, transactions with bounded retry,
 * opening and closing a store (its writer thread is in writer.c). */
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
#include "store/core.h"
#include "store/driver.h"
#include "store/internal.h"

static _Atomic uint64_t next_serial = 1;

/* --- connections and the statement cache --------------------------------------------------- */

struct connstate *pd_store_cs_open(struct pd_store *st, bool writer, char *err, size_t errlen)
{
	struct pd_conn *c = NULL;
	if (st->drv->open(st->url, writer, &c, err, errlen))
		return NULL;
	struct connstate *cs = pd_xcalloc(1, sizeof *cs);
	cs->conn = c;
	return cs;
}

void pd_store_cs_close(const struct pd_driver *drv, struct connstate *cs)
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

struct pd_stmt *pd_store_cs_stmt(const struct pd_driver *drv, struct connstate *cs,
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
	struct connstate *cs = pd_store_cs_open(st, false, msg, sizeof msg);
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

void pd_store_tx_end_statements(struct pd_tx *tx)
{
	for (struct pd_q *q = tx->qs; q; q = q->next)
		pd_q_close(q);
	tx->qs = NULL;
}

void pd_store_sleep_ms(int ms)
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
		pd_store_tx_end_statements(&tx);
		int end = st->drv->exec(cs->conn, rc ? "ROLLBACK" : "COMMIT");
		if (!rc)
			rc = end;
		pd_arena_free(tx.arena);
		if (rc != PD_ERR_BUSY || attempt >= MAX_RETRIES)
			return rc;
		pd_store_sleep_ms(1 << (attempt < 6 ? attempt : 6));
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
		pd_store_tx_end_statements(tx);
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
	pd_store_tx_end_statements(tx);
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
	q->stmt = pd_store_cs_stmt(tx->st->drv, tx->cs, sql, &err);
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
	st->writer_cs = pd_store_cs_open(st, true, err, errlen);
	if (!st->writer_cs) {
		free(st->url);
		free(st);
		return PD_ERR_DB;
	}
	if (pd_writer_start(st, err, errlen)) {
		pd_store_cs_close(drv, st->writer_cs);
		free(st->url);
		free(st);
		return PD_ERR_NOMEM;
	}
	*out = st;
	return PD_OK;
}

void pd_store_close(struct pd_store *st)
{
	if (!st)
		return;
	pd_writer_stop(st);
	pd_store_cs_close(st->drv, st->writer_cs);
	for (int i = 0; i < 4; i++)
		if (tl_conns[i].serial == st->serial)
			tl_conns[i].serial = 0;
	while (st->all) {
		struct connstate *cs = st->all;
		st->all = cs->next_all;
		pd_store_cs_close(st->drv, cs);
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
	struct pd_stmt *s = pd_store_cs_stmt(st->drv, cs, &SQL_DATA_VERSION, &err);
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

int pd_store_thread_wal_header(struct pd_store *st, struct pd_gen_memo **memo, unsigned char *hdr,
                               bool *have)
{
	int err = 0;
	struct connstate *cs = thread_conn(st, &err);
	if (!cs)
		return err;
	*have = st->drv == &pd_driver_sqlite && pd_sqlite_wal_header(cs->conn, hdr);
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
	struct connstate *cs = pd_store_cs_open(st, false, err, errlen);
	if (!cs)
		return PD_ERR_DB;
	int rc = pd_sqlite_backup(cs->conn, path, err, errlen);
	pd_store_cs_close(st->drv, cs);
	return rc;
}

const struct pd_driver *pd_store_driver(const struct pd_store *st)
{
	return st->drv;
}
