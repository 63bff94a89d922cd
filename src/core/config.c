/* Settings from flags, PENDOPO_* environment variables and a config file, in that order. */
#include "core/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"
#include "core/str.h"

const struct pd_config_flag pd_config_db_flags[] = {
	{"data", false, "data directory (default ./var)"},
	{"db", false, "database: sqlite:PATH or postgres://… (default sqlite:<data>/pendopo.db)"},
	{"keys", false, "key file (default: key files in the data directory)"},
	{"config", false, "file of `key = value` settings"},
	{"timezone", false, "+07 (WIB), +08 (WITA) or +09 (WIT); default +07"},
#ifdef PD_TEST_HOOKS
	{"test-clock", false, "file holding the current time in Unix ms (test builds only)"},
#endif
	{NULL, false, NULL},
};

struct setting {
	const char *name;
	size_t offset;  /* of a char * in struct pd_config */
	const char *def;
};

#define S(n, f, d) {n, offsetof(struct pd_config, f), d}
static const struct setting settings[] = {
	S("listen", listen, "127.0.0.1:8080"),
	S("data", data, "./var"),
	S("db", db, ""),
	S("public-url", public_url, ""),
	S("trusted-proxy", trusted_proxy, ""),
	S("timezone", timezone, "+07"),
	S("keys", keys, ""),
	S("config", config, ""),
	S("smtp-url", smtp_url, ""),
	S("smtp-from", smtp_from, "pendopo@localhost"),
	S("smtp-user", smtp_user, ""),
	S("smtp-password", smtp_password, ""),
	S("metrics-token", metrics_token, ""),
	S("sms-secret", sms_secret, ""),
	S("test-clock", test_clock, ""),
	S("site-name", site_name, "Pendopo Kabupaten Sukamaju"),
	S("audit-key", audit_key, ""),
	S("rate-limit-exempt", rate_limit_exempt, ""),
};
#define N_SETTINGS (sizeof settings / sizeof settings[0])

/* Numeric settings parsed from the same sources. */
static const char *const numeric[] = {"threads", "max-body", "max-file", "max-request",
                                      "rate-limit", "cache-size"};
#define N_NUMERIC (sizeof numeric / sizeof numeric[0])

static char **slot(struct pd_config *cfg, size_t i)
{
	return (char **)((char *)cfg + settings[i].offset);
}

static void env_name(const char *flag, char *out, size_t n)
{
	size_t k = snprintf(out, n, "PENDOPO_");
	for (; *flag && k + 1 < n; flag++)
		out[k++] = *flag == '-' ? '_' : (char)(*flag >= 'a' && *flag <= 'z' ? *flag - 32 : *flag);
	out[k] = '\0';
}

struct kv {
	char *key, *val;
};

static int read_file(const char *path, struct kv **out, int *n, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "cannot read config file %s", path);
		return PD_ERR_IO;
	}
	char line[4096];
	int lineno = 0;
	*n = 0;
	*out = NULL;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		char *s = line;
		while (*s == ' ' || *s == '\t')
			s++;
		size_t len = strlen(s);
		while (len && (s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == ' '))
			s[--len] = '\0';
		if (!*s || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%d: expected `key = value`", path, lineno);
			fclose(f);
			return PD_ERR_INVALID;
		}
		char *k = s, *ke = eq;
		while (ke > k && (ke[-1] == ' ' || ke[-1] == '\t'))
			ke--;
		*ke = '\0';
		char *v = eq + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		*out = pd_xrealloc(*out, (size_t)(*n + 1) * sizeof **out);
		(*out)[*n].key = pd_xstrdup(k);
		(*out)[*n].val = pd_xstrdup(v);
		(*n)++;
	}
	fclose(f);
	return PD_OK;
}

