/* The demo's Musrenbang for next year: the three villages of Kecamatan Sukamaju Kota went
 * through proposals, verification, voting and ranking; their top items were carried up to the
 * district round, which voted and ranked them too, and its top item went on to the regency round
 * (now in verification) — a regency item that traces back to a village proposal. Desa Cibening and
 * Desa Sindangwangi are voting now (Andi Saputra, warga2, lives in Cibening). Made with the
 * domain's own functions, the steps dated in the past. */
#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "domain/demo.h"
#include "domain/musrenbang.h"

#define DAY_MS 86400000LL

static const struct {
	const char *title, *location, *beneficiaries;
	int64_t cost;
} IDEAS[] = {
	{"Perbaikan jalan lingkungan", "Jalan Melati RT 02 RW 01", "Sekitar 120 keluarga dan pengguna jalan", 85000000},
	{"Saluran drainase", "Gang Kenanga RT 03 RW 02", "Warga yang rumahnya tergenang saat hujan", 60000000},
	{"Posyandu baru", "Tanah kas desa dekat balai desa", "Balita dan ibu hamil", 120000000},
	{"Lampu penerangan jalan", "Jalan utama desa", "Pengguna jalan malam hari", 35000000},
	{"Sumur bor air bersih", "RW 04", "Sekitar 80 keluarga yang kekurangan air", 70000000},
	{"Pelatihan usaha pemuda", "Balai desa", "Pemuda putus sekolah", 25000000},
};
#define N_IDEAS (sizeof IDEAS / sizeof IDEAS[0])

struct demo {
	const struct pd_demo_people *people;
	struct pd_actor sys;
	int64_t now;
	int year;
};

struct step {
	struct demo *d;
	int kind;  /* 0 create, 1 propose, 2 verify, 3 advance, 4 cast, 5 carry */
	const struct pd_actor *actor;
	int64_t at;
	struct pd_mus_round_new rn;
	struct pd_mus_proposal_new pn;
	const char *id;
	bool feasible;
	int64_t cost;
	const char *const *ids;
	int n;
	char out[37];
	struct pd_app_errors errs;
};

static int step_tx(struct pd_tx *tx, void *p)
{
	struct step *s = p;
	struct pd_app_ctx c = {.actor = s->actor, .now_ms = s->at, .quiet = true};
	char cost[24];
	bool replaced;
	int n;
	memset(&s->errs, 0, sizeof s->errs);
	switch (s->kind) {
	case 0:
		return pd_mus_round_create(tx, &c, &s->rn, &s->errs, s->out);
	case 1:
		return pd_mus_propose(tx, &c, s->id, &s->pn, &s->errs, s->out);
	case 2:
		snprintf(cost, sizeof cost, "%lld", (long long)s->cost);
		return pd_mus_verify(tx, &c, s->id, s->feasible ? "ya" : "tidak", cost,
		                     s->feasible ? "Sesuai kewenangan dan sudah dicek di lapangan."
		                                 : "Bukan kewenangan desa; diteruskan ke dinas terkait.",
		                     &s->errs);
	case 3:
		return pd_mus_round_advance(tx, &c, s->id, 0);
	case 4:
		return pd_mus_cast(tx, &c, s->id, s->ids, s->n, &s->errs, &replaced);
	case 5:
		return pd_mus_carry_up(tx, &c, s->id, &n);
	}
	return PD_ERR_INVALID;
}

static int run(struct pd_store *st, struct step *s, const char *what)
{
	int rc = pd_store_write(st, step_tx, s);
	if (rc && !(s->kind == 4 && s->n == 2 && rc == PD_ERR_INVALID))  /* retried with one item */
		pd_log(PD_LOG_ERROR, "demo_musrenbang_failed", "step=%s rc=%s field=%s", what,
		       pd_strerror(rc), s->errs.n ? s->errs.field[0] : "-");
	return rc;
}

