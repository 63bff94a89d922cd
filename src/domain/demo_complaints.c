/* The demo's complaints: categories for the regency's agencies with their deadlines, and about
 * 230 complaints over the villages and the last six months in every state (new, needs_info,
 * dispositioned, answered, reopened, out_of_scope, merged), made with the domain's own filing
 * and handling functions under quiet contexts: public, anonymous and confidential ones, some held
 * back and then approved, some handed on, some answered late, reopened or confirmed, some by
 * text message or Open311, some supported, and the overdue ones escalated at the end. Seeded, so
 * every demo is the same; names, numbers and places are fictional (region 32.19 is no real one). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "domain/calendar.h"
#include "domain/complaint.h"
#include "domain/complaint_handle.h"
#include "domain/demo.h"
#include "domain/keys.h"
#include "store/unit_store.h"

#define N_COMPLAINTS 230
#define SPAN_DAYS 180             /* filed over the last six months */
/* Of the complaints, filed through Open311: none yet, as tests/http/test_open311.py counts the
 * open311 complaints of a demo server from zero; 60 once it counts from what it found. */
#define OPEN311_PERMILLE 60
#define SMS_PERMILLE 70           /* and by text message */
#define DAY_MS 86400000LL
#define HOUR_MS 3600000LL
#define MAX_OPEN 256              /* open complaints remembered as merge targets */

static const struct {
	const char *code, *name, *unit, *desc, *keywords, *hand_to, *hand_reason;
	int days;
} cats[] = {
	{"jalan-rusak", "Jalan rusak", "dpupr", "Jalan berlubang, amblas atau rusak.", "jalan lubang aspal amblas", NULL, NULL, 10},
	{"penerangan-jalan", "Penerangan jalan umum", "dpupr", "Lampu jalan mati atau rusak.", "lampu pju gelap tiang", NULL, NULL, 7},
	{"air-bersih", "Air bersih", "dpupr", "Air bersih tidak mengalir atau keruh.", "air pdam keran sumur", "dlh",
	 "Bukan wewenang kami: mutu air sumur dan sungai diperiksa Dinas Lingkungan Hidup.", 7},
	{"sampah", "Sampah", "dlh", "Sampah tidak diangkut atau dibuang sembarangan.", "sampah tps bau", "dpupr",
	 "Bukan wewenang kami: saluran drainase yang tersumbat ditangani Dinas PUPR.", 5},
	{"layanan-adminduk", "Layanan administrasi kependudukan", "disdukcapil", "KTP-el, Kartu Keluarga, akta.", "ktp kk akta kependudukan", NULL, NULL, 5},
	{"pungli", "Pungutan liar", "inspektorat", "Pungutan di luar ketentuan oleh petugas.", "pungli suap pungutan", NULL, NULL, 10},
	{"kesehatan", "Layanan kesehatan", "dinkes", "Puskesmas, posyandu, obat dan tenaga kesehatan.", "puskesmas posyandu obat bidan", NULL, NULL, 7},
	{"bantuan-sosial", "Bantuan sosial", "dinsos", "Penyaluran dan data penerima bantuan sosial.", "bansos bantuan pkh sembako", NULL, NULL, 10},
	{"lainnya", "Lainnya", "sukamaju", "Hal lain yang tidak termasuk kategori di atas.", "", "diskominfo",
	 "Diteruskan ke Dinas Komunikasi dan Informatika yang mengelola papan dan kanal informasi.", 10},
};
#define N_CATS (sizeof cats / sizeof cats[0])