int pd_config_parse_tz(const char *s, int *out_min)
{
	if (!s)
		return PD_ERR_INVALID;
	if (strcmp(s, "WIB") == 0 || strcmp(s, "Asia/Jakarta") == 0 || strcmp(s, "Asia/Pontianak") == 0)
		s = "+07";
	else if (strcmp(s, "WITA") == 0 || strcmp(s, "Asia/Makassar") == 0)
		s = "+08";
	else if (strcmp(s, "WIT") == 0 || strcmp(s, "Asia/Jayapura") == 0)
		s = "+09";
	if ((s[0] != '+' && s[0] != '-') || strlen(s) < 3)
		return PD_ERR_INVALID;
	int64_t h, m = 0;
	if (pd_parse_i64n(s + 1, 2, 0, 14, &h))
		return PD_ERR_INVALID;
	const char *rest = s + 3;
	if (*rest == ':')
		rest++;
	if (*rest && (strlen(rest) != 2 || pd_parse_i64n(rest, 2, 0, 59, &m)))
		return PD_ERR_INVALID;
	*out_min = (int)((s[0] == '-' ? -1 : 1) * (h * 60 + m));
	return PD_OK;
}

static bool allowed_flag(const struct pd_config_flag *allowed, const char *name, bool *boolean)
{
	for (const struct pd_config_flag *f = allowed; f && f->name; f++)
		if (strcmp(f->name, name) == 0) {
			*boolean = f->boolean;
			return true;
		}
	return false;
}

