/* Unit tests of core/crypto: the key file and key set, blobs bound to table/column/row, subject
 * keys and erasure, secretstream attachments, blind indexes and value normalisation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/crypto.h"
#include "core/err.h"

#define KEY_A "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=" /* bytes 0..31 */
#define FP_A "d59898e0aef4f684698d3a13e018e21f"            /* computed with Python's hashlib */
#define KEY_B "q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=" /* 32 × 0xab */

static char dir[256];

static void path_of(char *out, const char *name)
{
	snprintf(out, PATH_MAX, "%s/%s", dir, name);
}

static void write_file(const char *name, const char *text, mode_t mode)
{
	char p[PATH_MAX];
	path_of(p, name);
	unlink(p);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(chmod(p, mode), 0);
}

static struct pd_keyset *load(const char *name)
{
	char p[PATH_MAX], err[512];
	path_of(p, name);
	struct pd_keyset *ks = NULL;
	int rc = pd_keyset_load(p, false, &ks, err, sizeof err);
	if (rc)
		fail_msg("load %s: %s", name, err);
	return ks;
}

static int setup(void **state)
{
	if (sodium_init() < 0)
		return -1;
	snprintf(dir, sizeof dir, "/tmp/pd-crypto-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	return 0;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int teardown(void **state)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

static int fresh_keys(void **state)
{
	write_file("a.keys", "# test keys\nindex " KEY_B "\n1 " KEY_A "\n", 0600);
	return 0;
}

/* --- seal / open --------------------------------------------------------------------------- */

static void seal(struct pd_keyset *ks, const char *pt, const char *t, const char *c,
                 const char *r, struct pd_buf *out)
{
	pd_buf_init(out, 1 << 20);
	assert_int_equal(pd_crypto_seal(ks, pt, strlen(pt), t, c, r, out), PD_OK);
}

static int open_as(struct pd_keyset *ks, const struct pd_buf *blob, const char *t, const char *c,
                   const char *r, struct pd_buf *out)
{
	pd_buf_init(out, 1 << 20);
	return pd_crypto_open(ks, blob->data, blob->len, t, c, r, out);
}

static void test_round_trip(void **state)
{
	struct pd_keyset *ks = load("a.keys");
	struct pd_buf blob, pt;
	seal(ks, "3201051234560001", "account", "nik_ct", "row-1", &blob);
	assert_int_equal(blob.len, 1 + 4 + 24 + 16 + 16);
	assert_int_equal((unsigned char)blob.data[0], PD_CRYPTO_V_DATA);
	assert_int_equal(pd_crypto_blob_key_id(blob.data, blob.len), 1);
	assert_null(memmem(blob.data, blob.len, "3201", 4));
	assert_int_equal(open_as(ks, &blob, "account", "nik_ct", "row-1", &pt), PD_OK);
	assert_string_equal(pt.data, "3201051234560001");
	pd_buf_free(&pt);
	pd_buf_free(&blob);
	/* empty plaintext, and two seals of the same value differ (random nonce) */
	struct pd_buf e1, e2;
	seal(ks, "", "t", "c", "r", &e1);
	seal(ks, "", "t", "c", "r", &e2);
	assert_memory_not_equal(e1.data, e2.data, e1.len);
	assert_int_equal(open_as(ks, &e1, "t", "c", "r", &pt), PD_OK);
	assert_int_equal(pt.len, 0);
	pd_buf_free(&pt);
	pd_buf_free(&e1);
	pd_buf_free(&e2);
	pd_keyset_free(ks);
}

static void test_wrong_ad_refused(void **state)
{
	struct pd_keyset *ks = load("a.keys");
	struct pd_buf blob, pt;
	seal(ks, "budi@example.id", "account", "email_ct", "row-1", &blob);
	static const char *const wrong[][3] = {
		{"account", "email_ct", "row-2"},   /* other row */
		{"account", "name_ct", "row-1"},    /* other column */
		{"complaint", "email_ct", "row-1"}, /* other table */
		{"account", "email_ct", "row-1 "},
		{"accountemail_ct", "", "row-1"},
	};
	for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
		assert_int_equal(open_as(ks, &blob, wrong[i][0], wrong[i][1], wrong[i][2], &pt),
		                 PD_ERR_CRYPTO);
		assert_int_equal(pt.len, 0);
		pd_buf_free(&pt);
	}
	pd_buf_free(&blob);
	pd_keyset_free(ks);
}

static void test_swapped_rows_refused(void **state)
{
	struct pd_keyset *ks = load("a.keys");
	struct pd_buf b1, b2, pt;
	seal(ks, "Siti", "account", "name_ct", "row-1", &b1);
	seal(ks, "Agus", "account", "name_ct", "row-2", &b2);
	/* an attacker with write access swaps the two ciphertexts */
	assert_int_equal(open_as(ks, &b2, "account", "name_ct", "row-1", &pt), PD_ERR_CRYPTO);
	pd_buf_free(&pt);
	assert_int_equal(open_as(ks, &b1, "account", "name_ct", "row-2", &pt), PD_ERR_CRYPTO);
	pd_buf_free(&pt);
	assert_int_equal(open_as(ks, &b1, "account", "name_ct", "row-1", &pt), PD_OK);
	assert_string_equal(pt.data, "Siti");
	pd_buf_free(&pt);
	pd_buf_free(&b1);
	pd_buf_free(&b2);
	pd_keyset_free(ks);
}

static void test_tampering_refused(void **state)
{
	struct pd_keyset *ks = load("a.keys");
	struct pd_buf blob, pt;
	seal(ks, "Jl. Merdeka 17", "account", "address_ct", "r", &blob);
	for (size_t i = 0; i < blob.len; i++) {
		for (int bit = 0; bit < 8; bit += 7) {
			blob.data[i] ^= (char)(1 << bit);
			assert_int_equal(open_as(ks, &blob, "account", "address_ct", "r", &pt), PD_ERR_CRYPTO);
			pd_buf_free(&pt);
			blob.data[i] ^= (char)(1 << bit);
		}
	}
	for (size_t n = 0; n < blob.len; n++) {
		pd_buf_init(&pt, 1 << 20);
		assert_int_equal(pd_crypto_open(ks, blob.data, n, "account", "address_ct", "r", &pt),
		                 PD_ERR_CRYPTO);
		pd_buf_free(&pt);
	}
	assert_int_equal(open_as(ks, &blob, "account", "address_ct", "r", &pt), PD_OK);
	pd_buf_free(&pt);
	pd_buf_free(&blob);
	pd_keyset_free(ks);
}

static void test_unknown_key_refused(void **state)
{
	struct pd_keyset *ks = load("a.keys");
	struct pd_buf blob, pt;
	seal(ks, "x", "t", "c", "r", &blob);
	blob.data[4] = 9; /* key id 9: not in the set */
	assert_int_equal(pd_crypto_blob_key_id(blob.data, blob.len), 9);
	assert_int_equal(open_as(ks, &blob, "t", "c", "r", &pt), PD_ERR_CRYPTO);
	pd_buf_free(&pt);
	pd_buf_free(&blob);
	/* another installation's key 1 (same id, other key) */
	write_file("b.keys", "index " KEY_B "\n1 " KEY_B "\n", 0600);
	struct pd_keyset *other = load("b.keys");
	seal(other, "x", "t", "c", "r", &blob);
	assert_int_equal(open_as(ks, &blob, "t", "c", "r", &pt), PD_ERR_CRYPTO);
	pd_buf_free(&pt);
	pd_buf_free(&blob);
	pd_keyset_free(other);
	pd_keyset_free(ks);
}

/* --- subject keys ----------------------------------------------------------------------------- */

static void test_subject_keys(void **state)
{
	struct pd_keyset *ks = load("a.keys");
	unsigned char raw[32], again[32];
	struct pd_buf wrapped, blob, pt;
	pd_buf_init(&wrapped, 1024);
	assert_int_equal(pd_crypto_subject_key_new(ks, "acc-1", raw, &wrapped), PD_OK);
	assert_int_equal(wrapped.len, PD_CRYPTO_WRAPPED_BYTES);
	assert_int_equal(pd_crypto_blob_key_id(wrapped.data, wrapped.len), 1);
	assert_int_equal(pd_crypto_subject_key_unwrap(ks, "acc-1", wrapped.data, wrapped.len, again),
	                 PD_OK);
	assert_memory_equal(raw, again, 32);
	/* bound to its subject */
	assert_int_equal(pd_crypto_subject_key_unwrap(ks, "acc-2", wrapped.data, wrapped.len, again),
	                 PD_ERR_CRYPTO);
	/* data under the subject key */
	pd_buf_init(&blob, 1024);
	assert_int_equal(pd_crypto_seal_with(raw, "Siti Aminah", 11, "account", "name_ct", "acc-1",
	                                     &blob),
	                 PD_OK);
	assert_int_equal((unsigned char)blob.data[0], PD_CRYPTO_V_SUBJECT_DATA);
	assert_int_equal(pd_crypto_blob_key_id(blob.data, blob.len), 0);
	pd_buf_init(&pt, 1024);
	assert_int_equal(pd_crypto_open_with(raw, blob.data, blob.len, "account", "name_ct", "acc-1",
	                                     &pt),
	                 PD_OK);
	assert_string_equal(pt.data, "Siti Aminah");
	pd_buf_reset(&pt);
	assert_int_equal(pd_crypto_open_with(raw, blob.data, blob.len, "account", "name_ct", "acc-2",
	                                     &pt),
	                 PD_ERR_CRYPTO);
	/* the two kinds cannot be confused */
	assert_int_equal(pd_crypto_open(ks, blob.data, blob.len, "account", "name_ct", "acc-1", &pt),
	                 PD_ERR_CRYPTO);
	struct pd_buf master;
	seal(ks, "Siti Aminah", "account", "name_ct", "acc-1", &master);
	assert_int_equal(pd_crypto_open_with(raw, master.data, master.len, "account", "name_ct",
	                                     "acc-1", &pt),
	                 PD_ERR_CRYPTO);
	assert_int_equal(pd_crypto_open(ks, wrapped.data, wrapped.len, "subject_key", "acc-1", "x",
	                                &pt),
	                 PD_ERR_CRYPTO);
	/* erasure (UU 27/2022): the wrapped key is destroyed; nothing opens the data any more */
	sodium_memzero(raw, sizeof raw);
	sodium_memzero(again, sizeof again);
	memset(wrapped.data, 0, wrapped.len);
	assert_int_equal(pd_crypto_subject_key_unwrap(ks, "acc-1", wrapped.data, wrapped.len, again),
	                 PD_ERR_CRYPTO);
	unsigned char guess[32];
	randombytes_buf(guess, sizeof guess);
	for (int i = 0; i < 2; i++) {
		pd_buf_reset(&pt);
		assert_int_equal(pd_crypto_open_with(i ? guess : raw, blob.data, blob.len, "account",
		                                     "name_ct", "acc-1", &pt),
		                 PD_ERR_CRYPTO);
	}
	pd_buf_free(&pt);
	pd_buf_free(&blob);
	pd_buf_free(&master);
	pd_buf_free(&wrapped);
	pd_keyset_free(ks);
}

/* --- key file --------------------------------------------------------------------------------- */

static void test_keyfile_mode_refused(void **state)
{
	write_file("mode.keys", "index " KEY_B "\n1 " KEY_A "\n", 0644);
	char p[PATH_MAX], err[512];
	path_of(p, "mode.keys");
	struct pd_keyset *ks = NULL;
	assert_int_equal(pd_keyset_load(p, false, &ks, err, sizeof err), PD_ERR_FORBIDDEN);
	assert_null(ks);
	assert_non_null(strstr(err, "0644"));
	assert_non_null(strstr(err, "chmod 600"));
	assert_null(strstr(err, KEY_A));
	chmod(p, 0640);
	assert_int_equal(pd_keyset_load(p, false, &ks, err, sizeof err), PD_ERR_FORBIDDEN);
	chmod(p, 0400);
	assert_int_equal(pd_keyset_load(p, false, &ks, err, sizeof err), PD_OK);
	pd_keyset_free(ks);
	/* --new-key files follow the same rule */
	write_file("new.key", KEY_B "\n", 0644);
	path_of(p, "new.key");
	uint32_t id = 7;
	unsigned char key[32];
	assert_int_equal(pd_keyfile_read_new(p, &id, key, err, sizeof err), PD_ERR_FORBIDDEN);
	chmod(p, 0600);
	assert_int_equal(pd_keyfile_read_new(p, &id, key, err, sizeof err), PD_OK);
	assert_int_equal(id, 0);
	assert_int_equal(key[0], 0xab);
}

static void test_keyfile_malformed(void **state)
{
	static const char *const bad[] = {
		"1 " KEY_A "\n",                               /* no index line */
		"index " KEY_B "\n",                           /* no master key */
		"index " KEY_B "\n1 " KEY_A "\n1 " KEY_B "\n", /* id twice */
		"index " KEY_B "\nindex " KEY_A "\n1 " KEY_A "\n",
		"index " KEY_B "\n0 " KEY_A "\n",              /* id 0 */
		"index " KEY_B "\n4294967296 " KEY_A "\n",     /* id too large */
		"index " KEY_B "\n1 AAAA\n",                   /* not 32 bytes */
		"index " KEY_B "\n1 " KEY_A " extra\n",
		"index " KEY_B "\nkey " KEY_A "\n",
	};
	char p[PATH_MAX], err[512];
	path_of(p, "bad.keys");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		write_file("bad.keys", bad[i], 0600);
		struct pd_keyset *ks = NULL;
		assert_int_not_equal(pd_keyset_load(p, false, &ks, err, sizeof err), PD_OK);
		assert_null(ks);
		assert_null(strstr(err, KEY_A));
		assert_null(strstr(err, KEY_B));
	}
	struct pd_keyset *ks = NULL;
	path_of(p, "missing.keys");
	assert_int_equal(pd_keyset_load(p, false, &ks, err, sizeof err), PD_ERR_NOT_FOUND);
}

