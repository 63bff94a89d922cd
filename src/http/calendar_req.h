/* The working-day calendar as a request sees it: the published calendar held for the request,
 * and the administrators' notice that the calendar runs out. */
#ifndef PD_HTTP_CALENDAR_REQ_H
#define PD_HTTP_CALENDAR_REQ_H

#include <jansson.h>

#include "core/calendar.h"
#include "http/http.h"

/* The server's published calendar, held until the request completes (released with its
 * arena); call it once per request so one answer never mixes two versions. Never NULL. */
const struct pd_calendar *pd_http_calendar(struct pd_req *r);

/* The same after checking the calendar generation in the database (one small query) and
 * reloading when it changed: for answers that must not be older than a write the client could
 * have seen (DESIGN §3). Falls back to the published calendar when the database fails. */
const struct pd_calendar *pd_http_calendar_fresh(struct pd_req *r);

/* Adds calendar_notice {year} to a page's ctx when an administrator views an /admin/ page or
 * /akun from 1 October of the last loaded year on (pd_calendar_warning_year); else nothing. */
void pd_http_calendar_notice(struct pd_req *r, json_t *ctx);

#endif
