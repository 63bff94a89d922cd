/* Storage conformance suite: the same cases against SQLite and PostgreSQL, the backend chosen by
 * PD_TEST_DB ("sqlite:PATH" or "postgres://…"; unset: SQLite in a temporary directory). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "core/str.h"
#include "store/store.h"

#define N_THREADS 16
#define N_WRITES 200
#define ID_ARG(id) ((void *)(intptr_t)(id))

static struct {
	bool pg;
	const char *pg_url;
	char dir[PATH_MAX - 64]; /* SQLite: this run's temporary directory */
	char stem[64];           /* SQLite: database file name */
	int n_dbs;
} cfg;

struct fix {
	struct pd_store *st;
	char url[PATH_MAX + 128];
};

static const char *const DDL_SQLITE =
	"CREATE TABLE t_conf (id BIGINT PRIMARY KEY, thread BIGINT NOT NULL, body TEXT NOT NULL);"
	"CREATE TABLE t_vals (k TEXT PRIMARY KEY, s TEXT, i BIGINT, b BLOB);";
static const char *const DDL_PG =
	"CREATE TABLE t_conf (id BIGINT PRIMARY KEY, thread BIGINT NOT NULL, body TEXT NOT NULL);"
	"CREATE TABLE t_vals (k TEXT PRIMARY KEY, s TEXT, i BIGINT, b BYTEA);";

static const struct pd_sql SQL_INS = {
	"t_ins", "INSERT INTO t_conf (id, thread, body) VALUES ($1, $2, $3)", NULL};
static const struct pd_sql SQL_IDS = {"t_ids", "SELECT id FROM t_conf ORDER BY id", NULL};
static const struct pd_sql SQL_SUM = {"t_sum", "SELECT COUNT(*), SUM(id) FROM t_conf", NULL};
static const struct pd_sql SQL_BODY = {"t_body", "SELECT body FROM t_conf WHERE id = $1", NULL};
static const struct pd_sql SQL_AHEAD = {
	"t_ahead", "INSERT INTO pd_schema (version, applied_ms) VALUES ($1, 0)", NULL};
static const struct pd_sql SQL_VAL_INS = {
	"t_val_ins", "INSERT INTO t_vals (k, s, i, b) VALUES ($1, $2, $3, $4)", NULL};
static const struct pd_sql SQL_VAL_GET = {"t_val_get", "SELECT s, i, b FROM t_vals WHERE k = $1",
                                          NULL};
static const struct pd_sql SQL_WAL_SYNC = {"t_wal_sync", "SELECT 0",
                                           "SELECT wal_sync FROM pg_stat_wal"};
static const struct pd_sql SQL_FSYNC = {"t_fsync", "SELECT 1",
                                        "SELECT current_setting('fsync') = 'on'"};
static const struct pd_sql SQL_PID = {"t_pid", "SELECT 0", "SELECT pg_backend_pid()"};
static const struct pd_sql SQL_SETTINGS = {
	"t_settings", "SELECT ''",
	"SELECT current_setting('synchronous_commit') || ' ' || current_setting('statement_timeout')"};
static const struct pd_sql SQL_KILL = {"t_kill", "SELECT 0",
                                       "SELECT pg_terminate_backend($1::int)"};
static const struct pd_sql SQL_ALIVE = {
	"t_alive", "SELECT 0", "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = $1::int"};

/* --- helpers -------------------------------------------------------------------------------- */

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static int open_store(const char *url, struct pd_store **st)
{
	char err[256] = "";
	struct pd_store_opts opts = {.url = url};
	int rc = pd_store_open(&opts, st, err, sizeof err);
	if (rc)
		print_error("cannot open %s: %s\n", url, err);
	return rc;
}

static int job_raw(struct pd_tx *tx, void *sql)
{
	return pd_tx_exec_raw(tx, sql);
}

static int job_ddl(struct pd_tx *tx, void *unused)
{
	return pd_tx_exec_raw(tx, pd_tx_is_pg(tx) ? DDL_PG : DDL_SQLITE);
}

static int insert_id(struct pd_tx *tx, int64_t id)
{
	struct pd_q *q = pd_q_open(tx, &SQL_INS);
	pd_q_int(q, 1, id);
	pd_q_int(q, 2, id / 100000);
	pd_q_text(q, 3, "baris");
	pd_q_exec(q);
	return pd_tx_error(tx);
}

static int job_insert(struct pd_tx *tx, void *p)
{
	return insert_id(tx, (int64_t)(intptr_t)p);
}

/* A growable set of ids; sorted before lookups. */
struct idset {
	int64_t *v;
	size_t n, cap;
};

static void idset_add(struct idset *s, int64_t id)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->v = realloc(s->v, s->cap * sizeof *s->v);
		if (!s->v)
			abort();
	}
	s->v[s->n++] = id;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static bool idset_has(const struct idset *s, int64_t id)
{
	return s->n && bsearch(&id, s->v, s->n, sizeof id, cmp_i64);
}