static void test_fingerprint_stable(void **state)
{
	unsigned char key[32];
	for (int i = 0; i < 32; i++)
		key[i] = (unsigned char)i;
	char fp[PD_CRYPTO_FP_LEN + 1];
	pd_crypto_fingerprint(key, fp);
	assert_string_equal(fp, FP_A);
	struct pd_keyset *ks = load("a.keys");
	char fp2[PD_CRYPTO_FP_LEN + 1];
	assert_true(pd_keyset_fingerprint(ks, 1, fp2));
	assert_string_equal(fp2, FP_A);
	assert_false(pd_keyset_fingerprint(ks, 2, fp2));
	pd_keyset_index_fingerprint(ks, fp2);
	assert_string_equal(fp2, "c7bae79c1709feee3853d2e3db5b5286");
	pd_keyset_free(ks);
}

static void test_keyfile_created(void **state)
{
	char p[PATH_MAX], err[512];
	path_of(p, "gen/k/master.keys");
	struct pd_keyset *ks = NULL;
	assert_int_equal(pd_keyset_load(p, true, &ks, err, sizeof err), PD_OK);
	struct stat sb;
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	char d[PATH_MAX];
	path_of(d, "gen/k");
	assert_int_equal(stat(d, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	assert_int_equal(pd_keyset_count(ks), 1);
	assert_int_equal(pd_keyset_current(ks), 1);
	char fp1[PD_CRYPTO_FP_LEN + 1], fp2[PD_CRYPTO_FP_LEN + 1];
	pd_keyset_fingerprint(ks, 1, fp1);
	pd_keyset_free(ks);
	/* a second start loads the same file, it does not replace it */
	assert_int_equal(pd_keyset_load(p, true, &ks, err, sizeof err), PD_OK);
	pd_keyset_fingerprint(ks, 1, fp2);
	assert_string_equal(fp1, fp2);
	pd_keyset_free(ks);
}

static void test_keyfile_edit(void **state)
{
	write_file("rot.keys", "# c\nindex " KEY_B "\n1 " KEY_A "\n", 0600);
	char p[PATH_MAX], err[512], fp[PD_CRYPTO_FP_LEN + 1];
	path_of(p, "rot.keys");
	bool added = false;
	int lock = pd_keyfile_lock(p, err, sizeof err);
	assert_true(lock >= 0);
	assert_int_equal(pd_keyfile_append(p, 2, NULL, fp, &added, err, sizeof err), PD_OK);
	assert_true(added);
	pd_keyfile_unlock(lock);
	struct pd_keyset *ks = load("rot.keys");
	assert_int_equal(pd_keyset_count(ks), 2);
	assert_int_equal(pd_keyset_current(ks), 2);
	char fp2[PD_CRYPTO_FP_LEN + 1];
	assert_true(pd_keyset_fingerprint(ks, 2, fp2));
	assert_string_equal(fp, fp2);
	pd_keyset_free(ks);
	struct stat sb;
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* the same key again is not repeated; the same id with another key is refused */
	unsigned char a[32];
	for (int i = 0; i < 32; i++)
		a[i] = (unsigned char)i;
	assert_int_equal(pd_keyfile_append(p, 1, a, fp, &added, err, sizeof err), PD_OK);
	assert_false(added);
	assert_string_equal(fp, FP_A);
	a[0] = 1;
	assert_int_equal(pd_keyfile_append(p, 1, a, fp, &added, err, sizeof err), PD_ERR_CONFLICT);
	/* removal keeps comments and the other lines; the last key cannot go */
	assert_int_equal(pd_keyfile_remove(p, 1, err, sizeof err), PD_OK);
	ks = load("rot.keys");
	assert_int_equal(pd_keyset_count(ks), 1);
	assert_false(pd_keyset_fingerprint(ks, 1, fp2));
	pd_keyset_free(ks);
	assert_int_equal(pd_keyfile_remove(p, 2, err, sizeof err), PD_ERR_INVALID);
	assert_int_equal(pd_keyfile_remove(p, 5, err, sizeof err), PD_OK);
}

/* --- key set swaps ---------------------------------------------------------------------------- */

static void test_rotation_and_refresh(void **state)
{
	write_file("rot.keys", "index " KEY_B "\n1 " KEY_A "\n", 0600);
	struct pd_keyset *ks = load("rot.keys");
	struct pd_buf b1, pt;
	seal(ks, "v1", "t", "c", "r", &b1);
	/* another node adds key 2 and writes with it before this one reloaded */
	char p[PATH_MAX], err[512], fp[PD_CRYPTO_FP_LEN + 1];
	path_of(p, "rot.keys");
	bool added;
	assert_int_equal(pd_keyfile_append(p, 2, NULL, fp, &added, err, sizeof err), PD_OK);
	struct pd_keyset *other = load("rot.keys");
	assert_int_equal(pd_keyset_current(other), 2);
	struct pd_buf b2;
	seal(other, "v2", "t", "c", "r", &b2);
	assert_int_equal(pd_crypto_blob_key_id(b2.data, b2.len), 2);
	/* this node re-reads its key file for the unknown id, keeping its current key */
	assert_int_equal(open_as(ks, &b2, "t", "c", "r", &pt), PD_OK);
	assert_string_equal(pt.data, "v2");
	pd_buf_free(&pt);
	assert_int_equal(pd_keyset_current(ks), 1);
	/* switching the current key; older blobs still open and can be re-sealed */
	assert_int_equal(pd_keyset_set_current(ks, 2), PD_OK);
	assert_int_equal(pd_keyset_set_current(ks, 3), PD_ERR_NOT_FOUND);
	struct pd_buf re;
	pd_buf_init(&re, 1024);
	assert_int_equal(pd_crypto_reseal(ks, b1.data, b1.len, "t", "c", "r", &re), PD_OK);
	assert_int_equal(pd_crypto_blob_key_id(re.data, re.len), 2);
	assert_int_equal(open_as(ks, &re, "t", "c", "r", &pt), PD_OK);
	assert_string_equal(pt.data, "v1");
	pd_buf_free(&pt);
	/* replace: a reloaded set with current 1 */
	assert_int_equal(pd_keyset_replace(ks, load("rot.keys"), 1), PD_OK);
	assert_int_equal(pd_keyset_current(ks), 1);
	assert_int_equal(pd_keyset_replace(ks, load("rot.keys"), 9), PD_ERR_NOT_FOUND);
	assert_int_equal(pd_keyset_current(ks), 1);
	pd_buf_free(&re);
	pd_buf_free(&b1);
	pd_buf_free(&b2);
	pd_keyset_free(other);
	pd_keyset_free(ks);
}

struct race {
	struct pd_keyset *ks;
	atomic_bool stop;
	atomic_int failures, rounds;
};

static void *race_reader(void *p)
{
	struct race *r = p;
	struct pd_buf blob, pt;
	pd_buf_init(&blob, 4096);
	pd_buf_init(&pt, 4096);
	while (!atomic_load(&r->stop)) {
		pd_buf_reset(&blob);
		pd_buf_reset(&pt);
		if (pd_crypto_seal(r->ks, "race", 4, "t", "c", "r", &blob) ||
		    pd_crypto_open(r->ks, blob.data, blob.len, "t", "c", "r", &pt) || pt.len != 4)
			atomic_fetch_add(&r->failures, 1);
		atomic_fetch_add(&r->rounds, 1);
	}
	pd_buf_free(&blob);
	pd_buf_free(&pt);
	return NULL;
}

static void test_swap_under_load(void **state)
{
	write_file("rot.keys", "index " KEY_B "\n1 " KEY_A "\n2 " KEY_B "\n", 0600);
	struct race r = {.ks = load("rot.keys")};
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, race_reader, &r);
	for (int i = 0; i < 200; i++) {
		if (i % 2)
			assert_int_equal(pd_keyset_set_current(r.ks, 1 + (uint32_t)(i % 4 == 1)), PD_OK);
		else
			assert_int_equal(pd_keyset_replace(r.ks, load("rot.keys"), 0), PD_OK);
	}
	atomic_store(&r.stop, true);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(atomic_load(&r.failures), 0);
	assert_true(atomic_load(&r.rounds) > 0);
	pd_keyset_free(r.ks);
}

/* --- streams ---------------------------------------------------------------------------------- */

static void write_bytes(const char *name, const unsigned char *p, size_t n)
{
	char path[PATH_MAX];
	path_of(path, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, p, n), (ssize_t)n);
	close(fd);
}

