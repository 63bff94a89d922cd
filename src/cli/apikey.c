/* `pendopo apikey`: issue a partner API key (printed once), list the keys (never a key: its
 * prefix) and revoke one. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/err.h"
#include "core/str.h"
#include "core/uuid.h"
#include "domain/apikey.h"

static const struct pd_config_flag apikey_flags[] = {
	{"partner", false, "apikey add: the partner's name"},
	{"trusted", true, "apikey add: the partner may hand over reporters' identities"},
	{"rate", false, "apikey add: requests a minute (default 60)"},
	{NULL, false, NULL},
};

#define USAGE                                                                                  \
	"usage: pendopo apikey add --partner NAME [--trusted] [--rate N]\n"                        \
	"       pendopo apikey list\n"                                                             \
	"       pendopo apikey revoke ID\n"

/* The positional words, --trusted taking no value. */
static int words(const char **pos, int n_pos, const char **out, int max, bool *trusted)
{
	int n = 0;
	*trusted = false;
	for (int i = 0; i < n_pos && n < max; i++) {
		if (strcmp(pos[i], "--trusted") == 0 || strcmp(pos[i], "--trusted=true") == 0) {
			*trusted = true;
			continue;
		}
		if (pd_str_starts(pos[i], "--")) {
			if (!strchr(pos[i], '='))
				i++;
			continue;
		}
		out[n++] = pos[i];
	}
	return n;
}

static const char *utc(int64_t ms, char *buf, size_t n)
{
	if (!ms)
		return "-";
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

struct add_job {
	const struct pd_actor *actor;
	const char *partner;
	bool trusted;
	int64_t rate;
	char key[PD_APIKEY_LEN + 1];
	char id[37];
};

static int add_tx(struct pd_tx *tx, void *p)
{
	struct add_job *j = p;
	return pd_apikey_add(tx, j->actor, j->partner, j->trusted, j->rate, j->key, j->id);
}

struct revoke_job {
	const struct pd_actor *actor;
	const char *id;
};

static int revoke_tx(struct pd_tx *tx, void *p)
{
	struct revoke_job *j = p;
	return pd_apikey_revoke(tx, j->actor, j->id);
}

static int list(struct pd_store *st, const struct pd_actor *actor)
{
	struct pd_arena *a = pd_arena_new();
	struct pd_apikey *keys = pd_arena_alloc(a, PD_APIKEY_LIST_MAX * sizeof *keys);
	int n = 0;
	int rc = pd_apikey_list(st, actor, a, keys, PD_APIKEY_LIST_MAX, &n);
	if (rc) {
		fprintf(stderr, "pendopo: cannot list the keys: %s\n", pd_strerror(rc));
		pd_arena_free(a);
		return 1;
	}
	printf("id\tpartner\tprefix\ttrusted\trate\tcreated\tlast_used\trevoked\n");
	for (int i = 0; i < n; i++) {
		char c[32], u[32], v[32];
		printf("%s\t%s\t%s\t%s\t%lld\t%s\t%s\t%s\n", keys[i].id, keys[i].partner, keys[i].prefix,
		       keys[i].trusted_identities ? "yes" : "no", (long long)keys[i].per_min,
		       utc(keys[i].created_ms, c, sizeof c), utc(keys[i].last_used_ms, u, sizeof u),
		       utc(keys[i].revoked_ms, v, sizeof v));
	}
	pd_arena_free(a);
	return 0;
}

int pd_cmd_apikey(int argc, char **argv)
{
	struct pd_config cfg;
	const char *pos[16];
	int n_pos;
	int rc = pd_cli_setup(argc, argv, 2, apikey_flags,
	                      "apikey add --partner NAME [--trusted] [--rate N] | list | revoke ID",
	                      "Issues an API key to a partner of the Open311 interface (printed once;\n"
	                      "only its hash is kept), lists the keys or revokes one.",
	                      &cfg, pos, 16, &n_pos);
	if (rc)
		return rc < 0 ? 0 : rc;
	const char *w[3];
	bool trusted;
	int n_w = words(pos, n_pos, w, 3, &trusted);
	const char *verb = n_w ? w[0] : "";
	const char *partner = pd_cli_opt(pos, n_pos, "partner");
	const char *rate_s = pd_cli_opt(pos, n_pos, "rate");
	int64_t rate = PD_APIKEY_PER_MIN;
	int exit_code = 2;
	struct pd_store *st = NULL;
	bool add = strcmp(verb, "add") == 0, is_list = strcmp(verb, "list") == 0;
	bool revoke = strcmp(verb, "revoke") == 0;
	bool ok = (add && n_w == 1 && partner && *partner) ||
	          (is_list && n_w == 1 && !partner && !trusted) ||
	          (revoke && n_w == 2 && !partner && !trusted);
	if (!ok || (rate_s && (!add || pd_parse_i64(rate_s, 1, PD_APIKEY_PER_MIN_MAX, &rate)))) {
		fprintf(stderr, USAGE);
		goto out;
	}
	exit_code = 1;
	if (pd_cli_open(&cfg, &st))
		goto out;
	char err[512];
	if (pd_store_check_schema(st, err, sizeof err)) {
		fprintf(stderr, "pendopo: %s\n", err);
		goto out;
	}
	char who[96];
	pd_cli_actor(who, sizeof who);
	/* The audit names "cli:<user>" (pd_app_audit_actor of a system actor). */
	const char *user = strncmp(who, "cli:", 4) == 0 ? who + 4 : who;
	struct pd_actor actor = {.account_id = user, .system = true};
	if (is_list) {
		exit_code = list(st, &actor);
	} else if (add) {
		struct add_job j = {&actor, partner, trusted, rate, "", ""};
		rc = pd_store_write(st, add_tx, &j);
		if (rc == PD_ERR_INVALID) {
			fprintf(stderr, "pendopo: the partner's name must be 1 to %d characters\n",
			        PD_APIKEY_PARTNER_MAX);
			goto out;
		}
		if (rc) {
			fprintf(stderr, "pendopo: %s\n", pd_strerror(rc));
			goto out;
		}
		printf("id\t%s\npartner\t%s\ntrusted\t%s\nrate\t%lld\nkey\t%s\n", j.id, partner,
		       trusted ? "yes" : "no", (long long)rate, j.key);
		printf("pendopo: the key is shown only now: give it to the partner; only its hash is "
		       "kept\n");
		exit_code = 0;
	} else {
		struct revoke_job j = {&actor, w[1]};
		rc = pd_store_write(st, revoke_tx, &j);
		if (rc == PD_ERR_NOT_FOUND)
			fprintf(stderr, "pendopo: no key with id %s\n", w[1]);
		else if (rc == PD_ERR_CONFLICT)
			fprintf(stderr, "pendopo: key %s is revoked already\n", w[1]);
		else if (rc)
			fprintf(stderr, "pendopo: %s\n", pd_strerror(rc));
		else {
			printf("pendopo: key %s revoked\n", w[1]);
			exit_code = 0;
		}
	}
out:
	pd_store_close(st);
	pd_config_free(&cfg);
	return exit_code;
}
