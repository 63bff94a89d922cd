/* The operators' subcommands: migrate, demo, unit, backup, restore. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/err.h"
#include "core/str.h"
#include "domain/calendar.h"
#include "domain/demo.h"
#include "domain/document.h"
#include "domain/keys.h"
#include "domain/unit.h"

int pd_cmd_migrate(int argc, char **argv)
{
	struct pd_config cfg;
	const char *pos[4];
	int n_pos;
	int rc = pd_cli_setup(argc, argv, 2, NULL, "migrate [options]",
	                      "Applies the pending schema migrations, each in its own transaction.",
	                      &cfg, pos, 4, &n_pos);
	if (rc)
		return rc < 0 ? 0 : rc;
	struct pd_store *st = NULL;
	int exit_code = 1;
	if (pd_cli_open(&cfg, &st))
		goto out;
	char err[512];
	int before = 0, after = 0;
	pd_store_schema_version(st, &before);
	if (pd_store_migrate(st, err, sizeof err)) {
		fprintf(stderr, "pendopo: %s\n", err);
		goto out;
	}
	if (pd_calendar_seed(st)) {
		fprintf(stderr, "pendopo: cannot load the holiday calendar\n");
		goto out;
	}
	pd_store_schema_version(st, &after);
	if (after == before)
		printf("pendopo: schema is up to date (version %d)\n", after);
	else
		printf("pendopo: schema migrated from version %d to %d\n", before, after);
	exit_code = 0;
out:
	pd_store_close(st);
	pd_config_free(&cfg);
	return exit_code;
}

static int open_checked(struct pd_config *cfg, struct pd_store **st)
{
	if (pd_cli_open(cfg, st))
		return 1;
	char err[512];
	if (pd_store_check_schema(*st, err, sizeof err)) {
		fprintf(stderr, "pendopo: %s\n", err);
		return 1;
	}
	if (pd_calendar_seed(*st)) {
		fprintf(stderr, "pendopo: cannot load the holiday calendar\n");
		return 1;
	}
	return 0;
}

int pd_cmd_demo(int argc, char **argv)
{
	struct pd_config cfg;
	const char *pos[4];
	int n_pos;
	int rc = pd_cli_setup(argc, argv, 2, NULL, "demo [options]",
	                      "Creates the fictional Kabupaten Sukamaju on an empty database.", &cfg,
	                      pos, 4, &n_pos);
	if (rc)
		return rc < 0 ? 0 : rc;
	struct pd_store *st = NULL;
	struct pd_keyset *ks = NULL;
	char err[1024];
	int exit_code = 1;
	if (open_checked(&cfg, &st))
		goto out;
	if (pd_keys_startup(&cfg, st, &ks, err, sizeof err)) {
		fprintf(stderr, "pendopo: %s\n", err);
		goto out;
	}
	pd_document_configure(ks, &cfg); /* as serve does: approved demo applications get theirs */
	bool created = false;
	if (pd_demo_create(st, &cfg, &created)) {
		fprintf(stderr, "pendopo: cannot create the demo data\n");
		goto out;
	}
	if (!created)
		printf("pendopo: the database already holds data; demo changed nothing\n");
	exit_code = 0;
out:
	pd_document_configure(NULL, NULL);
	pd_keyset_free(ks);
	pd_store_close(st);
	pd_config_free(&cfg);
	return exit_code;
}

static const struct pd_config_flag unit_flags[] = {
	{"slug", false, "unit add: short unique name (a-z, 0-9, -)"},
	{"name", false, "unit add: full name"},
	{"kind", false, "unit add: province|regency|city|district|village|agency (or nation)"},
	{"parent", false, "unit add: slug of the parent unit"},
	{"code", false, "unit add: Kemendagri area code, e.g. 32.01.05"},
	{NULL, false, NULL},
};

static void print_unit(const struct pd_unit *u, const char *parent_slug, void *arg)
{
	(void)arg;
	printf("%s\t%s\t%s\t%s\t%s\n", u->slug, u->kind, u->code ? u->code : "", u->name, parent_slug);
}

int pd_cmd_unit(int argc, char **argv)
{
	struct pd_config cfg;
	const char *pos[24];
	int n_pos;
	int rc = pd_cli_setup(argc, argv, 2, unit_flags,
	                      "unit add --slug S --name N --kind K [--parent SLUG] [--code DIGITS] | unit list",
	                      "Adds an organisation unit or lists them all as TSV.", &cfg, pos, 24, &n_pos);
	if (rc)
		return rc < 0 ? 0 : rc;
	const char *verb = NULL;
	for (int i = 0; i < n_pos; i++)
		if (!pd_str_starts(pos[i], "--") && (i == 0 || !pd_str_starts(pos[i - 1], "--") ||
		                                     strchr(pos[i - 1], '='))) {
			verb = pos[i];
			break;
		}
	if (!verb || (strcmp(verb, "add") && strcmp(verb, "list"))) {
		fprintf(stderr, "usage: pendopo unit add --slug S --name N --kind K [--parent SLUG] [--code DIGITS]\n"
		                "       pendopo unit list\n");
		pd_config_free(&cfg);
		return 2;
	}
	struct pd_store *st = NULL;
	int exit_code = 1;
	if (strcmp(verb, "add") == 0) {
		struct pd_unit_new in = {
			.slug = pd_cli_opt(pos, n_pos, "slug"),
			.name = pd_cli_opt(pos, n_pos, "name"),
			.kind = pd_cli_opt(pos, n_pos, "kind"),
			.parent_slug = pd_cli_opt(pos, n_pos, "parent"),
			.code = pd_cli_opt(pos, n_pos, "code"),
		};
		if (!in.slug || !in.name || !in.kind) {
			fprintf(stderr, "pendopo: unit add needs --slug, --name and --kind\n");
			exit_code = 2;
			goto out;
		}
		if (open_checked(&cfg, &st))
			goto out;
		char err[256], id[37], actor[160];
		rc = pd_unit_add(st, pd_cli_actor(actor, sizeof actor), &in, id, err, sizeof err);
		if (rc) {
			fprintf(stderr, "pendopo: %s\n", err);
			goto out;
		}
		printf("%s\n", in.slug);
		exit_code = 0;
	} else {
		if (open_checked(&cfg, &st))
			goto out;
		printf("slug\tkind\tcode\tname\tparent\n");
		if (pd_unit_each(st, print_unit, NULL) == 0)
			exit_code = 0;
	}
out:
	pd_store_close(st);
	pd_config_free(&cfg);
	return exit_code;
}