/* Dates of a round whose phases end at base + offsets (days). */
static int create(struct pd_store *st, struct demo *d, const char *unit, const char *title,
                  int64_t budget, int64_t carry, int64_t base, char id[37])
{
	struct step s = {.d = d, .kind = 0, .actor = &d->sys, .at = base - 40 * DAY_MS};
	s.rn = (struct pd_mus_round_new){unit, title, d->year, budget, carry,
	                                 base, base + 10 * DAY_MS, base + 20 * DAY_MS,
	                                 base + 30 * DAY_MS};
	int rc = run(st, &s, "create");
	if (!rc)
		memcpy(id, s.out, 37);
	return rc;
}

static int advance(struct pd_store *st, struct demo *d, const char *id, int64_t at)
{
	struct step s = {.d = d, .kind = 3, .actor = &d->sys, .at = at, .id = id};
	return run(st, &s, "advance");
}

/* Residents of a village among the demo's citizens, as actors (at most max). */
static int residents(struct demo *d, const char *village, struct pd_actor *out, int max)
{
	int n = 0;
	for (size_t i = 0; i < d->people->n && n < max; i++) {
		const struct pd_demo_person *p = &d->people->p[i];
		/* Generated residents only: the accounts of demo-accounts.txt cast their own. */
		if (strcmp(p->role, "citizen") == 0 && p->unit && strcmp(p->unit, village) == 0 &&
		    p->nik[0] && strstr(p->email, "@warga."))
			out[n++] = (struct pd_actor){.account_id = p->id, .kind = PD_ACCOUNT_CITIZEN,
			                             .email_verified = true};
	}
	return n;
}

/* A village round: proposals, verification, voting (base is the end of proposals); taken to
 * ranking when finish. */
static int village(struct pd_store *st, struct demo *d, const char *slug, const char *name,
                   int64_t base, bool finish, int seed)
{
	char rid[37], pids[4][37];
	struct pd_actor people[12];
	int n_people = residents(d, slug, people, 12);
	if (n_people < 2)
		return PD_OK;
	char title[160];
	snprintf(title, sizeof title, "Musrenbang %s %d", name, d->year);
	int rc = create(st, d, slug, title, 150000000, 1, base, rid);
	for (int k = 0; !rc && k < 4; k++) {
		const size_t idea = (size_t)(seed + k) % N_IDEAS;
		struct step s = {.d = d, .kind = 1, .actor = &people[k % n_people],
		                 .at = base - (20 - k) * DAY_MS, .id = rid};
		char cost[24];
		snprintf(cost, sizeof cost, "%lld", (long long)IDEAS[idea].cost);
		s.pn = (struct pd_mus_proposal_new){IDEAS[idea].title, IDEAS[idea].location,
		                                    IDEAS[idea].beneficiaries, cost, NULL};
		if (!(rc = run(st, &s, "propose")))
			memcpy(pids[k], s.out, 37);
		if (!rc) {
			struct step v = {.d = d, .kind = 2, .actor = &d->sys, .at = base + DAY_MS,
			                 .id = pids[k], .feasible = k != 3,
			                 .cost = IDEAS[idea].cost - 5000000};
			rc = run(st, &v, "verify");
		}
	}
	rc = rc ? rc : advance(st, d, rid, base + 2 * DAY_MS);
	rc = rc ? rc : advance(st, d, rid, base + 10 * DAY_MS + 1);
	/* Ballots: each resident picks one or two items that fit in the budget. */
	for (int i = 0; !rc && i < n_people; i++) {
		const char *ids[2] = {pids[(i + seed) % 3], pids[(i + seed + 1) % 3]};
		int n = i % 3 == 0 ? 1 : 2;
		struct step s = {.d = d, .kind = 4, .actor = &people[i], .at = base + 11 * DAY_MS + i * 3600000LL,
		                 .id = rid, .ids = ids, .n = n};
		rc = run(st, &s, "cast");
		if (rc == PD_ERR_INVALID) {
			s.n = 1;  /* the two did not fit: the first alone */
			rc = run(st, &s, "cast");
		}
	}
	if (!rc && finish)
		rc = advance(st, d, rid, base + 20 * DAY_MS + 1);
	return rc;
}

