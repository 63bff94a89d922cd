/* Encryption of personal data: XChaCha20-Poly1305 blobs bound to table, column and row, wrapped
 * per-subject keys, secretstream attachments, blind indexes and value normalisation. */
#include "core/crypto.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "core/crypto_internal.h"
#include "core/err.h"
#include "core/mem.h"

#define NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG crypto_aead_xchacha20poly1305_ietf_ABYTES
#define AD_BUF (PD_CRYPTO_STREAM_HEADER_MAX + 3 * PD_CRYPTO_AD_MAX + 2)

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t get_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Appends n bytes (zeros) to b and returns where they start, or NULL when b's maximum would be
 * passed. Growing before anything secret is written leaves no copy behind in freed memory. */
static unsigned char *extend(struct pd_buf *b, size_t n)
{
	static const char zeros[1024];
	size_t start = b->len;
	for (size_t done = 0; done < n;) {
		size_t k = n - done < sizeof zeros ? n - done : sizeof zeros;
		if (pd_buf_append(b, zeros, k)) {
			b->len = start;
			if (b->data)
				b->data[start] = '\0';
			return NULL;
		}
		done += k;
	}
	if (!b->data && pd_buf_append(b, "", 0))
		return NULL;
	return (unsigned char *)b->data + start;
}

/* Gives back what extend took, wiping it. */
static void unextend(struct pd_buf *b, size_t start)
{
	if (!b->data)
		return;
	sodium_memzero(b->data + start, b->len - start);
	b->len = start;
	b->data[start] = '\0';
}

static bool name_ok(const char *s)
{
	return s && *s && strlen(s) <= PD_CRYPTO_AD_MAX;
}

/* Associated data: the blob's header, then the names joined by NUL (n_names 2 or 3). */
static int build_ad(unsigned char *ad, size_t *len, const unsigned char *hdr, size_t hdr_len,
                    const char *a, const char *b, const char *c)
{
	if (!name_ok(a) || !name_ok(b) || (c && !name_ok(c)))
		return PD_ERR_INVALID;
	size_t n = 0;
	memcpy(ad, hdr, hdr_len);
	n += hdr_len;
	const char *parts[3] = {a, b, c};
	for (int i = 0; i < 3 && parts[i]; i++) {
		if (i)
			ad[n++] = '\0';
		size_t k = strlen(parts[i]);
		memcpy(ad + n, parts[i], k);
		n += k;
	}
	*len = n;
	return PD_OK;
}

/* hdr || nonce || ciphertext+tag, appended to out. */
static int seal_raw(const unsigned char *key, const unsigned char *hdr, size_t hdr_len,
                    const unsigned char *ad, size_t ad_len, const void *pt, size_t n,
                    struct pd_buf *out)
{
	if (n > SIZE_MAX / 2)
		return PD_ERR_TOO_LARGE;
	unsigned char *p = extend(out, hdr_len + NONCE + n + TAG);
	if (!p)
		return PD_ERR_TOO_LARGE;
	memcpy(p, hdr, hdr_len);
	randombytes_buf(p + hdr_len, NONCE);
	crypto_aead_xchacha20poly1305_ietf_encrypt(p + hdr_len + NONCE, NULL, pt, n, ad, ad_len, NULL,
	                                           p + hdr_len, key);
	return PD_OK;
}

/* Opens hdr_len || nonce || ciphertext+tag from blob, appending the plaintext to out. */
static int open_raw(const unsigned char *key, const unsigned char *blob, size_t n, size_t hdr_len,
                    const unsigned char *ad, size_t ad_len, struct pd_buf *out)
{
	if (n < hdr_len + NONCE + TAG)
		return PD_ERR_CRYPTO;
	size_t pt_len = n - hdr_len - NONCE - TAG;
	size_t start = out->len;
	unsigned char *p = extend(out, pt_len);
	if (!p)
		return PD_ERR_TOO_LARGE;
	const unsigned char *ct = blob + hdr_len + NONCE;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt_detached(p, NULL, ct, pt_len, ct + pt_len, ad,
	                                                        ad_len, blob + hdr_len, key)) {
		unextend(out, start);
		return PD_ERR_CRYPTO;
	}
	return PD_OK;
}

