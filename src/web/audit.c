/* The auditors' pages: the audit log at /kantor/audit (filters, keyset pages, the chain's
 * status, a recorded full check), its CSV export and the "Periksa rantai" form. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "core/uuid.h"
#include "domain/audit_view.h"
#include "http/app.h"
#include "http/form.h"
#include "web/account_internal.h"
#include "web/audit.h"

#define PAGE 50
#define CSV_MAX (64u * 1024 * 1024)
#define DAY_MS (86400LL * 1000)

/* The filter form as typed (for showing it again) and as parsed. */
struct filters {
	const char *aksi, *pelaku, *objek, *unit, *subjek, *dari, *sampai;
	struct pd_audit_filter f;
	struct pd_field_errors errs;
};

/* A query value with surrounding spaces removed; NULL when absent or empty. */
static const char *query_value(struct pd_req *r, const char *name)
{
	const char *v = pd_req_query(r, name);
	if (!v)
		return NULL;
	while (*v == ' ')
		v++;
	size_t n = strlen(v);
	while (n > 0 && v[n - 1] == ' ')
		n--;
	return n ? pd_arena_strndup(r->arena, v, n) : NULL;
}

/* "YYYY-MM-DD" (a UTC day) as the millisecond of its start; false when it is no date. */
static bool parse_day(const char *s, int64_t *ms)
{
	int64_t y, m, d;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    pd_parse_i64n(s, 4, 1970, 9999, &y) || pd_parse_i64n(s + 5, 2, 1, 12, &m) ||
	    pd_parse_i64n(s + 8, 2, 1, 31, &d))
		return false;
	int32_t day = pd_civil_day((int)y, (int)m, (int)d);
	int yy, mm, dd;
	pd_civil_from_day(day, &yy, &mm, &dd);
	if (yy != y || mm != m || dd != d)
		return false;
	*ms = (int64_t)day * DAY_MS;
	return true;
}

static void parse_filters(struct pd_req *r, struct filters *fl)
{
	memset(fl, 0, sizeof *fl);
	fl->aksi = query_value(r, "aksi");
	fl->pelaku = query_value(r, "pelaku");
	fl->objek = query_value(r, "objek");
	fl->unit = query_value(r, "unit");
	fl->subjek = query_value(r, "subjek");
	fl->dari = query_value(r, "dari");
	fl->sampai = query_value(r, "sampai");
	struct pd_audit_filter *f = &fl->f;
	struct pd_field_errors *e = &fl->errs;
	if (fl->aksi && !pd_audit_filter_name_ok(fl->aksi))
		pd_field_error(e, "aksi", N_("Tulis aksi seperti unit.add: huruf kecil, angka, titik, garis bawah atau tanda hubung."));
	if (fl->pelaku && !pd_audit_filter_actor_kind_ok(fl->pelaku))
		pd_field_error(e, "pelaku", N_("Pilih salah satu jenis pelaku dari daftar."));
	if (fl->objek && !pd_audit_filter_name_ok(fl->objek))
		pd_field_error(e, "objek", N_("Tulis jenis objek seperti account: huruf kecil, angka, titik, garis bawah atau tanda hubung."));
	if (fl->unit && !pd_slug_valid(fl->unit))
		pd_field_error(e, "unit", N_("Tulis slug unit seperti disdukcapil."));
	if (fl->subjek && !pd_uuid_valid(fl->subjek))
		pd_field_error(e, "subjek", N_("ID subjek berupa UUID, misalnya 0190f3a2-7c1e-7d2a-9b1f-3e4d5c6b7a89."));
	if (fl->dari && !parse_day(fl->dari, &f->from_ms))
		pd_field_error(e, "dari", N_("Tulis tanggal sebagai TTTT-BB-HH, misalnya 2026-01-31."));
	if (fl->sampai) {
		if (!parse_day(fl->sampai, &f->until_ms))
			pd_field_error(e, "sampai", N_("Tulis tanggal sebagai TTTT-BB-HH, misalnya 2026-01-31."));
		else
			f->until_ms += DAY_MS; /* through the end of that day */
	}
	if (f->from_ms && f->until_ms && f->until_ms <= f->from_ms)
		pd_field_error(e, "sampai", N_("Tanggal akhir tidak boleh sebelum tanggal awal."));
	f->action = fl->aksi;
	f->actor_kind = fl->pelaku;
	f->object_type = fl->objek;
	f->unit_slug = fl->unit;
	f->subject_id = fl->subjek;
}

