/* The demo's information requests: about 40 requests by the demo's citizens to the regency's
 * units over the last three months, in every state (waiting, extended, overdue, answered with each
 * outcome, forwarded, objected, objection decided both ways), made with the domain's own
 * functions under quiet contexts. */
#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "domain/calendar.h"
#include "domain/demo.h"
#include "domain/inforeq.h"
#include "domain/keys.h"
#include "store/unit_store.h"

#define N_REQ 40
#define DAY_MS 86400000LL

static const char *const UNITS[] = {"diskominfo", "dinkes", "dpupr", "disdukcapil", "dlh",
                                    "dinsos", "kec-cibening", "sukamaju"};

static const struct {
	const char *subject, *details, *summary, *answer;
} TOPICS[] = {
	{"Anggaran perbaikan jalan desa 2026", "Rincian anggaran dan lokasi perbaikan jalan desa tahun 2026 per kecamatan.",
	 "Anggaran perbaikan jalan desa tahun 2026", "Daftar paket perbaikan jalan desa 2026 beserta pagu anggarannya dilampirkan."},
	{"Jadwal imunisasi puskesmas", "Jadwal imunisasi dasar di seluruh puskesmas untuk semester ini.",
	 "Jadwal imunisasi dasar di puskesmas", "Jadwal imunisasi dasar per puskesmas untuk semester berjalan."},
	{"Data penerima bantuan sosial per desa", "Jumlah penerima bantuan sosial per desa (tanpa nama).",
	 "Jumlah penerima bantuan sosial per desa", "Rekapitulasi jumlah penerima bantuan sosial per desa."},
	{"Hasil uji kualitas air sungai", "Hasil uji kualitas air Sungai Cibening tiga tahun terakhir.",
	 "Hasil uji kualitas air Sungai Cibening", "Laporan uji kualitas air tiga tahun terakhir."},
	{"Rencana tata ruang kecamatan", "Peta rencana tata ruang kecamatan yang berlaku.",
	 "Peta rencana tata ruang kecamatan", "Peta rencana tata ruang dapat dilihat di kantor dinas."},
	{"Realisasi belanja dinas 2025", "Laporan realisasi belanja dinas tahun anggaran 2025.",
	 "Realisasi belanja dinas tahun 2025", "Laporan realisasi belanja tahun 2025 dilampirkan."},
	{"Jumlah akta kelahiran terbit", "Jumlah akta kelahiran yang terbit per bulan tahun ini.",
	 "Jumlah akta kelahiran per bulan", "Rekap jumlah akta kelahiran per bulan."},
	{"Kontrak pengadaan laptop sekolah", "Salinan kontrak pengadaan laptop untuk sekolah dasar.",
	 "Kontrak pengadaan laptop sekolah", "Sebagian isi kontrak diberikan; data harga satuan pemasok dikecualikan."},
};
#define N_TOPICS (sizeof TOPICS / sizeof TOPICS[0])

/* The state a demo request is brought to. */
enum plan {
	PL_NEW, PL_EXTENDED, PL_OVERDUE, PL_GRANTED, PL_PARTLY, PL_REFUSED, PL_NOT_HELD,
	PL_FORWARDED, PL_OBJECTED, PL_UPHELD, PL_OVERTURNED, PL_LATE, PL__MAX
};
static const enum plan PLANS[N_REQ] = {
	PL_NEW, PL_GRANTED, PL_PARTLY, PL_REFUSED, PL_NOT_HELD, PL_FORWARDED, PL_EXTENDED,
	PL_OVERDUE, PL_OBJECTED, PL_UPHELD, PL_OVERTURNED, PL_LATE, PL_GRANTED, PL_GRANTED,
	PL_PARTLY, PL_NEW, PL_GRANTED, PL_NOT_HELD, PL_REFUSED, PL_GRANTED, PL_EXTENDED,
	PL_GRANTED, PL_LATE, PL_GRANTED, PL_OBJECTED, PL_PARTLY, PL_GRANTED, PL_UPHELD,
	PL_FORWARDED, PL_GRANTED, PL_NEW, PL_GRANTED, PL_OVERDUE, PL_GRANTED, PL_PARTLY,
	PL_GRANTED, PL_NOT_HELD, PL_GRANTED, PL_GRANTED, PL_GRANTED};

