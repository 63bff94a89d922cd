/* The one route table of the server (STYLE: routes are one table). */
#include "http/routes.h"

#include "api/api.h"
#include "api/calendar.h"
#include "web/account.h"
#include "web/audit.h"
#include "web/calendar.h"
#include "web/layanan.h"
#include "web/privacy.h"
#include "web/profile.h"
#include "web/staff_admin.h"
#include "web/totp.h"
#include "web/web.h"

const struct pd_route pd_routes[] = {
	{"GET", "/", pd_web_home, PD_IF_HTML, 0, 0},
	{"GET", "/unit", pd_web_unit_root, PD_IF_HTML, 0, 0},
	{"GET", "/unit/{slug}", pd_web_unit, PD_IF_HTML, 0, 0},
	{"GET", "/unit/{slug}/anak.csv", pd_web_unit_csv, PD_IF_HTML, 0, 0},
	{"GET", "/static/{file}", pd_web_static, PD_IF_STATIC, 0, 0},
	{"GET", "/layanan", pd_web_layanan, PD_IF_HTML, 0, 0},
	{"GET", "/layanan/{slug}", pd_web_layanan_service, PD_IF_HTML, 0, 0},
	{"GET", "/daftar", pd_web_register_form, PD_IF_HTML, 0, 0},
	{"POST", "/daftar", pd_web_register, PD_IF_HTML, 0, 30},
	{"GET", "/verifikasi-email", pd_web_verify_email, PD_IF_HTML, 0, 30},
	{"GET", "/masuk", pd_web_signin_form, PD_IF_HTML, 0, 0},
	{"POST", "/masuk", pd_web_signin, PD_IF_HTML, 0, 60},
	{"GET", "/masuk/kode", pd_web_signin_code_form, PD_IF_HTML, 0, 0},
	{"POST", "/masuk/kode", pd_web_signin_code, PD_IF_HTML, 0, 60},
	{"GET", "/masuk/totp", pd_web_signin_enrol_form, PD_IF_HTML, 0, 0},
	{"POST", "/masuk/totp", pd_web_signin_enrol, PD_IF_HTML, 0, 60},
	{"POST", "/keluar", pd_web_signout, PD_IF_HTML, 0, 0},
	{"GET", "/lupa-sandi", pd_web_forgot_form, PD_IF_HTML, 0, 0},
	{"POST", "/lupa-sandi", pd_web_forgot, PD_IF_HTML, 0, 20},
	{"GET", "/atur-ulang-sandi", pd_web_reset_form, PD_IF_HTML, 0, 30},
	{"POST", "/atur-ulang-sandi", pd_web_reset, PD_IF_HTML, 0, 30},
	{"GET", "/akun", pd_web_account, PD_IF_HTML, PD_RF_AUTH, 0},
	{"POST", "/akun/sandi", pd_web_account_password, PD_IF_HTML, PD_RF_AUTH, 30},
	{"POST", "/akun/bahasa", pd_web_account_lang, PD_IF_HTML, PD_RF_AUTH, 0},
	{"POST", "/akun/email", pd_web_account_email, PD_IF_HTML, PD_RF_AUTH, 30},
	{"POST", "/akun/verifikasi", pd_web_account_verify, PD_IF_HTML, PD_RF_AUTH, 10},
	{"POST", "/akun/sesi", pd_web_account_sessions_end, PD_IF_HTML, PD_RF_AUTH, 0},
	{"POST", "/akun/sesi/{id}/keluar", pd_web_account_session_end, PD_IF_HTML, PD_RF_AUTH, 0},
	{"GET", "/akun/totp", pd_web_account_totp, PD_IF_HTML, PD_RF_AUTH, 0},
	{"POST", "/akun/totp", pd_web_account_totp_confirm, PD_IF_HTML, PD_RF_AUTH, 30},
	{"POST", "/akun/totp/mulai", pd_web_account_totp_begin, PD_IF_HTML, PD_RF_AUTH, 10},
	{"POST", "/akun/totp/nonaktif", pd_web_account_totp_disable, PD_IF_HTML, PD_RF_AUTH, 10},
	{"GET", "/admin/unit/{slug}/keamanan", pd_web_admin_unit_security, PD_IF_HTML, PD_RF_AUTH, 0},
	{"POST", "/admin/unit/{slug}/keamanan", pd_web_admin_unit_security_save, PD_IF_HTML, PD_RF_AUTH, 30},
	{"GET", "/admin/pengguna", pd_web_staff_list, PD_IF_HTML, PD_RF_AUTH, 0},
	{"POST", "/admin/pengguna", pd_web_staff_create, PD_IF_HTML, PD_RF_AUTH, 30},
	{"GET", "/admin/pengguna/{id}", pd_web_staff_view, PD_IF_HTML, PD_RF_AUTH, 0},
	{"POST", "/admin/pengguna/{id}/peran", pd_web_staff_grant, PD_IF_HTML, PD_RF_AUTH, 30},
	{"POST", "/admin/pengguna/{id}/peran/cabut", pd_web_staff_revoke, PD_IF_HTML, PD_RF_AUTH, 30},
	{"POST", "/admin/pengguna/{id}/nonaktif", pd_web_staff_disable, PD_IF_HTML, PD_RF_AUTH, 10},
	{"GET", "/admin/kalender", pd_web_admin_calendar, PD_IF_HTML, PD_RF_AUTH, 0},
	{"POST", "/admin/kalender/hari", pd_web_admin_calendar_day, PD_IF_HTML, PD_RF_AUTH, 30},
	{"POST", "/admin/kalender/hari/hapus", pd_web_admin_calendar_remove, PD_IF_HTML, PD_RF_AUTH, 30},
	{"POST", "/admin/kalender/tahun", pd_web_admin_calendar_year, PD_IF_HTML, PD_RF_AUTH, 30},
	{"GET", "/akun/akses", pd_web_access, PD_IF_HTML, PD_RF_AUTH, 0},
	{"GET", "/akun/akses.csv", pd_web_access_csv, PD_IF_HTML, PD_RF_AUTH, 30},
	{"GET", "/akun/unduh", pd_web_export, PD_IF_HTML, PD_RF_AUTH, 10},
	{"GET", "/akun/hapus", pd_web_erase_form, PD_IF_HTML, PD_RF_AUTH, 0},
	{"POST", "/akun/hapus", pd_web_erase, PD_IF_HTML, PD_RF_AUTH, 10},
	{"GET", "/akun/dihapus", pd_web_erased, PD_IF_HTML, 0, 0},
	{"GET", "/kantor/warga/nik", pd_web_nik_desk_form, PD_IF_HTML, PD_RF_AUTH, 0},
	{"POST", "/kantor/warga/nik", pd_web_nik_desk_lookup, PD_IF_HTML, PD_RF_AUTH, 30},
	{"POST", "/kantor/warga/nik/verifikasi", pd_web_nik_desk_verify, PD_IF_HTML, PD_RF_AUTH, 30},
	{"GET", "/akun/alamat", pd_web_profile_address, PD_IF_HTML, PD_RF_AUTH, 0},
	{"POST", "/akun/alamat", pd_web_profile_address_save, PD_IF_HTML, PD_RF_AUTH, 30},
	{"GET", "/akun/dokumen", pd_web_profile_docs, PD_IF_HTML, PD_RF_AUTH, 0},
	{"POST", "/akun/dokumen", pd_web_profile_doc_add, PD_IF_HTML, PD_RF_AUTH | PD_RF_MULTIPART, 20},
	{"GET", "/akun/dokumen/{id}", pd_web_profile_doc_get, PD_IF_HTML, PD_RF_AUTH | PD_RF_PRIVATE, 60},
	{"GET", "/healthz", pd_api_healthz, PD_IF_OPS, 0, -1},
	{"GET", "/metrics", pd_api_metrics, PD_IF_OPS, 0, -1},
	{"GET", "/api/v1/units", pd_api_units, PD_IF_API, 0, 0},
	{"GET", "/api/v1/units/{slug}", pd_api_unit, PD_IF_API, 0, 0},
	{"GET", "/api/v1/calendar/due", pd_api_calendar_due, PD_IF_API, 0, 0},
	{"GET", "/kantor/audit", pd_web_audit, PD_IF_HTML, PD_RF_AUTH, 0},
	{"GET", "/kantor/audit.csv", pd_web_audit_csv, PD_IF_HTML, PD_RF_AUTH, 30},
	{"POST", "/kantor/audit/periksa", pd_web_audit_check, PD_IF_HTML, PD_RF_AUTH, 10},
};

const size_t pd_n_routes = sizeof pd_routes / sizeof pd_routes[0];
