/* The demo's public consultations: an open draft regulation of the environment agency with
 * sections, comments, replies, a comment held by reports and one hidden by the moderator, and
 * a closed draft plan with its follow-up report, made with the domain's own functions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "domain/consult.h"
#include "domain/demo.h"

#define DAY_MS 86400000LL
#define HOUR_MS 3600000LL

static const char OPEN_MD[] =
	"Rancangan ini mengatur pengurangan dan penanganan sampah rumah tangga di Kabupaten "
	"Sukamaju.\n\n"
	"# Pasal 1 Ketentuan Umum\n\n"
	"Dalam Peraturan Bupati ini yang dimaksud dengan:\n\n"
	"1. *Sampah rumah tangga* adalah sampah yang berasal dari kegiatan sehari-hari dalam rumah "
	"tangga.\n2. *Bank sampah* adalah tempat pemilahan dan pengumpulan sampah yang dapat didaur "
	"ulang.\n\n"
	"# Pasal 2 Pemilahan di Sumber\n\n"
	"Setiap rumah tangga wajib memilah sampah menjadi sampah organik, anorganik dan residu "
	"sebelum diangkut.\n\n"
	"# Pasal 3 Jadwal Pengangkutan\n\n"
	"Sampah organik diangkut dua kali seminggu; sampah anorganik sekali seminggu melalui bank "
	"sampah desa.\n\n"
	"# Pasal 4 Retribusi\n\n"
	"Retribusi pelayanan persampahan ditetapkan paling tinggi Rp10.000 per rumah tangga per "
	"bulan.\n";

static const char CLOSED_MD[] =
	"# Tujuan\n\nMeningkatkan jangkauan layanan kesehatan ibu dan anak di desa.\n\n"
	"# Kegiatan\n\nPosyandu keliling setiap bulan di desa yang jauh dari puskesmas.\n\n"
	"# Pembiayaan\n\nDibiayai APBD dan dana desa.\n";

static const struct {
	int who;                 /* index among the demo citizens */
	const char *section, *stance, *body;
	int reply_to;            /* -1: top-level; else the index of the comment replied to */
	bool show_name;
} COMMENTS[] = {
	{0, "", "support", "Saya mendukung aturan ini. Desa kami sudah punya bank sampah dan hasilnya bagus.", -1, true},
	{1, "pasal-2-pemilahan-di-sumber", "support", "Pemilahan di sumber penting, tetapi perlu tempat sampah terpilah di setiap RT.", -1, false},
	{2, "pasal-2-pemilahan-di-sumber", "oppose", "Kewajiban memilah tanpa sanksi yang jelas tidak akan dipatuhi. Mohon diatur sanksinya.", -1, false},
	{0, NULL, NULL, "Setuju, sanksinya perlu bertahap: teguran dulu, baru denda.", 2, true},
	{3, "pasal-3-jadwal-pengangkutan", "oppose", "Dua kali seminggu terlalu jarang untuk pasar dan permukiman padat.", -1, false},
	{4, "pasal-3-jadwal-pengangkutan", "neutral", "Jadwal sebaiknya diumumkan per desa di papan pengumuman dan di portal.", -1, true},
	{5, "pasal-4-retribusi", "oppose", "Rp10.000 memberatkan keluarga miskin. Mohon ada keringanan.", -1, false},
	{6, "pasal-4-retribusi", "support", "Retribusi wajar bila pengangkutan benar-benar rutin.", -1, false},
	{7, "pasal-1-ketentuan-umum", "neutral", "Mohon tambahkan definisi sampah residu.", -1, false},
	{8, "", "oppose", "IKLAN! Jual pupuk murah, hubungi nomor saya.", -1, false},
	{9, "pasal-4-retribusi", "oppose", "Komentar ini berisi kata-kata kasar terhadap petugas.", -1, false},
};
#define N_COMMENTS (sizeof COMMENTS / sizeof COMMENTS[0])

struct demo_cs {
	const struct pd_demo_people *people;
	const struct pd_actor *system;
	struct pd_actor citizens[12];
	int n_citizens;
	char ids[N_COMMENTS][37];
	char cs_id[2][37];
	int64_t now;
	int step;
};

