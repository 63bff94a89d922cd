/* Unit tests of domain/document over a real store: an issued document verifies; one changed
 * byte of its content, an unknown key id or a changed signature make it invalid; numbers are
 * distinct and consecutive per unit and year; a revoked one reads revoked; the envelope comes
 * back out of a rendered PDF; the holder digest binds name, NIK and code; a rotated key signs
 * new documents while old ones keep verifying; the holder is sealed under the key given (the
 * application's subject key) and re-sealed under another. SQLite in a temporary directory, or
 * PD_TEST_DB. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/err.h"
#include "core/log.h"
#include "core/str.h"
#include "domain/authz.h"
#include "domain/document.h"
#include "domain/document_reason.h"
#include "domain/keys.h"
#include "domain/unit.h"
#include "render/pdf.h"
#include "store/document_store.h"
#include "store/store.h"

static char dir[256];
static struct pd_config cfg;
static struct pd_store *st;
static struct pd_keyset *ks;
static char unit_id[37], unit_path[512];
/* Stands for the application's subject key (pd_application_key_tx) in these tests. */
static const unsigned char holder_key[PD_CRYPTO_KEY_BYTES] = {7, 7, 7};

static int setup(void **state)
{
	if (sodium_init() < 0)
		return -1;
	pd_log_set_level(PD_LOG_WARN);
	snprintf(dir, sizeof dir, "/tmp/pd-doc-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char url[PATH_MAX + 64], err[512];
	const char *env = getenv("PD_TEST_DB");
	if (env && *env)
		snprintf(url, sizeof url, "%s", env);
	else
		snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
	struct pd_store_opts opts = {.url = url};
	if (pd_store_open(&opts, &st, err, sizeof err) || pd_store_migrate(st, err, sizeof err)) {
		fprintf(stderr, "store: %s\n", err);
		return -1;
	}
	cfg.data = dir;
	cfg.keys = "";
	cfg.public_url = "https://pendopo.example";
	cfg.site_name = "Kabupaten Uji";
	cfg.tz_offset_min = 420;
	if (pd_keys_startup(&cfg, st, &ks, err, sizeof err)) {
		fprintf(stderr, "keys: %s\n", err);
		return -1;
	}
	struct pd_unit_new root = {"uji", "Kabupaten Uji", "regency", NULL, "99.99"};
	struct pd_unit_new agency = {"disdukcapil", "Dinas Kependudukan", "agency", "uji", NULL};
	if (pd_unit_add(st, "system", &root, NULL, err, sizeof err) ||
	    pd_unit_add(st, "system", &agency, unit_id, err, sizeof err)) {
		fprintf(stderr, "unit: %s\n", err);
		return -1;
	}
	struct pd_arena *a = pd_arena_new();
	struct pd_unit_view v;
	if (pd_unit_view(st, "disdukcapil", NULL, 1, a, &v))
		return -1;
	snprintf(unit_path, sizeof unit_path, "%s", v.unit.path);
	pd_arena_free(a);
	pd_document_configure(ks, &cfg);
	return 0;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int teardown(void **state)
{
	pd_document_configure(NULL, NULL);
	pd_store_close(st);
	pd_keyset_free(ks);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

struct issue_arg {
	const char *app_id;
	int64_t issued_ms;
	char id[37];
};

static int issue_tx(struct pd_tx *tx, void *p)
{
	struct issue_arg *ia = p;
	struct pd_document_issue in = {
		.application_id = ia->app_id, .service_id = "svc-1", .service_name = "Akta Kelahiran",
		.unit_id = unit_id, .unit_name = "Dinas Kependudukan", .unit_path = unit_path,
		.product = "Kutipan Akta Kelahiran", .holder_name = "Siti Aminah",
		.holder_nik = "3219014101900001", .issued_ms = ia->issued_ms,
		.signer_account_id = NULL, .holder_key = holder_key};
	return pd_document_issue_tx(tx, &in, NULL, ia->id);
}

static void issue(const char *app_id, int64_t ms, char id[37])
{
	struct issue_arg ia = {app_id, ms, {0}};
	assert_int_equal(pd_store_write(st, issue_tx, &ia), PD_OK);
	memcpy(id, ia.id, 37);
}

/* Verifies envelope text against the database's keys. */
static bool verifies(const char *text, const char **why)
{
	struct pd_document_pubkey keys[16];
	int n = 0;
	assert_int_equal(pd_document_pubkeys(st, keys, 16, &n), PD_OK);
	assert_true(n >= 1);
	struct pd_arena *a = pd_arena_new();
	bool valid = false;
	const char *id = NULL;
	assert_int_equal(pd_document_verify_envelope(text, strlen(text), keys, n, a, &valid, &id, why),
	                 PD_OK);
	pd_arena_free(a);
	return valid;
}

static void test_sign_verify_tamper(void **state)
{
	struct pd_arena *a = pd_arena_new();
	char id[37];
	/* 2026-03-04 10:00 UTC = 17:00 WIB */
	issue("00000000-0000-4000-8000-000000000001", 1772618400000LL, id);
	struct pd_document doc;
	assert_int_equal(pd_document_get(st, id, a, &doc), PD_OK);
	assert_string_equal(doc.product, "Kutipan Akta Kelahiran");
	assert_string_equal(doc.issued, "2026-03-04T17:00:00+07:00");
	assert_int_equal(pd_document_state(st, &doc), PD_DOC_VALID);
	/* No personal data in the signed content. */
	assert_null(strstr(doc.content, "Siti"));
	assert_null(strstr(doc.content, "3219014101900001"));
	char *env = pd_document_envelope(a, &doc);
	const char *why = NULL;
	assert_true(verifies(env, &why));

	/* One changed byte of the content: invalid. */
	char *bad = pd_arena_strdup(a, env);
	char *p = strstr(bad, "Kutipan");
	assert_non_null(p);
	p[0] = 'k';
	assert_false(verifies(bad, &why));
	assert_non_null(why);
	/* White space outside values does not change the canonical content. */
	char *spaced = pd_arena_printf(a, "{ \"sig\": \"%s\", \"kid\": \"%s\", \"doc\": %s }",
	                               doc.sig, doc.kid, doc.content);
	assert_true(verifies(spaced, &why));
	/* Unknown key id: invalid. */
	char *unknown = pd_arena_printf(a, "{\"doc\":%s,\"kid\":\"doc-0000000000000000\",\"sig\":\"%s\"}",
	                                doc.content, doc.sig);
	assert_false(verifies(unknown, &why));
	assert_string_equal(why, "the key id is not among the known keys");
	/* A changed signature: invalid. */
	char *sig = pd_arena_strdup(a, doc.sig);
	sig[3] = sig[3] == 'A' ? 'B' : 'A';
	char *badsig = pd_arena_printf(a, "{\"doc\":%s,\"kid\":\"%s\",\"sig\":\"%s\"}", doc.content,
	                               doc.kid, sig);
	assert_false(verifies(badsig, &why));
	/* Not an envelope: unreadable. */
	struct pd_document_pubkey keys[1];
	bool valid = true;
	assert_int_equal(pd_document_verify_envelope("[1]", 3, keys, 0, a, &valid, NULL, &why),
	                 PD_ERR_INVALID);
	/* The stored state also notices a changed stored content. */
	struct pd_document altered = doc;
	altered.content = bad + strlen("{\"doc\":");
	char *end = strstr(altered.content, ",\"kid\"");
	*end = '\0';
	assert_int_equal(pd_document_state(st, &altered), PD_DOC_INVALID);
	pd_arena_free(a);
}

static void test_numbers(void **state)
{
	struct pd_arena *a = pd_arena_new();
	char id1[37], id2[37], id3[37];
	issue("00000000-0000-4000-8000-000000000011", 1772618400000LL, id1);
	issue("00000000-0000-4000-8000-000000000012", 1772618400000LL, id2);
	/* 31 Dec 2026 20:00 UTC is already 2027 in WIB: a new year starts at 0001. */
	issue("00000000-0000-4000-8000-000000000013", 1798747200000LL, id3);
	struct pd_document d1, d2, d3;
	assert_int_equal(pd_document_get(st, id1, a, &d1), PD_OK);
	assert_int_equal(pd_document_get(st, id2, a, &d2), PD_OK);
	assert_int_equal(pd_document_get(st, id3, a, &d3), PD_OK);
	assert_string_not_equal(d1.number, d2.number);
	int64_t n1 = 0, n2 = 0;
	assert_int_equal(pd_parse_i64n(d1.number, 4, 1, 9999, &n1), PD_OK);
	assert_int_equal(pd_parse_i64n(d2.number, 4, 1, 9999, &n2), PD_OK);
	assert_int_equal(n2, n1 + 1);
	assert_true(strstr(d1.number, "/DISDUKCAPIL/2026") != NULL);
	assert_string_equal(d3.number, "0001/DISDUKCAPIL/2027");
	/* One document per application. */
	struct issue_arg again = {"00000000-0000-4000-8000-000000000011", 0, {0}};
	assert_int_equal(pd_store_write(st, issue_tx, &again), PD_ERR_CONFLICT);
	struct pd_document by_app;
	assert_int_equal(pd_document_by_application(st, "00000000-0000-4000-8000-000000000012", a,
	                                            &by_app),
	                 PD_OK);
	assert_string_equal(by_app.id, id2);
	assert_int_equal(pd_document_get(st, "not-a-uuid", a, &by_app), PD_ERR_NOT_FOUND);
	pd_arena_free(a);
}

static void test_revoke(void **state)
{
	struct pd_arena *a = pd_arena_new();
	char id[37];
	issue("00000000-0000-4000-8000-000000000021", 0, id);
	struct pd_actor nobody = {0};
	assert_int_equal(pd_document_revoke(st, &nobody, id, "kesalahan-data", 0), PD_ERR_NOT_FOUND);
	struct pd_grant og = {PD_ROLE_OFFICER, unit_id, unit_path, "disdukcapil"};
	struct pd_actor officer = {.account_id = "00000000-0000-7000-8000-0000000000aa",
	                           .kind = PD_ACCOUNT_STAFF, .grants = &og, .n_grants = 1};
	assert_int_equal(pd_document_revoke(st, &officer, id, "kesalahan-data", 0), PD_ERR_FORBIDDEN);
	struct pd_grant sg = {PD_ROLE_SUPERVISOR, unit_id, unit_path, "disdukcapil"};
	struct pd_actor sys = {.account_id = "00000000-0000-7000-8000-0000000000bb",
	                       .kind = PD_ACCOUNT_STAFF, .grants = &sg, .n_grants = 1};
	struct pd_document before;
	assert_int_equal(pd_document_get(st, id, a, &before), PD_OK);
	assert_true(pd_document_may_revoke(&sys, &before));
	assert_false(pd_document_may_revoke(&officer, &before));
	/* Only one of the fixed reasons (it is published): no free text, not even a label. */
	assert_int_equal(pd_document_revoke(st, &sys, id, "   ", 0), PD_ERR_INVALID);
	assert_int_equal(pd_document_revoke(st, &sys, id, NULL, 0), PD_ERR_INVALID);
	assert_int_equal(pd_document_revoke(st, &sys, id, "Data kelahiran salah", 0), PD_ERR_INVALID);
	assert_int_equal(pd_document_revoke(st, &sys, id, " kesalahan-data", 0), PD_ERR_INVALID);
	assert_int_equal(pd_document_revoke(st, &sys, id, "Digantikan dokumen baru", 0),
	                 PD_ERR_INVALID);
	assert_int_equal(pd_document_revoke(st, &sys, id, "diganti", 1772618400000LL), PD_OK);
	assert_int_equal(pd_document_revoke(st, &sys, id, "kesalahan-data", 0), PD_ERR_CONFLICT);
	struct pd_document doc;
	assert_int_equal(pd_document_get(st, id, a, &doc), PD_OK);
	assert_int_equal(pd_document_state(st, &doc), PD_DOC_REVOKED);
	assert_string_equal(doc.revoke_reason, "diganti");
	assert_string_equal(pd_document_reason_label(doc.revoke_reason), "Digantikan dokumen baru");
	assert_int_equal(doc.revoked_ms, 1772618400000LL);
	pd_arena_free(a);
}

static void test_pdf_roundtrip(void **state)
{
	struct pd_arena *a = pd_arena_new();
	char id[37];
	issue("00000000-0000-4000-8000-000000000031", 0, id);
	struct pd_document doc;
	assert_int_equal(pd_document_get(st, id, a, &doc), PD_OK);
	char *env = pd_document_envelope(a, &doc);
	struct pd_buf kw;
	pd_buf_init(&kw, 1 << 20);
	size_t len = sodium_base64_ENCODED_LEN(strlen(env), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *b64 = pd_arena_alloc(a, len);
	sodium_bin2base64(b64, len, (const unsigned char *)env, strlen(env),
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	struct pd_pdf_row rows[] = {{"Nomor", doc.number}, {"Nama pemegang", "Siti Aminah"}};
	const char *paras[] = {"Satu paragraf yang cukup panjang untuk dipatah menjadi beberapa "
	                       "baris pada halaman A4 dengan huruf DejaVu Sans ukuran sepuluh."};
	struct pd_pdf_spec spec = {.title = doc.product, .subtitle = "Dinas", .rows = rows,
	                           .n_rows = 2, .paragraphs = paras, .n_paragraphs = 1,
	                           .qr_url = "https://pendopo.example/verifikasi/x",
	                           .qr_caption = "Periksa", .keywords = b64, .footer = "kaki"};
	struct pd_buf pdf;
	pd_buf_init(&pdf, 4 << 20);
	assert_int_equal(pd_pdf_render(&spec, &pdf), PD_OK);
	assert_true(pdf.len > 1000);
	assert_memory_equal(pdf.data, "%PDF-", 5);
	char *json = NULL;
	size_t json_len = 0;
	assert_int_equal(pd_document_from_pdf(pdf.data, pdf.len, a, &json, &json_len), PD_OK);
	assert_string_equal(json, env);
	const char *why;
	assert_true(verifies(json, &why));
	assert_int_equal(pd_document_from_pdf("%PDF-1.5 nothing", 16, a, &json, &json_len),
	                 PD_ERR_NOT_FOUND);
	pd_buf_free(&pdf);
	pd_buf_free(&kw);
	pd_arena_free(a);
}

static void test_holder_digest(void **state)
{
	unsigned char code[16] = {1, 2, 3};
	char d1[44], d2[44], d3[44], d4[44];
	const char *id = "00000000-0000-4000-8000-000000000041";
	assert_int_equal(pd_document_holder_digest(id, "Siti Aminah", "3219014101900001", code, d1),
	                 PD_OK);
	assert_int_equal(strlen(d1), 43);
	/* Case and white space of the name do not matter; separators in the NIK do not either. */
	assert_int_equal(
		pd_document_holder_digest(id, "  siti   AMINAH ", "3219.0141.0190.0001", code, d2),
		PD_OK);
	assert_string_equal(d1, d2);
	assert_int_equal(pd_document_holder_digest(id, "Siti Aminah", "3219014101900002", code, d3),
	                 PD_OK);
	assert_string_not_equal(d1, d3);
	code[0] = 9;
	assert_int_equal(pd_document_holder_digest(id, "Siti Aminah", "3219014101900001", code, d4),
	                 PD_OK);
	assert_string_not_equal(d1, d4);
	assert_int_equal(pd_document_holder_digest(id, "  ", NULL, code, d4), PD_ERR_INVALID);
}

static void test_rotation(void **state)
{
	struct pd_arena *a = pd_arena_new();
	char old_id[37], new_id[37], kid[PD_DOCUMENT_KID_MAX + 1];
	issue("00000000-0000-4000-8000-000000000051", 0, old_id);
	assert_int_equal(pd_document_rotate_key(st, ks, kid), PD_OK);
	issue("00000000-0000-4000-8000-000000000052", 0, new_id);
	struct pd_document old_doc, new_doc;
	assert_int_equal(pd_document_get(st, old_id, a, &old_doc), PD_OK);
	assert_int_equal(pd_document_get(st, new_id, a, &new_doc), PD_OK);
	assert_string_equal(new_doc.kid, kid);
	assert_string_not_equal(old_doc.kid, new_doc.kid);
	assert_int_equal(pd_document_state(st, &old_doc), PD_DOC_VALID);
	assert_int_equal(pd_document_state(st, &new_doc), PD_DOC_VALID);
	struct pd_document_pubkey keys[8];
	int n = 0;
	assert_int_equal(pd_document_pubkeys(st, keys, 8, &n), PD_OK);
	assert_int_equal(n, 2);
	assert_string_equal(keys[0].kid, kid); /* newest first */
	/* what /verifikasi/kunci.json publishes reads back as the same keys */
	char jwks[512];
	snprintf(jwks, sizeof jwks, "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"%s\","
	         "\"kid\":\"%s\"}]}", keys[1].x, keys[1].kid);
	struct pd_document_pubkey back[2];
	int nb = 0;
	assert_int_equal(pd_document_jwks_parse(jwks, strlen(jwks), back, 2, &nb), PD_OK);
	assert_int_equal(nb, 1);
	assert_memory_equal(back[0].pk, keys[1].pk, 32);
	pd_arena_free(a);
}

struct holder_arg {
	const char *app_id;
	const unsigned char *old_key, *new_key;
	struct pd_buf *plain;   /* when not NULL: the holder opened under new_key (no reseal) */
};

static int holder_tx(struct pd_tx *tx, void *p)
{
	struct holder_arg *h = p;
	if (!h->plain)
		return pd_document_reseal_holder_tx(tx, h->app_id, h->old_key, h->new_key);
	struct pd_document_row row;
	if (pd_store_document_by_application(tx, h->app_id, NULL, &row) != PD_QS_ONE)
		return PD_ERR_NOT_FOUND;
	return pd_crypto_open_with(h->new_key, row.holder_ct.p, row.holder_ct.n, "document",
	                           "holder_ct", row.id, h->plain);
}

static void test_holder_sealed_under_key(void **state)
{
	const char *app = "00000000-0000-4000-8000-000000000061";
	char id[37];
	issue(app, 0, id);
	unsigned char other[PD_CRYPTO_KEY_BYTES] = {9, 9, 9};
	struct pd_buf plain;
	pd_buf_init(&plain, 1 << 16);
	/* Under the key given, not under the master key. */
	struct holder_arg h = {app, NULL, holder_key, &plain};
	assert_int_equal(pd_store_read(st, holder_tx, &h), PD_OK);
	assert_non_null(strstr(pd_buf_cstr(&plain), "\"Siti Aminah\""));
	assert_non_null(strstr(pd_buf_cstr(&plain), "3219014101900001"));
	h.new_key = other;
	plain.len = 0;
	assert_int_equal(pd_store_read(st, holder_tx, &h), PD_ERR_CRYPTO);
	/* Re-sealed (attaching an assisted application): opens under the new key only. */
	struct holder_arg wrong = {app, other, holder_key, NULL};
	assert_int_equal(pd_store_write(st, holder_tx, &wrong), PD_ERR_CRYPTO);
	struct holder_arg move = {app, holder_key, other, NULL};
	assert_int_equal(pd_store_write(st, holder_tx, &move), PD_OK);
	h.new_key = other;
	plain.len = 0;
	assert_int_equal(pd_store_read(st, holder_tx, &h), PD_OK);
	assert_non_null(strstr(pd_buf_cstr(&plain), "\"Siti Aminah\""));
	h.new_key = holder_key;
	assert_int_equal(pd_store_read(st, holder_tx, &h), PD_ERR_CRYPTO);
	/* An application without a document: nothing to do. */
	struct holder_arg none = {"00000000-0000-4000-8000-000000000062", other, holder_key, NULL};
	assert_int_equal(pd_store_write(st, holder_tx, &none), PD_OK);
	/* The signed content did not change: the document still verifies. */
	struct pd_arena *a = pd_arena_new();
	struct pd_document doc;
	assert_int_equal(pd_document_get(st, id, a, &doc), PD_OK);
	assert_int_equal(pd_document_state(st, &doc), PD_DOC_VALID);
	pd_arena_free(a);
	pd_buf_free(&plain);
}

static int issue_nokey_tx(struct pd_tx *tx, void *p)
{
	char *id = p;
	struct pd_document_issue in = {
		.application_id = "00000000-0000-4000-8000-000000000071", .service_id = "svc-1",
		.service_name = "Akta", .unit_id = unit_id, .unit_name = "Dinas",
		.unit_path = unit_path, .product = "Akta", .holder_name = "Siti"};
	return pd_document_issue_tx(tx, &in, NULL, id);
}

static void test_holder_key_required(void **state)
{
	char id[37];
	assert_int_equal(pd_store_write(st, issue_nokey_tx, id), PD_ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign_verify_tamper), cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_revoke),             cmocka_unit_test(test_pdf_roundtrip),
		cmocka_unit_test(test_holder_digest),      cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_holder_sealed_under_key),
		cmocka_unit_test(test_holder_key_required),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
