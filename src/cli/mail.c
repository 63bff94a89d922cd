/* `pendopo mail test --to ADDRESS`: queues a test message in the outbox, so operators can
 * check their SMTP settings; a running server delivers it. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/crypto.h"
#include "core/err.h"
#include "core/str.h"
#include "domain/keys.h"
#include "domain/mail.h"

static const struct pd_config_flag mail_flags[] = {
	{"to", false, "mail test: recipient address"},
	{"subject", false, "mail test: subject (default: a bilingual test subject)"},
	{"smtp-from", false, "sender address written into the message"},
	{"public-url", false, "absolute base URL; its host ends the Message-ID"},
	{NULL, false, NULL},
};

#define DEFAULT_SUBJECT "Uji surel Pendopo \xe2\x80\x94 Pendopo test message"

struct enqueue_arg {
	const char *to, *subject, *body;
	char message_id[PD_MAIL_ID_MAX];
};

static int enqueue_tx(struct pd_tx *tx, void *p)
{
	struct enqueue_arg *ea = p;
	return pd_mail_enqueue(tx, ea->to, ea->subject, ea->body, ea->message_id);
}

int pd_cmd_mail(int argc, char **argv)
{
	struct pd_config cfg;
	const char *pos[12];
	int n_pos;
	int rc = pd_cli_setup(argc, argv, 2, mail_flags, "mail test --to ADDRESS [--subject TEXT]",
	                      "Queues a test message in the outbox and prints its Message-ID.\n"
	                      "A running `pendopo serve` delivers it with its --smtp-url settings\n"
	                      "(or writes it to <data>/mail/ without them).",
	                      &cfg, pos, 12, &n_pos);
	if (rc)
		return rc < 0 ? 0 : rc;
	struct pd_store *st = NULL;
	struct pd_keyset *ks = NULL;
	int exit_code = 2;
	const char *to = pd_cli_opt(pos, n_pos, "to");
	const char *subject = pd_cli_opt(pos, n_pos, "subject");
	const char *verb = NULL;
	for (int i = 0; i < n_pos && !verb; i++)
		if (!pd_str_starts(pos[i], "--") && (i == 0 || !pd_str_starts(pos[i - 1], "--") ||
		                                     strchr(pos[i - 1], '=')))
			verb = pos[i];
	if (!verb || strcmp(verb, "test") != 0 || !to) {
		fprintf(stderr, "usage: pendopo mail test --to ADDRESS [--subject TEXT]\n");
		goto out;
	}
	if (!pd_mail_address_valid(to)) {
		fprintf(stderr, "pendopo: --to wants one plain address such as warga@example.org\n");
		goto out;
	}
	if (subject && (strpbrk(subject, "\r\n") || !pd_utf8_valid(subject, strlen(subject)))) {
		fprintf(stderr, "pendopo: --subject must be one line of UTF-8 text\n");
		goto out;
	}
	if (pd_mail_configure(cfg.smtp_from, cfg.public_url)) {
		fprintf(stderr, "pendopo: --smtp-from wants an address such as pendopo@example.go.id\n");
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
	/* The message is sealed in the outbox under the master key (DESIGN §4). */
	if (pd_keys_startup(&cfg, st, &ks, err, sizeof err)) {
		fprintf(stderr, "pendopo: %s\n", err);
		goto out;
	}
	pd_mail_set_keys(ks);
	char body[1024];
	snprintf(body, sizeof body,
	         "Ini surel uji dari %s.\n"
	         "Jika surel ini sampai, pengaturan SMTP sudah benar.\n"
	         "\n"
	         "This is a test message from %s.\n"
	         "If it arrived, the SMTP settings work.\n",
	         cfg.site_name, cfg.site_name);
	struct enqueue_arg ea = {.to = to, .subject = subject ? subject : DEFAULT_SUBJECT,
	                         .body = body};
	rc = pd_store_write(st, enqueue_tx, &ea);
	if (rc) {
		fprintf(stderr, "pendopo: cannot queue the message: %s\n", pd_strerror(rc));
		goto out;
	}
	printf("%s\n", ea.message_id);
	exit_code = 0;
out:
	pd_mail_set_keys(NULL);
	pd_keyset_free(ks);
	pd_store_close(st);
	pd_config_free(&cfg);
	return exit_code;
}
