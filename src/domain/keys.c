/* The personal-data keys over their life: start-up checks against the key registry, reloads on
 * a new key generation, rotation, re-encryption in batches and retirement (DESIGN §4). */
#include "domain/keys.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"

#define DO_WHAT "start with the key file that belongs to this database (--keys FILE or " \
                "PENDOPO_KEYS); keys are never stored in the database or in its backups"

/* What the database records about the keys. */
struct state {
	bool has_table;
	int n;
	struct pd_key_record recs[PD_KEY_RECORDS_MAX];
	int64_t generation;
	bool has_index_fp;
	char index_fp[33];
};

static int read_state_tx(struct pd_tx *tx, void *arg)
{
	struct state *s = arg;
	memset(s, 0, sizeof *s);
	if (pd_store_keys_table_exists(tx, &s->has_table) < 0 || !s->has_table)
		return pd_tx_error(tx);
	if (pd_store_keys_list(tx, s->recs, PD_KEY_RECORDS_MAX, &s->n) < 0 ||
	    pd_store_keys_generation(tx, &s->generation) < 0)
		return pd_tx_error(tx);
	enum pd_qs qs = pd_store_keys_index_fp(tx, s->index_fp);
	s->has_index_fp = qs == PD_QS_ONE;
	return pd_tx_error(tx);
}

static struct state *read_state(struct pd_store *st, char *err, size_t errlen)
{
	struct state *s = pd_xmalloc(sizeof *s);
	int rc = pd_store_read(st, read_state_tx, s);
	if (rc) {
		snprintf(err, errlen, "cannot read the key registry: %s", pd_strerror(rc));
		free(s);
		return NULL;
	}
	return s;
}

static const struct pd_key_record *find_rec(const struct state *s, int64_t id)
{
	for (int i = 0; i < s->n; i++)
		if (s->recs[i].id == id)
			return &s->recs[i];
	return NULL;
}

static const struct pd_key_record *active_rec(const struct state *s)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->recs[i].state, "active") == 0)
			return &s->recs[i];
	return NULL;
}

/* Checks a loaded set against the registry; PD_OK or PD_ERR_INVALID with err set. */
static int check_set(const struct state *s, const struct pd_keyset *ks, char *err, size_t errlen)
{
	const char *path = pd_keyset_path(ks);
	for (int i = 0; i < s->n; i++) {
		const struct pd_key_record *r = &s->recs[i];
		if (strcmp(r->state, "retired") == 0)
			continue;
		char fp[PD_CRYPTO_FP_LEN + 1];
		if (!pd_keyset_fingerprint(ks, (uint32_t)r->id, fp)) {
			snprintf(err, errlen,
			         "key %lld (fingerprint %s), recorded as %s in the database, is missing from "
			         "the key file %s: " DO_WHAT,
			         (long long)r->id, r->fingerprint, r->state, path);
			return PD_ERR_INVALID;
		}
		if (strcmp(fp, r->fingerprint) != 0) {
			snprintf(err, errlen,
			         "key %lld in the key file %s has fingerprint %s, but the database "
			         "recorded key %lld with fingerprint %s, so the file belongs to another "
			         "database: " DO_WHAT,
			         (long long)r->id, path, fp, (long long)r->id, r->fingerprint);
			return PD_ERR_INVALID;
		}
	}
	char ifp[PD_CRYPTO_FP_LEN + 1];
	pd_keyset_index_fingerprint(ks, ifp);
	if (s->has_index_fp && strcmp(ifp, s->index_fp) != 0) {
		snprintf(err, errlen,
		         "the index key in the key file %s has fingerprint %s, but the database recorded "
		         "%s (lookups by email, NIK or phone would find nothing): " DO_WHAT,
		         path, ifp, s->index_fp);
		return PD_ERR_INVALID;
	}
	if (s->n && !active_rec(s)) {
		snprintf(err, errlen, "the key registry records no active key");
		return PD_ERR_INVALID;
	}
	return PD_OK;
}

void pd_keys_file(const struct pd_config *cfg, char *out, size_t n)
{
	if (cfg->keys && *cfg->keys)
		snprintf(out, n, "%s", cfg->keys);
	else
		snprintf(out, n, "%s/keys/master.keys", cfg->data);
}

