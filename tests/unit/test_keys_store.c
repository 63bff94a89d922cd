/* Unit tests of domain/keys over a real store: recording keys on first start, refusing a key file
 * that does not match, rotation, re-encryption in batches of registered columns (test tables
 * made here) and retirement. SQLite in a temporary directory, or PD_TEST_DB (a fresh database,
 * e.g. a postgres:// URL from pg_virtualenv). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/crypto.h"
#include "core/err.h"
#include "core/log.h"
#include "domain/keys.h"
#include "store/keys_store.h"
#include "store/store.h"

#define KEY_A "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
#define KEY_B "q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s="
#define N_ROWS 25
#define N_SUBJECTS 5

static char dir[256], keyfile[PATH_MAX];
static struct pd_store *st;
static struct pd_config cfg;

static const struct pd_sql SQL_SECRET_INS = {
	"t_secret_ins", "INSERT INTO t_secret (id, data) VALUES ($1, $2)", NULL};
static const struct pd_sql SQL_SECRET_ALL = {
	"t_secret_all", "SELECT id, data FROM t_secret ORDER BY id", NULL};
static const struct pd_sql SQL_SUBJECT_INS = {
	"t_subject_ins", "INSERT INTO t_subject (id, wrapped) VALUES ($1, $2)", NULL};
static const struct pd_sql SQL_SUBJECT_ALL = {
	"t_subject_all", "SELECT id, wrapped FROM t_subject ORDER BY id", NULL};

static int exec_tx(struct pd_tx *tx, void *arg)
{
	pd_tx_exec_raw(tx, arg);
	return pd_tx_error(tx);
}

static int setup(void **state)
{
	if (sodium_init() < 0)
		return -1;
	pd_log_set_level(PD_LOG_WARN);
	snprintf(dir, sizeof dir, "/tmp/pd-keys-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char url[PATH_MAX + 64];
	const char *env = getenv("PD_TEST_DB");
	bool pg = env && *env && strncmp(env, "sqlite:", 7) != 0;
	if (env && *env)
		snprintf(url, sizeof url, "%s", env);
	else
		snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
	char err[512];
	struct pd_store_opts opts = {.url = url};
	if (pd_store_open(&opts, &st, err, sizeof err) || pd_store_migrate(st, err, sizeof err)) {
		fprintf(stderr, "store: %s\n", err);
		return -1;
	}
	const char *ddl = pg ? "CREATE TABLE t_secret (id TEXT PRIMARY KEY, data BYTEA);"
	                       "CREATE TABLE t_subject (id TEXT PRIMARY KEY, wrapped BYTEA);"
	                     : "CREATE TABLE t_secret (id TEXT PRIMARY KEY, data BLOB);"
	                       "CREATE TABLE t_subject (id TEXT PRIMARY KEY, wrapped BLOB);";
	if (pd_store_write(st, exec_tx, (void *)ddl))
		return -1;
	cfg.data = dir;
	cfg.keys = "";
	snprintf(keyfile, sizeof keyfile, "%s/keys/master.keys", dir);
	return 0;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int teardown(void **state)
{
	pd_store_close(st);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

static void write_file(const char *path, const char *text)
{
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static bool file_has_key(const char *path, uint32_t id)
{
	char buf[8192];
	int fd = open(path, O_RDONLY);
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	char needle[16];
	snprintf(needle, sizeof needle, "\n%u ", (unsigned)id);
	return strstr(buf, needle) != NULL;
}

static int gen_tx(struct pd_tx *tx, void *arg)
{
	pd_store_keys_generation(tx, arg);
	return pd_tx_error(tx);
}

static int64_t generation(void)
{
	int64_t g = -1;
	assert_int_equal(pd_store_read(st, gen_tx, &g), PD_OK);
	return g;
}

static const char *state_of(int64_t id)
{
	static struct pd_key_record recs[PD_KEY_RECORDS_MAX];
	int n = 0;
	assert_int_equal(pd_keys_records(st, recs, PD_KEY_RECORDS_MAX, &n), PD_OK);
	for (int i = 0; i < n; i++)
		if (recs[i].id == id)
			return recs[i].state;
	return "none";
}

/* --- first start and mismatches ---------------------------------------------------------- */

