/* Subcommand dispatch, shared option handling and opening the database. */
#include "cli/cli.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "domain/keys.h"

static const struct pd_cli_cmd cmds[] = {
	{"serve", "[--listen ADDR] [--demo] [options]", "run the web portal and the APIs", pd_cmd_serve},
	{"migrate", "[options]", "bring the database schema up to date", pd_cmd_migrate},
	{"demo", "[options]", "fill an empty database with the demo regency", pd_cmd_demo},
	{"bench-seed", "[options]", "enlarge the demo regency for `make bench`", pd_cmd_bench_seed},
	{"unit", "add|list [options]", "add or list organisation units", pd_cmd_unit},
	{"user", "add|grant|list|disable [options]", "add, grant roles to, list or disable accounts", pd_cmd_user},
	{"mail", "test --to ADDRESS [options]", "queue a test message to check the mail settings", pd_cmd_mail},
	{"backup", "FILE [options]", "write a consistent copy of the SQLite database", pd_cmd_backup},
	{"restore", "FILE [options]", "replace the database with a backup (server stopped)", pd_cmd_restore},
	{"keys", "rotate|reencrypt|retire ID|list [options]", "rotate, re-encrypt and retire the personal-data keys", pd_cmd_keys},
	{"audit", "verify|checkpoint export FILE [options]", "verify the audit log or export its signed checkpoints", pd_cmd_audit},
	{"document", "verify FILE [--jwks FILE] | rotate-key", "verify an issued document offline, or rotate the document key", pd_cmd_document},
	{"apikey", "add --partner NAME [--trusted] [--rate N] | list | revoke ID", "issue, list or revoke the Open311 partners' API keys", pd_cmd_apikey},
	{"version", "", "print the version", pd_cmd_version},
};
#define N_CMDS (sizeof cmds / sizeof cmds[0])

static const char *running_cmd = ""; /* the subcommand being run, for pd_cli_open */

static void usage(FILE *f)
{
	fprintf(f, "usage: pendopo COMMAND [options]\n\ncommands:\n");
	for (size_t i = 0; i < N_CMDS; i++)
		fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\n`pendopo COMMAND --help` describes a command's options.\n"
	           "Every option is also read from PENDOPO_<OPTION> and from --config FILE.\n");
}

int pd_cli_main(int argc, char **argv)
{
	/* The database, its WAL, keys and mail files are for this service alone. */
	umask(077);
	if (sodium_init() < 0) {
		fprintf(stderr, "pendopo: libsodium failed to initialise\n");
		return 1;
	}
	if (pd_i18n_init() != PD_OK) {
		fprintf(stderr, "pendopo: the embedded translation catalogues are damaged\n");
		return 1;
	}
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0)
		return pd_cmd_version(argc, argv);
	for (size_t i = 0; i < N_CMDS; i++)
		if (strcmp(argv[1], cmds[i].name) == 0) {
			running_cmd = cmds[i].name;
			return cmds[i].run(argc, argv);
		}
	fprintf(stderr, "pendopo: unknown command `%s`\n\n", argv[1]);
	usage(stderr);
	return 2;
}

static void print_flags(FILE *f, const struct pd_config_flag *flags)
{
	for (const struct pd_config_flag *fl = flags; fl && fl->name; fl++)
		fprintf(f, "  --%-16s %s\n", fl->name, fl->help);
}

int pd_cli_setup(int argc, char **argv, int first, const struct pd_config_flag *extra,
                 const char *usage_line, const char *summary, struct pd_config *cfg,
                 const char **pos, int max_pos, int *n_pos)
{
	for (int i = first; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf("usage: pendopo %s\n%s\n\noptions:\n", usage_line, summary);
			print_flags(stdout, extra);
			print_flags(stdout, pd_config_db_flags);
			printf("\nEvery option is also read from PENDOPO_<OPTION> (upper case, '-' as '_')\n"
			       "and from a --config file of `key = value` lines; flags win.\n");
			return -1;
		}
	}
	struct pd_config_flag all[64];
	int n = 0;
	for (const struct pd_config_flag *f = extra; f && f->name && n < 40; f++)
		all[n++] = *f;
	for (const struct pd_config_flag *f = pd_config_db_flags; f->name && n < 63; f++)
		all[n++] = *f;
	all[n] = (struct pd_config_flag){NULL, false, NULL};
	char err[512];
	if (pd_config_load(cfg, argc, argv, first, all, pos, max_pos, n_pos, err, sizeof err)) {
		fprintf(stderr, "pendopo: %s\n(see pendopo %s --help)\n", err, argv[1]);
		pd_config_free(cfg);
		return 2;
	}
	if (cfg->test_clock && *cfg->test_clock && pd_clock_use_file(cfg->test_clock)) {
		fprintf(stderr, "pendopo: --test-clock exists only in test builds\n");
		pd_config_free(cfg);
		return 2;
	}
	return 0;
}

int pd_cli_open(const struct pd_config *cfg, struct pd_store **st)
{
	if (pd_str_starts(cfg->db, "sqlite:")) {
		if (mkdir(cfg->data, 0700) && errno != EEXIST) {
			fprintf(stderr, "pendopo: cannot create the data directory %s\n", cfg->data);
			return 1;
		}
	}
	char err[512];
	struct pd_store_opts opts = {.url = cfg->db};
	if (pd_store_open(&opts, st, err, sizeof err)) {
		fprintf(stderr, "pendopo: %s\n", err);
		return 1;
	}
	/* A database that records keys refuses a key file that does not match them; restore and
	 * backup are spared (the one replaces this database, the other decrypts nothing). */
	if (strcmp(running_cmd, "restore") != 0 && strcmp(running_cmd, "backup") != 0) {
		char kerr[1024];
		if (pd_keys_verify(cfg, *st, kerr, sizeof kerr)) {
			fprintf(stderr, "pendopo: %s\n", kerr);
			pd_store_close(*st);
			*st = NULL;
			return 1;
		}
	}
	return 0;
}

int pd_cli_words(const char **pos, int n_pos, const char **out, int max)
{
	int n = 0;
	for (int i = 0; i < n_pos && n < max; i++) {
		if (pd_str_starts(pos[i], "--")) {
			if (!strchr(pos[i], '='))
				i++;
			continue;
		}
		out[n++] = pos[i];
	}
	return n;
}

const char *pd_cli_opt(const char **pos, int n_pos, const char *name)
{
	size_t n = strlen(name);
	for (int i = 0; i < n_pos; i++) {
		const char *a = pos[i];
		if (!pd_str_starts(a, "--") || strncmp(a + 2, name, n) != 0)
			continue;
		if (a[2 + n] == '=')
			return a + 3 + n;
		if (a[2 + n] == '\0' && i + 1 < n_pos)
			return pos[i + 1];
	}
	return NULL;
}

int pd_cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("pendopo %s\n", PD_VERSION);
	return 0;
}
