/* Statements for the key registry and the key generation, and the registry of encrypted
 * columns with the statements that re-encryption and retirement run on each of them. */
#include "store/keys_store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/str.h"

/* Columns holding blobs under a master key. Re-encryption after `pendopo keys rotate` walks
 * them, and `pendopo keys retire ID` refuses while any of them still holds a blob under ID.
 * Every feature that stores pd_crypto_seal blobs or wrapped subject keys adds its columns here,
 * e.g. the identity feature:
 *   {"account", "id", "subject_key", PD_ENC_SUBJECT_KEY},  (AD "subject_key\0" account.id)
 *   {"account", "id", "email_enc", PD_ENC_MASTER},          (only for data sealed with
 *                                                             pd_crypto_seal, AD (account,
 *                                                             email_enc, id))
 * Data sealed under a subject key (pd_crypto_seal_with) is not listed: rotating the master key
 * re-wraps the subject key and leaves that data alone. */
static const struct pd_enc_column enc_columns[] = {
	{"account", "id", "subject_key", PD_ENC_SUBJECT_KEY},
	{"outbox", "id", "recipient_ct", PD_ENC_MASTER},       /* domain/mail.c */
	{"outbox", "id", "body_ct", PD_ENC_MASTER},
	{"attachment", "id", "file_key", PD_ENC_SUBJECT_KEY},  /* a file's own key (domain/attachment.c) */
	{"application", "id", "subject_key", PD_ENC_SUBJECT_KEY}, /* an assisted application's own
	                                                           * key (domain/application_assist.c) */
	{"complaint", "id", "subject_key", PD_ENC_SUBJECT_KEY},   /* a visitor's complaint's own key
	                                                           * (domain/complaint.c) */
	{NULL, NULL, NULL, PD_ENC_MASTER},
};

static const struct pd_sql SQL_TABLE_EXISTS = {
	"keys_table_exists",
	"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'key_registry'",
	"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() "
	"AND table_name = 'key_registry'",
};
static const struct pd_sql SQL_LIST = {
	"keys_list",
	"SELECT id, fingerprint, state, created_ms FROM key_registry ORDER BY id LIMIT $1", NULL};
static const struct pd_sql SQL_INSERT = {
	"keys_insert",
	"INSERT INTO key_registry (id, fingerprint, state, created_ms) VALUES ($1, $2, $3, $4)", NULL};
static const struct pd_sql SQL_SET_STATE = {
	"keys_set_state", "UPDATE key_registry SET state = $2 WHERE id = $1", NULL};
static const struct pd_sql SQL_META_GET = {"keys_meta_get", "SELECT value FROM meta WHERE key = $1",
                                           NULL};
static const struct pd_sql SQL_META_PUT = {
	"keys_meta_put",
	"INSERT INTO meta (key, value) VALUES ($1, $2) "
	"ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	NULL};
static const struct pd_sql SQL_GEN_BUMP = {
	"keys_gen_bump",
	"UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'key_generation'",
	"UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT) WHERE key = 'key_generation'",
};

enum pd_qs pd_store_keys_table_exists(struct pd_tx *tx, bool *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_TABLE_EXISTS);
	if (pd_q_step(q) != 1)
		return PD_QS_HARD;
	*out = pd_q_col_int(q, 0) > 0;
	pd_q_close(q);
	return PD_QS_ONE;
}

static void copy_text(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

enum pd_qs pd_store_keys_list(struct pd_tx *tx, struct pd_key_record *out, int max, int *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_LIST);
	pd_q_int(q, 1, max);
	int rc;
	while (*n < max && (rc = pd_q_step(q)) == 1) {
		struct pd_key_record *r = &out[(*n)++];
		r->id = pd_q_col_int(q, 0);
		copy_text(r->fingerprint, sizeof r->fingerprint, pd_q_col_text(q, 1));
		copy_text(r->state, sizeof r->state, pd_q_col_text(q, 2));
		r->created_ms = pd_q_col_int(q, 3);
	}
	pd_q_close(q);
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return *n == 0 ? PD_QS_NONE : *n == 1 ? PD_QS_ONE : PD_QS_MANY;
}