struct demo {
	const struct pd_keyset *ks;
	const struct pd_calendar *cal;
	const struct pd_demo_people *people;
	int64_t now;
	struct pd_actor ppid, superior;
	struct pd_grant ppid_grant, superior_grant;
	const char *citizens[16];
	int n_citizens;
	int counts[PL__MAX];
};

static struct pd_app_ctx ctx(const struct demo *d, const struct pd_actor *a, int64_t t)
{
	return (struct pd_app_ctx){.actor = a, .ks = d->ks, .cal = d->cal, .now_ms = t,
	                           .quiet = true};
}

static int fail(int i, const char *what, int rc, const struct pd_app_errors *e)
{
	pd_log(PD_LOG_ERROR, "demo_inforeq_failed", "i=%d step=%s rc=%s field=%s", i, what,
	       pd_strerror(rc), e && e->n ? e->field[0] : "-");
	return rc ? rc : PD_ERR_INVALID;
}

static int make_one(struct pd_tx *tx, struct demo *d, int i)
{
	enum plan p = PLANS[i];
	const char *unit = UNITS[i % (sizeof UNITS / sizeof UNITS[0])];
	unsigned t = (unsigned)i % N_TOPICS;
	/* Open ones are recent; the others spread over six weeks from 40 days back, so that a
	 * month of the whole regency has the 10 answers its on-time share is published for. */
	int64_t age_days = p == PL_NEW ? 1 + i % 5
	                   : p == PL_EXTENDED ? 9 + i % 3
	                   : p == PL_OVERDUE ? 25 + i % 10
	                   : p == PL_OBJECTED ? 30 + i % 5
	                                      : 40 + (int64_t)(i * 7) % 45;
	int64_t filed = d->now - age_days * DAY_MS - (int64_t)(i % 7) * 3600000;
	struct pd_actor citizen = {.account_id = d->citizens[i % d->n_citizens],
	                           .kind = PD_ACCOUNT_CITIZEN, .lang = "id", .email_verified = true};
	struct pd_app_errors e;
	memset(&e, 0, sizeof e);
	struct pd_inforeq_input in = {unit, TOPICS[t].subject, TOPICS[t].details,
	                              "Bahan penelitian dan pengawasan warga.",
	                              i % 3 == 0 ? "hardcopy" : "softcopy",
	                              i % 4 == 0 ? "email" : "portal", i % 5 != 4, NULL};
	char id[37], tracking[11];
	struct pd_app_ctx c = ctx(d, &citizen, filed);
	int rc = pd_inforeq_file(tx, &c, &in, &e, id, tracking);
	if (rc)
		return fail(i, "file", rc, &e);
	d->counts[p]++;
	if (p == PL_NEW || p == PL_OVERDUE)
		return PD_OK;
	if (p == PL_EXTENDED) {
		c = ctx(d, &d->ppid, filed + 6 * DAY_MS);
		rc = pd_inforeq_extend(tx, &c, id, 0, 5, "Informasi perlu dihimpun dari beberapa bidang.", &e);
		return rc ? fail(i, "extend", rc, &e) : PD_OK;
	}
	struct pd_inforeq_answer ans = {0};
	ans.outcome = p == PL_PARTLY ? "partly_granted" : p == PL_REFUSED ? "refused"
	            : p == PL_NOT_HELD ? "not_held" : p == PL_FORWARDED ? "forwarded" : "granted";
	ans.answer = p == PL_REFUSED ? "Informasi yang diminta memuat rahasia pribadi pihak lain sehingga dikecualikan."
	           : p == PL_NOT_HELD ? "Informasi tersebut tidak dikuasai oleh unit ini."
	           : p == PL_FORWARDED ? "Permohonan diteruskan ke unit yang menguasai informasinya."
	                               : TOPICS[t].answer;
	ans.ground = p == PL_REFUSED ? "h" : NULL;
	ans.to_unit = p == PL_FORWARDED ? (strcmp(unit, "diskominfo") == 0 ? "dinkes" : "diskominfo") : NULL;
	ans.register_subject = TOPICS[t].summary;
	ans.register_answer = p == PL_NOT_HELD ? "Informasi tidak dikuasai unit ini." : TOPICS[t].answer;
	int64_t answered = filed + (p == PL_LATE ? 20 : 3 + i % 8) * DAY_MS;
	if (p == PL_OBJECTED)
		answered = filed + 6 * DAY_MS;
	c = ctx(d, &d->ppid, answered);
	rc = pd_inforeq_answer(tx, &c, id, 0, &ans, &e);
	if (rc)
		return fail(i, "answer", rc, &e);
	if (p != PL_OBJECTED && p != PL_UPHELD && p != PL_OVERTURNED)
		return PD_OK;
	char g[16];
	snprintf(g, sizeof g, "%s", tracking);
	c = ctx(d, &citizen, answered + 4 * DAY_MS);
	rc = pd_inforeq_object(tx, &c, g, 1u << 3 | 1u << 4, "Jawaban tidak memuat seluruh informasi yang saya minta.", &e);
	if (rc)
		return fail(i, "object", rc, &e);
	if (p == PL_OBJECTED)
		return PD_OK;
	c = ctx(d, &d->superior, answered + 14 * DAY_MS);
	rc = pd_inforeq_decide_objection(tx, &c, id, 0, p == PL_UPHELD ? "upheld" : "overturned",
	                                 p == PL_UPHELD ? "Jawaban PPID telah sesuai dengan informasi yang dikuasai."
	                                                : "PPID diperintahkan memberikan informasi selengkapnya dalam 10 hari kerja.",
	                                 &e);
	return rc ? fail(i, "decide", rc, &e) : PD_OK;
}

