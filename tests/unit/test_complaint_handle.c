/* Unit tests of complaint handling over a real store: the suggested unit (a district branch of
 * the category's agency), the access rules of each step (another unit's officer NOT_FOUND, a
 * role that may see but not act FORBIDDEN), a stale version losing (PD_ERR_CONFLICT), the
 * paused clock moving the due date on by the working days waited, the public copy refused while
 * it holds a NIK, reopen once, and the escalation job escalating once and notifying the
 * supervisor. SQLite in a temporary directory, or PD_TEST_DB. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <limits.h>
#include <sodium.h>
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
#include "domain/complaint_handle.h"
#include "domain/keys.h"
#include "domain/mail.h"
#include "domain/unit.h"
#include "store/account_store.h"
#include "store/complaint_store.h"
#include "store/store.h"

#define H (3600LL * 1000)
#define D (24 * H)

/* 2026-11-23 is a Monday. */
static int64_t at(int y, int m, int d, int hour_wib)
{
	return (int64_t)pd_civil_day(y, m, d) * D + (hour_wib - 7) * H;
}

static char dir[256];
static struct pd_config cfg;
static struct pd_store *st;
static struct pd_keyset *ks;
static struct pd_calendar *cal;
static char reporter[37], coord_id[37], dlh_id[37], dinkes_id[37], sup_id[37];
static char root_path[512], dlh_path[512], dinkes_path[512];
static struct pd_grant g_coord, g_dlh, g_dinkes, g_sup;
static struct pd_actor rep, coord, dlh, dinkes, sup, sys;

static int add_account(struct pd_tx *tx, char *id, const char *kind)
{
	unsigned char raw[PD_CRYPTO_KEY_BYTES];
	struct pd_buf wrapped;
	pd_buf_init(&wrapped, 256);
	pd_uuid7(id);
	int rc = pd_crypto_subject_key_new(ks, id, raw, &wrapped);
	sodium_memzero(raw, sizeof raw);
	struct pd_account_row row = {.id = id, .kind = kind, .password_hash = "",
	                             .subject_key = {wrapped.data, wrapped.len}, .created_ms = 1};
	if (!rc && pd_store_account_insert(tx, &row) <= 0)
		rc = pd_tx_error(tx);
	pd_buf_free(&wrapped);
	return rc;
}

static int add_citizen_tx(struct pd_tx *tx, void *arg)
{
	return add_account(tx, arg, "citizen");
}

static int add_staff_tx(struct pd_tx *tx, void *arg)
{
	return add_account(tx, arg, "staff");
}

struct grant_arg {
	const char *account, *role, *unit_slug;
};

