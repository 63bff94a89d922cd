/* Key files: reading and checking them (mode 0600 or stricter), creating one with fresh keys,
 * and editing them atomically (temporary file, fsync, rename, fsync of the directory). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/crypto.h"
#include "core/crypto_internal.h"
#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/str.h"

#define FILE_MAX (64 * 1024)
#define B64_LEN sodium_base64_ENCODED_LEN(PD_CRYPTO_KEY_BYTES, sodium_base64_VARIANT_ORIGINAL)

/* sodium_malloc aligns the end of the block, so sizes are rounded to keep the start aligned. */
void *pd_crypto_secure_alloc(size_t n)
{
	void *p = sodium_malloc((n + 15) & ~(size_t)15);
	if (!p)
		pd_oom();
	memset(p, 0, (n + 15) & ~(size_t)15);
	return p;
}

void pd_crypto_fingerprint(const unsigned char key[PD_CRYPTO_KEY_BYTES],
                           char out[PD_CRYPTO_FP_LEN + 1])
{
	static const unsigned char personal[crypto_generichash_blake2b_PERSONALBYTES] = "pendopo-fp";
	unsigned char h[16];
	crypto_generichash_blake2b_salt_personal(h, sizeof h, key, PD_CRYPTO_KEY_BYTES, NULL, 0, NULL,
	                                         personal);
	sodium_bin2hex(out, PD_CRYPTO_FP_LEN + 1, h, sizeof h);
}

/* --- reading and parsing ---------------------------------------------------------------------- */

/* Reads the whole file, refusing anything but a regular file of mode 0600 or stricter. The
 * caller wipes and frees *out. */
static int read_keyfile(const char *path, char **out, size_t *len, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		snprintf(err, errlen, "cannot read the key file %s: %s", path, strerror(e));
		return e == ENOENT ? PD_ERR_NOT_FOUND : PD_ERR_IO;
	}
	struct stat sb;
	int rc = PD_ERR_IO;
	char *buf = NULL;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "the key file %s is not a regular file", path);
		goto out;
	}
	if (sb.st_mode & 077) {
		snprintf(err, errlen,
		         "the key file %s has mode %04o: it must be readable by its owner only "
		         "(run `chmod 600 %s`)",
		         path, (unsigned)(sb.st_mode & 07777), path);
		rc = PD_ERR_FORBIDDEN;
		goto out;
	}
	if (sb.st_size > FILE_MAX) {
		snprintf(err, errlen, "the key file %s is larger than %d bytes", path, FILE_MAX);
		rc = PD_ERR_TOO_LARGE;
		goto out;
	}
	buf = pd_xmalloc(FILE_MAX + 1);
	size_t n = 0;
	for (;;) {
		ssize_t r = read(fd, buf + n, FILE_MAX - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errlen, "cannot read the key file %s: %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n == FILE_MAX) {
			snprintf(err, errlen, "the key file %s is too large", path);
			rc = PD_ERR_TOO_LARGE;
			goto out;
		}
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	buf = NULL;
	rc = PD_OK;
out:
	if (buf) {
		sodium_memzero(buf, FILE_MAX + 1);
		free(buf);
	}
	close(fd);
	return rc;
}