static int job_load_ids(struct pd_tx *tx, void *p)
{
	struct idset *s = p;
	s->n = 0; /* the job may run again */
	struct pd_q *q = pd_q_open(tx, &SQL_IDS);
	while (pd_q_step(q) == 1)
		idset_add(s, pd_q_col_int(q, 0));
	pd_q_close(q);
	return pd_tx_error(tx);
}

/* Number of acknowledged ids (sorted in place) missing from the table. */
static size_t count_missing(struct pd_store *st, struct idset *acked, size_t *n_present)
{
	struct idset present = {0};
	assert_int_equal(pd_store_read(st, job_load_ids, &present), PD_OK);
	size_t missing = 0;
	for (size_t i = 0; i < acked->n; i++)
		if (!idset_has(&present, acked->v[i]))
			missing++;
	*n_present = present.n;
	free(present.v);
	return missing;
}

struct one_int {
	const struct pd_sql *sql;
	int64_t v;
};

static int job_one_int(struct pd_tx *tx, void *p)
{
	struct one_int *oi = p;
	struct pd_q *q = pd_q_open(tx, oi->sql);
	if (pd_q_step(q) == 1)
		oi->v = pd_q_col_int(q, 0);
	pd_q_close(q);
	return pd_tx_error(tx);
}

static int64_t read_int(struct pd_store *st, const struct pd_sql *sql)
{
	struct one_int oi = {.sql = sql, .v = -1};
	assert_int_equal(pd_store_read(st, job_one_int, &oi), PD_OK);
	return oi.v;
}

/* --- fixtures ------------------------------------------------------------------------------- */

static int setup_empty(void **state)
{
	struct fix *f = calloc(1, sizeof *f);
	assert_non_null(f);
	*state = f;
	if (!cfg.pg) {
		snprintf(f->url, sizeof f->url, "sqlite:%s/%02d-%s", cfg.dir, ++cfg.n_dbs, cfg.stem);
	} else {
		snprintf(f->url, sizeof f->url, "%s", cfg.pg_url);
		assert_int_equal(open_store(f->url, &f->st), PD_OK);
		assert_int_equal(pd_store_write(f->st, job_raw,
		                                (void *)"DROP SCHEMA public CASCADE; CREATE SCHEMA public;"),
		                 PD_OK);
		pd_store_close(f->st);
	}
	assert_int_equal(open_store(f->url, &f->st), PD_OK);
	return 0;
}

static int setup_migrated(void **state)
{
	setup_empty(state);
	struct fix *f = *state;
	char err[256] = "";
	int rc = pd_store_migrate(f->st, err, sizeof err);
	if (rc)
		print_error("migrate: %s\n", err);
	assert_int_equal(rc, PD_OK);
	assert_int_equal(pd_store_write(f->st, job_ddl, NULL), PD_OK);
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;
	if (f)
		pd_store_close(f->st);
	free(f);
	return 0;
}

/* --- schema --------------------------------------------------------------------------------- */

static void test_migrate_empty(void **state)
{
	struct fix *f = *state;
	char err[256] = "";
	bool empty = false;
	int version = -1;
	assert_int_equal(pd_store_is_empty(f->st, &empty), PD_OK);
	assert_true(empty);
	assert_int_equal(pd_store_schema_version(f->st, &version), PD_OK);
	assert_int_equal(version, 0);
	int target = pd_store_schema_target(f->st);
	assert_true(target >= 1);
	assert_int_equal(pd_store_migrate(f->st, err, sizeof err), PD_OK);
	assert_int_equal(pd_store_schema_version(f->st, &version), PD_OK);
	assert_int_equal(version, target);
	assert_int_equal(pd_store_is_empty(f->st, &empty), PD_OK);
	assert_false(empty);
	assert_int_equal(pd_store_check_schema(f->st, err, sizeof err), PD_OK);
	assert_int_equal(pd_store_migrate(f->st, err, sizeof err), PD_OK); /* nothing to do */
	assert_int_equal(pd_store_schema_version(f->st, &version), PD_OK);
	assert_int_equal(version, target);
}

static void test_check_schema_initialises_empty(void **state)
{
	struct fix *f = *state;
	char err[256] = "";
	int version = -1;
	assert_int_equal(pd_store_check_schema(f->st, err, sizeof err), PD_OK);
	assert_int_equal(pd_store_schema_version(f->st, &version), PD_OK);
	assert_int_equal(version, pd_store_schema_target(f->st));
}

static int job_ahead(struct pd_tx *tx, void *p)
{
	struct pd_q *q = pd_q_open(tx, &SQL_AHEAD);
	pd_q_int(q, 1, *(int *)p);
	pd_q_exec(q);
	return pd_tx_error(tx);
}

static void test_schema_ahead_refused(void **state)
{
	struct fix *f = *state;
	char err[256] = "", num[16];
	int ahead = pd_store_schema_target(f->st) + 1, version = 0;
	assert_int_equal(pd_store_write(f->st, job_ahead, &ahead), PD_OK);
	assert_int_equal(pd_store_schema_version(f->st, &version), PD_OK);
	assert_int_equal(version, ahead);
	snprintf(num, sizeof num, "version %d", ahead);
	assert_int_equal(pd_store_check_schema(f->st, err, sizeof err), PD_ERR_SCHEMA);
	assert_non_null(strstr(err, "newer"));
	assert_non_null(strstr(err, num));
	err[0] = '\0';
	assert_int_equal(pd_store_migrate(f->st, err, sizeof err), PD_ERR_SCHEMA);
	assert_non_null(strstr(err, num));
}

