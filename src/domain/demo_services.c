/* The demo catalogue: services of Kabupaten Sukamaju with plausible Standar Pelayanan text. */
#include "domain/demo_services.h"

#include "core/err.h"
#include "core/log.h"
#include "domain/catalogue.h"

/* Components common to the demo's services (UU 25/2009 Pasal 21 huruf f, i-n). */
#define ADUAN "Pengaduan disampaikan melalui menu Pengaduan di portal ini, SP4N-LAPOR! (lapor.go.id), " \
	"kotak saran di loket, atau langsung kepada petugas pengaduan; setiap pengaduan ditanggapi " \
	"paling lama 5 hari kerja."
#define PENGAWASAN "Pengawasan melekat oleh atasan langsung dan pemeriksaan berkala oleh Inspektorat Daerah."
#define JAMINAN "Layanan diberikan sesuai standar ini; bila waktu penyelesaian terlampaui, pemohon " \
	"dapat mengajukan pengaduan dan permohonan diproses dengan prioritas."
#define KEAMANAN "Data pribadi pemohon dijaga kerahasiaannya sesuai UU 27/2022 tentang Pelindungan " \
	"Data Pribadi; ruang pelayanan dilengkapi alat pemadam api dan jalur evakuasi."
#define EVALUASI "Survei Kepuasan Masyarakat setiap triwulan (PermenPANRB 14/2017) dan evaluasi " \
	"kinerja pelayanan setiap tahun."
#define SARANA "Ruang tunggu ber-AC, loket pelayanan, komputer dan printer, akses ramah " \
	"disabilitas, toilet, serta portal layanan daring."

struct demo_service {
	const char *unit, *slug, *name, *category, *summary, *legal, *req, *proc;
	int64_t days, fee;
	const char *product, *competence, *staff;
};

