/* Helpers shared by the back office's pages (web/kantor_permohonan.c, web/kantor_ajukan.c,
 * web/kantor_pengaduan.c): staff only, query values, queue page links, the posted steps'
 * context, version and refusals, who did something, times and due dates on the working-day
 * clock. */
#ifndef PD_WEB_KANTOR_COMMON_H
#define PD_WEB_KANTOR_COMMON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/calendar.h"
#include "domain/application.h"
#include "http/http.h"

/* A query value, NULL when absent or empty. */
const char *pd_kantor_query(struct pd_req *r, const char *name);

/* True for a staff actor. Otherwise replies 404 and returns false: the back office is for
 * staff, and a citizen (even the case's own) has their own pages and finds nothing here. */
bool pd_kantor_staff_or_reply(struct pd_req *r);

/* Puts a queue's page links into ctx: "next_url" (base?<fq>setelah=<next>) when next is not
 * NULL, "first_url" (base with the filters alone) when after is not NULL (a later page). fq
 * is the filter query, each pair followed by '&' ("" for none). */
void pd_kantor_page_links(struct pd_req *r, json_t *ctx, const char *base, const char *fq,
                          const char *next, const char *after);

/* Fills c for a step posted by r's actor: actor, keys, the working-day calendar, the public
 * base URL (the other members untouched). */
void pd_kantor_step_ctx(struct pd_req *r, struct pd_app_ctx *c);

/* The case version the form posted ("versi", 1..INT64_MAX-1) into *version. When it is
 * missing or malformed, replies 400 with msgid and returns false. */
bool pd_kantor_form_version(struct pd_req *r, int64_t *version, const char *msgid);

/* Replies the 409 page of a step someone else took first: message (msgid) and a link to
 * back_url labelled back_label (msgid). */
void pd_kantor_conflict_page(struct pd_req *r, const char *message, const char *back_url,
                             const char *back_label);

/* The field errors of a refused step, translated, keyed by the page's field names:
 * field(step, name) maps a domain field name; the first message of a field wins. New
 * reference. */
json_t *pd_kantor_errors_json(struct pd_req *r, const struct pd_app_errors *errs,
                              const char *(*field)(int step, const char *name), int step);

/* True when account_id is the signed-in actor's own account (false for NULL). */
bool pd_kantor_is_self(struct pd_req *r, const char *account_id);

/* Who a staff member is as the back office shows them: "Anda" for the actor, the name the
 * domain opened (p->name: staff readers only), else role and unit as the citizen reads them
 * ("Petugas · Desa Mekarsari"), else "Petugas" with the first characters of the account id.
 * A NULL account_id reads none_msgid ("Belum ada", "Sistem"). Arena-owned or static,
 * translated. */
const char *pd_kantor_who(struct pd_req *r, const char *account_id, const struct pd_app_person *p,
                          const char *none_msgid);

/* "Petugas · Desa Mekarsari": p's role and unit, the role alone without a unit, or "Petugas"
 * when p is NULL or holds no case grant any more. Arena-owned or static, translated. */
const char *pd_kantor_role_unit(struct pd_req *r, const struct pd_app_person *p);

/* A size for people ("120 KB"). Arena-owned. */
const char *pd_kantor_size(struct pd_req *r, int64_t bytes);

/* The due date of app on the working-day calendar as seen at now: {date (YYYY-MM-DD, local),
 * days_left (working days after today up to the due day), last_day, late_days, overdue
 * (the deadline job's flag or a passed due date), paused (returned: the clock stops)};
 * an empty object for a draft. New reference. */
json_t *pd_kantor_due_json(struct pd_req *r, const struct pd_calendar *cal, int64_t now,
                           const struct pd_application *app);

#endif
