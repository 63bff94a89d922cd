/* The account holder's address and supporting documents, sealed under their subject key. */
#include "domain/profile.h"

#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "core/uuid.h"
#include "domain/audit.h"
#include "store/account_store.h"
#include "store/profile_store.h"

static int db_error(struct pd_tx *tx)
{
	return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
}

/* The owner's check of every function here: PD_ERR_NOT_FOUND for anyone else. */
static int own(const struct pd_actor *actor, enum pd_action action)
{
	struct pd_authz_object o = {actor ? actor->account_id : NULL, NULL};
	return pd_authz(actor, action, &o);
}

/* The unwrapped subject key of account id; PD_ERR_NOT_FOUND when absent or erased. */
static int account_key(struct pd_tx *tx, const struct pd_keyset *ks, const char *id,
                       unsigned char key[PD_CRYPTO_KEY_BYTES])
{
	struct pd_account_row acc;
	enum pd_qs qs = pd_store_account_by_id(tx, id, NULL, &acc);
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE || !acc.subject_key.p)
		return PD_ERR_NOT_FOUND;
	if (pd_crypto_subject_key_unwrap(ks, id, acc.subject_key.p, acc.subject_key.n, key))
		return PD_ERR_CRYPTO;
	return PD_OK;
}

/* Free text a person typed: at most max code points; tab and line breaks are the only control
 * characters allowed. */
static bool text_ok(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n > 4 * max || !pd_utf8_valid(s, n) || pd_utf8_len(s, n) > max)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7f)
			return false;
	return true;
}

static struct pd_blob seal(struct pd_arena *a, const unsigned char key[PD_CRYPTO_KEY_BYTES],
                           const char *value, const char *table, const char *column,
                           const char *id, int *rc)
{
	struct pd_blob b = {NULL, 0};
	struct pd_buf out;
	pd_buf_init(&out, 64 * 1024);
	*rc = pd_crypto_seal_with(key, value, strlen(value), table, column, id, &out);
	if (!*rc) {
		b.p = pd_arena_memdup(a, out.data, out.len);
		b.n = out.len;
	}
	pd_buf_free(&out);
	return b;
}

/* Opens a sealed value into the arena; NULL for a NULL blob. */
static const char *unseal(struct pd_arena *a, const unsigned char key[PD_CRYPTO_KEY_BYTES],
                          struct pd_blob ct, const char *table, const char *column,
                          const char *id, int *rc)
{
	if (!ct.p)
		return NULL;
	struct pd_buf out;
	pd_buf_init(&out, 64 * 1024);
	const char *s = NULL;
	*rc = pd_crypto_open_with(key, ct.p, ct.n, table, column, id, &out);
	if (!*rc)
		s = pd_arena_strndup(a, pd_buf_cstr(&out), out.len);
	if (out.data)
		sodium_memzero(out.data, out.cap);
	pd_buf_free(&out);
	return s;
}

static int audit(struct pd_tx *tx, const struct pd_actor *actor, const char *action,
                 const char *object_type, const char *object_id)
{
	struct pd_audit_event ev = {
		.actor = pd_arena_printf(pd_tx_arena(tx), "account:%s", actor->account_id),
		.action = action,
		.object_type = object_type,
		.object_id = object_id,
		.subject_id = actor->account_id,
	};
	return pd_audit_append(tx, &ev);
}

/* --- the address ------------------------------------------------------------------------------ */

struct address_read {
	const struct pd_keyset *ks;
	const char *id;
	struct pd_arena *a;
	const char *out;
};

static int address_tx(struct pd_tx *tx, void *p)
{
	struct address_read *ar = p;
	struct pd_blob ct = {NULL, 0};
	enum pd_qs qs = pd_store_profile_address_get(tx, ar->id, NULL, &ct);
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_OK;
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	int rc = account_key(tx, ar->ks, ar->id, key);
	if (!rc)
		ar->out = unseal(ar->a, key, ct, "account_profile", "address_ct", ar->id, &rc);
	sodium_memzero(key, sizeof key);
	return rc;
}

