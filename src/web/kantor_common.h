/* Helpers shared by the back office's application pages (web/kantor_permohonan.c and
 * web/kantor_ajukan.c): who did something, times and due dates on the working-day clock. */
#ifndef PD_WEB_KANTOR_COMMON_H
#define PD_WEB_KANTOR_COMMON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/calendar.h"
#include "domain/application.h"
#include "http/http.h"

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