static int grant_tx(struct pd_tx *tx, void *p)
{
	struct grant_arg *g = p;
	struct pd_unit_view v;
	if (pd_unit_view(st, g->unit_slug, NULL, 1, pd_tx_arena(tx), &v))
		return PD_ERR_NOT_FOUND;
	return pd_store_grant_insert(tx, g->account, g->role, v.unit.id, 1) < 0 ? PD_ERR_DB : PD_OK;
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

static void staff(struct pd_actor *a, const char *id, struct pd_grant *g, enum pd_role role,
                  const char *path)
{
	*g = (struct pd_grant){role, "u", path, "s"};
	*a = (struct pd_actor){.account_id = id, .kind = PD_ACCOUNT_STAFF, .email_verified = true,
	                       .grants = g, .n_grants = 1};
}

static int category_tx(struct pd_tx *tx, void *p)
{
	struct pd_app_ctx c = {.actor = &sys, .ks = ks, .now_ms = at(2026, 11, 1, 10), .quiet = true};
	return pd_complaint_category_add(tx, &c, "sampah", "Sampah", "", "dlh", 5, "", NULL);
}

static int setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	pd_log_set_level(PD_LOG_ERROR);
	snprintf(dir, sizeof dir, "/tmp/pd-cmh-XXXXXX");
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
	struct pd_unit_new units[] = {
		{"uji", "Kabupaten Uji", "regency", NULL, "99.99"},
		{"dlh", "Dinas Lingkungan Hidup", "agency", "uji", NULL},
		{"dinkes", "Dinas Kesehatan", "agency", "uji", NULL},
		{"kec-uji", "Kecamatan Uji", "district", "uji", "99.99.01"},
		{"dlh-kec-uji", "UPT Lingkungan Hidup Kecamatan Uji", "agency", "kec-uji", NULL},
		{"desa-uji", "Desa Uji", "village", "kec-uji", "99.99.01.2001"},
		{"kec-lain", "Kecamatan Lain", "district", "uji", "99.99.02"},
		{"desa-lain", "Desa Lain", "village", "kec-lain", "99.99.02.2001"},
	};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (pd_unit_add(st, "system", &units[i], NULL, err, sizeof err)) {
			fprintf(stderr, "unit: %s\n", err);
			return -1;
		}
	path_of("uji", root_path, sizeof root_path);
	path_of("dlh", dlh_path, sizeof dlh_path);
	path_of("dinkes", dinkes_path, sizeof dinkes_path);
	sys = (struct pd_actor){.account_id = "system", .system = true};
	if (pd_store_write(st, add_citizen_tx, reporter))
		return -1;
	char *ids[] = {coord_id, dlh_id, dinkes_id, sup_id};
	for (int i = 0; i < 4; i++)
		if (pd_store_write(st, add_staff_tx, ids[i]))
			return -1;
	struct grant_arg grants[] = {{coord_id, "coordinator", "uji"}, {dlh_id, "officer", "dlh"},
	                             {dinkes_id, "officer", "dinkes"}, {sup_id, "supervisor", "uji"}};
	for (int i = 0; i < 4; i++)
		if (pd_store_write(st, grant_tx, &grants[i]))
			return -1;
	if (pd_store_write(st, category_tx, NULL))
		return -1;
	rep = (struct pd_actor){.account_id = reporter, .kind = PD_ACCOUNT_CITIZEN,
	                        .email_verified = true};
	staff(&coord, coord_id, &g_coord, PD_ROLE_COORDINATOR, root_path);
	staff(&dlh, dlh_id, &g_dlh, PD_ROLE_OFFICER, dlh_path);
	staff(&dinkes, dinkes_id, &g_dinkes, PD_ROLE_OFFICER, dinkes_path);
	staff(&sup, sup_id, &g_sup, PD_ROLE_SUPERVISOR, root_path);
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
	pd_mail_set_keys(NULL);
	pd_store_close(st);
	pd_keyset_free(ks);
	pd_calendar_free(cal);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

/* --- steps as the pages run them ----------------------------------------------------------- */

enum op { FILE_, DISPOSE, ASK, REPLY, ANSWER, CONFIRM, REOPEN, PUBLIC, HAND_ON, ESCALATE };

struct step {
	enum op op;
	const struct pd_actor *actor;
	int64_t now;
	const char *id;
	int64_t version;
	const char *a1, *a2;
	const char *tracking;
	struct pd_app_errors errs;
	struct pd_complaint_filed filed;
	int64_t n;
};

static int step_tx(struct pd_tx *tx, void *p)
{
	struct step *s = p;
	struct pd_app_ctx c = {s->actor, ks, cal, "https://pendopo.example", s->now, false};
	memset(&s->errs, 0, sizeof s->errs);
	switch (s->op) {
	case FILE_: {
		struct pd_complaint_input in = {.channel = "web", .category_code = "sampah",
		                                .title = "Sampah menumpuk", .text = s->a1,
		                                .village_slug = s->a2, .visibility = PD_CMP_PUBLIC};
		return pd_complaint_file(tx, &c, &in, &s->errs, &s->filed);
	}
	case DISPOSE:
		return pd_complaint_dispose(tx, &c, s->id, s->version, s->a1, s->a2, &s->errs);
	case ASK:
		return pd_complaint_ask_info(tx, &c, s->id, s->version, s->a1, &s->errs);
	case REPLY:
		return pd_complaint_reporter_reply(tx, &c, s->tracking, NULL, s->a1, &s->errs);
	case ANSWER:
		return pd_complaint_answer(tx, &c, s->id, s->version, s->a1, &s->errs);
	case CONFIRM:
		return pd_complaint_confirm(tx, &c, s->tracking, NULL);
	case REOPEN:
		return pd_complaint_reopen(tx, &c, s->tracking, NULL, s->a1, &s->errs);
	case PUBLIC:
		return pd_complaint_approve_public(tx, &c, s->id, s->version, s->a1, s->a2, &s->errs);
	case HAND_ON:
		return pd_complaint_hand_on(tx, &c, s->id, s->version, s->a1, s->a2, &s->errs);
	case ESCALATE:
		return pd_complaint_escalate_due(tx, &c, s->now, 100, &s->n);
	}
	return PD_ERR_INVALID;
}

static int run(struct step *s)
{
	return pd_store_write(st, step_tx, s);
}

struct row_arg {
	const char *id;
	struct pd_cmp_row r;
	struct pd_arena *a;
};

static int row_tx(struct pd_tx *tx, void *p)
{
	struct row_arg *ra = p;
	return pd_store_cmp_by_id(tx, ra->id, ra->a, &ra->r) == PD_QS_ONE ? PD_OK : PD_ERR_NOT_FOUND;
}

static struct pd_cmp_row load(struct pd_arena *a, const char *id)
{
	struct row_arg ra = {id, {0}, a};
	assert_int_equal(pd_store_read(st, row_tx, &ra), PD_OK);
	return ra.r;
}

static void file(const char *text, const char *village, int64_t now, char id[37], char trk[16])
{
	struct step s = {FILE_, &rep, now, .a1 = text, .a2 = village};
	assert_int_equal(run(&s), PD_OK);
	memcpy(id, s.filed.id, 37);
	memcpy(trk, s.filed.tracking, 11);
}

static void test_suggest(void **state)
{
	(void)state;
	char id[37], trk[16], id2[37], trk2[16];
	file("Sampah di TPS desa.", "desa-uji", at(2026, 11, 23, 10), id, trk);
	file("Sampah di pasar.", "desa-lain", at(2026, 11, 23, 10), id2, trk2);
	struct pd_arena *a = pd_arena_new();
	const char *slug, *name;
	assert_int_equal(pd_complaint_suggest_unit(st, id, a, &slug, &name), PD_OK);
	assert_string_equal(slug, "dlh-kec-uji"); /* the district's branch of the agency */
	assert_int_equal(pd_complaint_suggest_unit(st, id2, a, &slug, &name), PD_OK);
	assert_string_equal(slug, "dlh"); /* no branch there: the category's unit */
	pd_arena_free(a);
}

static void test_steps_access_and_clock(void **state)
{
	(void)state;
	struct pd_arena *a = pd_arena_new();
	char id[37], trk[16];
	file("Sampah menumpuk seminggu.", "desa-uji", at(2026, 11, 23, 10), id, trk);
	/* The unit may not route; another unit sees nothing; a citizen sees nothing. */
	struct step s = {DISPOSE, &dlh, at(2026, 11, 23, 11), id, .version = 1, .a1 = "dlh"};
	assert_int_equal(run(&s), PD_ERR_FORBIDDEN);
	s.actor = &dinkes;
	assert_int_equal(run(&s), PD_ERR_NOT_FOUND);
	s.actor = &rep;
	assert_int_equal(run(&s), PD_ERR_NOT_FOUND);
	struct pd_complaint_staff view;
	assert_int_equal(pd_complaint_get(st, ks, &dinkes, id, a, &view), PD_ERR_NOT_FOUND);
	assert_int_equal(pd_complaint_get(st, ks, &dlh, id, a, &view), PD_OK);
	assert_string_equal(view.c.text, "Sampah menumpuk seminggu.");
	assert_false(view.may_route);
	assert_true(view.may_work);

	/* Monday: asked for information; the reporter replies on Thursday (3 working days). */
	struct step ask = {ASK, &coord, at(2026, 11, 23, 12), id, 1, .a1 = "Di mana tepatnya?"};
	assert_int_equal(run(&ask), PD_OK);
	struct pd_cmp_row r = load(a, id);
	int64_t due0 = r.due_ms;
	assert_string_equal(r.status, "needs_info");
	assert_true(r.paused_since_ms > 0);
	struct step reply = {REPLY, &rep, at(2026, 11, 26, 10), .tracking = trk, .a1 = ""};
	assert_int_equal(run(&reply), PD_ERR_INVALID);
	assert_non_null(pd_app_error_for(&reply.errs, "text"));
	reply.a1 = "Di depan pasar.";
	assert_int_equal(run(&reply), PD_OK);
	r = load(a, id);
	assert_string_equal(r.status, "new");
	assert_int_equal(pd_calendar_day_of(cal, r.due_ms),
	                 pd_calendar_add_working(cal, pd_calendar_day_of(cal, due0), 3));
	/* A stale version loses; nothing is written. */
	s = (struct step){DISPOSE, &coord, at(2026, 11, 26, 11), id, 2, .a1 = "dlh"};
	assert_int_equal(run(&s), PD_ERR_CONFLICT);
	assert_int_equal(load(a, id).version, 3);
	s.a1 = "desa-uji"; /* a village is no destination */
	s.version = 3;
	assert_int_equal(run(&s), PD_ERR_INVALID);
	assert_non_null(pd_app_error_for(&s.errs, "unit"));
	s.a1 = "dlh";
	assert_int_equal(run(&s), PD_OK);
	r = load(a, id);
	assert_string_equal(r.status, "dispositioned");
	assert_string_equal(r.unit_path, dlh_path);
	/* 5 working days from Thursday 26 November: Thursday 3 December. */
	assert_int_equal(pd_calendar_day_of(cal, r.due_ms), pd_civil_day(2026, 12, 3));
	/* The coordinator may not answer; the unit answers; confirm once; reopen refused after. */
	struct step ans = {ANSWER, &coord, at(2026, 11, 27, 10), id, 4, .a1 = "Sudah diangkut."};
	assert_int_equal(run(&ans), PD_ERR_FORBIDDEN);
	ans.actor = &dlh;
	assert_int_equal(run(&ans), PD_OK);
	struct step reopen = {REOPEN, &rep, at(2026, 11, 30, 10), .tracking = trk, .a1 = "Belum."};
	assert_int_equal(run(&reopen), PD_OK);
	assert_string_equal(load(a, id).status, "reopened");
	assert_int_equal(load(a, id).reopen_count, 1);
	ans.version = 6;
	ans.now = at(2026, 12, 1, 10);
	assert_int_equal(run(&ans), PD_OK);
	assert_int_equal(run(&reopen), PD_ERR_CONFLICT); /* once only */
	struct step confirm = {CONFIRM, &rep, at(2026, 12, 2, 10), .tracking = trk};
	assert_int_equal(run(&confirm), PD_OK);
	assert_int_equal(run(&confirm), PD_ERR_CONFLICT);
	struct step stranger = {CONFIRM, &dlh, at(2026, 12, 2, 10), .tracking = trk};
	assert_int_equal(run(&stranger), PD_ERR_NOT_FOUND);
	pd_arena_free(a);
}

static void test_public_copy(void **state)
{
	(void)state;
	struct pd_arena *a = pd_arena_new();
	char id[37], trk[16];
	file("Petugas NIK 3219015708900001 kasar.", "desa-uji", at(2026, 11, 23, 10), id, trk);
	struct pd_cmp_row r = load(a, id);
	assert_true(r.held);
	assert_false(r.published);
	struct step p = {PUBLIC, &coord, at(2026, 11, 23, 11), id, 1, .a1 = "Petugas kasar",
	                 .a2 = "Petugas NIK 3219 0157 0890 0001 kasar."};
	assert_int_equal(run(&p), PD_ERR_INVALID);
	assert_non_null(pd_app_error_for(&p.errs, "public_text"));
	p.actor = &dinkes;
	assert_int_equal(run(&p), PD_ERR_NOT_FOUND);
	p.actor = &dlh; /* the unit's officer may check it too */
	p.a2 = "Seorang petugas bersikap kasar.";
	assert_int_equal(run(&p), PD_OK);
	r = load(a, id);
	assert_false(r.held);
	assert_true(r.published);
	assert_string_equal(r.public_text, "Seorang petugas bersikap kasar.");
	pd_arena_free(a);
}

static void test_escalation_once(void **state)
{
	(void)state;
	struct pd_arena *a = pd_arena_new();
	char id[37], trk[16];
	file("Sampah belum diangkut.", "desa-uji", at(2026, 11, 2, 10), id, trk);
	struct step d = {DISPOSE, &coord, at(2026, 11, 2, 11), id, 1, .a1 = "dlh"};
	assert_int_equal(run(&d), PD_OK);
	/* The earlier tests' complaints are past due too: run until this one is escalated. */
	struct step e = {.op = ESCALATE, .actor = &sys, .now = at(2026, 11, 20, 10)};
	assert_int_equal(run(&e), PD_OK);
	assert_true(e.n >= 1);
	struct pd_cmp_row r = load(a, id);
	assert_true(r.overdue);
	assert_int_equal(r.escalated_ms, at(2026, 11, 20, 10));
	e.now = at(2026, 11, 20, 11);
	assert_int_equal(run(&e), PD_OK);
	assert_int_equal(e.n, 0); /* never twice */
	int64_t overdue = 0;
	assert_int_equal(pd_complaint_count_overdue(st, &overdue), PD_OK);
	assert_true(overdue >= 1);
	struct pd_complaint_notification notes[PD_COMPLAINT_QUEUE_MAX];
	int n = 0;
	assert_int_equal(pd_complaint_notifications(st, &sup, a, notes, PD_COMPLAINT_QUEUE_MAX, &n),
	                 PD_OK);
	bool found = false;
	for (int i = 0; i < n; i++)
		if (strcmp(notes[i].complaint_id, id) == 0 && strcmp(notes[i].kind, "escalated") == 0)
			found = true;
	assert_true(found);
	/* A hand-on gives a fresh deadline and clears the flag. */
	struct step h = {HAND_ON, &dlh, at(2026, 11, 20, 12), id, r.version, .a1 = "dinkes",
	                 .a2 = "Bukan wewenang."};
	assert_int_equal(run(&h), PD_OK);
	r = load(a, id);
	assert_false(r.overdue);
	assert_int_equal(r.escalated_ms, 0);
	assert_string_equal(r.unit_path, dinkes_path);
	pd_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_steps_access_and_clock),
		cmocka_unit_test(test_public_copy),
		cmocka_unit_test(test_escalation_once),
	};
	return cmocka_run_group_tests_name("store", tests, setup, teardown);
}