/* Texts: {tempat} a place in the village, {desa} its name, {waktu} how long it has lasted. */
static const struct {
	int cat;
	const char *title, *text, *answer;
} tpls[] = {
	{0, "Jalan berlubang {tempat}", "Ada lubang besar di badan jalan {tempat}, {desa}. Sudah {waktu} belum ditambal dan beberapa pengendara motor terjatuh pada malam hari.",
	 "Terima kasih atas laporannya. Tim pemeliharaan jalan sudah menambal lubang tersebut dan memasang rambu peringatan."},
	{0, "Jalan amblas {tempat}", "Sebagian badan jalan {tempat} amblas kurang lebih lima meter setelah hujan deras. Kendaraan roda empat tidak bisa lewat sejak {waktu} yang lalu.",
	 "Lokasi sudah kami tinjau. Penimbunan dan pengaspalan ulang selesai dikerjakan; jalan kembali bisa dilalui."},
	{0, "Aspal jalan desa mengelupas", "Aspal jalan di {desa} mengelupas dan berbatu {tempat}. Sudah {waktu} kondisinya makin parah dan berdebu saat kemarau.",
	 "Ruas jalan tersebut masuk rencana pemeliharaan berkala. Pengaspalan ulang sudah dilaksanakan minggu ini."},
	{1, "Lampu jalan mati {tempat}", "Tiga lampu penerangan jalan {tempat} di {desa} mati sejak {waktu} yang lalu. Jalan menjadi gelap dan warga khawatir terjadi kejahatan.",
	 "Petugas sudah mengganti lampu dan memperbaiki kabel yang putus. Lampu kembali menyala."},
	{1, "Tiang lampu jalan miring", "Tiang lampu jalan {tempat} miring setelah tertabrak truk dan bisa roboh sewaktu-waktu. Mohon segera ditangani.",
	 "Tiang lampu sudah ditegakkan kembali dan pondasinya diperkuat."},
	{2, "Air bersih tidak mengalir", "Air bersih di rumah-rumah warga {tempat}, {desa}, tidak mengalir sejak {waktu} yang lalu. Warga terpaksa membeli air galon untuk memasak.",
	 "Gangguan disebabkan pipa transmisi yang bocor. Pipa sudah diganti dan aliran air kembali normal."},
	{2, "Air keran keruh dan berbau", "Air yang keluar dari keran di rumah warga {tempat} keruh kecoklatan dan berbau sejak {waktu} yang lalu.",
	 "Kami sudah menguras bak penampung dan menambah penyaringan. Mutu air akan kami periksa lagi bulan depan."},
	{3, "Sampah menumpuk {tempat}", "Sampah di tempat penampungan sementara {tempat} belum diangkut selama {waktu} dan menimbulkan bau menyengat.",
	 "Sampah sudah diangkut dan jadwal pengangkutan di lokasi tersebut ditambah menjadi tiga kali seminggu."},
	{3, "Sampah dibuang ke saluran air", "Ada warga yang membuang sampah ke saluran air {tempat}, {desa}. Saluran tersumbat dan air meluap ke jalan saat hujan.",
	 "Saluran sudah dibersihkan bersama warga, dan papan larangan membuang sampah dipasang di lokasi."},
	{3, "Jadwal angkut sampah tidak teratur", "Truk pengangkut sampah di {desa} datang tidak menentu, kadang berhari-hari tidak datang sama sekali.",
	 "Jadwal rute pengangkutan sudah diperbaiki dan diumumkan melalui kantor desa."},
	{4, "Antrean perekaman KTP-el terlalu lama", "Antrean perekaman KTP-el di kantor kecamatan sangat panjang dan tidak ada nomor antrean. Saya sudah datang tiga kali dalam {waktu}.",
	 "Kami menambah satu alat perekaman dan memberlakukan nomor antrean. Perekaman kini juga dilayani di kantor desa setiap Kamis."},
	{4, "Kartu Keluarga belum jadi", "Saya mengurus perubahan Kartu Keluarga {waktu} yang lalu tetapi sampai sekarang belum selesai tanpa kejelasan.",
	 "Kartu Keluarga sudah dicetak dan bisa diambil di kantor desa. Mohon maaf atas keterlambatannya."},
	{4, "Nama di akta kelahiran salah ketik", "Nama anak saya di akta kelahiran salah ketik satu huruf. Saya ingin tahu prosedur perbaikannya.",
	 "Perbaikan cukup dengan membawa akta asli dan Kartu Keluarga ke loket Disdukcapil; prosesnya satu hari kerja tanpa biaya."},
	{5, "Diminta uang saat mengurus surat", "Saat mengurus surat pengantar di {desa} saya diminta membayar biaya yang tidak ada ketentuannya oleh seorang petugas.",
	 "Laporan sudah kami periksa. Petugas yang bersangkutan telah dibina dan uang dikembalikan kepada pelapor."},
	{5, "Pungutan di luar tarif resmi", "Ada pungutan tambahan di luar tarif resmi untuk pengurusan izin usaha kecil {tempat}. Mohon ditertibkan.",
	 "Inspektorat telah melakukan klarifikasi. Pungutan tersebut dihentikan dan tarif resmi dipasang di loket."},
	{6, "Puskesmas tutup sebelum jam layanan", "Puskesmas pembantu {tempat} sering sudah tutup pukul 11 siang, padahal jam layanan sampai pukul 14.",
	 "Kepala puskesmas sudah menegur petugas dan jadwal jaga kini dipasang di pintu puskesmas pembantu."},
	{6, "Obat di posyandu sering kosong", "Vitamin dan obat untuk balita di posyandu {desa} sering kosong dalam {waktu} terakhir.",
	 "Distribusi obat ke posyandu sudah kami atur ulang menjadi setiap awal bulan."},
	{7, "Bantuan sosial tidak tepat sasaran", "Beberapa keluarga mampu di {desa} menerima bantuan sembako, sedangkan tetangga yang lansia dan tidak bekerja tidak menerima.",
	 "Data penerima di desa tersebut sudah diverifikasi ulang bersama pendamping dan perangkat desa."},
	{7, "Nama tidak terdaftar penerima bantuan", "Keluarga kami terdaftar di desa tetapi tidak muncul sebagai penerima bantuan sejak {waktu} yang lalu.",
	 "Data keluarga pelapor sudah diusulkan dalam pemutakhiran data bulan ini."},
	{8, "Papan informasi desa rusak", "Papan informasi di depan kantor desa {desa} rusak sehingga pengumuman tidak bisa ditempel.",
	 "Papan informasi sudah diganti dan pengumuman desa juga dimuat di situs kabupaten."},
	{8, "Suara bising pabrik pada malam hari", "Pabrik {tempat} beroperasi sampai larut malam dengan suara mesin yang sangat bising sejak {waktu} yang lalu.",
	 "Kami sudah meminta pengelola pabrik memasang peredam suara dan membatasi jam operasi."},
};
#define N_TPLS (sizeof tpls / sizeof tpls[0])

