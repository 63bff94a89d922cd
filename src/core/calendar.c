/* Working-day calendar: per-year bitmaps of non-working days, civil-date arithmetic without the
 * process-wide TZ state of mktime/localtime, and the due-date computation every feature uses. */
#include "core/calendar.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/str.h"

#define DAY_MS INT64_C(86400000)
#define YEAR_MIN 1900          /* holiday data is accepted for these years only */
#define YEAR_MAX 9999
#define DAY_CLAMP 1000000000   /* civil days are kept within ±this (about ±2.7 million years) */
#define MAX_WORKING 100000     /* working days a due date may run (about 380 years) */
#define CSV_MAX_BYTES (1 << 20)
#define CSV_MAX_FIELD 4096
#define WORDS 6                /* 6 × 64 bits ≥ 366 days */

/* One loaded year: bit i of `off` is set when day first_day + i is non-working; the same bit of
 * `cuti` tells collective leave from a national holiday. */
struct cal_year {
	int year;
	int32_t first_day;
	int n_days;
	uint64_t off[WORDS];
	uint64_t cuti[WORDS];
};

/* Years are kept sorted by `year`; a year is present exactly when it is loaded. */
struct pd_calendar {
	int tz_offset_min;
	struct cal_year *years;
	size_t n_years;
	size_t cap_years;
};

/* Remembers the year of the last day looked at, so loops over consecutive days stay O(1). */
struct cursor {
	bool valid;
	int32_t lo, hi;  /* [lo, hi) are the days of the cached year */
	const struct cal_year *y;
};

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
	int64_t r = a % b;
	return (r != 0 && (r < 0) != (b < 0)) ? r + b : r;
}

static int32_t clamp_day(int64_t d)
{
	if (d < -DAY_CLAMP)
		return -DAY_CLAMP;
	if (d > DAY_CLAMP)
		return DAY_CLAMP;
	return (int32_t)d;
}

/* days_from_civil (H. Hinnant, "chrono-compatible low-level date algorithms"). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	y -= m <= 2;
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int32_t pd_civil_day(int y, int m, int d)
{
	return clamp_day(days_from_civil(y, m, d));
}

void pd_civil_from_day(int32_t day, int *y, int *m, int *d)
{
	int64_t z = (int64_t)day + 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
	int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (mm <= 2));
	*m = mm;
	*d = dd;
}

int pd_civil_weekday(int32_t day)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	return (int)floor_mod((int64_t)day + 3, 7);
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int year_of(int32_t day)
{
	int y, m, d;
	pd_civil_from_day(day, &y, &m, &d);
	return y;
}

struct pd_calendar *pd_calendar_new(int tz_offset_min)
{
	if (tz_offset_min < -14 * 60 || tz_offset_min > 14 * 60)
		return NULL;
	struct pd_calendar *cal = calloc(1, sizeof *cal);
	if (!cal)
		return NULL;
	cal->tz_offset_min = tz_offset_min;
	return cal;
}

void pd_calendar_free(struct pd_calendar *cal)
{
	if (!cal)
		return;
	free(cal->years);
	free(cal);
}

int32_t pd_calendar_day_of(const struct pd_calendar *cal, int64_t ms)
{
	int64_t tz_ms = cal ? (int64_t)cal->tz_offset_min * 60000 : 0;
	/* Split first so that ms near INT64_MAX cannot overflow when the offset is added. */
	int64_t day = floor_div(ms, DAY_MS);
	int64_t rem = floor_mod(ms, DAY_MS) + tz_ms;
	return clamp_day(day + floor_div(rem, DAY_MS));
}

/* Binary search; NULL when the year is not loaded. */
static const struct cal_year *find_year(const struct cal_year *arr, size_t n, int year)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (arr[mid].year == year)
			return &arr[mid];
		if (arr[mid].year < year)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Index of the first year >= year. */