static const struct demo_service services[] = {
	{"disdukcapil", "akta-kelahiran", "Akta Kelahiran", "Kependudukan",
	 "Penerbitan akta kelahiran bagi anak yang lahir di Kabupaten Sukamaju.",
	 "UU 24/2013 tentang Perubahan atas UU 23/2006 tentang Administrasi Kependudukan; "
	 "Perpres 96/2018; Permendagri 108/2019.",
	 "Surat keterangan kelahiran dari rumah sakit, puskesmas atau bidan; Kartu Keluarga; "
	 "KTP-el kedua orang tua; buku nikah atau akta perkawinan orang tua; KTP-el dua orang saksi.",
	 "1. Pemohon mengisi formulir F-2.01 secara daring atau di loket. 2. Petugas memeriksa "
	 "kelengkapan berkas. 3. Data diverifikasi dan dicatat dalam register akta. 4. Akta "
	 "ditandatangani secara elektronik oleh Kepala Dinas. 5. Akta diterima pemohon atau dicetak "
	 "mandiri.",
	 1, 0, "Kutipan Akta Kelahiran", "Petugas registrasi bersertifikat pencatatan sipil.",
	 "4 orang petugas loket dan 2 orang verifikator"},
	{"disdukcapil", "kartu-keluarga", "Kartu Keluarga", "Kependudukan",
	 "Penerbitan Kartu Keluarga baru atau perubahan data anggota keluarga.",
	 "UU 24/2013; Perpres 96/2018; Permendagri 108/2019.",
	 "Formulir F-1.02; Kartu Keluarga lama (untuk perubahan); buku nikah atau akta perkawinan; "
	 "surat keterangan pindah (bagi pendatang).",
	 "1. Pemohon mengajukan permohonan. 2. Petugas memverifikasi dokumen. 3. Data dimutakhirkan "
	 "dalam SIAK. 4. Kartu Keluarga diterbitkan dengan tanda tangan elektronik.",
	 1, 0, "Kartu Keluarga", "Operator SIAK terlatih.", "4 orang operator"},
	{"disdukcapil", "ktp-el", "KTP Elektronik (KTP-el)", "Kependudukan",
	 "Perekaman dan pencetakan Kartu Tanda Penduduk elektronik bagi penduduk berusia 17 tahun "
	 "atau sudah menikah.",
	 "UU 24/2013; Perpres 96/2018.",
	 "Kartu Keluarga; telah berusia 17 tahun, sudah kawin atau pernah kawin; surat keterangan "
	 "kehilangan dari kepolisian bila KTP-el hilang.",
	 "1. Pemohon datang untuk perekaman foto, sidik jari dan iris. 2. Data dikirim ke pusat. "
	 "3. KTP-el dicetak setelah data tunggal terverifikasi. 4. KTP-el diserahkan kepada pemohon.",
	 3, 0, "Kartu Tanda Penduduk elektronik", "Operator perekaman bersertifikat.",
	 "3 orang operator perekaman"},
	{"dpmptsp", "persetujuan-bangunan-gedung", "Persetujuan Bangunan Gedung (PBG)", "Perizinan",
	 "Perizinan untuk membangun, mengubah atau merawat bangunan gedung, pengganti Izin "
	 "Mendirikan Bangunan (IMB).",
	 "UU 28/2002 tentang Bangunan Gedung; PP 16/2021; Perda Kabupaten Sukamaju tentang "
	 "Retribusi PBG.",
	 "KTP-el pemohon; bukti kepemilikan tanah; gambar rencana arsitektur, struktur dan utilitas; "
	 "Kesesuaian Kegiatan Pemanfaatan Ruang (KKPR).",
	 "1. Pemohon mengajukan melalui SIMBG. 2. Pemeriksaan dokumen oleh Tim Profesi Ahli. 3. "
	 "Penetapan nilai retribusi. 4. Pembayaran retribusi. 5. Penerbitan PBG.",
	 28, 0, "Surat Persetujuan Bangunan Gedung", "Tim Profesi Ahli dan petugas perizinan.",
	 "6 orang petugas dan 5 orang Tim Profesi Ahli"},
	{"dpmptsp", "izin-reklame", "Izin Penyelenggaraan Reklame", "Perizinan",
	 "Izin pemasangan reklame papan, billboard atau baliho di wilayah Kabupaten Sukamaju.",
	 "UU 1/2022 tentang Hubungan Keuangan Pusat dan Daerah; Perda Kabupaten Sukamaju tentang "
	 "Pajak dan Retribusi Daerah.",
	 "KTP-el atau NIB; desain dan ukuran reklame; foto lokasi; surat persetujuan pemilik lahan.",
	 "1. Pengajuan permohonan. 2. Survei lokasi. 3. Penetapan pajak reklame. 4. Pembayaran. "
	 "5. Penerbitan izin.",
	 5, 150000, "Surat Izin Penyelenggaraan Reklame", "Petugas perizinan dan tim survei.",
	 "3 orang petugas"},
	{"dinkes", "izin-praktik-bidan", "Surat Izin Praktik Bidan (SIPB)", "Kesehatan",
	 "Penerbitan izin praktik bagi bidan yang berpraktik di fasilitas pelayanan kesehatan atau "
	 "praktik mandiri.",
	 "UU 17/2023 tentang Kesehatan; Permenkes 28/2017 tentang Izin dan Penyelenggaraan Praktik "
	 "Bidan.",
	 "Surat Tanda Registrasi (STR) yang berlaku; rekomendasi organisasi profesi (IBI); surat "
	 "keterangan sehat; pas foto; surat pernyataan tempat praktik.",
	 "1. Pengajuan permohonan. 2. Verifikasi dokumen. 3. Peninjauan tempat praktik. 4. "
	 "Penerbitan SIPB.",
	 10, 0, "Surat Izin Praktik Bidan", "Petugas perizinan kesehatan.", "2 orang petugas"},
	{"dinsos", "sktm", "Surat Keterangan Tidak Mampu", "Sosial",
	 "Surat keterangan bagi keluarga tidak mampu untuk keperluan jaminan kesehatan atau "
	 "keringanan biaya pendidikan.",
	 "UU 11/2009 tentang Kesejahteraan Sosial; Permensos 3/2021 tentang Pengelolaan DTKS.",
	 "Surat pengantar dari desa atau kelurahan; Kartu Keluarga; KTP-el; terdaftar dalam Data "
	 "Terpadu Kesejahteraan Sosial (DTKS) atau hasil verifikasi lapangan.",
	 "1. Pemohon menyerahkan berkas. 2. Pengecekan data DTKS. 3. Verifikasi lapangan bila perlu. "
	 "4. Surat keterangan ditandatangani dan diserahkan.",
	 3, 0, "Surat Keterangan Tidak Mampu", "Pekerja sosial dan petugas verifikasi.",
	 "3 orang petugas"},
	{"dlh", "persetujuan-lingkungan-sppl", "Pendaftaran SPPL", "Lingkungan Hidup",
	 "Pendaftaran Surat Pernyataan Kesanggupan Pengelolaan dan Pemantauan Lingkungan Hidup bagi "
	 "usaha mikro dan kecil.",
	 "UU 32/2009; PP 22/2021 tentang Penyelenggaraan Perlindungan dan Pengelolaan Lingkungan Hidup.",
	 "NIB; KTP-el penanggung jawab usaha; uraian kegiatan usaha; denah lokasi.",
	 "1. Pengajuan melalui OSS atau loket. 2. Pemeriksaan isian. 3. Penerbitan tanda "
	 "pendaftaran SPPL.",
	 2, 0, "Tanda pendaftaran SPPL", "Petugas pengelolaan lingkungan.", "2 orang petugas"},
};

int pd_demo_services(struct pd_store *st)
{
	struct pd_actor system = {.account_id = "system", .system = true};
	for (size_t i = 0; i < sizeof services / sizeof services[0]; i++) {
		const struct demo_service *d = &services[i];
		struct pd_catalogue_input in = {
			.unit_slug = d->unit,
			.s = {.slug = d->slug, .name = d->name, .category = d->category,
			      .summary = d->summary, .legal_basis = d->legal, .requirements = d->req,
			      .procedure = d->proc, .processing_days = d->days, .fee = d->fee,
			      .product = d->product, .complaint_channel = ADUAN, .facilities = SARANA,
			      .staff_competence = d->competence, .internal_oversight = PENGAWASAN,
			      .staff_count = d->staff, .service_guarantee = JAMINAN,
			      .security_guarantee = KEAMANAN, .performance_evaluation = EVALUASI,
			      .enabled = true},
		};
		char err[256];
		int rc = pd_catalogue_create(st, &system, &in, NULL, err, sizeof err);
		if (rc) {
			pd_log(PD_LOG_ERROR, "demo_failed", "service=%s msg=\"%s\"", d->slug, err);
			return rc;
		}
	}
	return PD_OK;
}
