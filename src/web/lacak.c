/* The public status of a tracking number at /lacak/{nomor} (status and dates only, no personal
 * data; every kind of number is accepted and normalised, DESIGN §5), and the form at /lacak.
 * Both are rate-limited lookups in the route table. */
#include "web/permohonan.h"

#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "core/tracking.h"
#include "domain/application.h"
#include "http/app.h"
#include "web/account_internal.h"
#include "web/informasi.h"
#include "web/pengaduan.h"

static void form_page(struct pd_req *r, int status, const char *typed, const char *error)
{
	json_t *ctx = json_object();
	if (typed)
		json_object_set_new(ctx, "nomor", json_string(typed));
	if (error)
		json_object_set_new(ctx, "error", json_string(pd_req_t(r, error)));
	pd_reply_page(r, status, "lacak/index", N_("Lacak permohonan"), ctx);
}

void pd_web_track_form(struct pd_req *r)
{
	const char *typed = pd_req_query(r, "nomor");
	if (!typed) {
		form_page(r, 200, NULL, NULL);
		return;
	}
	char compact[PD_TRACKING_COMPACT_LEN + 1], grouped[PD_TRACKING_GROUPED_LEN + 1];
	if (pd_tracking_parse(typed, compact) != PD_OK) {
		form_page(r, 422, typed,
		          N_("Nomor ini tidak sah. Periksa kembali: nomor terdiri dari huruf jenis, 8 huruf atau angka, dan 1 karakter pemeriksa, misalnya P-7K3M-9QXD-E."));
		return;
	}
	pd_tracking_format(compact, grouped);
	pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/lacak/%s", grouped));
}

void pd_web_track(struct pd_req *r)
{
	char compact[PD_TRACKING_COMPACT_LEN + 1];
	struct pd_app_public pub;
	int rc = pd_tracking_parse(r->params[0], compact) == PD_OK ? PD_OK : PD_ERR_NOT_FOUND;
	if (!rc && compact[0] == 'A') {
		pd_web_track_complaint(r, compact);
		return;
	}
	if (!rc && compact[0] == 'K') {
		pd_web_track_inforeq(r, compact);
		return;
	}
	if (!rc && compact[0] != 'P')
		rc = PD_ERR_NOT_FOUND;
	if (!rc)
		rc = pd_application_track(r->store, compact, r->arena, &pub);
	if (rc == PD_ERR_NOT_FOUND) {
		form_page(r, 404, r->params[0],
		          N_("Tidak ada permohonan dengan nomor ini. Periksa kembali nomor pada tanda terima Anda."));
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *ctx = json_object();
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "tracking", pub.tracking, "status",
	                      pd_app_status_name(pub.status), "status_label",
	                      pd_req_t(r, pd_app_status_label(pub.status)), "service_name",
	                      pub.service_name, "service_slug", pub.service_slug, "unit_name",
	                      pub.unit_name ? pub.unit_name : "");
	json_object_set_new(o, "submitted", json_string(pd_web_app_date(r, pub.submitted_ms)));
	json_object_set_new(o, "updated", json_string(pd_web_app_date(r, pub.updated_ms)));
	if (!pd_app_status_final(pub.status))
		json_object_set_new(o, "due", json_string(pd_web_app_date(r, pub.due_ms)));
	if (pub.decided_ms)
		json_object_set_new(o, "decided", json_string(pd_web_app_date(r, pub.decided_ms)));
	if (pub.status == PD_APP_RETURNED)
		json_object_set_new(o, "paused", json_true());
	if (pub.overdue && !pd_app_status_final(pub.status))
		json_object_set_new(o, "overdue", json_true());
	json_object_set_new(ctx, "app", o);
	pd_reply_page_titled(r, 200, "lacak/status",
	                     pd_arena_printf(r->arena, "%s %s", pd_req_t(r, N_("Status permohonan")),
	                                     pub.tracking),
	                     ctx);
}
