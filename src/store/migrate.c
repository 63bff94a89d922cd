/* Numbered migrations embedded in the binary, applied in order, each in its own transaction;
 * on PostgreSQL under an advisory lock so that several nodes starting at once agree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/embed.h"
#include "core/err.h"
#include "core/log.h"
#include "core/str.h"
#include "store/internal.h"

#define MAX_MIGRATIONS 256
#define ADVISORY_KEY "7265617964" /* any constant shared by all nodes */

static const struct pd_sql SQL_SCHEMA_CREATE = {
	"schema_create",
	"CREATE TABLE IF NOT EXISTS pd_schema (version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL)",
	"CREATE TABLE IF NOT EXISTS pd_schema (version INTEGER PRIMARY KEY, applied_ms BIGINT NOT NULL)",
};
static const struct pd_sql SQL_SCHEMA_VERSION = {
	"schema_version", "SELECT COALESCE(MAX(version), 0) FROM pd_schema", NULL,
};
static const struct pd_sql SQL_SCHEMA_INSERT = {
	"schema_insert", "INSERT INTO pd_schema (version, applied_ms) VALUES ($1, $2)", NULL,
};
static const struct pd_sql SQL_TABLE_COUNT = {
	"table_count",
	"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
	"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()",
};
static const struct pd_sql SQL_HAS_SCHEMA = {
	"has_schema",
	"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'pd_schema'",
	"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() "
	"AND table_name = 'pd_schema'",
};
static const struct pd_sql SQL_ADVISORY_LOCK = {
	"advisory_lock", "SELECT 1", "SELECT pg_advisory_xact_lock(" ADVISORY_KEY ")",
};

struct migration {
	int number;
	const struct pd_embedded *file;
};

static int list_migrations(const struct pd_store *st, struct migration *out, int max)
{
	char prefix[64];
	snprintf(prefix, sizeof prefix, "src/store/migrations/%s/",
	         strcmp(pd_store_backend(st), "postgres") == 0 ? "pg" : "sqlite");
	int n = 0;
	for (size_t i = 0; i < pd_embedded_count; i++) {
		const struct pd_embedded *f = &pd_embedded_files[i];
		if (!pd_str_starts(f->name, prefix) || !pd_str_ends(f->name, ".sql"))
			continue;
		const char *base = f->name + strlen(prefix);
		int64_t num;
		if (strlen(base) < 5 || base[4] != '_' || pd_parse_i64n(base, 4, 1, 9999, &num))
			continue;
		if (n >= max)
			break;
		/* insertion sort by number */
		int k = n++;
		while (k > 0 && out[k - 1].number > num) {
			out[k] = out[k - 1];
			k--;
		}
		out[k].number = (int)num;
		out[k].file = f;
	}
	return n;
}

int pd_store_schema_target(const struct pd_store *st)
{
	struct migration m[MAX_MIGRATIONS];
	int n = list_migrations(st, m, MAX_MIGRATIONS);
	return n ? m[n - 1].number : 0;
}

struct version_arg {
	int version;
	bool has_table;
	int64_t n_tables;
};

static int read_version(struct pd_tx *tx, void *p)
{
	struct version_arg *va = p;
	struct pd_q *q = pd_q_open(tx, &SQL_HAS_SCHEMA);
	if (pd_q_step(q) == 1)
		va->has_table = pd_q_col_int(q, 0) > 0;
	pd_q_close(q);
	q = pd_q_open(tx, &SQL_TABLE_COUNT);
	if (pd_q_step(q) == 1)
		va->n_tables = pd_q_col_int(q, 0);
	pd_q_close(q);
	va->version = 0;
	if (va->has_table) {
		q = pd_q_open(tx, &SQL_SCHEMA_VERSION);
		if (pd_q_step(q) == 1)
			va->version = (int)pd_q_col_int(q, 0);
		pd_q_close(q);
	}
	return pd_tx_error(tx);
}

int pd_store_schema_version(struct pd_store *st, int *out)
{
	struct version_arg va = {0};
	int rc = pd_store_read(st, read_version, &va);
	if (!rc)
		*out = va.version;
	return rc;
}

