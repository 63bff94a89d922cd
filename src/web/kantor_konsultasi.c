/* The back office of consultations (/kantor/konsultasi): moderators and administrators publish
 * a draft, publish corrections as new versions, hide or restore comments with a reason, and
 * publish the follow-up report after closing (rules in domain/consult.h). */
#include <string.h>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "http/app.h"
#include "web/account_internal.h"
#include "web/kantor_common.h"
#include "web/konsultasi.h"

#define DAY_MS 86400000LL
#define OFFICE_MAX 100
#define HELD_MAX 100

/* "YYYY-MM-DD" as local midnight (end_of_day: 23:59 of that day) in Unix ms; 0 when malformed. */
static int64_t local_date_ms(struct pd_req *r, const char *s, bool end_of_day)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	int64_t y, m, d;
	if (pd_parse_i64n(s, 4, 2000, 2999, &y) || pd_parse_i64n(s + 5, 2, 1, 12, &m) ||
	    pd_parse_i64n(s + 8, 2, 1, 31, &d))
		return 0;
	int32_t day = pd_civil_day((int)y, (int)m, (int)d);
	int yy, mm, dd;
	pd_civil_from_day(day, &yy, &mm, &dd);
	if (yy != y || mm != m || dd != d)
		return 0;
	int64_t ms = (int64_t)day * DAY_MS - (int64_t)r->app->cfg->tz_offset_min * 60000;
	return end_of_day ? ms + DAY_MS - 60000 : ms;
}

struct typed_new {
	const char *unit, *slug, *title, *summary, *opens, *closes, *body;
};

static void office_page(struct pd_req *r, int status, const struct typed_new *t,
                        const struct pd_field_errors *errs)
{
	struct pd_cs_row *rows = pd_arena_alloc(r->arena, sizeof *rows * OFFICE_MAX);
	struct pd_cs_comment_row *held = pd_arena_alloc(r->arena, sizeof *held * HELD_MAX);
	int n = 0, n_held = 0;
	int rc = pd_consult_office(r->store, r->actor, r->arena, rows, OFFICE_MAX, &n, held,
	                           HELD_MAX, &n_held);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	int64_t now = pd_clock_now_ms();
	json_t *ctx = json_object();
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, pd_web_cs_summary(r, &rows[i], now));
	json_object_set_new(ctx, "consultations", items);
	json_t *hj = json_array();
	for (int i = 0; i < n_held; i++)
		json_array_append_new(hj, json_pack("{s:s,s:s,s:I,s:s}", "id", held[i].id, "cs",
		                                    held[i].consultation_id, "reports",
		                                    (json_int_t)held[i].reports, "time",
		                                    pd_web_cs_time(r, held[i].created_ms)));
	json_object_set_new(ctx, "held", hj);
	json_t *units = json_array();
	for (size_t g = 0; g < r->actor->n_grants; g++) {
		const struct pd_grant *gr = &r->actor->grants[g];
		if (gr->role != PD_ROLE_MODERATOR && gr->role != PD_ROLE_ADMINISTRATOR)
			continue;
		json_array_append_new(units, json_pack("{s:s,s:b}", "slug", gr->unit_slug, "selected",
		                                       t && t->unit && strcmp(t->unit, gr->unit_slug) == 0));
	}
	json_object_set_new(ctx, "units", units);
	if (t)
		json_object_set_new(ctx, "typed", json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "slug", t->slug,
		                                            "title", t->title, "summary", t->summary,
		                                            "opens", t->opens, "closes", t->closes,
		                                            "body", t->body));
	if (errs && errs->n) {
		json_object_set_new(ctx, "errors", pd_web_errors_json(r, errs));
		json_object_set_new(ctx, "has_errors", json_true());
	}
	pd_reply_page(r, status, "kantor/konsultasi/index", N_("Konsultasi publik"), ctx);
}

void pd_web_kantor_konsultasi(struct pd_req *r)
{
	if (pd_kantor_staff_or_reply(r))
		office_page(r, 200, NULL, NULL);
}

struct create_job {
	const struct pd_actor *actor;
	struct pd_consult_input in;
	struct typed_new typed;
	struct pd_field_errors errs;
	int64_t now_ms;
	char id[37];
};

static int create_tx(struct pd_tx *tx, void *p)
{
	struct create_job *j = p;
	memset(&j->errs, 0, sizeof j->errs);
	return pd_consult_create(tx, j->actor, &j->in, j->now_ms, &j->errs, j->id);
}