static const char *const places[] = {
	"di depan SD Negeri 1", "dekat pasar", "di RT 03 RW 02", "di jalan menuju balai desa", "dekat masjid",
	"di pertigaan jalan utama", "dekat puskesmas pembantu", "di gang samping kantor desa",
	"dekat lapangan sepak bola", "di perumahan baru", "dekat pangkalan ojek", "di tikungan tajam"};
static const char *const durations[] = {"dua minggu", "sebulan", "tiga hari", "lebih dari seminggu",
	"hampir dua bulan", "sepuluh hari"};
static const struct {
	const char *slug, *name;
} villages[] = {
	{"kel-sukamaju", "Kelurahan Sukamaju"}, {"kel-pasarbaru", "Kelurahan Pasarbaru"},
	{"desa-mekarsari", "Desa Mekarsari"}, {"desa-cibening", "Desa Cibening"},
	{"desa-sindangwangi", "Desa Sindangwangi"}, {"desa-cikahuripan", "Desa Cikahuripan"},
	{"desa-pasirlaya", "Desa Pasirlaya"}, {"desa-sukaresmi", "Desa Sukaresmi"},
	{"desa-tanjungsari", "Desa Tanjungsari"}, {"desa-margaluyu", "Desa Margaluyu"},
	{"desa-karangmulya", "Desa Karangmulya"}};
#define N_VILLAGES (sizeof villages / sizeof villages[0])

static const char *const questions[] = {
	"Mohon sebutkan lokasi tepatnya: nama jalan atau patokan terdekat.",
	"Sejak kapan hal ini terjadi? Bila ada, mohon kirim foto keadaannya.",
	"Mohon jelaskan kantor dan hari kejadiannya agar kami dapat menelusurinya."};
static const char *const replies[] = {
	"Lokasinya sekitar 50 meter dari masjid, di depan warung kelontong.",
	"Sudah terjadi sejak awal bulan, makin parah setelah hujan.",
	"Kejadiannya hari Senin pagi di loket pelayanan."};
static const char *const out_reasons[] = {
	"Ruas jalan tersebut jalan nasional; laporan kami teruskan kepada balai pengelola jalan nasional.",
	"Masalah ini urusan antarwarga. Silakan dimusyawarahkan bersama perangkat desa.",
	"Laporan ini menyangkut perusahaan swasta di luar kewenangan Pemerintah Kabupaten."};
static const char *const reopen_reasons[] = {
	"Sudah diperbaiki, tetapi seminggu kemudian rusak lagi.",
	"Hanya ditangani sekali, sekarang keadaannya kembali seperti semula.",
	"Jawaban belum menyelesaikan masalah di lokasi kami."};

/* Final states of the plan (the handling statuses, plus paths through them). */
enum plan {
	P_NEW, P_NEEDS_INFO, P_DISPOSED, P_HANDED, P_ANSWERED, P_CONFIRMED, P_INFO_ANSWERED,
	P_REOPENED, P_REANSWERED, P_OUT, P_MERGED, P__MAX
};

struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL); /* splitmix64 */
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* A number in [lo, hi]. */
static int64_t pick(struct rng *r, int64_t lo, int64_t hi)
{
	return hi <= lo ? lo : lo + (int64_t)(next(r) % (uint64_t)(hi - lo + 1));
}

struct open_ref {
	char tracking[PD_TRACKING_COMPACT_LEN + 1];
	int cat;
};

struct staff {
	struct pd_actor actor;
	struct pd_grant grant;
	bool ok;
};