static size_t lower_bound(const struct cal_year *arr, size_t n, int year)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (arr[mid].year < year)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Finds or inserts `year` in arr (sorted, *n used, cap allocated); NULL when arr is full. */
static struct cal_year *year_slot(struct cal_year *arr, size_t *n, size_t cap, int year)
{
	size_t i = lower_bound(arr, *n, year);
	if (i < *n && arr[i].year == year)
		return &arr[i];
	if (*n >= cap)
		return NULL;
	memmove(&arr[i + 1], &arr[i], (*n - i) * sizeof *arr);
	(*n)++;
	struct cal_year *y = &arr[i];
	memset(y, 0, sizeof *y);
	y->year = year;
	y->first_day = pd_civil_day(year, 1, 1);
	y->n_days = is_leap(year) ? 366 : 365;
	return y;
}

static int reserve_years(struct pd_calendar *cal, size_t extra)
{
	if (cal->cap_years - cal->n_years >= extra)
		return PD_OK;
	size_t cap = cal->cap_years ? cal->cap_years * 2 : 8;
	while (cap - cal->n_years < extra)
		cap *= 2;
	struct cal_year *arr = realloc(cal->years, cap * sizeof *arr);
	if (!arr)
		return PD_ERR_NOMEM;
	cal->years = arr;
	cal->cap_years = cap;
	return PD_OK;
}

static void set_day(struct cal_year *y, int32_t day, enum pd_day_kind kind)
{
	int i = (int)(day - y->first_day);
	uint64_t bit = UINT64_C(1) << (i % 64);
	y->off[i / 64] |= bit;
	if (kind == PD_DAY_CUTI_BERSAMA)
		y->cuti[i / 64] |= bit;
	else
		y->cuti[i / 64] &= ~bit;
}

static bool valid_kind(int kind)
{
	return kind == PD_DAY_LIBUR || kind == PD_DAY_CUTI_BERSAMA;
}

int pd_calendar_add(struct pd_calendar *cal, int32_t day, enum pd_day_kind kind)
{
	if (!cal || !valid_kind((int)kind))
		return PD_ERR_INVALID;
	int year = year_of(day);
	if (year < YEAR_MIN || year > YEAR_MAX)
		return PD_ERR_INVALID;
	if (reserve_years(cal, 1))
		return PD_ERR_NOMEM;
	struct cal_year *y = year_slot(cal->years, &cal->n_years, cal->cap_years, year);
	set_day(y, day, kind);
	return PD_OK;
}

void pd_calendar_remove(struct pd_calendar *cal, int32_t day)
{
	if (!cal)
		return;
	struct cal_year *y = (struct cal_year *)find_year(cal->years, cal->n_years, year_of(day));
	if (!y)
		return;
	int i = (int)(day - y->first_day);
	uint64_t bit = UINT64_C(1) << (i % 64);
	y->off[i / 64] &= ~bit;
	y->cuti[i / 64] &= ~bit;
}

void pd_calendar_mark_year(struct pd_calendar *cal, int year)
{
	if (!cal || year < YEAR_MIN || year > YEAR_MAX)
		return;
	if (reserve_years(cal, 1))
		return;  /* out of memory: the year keeps counting Monday to Friday only */
	year_slot(cal->years, &cal->n_years, cal->cap_years, year);
}

/* ---- CSV (RFC 4180) ------------------------------------------------------------------------ */

struct csv {
	const char *s;
	size_t len;
	size_t pos;
};

struct csv_row {
	int32_t day;
	enum pd_day_kind kind;
};

/* Reads one field. Its unescaped text goes to buf when buf is not NULL (cap bytes, NUL added).
 * *last is set when the field ends its record. Returns PD_OK or PD_ERR_INVALID. */
