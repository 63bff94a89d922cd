/* The benchmark's data: generated services, submitted applications and complaints added to the
 * demo regency through the domain's own functions, a few thousand rows per transaction. */
#include "domain/demo_bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <time.h>

#include "core/arena.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "domain/account.h"
#include "domain/application.h"
#include "domain/calendar.h"
#include "domain/catalogue.h"
#include "domain/complaint.h"
#include "domain/complaint_handle.h"
#include "domain/form.h"
#include "domain/keys.h"
#include "store/bench_store.h"

#define DAY_MS 86400000LL
#define MAX_CITIZENS 65536 /* citizens who file, at most */
#define MAX_GEN 64 /* generated services at most */

/* Generated services: topic, owning unit, days promised, category. */
static const struct {
	const char *slug, *name, *unit, *category;
	int days;
} topics[] = {
	{"sk-usaha", "Surat Keterangan Usaha", "desa-mekarsari", "Administrasi Desa", 2},
	{"sk-kelakuan-baik", "Surat Pengantar Kelakuan Baik", "desa-mekarsari", "Administrasi Desa", 1},
	{"sk-belum-menikah", "Surat Keterangan Belum Menikah", "desa-mekarsari", "Administrasi Desa", 2},
	{"sk-penghasilan", "Surat Keterangan Penghasilan", "desa-mekarsari", "Administrasi Desa", 2},
	{"sk-ahli-waris", "Surat Keterangan Ahli Waris", "desa-mekarsari", "Administrasi Desa", 5},
	{"sk-kehilangan", "Surat Keterangan Kehilangan", "desa-mekarsari", "Administrasi Desa", 1},
	{"sk-beda-nama", "Surat Keterangan Beda Nama", "desa-mekarsari", "Administrasi Desa", 3},
	{"sk-janda-duda", "Surat Keterangan Janda atau Duda", "desa-mekarsari", "Administrasi Desa", 2},
	{"sk-riwayat-tanah", "Surat Keterangan Riwayat Tanah", "desa-mekarsari", "Administrasi Desa", 7},
	{"izin-keramaian", "Rekomendasi Izin Keramaian", "desa-mekarsari", "Administrasi Desa", 3},
	{"legalisir-kk", "Legalisir Kartu Keluarga", "disdukcapil", "Kependudukan", 1},
	{"perubahan-biodata", "Perubahan Biodata Penduduk", "disdukcapil", "Kependudukan", 5},
	{"akta-perkawinan", "Akta Perkawinan Non-Muslim", "disdukcapil", "Kependudukan", 5},
	{"akta-perceraian", "Akta Perceraian", "disdukcapil", "Kependudukan", 5},
	{"pengakuan-anak", "Pencatatan Pengakuan Anak", "disdukcapil", "Kependudukan", 7},
	{"ktp-el-rusak", "Penggantian KTP-el Rusak", "disdukcapil", "Kependudukan", 3},
	{"izin-toko-obat", "Izin Toko Obat", "dinkes", "Kesehatan", 10},
	{"izin-praktik-bidan", "Surat Izin Praktik Bidan", "dinkes", "Kesehatan", 10},
	{"izin-optik", "Izin Optikal", "dinkes", "Kesehatan", 14},
	{"sertifikat-pirt", "Sertifikat Produksi Pangan Industri Rumah Tangga", "dinkes", "Kesehatan", 14},
	{"laik-sehat-rumah-makan", "Sertifikat Laik Higiene Sanitasi Rumah Makan", "dinkes", "Kesehatan", 14},
	{"izin-tps-b3", "Izin Penyimpanan Sementara Limbah B3", "dlh", "Lingkungan Hidup", 20},
	{"rekomendasi-ukl-upl", "Rekomendasi UKL-UPL", "dlh", "Lingkungan Hidup", 20},
	{"angkut-sampah-usaha", "Layanan Angkut Sampah Usaha", "dlh", "Lingkungan Hidup", 5},
	{"izin-usaha-perikanan", "Izin Usaha Perikanan", "dpmptsp", "Perizinan", 10},
	{"tanda-daftar-gudang", "Tanda Daftar Gudang", "dpmptsp", "Perizinan", 7},
	{"izin-trayek", "Izin Trayek Angkutan Pedesaan", "dpmptsp", "Perizinan", 14},
	{"pengesahan-koperasi", "Rekomendasi Pengesahan Koperasi", "dpmptsp", "Perizinan", 14},
	{"izin-pemakaian-jalan", "Izin Pemakaian Jalan", "dpmptsp", "Perizinan", 7},
	{"izin-penelitian", "Rekomendasi Izin Penelitian", "dpmptsp", "Perizinan", 3},
	{"pbg-rumah-tinggal", "Persetujuan Bangunan Gedung Rumah Tinggal Sederhana", "dpmptsp", "Perizinan", 14},
	{"izin-pasang-tiang", "Izin Penanaman Tiang dan Kabel", "dpmptsp", "Perizinan", 10},
};
#define N_TOPICS (sizeof topics / sizeof topics[0])

