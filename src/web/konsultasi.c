/* The public consultation pages: /partisipasi (what is open now), the list of consultations,
 * one consultation with its sections, figures, comments and follow-up report, and the
 * citizen's comment, reply and report (rules in domain/consult.h). */
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "domain/authz.h"
#include "http/app.h"
#include "web/account_internal.h"
#include "web/konsultasi.h"
#include "web/musrenbang.h"
#include "web/petisi.h"

#define LIST_PAGE 20

void pd_web_partisipasi(struct pd_req *r)
{
	int64_t now = pd_clock_now_ms();
	struct pd_cs_row rows[LIST_PAGE];
	int n = 0;
	const char *next = NULL;
	int rc = pd_consult_list(r->store, true, NULL, LIST_PAGE, now, r->arena, rows, &n, &next);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *ctx = json_object();
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, pd_web_cs_summary(r, &rows[i], now));
	json_object_set_new(ctx, "consultations", items);
	json_object_set_new(ctx, "more_consultations", json_boolean(next != NULL));
	/* The other parts of the area: their own "open now" lists (domain/petition.h,
	 * domain/musrenbang.h) in their own JSON shapes. */
	struct pd_petition *pets = pd_arena_alloc(r->arena, sizeof *pets * LIST_PAGE);
	int n_pets = 0;
	json_t *pj = json_array();
	if (pd_petition_open_now(r->store, r->arena, pets, LIST_PAGE, &n_pets) == PD_OK)
		for (int i = 0; i < n_pets; i++)
			json_array_append_new(pj, pd_web_petition_json(r, &pets[i]));
	json_object_set_new(ctx, "petitions", pj);
	struct pd_mus_round_row *rounds = pd_arena_alloc(r->arena, sizeof *rounds * LIST_PAGE);
	int n_rounds = 0;
	json_t *mj = json_array();
	if (pd_mus_open_now(r->store, r->arena, rounds, LIST_PAGE, &n_rounds) == PD_OK)
		for (int i = 0; i < n_rounds; i++)
			json_array_append_new(mj, pd_web_mus_round_json(r, &rounds[i]));
	json_object_set_new(ctx, "musrenbang", mj);
	json_object_set_new(ctx, "nav", json_pack("{s:b}", "partisipasi", 1));
	pd_reply_page(r, 200, "partisipasi/index", N_("Partisipasi"), ctx);
}

void pd_web_konsultasi_list(struct pd_req *r)
{
	int64_t now = pd_clock_now_ms();
	const char *after = pd_req_query(r, "setelah");
	if (after && !*after)
		after = NULL;
	struct pd_cs_row rows[LIST_PAGE];
	int n = 0;
	const char *next = NULL;
	int rc = pd_consult_list(r->store, false, after, LIST_PAGE, now, r->arena, rows, &n, &next);
	if (rc == PD_ERR_INVALID) {
		pd_reply_error(r, PD_E_BAD_REQUEST, N_("Tautan halaman ini tidak berlaku."));
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *ctx = json_object();
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, pd_web_cs_summary(r, &rows[i], now));
	json_object_set_new(ctx, "consultations", items);
	if (next)
		json_object_set_new(ctx, "next_url",
		                    json_string(pd_arena_printf(r->arena, "/partisipasi/konsultasi?setelah=%s", next)));
	if (after)
		json_object_set_new(ctx, "first_url", json_string("/partisipasi/konsultasi"));
	json_object_set_new(ctx, "nav", json_pack("{s:b}", "partisipasi", 1));
	pd_reply_page(r, 200, "konsultasi/index", N_("Konsultasi publik"), ctx);
}

/* What the citizen typed, shown again on a refused comment. */
struct typed {
	const char *section, *stance, *body, *parent;
	bool show_name;
};

