/* The working-day calendar over the JSON API: due dates as every feature computes them. */
#ifndef PD_API_CALENDAR_H
#define PD_API_CALENDAR_H

#include "http/http.h"

/* GET /api/v1/calendar/due?received=RFC3339&days=N: the due date of an item received then
 * (default: now) with N (1..1000) working days, by the installation's calendar as the database
 * holds it now (docs/calendar.md). 422 with fields {received, days} on bad input. */
void pd_api_calendar_due(struct pd_req *r);

#endif
