/* The holder's PDF of an issued document: access check through the application, the holder's
 * data opened under the application's subject key, the signed envelope in the Keywords entry and a QR code to the public
 * verification page. Official documents are in Indonesian (UU 24/2009 Pasal 27), whatever the
 * reader's interface language. */
#include "domain/document_internal.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "domain/application.h"
#include "domain/audit.h"
#include "domain/document_reason.h"
#include "render/pdf.h"

static const char *const months[] = {"Januari", "Februari", "Maret",     "April",
                                     "Mei",     "Juni",     "Juli",      "Agustus",
                                     "September", "Oktober", "November", "Desember"};

/* "4 Maret 2026" from an RFC 3339 date ("2026-03-04T…"); the input itself when malformed. */
static const char *long_date(struct pd_arena *a, const char *rfc3339)
{
	int y = 0, m = 0, d = 0;
	if (!rfc3339 || strlen(rfc3339) < 10)
		return rfc3339 ? rfc3339 : "";
	for (int i = 0; i < 4; i++)
		y = y * 10 + (rfc3339[i] - '0');
	m = (rfc3339[5] - '0') * 10 + (rfc3339[6] - '0');
	d = (rfc3339[8] - '0') * 10 + (rfc3339[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return rfc3339;
	return pd_arena_printf(a, "%d %s %d", d, months[m - 1], y);
}

struct holder {
	char *name, *nik, *code;
};

struct open_arg {
	const struct pd_actor *actor;
	const struct pd_application *app;
	const char *id;
	struct pd_keyset *ks;
	struct pd_arena *a;
	struct pd_document_row row;
	struct holder h;
	bool record_read;
};

static int open_holder(struct open_arg *oa, struct pd_tx *tx)
{
	enum pd_qs qs = pd_store_document_get(tx, oa->id, oa->a, &oa->row);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	/* Sealed under the application's subject key: gone with an erased citizen's. */
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	int rc = pd_application_key_tx(tx, oa->ks, oa->row.application_id, key);
	if (rc) {
		sodium_memzero(key, sizeof key);
		return rc;
	}
	struct pd_buf plain;
	pd_buf_init(&plain, 16384);
	rc = pd_crypto_open_with(key, oa->row.holder_ct.p, oa->row.holder_ct.n, "document",
	                         "holder_ct", oa->id, &plain);
	sodium_memzero(key, sizeof key);
	json_t *j = rc == PD_OK ? json_loadb(plain.data, plain.len, 0, NULL) : NULL;
	if (plain.data)
		sodium_memzero(plain.data, plain.cap);
	pd_buf_free(&plain);
	if (rc == PD_OK && !j)
		rc = PD_ERR_CRYPTO;
	if (rc == PD_OK) {
		oa->h.name = pd_arena_strdup(oa->a, json_string_value(json_object_get(j, "name")));
		oa->h.nik = pd_arena_strdup(oa->a, json_string_value(json_object_get(j, "nik")));
		oa->h.code = pd_arena_strdup(oa->a, json_string_value(json_object_get(j, "code")));
		if (!oa->h.name || !oa->h.code)
			rc = PD_ERR_CRYPTO;
	}
	json_decref(j);
	if (rc == PD_OK && oa->record_read) {
		/* Staff printing a citizen's document read the holder's name and NIK. */
		const char *actor = pd_arena_printf(pd_tx_arena(tx), "account:%s", oa->actor->account_id);
		const char *purpose = pd_arena_printf(pd_tx_arena(tx), "dokumen %s", oa->row.number);
		rc = pd_audit_record_read(tx, actor, oa->app->citizen_account_id, purpose, "document",
		                          oa->id, oa->row.unit_id);
	}
	return rc;
}

static int open_read_tx(struct pd_tx *tx, void *p)
{
	return open_holder(p, tx);
}

int pd_document_pdf(struct pd_store *st, const struct pd_actor *actor, const char *doc_id,
                    struct pd_arena *a, struct pd_buf *out, const char **filename)
{
	struct pd_document_env e;
	if (!pd_document_env_get(&e))
		return PD_ERR_UNAVAILABLE;
	struct pd_document doc;
	int rc = pd_document_get(st, doc_id, a, &doc);
	if (rc)
		return rc;
	if (!actor)
		return PD_ERR_NOT_FOUND;
	/* Who may see the application may see its document (the applications' rule, in one
	 * place). The operator on the command line (system) passes every check, as with
	 * pd_authz. */
	struct pd_application app;
	memset(&app, 0, sizeof app);
	if (!actor->system) {
		rc = pd_application_summary(st, actor, doc.application_id, a, &app);
		if (rc)
			return rc == PD_ERR_FORBIDDEN ? PD_ERR_NOT_FOUND : rc;
	}
	bool owner = actor->account_id && app.citizen_account_id &&
	             strcmp(actor->account_id, app.citizen_account_id) == 0;
	struct open_arg oa = {.actor = actor, .app = &app, .id = doc.id, .ks = e.ks, .a = a,
	                      .record_read = !actor->system && !owner && app.citizen_account_id};
	rc = oa.record_read ? pd_store_write(st, open_read_tx, &oa)
	                    : pd_store_read(st, open_read_tx, &oa);
	if (rc)
		return rc;

	/* Keywords: base64url of the envelope, the same object as /verifikasi/{id}.json. */
	char *env = pd_document_envelope(a, &doc);
	char *keywords = pd_document_b64url(a, env, strlen(env));
	json_t *content = json_loads(doc.content, 0, NULL);
	const char *verify = json_string_value(json_object_get(content, "verify"));
	char *verify_url = pd_arena_strdup(a, verify ? verify : "");
	json_decref(content);

	struct pd_pdf_row rows[9];
	int n = 0;
	rows[n++] = (struct pd_pdf_row){"Nomor", doc.number};
	rows[n++] = (struct pd_pdf_row){"Nama pemegang", oa.h.name};
	if (oa.h.nik && *oa.h.nik)
		rows[n++] = (struct pd_pdf_row){"NIK", oa.h.nik};
	rows[n++] = (struct pd_pdf_row){"Layanan", doc.service_name};
	rows[n++] = (struct pd_pdf_row){"Diterbitkan oleh", doc.unit_name};
	rows[n++] = (struct pd_pdf_row){"Tanggal terbit", long_date(a, doc.issued)};
	rows[n++] = (struct pd_pdf_row){"ID dokumen", doc.id};
	rows[n++] = (struct pd_pdf_row){"Kode pemegang", oa.h.code};
	const char *paras[3];
	int n_paras = 0;
	if (doc.revoked_ms)
		paras[n_paras++] = pd_arena_printf(a, "DOKUMEN INI TELAH DICABUT. Alasan: %s.",
		                                   pd_document_reason_label(doc.revoke_reason)
		                                       ? pd_document_reason_label(doc.revoke_reason)
		                                       : "-");
	paras[n_paras++] = pd_arena_printf(
		a,
		"Dokumen ini ditandatangani secara elektronik oleh %s (kunci %s). Isi yang "
		"ditandatangani tidak memuat data pribadi: pemegang diikat melalui kode pemegang "
		"di atas bersama nama dan NIK.",
		*e.site_name ? e.site_name : "Pendopo", doc.kid);
	paras[n_paras++] = "Keaslian dan status dokumen (berlaku atau dicabut) dapat diperiksa "
	                   "dengan memindai kode QR berikut.";
	struct pd_pdf_spec spec = {
		.title = doc.product,
		.subtitle = doc.unit_name,
		.rows = rows,
		.n_rows = n,
		.paragraphs = paras,
		.n_paragraphs = n_paras,
		.qr_url = verify_url,
		.qr_caption = pd_arena_printf(a, "Periksa keaslian: %s", verify_url),
		.keywords = keywords,
		.footer = pd_arena_printf(a, "%s · %s", doc.number, doc.id),
	};
	rc = pd_pdf_render(&spec, out);
	if (rc == PD_OK && filename)
		*filename = pd_arena_printf(a, "dokumen-%.8s.pdf", doc.id);
	return rc;
}
