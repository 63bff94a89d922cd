/* `pendopo bench-seed`: enlarges the demo regency to the benchmark's size (bench/run). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/err.h"
#include "core/str.h"
#include "domain/demo_bench.h"

static const struct pd_config_flag seed_flags[] = {
	{"services", false, "reach this many services (generated ones are added; default 40)"},
	{"citizens", false, "generated citizen accounts to add (default 20000)"},
	{"applications", false, "submitted applications to add (default 100000)"},
	{"complaints", false, "complaints to add (default 100000)"},
	{"batch", false, "rows per write transaction (default 2000)"},
	{"citizen", false, "email of a demo citizen who gets --mine of the applications"},
	{"mine", false, "applications of that citizen (default 60)"},
	{"span-days", false, "records are dated over this many days before now (default 365)"},
	{"progress", true, "print a line per transaction"},
	{NULL, false, NULL},
};

static int num(const char **pos, int n_pos, const char *name, int64_t def, int64_t *out)
{
	const char *v = pd_cli_opt(pos, n_pos, name);
	*out = def;
	if (v && pd_parse_i64(v, 0, 100000000, out)) {
		fprintf(stderr, "pendopo: --%s wants a whole number, got `%s`\n", name, v);
		return 2;
	}
	return 0;
}

int pd_cmd_bench_seed(int argc, char **argv)
{
	struct pd_config cfg;
	const char *pos[24];
	int n_pos;
	int rc = pd_cli_setup(argc, argv, 2, seed_flags, "bench-seed [options]",
	                      "Adds generated services, applications and complaints to the demo "
	                      "regency (`pendopo demo` first), for `make bench`.",
	                      &cfg, pos, 24, &n_pos);
	if (rc)
		return rc < 0 ? 0 : rc;
	struct pd_bench_seed_opts o = {.citizen = pd_cli_opt(pos, n_pos, "citizen")};
	for (int i = 0; i < n_pos; i++)
		o.progress |= strcmp(pos[i], "--progress") == 0;
	int exit_code = 2;
	if (num(pos, n_pos, "services", 40, &o.services) ||
	    num(pos, n_pos, "citizens", 20000, &o.citizens) ||
	    num(pos, n_pos, "applications", 100000, &o.applications) ||
	    num(pos, n_pos, "complaints", 100000, &o.complaints) ||
	    num(pos, n_pos, "batch", 2000, &o.batch) || num(pos, n_pos, "mine", 60, &o.mine) ||
	    num(pos, n_pos, "span-days", 365, &o.span_days))
		goto out;
	exit_code = 1;
	struct pd_store *st = NULL;
	char err[512];
	if (pd_cli_open(&cfg, &st))
		goto out;
	if (pd_store_check_schema(st, err, sizeof err)) {
		fprintf(stderr, "pendopo: %s\n", err);
		pd_store_close(st);
		goto out;
	}
	struct pd_bench_seed_report rep;
	rc = pd_demo_bench_seed(st, &cfg, &o, &rep);
	pd_store_close(st);
	if (rc) {
		fprintf(stderr, "pendopo: bench-seed failed: %s (see the log above)\n", pd_strerror(rc));
		goto out;
	}
	printf("bench-seed: citizens +%lld in %.2f s, services +%lld in %.2f s, applications +%lld "
	       "in %.2f s, complaints +%lld in %.2f s\n",
	       (long long)rep.citizens_added, rep.citizens_s, (long long)rep.services_added,
	       rep.services_s, (long long)rep.applications_added, rep.applications_s,
	       (long long)rep.complaints_added, rep.complaints_s);
	printf("bench-seed: totals services=%lld applications=%lld complaints=%lld published=%lld\n",
	       (long long)rep.services_total, (long long)rep.applications_total,
	       (long long)rep.complaints_total, (long long)rep.published_total);
	exit_code = 0;
out:
	pd_config_free(&cfg);
	return exit_code;
}