int pd_store_is_empty(struct pd_store *st, bool *out)
{
	struct version_arg va = {0};
	int rc = pd_store_read(st, read_version, &va);
	if (!rc)
		*out = va.n_tables == 0;
	return rc;
}

struct apply_arg {
	const struct migration *m;
	bool applied;
};

static int apply_one(struct pd_tx *tx, void *p)
{
	struct apply_arg *aa = p;
	aa->applied = false;
	pd_q_exec(pd_q_open(tx, &SQL_ADVISORY_LOCK));
	pd_q_exec(pd_q_open(tx, &SQL_SCHEMA_CREATE));
	struct pd_q *q = pd_q_open(tx, &SQL_SCHEMA_VERSION);
	int version = 0;
	if (pd_q_step(q) == 1)
		version = (int)pd_q_col_int(q, 0);
	pd_q_close(q);
	if (pd_tx_error(tx))
		return pd_tx_error(tx);
	if (version >= aa->m->number)
		return PD_OK; /* another node applied it */
	if (pd_tx_exec_raw(tx, (const char *)aa->m->file->data))
		return pd_tx_error(tx);
	q = pd_q_open(tx, &SQL_SCHEMA_INSERT);
	pd_q_int(q, 1, aa->m->number);
	pd_q_int(q, 2, pd_clock_now_ms());
	pd_q_exec(q);
	aa->applied = !pd_tx_error(tx);
	return pd_tx_error(tx);
}

int pd_store_migrate(struct pd_store *st, char *err, size_t errlen)
{
	struct migration m[MAX_MIGRATIONS];
	int n = list_migrations(st, m, MAX_MIGRATIONS);
	int version = 0;
	int rc = pd_store_schema_version(st, &version);
	if (rc) {
		snprintf(err, errlen, "cannot read the schema version: %s", pd_strerror(rc));
		return rc;
	}
	int target = n ? m[n - 1].number : 0;
	if (version > target) {
		snprintf(err, errlen,
		         "the database schema (version %d) is newer than this program (version %d); "
		         "run a newer pendopo",
		         version, target);
		return PD_ERR_SCHEMA;
	}
	for (int i = 0; i < n; i++) {
		if (m[i].number <= version)
			continue;
		struct apply_arg aa = {.m = &m[i]};
		rc = pd_store_write(st, apply_one, &aa);
		if (rc) {
			snprintf(err, errlen, "migration %s failed: %s", m[i].file->name, pd_strerror(rc));
			return rc;
		}
		if (aa.applied)
			pd_log(PD_LOG_INFO, "migration_applied", "version=%d of=%d", m[i].number, target);
	}
	pd_store_gen_table_ready(st);
	return PD_OK;
}

int pd_store_check_schema(struct pd_store *st, char *err, size_t errlen)
{
	struct version_arg va = {0};
	int rc = pd_store_read(st, read_version, &va);
	if (rc) {
		snprintf(err, errlen, "cannot read the schema version: %s", pd_strerror(rc));
		return rc;
	}
	int target = pd_store_schema_target(st);
	if (va.n_tables == 0 || (va.has_table && va.version == 0 && va.n_tables == 1))
		return pd_store_migrate(st, err, errlen);
	if (va.has_table && va.version == 0) {
		snprintf(err, errlen, "the database has tables but no schema version: it is damaged "
		                      "or not Pendopo's; restore a backup");
		return PD_ERR_SCHEMA;
	}
	if (!va.has_table) {
		snprintf(err, errlen, "the database holds tables that are not Pendopo's");
		return PD_ERR_SCHEMA;
	}
	if (va.version < target) {
		snprintf(err, errlen,
		         "the database schema is at version %d, this program needs %d: "
		         "run `pendopo migrate` first",
		         va.version, target);
		return PD_ERR_SCHEMA;
	}
	if (va.version > target) {
		snprintf(err, errlen,
		         "the database schema (version %d) is newer than this program (version %d): "
		         "run a newer pendopo",
		         va.version, target);
		return PD_ERR_SCHEMA;
	}
	pd_store_gen_table_ready(st);
	return PD_OK;
}
