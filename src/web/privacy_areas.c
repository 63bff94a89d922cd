/* Renders the citizen's own records of the newer areas into the data export (/akun/unduh): as
 * their owner sees them, never other people's data and never staff names. */
#include "web/privacy_areas.h"

#include <string.h>

#include "web/common_time.h"

static json_t *jstr(const char *s)
{
	json_t *v = s ? json_string(s) : NULL;
	return v ? v : json_null();
}

static json_t *jtime(struct pd_arena *a, int64_t ms)
{
	return ms ? json_string(pd_web_rfc3339(a, ms)) : json_null();
}

static void put(json_t *o, const char *k, json_t *v)
{
	json_object_set_new(o, k, v ? v : json_null());
}

static json_t *complaint_json(struct pd_req *r, const struct pd_complaint *c)
{
	struct pd_arena *a = r->arena;
	json_t *o = json_object(), *timeline = json_array();
	put(o, "tracking", jstr(c->tracking_display));
	put(o, "category", json_pack("{s:o,s:o}", "code", jstr(c->category_code), "name",
	                             jstr(c->category_name)));
	put(o, "status", jstr(pd_complaint_status_name(c->status)));
	put(o, "status_label", jstr(pd_req_t(r, pd_complaint_status_label(c->status))));
	put(o, "visibility", jstr(pd_complaint_visibility_name(c->visibility)));
	put(o, "title", jstr(c->title));
	put(o, "text", jstr(c->text));
	put(o, "public_text", jstr(c->public_text));
	put(o, "published", json_boolean(c->published));
	put(o, "contact", json_pack("{s:o,s:o,s:o}", "name", jstr(c->contact_name), "email",
	                            jstr(c->contact_email), "phone", jstr(c->contact_phone)));
	put(o, "unit", jstr(c->unit_name));
	put(o, "village", jstr(c->place_name));
	put(o, "address", jstr(c->address));
	put(o, "location", c->has_location
	                       ? json_pack("{s:f,s:f}", "lat", (double)c->lat_e6 / 1e6, "lon",
	                                   (double)c->lon_e6 / 1e6)
	                       : json_null());
	put(o, "channel", jstr(c->channel));
	put(o, "photos", json_integer(c->n_photos));
	put(o, "support_count", json_integer(c->support_count));
	put(o, "occurred_at", jtime(a, c->occurred_ms));
	put(o, "created_at", jtime(a, c->created_ms));
	put(o, "updated_at", jtime(a, c->updated_ms));
	put(o, "due_at", jtime(a, c->due_ms));
	put(o, "answered_at", jtime(a, c->answered_ms));
	put(o, "answer", jstr(c->answer_public));
	for (int i = 0; i < c->n_events; i++) {
		const struct pd_complaint_event *e = &c->events[i];
		json_array_append_new(
			timeline, json_pack("{s:o,s:o,s:o,s:o,s:o}", "at", jtime(a, e->at_ms), "kind",
			                    jstr(e->kind), "status",
			                    jstr(pd_complaint_status_name(e->status_after)), "unit",
			                    jstr(e->unit_name), "note", jstr(e->public_note)));
	}
	put(o, "timeline", timeline);
	return o;
}

static json_t *reasons_json(unsigned mask)
{
	json_t *v = json_array();
	for (char c = 'a'; c <= 'g'; c++)
		if (mask & (1u << (c - 'a'))) {
			char s[2] = {c, 0};
			json_array_append_new(v, json_string(s));
		}
	return v;
}

