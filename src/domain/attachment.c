/* Attachments: type checked by content, a secretstream encrypted chunk by chunk into a chunked
 * blob under the subject's key or a wrapped key of the file's own, and streaming decryption. */
#include "domain/attachment.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/sniff.h"
#include "core/str.h"
#include "core/uuid.h"
#include "store/attachment_store.h"
#include "store/blob_store.h"

#define TABLE "attachment"
#define STREAM_COLUMN "data"
#define NAME_COLUMN "filename_ct"
#define PULL_MAX (PD_CRYPTO_CHUNK + PD_CRYPTO_STREAM_ABYTES)

const char *pd_attachment_type_allowed(const void *head, size_t n)
{
	enum pd_sniff_type t = pd_sniff(head, n);
	if (t == PD_SNIFF_PDF || t == PD_SNIFF_JPEG || t == PD_SNIFF_PNG)
		return pd_sniff_type_mime(t);
	return NULL;
}

static int db_error(struct pd_tx *tx)
{
	return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
}

/* The unwrapped key of account subject_id. PD_ERR_NOT_FOUND when there is no such account or
 * it was erased (its key destroyed). */
static int subject_key(struct pd_tx *tx, const struct pd_keyset *ks, const char *subject_id,
                       unsigned char key[PD_CRYPTO_KEY_BYTES])
{
	struct pd_account_row acc;
	enum pd_qs qs = pd_store_account_by_id(tx, subject_id, NULL, &acc);
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE || !acc.subject_key.p)
		return PD_ERR_NOT_FOUND;
	if (pd_crypto_subject_key_unwrap(ks, subject_id, acc.subject_key.p, acc.subject_key.n, key))
		return PD_ERR_CRYPTO;
	return PD_OK;
}

/* The key of a stored attachment's stream and name. */
static int row_key(struct pd_tx *tx, const struct pd_keyset *ks,
                   const struct pd_attachment_row *r, unsigned char key[PD_CRYPTO_KEY_BYTES])
{
	if (r->subject_id)
		return subject_key(tx, ks, r->subject_id, key);
	if (!r->file_key.p)
		return PD_ERR_NOT_FOUND;
	if (pd_crypto_subject_key_unwrap(ks, r->id, r->file_key.p, r->file_key.n, key))
		return PD_ERR_CRYPTO;
	return PD_OK;
}

/* The last path part of a sent name, at most PD_ATTACHMENT_NAME_MAX bytes cut on a character
 * boundary, or NULL when nothing usable remains (empty, not UTF-8, control characters). */
static const char *clean_name(struct pd_arena *a, const char *name)
{
	if (!name)
		return NULL;
	const char *base = name;
	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	size_t n = strlen(base);
	if (n > PD_ATTACHMENT_NAME_MAX) {
		n = PD_ATTACHMENT_NAME_MAX;
		while (n > 0 && ((unsigned char)base[n] & 0xC0) == 0x80)
			n--;
	}
	if (n == 0 || !pd_utf8_valid(base, n))
		return NULL;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)base[i] < 0x20 || base[i] == 0x7f)
			return NULL;
	return pd_arena_strndup(a, base, n);
}

/* A temporary file beside path for the ciphertext; its name goes to out. */
static int temp_beside(struct pd_arena *a, const char *path, char **out)
{
	const char *slash = strrchr(path, '/');
	char *tmpl = slash ? pd_arena_printf(a, "%.*s/.attachment-XXXXXX", (int)(slash - path), path)
	                   : pd_arena_strdup(a, ".attachment-XXXXXX");
	int fd = mkostemp(tmpl, O_CLOEXEC);
	*out = fd >= 0 ? tmpl : NULL;
	return fd;
}

/* Size of the stream that encrypting size bytes gives: the header, then ceil(size / chunk)
 * chunks (at least one) each with its tag; a last chunk of full size is the final one. */
static int64_t stream_size(int64_t size)
{
	int64_t chunks = size == 0 ? 1 : (size + PD_CRYPTO_CHUNK - 1) / PD_CRYPTO_CHUNK;
	return 1 + crypto_secretstream_xchacha20poly1305_HEADERBYTES + size +
	       chunks * PD_CRYPTO_STREAM_ABYTES;
}