static int open_tx(struct pd_tx *tx, void *p)
{
	struct demo_cs *d = p;
	struct pd_field_errors errs = {0};
	int64_t t0 = d->now - 10 * DAY_MS;
	struct pd_consult_input in = {
		.unit_slug = "dlh", .slug = "raperbup-pengelolaan-sampah",
		.title = "Rancangan Peraturan Bupati tentang Pengelolaan Sampah Rumah Tangga",
		.summary = "Rancangan aturan pemilahan, pengangkutan dan retribusi sampah rumah tangga. "
		           "Sampaikan pendapat Anda per pasal sebelum rancangan ditetapkan.",
		.body_md = OPEN_MD, .opens_ms = t0, .closes_ms = d->now + 20 * DAY_MS};
	int rc = pd_consult_create(tx, d->system, &in, t0, &errs, d->cs_id[0]);
	if (rc)
		return rc;
	for (size_t i = 0; i < N_COMMENTS; i++) {
		const struct pd_actor *who = &d->citizens[COMMENTS[i].who % d->n_citizens];
		struct pd_consult_comment_input ci = {
			.slug = in.slug, .section = COMMENTS[i].section, .stance = COMMENTS[i].stance,
			.body = COMMENTS[i].body, .show_name = COMMENTS[i].show_name,
			.parent_id = COMMENTS[i].reply_to >= 0 ? d->ids[COMMENTS[i].reply_to] : NULL};
		struct pd_consult_comment_result res;
		memset(&errs, 0, sizeof errs);
		rc = pd_consult_comment(tx, who, &ci, t0 + (int64_t)(i + 1) * 7 * HOUR_MS, &errs, &res);
		if (rc) {
			pd_log(PD_LOG_ERROR, "demo_consult_failed", "comment=%zu rc=%s field=%s", i,
			       pd_strerror(rc), errs.n ? errs.field[0] : "-");
			return rc;
		}
		memcpy(d->ids[i], res.id, 37);
	}
	/* The advertisement: reported by three accounts, held for the moderator. */
	for (int k = 0; k < PD_CONSULT_REPORT_THRESHOLD; k++) {
		bool counted;
		rc = pd_consult_report(tx, &d->citizens[k], in.slug, d->ids[9], t0 + 4 * DAY_MS, &counted);
		if (rc)
			return rc;
	}
	/* The abusive comment: hidden by the moderator with a reason. */
	memset(&errs, 0, sizeof errs);
	return pd_consult_moderate(tx, d->system, d->cs_id[0], d->ids[10], true,
	                           "Melanggar pedoman komentar: kata-kata kasar.", t0 + 5 * DAY_MS,
	                           &errs);
}

static int closed_tx(struct pd_tx *tx, void *p)
{
	struct demo_cs *d = p;
	struct pd_field_errors errs = {0};
	int64_t t0 = d->now - 60 * DAY_MS;
	struct pd_consult_input in = {
		.unit_slug = "dinkes", .slug = "rencana-posyandu-keliling",
		.title = "Rencana Program Posyandu Keliling",
		.summary = "Rencana layanan posyandu keliling untuk desa yang jauh dari puskesmas.",
		.body_md = CLOSED_MD, .opens_ms = t0, .closes_ms = t0 + 30 * DAY_MS};
	int rc = pd_consult_create(tx, d->system, &in, t0, &errs, d->cs_id[1]);
	for (int i = 0; rc == PD_OK && i < 3; i++) {
		static const char *const secs[] = {"kegiatan", "kegiatan", "pembiayaan"};
		static const char *const bodies[] = {
			"Mohon jadwal posyandu keliling diumumkan seminggu sebelumnya.",
			"Desa kami perlu kunjungan dua kali sebulan.",
			"Dana desa sebaiknya tidak dipakai untuk ini."};
		struct pd_consult_comment_input ci = {.slug = in.slug, .section = secs[i],
		                                      .stance = i == 2 ? "oppose" : "support",
		                                      .body = bodies[i]};
		struct pd_consult_comment_result res;
		memset(&errs, 0, sizeof errs);
		rc = pd_consult_comment(tx, &d->citizens[(i + 3) % d->n_citizens], &ci,
		                        t0 + (int64_t)(i + 1) * DAY_MS, &errs, &res);
	}
	if (rc)
		return rc;
	const char *const sections[] = {"kegiatan", "pembiayaan"};
	const char *const responses[] = {
		"Jadwal diumumkan di portal dan di kantor desa tujuh hari sebelumnya; desa yang jauh "
		"dikunjungi dua kali sebulan.",
		"Pembiayaan seluruhnya dari APBD; dana desa tidak dipakai."};
	memset(&errs, 0, sizeof errs);
	return pd_consult_followup(tx, d->system, d->cs_id[1], sections, responses, 2,
	                           "Pasal pembiayaan diubah: hanya APBD. Frekuensi kunjungan menjadi dua "
	                           "kali sebulan untuk desa yang jauh.",
	                           t0 + 35 * DAY_MS, &errs);
}

int pd_demo_consult(struct pd_store *st, const struct pd_demo_people *people)
{
	static const struct pd_actor system = {.account_id = "demo", .system = true};
	struct demo_cs *d = calloc(1, sizeof *d);
	if (!d)
		return PD_ERR_NOMEM;
	d->people = people;
	d->system = &system;
	d->now = pd_clock_now_ms();
	for (size_t i = 0; i < people->n && d->n_citizens < 12; i++) {
		const struct pd_demo_person *p = &people->p[i];
		if (strcmp(p->role, "citizen") != 0)
			continue;
		d->citizens[d->n_citizens++] = (struct pd_actor){
			.account_id = p->id, .kind = PD_ACCOUNT_CITIZEN, .name = p->name,
			.email_verified = true};
	}
	int rc = d->n_citizens >= 4 ? PD_OK : PD_ERR_INVALID;
	if (!rc)
		rc = pd_store_write(st, open_tx, d);
	if (!rc)
		rc = pd_store_write(st, closed_tx, d);
	if (rc)
		pd_log(PD_LOG_ERROR, "demo_consult_failed", "err=\"%s\"", pd_strerror(rc));
	else
		printf("pendopo: demo consultations added (one open, one closed with its report)\n");
	free(d);
	return rc;
}
