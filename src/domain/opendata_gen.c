/* The platform's own figures published as generated datasets: applications, complaints,
 * information requests and IKM, computed from clear columns only (no personal data), small
 * shares, medians and indexes withheld, written as RFC 4180 CSV and as JSON. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/log.h"
#include "core/stem.h"
#include "core/uuid.h"
#include "domain/audit.h"
#include "domain/complaint_stats.h"
#include "domain/dataset.h"
#include "domain/dataset_internal.h"
#include "domain/ikm.h"
#include "domain/inforeq.h"
#include "store/blob_store.h"
#include "store/dataset_store.h"

/* --- a table of cells, written as CSV and JSON ------------------------------------------------- */

enum cell_kind { C_TEXT, C_INT, C_DEC, C_NONE };

struct cell {
	enum cell_kind kind;
	const char *text;
};

struct table {
	struct pd_arena *a;
	const char *const *cols;
	int n_cols;
	struct cell *cells;  /* row-major */
	int n_rows, cap_rows;
	const char *made;    /* ISO time the table was made (the last column) */
};

static struct cell *row_new(struct table *t)
{
	if (t->n_rows == t->cap_rows) {
		int nc = t->cap_rows ? t->cap_rows * 2 : 64;
		struct cell *c = pd_arena_alloc(t->a, sizeof *c * (size_t)nc * (size_t)t->n_cols);
		if (t->n_rows)
			memcpy(c, t->cells, sizeof *c * (size_t)t->n_rows * (size_t)t->n_cols);
		t->cells = c;
		t->cap_rows = nc;
	}
	struct cell *r = &t->cells[(size_t)t->n_rows++ * (size_t)t->n_cols];
	r[t->n_cols - 1] = (struct cell){C_TEXT, t->made};
	return r;
}

static struct cell c_text(const char *s)
{
	return (struct cell){C_TEXT, s ? s : ""};
}

static struct cell c_int(struct pd_arena *a, int64_t v)
{
	return (struct cell){C_INT, pd_arena_printf(a, "%lld", (long long)v)};
}

/* v in 1/scale units ("12.5" for 125 at scale 10; "82.70" at 100); withheld when !show. */
static struct cell c_dec(struct pd_arena *a, int64_t v, int scale, bool show)
{
	if (!show || v < 0)
		return (struct cell){C_NONE, ""};
	if (scale == 10)
		return (struct cell){C_DEC, pd_arena_printf(a, "%lld.%lld", (long long)(v / 10),
		                                            (long long)(v % 10))};
	return (struct cell){C_DEC, pd_arena_printf(a, "%lld.%02lld", (long long)(v / 100),
	                                            (long long)(v % 100))};
}

/* RFC 4180 with formulas defused (core/csv.h): the text cells are names an administrator typed,
 * and the datasets are opened in spreadsheets more than anywhere else. Numbers and column names
 * never start with a formula's character, so they come out as they are. */
static int to_csv(const struct table *t, struct pd_buf *b)
{
	int rc = PD_OK;
	for (int c = 0; !rc && c < t->n_cols; c++)
		rc = pd_csv_cell(b, t->cols[c], c + 1 == t->n_cols);
	for (int r = 0; !rc && r < t->n_rows; r++)
		for (int c = 0; !rc && c < t->n_cols; c++)
			rc = pd_csv_cell(b, t->cells[(size_t)r * (size_t)t->n_cols + (size_t)c].text,
			                 c + 1 == t->n_cols);
	return rc;
}

static char *to_json(const struct table *t)
{
	json_t *rows = json_array();
	for (int r = 0; r < t->n_rows; r++) {
		json_t *o = json_object();
		for (int c = 0; c < t->n_cols; c++) {
			const struct cell *x = &t->cells[(size_t)r * (size_t)t->n_cols + (size_t)c];
			json_t *v = x->kind == C_NONE ? json_null()
			            : x->kind == C_INT ? json_integer(strtoll(x->text, NULL, 10))
			            : x->kind == C_DEC ? json_real(strtod(x->text, NULL))
			                               : json_string(x->text);
			json_object_set_new(o, t->cols[c], v);
		}
		json_array_append_new(rows, o);
	}
	json_t *cols = json_array();
	for (int c = 0; c < t->n_cols; c++)
		json_array_append_new(cols, json_string(t->cols[c]));
	json_t *doc = json_pack("{s:s,s:o,s:o}", "dibuat", t->made, "kolom", cols, "data", rows);
	char *s = doc ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12))
	              : NULL;
	json_decref(doc);
	return s;
}

