/* PostgreSQL driver (libpq): prepares once per connection, binds, steps and maps SQLSTATEs to
 * pd_err; holds no domain SQL, and reconnects only where no transaction can be lost. */
#include <libpq-fe.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/str.h"
#include "store/driver.h"

#define BOOLOID 16
#define BYTEAOID 17
#define RESET_INTERVAL_MS 1000 /* at most one reconnect attempt per connection per second */
#define KEEP_PARAM_MAX 65536   /* larger parameter buffers are freed when the statement resets */

struct pd_conn {
	PGconn *pg;
	bool writer;
	bool setup_timeout;   /* the URL sets no statement_timeout of its own */
	bool ready;           /* the session settings are in place */
	uint64_t gen;         /* bumped on every reconnect: older prepared statements are gone */
	uint64_t n_prepared;  /* makes statement names unique on this connection */
	int64_t last_reset_ms;
};

struct param {
	char *buf;  /* owned, reused between executions */
	size_t cap;
};

struct pd_stmt {
	struct pd_conn *c;
	char *name;  /* server-side name */
	char *sql;   /* kept to prepare again after a reconnect */
	uint64_t gen;
	int n_params;
	struct param *params;
	const char **vals;  /* NULL: SQL NULL */
	int *lens, *fmts;
	PGresult *res;      /* NULL until the first step */
	int row, n_rows;
	int64_t changes;
	unsigned char **blobs;  /* bytea decoded for the current row, by column (PQfreemem) */
	size_t *blob_lens;
	int n_blobs;
};

/* --- errors --------------------------------------------------------------------------------- */

static int map_sqlstate(const char *state)
{
	if (!state || strlen(state) != 5)
		return PD_ERR_DB; /* no SQLSTATE: the connection failed or libpq ran out of memory */
	if (strcmp(state, "23505") == 0)
		return PD_ERR_CONFLICT;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "55P03") == 0)
		return PD_ERR_BUSY;
	if (strncmp(state, "22", 2) == 0 || strncmp(state, "23", 2) == 0)
		return PD_ERR_INVALID; /* data exception, other constraint (as SQLite's CONSTRAINT) */
	if (strcmp(state, "53100") == 0)
		return PD_ERR_IO; /* disk full */
	if (strcmp(state, "53200") == 0)
		return PD_ERR_NOMEM;
	return PD_ERR_DB;
}

/* Whether the server's message for this SQLSTATE class can be logged: data exceptions,
 * constraint violations and user-raised errors may quote parameter values, which are never
 * logged. */
static bool message_loggable(const char *state)
{
	static const char *const safe[] = {"08", "0A", "25", "26", "34", "3B", "3D", "3F", "40",
	                                   "42", "53", "54", "55", "57", "58", "XX"};
	if (!state)
		return true; /* libpq's own message (connection lost): no values in it */
	for (size_t i = 0; i < sizeof safe / sizeof safe[0]; i++)
		if (strncmp(state, safe[i], 2) == 0)
			return true;
	return false;
}

/* Maps a failed result to a pd_err and logs it unless it is an expected outcome (a unique
 * conflict or a transient failure). */
static int fail(struct pd_conn *c, PGresult *res, const char *event, const char *stmt)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	int e = map_sqlstate(state);
	if (e == PD_ERR_CONFLICT || e == PD_ERR_BUSY)
		return e;
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (!msg)
		msg = PQerrorMessage(c->pg);
	char safe_msg[256] = "(withheld: may quote values)";
	if (message_loggable(state))
		pd_log_sanitize(msg ? msg : "", safe_msg, sizeof safe_msg);
	const char *constraint = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : NULL;
	pd_log(PD_LOG_ERROR, event, "stmt=%s sqlstate=%s constraint=%s msg=\"%s\"", stmt,
	       state ? state : "none", constraint ? constraint : "none", safe_msg);
	return e;
}