static int set_staff(struct pd_tx *tx, const struct demo *d, const char *role, enum pd_role r,
                     struct pd_actor *a, struct pd_grant *g)
{
	const struct pd_demo_person *p = NULL;
	for (size_t i = 0; i < d->people->n && !p; i++)
		if (strcmp(d->people->p[i].role, role) == 0)
			p = &d->people->p[i];
	struct pd_unit u;
	enum pd_qs qs = pd_store_unit_by_slug(tx, "sukamaju", NULL, &u);
	if (qs < 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
	if (!p || qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	/* The demo's person of that role, acting over the whole regency for the history. */
	*g = (struct pd_grant){r, u.id, u.path, u.slug};
	*a = (struct pd_actor){.account_id = p->id, .kind = PD_ACCOUNT_STAFF, .lang = "id",
	                       .email_verified = true, .grants = g, .n_grants = 1};
	return PD_OK;
}

static int all_tx(struct pd_tx *tx, void *p)
{
	struct demo *d = p;
	int rc = set_staff(tx, d, "ppid", PD_ROLE_PPID, &d->ppid, &d->ppid_grant);
	if (!rc)
		rc = set_staff(tx, d, "ppid_superior", PD_ROLE_PPID_SUPERIOR, &d->superior,
		               &d->superior_grant);
	memset(d->counts, 0, sizeof d->counts);
	for (int i = 0; !rc && i < N_REQ; i++)
		rc = make_one(tx, d, i);
	int64_t n = 0;
	struct pd_actor sys = {.system = true};
	struct pd_app_ctx c = ctx(d, &sys, d->now);
	if (!rc)
		rc = pd_inforeq_flag_overdue(tx, &c, d->now, PD_INFOREQ_JOB_MAX, &n);
	return rc;
}

int pd_demo_inforeq(struct pd_store *st, const struct pd_config *cfg,
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
	/* The citizens who file: the first of the demo's citizens (sign-in accounts first). */
	for (size_t i = 0; i < people->n && d.n_citizens < 16; i++)
		if (strcmp(people->p[i].role, "citizen") == 0)
			d.citizens[d.n_citizens++] = people->p[i].id;
	if (d.n_citizens == 0) {
		rc = PD_ERR_NOT_FOUND;
		goto out;
	}
	rc = pd_store_write(st, all_tx, &d);
	if (!rc)
		printf("pendopo: demo information requests filed (%d: %d waiting, %d extended, %d overdue, "
		       "%d answered, %d forwarded, %d with an objection)\n",
		       N_REQ, d.counts[PL_NEW], d.counts[PL_EXTENDED], d.counts[PL_OVERDUE],
		       d.counts[PL_GRANTED] + d.counts[PL_PARTLY] + d.counts[PL_REFUSED] +
		               d.counts[PL_NOT_HELD] + d.counts[PL_LATE],
		       d.counts[PL_FORWARDED],
		       d.counts[PL_OBJECTED] + d.counts[PL_UPHELD] + d.counts[PL_OVERTURNED]);
out:
	pd_calendar_free(cal);
	pd_keyset_free(ks);
	return rc;
}