enum pd_qs pd_store_keys_insert(struct pd_tx *tx, const struct pd_key_record *r)
{
	struct pd_q *q = pd_q_open(tx, &SQL_INSERT);
	pd_q_int(q, 1, r->id);
	pd_q_text(q, 2, r->fingerprint);
	pd_q_text(q, 3, r->state);
	pd_q_int(q, 4, r->created_ms);
	return pd_q_exec(q) == 1 ? PD_QS_ONE : PD_QS_HARD;
}

enum pd_qs pd_store_keys_set_state(struct pd_tx *tx, int64_t id, const char *state)
{
	struct pd_q *q = pd_q_open(tx, &SQL_SET_STATE);
	pd_q_int(q, 1, id);
	pd_q_text(q, 2, state);
	int64_t n = pd_q_exec(q);
	return n < 0 ? PD_QS_HARD : n == 0 ? PD_QS_NONE : PD_QS_ONE;
}

static enum pd_qs meta_get(struct pd_tx *tx, const char *key, char *out, size_t n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_META_GET);
	pd_q_text(q, 1, key);
	int rc = pd_q_step(q);
	if (rc < 0)
		return PD_QS_HARD;
	if (rc == 0)
		return PD_QS_NONE;
	copy_text(out, n, pd_q_col_text(q, 0));
	pd_q_close(q);
	return PD_QS_ONE;
}

static enum pd_qs meta_put(struct pd_tx *tx, const char *key, const char *value)
{
	struct pd_q *q = pd_q_open(tx, &SQL_META_PUT);
	pd_q_text(q, 1, key);
	pd_q_text(q, 2, value);
	return pd_q_exec(q) < 0 ? PD_QS_HARD : PD_QS_ONE;
}

enum pd_qs pd_store_keys_generation(struct pd_tx *tx, int64_t *out)
{
	char v[32];
	enum pd_qs qs = meta_get(tx, "key_generation", v, sizeof v);
	if (qs == PD_QS_NONE) {
		*out = 0;
		return PD_QS_ONE;
	}
	if (qs < 0)
		return qs;
	if (pd_parse_i64(v, 0, INT64_MAX, out)) {
		pd_tx_fail(tx, PD_ERR_DB);
		return PD_QS_HARD;
	}
	return PD_QS_ONE;
}

enum pd_qs pd_store_keys_bump_generation(struct pd_tx *tx)
{
	int64_t n = pd_q_exec(pd_q_open(tx, &SQL_GEN_BUMP));
	if (n < 0)
		return PD_QS_HARD;
	return n == 1 ? PD_QS_ONE : meta_put(tx, "key_generation", "1");
}

enum pd_qs pd_store_keys_index_fp(struct pd_tx *tx, char out[33])
{
	return meta_get(tx, "index_key_fingerprint", out, 33);
}

enum pd_qs pd_store_keys_set_index_fp(struct pd_tx *tx, const char *fp)
{
	return meta_put(tx, "index_key_fingerprint", fp);
}

/* --- the registry of encrypted columns ------------------------------------------------------- */

enum { S_COUNT_KEY, S_COUNT_OTHER, S_FIRST, S_AFTER, S_REPLACE, S__MAX };

/* A registered column with its statements, built once from validated identifiers: the names
 * come from code (enc_columns[] or pd_store_enc_register), never from input, and are checked
 * against [a-z_][a-z0-9_]* before being placed in SQL text. */
struct enc_entry {
	struct pd_enc_column col;
	struct pd_sql sql[S__MAX];
};

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct enc_entry **entries; /* never freed: statements are cached by address */
static int n_entries, cap_entries;
static bool builtins_added;

