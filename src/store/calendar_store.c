/* Statements and row mapping for the working-day calendar. */
#include "store/calendar_store.h"

#include <stdint.h>

#include "core/err.h"
#include "core/str.h"

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
static const struct pd_sql SQL_GET = {
	"holiday_get", "SELECT day, date, kind, name_id, name_en, source FROM holiday WHERE day = $1",
	NULL};
static const struct pd_sql SQL_YEAR_EXISTS = {
	"calendar_year_exists", "SELECT 1 FROM calendar_year WHERE year = $1", NULL};
static const struct pd_sql SQL_GEN_GET = {
	"calendar_gen_get", "SELECT value FROM meta WHERE key = 'calendar_generation'", NULL};
static const struct pd_sql SQL_GEN_BUMP = {
	"calendar_gen_bump",
	"INSERT INTO meta (key, value) VALUES ('calendar_generation', '1') ON CONFLICT (key) "
	"DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)",
	"INSERT INTO meta (key, value) VALUES ('calendar_generation', '1') ON CONFLICT (key) "
	"DO UPDATE SET value = CAST(CAST(meta.value AS BIGINT) + 1 AS TEXT)"};

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

enum pd_qs pd_store_holiday_get(struct pd_tx *tx, int32_t day, struct pd_arena *a,
                                struct pd_holiday *out)
{
	if (!a)
		a = pd_tx_arena(tx);
	struct pd_q *q = pd_q_open(tx, &SQL_GET);
	pd_q_int(q, 1, day);
	int rc = pd_q_step(q);
	if (rc == 1) {
		out->day = (int32_t)pd_q_col_int(q, 0);
		out->date = pd_q_col_dup(q, 1, a);
		out->kind = pd_q_col_dup(q, 2, a);
		out->name_id = pd_q_col_dup(q, 3, a);
		out->name_en = pd_q_col_dup(q, 4, a);
		out->source = pd_q_col_dup(q, 5, a);
	}
	pd_q_close(q);
	return rc < 0 ? PD_QS_HARD : rc ? PD_QS_ONE : PD_QS_NONE;
}

enum pd_qs pd_store_calendar_year_exists(struct pd_tx *tx, int year)
{
	struct pd_q *q = pd_q_open(tx, &SQL_YEAR_EXISTS);
	pd_q_int(q, 1, year);
	int rc = pd_q_step(q);
	pd_q_close(q);
	return rc < 0 ? PD_QS_HARD : rc ? PD_QS_ONE : PD_QS_NONE;
}

enum pd_qs pd_store_calendar_generation(struct pd_tx *tx, int64_t *out)
{
	*out = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_GEN_GET);
	int rc = pd_q_step(q);
	if (rc == 1 && pd_parse_i64(pd_q_col_text(q, 0), 0, INT64_MAX, out)) {
		pd_q_close(q);
		pd_tx_fail(tx, PD_ERR_DB);
		return PD_QS_HARD;
	}
	pd_q_close(q);
	return rc < 0 ? PD_QS_HARD : PD_QS_ONE;
}

enum pd_qs pd_store_calendar_bump_generation(struct pd_tx *tx)
{
	return pd_q_exec(pd_q_open(tx, &SQL_GEN_BUMP)) < 0 ? PD_QS_HARD : PD_QS_ONE;
}
