/* The satisfaction survey (IKM, PermenPANRB 14/2017): a citizen rates a completed application
 * once, anonymously; the public report per unit, service and quarter.
 *
 * Anonymity. A response is not stored as such: its scores are added to the totals of its
 * (quarter, unit, service) group (survey_tally: a count and nine sums) and the response itself
 * is gone. That the application was answered is recorded apart (survey_answered: the
 * application id only), in the same transaction, to keep the one-answer rule. So no row holds
 * one person's scores, and nothing — an id, a time, a row's storage position or PostgreSQL
 * transaction id (xmin) — pairs an answered application with what it answered. The audit
 * entry "survey.submit" names the account and the application (that the citizen answered,
 * when: a citizen can see that nobody else answered in their name), never a score.
 *
 * Publication. Only closed quarters are published: the running quarter's totals change with
 * every answer, so showing them would let whoever polls the page before and after one known
 * answer (the audit log says when it came) read that person's scores by subtraction. A closed
 * quarter no longer changes (an answer counts in the quarter it is given). What is published
 * is aggregated: a figure of fewer than PD_IKM_MIN_RESPONSES responses is withheld, and so is a
 * service whose figure, subtracted from its unit's, would reveal a withheld group smaller than
 * that (pd_ikm_suppress). Whoever can read the raw database files (dead row versions before
 * VACUUM, the write-ahead log) or copies of the database taken between answers could see
 * changes of the totals; that is the database administrator's trust, not publication. */
#ifndef PD_DOMAIN_SURVEY_H
#define PD_DOMAIN_SURVEY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "domain/authz.h"
#include "domain/ikm.h"
#include "store/store.h"

#define PD_SURVEY_QUARTERS_MAX 40 /* quarters offered by the report's selector */
#define PD_SURVEY_GROUPS_MAX 1000 /* (unit, service) groups of one quarter */

/* The application a survey is about, without personal data. Strings arena-owned. */
struct pd_survey_target {
	const char *application_id;
	const char *tracking;        /* compact tracking number */
	const char *service_name, *unit_name;
	bool answered;
};

/* Whether actor may answer the survey of application id: PD_OK with *out filled (out->answered
 * tells whether it was answered already); PD_ERR_NOT_FOUND when there is no such application
 * or it is not the actor's own (other citizens and staff alike); PD_ERR_FORBIDDEN when it is
 * the actor's own but not completed (approved or rejected) yet. */
int pd_survey_target(struct pd_store *st, const struct pd_actor *actor, const char *id,
                     struct pd_arena *a, struct pd_survey_target *out);

/* Records actor's scores (nine, 1..4, in the regulation's order) for application id in write
 * transaction tx, with its quarter from now_ms in the installation's time zone (tz_offset_min
 * east of UTC) and the audit entry "survey.submit". Same refusals as pd_survey_target, and
 * PD_ERR_INVALID for a score outside 1..4, PD_ERR_CONFLICT when the application was answered
 * already (nothing is written). */
int pd_survey_submit_tx(struct pd_tx *tx, const struct pd_actor *actor, const char *id,
                        const int scores[PD_IKM__MAX], int64_t now_ms, int tz_offset_min);

/* The quarter (1..4) and year of time ms in a time zone tz_offset_min east of UTC. */
void pd_survey_quarter_of(int64_t ms, int tz_offset_min, int *year, int *quarter);

/* A published figure. When withheld, only n is filled (the other figures are zero): below
 * PD_IKM_MIN_RESPONSES responses, or (protective) to keep a smaller withheld group from being
 * derived by subtraction. */
struct pd_survey_figure {
	struct pd_ikm_result r;
	bool withheld;
	bool protective;  /* withheld although it has enough responses itself */
};

struct pd_survey_service_row {
	const char *slug, *name;
	struct pd_survey_figure f;
};

struct pd_survey_unit_row {
	const char *slug, *name;
	struct pd_survey_figure f;    /* every response of the unit's services */
	struct pd_survey_service_row *services;
	int n_services;
};

/* The report of one quarter. */
struct pd_survey_report {
	int year, quarter;
	bool unpublished;  /* the running quarter or a later one: nothing is loaded (no units) */
	struct pd_survey_unit_row *units;  /* by unit name */
	int n_units;
	int years[PD_SURVEY_QUARTERS_MAX], quarters[PD_SURVEY_QUARTERS_MAX]; /* closed ones with
	                                                                  * responses, newest first */
	int n_quarters;
};

/* The public report of quarter (year, quarter) — quarter 0: the newest closed quarter that has
 * responses (the last closed quarter when there is none) — every unit with responses, its
 * services, all arena-owned. A quarter is closed when it ended before now_ms in the time zone;
 * for the running quarter or a later one out->unpublished is set and no figure is read.
 * PD_ERR_INVALID for a year outside 2000..9999 or a quarter outside 0..4. */
int pd_survey_report(struct pd_store *st, int year, int quarter, int64_t now_ms,
                     int tz_offset_min, struct pd_arena *a, struct pd_survey_report *out);

#endif
