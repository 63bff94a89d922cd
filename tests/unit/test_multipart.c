/* Unit tests for the streaming multipart/form-data parser and the boundary extractor. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/err.h"
#include "http/multipart.h"

#define B "----pendopoB0undary7MA4YWxk"
#define MAX_GOT 8

/* What the callbacks saw, checked for order as it arrives. */
struct got_part {
	size_t index;
	char name[128], filename[128], ctype[128];
	bool has_filename, has_ctype, ended;
	struct pd_buf data;
};

struct got {
	struct got_part parts[MAX_GOT];
	size_t n;
	bool open;
	size_t n_data_calls;
	int fail_begin_at; /* 1-based part number whose begin callback fails; 0 never */
};

static int on_begin(void *ud, const struct pd_multipart_part *p)
{
	struct got *g = ud;
	assert_false(g->open);
	assert_true(g->n < MAX_GOT);
	assert_non_null(p->name);
	struct got_part *gp = &g->parts[g->n++];
	memset(gp, 0, sizeof(*gp));
	pd_buf_init(&gp->data, (size_t)8 << 20);
	gp->index = p->index;
	snprintf(gp->name, sizeof(gp->name), "%s", p->name);
	if (p->filename) {
		gp->has_filename = true;
		snprintf(gp->filename, sizeof(gp->filename), "%s", p->filename);
	}
	if (p->content_type) {
		gp->has_ctype = true;
		snprintf(gp->ctype, sizeof(gp->ctype), "%s", p->content_type);
	}
	g->open = true;
	if (g->fail_begin_at && (size_t)g->fail_begin_at == g->n)
		return PD_ERR_FORBIDDEN;
	return PD_OK;
}

static int on_data(void *ud, const char *data, size_t len)
{
	struct got *g = ud;
	assert_true(g->open);
	assert_true(len > 0);
	g->n_data_calls++;
	assert_int_equal(pd_buf_append(&g->parts[g->n - 1].data, data, len), PD_OK);
	return PD_OK;
}

static int on_end(void *ud)
{
	struct got *g = ud;
	assert_true(g->open);
	g->open = false;
	g->parts[g->n - 1].ended = true;
	return PD_OK;
}

static const struct pd_multipart_callbacks cbs = {on_begin, on_data, on_end};

static void got_free(struct got *g)
{
	for (size_t i = 0; i < g->n; i++)
		pd_buf_free(&g->parts[i].data);
	memset(g, 0, sizeof(*g));
}

/* Feeds body in the chunks ending at the given cut positions (ascending), then finishes.
 * Returns the first error, as a caller would see it. */
static int run_cuts(const char *boundary, const struct pd_multipart_limits *lim, const char *body,
		    size_t len, const size_t *cuts, size_t n_cuts, struct got *g)
{
	struct pd_multipart *mp = pd_multipart_new(boundary, lim, &cbs, g);
	assert_non_null(mp);
	size_t pos = 0;
	int rc = PD_OK;
	for (size_t i = 0; i <= n_cuts && rc == PD_OK; i++) {
		size_t end = i < n_cuts ? cuts[i] : len;
		rc = pd_multipart_feed(mp, body + pos, end - pos);
		pos = end;
	}
	if (rc == PD_OK)
		rc = pd_multipart_finish(mp);
	else
		assert_int_equal(pd_multipart_finish(mp), rc); /* errors are sticky */
	pd_multipart_free(mp);
	return rc;
}

static int run(const char *body, size_t len, struct got *g)
{
	return run_cuts(B, NULL, body, len, NULL, 0, g);
}

static int run_s(const char *body, struct got *g)
{
	return run(body, strlen(body), g);
}

/* The main test body: a text field, a binary file full of delimiter look-alikes, an empty
 * field and a UTF-8 value. */
static const char file_data[] =
	"--" B "\r\n"                      /* at the start of data: no CRLF before it */
	"\x00\x01\xFF\r\n--\r\n-"
	"\r\n--" "----pendopoB0undary7MA4YWx" "\r\n" /* the boundary less its last byte */
	"\r--" B "\r\n"                   /* CR without LF */
	"\n--" B " "                        /* LF without CR */
	"\r\r\n---pendopoB0undary7MA4YWxk"  /* one dash short */
	"\r\n--" "----pendopoB0undary7MA4YWxK" /* last byte differs */
	"%PDF-1.7 \r\n--";                 /* a held-back tail right before the delimiter */