/* Checks the file (regular, size, type by content) and fills *size and *type. */
static int check_file(int fd, const struct pd_attachment_file *f, int64_t *size,
                      const char **type)
{
	struct stat st;
	if (fstat(fd, &st))
		return PD_ERR_IO;
	if (!S_ISREG(st.st_mode) || st.st_size == 0)
		return PD_ERR_INVALID;
	if (st.st_size > PD_ATTACHMENT_MAX_BYTES)
		return PD_ERR_TOO_LARGE;
	if (f->size >= 0 && f->size != (int64_t)st.st_size)
		return PD_ERR_INVALID;
	unsigned char head[PD_SNIFF_PREFIX];
	ssize_t n;
	do
		n = pread(fd, head, sizeof head, 0);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return PD_ERR_IO;
	*type = pd_attachment_type_allowed(head, (size_t)n);
	if (!*type || (f->sniffed_type && strcmp(f->sniffed_type, *type) != 0))
		return PD_ERR_INVALID;
	*size = (int64_t)st.st_size;
	return PD_OK;
}

int pd_attachment_put(struct pd_tx *tx, const struct pd_keyset *ks, const char *subject_id,
                      const struct pd_attachment_file *f, char id_out[37])
{
	struct pd_arena *a = pd_tx_arena(tx);
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	struct pd_buf wrapped, name_ct;
	pd_buf_init(&wrapped, 256);
	pd_buf_init(&name_ct, 4096);
	int fd = -1, cfd = -1, rc;
	char *tmp = NULL;
	id_out[0] = '\0';
	sodium_memzero(key, sizeof key);
	if (!f || !f->path) {
		rc = PD_ERR_INVALID;
		goto out;
	}
	fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		rc = PD_ERR_IO;
		goto out;
	}
	int64_t size = 0;
	const char *type = NULL;
	rc = check_file(fd, f, &size, &type);
	if (rc)
		goto out;

	char id[PD_UUID_LEN + 1], blob_id[PD_UUID_LEN + 1];
	pd_uuid7(id);
	pd_uuid7(blob_id);
	struct pd_attachment_row row = {.id = id, .subject_id = subject_id, .blob_id = blob_id,
	                                .content_type = type, .size = size,
	                                .created_ms = pd_clock_now_ms()};
	if (subject_id) {
		rc = subject_key(tx, ks, subject_id, key);
	} else {
		/* A key of the file's own, wrapped like a subject key with the file's id. */
		rc = pd_crypto_subject_key_new(ks, id, key, &wrapped);
		row.file_key = (struct pd_blob){wrapped.data, wrapped.len};
	}
	if (rc)
		goto out;

	cfd = temp_beside(a, f->path, &tmp);
	if (cfd < 0) {
		rc = PD_ERR_IO;
		goto out;
	}
	rc = pd_crypto_stream_encrypt_fd(NULL, key, fd, cfd, TABLE, STREAM_COLUMN, id);
	struct stat st;
	if (!rc && (fstat(cfd, &st) || (int64_t)st.st_size != stream_size(size)))
		rc = PD_ERR_IO; /* the file changed while it was read */
	if (rc)
		goto out;
	const char *name = clean_name(a, f->filename);
	if (name) {
		rc = pd_crypto_seal_with(key, name, strlen(name), TABLE, NAME_COLUMN, id, &name_ct);
		if (rc)
			goto out;
		row.filename_ct = (struct pd_blob){name_ct.data, name_ct.len};
	}
	rc = pd_store_blob_put_file(tx, blob_id, "application/octet-stream", tmp, row.created_ms);
	if (rc)
		goto out;
	if (pd_store_attachment_insert(tx, &row) <= 0) {
		rc = db_error(tx);
		goto out;
	}
	memcpy(id_out, id, sizeof id);
	rc = PD_OK;
out:
	if (tmp)
		unlink(tmp);
	if (cfd >= 0)
		close(cfd);
	if (fd >= 0)
		close(fd);
	sodium_memzero(key, sizeof key);
	if (wrapped.data)
		sodium_memzero(wrapped.data, wrapped.cap);
	pd_buf_free(&wrapped);
	pd_buf_free(&name_ct);
	return rc;
}

/* Loads row id and its key; PD_ERR_NOT_FOUND when absent. */
static int load(struct pd_tx *tx, const struct pd_keyset *ks, const char *id, struct pd_arena *a,
                struct pd_attachment_row *row, unsigned char key[PD_CRYPTO_KEY_BYTES])
{
	if (!id || !pd_uuid_valid(id))
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_attachment_get(tx, id, a, row);
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	return row_key(tx, ks, row, key);
}

