/* The periodic job "opendata": the generated open datasets recomputed from the records
 * (domain/dataset.h, pd_opendata_generate). */
#ifndef PD_JOBS_OPENDATA_H
#define PD_JOBS_OPENDATA_H

#include <stddef.h>

struct pd_app;

/* Regenerates every generated dataset with the server's published calendar and time zone;
 * writes "datasets:N" into result (n bytes). Returns PD_OK or the error. */
int pd_jobs_opendata(struct pd_app *app, char *result, size_t n);

#endif