static int live_count(const struct state *s)
{
	int n = 0;
	for (int i = 0; i < s->n; i++)
		n += strcmp(s->recs[i].state, "retired") != 0;
	return n;
}

/* Records every key of the set (the highest active) on a database that has none. */
static int record_initial_tx(struct pd_tx *tx, void *arg)
{
	const struct pd_keyset *ks = arg;
	struct pd_key_record *existing = pd_arena_alloc(pd_tx_arena(tx), sizeof *existing);
	int n = 0;
	if (pd_store_keys_list(tx, existing, 1, &n) < 0)
		return pd_tx_error(tx);
	if (n > 0)
		return PD_ERR_CONFLICT; /* another node recorded its keys first */
	int64_t now = pd_clock_now_ms();
	uint32_t current = pd_keyset_current(ks);
	for (int i = 0; i < pd_keyset_count(ks); i++) {
		struct pd_key_record r = {.created_ms = now};
		uint32_t id;
		pd_keyset_entry(ks, i, &id, r.fingerprint);
		r.id = id;
		snprintf(r.state, sizeof r.state, "%s", id == current ? "active" : "retiring");
		pd_store_keys_insert(tx, &r);
	}
	char ifp[PD_CRYPTO_FP_LEN + 1];
	pd_keyset_index_fingerprint(ks, ifp);
	pd_store_keys_set_index_fp(tx, ifp);
	pd_store_keys_bump_generation(tx);
	return pd_tx_error(tx);
}

static int set_index_fp_tx(struct pd_tx *tx, void *arg)
{
	pd_store_keys_set_index_fp(tx, arg);
	return pd_tx_error(tx);
}

int pd_keys_startup(const struct pd_config *cfg, struct pd_store *st, struct pd_keyset **out,
                    char *err, size_t errlen)
{
	*out = NULL;
	char path[4096];
	pd_keys_file(cfg, path, sizeof path);
	struct pd_keyset *ks = NULL;
	struct state *s = read_state(st, err, errlen);
	if (!s)
		return PD_ERR_DB;
	int rc = PD_ERR_INVALID;
	if (!s->has_table) {
		snprintf(err, errlen, "the database has no key registry: run `pendopo migrate` first");
		rc = PD_ERR_SCHEMA;
		goto out;
	}
	bool fresh = live_count(s) == 0;
	rc = pd_keyset_load(path, fresh, &ks, err, errlen);
	if (rc == PD_ERR_NOT_FOUND) {
		const struct pd_key_record *a = active_rec(s);
		snprintf(err, errlen,
		         "the key file %s does not exist, but the database records key %lld "
		         "(fingerprint %s) as active: " DO_WHAT,
		         path, a ? (long long)a->id : 0LL, a ? a->fingerprint : "?");
	}
	if (rc)
		goto out;
	if (fresh) {
		rc = pd_store_write(st, record_initial_tx, ks);
		if (rc && rc != PD_ERR_CONFLICT) {
			snprintf(err, errlen, "cannot record the keys: %s", pd_strerror(rc));
			goto out;
		}
		free(s);
		if (!(s = read_state(st, err, errlen))) {
			rc = PD_ERR_DB;
			goto out;
		}
	}
	if ((rc = check_set(s, ks, err, errlen)))
		goto out;
	if (!s->has_index_fp) {
		char ifp[PD_CRYPTO_FP_LEN + 1];
		pd_keyset_index_fingerprint(ks, ifp);
		if ((rc = pd_store_write(st, set_index_fp_tx, ifp))) {
			snprintf(err, errlen, "cannot record the index key: %s", pd_strerror(rc));
			goto out;
		}
	}
	const struct pd_key_record *a = active_rec(s);
	pd_keyset_set_current(ks, (uint32_t)a->id);
	pd_keyset_set_generation(ks, s->generation);
	pd_log(PD_LOG_INFO, "keys_loaded", "keys=%d current=%lld fingerprint=%s generation=%lld",
	       pd_keyset_count(ks), (long long)a->id, a->fingerprint, (long long)s->generation);
	*out = ks;
	ks = NULL;
	rc = PD_OK;
out:
	pd_keyset_free(ks);
	free(s);
	return rc;
}