static int csv_field(struct csv *c, char *buf, size_t cap, size_t *out_len, bool *last)
{
	size_t n = 0;
	bool quoted = c->pos < c->len && c->s[c->pos] == '"';
	if (quoted)
		c->pos++;
	for (;;) {
		if (c->pos >= c->len) {
			if (quoted)
				return PD_ERR_INVALID;  /* unterminated quoted field */
			*last = true;
			break;
		}
		char ch = c->s[c->pos];
		if (quoted && ch == '"') {
			if (c->pos + 1 < c->len && c->s[c->pos + 1] == '"') {
				c->pos += 2;
				goto store;
			}
			c->pos++;
			quoted = false;
			/* After the closing quote only a separator or the end may follow. */
			if (c->pos < c->len && c->s[c->pos] != ',' && c->s[c->pos] != '\n' &&
			    c->s[c->pos] != '\r')
				return PD_ERR_INVALID;
			continue;
		}
		if (!quoted) {
			if (ch == ',') {
				c->pos++;
				*last = false;
				break;
			}
			if (ch == '\n' || ch == '\r') {
				if (ch == '\r') {
					if (c->pos + 1 >= c->len || c->s[c->pos + 1] != '\n')
						return PD_ERR_INVALID;
					c->pos++;
				}
				c->pos++;
				*last = true;
				break;
			}
			if (ch == '"')
				return PD_ERR_INVALID;  /* a quote inside an unquoted field */
		}
		c->pos++;
	store:
		if (n >= CSV_MAX_FIELD)
			return PD_ERR_INVALID;
		if (buf) {
			if (n + 1 >= cap)
				return PD_ERR_INVALID;
			buf[n] = ch;
		}
		n++;
	}
	if (buf)
		buf[n] = '\0';
	*out_len = n;
	return PD_OK;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* Strict YYYY-MM-DD within the accepted years. */
static int parse_date(const char *s, size_t n, int32_t *day)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (n != 10 || s[4] != '-' || s[7] != '-' || !all_digits(s, 4) || !all_digits(s + 5, 2) ||
	    !all_digits(s + 8, 2))
		return PD_ERR_INVALID;
	int64_t y, m, d;
	if (pd_parse_i64n(s, 4, YEAR_MIN, YEAR_MAX, &y) || pd_parse_i64n(s + 5, 2, 1, 12, &m) ||
	    pd_parse_i64n(s + 8, 2, 1, 31, &d))
		return PD_ERR_INVALID;
	int max_d = mdays[m - 1] + (m == 2 && is_leap((int)y));
	if (d > max_d)
		return PD_ERR_INVALID;
	*day = pd_civil_day((int)y, (int)m, (int)d);
	return PD_OK;
}

/* Reads one record of exactly 5 fields; the first two are copied out. *blank is set for an
 * empty line. Returns PD_OK or PD_ERR_INVALID. */
static int csv_record(struct csv *c, char *f0, size_t cap0, size_t *len0, char *f1, size_t cap1,
                      size_t *len1, bool *blank)
{
	*blank = false;
	if (c->s[c->pos] == '\n' || (c->s[c->pos] == '\r' && c->pos + 1 < c->len &&
	                             c->s[c->pos + 1] == '\n')) {
		c->pos += c->s[c->pos] == '\r' ? 2 : 1;
		*blank = true;
		return PD_OK;
	}
	bool last = false;
	size_t ignored;
	for (int i = 0; i < 5; i++) {
		if (last)
			return PD_ERR_INVALID;  /* too few fields */
		char *buf = i == 0 ? f0 : i == 1 ? f1 : NULL;
		size_t cap = i == 0 ? cap0 : i == 1 ? cap1 : 0;
		size_t *len = i == 0 ? len0 : i == 1 ? len1 : &ignored;
		if (csv_field(c, buf, cap, len, &last))
			return PD_ERR_INVALID;
	}
	return last ? PD_OK : PD_ERR_INVALID;  /* too many fields */
}

static int csv_header(struct csv *c)
{
	static const char *const names[5] = { "date", "kind", "name_id", "name_en", "source" };
	bool last = false;
	for (int i = 0; i < 5; i++) {
		char buf[16];
		size_t n;
		if (last || csv_field(c, buf, sizeof buf, &n, &last) || strcmp(buf, names[i]) != 0)
			return PD_ERR_INVALID;
	}
	return last ? PD_OK : PD_ERR_INVALID;
}