/* --- values --------------------------------------------------------------------------------- */

struct val {
	const char *k, *s; /* s NULL: SQL NULL */
	int64_t i;
	bool i_null;
	const unsigned char *b; /* NULL: SQL NULL */
	size_t bn;
};

struct got {
	bool s_null, i_null, b_null;
	char *s;
	int64_t i;
	unsigned char *b;
	size_t bn;
};

static int job_put_vals(struct pd_tx *tx, void *p)
{
	for (const struct val *v = p; v->k; v++) {
		struct pd_q *q = pd_q_open(tx, &SQL_VAL_INS);
		pd_q_text(q, 1, v->k);
		pd_q_text(q, 2, v->s);
		if (v->i_null)
			pd_q_null(q, 3);
		else
			pd_q_int(q, 3, v->i);
		if (v->b)
			pd_q_blob(q, 4, v->b, v->bn);
		else
			pd_q_null(q, 4);
		pd_q_exec(q);
	}
	return pd_tx_error(tx);
}

struct get_arg {
	const char *k;
	struct got g;
};

static int job_get_val(struct pd_tx *tx, void *p)
{
	struct get_arg *ga = p;
	struct pd_q *q = pd_q_open(tx, &SQL_VAL_GET);
	pd_q_text(q, 1, ga->k);
	if (pd_q_step(q) == 1) {
		ga->g.s_null = pd_q_isnull(q, 0);
		ga->g.i_null = pd_q_isnull(q, 1);
		ga->g.b_null = pd_q_isnull(q, 2);
		const char *s = pd_q_col_text(q, 0);
		ga->g.s = s ? strdup(s) : NULL;
		ga->g.i = pd_q_col_int(q, 1);
		const void *b = pd_q_col_blob(q, 2, &ga->g.bn);
		ga->g.b = malloc(ga->g.bn + 1);
		if (b && ga->g.bn)
			memcpy(ga->g.b, b, ga->g.bn);
	}
	pd_q_close(q);
	return pd_tx_error(tx);
}

static void test_round_trip(void **state)
{
	struct fix *f = *state;
	static unsigned char all_bytes[256], zeros[3], big[70000];
	for (size_t i = 0; i < sizeof all_bytes; i++)
		all_bytes[i] = (unsigned char)i;
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (unsigned char)(i * 7919 >> 3);
	static char long_text[12000];
	memset(long_text, 'a', sizeof long_text - 1);
	const struct val vals[] = {
		{"max", "Pelayanan publik — layanan ✓ ñ 日本", INT64_MAX, false, all_bytes, 256},
		{"min", "", INT64_MIN, false, zeros, sizeof zeros},
		{"zero", "x'); DROP TABLE t_vals; --", 0, false, (const unsigned char *)"", 0},
		{"neg", long_text, -1, false, big, sizeof big},
		{"null", NULL, 0, true, NULL, 0},
		{NULL, NULL, 0, false, NULL, 0},
	};
	assert_int_equal(pd_store_write(f->st, job_put_vals, (void *)vals), PD_OK);
	for (const struct val *v = vals; v->k; v++) {
		struct get_arg ga = {.k = v->k};
		assert_int_equal(pd_store_read(f->st, job_get_val, &ga), PD_OK);
		assert_int_equal(ga.g.s_null, v->s == NULL);
		if (v->s)
			assert_string_equal(ga.g.s, v->s);
		assert_int_equal(ga.g.i_null, v->i_null);
		if (!v->i_null)
			assert_true(ga.g.i == v->i);
		assert_int_equal(ga.g.b_null, v->b == NULL);
		assert_int_equal(ga.g.bn, v->bn);
		if (v->bn)
			assert_memory_equal(ga.g.b, v->b, v->bn);
		free(ga.g.s);
		free(ga.g.b);
	}
	struct get_arg none = {.k = "absent"};
	assert_int_equal(pd_store_read(f->st, job_get_val, &none), PD_OK);
	assert_null(none.g.s);
}

/* --- savepoint isolation -------------------------------------------------------------------- */

struct batch {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool entered, open;
	int n_done;
	int rc[8];
};

struct slot {
	struct batch *b;
	int idx;
	int64_t id, dup; /* dup: a second, conflicting id (0 none) */
	int fail;        /* the job returns this after inserting */
};

static int job_gate(struct pd_tx *tx, void *p)
{
	struct slot *s = p;
	pthread_mutex_lock(&s->b->mu);
	s->b->entered = true;
	pthread_cond_broadcast(&s->b->cv);
	while (!s->b->open)
		pthread_cond_wait(&s->b->cv, &s->b->mu);
	pthread_mutex_unlock(&s->b->mu);
	return PD_OK;
}