int pd_cmd_backup(int argc, char **argv)
{
	struct pd_config cfg;
	const char *pos[4];
	int n_pos;
	int rc = pd_cli_setup(argc, argv, 2, NULL, "backup FILE [options]",
	                      "Writes a consistent copy of the SQLite database while the server runs.\n"
	                      "The keys are not in the copy: keep the key files (or --keys) with it.",
	                      &cfg, pos, 4, &n_pos);
	if (rc)
		return rc < 0 ? 0 : rc;
	int exit_code = 1;
	struct pd_store *st = NULL;
	if (n_pos != 1) {
		fprintf(stderr, "usage: pendopo backup FILE\n");
		exit_code = 2;
		goto out;
	}
	if (access(pos[0], F_OK) == 0) {
		fprintf(stderr, "pendopo: %s exists; choose a new file name\n", pos[0]);
		goto out;
	}
	if (open_checked(&cfg, &st))
		goto out;
	char err[512];
	if (pd_store_backup(st, pos[0], err, sizeof err)) {
		fprintf(stderr, "pendopo: %s\n", err);
		unlink(pos[0]);
		goto out;
	}
	int version = 0;
	pd_store_schema_version(st, &version);
	printf("pendopo: backup written to %s (schema version %d)\n"
	       "pendopo: the keys are not in it: restore needs the same key files or --keys\n",
	       pos[0], version);
	exit_code = 0;
out:
	pd_store_close(st);
	pd_config_free(&cfg);
	return exit_code;
}

int pd_cmd_restore(int argc, char **argv)
{
	struct pd_config cfg;
	const char *pos[4];
	int n_pos;
	int rc = pd_cli_setup(argc, argv, 2, NULL, "restore FILE [options]",
	                      "Replaces the SQLite database with a backup. Stop the server first.",
	                      &cfg, pos, 4, &n_pos);
	if (rc)
		return rc < 0 ? 0 : rc;
	int exit_code = 1;
	struct pd_store *st = NULL, *src = NULL;
	if (n_pos != 1) {
		fprintf(stderr, "usage: pendopo restore FILE\n");
		exit_code = 2;
		goto out;
	}
	if (!pd_str_starts(cfg.db, "sqlite:")) {
		fprintf(stderr, "pendopo: restore is for SQLite; use pg_restore for PostgreSQL\n");
		goto out;
	}
	char err[512];
	int version = 0;
	if (pd_store_inspect_backup(pos[0], &version, err, sizeof err)) {
		fprintf(stderr, "pendopo: %s\n", err);
		goto out;
	}
	if (pd_cli_open(&cfg, &st))
		goto out;
	int target = pd_store_schema_target(st);
	if (version > target) {
		fprintf(stderr,
		        "pendopo: the backup has schema version %d, newer than this program's %d; "
		        "restore it with a newer pendopo\n",
		        version, target);
		goto out;
	}
	/* Copy the backup into the live database file through SQLite's backup API, so the WAL
	 * and the file stay consistent. */
	char *url = NULL;
	size_t n = strlen(pos[0]) + 8;
	url = malloc(n);
	snprintf(url, n, "sqlite:%s", pos[0]);
	struct pd_store_opts opts = {.url = url};
	rc = pd_store_open(&opts, &src, err, sizeof err);
	free(url);
	if (rc) {
		fprintf(stderr, "pendopo: %s\n", err);
		goto out;
	}
	pd_store_close(st);
	st = NULL;
	const char *dbpath = cfg.db + 7;
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.restoring", dbpath);
	unlink(tmp);
	if (pd_store_backup(src, tmp, err, sizeof err)) {
		fprintf(stderr, "pendopo: %s\n", err);
		goto out;
	}
	char wal[4200], shm[4200];
	snprintf(wal, sizeof wal, "%s-wal", dbpath);
	snprintf(shm, sizeof shm, "%s-shm", dbpath);
	unlink(wal);
	unlink(shm);
	if (rename(tmp, dbpath)) {
		fprintf(stderr, "pendopo: cannot replace %s: %s\n", dbpath, strerror(errno));
		goto out;
	}
	printf("pendopo: restored %s (schema version %d)%s\n", pos[0], version,
	       version < target ? "; run `pendopo migrate` next" : "");
	exit_code = 0;
out:
	pd_store_close(src);
	pd_store_close(st);
	pd_config_free(&cfg);
	return exit_code;
}