static unsigned char *read_bytes(const char *name, size_t *n)
{
	char path[PATH_MAX];
	path_of(path, name);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	unsigned char *p = malloc((size_t)sb.st_size + 1);
	int fd = open(path, O_RDONLY);
	*n = (size_t)read(fd, p, (size_t)sb.st_size);
	close(fd);
	return p;
}

static int run_stream(bool enc, const char *in, const char *out, struct pd_keyset *ks,
                      const unsigned char *key, const char *row)
{
	char pi[PATH_MAX], po[PATH_MAX];
	path_of(pi, in);
	path_of(po, out);
	int ifd = open(pi, O_RDONLY), ofd = open(po, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int rc = enc ? pd_crypto_stream_encrypt_fd(ks, key, ifd, ofd, "blob", "data", row)
	             : pd_crypto_stream_decrypt_fd(ks, key, ifd, ofd, "blob", "data", row);
	close(ifd);
	close(ofd);
	return rc;
}

static void check_stream(size_t size, struct pd_keyset *ks, const unsigned char *key)
{
	unsigned char *data = malloc(size + 1);
	randombytes_buf(data, size);
	write_bytes("s.in", data, size);
	assert_int_equal(run_stream(true, "s.in", "s.enc", ks, key, "f1"), PD_OK);
	assert_int_equal(run_stream(false, "s.enc", "s.out", ks, key, "f1"), PD_OK);
	size_t n;
	unsigned char *back = read_bytes("s.out", &n);
	assert_int_equal(n, size);
	assert_memory_equal(back, data, size);
	free(back);
	assert_int_equal(run_stream(false, "s.enc", "s.out", ks, key, "f2"), PD_ERR_CRYPTO);
	free(data);
}

static void test_stream_round_trip(void **state)
{
	struct pd_keyset *ks = load("a.keys");
	unsigned char key[32];
	randombytes_buf(key, sizeof key);
	size_t sizes[] = {0, 1, PD_CRYPTO_CHUNK - 1, PD_CRYPTO_CHUNK, 2 * PD_CRYPTO_CHUNK,
	                  200000};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		check_stream(sizes[i], NULL, key);
		check_stream(sizes[i], ks, NULL);
	}
	/* a master-key stream names its key; a subject stream needs the subject key */
	check_stream(10, ks, NULL);
	size_t n;
	unsigned char *enc = read_bytes("s.enc", &n);
	assert_int_equal(enc[0], PD_CRYPTO_V_STREAM);
	assert_int_equal(pd_crypto_blob_key_id(enc, n), 1);
	free(enc);
	assert_int_equal(run_stream(false, "s.enc", "s.out", NULL, key, "f1"), PD_ERR_CRYPTO);
	pd_keyset_free(ks);
}

