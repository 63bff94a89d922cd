/* The village office's NIK desk, /kantor/warga/nik: an officer types the NIK on a citizen's card,
 * compares the name shown (a recorded read) with the card and marks the NIK verified. The NIK
 * travels in POST bodies only, never in a URL. */
#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "domain/account.h"
#include "domain/nik_desk.h"
#include "http/app.h"
#include "web/account_internal.h"
#include "web/privacy.h"

/* State of one lookup or verification across the durable write. */
struct desk_job {
	const struct pd_actor *actor;
	const struct pd_keyset *ks;
	const char *value;            /* the NIK typed, or the account id to verify */
	struct pd_arena *a;
	struct pd_nik_desk_result res;
	struct pd_field_errors errs;  /* for a NIK the domain refuses */
};

/* Renders the desk: the form, and a result (may be NULL), errors beside the NIK field (may be
 * NULL), or the not-found notice. */
static void desk_page(struct pd_req *r, int status, const struct pd_nik_desk_result *res,
                      const struct pd_field_errors *errs)
{
	json_t *ctx = json_object();
	if (res)
		json_object_set_new(ctx, "result", json_pack("{s:s,s:s,s:s,s:b}", "account_id",
		                                             res->account_id, "name", res->name,
		                                             "village", res->village_name,
		                                             "verified", res->verified));
	if (errs && errs->n) {
		json_object_set_new(ctx, "errors", pd_web_errors_json(r, errs));
		json_object_set_new(ctx, "has_errors", json_true());
		json_object_set_new(ctx, "nik", json_string(pd_web_field(r, "nik")));
	}
	if (status == 404)
		json_object_set_new(ctx, "not_found", json_true());
	if (status == 200 && !res && pd_req_query(r, "terverifikasi"))
		json_object_set_new(ctx, "verified_notice", json_true());
	pd_reply_page(r, status, "kantor/warga_nik", N_("Verifikasi NIK warga"), ctx);
}

void pd_web_nik_desk_form(struct pd_req *r)
{
	int rc = pd_nik_desk_open(r->actor);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	desk_page(r, 200, NULL, NULL);
}

static int lookup_tx(struct pd_tx *tx, void *p)
{
	struct desk_job *j = p;
	return pd_nik_desk_lookup(tx, j->ks, j->actor, j->value, j->a, &j->res);
}

static void lookup_done(struct pd_req *r, int rc)
{
	struct desk_job *j = r->user;
	if (rc == PD_ERR_NOT_FOUND) {
		/* Unknown, or outside the officer's grants: the same answer. */
		desk_page(r, 404, NULL, NULL);
		return;
	}
	if (rc == PD_ERR_INVALID) {
		desk_page(r, 422, NULL, &j->errs);
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	desk_page(r, 200, &j->res, NULL);
}

void pd_web_nik_desk_lookup(struct pd_req *r)
{
	int rc = pd_nik_desk_open(r->actor);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	struct desk_job *j = pd_arena_alloc(r->arena, sizeof *j);
	j->actor = r->actor;
	j->ks = r->app->keys;
	j->a = r->arena;
	j->value = pd_web_field(r, "nik");
	pd_field_error(&j->errs, "nik",
	               N_("NIK tidak sah: 16 angka dengan kode provinsi dan tanggal lahir yang benar."));
	char nik[17], district[7];
	if (pd_nik_check(j->value, nik, district)) {
		desk_page(r, 422, NULL, &j->errs);
		return;
	}
	r->user = j;
	pd_req_write(r, lookup_tx, j, lookup_done);
}

static int verify_tx(struct pd_tx *tx, void *p)
{
	struct desk_job *j = p;
	return pd_nik_desk_verify(tx, j->actor, j->value);
}

static void verify_done(struct pd_req *r, int rc)
{
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_reply_redirect(r, 303, "/kantor/warga/nik?terverifikasi=1");
}

void pd_web_nik_desk_verify(struct pd_req *r)
{
	struct desk_job *j = pd_arena_alloc(r->arena, sizeof *j);
	j->actor = r->actor;
	j->value = pd_web_field(r, "akun");
	pd_req_write(r, verify_tx, j, verify_done);
}
