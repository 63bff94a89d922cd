/* Statements and row mapping of the satisfaction survey (IKM). */
#include "store/survey_store.h"

#include <string.h>

static const struct pd_sql SQL_MARK = {
	"survey_mark_answered",
	"INSERT INTO survey_answered (application_id) VALUES ($1) "
	"ON CONFLICT (application_id) DO NOTHING",
	NULL};
static const struct pd_sql SQL_ANSWERED = {
	"survey_answered", "SELECT 1 FROM survey_answered WHERE application_id = $1", NULL};
static const struct pd_sql SQL_ADD = {
	"survey_add",
	"INSERT INTO survey_tally (year, quarter, unit_id, service_id, n, t1, t2, t3, t4, t5, t6, t7, "
	"t8, t9) VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
	"ON CONFLICT (year, quarter, unit_id, service_id) DO UPDATE SET n = survey_tally.n + 1, "
	"t1 = survey_tally.t1 + excluded.t1, t2 = survey_tally.t2 + excluded.t2, "
	"t3 = survey_tally.t3 + excluded.t3, t4 = survey_tally.t4 + excluded.t4, "
	"t5 = survey_tally.t5 + excluded.t5, t6 = survey_tally.t6 + excluded.t6, "
	"t7 = survey_tally.t7 + excluded.t7, t8 = survey_tally.t8 + excluded.t8, "
	"t9 = survey_tally.t9 + excluded.t9",
	NULL};
static const struct pd_sql SQL_GROUPS = {
	"survey_groups",
	"SELECT u.id, u.slug, u.name, s.id, s.slug, s.name, g.n, g.t1, g.t2, g.t3, g.t4, g.t5, g.t6, "
	"g.t7, g.t8, g.t9 FROM survey_tally g JOIN unit u ON u.id = g.unit_id "
	"JOIN service s ON s.id = g.service_id WHERE g.year = $1 AND g.quarter = $2 "
	"ORDER BY u.name, u.id, s.name, s.id LIMIT $3",
	NULL};
static const struct pd_sql SQL_QUARTERS = {
	"survey_quarters",
	"SELECT year, quarter FROM survey_tally WHERE year < $1 OR (year = $1 AND quarter < $2) "
	"GROUP BY year, quarter ORDER BY year DESC, quarter DESC LIMIT $3",
	NULL};

enum pd_qs pd_store_survey_mark_answered(struct pd_tx *tx, const char *application_id)
{
	struct pd_q *q = pd_q_open(tx, &SQL_MARK);
	pd_q_text(q, 1, application_id);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_survey_answered(struct pd_tx *tx, const char *application_id)
{
	struct pd_q *q = pd_q_open(tx, &SQL_ANSWERED);
	pd_q_text(q, 1, application_id);
	int rc = pd_q_step(q);
	if (rc < 0)
		return PD_QS_HARD;
	if (rc == 0)
		return PD_QS_NONE;
	pd_q_close(q);
	return PD_QS_ONE;
}

enum pd_qs pd_store_survey_add(struct pd_tx *tx, const struct pd_survey_row *r)
{
	struct pd_q *q = pd_q_open(tx, &SQL_ADD);
	pd_q_int(q, 1, r->year);
	pd_q_int(q, 2, r->quarter);
	pd_q_text(q, 3, r->unit_id);
	pd_q_text(q, 4, r->service_id);
	for (int i = 0; i < PD_SURVEY_ELEMENTS; i++)
		pd_q_int(q, 5 + i, r->scores[i]);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_survey_groups(struct pd_tx *tx, int year, int quarter, struct pd_arena *a,
                                  struct pd_survey_group *out, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_GROUPS);
	pd_q_int(q, 1, year);
	pd_q_int(q, 2, quarter);
	pd_q_int(q, 3, max);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_survey_group *g = &out[(*n)++];
		memset(g, 0, sizeof *g);
		g->unit_id = pd_q_col_dup(q, 0, a);
		g->unit_slug = pd_q_col_dup(q, 1, a);
		g->unit_name = pd_q_col_dup(q, 2, a);
		g->service_id = pd_q_col_dup(q, 3, a);
		g->service_slug = pd_q_col_dup(q, 4, a);
		g->service_name = pd_q_col_dup(q, 5, a);
		g->n = pd_q_col_int(q, 6);
		for (int i = 0; i < PD_SURVEY_ELEMENTS; i++)
			g->sum[i] = pd_q_col_int(q, 7 + i);
	}
	pd_q_close(q);
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return *n == 0 ? PD_QS_NONE : *n == 1 ? PD_QS_ONE : PD_QS_MANY;
}

enum pd_qs pd_store_survey_quarters(struct pd_tx *tx, int before_year, int before_quarter,
                                    int *years, int *quarters, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_QUARTERS);
	pd_q_int(q, 1, before_year);
	pd_q_int(q, 2, before_quarter);
	pd_q_int(q, 3, max);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1) {
		years[*n] = (int)pd_q_col_int(q, 0);
		quarters[*n] = (int)pd_q_col_int(q, 1);
		(*n)++;
	}
	pd_q_close(q);
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return *n == 0 ? PD_QS_NONE : *n == 1 ? PD_QS_ONE : PD_QS_MANY;
}
