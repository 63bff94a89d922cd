/* Statements and row mapping for accounts, grants, one-time tokens and the sign-in throttle. */
#include "store/account_store.h"

#include <string.h>

#define COLS                                                                                  \
	"id, kind, email_ct, email_bidx, name_ct, phone_ct, nik_ct, nik_bidx, nik_verified, "     \
	"nik_district, home_village_id, subject_key, password_hash, email_verified_ms, lang, "    \
	"disabled, created_ms, erased_ms"

static const struct pd_sql SQL_INSERT = {
	"account_insert",
	"INSERT INTO account (" COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
	"$13, $14, $15, $16, $17, $18)",
	NULL};
static const struct pd_sql SQL_BY_ID = {
	"account_by_id", "SELECT " COLS " FROM account WHERE id = $1", NULL};
static const struct pd_sql SQL_BY_EMAIL = {
	"account_by_email", "SELECT " COLS " FROM account WHERE email_bidx = $1", NULL};
static const struct pd_sql SQL_BY_NIK = {
	"account_by_nik", "SELECT " COLS " FROM account WHERE nik_bidx = $1", NULL};
static const struct pd_sql SQL_LIST = {
	"account_list", "SELECT " COLS " FROM account WHERE id > $1 ORDER BY id LIMIT $2", NULL};
static const struct pd_sql SQL_SET_PASSWORD = {
	"account_set_password", "UPDATE account SET password_hash = $2 WHERE id = $1", NULL};
static const struct pd_sql SQL_SET_LANG = {
	"account_set_lang", "UPDATE account SET lang = $2 WHERE id = $1", NULL};
static const struct pd_sql SQL_SET_EMAIL = {
	"account_set_email",
	"UPDATE account SET email_ct = $2, email_bidx = $3, email_verified_ms = $4 WHERE id = $1",
	NULL};
/* Only an account without a NIK gets one this way; changing it is the village office's work. */
static const struct pd_sql SQL_SET_NIK = {
	"account_set_nik",
	"UPDATE account SET nik_ct = $2, nik_bidx = $3, nik_district = $4, nik_verified = 0 "
	"WHERE id = $1 AND nik_bidx IS NULL",
	NULL};
static const struct pd_sql SQL_SET_VERIFIED = {
	"account_set_verified",
	"UPDATE account SET email_verified_ms = $2 WHERE id = $1 AND email_verified_ms IS NULL", NULL};
static const struct pd_sql SQL_SET_DISABLED = {
	"account_set_disabled", "UPDATE account SET disabled = $2 WHERE id = $1", NULL};
static const struct pd_sql SQL_SET_KIND = {
	"account_set_kind", "UPDATE account SET kind = $2 WHERE id = $1", NULL};

static const struct pd_sql SQL_GRANT_INSERT = {
	"grant_insert",
	"INSERT INTO account_grant (account_id, role, unit_id, created_ms) VALUES ($1, $2, $3, $4) "
	"ON CONFLICT (account_id, role, unit_id) DO NOTHING",
	NULL};
static const struct pd_sql SQL_GRANT_LIST = {
	"grant_list",
	"SELECT g.account_id, g.role, g.unit_id, u.path, u.slug, g.created_ms FROM account_grant g "
	"JOIN unit u ON u.id = g.unit_id WHERE g.account_id = $1 ORDER BY g.role, u.path LIMIT $2",
	NULL};

static const struct pd_sql SQL_TOKEN_INSERT = {
	"token_insert",
	"INSERT INTO account_token (token_hash, kind, account_id, created_ms, expires_ms) "
	"VALUES ($1, $2, $3, $4, $5)",
	NULL};
static const struct pd_sql SQL_TOKEN_TAKE = {
	"token_take",
	"UPDATE account_token SET used_ms = $3 WHERE token_hash = $1 AND kind = $2 "
	"AND used_ms IS NULL AND expires_ms > $3 RETURNING account_id",
	NULL};
