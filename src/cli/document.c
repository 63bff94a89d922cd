/* `pendopo document verify FILE` (offline check of a PDF or of the JSON envelope) and
 * `pendopo document rotate-key`. */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "domain/document.h"
#include "domain/document_signed.h"
#include "domain/keys.h"

#define FILE_MAX (32L * 1024 * 1024)
#define MAX_KEYS 64

static const struct pd_config_flag document_flags[] = {
	{"jwks", false, "verify: public keys from this saved /verifikasi/kunci.json (no database)"},
	{NULL, false, NULL},
};

#define USAGE                                                                                  \
	"usage: pendopo document verify FILE [--jwks KUNCI.JSON]\n"                                \
	"       pendopo document rotate-key\n"

/* Reads a whole regular file (at most FILE_MAX bytes) into an arena-owned buffer. */
static int read_file(const char *path, struct pd_arena *a, char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return PD_ERR_IO;
	struct stat sb;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode) || sb.st_size > FILE_MAX) {
		close(fd);
		return PD_ERR_IO;
	}
	char *buf = pd_arena_alloc(a, (size_t)sb.st_size + 1);
	size_t got = 0;
	while (got < (size_t)sb.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)sb.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return PD_OK;
}

/* The keys the database records, when there is a database to read (an SQLite file that does
 * not exist is not created). Prints why not and returns false otherwise. */
static bool db_keys(const struct pd_config *cfg, struct pd_document_pubkey *keys, int *n)
{
	if (pd_str_starts(cfg->db, "sqlite:")) {
		struct stat sb;
		if (stat(cfg->db + 7, &sb) != 0) {
			fprintf(stderr, "pendopo: no database at %s: pass --jwks FILE (a saved "
			                "/verifikasi/kunci.json)\n", cfg->db + 7);
			return false;
		}
	}
	char err[512];
	struct pd_store *st = NULL;
	struct pd_store_opts opts = {.url = cfg->db};
	if (pd_store_open(&opts, &st, err, sizeof err)) {
		fprintf(stderr, "pendopo: %s: pass --jwks FILE (a saved /verifikasi/kunci.json)\n", err);
		return false;
	}
	int rc = pd_document_pubkeys(st, keys, MAX_KEYS, n);
	pd_store_close(st);
	if (rc) {
		fprintf(stderr, "pendopo: cannot read the document keys from the database (%s): pass "
		                "--jwks FILE\n", pd_strerror(rc));
		return false;
	}
	return true;
}

/* Prints one signed field, "-" when the object lacks it. */
static void field(const char *label, const char *value)
{
	printf("  %-15s %s\n", label, value && *value ? value : "-");
}

/* Exit 0 valid, 1 invalid (an envelope is there but damaged, or its signature does not verify
 * under a known key), 2 unreadable (the file or the keys cannot be read, or the file carries
 * no envelope at all). */