static void wipe_free(char *p, size_t n)
{
	if (p) {
		sodium_memzero(p, n);
		free(p);
	}
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Splits one line into at most two words; false when there are more. */
static bool words(const char *s, size_t n, const char **w1, size_t *n1, const char **w2,
                  size_t *n2)
{
	size_t i = 0;
	*w1 = *w2 = NULL;
	*n1 = *n2 = 0;
	for (int k = 0; k < 3; k++) {
		while (i < n && is_space(s[i]))
			i++;
		if (i == n)
			return true;
		size_t start = i;
		while (i < n && !is_space(s[i]))
			i++;
		if (k == 0) {
			*w1 = s + start;
			*n1 = i - start;
		} else if (k == 1) {
			*w2 = s + start;
			*n2 = i - start;
		} else {
			return false;
		}
	}
	return true;
}

static int decode_key(const char *b64, size_t n, unsigned char key[PD_CRYPTO_KEY_BYTES])
{
	size_t got = 0;
	if (sodium_base642bin(key, PD_CRYPTO_KEY_BYTES, b64, n, NULL, &got, NULL,
	                      sodium_base64_VARIANT_ORIGINAL) ||
	    got != PD_CRYPTO_KEY_BYTES)
		return PD_ERR_INVALID;
	return PD_OK;
}

/* Parses key file text. lenient: a `--new-key` file, where a bare key line is allowed. */
static int parse(const char *text, size_t len, const char *path, bool lenient,
                 struct pd_keyfile_parsed *p, char *err, size_t errlen)
{
	int lineno = 0;
	for (size_t pos = 0; pos < len;) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		pos += n + (nl ? 1 : 0);
		lineno++;
		size_t lead = 0;
		while (lead < n && is_space(line[lead]))
			lead++;
		if (lead == n || line[lead] == '#')
			continue;
		const char *w1, *w2;
		size_t n1, n2;
		if (!words(line, n, &w1, &n1, &w2, &n2)) {
			snprintf(err, errlen, "%s:%d: expected `ID KEY` or `index KEY`", path, lineno);
			return PD_ERR_INVALID;
		}
		const char *b64 = w2;
		size_t nb = n2;
		int64_t id = 0;
		bool index = n1 == 5 && memcmp(w1, "index", 5) == 0;
		if (!w2 && lenient) {
			b64 = w1;
			nb = n1;
		} else if (!w2 || (!index && pd_parse_i64n(w1, n1, 1, UINT32_MAX, &id))) {
			snprintf(err, errlen, "%s:%d: expected `ID KEY` (ID 1..4294967295) or `index KEY`",
			         path, lineno);
			return PD_ERR_INVALID;
		}
		unsigned char key[PD_CRYPTO_KEY_BYTES];
		if (decode_key(b64, nb, key)) {
			snprintf(err, errlen, "%s:%d: the key is not 32 bytes of base64", path, lineno);
			return PD_ERR_INVALID;
		}
		if (index) {
			if (p->has_index) {
				sodium_memzero(key, sizeof key);
				snprintf(err, errlen, "%s:%d: a second `index` line", path, lineno);
				return PD_ERR_INVALID;
			}
			memcpy(p->index, key, sizeof key);
			p->has_index = true;
		} else {
			for (int i = 0; i < p->n; i++)
				if (p->ids[i] == (uint32_t)id) {
					sodium_memzero(key, sizeof key);
					snprintf(err, errlen, "%s:%d: key %lld appears twice", path, lineno,
					         (long long)id);
					return PD_ERR_INVALID;
				}
			if (p->n == PD_CRYPTO_MAX_KEYS) {
				sodium_memzero(key, sizeof key);
				snprintf(err, errlen, "%s: more than %d keys", path, PD_CRYPTO_MAX_KEYS);
				return PD_ERR_TOO_LARGE;
			}
			p->ids[p->n] = (uint32_t)id;
			memcpy(p->keys[p->n], key, sizeof key);
			p->n++;
		}
		sodium_memzero(key, sizeof key);
	}
	return PD_OK;
}

int pd_keyfile_read_parsed(const char *path, bool lenient, struct pd_keyfile_parsed *p,
                           char *err, size_t errlen)
{
	char *text = NULL;
	size_t len = 0;
	int rc = read_keyfile(path, &text, &len, err, errlen);
	if (rc)
		return rc;
	rc = parse(text, len, path, lenient, p, err, errlen);
	wipe_free(text, FILE_MAX + 1);
	return rc;
}

/* --- writing ---------------------------------------------------------------------------------- */

static int mkdirs(const char *dir)
{
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof tmp, "%s", dir) >= (int)sizeof tmp)
		return -1;
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0700) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(tmp, 0700) && errno != EEXIST ? -1 : 0;
}

static void dir_of(const char *path, char *out, size_t n)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(out, n, ".");
	else if (slash == path)
		snprintf(out, n, "/");
	else
		snprintf(out, n, "%.*s", (int)(slash - path), path);
}

/* Writes data to path through a temporary file in the same directory: fsync, then rename (or
 * link, when `exclusive`: an existing file wins, *existed set), then fsync of the directory. The
 * owner of a replaced file is kept, so a root-run command leaves the server able to read it. */