/* --- grouping: one month of facts at a time, sorted by (k1, k2, value) ---------------------
 *
 * The store hands over rows already counted per local day (and per answer day for complaints),
 * in day order, so a month's rows arrive together: they are folded into facts keyed by
 * (k1, k2, value) with counts, the month's table rows are written when the next month starts,
 * and the facts are dropped. Memory stays bounded by the distinct keys of one month (and is
 * compacted when the buffer fills), whatever the number of records. */

struct fact {
	const char *k1, *n1, *k2, *n2; /* interned */
	int64_t v;                      /* the value a median is taken over; -1: not answered */
	int64_t n, done, ontime;
};

#define FACTS_COMPACT 32768 /* facts buffered before equal keys are merged */

struct intern {
	const char **slot;
	size_t cap, n;
};

struct facts {
	struct pd_arena *a;   /* interned strings */
	struct table *t;      /* the table rows go to */
	struct intern names;
	struct fact *v;
	size_t n, cap, limit;
	int32_t month;        /* y * 12 + m - 1 of the facts held; -1: none yet */
	const struct pd_calendar *cal;
	bool complaints;
	bool nomem;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* The one copy of s kept for the whole run (slugs and names: a few hundred at most). */
static const char *intern(struct facts *f, const char *s)
{
	struct intern *in = &f->names;
	if (in->n * 2 >= in->cap) {
		size_t nc = in->cap ? in->cap * 2 : 256;
		const char **ns = pd_arena_alloc(f->a, sizeof *ns * nc);
		memset(ns, 0, sizeof *ns * nc);
		for (size_t i = 0; i < in->cap; i++)
			if (in->slot[i]) {
				size_t j = hash_str(in->slot[i]) & (nc - 1);
				while (ns[j])
					j = (j + 1) & (nc - 1);
				ns[j] = in->slot[i];
			}
		in->slot = ns;
		in->cap = nc;
	}
	size_t j = hash_str(s) & (in->cap - 1);
	for (; in->slot[j]; j = (j + 1) & (in->cap - 1))
		if (strcmp(in->slot[j], s) == 0)
			return in->slot[j];
	in->n++;
	return in->slot[j] = pd_arena_strdup(f->a, s);
}

static int cmp_fact(const void *x, const void *y)
{
	const struct fact *a = x, *b = y;
	int c = a->k1 == b->k1 ? 0 : strcmp(a->k1, b->k1);
	c = c ? c : a->k2 == b->k2 ? 0 : strcmp(a->k2, b->k2);
	return c ? c : (a->v > b->v) - (a->v < b->v);
}

static bool same_group(const struct fact *a, const struct fact *b)
{
	return (a->k1 == b->k1 || strcmp(a->k1, b->k1) == 0) &&
	       (a->k2 == b->k2 || strcmp(a->k2, b->k2) == 0);
}

/* Sorts the month's facts and merges those with equal keys. */
static void compact(struct facts *f)
{
	if (!f->n)
		return;
	qsort(f->v, f->n, sizeof *f->v, cmp_fact);
	size_t k = 0;
	for (size_t i = 1; i < f->n; i++) {
		struct fact *w = &f->v[k];
		if (same_group(w, &f->v[i]) && w->v == f->v[i].v) {
			w->n += f->v[i].n;
			w->done += f->v[i].done;
			w->ontime += f->v[i].ontime;
		} else {
			f->v[++k] = f->v[i];
		}
	}
	f->n = k + 1;
}

static void push(struct facts *f, struct fact x)
{
	if (f->n == f->cap) {
		if (f->n >= f->limit) {
			compact(f);
			/* still mostly distinct keys: let the buffer grow rather than thrash */
			if (f->n * 2 > f->limit)
				f->limit *= 2;
		}
		if (f->n == f->cap) {
			size_t nc = f->cap ? f->cap * 2 : 1024;
			struct fact *v = realloc(f->v, sizeof *v * nc);
			if (!v) {
				f->nomem = true;
				return;
			}
			f->v = v;
			f->cap = nc;
		}
	}
	f->v[f->n++] = x;
}

/* x, its subtotal over k2 and its total over k1 and k2 (the village row only when there is a
 * village: a complaint without one counts in the subtotals only). */
static void push3(struct facts *f, struct fact x, bool with_k2)
{
	if (with_k2)
		push(f, x);
	x.k2 = x.n2 = "";
	push(f, x);
	x.k1 = x.n1 = "";
	push(f, x);
}

/* The k-th (0-based) answered value of the group f->v[i..j) (sorted by value, -1 first). */
static int64_t kth_value(const struct facts *f, size_t i, size_t j, int64_t k)
{
	for (size_t x = i; x < j; x++) {
		if (f->v[x].v < 0)
			continue;
		if (k < f->v[x].done)
			return f->v[x].v;
		k -= f->v[x].done;
	}
	return 0;
}

/* Writes the table rows of the month held and forgets its facts. */
static void flush_month(struct facts *f)
{
	if (f->month < 0 || f->nomem) {
		f->n = 0;
		return;
	}
	compact(f);
	struct table *t = f->t;
	const char *month = pd_arena_printf(t->a, "%04d-%02d", (int)(f->month / 12),
	                                    (int)(f->month % 12) + 1);
	for (size_t i = 0; i < f->n;) {
		size_t j = i;
		int64_t n = 0, done = 0, ontime = 0;
		for (; j < f->n && same_group(&f->v[i], &f->v[j]); j++) {
			n += f->v[j].n;
			done += f->v[j].done;
			ontime += f->v[j].ontime;
		}
		struct cell *r = row_new(t);
		const struct fact *x = &f->v[i];
		r[0] = c_text(month);
		r[1] = c_text(x->k1);
		r[2] = c_text(x->n1);
		r[3] = c_text(x->k2);
		r[4] = c_text(x->n2);
		r[5] = c_int(t->a, n);
		r[6] = c_int(t->a, done);
		if (f->complaints) {
			int64_t mid[2] = {0, 0};
			if (done > 0) {
				mid[0] = kth_value(f, i, j, done % 2 ? done / 2 : done / 2 - 1);
				mid[1] = kth_value(f, i, j, done / 2);
			}
			r[7] = c_dec(t->a, pd_cstats_median_x10(mid, done > 0 ? 2 : 0), 10,
			             done >= PD_OPENDATA_MIN_N);
		} else {
			r[7] = c_int(t->a, ontime);
			r[8] = c_dec(t->a, pd_cstats_share_x10(ontime, done), 10,
			             done >= PD_OPENDATA_MIN_N);
		}
		i = j;
	}
	f->n = 0;
}

/* Starts the month of local day `day`, writing the previous month's rows first. */
static void at_day(struct facts *f, int32_t day)
{
	int y, m, d;
	pd_civil_from_day(day, &y, &m, &d);
	int32_t month = y * 12 + (m - 1);
	if (month != f->month) {
		flush_month(f);
		f->month = month;
	}
}

static int app_fact(const struct pd_od_app_row *r, void *p)
{
	struct facts *f = p;
	at_day(f, r->day);
	struct fact x = {intern(f, r->unit_slug), intern(f, r->unit_name),
	                 intern(f, r->service_slug), intern(f, r->service_name), 0,
	                 r->n, r->decided, r->on_time};
	push3(f, x, true);
	return f->nomem ? PD_ERR_NOMEM : 0;
}

static int complaint_fact(const struct pd_od_complaint_row *r, void *p)
{
	struct facts *f = p;
	at_day(f, r->day);
	struct fact x = {intern(f, r->category_code), intern(f, r->category_name),
	                 intern(f, r->village_slug), intern(f, r->village_name), -1, r->n, 0, 0};
	if (r->answered_day >= 0) {
		x.done = r->n;
		/* as pd_cstats_answer_days: working days after the day filed up to the day answered */
		x.v = pd_calendar_working_days_between(f->cal, r->created_day, r->answered_day);
	}
	push3(f, x, *r->village_slug != '\0');
	return f->nomem ? PD_ERR_NOMEM : 0;
}

/* The calendar's time-zone offset in minutes (420, WIB, without a calendar, as
 * pd_cstats_answer_days counts): the minute past midnight UTC at which its day turns. */
static int cal_tz_min(const struct pd_calendar *cal)
{
	if (!cal)
		return 420;
	int32_t d0 = pd_calendar_day_of(cal, 0);
	for (int k = 1; k < 1440; k++)
		if (pd_calendar_day_of(cal, (int64_t)k * 60000) != d0) {
			int tz = (1440 - k) % 1440;
			return tz > 840 ? tz - 1440 : tz;
		}
	return 0;
}

/* --- the four datasets ---------------------------------------------------------------------- */

static const char *const app_cols[] = {
	"bulan", "unit", "nama_unit", "layanan", "nama_layanan", "diajukan", "selesai",
	"selesai_tepat_waktu", "persen_tepat_waktu", "dibuat"};
static const char *const cmp_cols[] = {
	"bulan", "kategori", "nama_kategori", "desa", "nama_desa", "diterima", "dijawab",
	"median_hari_kerja_jawab", "dibuat"};
static const char *const ikm_cols[] = {
	"tahun", "triwulan", "unit", "nama_unit", "responden", "ikm", "mutu", "u1_persyaratan",
	"u2_prosedur", "u3_waktu", "u4_biaya", "u5_produk", "u6_kompetensi", "u7_perilaku",
	"u8_pengaduan", "u9_sarana", "dibuat"};
static const char *const inf_cols[] = {
	"bulan", "unit", "nama_unit", "diterima", "dijawab", "dijawab_tepat_waktu",
	"persen_tepat_waktu", "diperpanjang", "dikabulkan", "dikabulkan_sebagian", "ditolak",
	"tidak_dikuasai", "diteruskan", "belum_dijawab", "keberatan", "keberatan_dikuatkan",
	"keberatan_dibatalkan", "dibuat"};
#define NCOLS(c) ((int)(sizeof c / sizeof c[0]))

struct ikm_acc {
	struct table *t;
	int year, quarter;
	struct pd_ikm_tally total;
};

static void ikm_row(struct table *t, int year, int quarter, const char *slug, const char *name,
                    const struct pd_ikm_tally *tl)
{
	struct pd_ikm_result res;
	if (pd_ikm_compute(tl, &res))
		memset(&res, 0, sizeof res);
	bool show = tl->n >= PD_OPENDATA_MIN_N;
	struct cell *r = row_new(t);
	r[0] = c_int(t->a, year);
	r[1] = c_int(t->a, quarter);
	r[2] = c_text(slug);
	r[3] = c_text(name);
	r[4] = c_int(t->a, tl->n);
	r[5] = c_dec(t->a, res.index_x100, 100, show);
	char g[2] = {show ? res.grade : '\0', '\0'};
	r[6] = show ? c_text(pd_arena_strdup(t->a, g)) : (struct cell){C_NONE, ""};
	for (int e = 0; e < PD_IKM__MAX; e++)
		r[7 + e] = c_dec(t->a, res.nrr_x100[e], 100, show);
}

static void ikm_flush(struct ikm_acc *k)
{
	if (k->year)
		ikm_row(k->t, k->year, k->quarter, "", "", &k->total);
	memset(&k->total, 0, sizeof k->total);
}

static int survey_row(const struct pd_od_survey_row *s, void *p)
{
	struct ikm_acc *k = p;
	if (s->year != k->year || s->quarter != k->quarter) {
		ikm_flush(k);
		k->year = s->year;
		k->quarter = s->quarter;
	}
	struct pd_ikm_tally tl = {.n = s->n};
	for (int e = 0; e < PD_IKM__MAX; e++)
		tl.sum[e] = s->sum[e];
	pd_ikm_tally_merge(&k->total, &tl);
	ikm_row(k->t, s->year, s->quarter, pd_arena_strdup(k->t->a, s->unit_slug),
	        pd_arena_strdup(k->t->a, s->unit_name), &tl);
	return 0;
}

static int cmp_irq_month(const void *x, const void *y)
{
	return strcmp(((const struct pd_inforeq_figures_row *)x)->month,
	              ((const struct pd_inforeq_figures_row *)y)->month);
}

/* Adds x's counts to the whole installation's row of x's month in tot (n of them). */
static void irq_total_add(struct pd_inforeq_figures_row *tot, int *n,
                          const struct pd_inforeq_figures_row *x)
{
	struct pd_inforeq_figures_row *m = NULL;
	for (int k = 0; k < *n && !m; k++)
		if (strcmp(tot[k].month, x->month) == 0)
			m = &tot[k];
	if (!m) {
		m = &tot[(*n)++];
		memset(m, 0, sizeof *m);
		memcpy(m->month, x->month, sizeof m->month);
		m->unit_slug = m->unit_name = "";
	}
	m->received += x->received;
	m->answered += x->answered;
	m->answered_on_time += x->answered_on_time;
	m->extended += x->extended;
	for (int o = 0; o < PD_INFOREQ_OUTCOME__MAX; o++)
		m->by_outcome[o] += x->by_outcome[o];
	m->objections += x->objections;
	m->objections_upheld += x->objections_upheld;
	m->objections_overturned += x->objections_overturned;
}

/* Rows per (unit, month), then the whole installation per month (unit empty), as the other
 * datasets have: a unit's months rarely reach the 10 answers a share is shown for. */
static int inforeq_table(struct pd_store *st, int tz, int64_t now, struct table *t)
{
	struct pd_inforeq_figures_query q = {NULL, 0, now + 1, now, tz};
	struct pd_inforeq_figures fig;
	int rc = pd_inforeq_figures(st, &q, t->a, &fig);
	if (rc)
		return rc;
	if (fig.truncated)
		pd_log(PD_LOG_WARN, "opendata_inforeq_truncated", "rows=%d", fig.n);
	struct pd_inforeq_figures_row *tot = pd_arena_alloc(t->a, sizeof *tot * (size_t)(fig.n + 1));
	int n_tot = 0;
	for (int i = 0; i < fig.n; i++)
		irq_total_add(tot, &n_tot, &fig.rows[i]);
	qsort(tot, (size_t)n_tot, sizeof *tot, cmp_irq_month);
	for (int i = 0; i < fig.n + n_tot; i++) {
		const struct pd_inforeq_figures_row *x = i < fig.n ? &fig.rows[i] : &tot[i - fig.n];
		struct cell *r = row_new(t);
		r[0] = c_text(pd_arena_strdup(t->a, x->month));
		r[1] = c_text(x->unit_slug);
		r[2] = c_text(x->unit_name);
		r[3] = c_int(t->a, x->received);
		r[4] = c_int(t->a, x->answered);
		r[5] = c_int(t->a, x->answered_on_time);
		r[6] = c_dec(t->a, pd_cstats_share_x10(x->answered_on_time, x->answered), 10,
		             x->answered >= PD_OPENDATA_MIN_N);
		r[7] = c_int(t->a, x->extended);
		r[8] = c_int(t->a, x->by_outcome[PD_INFOREQ_GRANTED]);
		r[9] = c_int(t->a, x->by_outcome[PD_INFOREQ_PARTLY_GRANTED]);
		r[10] = c_int(t->a, x->by_outcome[PD_INFOREQ_REFUSED]);
		r[11] = c_int(t->a, x->by_outcome[PD_INFOREQ_NOT_HELD]);
		r[12] = c_int(t->a, x->by_outcome[PD_INFOREQ_FORWARDED]);
		r[13] = c_int(t->a, x->by_outcome[PD_INFOREQ_OUTCOME_NONE]);
		r[14] = c_int(t->a, x->objections);
		r[15] = c_int(t->a, x->objections_upheld);
		r[16] = c_int(t->a, x->objections_overturned);
	}
	return PD_OK;
}

/* --- reading and writing ----------------------------------------------------------------------- */

struct gen_def {
	const char *key, *name, *title, *notes, *tags, *frequency;
};

static const struct gen_def defs[] = {
	{"applications", "statistik-permohonan-layanan", "Statistik permohonan layanan per bulan",
	 "Jumlah permohonan layanan yang diajukan per bulan (bulan pengajuan, zona waktu instalasi), "
	 "per unit dan layanan, berapa yang sudah selesai (disetujui atau ditolak) dan berapa yang "
	 "selesai tepat waktu (paling lambat pada tenggat hari kerja). Persentase tepat waktu "
	 "dikosongkan bila selesai kurang dari 10. Baris dengan layanan kosong: semua layanan unit "
	 "itu; baris dengan unit kosong: seluruh instalasi. Tanpa data pribadi.",
	 "layanan publik,permohonan,statistik,kinerja", "monthly"},
	{"complaints", "statistik-pengaduan", "Statistik pengaduan per kategori, desa dan bulan",
	 "Jumlah pengaduan yang diterima per bulan, kategori dan desa/kelurahan lokasi, berapa yang "
	 "sudah dijawab, dan median hari kerja dari hari pengaduan sampai hari jawaban. Median "
	 "dikosongkan bila jawaban kurang dari 10. Baris dengan desa kosong: semua lokasi kategori "
	 "itu (termasuk pengaduan tanpa lokasi); baris dengan kategori kosong: semua pengaduan "
	 "bulan itu. Pengaduan yang digabung tidak dihitung. Tanpa data pribadi.",
	 "pengaduan,statistik,kinerja", "monthly"},
	{"inforeq", "statistik-permintaan-informasi",
	 "Statistik permintaan informasi publik per unit dan bulan",
	 "Jumlah permintaan informasi publik (UU 14/2008) yang diterima per bulan dan unit, hasil "
	 "jawabannya, ketepatan waktu, perpanjangan dan keberatan. Persentase tepat waktu "
	 "dikosongkan bila jawaban kurang dari 10. Baris dengan unit kosong: seluruh instalasi. "
	 "Tanpa data pribadi.",
	 "ppid,keterbukaan informasi,statistik", "monthly"},
	{"ikm", "indeks-kepuasan-masyarakat",
	 "Indeks Kepuasan Masyarakat (IKM) per unit dan triwulan",
	 "IKM menurut PermenPANRB 14/2017 per unit dan triwulan: jumlah responden, indeks, mutu "
	 "pelayanan dan nilai rata-rata (NRR) sembilan unsur. Angka dikosongkan bila responden "
	 "kurang dari 10. Baris dengan unit kosong: seluruh instalasi. Tanpa data pribadi.",
	 "ikm,survei kepuasan,statistik,kinerja", "quarterly"},
};
#define N_DEFS (sizeof defs / sizeof defs[0])

struct gen {
	struct pd_arena *a;
	struct facts apps, cmps;
	struct table t[N_DEFS];
	int64_t now;
	int tz;
	int n_written;
};

/* Restarts a month buffer (a read may be retried). */
static void facts_reset(struct facts *f)
{
	f->n = 0;
	f->month = -1;
	f->t->n_rows = 0;
}

static int read_tx(struct pd_tx *tx, void *p)
{
	struct gen *g = p;
	facts_reset(&g->apps);
	facts_reset(&g->cmps);
	int rc = pd_store_opendata_apps(tx, (int64_t)g->tz * 60000, app_fact, &g->apps);
	flush_month(&g->apps);
	rc = rc ? rc
	        : pd_store_opendata_complaints(tx, (int64_t)g->tz * 60000,
	                                       (int64_t)cal_tz_min(g->cmps.cal) * 60000,
	                                       complaint_fact, &g->cmps);
	flush_month(&g->cmps);
	if (!rc && (g->apps.nomem || g->cmps.nomem))
		rc = PD_ERR_NOMEM;
	if (rc)
		return rc;
	struct ikm_acc k = {.t = &g->t[3]};
	g->t[3].n_rows = 0;
	rc = pd_store_opendata_survey(tx, survey_row, &k);
	ikm_flush(&k);
	return rc ? rc : pd_tx_error(tx);
}

static int put_resource(struct pd_tx *tx, const struct pd_dataset *d, const char *gen_key,
                        const char *name, const char *format, const char *media, const void *p,
                        size_t n, int64_t now, int position)
{
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_resource *cur = NULL;
	struct pd_resource *res;
	int n_res = 0;
	pd_store_dataset_resources_of(tx, d->id, a, &res, &n_res);
	for (int i = 0; i < n_res; i++)
		if (res[i].gen_key && strcmp(res[i].gen_key, gen_key) == 0)
			cur = &res[i];
	struct pd_resource r = {0};
	if (cur) {
		r = *cur;
		const char *old_blob = cur->blob_id;
		r.media_type = media;
		int rc = pd_dataset_put_content(tx, &r, p, n, now);
		if (rc)
			return rc;
		r.modified_ms = now;
		r.generated_ms = now;
		pd_store_resource_update_content(tx, &r);
		pd_store_blob_delete(tx, old_blob);
		return pd_tx_error(tx);
	}
	char id[PD_UUID_LEN + 1];
	pd_uuid7(id);
	r.id = pd_arena_strdup(a, id);
	r.dataset_id = d->id;
	r.name = name;
	r.description = "";
	r.format = format;
	r.media_type = media;
	r.created_ms = r.modified_ms = r.generated_ms = now;
	r.position = position;
	r.gen_key = gen_key;
	int rc = pd_dataset_put_content(tx, &r, p, n, now);
	if (rc)
		return rc;
	pd_store_resource_insert(tx, &r);
	return pd_tx_error(tx);
}

struct write_arg {
	struct gen *g;
	size_t i;
	const char *csv;
	size_t csv_len;
	const char *json;
};

static int write_tx(struct pd_tx *tx, void *p)
{
	struct write_arg *w = p;
	const struct gen_def *def = &defs[w->i];
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_dataset d;
	enum pd_qs qs = pd_store_dataset_by_gen(tx, def->key, a, &d);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE) {
		struct pd_dataset_unit top;
		if (pd_store_dataset_top_unit(tx, a, &top) != PD_QS_ONE)
			return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_NOT_FOUND;
		char id[PD_UUID_LEN + 1];
		pd_uuid7(id);
		memset(&d, 0, sizeof d);
		d.id = pd_arena_strdup(a, id);
		d.name = def->name;
		d.title = def->title;
		d.notes = def->notes;
		d.unit = top;
		d.license_id = "cc-by-4.0";
		d.frequency = def->frequency;
		d.gen_key = def->key;
		d.version = 1;
		d.created_ms = d.modified_ms = w->g->now;
		d.search_stems = pd_stem_text(a, pd_arena_printf(a, "%s %s %s", def->title, def->notes,
		                                                 def->tags), 0);
		/* a name taken by an administrator's dataset: use the name with a suffix */
		struct pd_dataset other;
		if (pd_store_dataset_get(tx, d.name, a, &other) == PD_QS_ONE)
			d.name = pd_arena_printf(a, "%s-otomatis", def->name);
		if (pd_store_dataset_insert(tx, &d) != PD_QS_ONE)
			return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
		const char *tags[8];
		int nt = 0;
		char *tl = pd_arena_strdup(a, def->tags);
		for (char *s = tl, *e; s && nt < 8; s = e ? e + 1 : NULL) {
			e = strchr(s, ',');
			if (e)
				*e = '\0';
			tags[nt++] = s;
		}
		pd_store_dataset_set_tags(tx, d.id, tags, nt);
	}
	int rc = put_resource(tx, &d, "csv", pd_arena_printf(a, "%s.csv", d.name), "CSV",
	                      "text/csv; charset=utf-8", w->csv, w->csv_len, w->g->now, 0);
	rc = rc ? rc : put_resource(tx, &d, "json", pd_arena_printf(a, "%s.json", d.name), "JSON",
	                            "application/json", w->json, strlen(w->json), w->g->now, 1);
	if (rc)
		return rc;
	pd_store_dataset_touch(tx, d.id, w->g->now);
	json_t *det = json_pack("{s:s,s:i}", "gen_key", def->key, "rows", w->g->t[w->i].n_rows);
	char *ds = det ? json_dumps(det, JSON_COMPACT) : NULL;
	json_decref(det);
	struct pd_audit_event ev = {.actor = "system", .action = "dataset.generate",
	                            .object_type = "dataset", .object_id = d.id,
	                            .unit_id = d.unit.id, .details = ds, .ts_ms = w->g->now};
	rc = pd_audit_append(tx, &ev);
	free(ds);
	return rc ? rc : pd_tx_error(tx);
}

