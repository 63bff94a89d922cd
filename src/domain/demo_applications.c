/* The demo's history: a few hundred applications to the demo services, dated across the last
 * twelve months, in every state (draft, submitted, processing, returned, approved with its
 * document, rejected), some overdue, some filed with a village officer's help, and the
 * satisfaction survey answers of completed ones, made through the domain's own functions with
 * quiet contexts (portal notifications, no email: this past is not mailed to anyone). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "domain/application.h"
#include "domain/calendar.h"
#include "domain/demo.h"
#include "domain/demo_services.h"
#include "domain/form.h"
#include "domain/keys.h"
#include "domain/survey.h"
#include "store/unit_store.h"

#define N_APPS 340    /* applications besides the drafts */
#define PER_TX 20     /* applications per write transaction */
#define DAY_MS 86400000LL
#define HOUR_MS 3600000LL
#define MAX_SERVICES 24

/* How often each service is asked for, and the survey mood of its unit (the chance in
 * hundredths that an element gets a 4, then a 3; the rest are 2s and a few 1s). */
static const struct {
	const char *slug;
	int weight, p4, p3;
} popularity[] = {
	{"ktp-el", 40, 64, 33}, {"kartu-keluarga", 40, 64, 33}, {"akta-kelahiran", 34, 68, 29},
	{"akta-kematian", 14, 66, 31}, {"surat-pindah", 18, 60, 36},
	{"kartu-identitas-anak", 14, 66, 31}, {"nib-usaha-mikro", 24, 30, 52},
	{"persetujuan-bangunan-gedung", 10, 18, 52}, {"izin-reklame", 8, 25, 50},
	{"sip-tenaga-kesehatan", 10, 35, 50}, {"persetujuan-lingkungan-sppl", 6, 40, 45},
	{"sktm", 22, 45, 45}, {"surat-keterangan-domisili", 14, 45, 45},
};
#define N_POPULAR (sizeof popularity / sizeof popularity[0])

static const char *const return_notes[] = {
	"Hasil pindai Kartu Keluarga buram dan tidak terbaca; mohon unggah ulang yang jelas.",
	"Dokumen yang diunggah terpotong di halaman kedua; mohon unggah berkas lengkap.",
	"Nama pada formulir berbeda dengan nama pada Kartu Keluarga; mohon disesuaikan.",
	"Berkas pendukung belum ditandatangani pejabat yang berwenang; mohon unggah yang sudah "
	"ditandatangani.",
	"Alamat belum mencantumkan RT/RW; mohon dilengkapi.",
};

static const struct {
	const char *slug, *reason;
} reasons[] = {
	{"ktp-el", "Data pemohon terdeteksi ganda (NIK sudah memiliki KTP-el aktif); silakan "
	           "ajukan penggantian bila KTP-el rusak atau hilang."},
	{"kartu-keluarga", "Dokumen dasar perubahan tidak sesuai dengan perubahan yang diminta."},
	{"akta-kelahiran", "Anak sudah tercatat dalam register akta kelahiran daerah lain."},
	{"akta-kematian", "Data almarhum tercatat sebagai penduduk daerah lain; laporkan ke "
	                  "Disdukcapil daerah domisili."},
	{"surat-pindah", "Alamat tujuan tidak lengkap sampai tingkat desa/kelurahan."},
	{"kartu-identitas-anak", "Anak telah berusia 17 tahun; silakan mengajukan KTP-el."},
	{"nib-usaha-mikro", "Modal usaha melebihi batas usaha kecil; ajukan sebagai usaha menengah "
	                    "melalui OSS."},
	{"persetujuan-bangunan-gedung", "Lokasi bangunan berada di sempadan sungai menurut KKPR."},
	{"izin-reklame", "Lokasi berada di zona larangan reklame (radius 50 m dari sekolah)."},
	{"sip-tenaga-kesehatan", "STR tidak ditemukan pada sistem SATUSEHAT SDMK."},
	{"persetujuan-lingkungan-sppl", "Jenis usaha wajib UKL-UPL, bukan SPPL (Permen LHK "
	                                "4/2021)."},
	{"sktm", "Hasil verifikasi lapangan menunjukkan keluarga tidak termasuk kriteria tidak "
	         "mampu."},
	{"surat-keterangan-domisili", "Pemohon tidak tercatat bertempat tinggal di Desa Mekarsari."},
};