static const struct pd_sql SQL_TOKEN_PEEK = {
	"token_peek",
	"SELECT account_id FROM account_token WHERE token_hash = $1 AND kind = $2 "
	"AND used_ms IS NULL AND expires_ms > $3",
	NULL};
static const struct pd_sql SQL_TOKEN_USE_ALL = {
	"token_use_all",
	"UPDATE account_token SET used_ms = $3 WHERE account_id = $1 AND kind = $2 "
	"AND used_ms IS NULL",
	NULL};

/* PostgreSQL only (store.h: pd_tx_is_pg): a lock on one throttle key until the transaction
 * ends, taken before its counter is read. Nodes count failures in READ COMMITTED write
 * transactions that read the counter and write it back; without the lock, failures sent to
 * several nodes at once overwrote each other (SQLite's single writer never interleaves them).
 * The lock's own statement ends before the read, whose snapshot then sees the last holder's
 * commit. Advisory locks are allowed in read-only transactions; the two-key form does not
 * overlap the one-key locks of migrations and the audit log. */
static const struct pd_sql SQL_THROTTLE_LOCK = {
	"throttle_lock", "SELECT $1",
	"SELECT pg_advisory_xact_lock(1885697140, hashtext(encode($1, 'hex')))"};
static const struct pd_sql SQL_THROTTLE_GET = {
	"throttle_get",
	"SELECT failures, window_start_ms, locked_until_ms FROM signin_throttle WHERE key = $1",
	NULL};
static const struct pd_sql SQL_THROTTLE_PUT = {
	"throttle_put",
	"INSERT INTO signin_throttle (key, failures, window_start_ms, locked_until_ms) "
	"VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
	"window_start_ms = excluded.window_start_ms, locked_until_ms = excluded.locked_until_ms",
	NULL};
static const struct pd_sql SQL_THROTTLE_CLEAR = {
	"throttle_clear", "DELETE FROM signin_throttle WHERE key = $1", NULL};

/* Batched purges of the periodic job (jobs/identity_purge.c): at most $2 (or $3) rows a call.
 * A throttle row whose window has passed and whose lock has ended counts nothing any more: the
 * next failure would start from zero with or without it. */
static const struct pd_sql SQL_TOKEN_PURGE = {
	"token_purge",
	"DELETE FROM account_token WHERE token_hash IN (SELECT token_hash FROM account_token "
	"WHERE used_ms IS NOT NULL OR expires_ms <= $1 LIMIT $2)",
	NULL};
static const struct pd_sql SQL_THROTTLE_PURGE = {
	"throttle_purge",
	"DELETE FROM signin_throttle WHERE key IN (SELECT key FROM signin_throttle "
	"WHERE window_start_ms < $1 AND locked_until_ms <= $2 LIMIT $3)",
	NULL};

static void row(struct pd_q *q, struct pd_arena *a, struct pd_account_row *o)
{
	o->id = pd_q_col_dup(q, 0, a);
	o->kind = pd_q_col_dup(q, 1, a);
	o->email_ct = pd_q_col_blob_dup(q, 2, a);
	o->email_bidx = pd_q_col_blob_dup(q, 3, a);
	o->name_ct = pd_q_col_blob_dup(q, 4, a);
	o->phone_ct = pd_q_col_blob_dup(q, 5, a);
	o->nik_ct = pd_q_col_blob_dup(q, 6, a);
	o->nik_bidx = pd_q_col_blob_dup(q, 7, a);
	o->nik_verified = pd_q_col_int(q, 8) != 0;
	o->nik_district = pd_q_isnull(q, 9) ? NULL : pd_q_col_dup(q, 9, a);
	o->home_village_id = pd_q_isnull(q, 10) ? NULL : pd_q_col_dup(q, 10, a);
	o->subject_key = pd_q_col_blob_dup(q, 11, a);
	o->password_hash = pd_q_col_dup(q, 12, a);
	o->email_verified_ms = pd_q_isnull(q, 13) ? 0 : pd_q_col_int(q, 13);
	o->lang = pd_q_isnull(q, 14) ? NULL : pd_q_col_dup(q, 14, a);
	o->disabled = pd_q_col_int(q, 15) != 0;
	o->created_ms = pd_q_col_int(q, 16);
	o->erased_ms = pd_q_isnull(q, 17) ? 0 : pd_q_col_int(q, 17);
}

