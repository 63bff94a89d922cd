/* The one route table of the server (STYLE: routes are one table). */
#include "http/routes.h"

#include "api/api.h"
#include "web/web.h"

const struct pd_route pd_routes[] = {
	{"GET", "/", pd_web_home, PD_IF_HTML, 0, 0},
	{"GET", "/unit", pd_web_unit_root, PD_IF_HTML, 0, 0},
	{"GET", "/unit/{slug}", pd_web_unit, PD_IF_HTML, 0, 0},
	{"GET", "/unit/{slug}/anak.csv", pd_web_unit_csv, PD_IF_HTML, 0, 0},
	{"GET", "/static/{file}", pd_web_static, PD_IF_STATIC, 0, 0},
	{"GET", "/healthz", pd_api_healthz, PD_IF_OPS, 0, -1},
	{"GET", "/metrics", pd_api_metrics, PD_IF_OPS, 0, -1},
	{"GET", "/api/v1/units", pd_api_units, PD_IF_API, 0, 0},
	{"GET", "/api/v1/units/{slug}", pd_api_unit, PD_IF_API, 0, 0},
};

const size_t pd_n_routes = sizeof pd_routes / sizeof pd_routes[0];