#define FILE_LEN (sizeof(file_data) - 1)

static size_t build_body(char *out, size_t cap)
{
	struct pd_buf b;
	pd_buf_init(&b, cap);
	assert_int_equal(pd_buf_puts(&b, "--" B "\r\n"
					 "Content-Disposition: form-data; name=\"judul\"\r\n"
					 "\r\n"
					 "Jalan rusak di Desa Sukamaju\r\n"
					 "--" B "\r\n"
					 "content-disposition: FORM-DATA; Name=lampiran; filename=\"foto \\\"1\\\".pdf\"\r\n"
					 "Content-Type: application/pdf\r\n"
					 "\r\n"),
			 PD_OK);
	assert_int_equal(pd_buf_append(&b, file_data, FILE_LEN), PD_OK);
	assert_int_equal(pd_buf_puts(&b, "\r\n--" B "\r\n"
					 "Content-Disposition: form-data; name=\"kosong\"\r\n"
					 "\r\n"
					 "\r\n--" B "\r\n"
					 "Content-Disposition: form-data; name=\"catatan\"\r\n"
					 "Content-Type: text/plain; charset=utf-8\r\n"
					 "\r\n"
					 "Tolong segera diperbaiki \xE2\x80\x94 terima kasih.\r\n\r\n"
					 "\r\n--" B "--\r\n"),
			 PD_OK);
	assert_true(b.len <= cap);
	memcpy(out, b.data, b.len);
	size_t len = b.len;
	pd_buf_free(&b);
	return len;
}

static void check_main_body(const struct got *g)
{
	assert_int_equal(g->n, 4);
	assert_false(g->open);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(g->parts[i].index, i);
		assert_true(g->parts[i].ended);
	}
	assert_string_equal(g->parts[0].name, "judul");
	assert_false(g->parts[0].has_filename);
	assert_false(g->parts[0].has_ctype);
	assert_int_equal(g->parts[0].data.len, 28);
	assert_memory_equal(g->parts[0].data.data, "Jalan rusak di Desa Sukamaju", 28);

	assert_string_equal(g->parts[1].name, "lampiran");
	assert_true(g->parts[1].has_filename);
	assert_string_equal(g->parts[1].filename, "foto \"1\".pdf");
	assert_string_equal(g->parts[1].ctype, "application/pdf");
	assert_int_equal(g->parts[1].data.len, FILE_LEN);
	assert_memory_equal(g->parts[1].data.data, file_data, FILE_LEN);

	assert_string_equal(g->parts[2].name, "kosong");
	assert_int_equal(g->parts[2].data.len, 0);

	assert_string_equal(g->parts[3].name, "catatan");
	assert_string_equal(g->parts[3].ctype, "text/plain; charset=utf-8");
	const char *note = "Tolong segera diperbaiki \xE2\x80\x94 terima kasih.\r\n\r\n";
	assert_int_equal(g->parts[3].data.len, strlen(note));
	assert_memory_equal(g->parts[3].data.data, note, strlen(note));
}

static void test_whole(void **state)
{
	char body[2048];
	size_t len = build_body(body, sizeof(body));
	struct got g = {0};
	assert_int_equal(run(body, len, &g), PD_OK);
	check_main_body(&g);
	got_free(&g);
}

static void test_split_everywhere(void **state)
{
	char body[2048];
	size_t len = build_body(body, sizeof(body));
	for (size_t cut = 0; cut <= len; cut++) {
		struct got g = {0};
		assert_int_equal(run_cuts(B, NULL, body, len, &cut, 1, &g), PD_OK);
		check_main_body(&g);
		got_free(&g);
	}
}