static void test_stream_truncation_and_reorder(void **state)
{
	unsigned char key[32];
	randombytes_buf(key, sizeof key);
	size_t size = 3 * PD_CRYPTO_CHUNK + 100;
	unsigned char *data = malloc(size);
	randombytes_buf(data, size);
	write_bytes("s.in", data, size);
	assert_int_equal(run_stream(true, "s.in", "s.enc", NULL, key, "f"), PD_OK);
	size_t n;
	unsigned char *enc = read_bytes("s.enc", &n);
	size_t h = 1 + 24, c = PD_CRYPTO_CHUNK + PD_CRYPTO_STREAM_ABYTES;
	assert_int_equal(n, h + 3 * c + 100 + PD_CRYPTO_STREAM_ABYTES);
	/* cut at a chunk boundary (the final chunk missing), inside a chunk, inside the header */
	size_t cuts[] = {h + 3 * c, h + 2 * c, h + c + 5, h, 10, n - 1};
	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		write_bytes("s.bad", enc, cuts[i]);
		assert_int_equal(run_stream(false, "s.bad", "s.out", NULL, key, "f"), PD_ERR_CRYPTO);
	}
	/* first two chunks swapped */
	unsigned char *sw = malloc(n);
	memcpy(sw, enc, n);
	memcpy(sw + h, enc + h + c, c);
	memcpy(sw + h + c, enc + h, c);
	write_bytes("s.bad", sw, n);
	assert_int_equal(run_stream(false, "s.bad", "s.out", NULL, key, "f"), PD_ERR_CRYPTO);
	/* a chunk dropped from the middle */
	memcpy(sw, enc, h + c);
	memcpy(sw + h + c, enc + h + 2 * c, n - h - 2 * c);
	write_bytes("s.bad", sw, n - c);
	assert_int_equal(run_stream(false, "s.bad", "s.out", NULL, key, "f"), PD_ERR_CRYPTO);
	/* data after the final chunk */
	memcpy(sw, enc, n);
	write_bytes("s.bad", sw, n);
	char p[PATH_MAX];
	path_of(p, "s.bad");
	int fd = open(p, O_WRONLY | O_APPEND);
	assert_int_equal(write(fd, "x", 1), 1);
	close(fd);
	assert_int_equal(run_stream(false, "s.bad", "s.out", NULL, key, "f"), PD_ERR_CRYPTO);
	/* a flipped byte */
	sw[h + c + 7] ^= 1;
	write_bytes("s.bad", sw, n);
	assert_int_equal(run_stream(false, "s.bad", "s.out", NULL, key, "f"), PD_ERR_CRYPTO);
	/* the chunk API alone: pull_end says whether the final chunk was read */
	struct pd_crypto_stream s;
	struct pd_buf out;
	pd_buf_init(&out, 4 * PD_CRYPTO_CHUNK);
	assert_int_equal(pd_crypto_stream_pull_init(&s, NULL, key, enc, h, "blob", "data", "f"),
	                 PD_OK);
	bool last = true;
	assert_int_equal(pd_crypto_stream_pull(&s, enc + h, c, &out, &last), PD_OK);
	assert_false(last);
	assert_int_equal(pd_crypto_stream_pull_end(&s), PD_ERR_CRYPTO);
	assert_int_equal(pd_crypto_stream_pull(&s, enc + h + 2 * c, c, &out, &last), PD_ERR_CRYPTO);
	pd_crypto_stream_wipe(&s);
	pd_buf_free(&out);
	free(sw);
	free(enc);
	free(data);
}

