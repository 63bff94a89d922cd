/* `pendopo audit verify` and `pendopo audit checkpoint export`, and the audit actor of CLI use. */
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/err.h"
#include "core/str.h"
#include "domain/audit.h"

static const struct pd_config_flag audit_flags[] = {
	{"checkpoints", false, "verify: also check against this file from `audit checkpoint export`"},
	{"audit-key", false, "checkpoint signing key file (default <data>/keys/audit-signing.key)"},
	{NULL, false, NULL},
};

#define USAGE                                                                                  \
	"usage: pendopo audit verify [--checkpoints FILE]\n"                                       \
	"       pendopo audit checkpoint export FILE\n"

const char *pd_cli_actor(char *buf, size_t n)
{
	uid_t uid = geteuid();
	struct passwd *pw = getpwuid(uid);
	if (!pw || !pw->pw_name || !*pw->pw_name) {
		snprintf(buf, n, "cli:uid-%lu", (unsigned long)uid);
		return buf;
	}
	snprintf(buf, n, "cli:%.100s", pw->pw_name);
	for (char *c = buf + 4; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		      *c == '.' || *c == '_' || *c == '-'))
			*c = '_';
	return buf;
}

/* The words of the command line that are not options or their values. */
static int words(const char **pos, int n_pos, const char **out, int max)
{
	int n = 0;
	for (int i = 0; i < n_pos; i++) {
		if (pd_str_starts(pos[i], "--"))
			continue;
		if (i > 0 && pd_str_starts(pos[i - 1], "--") && !strchr(pos[i - 1], '='))
			continue; /* the value of the option before */
		if (n < max)
			out[n] = pos[i];
		n++;
	}
	return n;
}

static int open_db(const struct pd_config *cfg, struct pd_store **st)
{
	if (pd_cli_open(cfg, st))
		return 1;
	char err[512];
	if (pd_store_check_schema(*st, err, sizeof err)) {
		fprintf(stderr, "pendopo: %s\n", err);
		return 1;
	}
	return 0;
}

/* Loads the audit key: *have false when it does not exist and !create. Exit code on error. */
static int load_key(const struct pd_config *cfg, bool create, struct pd_audit_key *key, bool *have)
{
	char path[4096], err[600];
	*have = false;
	if (pd_audit_key_path(cfg, path, sizeof path)) {
		fprintf(stderr, "pendopo: the audit key path is too long\n");
		return 1;
	}
	int rc = pd_audit_key_load(path, create, key, err, sizeof err);
	if (rc == PD_ERR_NOT_FOUND && !create)
		return 0;
	if (rc) {
		fprintf(stderr, "pendopo: %s\n", err);
		return 1;
	}
	*have = true;
	return 0;
}

static int verify(struct pd_store *st, const struct pd_config *cfg, const char *file)
{
	struct pd_audit_key key;
	bool have = false;
	if (load_key(cfg, false, &key, &have))
		return 1;
	struct pd_audit_report rep;
	int rc = pd_audit_verify(st, file, have ? &key : NULL, have ? 1 : 0, &rep);
	if (have)
		pd_audit_key_wipe(&key);
	if (rc == PD_OK) {
		printf("audit log sound: %lld entries, last checkpoint at seq %lld\n",
		       (long long)rep.n_entries, (long long)rep.last_checkpoint);
		if (file)
			printf("%lld exported checkpoints from %s match\n", (long long)rep.n_exported, file);
		return 0;
	}
	if (rc == PD_ERR_CRYPTO) {
		printf("audit log broken: first bad entry at seq %lld: %s\n", (long long)rep.bad_seq,
		       rep.what);
		return 1;
	}
	fprintf(stderr, "pendopo: %s\n", rep.what[0] ? rep.what : pd_strerror(rc));
	return 1;
}

static int export_checkpoints(struct pd_store *st, const struct pd_config *cfg, const char *file)
{
	struct pd_audit_key key;
	bool have = false;
	if (load_key(cfg, true, &key, &have))
		return 1;
	int exit_code = 0;
	struct pd_audit_cp_result cp;
	int rc = pd_audit_checkpoint(st, &key, &cp);
	if (rc == PD_ERR_CRYPTO) {
		fprintf(stderr,
		        "pendopo: no new checkpoint: audit log broken: first bad entry at seq %lld: %s\n",
		        (long long)cp.bad_seq, cp.what);
		exit_code = 1;
	} else if (rc) {
		fprintf(stderr, "pendopo: cannot write a checkpoint: %s\n", pd_strerror(rc));
		exit_code = 1;
	}
	char err[600];
	int64_t n = 0;
	rc = pd_audit_export(st, file, &key, 1, &n, err, sizeof err);
	pd_audit_key_wipe(&key);
	if (rc) {
		fprintf(stderr, "pendopo: %s\n", err);
		return 1;
	}
	printf("pendopo: wrote %lld checkpoints to %s (newest at seq %lld, key %s)\n", (long long)n,
	       file, (long long)cp.seq, key.key_id);
	return exit_code;
}

int pd_cmd_audit(int argc, char **argv)
{
	struct pd_config cfg;
	const char *pos[16];
	int n_pos;
	int rc = pd_cli_setup(argc, argv, 2, audit_flags,
	                      "audit verify [--checkpoints FILE] | audit checkpoint export FILE",
	                      "Verifies the audit log's hash chain and signed checkpoints, naming the\n"
	                      "first bad entry (exit 1), or writes every checkpoint (after making a new\n"
	                      "one) as JSON lines to FILE, to keep a copy elsewhere.",
	                      &cfg, pos, 16, &n_pos);
	if (rc)
		return rc < 0 ? 0 : rc;
	const char *w[4] = {NULL};
	int n_words = words(pos, n_pos, w, 4);
	const char *file = pd_cli_opt(pos, n_pos, "checkpoints");
	bool is_verify = n_words == 1 && strcmp(w[0], "verify") == 0;
	bool is_export = n_words == 3 && strcmp(w[0], "checkpoint") == 0 &&
	                 strcmp(w[1], "export") == 0 && !file;
	if (!is_verify && !is_export) {
		fprintf(stderr, USAGE);
		pd_config_free(&cfg);
		return 2;
	}
	struct pd_store *st = NULL;
	int exit_code = 1;
	if (!open_db(&cfg, &st))
		exit_code = is_verify ? verify(st, &cfg, file) : export_checkpoints(st, &cfg, w[2]);
	pd_store_close(st);
	pd_config_free(&cfg);
	return exit_code;
}