/* --- master data ----------------------------------------------------------------------------- */

int pd_crypto_seal(const struct pd_keyset *ks, const void *plaintext, size_t n,
                   const char *table, const char *column, const char *row_id, struct pd_buf *out)
{
	const struct pd_mkey *k = pd_keyset_current_key(ks);
	unsigned char hdr[5] = {PD_CRYPTO_V_DATA}, ad[AD_BUF];
	put_be32(hdr + 1, k->id);
	size_t ad_len;
	if (build_ad(ad, &ad_len, hdr, sizeof hdr, table, column, row_id))
		return PD_ERR_INVALID;
	return seal_raw(k->data, hdr, sizeof hdr, ad, ad_len, plaintext, n, out);
}

int pd_crypto_open(const struct pd_keyset *ks, const void *blob, size_t n, const char *table,
                   const char *column, const char *row_id, struct pd_buf *out)
{
	const unsigned char *b = blob;
	if (!b || n < 5 + NONCE + TAG || b[0] != PD_CRYPTO_V_DATA)
		return PD_ERR_CRYPTO;
	unsigned char ad[AD_BUF];
	size_t ad_len;
	if (build_ad(ad, &ad_len, b, 5, table, column, row_id))
		return PD_ERR_CRYPTO;
	const struct pd_mkey *k = pd_keyset_find(ks, get_be32(b + 1));
	if (!k)
		return PD_ERR_CRYPTO;
	return open_raw(k->data, b, n, 5, ad, ad_len, out);
}

int pd_crypto_reseal(const struct pd_keyset *ks, const void *blob, size_t n, const char *table,
                     const char *column, const char *row_id, struct pd_buf *out)
{
	struct pd_buf pt;
	pd_buf_init(&pt, n);
	int rc = pd_crypto_open(ks, blob, n, table, column, row_id, &pt);
	if (!rc)
		rc = pd_crypto_seal(ks, pt.data ? pt.data : "", pt.len, table, column, row_id, out);
	if (pt.data)
		sodium_memzero(pt.data, pt.cap);
	pd_buf_free(&pt);
	return rc;
}

uint32_t pd_crypto_blob_key_id(const void *blob, size_t n)
{
	const unsigned char *b = blob;
	if (!b || n < 5)
		return 0;
	if (b[0] != PD_CRYPTO_V_DATA && b[0] != PD_CRYPTO_V_WRAPPED && b[0] != PD_CRYPTO_V_STREAM)
		return 0;
	return get_be32(b + 1);
}

/* --- subject keys ---------------------------------------------------------------------------- */

int pd_crypto_subject_key_new(const struct pd_keyset *ks, const char *subject_id,
                              unsigned char raw_out[PD_CRYPTO_KEY_BYTES],
                              struct pd_buf *wrapped_out)
{
	const struct pd_mkey *k = pd_keyset_current_key(ks);
	unsigned char hdr[5] = {PD_CRYPTO_V_WRAPPED}, ad[AD_BUF];
	put_be32(hdr + 1, k->id);
	size_t ad_len;
	if (build_ad(ad, &ad_len, hdr, sizeof hdr, "subject_key", subject_id, NULL))
		return PD_ERR_INVALID;
	randombytes_buf(raw_out, PD_CRYPTO_KEY_BYTES);
	int rc = seal_raw(k->wrap, hdr, sizeof hdr, ad, ad_len, raw_out, PD_CRYPTO_KEY_BYTES,
	                  wrapped_out);
	if (rc)
		sodium_memzero(raw_out, PD_CRYPTO_KEY_BYTES);
	return rc;
}