/* --- blind indexes and normalisation ------------------------------------------------------- */

static void test_blind_index(void **state)
{
	write_file("rot.keys", "index " KEY_B "\n1 " KEY_A "\n", 0600);
	struct pd_keyset *ks = load("rot.keys");
	unsigned char a[32], b[32], c[32];
	assert_int_equal(pd_crypto_blind_index(ks, "email", "budi@example.id", a), PD_OK);
	assert_int_equal(pd_crypto_blind_index(ks, "email", "budi@example.id", b), PD_OK);
	assert_memory_equal(a, b, 32);
	assert_int_equal(pd_crypto_blind_index(ks, "email", "siti@example.id", c), PD_OK);
	assert_memory_not_equal(a, c, 32);
	assert_int_equal(pd_crypto_blind_index(ks, "phone", "budi@example.id", c), PD_OK);
	assert_memory_not_equal(a, c, 32);
	/* stable across master key rotation and retirement of key 1 */
	char p[PATH_MAX], err[512], fp[PD_CRYPTO_FP_LEN + 1];
	path_of(p, "rot.keys");
	bool added;
	assert_int_equal(pd_keyfile_append(p, 2, NULL, fp, &added, err, sizeof err), PD_OK);
	assert_int_equal(pd_keyfile_remove(p, 1, err, sizeof err), PD_OK);
	assert_int_equal(pd_keyset_replace(ks, load("rot.keys"), 2), PD_OK);
	assert_int_equal(pd_keyset_current(ks), 2);
	assert_int_equal(pd_crypto_blind_index(ks, "email", "budi@example.id", b), PD_OK);
	assert_memory_equal(a, b, 32);
	/* another installation's index key gives other indexes */
	write_file("b.keys", "index " KEY_A "\n1 " KEY_A "\n", 0600);
	struct pd_keyset *other = load("b.keys");
	assert_int_equal(pd_crypto_blind_index(other, "email", "budi@example.id", b), PD_OK);
	assert_memory_not_equal(a, b, 32);
	assert_int_equal(pd_crypto_blind_index(ks, "", "x", b), PD_ERR_INVALID);
	pd_keyset_free(other);
	pd_keyset_free(ks);
}

