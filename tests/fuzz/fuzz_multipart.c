/* Fuzz target: multipart bodies. The first line of the input is the boundary (also tried as a
 * Content-Type value), the rest the body, parsed whole and in chunks of varying size: both runs
 * must agree on the result and, when it succeeds, on every part. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/str.h"
#include "http/multipart.h"

/* A canonical digest of the events, independent of how data was split into calls. */
struct trace {
	uint64_t hash;
	size_t n_parts, data_bytes;
	bool open;
};

static void mix(struct trace *t, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) {
		t->hash ^= s[i];
		t->hash *= 0x100000001b3ULL;
	}
}

static void mix_str(struct trace *t, const char *s)
{
	if (!s) {
		mix(t, "\x01", 1);
		return;
	}
	if (!pd_utf8_valid(s, strlen(s)))
		abort();
	mix(t, s, strlen(s) + 1);
}

static int on_begin(void *ud, const struct pd_multipart_part *p)
{
	struct trace *t = ud;
	if (t->open || !p->name || p->index != t->n_parts)
		abort();
	t->open = true;
	t->n_parts++;
	mix(t, "B", 1);
	mix_str(t, p->name);
	mix_str(t, p->filename);
	mix_str(t, p->content_type);
	return PD_OK;
}

static int on_data(void *ud, const char *data, size_t len)
{
	struct trace *t = ud;
	if (!t->open || len == 0)
		abort();
	t->data_bytes += len;
	mix(t, data, len);
	return PD_OK;
}

static int on_end(void *ud)
{
	struct trace *t = ud;
	if (!t->open)
		abort();
	t->open = false;
	mix(t, "E", 1);
	return PD_OK;
}

static const struct pd_multipart_callbacks cbs = {on_begin, on_data, on_end};

static const struct pd_multipart_limits lim = {
	.max_parts = 16,
	.max_header_size = 512,
	.max_part_size = 4096,
	.max_total_size = SIZE_MAX,
};

static int run(const char *boundary, const uint8_t *body, size_t len, uint64_t seed, struct trace *t)
{
	struct pd_multipart *mp = pd_multipart_new(boundary, &lim, &cbs, t);
	if (!mp)
		abort();
	t->hash = 0xcbf29ce484222325ULL;
	int rc = PD_OK;
	size_t pos = 0;
	while (pos < len && rc == PD_OK) {
		size_t n = len - pos;
		if (seed) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			size_t max = (seed >> 60) < 8 ? 4 : 97; /* mostly tiny chunks, some larger */
			size_t want = 1 + (size_t)((seed >> 33) % max);
			if (want < n)
				n = want;
		}
		rc = pd_multipart_feed(mp, body + pos, n);
		pos += n;
	}
	int fin = pd_multipart_finish(mp);
	if (rc != PD_OK && fin != rc)
		abort(); /* errors are sticky */
	if (fin == PD_OK && (t->open || t->data_bytes > len))
		abort();
	pd_multipart_free(mp);
	return fin;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	if (!nl)
		return 0;
	size_t line_len = (size_t)(nl - data);
	if (line_len > 200)
		return 0;
	char line[201];
	memcpy(line, data, line_len);
	line[line_len] = '\0';
	if (line_len > 0 && line[line_len - 1] == '\r')
		line[line_len - 1] = '\0';

	char boundary[PD_MULTIPART_BOUNDARY_MAX + 1];
	if (pd_multipart_boundary(line, boundary) == PD_OK) {
		if (strlen(boundary) < 1 || strlen(boundary) > PD_MULTIPART_BOUNDARY_MAX)
			abort();
		struct pd_multipart *mp = pd_multipart_new(boundary, NULL, NULL, NULL);
		if (!mp)
			abort(); /* an extracted boundary is always usable */
		pd_multipart_free(mp);
	} else if (boundary[0] != '\0') {
		abort();
	}

	struct pd_multipart *probe = pd_multipart_new(line, NULL, NULL, NULL);
	if (!probe)
		return 0;
	pd_multipart_free(probe);

	const uint8_t *body = nl + 1;
	size_t len = size - line_len - 1;
	uint64_t seed = 0x9E3779B97F4A7C15ULL ^ len;
	for (size_t i = 0; i < len && i < 16; i++)
		seed = seed * 31 + body[i];
	if (seed == 0)
		seed = 1;

	struct trace whole = {0}, chunked = {0};
	int rc_whole = run(line, body, len, 0, &whole);
	int rc_chunked = run(line, body, len, seed, &chunked);
	if (rc_whole != rc_chunked)
		abort();
	if (rc_whole == PD_OK && (whole.hash != chunked.hash || whole.n_parts != chunked.n_parts ||
				  whole.data_bytes != chunked.data_bytes))
		abort();
	return 0;
}