/* --- connections ---------------------------------------------------------------------------- */

static void quiet_notices(void *arg, const char *message)
{
	/* NOTICEs ("table exists, skipping", cascades) are expected and may quote values. */
}

/* Session settings, after connecting and after every reconnect. */
static int session_setup(struct pd_conn *c)
{
	const char *sql = NULL;
	if (c->writer)
		sql = c->setup_timeout ? "SET synchronous_commit = on; SET statement_timeout = '60s'"
		                       : "SET synchronous_commit = on";
	else if (c->setup_timeout)
		sql = "SET statement_timeout = '30s'";
	int rc = PD_OK;
	if (sql) {
		PGresult *res = PQexec(c->pg, sql);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = fail(c, res, "pg_setup_failed", "setup");
		PQclear(res);
	}
	c->ready = rc == PD_OK;
	return rc;
}

static void trim_copy(char *out, size_t outlen, const char *prefix, const char *msg)
{
	snprintf(out, outlen, "%s%s", prefix, msg ? msg : "unknown error");
	size_t n = strlen(out);
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
		out[--n] = '\0';
}

static int p_open(const char *url, bool writer, struct pd_conn **out, char *err, size_t errlen)
{
	/* Entries before dbname are defaults the URL may override; client_encoding is forced. An
	 * URL with no host falls back to libpq's PG* environment variables. */
	const char *const keys[] = {"connect_timeout", "fallback_application_name", "dbname",
	                            "client_encoding", NULL};
	const char *const vals[] = {"10", "pendopo", url, "UTF8", NULL};
	PGconn *pg = PQconnectdbParams(keys, vals, 1);
	if (!pg) {
		snprintf(err, errlen, "cannot connect to PostgreSQL: out of memory");
		return PD_ERR_NOMEM;
	}
	if (PQstatus(pg) != CONNECTION_OK) {
		trim_copy(err, errlen, "cannot connect to PostgreSQL: ", PQerrorMessage(pg));
		PQfinish(pg);
		return PD_ERR_DB;
	}
	PQsetNoticeProcessor(pg, quiet_notices, NULL);
	struct pd_conn *c = pd_xcalloc(1, sizeof *c);
	c->pg = pg;
	c->writer = writer;
	c->setup_timeout = strstr(url, "statement_timeout") == NULL;
	c->gen = 1;
	if (session_setup(c)) {
		trim_copy(err, errlen, "cannot set up the PostgreSQL session: ", PQerrorMessage(pg));
		PQfinish(pg);
		free(c);
		return PD_ERR_DB;
	}
	*out = c;
	return PD_OK;
}

static void p_close(struct pd_conn *c)
{
	if (!c)
		return;
	PQfinish(c->pg);
	free(c);
}

/* A bounded reconnect, only called before a transaction starts (nothing can be lost there):
 * prepared statements of the old session are prepared again lazily. */
static int reconnect(struct pd_conn *c)
{
	int64_t now = pd_clock_mono_ms();
	if (c->last_reset_ms && now - c->last_reset_ms < RESET_INTERVAL_MS)
		return PD_ERR_DB;
	c->last_reset_ms = now;
	PQreset(c->pg);
	if (PQstatus(c->pg) != CONNECTION_OK) {
		char msg[256];
		pd_log_sanitize(PQerrorMessage(c->pg), msg, sizeof msg);
		pd_log(PD_LOG_ERROR, "pg_reconnect_failed", "msg=\"%s\"", msg);
		return PD_ERR_DB;
	}
	c->gen++;
	c->ready = false;
	PQsetNoticeProcessor(c->pg, quiet_notices, NULL);
	pd_log(PD_LOG_WARN, "pg_reconnected", "writer=%d", c->writer ? 1 : 0);
	return PD_OK;
}

