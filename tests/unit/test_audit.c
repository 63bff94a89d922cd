/* Unit tests of the audit log on a temporary SQLite store: appending and verifying, the
 * database refusing UPDATE and DELETE, the checkpoint key and checkpoints, and 1,000 random
 * tamperings by someone who can write the database (triggers dropped), each of which
 * pd_audit_verify must catch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "domain/audit.h"
#include "store/store.h"

#define N_ENTRIES 50
#define N_TRIALS 1000

static char dir[64];

/* --- helpers ---------------------------------------------------------------------------------- */

static struct pd_store *open_store(const char *path, bool migrate)
{
	char url[256], err[512];
	snprintf(url, sizeof url, "sqlite:%s", path);
	struct pd_store *st = NULL;
	if (pd_store_open(&(struct pd_store_opts){.url = url}, &st, err, sizeof err))
		fail_msg("open %s: %s", path, err);
	if (migrate && pd_store_migrate(st, err, sizeof err))
		fail_msg("migrate: %s", err);
	return st;
}

static void path_in(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

struct append_arg {
	const struct pd_audit_event *ev;
	int n;
};

static int append_tx(struct pd_tx *tx, void *p)
{
	struct append_arg *aa = p;
	for (int i = 0; i < aa->n; i++)
		if (pd_audit_append(tx, &aa->ev[i]))
			return pd_tx_error(tx);
	return pd_tx_error(tx);
}

/* Appends n varied events, one transaction each, numbered from `from`. */
static void append_n(struct pd_store *st, int from, int n)
{
	for (int i = from; i < from + n; i++) {
		char oid[40], details[80];
		snprintf(oid, sizeof oid, "01900000-0000-7000-8000-%012d", i);
		snprintf(details, sizeof details, "{\"n\":%d,\"parent_id\":\"p-%d\"}", i, i / 7);
		struct pd_audit_event ev = {
			.actor = i % 3 ? "system" : "cli:tester",
			.action = i % 5 ? "unit.add" : PD_AUDIT_ACTION_READ,
			.object_type = i % 4 ? "unit" : NULL,
			.object_id = oid,
			.unit_id = i % 2 ? oid : NULL,
			.subject_id = i % 5 ? NULL : "account:0190-subject",
			.purpose = i % 5 ? NULL : "permohonan P-7K3M-9QXD-4",
			.details = i % 6 ? details : NULL,
		};
		struct append_arg aa = {&ev, 1};
		assert_int_equal(pd_store_write(st, append_tx, &aa), PD_OK);
	}
}

static int read_tx(struct pd_tx *tx, void *p)
{
	return pd_audit_record_read(tx, "account:officer-1", (const char *)p, "aduan A-1234-5678-9",
	                            "complaint", "0190c0de-0000-7000-8000-000000000001", "unit-9");
}

static int exec_tx(struct pd_tx *tx, void *p)
{
	return pd_tx_exec_raw(tx, (const char *)p);
}

static struct pd_audit_key load_key(const char *name)
{
	char path[128], err[512];
	path_in(path, sizeof path, name);
	struct pd_audit_key key;
	if (pd_audit_key_load(path, true, &key, err, sizeof err))
		fail_msg("key: %s", err);
	return key;
}

/* --- appending, verifying, refusing ----------------------------------------------------------- */

static void test_append_and_verify(void **state)
{
	char db[128];
	path_in(db, sizeof db, "append.db");
	struct pd_store *st = open_store(db, true);
	struct pd_audit_report rep;
	assert_int_equal(pd_audit_verify(st, NULL, NULL, 0, &rep), PD_OK);
	assert_int_equal(rep.n_entries, 0);

	append_n(st, 1, 20);
	/* Several events in one transaction get consecutive seqs. */
	struct pd_audit_event two[2] = {{.actor = "system", .action = "unit.add"},
	                                {.actor = "account:x", .action = "unit.move"}};
	struct append_arg aa = {two, 2};
	assert_int_equal(pd_store_write(st, append_tx, &aa), PD_OK);
	assert_int_equal(pd_audit_verify(st, NULL, NULL, 0, &rep), PD_OK);
	assert_true(rep.sound);
	assert_int_equal(rep.n_entries, 22);
	assert_int_equal(rep.last_checkpoint, 0);

	/* Malformed events are refused and roll the transaction back. */
	struct pd_audit_event bad[] = {
		{.actor = "", .action = "unit.add"},
		{.actor = "system", .action = "Unit Add"},
		{.actor = "system", .action = "unit.add", .details = "[1,2]"},
		{.actor = "system", .action = "unit.add", .details = "{\"a\":1,\"a\":2}"},
		{.actor = "sys\ntem", .action = "unit.add"},
		{.actor = "account:s", .action = PD_AUDIT_ACTION_READ, .subject_id = "account:c"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct append_arg b = {&bad[i], 1};
		assert_int_equal(pd_store_write(st, append_tx, &b), PD_ERR_INVALID);
	}
	assert_int_equal(pd_audit_verify(st, NULL, NULL, 0, &rep), PD_OK);
	assert_int_equal(rep.n_entries, 22);

	/* A personal-data read, listed for its subject newest first. */
	struct pd_arena *a = pd_arena_new();
	struct pd_audit_entry list[8];
	int n = 0;
	assert_int_equal(pd_audit_subject_list(st, "account:0190-subject", NULL, 0, a, list, 8, &n),
	                 PD_OK);
	assert_int_equal(n, 4); /* i = 5, 10, 15, 20 */
	assert_true(list[0].seq > list[1].seq && list[1].seq > list[2].seq);
	assert_string_equal(list[0].action, PD_AUDIT_ACTION_READ);
	assert_string_equal(list[0].purpose, "permohonan P-7K3M-9QXD-4");
	assert_int_equal(pd_audit_subject_list(st, "account:0190-subject", PD_AUDIT_ACTION_READ,
	                                       list[1].seq, a, list, 8, &n),
	                 PD_OK);
	assert_int_equal(n, 2);
	assert_int_equal(pd_audit_subject_list(st, "account:0190-subject", "unit.add", 0, a, list, 8,
	                                       &n),
	                 PD_OK);
	assert_int_equal(n, 0);
	assert_int_equal(pd_store_write(st, read_tx, "account:0190-subject"), PD_OK);
	assert_int_equal(pd_audit_subject_list(st, "account:0190-subject", PD_AUDIT_ACTION_READ, 0, a,
	                                       list, 8, &n),
	                 PD_OK);
	assert_int_equal(n, 5);
	assert_int_equal(list[0].seq, 23);
	assert_string_equal(list[0].actor, "account:officer-1");
	assert_string_equal(list[0].purpose, "aduan A-1234-5678-9");
	assert_string_equal(list[0].object_type, "complaint");
	assert_string_equal(list[0].unit_id, "unit-9");
	assert_int_equal(pd_store_write(st, read_tx, NULL), PD_ERR_INVALID); /* no subject */
	assert_int_equal(pd_audit_verify(st, NULL, NULL, 0, &rep), PD_OK);
	assert_int_equal(rep.n_entries, 23);
	pd_arena_free(a);
	pd_store_close(st);
}

static void test_database_refuses_update_delete(void **state)
{
	char db[128];
	path_in(db, sizeof db, "refuse.db");
	struct pd_store *st = open_store(db, true);
	append_n(st, 1, 3);
	struct pd_audit_key key = load_key("refuse.key");
	struct pd_audit_cp_result cp;
	assert_int_equal(pd_audit_checkpoint(st, &key, &cp), PD_OK);
	assert_true(cp.created);
	static const char *const refused[] = {
		"UPDATE audit_log SET actor = 'x' WHERE seq = 2",
		"DELETE FROM audit_log WHERE seq = 3",
		"DELETE FROM audit_log",
		"UPDATE audit_checkpoint SET ts_ms = 0",
		"DELETE FROM audit_checkpoint",
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
		assert_int_not_equal(pd_store_write(st, exec_tx, (void *)refused[i]), PD_OK);
	pd_store_close(st);
	/* Also through a plain connection, as long as the triggers are there. */
	sqlite3 *raw = NULL;
	assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
		assert_int_equal(sqlite3_exec(raw, refused[i], NULL, NULL, NULL) & 0xff, SQLITE_CONSTRAINT);
	sqlite3_close(raw);
	st = open_store(db, false);
	struct pd_audit_report rep;
	assert_int_equal(pd_audit_verify(st, NULL, &key, 1, &rep), PD_OK);
	assert_int_equal(rep.n_entries, 3);
	assert_int_equal(rep.last_checkpoint, 3);
	pd_audit_key_wipe(&key);
	pd_store_close(st);
}

static void test_key_and_checkpoints(void **state)
{
	char path[128], err[512];
	path_in(path, sizeof path, "keys/audit-signing.key");
	struct pd_audit_key k1, k2;
	assert_int_equal(pd_audit_key_load(path, false, &k1, err, sizeof err), PD_ERR_NOT_FOUND);
	assert_int_equal(pd_audit_key_load(path, true, &k1, err, sizeof err), PD_OK);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(pd_audit_key_load(path, true, &k2, err, sizeof err), PD_OK);
	assert_string_equal(k1.key_id, k2.key_id);
	assert_memory_equal(k1.pk, k2.pk, 32);
	assert_int_equal(strlen(k1.key_id), 16);
	chmod(path, 0644);
	assert_int_equal(pd_audit_key_load(path, false, &k2, err, sizeof err), PD_ERR_FORBIDDEN);
	chmod(path, 0600);

	char db[128];
	path_in(db, sizeof db, "cp.db");
	struct pd_store *st = open_store(db, true);
	struct pd_audit_cp_result cp;
	assert_int_equal(pd_audit_checkpoint(st, &k1, &cp), PD_OK); /* empty log: nothing */
	assert_false(cp.created);
	append_n(st, 1, 5);
	assert_int_equal(pd_audit_checkpoint(st, &k1, &cp), PD_OK);
	assert_true(cp.created);
	assert_int_equal(cp.seq, 5);
	assert_int_equal(pd_audit_checkpoint(st, &k1, &cp), PD_OK); /* nothing new */
	assert_false(cp.created);
	append_n(st, 6, 2);
	assert_int_equal(pd_audit_checkpoint(st, &k1, &cp), PD_OK);
	assert_int_equal(cp.seq, 7);

	/* Verifying needs the key: an unknown signer is a finding. */
	struct pd_audit_report rep;
	assert_int_equal(pd_audit_verify(st, NULL, NULL, 0, &rep), PD_ERR_CRYPTO);
	assert_int_equal(rep.bad_seq, 5);
	assert_int_equal(pd_audit_verify(st, NULL, &k1, 1, &rep), PD_OK);
	assert_int_equal(rep.n_checkpoints, 2);

	/* Export, then verify with only the exported file's public key. */
	char file[128];
	int64_t n = 0;
	path_in(file, sizeof file, "cp.jsonl");
	assert_int_equal(pd_audit_export(st, file, &k1, 1, &n, err, sizeof err), PD_OK);
	assert_int_equal(n, 2);
	assert_int_equal(pd_audit_verify(st, file, NULL, 0, &rep), PD_OK);
	assert_int_equal(rep.n_exported, 2);
	pd_store_close(st);

	/* A checkpoint is refused over a broken segment. */
	sqlite3 *raw = NULL;
	assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
	append_n(st = open_store(db, false), 8, 2);
	pd_store_close(st);
	assert_int_equal(sqlite3_exec(raw,
	                              "DROP TRIGGER audit_log_no_update;"
	                              "UPDATE audit_log SET actor = 'forged' WHERE seq = 9",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(raw);
	st = open_store(db, false);
	assert_int_equal(pd_audit_checkpoint(st, &k1, &cp), PD_ERR_CRYPTO);
	assert_int_equal(cp.bad_seq, 9);
	assert_int_equal(pd_audit_verify(st, file, &k1, 1, &rep), PD_ERR_CRYPTO);
	assert_int_equal(rep.bad_seq, 9);
	pd_store_close(st);
	pd_audit_key_wipe(&k1);
	pd_audit_key_wipe(&k2);
}

/* --- random tampering ------------------------------------------------------------------------- */

static uint64_t rng;

static uint64_t next_rand(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * UINT64_C(2685821657736338717);
}

static int64_t rand_in(int64_t lo, int64_t hi) /* inclusive */
{
	return lo + (int64_t)(next_rand() % (uint64_t)(hi - lo + 1));
}

/* Seeded, so that a trial can be replayed. */
static void rand_bytes(unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(next_rand() >> 56);
}

/* A plain connection's view of the tables, as an attacker with write access has it. */
#define DROP_TRIGGERS                                                                            \
	"DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"                        \
	"DROP TRIGGER audit_checkpoint_no_update; DROP TRIGGER audit_checkpoint_no_delete;"
#define ROW_COLS                                                                                 \
	"seq, ts_ms, actor, action, object_type, object_id, unit_id, subject_id, purpose, details, " \
	"prev_hash, hash"

enum {
	M_EDIT_BYTE, M_DELETE_ROW, M_INSERT_FORGED, M_SWAP_ROWS, M_TRUNCATE_TAIL, M_RECOMPUTE,
	M_CP_EDIT_BYTE, M_CP_DELETE, M_CP_FORGE, M__MAX
};
static const char *const kind_names[M__MAX] = {
	"edit_byte", "delete_row", "insert_forged", "swap_rows", "truncate_tail", "recompute_chain",
	"cp_edit_byte", "cp_delete", "cp_forge"};
static const int64_t exported[] = {17, 34, N_ENTRIES};

/* Edits of one byte are the commonest tampering: drawn three times as often. */
static int draw_kind(void)
{
	int k = (int)rand_in(0, M__MAX + 1);
	return k >= M__MAX ? M_EDIT_BYTE : k;
}
static char our_key_id[17];

struct col {
	const char *name, *sel, *upd;
};
#define LOGCOL(c)                                                                                \
	{c, "SELECT " c " FROM audit_log WHERE seq = ?1", "UPDATE audit_log SET " c " = ?2 WHERE seq = ?1"}
#define CPCOL(c)                                                                                 \
	{c, "SELECT " c " FROM audit_checkpoint WHERE seq = ?1",                                     \
	 "UPDATE audit_checkpoint SET " c " = ?2 WHERE seq = ?1"}
static const struct col log_cols[] = {
	LOGCOL("seq"), LOGCOL("ts_ms"), LOGCOL("actor"), LOGCOL("action"), LOGCOL("object_type"),
	LOGCOL("object_id"), LOGCOL("unit_id"), LOGCOL("subject_id"), LOGCOL("purpose"),
	LOGCOL("details"), LOGCOL("prev_hash"), LOGCOL("hash")};
static const struct col cp_cols[] = {CPCOL("seq"), CPCOL("hash"), CPCOL("ts_ms"), CPCOL("key_id"),
                                     CPCOL("signature")};

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
	return s;
}

/* Runs sql with integer parameters ?1 and ?2 (when it has them); true when it succeeded. */
static bool run(sqlite3 *db, const char *sql, int64_t a, int64_t b)
{
	sqlite3_stmt *s = prep(db, sql);
	if (sqlite3_bind_parameter_count(s) >= 1)
		sqlite3_bind_int64(s, 1, a);
	if (sqlite3_bind_parameter_count(s) >= 2)
		sqlite3_bind_int64(s, 2, b);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW;
}

static bool get_hash(sqlite3 *db, int64_t seq, unsigned char out[32])
{
	memset(out, 0, 32);
	if (seq < 1)
		return true; /* the start of the chain: zeros */
	sqlite3_stmt *s = prep(db, "SELECT hash FROM audit_log WHERE seq = ?1");
	sqlite3_bind_int64(s, 1, seq);
	bool ok = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_bytes(s, 0) == 32;
	if (ok)
		memcpy(out, sqlite3_column_blob(s, 0), 32);
	sqlite3_finalize(s);
	return ok;
}

static struct pd_audit_text raw_text(sqlite3_stmt *s, int i)
{
	if (sqlite3_column_type(s, i) == SQLITE_NULL)
		return (struct pd_audit_text){NULL, 0};
	const char *p = sqlite3_column_blob(s, i);
	size_t n = (size_t)sqlite3_column_bytes(s, i);
	return (struct pd_audit_text){p ? p : "", n};
}

static void bind_txt(sqlite3_stmt *s, int i, struct pd_audit_text t)
{
	if (t.p)
		sqlite3_bind_text(s, i, t.p, (int)t.n, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

static bool insert_row(sqlite3 *db, const struct pd_audit_row *r)
{
	sqlite3_stmt *s = prep(db, "INSERT INTO audit_log (" ROW_COLS ") VALUES "
	                           "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
	sqlite3_bind_int64(s, 1, r->seq);
	sqlite3_bind_int64(s, 2, r->ts_ms);
	const struct pd_audit_text t[8] = {r->actor, r->action, r->object_type, r->object_id,
	                                   r->unit_id, r->subject_id, r->purpose, r->details};
	for (int i = 0; i < 8; i++)
		bind_txt(s, 3 + i, t[i]);
	sqlite3_bind_blob(s, 11, r->prev_hash, (int)r->prev_hash_len, SQLITE_TRANSIENT);
	sqlite3_bind_blob(s, 12, r->hash, (int)r->hash_len, SQLITE_TRANSIENT);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE;
}

/* A forged entry at seq whose prev_hash is the stored hash before it and whose own hash is
 * computed correctly (or random when `sloppy`). */
static bool insert_forged(sqlite3 *db, int64_t seq, bool sloppy)
{
	unsigned char prev[32], hash[32];
	get_hash(db, seq - 1, prev);
	struct pd_audit_row r = {
		.seq = seq, .ts_ms = 1770000000000 + seq, .actor = {"system", 6},
		.action = {"unit.add", 8}, .details = {"{}", 2}, .prev_hash = prev, .prev_hash_len = 32,
		.hash = hash, .hash_len = 32};
	if (sloppy)
		rand_bytes(hash, sizeof hash);
	else
		pd_audit_hash(&r, hash);
	return insert_row(db, &r);
}

/* Flips one random byte of a column (an integer's byte, a text's or blob's byte; NULL or empty
 * becomes one byte). */
static bool edit_byte(sqlite3 *db, const struct col *c, int64_t seq, char *what, size_t n)
{
	sqlite3_stmt *s = prep(db, c->sel);
	sqlite3_bind_int64(s, 1, seq);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		return false;
	}
	sqlite3_stmt *u = prep(db, c->upd);
	sqlite3_bind_int64(u, 1, seq);
	int type = sqlite3_column_type(s, 0);
	unsigned x = (unsigned)rand_in(1, 255);
	if (type == SQLITE_INTEGER) {
		int64_t v = sqlite3_column_int64(s, 0);
		int64_t nv = (int64_t)((uint64_t)v ^ ((uint64_t)x << (8 * rand_in(0, 7))));
		sqlite3_bind_int64(u, 2, nv);
		snprintf(what, n, "%s of row %lld: %lld -> %lld", c->name, (long long)seq, (long long)v,
		         (long long)nv);
	} else {
		unsigned char buf[9000];
		int len = sqlite3_column_bytes(s, 0);
		const void *p = sqlite3_column_blob(s, 0);
		if (len > 0 && p)
			memcpy(buf, p, (size_t)len);
		if (len <= 0) {
			buf[0] = 'x';
			len = 1;
		} else {
			buf[rand_in(0, len - 1)] ^= (unsigned char)x;
		}
		if (type == SQLITE_BLOB)
			sqlite3_bind_blob(u, 2, buf, len, SQLITE_TRANSIENT);
		else
			sqlite3_bind_text(u, 2, (const char *)buf, len, SQLITE_TRANSIENT);
		snprintf(what, n, "%s of row %lld: one byte changed (type %d, %d bytes)", c->name,
		         (long long)seq, type, len);
	}
	sqlite3_finalize(s);
	bool ok = sqlite3_step(u) == SQLITE_DONE && sqlite3_changes(db) == 1;
	sqlite3_finalize(u);
	return ok;
}

static bool swap_rows(sqlite3 *db, int64_t i, int64_t j)
{
#define NONSEQ                                                                                   \
	"ts_ms, actor, action, object_type, object_id, unit_id, subject_id, purpose, details, "      \
	"prev_hash, hash"
	return run(db, "CREATE TEMP TABLE swap AS SELECT * FROM audit_log WHERE seq IN (?1, ?2)", i,
	           j) &&
	       run(db, "UPDATE audit_log SET (" NONSEQ ") = (SELECT " NONSEQ " FROM swap "
	               "WHERE swap.seq = ?1 + ?2 - audit_log.seq) WHERE seq IN (?1, ?2)",
	           i, j) &&
	       run(db, "DROP TABLE swap", 0, 0);
}

/* Recomputes prev_hash and hash of every entry from seq `from` on, as someone without the
 * signing key can. */
static void rehash_from(sqlite3 *db, int64_t from)
{
	int64_t last = 0;
	sqlite3_stmt *m = prep(db, "SELECT MAX(seq) FROM audit_log");
	if (sqlite3_step(m) == SQLITE_ROW)
		last = sqlite3_column_int64(m, 0);
	sqlite3_finalize(m);
	for (int64_t seq = from; seq <= last; seq++) {
		unsigned char prev[32], hash[32];
		get_hash(db, seq - 1, prev);
		sqlite3_stmt *s = prep(db, "SELECT " ROW_COLS " FROM audit_log WHERE seq = ?1");
		sqlite3_bind_int64(s, 1, seq);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		struct pd_audit_row r = {.seq = seq, .ts_ms = sqlite3_column_int64(s, 1)};
		struct pd_audit_text *t[8] = {&r.actor, &r.action, &r.object_type, &r.object_id,
		                              &r.unit_id, &r.subject_id, &r.purpose, &r.details};
		for (int i = 0; i < 8; i++)
			*t[i] = raw_text(s, 2 + i);
		r.prev_hash = prev;
		r.prev_hash_len = 32;
		pd_audit_hash(&r, hash);
		sqlite3_finalize(s);
		sqlite3_stmt *u = prep(db, "UPDATE audit_log SET prev_hash = ?2, hash = ?3 WHERE seq = ?1");
		sqlite3_bind_int64(u, 1, seq);
		sqlite3_bind_blob(u, 2, prev, 32, SQLITE_TRANSIENT);
		sqlite3_bind_blob(u, 3, hash, 32, SQLITE_TRANSIENT);
		assert_int_equal(sqlite3_step(u), SQLITE_DONE);
		sqlite3_finalize(u);
	}
}

/* Applies one mutation of the given kind; false when the database refused it (then another
 * is drawn). what describes it for a failure message; *expect is the first bad entry verify
 * must name, where that is plain (else left at INT64_MIN). */
static bool tamper(sqlite3 *db, int kind, char *what, size_t n, int64_t *expect)
{
	int64_t seq = rand_in(1, N_ENTRIES);
	*expect = INT64_MIN;
	switch (kind) {
	case M_EDIT_BYTE: {
		int c = (int)rand_in(0, 11);
		if (c > 0) /* not seq: the row stays where it is */
			*expect = seq;
		return edit_byte(db, &log_cols[c], seq, what, n);
	}
	case M_DELETE_ROW:
		snprintf(what, n, "row %lld deleted", (long long)seq);
		*expect = seq;
		return run(db, "DELETE FROM audit_log WHERE seq = ?1", seq, 0);
	case M_INSERT_FORGED: {
		int sub = (int)rand_in(0, 2);
		if (sub == 0) { /* at the tail, without computing its hash */
			snprintf(what, n, "forged row appended at %d with a made-up hash", N_ENTRIES + 1);
			return insert_forged(db, N_ENTRIES + 1, true);
		}
		if (sub == 1) { /* before the start */
			int64_t s = rand_in(-3, 0);
			snprintf(what, n, "forged row inserted at seq %lld", (long long)s);
			return insert_forged(db, s, false);
		}
		snprintf(what, n, "forged row inserted at %lld, later rows moved up", (long long)seq);
		return run(db, "UPDATE audit_log SET seq = -seq WHERE seq >= ?1", seq, 0) &&
		       run(db, "UPDATE audit_log SET seq = 1 - seq WHERE seq < 0", 0, 0) &&
		       insert_forged(db, seq, false);
	}
	case M_SWAP_ROWS: {
		int64_t other = rand_in(1, N_ENTRIES - 1);
		if (other >= seq)
			other++;
		snprintf(what, n, "contents of rows %lld and %lld swapped", (long long)seq,
		         (long long)other);
		*expect = seq < other ? seq : other;
		return swap_rows(db, seq, other);
	}
	case M_TRUNCATE_TAIL: {
		int64_t cp = exported[rand_in(0, 2)];
		int64_t keep = rand_in(0, cp - 1);
		bool clean = rand_in(0, 1);
		snprintf(what, n, "rows after %lld removed (below exported checkpoint %lld)%s",
		         (long long)keep, (long long)cp, clean ? ", checkpoints after it too" : "");
		return run(db, "DELETE FROM audit_log WHERE seq > ?1", keep, 0) &&
		       (!clean || run(db, "DELETE FROM audit_checkpoint WHERE seq > ?1", keep, 0));
	}
	case M_RECOMPUTE: {
		int change = (int)rand_in(0, 2), cps = (int)rand_in(0, 2);
		static const char *const changes[] = {"actor of row %lld changed", "row %lld deleted",
		                                      "row inserted at %lld"};
		static const char *const cp_fix[] = {"checkpoints kept", "checkpoints deleted",
		                                     "checkpoint hashes rewritten"};
		char c[64];
		snprintf(c, sizeof c, changes[change], (long long)seq);
		snprintf(what, n, "%s, chain recomputed from there, %s", c, cp_fix[cps]);
		bool ok = true;
		if (change == 0)
			ok = run(db, "UPDATE audit_log SET actor = 'account:forged' WHERE seq = ?1", seq, 0);
		else if (change == 1)
			ok = run(db, "DELETE FROM audit_log WHERE seq = ?1", seq, 0) &&
			     run(db, "UPDATE audit_log SET seq = -seq WHERE seq > ?1", seq, 0) &&
			     run(db, "UPDATE audit_log SET seq = -seq - 1 WHERE seq < 0", 0, 0);
		else
			ok = run(db, "UPDATE audit_log SET seq = -seq WHERE seq >= ?1", seq, 0) &&
			     run(db, "UPDATE audit_log SET seq = 1 - seq WHERE seq < 0", 0, 0) &&
			     insert_forged(db, seq, true);
		if (!ok)
			return false;
		rehash_from(db, seq);
		if (cps == 1)
			return run(db, "DELETE FROM audit_checkpoint", 0, 0);
		if (cps == 2)
			return run(db, "UPDATE audit_checkpoint SET hash = (SELECT hash FROM audit_log "
			               "WHERE audit_log.seq = audit_checkpoint.seq) "
			               "WHERE seq IN (SELECT seq FROM audit_log)",
			           0, 0);
		return true;
	}
	case M_CP_EDIT_BYTE:
		return edit_byte(db, &cp_cols[rand_in(0, 4)], exported[rand_in(0, 2)], what, n);
	case M_CP_DELETE: {
		int64_t cp = exported[rand_in(0, 2)];
		snprintf(what, n, "checkpoint %lld deleted", (long long)cp);
		return run(db, "DELETE FROM audit_checkpoint WHERE seq = ?1", cp, 0);
	}
	case M_CP_FORGE: {
		bool ours = rand_in(0, 1);
		unsigned char hash[32], sig[64];
		char kid[17];
		get_hash(db, seq, hash);
		rand_bytes(sig, sizeof sig);
		if (ours) {
			memcpy(kid, our_key_id, sizeof kid);
		} else {
			unsigned char r[8];
			rand_bytes(r, sizeof r);
			sodium_bin2hex(kid, sizeof kid, r, sizeof r);
		}
		snprintf(what, n, "checkpoint forged at %lld (%s key id)", (long long)seq,
		         ours ? "our" : "another");
		sqlite3_stmt *s = prep(db, "INSERT INTO audit_checkpoint (seq, hash, ts_ms, key_id, "
		                           "signature) VALUES (?1, ?2, ?3, ?4, ?5)");
		sqlite3_bind_int64(s, 1, seq);
		sqlite3_bind_blob(s, 2, hash, 32, SQLITE_TRANSIENT);
		sqlite3_bind_int64(s, 3, 1770000000000);
		sqlite3_bind_text(s, 4, kid, 16, SQLITE_TRANSIENT);
		sqlite3_bind_blob(s, 5, sig, 64, SQLITE_TRANSIENT);
		bool ok = sqlite3_step(s) == SQLITE_DONE;
		sqlite3_finalize(s);
		return ok;
	}
	}
	return false;
}

static unsigned char *pristine;
static size_t pristine_len;

/* Builds a log of N_ENTRIES with checkpoints at 17, 34 and 50, exports them, and keeps the
 * database file's bytes. */
static void build_pristine(const struct pd_audit_key *key, const char *db, const char *file)
{
	struct pd_store *st = open_store(db, true);
	struct pd_audit_cp_result cp;
	append_n(st, 1, 17);
	assert_int_equal(pd_audit_checkpoint(st, key, &cp), PD_OK);
	append_n(st, 18, 17);
	assert_int_equal(pd_audit_checkpoint(st, key, &cp), PD_OK);
	append_n(st, 35, N_ENTRIES - 34);
	assert_int_equal(pd_audit_checkpoint(st, key, &cp), PD_OK);
	assert_int_equal(cp.seq, N_ENTRIES);
	char err[512];
	int64_t n = 0;
	assert_int_equal(pd_audit_export(st, file, key, 1, &n, err, sizeof err), PD_OK);
	assert_int_equal(n, 3);
	pd_store_close(st);
	/* One self-contained file (no WAL) to copy. */
	sqlite3 *raw = NULL;
	assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	FILE *f = fopen(db, "rb");
	assert_non_null(f);
	pristine = malloc(1 << 22);
	pristine_len = fread(pristine, 1, 1 << 22, f);
	fclose(f);
	assert_true(pristine_len > 0 && pristine_len < (1 << 22));
}

static void restore_pristine(const char *db)
{
	char side[160];
	snprintf(side, sizeof side, "%s-wal", db);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", db);
	unlink(side);
	int fd = open(db, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, pristine, pristine_len), (ssize_t)pristine_len);
	close(fd);
}

static void test_random_tampering_is_caught(void **state)
{
	const char *env = getenv("PD_AUDIT_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 0) : UINT64_C(20260415);
	rng = seed ? seed : 1;
	printf("[ audit ] tamper trials: %d, seed %llu (set PD_AUDIT_SEED to change)\n", N_TRIALS,
	       (unsigned long long)seed);
	char db[128], file[128];
	path_in(db, sizeof db, "tamper.db");
	path_in(file, sizeof file, "tamper.jsonl");
	struct pd_audit_key key = load_key("tamper.key");
	memcpy(our_key_id, key.key_id, sizeof our_key_id);
	build_pristine(&key, db, file);

	/* The untouched copy is sound, with and without the exported file. */
	restore_pristine(db);
	struct pd_store *st = open_store(db, false);
	struct pd_audit_report rep;
	assert_int_equal(pd_audit_verify(st, file, &key, 1, &rep), PD_OK);
	assert_int_equal(rep.n_entries, N_ENTRIES);
	assert_int_equal(rep.n_checkpoints, 3);
	assert_int_equal(rep.n_exported, 3);
	pd_store_close(st);

	int per_kind[M__MAX] = {0};
	int refused = 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int trial = 0; trial < N_TRIALS; trial++) {
		restore_pristine(db);
		char what[256];
		int kind;
		int64_t expect;
		for (;;) {
			sqlite3 *raw = NULL;
			assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
			assert_int_equal(sqlite3_exec(raw, "PRAGMA synchronous=OFF; BEGIN; " DROP_TRIGGERS,
			                              NULL, NULL, NULL),
			                 SQLITE_OK);
			kind = draw_kind();
			bool applied = tamper(raw, kind, what, sizeof what, &expect);
			if (applied)
				applied = sqlite3_exec(raw, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
			sqlite3_close(raw); /* without COMMIT: rolled back */
			if (applied)
				break;
			refused++; /* e.g. a seq edit that hit an existing seq: try another */
			restore_pristine(db);
		}
		per_kind[kind]++;
		st = open_store(db, false);
		int rc = pd_audit_verify(st, file, &key, 1, &rep);
		pd_store_close(st);
		if (rc != PD_ERR_CRYPTO)
			fail_msg("trial %d (seed %llu): verify returned %s (%s) after: %s", trial,
			         (unsigned long long)seed, pd_strerror(rc), rep.what, what);
		if (expect != INT64_MIN && rep.bad_seq != expect)
			fail_msg("trial %d (seed %llu): verify named seq %lld (%s), not %lld, after: %s",
			         trial, (unsigned long long)seed, (long long)rep.bad_seq, rep.what,
			         (long long)expect, what);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("[ audit ] all %d tamperings caught in %.2f s (%d mutations refused by constraints "
	       "and redrawn):",
	       N_TRIALS, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, refused);
	for (int k = 0; k < M__MAX; k++)
		printf(" %s=%d", kind_names[k], per_kind[k]);
	printf("\n");
	pd_audit_key_wipe(&key);
	free(pristine);
}

static int setup(void **state)
{
	if (sodium_init() < 0)
		return -1;
	snprintf(dir, sizeof dir, "/tmp/pd-audit-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	static const char *const names[] = {
		"append.db", "refuse.db", "cp.db", "tamper.db", "cp.jsonl", "tamper.jsonl", "refuse.key",
		"tamper.key", "keys/audit-signing.key", "keys", NULL};
	for (int i = 0; names[i]; i++)
		for (int k = 0; k < 3; k++) {
			char p[160];
			snprintf(p, sizeof p, "%s/%s%s", dir, names[i], k ? (k == 1 ? "-wal" : "-shm") : "");
			if (unlink(p) && k == 0)
				rmdir(p);
		}
	return rmdir(dir) ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_and_verify),
		cmocka_unit_test(test_database_refuses_update_delete),
		cmocka_unit_test(test_key_and_checkpoints),
		cmocka_unit_test(test_random_tampering_is_caught),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