static enum pd_qs one(struct pd_tx *tx, struct pd_q *q, struct pd_arena *a,
                      struct pd_account_row *out)
{
	int rc = pd_q_step(q);
	if (rc < 0)
		return PD_QS_HARD;
	if (rc == 0) {
		pd_q_close(q);
		return PD_QS_NONE;
	}
	row(q, a ? a : pd_tx_arena(tx), out);
	pd_q_close(q);
	return PD_QS_ONE;
}

enum pd_qs pd_store_account_insert(struct pd_tx *tx, const struct pd_account_row *a)
{
	struct pd_q *q = pd_q_open(tx, &SQL_INSERT);
	pd_q_text(q, 1, a->id);
	pd_q_text(q, 2, a->kind);
	pd_q_blob_or_null(q, 3, a->email_ct);
	pd_q_blob_or_null(q, 4, a->email_bidx);
	pd_q_blob_or_null(q, 5, a->name_ct);
	pd_q_blob_or_null(q, 6, a->phone_ct);
	pd_q_blob_or_null(q, 7, a->nik_ct);
	pd_q_blob_or_null(q, 8, a->nik_bidx);
	pd_q_int(q, 9, a->nik_verified ? 1 : 0);
	pd_q_text(q, 10, a->nik_district);
	pd_q_text(q, 11, a->home_village_id);
	pd_q_blob_or_null(q, 12, a->subject_key);
	pd_q_text(q, 13, a->password_hash ? a->password_hash : "");
	pd_q_int_or_null(q, 14, a->email_verified_ms);
	pd_q_text(q, 15, a->lang);
	pd_q_int(q, 16, a->disabled ? 1 : 0);
	pd_q_int(q, 17, a->created_ms);
	pd_q_int_or_null(q, 18, a->erased_ms);
	return pd_q_exec(q) == 1 ? PD_QS_ONE : PD_QS_HARD;
}

enum pd_qs pd_store_account_by_id(struct pd_tx *tx, const char *id, struct pd_arena *a,
                                  struct pd_account_row *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_BY_ID);
	pd_q_text(q, 1, id);
	return one(tx, q, a, out);
}

enum pd_qs pd_store_account_by_email(struct pd_tx *tx, struct pd_blob bidx, struct pd_arena *a,
                                     struct pd_account_row *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_BY_EMAIL);
	pd_q_blob_or_null(q, 1, bidx);
	return one(tx, q, a, out);
}

enum pd_qs pd_store_account_by_nik(struct pd_tx *tx, struct pd_blob bidx, struct pd_arena *a,
                                   struct pd_account_row *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_BY_NIK);
	pd_q_blob_or_null(q, 1, bidx);
	return one(tx, q, a, out);
}