int pd_calendar_load_csv(struct pd_calendar *cal, const char *csv, size_t len)
{
	int rc = PD_ERR_INVALID;
	struct csv_row *rows = NULL;
	struct cal_year *years = NULL;
	if (!cal || !csv || len > CSV_MAX_BYTES || !pd_utf8_valid(csv, len))
		goto out;
	struct csv c = { csv, len, 0 };
	if (len >= 3 && memcmp(csv, "\xEF\xBB\xBF", 3) == 0)
		c.pos = 3;  /* byte order mark written by spreadsheet programs */
	if (csv_header(&c))
		goto out;

	/* Each row takes at least "YYYY-MM-DD,libur,,,\n" (20 bytes): this bounds the row count. */
	size_t max_rows = len / 20 + 1, n_rows = 0;
	rows = calloc(max_rows, sizeof *rows);
	if (!rows) {
		rc = PD_ERR_NOMEM;
		goto out;
	}
	while (c.pos < c.len) {
		char date[16], kind[16];
		size_t date_len, kind_len;
		bool blank;
		if (csv_record(&c, date, sizeof date, &date_len, kind, sizeof kind, &kind_len, &blank))
			goto out;
		if (blank)
			continue;
		if (n_rows >= max_rows)
			goto out;
		struct csv_row *r = &rows[n_rows];
		if (parse_date(date, date_len, &r->day))
			goto out;
		if (strcmp(kind, "libur") == 0)
			r->kind = PD_DAY_LIBUR;
		else if (strcmp(kind, "cuti_bersama") == 0)
			r->kind = PD_DAY_CUTI_BERSAMA;
		else
			goto out;
		n_rows++;
	}

	/* Apply to a copy and swap, so that running out of memory also leaves nothing loaded. */
	size_t new_years = n_rows < YEAR_MAX - YEAR_MIN + 1 ? n_rows : YEAR_MAX - YEAR_MIN + 1;
	size_t cap = cal->n_years + new_years, n_years = cal->n_years;
	if (cap == 0) {
		rc = PD_OK;
		goto out;
	}
	years = malloc(cap * sizeof *years);
	if (!years) {
		rc = PD_ERR_NOMEM;
		goto out;
	}
	if (n_years)
		memcpy(years, cal->years, n_years * sizeof *years);
	/* A date listed twice in one file is a libur when either row says so. */
	for (size_t i = 0; i < n_rows; i++) {
		struct cal_year *y = year_slot(years, &n_years, cap, year_of(rows[i].day));
		set_day(y, rows[i].day, rows[i].kind);
	}
	for (size_t i = 0; i < n_rows; i++) {
		if (rows[i].kind != PD_DAY_LIBUR)
			continue;
		struct cal_year *y = year_slot(years, &n_years, cap, year_of(rows[i].day));
		set_day(y, rows[i].day, PD_DAY_LIBUR);
	}
	free(cal->years);
	cal->years = years;
	cal->n_years = n_years;
	cal->cap_years = cap;
	years = NULL;
	rc = PD_OK;
out:
	free(years);
	free(rows);
	return rc;
}

/* ---- Queries (no mutation: safe for concurrent readers) ------------------------------------ */

static void cursor_seek(const struct pd_calendar *cal, struct cursor *cur, int32_t day)
{
	int year = year_of(day);
	cur->valid = true;
	cur->lo = pd_civil_day(year, 1, 1);
	cur->hi = pd_civil_day(year + 1, 1, 1);
	cur->y = cal ? find_year(cal->years, cal->n_years, year) : NULL;
}

/* Perpres 21/2023 on working days of government agencies: Monday to Friday; national holidays
 * and cuti bersama are set each year by joint decree (SKB Menag, Menaker and MenPANRB). */
static bool working_at(const struct pd_calendar *cal, struct cursor *cur, int32_t day)
{
	if (pd_civil_weekday(day) >= 5)
		return false;
	if (!cur->valid || day < cur->lo || day >= cur->hi)
		cursor_seek(cal, cur, day);
	if (!cur->y)
		return true;  /* year without data: Monday to Friday */
	int i = (int)(day - cur->y->first_day);
	return !((cur->y->off[i / 64] >> (i % 64)) & 1);
}

bool pd_calendar_is_working(const struct pd_calendar *cal, int32_t day)
{
	struct cursor cur = { 0 };
	return working_at(cal, &cur, day);
}

int pd_calendar_last_year(const struct pd_calendar *cal)
{
	if (!cal || cal->n_years == 0)
		return 0;
	return cal->years[cal->n_years - 1].year;
}

bool pd_calendar_needs_warning(const struct pd_calendar *cal, int64_t now_ms)
{
	int last = pd_calendar_last_year(cal);
	if (last == 0)
		return true;  /* nothing loaded: every year counts Monday to Friday only */
	return pd_calendar_day_of(cal, now_ms) >= pd_civil_day(last, 10, 1);
}