static int job_slot(struct pd_tx *tx, void *p)
{
	struct slot *s = p;
	insert_id(tx, s->id);
	if (s->dup)
		insert_id(tx, s->dup);
	return pd_tx_error(tx) ? pd_tx_error(tx) : s->fail;
}

static void slot_done(void *p, int rc)
{
	struct slot *s = p;
	pthread_mutex_lock(&s->b->mu);
	s->b->rc[s->idx] = rc;
	s->b->n_done++;
	pthread_cond_broadcast(&s->b->cv);
	pthread_mutex_unlock(&s->b->mu);
}

/* Holds the writer in a gate job while the slots queue, so they commit in one batch; returns
 * the number of commits the whole took (2 when the slots shared one batch). */
static uint64_t run_gated(struct pd_store *st, struct slot *slots, int n)
{
	struct batch b = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};
	struct slot gate = {.b = &b, .idx = 7};
	struct pd_store_stats s0, s1;
	pd_store_stats(st, &s0);
	assert_int_equal(pd_store_write_async(st, job_gate, &gate, slot_done), PD_OK);
	pthread_mutex_lock(&b.mu);
	while (!b.entered)
		pthread_cond_wait(&b.cv, &b.mu);
	pthread_mutex_unlock(&b.mu);
	for (int i = 0; i < n; i++) {
		slots[i].b = &b;
		slots[i].idx = i;
		assert_int_equal(pd_store_write_async(st, job_slot, &slots[i], slot_done), PD_OK);
	}
	pthread_mutex_lock(&b.mu);
	b.open = true;
	pthread_cond_broadcast(&b.cv);
	while (b.n_done < n + 1)
		pthread_cond_wait(&b.cv, &b.mu);
	pthread_mutex_unlock(&b.mu);
	for (int i = 0; i < n; i++)
		slots[i].fail = b.rc[i]; /* report each job's result back through its slot */
	pd_store_stats(st, &s1);
	return s1.commits - s0.commits;
}

static void assert_ids(struct pd_store *st, const int64_t *want, int n_want, const int64_t *gone,
                       int n_gone)
{
	struct idset present = {0};
	assert_int_equal(pd_store_read(st, job_load_ids, &present), PD_OK);
	for (int i = 0; i < n_want; i++)
		assert_true(idset_has(&present, want[i]));
	for (int i = 0; i < n_gone; i++)
		assert_false(idset_has(&present, gone[i]));
	free(present.v);
}

static void test_conflict_in_batch(void **state)
{
	struct fix *f = *state;
	assert_int_equal(pd_store_write(f->st, job_insert, ID_ARG(100)), PD_OK);
	assert_int_equal(pd_store_write(f->st, job_insert, ID_ARG(100)), PD_ERR_CONFLICT);
	struct slot s[3] = {{.id = 1}, {.id = 2, .dup = 100}, {.id = 3}};
	assert_int_equal(run_gated(f->st, s, 3), 2);
	assert_int_equal(s[0].fail, PD_OK);
	assert_int_equal(s[1].fail, PD_ERR_CONFLICT);
	assert_int_equal(s[2].fail, PD_OK);
	assert_ids(f->st, (int64_t[]){1, 3, 100}, 3, (int64_t[]){2}, 1);
}

static void test_error_in_batch(void **state)
{
	struct fix *f = *state;
	struct slot s[3] = {{.id = 11}, {.id = 12, .dup = 13, .fail = PD_ERR_FORBIDDEN}, {.id = 14}};
	assert_int_equal(run_gated(f->st, s, 3), 2);
	assert_int_equal(s[0].fail, PD_OK);
	assert_int_equal(s[1].fail, PD_ERR_FORBIDDEN);
	assert_int_equal(s[2].fail, PD_OK);
	assert_ids(f->st, (int64_t[]){11, 14}, 2, (int64_t[]){12, 13}, 2);
}

/* --- group commit --------------------------------------------------------------------------- */

struct wthread {
	struct pd_store *st;
	int t, failures, first_err;
};

static void *write_thread(void *p)
{
	struct wthread *w = p;
	for (int i = 0; i < N_WRITES; i++) {
		int rc = pd_store_write(w->st, job_insert, ID_ARG((int64_t)(w->t + 1) * 100000 + i));
		if (rc && !w->failures++)
			w->first_err = rc;
	}
	return NULL;
}

/* PostgreSQL's count of WAL fsyncs, once the backends' statistics have settled. */
static int64_t pg_wal_syncs(struct pd_store *st)
{
	int64_t prev = -1, v = -1;
	for (int i = 0; i < 40; i++) {
		v = read_int(st, &SQL_WAL_SYNC);
		if (i >= 4 && v == prev)
			break;
		prev = v;
		sleep_ms(300);
	}
	return v;
}

