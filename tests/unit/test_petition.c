/* Unit tests of petitions against a real SQLite store (or PD_TEST_DB): moderation before
 * publication, one signature per NIK (the second refused by the unique index, a citizen
 * without a NIK refused, a NIK that cannot be bound to a second account), the unit's threshold
 * setting inherited down the tree, the obligation with its working-day due date, the answer by
 * the unit's own staff only, and the overdue flag with a later clock. */
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
#include "core/buf.h"
#include "core/calendar.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/err.h"
#include "core/log.h"
#include "core/uuid.h"
#include "domain/keys.h"
#include "domain/petition.h"
#include "domain/unit.h"
#include "store/account_store.h"
#include "store/store.h"

#define DAY_MS INT64_C(86400000)
#define HOUR_MS INT64_C(3600000)

static char dir[256];
static struct pd_config cfg;
static struct pd_store *st;
static struct pd_keyset *ks;
static struct pd_calendar *cal;
static char cit_a[37], cit_b[37], cit_c[37], mod_id[37], off_dlh[37], off_dinkes[37];
static char root_path[512], dlh_path[512], dinkes_path[512];
static struct pd_grant g_mod, g_dlh, g_dinkes;
static struct pd_actor a_actor, b_actor, c_actor, mod, offd, offk, sys;

static const char *NIK_A = "3219015708900021", *NIK_C = "3219015708900022";

struct acc_arg {
	char *id;
	const char *kind, *nik;
	bool verified;
};

static int add_account_tx(struct pd_tx *tx, void *p)
{
	struct acc_arg *x = p;
	unsigned char raw[PD_CRYPTO_KEY_BYTES], bidx[PD_CRYPTO_BLIND_BYTES];
	struct pd_buf wrapped;
	pd_buf_init(&wrapped, 256);
	pd_uuid7(x->id);
	int rc = pd_crypto_subject_key_new(ks, x->id, raw, &wrapped);
	sodium_memzero(raw, sizeof raw);
	struct pd_account_row row = {.id = x->id, .kind = x->kind, .password_hash = "",
	                             .subject_key = {wrapped.data, wrapped.len}, .created_ms = 1,
	                             .nik_verified = x->verified};
	if (!rc && x->nik) {
		rc = pd_crypto_blind_index(ks, "nik", x->nik, bidx);
		row.nik_bidx = (struct pd_blob){bidx, sizeof bidx};
		row.nik_district = "321901";
	}
	if (!rc && pd_store_account_insert(tx, &row) <= 0)
		rc = pd_tx_error(tx);
	pd_buf_free(&wrapped);
	return rc;
}