int pd_crypto_subject_key_unwrap(const struct pd_keyset *ks, const char *subject_id,
                                 const void *wrapped, size_t n,
                                 unsigned char raw_out[PD_CRYPTO_KEY_BYTES])
{
	const unsigned char *b = wrapped;
	sodium_memzero(raw_out, PD_CRYPTO_KEY_BYTES);
	if (!b || n != PD_CRYPTO_WRAPPED_BYTES || b[0] != PD_CRYPTO_V_WRAPPED)
		return PD_ERR_CRYPTO;
	unsigned char ad[AD_BUF];
	size_t ad_len;
	if (build_ad(ad, &ad_len, b, 5, "subject_key", subject_id, NULL))
		return PD_ERR_CRYPTO;
	const struct pd_mkey *k = pd_keyset_find(ks, get_be32(b + 1));
	if (!k)
		return PD_ERR_CRYPTO;
	const unsigned char *ct = b + 5 + NONCE;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt_detached(raw_out, NULL, ct, PD_CRYPTO_KEY_BYTES,
	                                                        ct + PD_CRYPTO_KEY_BYTES, ad, ad_len,
	                                                        b + 5, k->wrap)) {
		sodium_memzero(raw_out, PD_CRYPTO_KEY_BYTES);
		return PD_ERR_CRYPTO;
	}
	return PD_OK;
}

int pd_crypto_subject_key_rewrap(const struct pd_keyset *ks, const char *subject_id,
                                 const void *wrapped, size_t n, struct pd_buf *out)
{
	unsigned char raw[PD_CRYPTO_KEY_BYTES];
	int rc = pd_crypto_subject_key_unwrap(ks, subject_id, wrapped, n, raw);
	if (!rc) {
		const struct pd_mkey *k = pd_keyset_current_key(ks);
		unsigned char hdr[5] = {PD_CRYPTO_V_WRAPPED}, ad[AD_BUF];
		put_be32(hdr + 1, k->id);
		size_t ad_len;
		build_ad(ad, &ad_len, hdr, sizeof hdr, "subject_key", subject_id, NULL);
		rc = seal_raw(k->wrap, hdr, sizeof hdr, ad, ad_len, raw, sizeof raw, out);
	}
	sodium_memzero(raw, sizeof raw);
	return rc;
}

int pd_crypto_seal_with(const unsigned char key[PD_CRYPTO_KEY_BYTES], const void *plaintext,
                        size_t n, const char *table, const char *column, const char *row_id,
                        struct pd_buf *out)
{
	unsigned char hdr[1] = {PD_CRYPTO_V_SUBJECT_DATA}, ad[AD_BUF];
	size_t ad_len;
	if (!key || build_ad(ad, &ad_len, hdr, sizeof hdr, table, column, row_id))
		return PD_ERR_INVALID;
	return seal_raw(key, hdr, sizeof hdr, ad, ad_len, plaintext, n, out);
}

int pd_crypto_open_with(const unsigned char key[PD_CRYPTO_KEY_BYTES], const void *blob, size_t n,
                        const char *table, const char *column, const char *row_id,
                        struct pd_buf *out)
{
	const unsigned char *b = blob;
	if (!key || !b || n < 1 + NONCE + TAG || b[0] != PD_CRYPTO_V_SUBJECT_DATA)
		return PD_ERR_CRYPTO;
	unsigned char ad[AD_BUF];
	size_t ad_len;
	if (build_ad(ad, &ad_len, b, 1, table, column, row_id))
		return PD_ERR_CRYPTO;
	return open_raw(key, b, n, 1, ad, ad_len, out);
}

/* --- streams --------------------------------------------------------------------------------- */

#define SS_HEADER crypto_secretstream_xchacha20poly1305_HEADERBYTES

int pd_crypto_stream_push_init(struct pd_crypto_stream *s, const struct pd_keyset *ks,
                               const unsigned char *key, const char *table, const char *column,
                               const char *row_id, struct pd_buf *header_out)
{
	memset(s, 0, sizeof *s);
	unsigned char hdr[PD_CRYPTO_STREAM_HEADER_MAX];
	size_t hdr_len;
	const unsigned char *k;
	if (ks) {
		const struct pd_mkey *mk = pd_keyset_current_key(ks);
		hdr[0] = PD_CRYPTO_V_STREAM;
		put_be32(hdr + 1, mk->id);
		hdr_len = 5;
		k = mk->stream;
	} else if (key) {
		hdr[0] = PD_CRYPTO_V_SUBJECT_STREAM;
		hdr_len = 1;
		k = key;
	} else {
		return PD_ERR_INVALID;
	}
	crypto_secretstream_xchacha20poly1305_init_push(&s->state, hdr + hdr_len, k);
	if (build_ad(s->ad, &s->ad_len, hdr, hdr_len, table, column, row_id)) {
		pd_crypto_stream_wipe(s);
		return PD_ERR_INVALID;
	}
	if (pd_buf_append(header_out, hdr, hdr_len + SS_HEADER)) {
		pd_crypto_stream_wipe(s);
		return PD_ERR_TOO_LARGE;
	}
	s->started = true;
	return PD_OK;
}