static const char *const category_codes[] = {
	"jalan-rusak", "penerangan-jalan", "air-bersih", "sampah", "layanan-adminduk", "jalan-rusak",
	"sampah", "penerangan-jalan"};
#define N_CODES (sizeof category_codes / sizeof category_codes[0])
/* The unit each of those categories goes to (the demo's defaults). */
static const char *const category_units[N_CODES] = {
	"dpupr", "dpupr", "dpupr", "dlh", "disdukcapil", "dpupr", "dlh", "dpupr"};
#define OPEN_DAYS 30 /* complaints filed in the last 30 days are still open; older ones answered */

static const struct {
	const char *title, *text;
} texts[] = {
	{"Jalan berlubang di dekat sekolah", "Lubang besar di jalan dekat sekolah sudah dua minggu dan berbahaya bagi anak-anak serta pengendara motor yang lewat setiap pagi."},
	{"Lampu jalan mati sejak bulan lalu", "Beberapa lampu penerangan jalan berturut-turut mati sehingga jalan gelap di malam hari dan warga takut melintas."},
	{"Air bersih tidak mengalir", "Air bersih di lingkungan kami tidak mengalir sejak beberapa hari yang lalu, warga harus membeli air galon untuk masak."},
	{"Sampah menumpuk di tempat pembuangan sementara", "Sampah belum diangkut selama seminggu, menimbulkan bau dan mengundang lalat ke rumah warga sekitar."},
	{"Antrean perekaman KTP-el terlalu lama", "Antrean perekaman di kantor kecamatan sangat panjang, tidak ada nomor antrean, dan petugas hanya satu orang."},
	{"Saluran air tersumbat", "Saluran air di pinggir jalan tersumbat sampah sehingga air meluap ke jalan setiap kali hujan deras turun."},
	{"Jembatan kayu rapuh", "Papan jembatan kayu di jalan kampung sudah lapuk dan beberapa bolong, berbahaya untuk pejalan kaki dan sepeda."},
	{"Pohon tumbang menghalangi jalan", "Pohon besar tumbang setelah angin kencang dan menutup separuh badan jalan, belum ada petugas yang datang."},
};
#define N_TEXTS (sizeof texts / sizeof texts[0])

static const char *const villages[] = {
	"kel-sukamaju", "kel-pasarbaru", "desa-mekarsari", "desa-cibening", "desa-sindangwangi",
	"desa-cikahuripan", "desa-pasirlaya", "desa-sukaresmi", "desa-tanjungsari",
	"desa-margaluyu", "desa-karangmulya"};
#define N_VILLAGES (sizeof villages / sizeof villages[0])

static const char *const purposes[] = {
	"Persyaratan melamar pekerjaan", "Pengajuan kredit usaha rakyat", "Pendaftaran sekolah anak",
	"Persyaratan bantuan sosial", "Pengurusan izin usaha", "Keperluan administrasi bank"};
#define N_PURPOSES (sizeof purposes / sizeof purposes[0])

