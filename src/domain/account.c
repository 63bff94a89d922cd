/* Accounts: input checks (passwords, NIK), argon2id, sealed personal fields under a
 * per-subject key, registration with email verification, password reset and settings. */
#include "domain/account.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/embed.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/str.h"
#include "core/uuid.h"
#include "domain/account_internal.h"
#include "domain/audit.h"
#include "domain/mail.h"
#include "store/unit_store.h"

#define B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING

/* A hash of a random password at the current cost, verified when the account is unknown so
 * that both answers take one argon2id verification. */
static const char DUMMY_HASH[] =
	"$argon2id$v=19$m=19456,t=2,p=1$LE4FFES0uVum1knxNLbt0Q$cRINeZ4+1t/2X0r4Lsq2XW+6Z5BjKgs06J6p2z7mzJU";

void pd_field_error(struct pd_field_errors *e, const char *field, const char *msgid)
{
	for (int i = 0; i < e->n; i++)
		if (strcmp(e->field[i], field) == 0)
			return;
	if (e->n < (int)(sizeof e->field / sizeof e->field[0])) {
		e->field[e->n] = field;
		e->msg[e->n] = msgid;
		e->n++;
	}
}

/* --- the common-password list: a read-only hash set built once ------------------------------- */

static struct {
	pthread_once_t once;
	char *text;          /* the list, lines NUL-terminated in place */
	const char **slots;  /* open addressing, power-of-two size */
	size_t mask;
} common = {.once = PTHREAD_ONCE_INIT};

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static void common_load(void)
{
	const struct pd_embedded *f = pd_embed_find("data/common-passwords.txt");
	if (!f) {
		pd_log(PD_LOG_ERROR, "common_passwords_missing", NULL);
		return;
	}
	common.text = pd_xmalloc(f->len + 1);
	memcpy(common.text, f->data, f->len);
	common.text[f->len] = '\0';
	size_t size = 1;
	while (size < 4 * 10000)
		size <<= 1;
	common.slots = pd_xcalloc(size, sizeof *common.slots);
	common.mask = size - 1;
	size_t used = 0;
	for (char *line = common.text; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		size_t n = strlen(line);
		if (n && line[0] != '#' && used < size / 2) {
			size_t k = fnv1a(line, n) & common.mask;
			while (common.slots[k] && strcmp(common.slots[k], line) != 0)
				k = (k + 1) & common.mask;
			if (!common.slots[k]) {
				common.slots[k] = line;
				used++;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
}

static bool is_common(const char *password)
{
	pthread_once(&common.once, common_load);
	if (!common.slots)
		return false;
	char lower[PD_PASSWORD_MAX_BYTES + 1];
	size_t n = strlen(password);
	if (n > PD_PASSWORD_MAX_BYTES)
		return false;
	for (size_t i = 0; i <= n; i++) {
		char c = password[i];
		lower[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
	}
	size_t k = fnv1a(lower, n) & common.mask;
	while (common.slots[k]) {
		if (strcmp(common.slots[k], lower) == 0)
			return true;
		k = (k + 1) & common.mask;
	}
	return false;
}

const char *pd_password_problem(const char *password)
{
	if (!password || !*password)
		return N_("Isi kata sandi.");
	size_t n = strlen(password);
	if (n > PD_PASSWORD_MAX_BYTES)
		return N_("Kata sandi terlalu panjang (paling banyak 1024 bita).");
	if (!pd_utf8_valid(password, n))
		return N_("Kata sandi memuat karakter yang tidak sah.");
	if (pd_utf8_len(password, n) < PD_PASSWORD_MIN)
		return N_("Kata sandi paling sedikit 12 karakter.");
	if (is_common(password))
		return N_("Kata sandi ini termasuk yang paling sering dipakai dan mudah ditebak. Pilih yang lain.");
	return NULL;
}

/* --- NIK ----------------------------------------------------------------------------------- */

/* Kemendagri province codes (the first two digits of a NIK). */
static const char *const provinces[] = {
	"11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33",
	"34", "35", "36", "51", "52", "53", "61", "62", "63", "64", "65", "71", "72",
	"73", "74", "75", "76", "81", "82", "91", "92", "93", "94", "95", "96",
};

int pd_nik_check(const char *in, char out[17], char district[7])
{
	char nik[17];
	if (!in || pd_crypto_norm_nik(in, nik))
		return PD_ERR_INVALID;
	bool province = false;
	for (size_t i = 0; i < sizeof provinces / sizeof provinces[0]; i++)
		if (memcmp(nik, provinces[i], 2) == 0)
			province = true;
	if (!province || memcmp(nik + 2, "00", 2) == 0 || memcmp(nik + 4, "00", 2) == 0)
		return PD_ERR_INVALID;
	int64_t dd, mm;
	if (pd_parse_i64n(nik + 6, 2, 0, 99, &dd) || pd_parse_i64n(nik + 8, 2, 0, 99, &mm))
		return PD_ERR_INVALID;
	if (dd > 40)
		dd -= 40; /* women: day + 40 */
	static const int days[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (mm < 1 || mm > 12 || dd < 1 || dd > days[mm])
		return PD_ERR_INVALID;
	if (memcmp(nik + 12, "0000", 4) == 0)
		return PD_ERR_INVALID;
	memcpy(out, nik, 17);
	memcpy(district, nik, 6);
	district[6] = '\0';
	return PD_OK;
}

/* --- passwords ----------------------------------------------------------------------------- */

int pd_password_hash(const char *password, char out[PD_HASH_MAX])
{
	if (crypto_pwhash_str_alg(out, password, strlen(password), PD_PASSWORD_OPSLIMIT,
	                          PD_PASSWORD_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return PD_ERR_NOMEM;
	return PD_OK;
}

bool pd_password_verify(const char *hash, const char *password, bool *needs_rehash)
{
	bool real = hash && *hash;
	const char *h = real ? hash : DUMMY_HASH;
	if (needs_rehash)
		*needs_rehash = false;
	bool ok = crypto_pwhash_str_verify(h, password, strlen(password)) == 0;
	if (!real)
		return false;
	if (ok && needs_rehash)
		*needs_rehash = crypto_pwhash_str_needs_rehash(h, PD_PASSWORD_OPSLIMIT,
		                                               PD_PASSWORD_MEMLIMIT) != 0;
	return ok;
}

bool pd_account_may_file(const struct pd_actor *actor)
{
	return actor && actor->account_id && !actor->system && actor->email_verified;
}

/* --- shared helpers ------------------------------------------------------------------------ */

void pd_acct_token_new(char text[PD_SESSION_TOKEN_LEN + 1], unsigned char hash[PD_TOKEN_HASH_BYTES])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(text, PD_SESSION_TOKEN_LEN + 1, raw, sizeof raw, B64);
	crypto_generichash(hash, PD_TOKEN_HASH_BYTES, raw, sizeof raw, NULL, 0);
	sodium_memzero(raw, sizeof raw);
}

bool pd_acct_token_hash(const char *text, unsigned char hash[PD_TOKEN_HASH_BYTES])
{
	unsigned char raw[32];
	size_t n = 0;
	if (!text || strlen(text) != PD_SESSION_TOKEN_LEN ||
	    sodium_base642bin(raw, sizeof raw, text, PD_SESSION_TOKEN_LEN, NULL, &n, NULL, B64) ||
	    n != sizeof raw)
		return false;
	crypto_generichash(hash, PD_TOKEN_HASH_BYTES, raw, sizeof raw, NULL, 0);
	return true;
}

int pd_acct_email_index(const struct pd_keyset *ks, const char *email,
                        unsigned char out[PD_CRYPTO_BLIND_BYTES], char *norm, size_t normlen)
{
	char buf[PD_MAIL_ADDR_MAX];
	if (!email || pd_crypto_norm_email(email, buf, sizeof buf) || !pd_mail_address_valid(buf))
		return PD_ERR_INVALID;
	if (norm) {
		if (strlen(buf) >= normlen)
			return PD_ERR_INVALID;
		memcpy(norm, buf, strlen(buf) + 1);
	}
	return pd_crypto_blind_index(ks, "email", buf, out);
}

const char *pd_acct_audit_actor(struct pd_arena *a, const char *account_id)
{
	return pd_arena_printf(a, "account:%s", account_id);
}

int pd_acct_audit(struct pd_tx *tx, const char *actor, const char *action, const char *id)
{
	struct pd_audit_event ev = {
		.actor = actor ? actor : pd_acct_audit_actor(pd_tx_arena(tx), id),
		.action = action,
		.object_type = "account",
		.object_id = id,
		.subject_id = id,
	};
	return pd_audit_append(tx, &ev);
}

int pd_acct_mail(struct pd_tx *tx, const char *to, const char *lang, const char *subject,
                 const char *para1, const char *url, const char *para2)
{
	struct pd_buf body;
	pd_buf_init(&body, 64 * 1024);
	pd_buf_printf(&body, "%s\n\n", pd_i18n_text(lang, para1));
	if (url)
		pd_buf_printf(&body, "%s\n\n", url);
	if (para2)
		pd_buf_printf(&body, "%s\n", pd_i18n_text(lang, para2));
	int rc = pd_mail_enqueue(tx, to, pd_i18n_text(lang, subject), pd_buf_cstr(&body), NULL);
	pd_buf_free(&body);
	return rc;
}

int pd_acct_token_issue(struct pd_tx *tx, const char *kind, const char *id, int64_t ttl_ms,
                        char text[PD_SESSION_TOKEN_LEN + 1])
{
	unsigned char hash[PD_TOKEN_HASH_BYTES];
	pd_acct_token_new(text, hash);
	int64_t now = pd_clock_now_ms();
	struct pd_blob h = {hash, sizeof hash};
	if (pd_store_token_insert(tx, h, kind, id, now, now + ttl_ms) <= 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
	return PD_OK;
}

/* --- sealed fields ------------------------------------------------------------------------- */

struct pd_blob pd_account_seal(struct pd_arena *a, const unsigned char raw_key[32],
                               const char *id, const char *column, const char *value)
{
	struct pd_blob b = {NULL, 0};
	if (!value)
		return b;
	struct pd_buf out;
	pd_buf_init(&out, 1 << 16);
	if (pd_crypto_seal_with(raw_key, value, strlen(value), "account", column, id, &out) == PD_OK) {
		b.p = pd_arena_memdup(a, out.data, out.len);
		b.n = out.len;
	}
	pd_buf_free(&out);
	return b;
}

static const char *open_field(struct pd_arena *a, const unsigned char key[32], const char *id,
                              const char *column, struct pd_blob ct, int *rc)
{
	if (!ct.p)
		return NULL;
	struct pd_buf out;
	pd_buf_init(&out, 1 << 16);
	const char *s = NULL;
	if (pd_crypto_open_with(key, ct.p, ct.n, "account", column, id, &out) == PD_OK)
		s = pd_arena_strndup(a, pd_buf_cstr(&out), out.len);
	else
		*rc = PD_ERR_CRYPTO;
	sodium_memzero(out.data ? out.data : (char *)"", out.data ? out.len : 0);
	pd_buf_free(&out);
	return s;
}

int pd_account_load(struct pd_tx *tx, const struct pd_keyset *ks, const char *id,
                    struct pd_arena *a, struct pd_account *out)
{
	memset(out, 0, sizeof *out);
	enum pd_qs qs = pd_store_account_by_id(tx, id, a, &out->row);
	if (qs < 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	if (!out->row.subject_key.p || !ks)
		return PD_OK; /* erased, or opened without keys: ids and flags only */
	unsigned char key[32];
	if (pd_crypto_subject_key_unwrap(ks, id, out->row.subject_key.p, out->row.subject_key.n, key))
		return PD_ERR_CRYPTO;
	int rc = PD_OK;
	out->email = open_field(a, key, id, "email", out->row.email_ct, &rc);
	out->name = open_field(a, key, id, "name", out->row.name_ct, &rc);
	out->phone = open_field(a, key, id, "phone", out->row.phone_ct, &rc);
	out->nik = open_field(a, key, id, "nik", out->row.nik_ct, &rc);
	sodium_memzero(key, sizeof key);
	return rc;
}

struct view_arg {
	const struct pd_keyset *ks;
	const char *id;
	struct pd_arena *a;
	struct pd_account *out;
};

static int view_tx(struct pd_tx *tx, void *p)
{
	struct view_arg *va = p;
	return pd_account_load(tx, va->ks, va->id, va->a, va->out);
}

int pd_account_view_own(struct pd_store *st, const struct pd_keyset *ks,
                        const struct pd_actor *actor, struct pd_arena *a, struct pd_account *out)
{
	struct pd_authz_object own = {actor ? actor->account_id : NULL, NULL};
	int rc = pd_authz(actor, PD_ACT_OWN_VIEW, &own);
	if (rc)
		return rc;
	struct view_arg va = {ks, actor->account_id, a, out};
	return pd_store_read(st, view_tx, &va);
}

/* --- registration -------------------------------------------------------------------------- */

static void nik_invalid(struct pd_field_errors *errs)
{
	pd_field_error(errs, "nik", N_("NIK tidak sah: 16 angka dengan kode provinsi dan tanggal lahir yang benar."));
}

void pd_account_check_registration(const struct pd_registration *in, const char *password,
                                   struct pd_field_errors *errs)
{
	size_t n = in->name ? strlen(in->name) : 0;
	if (!n || !in->name[strspn(in->name, " \t")])
		pd_field_error(errs, "name", N_("Isi nama lengkap."));
	else if (n > 300 || pd_utf8_len(in->name, n) > 100)
		pd_field_error(errs, "name", N_("Nama paling banyak 100 karakter."));
	else
		for (const unsigned char *p = (const unsigned char *)in->name; *p; p++)
			if (*p < 0x20 || *p == 0x7f) {
				pd_field_error(errs, "name", N_("Nama memuat karakter yang tidak sah."));
				break;
			}
	char norm[PD_MAIL_ADDR_MAX];
	if (!in->email || !*in->email)
		pd_field_error(errs, "email", N_("Isi alamat email."));
	else if (pd_crypto_norm_email(in->email, norm, sizeof norm) || !pd_mail_address_valid(norm))
		pd_field_error(errs, "email", N_("Alamat email tidak sah, contoh: nama@contoh.id."));
	if (password) {
		const char *why = pd_password_problem(password);
		if (why)
			pd_field_error(errs, "password", why);
	}
	char phone[32];
	if (in->phone && *in->phone && pd_crypto_norm_phone(in->phone, phone, sizeof phone))
		pd_field_error(errs, "phone", N_("Nomor telepon tidak sah, contoh: 0812 3456 7890."));
	char nik[17], district[7];
	if (in->nik && *in->nik && pd_nik_check(in->nik, nik, district))
		nik_invalid(errs);
}

int pd_acct_nik_claim(struct pd_tx *tx, const struct pd_keyset *ks, const char *in, char nik[17],
                      char district[7], unsigned char bidx[PD_CRYPTO_BLIND_BYTES],
                      struct pd_field_errors *errs)
{
	if (!in || pd_nik_check(in, nik, district)) {
		nik_invalid(errs);
		return PD_ERR_INVALID;
	}
	if (pd_crypto_blind_index(ks, "nik", nik, bidx))
		return PD_ERR_CRYPTO;
	struct pd_account_row other;
	enum pd_qs qs = pd_store_account_by_nik(tx, (struct pd_blob){bidx, PD_CRYPTO_BLIND_BYTES},
	                                        pd_tx_arena(tx), &other);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs > 0) {
		pd_field_error(errs, "nik", N_("NIK ini sudah terdaftar pada akun lain. Satu NIK hanya untuk satu akun."));
		return PD_ERR_INVALID;
	}
	return PD_OK;
}

static int register_body(struct pd_tx *tx, const struct pd_keyset *ks,
                         const struct pd_registration *in, struct pd_register_result *out)
{
	struct pd_arena *a = pd_tx_arena(tx);
	int64_t now = pd_clock_now_ms();
	const char *lang = in->lang ? in->lang : PD_I18N_DEFAULT;
	struct pd_account_row row = {.kind = in->kind ? in->kind : "citizen", .created_ms = now,
	                             .password_hash = in->password_hash, .lang = in->lang};
	if (in->village_slug && *in->village_slug) {
		struct pd_unit u;
		enum pd_qs qs = pd_store_unit_by_slug(tx, in->village_slug, a, &u);
		if (qs < 0)
			return pd_tx_error(tx);
		if (qs == PD_QS_NONE || strcmp(u.kind, "village") != 0) {
			pd_field_error(&out->errs, "village", N_("Pilih desa atau kelurahan dari daftar."));
			return PD_ERR_INVALID;
		}
		row.home_village_id = u.id;
	}
	char nik[17] = "", district[7] = "";
	unsigned char nik_bidx[PD_CRYPTO_BLIND_BYTES];
	if (in->nik && *in->nik) {
		int rc = pd_acct_nik_claim(tx, ks, in->nik, nik, district, nik_bidx, &out->errs);
		if (rc)
			return rc;
		row.nik_bidx = (struct pd_blob){nik_bidx, sizeof nik_bidx};
		row.nik_district = district;
	}
	char email[PD_MAIL_ADDR_MAX];
	unsigned char email_bidx[PD_CRYPTO_BLIND_BYTES];
	if (pd_acct_email_index(ks, in->email, email_bidx, email, sizeof email))
		return PD_ERR_INVALID;
	struct pd_account_row other;
	enum pd_qs qs = pd_store_account_by_email(tx, (struct pd_blob){email_bidx, sizeof email_bidx}, a,
	                                          &other);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs > 0) {
		/* Same answer as for a new address; the owner of the address hears about it. */
		out->email_taken = true;
		return pd_acct_mail(tx, email, lang, N_("Pendaftaran dengan alamat email Anda"),
		                    N_("Seseorang mencoba mendaftar dengan alamat email ini, tetapi alamat ini sudah memiliki akun. Jika itu Anda, masuk atau atur ulang kata sandi di:"),
		                    pd_arena_printf(a, "%s/lupa-sandi", in->base_url),
		                    N_("Jika bukan Anda, abaikan email ini."));
	}
	char phone[32] = "";
	if (in->phone && *in->phone && pd_crypto_norm_phone(in->phone, phone, sizeof phone))
		return PD_ERR_INVALID;

	pd_uuid7(out->id);
	row.id = out->id;
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	struct pd_buf wrapped;
	pd_buf_init(&wrapped, 256);
	int rc = pd_crypto_subject_key_new(ks, out->id, key, &wrapped);
	if (rc) {
		pd_buf_free(&wrapped);
		return rc;
	}
	row.subject_key = (struct pd_blob){pd_arena_memdup(a, wrapped.data, wrapped.len), wrapped.len};
	pd_buf_free(&wrapped);
	row.email_ct = pd_account_seal(a, key, out->id, "email", email);
	row.email_bidx = (struct pd_blob){email_bidx, sizeof email_bidx};
	row.name_ct = pd_account_seal(a, key, out->id, "name", in->name);
	row.phone_ct = pd_account_seal(a, key, out->id, "phone", *phone ? phone : NULL);
	row.nik_ct = pd_account_seal(a, key, out->id, "nik", *nik ? nik : NULL);
	sodium_memzero(key, sizeof key);
	if (in->email_verified)
		row.email_verified_ms = now;
	if (pd_store_account_insert(tx, &row) <= 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
	if (!in->email_verified) {
		char token[PD_SESSION_TOKEN_LEN + 1];
		rc = pd_acct_token_issue(tx, "verify_email", out->id, PD_VERIFY_TTL_MS, token);
		if (rc)
			return rc;
		rc = pd_acct_mail(tx, email, lang, N_("Verifikasi alamat email Anda"),
		                  N_("Terima kasih telah mendaftar. Buka tautan berikut untuk memverifikasi alamat email Anda:"),
		                  pd_arena_printf(a, "%s/verifikasi-email?token=%s", in->base_url, token),
		                  N_("Tautan ini berlaku 48 jam dan hanya dapat dipakai sekali. Jika Anda tidak mendaftar, abaikan email ini."));
		if (rc)
			return rc;
	}
	return pd_acct_audit(tx, in->actor, "account.register", out->id);
}

int pd_account_register(struct pd_tx *tx, const struct pd_keyset *ks,
                        const struct pd_registration *in, struct pd_register_result *out)
{
	memset(out, 0, sizeof *out);
	pd_account_check_registration(in, NULL, &out->errs);
	if (out->errs.n)
		return PD_ERR_INVALID;
	int rc = register_body(tx, ks, in, out);
	if (rc)
		out->id[0] = '\0';
	return rc;
}

int pd_account_verify_email(struct pd_tx *tx, const char *token, char account_id[37])
{
	unsigned char hash[PD_TOKEN_HASH_BYTES];
	account_id[0] = '\0';
	if (!pd_acct_token_hash(token, hash))
		return PD_ERR_NOT_FOUND;
	const char *id = NULL;
	enum pd_qs qs = pd_store_token_take(tx, (struct pd_blob){hash, sizeof hash}, "verify_email",
	                                    pd_clock_now_ms(), NULL, &id);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE || strlen(id) > 36)
		return PD_ERR_NOT_FOUND;
	memcpy(account_id, id, strlen(id) + 1);
	if (pd_store_account_set_email_verified(tx, id, pd_clock_now_ms()) < 0)
		return pd_tx_error(tx);
	return pd_acct_audit(tx, NULL, "account.verify_email", id);
}

int pd_account_resend_verification(struct pd_tx *tx, const struct pd_keyset *ks,
                                   const struct pd_actor *actor, const char *base_url)
{
	struct pd_account acc;
	int rc = pd_account_load(tx, ks, actor->account_id, pd_tx_arena(tx), &acc);
	if (rc)
		return rc;
	if (acc.row.email_verified_ms || !acc.email)
		return PD_OK;
	char token[PD_SESSION_TOKEN_LEN + 1];
	rc = pd_acct_token_issue(tx, "verify_email", actor->account_id, PD_VERIFY_TTL_MS, token);
	if (rc)
		return rc;
	return pd_acct_mail(tx, acc.email, actor->lang ? actor->lang : acc.row.lang,
	                    N_("Verifikasi alamat email Anda"),
	                    N_("Buka tautan berikut untuk memverifikasi alamat email akun Anda:"),
	                    pd_arena_printf(pd_tx_arena(tx), "%s/verifikasi-email?token=%s", base_url, token),
	                    N_("Tautan ini berlaku 48 jam dan hanya dapat dipakai sekali. Jika Anda tidak mendaftar, abaikan email ini."));
}