int pd_crypto_stream_push(struct pd_crypto_stream *s, const void *chunk, size_t n, bool last,
                          struct pd_buf *out)
{
	if (!s->started || s->finished || n > PD_CRYPTO_CHUNK || (!last && n != PD_CRYPTO_CHUNK))
		return PD_ERR_INVALID;
	unsigned char *p = extend(out, n + PD_CRYPTO_STREAM_ABYTES);
	if (!p)
		return PD_ERR_TOO_LARGE;
	unsigned char tag = last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
	                         : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
	crypto_secretstream_xchacha20poly1305_push(&s->state, p, NULL, chunk, n, s->ad, s->ad_len, tag);
	s->finished = last;
	return PD_OK;
}

size_t pd_crypto_stream_header_len(const void *p, size_t n)
{
	const unsigned char *b = p;
	if (!b || n < 1)
		return 0;
	if (b[0] == PD_CRYPTO_V_STREAM)
		return 5 + SS_HEADER;
	if (b[0] == PD_CRYPTO_V_SUBJECT_STREAM)
		return 1 + SS_HEADER;
	return 0;
}

int pd_crypto_stream_pull_init(struct pd_crypto_stream *s, const struct pd_keyset *ks,
                               const unsigned char *key, const void *header, size_t n,
                               const char *table, const char *column, const char *row_id)
{
	memset(s, 0, sizeof *s);
	const unsigned char *b = header;
	size_t hlen = pd_crypto_stream_header_len(header, n);
	if (!hlen || n != hlen)
		return PD_ERR_CRYPTO;
	size_t pre = hlen - SS_HEADER;
	const unsigned char *k = NULL;
	if (b[0] == PD_CRYPTO_V_STREAM && ks) {
		const struct pd_mkey *mk = pd_keyset_find(ks, get_be32(b + 1));
		k = mk ? mk->stream : NULL;
	} else if (b[0] == PD_CRYPTO_V_SUBJECT_STREAM) {
		k = key;
	}
	if (!k || build_ad(s->ad, &s->ad_len, b, pre, table, column, row_id) ||
	    crypto_secretstream_xchacha20poly1305_init_pull(&s->state, b + pre, k)) {
		pd_crypto_stream_wipe(s);
		return PD_ERR_CRYPTO;
	}
	s->started = true;
	return PD_OK;
}

int pd_crypto_stream_pull(struct pd_crypto_stream *s, const void *chunk, size_t n,
                          struct pd_buf *out, bool *last)
{
	*last = false;
	if (!s->started || s->finished || n < PD_CRYPTO_STREAM_ABYTES ||
	    n > PD_CRYPTO_CHUNK + PD_CRYPTO_STREAM_ABYTES)
		return PD_ERR_CRYPTO;
	size_t start = out->len;
	unsigned char *p = extend(out, n - PD_CRYPTO_STREAM_ABYTES);
	if (!p)
		return PD_ERR_TOO_LARGE;
	unsigned char tag = 0;
	if (crypto_secretstream_xchacha20poly1305_pull(&s->state, p, NULL, &tag, chunk, n, s->ad,
	                                               s->ad_len) ||
	    (tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE &&
	     tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL) ||
	    (tag == crypto_secretstream_xchacha20poly1305_TAG_MESSAGE &&
	     n != PD_CRYPTO_CHUNK + PD_CRYPTO_STREAM_ABYTES)) {
		unextend(out, start);
		return PD_ERR_CRYPTO;
	}
	s->finished = *last = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
	return PD_OK;
}

int pd_crypto_stream_pull_end(const struct pd_crypto_stream *s)
{
	return s->started && s->finished ? PD_OK : PD_ERR_CRYPTO;
}

