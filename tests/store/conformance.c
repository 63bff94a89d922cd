/* Storage conformance suite: the same cases against SQLite and PostgreSQL, the backend chosen by
 * PD_TEST_DB ("sqlite:PATH" or "postgres://…"; unset: SQLite in a temporary directory). */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
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

#define DDL(blob)                                                                            \
	"CREATE TABLE t_conf (id BIGINT PRIMARY KEY, thread BIGINT NOT NULL, body TEXT NOT NULL);" \
	"CREATE TABLE t_vals (k TEXT PRIMARY KEY, s TEXT, i BIGINT, b " blob ");"

static const struct pd_sql SQL_INS = {
	"t_ins", "INSERT INTO t_conf (id, thread, body) VALUES ($1, $2, $3)", NULL};
static const struct pd_sql SQL_HAS = {"t_has", "SELECT COUNT(*) FROM t_conf WHERE id = $1", NULL};
static const struct pd_sql SQL_COUNT = {"t_count", "SELECT COUNT(*) FROM t_conf", NULL};
static const struct pd_sql SQL_AHEAD = {
	"t_ahead", "INSERT INTO pd_schema (version, applied_ms) VALUES ($1, 0)", NULL};
static const struct pd_sql SQL_VAL_INS = {
	"t_val_ins", "INSERT INTO t_vals (k, s, i, b) VALUES ($1, $2, $3, $4)", NULL};
static const struct pd_sql SQL_VAL_GET = {"t_get", "SELECT s, i, b FROM t_vals WHERE k = $1", NULL};
/* PostgreSQL only (the SQLite text is never run). */
#define PG_ONLY(name, sql) {name, "SELECT 0", sql}
static const struct pd_sql SQL_WAL_SYNC = PG_ONLY("t_wal", "SELECT wal_sync FROM pg_stat_wal");
static const struct pd_sql SQL_FSYNC = PG_ONLY("t_fsync", "SELECT current_setting('fsync') = 'on'");
static const struct pd_sql SQL_PID = PG_ONLY("t_pid", "SELECT pg_backend_pid()");
static const struct pd_sql SQL_KILL = PG_ONLY("t_kill", "SELECT pg_terminate_backend($1::int)");
static const struct pd_sql SQL_ALIVE =
	PG_ONLY("t_alive", "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = $1::int");
static const struct pd_sql SQL_SETTINGS = /* 1000 × synchronous_commit + timeout in s */
	PG_ONLY("t_settings", "SELECT (current_setting('synchronous_commit') = 'on')::int * 1000 + "
	                      "EXTRACT(EPOCH FROM current_setting('statement_timeout')::interval)::int");

/* --- helpers -------------------------------------------------------------------------------- */

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

/* One integer from a query with at most one integer parameter. */
struct qarg {
	const struct pd_sql *sql;
	int64_t param, v;
};

static int job_query(struct pd_tx *tx, void *p)
{
	struct qarg *qa = p;
	struct pd_q *q = pd_q_open(tx, qa->sql);
	if (qa->param)
		pd_q_int(q, 1, qa->param);
	if (pd_q_step(q) == 1)
		qa->v = pd_q_col_int(q, 0);
	pd_q_close(q);
	return pd_tx_error(tx);
}

/* Runs job_query on the writer or on this thread's reader; asserts that it succeeded. */
static int64_t query(struct pd_store *st, bool writer, const struct pd_sql *sql, int64_t param)
{
	struct qarg qa = {.sql = sql, .param = param, .v = -1};
	assert_int_equal((writer ? pd_store_write : pd_store_read)(st, job_query, &qa), PD_OK);
	return qa.v;
}