int pd_opendata_generate(struct pd_store *st, const struct pd_calendar *cal, int tz_offset_min,
                         int64_t now_ms, int *n_out)
{
	if (n_out)
		*n_out = 0;
	struct gen g = {0};
	g.a = pd_arena_new();
	g.now = now_ms ? now_ms : pd_clock_now_ms();
	time_t secs = (time_t)(g.now / 1000);
	struct tm tm;
	gmtime_r(&secs, &tm);
	char made[32];
	strftime(made, sizeof made, "%Y-%m-%dT%H:%M:%SZ", &tm);
	const char *const *cols[N_DEFS] = {app_cols, cmp_cols, inf_cols, ikm_cols};
	int ncols[N_DEFS] = {NCOLS(app_cols), NCOLS(cmp_cols), NCOLS(inf_cols), NCOLS(ikm_cols)};
	for (size_t i = 0; i < N_DEFS; i++)
		g.t[i] = (struct table){g.a, cols[i], ncols[i], NULL, 0, 0,
		                        pd_arena_strdup(g.a, made)};
	g.tz = tz_offset_min;
	g.apps = (struct facts){.a = g.a, .t = &g.t[0], .limit = FACTS_COMPACT, .month = -1,
	                        .cal = cal};
	g.cmps = (struct facts){.a = g.a, .t = &g.t[1], .limit = FACTS_COMPACT, .month = -1,
	                        .cal = cal, .complaints = true};
	int rc = pd_store_read(st, read_tx, &g);
	free(g.apps.v);
	free(g.cmps.v);
	if (rc)
		goto out;
	rc = inforeq_table(st, tz_offset_min, g.now, &g.t[2]);
	for (size_t i = 0; i < N_DEFS && !rc; i++) {
		struct pd_buf b;
		pd_buf_init(&b, 256 * 1024 * 1024);
		rc = to_csv(&g.t[i], &b);
		char *json = rc ? NULL : to_json(&g.t[i]);
		if (!rc && !json)
			rc = PD_ERR_NOMEM;
		if (!rc) {
			struct write_arg w = {&g, i, b.data ? b.data : "", b.len, json};
			rc = pd_store_write(st, write_tx, &w);
			if (!rc)
				g.n_written++;
		}
		free(json);
		pd_buf_free(&b);
	}
out:
	if (n_out)
		*n_out = g.n_written;
	pd_arena_free(g.a);
	return rc;
}