static void create_done(struct pd_req *r, int rc)
{
	struct create_job *j = r->user;
	if (rc == PD_ERR_INVALID)
		office_page(r, 422, &j->typed, &j->errs);
	else if (rc)
		pd_web_reply_rc(r, rc);
	else
		pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/kantor/konsultasi/%s", j->id));
}

void pd_web_kantor_konsultasi_create(struct pd_req *r)
{
	if (!pd_kantor_staff_or_reply(r))
		return;
	struct create_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->actor = r->actor;
	j->now_ms = pd_clock_now_ms();
	j->typed = (struct typed_new){pd_web_field(r, "unit"), pd_web_field(r, "slug"),
	                              pd_web_field(r, "judul"), pd_web_field(r, "ringkasan"),
	                              pd_web_field(r, "buka"), pd_web_field(r, "tutup"),
	                              pd_req_form(r, "naskah") ? pd_req_form(r, "naskah") : ""};
	j->in = (struct pd_consult_input){
		.unit_slug = j->typed.unit, .slug = j->typed.slug, .title = j->typed.title,
		.summary = j->typed.summary, .body_md = j->typed.body, .note = NULL,
		.opens_ms = local_date_ms(r, j->typed.opens, false),
		.closes_ms = local_date_ms(r, j->typed.closes, true)};
	r->user = j;
	pd_req_write(r, create_tx, j, create_done);
}

struct one_typed {
	const char *body, *note, *changes;
	const char *comment_id, *reason;
};

static void one_page(struct pd_req *r, int status, const char *id, const struct one_typed *t,
                     const struct pd_field_errors *errs)
{
	int64_t now = pd_clock_now_ms();
	struct pd_consult_view *v = pd_arena_alloc(r->arena, sizeof *v);
	int rc = pd_consult_get(r->store, r->actor, id, true, 0, now, r->arena, v);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *ctx = json_object();
	json_object_set_new(ctx, "c", pd_web_cs_summary(r, &v->c, now));
	json_object_set_new(ctx, "version", json_integer(v->version));
	json_object_set_new(ctx, "sections", pd_web_cs_sections(r, v, true));
	json_object_set_new(ctx, "body_md", json_string(t && t->body ? t->body : v->body_md ? v->body_md : ""));
	json_object_set_new(ctx, "may_act", json_boolean(v->may_act));
	json_object_set_new(ctx, "may_correct", json_boolean(v->may_act && !v->closed));
	json_object_set_new(ctx, "may_report", json_boolean(v->may_act && v->closed && !v->c.report_ms));
	if (v->c.report_ms)
		json_object_set_new(ctx, "report", json_pack("{s:s,s:s}", "changes", v->c.report_changes ? v->c.report_changes : "",
		                                             "time", pd_web_cs_time(r, v->c.report_ms)));
	if (t)
		json_object_set_new(ctx, "typed", json_pack("{s:s,s:s,s:s,s:s}", "note", t->note ? t->note : "",
		                                            "changes", t->changes ? t->changes : "",
		                                            "comment", t->comment_id ? t->comment_id : "",
		                                            "reason", t->reason ? t->reason : ""));
	if (errs && errs->n) {
		json_object_set_new(ctx, "errors", pd_web_errors_json(r, errs));
		json_object_set_new(ctx, "has_errors", json_true());
	}
	pd_reply_page_titled(r, status, "kantor/konsultasi/detail", v->c.title, ctx);
}

void pd_web_kantor_konsultasi_one(struct pd_req *r)
{
	if (pd_kantor_staff_or_reply(r))
		one_page(r, 200, r->params[0], NULL, NULL);
}

/* One posted step: which, its inputs and its result. */
struct step_job {
	const struct pd_actor *actor;
	const char *id, *comment_id;
	int kind;  /* 0 version, 1 moderate, 2 follow-up */
	int64_t seen, now_ms;
	bool hide;
	struct one_typed typed;
	const char **sections, **responses;
	int n_responses;
	struct pd_field_errors errs;
};

static int step_tx(struct pd_tx *tx, void *p)
{
	struct step_job *j = p;
	memset(&j->errs, 0, sizeof j->errs);
	switch (j->kind) {
	case 0:
		return pd_consult_new_version(tx, j->actor, j->id, j->seen, j->typed.body, j->typed.note,
		                              j->now_ms, &j->errs);
	case 1:
		return pd_consult_moderate(tx, j->actor, j->id, j->comment_id, j->hide, j->typed.reason,
		                           j->now_ms, &j->errs);
	default:
		return pd_consult_followup(tx, j->actor, j->id, j->sections, j->responses,
		                           j->n_responses, j->typed.changes, j->now_ms, &j->errs);
	}
}

