/* Unit tests of domain/attachment over a real store: round trips of multi-chunk files under a
 * key of their own and under a subject key, refusal by content and size, altered, truncated and
 * swapped chunks refused, a file unreadable once its subject key is destroyed, and — with the
 * sealed outbox of domain/mail — everything still readable after `keys rotate`, re-encryption
 * and retirement of the old key. SQLite in a temporary directory, or PD_TEST_DB (a fresh
 * database, e.g. a postgres:// URL). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/err.h"
#include "core/log.h"
#include "core/config.h"
#include "core/uuid.h"
#include "domain/attachment.h"
#include "domain/keys.h"
#include "domain/mail.h"
#include "store/account_store.h"
#include "store/attachment_store.h"
#include "store/outbox_store.h"
#include "store/store.h"

#define MARKER "PENDOPO-UNIT-ATTACHMENT-MARKER-51c3"

static char dir[256], files[PATH_MAX + 16], keyfile[PATH_MAX];
static struct pd_config cfg;
static bool on_sqlite;
static struct pd_store *st;
static struct pd_keyset *ks;
static char subject[PD_UUID_LEN + 1];

static const struct pd_sql SQL_CHUNK_GET = {
	"t_chunk_get", "SELECT data FROM blob_chunk WHERE blob_id = $1 AND seq = $2", NULL};
static const struct pd_sql SQL_CHUNK_PUT = {
	"t_chunk_put", "UPDATE blob_chunk SET data = $3 WHERE blob_id = $1 AND seq = $2", NULL};
static const struct pd_sql SQL_CHUNK_DROP_REST = {
	"t_chunk_drop_rest", "DELETE FROM blob_chunk WHERE blob_id = $1 AND seq > 0", NULL};
static const struct pd_sql SQL_ATT_DROP = {
	"t_att_drop", "DELETE FROM attachment WHERE id = $1", NULL};
static const struct pd_sql SQL_SWAP_BLOB = {
	"t_swap_blob", "UPDATE attachment SET blob_id = $2 WHERE id = $1", NULL};
static const struct pd_sql SQL_KEY_SET = {
	"t_key_set", "UPDATE account SET subject_key = $2 WHERE id = $1", NULL};
static const struct pd_sql SQL_KEY_NULL = {
	"t_key_null", "UPDATE account SET subject_key = NULL WHERE id = $1", NULL};

/* --- set-up ---------------------------------------------------------------------------------- */

static int add_subject_tx(struct pd_tx *tx, void *arg)
{
	(void)arg;
	unsigned char raw[PD_CRYPTO_KEY_BYTES];
	struct pd_buf wrapped;
	pd_buf_init(&wrapped, 256);
	pd_uuid7(subject);
	int rc = pd_crypto_subject_key_new(ks, subject, raw, &wrapped);
	sodium_memzero(raw, sizeof raw);
	struct pd_account_row row = {.id = subject, .kind = "citizen", .password_hash = "",
	                             .subject_key = {wrapped.data, wrapped.len},
	                             .created_ms = pd_clock_now_ms()};
	if (!rc && pd_store_account_insert(tx, &row) <= 0)
		rc = pd_tx_error(tx);
	pd_buf_free(&wrapped);
	return rc;
}

