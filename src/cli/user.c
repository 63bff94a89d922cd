/* `pendopo user add|grant|list|disable`: operators' account administration (DESIGN §6). The
 * password of `user add` comes from the first line of standard input; actions are recorded in
 * the audit log as the CLI user. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/err.h"
#include "core/str.h"
#include "domain/account.h"
#include "domain/keys.h"
#include "domain/mail.h"

static const struct pd_config_flag user_flags[] = {
	{"email", false, "user add|grant|disable: the account's email address"},
	{"name", false, "user add: the person's full name"},
	{"role", false, "user add|grant: citizen|officer|coordinator|supervisor|moderator|ppid|"
	                "ppid_superior|administrator|auditor"},
	{"unit", false, "user add|grant: slug of the unit the role is granted on (its subtree)"},
	{NULL, false, NULL},
};

#define USAGE                                                                                 \
	"usage: pendopo user add --email E --name N [--role R --unit SLUG]  (password on stdin)\n" \
	"       pendopo user grant --email E --role R --unit SLUG\n"                              \
	"       pendopo user list\n"                                                               \
	"       pendopo user disable --email E\n"

/* Reads the first line of standard input into out (without the line end). */
static int read_password(char *out, size_t n)
{
	if (!fgets(out, (int)n, stdin))
		return PD_ERR_INVALID;
	size_t len = strlen(out);
	if (len == n - 1 && out[len - 1] != '\n')
		return PD_ERR_TOO_LARGE;
	while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == '\r'))
		out[--len] = '\0';
	return PD_OK;
}

struct add_job {
	const struct pd_keyset *ks;
	struct pd_registration in;
	struct pd_register_result res;
	const char *role, *unit, *actor;
};

static int add_tx(struct pd_tx *tx, void *p)
{
	struct add_job *j = p;
	int rc = pd_account_register(tx, j->ks, &j->in, &j->res);
	if (rc)
		return rc;
	if (j->res.email_taken)
		return PD_ERR_CONFLICT; /* rolls the notice mail back too */
	if (j->role)
		return pd_account_grant(tx, j->ks, j->actor, j->in.email, j->role, j->unit);
	return PD_OK;
}

static int user_add(struct pd_store *st, const struct pd_keyset *ks, const char *email,
                    const char *name, const char *role, const char *unit, const char *actor)
{
	char password[PD_PASSWORD_MAX_BYTES + 2];
	if (read_password(password, sizeof password)) {
		fprintf(stderr, "pendopo: give the password on the first line of standard input\n");
		return 2;
	}
	const char *why = pd_password_problem(password);
	if (why) {
		fprintf(stderr, "pendopo: password refused: %s\n", why);
		return 1;
	}
	enum pd_role r = PD_ROLE_CITIZEN;
	if (role && pd_role_parse(role, &r)) {
		fprintf(stderr, "pendopo: unknown role `%s`\n", role);
		return 2;
	}
	char hash[PD_HASH_MAX];
	if (pd_password_hash(password, hash)) {
		fprintf(stderr, "pendopo: cannot hash the password\n");
		return 1;
	}
	struct add_job j = {
		.ks = ks,
		.in = {.name = name, .email = email, .password_hash = hash, .email_verified = true,
		       .kind = role && r != PD_ROLE_CITIZEN ? "staff" : "citizen", .actor = actor,
		       .base_url = ""},
		.role = role,
		.unit = unit,
		.actor = actor,
	};
	int rc = pd_store_write(st, add_tx, &j);
	if (rc == PD_ERR_INVALID) {
		for (int i = 0; i < j.res.errs.n; i++)
			fprintf(stderr, "pendopo: %s: %s\n", j.res.errs.field[i], j.res.errs.msg[i]);
		if (!j.res.errs.n)
			fprintf(stderr, "pendopo: invalid account details\n");
		return 1;
	}
	if (rc == PD_ERR_CONFLICT) {
		fprintf(stderr, "pendopo: an account with this email exists; use `pendopo user grant`\n");
		return 1;
	}
	if (rc == PD_ERR_NOT_FOUND) {
		fprintf(stderr, "pendopo: no unit with slug `%s`\n", unit);
		return 1;
	}
	if (rc) {
		fprintf(stderr, "pendopo: cannot add the account: %s\n", pd_strerror(rc));
		return 1;
	}
	printf("%s\n", j.res.id);
	return 0;
}

struct grant_job {
	const struct pd_keyset *ks;
	const char *actor, *email, *role, *unit;
	bool disable;
};