int pd_config_load(struct pd_config *cfg, int argc, char **argv, int first,
                   const struct pd_config_flag *allowed, const char **pos, int max_pos,
                   int *n_pos, char *err, size_t errlen)
{
	memset(cfg, 0, sizeof *cfg);
	const char *flag_val[N_SETTINGS + 8] = {0};
	const char *num_flag[N_NUMERIC] = {0};
	*n_pos = 0;
	for (int i = first; i < argc; i++) {
		const char *a = argv[i];
		if (!pd_str_starts(a, "--") || strcmp(a, "--") == 0) {
			if (*n_pos >= max_pos) {
				snprintf(err, errlen, "unexpected argument: %s", a);
				return PD_ERR_INVALID;
			}
			pos[(*n_pos)++] = a;
			continue;
		}
		char name[64];
		const char *eq = strchr(a + 2, '=');
		size_t nl = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		if (nl >= sizeof name) {
			snprintf(err, errlen, "unknown option: %s", a);
			return PD_ERR_INVALID;
		}
		memcpy(name, a + 2, nl);
		name[nl] = '\0';
		bool boolean = false;
		if (!allowed_flag(allowed, name, &boolean)) {
			snprintf(err, errlen, "unknown option: --%s", name);
			return PD_ERR_INVALID;
		}
		const char *val;
		if (boolean) {
			val = "1";
		} else if (eq) {
			val = eq + 1;
		} else if (i + 1 < argc) {
			val = argv[++i];
		} else {
			snprintf(err, errlen, "option --%s needs a value", name);
			return PD_ERR_INVALID;
		}
		if (strcmp(name, "demo") == 0) {
			cfg->demo = true;
			continue;
		}
		bool found = false;
		for (size_t k = 0; k < N_SETTINGS; k++)
			if (strcmp(settings[k].name, name) == 0) {
				flag_val[k] = val;
				found = true;
			}
		for (size_t k = 0; k < N_NUMERIC; k++)
			if (strcmp(numeric[k], name) == 0) {
				num_flag[k] = val;
				found = true;
			}
		if (!found) {
			/* an option of the subcommand's own, returned positionally as name=value */
			if (*n_pos + 2 > max_pos) {
				snprintf(err, errlen, "too many options");
				return PD_ERR_INVALID;
			}
			pos[(*n_pos)++] = argv[i - (boolean || eq ? 0 : 1)];
			if (!boolean && !eq)
				pos[(*n_pos)++] = val;
		}
	}
	/* Config file: flag, then environment. */
	char envn[64];
	const char *cfile = flag_val[7];
	if (!cfile) {
		env_name("config", envn, sizeof envn);
		cfile = getenv(envn);
	}
	struct kv *file_kv = NULL;
	int n_file = 0;
	if (cfile && *cfile) {
		int rc = read_file(cfile, &file_kv, &n_file, err, errlen);
		if (rc)
			return rc;
		for (int k = 0; k < n_file; k++) {
			bool known = strcmp(file_kv[k].key, "demo") == 0;
			for (size_t s = 0; s < N_SETTINGS; s++)
				known |= strcmp(settings[s].name, file_kv[k].key) == 0;
			for (size_t s = 0; s < N_NUMERIC; s++)
				known |= strcmp(numeric[s], file_kv[k].key) == 0;
			if (!known) {
				snprintf(err, errlen, "%s: unknown setting `%s`", cfile, file_kv[k].key);
				for (int j = 0; j < n_file; j++) {
					free(file_kv[j].key);
					free(file_kv[j].val);
				}
				free(file_kv);
				return PD_ERR_INVALID;
			}
		}
	}
	for (size_t k = 0; k < N_SETTINGS; k++) {
		const char *v = flag_val[k];
		if (!v) {
			env_name(settings[k].name, envn, sizeof envn);
			v = getenv(envn);
		}
		for (int j = 0; !v && j < n_file; j++)
			if (strcmp(file_kv[j].key, settings[k].name) == 0)
				v = file_kv[j].val;
		*slot(cfg, k) = pd_xstrdup(v ? v : settings[k].def);
	}
	long nums[N_NUMERIC] = {0, 1024 * 1024, 10 * 1024 * 1024, 25 * 1024 * 1024, 600,
	                        16 * 1024 * 1024};
	for (size_t k = 0; k < N_NUMERIC; k++) {
		const char *v = num_flag[k];
		if (!v) {
			env_name(numeric[k], envn, sizeof envn);
			v = getenv(envn);
		}
		for (int j = 0; !v && j < n_file; j++)
			if (strcmp(file_kv[j].key, numeric[k]) == 0)
				v = file_kv[j].val;
		int64_t x;
		/* threads and rate-limit are ints: a larger value must not wrap (to 0, "off") */
		int64_t max = k == 0 ? 1024 : k == 4 ? INT32_MAX : (int64_t)1 << 40;
		if (v && pd_parse_i64(v, 0, max, &x)) {
			snprintf(err, errlen, "--%s wants a whole number, got `%s`", numeric[k], v);
			for (int j = 0; j < n_file; j++) {
				free(file_kv[j].key);
				free(file_kv[j].val);
			}
			free(file_kv);
			return PD_ERR_INVALID;
		}
		if (v)
			nums[k] = (long)x;
	}
	cfg->threads = (int)nums[0];
	cfg->max_body = nums[1];
	cfg->max_file = nums[2];
	cfg->max_request = nums[3];
	cfg->rate_limit = (int)nums[4];
	cfg->cache_size = nums[5];
	if (!cfg->demo) {
		env_name("demo", envn, sizeof envn);
		const char *d = getenv(envn);
		for (int j = 0; !d && j < n_file; j++)
			if (strcmp(file_kv[j].key, "demo") == 0)
				d = file_kv[j].val;
		cfg->demo = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0 || strcmp(d, "yes") == 0);
	}
	for (int j = 0; j < n_file; j++) {
		free(file_kv[j].key);
		free(file_kv[j].val);
	}
	free(file_kv);
	if (pd_config_parse_tz(cfg->timezone, &cfg->tz_offset_min)) {
		snprintf(err, errlen, "--timezone wants +07 (WIB), +08 (WITA) or +09 (WIT), got `%s`",
		         cfg->timezone);
		return PD_ERR_INVALID;
	}
	if (!*cfg->db) {
		free(cfg->db);
		size_t n = strlen(cfg->data) + 32;
		cfg->db = pd_xmalloc(n);
		snprintf(cfg->db, n, "sqlite:%s/pendopo.db", cfg->data);
	}
	return PD_OK;
}

void pd_config_free(struct pd_config *cfg)
{
	for (size_t k = 0; k < N_SETTINGS; k++) {
		free(*slot(cfg, k));
		*slot(cfg, k) = NULL;
	}
}