static int p_exec(struct pd_conn *c, const char *sql)
{
	bool begin = pd_str_starts(sql, "BEGIN");
	if (PQstatus(c->pg) != CONNECTION_OK) {
		if (!begin)
			return PD_ERR_DB; /* the transaction is lost; only BEGIN may reconnect */
		if (reconnect(c))
			return PD_ERR_DB;
	}
	if (begin && !c->ready && session_setup(c))
		return PD_ERR_DB; /* never a transaction without the session's settings */
	PGresult *res = PQexec(c->pg, sql);
	if (begin && PQresultStatus(res) != PGRES_COMMAND_OK && PQstatus(c->pg) == CONNECTION_BAD) {
		/* The connection had dropped while idle (server restart, idle timeout). */
		PQclear(res);
		if (reconnect(c) || session_setup(c))
			return PD_ERR_DB;
		res = PQexec(c->pg, sql);
	}
	int rc = PD_OK;
	ExecStatusType status = PQresultStatus(res);
	if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
		rc = fail(c, res, "pg_exec_failed", "raw");
	} else if (strcmp(sql, "COMMIT") == 0 && strcmp(PQcmdStatus(res), "COMMIT") != 0) {
		/* COMMIT of a failed transaction answers ROLLBACK without an error. */
		pd_log(PD_LOG_ERROR, "pg_commit_rolled_back", "status=%s", PQcmdStatus(res));
		rc = PD_ERR_DB;
	}
	PQclear(res);
	return rc;
}

/* --- statements ----------------------------------------------------------------------------- */

static int prepare_on_server(struct pd_stmt *s)
{
	PGresult *res = PQprepare(s->c->pg, s->name, s->sql, 0, NULL);
	int rc = PD_OK;
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = fail(s->c, res, "pg_prepare_failed", s->name);
	else
		s->gen = s->c->gen;
	PQclear(res);
	return rc;
}

static int p_prepare(struct pd_conn *c, const char *name, const char *sql, struct pd_stmt **out)
{
	struct pd_stmt *s = pd_xcalloc(1, sizeof *s);
	s->c = c;
	size_t n = strlen(name) + 24;
	s->name = pd_xmalloc(n);
	snprintf(s->name, n, "%s_%llu", name, (unsigned long long)++c->n_prepared);
	s->sql = pd_xstrdup(sql);
	s->row = -1;
	int rc = prepare_on_server(s);
	if (!rc) {
		PGresult *res = PQdescribePrepared(c->pg, s->name);
		if (PQresultStatus(res) == PGRES_COMMAND_OK)
			s->n_params = PQnparams(res);
		else
			rc = fail(c, res, "pg_describe_failed", s->name);
		PQclear(res);
	}
	if (rc) {
		free(s->name);
		free(s->sql);
		free(s);
		return rc;
	}
	if (s->n_params > 0) {
		s->params = pd_xcalloc((size_t)s->n_params, sizeof *s->params);
		s->vals = pd_xcalloc((size_t)s->n_params, sizeof *s->vals);
		s->lens = pd_xcalloc((size_t)s->n_params, sizeof *s->lens);
		s->fmts = pd_xcalloc((size_t)s->n_params, sizeof *s->fmts);
	}
	*out = s;
	return PD_OK;
}

static void clear_row(struct pd_stmt *s)
{
	for (int i = 0; i < s->n_blobs; i++) {
		if (s->blobs[i])
			PQfreemem(s->blobs[i]);
		s->blobs[i] = NULL;
	}
}

static void p_reset(struct pd_stmt *s)
{
	clear_row(s);
	PQclear(s->res);
	s->res = NULL;
	s->row = -1;
	s->n_rows = 0;
	s->changes = 0;
	for (int i = 0; i < s->n_params; i++) {
		s->vals[i] = NULL;
		s->lens[i] = 0;
		s->fmts[i] = 0;
		if (s->params[i].cap > KEEP_PARAM_MAX) {
			free(s->params[i].buf);
			s->params[i] = (struct param){0};
		}
	}
}