static void test_split_twice_everywhere(void **state)
{
	/* Every pair of cuts in a small body with a look-alike, so a boundary split in three
	 * pieces is covered at every position. */
	const char *body = "--" B "\r\nContent-Disposition: form-data; name=f\r\n\r\n"
			   "a\r\n--" B "-\r\n-\r\n--" B "\r\nContent-Disposition: form-data; "
			   "name=g\r\n\r\n\r\n\r\n--" B "--";
	size_t len = strlen(body);
	for (size_t i = 0; i <= len; i++) {
		for (size_t j = i; j <= len; j++) {
			size_t cuts[2] = {i, j};
			struct got g = {0};
			/* "\r\n--B-" inside data is a delimiter followed by junk: invalid. */
			assert_int_equal(run_cuts(B, NULL, body, len, cuts, 2, &g), PD_ERR_INVALID);
			got_free(&g);
		}
	}
	body = "--" B "\r\nContent-Disposition: form-data; name=f\r\n\r\n"
	       "a\r\n-" "-" B "\r\n" "Content-Disposition: form-data; name=g\r\n\r\n"
	       "\r\n-\r\n--\r\r\n--" B "--";
	len = strlen(body);
	for (size_t i = 0; i <= len; i++) {
		for (size_t j = i; j <= len; j++) {
			size_t cuts[2] = {i, j};
			struct got g = {0};
			assert_int_equal(run_cuts(B, NULL, body, len, cuts, 2, &g), PD_OK);
			assert_int_equal(g.n, 2);
			assert_int_equal(g.parts[0].data.len, 1);
			assert_memory_equal(g.parts[0].data.data, "a", 1);
			assert_int_equal(g.parts[1].data.len, 8);
			assert_memory_equal(g.parts[1].data.data, "\r\n-\r\n--\r", 8);
			got_free(&g);
		}
	}
}

static void test_byte_at_a_time(void **state)
{
	char body[2048];
	size_t len = build_body(body, sizeof(body));
	size_t cuts[2048];
	for (size_t i = 0; i < len; i++)
		cuts[i] = i + 1;
	struct got g = {0};
	assert_int_equal(run_cuts(B, NULL, body, len, cuts, len, &g), PD_OK);
	check_main_body(&g);
	/* One byte at a time the binary part cannot come in one piece. */
	assert_true(g.n_data_calls > 4);
	got_free(&g);
}

static void test_large_part_streams(void **state)
{
	/* A 3 MiB part fed in 64 KiB chunks arrives in pieces, never as one buffer. */
	size_t data_len = (size_t)3 << 20;
	const char *head = "--" B "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\n\r\n";
	const char *tail = "\r\n--" B "--\r\n";
	size_t len = strlen(head) + data_len + strlen(tail);
	char *body = malloc(len);
	assert_non_null(body);
	memcpy(body, head, strlen(head));
	for (size_t i = 0; i < data_len; i++)
		body[strlen(head) + i] = (char)(i % 7 == 0 ? '\r' : i % 5 == 0 ? '-' : i % 3 == 0 ? '\n' : i);
	memcpy(body + strlen(head) + data_len, tail, strlen(tail));
	size_t n_cuts = len / 65536;
	size_t *cuts = malloc(n_cuts * sizeof(*cuts));
	assert_non_null(cuts);
	for (size_t i = 0; i < n_cuts; i++)
		cuts[i] = (i + 1) * 65536;
	struct got g = {0};
	assert_int_equal(run_cuts(B, NULL, body, len, cuts, n_cuts, &g), PD_OK);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.parts[0].filename, "x.bin");
	assert_int_equal(g.parts[0].data.len, data_len);
	assert_memory_equal(g.parts[0].data.data, body + strlen(head), data_len);
	assert_true(g.n_data_calls >= n_cuts);
	got_free(&g);
	free(cuts);
	free(body);
}

static void test_framing_variants(void **state)
{
	struct got g = {0};
	/* A preamble, transport padding, a close without CRLF. */
	assert_int_equal(run_s("ignored preamble\r\n--" B "  \t\r\n"
			       "Content-Disposition: form-data; name=a\r\n\r\n1\r\n--" B "--", &g),
			 PD_OK);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.parts[0].name, "a");
	assert_memory_equal(g.parts[0].data.data, "1", 1);
	got_free(&g);
	/* A body opening with CRLF; padding after the closing delimiter. */
	assert_int_equal(run_s("\r\n--" B "\r\nContent-Disposition: form-data; name=a\r\n\r\n"
			       "\r\n--" B "-- \t\r\n", &g),
			 PD_OK);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.parts[0].data.len, 0);
	got_free(&g);
	/* No parts at all. */
	assert_int_equal(run_s("--" B "--\r\n", &g), PD_OK);
	assert_int_equal(g.n, 0);
	got_free(&g);
	/* A boundary that is a suffix of a dash run. */
	const char *dashes = "---\r\nContent-Disposition: form-data; name=a\r\n\r\n--\r\n-----\r\n";
	assert_int_equal(run_cuts("-", NULL, dashes, strlen(dashes), NULL, 0, &g), PD_OK);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.parts[0].data.len, 2);
	assert_memory_equal(g.parts[0].data.data, "--", 2);
	got_free(&g);
}

