/* Unit tests of the application clock and state machine: the pause rule as pure functions
 * (Monday submit with 5 working days, returned Tuesday, resubmitted Thursday → the due date
 * moves by 2 working days; holidays inside the pause do not count; a pause within one day moves
 * nothing), then the domain over a real store with a test clock: submit, claim, return,
 * resubmit with the due date moved, a stale version losing (PD_ERR_CONFLICT), refusals of other
 * officers and citizens, approve issuing a document, the queue's filters and keyset pages, the
 * deadline job, assisted filing and attaching by tracking number and NIK. SQLite in a temporary
 * directory, or PD_TEST_DB. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/calendar.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/err.h"
#include "core/log.h"
#include "core/uuid.h"
#include "domain/application.h"
#include "domain/catalogue.h"
#include "domain/document.h"
#include "domain/form.h"
#include "domain/keys.h"
#include "domain/mail.h"
#include "domain/unit.h"
#include "store/account_store.h"
#include "store/application_store.h"
#include "store/store.h"

#define H (3600LL * 1000)
#define D (24 * H)

/* 2026-11-23 is a Monday; times are 10:00 WIB (03:00 UTC). */
static int64_t at(int y, int m, int d, int hour_wib)
{
	return (int64_t)pd_civil_day(y, m, d) * D + (hour_wib - 7) * H;
}

static int32_t day_of_due(const struct pd_calendar *cal, int64_t due)
{
	return pd_calendar_day_of(cal, due);
}

/* --- the pure rule --------------------------------------------------------------------------- */

static void test_pause_rule(void **state)
{
	(void)state;
	struct pd_calendar *cal = pd_calendar_new(420);
	pd_calendar_mark_year(cal, 2026);
	int64_t mon = at(2026, 11, 23, 10);
	int64_t due = pd_application_due(cal, mon, 5, 0);
	assert_int_equal(day_of_due(cal, due), pd_civil_day(2026, 11, 30)); /* next Monday */
	/* The deadline is the end of that day, local time. */
	assert_int_equal(due, at(2026, 12, 1, 0) - 1);

	/* Returned Tuesday, resubmitted Thursday: Wednesday and Thursday were spent waiting. */
	int n = pd_application_pause_days(cal, at(2026, 11, 24, 10), at(2026, 11, 26, 10));
	assert_int_equal(n, 2);
	int64_t moved = pd_application_due(cal, mon, 5, n);
	assert_int_equal(day_of_due(cal, moved), pd_civil_day(2026, 12, 2)); /* Wednesday */
	assert_int_equal(pd_calendar_add_working(cal, day_of_due(cal, due), n),
	                 day_of_due(cal, moved));

	/* Within one day: nothing moves; backwards or unset: nothing either. */
	assert_int_equal(pd_application_pause_days(cal, at(2026, 11, 24, 9), at(2026, 11, 24, 16)), 0);
	assert_int_equal(pd_application_pause_days(cal, at(2026, 11, 26, 9), at(2026, 11, 24, 16)), 0);
	assert_int_equal(pd_application_pause_days(cal, 0, at(2026, 11, 24, 16)), 0);
	/* Over a weekend: Friday → Monday is one working day. */
	assert_int_equal(pd_application_pause_days(cal, at(2026, 11, 27, 10), at(2026, 11, 30, 10)), 1);

	/* A holiday inside the pause does not count (Wednesday off: only Thursday). */
	assert_int_equal(pd_calendar_add(cal, pd_civil_day(2026, 11, 25), PD_DAY_LIBUR), PD_OK);
	n = pd_application_pause_days(cal, at(2026, 11, 24, 10), at(2026, 11, 26, 10));
	assert_int_equal(n, 1);
	assert_int_equal(day_of_due(cal, pd_application_due(cal, mon, 5, 0)),
	                 pd_civil_day(2026, 12, 1));
	assert_int_equal(day_of_due(cal, pd_application_due(cal, mon, 5, n)),
	                 pd_civil_day(2026, 12, 2));
	pd_calendar_free(cal);
}

/* --- over a real store ----------------------------------------------------------------------- */

static char dir[256];
static struct pd_config cfg;
static struct pd_store *st;
static struct pd_keyset *ks;
static struct pd_calendar *cal;
static char citizen_a[37], citizen_b[37], officer1[37], officer2[37], super1[37], other_off[37];
static char svc_path[512], other_path[512];
static struct pd_grant g_off1, g_off2, g_sup, g_other;
static struct pd_actor a_actor, b_actor, off1, off2, sup, other, sys;