static json_t *inforeq_json(struct pd_req *r, const struct pd_inforeq *q)
{
	struct pd_arena *a = r->arena;
	json_t *o = json_object(), *timeline = json_array(), *files = json_array();
	put(o, "tracking", jstr(q->tracking_display));
	put(o, "unit", json_pack("{s:o,s:o}", "slug", jstr(q->unit_slug), "name",
	                         jstr(q->unit_name)));
	put(o, "requester_name", jstr(q->requester_name));
	put(o, "subject", jstr(q->subject));
	put(o, "details", jstr(q->details));
	put(o, "purpose", jstr(q->purpose));
	put(o, "format", jstr(pd_inforeq_format_name(q->format)));
	put(o, "delivery", jstr(pd_inforeq_delivery_name(q->delivery)));
	put(o, "publish_consent", json_boolean(q->publish_consent));
	put(o, "status", jstr(pd_inforeq_status_name(q->status)));
	put(o, "outcome", jstr(pd_inforeq_outcome_name(q->outcome)));
	char ground[2] = {q->ground, 0};
	put(o, "exemption_ground", q->ground ? json_string(ground) : json_null());
	put(o, "answer", jstr(q->answer));
	put(o, "received_at", jtime(a, q->received_ms));
	put(o, "due_at", jtime(a, q->due_ms));
	put(o, "answered_at", jtime(a, q->answered_ms));
	put(o, "extension_days", json_integer(q->extension_days));
	put(o, "extension_reason", jstr(q->extension_reason));
	put(o, "overdue", json_boolean(q->overdue));
	put(o, "forwarded_from", jstr(q->forwarded_from_tracking));
	put(o, "forwarded_to", jstr(q->forwarded_to_tracking));
	json_t *obj = json_null();
	if (q->objected_ms)
		obj = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b}", "at", jtime(a, q->objected_ms),
		                "due_at", jtime(a, q->objection_due_ms), "decided_at",
		                jtime(a, q->objection_decided_ms), "reasons",
		                reasons_json(q->objection_reasons), "text", jstr(q->objection_text),
		                "outcome", jstr(pd_objection_outcome_name(q->objection_outcome)),
		                "answer", jstr(q->objection_answer), "overdue", q->objection_overdue);
	put(o, "objection", obj);
	for (int i = 0; i < q->n_events; i++) {
		const struct pd_inforeq_event *e = &q->events[i];
		json_array_append_new(timeline, json_pack("{s:o,s:o,s:o,s:b}", "at",
		                                          jtime(a, e->at_ms), "kind", jstr(e->kind),
		                                          "note", jstr(e->note), "by_staff",
		                                          e->by_staff));
	}
	for (int i = 0; i < q->n_files; i++) {
		const struct pd_inforeq_file *f = &q->files[i];
		json_array_append_new(files, json_pack("{s:o,s:o,s:I}", "filename", jstr(f->filename),
		                                       "content_type", jstr(f->content_type), "size",
		                                       (json_int_t)f->size));
	}
	put(o, "timeline", timeline);
	put(o, "files", files);
	return o;
}

static json_t *petition_json(struct pd_arena *a, const struct pd_petition *p)
{
	json_t *o = json_object();
	put(o, "id", jstr(p->id));
	put(o, "unit", json_pack("{s:o,s:o}", "slug", jstr(p->unit_slug), "name",
	                         jstr(p->unit_name)));
	put(o, "status", jstr(pd_petition_status_name(p->status)));
	put(o, "title", jstr(p->title));
	put(o, "body", jstr(p->body));
	put(o, "ask", jstr(p->ask));
	put(o, "period_days", json_integer(p->period_days));
	put(o, "refusal_reason", jstr(p->refusal_reason));
	put(o, "created_at", jtime(a, p->created_ms));
	put(o, "decided_at", jtime(a, p->decided_ms));
	put(o, "opens_at", jtime(a, p->opens_ms));
	put(o, "closes_at", jtime(a, p->closes_ms));
	put(o, "signatures", json_pack("{s:I,s:I}", "verified", (json_int_t)p->n_verified,
	                               "self_declared", (json_int_t)p->n_self_declared));
	put(o, "answer", jstr(p->answer));
	put(o, "answered_at", jtime(a, p->answered_ms));
	return o;
}

static json_t *signature_json(struct pd_arena *a, const struct pd_prv_signature_row *s)
{
	return json_pack("{s:{s:o,s:o,s:o},s:o,s:b,s:b}", "petition", "id", jstr(s->petition_id),
	                 "title", jstr(s->petition_title), "status", jstr(s->petition_status),
	                 "signed_at", jtime(a, s->signed_ms), "name_shown", s->name_shown,
	                 "nik_verified", s->nik_verified);
}