struct fresh_arg {
	int64_t since;
	bool fresh;
};

static int fresh_tx(struct pd_tx *tx, void *p)
{
	struct fresh_arg *f = p;
	struct pd_arena *a = pd_tx_arena(tx);
	f->fresh = true;
	for (size_t i = 0; i < N_DEFS && f->fresh; i++) {
		struct pd_dataset d;
		if (pd_store_dataset_by_gen(tx, defs[i].key, a, &d) != PD_QS_ONE) {
			f->fresh = false;
			break;
		}
		struct pd_resource *res = NULL;
		int n = 0;
		if (pd_store_dataset_resources_of(tx, d.id, a, &res, &n) < 0)
			return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
		int made = 0;
		for (int k = 0; k < n; k++)
			if (res[k].gen_key) {
				made++;
				if (res[k].generated_ms < f->since)
					f->fresh = false;
			}
		if (made < 2) /* CSV and JSON */
			f->fresh = false;
	}
	return PD_OK;
}

int pd_opendata_fresh(struct pd_store *st, int64_t now_ms, int64_t max_age_ms, bool *fresh)
{
	struct fresh_arg f = {now_ms - max_age_ms, false};
	int rc = pd_store_read(st, fresh_tx, &f);
	*fresh = !rc && f.fresh;
	return rc;
}
