/* The performance dashboards' pages: the public /dasbor with its CSV downloads, the staff
 * /kantor/dasbor with trends, and "what to digitise next" for administrators. */
#ifndef PD_WEB_DASBOR_H
#define PD_WEB_DASBOR_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/dashboard.h"
#include "http/http.h"

/* GET /dasbor?unit=&periode= — the public dashboard. */
void pd_web_dasbor(struct pd_req *r);
/* GET /dasbor/{figure}.csv — one figure of the public dashboard as CSV (same filters). */
void pd_web_dasbor_csv(struct pd_req *r);
/* GET /kantor/dasbor — the staff dashboard (any staff grant; the actor's subtrees). */
void pd_web_kantor_dasbor(struct pd_req *r);
/* GET /kantor/dasbor/{figure}.csv — its figures as CSV, also tren.csv and, for
 * administrators, digitalisasi.csv. */
void pd_web_kantor_dasbor_csv(struct pd_req *r);
/* GET /kantor/dasbor/digitalisasi — services ranked by the evidence score (administrators). */
void pd_web_kantor_digitalisasi(struct pd_req *r);

/* --- shared by dasbor.c and dasbor_kantor.c ---------------------------------------------------- */

/* Reads ?unit= and ?periode= into q (clock, time zone, calendar set). False after replying
 * 400 for a malformed period. */
bool pd_dasbor_query(struct pd_req *r, struct pd_dash_query *q);

/* The template context of d's figures (charts, tables, CSV links under csv_base, e.g.
 * "/dasbor/"); staff adds the trend and the top lists. New reference. */
json_t *pd_dasbor_ctx(struct pd_req *r, const struct pd_dashboard *d, const char *csv_base,
                      bool staff);

/* The filter's choices into ctx: units (actor NULL: every unit, with the whole installation
 * first) and periods, the current ones selected. */
void pd_dasbor_filters(struct pd_req *r, json_t *ctx, const struct pd_actor *actor,
                       const struct pd_dashboard *d);

/* Replies figure (the file name without ".csv": "layanan", "pengaduan-kategori",
 * "pengaduan-desa", "ikm", "informasi", and with staff "tren") of d as CSV; false when there is
 * no such figure (nothing replied). */
bool pd_dasbor_csv_reply(struct pd_req *r, const struct pd_dashboard *d, const char *figure,
                         bool staff);

/* "12,5" (the page in Indonesian) or "12.5" for tenths; "—" for a negative value. Arena-owned. */
const char *pd_dasbor_tenths(struct pd_req *r, int64_t v, bool localised);

#endif