struct seed {
	struct pd_store *st;
	struct pd_keyset *ks;
	const struct pd_calendar *cal;
	const struct pd_bench_seed_opts *o;
	char (*citizens)[37];
	int n_citizens;
	char mine_id[37];
	const char *slugs[MAX_GEN];
	int n_slugs;
	int64_t now, span, total, from, count; /* rows [from, from+count) of total */
	struct pd_service tmpl;                 /* the demo service whose texts are copied */
	int64_t want_services;
	char hash[PD_HASH_MAX];                 /* the generated citizens' shared password hash */
	int64_t stamp;                          /* makes generated emails unique across runs */
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int counts_tx(struct pd_tx *tx, void *p)
{
	return pd_store_bench_counts(tx, p) < 0 ? pd_tx_error(tx) : PD_OK;
}

static int people_tx(struct pd_tx *tx, void *p)
{
	struct seed *s = p;
	if (pd_store_bench_citizens(tx, s->citizens, MAX_CITIZENS, &s->n_citizens) < 0)
		return pd_tx_error(tx);
	if (s->o->citizen && *s->o->citizen)
		return pd_account_find_email(tx, s->ks, s->o->citizen, s->mine_id);
	return PD_OK;
}

/* Adds the generated services (copying the template's Standar Pelayanan) and their forms. */
static int services_tx(struct pd_tx *tx, void *p)
{
	struct seed *s = p;
	struct pd_actor sys = {.account_id = "system", .system = true};
	static struct pd_form_field fields[] = {
		{.key = "keperluan", .type = PD_FORM_TEXT, .label = "Keperluan", .label_en = "Purpose",
		 .help = "", .help_en = "", .required = true},
		{.key = "keterangan", .type = PD_FORM_LONGTEXT, .label = "Keterangan tambahan",
		 .label_en = "Further details", .help = "", .help_en = "", .required = false},
	};
	struct pd_form form = {.fields = fields, .n_fields = 2};
	for (int64_t i = 0; i < s->want_services && (size_t)i < N_TOPICS; i++) {
		struct pd_catalogue_input in = {.unit_slug = topics[i].unit, .s = s->tmpl};
		in.s.id = NULL;
		in.s.slug = topics[i].slug;
		in.s.name = topics[i].name;
		in.s.category = topics[i].category;
		in.s.summary = pd_arena_printf(pd_tx_arena(tx), "Layanan %s bagi warga Kabupaten "
		                               "Sukamaju, diajukan daring atau di kantor.",
		                               topics[i].name);
		in.s.processing_days = topics[i].days;
		in.s.fee = 0;
		in.s.enabled = true;
		char id[37], err[256];
		int rc = pd_catalogue_create_tx(tx, &sys, &in, id, err, sizeof err);
		if (!rc)
			rc = pd_form_save_new_version(tx, id, &form, "system", NULL);
		if (rc) {
			pd_log(PD_LOG_ERROR, "bench_seed_failed", "service=%s err=\"%s\"", topics[i].slug,
			       rc == PD_ERR_INVALID ? err : pd_strerror(rc));
			return rc;
		}
	}
	return PD_OK;
}

static int citizens_tx(struct pd_tx *tx, void *p)
{
	struct seed *s = p;
	struct pd_arena *a = pd_tx_arena(tx);
	for (int64_t k = 0; k < s->count; k++) {
		int64_t i = s->from + k;
		struct pd_registration in = {
			.name = pd_arena_printf(a, "Warga Uji %06lld", (long long)i),
			.email = pd_arena_printf(a, "warga.uji.%lld.%lld@sukamaju.example",
			                         (long long)s->stamp, (long long)i),
			.village_slug = villages[(size_t)i % N_VILLAGES], .password_hash = s->hash,
			.base_url = "", .email_verified = true, .kind = "citizen", .actor = "system"};
		struct pd_register_result res;
		int rc = pd_account_register(tx, s->ks, &in, &res);
		if (!rc && (res.email_taken || res.errs.n))
			rc = res.email_taken ? PD_ERR_CONFLICT : PD_ERR_INVALID;
		if (rc) {
			pd_log(PD_LOG_ERROR, "bench_seed_failed", "citizen=%lld rc=%s", (long long)i,
			       pd_strerror(rc));
			return rc;
		}
	}
	return PD_OK;
}

static int applications_tx(struct pd_tx *tx, void *p)
{
	struct seed *s = p;
	int64_t mine = s->o->mine > 0 ? s->o->mine : PD_BENCH_MINE_DEFAULT;
	for (int64_t k = 0; k < s->count; k++) {
		int64_t i = s->from + k;
		/* The benchmark citizen's applications are spread evenly through the history. */
		bool is_mine = s->mine_id[0] && mine > 0 && i % (s->total / mine + 1) == 0;
		const char *who = is_mine ? s->mine_id : s->citizens[(size_t)i % (size_t)s->n_citizens];
		struct pd_actor citizen = {.account_id = who, .kind = PD_ACCOUNT_CITIZEN, .lang = "id",
		                           .email_verified = true};
		struct pd_app_ctx c = {.actor = &citizen, .ks = s->ks, .cal = s->cal, .quiet = true,
		                       .now_ms = s->now - s->span + s->span * i / s->total};
		struct pd_app_value vals[] = {
			{"keperluan", purposes[(size_t)i % N_PURPOSES]},
			{"keterangan", i % 3 ? "" : "Mohon diproses sebelum akhir bulan."},
		};
		struct pd_app_input in = {.service_slug = s->slugs[(size_t)i % (size_t)s->n_slugs],
		                          .values = vals, .n_values = 2, .submit = true};
		struct pd_app_errors errs = {0};
		char id[37];
		int rc = pd_application_save(tx, &c, &in, &errs, id);
		if (rc) {
			pd_log(rc == PD_ERR_CONFLICT ? PD_LOG_WARN : PD_LOG_ERROR, "bench_seed_failed",
			       "application=%lld rc=%s field=%s",
			       (long long)i, pd_strerror(rc), errs.n ? errs.field[0] : "-");
			return rc;
		}
	}
	return PD_OK;
}

static int complaints_tx(struct pd_tx *tx, void *p)
{
	struct seed *s = p;
	struct pd_arena *a = pd_tx_arena(tx);
	for (int64_t k = 0; k < s->count; k++) {
		int64_t i = s->from + k;
		/* One in three by a signed-in citizen, the rest by visitors who leave a name. */
		bool citizen = i % 3 == 0;
		struct pd_actor actor = {.kind = PD_ACCOUNT_CITIZEN,
		                         .account_id = s->citizens[(size_t)i % (size_t)s->n_citizens]};
		int64_t at = s->now - s->span + s->span * i / s->total;
		const size_t t = (size_t)i % N_TEXTS;
		int r = (int)(i % 20);
		struct pd_complaint_input in = {
			.channel = i % 10 == 7 ? "open311" : "web",
			.category_code = category_codes[(size_t)(i / 3) % N_CODES],
			.title = pd_arena_printf(a, "%s (RW %02d)", texts[t].title, (int)(i % 12) + 1),
			.text = texts[t].text,
			.village_slug = villages[(size_t)(i / 7) % N_VILLAGES],
			.address = i % 2 ? "Jalan Raya Sukamaju" : NULL,
			.has_location = i % 4 != 0,
			.lat_e6 = -6900000 + (i % 997) * 37,
			.lon_e6 = 107600000 + (i % 991) * 41,
			.occurred_ms = at - DAY_MS,
			.visibility = r == 0 ? PD_CMP_CONFIDENTIAL : r < 4 ? PD_CMP_ANONYMOUS : PD_CMP_PUBLIC,
			.contact_name = citizen ? NULL : "Warga Sukamaju",
		};
		struct pd_app_ctx c = {.actor = citizen ? &actor : NULL, .ks = s->ks, .cal = s->cal,
		                       .now_ms = at, .quiet = true};
		struct pd_app_errors errs = {0};
		struct pd_complaint_filed out;
		int rc = pd_complaint_file(tx, &c, &in, &errs, &out);
		/* Older ones went through the office: sent to the category's unit, then answered. */
		if (!rc && at < s->now - OPEN_DAYS * DAY_MS) {
			struct pd_actor sys = {.account_id = "system", .system = true};
			struct pd_app_ctx o = {.actor = &sys, .ks = s->ks, .cal = s->cal, .quiet = true,
			                       .now_ms = at + DAY_MS};
			rc = pd_complaint_dispose(tx, &o, out.id, 1,
			                          category_units[(size_t)(i / 3) % N_CODES], NULL, &errs);
			o.now_ms = at + (2 + i % 9) * DAY_MS;
			if (!rc)
				rc = pd_complaint_answer(tx, &o, out.id, 2, "Sudah ditindaklanjuti oleh petugas "
				                         "di lapangan. Terima kasih atas laporannya.", &errs);
		}
		if (rc) {
			pd_log(rc == PD_ERR_CONFLICT ? PD_LOG_WARN : PD_LOG_ERROR, "bench_seed_failed",
			       "complaint=%lld rc=%s field=%s",
			       (long long)i, pd_strerror(rc), errs.n ? errs.field[0] : "-");
			return rc;
		}
	}
	return PD_OK;
}

/* Escalates the complaints past their deadline as the job would have, quietly, a few thousand
 * per transaction: a backlog would keep the server's job busy during the measurements. */
static int escalate_tx(struct pd_tx *tx, void *p)
{
	struct seed *s = p;
	struct pd_actor sys = {.account_id = "system", .system = true};
	struct pd_app_ctx c = {.actor = &sys, .ks = s->ks, .cal = s->cal, .now_ms = s->now,
	                       .quiet = true};
	s->count = 0;
	for (int i = 0; i < 8; i++) {
		int64_t n = 0;
		int rc = pd_complaint_escalate_due(tx, &c, s->now, PD_COMPLAINT_ESCALATE_MAX, &n);
		if (rc)
			return rc;
		s->count += n;
		if (n < PD_COMPLAINT_ESCALATE_MAX)
			break;
	}
	return PD_OK;
}

/* Runs fn over total rows in transactions of batch rows. */
static int batches(struct seed *s, pd_tx_fn fn, int64_t total, const char *what)
{
	int64_t batch = s->o->batch > 0 ? s->o->batch : PD_BENCH_BATCH_DEFAULT;
	s->total = total;
	double t0 = now_s();
	for (s->from = 0; s->from < total; s->from += batch) {
		s->count = total - s->from < batch ? total - s->from : batch;
		/* Tracking numbers have 40 random bits: around a million rows two can meet, and the
		 * batch is refused as a whole (PD_ERR_CONFLICT); it runs again with new numbers. */
		int rc = pd_store_write(s->st, fn, s);
		for (int again = 0; rc == PD_ERR_CONFLICT && again < 5; again++)
			rc = pd_store_write(s->st, fn, s);
		if (rc)
			return rc;
		if (s->o->progress)
			printf("bench-seed: %s %lld/%lld (%.0f/s)\n", what, (long long)(s->from + s->count),
			       (long long)total, (double)(s->from + s->count) / (now_s() - t0));
	}
	return PD_OK;
}

int pd_demo_bench_seed(struct pd_store *st, const struct pd_config *cfg,
                       const struct pd_bench_seed_opts *opts, struct pd_bench_seed_report *rep)
{
	memset(rep, 0, sizeof *rep);
	struct seed s = {.st = st, .o = opts, .now = pd_clock_now_ms()};
	s.span = (opts->span_days > 0 ? opts->span_days : 365) * DAY_MS;
	struct pd_calendar *cal = NULL;
	struct pd_arena *a = pd_arena_new();
	char err[512];
	int64_t gen = 0;
	int rc = pd_keys_startup(cfg, st, &s.ks, err, sizeof err);
	if (rc) {
		pd_log(PD_LOG_ERROR, "bench_seed_failed", "keys=\"%s\"", err);
		goto out;
	}
	if ((rc = pd_calendar_load(st, cfg->tz_offset_min, &cal, &gen)))
		goto out;
	s.cal = cal;
	s.citizens = calloc(MAX_CITIZENS, sizeof *s.citizens);
	if (!s.citizens) {
		rc = PD_ERR_NOMEM;
		goto out;
	}
	if (opts->citizens > 0) {
		unsigned char raw[16];
		char pw[33];
		randombytes_buf(raw, sizeof raw);
		sodium_bin2hex(pw, sizeof pw, raw, sizeof raw);
		if ((rc = pd_password_hash(pw, s.hash)))
			goto out;
		s.stamp = s.now;
		double tc = now_s();
		if ((rc = batches(&s, citizens_tx, opts->citizens, "citizens")))
			goto out;
		rep->citizens_added = opts->citizens;
		rep->citizens_s = now_s() - tc;
	}
	if ((rc = pd_store_read(st, people_tx, &s)))
		goto out;
	if (s.n_citizens == 0) {
		pd_log(PD_LOG_ERROR, "bench_seed_failed", "msg=\"no citizen: run `pendopo demo` first\"");
		rc = PD_ERR_NOT_FOUND;
		goto out;
	}
	struct pd_bench_counts n0;
	if ((rc = pd_store_read(st, counts_tx, &n0)))
		goto out;
	/* Services: reach opts->services with generated ones copying ktp-el's standard. */
	if ((rc = pd_catalogue_get(st, "ktp-el", a, &s.tmpl)))
		goto out;
	s.want_services = opts->services - n0.services;
	if (s.want_services > (int64_t)N_TOPICS)
		s.want_services = (int64_t)N_TOPICS;
	double t0 = now_s();
	if (s.want_services > 0 && (rc = pd_store_write(st, services_tx, &s)))
		goto out;
	rep->services_added = s.want_services > 0 ? s.want_services : 0;
	rep->services_s = now_s() - t0;
	/* Applications go to the generated services (their forms need no uploads). */
	for (size_t i = 0; i < N_TOPICS && s.n_slugs < MAX_GEN; i++) {
		struct pd_service sv;
		if (pd_catalogue_get(st, topics[i].slug, a, &sv) == PD_OK)
			s.slugs[s.n_slugs++] = topics[i].slug;
	}
	if (opts->applications > 0) {
		if (!s.n_slugs) {
			pd_log(PD_LOG_ERROR, "bench_seed_failed", "msg=\"no generated service: give --services\"");
			rc = PD_ERR_NOT_FOUND;
			goto out;
		}
		t0 = now_s();
		if ((rc = batches(&s, applications_tx, opts->applications, "applications")))
			goto out;
		/* Flag the ones past their due date now, as the hourly job would have long ago: a
		 * backlog of them would keep the server's job busy during the measurements. */
		int64_t flagged = 0;
		if ((rc = pd_application_mark_overdue(st, s.now, &flagged)))
			goto out;
		rep->applications_added = opts->applications;
		rep->applications_s = now_s() - t0;
	}
	if (opts->complaints > 0) {
		t0 = now_s();
		if ((rc = batches(&s, complaints_tx, opts->complaints, "complaints")))
			goto out;
		do {
			if ((rc = pd_store_write(st, escalate_tx, &s)))
				goto out;
		} while (s.count > 0);
		rep->complaints_added = opts->complaints;
		rep->complaints_s = now_s() - t0;
	}
	struct pd_bench_counts n1;
	if ((rc = pd_store_read(st, counts_tx, &n1)))
		goto out;
	rep->services_total = n1.services;
	rep->applications_total = n1.applications;
	rep->complaints_total = n1.complaints;
	rep->published_total = n1.published;
out:
	free(s.citizens);
	pd_calendar_free(cal);
	pd_keyset_free(s.ks);
	pd_arena_free(a);
	return rc;
}