int pd_attachment_info(struct pd_tx *tx, const struct pd_keyset *ks, const char *id,
                       struct pd_arena *a, struct pd_attachment_info *out)
{
	memset(out, 0, sizeof *out);
	struct pd_attachment_row row;
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	int rc = load(tx, ks, id, a, &row, key);
	if (!rc && row.filename_ct.p) {
		struct pd_buf name;
		pd_buf_init(&name, 4096);
		rc = pd_crypto_open_with(key, row.filename_ct.p, row.filename_ct.n, TABLE, NAME_COLUMN,
		                         row.id, &name);
		if (!rc)
			out->filename = pd_arena_strndup(a, pd_buf_cstr(&name), name.len);
		pd_buf_free(&name);
	}
	sodium_memzero(key, sizeof key);
	if (rc)
		return rc;
	out->id = row.id;
	out->subject_id = row.subject_id;
	out->content_type = row.content_type;
	out->ext = strcmp(row.content_type, "application/pdf") == 0  ? ".pdf"
	           : strcmp(row.content_type, "image/jpeg") == 0     ? ".jpg"
	           : strcmp(row.content_type, "image/png") == 0      ? ".png"
	                                                              : ".bin";
	out->size = row.size;
	out->created_ms = row.created_ms;
	return PD_OK;
}

/* Cuts the stored bytes (blob chunks of any size) back into the stream's header and chunks. */
struct pull {
	const char *id;
	const unsigned char *key;
	struct pd_crypto_stream s;
	unsigned char *buf;
	size_t have, need;
	bool started, finished;
	struct pd_buf out;
	pd_attachment_sink fn;
	void *arg;
};

static int pull_step(struct pull *pl)
{
	if (!pl->started) {
		if (pd_crypto_stream_pull_init(&pl->s, NULL, pl->key, pl->buf, pl->have, TABLE,
		                               STREAM_COLUMN, pl->id))
			return PD_ERR_CRYPTO;
		pl->started = true;
		pl->have = 0;
		pl->need = PULL_MAX;
		return PD_OK;
	}
	bool last = false;
	pd_buf_reset(&pl->out);
	if (pd_crypto_stream_pull(&pl->s, pl->buf, pl->have, &pl->out, &last))
		return PD_ERR_CRYPTO;
	pl->have = 0;
	pl->finished = last;
	int rc = pl->fn(pl->out.data ? pl->out.data : "", pl->out.len, pl->arg);
	if (pl->out.data)
		sodium_memzero(pl->out.data, pl->out.len);
	return rc;
}

static int pull_feed(const void *p, size_t n, void *arg)
{
	struct pull *pl = arg;
	const unsigned char *b = p;
	while (n > 0) {
		if (pl->finished)
			return PD_ERR_CRYPTO; /* bytes after the final chunk */
		if (!pl->started && pl->have == 0) {
			pl->need = pd_crypto_stream_header_len(b, n);
			if (pl->need == 0 || pl->need > PULL_MAX)
				return PD_ERR_CRYPTO;
		}
		size_t k = pl->need - pl->have < n ? pl->need - pl->have : n;
		memcpy(pl->buf + pl->have, b, k);
		pl->have += k;
		b += k;
		n -= k;
		if (pl->have == pl->need) {
			int rc = pull_step(pl);
			if (rc)
				return rc;
		}
	}
	return PD_OK;
}

int pd_attachment_read(struct pd_tx *tx, const struct pd_keyset *ks, const char *id,
                       pd_attachment_sink fn, void *arg)
{
	struct pd_attachment_row row;
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	int rc = load(tx, ks, id, pd_tx_arena(tx), &row, key);
	if (rc) {
		sodium_memzero(key, sizeof key);
		return rc;
	}
	struct pull pl = {.id = row.id, .key = key, .fn = fn, .arg = arg};
	pl.buf = pd_xmalloc(PULL_MAX);
	pd_buf_init(&pl.out, PD_CRYPTO_CHUNK);
	rc = fn(NULL, 0, arg); /* (re)start: a retried transaction reads again from the top */
	if (!rc)
		rc = pd_store_blob_read(tx, row.blob_id, pull_feed, &pl);
	/* The last chunk is usually short: whatever is left over is it. */
	if (!rc && pl.started && !pl.finished && pl.have > 0)
		rc = pull_step(&pl);
	if (!rc && (!pl.started || pd_crypto_stream_pull_end(&pl.s)))
		rc = PD_ERR_CRYPTO; /* empty or truncated */
	sodium_memzero(pl.buf, PULL_MAX);
	free(pl.buf);
	if (pl.out.data)
		sodium_memzero(pl.out.data, pl.out.cap);
	pd_buf_free(&pl.out);
	pd_crypto_stream_wipe(&pl.s);
	sodium_memzero(key, sizeof key);
	return rc;
}