int pd_keys_verify(const struct pd_config *cfg, struct pd_store *st, char *err, size_t errlen)
{
	struct state *s = read_state(st, err, errlen);
	if (!s)
		return PD_ERR_DB;
	int rc = PD_OK;
	struct pd_keyset *ks = NULL;
	if (s->has_table && live_count(s) > 0) {
		char path[4096];
		pd_keys_file(cfg, path, sizeof path);
		rc = pd_keyset_load(path, false, &ks, err, errlen);
		if (rc == PD_ERR_NOT_FOUND) {
			const struct pd_key_record *a = active_rec(s);
			snprintf(err, errlen,
			         "the key file %s does not exist, but the database records key %lld "
			         "(fingerprint %s) as active: " DO_WHAT,
			         path, a ? (long long)a->id : 0LL, a ? a->fingerprint : "?");
		}
		if (!rc)
			rc = check_set(s, ks, err, errlen);
	}
	pd_keyset_free(ks);
	free(s);
	return rc;
}

static int read_generation_tx(struct pd_tx *tx, void *arg)
{
	pd_store_keys_generation(tx, arg);
	return pd_tx_error(tx);
}

int pd_keys_maybe_reload(struct pd_store *st, struct pd_keyset *ks)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static int64_t last_failed = -1;
	int64_t gen = 0;
	int rc = pd_store_read(st, read_generation_tx, &gen);
	if (rc || gen == pd_keyset_generation(ks))
		return rc;
	if (pthread_mutex_trylock(&lock))
		return PD_OK; /* another thread is reloading */
	char err[1024];
	struct pd_keyset *fresh = NULL;
	struct state *s = read_state(st, err, sizeof err);
	rc = s ? PD_OK : PD_ERR_DB;
	if (!rc)
		rc = pd_keyset_load(pd_keyset_path(ks), false, &fresh, err, sizeof err);
	if (!rc)
		rc = check_set(s, fresh, err, sizeof err);
	const struct pd_key_record *a = s ? active_rec(s) : NULL;
	if (!rc && !a) {
		pd_keyset_set_generation(ks, s->generation); /* nothing recorded: nothing to load */
		goto out;
	}
	if (!rc) {
		rc = pd_keyset_replace(ks, fresh, (uint32_t)a->id);
		fresh = NULL;
		if (rc)
			snprintf(err, sizeof err, "the active key %lld is not in the key file",
			         (long long)a->id);
	}
	if (!rc) {
		pd_keyset_set_generation(ks, s->generation);
		pd_log(PD_LOG_INFO, "keys_reloaded", "generation=%lld current=%u keys=%d",
		       (long long)s->generation, (unsigned)pd_keyset_current(ks), pd_keyset_count(ks));
	} else if (gen != last_failed) {
		last_failed = gen;
		char safe[1024];
		pd_log_sanitize(err, safe, sizeof safe);
		pd_log(PD_LOG_ERROR, "keys_reload_failed", "generation=%lld msg=\"%s\"", (long long)gen,
		       safe);
	}
out:
	pd_keyset_free(fresh);
	free(s);
	pthread_mutex_unlock(&lock);
	return rc;
}

/* --- rotation --------------------------------------------------------------------------------- */

struct rotate_arg {
	int64_t old_active, new_id;
	const char *fp;
};

static int rotate_tx(struct pd_tx *tx, void *arg)
{
	const struct rotate_arg *ra = arg;
	struct pd_key_record *recs = pd_arena_alloc(pd_tx_arena(tx), PD_KEY_RECORDS_MAX * sizeof *recs);
	int n = 0;
	if (pd_store_keys_list(tx, recs, PD_KEY_RECORDS_MAX, &n) < 0)
		return pd_tx_error(tx);
	for (int i = 0; i < n; i++) {
		if (recs[i].id == ra->new_id)
			return PD_ERR_CONFLICT;
		if (strcmp(recs[i].state, "active") == 0 && recs[i].id != ra->old_active)
			return PD_ERR_CONFLICT; /* another rotation won */
	}
	if (pd_store_keys_set_state(tx, ra->old_active, "retiring") != PD_QS_ONE)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_CONFLICT;
	struct pd_key_record r = {.id = ra->new_id, .created_ms = pd_clock_now_ms()};
	snprintf(r.fingerprint, sizeof r.fingerprint, "%s", ra->fp);
	snprintf(r.state, sizeof r.state, "active");
	pd_store_keys_insert(tx, &r);
	pd_store_keys_bump_generation(tx);
	return pd_tx_error(tx);
}