static const char *const streets[] = {
	"Jl. Merdeka", "Jl. Siliwangi", "Jl. Pahlawan", "Jl. Raya Cibening", "Kp. Sukasari",
	"Jl. Pasar Baru", "Kp. Cikadu", "Jl. Mekar Indah", "Perum Griya Sukamaju Blok B",
};

/* A deterministic generator (splitmix64): the same demo every time, dated from now. */
struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static int64_t pick(struct rng *r, int64_t lo, int64_t hi) /* lo..hi inclusive */
{
	return hi <= lo ? lo : lo + (int64_t)(next(r) % (uint64_t)(hi - lo + 1));
}

struct svc {
	const char *slug, *unit;
	int weight, p4, p3;
	int64_t days;             /* working days promised */
	bool free_of_charge;
	int n_checks;             /* lines of the requirements (the officer's checklist) */
	struct pd_form form;
	struct pd_actor officer;  /* an officer of the owning unit */
	struct pd_grant grant;
};

struct demo {
	struct pd_store *st;
	struct pd_keyset *ks;
	const struct pd_calendar *cal;
	int tz;
	const struct pd_demo_people *people;
	json_t *samples;
	struct pd_arena *arena;   /* forms, actors: for the whole run */
	struct svc svcs[MAX_SERVICES];
	int n_svcs, total_weight;
	const struct pd_demo_person *named[3]; /* citizens of demo-accounts.txt */
	size_t n_named;
	struct pd_actor helper;   /* the village officer who files assisted applications */
	struct pd_grant helper_grant;
	char pdf_path[4200], png_path[4200];
	int64_t now;
	int64_t q_start;          /* when the running quarter began (local midnight) */
	int done;                 /* applications made so far (the next transaction's first) */
	/* What changes as applications are made; t0 is the state before the running transaction,
	 * restored when the store retries it so that a retry makes the same applications. */
	struct tally {
		struct rng rng;
		int counts[PD_APP__MAX], n_assisted, n_attached, n_surveys;
	} t, t0;
};

/* --- set-up ---------------------------------------------------------------------------------- */

/* Small files for the uploads: a one-page PDF and a 1×1 PNG. */
static const char demo_pdf[] =
	"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
	"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
	"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
	"4 0 obj<</Length 58>>stream\nBT /F1 14 Tf 72 770 Td (Berkas contoh - demo Pendopo) Tj ET\n"
	"endstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
	"trailer<</Root 1 0 R>>\n%%EOF\n";
static const unsigned char demo_png[] = {
	0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
	0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90,
	0x77, 0x53, 0xDE, 0x00, 0x00, 0x00, 0x0C, 0x49, 0x44, 0x41, 0x54, 0x08, 0xD7, 0x63, 0xF8,
	0xCF, 0xC0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00, 0x18, 0xDD, 0x8D, 0xB0, 0x00, 0x00, 0x00,
	0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
};

static int write_temp(char *path, size_t n, const char *dir, const char *name, const void *p,
                      size_t len)
{
	snprintf(path, n, "%s/.demo-%s-XXXXXX", dir, name);
	int fd = mkstemp(path);
	if (fd < 0) {
		path[0] = '\0';
		return PD_ERR_IO;
	}
	bool ok = write(fd, p, len) == (ssize_t)len;
	return close(fd) == 0 && ok ? PD_OK : PD_ERR_IO;
}

