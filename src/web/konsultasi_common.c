/* Pieces shared by the public consultation pages and the back office: summaries, sections
 * with figures and grouped comments. */
#include <string.h>

#include "core/i18n.h"
#include "render/template.h"
#include "web/common_time.h"
#include "web/konsultasi.h"

const char *pd_web_cs_time(struct pd_req *r, int64_t ms)
{
	return pd_web_local_time(r, ms);
}

json_t *pd_web_cs_summary(struct pd_req *r, const struct pd_cs_row *c, int64_t now_ms)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(c->id));
	json_object_set_new(o, "slug", json_string(c->slug));
	json_object_set_new(o, "title", json_string(c->title));
	json_object_set_new(o, "summary", json_string(c->summary));
	json_object_set_new(o, "unit", json_string(c->unit_name ? c->unit_name : ""));
	json_object_set_new(o, "opens", json_string(pd_web_cs_time(r, c->opens_ms)));
	json_object_set_new(o, "closes", json_string(pd_web_cs_time(r, c->closes_ms)));
	json_object_set_new(o, "closes_iso", json_string(pd_web_rfc3339(r->arena, c->closes_ms)));
	json_object_set_new(o, "open", json_boolean(c->opens_ms <= now_ms && now_ms < c->closes_ms));
	json_object_set_new(o, "upcoming", json_boolean(now_ms < c->opens_ms));
	json_object_set_new(o, "closed", json_boolean(now_ms >= c->closes_ms));
	json_object_set_new(o, "report", json_boolean(c->report_ms != 0));
	json_object_set_new(o, "versions", json_integer(c->n_versions));
	return o;
}

static const char *stance_label(const char *stance)
{
	if (!stance)
		return NULL;
	if (strcmp(stance, "support") == 0)
		return N_("Mendukung");
	if (strcmp(stance, "oppose") == 0)
		return N_("Menolak");
	return N_("Netral");
}

static json_t *comment_json(struct pd_req *r, const struct pd_consult_comment *c, bool staff)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(c->id));
	json_object_set_new(o, "time", json_string(pd_web_cs_time(r, c->created_ms)));
	json_object_set_new(o, "version", json_integer(c->version));
	if (c->stance) {
		json_object_set_new(o, "stance", json_string(c->stance));
		json_object_set_new(o, "stance_label", json_string(pd_req_t(r, stance_label(c->stance))));
	}
	if (c->body) {
		json_object_set_new(o, "body", json_string(c->body));
		json_object_set_new(o, "author", json_string(c->author));
	}
	bool visible = strcmp(c->state, "visible") == 0;
	json_object_set_new(o, "visible", json_boolean(visible));
	json_object_set_new(o, "held", json_boolean(strcmp(c->state, "held") == 0));
	json_object_set_new(o, "hidden", json_boolean(strcmp(c->state, "hidden") == 0));
	if (c->mod_reason) {
		json_object_set_new(o, "mod_reason", json_string(c->mod_reason));
		json_object_set_new(o, "mod_time", json_string(pd_web_cs_time(r, c->mod_ms)));
	}
	if (staff)
		json_object_set_new(o, "reports", json_integer(c->reports));
	json_object_set_new(o, "replies", json_array());
	return o;
}

static json_t *section_json(struct pd_req *r, const struct pd_consult_section *s, bool whole)
{
	json_t *o = json_object();
	json_object_set_new(o, "anchor", json_string(s->anchor));
	json_object_set_new(o, "dom_id", json_string(whole ? "seluruh" : pd_arena_printf(r->arena, "bagian-%s", s->anchor)));
	json_object_set_new(o, "title", json_string(whole ? pd_req_t(r, N_("Seluruh rancangan")) : s->title));
	json_object_set_new(o, "whole", json_boolean(whole));
	if (s->html)
		json_object_set_new(o, "html", pd_tpl_html(s->html));
	json_object_set_new(o, "n_comments", json_integer(s->comments));
	json_object_set_new(o, "n_support", json_integer(s->support));
	json_object_set_new(o, "n_oppose", json_integer(s->oppose));
	json_object_set_new(o, "n_neutral", json_integer(s->neutral));
	if (s->response)
		json_object_set_new(o, "response", json_string(s->response));
	json_object_set_new(o, "comments", json_array());
	return o;
}

json_t *pd_web_cs_sections(struct pd_req *r, const struct pd_consult_view *v, bool staff)
{
	json_t *arr = json_array();
	json_array_append_new(arr, section_json(r, &v->whole, true));
	for (int i = 0; i < v->n_sections; i++)
		json_array_append_new(arr, section_json(r, &v->sections[i], false));
	/* Top-level comments under their section (unknown sections: the whole draft). */
	json_t *tops = json_object();
	for (int i = 0; i < v->n_comments; i++) {
		const struct pd_consult_comment *c = &v->comments[i];
		if (c->parent_id)
			continue;
		size_t k = 0;
		for (int s = 0; s < v->n_sections; s++)
			if (strcmp(v->sections[s].anchor, c->section) == 0)
				k = (size_t)s + 1;
		json_t *cj = comment_json(r, c, staff);
		json_array_append(json_object_get(json_array_get(arr, k), "comments"), cj);
		json_object_set_new(tops, c->id, cj);
	}
	for (int i = 0; i < v->n_comments; i++) {
		const struct pd_consult_comment *c = &v->comments[i];
		json_t *parent = c->parent_id ? json_object_get(tops, c->parent_id) : NULL;
		if (parent)
			json_array_append_new(json_object_get(parent, "replies"), comment_json(r, c, staff));
	}
	json_decref(tops);
	return arr;
}