static void detail_page(struct pd_req *r, int status, const char *slug, const struct typed *t,
                        const struct pd_field_errors *errs)
{
	int64_t now = pd_clock_now_ms();
	int64_t version = 0;
	const char *v = pd_req_query(r, "versi");
	if (v && *v && pd_parse_i64(v, 1, PD_CONSULT_VERSIONS_MAX, &version)) {
		pd_reply_error(r, PD_E_NOT_FOUND, N_("Versi ini tidak ada."));
		return;
	}
	struct pd_consult_view *view = pd_arena_alloc(r->arena, sizeof *view);
	int rc = pd_consult_get(r->store, r->actor, slug, false, version, now, r->arena, view);
	if (rc == PD_ERR_NOT_FOUND) {
		pd_reply_error(r, PD_E_NOT_FOUND, N_("Konsultasi ini tidak ada."));
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *ctx = json_object();
	json_object_set_new(ctx, "c", pd_web_cs_summary(r, &view->c, now));
	json_object_set_new(ctx, "version", json_integer(view->version));
	json_object_set_new(ctx, "latest", json_boolean(view->version == view->c.n_versions));
	json_t *versions = json_array();
	for (int i = 0; i < view->n_versions; i++)
		json_array_append_new(
			versions, json_pack("{s:I,s:s,s:s,s:b}", "n", (json_int_t)view->versions[i].n,
		                            "note", view->versions[i].note, "time",
		                            pd_web_cs_time(r, view->versions[i].published_ms), "current",
		                            view->versions[i].n == view->version));
	json_object_set_new(ctx, "versions", versions);
	json_object_set_new(ctx, "sections", pd_web_cs_sections(r, view, false));
	json_object_set_new(ctx, "totals", json_pack("{s:i,s:i,s:i}", "comments", view->total_comments,
	                                            "support", view->total_support, "oppose",
	                                            view->total_oppose));
	if (view->more_comments)
		json_object_set_new(ctx, "more_comments", json_true());
	if (view->c.report_ms) {
		json_object_set_new(ctx, "report", json_pack("{s:s,s:s}", "changes",
		                                             view->c.report_changes ? view->c.report_changes : "",
		                                             "time", pd_web_cs_time(r, view->c.report_ms)));
	}
	bool citizen = r->actor && r->actor->kind == PD_ACCOUNT_CITIZEN;
	json_object_set_new(ctx, "signed_in", json_boolean(r->actor != NULL));
	json_object_set_new(ctx, "may_comment", json_boolean(view->open && citizen));
	json_object_set_new(ctx, "staff", json_boolean(r->actor && !citizen));
	json_object_set_new(ctx, "next", json_string(pd_http_safe_path(r)));
	json_object_set_new(ctx, "reported", json_boolean(pd_req_query(r, "dilaporkan") != NULL));
	/* The comment form: the section choice, a reply's parent (?balas=), what was typed. */
	const char *parent = t && t->parent && *t->parent ? t->parent : pd_req_query(r, "balas");
	const char *sel = t && t->section ? t->section : pd_req_query(r, "bagian");
	json_t *choices = json_array();
	json_array_append_new(choices, json_pack("{s:s,s:s,s:b}", "anchor", "", "title",
	                                         pd_req_t(r, N_("Seluruh rancangan")), "selected",
	                                         !sel || !*sel));
	for (int i = 0; i < view->n_sections; i++)
		json_array_append_new(choices, json_pack("{s:s,s:s,s:b}", "anchor", view->sections[i].anchor,
		                                         "title", view->sections[i].title, "selected",
		                                         sel && strcmp(sel, view->sections[i].anchor) == 0));
	json_object_set_new(ctx, "section_choices", choices);
	if (parent && *parent) {
		for (int i = 0; i < view->n_comments; i++)
			if (strcmp(view->comments[i].id, parent) == 0 && !view->comments[i].parent_id &&
			    view->comments[i].body)
				json_object_set_new(ctx, "reply_to",
				                    json_pack("{s:s,s:s}", "id", view->comments[i].id, "author",
				                              view->comments[i].author));
		if (!json_object_get(ctx, "reply_to") && t)
			json_object_set_new(ctx, "reply_to", json_pack("{s:s,s:s}", "id", parent, "author", ""));
	}
	json_t *stances = json_array();
	const char *st_names[] = {"support", "oppose", "neutral"};
	const char *st_labels[] = {N_("Mendukung"), N_("Menolak"), N_("Netral")};
	for (int i = 0; i < 3; i++)
		json_array_append_new(stances, json_pack("{s:s,s:s,s:b}", "value", st_names[i], "label",
		                                         pd_req_t(r, st_labels[i]), "checked",
		                                         t && t->stance && strcmp(t->stance, st_names[i]) == 0));
	json_object_set_new(ctx, "stances", stances);
	if (t)
		json_object_set_new(ctx, "typed", json_pack("{s:s,s:b}", "body", t->body ? t->body : "",
		                                            "show_name", t->show_name));
	if (errs && errs->n) {
		json_object_set_new(ctx, "errors", pd_web_errors_json(r, errs));
		json_object_set_new(ctx, "has_errors", json_true());
	}
	json_object_set_new(ctx, "nav", json_pack("{s:b}", "partisipasi", 1));
	pd_reply_page_titled(r, status, "konsultasi/detail", view->c.title, ctx);
}

void pd_web_konsultasi(struct pd_req *r)
{
	detail_page(r, 200, r->params[0], NULL, NULL);
}

struct comment_job {
	const struct pd_actor *actor;
	struct pd_consult_comment_input in;
	struct pd_field_errors errs;
	struct pd_consult_comment_result res;
	struct typed typed;
	int64_t now_ms;
};

static int comment_tx(struct pd_tx *tx, void *p)
{
	struct comment_job *j = p;
	memset(&j->errs, 0, sizeof j->errs);
	return pd_consult_comment(tx, j->actor, &j->in, j->now_ms, &j->errs, &j->res);
}

static void comment_done(struct pd_req *r, int rc)
{
	struct comment_job *j = r->user;
	if (rc == PD_ERR_INVALID) {
		detail_page(r, 422, j->in.slug, &j->typed, &j->errs);
	} else if (rc == PD_ERR_FORBIDDEN && j->res.rate_limited) {
		pd_reply_header(r, "Retry-After", "600");
		pd_reply_error(r, PD_E_RATE_LIMITED,
		               N_("Anda sudah mengirim banyak komentar dalam waktu singkat. Coba lagi beberapa menit lagi."));
	} else if (rc == PD_ERR_FORBIDDEN && j->res.closed) {
		pd_reply_error(r, PD_E_FORBIDDEN, N_("Konsultasi ini sudah ditutup: komentar tidak diterima lagi."));
	} else if (rc == PD_ERR_FORBIDDEN) {
		pd_reply_error(r, PD_E_FORBIDDEN, N_("Hanya warga yang masuk dengan akun warga yang dapat berkomentar."));
	} else if (rc == PD_ERR_NOT_FOUND) {
		pd_reply_error(r, PD_E_NOT_FOUND, N_("Konsultasi ini tidak ada."));
	} else if (rc) {
		pd_web_reply_rc(r, rc);
	} else {
		pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/partisipasi/konsultasi/%s#komentar-%s",
		                                          j->in.slug, j->res.id));
	}
}