static bool ident_ok(const char *s)
{
	if (!s || !*s || strlen(s) > 63 || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

/* Joins parts (NULL-terminated) into one heap string. */
static char *join(const char *const *parts)
{
	struct pd_buf b;
	pd_buf_init(&b, 4096);
	for (const char *const *p = parts; *p; p++)
		pd_buf_puts(&b, *p);
	return pd_buf_steal(&b, NULL);
}

static void build(struct enc_entry *e, int index)
{
	const char *t = e->col.table, *i = e->col.id_column, *c = e->col.blob_column;
	for (int pg = 0; pg < 2; pg++) {
		/* The key id: bytes 2..5 of the blob (after the version byte), compared as a blob. */
		const char *k0 = pg ? "substring(" : "substr(", *k1 = pg ? " from 2 for 4)" : ", 2, 4)";
		const char *const texts[S__MAX][20] = {
			[S_COUNT_KEY] = {"SELECT COUNT(*) FROM ", t, " WHERE ", c, " IS NOT NULL AND ", k0, c,
			                 k1, " = $1", NULL},
			[S_COUNT_OTHER] = {"SELECT COUNT(*) FROM ", t, " WHERE ", c, " IS NOT NULL AND ", k0,
			                   c, k1, " <> $1", NULL},
			[S_FIRST] = {"SELECT ", i, ", ", c, " FROM ", t, " WHERE ", c, " IS NOT NULL AND ", k0,
			             c, k1, " <> $1 ORDER BY ", i, " LIMIT $2", NULL},
			[S_AFTER] = {"SELECT ", i, ", ", c, " FROM ", t, " WHERE ", i, " > $1 AND ", c,
			             " IS NOT NULL AND ", k0, c, k1, " <> $2 ORDER BY ", i, " LIMIT $3", NULL},
			[S_REPLACE] = {"UPDATE ", t, " SET ", c, " = $1 WHERE ", i, " = $2 AND ", c, " = $3",
			               NULL},
		};
		for (int s = 0; s < S__MAX; s++) {
			if (pg)
				e->sql[s].pg = join(texts[s]);
			else
				e->sql[s].sql = join(texts[s]);
		}
	}
	static const char *const ops[S__MAX] = {"count_key", "count_other", "first", "after",
	                                        "replace"};
	for (int s = 0; s < S__MAX; s++) {
		char name[48];
		snprintf(name, sizeof name, "enc%d_%s", index, ops[s]);
		e->sql[s].name = pd_xstrdup(name);
	}
}

/* Adds one column; the caller holds reg_lock. */
static int add_locked(const struct pd_enc_column *c)
{
	if (!c || !ident_ok(c->table) || !ident_ok(c->id_column) || !ident_ok(c->blob_column) ||
	    (int)c->kind < 0 || (int)c->kind >= PD_ENC__MAX)
		return PD_ERR_INVALID;
	for (int i = 0; i < n_entries; i++) {
		const struct pd_enc_column *o = &entries[i]->col;
		if (strcmp(o->table, c->table) == 0 && strcmp(o->blob_column, c->blob_column) == 0)
			return strcmp(o->id_column, c->id_column) == 0 && o->kind == c->kind
			               ? PD_OK
			               : PD_ERR_CONFLICT;
	}
	if (n_entries == cap_entries) {
		cap_entries = cap_entries ? cap_entries * 2 : 16;
		entries = pd_xrealloc(entries, (size_t)cap_entries * sizeof *entries);
	}
	struct enc_entry *e = pd_xcalloc(1, sizeof *e);
	e->col.table = pd_xstrdup(c->table);
	e->col.id_column = pd_xstrdup(c->id_column);
	e->col.blob_column = pd_xstrdup(c->blob_column);
	e->col.kind = c->kind;
	build(e, n_entries);
	entries[n_entries++] = e;
	return PD_OK;
}

static void lock_registry(void)
{
	pthread_mutex_lock(&reg_lock);
	if (!builtins_added) {
		builtins_added = true;
		for (const struct pd_enc_column *c = enc_columns; c->table; c++)
			if (add_locked(c))
				abort(); /* a malformed built-in row is our bug */
	}
}

int pd_store_enc_register(const struct pd_enc_column *c)
{
	lock_registry();
	int rc = add_locked(c);
	pthread_mutex_unlock(&reg_lock);
	return rc;
}

int pd_store_enc_count(void)
{
	lock_registry();
	int n = n_entries;
	pthread_mutex_unlock(&reg_lock);
	return n;
}

static struct enc_entry *entry(int i)
{
	lock_registry();
	struct enc_entry *e = i >= 0 && i < n_entries ? entries[i] : NULL;
	pthread_mutex_unlock(&reg_lock);
	return e;
}

const struct pd_enc_column *pd_store_enc_column(int i)
{
	struct enc_entry *e = entry(i);
	return e ? &e->col : NULL;
}

static void key_bytes(uint32_t id, unsigned char out[4])
{
	out[0] = (unsigned char)(id >> 24);
	out[1] = (unsigned char)(id >> 16);
	out[2] = (unsigned char)(id >> 8);
	out[3] = (unsigned char)id;
}

enum pd_qs pd_store_enc_count_key(struct pd_tx *tx, int i, uint32_t key_id, bool other,
                                  int64_t *out)
{
	struct enc_entry *e = entry(i);
	if (!e)
		return PD_QS_HARD;
	unsigned char kb[4];
	key_bytes(key_id, kb);
	struct pd_q *q = pd_q_open(tx, &e->sql[other ? S_COUNT_OTHER : S_COUNT_KEY]);
	pd_q_blob(q, 1, kb, sizeof kb);
	if (pd_q_step(q) != 1)
		return PD_QS_HARD;
	*out = pd_q_col_int(q, 0);
	pd_q_close(q);
	return PD_QS_ONE;
}

enum pd_qs pd_store_enc_batch(struct pd_tx *tx, int i, const char *after_id, uint32_t key_id,
                              struct pd_arena *a, struct pd_enc_row *out, int max, int *n)
{
	*n = 0;
	struct enc_entry *e = entry(i);
	if (!e)
		return PD_QS_HARD;
	unsigned char kb[4];
	key_bytes(key_id, kb);
	struct pd_q *q;
	if (after_id) {
		q = pd_q_open(tx, &e->sql[S_AFTER]);
		pd_q_text(q, 1, after_id);
		pd_q_blob(q, 2, kb, sizeof kb);
		pd_q_int(q, 3, max);
	} else {
		q = pd_q_open(tx, &e->sql[S_FIRST]);
		pd_q_blob(q, 1, kb, sizeof kb);
		pd_q_int(q, 2, max);
	}
	int rc;
	while (*n < max && (rc = pd_q_step(q)) == 1) {
		struct pd_enc_row *r = &out[(*n)++];
		r->id = pd_q_col_dup(q, 0, a);
		const void *b = pd_q_col_blob(q, 1, &r->n);
		r->blob = pd_arena_memdup(a, b ? b : "", r->n);
	}
	pd_q_close(q);
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return *n == 0 ? PD_QS_NONE : *n == 1 ? PD_QS_ONE : PD_QS_MANY;
}

enum pd_qs pd_store_enc_replace(struct pd_tx *tx, int i, const char *id, const void *old,
                                size_t old_n, const void *blob, size_t n)
{
	struct enc_entry *e = entry(i);
	if (!e)
		return PD_QS_HARD;
	struct pd_q *q = pd_q_open(tx, &e->sql[S_REPLACE]);
	pd_q_blob(q, 1, blob, n);
	pd_q_text(q, 2, id);
	pd_q_blob(q, 3, old, old_n);
	int64_t changed = pd_q_exec(q);
	return changed < 0 ? PD_QS_HARD : changed == 0 ? PD_QS_NONE : PD_QS_ONE;
}