static enum pd_qs set_text(struct pd_tx *tx, const struct pd_sql *sql, const char *id,
                           const char *value)
{
	struct pd_q *q = pd_q_open(tx, sql);
	pd_q_text(q, 1, id);
	pd_q_text(q, 2, value);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_account_set_password(struct pd_tx *tx, const char *id, const char *hash)
{
	return set_text(tx, &SQL_SET_PASSWORD, id, hash);
}

enum pd_qs pd_store_account_set_lang(struct pd_tx *tx, const char *id, const char *lang)
{
	return set_text(tx, &SQL_SET_LANG, id, lang);
}

enum pd_qs pd_store_account_set_kind(struct pd_tx *tx, const char *id, const char *kind)
{
	return set_text(tx, &SQL_SET_KIND, id, kind);
}

enum pd_qs pd_store_account_set_nik(struct pd_tx *tx, const char *id, struct pd_blob ct,
                                    struct pd_blob bidx, const char *district)
{
	struct pd_q *q = pd_q_open(tx, &SQL_SET_NIK);
	pd_q_text(q, 1, id);
	pd_q_blob_or_null(q, 2, ct);
	pd_q_blob_or_null(q, 3, bidx);
	pd_q_text(q, 4, district);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_account_set_email(struct pd_tx *tx, const char *id, struct pd_blob ct,
                                      struct pd_blob bidx, int64_t verified_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_SET_EMAIL);
	pd_q_text(q, 1, id);
	pd_q_blob_or_null(q, 2, ct);
	pd_q_blob_or_null(q, 3, bidx);
	pd_q_int_or_null(q, 4, verified_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_account_set_email_verified(struct pd_tx *tx, const char *id, int64_t ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_SET_VERIFIED);
	pd_q_text(q, 1, id);
	pd_q_int(q, 2, ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_account_set_disabled(struct pd_tx *tx, const char *id, bool disabled)
{
	struct pd_q *q = pd_q_open(tx, &SQL_SET_DISABLED);
	pd_q_text(q, 1, id);
	pd_q_int(q, 2, disabled ? 1 : 0);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_account_list(struct pd_tx *tx, const char *after_id, struct pd_arena *a,
                                 struct pd_account_row *out, int max, int *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_LIST);
	pd_q_text(q, 1, after_id ? after_id : "");
	pd_q_int(q, 2, max);
	while (*n < max && pd_q_step(q) == 1)
		row(q, a, &out[(*n)++]);
	pd_q_close(q);
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return *n == 0 ? PD_QS_NONE : *n == 1 ? PD_QS_ONE : PD_QS_MANY;
}

enum pd_qs pd_store_grant_insert(struct pd_tx *tx, const char *account_id, const char *role,
                                 const char *unit_id, int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_GRANT_INSERT);
	pd_q_text(q, 1, account_id);
	pd_q_text(q, 2, role);
	pd_q_text(q, 3, unit_id);
	pd_q_int(q, 4, now_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_grant_list(struct pd_tx *tx, const char *account_id, struct pd_arena *a,
                               struct pd_grant_row *out, int max, int *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_GRANT_LIST);
	pd_q_text(q, 1, account_id);
	pd_q_int(q, 2, max);
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_grant_row *g = &out[(*n)++];
		g->account_id = pd_q_col_dup(q, 0, a);
		g->role = pd_q_col_dup(q, 1, a);
		g->unit_id = pd_q_col_dup(q, 2, a);
		g->unit_path = pd_q_col_dup(q, 3, a);
		g->unit_slug = pd_q_col_dup(q, 4, a);
		g->created_ms = pd_q_col_int(q, 5);
	}
	pd_q_close(q);
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return *n == 0 ? PD_QS_NONE : *n == 1 ? PD_QS_ONE : PD_QS_MANY;
}

enum pd_qs pd_store_token_insert(struct pd_tx *tx, struct pd_blob hash, const char *kind,
                                 const char *account_id, int64_t now_ms, int64_t expires_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_TOKEN_INSERT);
	pd_q_blob_or_null(q, 1, hash);
	pd_q_text(q, 2, kind);
	pd_q_text(q, 3, account_id);
	pd_q_int(q, 4, now_ms);
	pd_q_int(q, 5, expires_ms);
	return pd_q_exec(q) == 1 ? PD_QS_ONE : PD_QS_HARD;
}

static enum pd_qs token_query(struct pd_tx *tx, const struct pd_sql *sql, struct pd_blob hash,
                              const char *kind, int64_t now_ms, struct pd_arena *a,
                              const char **account_id)
{
	*account_id = NULL;
	struct pd_q *q = pd_q_open(tx, sql);
	pd_q_blob_or_null(q, 1, hash);
	pd_q_text(q, 2, kind);
	pd_q_int(q, 3, now_ms);
	int rc = pd_q_step(q);
	if (rc == 1) {
		*account_id = pd_q_col_dup(q, 0, a ? a : pd_tx_arena(tx));
		/* Read to the end so an UPDATE … RETURNING completes. */
		while (pd_q_step(q) == 1)
			;
	}
	pd_q_close(q);
	if (rc < 0 || pd_tx_error(tx))
		return PD_QS_HARD;
	return *account_id ? PD_QS_ONE : PD_QS_NONE;
}

enum pd_qs pd_store_token_take(struct pd_tx *tx, struct pd_blob hash, const char *kind,
                               int64_t now_ms, struct pd_arena *a, const char **account_id)
{
	return token_query(tx, &SQL_TOKEN_TAKE, hash, kind, now_ms, a, account_id);
}

enum pd_qs pd_store_token_peek(struct pd_tx *tx, struct pd_blob hash, const char *kind,
                               int64_t now_ms, struct pd_arena *a, const char **account_id)
{
	return token_query(tx, &SQL_TOKEN_PEEK, hash, kind, now_ms, a, account_id);
}

enum pd_qs pd_store_token_use_all(struct pd_tx *tx, const char *account_id, const char *kind,
                                  int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_TOKEN_USE_ALL);
	pd_q_text(q, 1, account_id);
	pd_q_text(q, 2, kind);
	pd_q_int(q, 3, now_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_throttle_get(struct pd_tx *tx, struct pd_blob key, struct pd_throttle *out)
{
	memset(out, 0, sizeof *out);
	if (pd_tx_is_pg(tx)) {
		struct pd_q *lq = pd_q_open(tx, &SQL_THROTTLE_LOCK);
		pd_q_blob_or_null(lq, 1, key);
		int lrc = pd_q_step(lq);
		pd_q_close(lq);
		if (lrc < 0 || pd_tx_error(tx))
			return PD_QS_HARD;
	}
	struct pd_q *q = pd_q_open(tx, &SQL_THROTTLE_GET);
	pd_q_blob_or_null(q, 1, key);
	int rc = pd_q_step(q);
	if (rc == 1) {
		out->failures = pd_q_col_int(q, 0);
		out->window_start_ms = pd_q_col_int(q, 1);
		out->locked_until_ms = pd_q_col_int(q, 2);
	}
	pd_q_close(q);
	if (rc < 0)
		return PD_QS_HARD;
	return rc == 1 ? PD_QS_ONE : PD_QS_NONE;
}

enum pd_qs pd_store_throttle_put(struct pd_tx *tx, struct pd_blob key, const struct pd_throttle *t)
{
	struct pd_q *q = pd_q_open(tx, &SQL_THROTTLE_PUT);
	pd_q_blob_or_null(q, 1, key);
	pd_q_int(q, 2, t->failures);
	pd_q_int(q, 3, t->window_start_ms);
	pd_q_int(q, 4, t->locked_until_ms);
	return pd_q_exec(q) < 0 ? PD_QS_HARD : PD_QS_ONE;
}

enum pd_qs pd_store_throttle_clear(struct pd_tx *tx, struct pd_blob key)
{
	struct pd_q *q = pd_q_open(tx, &SQL_THROTTLE_CLEAR);
	pd_q_blob_or_null(q, 1, key);
	return pd_q_exec(q) < 0 ? PD_QS_HARD : PD_QS_ONE;
}

enum pd_qs pd_store_token_purge(struct pd_tx *tx, int64_t now_ms, int max, int64_t *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_TOKEN_PURGE);
	pd_q_int(q, 1, now_ms);
	pd_q_int(q, 2, max);
	*n = pd_q_exec(q);
	if (*n < 0) {
		*n = 0;
		return PD_QS_HARD;
	}
	return *n ? PD_QS_MANY : PD_QS_NONE;
}

enum pd_qs pd_store_throttle_purge(struct pd_tx *tx, int64_t window_before_ms, int64_t now_ms,
                                   int max, int64_t *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_THROTTLE_PURGE);
	pd_q_int(q, 1, window_before_ms);
	pd_q_int(q, 2, now_ms);
	pd_q_int(q, 3, max);
	*n = pd_q_exec(q);
	if (*n < 0) {
		*n = 0;
		return PD_QS_HARD;
	}
	return *n ? PD_QS_MANY : PD_QS_NONE;
}
