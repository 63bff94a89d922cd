/* Statements and row mapping for the working-day calendar. */
#include "store/calendar_store.h"

static const struct pd_sql SQL_PUT = {
	"holiday_put",
	"INSERT INTO holiday (day, date, kind, name_id, name_en, source, updated_ms) "
	"VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (day) DO UPDATE SET date = excluded.date, "
	"kind = excluded.kind, name_id = excluded.name_id, name_en = excluded.name_en, "
	"source = excluded.source, updated_ms = excluded.updated_ms",
	NULL};
static const struct pd_sql SQL_DELETE = {"holiday_delete", "DELETE FROM holiday WHERE day = $1", NULL};
static const struct pd_sql SQL_YEAR_MARK = {
	"calendar_year_mark",
	"INSERT INTO calendar_year (year, loaded_ms) VALUES ($1, $2) ON CONFLICT (year) DO NOTHING", NULL};
static const struct pd_sql SQL_EACH = {
	"holiday_each", "SELECT day, date, kind, name_id, name_en, source FROM holiday ORDER BY day", NULL};
static const struct pd_sql SQL_YEARS = {"calendar_years", "SELECT year FROM calendar_year ORDER BY year",
                                        NULL};

enum pd_qs pd_store_holiday_put(struct pd_tx *tx, const struct pd_holiday *h, int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_PUT);
	pd_q_int(q, 1, h->day);
	pd_q_text(q, 2, h->date);
	pd_q_text(q, 3, h->kind);
	pd_q_text(q, 4, h->name_id);
	pd_q_text(q, 5, h->name_en);
	pd_q_text(q, 6, h->source ? h->source : "");
	pd_q_int(q, 7, now_ms);
	return pd_q_exec(q) < 0 ? PD_QS_HARD : PD_QS_ONE;
}

enum pd_qs pd_store_holiday_delete(struct pd_tx *tx, int32_t day)
{
	struct pd_q *q = pd_q_open(tx, &SQL_DELETE);
	pd_q_int(q, 1, day);
	int64_t n = pd_q_exec(q);
	return n < 0 ? PD_QS_HARD : n ? PD_QS_ONE : PD_QS_NONE;
}

enum pd_qs pd_store_calendar_year_mark(struct pd_tx *tx, int year, int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_YEAR_MARK);
	pd_q_int(q, 1, year);
	pd_q_int(q, 2, now_ms);
	int64_t n = pd_q_exec(q);
	return n < 0 ? PD_QS_HARD : n ? PD_QS_ONE : PD_QS_NONE;
}

enum pd_qs pd_store_holiday_each(struct pd_tx *tx, void (*fn)(const struct pd_holiday *h, void *arg),
                                 void *arg)
{
	struct pd_q *q = pd_q_open(tx, &SQL_EACH);
	int rc, n = 0;
	while ((rc = pd_q_step(q)) == 1) {
		struct pd_holiday h = {
			.day = (int32_t)pd_q_col_int(q, 0),
			.date = pd_q_col_text(q, 1),
			.kind = pd_q_col_text(q, 2),
			.name_id = pd_q_col_text(q, 3),
			.name_en = pd_q_col_text(q, 4),
			.source = pd_q_col_text(q, 5),
		};
		fn(&h, arg);
		n++;
	}
	pd_q_close(q);
	return rc < 0 ? PD_QS_HARD : n ? PD_QS_MANY : PD_QS_NONE;
}

enum pd_qs pd_store_calendar_years(struct pd_tx *tx, void (*fn)(int year, void *arg), void *arg)
{
	struct pd_q *q = pd_q_open(tx, &SQL_YEARS);
	int rc, n = 0;
	while ((rc = pd_q_step(q)) == 1) {
		fn((int)pd_q_col_int(q, 0), arg);
		n++;
	}
	pd_q_close(q);
	return rc < 0 ? PD_QS_HARD : n ? PD_QS_MANY : PD_QS_NONE;
}