/* Monday–Friday days in (-inf, day], relative to the Monday 1970-01-05 (civil day 4). */
static int64_t weekdays_upto(int64_t day)
{
	int64_t k = day - 4;
	int64_t r = floor_mod(k, 7);
	return floor_div(k, 7) * 5 + (r + 1 < 5 ? r + 1 : 5);
}

/* Non-working Monday–Friday days in [a, b] (days of one loaded year). */
static int64_t holidays_in(const struct cal_year *y, int32_t a, int32_t b)
{
	int lo = (int)(a - y->first_day), hi = (int)(b - y->first_day);
	int64_t n = 0;
	for (int w = lo / 64; w <= hi / 64; w++) {
		uint64_t bits = y->off[w];
		if (w == lo / 64)
			bits &= ~UINT64_C(0) << (lo % 64);
		if (w == hi / 64 && hi % 64 != 63)
			bits &= (UINT64_C(1) << (hi % 64 + 1)) - 1;
		while (bits) {
			int b_i = __builtin_ctzll(bits);
			bits &= bits - 1;
			if (pd_civil_weekday(y->first_day + w * 64 + b_i) < 5)
				n++;
		}
	}
	return n;
}

int pd_calendar_working_days_between(const struct pd_calendar *cal, int32_t from_day,
                                     int32_t to_day)
{
	if (to_day <= from_day)
		return 0;
	int64_t n = weekdays_upto(to_day) - weekdays_upto(from_day);
	if (cal) {
		int32_t a = from_day + 1;
		for (size_t i = lower_bound(cal->years, cal->n_years, year_of(a)); i < cal->n_years;
		     i++) {
			const struct cal_year *y = &cal->years[i];
			if (y->first_day > to_day)
				break;
			int32_t last = y->first_day + y->n_days - 1;
			n -= holidays_in(y, a > y->first_day ? a : y->first_day,
			                 to_day < last ? to_day : last);
		}
	}
	return n > INT_MAX ? INT_MAX : (int)n;
}

int32_t pd_calendar_add_working(const struct pd_calendar *cal, int32_t day, int n)
{
	if (n <= 0)
		return day;
	if (n > MAX_WORKING)
		n = MAX_WORKING;
	struct cursor cur = { 0 };
	int64_t d = day;
	while (n > 0) {
		if (d >= INT32_MAX)
			return INT32_MAX;
		d++;
		if (working_at(cal, &cur, (int32_t)d))
			n--;
	}
	return (int32_t)d;
}

int64_t pd_calendar_due(const struct pd_calendar *cal, int64_t received_ms, int n_days,
                        const struct pd_pause *pauses, size_t n_pauses)
{
	int64_t total = n_days > 0 ? n_days : 0;
	for (size_t i = 0; pauses && i < n_pauses && total < MAX_WORKING; i++) {
		/* The clock stops from the day after the item was handed back up to and including
		 * the day it came back. */
		total += pd_calendar_working_days_between(cal, pd_calendar_day_of(cal, pauses[i].from_ms),
		                                          pd_calendar_day_of(cal, pauses[i].to_ms));
	}
	if (total > MAX_WORKING)
		total = MAX_WORKING;
	int32_t due = pd_calendar_add_working(cal, pd_calendar_day_of(cal, received_ms), (int)total);
	int64_t tz_ms = cal ? (int64_t)cal->tz_offset_min * 60000 : 0;
	return ((int64_t)due + 1) * DAY_MS - tz_ms - 1;
}

size_t pd_calendar_list_year(const struct pd_calendar *cal, int year, int32_t *out_days,
                             enum pd_day_kind *out_kinds, size_t max)
{
	if (!cal)
		return 0;
	const struct cal_year *y = find_year(cal->years, cal->n_years, year);
	if (!y)
		return 0;
	size_t n = 0;
	for (int w = 0; w < WORDS && n < max; w++) {
		uint64_t bits = y->off[w];
		while (bits && n < max) {
			int b = __builtin_ctzll(bits);
			bits &= bits - 1;
			if (out_days)
				out_days[n] = y->first_day + w * 64 + b;
			if (out_kinds)
				out_kinds[n] = ((y->cuti[w] >> b) & 1) ? PD_DAY_CUTI_BERSAMA : PD_DAY_LIBUR;
			n++;
		}
	}
	return n;
}
