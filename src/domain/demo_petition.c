/* The demo's petitions: a small threshold on the regency, and two petitions by demo citizens
 * approved by the demo moderator — one signed past its threshold (the unit is obliged to
 * answer), one still collecting — made with the domain's own functions over the last days. */
#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "domain/calendar.h"
#include "domain/demo.h"
#include "domain/keys.h"
#include "domain/petition.h"
#include "store/unit_store.h"

#define DAY_MS 86400000LL
#define DEMO_THRESHOLD "5"
#define DEMO_ANSWER_DAYS "10"
#define SIGNERS_MAX 12

static const struct {
	const char *unit, *title, *body, *ask;
	int signers;
} PETITIONS[] = {
	{"dpupr", "Perbaiki jalan penghubung Cibening - Sindangwangi",
	 "Jalan penghubung antara Desa Cibening dan Desa Sindangwangi rusak berat sejak musim hujan. "
	 "Anak sekolah dan pedagang pasar harus memutar sejauh 6 kilometer.",
	 "Kami meminta Dinas PUPR memasukkan perbaikan jalan ini dalam anggaran perubahan tahun ini.",
	 7},
	{"dlh", "Tambah tempat sampah terpilah di Pasar Sukamaju",
	 "Sampah di Pasar Sukamaju menumpuk di saluran air. Tempat sampah yang ada sedikit dan tidak terpilah.",
	 "Kami meminta Dinas Lingkungan Hidup menambah tempat sampah terpilah dan jadwal angkut harian.",
	 2},
};
#define N_PETITIONS (sizeof PETITIONS / sizeof PETITIONS[0])

struct demo {
	const struct pd_keyset *ks;
	const struct pd_calendar *cal;
	const struct pd_demo_people *people;
	int64_t now;
	struct pd_actor moderator;
	struct pd_grant grant;
};

static int fail(const char *what, int rc, const struct pd_app_errors *e)
{
	pd_log(PD_LOG_ERROR, "demo_petition_failed", "step=%s rc=%s field=%s", what, pd_strerror(rc),
	       e && e->n ? e->field[0] : "-");
	return rc ? rc : PD_ERR_INVALID;
}

static struct pd_actor citizen(const struct pd_demo_person *p)
{
	return (struct pd_actor){.account_id = p->id, .kind = PD_ACCOUNT_CITIZEN, .lang = "id",
	                         .email_verified = true};
}

static int all_tx(struct pd_tx *tx, void *arg)
{
	struct demo *d = arg;
	const struct pd_demo_person *mod = NULL, *cit[SIGNERS_MAX + 1];
	size_t n_cit = 0;
	for (size_t i = 0; i < d->people->n; i++) {
		const struct pd_demo_person *p = &d->people->p[i];
		if (!mod && strcmp(p->role, "moderator") == 0)
			mod = p;
		/* Authors: the sign-in citizens; signers: generated citizens (NIKs of their own), so
		 * the sign-in accounts can still sign the demo petitions themselves. */
		if (strcmp(p->role, "citizen") == 0 && p->nik[0] && n_cit < SIGNERS_MAX + 1)
			cit[n_cit++] = p;
	}
	struct pd_unit u;
	enum pd_qs qs = pd_store_unit_by_slug(tx, "sukamaju", NULL, &u);
	if (qs <= 0 || !mod || n_cit < 4)
		return PD_ERR_NOT_FOUND;
	d->grant = (struct pd_grant){PD_ROLE_MODERATOR, u.id, u.path, u.slug};
	d->moderator = (struct pd_actor){.account_id = mod->id, .kind = PD_ACCOUNT_STAFF, .lang = "id",
	                                 .email_verified = true, .grants = &d->grant, .n_grants = 1};
	struct pd_actor sys = {.system = true};
	struct pd_app_errors e;
	memset(&e, 0, sizeof e);
	struct pd_app_ctx c = {.actor = &sys, .ks = d->ks, .cal = d->cal, .now_ms = d->now - 12 * DAY_MS,
	                       .quiet = true};
	int rc = pd_petition_setting_set(tx, &c, "sukamaju", DEMO_THRESHOLD, DEMO_ANSWER_DAYS, &e);
	if (rc)
		return fail("setting", rc, &e);
	for (size_t k = 0; k < N_PETITIONS; k++) {
		int64_t t = d->now - (int64_t)(10 - k) * DAY_MS;
		struct pd_actor author = citizen(cit[k % 3]);
		c = (struct pd_app_ctx){.actor = &author, .ks = d->ks, .cal = d->cal, .now_ms = t,
		                        .quiet = true};
		struct pd_petition_input in = {PETITIONS[k].unit, PETITIONS[k].title, PETITIONS[k].body,
		                               PETITIONS[k].ask, "30", NULL};
		char id[37];
		rc = pd_petition_create(tx, &c, &in, &e, id);
		if (rc)
			return fail("create", rc, &e);
		c.actor = &d->moderator;
		c.now_ms = t + DAY_MS;
		rc = pd_petition_moderate(tx, &c, id, 0, true, NULL, &e);
		if (rc)
			return fail("approve", rc, &e);
		for (int s = 0; s < PETITIONS[k].signers && (size_t)(3 + s) < n_cit + 0; s++) {
			struct pd_actor signer = citizen(cit[3 + (s % (int)(n_cit - 3))]);
			c.actor = &signer;
			c.now_ms = t + (int64_t)(2 + s) * DAY_MS / 2;
			rc = pd_petition_sign(tx, &c, id, s % 2 == 0);
			if (rc)
				return fail("sign", rc, NULL);
		}
	}
	return PD_OK;
}

int pd_demo_petitions(struct pd_store *st, const struct pd_config *cfg,
                      const struct pd_demo_people *people)
{
	struct pd_keyset *ks = NULL;
	struct pd_calendar *cal = NULL;
	char err[512];
	int rc = pd_keys_startup(cfg, st, &ks, err, sizeof err);
	if (rc) {
		pd_log(PD_LOG_ERROR, "demo_keys_failed", "err=\"%s\"", err);
		return rc;
	}
	struct demo d;
	memset(&d, 0, sizeof d);
	rc = pd_calendar_from_store(st, cfg->tz_offset_min, &cal);
	if (rc)
		goto out;
	d.ks = ks;
	d.cal = cal;
	d.people = people;
	d.now = pd_clock_now_ms();
	rc = pd_store_write(st, all_tx, &d);
	if (!rc)
		printf("pendopo: demo petitions started (%zu, one past its threshold)\n", N_PETITIONS);
out:
	pd_calendar_free(cal);
	pd_keyset_free(ks);
	return rc;
}