int pd_keys_rotate(struct pd_store *st, const char *key_file, const char *new_key_file,
                   uint32_t *new_id, char *err, size_t errlen)
{
	int lock = pd_keyfile_lock(key_file, err, errlen);
	if (lock < 0)
		return PD_ERR_IO;
	struct pd_keyset *ks = NULL;
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	bool have_key = false, added = false;
	struct state *s = read_state(st, err, errlen);
	int rc = s ? PD_OK : PD_ERR_DB;
	if (!rc)
		rc = pd_keyset_load(key_file, false, &ks, err, errlen);
	if (!rc)
		rc = check_set(s, ks, err, errlen);
	if (rc)
		goto out;
	const struct pd_key_record *a = active_rec(s);
	if (!a) {
		snprintf(err, errlen, "no keys are recorded yet: start the server once first");
		rc = PD_ERR_INVALID;
		goto out;
	}
	int64_t max_id = 0;
	for (int i = 0; i < s->n; i++)
		max_id = s->recs[i].id > max_id ? s->recs[i].id : max_id;
	for (int i = 0; i < pd_keyset_count(ks); i++) {
		uint32_t id;
		char fp[PD_CRYPTO_FP_LEN + 1];
		pd_keyset_entry(ks, i, &id, fp);
		max_id = id > max_id ? id : max_id;
	}
	uint32_t id = 0;
	if (new_key_file) {
		if ((rc = pd_keyfile_read_new(new_key_file, &id, key, err, errlen)))
			goto out;
		have_key = true;
		if (id && find_rec(s, id)) {
			snprintf(err, errlen, "key %u is already recorded in the database; give the new key "
			                      "an unused id", (unsigned)id);
			rc = PD_ERR_CONFLICT;
			goto out;
		}
	}
	if (!id) {
		if (max_id >= UINT32_MAX) {
			snprintf(err, errlen, "no key id left");
			rc = PD_ERR_INVALID;
			goto out;
		}
		id = (uint32_t)max_id + 1;
	}
	char fp[PD_CRYPTO_FP_LEN + 1];
	if ((rc = pd_keyfile_append(key_file, id, have_key ? key : NULL, fp, &added, err, errlen)))
		goto out;
	struct rotate_arg ra = {.old_active = a->id, .new_id = id, .fp = fp};
	rc = pd_store_write(st, rotate_tx, &ra);
	if (rc) {
		snprintf(err, errlen, "cannot record key %u: %s%s", (unsigned)id, pd_strerror(rc),
		         rc == PD_ERR_CONFLICT ? " (another rotation ran at the same time)" : "");
		char err2[256];
		if (added && pd_keyfile_remove(key_file, id, err2, sizeof err2))
			pd_log(PD_LOG_WARN, "key_file_cleanup_failed", "key_id=%u", (unsigned)id);
		goto out;
	}
	pd_log(PD_LOG_INFO, "key_rotated", "key_id=%u fingerprint=%s previous=%lld", (unsigned)id, fp,
	       (long long)a->id);
	*new_id = id;
out:
	sodium_memzero(key, sizeof key);
	pd_keyset_free(ks);
	free(s);
	pd_keyfile_unlock(lock);
	return rc;
}

/* --- re-encryption ---------------------------------------------------------------------------- */

struct batch_arg {
	int col;
	const char *after;
	uint32_t current;
	int limit;
	struct pd_keyset *ks;
	/* results of the last (committed) attempt */
	int n_rows, n_done, n_failed;
	char *last_id, *failed_id;
};