/* Encrypts anew the plaintext chunks a read gives, one chunk behind so that the final one is
 * pushed as the last (every chunk of a stored stream but its last is PD_CRYPTO_CHUNK long, so
 * the chunks are pushed as they came). */
struct repush {
	struct pd_crypto_stream s;
	const unsigned char *key;
	const char *id;
	unsigned char *held;
	size_t held_n;
	bool have_held;
	struct pd_buf out;
};

static int repush_sink(const void *p, size_t n, void *arg)
{
	struct repush *rp = arg;
	if (!p) { /* (re)start: a retried read begins again */
		pd_buf_reset(&rp->out);
		rp->have_held = false;
		rp->held_n = 0;
		pd_crypto_stream_wipe(&rp->s);
		return pd_crypto_stream_push_init(&rp->s, NULL, rp->key, TABLE, STREAM_COLUMN, rp->id,
		                                  &rp->out);
	}
	if (n > PD_CRYPTO_CHUNK)
		return PD_ERR_CRYPTO;
	if (rp->have_held) {
		int rc = pd_crypto_stream_push(&rp->s, rp->held, rp->held_n, false, &rp->out);
		if (rc)
			return rc;
	}
	memcpy(rp->held, p, n);
	rp->held_n = n;
	rp->have_held = true;
	return PD_OK;
}

int pd_attachment_rekey(struct pd_tx *tx, const struct pd_keyset *ks, const char *id,
                        const char *subject_id)
{
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_attachment_row row;
	unsigned char old_key[PD_CRYPTO_KEY_BYTES], key[PD_CRYPTO_KEY_BYTES];
	sodium_memzero(old_key, sizeof old_key);
	sodium_memzero(key, sizeof key);
	struct repush rp;
	memset(&rp, 0, sizeof rp);
	struct pd_buf name, name_ct;
	pd_buf_init(&name, 4096);
	pd_buf_init(&name_ct, 4096);
	int rc = subject_id ? load(tx, ks, id, a, &row, old_key) : PD_ERR_NOT_FOUND;
	if (rc)
		goto out;
	if (row.subject_id && strcmp(row.subject_id, subject_id) == 0)
		goto out; /* under that account already */
	rc = subject_key(tx, ks, subject_id, key);
	if (rc)
		goto out;
	rp.key = key;
	rp.id = row.id;
	rp.held = pd_xmalloc(PD_CRYPTO_CHUNK);
	pd_buf_init(&rp.out, (size_t)stream_size(row.size) + 256);
	rc = pd_attachment_read(tx, ks, id, repush_sink, &rp);
	if (!rc && !rp.have_held)
		rc = PD_ERR_CRYPTO;
	if (!rc)
		rc = pd_crypto_stream_push(&rp.s, rp.held, rp.held_n, true, &rp.out);
	if (!rc && row.filename_ct.p) {
		rc = pd_crypto_open_with(old_key, row.filename_ct.p, row.filename_ct.n, TABLE,
		                         NAME_COLUMN, row.id, &name);
		if (!rc)
			rc = pd_crypto_seal_with(key, name.data ? name.data : (void *)"", name.len, TABLE,
			                         NAME_COLUMN, row.id, &name_ct);
	}
	if (rc)
		goto out;
	char blob_id[PD_UUID_LEN + 1];
	pd_uuid7(blob_id);
	rc = pd_store_blob_put(tx, blob_id, "application/octet-stream", rp.out.data, rp.out.len,
	                       pd_clock_now_ms());
	if (rc)
		goto out;
	struct pd_blob nct = {name_ct.data, name_ct.len};
	if (pd_store_attachment_rekey(tx, row.id, subject_id, blob_id, nct) <= 0 ||
	    pd_store_blob_delete(tx, row.blob_id) < 0)
		rc = db_error(tx);
out:
	if (rp.held) {
		sodium_memzero(rp.held, PD_CRYPTO_CHUNK);
		free(rp.held);
	}
	pd_crypto_stream_wipe(&rp.s);
	pd_buf_free(&rp.out);
	if (name.data)
		sodium_memzero(name.data, name.cap);
	pd_buf_free(&name);
	pd_buf_free(&name_ct);
	sodium_memzero(old_key, sizeof old_key);
	sodium_memzero(key, sizeof key);
	return rc;
}

int pd_attachment_delete(struct pd_tx *tx, const char *id)
{
	struct pd_attachment_row row;
	if (!id || !pd_uuid_valid(id))
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_attachment_get(tx, id, NULL, &row);
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	if (pd_store_attachment_delete(tx, id) < 0 || pd_store_blob_delete(tx, row.blob_id) < 0)
		return db_error(tx);
	return PD_OK;
}