void pd_web_konsultasi_comment(struct pd_req *r)
{
	struct comment_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->actor = r->actor;
	j->now_ms = pd_clock_now_ms();
	j->in.slug = r->params[0];
	j->in.parent_id = pd_web_field(r, "balas");
	j->in.section = pd_web_field(r, "bagian");
	j->in.stance = pd_web_field(r, "sikap");
	j->in.body = pd_web_field(r, "komentar");
	j->in.show_name = strcmp(pd_web_field(r, "tampilkan_nama"), "1") == 0;
	j->typed = (struct typed){j->in.section, j->in.stance, j->in.body, j->in.parent_id,
	                          j->in.show_name};
	r->user = j;
	pd_req_write(r, comment_tx, j, comment_done);
}

struct report_job {
	const struct pd_actor *actor;
	const char *slug, *comment_id;
	int64_t now_ms;
	bool counted;
};

static int report_tx(struct pd_tx *tx, void *p)
{
	struct report_job *j = p;
	return pd_consult_report(tx, j->actor, j->slug, j->comment_id, j->now_ms, &j->counted);
}

static void report_done(struct pd_req *r, int rc)
{
	struct report_job *j = r->user;
	if (rc == PD_ERR_NOT_FOUND)
		pd_reply_error(r, PD_E_NOT_FOUND, N_("Komentar ini tidak ada."));
	else if (rc)
		pd_web_reply_rc(r, rc);
	else
		pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/partisipasi/konsultasi/%s?dilaporkan=1#komentar-%s",
		                                          j->slug, j->comment_id));
}

void pd_web_konsultasi_report(struct pd_req *r)
{
	struct report_job *j = pd_arena_alloc(r->arena, sizeof *j);
	*j = (struct report_job){r->actor, r->params[0], r->params[1], pd_clock_now_ms(), false};
	r->user = j;
	pd_req_write(r, report_tx, j, report_done);
}