static void test_disposition_params(void **state)
{
	struct got g = {0};
	assert_int_equal(run_s("--" B "\r\n"
			       "X-Other: whatever\r\n"
			       "Content-Disposition:form-data ;filename = \"C:\\Users\\ani\\KTP scan.jpg\" ; "
			       "name = \"dok\xC3\xA9\"; filename*=UTF-8''x; size=3;\r\n"
			       "CONTENT-TYPE:   image/jpeg  \r\n"
			       "\r\n"
			       "abc\r\n--" B "\r\n"
			       "Content-Disposition: form-data; name=\"berkas\"; filename=\"\"\r\n"
			       "Content-Type: application/octet-stream\r\n\r\n"
			       "\r\n--" B "--\r\n",
			       &g),
			 PD_OK);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.parts[0].name, "dok\xC3\xA9");
	assert_string_equal(g.parts[0].filename, "C:\\Users\\ani\\KTP scan.jpg");
	assert_string_equal(g.parts[0].ctype, "image/jpeg");
	assert_memory_equal(g.parts[0].data.data, "abc", 3);
	assert_string_equal(g.parts[1].name, "berkas");
	assert_true(g.parts[1].has_filename);
	assert_string_equal(g.parts[1].filename, "");
	got_free(&g);
}

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		/* no boundary at all, or not at a line start */
		"hello", "x--" B "\r\nContent-Disposition: form-data; name=a\r\n\r\nv",
		/* junk after the delimiter */
		"--" B "x\r\n", "--" B " x\r\n", "--" B "\rx", "--" B "-x",
		/* headers */
		"--" B "\r\n\r\n\r\n--" B "--",
		"--" B "\r\nContent-Type: text/plain\r\n\r\n\r\n--" B "--",
		"--" B "\r\nContent-Disposition: attachment; name=a\r\n\r\n\r\n--" B "--",
		"--" B "\r\nContent-Disposition: form-data\r\n\r\n\r\n--" B "--",
		"--" B "\r\nContent-Disposition: form-data; filename=a\r\n\r\n\r\n--" B "--",
		"--" B "\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\n\r\n--" B "--",
		"--" B "\r\nContent-Disposition: form-data; name=a\r\nContent-Disposition: form-data; "
		"name=a\r\n\r\n\r\n--" B "--",
		"--" B "\r\nContent-Disposition: form-data; name=\"a\r\n\r\n\r\n--" B "--",
		"--" B "\r\nContent-Disposition: form-data; name=\r\n\r\n\r\n--" B "--",
		"--" B "\r\nContent-Disposition: form-data; name=a b\r\n\r\n\r\n--" B "--",
		"--" B "\r\nContent-Disposition: form-data; =a\r\n\r\n\r\n--" B "--",
		"--" B "\r\nContent-Disposition: form-data; name=\"\xC3\"\r\n\r\n\r\n--" B "--",
		"--" B "\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\n\r\n--" B "--",
		"--" B "\r\nContent-Disposition : form-data; name=a\r\n\r\n\r\n--" B "--",
		"--" B "\r\nContent-Disposition: form-data; name=a\nX: y\r\n\r\n\r\n--" B "--",
		"--" B "\r\nContent-Disposition: form-data; name=a\rX: y\r\n\r\n\r\n--" B "--",
		"--" B "\r\nContent-Disposition: form-data; name=a\x01\r\n\r\n\r\n--" B "--",
		"--" B "\r\nContent-Disposition: form-data; name=a\r\nContent-Type:\r\n\r\n\r\n--" B "--",
		"--" B "\r\nContent-Disposition: form-data; name=a\r\nContent-Type: a\r\nContent-Type: "
		"b\r\n\r\n\r\n--" B "--",
		"--" B "\r\nContent-Disposition: form-data; name=a\r\nContent-Type: t\xC3\xA9\r\n\r\n\r\n--" B
		"--",
		/* data after the end */
		"--" B "--\r\nx", "--" B "--\r\n\r\n", "--" B "--x", "--" B "--\r\r\n",
		"--" B "\r\nContent-Disposition: form-data; name=a\r\n\r\n\r\n--" B "--\r\n--" B "--",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct got g = {0};
		int rc = run_s(bad[i], &g);
		if (rc != PD_ERR_INVALID)
			fail_msg("case %zu: got %d", i, rc);
		got_free(&g);
	}
}

