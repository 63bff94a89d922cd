/* Settings: flags, PENDOPO_* environment variables and a `key = value` config file, in that
 * order of precedence (DESIGN §6). */
#ifndef PD_CORE_CONFIG_H
#define PD_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct pd_config {
	char *listen;        /* "127.0.0.1:8080" */
	char *data;          /* "./var" */
	char *db;            /* "sqlite:<data>/pendopo.db" when unset */
	char *public_url;    /* "" when unset: links are relative */
	char *trusted_proxy; /* CIDR or "" */
	char *timezone;      /* "+07", "+08" or "+09" */
	int tz_offset_min;   /* derived from timezone */
	char *keys;          /* key file path or "" (default: files in the data directory) */
	char *audit_key;     /* audit checkpoint signing key file or "" (<data>/keys/audit-signing.key) */
	char *config;        /* config file path or "" */
	char *smtp_url, *smtp_from, *smtp_user, *smtp_password;
	char *metrics_token;
	char *sms_secret;   /* shared secret of the SMS gateway ("" : /sms/v1/inbound is off) */
	char *test_clock;    /* test hooks only */
	char *site_name;     /* the installation's name */
	bool demo;
	int threads;         /* HTTP pool threads (0: number of cores) */
	long max_body, max_file, max_request;
	int rate_limit;      /* requests per minute per client address and route (0: off) */
	long cache_size;     /* bytes of the public response cache (0: off; default 16 MiB) */
	char *rate_limit_exempt; /* "loopback": no per-address limits for 127.0.0.0/8 and ::1
	                          * (the benchmark's load generator); "" : none */
};

/* One accepted flag: `--name VALUE` or `--name` for booleans. */
struct pd_config_flag {
	const char *name;   /* without dashes: "listen" */
	bool boolean;
	const char *help;
};

/* Fills cfg from argv (from index `first`), the environment and the config file. Unknown flags
 * or bad values write a message into err and return PD_ERR_INVALID (exit 2). `allowed` lists the
 * flags this subcommand accepts (NULL-name terminated); positional arguments are returned in
 * pos (at most max_pos). The caller frees with pd_config_free. */
int pd_config_load(struct pd_config *cfg, int argc, char **argv, int first,
                   const struct pd_config_flag *allowed, const char **pos, int max_pos,
                   int *n_pos, char *err, size_t errlen);
void pd_config_free(struct pd_config *cfg);

/* Parses "+07", "+0700", "+07:00", "WIB", "WITA", "WIT" into minutes east of UTC. */
int pd_config_parse_tz(const char *s, int *out_min);

/* The flags every database-opening subcommand takes. */
extern const struct pd_config_flag pd_config_db_flags[];

#endif
