/* The demo's open data: two datasets uploaded by agencies of Kabupaten Sukamaju (as the
 * operator) and the first run of the generated datasets over the demo's records. */
#include <string.h>

#include "core/calendar.h"
#include "core/err.h"
#include "core/log.h"
#include "domain/calendar.h"
#include "domain/dataset.h"
#include "domain/demo.h"

static const char population_csv[] =
	"kode_wilayah,desa,kecamatan,laki_laki,perempuan,jumlah\r\n"
	"32.19.01.1001,Kelurahan Sukamaju,Kecamatan Sukamaju Kota,6120,6254,12374\r\n"
	"32.19.01.1002,Kelurahan Pasarbaru,Kecamatan Sukamaju Kota,5480,5512,10992\r\n"
	"32.19.01.2003,Desa Mekarsari,Kecamatan Sukamaju Kota,3210,3177,6387\r\n"
	"32.19.02.2001,Desa Cibening,Kecamatan Cibening,2987,3050,6037\r\n"
	"32.19.02.2002,Desa Sindangwangi,Kecamatan Cibening,2410,2398,4808\r\n"
	"32.19.02.2003,Desa Cikahuripan,Kecamatan Cibening,1876,1902,3778\r\n"
	"32.19.03.2001,Desa Pasirlaya,Kecamatan Pasirlaya,3345,3401,6746\r\n"
	"32.19.03.2002,Desa Sukaresmi,Kecamatan Pasirlaya,2210,2265,4475\r\n"
	"32.19.04.2001,Desa Tanjungsari,Kecamatan Tanjungsari,3120,3098,6218\r\n"
	"32.19.04.2002,Desa Margaluyu,Kecamatan Tanjungsari,1988,2011,3999\r\n"
	"32.19.04.2003,Desa Karangmulya,Kecamatan Tanjungsari,2105,2140,4245\r\n";

static const char health_csv[] =
	"nama,jenis,kecamatan,alamat,telepon_layanan\r\n"
	"Puskesmas Sukamaju,puskesmas,Kecamatan Sukamaju Kota,\"Jl. Merdeka No. 10, Sukamaju\",0260-555-0101\r\n"
	"Puskesmas Cibening,puskesmas,Kecamatan Cibening,\"Jl. Raya Cibening km 3\",0260-555-0102\r\n"
	"Puskesmas Pasirlaya,puskesmas,Kecamatan Pasirlaya,\"Jl. Pasirlaya No. 1\",0260-555-0103\r\n"
	"\"Puskesmas Pembantu \"\"Margaluyu\"\"\",pustu,Kecamatan Tanjungsari,Desa Margaluyu,\r\n";

struct demo_ds {
	struct pd_dataset_input in;
	const char *res_name, *file, *bytes;
	size_t len;
};

static const struct demo_ds sets[] = {
	{{"disdukcapil", "jumlah-penduduk-per-desa", "Jumlah penduduk per desa/kelurahan",
	  "Jumlah penduduk menurut jenis kelamin per desa dan kelurahan di Kabupaten Sukamaju "
	  "(data agregat, semester terakhir).",
	  "kependudukan, desa", "cc-by-4.0", "annual"},
	 "Penduduk per desa", "penduduk.csv", population_csv, sizeof population_csv - 1},
	{{"dinkes", "fasilitas-kesehatan", "Daftar fasilitas kesehatan",
	  "Puskesmas dan puskesmas pembantu di Kabupaten Sukamaju dengan alamatnya.",
	  "kesehatan, fasilitas", "cc0-1.0", "irregular"},
	 "Fasilitas kesehatan", "faskes.csv", health_csv, sizeof health_csv - 1},
};

struct arg {
	const struct demo_ds *s;
};

static int add_tx(struct pd_tx *tx, void *p)
{
	struct arg *a = p;
	struct pd_actor sys = {.account_id = "system", .system = true};
	struct pd_field_errors errs = {0};
	int rc = pd_dataset_create_tx(tx, &sys, &a->s->in, NULL, &errs);
	if (rc) {
		pd_log(PD_LOG_ERROR, "demo_dataset", "step=create field=%s", errs.n ? errs.field[0] : "");
		return rc;
	}
	struct pd_resource_input ri = {a->s->res_name, "", "CSV", a->s->file, a->s->bytes,
	                               a->s->len};
	return pd_resource_add_tx(tx, &sys, a->s->in.name, &ri, NULL, &errs);
}

int pd_demo_data(struct pd_store *st, const struct pd_config *cfg)
{
	for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
		struct arg a = {&sets[i]};
		int rc = pd_store_write(st, add_tx, &a);
		if (rc) {
			pd_log(PD_LOG_ERROR, "demo_failed", "dataset=%s err=%s", sets[i].in.name,
			       pd_strerror(rc));
			return rc;
		}
	}
	struct pd_calendar *cal = NULL;
	int rc = pd_calendar_from_store(st, cfg->tz_offset_min, &cal);
	if (rc)
		return rc;
	int n = 0;
	rc = pd_opendata_generate(st, cal, cfg->tz_offset_min, 0, &n);
	pd_calendar_free(cal);
	return rc;
}