static void test_group_commit(void **state)
{
	struct fix *f = *state;
	const int writes = N_THREADS * N_WRITES;
	int64_t wal0 = 0;
	if (cfg.pg) {
		assert_true(read_int(f->st, &SQL_FSYNC) == 1); /* fsync=off would make this moot */
		wal0 = pg_wal_syncs(f->st);
	}
	struct pd_store_stats s0, s1;
	pd_store_stats(f->st, &s0);
	pthread_t th[N_THREADS];
	struct wthread w[N_THREADS];
	for (int t = 0; t < N_THREADS; t++) {
		w[t] = (struct wthread){.st = f->st, .t = t};
		assert_int_equal(pthread_create(&th[t], NULL, write_thread, &w[t]), 0);
	}
	for (int t = 0; t < N_THREADS; t++)
		pthread_join(th[t], NULL);
	pd_store_stats(f->st, &s1);
	for (int t = 0; t < N_THREADS; t++) {
		if (w[t].failures)
			print_error("thread %d: %d failures, first %s\n", t, w[t].failures,
			            pd_strerror(w[t].first_err));
		assert_int_equal(w[t].failures, 0);
	}
	uint64_t jobs = s1.jobs - s0.jobs, commits = s1.commits - s0.commits;
	uint64_t syncs = s1.syncs - s0.syncs;
	struct idset acked = {0};
	for (int t = 0; t < N_THREADS; t++)
		for (int i = 0; i < N_WRITES; i++)
			idset_add(&acked, (int64_t)(t + 1) * 100000 + i);
	size_t n_present = 0;
	assert_int_equal(count_missing(f->st, &acked, &n_present), 0);
	free(acked.v);
	assert_int_equal(n_present, writes);
	assert_int_equal(jobs, writes);
	assert_true(commits < (uint64_t)writes);
	if (cfg.pg) {
		pd_store_close(f->st); /* its backends flush their WAL statistics on exit */
		f->st = NULL;
		assert_int_equal(open_store(f->url, &f->st), PD_OK);
		syncs = (uint64_t)(pg_wal_syncs(f->st) - wal0);
	}
	print_message("group-commit %s: writes=%d jobs=%llu commits=%llu syncs=%llu\n",
	              cfg.pg ? "postgres" : "sqlite", writes, (unsigned long long)jobs,
	              (unsigned long long)commits, (unsigned long long)syncs);
	assert_true(syncs > 0);
	assert_true(syncs < (uint64_t)writes);
}

/* --- acknowledgement after sync ------------------------------------------------------------- */

struct ack {
	struct pd_store *st;
	struct batch *b;
	int64_t id;
	uint64_t before, seen;
	int rc;
};

struct ack_thread {
	struct ack *acks;
	int n;
};

static int job_ack(struct pd_tx *tx, void *p)
{
	return insert_id(tx, ((struct ack *)p)->id);
}

static void ack_done(void *p, int rc)
{
	struct ack *a = p;
	struct pd_store_stats s;
	pd_store_stats(a->st, &s);
	a->seen = s.syncs;
	a->rc = rc;
	pthread_mutex_lock(&a->b->mu);
	a->b->n_done++;
	pthread_cond_broadcast(&a->b->cv);
	pthread_mutex_unlock(&a->b->mu);
}

static void *ack_thread(void *p)
{
	struct ack_thread *at = p;
	for (int i = 0; i < at->n; i++) {
		struct ack *a = &at->acks[i];
		struct pd_store_stats s;
		pd_store_stats(a->st, &s);
		a->before = s.syncs;
		a->rc = pd_store_write_async(a->st, job_ack, a, ack_done);
		if (a->rc)
			ack_done(a, a->rc);
	}
	return NULL;
}

static void test_ack_after_sync(void **state)
{
	struct fix *f = *state;
	if (cfg.pg)
		skip(); /* syncs are counted by SQLite's VFS; PostgreSQL is covered by kill -9 */
	enum { N_ACK_THREADS = 4, N = N_ACK_THREADS * N_WRITES };
	struct batch b = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};
	struct ack *acks = calloc(N, sizeof *acks);
	assert_non_null(acks);
	for (int i = 0; i < N; i++)
		acks[i] = (struct ack){.st = f->st, .b = &b, .id = 500000 + i};
	pthread_t th[N_ACK_THREADS];
	struct ack_thread at[N_ACK_THREADS];
	for (int t = 0; t < N_ACK_THREADS; t++) {
		at[t] = (struct ack_thread){.acks = acks + t * N_WRITES, .n = N_WRITES};
		assert_int_equal(pthread_create(&th[t], NULL, ack_thread, &at[t]), 0);
	}
	for (int t = 0; t < N_ACK_THREADS; t++)
		pthread_join(th[t], NULL);
	pthread_mutex_lock(&b.mu);
	while (b.n_done < N)
		pthread_cond_wait(&b.cv, &b.mu);
	pthread_mutex_unlock(&b.mu);
	int bad = 0;
	for (int i = 0; i < N; i++)
		if (acks[i].rc != PD_OK || acks[i].seen <= acks[i].before)
			bad++;
	free(acks);
	assert_int_equal(bad, 0);
}

/* --- kill -9 -------------------------------------------------------------------------------- */

static _Atomic int64_t kill_next = 1;
static int kill_fd = -1;

static void kill_done(void *arg, int rc)
{
	int64_t id = (int64_t)(intptr_t)arg;
	if (rc == PD_OK && write(kill_fd, &id, sizeof id) != sizeof id)
		_exit(5); /* 8 bytes into a pipe are written whole */
}