/* Adds an account of kind (a citizen, or staff: only staff may be assigned work), holding nik
 * when not NULL (attaching an assisted application needs the account's own NIK). */
static int add_account_kind(struct pd_tx *tx, char *id, const char *kind, const char *nik)
{
	unsigned char raw[PD_CRYPTO_KEY_BYTES], bidx[PD_CRYPTO_BLIND_BYTES];
	struct pd_buf wrapped;
	pd_buf_init(&wrapped, 256);
	pd_uuid7(id);
	int rc = pd_crypto_subject_key_new(ks, id, raw, &wrapped);
	sodium_memzero(raw, sizeof raw);
	struct pd_account_row row = {.id = id, .kind = kind, .password_hash = "",
	                             .subject_key = {wrapped.data, wrapped.len}, .created_ms = 1};
	if (!rc && nik) {
		rc = pd_crypto_blind_index(ks, "nik", nik, bidx);
		row.nik_bidx = (struct pd_blob){bidx, sizeof bidx};
	}
	if (!rc && pd_store_account_insert(tx, &row) <= 0)
		rc = pd_tx_error(tx);
	pd_buf_free(&wrapped);
	return rc;
}

static int add_account_tx(struct pd_tx *tx, void *arg)
{
	/* B holds the NIK the assisted application below is filed for; A another one. */
	return add_account_kind(tx, arg, "citizen",
	                        arg == citizen_b   ? "3219015708900001"
	                        : arg == citizen_a ? "3219015708900009"
	                                           : NULL);
}

static int add_staff_tx(struct pd_tx *tx, void *arg)
{
	return add_account_kind(tx, arg, "staff", NULL);
}

static void citizen(struct pd_actor *a, const char *id)
{
	*a = (struct pd_actor){.account_id = id, .kind = PD_ACCOUNT_CITIZEN, .email_verified = true};
}

static void staff(struct pd_actor *a, const char *id, struct pd_grant *g, enum pd_role role,
                  const char *path)
{
	*g = (struct pd_grant){role, "u", path, "s"};
	*a = (struct pd_actor){.account_id = id, .kind = PD_ACCOUNT_STAFF, .email_verified = true,
	                       .grants = g, .n_grants = 1};
}

static const char *path_of(const char *slug, char *out, size_t n)
{
	struct pd_arena *a = pd_arena_new();
	struct pd_unit_view v;
	if (pd_unit_view(st, slug, NULL, 1, a, &v) == PD_OK)
		snprintf(out, n, "%s", v.unit.path);
	pd_arena_free(a);
	return out;
}

struct grant_arg {
	const char *account, *role, *unit_slug;
};

static int grant_tx(struct pd_tx *tx, void *p)
{
	struct grant_arg *g = p;
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_unit_view v;
	if (pd_unit_view(st, g->unit_slug, NULL, 1, a, &v))
		return PD_ERR_NOT_FOUND;
	return pd_store_grant_insert(tx, g->account, g->role, v.unit.id, 1) < 0 ? PD_ERR_DB : PD_OK;
}

static struct pd_form_field fields[] = {
	{.key = "nama", .type = PD_FORM_TEXT, .label = "Nama", .required = true},
	{.key = "catatan", .type = PD_FORM_LONGTEXT, .label = "Catatan"},
};

static int form_tx(struct pd_tx *tx, void *p)
{
	struct pd_form f = {.fields = fields, .n_fields = 2};
	return pd_form_save_new_version(tx, p, &f, "system", NULL);
}