static void step_done(struct pd_req *r, int rc)
{
	struct step_job *j = r->user;
	if (rc == PD_ERR_INVALID)
		one_page(r, 422, j->id, &j->typed, &j->errs);
	else if (rc == PD_ERR_CONFLICT)
		pd_kantor_conflict_page(r, j->kind == 0 ? N_("Versi baru sudah diterbitkan orang lain. Periksa naskahnya lagi.")
		                                        : N_("Laporan tindak lanjut sudah diterbitkan."),
		                        pd_arena_printf(r->arena, "/kantor/konsultasi/%s", j->id),
		                        N_("Kembali ke konsultasi"));
	else if (rc == PD_ERR_FORBIDDEN)
		pd_reply_error(r, PD_E_FORBIDDEN, j->kind == 0 ? N_("Konsultasi sudah ditutup: naskah tidak dapat dikoreksi lagi.")
		                                               : N_("Laporan tindak lanjut diterbitkan setelah konsultasi ditutup."));
	else if (rc)
		pd_web_reply_rc(r, rc);
	else
		pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/kantor/konsultasi/%s%s", j->id,
		                                          j->kind == 1 ? "#moderasi" : ""));
}

static struct step_job *step_new(struct pd_req *r, int kind)
{
	struct step_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->actor = r->actor;
	j->id = r->params[0];
	j->kind = kind;
	j->now_ms = pd_clock_now_ms();
	r->user = j;
	return j;
}

void pd_web_kantor_konsultasi_version(struct pd_req *r)
{
	if (!pd_kantor_staff_or_reply(r))
		return;
	struct step_job *j = step_new(r, 0);
	if (!pd_consult_may_manage(r->actor)) {
		pd_reply_error(r, PD_E_NOT_FOUND, NULL);
		return;
	}
	if (!pd_kantor_form_version(r, &j->seen, N_("Formulir ini tidak lengkap. Muat ulang halaman.")))
		return;
	j->typed.body = pd_req_form(r, "naskah") ? pd_req_form(r, "naskah") : "";
	j->typed.note = pd_web_field(r, "catatan");
	pd_req_write(r, step_tx, j, step_done);
}

void pd_web_kantor_konsultasi_moderate(struct pd_req *r)
{
	if (!pd_kantor_staff_or_reply(r))
		return;
	struct step_job *j = step_new(r, 1);
	j->comment_id = r->params[1];
	const char *action = pd_web_field(r, "aksi");
	if (!pd_consult_may_manage(r->actor)) {
		pd_reply_error(r, PD_E_NOT_FOUND, NULL);
		return;
	}
	if (strcmp(action, "sembunyikan") != 0 && strcmp(action, "pulihkan") != 0) {
		pd_reply_error(r, PD_E_BAD_REQUEST, N_("Pilih sembunyikan atau pulihkan."));
		return;
	}
	j->hide = strcmp(action, "sembunyikan") == 0;
	j->typed.comment_id = j->comment_id;
	j->typed.reason = pd_web_field(r, "alasan");
	pd_req_write(r, step_tx, j, step_done);
}

void pd_web_kantor_konsultasi_followup(struct pd_req *r)
{
	if (!pd_kantor_staff_or_reply(r))
		return;
	struct step_job *j = step_new(r, 2);
	j->typed.changes = pd_web_field(r, "perubahan");
	/* Fields "tanggapan:<section id>" ("tanggapan:" the whole draft). */
	j->sections = pd_arena_alloc(r->arena, sizeof *j->sections * (PD_CONSULT_SECTIONS_MAX + 1));
	j->responses = pd_arena_alloc(r->arena, sizeof *j->responses * (PD_CONSULT_SECTIONS_MAX + 1));
	for (size_t i = 0; i < r->form.n && j->n_responses <= PD_CONSULT_SECTIONS_MAX; i++) {
		const char *k = r->form.items[i].key;
		if (!pd_str_starts(k, "tanggapan:"))
			continue;
		const char *sec = k + strlen("tanggapan:");
		bool dup = false;
		for (int m = 0; m < j->n_responses; m++)
			dup = dup || strcmp(j->sections[m], sec) == 0;
		if (dup)
			continue;
		j->sections[j->n_responses] = sec;
		j->responses[j->n_responses++] = pd_web_field(r, k);
	}
	pd_req_write(r, step_tx, j, step_done);
}