int pd_profile_address(struct pd_store *st, const struct pd_keyset *ks,
                       const struct pd_actor *actor, struct pd_arena *a, const char **out)
{
	*out = NULL;
	int rc = own(actor, PD_ACT_OWN_VIEW);
	if (rc)
		return rc;
	struct address_read ar = {ks, actor->account_id, a, NULL};
	rc = pd_store_read(st, address_tx, &ar);
	*out = ar.out;
	return rc;
}

int pd_profile_set_address(struct pd_tx *tx, const struct pd_keyset *ks,
                           const struct pd_actor *actor, const char *address,
                           struct pd_field_errors *errs)
{
	int rc = own(actor, PD_ACT_OWN_EDIT);
	if (rc)
		return rc;
	if (address && !text_ok(address, PD_ADDRESS_MAX_CHARS)) {
		pd_field_error(errs, "address", N_("Alamat paling banyak 500 karakter, tanpa karakter kendali."));
		return PD_ERR_INVALID;
	}
	struct pd_blob ct = {NULL, 0};
	if (address && *address) {
		unsigned char key[PD_CRYPTO_KEY_BYTES];
		rc = account_key(tx, ks, actor->account_id, key);
		if (!rc)
			ct = seal(pd_tx_arena(tx), key, address, "account_profile", "address_ct",
			          actor->account_id, &rc);
		sodium_memzero(key, sizeof key);
		if (rc)
			return rc;
	}
	if (pd_store_profile_address_put(tx, actor->account_id, ct, pd_clock_now_ms()) <= 0)
		return db_error(tx);
	return audit(tx, actor, "account.address.set", "account", actor->account_id);
}

/* --- supporting documents --------------------------------------------------------------------- */

int pd_profile_doc_add(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_actor *actor,
                       const struct pd_attachment_file *f, const char *note,
                       struct pd_field_errors *errs, char id_out[37])
{
	id_out[0] = '\0';
	int rc = own(actor, PD_ACT_OWN_EDIT);
	if (rc)
		return rc;
	if (note && !text_ok(note, PD_DOC_NOTE_MAX_CHARS)) {
		pd_field_error(errs, "note", N_("Keterangan paling banyak 1000 karakter, tanpa karakter kendali."));
		return PD_ERR_INVALID;
	}
	int64_t count = 0;
	if (pd_store_account_doc_count(tx, actor->account_id, &count) < 0)
		return db_error(tx);
	if (count >= PD_DOCS_MAX) {
		pd_field_error(errs, "document", N_("Sudah ada 100 dokumen. Hapus yang tidak diperlukan lagi."));
		return PD_ERR_INVALID;
	}
	char attachment_id[37];
	rc = pd_attachment_put(tx, ks, actor->account_id, f, attachment_id);
	if (rc == PD_ERR_INVALID)
		pd_field_error(errs, "document", N_("Pilih berkas PDF, JPEG, atau PNG yang tidak kosong."));
	else if (rc == PD_ERR_TOO_LARGE)
		pd_field_error(errs, "document", N_("Berkas paling besar 10 MB."));
	if (rc)
		return rc;

	char id[PD_UUID_LEN + 1];
	pd_uuid7(id);
	struct pd_account_doc_row row = {.id = id, .account_id = actor->account_id,
	                                 .attachment_id = attachment_id,
	                                 .created_ms = pd_clock_now_ms()};
	if (note && *note) {
		unsigned char key[PD_CRYPTO_KEY_BYTES];
		rc = account_key(tx, ks, actor->account_id, key);
		if (!rc)
			row.note_ct = seal(pd_tx_arena(tx), key, note, "account_document", "note_ct", id, &rc);
		sodium_memzero(key, sizeof key);
		if (rc)
			return rc;
	}
	if (pd_store_account_doc_insert(tx, &row) <= 0)
		return db_error(tx);
	rc = audit(tx, actor, "account.document.add", "account_document", id);
	if (!rc)
		memcpy(id_out, id, sizeof id);
	return rc;
}