static int batch_tx(struct pd_tx *tx, void *arg)
{
	struct batch_arg *ba = arg;
	ba->n_rows = ba->n_done = ba->n_failed = 0;
	free(ba->last_id);
	free(ba->failed_id);
	ba->last_id = ba->failed_id = NULL;
	const struct pd_enc_column *c = pd_store_enc_column(ba->col);
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_enc_row *rows = pd_arena_alloc(a, (size_t)ba->limit * sizeof *rows);
	if (pd_store_enc_batch(tx, ba->col, ba->after, ba->current, a, rows, ba->limit,
	                       &ba->n_rows) < 0)
		return pd_tx_error(tx);
	struct pd_buf out;
	pd_buf_init(&out, 64 * 1024 * 1024);
	for (int i = 0; i < ba->n_rows; i++) {
		pd_buf_reset(&out);
		int rc = c->kind == PD_ENC_SUBJECT_KEY
		                 ? pd_crypto_subject_key_rewrap(ba->ks, rows[i].id, rows[i].blob,
		                                                rows[i].n, &out)
		                 : pd_crypto_reseal(ba->ks, rows[i].blob, rows[i].n, c->table,
		                                    c->blob_column, rows[i].id, &out);
		if (rc) {
			if (!ba->n_failed++)
				ba->failed_id = pd_xstrdup(rows[i].id);
			continue;
		}
		enum pd_qs qs = pd_store_enc_replace(tx, ba->col, rows[i].id, rows[i].blob, rows[i].n,
		                                     out.data, out.len);
		if (qs < 0)
			break;
		ba->n_done += qs == PD_QS_ONE;
	}
	pd_buf_free(&out);
	if (ba->n_rows)
		ba->last_id = pd_xstrdup(rows[ba->n_rows - 1].id);
	return pd_tx_error(tx);
}

struct count_arg {
	int col;
	uint32_t key;
	bool other;
	int64_t n;
};

static int count_tx(struct pd_tx *tx, void *arg)
{
	struct count_arg *ca = arg;
	pd_store_enc_count_key(tx, ca->col, ca->key, ca->other, &ca->n);
	return pd_tx_error(tx);
}

int pd_keys_reencrypt(struct pd_store *st, struct pd_keyset *ks, int batch_size,
                      pd_keys_progress_fn progress, void *arg, char *err, size_t errlen)
{
	if (batch_size < 1)
		batch_size = 500;
	uint32_t current = pd_keyset_current(ks);
	int n_cols = pd_store_enc_count();
	int64_t total = 0, done = 0, failed = 0;
	char first_failed[512] = "";
	for (int i = 0; i < n_cols; i++) {
		struct count_arg ca = {.col = i, .key = current, .other = true};
		int rc = pd_store_read(st, count_tx, &ca);
		if (rc) {
			snprintf(err, errlen, "cannot count the values to re-encrypt: %s", pd_strerror(rc));
			return rc;
		}
		total += ca.n;
	}
	if (progress)
		progress(0, total, arg);
	for (int i = 0; i < n_cols; i++) {
		const struct pd_enc_column *c = pd_store_enc_column(i);
		char *after = NULL;
		for (;;) {
			struct batch_arg ba = {.col = i, .after = after, .current = current,
			                       .limit = batch_size, .ks = ks};
			int rc = pd_store_write(st, batch_tx, &ba);
			free(after);
			after = ba.last_id;
			if (rc) {
				free(after);
				free(ba.failed_id);
				snprintf(err, errlen, "re-encryption of %s.%s failed: %s", c->table,
				         c->blob_column, pd_strerror(rc));
				return rc;
			}
			done += ba.n_done;
			if (ba.n_failed && !failed)
				snprintf(first_failed, sizeof first_failed, "%s.%s %s=%s", c->table,
				         c->blob_column, c->id_column, ba.failed_id);
			failed += ba.n_failed;
			free(ba.failed_id);
			if (progress && ba.n_rows)
				progress(done, total, arg);
			if (ba.n_rows < batch_size)
				break;
		}
		free(after);
	}
	if (failed) {
		snprintf(err, errlen,
		         "%lld values could not be decrypted and stay under their old key (first: %s)",
		         (long long)failed, first_failed);
		pd_log(PD_LOG_ERROR, "reencrypt_failed", "count=%lld", (long long)failed);
		return PD_ERR_CRYPTO;
	}
	return PD_OK;
}

/* --- retirement ------------------------------------------------------------------------------- */