static json_t *comment_json(struct pd_arena *a, const struct pd_prv_comment_row *c)
{
	json_t *o = json_object();
	put(o, "id", jstr(c->id));
	put(o, "consultation", json_pack("{s:o,s:o}", "slug", jstr(c->consultation_slug), "title",
	                                 jstr(c->consultation_title)));
	put(o, "version", json_integer(c->version));
	put(o, "section", jstr(c->section && *c->section ? c->section : NULL));
	put(o, "section_title", jstr(c->section_title));
	put(o, "reply_to", jstr(c->parent_id));
	put(o, "stance", jstr(c->stance));
	put(o, "text", jstr(c->body));
	put(o, "shown_name", jstr(c->author_name));
	put(o, "state", jstr(c->state));
	put(o, "moderation_reason", jstr(c->mod_reason));
	put(o, "created_at", jtime(a, c->created_ms));
	return o;
}

static json_t *round_json(const char *id, const char *title, int64_t year, const char *unit)
{
	return json_pack("{s:o,s:o,s:I,s:o}", "id", jstr(id), "title", jstr(title), "year",
	                 (json_int_t)year, "unit", jstr(unit));
}

static json_t *proposal_json(struct pd_arena *a, const struct pd_prv_proposal_row *p)
{
	json_t *o = json_object();
	put(o, "id", jstr(p->id));
	put(o, "round", round_json(p->round_id, p->round_title, p->round_year, p->round_unit));
	put(o, "title", jstr(p->title));
	put(o, "location", jstr(p->location));
	put(o, "estimated_cost", json_integer(p->est_cost));
	put(o, "beneficiaries", jstr(p->beneficiaries));
	put(o, "status", jstr(p->status));
	put(o, "verification_reason", jstr(p->verify_reason));
	put(o, "votes", json_integer(p->votes));
	put(o, "rank", p->rank ? json_integer(p->rank) : json_null());
	put(o, "funded", json_boolean(p->funded));
	put(o, "progress", json_pack("{s:o,s:I}", "status", jstr(p->progress_status), "percent",
	                             (json_int_t)p->progress_pct));
	put(o, "created_at", jtime(a, p->created_ms));
	return o;
}

static json_t *ballot_json(struct pd_arena *a, const struct pd_prv_ballot_row *b)
{
	json_t *items = json_array();
	for (int i = 0; i < b->n_items; i++)
		json_array_append_new(items, json_pack("{s:o,s:o}", "proposal_id", jstr(b->item_ids[i]),
		                                       "title", jstr(b->item_titles[i])));
	json_t *o = json_object();
	put(o, "id", jstr(b->id));
	put(o, "round", round_json(b->round_id, b->round_title, b->round_year, b->round_unit));
	put(o, "cast_at", jtime(a, b->cast_ms));
	put(o, "updated_at", jtime(a, b->updated_ms));
	put(o, "items", items);
	return o;
}

void pd_web_privacy_areas_json(struct pd_req *r, const struct pd_privacy_areas *x, json_t *doc)
{
	struct pd_arena *a = r->arena;
	json_t *complaints = json_array(), *inforeqs = json_array(), *petitions = json_array();
	json_t *signatures = json_array(), *comments = json_array();
	json_t *proposals = json_array(), *ballots = json_array();
	for (int i = 0; i < x->n_complaints; i++)
		json_array_append_new(complaints, complaint_json(r, &x->complaints[i]));
	for (int i = 0; i < x->n_inforeqs; i++)
		json_array_append_new(inforeqs, inforeq_json(r, &x->inforeqs[i]));
	for (int i = 0; i < x->n_petitions; i++)
		json_array_append_new(petitions, petition_json(a, &x->petitions[i]));
	for (int i = 0; i < x->n_signatures; i++)
		json_array_append_new(signatures, signature_json(a, &x->signatures[i]));
	for (int i = 0; i < x->n_comments; i++)
		json_array_append_new(comments, comment_json(a, &x->comments[i]));
	for (int i = 0; i < x->n_proposals; i++)
		json_array_append_new(proposals, proposal_json(a, &x->proposals[i]));
	for (int i = 0; i < x->n_ballots; i++)
		json_array_append_new(ballots, ballot_json(a, &x->ballots[i]));
	put(doc, "complaints", complaints);
	put(doc, "information_requests", inforeqs);
	put(doc, "petitions", petitions);
	put(doc, "petition_signatures", signatures);
	put(doc, "consultation_comments", comments);
	put(doc, "musrenbang", json_pack("{s:o,s:o}", "proposals", proposals, "ballots", ballots));
	put(doc, "participation_truncated", json_boolean(x->truncated));
}