/* Statements live as long as their connection (store.c finalizes them just before closing
 * it), so the server-side statement is not deallocated here. */
static void p_finalize(struct pd_stmt *s)
{
	if (!s)
		return;
	p_reset(s);
	for (int i = 0; i < s->n_params; i++)
		free(s->params[i].buf);
	free(s->params);
	free(s->vals);
	free(s->lens);
	free(s->fmts);
	free(s->blobs);
	free(s->blob_lens);
	free(s->name);
	free(s->sql);
	free(s);
}

/* Copies n bytes (plus a NUL) into parameter i's buffer; returns it or NULL. */
static char *param_buf(struct pd_stmt *s, int i, size_t n)
{
	if (i < 1 || i > s->n_params || n >= INT_MAX)
		return NULL;
	struct param *p = &s->params[i - 1];
	if (p->cap < n + 1) {
		size_t cap = n + 1 < 32 ? 32 : n + 1;
		free(p->buf);
		p->buf = pd_xmalloc(cap);
		p->cap = cap;
	}
	return p->buf;
}

static int set_param(struct pd_stmt *s, int i, const void *p, size_t n, int fmt)
{
	char *buf = param_buf(s, i, n);
	if (!buf)
		return PD_ERR_INVALID;
	if (n)
		memcpy(buf, p, n);
	buf[n] = '\0';
	s->vals[i - 1] = buf;
	s->lens[i - 1] = (int)n;
	s->fmts[i - 1] = fmt;
	return PD_OK;
}

static int p_bind_text(struct pd_stmt *s, int i, const char *p, size_t n)
{
	if (n && memchr(p, '\0', n))
		return PD_ERR_INVALID; /* PostgreSQL text cannot hold NUL */
	return set_param(s, i, p, n, 0);
}

static int p_bind_int(struct pd_stmt *s, int i, int64_t v)
{
	char num[24];
	int n = snprintf(num, sizeof num, "%lld", (long long)v);
	return set_param(s, i, num, (size_t)n, 0);
}

static int p_bind_blob(struct pd_stmt *s, int i, const void *p, size_t n)
{
	return set_param(s, i, p, n, 1);
}

static int p_bind_null(struct pd_stmt *s, int i)
{
	if (i < 1 || i > s->n_params)
		return PD_ERR_INVALID;
	s->vals[i - 1] = NULL;
	s->lens[i - 1] = 0;
	s->fmts[i - 1] = 0;
	return PD_OK;
}

static int execute(struct pd_stmt *s)
{
	/* Never reconnect here: a statement runs inside a transaction that a new session lacks. */
	if (PQstatus(s->c->pg) != CONNECTION_OK)
		return PD_ERR_DB;
	if (s->gen != s->c->gen) {
		int rc = prepare_on_server(s);
		if (rc)
			return rc;
	}
	s->res = PQexecPrepared(s->c->pg, s->name, s->n_params, s->vals, s->lens, s->fmts, 0);
	ExecStatusType status = PQresultStatus(s->res);
	if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
		int rc = fail(s->c, s->res, "pg_step_failed", s->name);
		PQclear(s->res);
		s->res = NULL;
		return rc;
	}
	s->n_rows = PQntuples(s->res);
	const char *tuples = PQcmdTuples(s->res);
	int64_t changes = 0;
	if (tuples[0] && pd_parse_i64(tuples, 0, INT64_MAX, &changes) == PD_OK)
		s->changes = changes;
	int n_fields = PQnfields(s->res);
	if (n_fields > s->n_blobs) {
		free(s->blobs);
		free(s->blob_lens);
		s->blobs = pd_xcalloc((size_t)n_fields, sizeof *s->blobs);
		s->blob_lens = pd_xcalloc((size_t)n_fields, sizeof *s->blob_lens);
		s->n_blobs = n_fields;
	}
	return PD_OK;
}