static int grant_tx(struct pd_tx *tx, void *p)
{
	struct grant_job *j = p;
	if (j->disable)
		return pd_account_disable(tx, j->ks, j->actor, j->email);
	return pd_account_grant(tx, j->ks, j->actor, j->email, j->role, j->unit);
}

static void print_account(const struct pd_account_row *a, const char *email,
                          const struct pd_grant_row *grants, int n_grants, void *arg)
{
	(void)arg;
	char created[32];
	time_t t = (time_t)(a->created_ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
	printf("%s\t%s%s\t", a->id, a->kind, a->disabled ? ",disabled" : a->erased_ms ? ",erased" : "");
	for (int i = 0; i < n_grants; i++)
		printf("%s%s@%s", i ? "," : "", grants[i].role, grants[i].unit_slug);
	if (!n_grants)
		printf("-");
	printf("\t%s\t%s\n", created, email ? email : "-");
}

int pd_cmd_user(int argc, char **argv)
{
	struct pd_config cfg;
	const char *pos[24];
	int n_pos;
	int rc = pd_cli_setup(argc, argv, 2, user_flags,
	                      "user add --email E --name N [--role R --unit SLUG] | grant --email E "
	                      "--role R --unit SLUG | list | disable --email E",
	                      "Adds accounts (password from the first line of standard input), grants\n"
	                      "roles on units, lists accounts as TSV or disables one.",
	                      &cfg, pos, 24, &n_pos);
	if (rc)
		return rc < 0 ? 0 : rc;
	const char *verb = n_pos > 0 && !pd_str_starts(pos[0], "--") ? pos[0] : NULL;
	const char *email = pd_cli_opt(pos, n_pos, "email"), *name = pd_cli_opt(pos, n_pos, "name"),
	           *role = pd_cli_opt(pos, n_pos, "role"), *unit = pd_cli_opt(pos, n_pos, "unit");
	int exit_code = 2;
	struct pd_store *st = NULL;
	struct pd_keyset *ks = NULL;
	if (!verb || (strcmp(verb, "add") && strcmp(verb, "grant") && strcmp(verb, "list") &&
	              strcmp(verb, "disable"))) {
		fputs(USAGE, stderr);
		goto out;
	}
	bool add = strcmp(verb, "add") == 0, grant = strcmp(verb, "grant") == 0,
	     list = strcmp(verb, "list") == 0;
	if ((add && (!email || !name || !role != !unit)) || (grant && (!email || !role || !unit)) ||
	    (!add && !grant && !list && !email)) {
		fputs(USAGE, stderr);
		goto out;
	}
	exit_code = 1;
	if (pd_cli_open(&cfg, &st))
		goto out;
	char err[1024];
	if (pd_store_check_schema(st, err, sizeof err)) {
		fprintf(stderr, "pendopo: %s\n", err);
		goto out;
	}
	/* `user list` shows the emails of staff accounts when the key file is at hand (the other
	 * user commands name accounts by email, and whoever holds the keys could read them anyway);
	 * a citizen's email is never shown, so listing reads no citizen's personal data. */
	char path[4096];
	pd_keys_file(&cfg, path, sizeof path);
	if ((!list || access(path, R_OK) == 0) && pd_keys_startup(&cfg, st, &ks, err, sizeof err)) {
		fprintf(stderr, "pendopo: %s\n", err);
		goto out;
	}
	pd_mail_set_keys(ks); /* a notice to a taken address is sealed in the outbox */
	char actor[96];
	pd_cli_actor(actor, sizeof actor);
	if (add) {
		exit_code = user_add(st, ks, email, name, role, unit, actor);
	} else if (list) {
		printf("id\tkind\troles\tcreated\temail\n");
		exit_code = pd_account_each(st, ks, print_account, NULL) ? 1 : 0;
	} else {
		struct grant_job j = {ks, actor, email, role, unit, !grant};
		rc = pd_store_write(st, grant_tx, &j);
		if (rc == PD_ERR_NOT_FOUND)
			fprintf(stderr, "pendopo: no such account%s\n", grant ? " or unit" : "");
		else if (rc == PD_ERR_INVALID)
			fprintf(stderr, "pendopo: unknown role `%s`\n", role);
		else if (rc)
			fprintf(stderr, "pendopo: %s\n", pd_strerror(rc));
		exit_code = rc == PD_ERR_INVALID ? 2 : rc ? 1 : 0;
	}
out:
	pd_mail_set_keys(NULL);
	pd_keyset_free(ks);
	pd_store_close(st);
	pd_config_free(&cfg);
	return exit_code;
}
