/* Handlers of the administrators' working-day calendar at /admin/kalender. */
#ifndef PD_WEB_CALENDAR_H
#define PD_WEB_CALENDAR_H

#include "http/http.h"

/* GET /admin/kalender: the loaded years with their non-working days and working-day counts,
 * sample due dates for a request received today, and for administrators of a top unit the
 * forms below (?ubah=YYYY-MM-DD fills the day form with that day). */
void pd_web_admin_calendar(struct pd_req *r);

/* POST /admin/kalender/hari (date, kind, name_id, name_en, source): adds or changes a day. */
void pd_web_admin_calendar_day(struct pd_req *r);

/* POST /admin/kalender/hari/hapus (date): makes a listed day a working day again. */
void pd_web_admin_calendar_remove(struct pd_req *r);

/* POST /admin/kalender/tahun (year): marks a year loaded. */
void pd_web_admin_calendar_year(struct pd_req *r);

#endif