/* The filters as a query string for links ("" or "aksi=…&unit=…&"), percent-encoded. */
static const char *filter_query(struct pd_req *r, const struct filters *fl)
{
	const char *names[] = {"aksi", "pelaku", "objek", "unit", "subjek", "dari", "sampai"};
	const char *vals[] = {fl->aksi, fl->pelaku, fl->objek, fl->unit, fl->subjek, fl->dari, fl->sampai};
	const char *q = "";
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (vals[i])
			q = pd_arena_printf(r->arena, "%s%s=%s&", q, names[i], pd_url_encode(r->arena, vals[i]));
	return q;
}

/* base with the query fq made by filter_query ("…&" or ""). Arena-owned. */
static const char *with_query(struct pd_req *r, const char *base, const char *fq)
{
	size_t n = strlen(fq);
	return n ? pd_arena_printf(r->arena, "%s?%.*s", base, (int)(n - 1), fq) : base;
}

/* "2026-11-27 14:05:09 UTC" (page) or "2026-11-27T14:05:09.123Z" (CSV). */
static void format_time(int64_t ms, bool iso, char *out, size_t n)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	char day[32];
	strftime(day, sizeof day, iso ? "%Y-%m-%dT%H:%M:%S" : "%Y-%m-%d %H:%M:%S", &tm);
	if (iso)
		snprintf(out, n, "%s.%03dZ", day, (int)(ms % 1000 + 1000) % 1000);
	else
		snprintf(out, n, "%s UTC", day);
}

static const char *when(struct pd_req *r, int64_t ms)
{
	char buf[48];
	format_time(ms, false, buf, sizeof buf);
	return pd_arena_strdup(r->arena, buf);
}

static void set_str(json_t *o, const char *key, const char *value)
{
	if (value)
		json_object_set_new(o, key, json_string(value));
}

static json_t *filters_json(struct pd_req *r, const struct filters *fl)
{
	json_t *o = json_object();
	set_str(o, "aksi", fl->aksi);
	set_str(o, "objek", fl->objek);
	set_str(o, "unit", fl->unit);
	set_str(o, "subjek", fl->subjek);
	set_str(o, "dari", fl->dari);
	set_str(o, "sampai", fl->sampai);
	static const struct {
		const char *value, *label;
	} kinds[] = {
		{"account", N_("Akun")},
		{"apikey", N_("Kunci API")},
		{"cli", N_("Baris perintah")},
		{"system", N_("Sistem")},
	};
	json_t *opts = json_array();
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "value", kinds[i].value, "label",
		                                      pd_req_t(r, kinds[i].label), "selected",
		                                      fl->pelaku && strcmp(fl->pelaku, kinds[i].value) == 0));
	json_object_set_new(o, "pelaku", opts);
	return o;
}

static json_t *status_json(struct pd_req *r, const struct pd_audit_status *s)
{
	json_t *o = json_pack("{s:I,s:b,s:b,s:b,s:I}", "last_seq", (json_int_t)s->last_seq, "ok",
	                      s->sound && s->tail_checked, "unchecked", s->sound && !s->tail_checked,
	                      "broken", !s->sound, "n_tail", (json_int_t)s->n_tail);
	if (s->cp_seq > 0) {
		json_t *cp = json_pack("{s:I,s:s,s:s,s:b,s:b,s:b}", "seq", (json_int_t)s->cp_seq,
		                       "time", when(r, s->cp_ts_ms), "key_id", s->cp_key_id,
		                       "sig_valid", s->cp_signature > 0, "sig_unchecked",
		                       s->cp_signature == 0, "sig_invalid", s->cp_signature < 0);
		json_object_set_new(o, "checkpoint", cp);
	}
	if (!s->sound) {
		json_object_set_new(o, "bad_seq", json_integer(s->bad_seq));
		json_object_set_new(o, "what", json_string(s->what));
	}
	return o;
}

static json_t *row_json(struct pd_req *r, const struct pd_audit_view_row *e)
{
	json_t *o = json_pack("{s:I,s:s,s:s,s:s}", "seq", (json_int_t)e->seq, "time",
	                      when(r, e->ts_ms), "actor", e->actor ? e->actor : "", "action",
	                      e->action ? e->action : "");
	set_str(o, "object_type", e->object_type);
	set_str(o, "object_id", e->object_id);
	set_str(o, "unit_id", e->unit_id);
	set_str(o, "unit", e->unit_slug);
	set_str(o, "subject_id", e->subject_id);
	set_str(o, "purpose", e->purpose);
	if (e->details && strcmp(e->details, "{}") != 0)
		json_object_set_new(o, "details", json_string(e->details));
	return o;
}