static int add_account(char *id, const char *kind, const char *nik, bool verified)
{
	struct acc_arg x = {id, kind, nik, verified};
	return pd_store_write(st, add_account_tx, &x);
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

static int setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	pd_log_set_level(PD_LOG_ERROR);
	snprintf(dir, sizeof dir, "/tmp/pd-pet-XXXXXX");
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
	cfg.tz_offset_min = 420;
	if (pd_keys_startup(&cfg, st, &ks, err, sizeof err)) {
		fprintf(stderr, "keys: %s\n", err);
		return -1;
	}
	struct pd_unit_new root = {"uji", "Kabupaten Uji", "regency", NULL, "99.99"};
	struct pd_unit_new dlh = {"dlh", "Dinas Lingkungan Hidup", "agency", "uji", NULL};
	struct pd_unit_new dinkes = {"dinkes", "Dinas Kesehatan", "agency", "uji", NULL};
	if (pd_unit_add(st, "system", &root, NULL, err, sizeof err) ||
	    pd_unit_add(st, "system", &dlh, NULL, err, sizeof err) ||
	    pd_unit_add(st, "system", &dinkes, NULL, err, sizeof err)) {
		fprintf(stderr, "unit: %s\n", err);
		return -1;
	}
	path_of("uji", root_path, sizeof root_path);
	path_of("dlh", dlh_path, sizeof dlh_path);
	path_of("dinkes", dinkes_path, sizeof dinkes_path);
	if (add_account(cit_a, "citizen", NIK_A, false) || add_account(cit_b, "citizen", NULL, false) ||
	    add_account(cit_c, "citizen", NIK_C, true) || add_account(mod_id, "staff", NULL, false) ||
	    add_account(off_dlh, "staff", NULL, false) || add_account(off_dinkes, "staff", NULL, false))
		return -1;
	a_actor = (struct pd_actor){.account_id = cit_a, .kind = PD_ACCOUNT_CITIZEN, .email_verified = true};
	b_actor = (struct pd_actor){.account_id = cit_b, .kind = PD_ACCOUNT_CITIZEN, .email_verified = true};
	c_actor = (struct pd_actor){.account_id = cit_c, .kind = PD_ACCOUNT_CITIZEN, .email_verified = true};
	staff(&mod, mod_id, &g_mod, PD_ROLE_MODERATOR, root_path);
	staff(&offd, off_dlh, &g_dlh, PD_ROLE_OFFICER, dlh_path);
	staff(&offk, off_dinkes, &g_dinkes, PD_ROLE_OFFICER, dinkes_path);
	sys = (struct pd_actor){.account_id = "system", .system = true};
	cal = pd_calendar_new(420);
	pd_calendar_mark_year(cal, 2026);
	return 0;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	(void)state;
	pd_store_close(st);
	pd_keyset_free(ks);
	pd_calendar_free(cal);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

/* --- steps run in their own write transactions -------------------------------------------- */

static int64_t T0; /* Monday 2 November 2026, 09:00 WIB */

struct step {
	const struct pd_actor *actor;
	int64_t now;
	int kind; /* 0 create, 1 moderate, 2 sign, 3 answer, 4 setting, 5 flag */
	const char *id, *text, *a1, *a2;
	bool flag;
	char out[37];
	int64_t n;
	struct pd_app_errors errs;
};

static int step_tx(struct pd_tx *tx, void *p)
{
	struct step *s = p;
	memset(&s->errs, 0, sizeof s->errs);
	struct pd_app_ctx c = {.actor = s->actor, .ks = ks, .cal = cal, .now_ms = s->now, .quiet = true};
	switch (s->kind) {
	case 0: {
		struct pd_petition_input in = {"dlh", s->text, "Isi petisi uji.", "Permintaan uji.", "30",
		                               NULL};
		return pd_petition_create(tx, &c, &in, &s->errs, s->out);
	}
	case 1:
		return pd_petition_moderate(tx, &c, s->id, 0, s->flag, s->text, &s->errs);
	case 2:
		return pd_petition_sign(tx, &c, s->id, s->flag);
	case 3:
		return pd_petition_answer(tx, &c, s->id, 0, s->text, &s->errs);
	case 4:
		return pd_petition_setting_set(tx, &c, s->text, s->a1, s->a2, &s->errs);
	default:
		return pd_petition_flag_overdue(tx, s->now, PD_PETITION_JOB_MAX, &s->n);
	}
}

static int run(struct step *s)
{
	return pd_store_write(st, step_tx, s);
}

static void get(const char *id, const struct pd_actor *actor, int want, struct pd_petition *p,
                struct pd_arena *a)
{
	assert_int_equal(pd_petition_get(st, ks, actor, id, a, p), want);
}

static void test_names(void **state)
{
	(void)state;
	for (int i = 0; i < PD_PETITION_STATUS__MAX; i++) {
		enum pd_petition_status s;
		assert_int_equal(pd_petition_status_parse(pd_petition_status_name(i), &s), PD_OK);
		assert_int_equal((int)s, i);
	}
	enum pd_petition_status s;
	assert_int_equal(pd_petition_status_parse("closed", &s), PD_ERR_INVALID);
	assert_null(pd_petition_status_name(PD_PETITION_STATUS__MAX));
}

static void test_full_flow(void **state)
{
	(void)state;
	T0 = (int64_t)pd_civil_day(2026, 11, 2) * DAY_MS + 2 * HOUR_MS;
	struct pd_arena *a = pd_arena_new();
	struct pd_petition p;

	/* The default threshold until a unit sets one; a setting on the regency reaches its agencies. */
	struct step set = {.actor = &offd, .now = T0, .kind = 4, .text = "uji", .a1 = "2", .a2 = "3"};
	assert_int_equal(run(&set), PD_ERR_NOT_FOUND); /* an officer configures nothing */
	set.actor = &sys;
	set.a1 = "0";
	assert_int_equal(run(&set), PD_ERR_INVALID);
	assert_string_equal(set.errs.field[0], "threshold");
	set.a1 = "2";
	assert_int_equal(run(&set), PD_OK);

	struct step cr = {.actor = &a_actor, .now = T0, .kind = 0, .text = "Taman kota bersih"};
	assert_int_equal(run(&cr), PD_OK);
	char id[37];
	memcpy(id, cr.out, sizeof id);
	/* Pending: only the author and the moderating staff see it. */
	get(id, NULL, PD_ERR_NOT_FOUND, &p, a);
	get(id, &c_actor, PD_ERR_NOT_FOUND, &p, a);
	get(id, &a_actor, PD_OK, &p, a);
	assert_int_equal(p.status, PD_PETITION_PENDING);
	assert_string_equal(p.title, "Taman kota bersih");
	/* Nobody signs a pending petition. */
	struct step sg = {.actor = &c_actor, .now = T0, .kind = 2, .id = id, .flag = true};
	assert_int_equal(run(&sg), PD_ERR_NOT_FOUND);

	/* Only a moderator approves; refusal needs a reason. */
	struct step md = {.actor = &offd, .now = T0 + HOUR_MS, .kind = 1, .id = id, .flag = true};
	assert_int_equal(run(&md), PD_ERR_FORBIDDEN);
	md.actor = &offk;
	assert_int_equal(run(&md), PD_ERR_NOT_FOUND);
	md.actor = &mod;
	md.flag = false;
	md.text = "";
	assert_int_equal(run(&md), PD_ERR_INVALID);
	md.flag = true;
	assert_int_equal(run(&md), PD_OK);
	assert_int_equal(run(&md), PD_ERR_CONFLICT);
	get(id, NULL, PD_OK, &p, a);
	assert_int_equal(p.status, PD_PETITION_OPEN);
	assert_int_equal(p.threshold, 2);
	assert_int_equal(p.answer_days, 3);
	assert_true(p.collecting);

	/* Signing: A once (self-declared NIK); twice refused; B has no NIK; staff do not sign. */
	sg = (struct step){.actor = &a_actor, .now = T0 + 2 * HOUR_MS, .kind = 2, .id = id, .flag = true};
	assert_int_equal(run(&sg), PD_OK);
	assert_int_equal(run(&sg), PD_ERR_CONFLICT);
	sg.actor = &b_actor;
	assert_int_equal(run(&sg), PD_ERR_FORBIDDEN);
	sg.actor = &mod;
	assert_int_equal(run(&sg), PD_ERR_FORBIDDEN);
	get(id, NULL, PD_OK, &p, a);
	assert_int_equal(p.n_self_declared, 1);
	assert_int_equal(p.n_verified, 0);
	assert_int_equal(p.reached_ms, 0);

	/* A second account cannot hold A's NIK (the account's unique blind index). */
	char twin[37];
	assert_int_equal(add_account(twin, "citizen", NIK_A, false), PD_ERR_CONFLICT);

	/* C (verified NIK) reaches the threshold: due 3 working days later, end of Thursday. */
	sg.actor = &c_actor;
	sg.flag = false;
	assert_int_equal(run(&sg), PD_OK);
	get(id, NULL, PD_OK, &p, a);
	assert_int_equal(p.n_verified, 1);
	assert_int_equal(p.n_self_declared, 1);
	assert_int_equal(p.reached_ms, T0 + 2 * HOUR_MS);
	int64_t thursday_end = ((int64_t)pd_civil_day(2026, 11, 5) + 1) * DAY_MS - 7 * HOUR_MS - 1;
	assert_int_equal(p.answer_due_ms, thursday_end);
	/* (names shown only by consent: covered over HTTP, these accounts hold no name) */

	/* Not overdue before the due date; flagged after it. */
	struct step fl = {.actor = &sys, .now = thursday_end, .kind = 5};
	assert_int_equal(run(&fl), PD_OK);
	assert_int_equal(fl.n, 0);
	fl.now = thursday_end + 1;
	assert_int_equal(run(&fl), PD_OK);
	assert_int_equal(fl.n, 1);
	assert_int_equal(run(&fl), PD_OK);
	assert_int_equal(fl.n, 0); /* once */
	get(id, NULL, PD_OK, &p, a);
	assert_true(p.overdue);

	/* Another unit's staff cannot answer; the unit's officer answers once (late: still flagged). */
	struct step an = {.actor = &offk, .now = T0 + 5 * DAY_MS, .kind = 3, .id = id, .text = "Jawab."};
	assert_int_equal(run(&an), PD_ERR_NOT_FOUND);
	an.actor = &offd;
	an.text = "";
	assert_int_equal(run(&an), PD_ERR_INVALID);
	an.text = "Tempat sampah ditambah.";
	assert_int_equal(run(&an), PD_OK);
	assert_int_equal(run(&an), PD_ERR_CONFLICT);
	get(id, NULL, PD_OK, &p, a);
	assert_int_equal(p.status, PD_PETITION_ANSWERED);
	assert_string_equal(p.answer, "Tempat sampah ditambah.");
	assert_true(p.overdue);

	/* The figures count it as answered late. */
	struct pd_pet_fig_row f[8];
	int n = 0;
	assert_int_equal(pd_petition_figures(st, a, f, 8, &n), PD_OK);
	assert_int_equal(n, 1);
	assert_int_equal(f[0].answered_late, 1);
	assert_int_equal(f[0].answered_on_time, 0);
	pd_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_full_flow),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