/* Blobs under key id in every registered column; a description of where goes to where. */
static int count_under(struct pd_store *st, uint32_t id, int64_t *total, char *where, size_t n)
{
	*total = 0;
	where[0] = '\0';
	size_t used = 0;
	for (int i = 0; i < pd_store_enc_count(); i++) {
		struct count_arg ca = {.col = i, .key = id};
		int rc = pd_store_read(st, count_tx, &ca);
		if (rc)
			return rc;
		if (ca.n && used < n) {
			const struct pd_enc_column *c = pd_store_enc_column(i);
			int k = snprintf(where + used, n - used, "%s%s.%s: %lld", used ? ", " : "", c->table,
			                 c->blob_column, (long long)ca.n);
			used += k > 0 ? (size_t)k : 0;
		}
		*total += ca.n;
	}
	return PD_OK;
}

struct retire_arg {
	uint32_t id;
};

static int retire_tx(struct pd_tx *tx, void *arg)
{
	const struct retire_arg *ra = arg;
	for (int i = 0; i < pd_store_enc_count(); i++) {
		int64_t n = 0;
		if (pd_store_enc_count_key(tx, i, ra->id, false, &n) < 0)
			return pd_tx_error(tx);
		if (n)
			return PD_ERR_CONFLICT; /* a writer that had not reloaded used it meanwhile */
	}
	if (pd_store_keys_set_state(tx, ra->id, "retired") != PD_QS_ONE)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_NOT_FOUND;
	pd_store_keys_bump_generation(tx);
	return pd_tx_error(tx);
}

int pd_keys_retire(struct pd_store *st, const char *key_file, uint32_t id, char *err,
                   size_t errlen)
{
	int lock = pd_keyfile_lock(key_file, err, errlen);
	if (lock < 0)
		return PD_ERR_IO;
	struct state *s = read_state(st, err, errlen);
	int rc = s ? PD_OK : PD_ERR_DB;
	if (rc)
		goto out;
	const struct pd_key_record *r = find_rec(s, id);
	if (!r) {
		snprintf(err, errlen, "key %u is not recorded in this database", (unsigned)id);
		rc = PD_ERR_NOT_FOUND;
		goto out;
	}
	if (strcmp(r->state, "active") == 0) {
		snprintf(err, errlen,
		         "key %u is the current key: run `pendopo keys rotate` first, then retire it",
		         (unsigned)id);
		rc = PD_ERR_FORBIDDEN;
		goto out;
	}
	if (strcmp(r->state, "retiring") == 0) {
		int64_t n = 0;
		char where[512];
		if ((rc = count_under(st, id, &n, where, sizeof where))) {
			snprintf(err, errlen, "cannot count the values under key %u: %s", (unsigned)id,
			         pd_strerror(rc));
			goto out;
		}
		if (n) {
			snprintf(err, errlen,
			         "key %u still encrypts %lld values (%s): run `pendopo keys reencrypt`, then "
			         "retire it",
			         (unsigned)id, (long long)n, where);
			rc = PD_ERR_CONFLICT;
			goto out;
		}
		struct retire_arg ra = {.id = id};
		if ((rc = pd_store_write(st, retire_tx, &ra))) {
			snprintf(err, errlen, "cannot retire key %u: %s%s", (unsigned)id, pd_strerror(rc),
			         rc == PD_ERR_CONFLICT ? " (a value was written under it meanwhile: run "
			                                 "`pendopo keys reencrypt` again)"
			                               : "");
			goto out;
		}
		pd_log(PD_LOG_INFO, "key_retired", "key_id=%u", (unsigned)id);
	}
	rc = pd_keyfile_remove(key_file, id, err, errlen);
out:
	free(s);
	pd_keyfile_unlock(lock);
	return rc;
}

int pd_keys_register_column(const char *table, const char *id_column, const char *blob_column,
                            enum pd_enc_kind kind)
{
	struct pd_enc_column c = {table, id_column, blob_column, kind};
	return pd_store_enc_register(&c);
}

int pd_keys_records(struct pd_store *st, struct pd_key_record *out, int max, int *n)
{
	char err[256];
	struct state *s = read_state(st, err, sizeof err);
	if (!s)
		return PD_ERR_DB;
	*n = s->n < max ? s->n : max;
	memcpy(out, s->recs, (size_t)*n * sizeof *out);
	free(s);
	return PD_OK;
}