static json_t *check_json(struct pd_req *r, const struct pd_audit_check_result *cr)
{
	json_t *c = json_pack("{s:I,s:s,s:s,s:b,s:I,s:I,s:I}", "seq", (json_int_t)cr->seq, "time",
	                      when(r, cr->ts_ms), "actor", cr->actor ? cr->actor : "", "sound",
	                      cr->sound, "n_entries", (json_int_t)cr->n_entries, "n_checkpoints",
	                      (json_int_t)cr->n_checkpoints, "last_checkpoint",
	                      (json_int_t)cr->last_checkpoint);
	if (!cr->sound) {
		json_object_set_new(c, "bad_seq", json_integer(cr->bad_seq));
		json_object_set_new(c, "reason", json_string(cr->reason ? cr->reason : ""));
	}
	if (cr->seq == 0)
		json_object_set_new(c, "unrecorded", json_true());
	return c;
}

/* Renders the page; errors go beside the filter fields and the list is left out then. check
 * (stolen; NULL: the one ?periksa= names, if any) is a full check's result to show. */
static void audit_page(struct pd_req *r, struct filters *fl, int64_t before, json_t *check)
{
	struct pd_app *app = r->app;
	struct pd_audit_status st;
	int rc = pd_audit_view_status(r->store, app->cfg, r->actor, &st);
	if (rc) {
		json_decref(check);
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *ctx = json_object();
	json_object_set_new(ctx, "status", status_json(r, &st));
	json_object_set_new(ctx, "filters", filters_json(r, fl));
	const char *fq = filter_query(r, fl);

	int64_t check_seq = 0;
	const char *periksa = pd_req_query(r, "periksa");
	if (!check && periksa && pd_parse_i64(periksa, 1, INT64_MAX - 1, &check_seq) == PD_OK) {
		struct pd_audit_check_result cr;
		rc = pd_audit_view_check_load(r->store, r->actor, check_seq, r->arena, &cr);
		if (rc == PD_OK) {
			check = check_json(r, &cr);
		} else if (rc != PD_ERR_NOT_FOUND) {
			json_decref(ctx);
			pd_web_reply_rc(r, rc);
			return;
		}
	}
	if (check)
		json_object_set_new(ctx, "check", check);

	int status = 200;
	if (fl->errs.n) {
		status = 422;
		json_object_set_new(ctx, "errors", pd_web_errors_json(r, &fl->errs));
		json_object_set_new(ctx, "has_errors", json_true());
	} else {
		struct pd_audit_view_page page;
		rc = pd_audit_view_list(r->store, r->actor, &fl->f, before, PAGE, r->arena, &page);
		if (rc) {
			json_decref(ctx);
			if (rc == PD_ERR_NOT_FOUND && fl->unit)
				pd_reply_error(r, PD_E_NOT_FOUND, N_("Unit ini tidak ada atau di luar wewenang audit Anda."));
			else
				pd_web_reply_rc(r, rc);
			return;
		}
		json_t *rows = json_array();
		for (int i = 0; i < page.n; i++)
			json_array_append_new(rows, row_json(r, &page.rows[i]));
		json_object_set_new(ctx, "entries", rows);
		json_object_set_new(ctx, "n_entries", json_integer(page.n));
		if (page.next_before)
			json_object_set_new(ctx, "next_url",
			                    json_string(pd_arena_printf(r->arena, "/kantor/audit?%ssebelum=%lld",
			                                                fq, (long long)page.next_before)));
		if (page.partial)
			json_object_set_new(ctx, "searched_to", json_integer(page.next_before));
		if (before)
			json_object_set_new(ctx, "first_url", json_string(with_query(r, "/kantor/audit", fq)));
	}
	json_object_set_new(ctx, "csv_url", json_string(with_query(r, "/kantor/audit.csv", fq)));
	pd_reply_page(r, status, "kantor/audit", N_("Log audit"), ctx);
}

/* ?sebelum= is made by our own links: anything but a positive seq is malformed (400). */
static bool before_or_reply(struct pd_req *r, int64_t *before)
{
	*before = 0;
	const char *s = pd_req_query(r, "sebelum");
	if (s && pd_parse_i64(s, 1, INT64_MAX - 1, before) != PD_OK) {
		pd_reply_error(r, PD_E_BAD_REQUEST, N_("Parameter halaman (sebelum) tidak sah."));
		return false;
	}
	return true;
}

void pd_web_audit(struct pd_req *r)
{
	int64_t before;
	if (!before_or_reply(r, &before))
		return;
	struct filters fl;
	parse_filters(r, &fl);
	audit_page(r, &fl, before, NULL);
}

/* --- CSV ------------------------------------------------------------------------------------ */

static int csv_row(const struct pd_audit_view_row *e, void *arg)
{
	struct pd_buf *b = arg;
	char ts[48];
	format_time(e->ts_ms, true, ts, sizeof ts);
	int rc = pd_buf_printf(b, "%lld,%s", (long long)e->seq, ts);
	const char *fields[] = {e->actor,     e->action,     e->object_type, e->object_id, e->unit_id,
	                        e->unit_slug, e->subject_id, e->purpose,     e->details};
	for (size_t i = 0; !rc && i < sizeof fields / sizeof fields[0]; i++) {
		rc = pd_buf_putc(b, ',');
		if (!rc)
			rc = pd_csv_field(b, fields[i]);
	}
	return rc ? rc : pd_buf_puts(b, "\r\n");
}

void pd_web_audit_csv(struct pd_req *r)
{
	struct filters fl;
	parse_filters(r, &fl);
	if (fl.errs.n) {
		/* The page shows the same filters with a message beside each wrong one. */
		audit_page(r, &fl, 0, NULL);
		return;
	}
	struct pd_buf b;
	pd_buf_init(&b, CSV_MAX);
	int rc = pd_buf_puts(&b, "seq,time,actor,action,object_type,object_id,unit_id,unit,"
	                         "subject_id,purpose,details\r\n");
	if (!rc)
		rc = pd_audit_view_each(r->store, r->actor, &fl.f, csv_row, &b);
	if (rc) {
		pd_buf_free(&b);
		if (rc == PD_ERR_TOO_LARGE)
			pd_reply_error(r, PD_E_INVALID, N_("Hasilnya terlalu besar untuk satu berkas CSV. Persempit rentang tanggal lalu unduh lagi."));
		else if (rc == PD_ERR_NOT_FOUND && fl.unit)
			pd_reply_error(r, PD_E_NOT_FOUND, N_("Unit ini tidak ada atau di luar wewenang audit Anda."));
		else
			pd_web_reply_rc(r, rc);
		return;
	}
	pd_reply_header(r, "Content-Disposition", "attachment; filename=\"audit.csv\"");
	pd_reply_bytes(r, 200, "text/csv; charset=utf-8", pd_buf_cstr(&b), b.len);
	pd_buf_free(&b);
}

/* --- the full check --------------------------------------------------------------------------- */

struct check_job {
	struct pd_store *st;
	const struct pd_config *cfg;
	const struct pd_actor *actor;
	struct pd_audit_report report;
	int64_t seq;
};

static int check_run(void *p)
{
	struct check_job *j = p;
	return pd_audit_view_check(j->st, j->cfg, j->actor, &j->report);
}

static int check_tx(struct pd_tx *tx, void *p)
{
	struct check_job *j = p;
	return pd_audit_view_check_record(tx, j->actor, &j->report, &j->seq);
}

static void check_recorded(struct pd_req *r, int rc)
{
	struct check_job *j = r->user;
	if (rc && !j->report.sound) {
		/* A chain whose newest entry is broken takes no more entries: show the verdict
		 * unrecorded rather than hide it behind an error. */
		struct pd_audit_check_result cr = {
			.ts_ms = pd_clock_now_ms(),
			.actor = pd_arena_printf(r->arena, "account:%s", j->actor->account_id),
			.n_entries = j->report.n_entries,
			.n_checkpoints = j->report.n_checkpoints,
			.last_checkpoint = j->report.last_checkpoint,
			.bad_seq = j->report.bad_seq,
			.reason = j->report.what,
		};
		struct filters fl;
		parse_filters(r, &fl);
		audit_page(r, &fl, 0, check_json(r, &cr));
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/kantor/audit?periksa=%lld#periksa",
	                                          (long long)j->seq));
}

static void check_ran(struct pd_req *r, int rc)
{
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_req_write(r, check_tx, r->user, check_recorded);
}

void pd_web_audit_check(struct pd_req *r)
{
	struct check_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->st = r->store;
	j->cfg = r->app->cfg;
	j->actor = r->actor;
	r->user = j;
	pd_req_offload(r, check_run, j, check_ran);
}
