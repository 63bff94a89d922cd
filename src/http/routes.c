/* The one route table of the server (STYLE: routes are one table). */
#include "http/routes.h"

#include "api/api.h"
#include "web/account.h"
#include "web/web.h"

const struct pd_route pd_routes[] = {
	{"GET", "/", pd_web_home, PD_IF_HTML, 0, 0},
	{"GET", "/unit", pd_web_unit_root, PD_IF_HTML, 0, 0},
	{"GET", "/unit/{slug}", pd_web_unit, PD_IF_HTML, 0, 0},
	{"GET", "/unit/{slug}/anak.csv", pd_web_unit_csv, PD_IF_HTML, 0, 0},
	{"GET", "/static/{file}", pd_web_static, PD_IF_STATIC, 0, 0},
	{"GET", "/daftar", pd_web_register_form, PD_IF_HTML, 0, 0},
	{"POST", "/daftar", pd_web_register, PD_IF_HTML, 0, 30},
	{"GET", "/verifikasi-email", pd_web_verify_email, PD_IF_HTML, 0, 30},
	{"GET", "/masuk", pd_web_signin_form, PD_IF_HTML, 0, 0},
	{"POST", "/masuk", pd_web_signin, PD_IF_HTML, 0, 60},
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
	{"GET", "/healthz", pd_api_healthz, PD_IF_OPS, 0, -1},
	{"GET", "/metrics", pd_api_metrics, PD_IF_OPS, 0, -1},
	{"GET", "/api/v1/units", pd_api_units, PD_IF_API, 0, 0},
	{"GET", "/api/v1/units/{slug}", pd_api_unit, PD_IF_API, 0, 0},
};

const size_t pd_n_routes = sizeof pd_routes / sizeof pd_routes[0];