static void test_normalise(void **state)
{
	char out[64];
	assert_int_equal(pd_crypto_norm_email("  Budi.Santoso@Example.CO.ID \n", out, sizeof out),
	                 PD_OK);
	assert_string_equal(out, "budi.santoso@example.co.id");
	static const char *const bad_email[] = {"", "   ", "budi", "a@b@c", "@x.id", "budi@",
	                                        "bu di@x.id"};
	for (size_t i = 0; i < sizeof bad_email / sizeof bad_email[0]; i++)
		assert_int_equal(pd_crypto_norm_email(bad_email[i], out, sizeof out), PD_ERR_INVALID);
	assert_int_equal(pd_crypto_norm_email("budi@example.id", out, 5), PD_ERR_TOO_LARGE);

	char nik[17];
	assert_int_equal(pd_crypto_norm_nik("3201.0512 3456-0001", nik), PD_OK);
	assert_string_equal(nik, "3201051234560001");
	assert_int_equal(pd_crypto_norm_nik(" 3201051234560001 ", nik), PD_OK);
	assert_string_equal(nik, "3201051234560001");
	static const char *const bad_nik[] = {"", "123", "32010512345600012", "3201a51234560001",
	                                      "+3201051234560001"};
	for (size_t i = 0; i < sizeof bad_nik / sizeof bad_nik[0]; i++)
		assert_int_equal(pd_crypto_norm_nik(bad_nik[i], nik), PD_ERR_INVALID);

	static const char *const same[] = {"0812-3456-7890", "+62 812 3456 7890", "62 812 3456 7890",
	                                   "(0812) 3456.7890", "+62 (0)812 3456 7890",
	                                   "0062 812 3456 7890", "812 3456 7890"};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		assert_int_equal(pd_crypto_norm_phone(same[i], out, sizeof out), PD_OK);
		assert_string_equal(out, "+6281234567890");
	}
	assert_int_equal(pd_crypto_norm_phone("+1 202 555 0143", out, sizeof out), PD_OK);
	assert_string_equal(out, "+12025550143");
	assert_int_equal(pd_crypto_norm_phone("021-5551234", out, sizeof out), PD_OK);
	assert_string_equal(out, "+62215551234");
	static const char *const bad_phone[] = {"", "abc", "12345", "0812x3456", "++62812345678",
	                                        "0812 3456 7890 1234 5678", "1234567890"};
	for (size_t i = 0; i < sizeof bad_phone / sizeof bad_phone[0]; i++)
		assert_int_equal(pd_crypto_norm_phone(bad_phone[i], out, sizeof out), PD_ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_round_trip, fresh_keys),
		cmocka_unit_test_setup(test_wrong_ad_refused, fresh_keys),
		cmocka_unit_test_setup(test_swapped_rows_refused, fresh_keys),
		cmocka_unit_test_setup(test_tampering_refused, fresh_keys),
		cmocka_unit_test_setup(test_unknown_key_refused, fresh_keys),
		cmocka_unit_test_setup(test_subject_keys, fresh_keys),
		cmocka_unit_test_setup(test_keyfile_mode_refused, fresh_keys),
		cmocka_unit_test_setup(test_keyfile_malformed, fresh_keys),
		cmocka_unit_test_setup(test_fingerprint_stable, fresh_keys),
		cmocka_unit_test_setup(test_keyfile_created, fresh_keys),
		cmocka_unit_test_setup(test_keyfile_edit, fresh_keys),
		cmocka_unit_test_setup(test_rotation_and_refresh, fresh_keys),
		cmocka_unit_test_setup(test_swap_under_load, fresh_keys),
		cmocka_unit_test_setup(test_stream_round_trip, fresh_keys),
		cmocka_unit_test_setup(test_stream_truncation_and_reorder, fresh_keys),
		cmocka_unit_test_setup(test_blind_index, fresh_keys),
		cmocka_unit_test(test_normalise),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