static void *kill_writer(void *p)
{
	for (;;) {
		int64_t id = atomic_fetch_add(&kill_next, 1);
		while (pd_store_write_async(p, job_insert, ID_ARG(id), kill_done) != PD_OK)
			sleep_ms(1);
	}
	return NULL;
}

static _Noreturn void kill_child(const char *url, int fd)
{
	kill_fd = fd;
	struct pd_store *st = NULL;
	if (open_store(url, &st))
		_exit(3);
	pthread_t th[4];
	for (int t = 0; t < 4; t++)
		if (pthread_create(&th[t], NULL, kill_writer, st))
			_exit(4);
	for (;;)
		pause();
}

/* Adds the whole ids in buf[0..*have) to acked; keeps a partial one for the next read. */
static void take_ids(unsigned char *buf, size_t *have, struct idset *acked)
{
	size_t whole = *have / sizeof(int64_t) * sizeof(int64_t);
	for (size_t off = 0; off < whole; off += sizeof(int64_t)) {
		int64_t id;
		memcpy(&id, buf + off, sizeof id);
		idset_add(acked, id);
	}
	memmove(buf, buf + whole, *have - whole);
	*have -= whole;
}

static void test_kill9_keeps_acknowledged(void **state)
{
	struct fix *f = *state;
	pd_store_close(f->st); /* no connection crosses the fork */
	f->st = NULL;
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		kill_child(f->url, fds[1]);
	}
	close(fds[1]);
	struct idset acked = {0};
	unsigned char buf[4096 + 8];
	size_t have = 0;
	int64_t t0 = pd_clock_mono_ms(), first = 0;
	for (;;) {
		int64_t now = pd_clock_mono_ms();
		if ((first && now - first >= 1000) || (!first && now - t0 > 15000))
			break;
		struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		ssize_t n = read(fds[0], buf + have, 4096);
		if (n <= 0)
			break; /* the child died on its own */
		have += (size_t)n;
		take_ids(buf, &have, &acked);
		if (!first && acked.n)
			first = pd_clock_mono_ms();
	}
	kill(pid, SIGKILL);
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	ssize_t n;
	while ((n = read(fds[0], buf + have, 4096)) > 0) { /* acks written before the kill */
		have += (size_t)n;
		take_ids(buf, &have, &acked);
	}
	close(fds[0]);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	assert_true(acked.n > 0);
	assert_int_equal(open_store(f->url, &f->st), PD_OK);
	qsort(acked.v, acked.n, sizeof *acked.v, cmp_i64);
	size_t n_present = 0, missing = count_missing(f->st, &acked, &n_present);
	print_message("kill-9 %s: acknowledged=%zu present=%zu missing=%zu\n",
	              cfg.pg ? "postgres" : "sqlite", acked.n, n_present, missing);
	free(acked.v);
	assert_int_equal(missing, 0);
}

/* --- backup under write load ---------------------------------------------------------------- */

struct bk_shared {
	struct pd_store *st;
	pthread_mutex_t mu;
	struct idset acked;
	atomic_bool stop;
	_Atomic int failures;
};

struct bk_thread {
	struct bk_shared *sh;
	int t;
};

static void *bk_writer(void *p)
{
	struct bk_thread *bt = p;
	for (int64_t i = 0; !atomic_load(&bt->sh->stop); i++) {
		int64_t id = (int64_t)(bt->t + 1) * 1000000 + i;
		if (pd_store_write(bt->sh->st, job_insert, ID_ARG(id))) {
			atomic_fetch_add(&bt->sh->failures, 1);
			continue;
		}
		pthread_mutex_lock(&bt->sh->mu);
		idset_add(&bt->sh->acked, id);
		pthread_mutex_unlock(&bt->sh->mu);
	}
	return NULL;
}

static const char *sqlite_text(sqlite3 *db, const char *sql, char *out, size_t n)
{
	sqlite3_stmt *stmt = NULL;
	out[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) == SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return out;
}

