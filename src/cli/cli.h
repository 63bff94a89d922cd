/* Subcommands of the `pendopo` program (DESIGN §6). Each returns an exit code:
 * 0 success, 1 failure, 2 usage. */
#ifndef PD_CLI_CLI_H
#define PD_CLI_CLI_H

#include "core/config.h"
#include "store/store.h"

struct pd_cli_cmd {
	const char *name;
	const char *usage;   /* arguments after the name */
	const char *summary;
	int (*run)(int argc, char **argv);
};

int pd_cli_main(int argc, char **argv);

/* Shared by subcommands: parse settings (exit code 2 printed on error), open the store. */
int pd_cli_setup(int argc, char **argv, int first, const struct pd_config_flag *extra,
                 const char *usage, const char *summary, struct pd_config *cfg,
                 const char **pos, int max_pos, int *n_pos);
/* Opens the store; unless the subcommand is restore or backup, refuses (exit code 1, message
 * printed, *st NULL) a database whose recorded keys do not match the key file. */
int pd_cli_open(const struct pd_config *cfg, struct pd_store **st);

/* The value of --name among the subcommand's own options, or NULL. */
const char *pd_cli_opt(const char **pos, int n_pos, const char *name);

/* The positional words among the subcommand's arguments (verb, ID, FILE …), skipping each
 * --option and, unless written --option=value, the word after it (its value); at most max into
 * out (borrowed from pos). Returns how many. */
int pd_cli_words(const char **pos, int n_pos, const char **out, int max);

/* The audit actor of this command line: "cli:<user of geteuid()>" ("cli:uid-N" when the user
 * has no name; characters outside [A-Za-z0-9._-] become '_'). Written into buf, returned. */
const char *pd_cli_actor(char *buf, size_t n);

int pd_cmd_serve(int argc, char **argv);
int pd_cmd_migrate(int argc, char **argv);
int pd_cmd_demo(int argc, char **argv);
int pd_cmd_bench_seed(int argc, char **argv);
int pd_cmd_unit(int argc, char **argv);
int pd_cmd_user(int argc, char **argv);
int pd_cmd_mail(int argc, char **argv);
int pd_cmd_backup(int argc, char **argv);
int pd_cmd_restore(int argc, char **argv);
int pd_cmd_keys(int argc, char **argv);
int pd_cmd_audit(int argc, char **argv);
int pd_cmd_document(int argc, char **argv);
int pd_cmd_apikey(int argc, char **argv);
int pd_cmd_version(int argc, char **argv);

#endif