struct demo {
	const struct pd_keyset *ks;
	const struct pd_calendar *cal;
	int tz;
	const struct pd_demo_people *people;
	int64_t now;
	int64_t age_ms[N_COMPLAINTS];      /* oldest first */
	struct staff coordinator, supervisor, unit_officer[N_CATS];
	struct pd_arena *arena;            /* actors and grants for the whole run */
	struct open_ref open[MAX_OPEN];    /* open complaints, merge targets */
	int n_open;
	int counts[P__MAX], n_held_left, n_supports, n_escalated;
};

/* --- set-up ---------------------------------------------------------------------------------- */

static int cats_tx(struct pd_tx *tx, void *p)
{
	struct demo *d = p;
	struct pd_actor sys = {.system = true};
	struct pd_app_ctx c = {.actor = &sys, .ks = d->ks, .now_ms = d->now - (SPAN_DAYS + 10) * DAY_MS,
	                       .quiet = true};
	for (size_t i = 0; i < N_CATS; i++) {
		int rc = pd_complaint_category_add(tx, &c, cats[i].code, cats[i].name, cats[i].desc,
		                                   cats[i].unit, cats[i].days, cats[i].keywords, NULL);
		if (rc) {
			pd_log(PD_LOG_ERROR, "demo_failed", "complaint_category=%s rc=%d", cats[i].code, rc);
			return rc;
		}
	}
	return PD_OK;
}

/* The demo person with role (at unit, when given), or NULL. */
static const struct pd_demo_person *person(const struct demo *d, const char *role, const char *unit)
{
	for (size_t i = 0; i < d->people->n; i++) {
		const struct pd_demo_person *p = &d->people->p[i];
		if (strcmp(p->role, role) == 0 && (!unit || strcmp(p->unit, unit) == 0))
			return p;
	}
	return NULL;
}