static int verify(const struct pd_config *cfg, const char *file, const char *jwks)
{
	struct pd_arena *a = pd_arena_new();
	int exit_code = 2;
	char *data = NULL, *json = NULL;
	size_t len = 0, json_len = 0;
	bool from_pdf = false, damaged = false;
	if (read_file(file, a, &data, &len) != PD_OK) {
		fprintf(stderr, "pendopo: cannot read %s\n", file);
		goto out;
	}
	if (len >= 5 && memcmp(data, "%PDF-", 5) == 0) {
		int rc = pd_document_from_pdf(data, len, a, &json, &json_len);
		if (rc == PD_ERR_NOT_FOUND) {
			fprintf(stderr, "pendopo: %s is a PDF without a signed Pendopo document in its "
			                "Keywords entry\n", file);
			goto out;
		}
		/* A Keywords entry that does not decode: a damaged (or forged) envelope. */
		from_pdf = true;
		damaged = rc != PD_OK;
	} else {
		json = data;
		json_len = len;
	}
	struct pd_document_pubkey keys[MAX_KEYS];
	int n_keys = 0;
	if (jwks) {
		char *jtext = NULL;
		size_t jlen = 0;
		if (read_file(jwks, a, &jtext, &jlen) != PD_OK ||
		    pd_document_jwks_parse(jtext, jlen, keys, MAX_KEYS, &n_keys) != PD_OK) {
			fprintf(stderr, "pendopo: %s is not a readable JWKS\n", jwks);
			goto out;
		}
	} else if (!db_keys(cfg, keys, &n_keys)) {
		goto out;
	}
	struct pd_document_signed f = {0};
	if (!damaged) {
		int rc = pd_document_signed_read(json, json_len, a, &f);
		if (rc == PD_ERR_NOT_FOUND && !from_pdf) {
			fprintf(stderr, "pendopo: %s holds no {\"doc\",\"kid\",\"sig\"} object\n", file);
			goto out;
		}
		damaged = rc != PD_OK;
	}
	bool valid = false;
	const char *id = NULL, *why = NULL;
	if (damaged || pd_document_verify_envelope(json, json_len, keys, n_keys, a, &valid, &id,
	                                           &why) != PD_OK) {
		valid = false;
		why = "the signed envelope is damaged (it does not decode or is not a whole "
		      "{\"doc\",\"kid\",\"sig\"} object)";
	}
	const char *base = cfg->public_url && *cfg->public_url ? cfg->public_url : "";
	if (valid) {
		printf("VALID: the signature over the content below verifies with key %s.\n", f.kid);
		printf("Compare every line with the printed document: the signature proves only this "
		       "content, not the\npaper it came with. The holder's name and NIK are not in it "
		       "(only a digest keyed by the\nholder code printed on the paper).\n");
		field("Document ID:", f.id);
		field("Number:", f.number);
		field("Product:", f.product);
		field("Service:", f.service);
		field("Issued by:", f.unit);
		field("Issued:", f.issued);
		field("Issuer:", f.issuer);
		field("Verify online:", f.verify);
		exit_code = 0;
	} else {
		printf("INVALID: %s\n", why ? why : "the signature does not verify");
		printf("Do not rely on anything this file says.\n");
		exit_code = 1;
	}
	printf("Revocation can only be checked online: %s/verifikasi/%s\n", base,
	       valid && f.id ? f.id : "{id}");
out:
	pd_arena_free(a);
	return exit_code;
}

static int rotate(const struct pd_config *cfg)
{
	struct pd_store *st = NULL;
	struct pd_keyset *ks = NULL;
	char err[1024], kid[PD_DOCUMENT_KID_MAX + 1];
	int exit_code = 1;
	if (pd_cli_open(cfg, &st))
		goto out;
	if (pd_store_check_schema(st, err, sizeof err) || pd_keys_startup(cfg, st, &ks, err, sizeof err)) {
		fprintf(stderr, "pendopo: %s\n", err);
		goto out;
	}
	int rc = pd_document_rotate_key(st, ks, kid);
	if (rc) {
		fprintf(stderr, "pendopo: cannot rotate the document key: %s\n", pd_strerror(rc));
		goto out;
	}
	printf("pendopo: new documents are signed with key %s; earlier keys stay in the JWKS\n", kid);
	exit_code = 0;
out:
	pd_keyset_free(ks);
	pd_store_close(st);
	return exit_code;
}


int pd_cmd_document(int argc, char **argv)
{
	struct pd_config cfg;
	const char *pos[24];
	int n_pos;
	int rc = pd_cli_setup(argc, argv, 2, document_flags,
	                      "document verify FILE [--jwks KUNCI.JSON] | document rotate-key",
	                      "verify: checks offline the signature of an issued document, given as\n"
	                      "its PDF or as the JSON of /verifikasi/{id}.json, against the keys in the\n"
	                      "database or in a saved JWKS, and prints the signed fields (number,\n"
	                      "product, service, unit, date) to compare with the paper: a copied\n"
	                      "signature in another PDF still verifies. Exit 0 valid; 1 invalid: an\n"
	                      "envelope is there but its signature does not verify, its key is unknown,\n"
	                      "or it is damaged (a PDF Keywords entry that does not decode, a JSON\n"
	                      "object with doc, kid or sig that is incomplete); 2 unreadable: the file\n"
	                      "or the keys cannot be read, or the file holds no envelope at all.\n"
	                      "Revocation can only be checked online, at /verifikasi/{id}.\n"
	                      "rotate-key: new documents are signed with a new key; old ones still verify.",
	                      &cfg, pos, 24, &n_pos);
	if (rc)
		return rc < 0 ? 0 : rc;
	const char *w[4] = {NULL};
	int n_words = pd_cli_words(pos, n_pos, w, 4);
	int exit_code = 2;
	if (n_words == 2 && strcmp(w[0], "verify") == 0)
		exit_code = verify(&cfg, w[1], pd_cli_opt(pos, n_pos, "jwks"));
	else if (n_words == 1 && strcmp(w[0], "rotate-key") == 0)
		exit_code = rotate(&cfg);
	else
		fprintf(stderr, USAGE);
	pd_config_free(&cfg);
	return exit_code;
}