static int p_step(struct pd_stmt *s)
{
	clear_row(s);
	if (!s->res) {
		int rc = execute(s);
		if (rc)
			return -rc;
	}
	if (s->row + 1 < s->n_rows) {
		s->row++;
		return 1;
	}
	s->row = s->n_rows;
	return 0;
}

static int64_t p_changes(struct pd_stmt *s)
{
	return s->changes;
}

static bool on_row(struct pd_stmt *s, int i)
{
	return s->res && s->row >= 0 && s->row < s->n_rows && i >= 0 && i < PQnfields(s->res);
}

static bool p_col_null(struct pd_stmt *s, int i)
{
	return !on_row(s, i) || PQgetisnull(s->res, s->row, i);
}

/* Integers arrive as decimal text; booleans as t/f; numeric (SUM of bigint) may carry a
 * fraction, which is dropped like SQLite does. Anything else reads as 0, as in SQLite. */
static int64_t p_col_int(struct pd_stmt *s, int i)
{
	if (p_col_null(s, i))
		return 0;
	const char *v = PQgetvalue(s->res, s->row, i);
	if (PQftype(s->res, i) == BOOLOID)
		return v[0] == 't';
	size_t n = (size_t)PQgetlength(s->res, s->row, i);
	const char *dot = memchr(v, '.', n);
	if (dot)
		n = (size_t)(dot - v);
	int64_t out = 0;
	if (pd_parse_i64n(v, n, INT64_MIN, INT64_MAX, &out)) {
		pd_log(PD_LOG_WARN, "pg_col_not_integer", "stmt=%s col=%d", s->name, i);
		return 0;
	}
	return out;
}

static const char *p_col_text(struct pd_stmt *s, int i, size_t *n)
{
	if (p_col_null(s, i)) {
		if (n)
			*n = 0;
		return NULL;
	}
	if (n)
		*n = (size_t)PQgetlength(s->res, s->row, i);
	return PQgetvalue(s->res, s->row, i);
}

static const void *p_col_blob(struct pd_stmt *s, int i, size_t *n)
{
	if (p_col_null(s, i) || PQftype(s->res, i) != BYTEAOID)
		return p_col_text(s, i, n); /* NULL, or a text column read as bytes */
	if (!s->blobs[i]) {
		size_t len = 0;
		s->blobs[i] = PQunescapeBytea((const unsigned char *)PQgetvalue(s->res, s->row, i), &len);
		if (!s->blobs[i]) {
			pd_log(PD_LOG_ERROR, "pg_bytea_decode_failed", "stmt=%s col=%d", s->name, i);
			if (n)
				*n = 0;
			return NULL;
		}
		s->blob_lens[i] = len;
	}
	if (n)
		*n = s->blob_lens[i];
	return s->blobs[i];
}

static const char *p_errmsg(struct pd_conn *c)
{
	return PQerrorMessage(c->pg);
}

/* Writes run in READ COMMITTED (rows claimed with FOR UPDATE SKIP LOCKED, unique constraints
 * settle races). Reads are READ ONLY, which also keeps writes on the durable writer, and
 * REPEATABLE READ, so that one read transaction sees one snapshot, as it does on SQLite. */
const struct pd_driver pd_driver_pg = {
	.name = "postgres",
	.open = p_open,
	.close = p_close,
	.exec = p_exec,
	.prepare = p_prepare,
	.finalize = p_finalize,
	.bind_text = p_bind_text,
	.bind_int = p_bind_int,
	.bind_blob = p_bind_blob,
	.bind_null = p_bind_null,
	.step = p_step,
	.changes = p_changes,
	.col_null = p_col_null,
	.col_int = p_col_int,
	.col_text = p_col_text,
	.col_blob = p_col_blob,
	.reset = p_reset,
	.errmsg = p_errmsg,
	.begin_write = "BEGIN ISOLATION LEVEL READ COMMITTED",
	.begin_read = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
};