static int write_atomic(const char *path, const char *data, size_t len, bool exclusive,
                        bool *existed, char *err, size_t errlen)
{
	char target[PATH_MAX], dir[PATH_MAX], tmp[PATH_MAX + 64];
	bool resolved = !exclusive && realpath(path, target);
	if (!resolved && snprintf(target, sizeof target, "%s", path) >= (int)sizeof target) {
		snprintf(err, errlen, "key file path too long");
		return PD_ERR_INVALID;
	}
	dir_of(target, dir, sizeof dir);
	snprintf(tmp, sizeof tmp, "%s.tmp.%ld.%08x", target, (long)getpid(), randombytes_random());
	struct stat old;
	bool have_old = stat(target, &old) == 0;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		return PD_ERR_IO;
	}
	int rc = PD_ERR_IO;
	if (fchmod(fd, 0600))
		goto fail;
	if (have_old && fchown(fd, old.st_uid, old.st_gid) && errno != EPERM)
		goto fail;
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		off += (size_t)w;
	}
	if (fsync(fd))
		goto fail;
	if (close(fd)) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (exclusive) {
		if (link(tmp, target)) {
			if (errno != EEXIST)
				goto fail;
			*existed = true;
		}
		unlink(tmp);
	} else if (rename(tmp, target)) {
		goto fail;
	}
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return PD_OK;
fail:
	snprintf(err, errlen, "cannot write the key file %s: %s", target, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return rc;
}

static int put_key_line(struct pd_buf *b, const char *name, const unsigned char *key)
{
	char b64[B64_LEN];
	sodium_bin2base64(b64, sizeof b64, key, PD_CRYPTO_KEY_BYTES, sodium_base64_VARIANT_ORIGINAL);
	int rc = pd_buf_printf(b, "%s %s\n", name, b64);
	sodium_memzero(b64, sizeof b64);
	return rc;
}

/* Gives b room for n bytes at once, so that key text written into it is never left behind in
 * memory freed by a later realloc. */
static void reserve(struct pd_buf *b, size_t n)
{
	char *zeros = pd_xcalloc(1, n);
	pd_buf_append(b, zeros, n);
	free(zeros);
	pd_buf_reset(b);
}

static void wipe_buf(struct pd_buf *b)
{
	if (b->data)
		sodium_memzero(b->data, b->cap);
	pd_buf_free(b);
}

int pd_keyfile_create(const char *path, char *err, size_t errlen)
{
	char dir[PATH_MAX];
	dir_of(path, dir, sizeof dir);
	if (mkdirs(dir)) {
		snprintf(err, errlen, "cannot create the key directory %s: %s", dir, strerror(errno));
		return PD_ERR_IO;
	}
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	struct pd_buf b;
	pd_buf_init(&b, FILE_MAX);
	reserve(&b, 1024);
	pd_buf_puts(&b,
	            "# Pendopo master keys. Keep this file secret (mode 0600) and back it up apart\n"
	            "# from the database: without it the personal data in the database and in its\n"
	            "# backups cannot be read. `index` keys the blind indexes and is never rotated;\n"
	            "# `ID KEY` lines are the master keys (`pendopo keys --help`).\n");
	randombytes_buf(key, sizeof key);
	put_key_line(&b, "index", key);
	randombytes_buf(key, sizeof key);
	put_key_line(&b, "1", key);
	sodium_memzero(key, sizeof key);
	bool existed = false;
	int rc = write_atomic(path, b.data, b.len, true, &existed, err, errlen);
	wipe_buf(&b);
	if (!rc && !existed)
		pd_log(PD_LOG_INFO, "key_file_created", "path=\"%s\"", path);
	return rc;
}