static void test_backup_under_load(void **state)
{
	struct fix *f = *state;
	if (cfg.pg)
		skip(); /* PostgreSQL is backed up with pg_dump */
	struct bk_shared sh = {.st = f->st, .mu = PTHREAD_MUTEX_INITIALIZER};
	pthread_t th[4];
	struct bk_thread bt[4];
	for (int t = 0; t < 4; t++) {
		bt[t] = (struct bk_thread){.sh = &sh, .t = t};
		assert_int_equal(pthread_create(&th[t], NULL, bk_writer, &bt[t]), 0);
	}
	for (int i = 0; i < 1000; i++) {
		pthread_mutex_lock(&sh.mu);
		size_t n = sh.acked.n;
		pthread_mutex_unlock(&sh.mu);
		if (n >= 200)
			break;
		sleep_ms(10);
	}
	struct idset before = {0};
	pthread_mutex_lock(&sh.mu);
	for (size_t i = 0; i < sh.acked.n; i++)
		idset_add(&before, sh.acked.v[i]);
	pthread_mutex_unlock(&sh.mu);
	char path[PATH_MAX], err[256] = "";
	snprintf(path, sizeof path, "%s/backup-%02d.sqlite", cfg.dir, ++cfg.n_dbs);
	int rc = pd_store_backup(f->st, path, err, sizeof err);
	sleep_ms(50);
	atomic_store(&sh.stop, true);
	for (int t = 0; t < 4; t++)
		pthread_join(th[t], NULL);
	if (rc)
		print_error("backup: %s\n", err);
	assert_int_equal(rc, PD_OK);
	assert_int_equal(atomic_load(&sh.failures), 0);
	assert_true(before.n > 0);

	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	char text[256];
	assert_string_equal(sqlite_text(db, "PRAGMA integrity_check", text, sizeof text), "ok");
	assert_string_equal(sqlite_text(db, "PRAGMA journal_mode", text, sizeof text), "delete");
	struct idset in_backup = {0};
	sqlite3_stmt *stmt = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT id FROM t_conf ORDER BY id", -1, &stmt, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		idset_add(&in_backup, sqlite3_column_int64(stmt, 0));
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	size_t missing = 0, phantom = 0;
	for (size_t i = 0; i < before.n; i++)
		if (!idset_has(&in_backup, before.v[i]))
			missing++;
	qsort(sh.acked.v, sh.acked.n, sizeof *sh.acked.v, cmp_i64);
	for (size_t i = 0; i < in_backup.n; i++) /* and nothing that was never written */
		if (!idset_has(&sh.acked, in_backup.v[i]))
			phantom++;
	print_message("backup: acknowledged-before=%zu in-backup=%zu acknowledged-total=%zu\n",
	              before.n, in_backup.n, sh.acked.n);
	free(before.v);
	free(in_backup.v);
	free(sh.acked.v);
	assert_int_equal(missing, 0);
	assert_int_equal(phantom, 0);
}

/* --- readers -------------------------------------------------------------------------------- */

static int job_insert_100(struct pd_tx *tx, void *unused)
{
	for (int64_t id = 1; id <= 100; id++)
		insert_id(tx, id);
	return pd_tx_error(tx);
}

struct rthread {
	struct pd_store *st;
	int t, bad;
};

static int job_check(struct pd_tx *tx, void *p)
{
	struct rthread *r = p;
	struct pd_q *q = pd_q_open(tx, &SQL_SUM);
	if (pd_q_step(q) != 1 || pd_q_col_int(q, 0) != 100 || pd_q_col_int(q, 1) != 5050)
		r->bad++;
	pd_q_close(q);
	q = pd_q_open(tx, &SQL_BODY);
	pd_q_int(q, 1, r->t % 100 + 1);
	const char *body = pd_q_step(q) == 1 ? pd_q_col_text(q, 0) : NULL;
	if (!body || strcmp(body, "baris") != 0)
		r->bad++;
	pd_q_close(q);
	return pd_tx_error(tx);
}

static void *read_thread(void *p)
{
	struct rthread *r = p;
	for (int i = 0; i < 100; i++)
		if (pd_store_read(r->st, job_check, r))
			r->bad++;
	return NULL;
}

static void test_parallel_readers(void **state)
{
	struct fix *f = *state;
	assert_int_equal(pd_store_write(f->st, job_insert_100, NULL), PD_OK);
	pthread_t th[N_THREADS];
	struct rthread r[N_THREADS];
	for (int t = 0; t < N_THREADS; t++) {
		r[t] = (struct rthread){.st = f->st, .t = t};
		assert_int_equal(pthread_create(&th[t], NULL, read_thread, &r[t]), 0);
	}
	int bad = 0;
	for (int t = 0; t < N_THREADS; t++) {
		pthread_join(th[t], NULL);
		bad += r[t].bad;
	}
	assert_int_equal(bad, 0);
}

/* --- PostgreSQL reconnect ------------------------------------------------------------------- */

struct pid_arg {
	const struct pd_sql *sql;
	int64_t pid, v;
	char text[32]; /* the value as text, for SQL_SETTINGS */
};

static int job_pid(struct pd_tx *tx, void *p)
{
	struct pid_arg *pa = p;
	struct pd_q *q = pd_q_open(tx, pa->sql);
	if (pa->pid)
		pd_q_int(q, 1, pa->pid);
	if (pd_q_step(q) == 1) {
		if (pa->sql == &SQL_SETTINGS)
			snprintf(pa->text, sizeof pa->text, "%s", pd_q_col_text(q, 0));
		else
			pa->v = pd_q_col_int(q, 0);
	}
	pd_q_close(q);
	return pd_tx_error(tx);
}

/* Ends backend pid from the other side and waits until it is gone. */
static void terminate(struct pd_store *st, int64_t pid, bool via_writer)
{
	struct pid_arg kill_arg = {.sql = &SQL_KILL, .pid = pid};
	int (*run)(struct pd_store *, pd_tx_fn, void *) = via_writer ? pd_store_write : pd_store_read;
	assert_int_equal(run(st, job_pid, &kill_arg), PD_OK);
	assert_int_equal(kill_arg.v, 1);
	for (int i = 0; i < 100; i++) {
		struct pid_arg alive = {.sql = &SQL_ALIVE, .pid = pid};
		assert_int_equal(run(st, job_pid, &alive), PD_OK);
		if (alive.v == 0)
			return;
		sleep_ms(50);
	}
	fail_msg("backend %lld did not exit", (long long)pid);
}