static void test_empty_header_block(void **state)
{
	/* A part with no headers fails as soon as its (empty) header block ends, not later. */
	struct got g = {0};
	struct pd_multipart *mp = pd_multipart_new(B, NULL, &cbs, &g);
	assert_non_null(mp);
	assert_int_equal(pd_multipart_feed(mp, "--" B "\r\n", strlen("--" B "\r\n")), PD_OK);
	assert_int_equal(pd_multipart_feed(mp, "\r", 1), PD_OK);
	assert_int_equal(pd_multipart_feed(mp, "\n", 1), PD_ERR_INVALID);
	assert_int_equal(pd_multipart_feed(mp, "x", 1), PD_ERR_INVALID);
	assert_int_equal(pd_multipart_finish(mp), PD_ERR_INVALID);
	assert_int_equal(g.n, 0);
	pd_multipart_free(mp);
}

static void test_truncated(void **state)
{
	char body[2048];
	size_t len = build_body(body, sizeof(body));
	/* Every proper prefix fails at finish (none holds the closing delimiter). */
	for (size_t n = 0; n < len - 2; n++) {
		struct got g = {0};
		assert_int_equal(run(body, n, &g), PD_ERR_INVALID);
		got_free(&g);
	}
}

static void test_limits(void **state)
{
	struct got g = {0};
	const char *two = "--" B "\r\nContent-Disposition: form-data; name=a\r\n\r\n12345\r\n--" B
			  "\r\nContent-Disposition: form-data; name=b\r\n\r\n123456\r\n--" B "--";
	size_t len = strlen(two);
	struct pd_multipart_limits lim = {.max_parts = 2};
	assert_int_equal(run_cuts(B, &lim, two, len, NULL, 0, &g), PD_OK);
	got_free(&g);
	lim.max_parts = 1;
	assert_int_equal(run_cuts(B, &lim, two, len, NULL, 0, &g), PD_ERR_INVALID);
	assert_int_equal(g.n, 1);
	got_free(&g);

	lim = (struct pd_multipart_limits){.max_part_size = 6};
	assert_int_equal(run_cuts(B, &lim, two, len, NULL, 0, &g), PD_OK);
	got_free(&g);
	lim.max_part_size = 5;
	assert_int_equal(run_cuts(B, &lim, two, len, NULL, 0, &g), PD_ERR_TOO_LARGE);
	got_free(&g);

	lim = (struct pd_multipart_limits){.max_total_size = len};
	assert_int_equal(run_cuts(B, &lim, two, len, NULL, 0, &g), PD_OK);
	got_free(&g);
	lim.max_total_size = len - 1;
	size_t cut = 10;
	assert_int_equal(run_cuts(B, &lim, two, len, &cut, 1, &g), PD_ERR_TOO_LARGE);
	got_free(&g);

	const char *one = "--" B "\r\nContent-Disposition: form-data; name=a\r\n\r\n\r\n--" B "--";
	size_t block = strlen("Content-Disposition: form-data; name=a\r\n\r\n");
	lim = (struct pd_multipart_limits){.max_header_size = block};
	assert_int_equal(run_cuts(B, &lim, one, strlen(one), NULL, 0, &g), PD_OK);
	got_free(&g);
	lim.max_header_size = block - 1;
	assert_int_equal(run_cuts(B, &lim, one, strlen(one), NULL, 0, &g), PD_ERR_TOO_LARGE);
	assert_int_equal(g.n, 0);
	got_free(&g);

	/* Default header limit 8 KiB; an endless header block is cut there. */
	char big[9000];
	int k = snprintf(big, sizeof(big), "--" B "\r\nX: ");
	memset(big + k, 'a', sizeof(big) - (size_t)k);
	assert_int_equal(run(big, sizeof(big), &g), PD_ERR_TOO_LARGE);
	got_free(&g);
	/* A preamble longer than the header limit means the boundary is missing. */
	memset(big, 'p', sizeof(big));
	struct pd_multipart *mp = pd_multipart_new(B, NULL, &cbs, &g);
	assert_non_null(mp);
	assert_int_equal(pd_multipart_feed(mp, big, 8000), PD_OK);
	assert_int_equal(pd_multipart_feed(mp, big, 1000), PD_ERR_INVALID);
	pd_multipart_free(mp);
	got_free(&g);
}

static void test_callback_error(void **state)
{
	char body[2048];
	size_t len = build_body(body, sizeof(body));
	struct got g = {.fail_begin_at = 2};
	assert_int_equal(run(body, len, &g), PD_ERR_FORBIDDEN);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.parts[1].data.len, 0);
	got_free(&g);
}