void pd_crypto_stream_wipe(struct pd_crypto_stream *s)
{
	sodium_memzero(s, sizeof *s);
}

/* Reads up to n bytes, retrying short reads; returns the count (< n only at end of file) or -1. */
static ssize_t read_full(int fd, unsigned char *p, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, p + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static int write_full(int fd, const char *p, size_t n)
{
	for (size_t off = 0; off < n;) {
		ssize_t w = write(fd, p + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return PD_ERR_IO;
		off += (size_t)w;
	}
	return PD_OK;
}

int pd_crypto_stream_encrypt_fd(const struct pd_keyset *ks, const unsigned char *key, int in_fd,
                                int out_fd, const char *table, const char *column,
                                const char *row_id)
{
	struct pd_crypto_stream s;
	struct pd_buf out;
	pd_buf_init(&out, PD_CRYPTO_CHUNK + PD_CRYPTO_STREAM_ABYTES);
	unsigned char *a = pd_xmalloc(PD_CRYPTO_CHUNK), *b = pd_xmalloc(PD_CRYPTO_CHUNK);
	int rc = pd_crypto_stream_push_init(&s, ks, key, table, column, row_id, &out);
	if (!rc)
		rc = write_full(out_fd, out.data, out.len);
	ssize_t cur = rc ? -1 : read_full(in_fd, a, PD_CRYPTO_CHUNK);
	if (cur < 0 && !rc)
		rc = PD_ERR_IO;
	while (!rc) {
		ssize_t next = 0;
		if (cur == PD_CRYPTO_CHUNK && (next = read_full(in_fd, b, PD_CRYPTO_CHUNK)) < 0) {
			rc = PD_ERR_IO;
			break;
		}
		bool last = cur < PD_CRYPTO_CHUNK || next == 0;
		pd_buf_reset(&out);
		rc = pd_crypto_stream_push(&s, a, (size_t)cur, last, &out);
		if (!rc)
			rc = write_full(out_fd, out.data, out.len);
		if (last)
			break;
		unsigned char *t = a;
		a = b;
		b = t;
		cur = next;
	}
	sodium_memzero(a, PD_CRYPTO_CHUNK);
	sodium_memzero(b, PD_CRYPTO_CHUNK);
	free(a);
	free(b);
	pd_buf_free(&out);
	pd_crypto_stream_wipe(&s);
	return rc;
}

int pd_crypto_stream_decrypt_fd(const struct pd_keyset *ks, const unsigned char *key, int in_fd,
                                int out_fd, const char *table, const char *column,
                                const char *row_id)
{
	struct pd_crypto_stream s = {0};
	struct pd_buf out;
	pd_buf_init(&out, PD_CRYPTO_CHUNK);
	size_t cap = PD_CRYPTO_CHUNK + PD_CRYPTO_STREAM_ABYTES;
	unsigned char *c = pd_xmalloc(cap);
	int rc = PD_ERR_CRYPTO;
	if (read_full(in_fd, c, 1) != 1)
		goto out;
	size_t hlen = pd_crypto_stream_header_len(c, 1);
	if (!hlen || read_full(in_fd, c + 1, hlen - 1) != (ssize_t)(hlen - 1))
		goto out;
	rc = pd_crypto_stream_pull_init(&s, ks, key, c, hlen, table, column, row_id);
	while (!rc) {
		ssize_t n = read_full(in_fd, c, cap);
		if (n < 0) {
			rc = PD_ERR_IO;
			break;
		}
		if (n == 0) {
			rc = pd_crypto_stream_pull_end(&s); /* truncated when the final chunk is missing */
			break;
		}
		bool last = false;
		pd_buf_reset(&out);
		rc = pd_crypto_stream_pull(&s, c, (size_t)n, &out, &last);
		if (!rc)
			rc = write_full(out_fd, out.data, out.len);
		if (!rc && last) {
			if (read_full(in_fd, c, 1) != 0)
				rc = PD_ERR_CRYPTO; /* data after the final chunk */
			break;
		}
	}
out:
	if (out.data)
		sodium_memzero(out.data, out.cap);
	pd_buf_free(&out);
	free(c);
	pd_crypto_stream_wipe(&s);
	return rc;
}

/* --- blind indexes and normalisation --------------------------------------------------------- */

int pd_crypto_blind_index(const struct pd_keyset *ks, const char *domain,
                          const char *normalized_value, unsigned char out[PD_CRYPTO_BLIND_BYTES])
{
	if (!domain || !*domain || !normalized_value)
		return PD_ERR_INVALID;
	unsigned char h[crypto_generichash_BYTES_MIN], sub[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)domain, strlen(domain), NULL, 0);
	uint64_t id = 0;
	for (int i = 7; i >= 0; i--)
		id = id << 8 | h[i];
	pd_keyset_index_subkey(ks, id, sub);
	crypto_generichash(out, PD_CRYPTO_BLIND_BYTES, (const unsigned char *)normalized_value,
	                   strlen(normalized_value), sub, sizeof sub);
	sodium_memzero(sub, sizeof sub);
	return PD_OK;
}

static bool ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

int pd_crypto_norm_email(const char *in, char *out, size_t outlen)
{
	if (!in)
		return PD_ERR_INVALID;
	const char *s = in, *e = in + strlen(in);
	while (s < e && ws(*s))
		s++;
	while (e > s && ws(e[-1]))
		e--;
	size_t n = (size_t)(e - s);
	if (n == 0 || n > 254)
		return PD_ERR_INVALID;
	if (n >= outlen)
		return PD_ERR_TOO_LARGE;
	int ats = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (ws(c) || (unsigned char)c < 0x20)
			return PD_ERR_INVALID;
		ats += c == '@';
		out[i] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
	}
	out[n] = '\0';
	if (ats != 1 || out[0] == '@' || out[n - 1] == '@')
		return PD_ERR_INVALID;
	return PD_OK;
}