/* A growable list of ids; from and missing serve job_missing. */
struct idset {
	int64_t *v;
	size_t n, cap, from, missing;
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

/* Counts the ids of s the table lacks, 1000 per transaction: pd_q_open rescans earlier opens. */
static int job_missing(struct pd_tx *tx, void *p)
{
	struct idset *s = p;
	s->missing = 0; /* the job may run again */
	for (size_t i = s->from; i < s->n && i < s->from + 1000 && !pd_tx_error(tx); i++) {
		struct pd_q *q = pd_q_open(tx, &SQL_HAS);
		pd_q_int(q, 1, s->v[i]);
		s->missing += pd_q_step(q) != 1 || pd_q_col_int(q, 0) != 1;
		pd_q_close(q);
	}
	return pd_tx_error(tx);
}

static size_t count_missing(struct pd_store *st, struct idset *s)
{
	size_t missing = 0;
	for (s->from = 0; s->from < s->n; s->from += 1000) {
		assert_int_equal(pd_store_read(st, job_missing, s), PD_OK);
		missing += s->missing;
	}
	return missing;
}

/* Counts completions signalled from other threads (the writer's done callbacks). */
struct counter {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int n;
	bool flag;
};
#define COUNTER_INIT {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, false}

static void counter_bump(struct counter *c, bool flag)
{
	pthread_mutex_lock(&c->mu);
	c->n++;
	c->flag |= flag;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

static void counter_wait(struct counter *c, int n)
{
	pthread_mutex_lock(&c->mu);
	while (c->n < n)
		pthread_cond_wait(&c->cv, &c->mu);
	pthread_mutex_unlock(&c->mu);
}

/* Runs fn on n threads, args[i] for thread i (each `size` bytes), and joins them. */
static void run_threads(int n, void *(*fn)(void *), void *args, size_t size)
{
	pthread_t th[N_THREADS];
	for (int t = 0; t < n; t++)
		assert_int_equal(pthread_create(&th[t], NULL, fn, (char *)args + (size_t)t * size), 0);
	for (int t = 0; t < n; t++)
		pthread_join(th[t], NULL);
}

/* Four threads queue inserts of ids 1, 2, … as fast as they can until stop; done(id, rc). */
struct load {
	struct pd_store *st;
	void (*done)(void *id, int rc);
	_Atomic int64_t next;
	atomic_bool stop;
	pthread_t th[4];
};

static void *load_thread(void *p)
{
	struct load *l = p;
	while (!atomic_load(&l->stop)) {
		int64_t id = atomic_fetch_add(&l->next, 1) + 1;
		while (pd_store_write_async(l->st, job_insert, ID_ARG(id), l->done) != PD_OK)
			usleep(1000);
	}
	return NULL;
}

static int load_start(struct load *l)
{
	for (int t = 0; t < 4; t++)
		if (pthread_create(&l->th[t], NULL, load_thread, l))
			return -1;
	return 0;
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
	if (pd_store_migrate(f->st, err, sizeof err))
		fail_msg("migrate: %s", err);
	assert_int_equal(pd_store_write(f->st, job_raw, (void *)(cfg.pg ? DDL("BYTEA") : DDL("BLOB"))),
	                 PD_OK);
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;
	pd_store_close(f->st);
	free(f);
	return 0;
}

/* --- schema --------------------------------------------------------------------------------- */

static void test_migrate_then_refuse_ahead(void **state)
{
	struct fix *f = *state;
	char err[256] = "", num[32];
	bool empty = false;
	int version = -1, target = pd_store_schema_target(f->st);
	assert_true(target >= 1);
	assert_int_equal(pd_store_is_empty(f->st, &empty), PD_OK);
	assert_true(empty);
	assert_int_equal(pd_store_schema_version(f->st, &version), PD_OK);
	assert_int_equal(version, 0);
	assert_int_equal(pd_store_migrate(f->st, err, sizeof err), PD_OK);
	assert_int_equal(pd_store_schema_version(f->st, &version), PD_OK);
	assert_int_equal(version, target);
	assert_int_equal(pd_store_is_empty(f->st, &empty), PD_OK);
	assert_false(empty);
	assert_int_equal(pd_store_check_schema(f->st, err, sizeof err), PD_OK);
	assert_int_equal(pd_store_migrate(f->st, err, sizeof err), PD_OK); /* nothing to do */

	/* A database ahead of the program is refused, naming the problem. */
	snprintf(num, sizeof num, "version %d", target + 1);
	query(f->st, true, &SQL_AHEAD, target + 1);
	assert_int_equal(pd_store_schema_version(f->st, &version), PD_OK);
	assert_int_equal(version, target + 1);
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

struct check {
	const struct val *vals;
	struct pd_store *st;
	int bad;
};

/* Reads every row back and counts those that differ, naming them. */
static int job_check_vals(struct pd_tx *tx, void *p)
{
	struct check *ck = p;
	ck->bad = 0;
	for (const struct val *v = ck->vals; v->k; v++) {
		struct pd_q *q = pd_q_open(tx, &SQL_VAL_GET);
		pd_q_text(q, 1, v->k);
		bool ok = pd_q_step(q) == 1;
		size_t bn = 0;
		const char *s = ok ? pd_q_col_text(q, 0) : NULL;
		const void *b = ok ? pd_q_col_blob(q, 2, &bn) : NULL;
		ok = ok && pd_q_isnull(q, 0) == !v->s && (!v->s || (s && strcmp(s, v->s) == 0)) &&
		     pd_q_isnull(q, 1) == v->i_null && pd_q_col_int(q, 1) == v->i &&
		     pd_q_isnull(q, 2) == !v->b && bn == v->bn && (!bn || memcmp(b, v->b, bn) == 0);
		if (!ok)
			print_error("row %s did not come back as written\n", v->k);
		ck->bad += !ok;
		pd_q_close(q);
	}
	return pd_tx_error(tx);
}

static void *check_thread(void *p)
{
	struct check *ck = p;
	int bad = 0;
	for (int i = 0; i < 50; i++)
		bad += pd_store_read(ck->st, job_check_vals, ck) != PD_OK || ck->bad;
	ck->bad = bad;
	return NULL;
}

static void test_round_trip_on_many_readers(void **state)
{
	struct fix *f = *state;
	static unsigned char all_bytes[256], zeros[3], big[70000];
	static char long_text[12000];
	for (size_t i = 0; i < sizeof all_bytes; i++)
		all_bytes[i] = (unsigned char)i;
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (unsigned char)(i * 7919 >> 3);
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
	struct check check = {.vals = vals, .bad = -1};
	assert_int_equal(pd_store_write(f->st, job_check_vals, &check), PD_OK); /* the writer's */
	assert_int_equal(check.bad, 0);
	struct check per_thread[N_THREADS]; /* and readers on many threads at once */
	for (int t = 0; t < N_THREADS; t++)
		per_thread[t] = (struct check){.vals = vals, .st = f->st};
	run_threads(N_THREADS, check_thread, per_thread, sizeof per_thread[0]);
	for (int t = 0; t < N_THREADS; t++)
		assert_int_equal(per_thread[t].bad, 0);
}

/* --- write jobs: savepoint isolation, group commit, acknowledgement ------------------------- */

/* A write job: inserts id (and dup), returns rc; done stores its result and the sync count. */
struct rec {
	struct pd_store *st;
	struct counter *c;
	int64_t id, dup;
	int rc;
	uint64_t before, seen;
};

static uint64_t syncs_now(struct pd_store *st)
{
	struct pd_store_stats s;
	pd_store_stats(st, &s);
	return s.syncs;
}

static int job_rec(struct pd_tx *tx, void *p)
{
	struct rec *r = p;
	insert_id(tx, r->id);
	if (r->dup)
		insert_id(tx, r->dup);
	return pd_tx_error(tx) ? pd_tx_error(tx) : r->rc;
}

static void rec_done(void *p, int rc)
{
	struct rec *r = p;
	r->seen = syncs_now(r->st);
	r->rc = rc;
	counter_bump(r->c, false);
}

/* Holds the writer until the counter's flag is raised. */
static int job_gate(struct pd_tx *tx, void *p)
{
	struct counter *c = ((struct rec *)p)->c;
	pthread_mutex_lock(&c->mu);
	if (!c->flag) { /* not again when the batch is retried */
		c->n++;
		pthread_cond_broadcast(&c->cv);
	}
	while (!c->flag)
		pthread_cond_wait(&c->cv, &c->mu);
	pthread_mutex_unlock(&c->mu);
	return PD_OK;
}

static void test_savepoint_isolation(void **state)
{
	struct fix *f = *state;
	assert_int_equal(pd_store_write(f->st, job_insert, ID_ARG(100)), PD_OK);
	assert_int_equal(pd_store_write(f->st, job_insert, ID_ARG(100)), PD_ERR_CONFLICT);
	struct counter c = COUNTER_INIT;
#define REC(i, d, r) {.st = f->st, .c = &c, .id = (i), .dup = (d), .rc = (r)}
	struct rec gate = REC(0, 0, PD_OK), r[] = {
		REC(1, 0, PD_OK), REC(2, 100, PD_OK), /* a unique violation on its second insert */
		REC(3, 0, PD_OK), REC(4, 5, PD_ERR_FORBIDDEN), /* inserts two rows, then refuses */
		REC(6, 0, PD_OK)};
	const int n = sizeof r / sizeof r[0];
	struct pd_store_stats s0, s1;
	pd_store_stats(f->st, &s0);
	/* The gate holds the writer while the jobs queue, so that they commit in one batch. */
	assert_int_equal(pd_store_write_async(f->st, job_gate, &gate, rec_done), PD_OK);
	counter_wait(&c, 1);
	for (int i = 0; i < n; i++)
		assert_int_equal(pd_store_write_async(f->st, job_rec, &r[i], rec_done), PD_OK);
	counter_bump(&c, true);
	counter_wait(&c, n + 3);
	pd_store_stats(f->st, &s1);
	assert_int_equal(s1.commits - s0.commits, 2); /* the gate's batch, then all the others */
	int want_rc[] = {PD_OK, PD_ERR_CONFLICT, PD_OK, PD_ERR_FORBIDDEN, PD_OK};
	for (int i = 0; i < n; i++)
		assert_int_equal(r[i].rc, want_rc[i]);
	for (int64_t id = 1; id <= 6; id++) /* 2, 4 and 5 were rolled back with their jobs */
		assert_int_equal(query(f->st, false, &SQL_HAS, id), id == 1 || id == 3 || id == 6);
	assert_int_equal(query(f->st, false, &SQL_HAS, 100), 1);
}

/* One thread's N_WRITES jobs: on even threads pd_store_write, on odd ones write_async. */
static void *write_thread(void *p)
{
	struct rec *recs = p;
	bool async = recs[0].id / 100000 % 2;
	for (int i = 0; i < N_WRITES; i++) {
		struct rec *r = &recs[i];
		r->before = syncs_now(r->st);
		if (!async)
			rec_done(r, pd_store_write(r->st, job_rec, r));
		else if (pd_store_write_async(r->st, job_rec, r, rec_done))
			rec_done(r, PD_ERR_UNAVAILABLE);
	}
	return NULL;
}

/* PostgreSQL's count of WAL fsyncs, once the backends' statistics have settled. */
static int64_t pg_wal_syncs(struct pd_store *st)
{
	int64_t prev = -1, v = -1;
	for (int i = 0; i < 40 && (i < 4 || v != prev); i++) {
		prev = v;
		usleep(300000);
		v = query(st, false, &SQL_WAL_SYNC, 0);
	}
	return v;
}

static void test_group_commit(void **state)
{
	struct fix *f = *state;
	enum { WRITES = N_THREADS * N_WRITES };
	int64_t wal0 = 0;
	if (cfg.pg) {
		assert_int_equal(query(f->st, false, &SQL_FSYNC, 0), 1); /* else nothing is synced */
		wal0 = pg_wal_syncs(f->st);
	}
	struct counter c = COUNTER_INIT;
	struct rec *recs = calloc(WRITES, sizeof *recs);
	struct idset ids = {0};
	assert_non_null(recs);
	for (int i = 0; i < WRITES; i++) {
		int64_t id = (int64_t)(i / N_WRITES + 1) * 100000 + i % N_WRITES;
		recs[i] = (struct rec){.st = f->st, .c = &c, .id = id};
		idset_add(&ids, id);
	}
	struct pd_store_stats s0, s1;
	pd_store_stats(f->st, &s0);
	run_threads(N_THREADS, write_thread, recs, N_WRITES * sizeof *recs);
	counter_wait(&c, WRITES);
	pd_store_stats(f->st, &s1);
	int failed = 0, early = 0;
	for (int i = 0; i < WRITES; i++) {
		failed += recs[i].rc != PD_OK;
		early += recs[i].seen <= recs[i].before; /* acknowledged with no sync since queued */
	}
	free(recs);
	size_t missing = count_missing(f->st, &ids);
	free(ids.v);
	uint64_t jobs = s1.jobs - s0.jobs, commits = s1.commits - s0.commits;
	uint64_t syncs = s1.syncs - s0.syncs;
	if (cfg.pg) {
		pd_store_close(f->st); /* its backends flush their WAL statistics on exit */
		f->st = NULL;
		assert_int_equal(open_store(f->url, &f->st), PD_OK);
		syncs = (uint64_t)(pg_wal_syncs(f->st) - wal0);
	}
	print_message("group-commit %s: writes=%d jobs=%llu commits=%llu syncs=%llu\n",
	              cfg.pg ? "postgres" : "sqlite", WRITES, (unsigned long long)jobs,
	              (unsigned long long)commits, (unsigned long long)syncs);
	assert_int_equal(failed, 0);
	assert_int_equal(missing, 0);
	assert_int_equal(query(f->st, false, &SQL_COUNT, 0), WRITES);
	assert_int_equal(jobs, WRITES);
	assert_true(commits < WRITES);
	assert_true(syncs > 0);
	assert_true(syncs < WRITES);
	if (!cfg.pg) /* PostgreSQL's fsyncs are not visible per commit; kill -9 covers it */
		assert_int_equal(early, 0);
}

/* --- kill -9 -------------------------------------------------------------------------------- */

static int kill_fd = -1;

static void kill_done(void *id, int rc)
{
	int64_t v = (int64_t)(intptr_t)id;
	if (rc == PD_OK && write(kill_fd, &v, sizeof v) != sizeof v)
		_exit(5); /* 8 bytes into a pipe are written whole */
}

static _Noreturn void kill_child(const char *url, int fd)
{
	static struct load l = {.done = kill_done};
	kill_fd = fd;
	if (open_store(url, &l.st) || load_start(&l))
		_exit(3);
	for (;;)
		pause();
}

/* Reads the ids the pipe holds (written 8 bytes at a time, so read whole); false at its end. */
static bool take_ids(int fd, struct idset *acked)
{
	int64_t id;
	ssize_t n;
	while ((n = read(fd, &id, sizeof id)) == sizeof id)
		idset_add(acked, id);
	return n != 0;
}

static void test_kill9_keeps_acknowledged(void **state)
{
	struct fix *f = *state;
	pd_store_close(f->st); /* no connection crosses the fork */
	f->st = NULL;
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		kill_child(f->url, fds[1]);
	}
	close(fds[1]);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	struct idset acked = {0};
	for (int64_t end = pd_clock_mono_ms() + 1200; pd_clock_mono_ms() < end;) { /* ~1 s of acks */
		struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
		if (poll(&pfd, 1, 100) > 0 && !take_ids(fds[0], &acked))
			break; /* the child died on its own */
	}
	kill(pid, SIGKILL);
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	take_ids(fds[0], &acked); /* acknowledged before the kill: the child is gone, no EAGAIN */
	close(fds[0]);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	assert_true(acked.n > 0);
	assert_int_equal(open_store(f->url, &f->st), PD_OK);
	size_t missing = count_missing(f->st, &acked);
	print_message("kill-9 %s: acknowledged=%zu present=%lld missing=%zu\n",
	              cfg.pg ? "postgres" : "sqlite", acked.n,
	              (long long)query(f->st, false, &SQL_COUNT, 0), missing);
	free(acked.v);
	assert_int_equal(missing, 0);
}

/* --- backup under write load ---------------------------------------------------------------- */

static pthread_mutex_t bk_mu = PTHREAD_MUTEX_INITIALIZER;
static struct idset bk_acked;
static int bk_failures;

static void bk_done(void *id, int rc)
{
	pthread_mutex_lock(&bk_mu);
	if (rc == PD_OK)
		idset_add(&bk_acked, (int64_t)(intptr_t)id);
	else
		bk_failures++;
	pthread_mutex_unlock(&bk_mu);
}

/* The first column of sql's first row as text ("" when none), with an optional ?1. */
static const char *sqlite_text(sqlite3 *db, const char *sql, int64_t param, char *out)
{
	sqlite3_stmt *stmt = NULL;
	out[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) == SQLITE_OK &&
	    (!param || sqlite3_bind_int64(stmt, 1, param) == SQLITE_OK) &&
	    sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
		snprintf(out, 64, "%s", (const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return out;
}

static void test_backup_under_load(void **state)
{
	struct fix *f = *state;
	if (cfg.pg)
		skip(); /* PostgreSQL is backed up with pg_dump */
	struct load l = {.st = f->st, .done = bk_done};
	assert_int_equal(load_start(&l), 0);
	struct idset before = {0};
	for (int i = 0; i < 1000 && !before.n; i++) { /* the ids acknowledged before the backup */
		usleep(10000);
		pthread_mutex_lock(&bk_mu);
		for (size_t k = 0; bk_acked.n >= 500 && k < bk_acked.n; k++)
			idset_add(&before, bk_acked.v[k]);
		pthread_mutex_unlock(&bk_mu);
	}
	char path[PATH_MAX], err[256] = "", text[64];
	snprintf(path, sizeof path, "%s/backup-%02d.sqlite", cfg.dir, ++cfg.n_dbs);
	int rc = pd_store_backup(f->st, path, err, sizeof err);
	atomic_store(&l.stop, true);
	for (int t = 0; t < 4; t++)
		pthread_join(l.th[t], NULL);
	assert_int_equal(pd_store_write(f->st, job_raw, (void *)"SELECT 1"), PD_OK); /* drained */
	if (rc)
		fail_msg("backup: %s", err);
	assert_int_equal(bk_failures, 0);
	assert_true(before.n > 0);

	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_string_equal(sqlite_text(db, "PRAGMA integrity_check", 0, text), "ok");
	assert_string_equal(sqlite_text(db, "PRAGMA journal_mode", 0, text), "delete");
	size_t missing = 0;
	for (size_t i = 0; i < before.n; i++)
		missing += strcmp(sqlite_text(db, "SELECT COUNT(*) FROM t_conf WHERE id = ?1",
		                              before.v[i], text), "1") != 0;
	int64_t in_backup = 0;
	pd_parse_i64(sqlite_text(db, "SELECT COUNT(*) FROM t_conf", 0, text), 0, INT64_MAX,
	             &in_backup);
	sqlite3_close(db);
	print_message("backup: acknowledged-before=%zu in-backup=%lld acknowledged-total=%zu\n",
	              before.n, (long long)in_backup, bk_acked.n);
	free(before.v);
	assert_int_equal(missing, 0);
	assert_true(in_backup >= (int64_t)before.n && in_backup <= (int64_t)bk_acked.n);
	free(bk_acked.v);
	bk_acked = (struct idset){0};
}

/* --- PostgreSQL sessions -------------------------------------------------------------------- */

/* Ends backend pid from a connection on the other side and waits until it is gone. */
static void terminate(struct pd_store *st, int64_t pid, bool via_writer)
{
	assert_int_equal(query(st, via_writer, &SQL_KILL, pid), 1);
	for (int i = 0; i < 100 && query(st, via_writer, &SQL_ALIVE, pid) != 0; i++)
		usleep(50000);
	assert_int_equal(query(st, via_writer, &SQL_ALIVE, pid), 0);
}

static void test_pg_sessions_reconnect(void **state)
{
	struct fix *f = *state;
	if (!cfg.pg)
		skip();
	/* Durable commits whatever the server's default (test-store sets synchronous_commit=off). */
	assert_int_equal(query(f->st, true, &SQL_SETTINGS, 0), 1060);
	assert_int_equal(query(f->st, false, &SQL_SETTINGS, 0) % 1000, 30);
	int64_t r1 = query(f->st, false, &SQL_PID, 0);
	terminate(f->st, r1, true);
	int64_t r2 = query(f->st, false, &SQL_PID, 0); /* reconnected, statement prepared again */
	assert_true(r2 > 0 && r2 != r1);
	int64_t w1 = query(f->st, true, &SQL_PID, 0);
	terminate(f->st, w1, false);
	int64_t w2 = query(f->st, true, &SQL_PID, 0);
	assert_true(w2 > 0 && w2 != w1);
	assert_int_equal(query(f->st, true, &SQL_SETTINGS, 0), 1060); /* set up again */
	assert_int_equal(pd_store_write(f->st, job_insert, ID_ARG(7)), PD_OK);
	assert_int_equal(query(f->st, false, &SQL_HAS, 7), 1);
}

/* --- main ----------------------------------------------------------------------------------- */

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

/* SQLite: a fresh directory for this run, next to PATH when PD_TEST_DB names one. */
static int sqlite_config(const char *db)
{
	char path[PATH_MAX - 128], copy[PATH_MAX - 128];
	if (db)
		snprintf(path, sizeof path, "%s", db + strlen("sqlite:"));
	else
		snprintf(path, sizeof path, "%s/db.sqlite", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	snprintf(copy, sizeof copy, "%s", path);
	snprintf(cfg.stem, sizeof cfg.stem, "%s", basename(copy));
	const char *parent = dirname(path);
	if (db && mkdir(parent, 0700) && errno != EEXIST)
		return -1;
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
		cmocka_unit_test_setup_teardown(test_migrate_then_refuse_ahead, setup_empty, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip_on_many_readers, setup_migrated, teardown),
		cmocka_unit_test_setup_teardown(test_savepoint_isolation, setup_migrated, teardown),
		cmocka_unit_test_setup_teardown(test_group_commit, setup_migrated, teardown),
		cmocka_unit_test_setup_teardown(test_kill9_keeps_acknowledged, setup_migrated, teardown),
		cmocka_unit_test_setup_teardown(test_backup_under_load, setup_migrated, teardown),
		cmocka_unit_test_setup_teardown(test_pg_sessions_reconnect, setup_migrated, teardown),
	};
	int failed = cmocka_run_group_tests_name(cfg.pg ? "store-postgres" : "store-sqlite", tests,
	                                         NULL, NULL);
	if (!cfg.pg && !getenv("PD_TEST_KEEP"))
		nftw(cfg.dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
	return failed ? 1 : 0;
}
