/* The demo installation: Kabupaten Sukamaju (fictional) in Provinsi Jawa Barat, with its
 * districts, villages and agencies. Area code 32.19 is not used by any real regency. */
#include "domain/demo.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "domain/demo_services.h"
#include "domain/petition.h"
#include "domain/unit.h"
#include "store/unit_store.h"

struct demo_unit {
	const char *slug, *name, *kind, *parent, *code;
};

static const struct demo_unit units[] = {
	{"jawa-barat", "Provinsi Jawa Barat", "province", NULL, "32"},
	{"sukamaju", "Kabupaten Sukamaju", "regency", "jawa-barat", "32.19"},
	/* districts */
	{"kec-sukamaju-kota", "Kecamatan Sukamaju Kota", "district", "sukamaju", "32.19.01"},
	{"kec-cibening", "Kecamatan Cibening", "district", "sukamaju", "32.19.02"},
	{"kec-pasirlaya", "Kecamatan Pasirlaya", "district", "sukamaju", "32.19.03"},
	{"kec-tanjungsari", "Kecamatan Tanjungsari", "district", "sukamaju", "32.19.04"},
	/* villages */
	{"kel-sukamaju", "Kelurahan Sukamaju", "village", "kec-sukamaju-kota", "32.19.01.1001"},
	{"kel-pasarbaru", "Kelurahan Pasarbaru", "village", "kec-sukamaju-kota", "32.19.01.1002"},
	{"desa-mekarsari", "Desa Mekarsari", "village", "kec-sukamaju-kota", "32.19.01.2003"},
	{"desa-cibening", "Desa Cibening", "village", "kec-cibening", "32.19.02.2001"},
	{"desa-sindangwangi", "Desa Sindangwangi", "village", "kec-cibening", "32.19.02.2002"},
	{"desa-cikahuripan", "Desa Cikahuripan", "village", "kec-cibening", "32.19.02.2003"},
	{"desa-pasirlaya", "Desa Pasirlaya", "village", "kec-pasirlaya", "32.19.03.2001"},
	{"desa-sukaresmi", "Desa Sukaresmi", "village", "kec-pasirlaya", "32.19.03.2002"},
	{"desa-tanjungsari", "Desa Tanjungsari", "village", "kec-tanjungsari", "32.19.04.2001"},
	{"desa-margaluyu", "Desa Margaluyu", "village", "kec-tanjungsari", "32.19.04.2002"},
	{"desa-karangmulya", "Desa Karangmulya", "village", "kec-tanjungsari", "32.19.04.2003"},
	/* agencies of the regency */
	{"disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "agency", "sukamaju", NULL},
	{"dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "agency", "sukamaju", NULL},
	{"dpupr", "Dinas Pekerjaan Umum dan Penataan Ruang", "agency", "sukamaju", NULL},
	{"dinkes", "Dinas Kesehatan", "agency", "sukamaju", NULL},
	{"dlh", "Dinas Lingkungan Hidup", "agency", "sukamaju", NULL},
	{"dinsos", "Dinas Sosial", "agency", "sukamaju", NULL},
	{"diskominfo", "Dinas Komunikasi dan Informatika", "agency", "sukamaju", NULL},
	{"inspektorat", "Inspektorat Daerah", "agency", "sukamaju", NULL},
};

struct count_arg {
	int64_t n;
};

static int count_tx(struct pd_tx *tx, void *p)
{
	struct count_arg *ca = p;
	pd_store_unit_count(tx, &ca->n);
	return pd_tx_error(tx);
}

int pd_demo_create(struct pd_store *st, const struct pd_config *cfg, bool *created)
{
	*created = false;
	struct count_arg ca = {0};
	int rc = pd_store_read(st, count_tx, &ca);
	if (rc)
		return rc;
	if (ca.n > 0)
		return PD_OK;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		const struct demo_unit *u = &units[i];
		struct pd_unit_new in = {u->slug, u->name, u->kind, u->parent, u->code};
		char err[256];
		rc = pd_unit_add(st, "system", &in, NULL, err, sizeof err);
		if (rc) {
			pd_log(PD_LOG_ERROR, "demo_failed", "unit=%s msg=\"%s\"", u->slug, err);
			return rc;
		}
	}
	printf("pendopo: demo regency Kabupaten Sukamaju created (%zu units)\n",
	       sizeof units / sizeof units[0]);
	rc = pd_demo_services(st);
	if (!rc)
		rc = pd_demo_forms(st);
	if (rc)
		return rc;
	struct pd_demo_people people;
	rc = pd_demo_accounts(st, cfg, &people);
	if (rc)
		return rc;
	rc = pd_demo_applications(st, cfg, &people);
	rc = rc ? rc : pd_demo_complaints(st, cfg, &people);
	rc = rc ? rc : pd_demo_inforeq(st, cfg, &people);
	rc = rc ? rc : pd_demo_consult(st, &people);
	rc = rc ? rc : pd_demo_petitions(st, cfg, &people);
	rc = rc ? rc : pd_demo_musrenbang(st, cfg, &people);
	rc = rc ? rc : pd_demo_data(st, cfg);
	pd_demo_people_free(&people);
	if (rc)
		return rc;
	*created = true;
	return PD_OK;
}
