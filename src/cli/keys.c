/* `pendopo keys`: rotate the personal-data master key, finish re-encryption, retire old keys
 * and list what the database records (ids, states and fingerprints; never a key). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/crypto.h"
#include "core/err.h"
#include "core/str.h"
#include "domain/keys.h"

static const struct pd_config_flag keys_flags[] = {
	{"new-key", false, "keys rotate: file (mode 0600) holding the new key as `ID KEY` or `KEY`"},
	{"batch", false, "rows re-encrypted per transaction (default 500)"},
	{NULL, false, NULL},
};

#define USAGE                                                                                  \
	"usage: pendopo keys rotate [--new-key FILE] [--batch N]\n"                                \
	"       pendopo keys reencrypt [--batch N]\n"                                              \
	"       pendopo keys retire ID\n"                                                          \
	"       pendopo keys list\n"

/* Running servers check the key generation about once a second (the main loop of
 * http/server.c, after its job tick) and only then write with the new key. Re-encryption waits
 * this long after the rotation is recorded, so that no server still writes under the old key
 * after re-encryption has passed (which would make `keys retire` refuse the old key) and no
 * server meets a value under a key it has not loaded yet (DESIGN §4: servers reload before
 * anything is written with the new key). */
#define RELOAD_WAIT_MS 2500

static void print_progress(int64_t done, int64_t total, void *arg)
{
	(void)arg;
	printf("re-encrypted %lld of %lld\n", (long long)done, (long long)total);
	fflush(stdout);
}

static int reencrypt(struct pd_store *st, struct pd_keyset *ks, int batch)
{
	char err[1024];
	int rc = pd_keys_reencrypt(st, ks, batch, print_progress, NULL, err, sizeof err);
	if (rc) {
		fprintf(stderr, "pendopo: %s\n", err);
		return 1;
	}
	return 0;
}

static int list(struct pd_store *st, struct pd_keyset *ks)
{
	struct pd_key_record recs[PD_KEY_RECORDS_MAX];
	int n = 0;
	if (pd_keys_records(st, recs, PD_KEY_RECORDS_MAX, &n)) {
		fprintf(stderr, "pendopo: cannot read the key registry\n");
		return 1;
	}
	printf("id\tstate\tfingerprint\tin key file\n");
	for (int i = 0; i < n; i++) {
		char fp[PD_CRYPTO_FP_LEN + 1];
		bool in_file = pd_keyset_fingerprint(ks, (uint32_t)recs[i].id, fp) &&
		               strcmp(fp, recs[i].fingerprint) == 0;
		printf("%lld\t%s\t%s\t%s\n", (long long)recs[i].id, recs[i].state,
		       recs[i].fingerprint, in_file ? "yes" : "no");
	}
	return 0;
}

int pd_cmd_keys(int argc, char **argv)
{
	struct pd_config cfg;
	const char *pos[16];
	int n_pos;
	int rc = pd_cli_setup(argc, argv, 2, keys_flags,
	                      "keys rotate [--new-key FILE] | reencrypt | retire ID | list",
	                      "Rotates the master key of the personal data (re-encrypting in batches\n"
	                      "while servers keep running), retires a key no value uses any more, or\n"
	                      "lists the keys' ids and fingerprints.",
	                      &cfg, pos, 16, &n_pos);
	if (rc)
		return rc < 0 ? 0 : rc;
	const char *w[3];
	int n_w = pd_cli_words(pos, n_pos, w, 3);
	const char *verb = n_w ? w[0] : "";
	int exit_code = 2;
	struct pd_store *st = NULL;
	struct pd_keyset *ks = NULL;
	int64_t batch = 500, id = 0;
	const char *batch_s = pd_cli_opt(pos, n_pos, "batch");
	const char *new_key = pd_cli_opt(pos, n_pos, "new-key");
	bool ok = (strcmp(verb, "rotate") == 0 && n_w == 1) ||
	          (strcmp(verb, "reencrypt") == 0 && n_w == 1 && !new_key) ||
	          (strcmp(verb, "list") == 0 && n_w == 1 && !new_key) ||
	          (strcmp(verb, "retire") == 0 && n_w == 2 && !new_key &&
	           pd_parse_i64(w[1], 1, UINT32_MAX, &id) == PD_OK);
	if (!ok || (batch_s && pd_parse_i64(batch_s, 1, 100000, &batch))) {
		fprintf(stderr, USAGE);
		goto out;
	}
	exit_code = 1;
	if (pd_cli_open(&cfg, &st))
		goto out;
	char err[1024], path[4096];
	if (pd_store_check_schema(st, err, sizeof err) ||
	    pd_keys_startup(&cfg, st, &ks, err, sizeof err)) {
		fprintf(stderr, "pendopo: %s\n", err);
		goto out;
	}
	pd_keys_file(&cfg, path, sizeof path);
	if (strcmp(verb, "list") == 0) {
		exit_code = list(st, ks);
	} else if (strcmp(verb, "reencrypt") == 0) {
		exit_code = reencrypt(st, ks, (int)batch);
	} else if (strcmp(verb, "retire") == 0) {
		if (pd_keys_retire(st, path, (uint32_t)id, err, sizeof err)) {
			fprintf(stderr, "pendopo: %s\n", err);
			goto out;
		}
		printf("pendopo: key %u retired and removed from %s\n", (unsigned)id, path);
		exit_code = 0;
	} else {
		uint32_t old = pd_keyset_current(ks), new_id = 0;
		if (pd_keys_rotate(st, path, new_key, &new_id, err, sizeof err)) {
			fprintf(stderr, "pendopo: %s\n", err);
			goto out;
		}
		/* The generation changed: pick the new key up exactly as a running server does. */
		char fp[PD_CRYPTO_FP_LEN + 1] = "";
		if (pd_keys_maybe_reload(st, ks) || pd_keyset_current(ks) != new_id ||
		    !pd_keyset_fingerprint(ks, new_id, fp)) {
			fprintf(stderr, "pendopo: key %u was recorded but could not be loaded from %s\n",
			        (unsigned)new_id, path);
			goto out;
		}
		printf("pendopo: key %u (fingerprint %s) added to %s and made current\n",
		       (unsigned)new_id, fp, path);
		printf("pendopo: waiting %d ms for running servers to load key %u before re-encrypting\n",
		       RELOAD_WAIT_MS, (unsigned)new_id);
		fflush(stdout);
		struct timespec wait = {RELOAD_WAIT_MS / 1000, (RELOAD_WAIT_MS % 1000) * 1000000L};
		while (nanosleep(&wait, &wait) == -1 && errno == EINTR)
			continue;
		if ((exit_code = reencrypt(st, ks, (int)batch)))
			goto out;
		printf("pendopo: when every server runs with the new key, end the rotation with "
		       "`pendopo keys retire %u`\n",
		       (unsigned)old);
	}
out:
	pd_keyset_free(ks);
	pd_store_close(st);
	pd_config_free(&cfg);
	return exit_code;
}