int pd_keyfile_lock(const char *path, char *err, size_t errlen)
{
	char dir[PATH_MAX];
	dir_of(path, dir, sizeof dir);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || flock(fd, LOCK_EX)) {
		snprintf(err, errlen, "cannot lock the key directory %s: %s", dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

void pd_keyfile_unlock(int fd)
{
	if (fd >= 0) {
		flock(fd, LOCK_UN);
		close(fd);
	}
}

int pd_keyfile_append(const char *path, uint32_t id, const unsigned char *key,
                      char fp[PD_CRYPTO_FP_LEN + 1], bool *added, char *err, size_t errlen)
{
	*added = false;
	char *text = NULL;
	size_t len = 0;
	struct pd_keyfile_parsed *p = pd_crypto_secure_alloc(sizeof *p);
	unsigned char fresh[PD_CRYPTO_KEY_BYTES];
	struct pd_buf b;
	pd_buf_init(&b, FILE_MAX);
	int rc = read_keyfile(path, &text, &len, err, errlen);
	if (rc)
		goto out;
	rc = parse(text, len, path, false, p, err, errlen);
	if (rc)
		goto out;
	if (key)
		memcpy(fresh, key, sizeof fresh);
	else
		randombytes_buf(fresh, sizeof fresh);
	pd_crypto_fingerprint(fresh, fp);
	for (int i = 0; i < p->n; i++) {
		if (p->ids[i] != id)
			continue;
		if (sodium_memcmp(p->keys[i], fresh, sizeof fresh) == 0) {
			rc = PD_OK; /* already there: placed by the operator on every node beforehand */
		} else {
			snprintf(err, errlen, "%s already holds a different key %u", path, (unsigned)id);
			rc = PD_ERR_CONFLICT;
		}
		goto out;
	}
	if (p->n >= PD_CRYPTO_MAX_KEYS) {
		snprintf(err, errlen, "%s already holds %d keys: retire some first", path, p->n);
		rc = PD_ERR_TOO_LARGE;
		goto out;
	}
	char name[16];
	snprintf(name, sizeof name, "%u", (unsigned)id);
	reserve(&b, len + 128);
	rc = pd_buf_append(&b, text, len);
	if (!rc && len && text[len - 1] != '\n')
		rc = pd_buf_putc(&b, '\n');
	if (!rc)
		rc = put_key_line(&b, name, fresh);
	if (rc) {
		snprintf(err, errlen, "the key file %s would grow too large", path);
		goto out;
	}
	rc = write_atomic(path, b.data, b.len, false, NULL, err, errlen);
	*added = rc == PD_OK;
out:
	sodium_memzero(fresh, sizeof fresh);
	wipe_buf(&b);
	wipe_free(text, FILE_MAX + 1);
	sodium_free(p);
	return rc;
}

int pd_keyfile_remove(const char *path, uint32_t id, char *err, size_t errlen)
{
	char *text = NULL;
	size_t len = 0;
	struct pd_buf b;
	pd_buf_init(&b, FILE_MAX);
	int rc = read_keyfile(path, &text, &len, err, errlen);
	if (rc)
		goto out;
	reserve(&b, len + 1);
	bool found = false;
	int left = 0;
	for (size_t pos = 0; pos < len;) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) + 1 : len - pos;
		pos += n;
		const char *w1, *w2;
		size_t n1, n2;
		int64_t v;
		bool numeric = words(line, n - (nl ? 1 : 0), &w1, &n1, &w2, &n2) && w1 && w2 &&
		               pd_parse_i64n(w1, n1, 1, UINT32_MAX, &v) == PD_OK;
		if (numeric && (uint32_t)v == id) {
			found = true;
			continue;
		}
		left += numeric;
		pd_buf_append(&b, line, n);
	}
	if (!found)
		goto out;
	if (left == 0) {
		snprintf(err, errlen, "removing key %u would leave %s without a master key",
		         (unsigned)id, path);
		rc = PD_ERR_INVALID;
		goto out;
	}
	rc = write_atomic(path, b.data ? b.data : "", b.len, false, NULL, err, errlen);
out:
	wipe_buf(&b);
	wipe_free(text, FILE_MAX + 1);
	return rc;
}

int pd_keyfile_read_new(const char *path, uint32_t *id, unsigned char key[PD_CRYPTO_KEY_BYTES],
                        char *err, size_t errlen)
{
	struct pd_keyfile_parsed *p = pd_crypto_secure_alloc(sizeof *p);
	int rc = pd_keyfile_read_parsed(path, true, p, err, errlen);
	if (!rc && (p->n != 1 || p->has_index)) {
		snprintf(err, errlen, "%s must hold exactly one key line (`ID KEY` or `KEY`)", path);
		rc = PD_ERR_INVALID;
	}
	if (!rc) {
		*id = p->ids[0];
		memcpy(key, p->keys[0], PD_CRYPTO_KEY_BYTES);
	}
	sodium_free(p);
	return rc;
}