static int setup(void **state)
{
	if (sodium_init() < 0)
		return -1;
	pd_log_set_level(PD_LOG_WARN);
	snprintf(dir, sizeof dir, "/tmp/pd-attach-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char url[PATH_MAX + 64], path[PATH_MAX], err[512];
	const char *env = getenv("PD_TEST_DB");
	on_sqlite = !(env && *env && strncmp(env, "sqlite:", 7) != 0);
	if (env && *env)
		snprintf(url, sizeof url, "%s", env);
	else
		snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
	struct pd_store_opts opts = {.url = url};
	if (pd_store_open(&opts, &st, err, sizeof err) || pd_store_migrate(st, err, sizeof err)) {
		fprintf(stderr, "store: %s\n", err);
		return -1;
	}
	(void)path;
	cfg.data = dir;
	cfg.keys = "";
	pd_keys_file(&cfg, keyfile, sizeof keyfile);
	if (pd_keys_startup(&cfg, st, &ks, err, sizeof err)) {
		fprintf(stderr, "keys: %s\n", err);
		return -1;
	}
	snprintf(files, sizeof files, "%s/files", dir);
	if (mkdir(files, 0700) || pd_store_write(st, add_subject_tx, NULL))
		return -1;
	return 0;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int teardown(void **state)
{
	pd_store_close(st);
	pd_keyset_free(ks);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

/* --- helpers --------------------------------------------------------------------------------- */

/* A PDF-looking file of n bytes (random after the header, a marker near the start) in files/. */
static unsigned char *make_file(const char *name, size_t n, const char *head, char *path,
                                size_t pathlen)
{
	unsigned char *data = malloc(n ? n : 1);
	randombytes_buf(data, n);
	size_t h = strlen(head);
	memcpy(data, head, h < n ? h : n);
	if (n > h + 200)
		memcpy(data + h + 100, MARKER, strlen(MARKER));
	snprintf(path, pathlen, "%s/%s", files, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	close(fd);
	return data;
}

struct put_arg {
	const char *subject;
	struct pd_attachment_file f;
	char id[37];
	int rc;
};

static int put_tx(struct pd_tx *tx, void *p)
{
	struct put_arg *pa = p;
	pa->rc = pd_attachment_put(tx, ks, pa->subject, &pa->f, pa->id);
	return pa->rc;
}

static int put(const char *subj, const char *path, const char *type, int64_t size,
               const char *filename, char id[37])
{
	struct put_arg pa = {.subject = subj, .f = {path, type, size, filename}};
	int rc = pd_store_write(st, put_tx, &pa);
	if (id)
		memcpy(id, pa.id, sizeof pa.id);
	return rc;
}

struct read_arg {
	const char *id;
	struct pd_buf out;
	struct pd_attachment_info info;
	struct pd_arena *a;
	int calls;
};

static int sink(const void *p, size_t n, void *arg)
{
	struct read_arg *ra = arg;
	if (!p) {
		pd_buf_reset(&ra->out);
		return PD_OK;
	}
	assert_true(n <= PD_CRYPTO_CHUNK);
	ra->calls++;
	return pd_buf_append(&ra->out, p, n);
}

static int read_tx(struct pd_tx *tx, void *p)
{
	struct read_arg *ra = p;
	int rc = pd_attachment_info(tx, ks, ra->id, ra->a, &ra->info);
	if (!rc)
		rc = pd_attachment_read(tx, ks, ra->id, sink, ra);
	return rc;
}

/* Reads attachment id whole; returns the read's result and the bytes in *ra. */
static int read_all(const char *id, struct read_arg *ra)
{
	memset(ra, 0, sizeof *ra);
	ra->id = id;
	ra->a = pd_arena_new();
	pd_buf_init(&ra->out, PD_ATTACHMENT_MAX_BYTES + 1);
	return pd_store_read(st, read_tx, ra);
}

static void read_free(struct read_arg *ra)
{
	pd_buf_free(&ra->out);
	pd_arena_free(ra->a);
}

struct row_arg {
	const char *id;
	char blob_id[64];
};

static int row_tx(struct pd_tx *tx, void *p)
{
	struct row_arg *ra = p;
	struct pd_attachment_row row;
	if (pd_store_attachment_get(tx, ra->id, NULL, &row) != PD_QS_ONE)
		return PD_ERR_NOT_FOUND;
	snprintf(ra->blob_id, sizeof ra->blob_id, "%s", row.blob_id);
	return PD_OK;
}

/* The blob id of attachment id (static buffer, until the next call). */
static const char *blob_of(const char *id)
{
	static struct row_arg ra;
	ra.id = id;
	assert_int_equal(pd_store_read(st, row_tx, &ra), PD_OK);
	return ra.blob_id;
}

struct raw_arg {
	const struct pd_sql *sql;
	const char *a, *b;
	int64_t seq;
	size_t flip_at;           /* flip a bit of chunk seq at this offset */
	size_t keep;              /* or, when not 0, keep only this many bytes of the blob */
	const void *blob;
	size_t n;
};

static int flip_tx(struct pd_tx *tx, void *p)
{
	struct raw_arg *ra = p;
	struct pd_q *q = pd_q_open(tx, &SQL_CHUNK_GET);
	pd_q_text(q, 1, ra->a);
	pd_q_int(q, 2, ra->seq);
	if (pd_q_step(q) != 1)
		return PD_ERR_NOT_FOUND;
	size_t n = 0;
	const unsigned char *d = pd_q_col_blob(q, 0, &n);
	assert_true(ra->flip_at < n);
	unsigned char *copy = pd_arena_memdup(pd_tx_arena(tx), d, n);
	pd_q_close(q);
	if (ra->keep) {
		assert_true(ra->keep < n);
		n = ra->keep;
		q = pd_q_open(tx, &SQL_CHUNK_DROP_REST);
		pd_q_text(q, 1, ra->a);
		pd_q_exec(q);
	} else {
		copy[ra->flip_at] ^= 0x01;
	}
	q = pd_q_open(tx, &SQL_CHUNK_PUT);
	pd_q_text(q, 1, ra->a);
	pd_q_int(q, 2, ra->seq);
	pd_q_blob(q, 3, copy, n);
	return pd_q_exec(q) == 1 ? pd_tx_error(tx) : PD_ERR_DB;
}

static int exec_tx(struct pd_tx *tx, void *p)
{
	struct raw_arg *ra = p;
	struct pd_q *q = pd_q_open(tx, ra->sql);
	pd_q_text(q, 1, ra->a);
	if (ra->blob)
		pd_q_blob(q, 2, ra->blob, ra->n);
	else if (ra->b)
		pd_q_text(q, 2, ra->b);
	return pd_q_exec(q) >= 0 ? pd_tx_error(tx) : PD_ERR_DB;
}

static bool file_contains(const char *path, const void *needle, size_t n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	struct pd_buf b;
	pd_buf_init(&b, (size_t)1 << 30);
	char buf[65536];
	size_t got;
	while ((got = fread(buf, 1, sizeof buf, f)) > 0)
		pd_buf_append(&b, buf, got);
	fclose(f);
	bool found = b.len >= n && memmem(b.data, b.len, needle, n) != NULL;
	pd_buf_free(&b);
	return found;
}

/* Temporary ciphertext files left beside the stored files. */
static int count_temp(const char *path)
{
	DIR *d = opendir(path);
	int n = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		n += strncmp(e->d_name, ".attachment-", 12) == 0;
	if (d)
		closedir(d);
	return n;
}

/* --- tests ----------------------------------------------------------------------------------- */

/* Files of several chunks, under a key of their own and under the subject's key, with a
 * size that ends mid-chunk and one that ends exactly on a chunk boundary, come back intact. */
static void test_round_trip(void **state)
{
	static const size_t sizes[] = {3 * PD_CRYPTO_CHUNK + 1234, 2 * PD_CRYPTO_CHUNK, 17,
	                               5 * PD_CRYPTO_CHUNK - 1};
	for (int subj = 0; subj < 2; subj++) {
		for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
			char path[PATH_MAX + 64], id[37];
			unsigned char *data = make_file("scan.pdf", sizes[i], "%PDF-1.4\n", path, sizeof path);
			assert_int_equal(put(subj ? subject : NULL, path, "application/pdf",
			                     (int64_t)sizes[i], "C:\\Users\\siti\\ktp siti.pdf", id),
			                 PD_OK);
			assert_true(pd_uuid_valid(id));
			assert_int_equal(count_temp(files), 0); /* the ciphertext's temporary file is gone */
			struct read_arg ra;
			assert_int_equal(read_all(id, &ra), PD_OK);
			assert_int_equal(ra.out.len, sizes[i]);
			assert_memory_equal(ra.out.data, data, sizes[i]);
			assert_int_equal(ra.calls, (int)((sizes[i] + PD_CRYPTO_CHUNK - 1) / PD_CRYPTO_CHUNK));
			assert_string_equal(ra.info.content_type, "application/pdf");
			assert_string_equal(ra.info.ext, ".pdf");
			assert_int_equal(ra.info.size, (int64_t)sizes[i]);
			assert_string_equal(ra.info.filename, "ktp siti.pdf");
			if (subj)
				assert_string_equal(ra.info.subject_id, subject);
			else
				assert_null(ra.info.subject_id);
			read_free(&ra);
			free(data);
			unlink(path);
		}
	}
	/* Neither the file's bytes nor its name are in the database or its WAL. */
	if (on_sqlite) {
		char db[PATH_MAX], wal[PATH_MAX + 8];
		snprintf(db, sizeof db, "%s/t.db", dir);
		snprintf(wal, sizeof wal, "%s-wal", db);
		assert_false(file_contains(db, MARKER, strlen(MARKER)));
		assert_false(file_contains(wal, MARKER, strlen(MARKER)));
		assert_false(file_contains(db, "ktp siti", 8));
		assert_false(file_contains(wal, "ktp siti", 8));
	}
}

/* Only PDF, JPEG and PNG are taken, recognised by their bytes, within the size limit, and a
 * type or size the receiver reported must match the file. */
static void test_refusals(void **state)
{
	char path[PATH_MAX + 64], id[37];
	free(make_file("note.pdf", 4000, "just text, not a PDF", path, sizeof path));
	/* random bytes after a text head: not one of the three types */
	assert_int_equal(put(NULL, path, NULL, -1, "note.pdf", id), PD_ERR_INVALID);
	free(make_file("photo.png", 5000, "\x89PNG\r\n\x1a\n", path, sizeof path));
	assert_int_equal(put(subject, path, "image/png", 5000, "photo.png", id), PD_OK);
	assert_int_equal(put(subject, path, "application/pdf", 5000, "photo.png", id),
	                 PD_ERR_INVALID);
	assert_int_equal(put(subject, path, "image/png", 4999, "photo.png", id), PD_ERR_INVALID);
	free(make_file("empty.pdf", 0, "", path, sizeof path));
	assert_int_equal(put(NULL, path, NULL, -1, NULL, id), PD_ERR_INVALID);
	free(make_file("big.pdf", 16, "%PDF-1.7\n", path, sizeof path));
	assert_int_equal(truncate(path, PD_ATTACHMENT_MAX_BYTES + 1), 0);
	assert_int_equal(put(NULL, path, NULL, -1, NULL, id), PD_ERR_TOO_LARGE);
	assert_int_equal(truncate(path, PD_ATTACHMENT_MAX_BYTES), 0);
	assert_int_equal(put(NULL, path, NULL, -1, NULL, id), PD_OK);
	char fake[37];
	pd_uuid7(fake);
	assert_int_equal(put(fake, path, NULL, -1, NULL, id), PD_ERR_NOT_FOUND);
	struct read_arg ra;
	assert_int_equal(read_all(fake, &ra), PD_ERR_NOT_FOUND);
	read_free(&ra);
	unlink(path);
	assert_int_equal(count_temp(files), 0);
}

/* A flipped bit in any stored chunk, a missing last chunk or a blob moved to another
 * attachment makes the read fail. */
static void test_tampering(void **state)
{
	char path[PATH_MAX + 64], a[37], b[37];
	size_t n = 3 * PD_CRYPTO_CHUNK + 99;
	free(make_file("a.pdf", n, "%PDF-1.5\n", path, sizeof path));
	assert_int_equal(put(subject, path, NULL, -1, NULL, a), PD_OK);
	assert_int_equal(put(subject, path, NULL, -1, NULL, b), PD_OK);
	struct read_arg ra;
	assert_int_equal(read_all(a, &ra), PD_OK);
	read_free(&ra);

	/* A bit in the header, in the first chunk's body, in its tag. */
	static const size_t at[] = {3, 1000, 25 + PD_CRYPTO_CHUNK + 5};
	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
		char id[37];
		assert_int_equal(put(NULL, path, NULL, -1, NULL, id), PD_OK);
		struct raw_arg flip = {.a = blob_of(id), .seq = 0, .flip_at = at[i]};
		assert_int_equal(pd_store_write(st, flip_tx, &flip), PD_OK);
		assert_int_equal(read_all(id, &ra), PD_ERR_CRYPTO);
		read_free(&ra);
	}
	/* Truncated after two whole chunks: each left authenticates, the end is missing. */
	struct raw_arg cut = {.a = blob_of(a), .seq = 0,
	                      .keep = 1 + crypto_secretstream_xchacha20poly1305_HEADERBYTES +
	                              2 * (PD_CRYPTO_CHUNK + PD_CRYPTO_STREAM_ABYTES)};
	assert_int_equal(pd_store_write(st, flip_tx, &cut), PD_OK);
	assert_int_equal(read_all(a, &ra), PD_ERR_CRYPTO);
	read_free(&ra);
	/* b's intact stream under a's id: same key, other associated data. */
	char blob_b[64];
	snprintf(blob_b, sizeof blob_b, "%s", blob_of(b));
	struct raw_arg drop_b = {.sql = &SQL_ATT_DROP, .a = b};
	struct raw_arg swap = {.sql = &SQL_SWAP_BLOB, .a = a, .b = blob_b};
	assert_int_equal(pd_store_write(st, exec_tx, &drop_b), PD_OK);
	assert_int_equal(pd_store_write(st, exec_tx, &swap), PD_OK);
	assert_int_equal(read_all(a, &ra), PD_ERR_CRYPTO);
	read_free(&ra);
	unlink(path);
}

struct mail_arg {
	const char *to, *body;
};

static int mail_tx(struct pd_tx *tx, void *p)
{
	struct mail_arg *ma = p;
	return pd_mail_enqueue(tx, ma->to, "Uji", ma->body, NULL);
}

struct claim_arg {
	struct pd_arena *a;
	struct pd_outbox_msg msgs[8];
	int n;
};

static int claim_tx(struct pd_tx *tx, void *p)
{
	struct claim_arg *ca = p;
	pd_store_outbox_claim(tx, pd_clock_now_ms() + 1000, 60000, 8, ca->a, ca->msgs, &ca->n);
	return pd_tx_error(tx);
}

/* `keys rotate`, re-encryption and `keys retire` of the old key: a file under a key of its
 * own (its wrapped key is in the registry of encrypted columns), a file under a subject key
 * and the sealed outbox all open with a key set that holds only the new key. The outbox's
 * recipient and message do not open in another row. */
static void test_rotation_and_outbox(void **state)
{
	char path[PATH_MAX + 64], own[37], mine[37], err[1024];
	size_t n = 2 * PD_CRYPTO_CHUNK + 3;
	unsigned char *data = make_file("rot.png", n, "\x89PNG\r\n\x1a\n", path, sizeof path);
	assert_int_equal(put(NULL, path, NULL, -1, "rot.png", own), PD_OK);
	assert_int_equal(put(subject, path, NULL, -1, "rot.png", mine), PD_OK);
	struct mail_arg m1 = {"warga.satu@contoh.id", "Isi pertama " MARKER};
	struct mail_arg m2 = {"warga.dua@contoh.id", "Isi kedua"};
	assert_int_equal(pd_store_write(st, mail_tx, &m1), PD_ERR_UNAVAILABLE); /* no keys: refused */
	pd_mail_set_keys(ks);
	assert_int_equal(pd_store_write(st, mail_tx, &m1), PD_OK);
	assert_int_equal(pd_store_write(st, mail_tx, &m2), PD_OK);

	uint32_t id = 0;
	assert_int_equal(pd_keys_rotate(st, keyfile, NULL, &id, err, sizeof err), PD_OK);
	assert_int_equal(pd_keys_maybe_reload(st, ks), PD_OK);
	assert_int_equal(pd_keyset_current(ks), id);
	assert_int_equal(pd_keys_retire(st, keyfile, id - 1, err, sizeof err), PD_ERR_CONFLICT);
	assert_non_null(strstr(err, "outbox.recipient_ct: 2"));
	assert_non_null(strstr(err, "attachment.file_key: "));
	assert_int_equal(pd_keys_reencrypt(st, ks, 3, NULL, NULL, err, sizeof err), PD_OK);
	assert_int_equal(pd_keys_retire(st, keyfile, id - 1, err, sizeof err), PD_OK);
	pd_mail_set_keys(NULL);
	pd_keyset_free(ks);
	assert_int_equal(pd_keys_startup(&cfg, st, &ks, err, sizeof err), PD_OK);
	assert_int_equal(pd_keyset_count(ks), 1);

	struct read_arg ra;
	assert_int_equal(read_all(own, &ra), PD_OK);
	assert_int_equal(ra.out.len, n);
	assert_memory_equal(ra.out.data, data, n);
	read_free(&ra);
	assert_int_equal(read_all(mine, &ra), PD_OK);
	assert_memory_equal(ra.out.data, data, n);
	read_free(&ra);

	struct claim_arg ca = {.a = pd_arena_new()};
	assert_int_equal(pd_store_write(st, claim_tx, &ca), PD_OK);
	assert_int_equal(ca.n, 2);
	for (int i = 0; i < 2; i++) {
		const struct pd_outbox_msg *m = &ca.msgs[i];
		assert_int_equal(pd_crypto_blob_key_id(m->recipient_ct, m->recipient_ct_len), id);
		assert_null(memmem(m->body_ct, m->body_ct_len, "Isi", 3));
		struct pd_buf to, msg;
		pd_buf_init(&to, 4096);
		pd_buf_init(&msg, 1 << 20);
		assert_int_equal(pd_mail_open(ks, m, &to, &msg), PD_OK);
		const struct mail_arg *want = strcmp(to.data, m1.to) == 0 ? &m1 : &m2;
		assert_string_equal(to.data, want->to);
		assert_non_null(strstr(msg.data, want == &m1 ? "Isi pertama" : "Isi kedua"));
		pd_buf_free(&to);
		pd_buf_free(&msg);
	}
	/* Swapped between rows, a sealed recipient or message does not open. */
	struct pd_outbox_msg swapped = ca.msgs[0];
	swapped.recipient_ct = ca.msgs[1].recipient_ct;
	swapped.recipient_ct_len = ca.msgs[1].recipient_ct_len;
	struct pd_buf to, msg;
	pd_buf_init(&to, 4096);
	pd_buf_init(&msg, 1 << 20);
	assert_int_equal(pd_mail_open(ks, &swapped, &to, &msg), PD_ERR_CRYPTO);
	assert_int_equal(to.len + msg.len, 0);
	swapped = ca.msgs[0];
	swapped.body_ct = ca.msgs[1].body_ct;
	swapped.body_ct_len = ca.msgs[1].body_ct_len;
	assert_int_equal(pd_mail_open(ks, &swapped, &to, &msg), PD_ERR_CRYPTO);
	pd_buf_free(&to);
	pd_buf_free(&msg);
	pd_arena_free(ca.a);
	if (on_sqlite) {
		char db[PATH_MAX];
		snprintf(db, sizeof db, "%s/t.db", dir);
		assert_false(file_contains(db, "warga.satu", 10));
		assert_false(file_contains(db, MARKER, strlen(MARKER)));
	}
	free(data);
	unlink(path);
}

/* Erasure: once the wrapped subject key is gone the file cannot be read, and a key made
 * afterwards for the same subject does not open it either. A file under its own key is not
 * touched by the erasure. */
struct rekey_arg {
	const char *id, *subject;
};

static int rekey_tx(struct pd_tx *tx, void *p)
{
	struct rekey_arg *ra = p;
	return pd_attachment_rekey(tx, ks, ra->id, ra->subject);
}

/* A file under a key of its own moves under the subject's key: same id, same bytes and name,
 * a new blob (the old one gone), and it then dies with the subject's key. */
static void test_rekey(void **state)
{
	static const size_t sizes[] = {3 * PD_CRYPTO_CHUNK + 1234, 2 * PD_CRYPTO_CHUNK, 17};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		char path[PATH_MAX + 64], id[37], old_blob[64];
		unsigned char *data = make_file("akta.pdf", sizes[i], "%PDF-1.5\n", path, sizeof path);
		assert_int_equal(put(NULL, path, "application/pdf", (int64_t)sizes[i], "akta.pdf", id),
		                 PD_OK);
		snprintf(old_blob, sizeof old_blob, "%s", blob_of(id));
		struct rekey_arg rk = {id, subject};
		assert_int_equal(pd_store_write(st, rekey_tx, &rk), PD_OK);
		assert_string_not_equal(blob_of(id), old_blob);
		struct read_arg ra;
		assert_int_equal(read_all(id, &ra), PD_OK);
		assert_int_equal(ra.out.len, sizes[i]);
		assert_memory_equal(ra.out.data, data, sizes[i]);
		assert_string_equal(ra.info.subject_id, subject);
		assert_string_equal(ra.info.filename, "akta.pdf");
		read_free(&ra);
		assert_int_equal(pd_store_write(st, rekey_tx, &rk), PD_OK); /* again: nothing to do */
		assert_int_equal(read_all(id, &ra), PD_OK);
		assert_memory_equal(ra.out.data, data, sizes[i]);
		read_free(&ra);
		free(data);
		unlink(path);
	}
	struct rekey_arg none = {"01890000-0000-7000-8000-000000000000", subject};
	assert_int_equal(pd_store_write(st, rekey_tx, &none), PD_ERR_NOT_FOUND);
}

static void test_subject_key_destroyed(void **state)
{
	char path[PATH_MAX + 64], mine[37], own[37];
	unsigned char *data = make_file("kk.pdf", 2 * PD_CRYPTO_CHUNK + 7, "%PDF-1.6\n", path,
	                                sizeof path);
	assert_int_equal(put(subject, path, NULL, -1, "kk.pdf", mine), PD_OK);
	assert_int_equal(put(NULL, path, NULL, -1, "kk.pdf", own), PD_OK);
	struct read_arg ra;
	assert_int_equal(read_all(mine, &ra), PD_OK);
	read_free(&ra);

	struct raw_arg destroy = {.sql = &SQL_KEY_NULL, .a = subject};
	assert_int_equal(pd_store_write(st, exec_tx, &destroy), PD_OK);
	assert_int_equal(read_all(mine, &ra), PD_ERR_NOT_FOUND);
	assert_int_equal(ra.out.len, 0);
	read_free(&ra);

	unsigned char raw[PD_CRYPTO_KEY_BYTES];
	struct pd_buf wrapped;
	pd_buf_init(&wrapped, 256);
	assert_int_equal(pd_crypto_subject_key_new(ks, subject, raw, &wrapped), PD_OK);
	sodium_memzero(raw, sizeof raw);
	struct raw_arg fresh = {.sql = &SQL_KEY_SET, .a = subject, .blob = wrapped.data,
	                        .n = wrapped.len};
	assert_int_equal(pd_store_write(st, exec_tx, &fresh), PD_OK);
	pd_buf_free(&wrapped);
	assert_int_equal(read_all(mine, &ra), PD_ERR_CRYPTO);
	assert_int_equal(ra.out.len, 0);
	read_free(&ra);

	assert_int_equal(read_all(own, &ra), PD_OK);
	assert_memory_equal(ra.out.data, data, 2 * PD_CRYPTO_CHUNK + 7);
	read_free(&ra);
	free(data);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_tampering),
		cmocka_unit_test(test_rotation_and_outbox),
		cmocka_unit_test(test_rekey),
		cmocka_unit_test(test_subject_key_destroyed),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