static void test_new(void **state)
{
	char b70[71], b71[72];
	memset(b70, 'a', 70);
	b70[70] = '\0';
	memset(b71, 'a', 71);
	b71[71] = '\0';
	struct pd_multipart *mp = pd_multipart_new(b70, NULL, NULL, NULL);
	assert_non_null(mp);
	/* No callbacks at all is allowed. */
	assert_int_equal(pd_multipart_feed(mp, "--", 2), PD_OK);
	assert_int_equal(pd_multipart_feed(mp, b70, 70), PD_OK);
	const char *rest = "\r\nContent-Disposition: form-data; name=x\r\n\r\nv\r\n--";
	assert_int_equal(pd_multipart_feed(mp, rest, strlen(rest)), PD_OK);
	assert_int_equal(pd_multipart_finish(mp), PD_ERR_INVALID);
	pd_multipart_free(mp);
	pd_multipart_free(NULL);
	assert_null(pd_multipart_new(b71, NULL, NULL, NULL));
	assert_null(pd_multipart_new("", NULL, NULL, NULL));
	assert_null(pd_multipart_new("ab ", NULL, NULL, NULL));
	assert_null(pd_multipart_new("a\"b", NULL, NULL, NULL));
	assert_null(pd_multipart_new("a\r\nb", NULL, NULL, NULL));
	assert_null(pd_multipart_new(NULL, NULL, NULL, NULL));
	mp = pd_multipart_new("a b'()+_,-./:=?Z9", NULL, NULL, NULL);
	assert_non_null(mp);
	pd_multipart_free(mp);
}

static void test_boundary(void **state)
{
	char out[PD_MULTIPART_BOUNDARY_MAX + 1];
	assert_int_equal(pd_multipart_boundary("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW", out), PD_OK);
	assert_string_equal(out, "----WebKitFormBoundary7MA4YWxkTrZu0gW");
	assert_int_equal(pd_multipart_boundary("Multipart/Form-Data;BOUNDARY=\"a b:c\"", out), PD_OK);
	assert_string_equal(out, "a b:c");
	assert_int_equal(pd_multipart_boundary(" multipart/form-data ; charset=utf-8; boundary=xyz ;", out), PD_OK);
	assert_string_equal(out, "xyz");
	assert_int_equal(pd_multipart_boundary("multipart/form-data; x=\"a;b\\\"c\"; boundary=\"q\"", out), PD_OK);
	assert_string_equal(out, "q");
	char long_param[200];
	snprintf(long_param, sizeof(long_param), "multipart/form-data; note=\"%0100d\"; boundary=k", 0);
	assert_int_equal(pd_multipart_boundary(long_param, out), PD_OK);
	assert_string_equal(out, "k");
	char b70[120];
	snprintf(b70, sizeof(b70), "multipart/form-data; boundary=%070d", 7);
	assert_int_equal(pd_multipart_boundary(b70, out), PD_OK);
	assert_int_equal(strlen(out), 70);

	static const char *const bad[] = {
		NULL, "", "multipart/form-data", "multipart/form-data;", "multipart/mixed; boundary=a",
		"text/plain; boundary=a", "multipart/form-datax; boundary=a",
		"multipart/form-data; boundary=", "multipart/form-data; boundary=\"\"",
		"multipart/form-data; boundary=\"a \"", "multipart/form-data; boundary=a\"b\"",
		"multipart/form-data; boundary=a@b", "multipart/form-data; boundary=\"a",
		"multipart/form-data; boundary=a; boundary=a", "multipart/form-data boundary=a",
		"multipart/form-data; boundary a", "multipart/form-data; x=\"open; boundary=a",
		"multipart/form-data; boundary=" "01234567890123456789012345678901234567890123456789012345678901234567890",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		out[0] = 'x';
		if (pd_multipart_boundary(bad[i], out) != PD_ERR_INVALID)
			fail_msg("case %zu accepted", i);
		assert_string_equal(out, "");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole),
		cmocka_unit_test(test_split_everywhere),
		cmocka_unit_test(test_split_twice_everywhere),
		cmocka_unit_test(test_byte_at_a_time),
		cmocka_unit_test(test_large_part_streams),
		cmocka_unit_test(test_framing_variants),
		cmocka_unit_test(test_disposition_params),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_empty_header_block),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_callback_error),
		cmocka_unit_test(test_new),
		cmocka_unit_test(test_boundary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