/* An actor for the demo person of role at unit, holding that grant; ok false when none. */
static int staff_set(struct pd_tx *tx, struct demo *d, struct staff *s, const char *role_name,
                     enum pd_role role, const char *unit)
{
	memset(s, 0, sizeof *s);
	const struct pd_demo_person *p = person(d, role_name, unit);
	if (!p)
		return PD_OK;
	struct pd_unit u;
	enum pd_qs qs = pd_store_unit_by_slug(tx, unit, d->arena, &u);
	if (qs < 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
	if (qs == PD_QS_NONE)
		return PD_OK;
	s->grant = (struct pd_grant){role, u.id, u.path, u.slug};
	s->actor = (struct pd_actor){.account_id = p->id, .kind = PD_ACCOUNT_STAFF, .lang = "id",
	                             .email_verified = true, .grants = &s->grant, .n_grants = 1};
	s->ok = true;
	return PD_OK;
}

static int staff_tx(struct pd_tx *tx, void *p)
{
	struct demo *d = p;
	int rc = staff_set(tx, d, &d->coordinator, "coordinator", PD_ROLE_COORDINATOR, "sukamaju");
	if (!rc)
		rc = staff_set(tx, d, &d->supervisor, "supervisor", PD_ROLE_SUPERVISOR, "sukamaju");
	for (size_t i = 0; !rc && i < N_CATS; i++)
		rc = staff_set(tx, d, &d->unit_officer[i], "officer", PD_ROLE_OFFICER, cats[i].unit);
	return rc;
}

/* --- one complaint --------------------------------------------------------------------------- */

/* tpl with {tempat}, {desa} and {waktu} filled, arena-owned. */
static char *fill(struct pd_arena *a, const char *tpl, const char *place, const char *village,
                  const char *duration)
{
	char buf[1024];
	size_t k = 0;
	for (const char *p = tpl; *p && k + 1 < sizeof buf;) {
		const char *v = NULL;
		size_t skip = 0;
		if (strncmp(p, "{tempat}", 8) == 0)
			v = place, skip = 8;
		else if (strncmp(p, "{desa}", 6) == 0)
			v = village, skip = 6;
		else if (strncmp(p, "{waktu}", 7) == 0)
			v = duration, skip = 7;
		if (v) {
			size_t n = strlen(v);
			if (k + n >= sizeof buf)
				break;
			memcpy(buf + k, v, n);
			k += n;
			p += skip;
		} else {
			buf[k++] = *p++;
		}
	}
	buf[k] = '\0';
	return pd_arena_strdup(a, buf);
}

/* ms moved into office hours (08:00-15:59 local) on a working day, not after limit. */
static int64_t at_work(const struct demo *d, struct rng *r, int64_t ms, int64_t limit)
{
	int64_t tz = (int64_t)d->tz * 60000, local = ms + tz;
	int64_t midnight = local - ((local % DAY_MS) + DAY_MS) % DAY_MS, hour = local - midnight;
	int32_t day = pd_calendar_day_of(d->cal, ms);
	if (pd_calendar_is_working(d->cal, day) && hour >= 8 * HOUR_MS && hour < 16 * HOUR_MS)
		return ms;
	if (hour >= 8 * HOUR_MS) {
		day++;
		midnight += DAY_MS;
	}
	for (int i = 0; i < 14 && !pd_calendar_is_working(d->cal, day); i++) {
		day++;
		midnight += DAY_MS;
	}
	int64_t t = midnight - tz + 8 * HOUR_MS + pick(r, 0, 3 * HOUR_MS);
	return t < limit ? t : ms;
}

/* The time of the next step: about `after` later than t, in office hours, before the end. */
static int64_t step(const struct demo *d, struct rng *r, int64_t t, int64_t after)
{
	int64_t end = d->now - 10 * 60000, want = at_work(d, r, t + after, end);
	return want > t && want < end ? want : t + 60000;
}

/* The final state of a complaint filed age_ms ago. Few young ones are left running at a unit
 * (the HTTP test of escalation moves the clock two weeks on and reads the supervisor's ten
 * newest notifications), and reopened ones are old enough for their new deadline to be past. */
static enum plan choose(struct rng *r, int64_t age_ms)
{
	int64_t days = age_ms / DAY_MS, x = pick(r, 0, 99);
	if (days < 2)
		return x < 75 ? P_NEW : P_NEEDS_INFO;
	if (days < 14)
		return x < 5 ? P_NEW : x < 20 ? P_NEEDS_INFO : x < 30 ? P_DISPOSED : x < 65 ? P_ANSWERED
		       : x < 83 ? P_OUT : P_MERGED;
	enum plan p = x < 3    ? P_NEW
	              : x < 7  ? P_NEEDS_INFO
	              : x < 17 ? P_DISPOSED
	              : x < 20 ? P_HANDED
	              : x < 47 ? P_ANSWERED
	              : x < 67 ? P_CONFIRMED
	              : x < 70 ? P_INFO_ANSWERED
	              : x < 75 ? P_REOPENED
	              : x < 80 ? P_REANSWERED
	              : x < 91 ? P_OUT
	                       : P_MERGED;
	return p == P_REOPENED && days < 45 ? P_REANSWERED : p;
}

/* The ctx of actor s at time t (the coordinator or supervisor standing in when s is none). */
static struct pd_app_ctx as(const struct demo *d, const struct staff *s, int64_t t)
{
	const struct staff *who = s && s->ok ? s : d->supervisor.ok ? &d->supervisor : NULL;
	static const struct pd_actor sys = {.system = true};
	return (struct pd_app_ctx){.actor = who ? &who->actor : &sys, .ks = d->ks, .cal = d->cal,
	                           .now_ms = t, .quiet = true};
}

static int failed(int i, const char *what, int rc, const struct pd_app_errors *errs)
{
	pd_log(PD_LOG_ERROR, "demo_failed", "complaint=%d step=%s rc=%d field=%s", i, what, rc,
	       errs && errs->n ? errs->field[0] : "");
	return rc ? rc : PD_ERR_INVALID;
}

#define STEP(what, call)                                   \
	do {                                                   \
		struct pd_app_errors errs_ = {0};                  \
		struct pd_app_errors *errs = &errs_;               \
		int rc_ = (call);                                  \
		(void)errs;                                        \
		if (rc_)                                           \
			return failed(i, what, rc_, &errs_);           \
	} while (0)

/* Makes complaint i: files it and takes it through the steps of its plan. */
static int make_one(struct pd_tx *tx, struct demo *d, int i)
{
	struct pd_arena *a = pd_tx_arena(tx);
	struct rng r = {0x5EED0000ULL + (uint64_t)i * 7919};
	int64_t filed_at = d->now - d->age_ms[i];
	enum plan plan = choose(&r, d->age_ms[i]);
	size_t t = (size_t)pick(&r, 0, N_TPLS - 1);
	/* Half as many rubbish reports: the public list test reads one page of them (20). */
	if (tpls[t].cat == 3 && i % 2)
		t = (t + 3) % N_TPLS;
	const int cat = tpls[t].cat;
	size_t v = (size_t)pick(&r, 0, N_VILLAGES - 1);
	/* Desa Cibening keeps no open road report: the HTTP tests of similar complaints file their
	 * own there and expect to find only theirs. */
	if (cat == 0 && strcmp(villages[v].slug, "desa-cibening") == 0)
		v = (v + 1) % N_VILLAGES;
	const char *place = places[pick(&r, 0, sizeof places / sizeof places[0] - 1)];
	const char *dur = durations[pick(&r, 0, sizeof durations / sizeof durations[0] - 1)];
	const char *title = fill(a, tpls[t].title, place, villages[v].name, dur);
	const char *text = fill(a, tpls[t].text, place, villages[v].name, dur);

	/* Who files and how. */
	int64_t ch = pick(&r, 0, 999);
	const char *channel = ch < OPEN311_PERMILLE ? "open311" : ch < OPEN311_PERMILLE + SMS_PERMILLE ? "sms" : "web";
	const struct pd_demo_person *who = NULL;
	if (strcmp(channel, "web") == 0 && pick(&r, 0, 99) < 65) {
		size_t start = (size_t)pick(&r, 0, (int64_t)d->people->n - 1);
		for (size_t k = 0; k < d->people->n && !who; k++) {
			const struct pd_demo_person *pp = &d->people->p[(start + k) % d->people->n];
			if (strcmp(pp->role, "citizen") == 0)
				who = pp;
		}
	}
	struct pd_actor citizen = {.kind = PD_ACCOUNT_CITIZEN, .lang = "id", .email_verified = true};
	if (who)
		citizen.account_id = who->id;
	int64_t vis_roll = pick(&r, 0, 99);
	enum pd_complaint_visibility vis = strcmp(channel, "open311") == 0 ? PD_CMP_ANONYMOUS
	                                   : strcmp(channel, "sms") == 0 ? PD_CMP_PUBLIC
	                                   : vis_roll < 25             ? PD_CMP_CONFIDENTIAL
	                                   : vis_roll < 45             ? PD_CMP_ANONYMOUS
	                                                               : PD_CMP_PUBLIC;
	/* A few name themselves by NIK (fictional region 32.19): held until an officer checks. */
	bool with_nik = strcmp(channel, "web") == 0 && pick(&r, 0, 99) < 9;
	const char *typed = with_nik ? pd_arena_printf(a, "%s Untuk dihubungi, NIK saya 32190%d52049%05d.",
	                                              text, (int)(v % 4) + 1, 7100 + i)
	                             : text;
	char phone[24] = "";
	if (strcmp(channel, "sms") == 0)
		snprintf(phone, sizeof phone, "+6280000%06d", 100 + i);
	struct pd_complaint_input in = {
		.channel = channel, .category_code = cats[cat].code, .title = title, .text = typed,
		.village_slug = villages[v].slug, .visibility = vis,
		.about_person = cat == 5, /* pungli: about a person */
		.occurred_ms = filed_at - pick(&r, 0, 5) * DAY_MS,
		.contact_name = NULL, .contact_email = NULL,
		.contact_phone = phone[0] ? phone : NULL,
		.want_token = !who && strcmp(channel, "web") == 0,
	};
	if (in.occurred_ms < 0)
		in.occurred_ms = 0;
	if (strcmp(channel, "web") == 0 && !who && pick(&r, 0, 99) < 40)
		in.contact_email = pd_arena_printf(a, "pelapor%d@contoh.example", i);
	struct pd_app_ctx fc = {.actor = who ? &citizen : NULL, .ks = d->ks, .cal = d->cal,
	                        .now_ms = filed_at, .quiet = true};
	struct pd_complaint_filed out;
	STEP("file", pd_complaint_file(tx, &fc, &in, errs, &out));
	const char *id = pd_arena_strdup(a, out.id), *token = out.token[0] ? pd_arena_strdup(a, out.token) : NULL;
	/* The reporter's steps need the account or the follow-up token. */
	bool reporter = who || token;
	if (!reporter && (plan == P_CONFIRMED || plan == P_REOPENED || plan == P_REANSWERED ||
	                  plan == P_INFO_ANSWERED || plan == P_NEEDS_INFO))
		plan = plan == P_NEEDS_INFO ? P_NEW : P_ANSWERED;
	struct pd_app_ctx rc_ctx = {.actor = who ? &citizen : NULL, .ks = d->ks, .cal = d->cal,
	                            .quiet = true};
	const struct staff *unit = &d->unit_officer[cat];
	int64_t now = filed_at;

	/* The officer's check of a held report: most get their public copy approved. */
	if (out.held) {
		bool open_end = plan == P_NEW || plan == P_NEEDS_INFO || plan == P_DISPOSED || plan == P_HANDED;
		if (!open_end || i % 3 == 0) {
			now = step(d, &r, now, pick(&r, 1, 20) * HOUR_MS);
			struct pd_app_ctx c = as(d, &d->coordinator, now);
			const char *pub_title = cat == 5 ? "Dugaan pungutan di luar ketentuan" : title;
			STEP("approve_public", pd_complaint_approve_public(tx, &c, id, 0, pub_title, text, errs));
		} else {
			d->n_held_left++;
		}
	}
	if (plan == P_NEW)
		goto done;
	now = step(d, &r, now, pick(&r, 2, 30) * HOUR_MS);
	if (plan == P_NEEDS_INFO || plan == P_INFO_ANSWERED) {
		struct pd_app_ctx c = as(d, &d->coordinator, now);
		STEP("ask_info", pd_complaint_ask_info(tx, &c, id, 0, questions[pick(&r, 0, 2)], errs));
		if (plan == P_NEEDS_INFO)
			goto done;
		now = step(d, &r, now, pick(&r, 1, 4) * DAY_MS);
		rc_ctx.now_ms = now;
		STEP("reply", pd_complaint_reporter_reply(tx, &rc_ctx, out.tracking, token,
		                                          replies[pick(&r, 0, 2)], errs));
		now = step(d, &r, now, pick(&r, 2, 20) * HOUR_MS);
	}
	if (plan == P_OUT) {
		struct pd_app_ctx c = as(d, &d->coordinator, now);
		STEP("out_of_scope", pd_complaint_out_of_scope(tx, &c, id, 0, out_reasons[pick(&r, 0, 2)], errs));
		goto done;
	}
	if (plan == P_MERGED) {
		/* Into an open complaint of the same category filed earlier; none: dispose instead. */
		int target = -1;
		for (int k = d->n_open - 1; k >= 0 && target < 0; k--)
			if (d->open[k].cat == cat)
				target = k;
		if (target >= 0) {
			struct pd_app_ctx c = as(d, &d->coordinator, now);
			STEP("merge", pd_complaint_merge(tx, &c, id, 0, d->open[target].tracking, errs));
			goto done;
		}
		plan = P_DISPOSED;
	}
	{
		struct pd_app_ctx c = as(d, &d->coordinator, now);
		STEP("dispose", pd_complaint_dispose(tx, &c, id, 0, cats[cat].unit,
		                                     pick(&r, 0, 1) ? "Mohon ditindaklanjuti sesuai prosedur." : NULL,
		                                     errs));
	}
	if (plan == P_HANDED || (plan == P_DISPOSED && cats[cat].hand_to && pick(&r, 0, 1))) {
		if (cats[cat].hand_to) {
			now = step(d, &r, now, pick(&r, 4, 40) * HOUR_MS);
			struct pd_app_ctx c = as(d, unit, now);
			STEP("hand_on", pd_complaint_hand_on(tx, &c, id, 0, cats[cat].hand_to, cats[cat].hand_reason, errs));
			for (size_t k = 0; k < N_CATS; k++)
				if (strcmp(cats[k].unit, cats[cat].hand_to) == 0 && d->unit_officer[k].ok)
					unit = &d->unit_officer[k];
		}
		plan = P_DISPOSED;
	}
	if (plan == P_DISPOSED)
		goto done;
	/* Answered: most within the deadline (working days ≈ 1.4 calendar days), some late. */
	int64_t deadline_ms = (int64_t)cats[cat].days * 14 * DAY_MS / 10;
	now = step(d, &r, now, deadline_ms * pick(&r, 15, 125) / 100);
	{
		struct pd_app_ctx c = as(d, unit, now);
		STEP("answer", pd_complaint_answer(tx, &c, id, 0, tpls[t].answer, errs));
	}
	if (plan == P_CONFIRMED) {
		rc_ctx.now_ms = now = step(d, &r, now, pick(&r, 1, 5) * DAY_MS);
		STEP("confirm", pd_complaint_confirm(tx, &rc_ctx, out.tracking, token));
	} else if (plan == P_REOPENED || plan == P_REANSWERED) {
		rc_ctx.now_ms = now = step(d, &r, now, pick(&r, 2, 9) * DAY_MS);
		STEP("reopen", pd_complaint_reopen(tx, &rc_ctx, out.tracking, token,
		                                   reopen_reasons[pick(&r, 0, 2)], errs));
		if (plan == P_REANSWERED) {
			now = step(d, &r, now, pick(&r, 1, 6) * DAY_MS);
			struct pd_app_ctx c = as(d, unit, now);
			STEP("answer_again", pd_complaint_answer(
			                             tx, &c, id, 0,
			                             "Kami sudah meninjau ulang lokasi dan menyelesaikan perbaikan yang tersisa. Terima kasih atas kesabarannya.",
			                             errs));
		}
	}
done:
	d->counts[plan]++;
	if ((plan == P_NEW || plan == P_DISPOSED || plan == P_REOPENED) && d->n_open < MAX_OPEN) {
		snprintf(d->open[d->n_open].tracking, sizeof d->open[0].tracking, "%s", out.tracking);
		d->open[d->n_open++].cat = cat;
	}
	/* Neighbours support some published, open ones (each account once). */
	if (out.published && vis != PD_CMP_CONFIDENTIAL && pick(&r, 0, 99) < 30 &&
	    (plan == P_NEW || plan == P_DISPOSED || plan == P_REOPENED)) {
		int64_t n_sup = pick(&r, 1, 4);
		for (int64_t k = 0; k < n_sup; k++) {
			const struct pd_demo_person *sp = &d->people->p[(size_t)pick(&r, 0, (int64_t)d->people->n - 1)];
			if (strcmp(sp->role, "citizen") != 0)
				continue;
			struct pd_actor sa = {.account_id = sp->id, .kind = PD_ACCOUNT_CITIZEN, .lang = "id",
			                      .email_verified = true};
			struct pd_app_ctx c = {.actor = &sa, .ks = d->ks, .now_ms = step(d, &r, filed_at, pick(&r, 1, 48) * HOUR_MS),
			                       .quiet = true};
			int64_t count = 0;
			int rc = pd_complaint_support(tx, &c, out.tracking, &count);
			if (rc && rc != PD_ERR_NOT_FOUND && rc != PD_ERR_CONFLICT)
				return failed(i, "support", rc, NULL);
			d->n_supports += rc ? 0 : 1;
		}
	}
	return PD_OK;
}

static int escalate(struct pd_tx *tx, struct demo *d)
{
	struct pd_actor sys = {.system = true};
	struct pd_app_ctx c = {.actor = &sys, .ks = d->ks, .cal = d->cal, .now_ms = d->now, .quiet = true};
	int64_t n = 0;
	int rc = pd_complaint_escalate_due(tx, &c, d->now, PD_COMPLAINT_ESCALATE_MAX, &n);
	d->n_escalated = (int)n;
	return rc;
}

/* Everything in one transaction: one sync, which is most of the time it takes. The store may
 * run it again after a transient failure, so it starts from a clean slate. */
static int all_tx(struct pd_tx *tx, void *p)
{
	struct demo *d = p;
	d->n_open = d->n_held_left = d->n_supports = d->n_escalated = 0;
	memset(d->counts, 0, sizeof d->counts);
	int rc = cats_tx(tx, d);
	if (!rc)
		rc = staff_tx(tx, d);
	for (int i = 0; !rc && i < N_COMPLAINTS; i++)
		rc = make_one(tx, d, i);
	return rc ? rc : escalate(tx, d);
}

static int cmp_age_desc(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? 1 : a > b ? -1 : 0;
}

int pd_demo_complaints(struct pd_store *st, const struct pd_config *cfg,
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
	struct demo *d = calloc(1, sizeof *d);
	if (!d || (rc = pd_calendar_from_store(st, cfg->tz_offset_min, &cal))) {
		rc = d ? rc : PD_ERR_NOMEM;
		goto out;
	}
	d->ks = ks;
	d->cal = cal;
	d->tz = cfg->tz_offset_min;
	d->people = people;
	d->now = pd_clock_now_ms();
	d->arena = pd_arena_new();
	/* Ages: more recent ones than old ones (between u and u^2 over six months), oldest first. */
	struct rng r = {0xC0FFEE5EEDULL};
	for (int i = 0; i < N_COMPLAINTS; i++) {
		double u = (double)(next(&r) >> 11) / 9007199254740992.0;
		double w = 0.5 * u * u + 0.5 * u;
		d->age_ms[i] = (int64_t)(w * SPAN_DAYS * DAY_MS) + pick(&r, 5, 60) * 60000;
	}
	qsort(d->age_ms, N_COMPLAINTS, sizeof d->age_ms[0], cmp_age_desc);
	rc = pd_store_write(st, all_tx, d);
	if (!rc)
		printf("pendopo: demo complaints filed (%zu categories, %d complaints: %d new, %d waiting "
		       "for information, %d at a unit, %d answered, %d reopened, %d out of scope, %d merged; "
		       "%d held for a check, %d escalated, %d supports)\n",
		       N_CATS, N_COMPLAINTS, d->counts[P_NEW], d->counts[P_NEEDS_INFO],
		       d->counts[P_DISPOSED] + d->counts[P_HANDED],
		       d->counts[P_ANSWERED] + d->counts[P_CONFIRMED] + d->counts[P_INFO_ANSWERED] +
		               d->counts[P_REANSWERED],
		       d->counts[P_REOPENED], d->counts[P_OUT], d->counts[P_MERGED], d->n_held_left,
		       d->n_escalated, d->n_supports);
out:
	if (d && d->arena)
		pd_arena_free(d->arena);
	free(d);
	pd_calendar_free(cal);
	pd_keyset_free(ks);
	return rc;
}