static int set_grant(struct pd_tx *tx, struct pd_arena *a, const char *slug, enum pd_role role,
                     struct pd_grant *g)
{
	struct pd_unit u;
	if (pd_store_unit_by_slug(tx, slug, a, &u) <= 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_NOT_FOUND;
	*g = (struct pd_grant){role, u.id, u.path, u.slug};
	return PD_OK;
}

static const struct pd_demo_person *staff_of(const struct demo *d, const char *role,
                                             const char *unit)
{
	for (size_t i = 0; i < d->people->n; i++) {
		const struct pd_demo_person *p = &d->people->p[i];
		if (strcmp(p->role, role) == 0 && strcmp(p->unit, unit) == 0)
			return p;
	}
	return NULL;
}

static void staff_actor(struct pd_actor *a, const struct pd_demo_person *p, struct pd_grant *g)
{
	*a = (struct pd_actor){.account_id = p->id, .kind = PD_ACCOUNT_STAFF, .lang = "id",
	                       .email_verified = true, .grants = g, .n_grants = 1};
}

struct setup_arg {
	struct demo *d;
	json_t *services, *forms;
};

/* Loads each service's unit, form and officer. */
static int setup_tx(struct pd_tx *tx, void *p)
{
	struct setup_arg *sa = p;
	struct demo *d = sa->d;
	size_t i;
	json_t *s;
	d->n_svcs = 0;
	d->total_weight = 0;
	json_array_foreach(sa->services, i, s) {
		if (d->n_svcs == MAX_SERVICES)
			break;
		struct svc *v = &d->svcs[d->n_svcs];
		memset(v, 0, sizeof *v);
		v->slug = json_string_value(json_object_get(s, "slug"));
		v->unit = json_string_value(json_object_get(s, "unit"));
		v->days = json_integer_value(json_object_get(s, "processing_days"));
		v->free_of_charge = json_integer_value(json_object_get(s, "fee")) == 0;
		const char *req = json_string_value(json_object_get(s, "requirements"));
		for (const char *c = req; c && *c; c++)
			v->n_checks += (c == req || c[-1] == '\n') && *c != '\n';
		for (size_t k = 0; k < N_POPULAR; k++)
			if (strcmp(popularity[k].slug, v->slug) == 0) {
				v->weight = popularity[k].weight;
				v->p4 = popularity[k].p4;
				v->p3 = popularity[k].p3;
			}
		const struct pd_demo_person *off = staff_of(d, "officer", v->unit);
		if (!v->weight || !off)
			continue; /* a service without demand or staff gets no history */
		int rc = set_grant(tx, d->arena, v->unit, PD_ROLE_OFFICER, &v->grant);
		if (rc)
			return rc;
		staff_actor(&v->officer, off, &v->grant);
		char *text = json_dumps(json_object_get(sa->forms, v->slug), JSON_COMPACT);
		if (text) {
			rc = pd_form_fields_parse(text, d->arena, &v->form.fields, &v->form.n_fields);
			free(text);
			if (rc)
				return rc;
		}
		d->total_weight += v->weight;
		d->n_svcs++;
	}
	d->n_named = 0;
	for (size_t k = 0; k < d->people->n && d->n_named < 3; k++)
		if (strcmp(d->people->p[k].role, "citizen") == 0)
			d->named[d->n_named++] = &d->people->p[k];
	const struct pd_demo_person *helper = staff_of(d, "officer", "desa-mekarsari");
	if (!helper)
		return PD_ERR_NOT_FOUND;
	int rc = set_grant(tx, d->arena, "desa-mekarsari", PD_ROLE_OFFICER, &d->helper_grant);
	if (rc)
		return rc;
	staff_actor(&d->helper, helper, &d->helper_grant);
	return PD_OK;
}

/* --- one application ------------------------------------------------------------------------- */

/* The sample for key of service slug at row (NULL when none): "slug.key" first. */
static json_t *sample(const struct demo *d, const char *slug, const char *key)
{
	char both[160];
	snprintf(both, sizeof both, "%s.%s", slug, key);
	json_t *v = json_object_get(d->samples, both);
	return v ? v : json_object_get(d->samples, key);
}

static const char *date_text(struct pd_arena *a, const struct demo *d, int64_t ms)
{
	int y, m, day;
	pd_civil_from_day(pd_calendar_day_of(d->cal, ms), &y, &m, &day);
	return pd_arena_printf(a, "%04d-%02d-%02d", y, m, day);
}

struct plan {
	const struct svc *v;
	const struct pd_demo_person *who;   /* the applicant */
	int row;                            /* sample row */
	int64_t t_sub;
	bool partial;                       /* a draft: some answers only */
};

struct values {
	struct pd_app_value vals[PD_APP_FIELDS_MAX * 2];
	int n;
	struct pd_app_upload ups[PD_APP_FILES_MAX];
	int n_up;
};

static void add(struct values *vs, const char *key, const char *value)
{
	if (vs->n < (int)(sizeof vs->vals / sizeof vs->vals[0]) && value)
		vs->vals[vs->n++] = (struct pd_app_value){key, value};
}

/* The answers of one application, plausible for the form's field types and keys. */
static void answers(struct demo *d, struct pd_arena *a, const struct plan *pl, struct values *vs)
{
	memset(vs, 0, sizeof *vs);
	const struct pd_form *f = &pl->v->form;
	for (int i = 0; i < f->n_fields; i++) {
		const struct pd_form_field *fl = &f->fields[i];
		if (pl->partial && next(&d->t.rng) % 2)
			continue;
		json_t *s = sample(d, pl->v->slug, fl->key);
		const char *text = json_is_array(s)
			? json_string_value(json_array_get(s, (size_t)pl->row % json_array_size(s)))
			: NULL;
		switch (fl->type) {
		case PD_FORM_FILE:
			if ((!fl->required && next(&d->t.rng) % 3) || vs->n_up == PD_APP_FILES_MAX)
				break;
			bool photo = strstr(fl->key, "foto") != NULL;
			vs->ups[vs->n_up++] = (struct pd_app_upload){
				fl->key, {photo ? d->png_path : d->pdf_path,
				          photo ? "image/png" : "application/pdf",
				          photo ? (int64_t)sizeof demo_png : (int64_t)sizeof demo_pdf - 1,
				          pd_arena_printf(a, "%s%s", fl->key, photo ? ".png" : ".pdf")}};
			break;
		case PD_FORM_CHOICE: /* the first option is the usual case */
			if (fl->n_options)
				add(vs, fl->key, fl->options[next(&d->t.rng) % 2
				                             ? 0 : next(&d->t.rng) % (uint64_t)fl->n_options]);
			break;
		case PD_FORM_MULTI:
			for (int k = 0; k < fl->n_options && k < 2; k++)
				add(vs, fl->key, fl->options[(pl->row + k) % fl->n_options]);
			break;
		case PD_FORM_YESNO:
			add(vs, fl->key, next(&d->t.rng) % 3 ? "ya" : "tidak");
			break;
		case PD_FORM_NIK: {
			/* the applicant's own, else someone else of the population */
			bool own = !strstr(fl->key, "ibu") && !strstr(fl->key, "almarhum") &&
			           !strstr(fl->key, "anak") && !strstr(fl->key, "ayah");
			const struct pd_demo_person *o = pl->who;
			for (int tries = 0; !own && tries < 8; tries++) {
				o = &d->people->p[next(&d->t.rng) % d->people->n];
				if (o->nik[0] && o != pl->who)
					break;
			}
			add(vs, fl->key, o->nik[0] ? o->nik : pl->who->nik);
			break;
		}
		case PD_FORM_PHONE:
			add(vs, fl->key, pd_arena_printf(a, "+62812%07d", (int)pick(&d->t.rng, 1000000,
			                                                             9999999)));
			break;
		case PD_FORM_EMAIL:
			add(vs, fl->key, pl->who->email);
			break;
		case PD_FORM_ADDRESS: {
			bool village_office = strcmp(pl->v->unit, "desa-mekarsari") == 0;
			add(vs, pd_arena_printf(a, "%s.desa", fl->key),
			    village_office ? "desa-mekarsari" : pl->who->unit);
			add(vs, pd_arena_printf(a, "%s.jalan", fl->key),
			    pd_arena_printf(a, "%s No. %d, RT %02d/RW %02d",
			                    streets[next(&d->t.rng) % (sizeof streets / sizeof streets[0])],
			                    (int)pick(&d->t.rng, 1, 120), (int)pick(&d->t.rng, 1, 8),
			                    (int)pick(&d->t.rng, 1, 12)));
			break;
		}
		case PD_FORM_DATE: {
			json_t *days = json_object_get(s, "days");
			int64_t lo = json_integer_value(json_array_get(days, 0));
			int64_t hi = json_integer_value(json_array_get(days, 1));
			add(vs, fl->key, date_text(a, d, pl->t_sub + pick(&d->t.rng, lo, hi) * DAY_MS));
			break;
		}
		case PD_FORM_NUMBER:
			add(vs, fl->key, text ? text : pd_arena_printf(a, "%d", (int)pick(&d->t.rng, 1, 5)));
			break;
		default: /* text, longtext */
			if (strcmp(fl->key, "nama") == 0)
				text = pl->who->name;
			if (text || fl->required)
				add(vs, fl->key, text ? text : "-");
			break;
		}
	}
}

static int step_error(const char *what, const char *slug, int rc, const struct pd_app_errors *e)
{
	pd_log(PD_LOG_ERROR, "demo_application_failed", "step=%s service=%s err=\"%s\" field=%s "
	       "msg=\"%s\"", what, slug, pd_strerror(rc), e && e->n ? e->field[0] : "-",
	       e && e->n ? e->msg[0] : "-");
	return rc;
}

/* A time of day in office hours (08:00-15:59 local) on the day of ms. */
static int64_t office_hours(const struct demo *d, struct rng *r, int64_t ms)
{
	int64_t local = ms + (int64_t)d->tz * 60000;
	int64_t day = local - ((local % DAY_MS) + DAY_MS) % DAY_MS;
	return day - (int64_t)d->tz * 60000 + pick(r, 8 * HOUR_MS, 16 * HOUR_MS - 60000);
}

/* The nine survey scores of a unit's mood. */
static void scores(struct demo *d, const struct svc *v, int out[PD_IKM__MAX])
{
	for (int e = 0; e < PD_IKM__MAX; e++) {
		int r = (int)pick(&d->t.rng, 0, 99);
		int p4 = e == PD_IKM_COST && v->free_of_charge ? 88 : v->p4; /* nothing to pay */
		out[e] = r < p4 ? 4 : r < p4 + v->p3 ? 3 : r < 97 ? 2 : 1;
	}
}

/* ms moved into office hours (08:00-15:59 local on a working day): unchanged when it is in
 * them, else the next opening time and up to two hours after. */
static int64_t at_work(struct demo *d, int64_t ms)
{
	int64_t tz = (int64_t)d->tz * 60000, local = ms + tz;
	int64_t midnight = local - ((local % DAY_MS) + DAY_MS) % DAY_MS, hour = local - midnight;
	int32_t day = pd_calendar_day_of(d->cal, ms);
	if (pd_calendar_is_working(d->cal, day) && hour >= 8 * HOUR_MS && hour < 16 * HOUR_MS)
		return ms;
	if (hour >= 8 * HOUR_MS) { /* past closing time (or a day off): from tomorrow */
		day++;
		midnight += DAY_MS;
	}
	for (int i = 0; i < 14 && !pd_calendar_is_working(d->cal, day); i++) {
		day++;
		midnight += DAY_MS;
	}
	return midnight - tz + 8 * HOUR_MS + pick(&d->t.rng, 0, 2 * HOUR_MS);
}

/* The time of the next step: want when it lies after t and before end, else a minute after
 * t (steps stay in order; the few that reach end crowd just before it). */
static int64_t later(int64_t t, int64_t want, int64_t end)
{
	return want > t && want < end ? want : t + 60000;
}

/* Makes one application reach status target (assisted: filed at the village office) for who
 * (NULL: a citizen picked at random). */
static int one(struct pd_tx *tx, struct demo *d, const struct svc *v,
               enum pd_app_status target, bool assisted, const struct pd_demo_person *who)
{
	struct pd_arena *a = pd_tx_arena(tx);
	struct rng *r = &d->t.rng;
	/* A citizen; for the village's letters one who lives there. */
	for (int tries = 0; tries < 200 && !who; tries++) {
		const struct pd_demo_person *p = &d->people->p[next(r) % d->people->n];
		if (strcmp(p->role, "citizen") == 0 && p->nik[0] &&
		    (strcmp(v->unit, "desa-mekarsari") != 0 || strcmp(p->unit, v->unit) == 0))
			who = p;
	}
	if (!who)
		return PD_ERR_NOT_FOUND;
	/* When: finished work anywhere in the year (more of it recently); open work recent, some
	 * of it past its due date. */
	int64_t age;
	if (pd_app_status_final(target)) {
		double u = (double)(next(r) % 1000) / 1000.0;
		age = 3 + (int64_t)(360.0 * u * u * sqrt(u));
		/* The IKM report opens on the last closed quarter (the running one is published
		 * when it ends): fill that one well, filed early enough to be answered in it. */
		int64_t q_days = (d->now - d->q_start) / DAY_MS;
		if (next(r) % 100 < 40)
			age = pick(r, q_days + 30, q_days + 88);
	} else if (target == PD_APP_DRAFT) {
		age = pick(r, 0, 20);
	} else { /* mostly within the promised time; one in four past it */
		age = next(r) % 4 ? pick(r, 0, v->days) : pick(r, v->days + 2, v->days + 8);
	}
	struct plan pl = {v, who, (int)(next(r) % 7), 0, target == PD_APP_DRAFT};
	pl.t_sub = office_hours(d, r, d->now - age * DAY_MS);
	if (pl.t_sub > d->now - HOUR_MS)
		pl.t_sub = d->now - pick(r, 2, 6) * HOUR_MS;
	struct values vs;
	answers(d, a, &pl, &vs);
	struct pd_app_errors errs = {0};
	char id[37] = "";
	char tracking[PD_TRACKING_COMPACT_LEN + 1];
	struct pd_actor citizen = {.account_id = who->id, .kind = PD_ACCOUNT_CITIZEN, .lang = "id",
	                           .email_verified = true};
	struct pd_app_ctx c = {.actor = &citizen, .ks = d->ks, .cal = d->cal, .now_ms = pl.t_sub,
	                       .quiet = true};
	bool owned = true; /* the citizen's account holds it (can correct it, answer the survey) */
	int rc;
	if (assisted) {
		c.actor = &d->helper;
		struct pd_app_assisted in = {v->slug, who->nik, who->name, true, vs.vals, vs.n,
		                             vs.ups, vs.n_up};
		rc = pd_application_file_assisted(tx, &c, &in, &errs, id, tracking);
		owned = next(r) % 2; /* half of them are linked to an account later */
		if (!rc && owned) {
			c.actor = &citizen;
			c.now_ms = later(c.now_ms, c.now_ms + pick(r, 1, 20) * HOUR_MS, d->now - HOUR_MS);
			rc = pd_application_attach(tx, &c, tracking, who->nik, id);
			d->t.n_attached += !rc;
		}
		d->t.n_assisted += !rc;
	} else {
		struct pd_app_input in = {.service_slug = v->slug, .values = vs.vals, .n_values = vs.n,
		                          .uploads = vs.ups, .n_uploads = vs.n_up,
		                          .submit = target != PD_APP_DRAFT};
		rc = pd_application_save(tx, &c, &in, &errs, id);
	}
	if (rc)
		return step_error(assisted ? "file_assisted" : "save", v->slug, rc, &errs);
	d->t.counts[target]++;
	if (target == PD_APP_DRAFT || target == PD_APP_SUBMITTED)
		return PD_OK;
	/* Every later step happens before now, in order, a little apart at least. */
	int64_t end = d->now - HOUR_MS, t = c.now_ms;
#define AT(want) (t = later(t, (want), end))
	/* The officer claims it within a working day or so. */
	struct pd_app_ctx o = {.actor = &v->officer, .ks = d->ks, .cal = d->cal, .quiet = true};
	o.now_ms = AT(at_work(d, t + pick(r, 1, 20) * HOUR_MS));
	if ((rc = pd_application_claim(tx, &o, id, 0)))
		return step_error("claim", v->slug, rc, NULL);
	if (target == PD_APP_PROCESSING)
		return PD_OK;
	/* Returned once for a correction: the returned ones, and some that end approved. */
	if (target == PD_APP_RETURNED || (owned && next(r) % 5 == 0)) {
		o.now_ms = AT(at_work(d, t + pick(r, HOUR_MS, 2 * DAY_MS)));
		const char *note = return_notes[next(r) % (sizeof return_notes / sizeof return_notes[0])];
		if ((rc = pd_application_return(tx, &o, id, 0, note, &errs)))
			return step_error("return", v->slug, rc, &errs);
		if (target == PD_APP_RETURNED)
			return PD_OK;
		c.actor = &citizen;
		c.now_ms = AT(t + pick(r, 2 * HOUR_MS, 4 * DAY_MS));
		struct pd_app_input in = {.values = vs.vals, .n_values = vs.n, .submit = true};
		if ((rc = pd_application_resubmit(tx, &c, id, 0, &in, &errs)))
			return step_error("resubmit", v->slug, rc, &errs);
		o.now_ms = AT(at_work(d, t + pick(r, 1, 6) * HOUR_MS)); /* claimed again */
		if ((rc = pd_application_claim(tx, &o, id, 0)))
			return step_error("claim again", v->slug, rc, NULL);
	}
	bool ticked[PD_APP_CHECKLIST_MAX];
	for (int k = 0; k < PD_APP_CHECKLIST_MAX; k++)
		ticked[k] = target == PD_APP_APPROVED || k % 2 == 0;
	int n_checks = v->n_checks < PD_APP_CHECKLIST_MAX ? v->n_checks : PD_APP_CHECKLIST_MAX;
	o.now_ms = AT(at_work(d, t + pick(r, 10, 120) * 60000));
	if (n_checks && (rc = pd_application_check(tx, &o, id, 0, ticked, n_checks)))
		return step_error("check", v->slug, rc, NULL);
	/* Decided mostly within the promised working days (about 1.4 calendar days each); one
	 * in eight late. */
	int64_t promised = v->days * DAY_MS * 14 / 10;
	int64_t want = next(r) % 8 ? pick(r, HOUR_MS, promised > HOUR_MS ? promised : 2 * HOUR_MS)
	                           : promised + pick(r, DAY_MS, 6 * DAY_MS);
	o.now_ms = AT(at_work(d, t + want));
#undef AT
	if (target == PD_APP_APPROVED) {
		rc = pd_application_approve(tx, &o, id, 0, NULL, &errs);
	} else {
		const char *why = "Persyaratan tidak terpenuhi.";
		for (size_t k = 0; k < sizeof reasons / sizeof reasons[0]; k++)
			if (strcmp(reasons[k].slug, v->slug) == 0)
				why = reasons[k].reason;
		rc = pd_application_reject(tx, &o, id, 0, why, &errs);
	}
	if (rc)
		return step_error(target == PD_APP_APPROVED ? "approve" : "reject", v->slug, rc, &errs);
	/* Most citizens who can answer the survey do, within a few days. */
	if (owned && next(r) % 100 < 75) {
		int sc[PD_IKM__MAX];
		scores(d, v, sc);
		int64_t when = o.now_ms + pick(r, HOUR_MS, 3 * DAY_MS);
		if (d->now - d->q_start < 10 * DAY_MS && when >= d->q_start)
			when = o.now_ms < d->q_start ? d->q_start - 60000 : -1; /* see the age above */
		if (when < 0)
			return PD_OK;
		rc = pd_survey_submit_tx(tx, &citizen, id, sc, when < d->now ? when : d->now, d->tz);
		if (rc)
			return step_error("survey", v->slug, rc, NULL);
		d->t.n_surveys++;
	}
	return PD_OK;
}

/* --- the whole history ----------------------------------------------------------------------- */

static const struct svc *pick_service(struct demo *d)
{
	int64_t w = pick(&d->t.rng, 0, d->total_weight - 1);
	for (int i = 0; i < d->n_svcs; i++) {
		w -= d->svcs[i].weight;
		if (w < 0)
			return &d->svcs[i];
	}
	return &d->svcs[0];
}

/* The status of the i-th application: most are finished, every open state is well present. */
static enum pd_app_status pick_status(struct demo *d)
{
	int64_t p = pick(&d->t.rng, 0, 99);
	return p < 56 ? PD_APP_APPROVED : p < 68 ? PD_APP_REJECTED : p < 80 ? PD_APP_SUBMITTED
	       : p < 92 ? PD_APP_PROCESSING : PD_APP_RETURNED;
}

static int batch_tx(struct pd_tx *tx, void *p)
{
	struct demo *d = p;
	d->t = d->t0;
	for (int i = 0; i < PER_TX && d->done + i < N_APPS; i++) {
		const struct svc *v = pick_service(d);
		enum pd_app_status target = pick_status(d);
		bool assisted = next(&d->t.rng) % 100 < 8;
		const struct pd_demo_person *who = NULL;
		/* The citizens of demo-accounts.txt (who can sign in) have one of each first. */
		int k = d->done + i;
		if (k < 3 * (PD_APP__MAX - 1) && k / (PD_APP__MAX - 1) < (int)d->n_named) {
			who = d->named[k / (PD_APP__MAX - 1)];
			target = (enum pd_app_status)(PD_APP_SUBMITTED + k % (PD_APP__MAX - 1));
			assisted = false;
			while (strcmp(v->unit, "desa-mekarsari") == 0 && strcmp(who->unit, v->unit) != 0)
				v = pick_service(d);
		}
		int rc = one(tx, d, v, target, assisted, who);
		if (rc)
			return rc;
	}
	return PD_OK;
}

/* Drafts, one of each service: a citizen has at most one draft per service. */
static int drafts_tx(struct pd_tx *tx, void *p)
{
	struct demo *d = p;
	d->t = d->t0;
	for (int i = 0; i < d->n_svcs; i++) {
		const struct pd_demo_person *who = NULL;
		if (i < (int)d->n_named && (strcmp(d->svcs[i].unit, "desa-mekarsari") != 0 ||
		                            strcmp(d->named[i]->unit, "desa-mekarsari") == 0))
			who = d->named[i];
		int rc = one(tx, d, &d->svcs[i], PD_APP_DRAFT, false, who);
		if (rc)
			return rc;
	}
	return PD_OK;
}

static int history(struct demo *d)
{
	int rc = PD_OK;
	d->t0 = d->t;
	for (d->done = 0; d->done < N_APPS && !rc; d->done += PER_TX) {
		rc = pd_store_write(d->st, batch_tx, d);
		d->t0 = d->t;
	}
	if (!rc)
		rc = pd_store_write(d->st, drafts_tx, d);
	int64_t flagged = 0;
	if (!rc)
		rc = pd_application_mark_overdue(d->st, d->now, &flagged);
	if (!rc)
		printf("pendopo: %d demo applications created (%d drafts, %d submitted, %d processing, "
		       "%d returned, %d approved, %d rejected; %d assisted, %lld overdue, %d survey "
		       "answers)\n",
		       d->t.counts[0] + d->t.counts[1] + d->t.counts[2] + d->t.counts[3] + d->t.counts[4] +
		           d->t.counts[5],
		       d->t.counts[PD_APP_DRAFT], d->t.counts[PD_APP_SUBMITTED],
		       d->t.counts[PD_APP_PROCESSING], d->t.counts[PD_APP_RETURNED],
		       d->t.counts[PD_APP_APPROVED], d->t.counts[PD_APP_REJECTED], d->t.n_assisted,
		       (long long)flagged, d->t.n_surveys);
	return rc;
}

int pd_demo_applications(struct pd_store *st, const struct pd_config *cfg,
                         const struct pd_demo_people *people)
{
	struct demo *d = calloc(1, sizeof *d);
	json_t *services = NULL, *forms = NULL;
	struct pd_calendar *cal = NULL;
	char err[1024];
	int rc = PD_ERR_NOMEM;
	if (!d || !(d->arena = pd_arena_new()))
		goto out;
	d->st = st;
	d->people = people;
	d->tz = cfg->tz_offset_min;
	d->now = pd_clock_now_ms();
	int year, quarter;
	pd_survey_quarter_of(d->now, d->tz, &year, &quarter);
	d->q_start = (int64_t)pd_civil_day(year, (quarter - 1) * 3 + 1, 1) * DAY_MS -
	             (int64_t)d->tz * 60000;
	d->t.rng.s = 0x50656E646F706FULL; /* "Pendopo" */
	if ((rc = pd_keys_startup(cfg, st, &d->ks, err, sizeof err))) {
		pd_log(PD_LOG_ERROR, "demo_keys_failed", "err=\"%s\"", err);
		goto out;
	}
	if ((rc = pd_calendar_from_store(st, cfg->tz_offset_min, &cal)))
		goto out;
	d->cal = cal;
	if ((rc = pd_demo_load_json("data/demo-services.json", &services)) ||
	    (rc = pd_demo_load_json("data/demo-forms.json", &forms)))
		goto out;
	d->samples = json_object_get(forms, "samples");
	if ((rc = write_temp(d->pdf_path, sizeof d->pdf_path, cfg->data, "pdf", demo_pdf,
	                     sizeof demo_pdf - 1)) ||
	    (rc = write_temp(d->png_path, sizeof d->png_path, cfg->data, "png", demo_png,
	                     sizeof demo_png)))
		goto out;
	struct setup_arg sa = {d, json_object_get(services, "services"),
	                       json_object_get(forms, "forms")};
	if ((rc = pd_store_read(st, setup_tx, &sa)))
		goto out;
	rc = d->n_svcs ? history(d) : PD_OK;
out:
	if (d) {
		if (d->pdf_path[0])
			unlink(d->pdf_path);
		if (d->png_path[0])
			unlink(d->png_path);
		pd_keyset_free(d->ks);
		if (d->arena)
			pd_arena_free(d->arena);
	}
	free(d);
	json_decref(services);
	json_decref(forms);
	pd_calendar_free(cal);
	if (rc)
		pd_log(PD_LOG_ERROR, "demo_failed", "step=applications err=\"%s\"", pd_strerror(rc));
	return rc;
}