int pd_demo_musrenbang(struct pd_store *st, const struct pd_config *cfg,
                       const struct pd_demo_people *people)
{
	(void)cfg;
	struct demo d = {.people = people, .sys = {.account_id = "demo", .system = true}, .now = pd_clock_now_ms()};
	int y, m, dd;
	pd_civil_from_day((int32_t)(d.now / DAY_MS), &y, &m, &dd);
	d.year = y + 1;
	/* Kecamatan Sukamaju Kota's villages: done 70 days ago; then the district and regency. */
	int64_t past = d.now - 120 * DAY_MS;
	int rc = village(st, &d, "kel-sukamaju", "Kelurahan Sukamaju", past, true, 0);
	rc = rc ? rc : village(st, &d, "kel-pasarbaru", "Kelurahan Pasarbaru", past, true, 1);
	rc = rc ? rc : village(st, &d, "desa-mekarsari", "Desa Mekarsari", past, true, 2);
	char dist[37], reg[37];
	int64_t dbase = d.now - 60 * DAY_MS;
	rc = rc ? rc : create(st, &d, "kec-sukamaju-kota", "Musrenbang Kecamatan Sukamaju Kota", 400000000, 1, dbase, dist);
	if (!rc) {
		struct step s = {.d = &d, .kind = 5, .actor = &d.sys, .at = dbase - DAY_MS, .id = dist};
		rc = run(st, &s, "carry");
	}
	if (!rc) {
		/* Verify the carried items, vote with the district's residents, rank. */
		struct pd_mus_round_view v;
		struct pd_arena *a = pd_arena_new();
		rc = a ? pd_mus_round_get(st, &d.sys, dist, dbase, a, &v) : PD_ERR_NOMEM;
		for (int i = 0; !rc && i < v.n_proposals; i++) {
			struct step s = {.d = &d, .kind = 2, .actor = &d.sys, .at = dbase + DAY_MS,
			                 .id = v.proposals[i].id, .feasible = true,
			                 .cost = v.proposals[i].est_cost};
			rc = run(st, &s, "verify_district");
		}
		rc = rc ? rc : advance(st, &d, dist, dbase + 2 * DAY_MS);
		rc = rc ? rc : advance(st, &d, dist, dbase + 10 * DAY_MS + 1);
		static const char *const vs[] = {"kel-sukamaju", "kel-pasarbaru", "desa-mekarsari"};
		for (size_t k = 0; !rc && k < 3; k++) {
			struct pd_actor ps[6];
			int n = residents(&d, vs[k], ps, 6);
			for (int i = 0; !rc && i < n && v.n_proposals > 0; i++) {
				const char *ids[1] = {v.proposals[(i + (int)k) % v.n_proposals].id};
				struct step s = {.d = &d, .kind = 4, .actor = &ps[i], .at = dbase + 12 * DAY_MS,
				                 .id = dist, .ids = ids, .n = 1};
				rc = run(st, &s, "cast_district");
			}
		}
		rc = rc ? rc : advance(st, &d, dist, dbase + 20 * DAY_MS + 1);
		pd_arena_free(a);
	}
	int64_t rbase = d.now + 10 * DAY_MS;
	rc = rc ? rc : create(st, &d, "sukamaju", "Musrenbang Kabupaten Sukamaju", 2000000000, 0, rbase, reg);
	if (!rc) {
		struct step s = {.d = &d, .kind = 5, .actor = &d.sys, .at = d.now - DAY_MS, .id = reg};
		rc = run(st, &s, "carry_regency");
	}
	rc = rc ? rc : advance(st, &d, reg, d.now - 1000);
	/* Voting now in two villages of Kecamatan Cibening. */
	int64_t open = d.now - 12 * DAY_MS;
	rc = rc ? rc : village(st, &d, "desa-cibening", "Desa Cibening", open, false, 3);
	rc = rc ? rc : village(st, &d, "desa-sindangwangi", "Desa Sindangwangi", open, false, 4);
	if (!rc)
		printf("pendopo: demo Musrenbang %d added (3 village rounds ranked and carried up to the "
		       "district and the regency; 2 villages voting now)\n", d.year);
	return rc;
}