static void test_pg_reconnect(void **state)
{
	struct fix *f = *state;
	if (!cfg.pg)
		skip();
	/* The writer commits durably whatever the server's default (the script runs PostgreSQL
	 * with synchronous_commit=off); both sessions have a statement timeout. */
	struct pid_arg ws = {.sql = &SQL_SETTINGS}, rs = {.sql = &SQL_SETTINGS};
	assert_int_equal(pd_store_write(f->st, job_pid, &ws), PD_OK);
	assert_string_equal(ws.text, "on 1min");
	assert_int_equal(pd_store_read(f->st, job_pid, &rs), PD_OK);
	assert_string_equal(rs.text + strcspn(rs.text, " "), " 30s");

	struct pid_arg r1 = {.sql = &SQL_PID}, r2 = {.sql = &SQL_PID};
	assert_int_equal(pd_store_read(f->st, job_pid, &r1), PD_OK);
	terminate(f->st, r1.v, true);
	assert_int_equal(pd_store_read(f->st, job_pid, &r2), PD_OK); /* re-prepared, new session */
	assert_true(r2.v > 0 && r2.v != r1.v);

	struct pid_arg w1 = {.sql = &SQL_PID}, w2 = {.sql = &SQL_PID}, wt = {.sql = &SQL_SETTINGS};
	assert_int_equal(pd_store_write(f->st, job_pid, &w1), PD_OK);
	terminate(f->st, w1.v, false);
	assert_int_equal(pd_store_write(f->st, job_pid, &w2), PD_OK);
	assert_true(w2.v > 0 && w2.v != w1.v);
	assert_int_equal(pd_store_write(f->st, job_pid, &wt), PD_OK);
	assert_string_equal(wt.text, "on 1min"); /* the session settings came back */
	assert_int_equal(pd_store_write(f->st, job_insert, ID_ARG(7)), PD_OK);
	assert_ids(f->st, (int64_t[]){7}, 1, NULL, 0);
}

/* --- main ----------------------------------------------------------------------------------- */

static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	char path[PATH_MAX + 256];
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

/* SQLite: a fresh directory for this run, inside PATH's directory when PD_TEST_DB names one. */
static int sqlite_config(const char *db)
{
	char parent[PATH_MAX - 128] = "";
	const char *tmp = getenv("TMPDIR");
	snprintf(parent, sizeof parent, "%s", tmp && *tmp ? tmp : "/tmp");
	snprintf(cfg.stem, sizeof cfg.stem, "db.sqlite");
	if (db) {
		const char *path = db + strlen("sqlite:");
		const char *slash = strrchr(path, '/');
		if (slash && slash[1])
			snprintf(cfg.stem, sizeof cfg.stem, "%s", slash + 1);
		if (slash && slash > path)
			snprintf(parent, sizeof parent, "%.*s", (int)(slash - path), path);
		else if (!slash)
			snprintf(parent, sizeof parent, ".");
		if (mkdir(parent, 0700) && errno != EEXIST)
			return -1;
	}
	snprintf(cfg.dir, sizeof cfg.dir, "%s/pd-store-XXXXXX", parent);
	return mkdtemp(cfg.dir) ? 0 : -1;
}

int main(void)
{
	pd_log_set_level(PD_LOG_WARN);
	const char *db = getenv("PD_TEST_DB");
	if (db && *db && !pd_str_starts(db, "sqlite:")) {
		cfg.pg = true;
		cfg.pg_url = db;
	} else if (sqlite_config(db && *db ? db : NULL)) {
		fprintf(stderr, "cannot make a temporary directory for SQLite: %s\n", strerror(errno));
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrate_empty, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_check_schema_initialises_empty, setup_empty,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_schema_ahead_refused, setup_migrated, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip, setup_migrated, teardown),
		cmocka_unit_test_setup_teardown(test_conflict_in_batch, setup_migrated, teardown),
		cmocka_unit_test_setup_teardown(test_error_in_batch, setup_migrated, teardown),
		cmocka_unit_test_setup_teardown(test_group_commit, setup_migrated, teardown),
		cmocka_unit_test_setup_teardown(test_ack_after_sync, setup_migrated, teardown),
		cmocka_unit_test_setup_teardown(test_kill9_keeps_acknowledged, setup_migrated, teardown),
		cmocka_unit_test_setup_teardown(test_backup_under_load, setup_migrated, teardown),
		cmocka_unit_test_setup_teardown(test_parallel_readers, setup_migrated, teardown),
		cmocka_unit_test_setup_teardown(test_pg_reconnect, setup_migrated, teardown),
	};
	int failed = cmocka_run_group_tests_name(cfg.pg ? "store-postgres" : "store-sqlite", tests,
	                                         NULL, NULL);
	if (!cfg.pg && !getenv("PD_TEST_KEEP"))
		remove_dir(cfg.dir);
	return failed ? 1 : 0;
}