static int setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	pd_log_set_level(PD_LOG_ERROR);
	snprintf(dir, sizeof dir, "/tmp/pd-app-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char url[PATH_MAX + 64], err[512];
	const char *env = getenv("PD_TEST_DB");
	if (env && *env)
		snprintf(url, sizeof url, "%s", env);
	else
		snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
	struct pd_store_opts opts = {.url = url};
	if (pd_store_open(&opts, &st, err, sizeof err) || pd_store_migrate(st, err, sizeof err)) {
		fprintf(stderr, "store: %s\n", err);
		return -1;
	}
	cfg.data = dir;
	cfg.keys = "";
	cfg.public_url = "https://pendopo.example";
	cfg.site_name = "Kabupaten Uji";
	cfg.tz_offset_min = 420;
	if (pd_keys_startup(&cfg, st, &ks, err, sizeof err)) {
		fprintf(stderr, "keys: %s\n", err);
		return -1;
	}
	pd_mail_set_keys(ks);
	pd_document_configure(ks, &cfg);
	struct pd_unit_new root = {"uji", "Kabupaten Uji", "regency", NULL, "99.99"};
	struct pd_unit_new agency = {"disduk", "Dinas Kependudukan", "agency", "uji", NULL};
	struct pd_unit_new agency2 = {"dinkes", "Dinas Kesehatan", "agency", "uji", NULL};
	struct pd_unit_new district = {"kec-uji", "Kecamatan Uji", "district", "uji", "99.99.01"};
	struct pd_unit_new village = {"desa-uji", "Desa Uji", "village", "kec-uji", "99.99.01.2001"};
	if (pd_unit_add(st, "system", &root, NULL, err, sizeof err) ||
	    pd_unit_add(st, "system", &agency, NULL, err, sizeof err) ||
	    pd_unit_add(st, "system", &agency2, NULL, err, sizeof err) ||
	    pd_unit_add(st, "system", &district, NULL, err, sizeof err) ||
	    pd_unit_add(st, "system", &village, NULL, err, sizeof err)) {
		fprintf(stderr, "unit: %s\n", err);
		return -1;
	}
	path_of("disduk", svc_path, sizeof svc_path);
	path_of("dinkes", other_path, sizeof other_path);
	sys = (struct pd_actor){.account_id = "system", .system = true};
	char id[37];
	struct pd_catalogue_input in = {.unit_slug = "disduk",
	                                .s = {.slug = "akta", .name = "Akta Uji", .category = "Umum",
	                                      .requirements = "- KTP\n- Kartu Keluarga\n",
	                                      .product = "Akta", .processing_days = 5,
	                                      .enabled = true}};
	if (pd_catalogue_create(st, &sys, &in, id, err, sizeof err) ||
	    pd_store_write(st, form_tx, id))
		return -1;
	char *ids[] = {citizen_a, citizen_b, officer1, officer2, super1, other_off};
	for (int i = 0; i < 6; i++)
		if (pd_store_write(st, i < 2 ? add_account_tx : add_staff_tx, ids[i]))
			return -1;
	struct grant_arg grants[] = {{officer1, "officer", "disduk"}, {officer2, "officer", "disduk"},
	                             {super1, "supervisor", "disduk"}, {other_off, "officer", "dinkes"}};
	for (int i = 0; i < 4; i++)
		if (pd_store_write(st, grant_tx, &grants[i]))
			return -1;
	citizen(&a_actor, citizen_a);
	citizen(&b_actor, citizen_b);
	staff(&off1, officer1, &g_off1, PD_ROLE_OFFICER, svc_path);
	staff(&off2, officer2, &g_off2, PD_ROLE_OFFICER, svc_path);
	staff(&sup, super1, &g_sup, PD_ROLE_SUPERVISOR, svc_path);
	staff(&other, other_off, &g_other, PD_ROLE_OFFICER, other_path);
	cal = pd_calendar_new(420);
	pd_calendar_mark_year(cal, 2026);
	return 0;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int teardown(void **state)
{
	(void)state;
	pd_document_configure(NULL, NULL);
	pd_mail_set_keys(NULL);
	pd_store_close(st);
	pd_keyset_free(ks);
	pd_calendar_free(cal);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

/* One write step on an application, as the pages run them. */
enum op { SUBMIT, CLAIM, RETURN, RESUBMIT, APPROVE, REJECT, ASSIGN, ATTACH, ASSISTED };

struct step {
	enum op op;
	const struct pd_actor *actor;
	int64_t now;
	const char *id;
	int64_t version;
	const char *text;
	const char *nik;
	struct pd_app_errors errs;
	char out[37];
	char tracking[16];
};

static int step_tx(struct pd_tx *tx, void *p)
{
	struct step *s = p;
	struct pd_app_ctx c = {s->actor, ks, cal, "https://pendopo.example", s->now, false};
	struct pd_app_value vals[] = {{"nama", "Siti Uji"}, {"catatan", s->text ? s->text : ""}};
	struct pd_app_input in = {.service_slug = "akta", .values = vals, .n_values = 2,
	                          .submit = true};
	switch (s->op) {
	case SUBMIT:
		return pd_application_save(tx, &c, &in, &s->errs, s->out);
	case CLAIM:
		return pd_application_claim(tx, &c, s->id, s->version);
	case RETURN:
		return pd_application_return(tx, &c, s->id, s->version, s->text, &s->errs);
	case RESUBMIT:
		return pd_application_resubmit(tx, &c, s->id, s->version, &in, &s->errs);
	case APPROVE:
		return pd_application_approve(tx, &c, s->id, s->version, NULL, &s->errs);
	case REJECT:
		return pd_application_reject(tx, &c, s->id, s->version, s->text, &s->errs);
	case ASSIGN:
		return pd_application_assign(tx, &c, s->id, s->version, s->text);
	case ATTACH:
		return pd_application_attach(tx, &c, s->text, s->nik, s->out);
	case ASSISTED: {
		struct pd_app_assisted as = {.service_slug = "akta", .nik = s->nik,
		                             .holder_name = "Warga Dibantu", .consent = s->text != NULL,
		                             .values = vals, .n_values = 1};
		char t[PD_TRACKING_COMPACT_LEN + 1];
		int rc = pd_application_file_assisted(tx, &c, &as, &s->errs, s->out, t);
		memcpy(s->tracking, t, sizeof t);
		return rc;
	}
	}
	return PD_ERR_INVALID;
}

static int run(enum op op, const struct pd_actor *actor, int64_t now, const char *id,
               int64_t version, const char *text, struct step *out)
{
	struct step local;
	struct step *s = out ? out : &local;
	memset(s, 0, sizeof *s);
	*s = (struct step){.op = op, .actor = actor, .now = now, .id = id, .version = version,
	                   .text = text};
	return pd_store_write(st, step_tx, s);
}

static void load(const struct pd_actor *actor, const char *id, struct pd_arena *a,
                 struct pd_application *app)
{
	assert_int_equal(pd_application_get(st, ks, actor, id, a, app), PD_OK);
}

static void test_state_machine_and_clock(void **state)
{
	(void)state;
	struct pd_arena *a = pd_arena_new();
	struct step s;
	int64_t mon = at(2026, 11, 23, 10);
	assert_int_equal(run(SUBMIT, &a_actor, mon, NULL, 0, NULL, &s), PD_OK);
	char id[37];
	memcpy(id, s.out, sizeof id);
	struct pd_application app;
	load(&a_actor, id, a, &app);
	assert_int_equal(app.status, PD_APP_SUBMITTED);
	assert_non_null(app.tracking);
	assert_int_equal(app.tracking[0], 'P');
	assert_int_equal(app.sla_days, 5);
	assert_int_equal(day_of_due(cal, app.due_ms), pd_civil_day(2026, 11, 30));
	assert_non_null(strstr(app.answers_json, "Siti Uji"));
	assert_int_equal(app.n_checklist, 2);
	assert_string_equal(app.checklist[1].label, "Kartu Keluarga");

	/* Another citizen and another unit's officer do not see it; a citizen may not claim. */
	assert_int_equal(pd_application_get(st, ks, &b_actor, id, a, &app), PD_ERR_NOT_FOUND);
	assert_int_equal(pd_application_get(st, ks, &other, id, a, &app), PD_ERR_NOT_FOUND);
	assert_int_equal(run(CLAIM, &other, mon, id, 0, NULL, NULL), PD_ERR_NOT_FOUND);
	assert_int_equal(run(CLAIM, &a_actor, mon, id, 0, NULL, NULL), PD_ERR_FORBIDDEN);

	/* Two officers claim with the same version: exactly one wins. */
	int64_t v = 1;
	load(&off1, id, a, &app);
	v = app.version;
	assert_int_equal(run(CLAIM, &off1, mon + H, id, v, NULL, NULL), PD_OK);
	assert_int_equal(run(CLAIM, &off2, mon + H, id, v, NULL, NULL), PD_ERR_CONFLICT);
	/* Only the assignee or a supervisor decides. */
	assert_int_equal(run(APPROVE, &off2, mon + H, id, 0, NULL, NULL), PD_ERR_FORBIDDEN);

	/* Returned Tuesday without a note: refused; with one: paused. */
	int64_t tue = at(2026, 11, 24, 10);
	assert_int_equal(run(RETURN, &off1, tue, id, 0, "  ", &s), PD_ERR_INVALID);
	assert_non_null(pd_app_error_for(&s.errs, "note"));
	assert_int_equal(run(RETURN, &off1, tue, id, 0, "Lengkapi KK.", NULL), PD_OK);
	load(&a_actor, id, a, &app);
	assert_int_equal(app.status, PD_APP_RETURNED);
	assert_int_equal(app.paused_since_ms, tue);
	assert_string_equal(app.note, "Lengkapi KK.");
	/* The deadline job never flags a returned application, even long past its due date. */
	int64_t flagged = -1;
	assert_int_equal(pd_application_mark_overdue(st, at(2026, 12, 20, 10), &flagged), PD_OK);
	assert_int_equal(flagged, 0);

	/* Resubmitted Thursday: the due date moves by 2 working days, to Wednesday. */
	int64_t thu = at(2026, 11, 26, 10);
	assert_int_equal(run(RESUBMIT, &b_actor, thu, id, 0, NULL, NULL), PD_ERR_NOT_FOUND);
	assert_int_equal(run(RESUBMIT, &a_actor, thu, id, 0, NULL, NULL), PD_OK);
	load(&a_actor, id, a, &app);
	assert_int_equal(app.status, PD_APP_SUBMITTED);
	assert_int_equal(app.paused_days, 2);
	assert_int_equal(app.paused_since_ms, 0);
	assert_int_equal(day_of_due(cal, app.due_ms), pd_civil_day(2026, 12, 2));
	assert_null(app.note);
	assert_int_equal(run(RESUBMIT, &a_actor, thu, id, 0, NULL, NULL), PD_ERR_CONFLICT);

	/* The timeline has every step, the return note opened for the owner. */
	const char *kinds[] = {"submitted", "claimed", "returned", "resubmitted"};
	assert_int_equal(app.n_events, 4);
	for (int i = 0; i < 4; i++)
		assert_string_equal(app.events[i].kind, kinds[i]);
	assert_string_equal(app.events[2].note, "Lengkapi KK.");
	assert_true(app.events[1].by_staff);

	/* Past the moved due date the job flags it, once. */
	assert_int_equal(pd_application_mark_overdue(st, at(2026, 12, 3, 10), &flagged), PD_OK);
	assert_int_equal(flagged, 1);
	assert_int_equal(pd_application_mark_overdue(st, at(2026, 12, 3, 11), &flagged), PD_OK);
	assert_int_equal(flagged, 0);
	int64_t count = 0;
	assert_int_equal(pd_application_count_overdue(st, &count), PD_OK);
	assert_int_equal(count, 1);

	/* A supervisor assigns it to officer 2 (not to someone of another unit); officer 2
	 * approves and the document is issued; a second decision with the old version loses. */
	load(&sup, id, a, &app);
	v = app.version;
	/* Who may be assigned: the unit's officers and its supervisor, never another unit's; the
	 * list is the supervisor's (an officer gets PD_ERR_FORBIDDEN). */
	struct pd_app_person people[PD_APP_ASSIGNEES_MAX];
	int np = 0;
	assert_int_equal(pd_application_assignees(st, ks, &sup, id, a, people, PD_APP_ASSIGNEES_MAX,
	                                          &np),
	                 PD_OK);
	assert_int_equal(np, 3);
	for (int i = 0; i < np; i++) {
		assert_string_not_equal(people[i].account_id, other_off);
		assert_non_null(people[i].role);
	}
	assert_int_equal(pd_application_assignees(st, ks, &off1, id, a, people, PD_APP_ASSIGNEES_MAX,
	                                          &np),
	                 PD_ERR_FORBIDDEN);
	/* The timeline's staff are resolved: role and unit (these accounts have no name). */
	assert_non_null(app.events[1].actor);
	assert_string_equal(app.events[1].actor->role, "officer");
	assert_string_equal(app.assigned_person->account_id, officer1);
	assert_int_equal(run(ASSIGN, &sup, thu, id, v, other_off, NULL), PD_ERR_INVALID);
	assert_int_equal(run(ASSIGN, &off1, thu, id, v, officer2, NULL), PD_ERR_FORBIDDEN);
	assert_int_equal(run(ASSIGN, &sup, thu, id, v, officer2, NULL), PD_OK);
	load(&off2, id, a, &app);
	v = app.version;
	assert_string_equal(app.assigned_to, officer2);
	assert_int_equal(run(APPROVE, &off2, thu + H, id, v, NULL, NULL), PD_OK);
	assert_int_equal(run(REJECT, &sup, thu + H, id, v, "Tidak lengkap", NULL), PD_ERR_CONFLICT);
	load(&a_actor, id, a, &app);
	assert_int_equal(app.status, PD_APP_APPROVED);
	assert_non_null(app.document_id);
	assert_int_equal(app.decided_ms, thu + H);

	/* /lacak's view: status and dates only. */
	struct pd_app_public pub;
	assert_int_equal(pd_application_track(st, app.tracking, a, &pub), PD_OK);
	assert_int_equal(pub.status, PD_APP_APPROVED);
	assert_string_equal(pub.service_name, "Akta Uji");
	assert_int_equal(pd_application_track(st, "P000000000", a, &pub), PD_ERR_NOT_FOUND);

	/* Notifications of the citizen: one per status change. */
	struct pd_notification notes[20];
	int n = 0;
	const char *next = NULL;
	assert_int_equal(pd_notification_list(st, &a_actor, NULL, 20, a, notes, &n, &next), PD_OK);
	assert_int_equal(n, 6); /* submitted, claimed, returned, resubmitted, assigned, approved */
	assert_string_equal(notes[0].kind, "approved");
	pd_arena_free(a);
}

static void test_queue_filters_and_pages(void **state)
{
	(void)state;
	struct pd_arena *a = pd_arena_new();
	int64_t base = at(2020, 11, 2, 10);
	char ids[5][37];
	for (int i = 0; i < 5; i++) {
		struct step s;
		/* Each citizen has one draft per service: submit as alternating citizens. */
		assert_int_equal(run(SUBMIT, i % 2 ? &b_actor : &a_actor, base + i * D, NULL, 0, NULL, &s),
		                 PD_OK);
		memcpy(ids[i], s.out, 37);
	}
	assert_int_equal(run(CLAIM, &off1, base, ids[0], 0, NULL, NULL), PD_OK);
	struct pd_application out[PD_APP_PAGE_MAX];
	int n = 0;
	const char *next = NULL;
	struct pd_app_queue_query q = {.limit = 2};
	/* Keyset pages in due order, nothing twice, nothing left out. */
	int seen = 0;
	int64_t last_due = 0;
	do {
		q.after = next;
		assert_int_equal(pd_application_queue(st, &off2, &q, a, out, &n, &next), PD_OK);
		for (int i = 0; i < n; i++) {
			assert_true(out[i].due_ms >= last_due);
			last_due = out[i].due_ms;
			assert_null(out[i].answers_json);
		}
		seen += n;
	} while (next);
	assert_int_equal(seen, 5);
	/* Mine, status, service filters; another unit's officer sees none; a bad status is refused. */
	q = (struct pd_app_queue_query){.mine = true};
	assert_int_equal(pd_application_queue(st, &off1, &q, a, out, &n, &next), PD_OK);
	assert_int_equal(n, 1);
	assert_string_equal(out[0].id, ids[0]);
	q = (struct pd_app_queue_query){.status = "submitted", .service_slug = "akta"};
	assert_int_equal(pd_application_queue(st, &off1, &q, a, out, &n, &next), PD_OK);
	assert_int_equal(n, 4);
	q = (struct pd_app_queue_query){.service_slug = "tidak-ada"};
	assert_int_equal(pd_application_queue(st, &off1, &q, a, out, &n, &next), PD_OK);
	assert_int_equal(n, 0);
	q = (struct pd_app_queue_query){0};
	assert_int_equal(pd_application_queue(st, &other, &q, a, out, &n, &next), PD_OK);
	assert_int_equal(n, 0);
	q = (struct pd_app_queue_query){.status = "draft"};
	assert_int_equal(pd_application_queue(st, &off1, &q, a, out, &n, &next), PD_ERR_INVALID);
	q = (struct pd_app_queue_query){.overdue = true};
	assert_int_equal(pd_application_queue(st, &off1, &q, a, out, &n, &next), PD_OK);
	assert_int_equal(n, 5); /* all due in November 2020, long before now */
	assert_int_equal(pd_application_queue(st, &a_actor, &q, a, out, &n, &next), PD_ERR_NOT_FOUND);
	/* The citizen's own list, newest first. */
	assert_int_equal(pd_application_list_mine(st, &b_actor, NULL, 10, a, out, &n, &next), PD_OK);
	assert_true(n >= 2);
	assert_true(strcmp(out[0].id, out[1].id) > 0);
	pd_arena_free(a);
}

static void test_assisted_and_attach(void **state)
{
	(void)state;
	struct pd_arena *a = pd_arena_new();
	struct pd_actor desk;
	struct pd_grant g;
	char desk_id[37];
	assert_int_equal(pd_store_write(st, add_account_tx, desk_id), PD_OK);
	char vpath[512];
	path_of("desa-uji", vpath, sizeof vpath);
	staff(&desk, desk_id, &g, PD_ROLE_OFFICER, vpath);
	struct pd_arena *ua = pd_arena_new();
	struct pd_unit_view v;
	assert_int_equal(pd_unit_view(st, "desa-uji", NULL, 1, ua, &v), PD_OK);
	g.unit_id = pd_arena_strdup(a, v.unit.id);
	pd_arena_free(ua);
	int64_t now = at(2026, 11, 23, 9);

	struct step s;
	memset(&s, 0, sizeof s);
	s = (struct step){.op = ASSISTED, .actor = &desk, .now = now, .nik = "3219015708900001"};
	assert_int_equal(pd_store_write(st, step_tx, &s), PD_ERR_INVALID); /* no consent */
	assert_non_null(pd_app_error_for(&s.errs, "_consent"));
	s = (struct step){.op = ASSISTED, .actor = &b_actor, .now = now, .nik = "3219015708900001",
	                  .text = "ya"};
	assert_int_equal(pd_store_write(st, step_tx, &s), PD_ERR_NOT_FOUND); /* a citizen */
	s = (struct step){.op = ASSISTED, .actor = &desk, .now = now, .nik = "3219015708900001",
	                  .text = "ya"};
	assert_int_equal(pd_store_write(st, step_tx, &s), PD_OK);
	char id[37], tracking[16];
	memcpy(id, s.out, sizeof id);
	memcpy(tracking, s.tracking, sizeof tracking);
	struct pd_application app;
	load(&off1, id, a, &app);
	assert_true(app.assisted);
	assert_string_equal(app.assisted_by, desk_id);
	assert_null(app.citizen_account_id);
	assert_string_equal(app.holder_name, "Warga Dibantu");
	assert_int_equal(app.consent_ms, now);

	/* Attach: a wrong NIK and an unknown number answer the same; the right pair attaches. */
	struct step t;
	t = (struct step){.op = ATTACH, .actor = &b_actor, .now = now, .text = tracking,
	                  .nik = "3219015708900002"};
	assert_int_equal(pd_store_write(st, step_tx, &t), PD_ERR_NOT_FOUND);
	t = (struct step){.op = ATTACH, .actor = &b_actor, .now = now, .text = "P-0000-0000-0",
	                  .nik = "3219015708900001"};
	int rc = pd_store_write(st, step_tx, &t);
	assert_true(rc == PD_ERR_NOT_FOUND || rc == PD_ERR_INVALID);
	t = (struct step){.op = ATTACH, .actor = &b_actor, .now = now, .text = "bukan",
	                  .nik = "3219015708900001"};
	assert_int_equal(pd_store_write(st, step_tx, &t), PD_ERR_INVALID);
	assert_int_equal(pd_application_get(st, ks, &b_actor, id, a, &app), PD_ERR_NOT_FOUND);
	/* Knowing the number and the NIK is not enough: the account must hold that NIK itself. */
	t = (struct step){.op = ATTACH, .actor = &a_actor, .now = now, .text = tracking,
	                  .nik = "3219015708900001"};
	assert_int_equal(pd_store_write(st, step_tx, &t), PD_ERR_NOT_FOUND);
	struct pd_actor nonik;
	citizen(&nonik, officer1); /* an account that holds no NIK */
	t = (struct step){.op = ATTACH, .actor = &nonik, .now = now, .text = tracking,
	                  .nik = "3219015708900001"};
	assert_int_equal(pd_store_write(st, step_tx, &t), PD_ERR_FORBIDDEN);
	t = (struct step){.op = ATTACH, .actor = &b_actor, .now = now, .text = tracking,
	                  .nik = "3219 0157 0890 0001"};
	assert_int_equal(pd_store_write(st, step_tx, &t), PD_OK);
	assert_string_equal(t.out, id);
	load(&b_actor, id, a, &app);
	assert_string_equal(app.citizen_account_id, citizen_b);
	assert_non_null(strstr(app.answers_json, "Siti Uji"));
	assert_string_equal(app.holder_name, "Warga Dibantu");
	/* Once attached, nobody attaches it again. */
	t = (struct step){.op = ATTACH, .actor = &a_actor, .now = now, .text = tracking,
	                  .nik = "3219015708900001"};
	assert_int_equal(pd_store_write(st, step_tx, &t), PD_ERR_NOT_FOUND);
	pd_arena_free(a);
}

/* The deadline job flags an application between a step's read and its write (PostgreSQL's
 * READ COMMITTED lets both commit): the step must not clear the flag, so that the next run of
 * the job does not flag it, and record "overdue", a second time. */
struct stale_step {
	const char *id;
	int64_t job_ms;
};

static int stale_claim_tx(struct pd_tx *tx, void *p)
{
	struct stale_step *s = p;
	struct pd_app_row r;
	if (pd_store_app_by_id(tx, s->id, NULL, &r) != PD_QS_ONE)
		return PD_ERR_DB;
	if (pd_store_app_flag_overdue(tx, s->id, s->job_ms) != PD_QS_ONE) /* the job, meanwhile */
		return PD_ERR_DB;
	r.status = "processing"; /* the claim, from what it read before */
	r.assigned_to = officer1;
	return pd_store_app_update(tx, &r, r.version) == PD_QS_ONE ? PD_OK : PD_ERR_CONFLICT;
}

static int flag_tx(struct pd_tx *tx, void *p)
{
	struct stale_step *s = p;
	return pd_store_app_flag_overdue(tx, s->id, s->job_ms) == PD_QS_NONE ? PD_OK : PD_ERR_CONFLICT;
}

static void test_overdue_flag_survives_a_stale_step(void **state)
{
	(void)state;
	struct pd_arena *a = pd_arena_new();
	struct step s;
	int64_t mon = at(2026, 11, 23, 10);
	assert_int_equal(run(SUBMIT, &a_actor, mon, NULL, 0, NULL, &s), PD_OK);
	char id[37];
	memcpy(id, s.out, sizeof id);
	struct stale_step st_step = {id, mon + 30 * 86400000LL};
	assert_int_equal(pd_store_write(st, stale_claim_tx, &st_step), PD_OK);
	struct pd_application app;
	load(&off1, id, a, &app);
	assert_int_equal(app.status, PD_APP_PROCESSING);
	assert_true(app.overdue);
	/* The job's next run finds it flagged already: no second flag (the job's own event was not
	 * written here, so the timeline holds none). */
	int64_t n = -1;
	assert_int_equal(pd_application_mark_overdue(st, st_step.job_ms + 1000, &n), PD_OK);
	load(&off1, id, a, &app);
	for (int i = 0; i < app.n_events; i++)
		assert_string_not_equal(app.events[i].kind, "overdue");
	/* A returned application is never flagged, even by a job that listed it before. */
	assert_int_equal(run(RETURN, &off1, mon + 1000, id, 0, "Lengkapi.", NULL), PD_OK);
	load(&off1, id, a, &app);
	assert_false(app.overdue); /* the clock paused: the flag is cleared */
	assert_int_equal(pd_store_write(st, flag_tx, &st_step), PD_OK);
	pd_arena_free(a);
}

/* An officer who applied as a citizen neither works nor is given their own application. */
static void test_no_one_works_their_own_case(void **state)
{
	(void)state;
	struct step s;
	int64_t mon = at(2026, 11, 23, 10);
	assert_int_equal(run(SUBMIT, &off1, mon, NULL, 0, NULL, &s), PD_OK);
	char id[37];
	memcpy(id, s.out, sizeof id);
	assert_int_equal(run(CLAIM, &off1, mon, id, 0, NULL, NULL), PD_ERR_FORBIDDEN);
	assert_int_equal(run(ASSIGN, &sup, mon, id, 0, officer1, NULL), PD_ERR_INVALID);
	assert_int_equal(run(ASSIGN, &sup, mon, id, 0, officer2, NULL), PD_OK);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_pause_rule),
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_machine_and_clock),
		cmocka_unit_test(test_queue_filters_and_pages),
		cmocka_unit_test(test_assisted_and_attach),
		cmocka_unit_test(test_overdue_flag_survives_a_stale_step),
		cmocka_unit_test(test_no_one_works_their_own_case),
	};
	int failed = cmocka_run_group_tests_name("pure", pure, NULL, NULL);
	return failed + cmocka_run_group_tests_name("store", tests, setup, teardown);
}
