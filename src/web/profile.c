/* The account holder's address (/akun/alamat) and supporting documents (/akun/dokumen): pages,
 * the multipart upload that the domain encrypts as it stores, and the owner's download. */
#include "web/profile.h"

#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/i18n.h"
#include "domain/profile.h"
#include "http/app.h"
#include "web/account_internal.h"
#include "web/common_download.h"

/* "2026-11-27 14:05 UTC". */
static const char *when(struct pd_req *r, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	char buf[32];
	strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
	return pd_arena_strdup(r->arena, buf);
}

static void set_errors(struct pd_req *r, json_t *ctx, const struct pd_field_errors *errs)
{
	if (!errs || !errs->n)
		return;
	json_object_set_new(ctx, "errors", pd_web_errors_json(r, errs));
	json_object_set_new(ctx, "has_errors", json_true());
}

/* --- the address ------------------------------------------------------------------------------ */

/* Renders /akun/alamat; after a refused form, value is what was typed. */
static void address_page(struct pd_req *r, int status, const char *value,
                         const struct pd_field_errors *errs)
{
	const char *address = NULL;
	int rc = pd_profile_address(r->store, r->app->keys, r->actor, r->arena, &address);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *ctx = json_object();
	if (address)
		json_object_set_new(ctx, "address", json_string(address));
	json_object_set_new(ctx, "value", json_string(value ? value : address ? address : ""));
	if (status == 200 && pd_req_query(r, "tersimpan"))
		json_object_set_new(ctx, "saved", json_true());
	set_errors(r, ctx, errs);
	pd_reply_page(r, status, "akun/alamat", N_("Alamat"), ctx);
}

void pd_web_profile_address(struct pd_req *r)
{
	address_page(r, 200, NULL, NULL);
}

struct address_job {
	const struct pd_actor *actor;
	const struct pd_keyset *ks;
	const char *address;
	struct pd_field_errors errs;
};

static int address_tx(struct pd_tx *tx, void *p)
{
	struct address_job *j = p;
	memset(&j->errs, 0, sizeof j->errs);
	return pd_profile_set_address(tx, j->ks, j->actor, j->address, &j->errs);
}

static void address_done(struct pd_req *r, int rc)
{
	struct address_job *j = r->user;
	if (rc == PD_ERR_INVALID) {
		address_page(r, 422, j->address, &j->errs);
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_reply_redirect(r, 303, "/akun/alamat?tersimpan=1");
}

void pd_web_profile_address_save(struct pd_req *r)
{
	struct address_job *j = pd_arena_alloc(r->arena, sizeof *j);
	j->actor = r->actor;
	j->ks = r->app->keys;
	j->address = pd_web_field(r, "address");
	r->user = j;
	pd_req_write(r, address_tx, j, address_done);
}

/* --- supporting documents --------------------------------------------------------------------- */

#define DOCS_SHOWN PD_DOCS_MAX

static void docs_page(struct pd_req *r, int status, const struct pd_field_errors *errs)
{
	struct pd_profile_doc *docs = pd_arena_alloc(r->arena, DOCS_SHOWN * sizeof *docs);
	int n = 0;
	int rc = pd_profile_doc_list(r->store, r->app->keys, r->actor, r->arena, docs, DOCS_SHOWN, &n);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *ctx = json_object();
	json_t *list = json_array();
	for (int i = 0; i < n; i++) {
		json_t *d = json_pack("{s:s,s:s,s:I,s:s}", "id", docs[i].id, "type",
		                      docs[i].file.content_type, "size_kb",
		                      (json_int_t)((docs[i].file.size + 1023) / 1024), "created",
		                      when(r, docs[i].file.created_ms));
		if (docs[i].note)
			json_object_set_new(d, "note", json_string(docs[i].note));
		if (docs[i].file.filename)
			json_object_set_new(d, "filename", json_string(docs[i].file.filename));
		json_array_append_new(list, d);
	}
	json_object_set_new(ctx, "docs", list);
	if (status == 200 && pd_req_query(r, "tersimpan"))
		json_object_set_new(ctx, "saved", json_true());
	if (errs && errs->n)
		json_object_set_new(ctx, "values", json_pack("{s:s}", "note", pd_web_field(r, "note")));
	set_errors(r, ctx, errs);
	pd_reply_page(r, status, "akun/dokumen", N_("Dokumen pendukung"), ctx);
}

void pd_web_profile_docs(struct pd_req *r)
{
	docs_page(r, 200, NULL);
}

struct doc_job {
	const struct pd_actor *actor;
	const struct pd_keyset *ks;
	struct pd_attachment_file file;
	bool has_file;
	const char *note;
	struct pd_field_errors errs;
	char id[37];
};

static int doc_tx(struct pd_tx *tx, void *p)
{
	struct doc_job *j = p;
	memset(&j->errs, 0, sizeof j->errs);
	return pd_profile_doc_add(tx, j->ks, j->actor, j->has_file ? &j->file : NULL, j->note,
	                          &j->errs, j->id);
}

static void doc_done(struct pd_req *r, int rc)
{
	struct doc_job *j = r->user;
	if (rc == PD_ERR_INVALID || rc == PD_ERR_TOO_LARGE) {
		docs_page(r, rc == PD_ERR_TOO_LARGE ? 413 : 422, &j->errs);
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_reply_redirect(r, 303, "/akun/dokumen?tersimpan=1");
}

void pd_web_profile_doc_add(struct pd_req *r)
{
	struct doc_job *j = pd_arena_alloc(r->arena, sizeof *j);
	j->actor = r->actor;
	j->ks = r->app->keys;
	j->note = pd_web_field(r, "note");
	for (const struct pd_upload *u = r->uploads; u; u = u->next) {
		if (strcmp(u->field, "document") != 0 || !u->path)
			continue;
		j->file = (struct pd_attachment_file){u->path, u->sniffed_type, (int64_t)u->size,
		                                      u->filename};
		j->has_file = true;
	}
	r->user = j;
	/* The file is encrypted while it is stored, inside the write (never whole in memory). */
	pd_req_write(r, doc_tx, j, doc_done);
}

void pd_web_profile_doc_get(struct pd_req *r)
{
	struct pd_buf file;
	pd_buf_init(&file, PD_ATTACHMENT_MAX_BYTES + 1);
	struct pd_profile_doc doc;
	int rc = pd_profile_doc_read(r->store, r->app->keys, r->actor, r->params[0], r->arena, &doc,
	                             pd_web_download_collect, &file);
	pd_web_download_reply(r, rc, &file, "doc", doc.id, "dokumen", doc.id, doc.file.ext,
	                      doc.file.content_type);
}
