/* The demo's complaints: categories for the regency's agencies with their deadlines, and a
 * few dozen complaints across the villages and privacy choices (some by signed-in citizens,
 * some by visitors, some held back), filed through pd_complaint_file with quiet contexts. */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "domain/complaint.h"
#include "domain/demo.h"
#include "domain/keys.h"

#define N_COMPLAINTS 30
#define DAY_MS 86400000LL

static const struct {
	const char *code, *name, *unit, *desc, *keywords;
	int days;
} cats[] = {
	{"jalan-rusak", "Jalan rusak", "dpupr", "Jalan berlubang, amblas atau rusak.", "jalan lubang aspal", 10},
	{"penerangan-jalan", "Penerangan jalan umum", "dpupr", "Lampu jalan mati atau rusak.", "lampu pju gelap", 7},
	{"air-bersih", "Air bersih", "dpupr", "Air bersih tidak mengalir atau keruh.", "air pdam keran", 7},
	{"sampah", "Sampah", "dlh", "Sampah tidak diangkut atau dibuang sembarangan.", "sampah tps bau", 5},
	{"layanan-adminduk", "Layanan administrasi kependudukan", "disdukcapil", "KTP-el, Kartu Keluarga, akta.", "ktp kk akta", 5},
	{"pungli", "Pungutan liar", "inspektorat", "Pungutan di luar ketentuan oleh petugas.", "pungli suap", 10},
};
#define N_CATS (sizeof cats / sizeof cats[0])

static const struct {
	const char *cat, *title, *text, *address;
} samples[] = {
	{"jalan-rusak", "Jalan berlubang di depan sekolah", "Lubang besar di jalan depan SD sudah dua minggu, berbahaya bagi anak-anak dan pengendara motor.", "Jl. Raya dekat SDN 1"},
	{"jalan-rusak", "Jalan desa amblas setelah hujan", "Sebagian badan jalan amblas sepanjang kurang lebih lima meter setelah hujan deras.", "Jalan menuju balai desa"},
	{"penerangan-jalan", "Lampu jalan mati", "Tiga lampu jalan berturut-turut mati sejak bulan lalu sehingga jalan gelap di malam hari.", "Jl. Pasar"},
	{"air-bersih", "Air tidak mengalir tiga hari", "Air bersih di lingkungan kami tidak mengalir sejak tiga hari yang lalu.", "RT 02 RW 03"},
	{"sampah", "Sampah menumpuk di TPS", "Sampah di TPS belum diangkut selama seminggu dan menimbulkan bau.", "TPS dekat pasar"},
	{"sampah", "Pembuangan sampah di sungai", "Warga membuang sampah ke sungai, saluran tersumbat saat hujan.", "Bantaran sungai"},
	{"layanan-adminduk", "Antrean KTP-el terlalu lama", "Antrean perekaman KTP-el di kantor kecamatan sangat panjang dan tidak ada nomor antrean.", NULL},
	{"pungli", "Diminta uang saat mengurus surat", "Saat mengurus surat pengantar saya diminta membayar biaya yang tidak ada ketentuannya.", NULL},
};
#define N_SAMPLES (sizeof samples / sizeof samples[0])

static const char *const villages[] = {
	"kel-sukamaju", "kel-pasarbaru", "desa-mekarsari", "desa-cibening", "desa-sindangwangi",
	"desa-cikahuripan", "desa-pasirlaya", "desa-sukaresmi", "desa-tanjungsari",
	"desa-margaluyu", "desa-karangmulya"};
#define N_VILLAGES (sizeof villages / sizeof villages[0])

struct demo {
	const struct pd_keyset *ks;
	const struct pd_demo_people *people;
	int64_t now;
};

static int cats_tx(struct pd_tx *tx, void *p)
{
	struct demo *d = p;
	struct pd_actor sys = {.system = true};
	struct pd_app_ctx c = {.actor = &sys, .ks = d->ks, .now_ms = d->now - 90 * DAY_MS,
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

static int complaints_tx(struct pd_tx *tx, void *p)
{
	struct demo *d = p;
	size_t citizen = 0;
	for (int i = 0; i < N_COMPLAINTS; i++) {
		const struct pd_demo_person *who = NULL;
		/* Two of three by signed-in citizens (the generated population), the rest by visitors. */
		for (size_t k = 0; i % 3 != 2 && k < d->people->n; k++) {
			const struct pd_demo_person *pp = &d->people->p[(citizen + k) % d->people->n];
			if (strcmp(pp->role, "citizen") == 0) {
				who = pp;
				citizen = (citizen + k + 7) % d->people->n;
				break;
			}
		}
		struct pd_actor actor = {.kind = PD_ACCOUNT_CITIZEN};
		if (who)
			actor.account_id = who->id;
		const size_t s = (size_t)i % N_SAMPLES;
		enum pd_complaint_visibility vis = i % 7 == 3   ? PD_CMP_CONFIDENTIAL
		                                   : i % 4 == 1 ? PD_CMP_ANONYMOUS
		                                                : PD_CMP_PUBLIC;
		struct pd_complaint_input in = {
			.channel = "web",
			.category_code = samples[s].cat,
			.title = samples[s].title,
			.text = samples[s].text,
			.village_slug = villages[(size_t)i % N_VILLAGES],
			.address = samples[s].address,
			.visibility = vis,
			.about_person = strcmp(samples[s].cat, "pungli") == 0,
			.occurred_ms = d->now - (int64_t)(60 - 2 * i) * DAY_MS - 2 * DAY_MS,
		};
		struct pd_app_ctx c = {.actor = who ? &actor : NULL, .ks = d->ks,
		                       .now_ms = d->now - (int64_t)(60 - 2 * i) * DAY_MS,
		                       .quiet = true};
		struct pd_app_errors errs = {0};
		struct pd_complaint_filed out;
		int rc = pd_complaint_file(tx, &c, &in, &errs, &out);
		if (rc) {
			pd_log(PD_LOG_ERROR, "demo_failed", "complaint=%d rc=%d field=%s", i, rc,
			       errs.n ? errs.field[0] : "");
			return rc;
		}
	}
	return PD_OK;
}

int pd_demo_complaints(struct pd_store *st, const struct pd_config *cfg,
                       const struct pd_demo_people *people)
{
	struct pd_keyset *ks = NULL;
	char err[512];
	int rc = pd_keys_startup(cfg, st, &ks, err, sizeof err);
	if (rc) {
		pd_log(PD_LOG_ERROR, "demo_keys_failed", "err=\"%s\"", err);
		return rc;
	}
	struct demo d = {ks, people, pd_clock_now_ms()};
	rc = pd_store_write(st, cats_tx, &d);
	if (!rc)
		rc = pd_store_write(st, complaints_tx, &d);
	pd_keyset_free(ks);
	if (!rc)
		printf("pendopo: demo complaints filed (%zu categories, %d complaints)\n", N_CATS,
		       N_COMPLAINTS);
	return rc;
}
