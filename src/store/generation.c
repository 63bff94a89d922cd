/* The data generation response caches are keyed on: which write statements count as changing
 * public data, and reading the generation (process counter on SQLite, shared row on
 * PostgreSQL). */
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "store/internal.h"
#include "store/store.h"

/* Migration that creates cache_generation. */
#define GEN_MIGRATION 20

static const struct pd_sql SQL_GEN_READ = {
	"gen_read", "SELECT gen FROM cache_generation WHERE id = 1", NULL};

/* Tables no cacheable (public, anonymous) page or API answer reads: writing only these leaves
 * every cached page valid. Anything not listed counts as public. */
static const char *const private_tables[] = {
	"account_session", "signin_throttle", "signin_pending", "outbox", "idempotency",
	"audit_log", "audit_checkpoint", "account_token", "job_schedule", "notification",
	"complaint_notification", "inforeq_notification",
};

static const char *skip_space(const char *p)
{
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				p++;
			continue;
		}
		if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			if (!e)
				return p + strlen(p);
			p = e + 2;
			continue;
		}
		return p;
	}
}

/* The next word (letters, digits, _, and "quoted"), advancing *pp; its length, 0 at the end. */
static size_t word(const char **pp, const char **start)
{
	const char *p = skip_space(*pp);
	*start = p;
	if (*p == '"') {
		const char *e = strchr(p + 1, '"');
		size_t n = e ? (size_t)(e - p + 1) : strlen(p);
		*pp = p + n;
		return n;
	}
	size_t n = 0;
	while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
	       (p[n] >= '0' && p[n] <= '9') || p[n] == '_')
		n++;
	*pp = p + n;
	return n;
}

static bool is(const char *w, size_t n, const char *kw)
{
	return n == strlen(kw) && strncasecmp(w, kw, n) == 0;
}

static bool private_table(const char *w, size_t n)
{
	if (n >= 2 && w[0] == '"') {
		w++;
		n -= 2;
	}
	for (size_t i = 0; i < sizeof private_tables / sizeof private_tables[0]; i++)
		if (is(w, n, private_tables[i]))
			return true;
	return false;
}

bool pd_store_sql_public_write(const char *sql)
{
	if (!sql)
		return true;
	const char *p = sql, *w;
	size_t n = word(&p, &w);
	if (is(w, n, "SELECT"))
		return false;
	if (is(w, n, "INSERT") || is(w, n, "REPLACE")) {
		/* INSERT [OR …] INTO t */
		for (int i = 0; i < 4; i++) {
			n = word(&p, &w);
			if (is(w, n, "INTO"))
				break;
			if (n == 0)
				return true;
		}
		if (!is(w, n, "INTO"))
			return true;
	} else if (is(w, n, "UPDATE")) {
		const char *save = p;
		n = word(&p, &w);
		if (is(w, n, "OR"))
			word(&p, &w); /* UPDATE OR IGNORE t */
		else
			p = save;
	} else if (is(w, n, "DELETE")) {
		n = word(&p, &w);
		if (!is(w, n, "FROM"))
			return true;
	} else {
		return true; /* WITH …, DDL, anything else */
	}
	n = word(&p, &w);
	if (n == 0)
		return true;
	/* A qualified name (schema.table) or an odd form: count it as public. */
	if (*skip_space(p) == '.')
		return true;
	return !private_table(w, n);
}

static int read_gen(struct pd_tx *tx, void *arg)
{
	struct pd_q *q = pd_q_open(tx, &SQL_GEN_READ);
	int rc = pd_q_step(q);
	if (rc == 1)
		*(int64_t *)arg = pd_q_col_int(q, 0);
	pd_q_close(q);
	if (pd_tx_error(tx))
		return pd_tx_error(tx);
	return rc == 1 ? PD_OK : PD_ERR_NOT_FOUND;
}

void pd_store_gen_table_ready(struct pd_store *st)
{
	int v = 0;
	if (pd_store_schema_version(st, &v) == PD_OK && v >= GEN_MIGRATION)
		atomic_store(pd_store_gen_table(st), true);
}

int pd_store_generation(struct pd_store *st, uint64_t *out)
{
	if (!atomic_load(pd_store_gen_table(st)))
		return PD_ERR_UNAVAILABLE;
	struct pd_gen_memo *memo = NULL;
	int64_t dv = 0;
	unsigned char hdr[sizeof memo->hdr] = {0};
	bool have_hdr = false;
	if (pd_store_driver(st) != &pd_driver_pg) {
		/* First the WAL-index header, read before anything else: unchanged since the memo
		 * was filed, nothing was committed since, by any process (issue #8: no transaction
		 * and no file lock on a cache hit). */
		int rc = pd_store_thread_wal_header(st, &memo, hdr, &have_hdr);
		if (rc)
			return rc;
		if (have_hdr && memo->valid && memo->has_hdr && !memcmp(memo->hdr, hdr, sizeof hdr)) {
			*out = memo->gen;
			return PD_OK;
		}
		if ((rc = pd_store_thread_data_version(st, &dv, &memo)))
			return rc;
		if (memo->valid && memo->data_version == dv) {
			memo->has_hdr = have_hdr;
			memcpy(memo->hdr, hdr, sizeof hdr);
			*out = memo->gen;
			return PD_OK;
		}
	}
	/* Read after data_version (and the header): a commit in between shows in the row and
	 * changes both again, so the memo is never older than what it is filed under. */
	int64_t v = 0;
	int rc = pd_store_read(st, read_gen, &v);
	if (rc)
		return rc;
	if (memo) {
		memo->valid = true;
		memo->data_version = dv;
		memo->gen = (uint64_t)v;
		memo->has_hdr = have_hdr;
		memcpy(memo->hdr, hdr, sizeof hdr);
	}
	*out = (uint64_t)v;
	return PD_OK;
}