/* Opens one document row (its note and its file's description) with the owner's key. */
static int open_doc(struct pd_tx *tx, const struct pd_keyset *ks,
                    const unsigned char key[PD_CRYPTO_KEY_BYTES],
                    const struct pd_account_doc_row *row, struct pd_arena *a,
                    struct pd_profile_doc *out)
{
	int rc = PD_OK;
	out->id = pd_arena_strdup(a, row->id); /* row is in the transaction's arena */
	out->note = unseal(a, key, row->note_ct, "account_document", "note_ct", row->id, &rc);
	if (!rc)
		rc = pd_attachment_info(tx, ks, row->attachment_id, a, &out->file);
	return rc;
}

struct doc_list {
	const struct pd_keyset *ks;
	const char *owner;
	struct pd_arena *a;
	struct pd_profile_doc *out;
	int max, n;
};

static int doc_list_tx(struct pd_tx *tx, void *p)
{
	struct doc_list *dl = p;
	dl->n = 0;
	struct pd_account_doc_row *rows = pd_arena_alloc(pd_tx_arena(tx), (size_t)dl->max * sizeof *rows);
	int n = 0;
	if (pd_store_account_doc_list(tx, dl->owner, pd_tx_arena(tx), rows, dl->max, &n) < 0)
		return db_error(tx);
	if (n == 0)
		return PD_OK;
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	int rc = account_key(tx, dl->ks, dl->owner, key);
	for (int i = 0; !rc && i < n; i++)
		rc = open_doc(tx, dl->ks, key, &rows[i], dl->a, &dl->out[i]);
	sodium_memzero(key, sizeof key);
	if (!rc)
		dl->n = n;
	return rc;
}

int pd_profile_doc_list(struct pd_store *st, const struct pd_keyset *ks,
                        const struct pd_actor *actor, struct pd_arena *a,
                        struct pd_profile_doc *out, int max, int *n)
{
	*n = 0;
	int rc = own(actor, PD_ACT_OWN_VIEW);
	if (rc)
		return rc;
	struct doc_list dl = {ks, actor->account_id, a, out, max, 0};
	rc = pd_store_read(st, doc_list_tx, &dl);
	*n = dl.n;
	return rc;
}

struct doc_read {
	const struct pd_keyset *ks;
	const struct pd_actor *actor;
	const char *id;
	struct pd_arena *a;
	struct pd_profile_doc *doc;
	pd_attachment_sink fn;
	void *arg;
};

static int doc_read_tx(struct pd_tx *tx, void *p)
{
	struct doc_read *dr = p;
	struct pd_account_doc_row row;
	if (!pd_uuid_valid(dr->id))
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_account_doc_get(tx, dr->id, NULL, &row);
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	/* Another citizen's document answers as if it did not exist. */
	struct pd_authz_object o = {row.account_id, NULL};
	int rc = pd_authz(dr->actor, PD_ACT_OWN_VIEW, &o);
	if (rc)
		return rc;
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	rc = account_key(tx, dr->ks, row.account_id, key);
	if (!rc)
		rc = open_doc(tx, dr->ks, key, &row, dr->a, dr->doc);
	sodium_memzero(key, sizeof key);
	if (!rc)
		rc = pd_attachment_read(tx, dr->ks, row.attachment_id, dr->fn, dr->arg);
	return rc;
}

int pd_profile_doc_read(struct pd_store *st, const struct pd_keyset *ks,
                        const struct pd_actor *actor, const char *id, struct pd_arena *a,
                        struct pd_profile_doc *doc, pd_attachment_sink fn, void *arg)
{
	memset(doc, 0, sizeof *doc);
	int rc = own(actor, PD_ACT_OWN_VIEW);
	if (rc)
		return rc;
	struct doc_read dr = {ks, actor, id, a, doc, fn, arg};
	return pd_store_read(st, doc_read_tx, &dr);
}
