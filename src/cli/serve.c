/* `pendopo serve`: initialise or check the database, load templates and the calendar, run. */
#include <arpa/inet.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/calendar.h"
#include "core/calendar_live.h"
#include "core/err.h"
#include "core/log.h"
#include "core/str.h"
#include "domain/calendar.h"
#include "domain/audit.h"
#include "domain/demo.h"
#include "domain/document.h"
#include "domain/keys.h"
#include "http/app.h"
#include "http/metrics.h"
#include "http/ratelimit.h"
#include "http/routes.h"
#include "jobs/jobs.h"
#include "render/template.h"

static const struct pd_config_flag serve_flags[] = {
	{"listen", false, "address to listen on (default 127.0.0.1:8080; port 0 picks a free one)"},
	{"demo", true, "create the demo regency when the database is empty"},
	{"public-url", false, "absolute base URL for links in mail, QR codes and APIs"},
	{"trusted-proxy", false, "CIDR of a reverse proxy whose X-Forwarded-For/-Proto are honoured"},
	{"smtp-url", false, "smtp://host:port (without it mail goes to <data>/mail/*.eml)"},
	{"smtp-from", false, "sender address of outgoing mail"},
	{"smtp-user", false, "SMTP user (password in PENDOPO_SMTP_PASSWORD)"},
	{"metrics-token", false, "bearer token that opens /metrics to non-loopback clients"},
	{"sms-secret", false, "shared secret of the SMS gateway (better: PENDOPO_SMS_SECRET); unset: /sms/v1/inbound is off"},
	{"site-name", false, "the installation's name shown on every page"},
	{"threads", false, "HTTP worker threads (default: number of cores)"},
	{"max-body", false, "largest form or JSON body in bytes (default 1 MiB)"},
	{"max-file", false, "largest uploaded file in bytes (default 10 MiB)"},
	{"max-request", false, "largest request in bytes (default 25 MiB)"},
	{"rate-limit", false, "requests per minute per client address and route (default 600; 0 off)"},
	{"rate-limit-exempt", false, "`loopback`: no per-address rate limits for 127.0.0.0/8 and ::1 (benchmarks)"},
	{"cache-size", false, "bytes of the public response cache (default 16 MiB; 0 off)"},
	{NULL, false, NULL},
};

static int parse_cidr(struct pd_app *app, const char *cidr)
{
	char addr[64];
	const char *slash = strchr(cidr, '/');
	size_t n = slash ? (size_t)(slash - cidr) : strlen(cidr);
	if (n >= sizeof addr)
		return PD_ERR_INVALID;
	memcpy(addr, cidr, n);
	addr[n] = '\0';
	int64_t bits;
	if (inet_pton(AF_INET, addr, app->trusted_addr) == 1) {
		app->trusted_v4 = true;
		bits = 32;
	} else if (inet_pton(AF_INET6, addr, app->trusted_addr) == 1) {
		bits = 128;
	} else {
		return PD_ERR_INVALID;
	}
	if (slash && pd_parse_i64(slash + 1, 0, bits, &bits))
		return PD_ERR_INVALID;
	app->trusted_bits = (int)bits;
	app->trusted_set = true;
	return PD_OK;
}

int pd_cmd_serve(int argc, char **argv)
{
	struct pd_config cfg;
	const char *pos[8];
	int n_pos;
	int rc = pd_cli_setup(argc, argv, 2, serve_flags, "serve [options]",
	                      "Runs the citizen portal, the back office and the APIs.", &cfg, pos, 8,
	                      &n_pos);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (n_pos) {
		fprintf(stderr, "pendopo: serve takes no arguments\n");
		pd_config_free(&cfg);
		return 2;
	}
	struct pd_app app = {.cfg = &cfg, .site_name = cfg.site_name};
	if (*cfg.rate_limit_exempt && strcmp(cfg.rate_limit_exempt, "loopback") != 0) {
		fprintf(stderr, "pendopo: --rate-limit-exempt takes only `loopback`\n");
		pd_config_free(&cfg);
		return 2;
	}
	if (*cfg.rate_limit_exempt)
		printf("pendopo: per-address rate limits are lifted for loopback clients "
		       "(--rate-limit-exempt loopback)\n");
	if (*cfg.trusted_proxy && parse_cidr(&app, cfg.trusted_proxy)) {
		fprintf(stderr, "pendopo: --trusted-proxy wants a CIDR such as 10.0.0.0/8\n");
		pd_config_free(&cfg);
		return 2;
	}
	int exit_code = 1;
	struct pd_store *st = NULL;
	if (pd_cli_open(&cfg, &st))
		goto out;
	app.store = st;
	char err[1024];
	if (pd_store_check_schema(st, err, sizeof err)) {
		fprintf(stderr, "pendopo: %s\n", err);
		goto out;
	}
	if (pd_keys_startup(&cfg, st, &app.keys, err, sizeof err)) {
		fprintf(stderr, "pendopo: %s\n", err);
		goto out;
	}
	pd_document_configure(app.keys, &cfg); /* documents are signed and sealed under them */
	if (pd_calendar_seed(st)) {
		fprintf(stderr, "pendopo: cannot load the holiday calendar\n");
		goto out;
	}
	if (cfg.demo) {
		bool created = false;
		if (pd_demo_create(st, &cfg, &created)) {
			fprintf(stderr, "pendopo: cannot create the demo data\n");
			goto out;
		}
		if (!created)
			printf("pendopo: the database already holds data; --demo changed nothing\n");
	}
	struct pd_calendar *cal = NULL;
	int64_t cal_generation = 0;
	if (pd_calendar_load(st, cfg.tz_offset_min, &cal, &cal_generation) ||
	    !(app.calendar = pd_calendar_live_new(cal, cal_generation, cfg.tz_offset_min))) {
		fprintf(stderr, "pendopo: cannot read the holiday calendar\n");
		goto out;
	}
	app.tpl = pd_tpl_set_load_embedded(NULL, err, sizeof err);
	if (!app.tpl) {
		fprintf(stderr, "pendopo: templates: %s\n", err);
		goto out;
	}
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s/tmp", cfg.data);
	mkdir(cfg.data, 0700);
	mkdir(tmp, 0700);
	app.rl = pd_ratelimit_new();
	app.metrics = pd_metrics_new(pd_n_routes);
	randombytes_buf(app.csrf_key, sizeof app.csrf_key);
	if (pd_jobs_start(&app, err, sizeof err)) {
		fprintf(stderr, "pendopo: %s\n", err);
		goto out;
	}
	exit_code = pd_http_serve(&app);
	pd_jobs_stop(&app);
	/* Sign the newest audit entry, so a stop leaves no unsigned tail (DESIGN §4). */
	struct pd_audit_cp_result audit_cp;
	pd_audit_checkpoint_config(st, &cfg, &audit_cp);
out:
	pd_tpl_set_free(app.tpl);
	pd_calendar_live_free(app.calendar);
	pd_ratelimit_free(app.rl);
	pd_metrics_free(app.metrics);
	pd_document_configure(NULL, NULL);
	pd_keyset_free(app.keys);
	pd_store_close(st);
	pd_config_free(&cfg);
	return exit_code;
}