static void test_first_start_records(void **state)
{
	char err[1024];
	assert_int_equal(pd_keys_verify(&cfg, st, err, sizeof err), PD_OK); /* nothing recorded */
	struct pd_keyset *ks = NULL;
	assert_int_equal(pd_keys_startup(&cfg, st, &ks, err, sizeof err), PD_OK);
	struct stat sb;
	assert_int_equal(stat(keyfile, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_string_equal(state_of(1), "active");
	assert_true(generation() >= 1);
	assert_int_equal(pd_keyset_generation(ks), generation());
	pd_keyset_free(ks);
	/* a second start checks and loads the same keys */
	assert_int_equal(pd_keys_startup(&cfg, st, &ks, err, sizeof err), PD_OK);
	assert_int_equal(pd_keyset_current(ks), 1);
	pd_keyset_free(ks);
	assert_int_equal(pd_keys_verify(&cfg, st, err, sizeof err), PD_OK);
}

static void test_other_key_file_refused(void **state)
{
	char err[1024], other[PATH_MAX + 32];
	struct pd_keyset *ks = NULL;
	assert_int_equal(pd_keys_startup(&cfg, st, &ks, err, sizeof err), PD_OK);
	char fp[PD_CRYPTO_FP_LEN + 1];
	pd_keyset_fingerprint(ks, 1, fp);
	pd_keyset_free(ks);
	struct pd_config c2 = cfg;
	c2.keys = other;
	/* another key 1 */
	snprintf(other, sizeof other, "%s/other.keys", dir);
	write_file(other, "index " KEY_B "\n1 " KEY_A "\n");
	assert_int_equal(pd_keys_startup(&c2, st, &ks, err, sizeof err), PD_ERR_INVALID);
	assert_null(ks);
	assert_non_null(strstr(err, "key 1"));
	assert_non_null(strstr(err, fp));
	assert_non_null(strstr(err, "d59898e0aef4f684698d3a13e018e21f"));
	assert_non_null(strstr(err, "--keys"));
	assert_null(strstr(err, KEY_A));
	assert_int_equal(pd_keys_verify(&c2, st, err, sizeof err), PD_ERR_INVALID);
	/* key 1 missing */
	write_file(other, "index " KEY_B "\n5 " KEY_A "\n");
	assert_int_equal(pd_keys_startup(&c2, st, &ks, err, sizeof err), PD_ERR_INVALID);
	assert_non_null(strstr(err, "key 1"));
	assert_non_null(strstr(err, "missing"));
	/* no file at all: not created for a database that records keys */
	snprintf(other, sizeof other, "%s/none.keys", dir);
	assert_int_equal(pd_keys_startup(&c2, st, &ks, err, sizeof err), PD_ERR_NOT_FOUND);
	assert_non_null(strstr(err, "does not exist"));
	assert_int_equal(access(other, F_OK), -1);
	/* the right master key with another index key */
	snprintf(other, sizeof other, "%s/index.keys", dir);
	char text[4096];
	int fd = open(keyfile, O_RDONLY);
	ssize_t n = read(fd, text, sizeof text - 1);
	close(fd);
	text[n] = '\0';
	char *idx = strstr(text, "index ");
	assert_non_null(idx);
	memcpy(idx + 6, KEY_B, strlen(KEY_B));
	write_file(other, text);
	assert_int_equal(pd_keys_startup(&c2, st, &ks, err, sizeof err), PD_ERR_INVALID);
	assert_non_null(strstr(err, "index key"));
}

/* --- rotation, re-encryption, retirement ------------------------------------------------- */

struct fill_arg {
	struct pd_keyset *ks;
	unsigned char subject_keys[N_SUBJECTS][32];
};

static int fill_tx(struct pd_tx *tx, void *arg)
{
	struct fill_arg *fa = arg;
	struct pd_buf b;
	pd_buf_init(&b, 4096);
	for (int i = 0; i < N_ROWS; i++) {
		char id[32], value[64];
		snprintf(id, sizeof id, "row-%03d", i);
		snprintf(value, sizeof value, "secret value %d", i);
		pd_buf_reset(&b);
		assert_int_equal(pd_crypto_seal(fa->ks, value, strlen(value), "t_secret", "data", id, &b),
		                 PD_OK);
		struct pd_q *q = pd_q_open(tx, &SQL_SECRET_INS);
		pd_q_text(q, 1, id);
		pd_q_blob(q, 2, b.data, b.len);
		pd_q_exec(q);
	}
	struct pd_q *q = pd_q_open(tx, &SQL_SECRET_INS); /* a row without a value */
	pd_q_text(q, 1, "row-null");
	pd_q_null(q, 2);
	pd_q_exec(q);
	for (int i = 0; i < N_SUBJECTS; i++) {
		char id[32];
		snprintf(id, sizeof id, "acc-%d", i);
		pd_buf_reset(&b);
		assert_int_equal(pd_crypto_subject_key_new(fa->ks, id, fa->subject_keys[i], &b), PD_OK);
		q = pd_q_open(tx, &SQL_SUBJECT_INS);
		pd_q_text(q, 1, id);
		pd_q_blob(q, 2, b.data, b.len);
		pd_q_exec(q);
	}
	pd_buf_free(&b);
	return pd_tx_error(tx);
}

struct check_arg {
	struct pd_keyset *ks;
	const struct fill_arg *fa;
	uint32_t want_key;
	int ok, under_want;
};

static int check_tx(struct pd_tx *tx, void *arg)
{
	struct check_arg *ca = arg;
	ca->ok = ca->under_want = 0;
	struct pd_buf pt;
	pd_buf_init(&pt, 4096);
	struct pd_q *q = pd_q_open(tx, &SQL_SECRET_ALL);
	while (pd_q_step(q) == 1) {
		const char *id = pd_q_col_text(q, 0);
		if (strcmp(id, "row-null") == 0) {
			assert_true(pd_q_isnull(q, 1));
			continue;
		}
		size_t n;
		const void *blob = pd_q_col_blob(q, 1, &n);
		ca->under_want += pd_crypto_blob_key_id(blob, n) == ca->want_key;
		pd_buf_reset(&pt);
		char want[64];
		snprintf(want, sizeof want, "secret value %d", (int)strtol(id + 4, NULL, 10));
		if (pd_crypto_open(ca->ks, blob, n, "t_secret", "data", id, &pt) == PD_OK &&
		    strcmp(pt.data, want) == 0)
			ca->ok++;
	}
	q = pd_q_open(tx, &SQL_SUBJECT_ALL);
	while (pd_q_step(q) == 1) {
		const char *id = pd_q_col_text(q, 0);
		size_t n;
		const void *blob = pd_q_col_blob(q, 1, &n);
		ca->under_want += pd_crypto_blob_key_id(blob, n) == ca->want_key;
		unsigned char raw[32];
		if (pd_crypto_subject_key_unwrap(ca->ks, id, blob, n, raw) == PD_OK &&
		    memcmp(raw, ca->fa->subject_keys[(int)strtol(id + 4, NULL, 10)], 32) == 0)
			ca->ok++;
	}
	pd_buf_free(&pt);
	return pd_tx_error(tx);
}

static void progress(int64_t done, int64_t total, void *arg)
{
	int64_t *last = arg;
	assert_true(done >= last[0]);
	assert_true(done <= total);
	last[0] = done;
	last[1] = total;
	last[2]++;
}

static void test_rotate_reencrypt_retire(void **state)
{
	assert_int_equal(pd_keys_register_column("t_secret", "id", "data", PD_ENC_MASTER), PD_OK);
	assert_int_equal(pd_keys_register_column("t_subject", "id", "wrapped", PD_ENC_SUBJECT_KEY),
	                 PD_OK);
	assert_int_equal(pd_keys_register_column("t_secret", "id", "data", PD_ENC_MASTER), PD_OK);
	char err[1024];
	struct pd_keyset *ks = NULL;
	assert_int_equal(pd_keys_startup(&cfg, st, &ks, err, sizeof err), PD_OK);
	static struct fill_arg fa;
	fa.ks = ks;
	assert_int_equal(pd_store_write(st, fill_tx, &fa), PD_OK);

	/* rotate: key 2 is recorded active, key 1 retiring, the generation moves */
	int64_t g0 = generation();
	uint32_t id = 0;
	assert_int_equal(pd_keys_rotate(st, keyfile, NULL, &id, err, sizeof err), PD_OK);
	assert_int_equal(id, 2);
	assert_true(file_has_key(keyfile, 2));
	assert_string_equal(state_of(2), "active");
	assert_string_equal(state_of(1), "retiring");
	assert_int_equal(generation(), g0 + 1);
	/* a running server notices and switches; nothing is written under key 2 before that */
	assert_int_equal(pd_keyset_current(ks), 1);
	assert_int_equal(pd_keys_maybe_reload(st, ks), PD_OK);
	assert_int_equal(pd_keyset_current(ks), 2);
	assert_int_equal(pd_keyset_generation(ks), g0 + 1);
	assert_int_equal(pd_keys_maybe_reload(st, ks), PD_OK); /* unchanged: nothing to do */

	/* retiring is refused while values use the key, and for the current key */
	assert_int_equal(pd_keys_retire(st, keyfile, 1, err, sizeof err), PD_ERR_CONFLICT);
	assert_non_null(strstr(err, "t_secret.data: 25"));
	assert_non_null(strstr(err, "t_subject.wrapped: 5"));
	assert_true(file_has_key(keyfile, 1));
	assert_int_equal(pd_keys_retire(st, keyfile, 2, err, sizeof err), PD_ERR_FORBIDDEN);
	assert_int_equal(pd_keys_retire(st, keyfile, 99, err, sizeof err), PD_ERR_NOT_FOUND);

	/* re-encrypt in batches of 7 */
	int64_t last[3] = {0, 0, 0};
	assert_int_equal(pd_keys_reencrypt(st, ks, 7, progress, last, err, sizeof err), PD_OK);
	assert_int_equal(last[0], N_ROWS + N_SUBJECTS);
	assert_int_equal(last[1], N_ROWS + N_SUBJECTS);
	assert_true(last[2] >= 5);
	struct check_arg ca = {.ks = ks, .fa = &fa, .want_key = 2};
	assert_int_equal(pd_store_read(st, check_tx, &ca), PD_OK);
	assert_int_equal(ca.ok, N_ROWS + N_SUBJECTS);
	assert_int_equal(ca.under_want, N_ROWS + N_SUBJECTS);
	/* a second run has nothing to do */
	memset(last, 0, sizeof last);
	assert_int_equal(pd_keys_reencrypt(st, ks, 7, progress, last, err, sizeof err), PD_OK);
	assert_int_equal(last[1], 0);

	/* retire key 1: recorded retired, gone from the file, servers reload without it */
	int64_t g1 = generation();
	assert_int_equal(pd_keys_retire(st, keyfile, 1, err, sizeof err), PD_OK);
	assert_string_equal(state_of(1), "retired");
	assert_false(file_has_key(keyfile, 1));
	assert_true(file_has_key(keyfile, 2));
	assert_int_equal(generation(), g1 + 1);
	assert_int_equal(pd_keys_maybe_reload(st, ks), PD_OK);
	char fp[PD_CRYPTO_FP_LEN + 1];
	assert_false(pd_keyset_fingerprint(ks, 1, fp));
	assert_int_equal(pd_keys_retire(st, keyfile, 1, err, sizeof err), PD_OK); /* again: no-op */
	ca.ok = 0;
	assert_int_equal(pd_store_read(st, check_tx, &ca), PD_OK);
	assert_int_equal(ca.ok, N_ROWS + N_SUBJECTS);
	/* a start with only key 2 in the file works */
	assert_int_equal(pd_keys_verify(&cfg, st, err, sizeof err), PD_OK);
	pd_keyset_free(ks);
	assert_int_equal(pd_keys_startup(&cfg, st, &ks, err, sizeof err), PD_OK);
	assert_int_equal(pd_keyset_current(ks), 2);
	pd_keyset_free(ks);
}

static int insert_bad_tx(struct pd_tx *tx, void *arg)
{
	struct pd_buf *b = arg;
	struct pd_q *q = pd_q_open(tx, &SQL_SECRET_INS);
	pd_q_text(q, 1, "row-bad");
	pd_q_blob(q, 2, b->data, b->len);
	pd_q_exec(q);
	return pd_tx_error(tx);
}

static void test_new_key_file_and_bad_rows(void **state)
{
	char err[1024], nk[PATH_MAX + 32];
	struct pd_keyset *ks = NULL;
	assert_int_equal(pd_keys_startup(&cfg, st, &ks, err, sizeof err), PD_OK);
	uint32_t cur = pd_keyset_current(ks);
	/* a value sealed under the current key, then damaged */
	struct pd_buf b;
	pd_buf_init(&b, 4096);
	assert_int_equal(pd_crypto_seal(ks, "x", 1, "t_secret", "data", "row-bad", &b), PD_OK);
	b.data[b.len - 1] ^= 1;
	assert_int_equal(pd_store_write(st, insert_bad_tx, &b), PD_OK);
	pd_buf_free(&b);

	/* --new-key with an id in use is refused; with id 7 it is taken as is */
	snprintf(nk, sizeof nk, "%s/new.key", dir);
	char line[128];
	snprintf(line, sizeof line, "%u %s\n", (unsigned)cur, KEY_B);
	write_file(nk, line);
	uint32_t id = 0;
	assert_int_equal(pd_keys_rotate(st, keyfile, nk, &id, err, sizeof err), PD_ERR_CONFLICT);
	write_file(nk, "7 " KEY_B "\n");
	assert_int_equal(pd_keys_rotate(st, keyfile, nk, &id, err, sizeof err), PD_OK);
	assert_int_equal(id, 7);
	assert_string_equal(state_of(7), "active");
	char fp[PD_CRYPTO_FP_LEN + 1];
	assert_int_equal(pd_keys_maybe_reload(st, ks), PD_OK);
	assert_true(pd_keyset_fingerprint(ks, 7, fp));
	assert_string_equal(fp, "c7bae79c1709feee3853d2e3db5b5286");
	/* a bare key gets the next id */
	write_file(nk, KEY_A "\n");
	assert_int_equal(pd_keys_rotate(st, keyfile, nk, &id, err, sizeof err), PD_OK);
	assert_int_equal(id, 8);
	assert_int_equal(pd_keys_maybe_reload(st, ks), PD_OK);
	assert_int_equal(pd_keyset_current(ks), 8);

	/* the damaged value stays, is reported, and keeps its key from being retired */
	int64_t last[3] = {0, 0, 0};
	assert_int_equal(pd_keys_reencrypt(st, ks, 3, progress, last, err, sizeof err), PD_ERR_CRYPTO);
	assert_non_null(strstr(err, "row-bad"));
	assert_non_null(strstr(err, "t_secret.data"));
	assert_int_equal(pd_keys_retire(st, keyfile, 7, err, sizeof err), PD_OK);
	assert_int_equal(pd_keys_retire(st, keyfile, cur, err, sizeof err), PD_ERR_CONFLICT);
	assert_non_null(strstr(err, "t_secret.data: 1"));
	pd_keyset_free(ks);
}

static void test_registry_rules(void **state)
{
	static const char *const bad[] = {"", "T", "1abc", "a b", "a;drop table x", "a-b",
	                                  "\"quoted\""};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(pd_keys_register_column(bad[i], "id", "c", PD_ENC_MASTER),
		                 PD_ERR_INVALID);
		assert_int_equal(pd_keys_register_column("t", bad[i], "c", PD_ENC_MASTER),
		                 PD_ERR_INVALID);
		assert_int_equal(pd_keys_register_column("t", "id", bad[i], PD_ENC_MASTER),
		                 PD_ERR_INVALID);
	}
	assert_int_equal(pd_keys_register_column("t_secret", "id", "data", PD_ENC_SUBJECT_KEY),
	                 PD_ERR_CONFLICT);
	assert_int_equal(pd_keys_register_column("t", "id", "c", (enum pd_enc_kind)7), PD_ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_start_records),
		cmocka_unit_test(test_other_key_file_refused),
		cmocka_unit_test(test_rotate_reencrypt_retire),
		cmocka_unit_test(test_new_key_file_and_bad_rows),
		cmocka_unit_test(test_registry_rules),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