int pd_crypto_norm_nik(const char *in, char out[17])
{
	if (!in)
		return PD_ERR_INVALID;
	int n = 0;
	for (const char *p = in; *p; p++) {
		if (*p == ' ' || *p == '.' || *p == '-' || *p == '/' || *p == '\t')
			continue;
		if (*p < '0' || *p > '9' || n == 16)
			return PD_ERR_INVALID;
		out[n++] = *p;
	}
	out[n] = '\0';
	return n == 16 ? PD_OK : PD_ERR_INVALID;
}

int pd_crypto_norm_phone(const char *in, char *out, size_t outlen)
{
	if (!in)
		return PD_ERR_INVALID;
	char d[32];
	size_t n = 0;
	bool plus = false;
	for (const char *p = in; *p; p++) {
		if (*p == ' ' || *p == '.' || *p == '-' || *p == '(' || *p == ')' || *p == '\t')
			continue;
		if (*p == '+' && n == 0 && !plus) {
			plus = true;
			continue;
		}
		if (*p < '0' || *p > '9' || n + 1 >= sizeof d)
			return PD_ERR_INVALID;
		d[n++] = *p;
	}
	d[n] = '\0';
	const char *intl = NULL;     /* digits with their country code */
	const char *national = NULL; /* Indonesian digits after the trunk 0 */
	if (plus)
		intl = d;
	else if (strncmp(d, "00", 2) == 0)
		intl = d + 2;
	else if (strncmp(d, "62", 2) == 0)
		intl = d;
	else if (d[0] == '0')
		national = d + 1;
	else if (d[0] == '8')
		national = d;
	else
		return PD_ERR_INVALID;
	char e[40];
	if (national)
		snprintf(e, sizeof e, "62%s", national);
	else
		snprintf(e, sizeof e, "%s", intl);
	/* "+62 (0)812…": the trunk 0 after the country code is dropped. */
	if (strncmp(e, "620", 3) == 0)
		memmove(e + 2, e + 3, strlen(e + 3) + 1);
	size_t len = strlen(e);
	if (len < 8 || len > 15 || e[0] == '0')
		return PD_ERR_INVALID;
	if (len + 2 > outlen)
		return PD_ERR_TOO_LARGE;
	out[0] = '+';
	memcpy(out + 1, e, len + 1);
	return PD_OK;
}
