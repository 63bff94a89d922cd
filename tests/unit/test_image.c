/* Unit tests for photo cleaning: orientation, scaling, header limits, corrupt input and the
 * removal of every kind of metadata (checked by scanning bytes and, when present, by exiftool). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <jpeglib.h>
#include <png.h>
#include <zlib.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/image.h"

#define OUT_MAX (64u * 1024 * 1024)

struct blob {
	unsigned char *p;
	size_t n;
};

/* ---- building test inputs -------------------------------------------------------------- */

static void put16le(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put32le(unsigned char *p, uint32_t v)
{
	put16le(p, v & 0xFFFF);
	put16le(p + 2, v >> 16);
}

static void put32be(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void ifd_entry(unsigned char *e, unsigned tag, unsigned type, uint32_t count, uint32_t v)
{
	put16le(e, tag);
	put16le(e + 2, type);
	put32le(e + 4, count);
	put32le(e + 8, v);
}

/* A little-endian TIFF structure: IFD0 with Make, Model, Orientation and a GPS IFD holding a
 * latitude. Returns its length (136 bytes) written at t. */
static size_t make_tiff(unsigned char *t, int orientation)
{
	memset(t, 0, 136);
	memcpy(t, "II*\0", 4);
	put32le(t + 4, 8);
	put16le(t + 8, 4);
	ifd_entry(t + 10, 0x010F, 2, 6, 62);  /* Make -> "Canon" */
	ifd_entry(t + 22, 0x0110, 2, 7, 68);  /* Model -> "EOS 5D" */
	ifd_entry(t + 34, 0x0112, 3, 1, (uint32_t)orientation);
	ifd_entry(t + 46, 0x8825, 4, 1, 76);  /* GPS IFD */
	memcpy(t + 62, "Canon", 6);
	memcpy(t + 68, "EOS 5D", 7);
	put16le(t + 76, 2);
	ifd_entry(t + 78, 0x0001, 2, 2, 'S'); /* GPSLatitudeRef "S" */
	ifd_entry(t + 90, 0x0002, 5, 3, 106); /* GPSLatitude, 3 rationals */
	uint32_t lat[6] = {7, 1, 15, 1, 3000, 100};
	for (int i = 0; i < 6; i++)
		put32le(t + 106 + 4 * i, lat[i]);
	return 136;
}

static bool red_at(int x, int y, int w, int h)
{
	return x < w / 4 && y < h / 2;
}

static const char XMP[] = "http://ns.adobe.com/xap/1.0/\0<?xpacket begin='' "
	"id='W5M0MpCehiHzreSzNTczkc9d'?><x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
	"xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description rdf:about='' "
	"xmlns:dc='http://purl.org/dc/elements/1.1/'><dc:creator><rdf:Seq><rdf:li>Secret Person"
	"</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
	"<?xpacket end='w'?>";

/* A w x h JPEG, red in its top-left eighth and blue elsewhere; with an Exif APP1 carrying
 * orientation when orientation > 0; with XMP, IPTC and a comment when meta. */
static struct blob make_jpeg(int w, int h, int orientation, bool meta)
{
	struct jpeg_compress_struct ci;
	struct jpeg_error_mgr jerr;
	unsigned char *mem = NULL;
	unsigned long len = 0;
	ci.err = jpeg_std_error(&jerr);
	jpeg_create_compress(&ci);
	jpeg_mem_dest(&ci, &mem, &len);
	ci.image_width = (JDIMENSION)w;
	ci.image_height = (JDIMENSION)h;
	ci.input_components = 3;
	ci.in_color_space = JCS_RGB;
	jpeg_set_defaults(&ci);
	jpeg_set_quality(&ci, 90, TRUE);
	jpeg_start_compress(&ci, TRUE);
	if (orientation > 0) {
		unsigned char exif[6 + 136];
		memcpy(exif, "Exif\0\0", 6);
		make_tiff(exif + 6, orientation);
		jpeg_write_marker(&ci, JPEG_APP0 + 1, exif, sizeof(exif));
	}
	if (meta) {
		jpeg_write_marker(&ci, JPEG_APP0 + 1, (const JOCTET *)XMP, sizeof(XMP) - 1);
		static const char caption[] = "secret caption";
		unsigned char app13[64] = "Photoshop 3.0";
		size_t k = 14;
		memcpy(app13 + k, "8BIM\x04\x04\0\0", 8);
		k += 8;
		size_t iptc = 5 + sizeof(caption) - 1;
		put32be(app13 + k, (uint32_t)iptc);
		k += 4;
		memcpy(app13 + k, "\x1C\x02\x78", 3);
		app13[k + 3] = 0;
		app13[k + 4] = (unsigned char)(sizeof(caption) - 1);
		memcpy(app13 + k + 5, caption, sizeof(caption) - 1);
		k += iptc + (iptc & 1);
		jpeg_write_marker(&ci, JPEG_APP0 + 13, app13, (unsigned)k);
		jpeg_write_marker(&ci, JPEG_COM, (const JOCTET *)"secret comment", 14);
	}
	unsigned char *row = malloc((size_t)w * 3);
	assert_non_null(row);
	while (ci.next_scanline < ci.image_height) {
		int y = (int)ci.next_scanline;
		for (int x = 0; x < w; x++) {
			bool red = red_at(x, y, w, h);
			row[x * 3] = red ? 220 : 20;
			row[x * 3 + 1] = (unsigned char)(20 + (x + y) % 16);
			row[x * 3 + 2] = red ? 20 : 220;
		}
		JSAMPROW rp = row;
		jpeg_write_scanlines(&ci, &rp, 1);
	}
	jpeg_finish_compress(&ci);
	jpeg_destroy_compress(&ci);
	free(row);
	return (struct blob){mem, len};
}

struct wmem {
	unsigned char *p;
	size_t n, cap;
};

static void wmem_write(png_structp png, png_bytep data, size_t len)
{
	struct wmem *m = png_get_io_ptr(png);
	if (m->n + len > m->cap) {
		m->cap = (m->n + len) * 2;
		m->p = realloc(m->p, m->cap);
		assert_non_null(m->p);
	}
	memcpy(m->p + m->n, data, len);
	m->n += len;
}

static void wmem_flush(png_structp png)
{
	(void)png;
}

/* A w x h PNG (RGBA when alpha, else RGB), same picture as make_jpeg; with tEXt, iTXt, zTXt,
 * tIME and an eXIf chunk carrying orientation when orientation > 0. */
static struct blob make_png(int w, int h, bool alpha, bool interlace, int orientation)
{
	struct wmem m = {0};
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png_create_info_struct(png);
	assert_non_null(info);
	png_set_write_fn(png, &m, wmem_write, wmem_flush);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
		     alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB,
		     interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	if (orientation > 0) {
		png_text text[3];
		memset(text, 0, sizeof(text));
		text[0].compression = PNG_TEXT_COMPRESSION_NONE;
		text[0].key = (png_charp) "Author";
		text[0].text = (png_charp) "Secret Person";
		text[1].compression = PNG_ITXT_COMPRESSION_NONE;
		text[1].key = (png_charp) "Comment";
		text[1].text = (png_charp) "secret comment";
		text[2].compression = PNG_TEXT_COMPRESSION_zTXt;
		text[2].key = (png_charp) "Title";
		text[2].text = (png_charp) "secret title";
		png_set_text(png, info, text, 3);
		png_time t = {2024, 5, 17, 10, 30, 0};
		png_set_tIME(png, info, &t);
		unsigned char tiff[136];
		make_tiff(tiff, orientation);
		png_set_eXIf_1(png, info, sizeof(tiff), tiff);
	}
	png_write_info(png, info);
	int ch = alpha ? 4 : 3;
	unsigned char *px = malloc((size_t)w * (size_t)h * (size_t)ch);
	png_bytep *rows = malloc(sizeof(*rows) * (size_t)h);
	assert_non_null(px);
	assert_non_null(rows);
	for (int y = 0; y < h; y++) {
		rows[y] = px + (size_t)y * (size_t)w * (size_t)ch;
		for (int x = 0; x < w; x++) {
			unsigned char *p = rows[y] + (size_t)x * (size_t)ch;
			bool red = red_at(x, y, w, h);
			p[0] = red ? 220 : 20;
			p[1] = 20;
			p[2] = red ? 20 : 220;
			if (alpha)
				p[3] = (unsigned char)(x < w / 2 ? 255 : 128);
		}
	}
	png_write_image(png, rows);
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	free(rows);
	free(px);
	return (struct blob){m.p, m.n};
}

/* ---- inspecting outputs ---------------------------------------------------------------- */

/* Walks the markers up to SOS: only JFIF APP0, DQT, SOFn, DHT, DRI and SOS may appear. */
static void assert_clean_jpeg(const struct pd_buf *b)
{
	const unsigned char *p = (const unsigned char *)b->data;
	assert_true(b->len > 4 && p[0] == 0xFF && p[1] == 0xD8);
	size_t off = 2;
	for (;;) {
		assert_true(off + 4 <= b->len);
		assert_int_equal(p[off], 0xFF);
		unsigned m = p[off + 1];
		size_t len = (size_t)p[off + 2] << 8 | p[off + 3];
		if (m == 0xE0)
			assert_memory_equal(p + off + 4, "JFIF\0", 5);
		else if (m != 0xDB && m != 0xC4 && m != 0xDD && m != 0xDA &&
			 !(m >= 0xC0 && m <= 0xC2))
			fail_msg("unexpected marker FF%02X in output", m);
		if (m == 0xDA)
			break;
		off += 2 + len;
	}
	static const char *needles[] = {"Exif", "http://ns.adobe.com", "Photoshop", "8BIM",
					"secret", "Canon", "EOS 5D"};
	for (size_t i = 0; i < sizeof(needles) / sizeof(*needles); i++)
		assert_null(memmem(b->data, b->len, needles[i], strlen(needles[i])));
}

/* Walks the chunks: only IHDR, IDAT and IEND may appear. */
static void assert_clean_png(const struct pd_buf *b)
{
	const unsigned char *p = (const unsigned char *)b->data;
	assert_true(b->len > 8 && memcmp(p, "\x89PNG\r\n\x1A\n", 8) == 0);
	size_t off = 8;
	bool end = false;
	while (!end) {
		assert_true(off + 12 <= b->len);
		size_t len = (size_t)p[off] << 24 | (size_t)p[off + 1] << 16 |
			     (size_t)p[off + 2] << 8 | p[off + 3];
		const char *type = (const char *)p + off + 4;
		if (memcmp(type, "IEND", 4) == 0)
			end = true;
		else if (memcmp(type, "IHDR", 4) != 0 && memcmp(type, "IDAT", 4) != 0)
			fail_msg("unexpected chunk %.4s in output", type);
		off += len + 12;
	}
	assert_int_equal(off, b->len);
	assert_null(memmem(b->data, b->len, "secret", 6));
}

/* Decodes a JPEG to RGB (caller frees). */
static unsigned char *decode_jpeg(const struct pd_buf *b, int *w, int *h)
{
	struct jpeg_decompress_struct ci;
	struct jpeg_error_mgr jerr;
	ci.err = jpeg_std_error(&jerr);
	jpeg_create_decompress(&ci);
	jpeg_mem_src(&ci, (const unsigned char *)b->data, (unsigned long)b->len);
	jpeg_read_header(&ci, TRUE);
	ci.out_color_space = JCS_RGB;
	jpeg_start_decompress(&ci);
	*w = (int)ci.output_width;
	*h = (int)ci.output_height;
	unsigned char *px = malloc((size_t)*w * (size_t)*h * 3);
	assert_non_null(px);
	while (ci.output_scanline < ci.output_height) {
		JSAMPROW rp = px + (size_t)ci.output_scanline * (size_t)*w * 3;
		jpeg_read_scanlines(&ci, &rp, 1);
	}
	jpeg_finish_decompress(&ci);
	jpeg_destroy_decompress(&ci);
	return px;
}

static bool is_red(const unsigned char *px, int w, int x, int y, int ch)
{
	const unsigned char *p = px + ((size_t)y * (size_t)w + (size_t)x) * (size_t)ch;
	return p[0] > 150 && p[2] < 90;
}

static bool is_blue(const unsigned char *px, int w, int x, int y, int ch)
{
	const unsigned char *p = px + ((size_t)y * (size_t)w + (size_t)x) * (size_t)ch;
	return p[2] > 150 && p[0] < 90;
}

static int clean(const struct blob *in, int max_px, struct pd_buf *out, const char **mime,
		 int *w, int *h)
{
	pd_buf_init(out, OUT_MAX);
	return pd_image_clean(in->p, in->n, max_px, out, mime, w, h);
}

/* ---- tests ----------------------------------------------------------------------------- */

static void test_jpeg_orientation_6_and_metadata(void **state)
{
	struct blob in = make_jpeg(64, 32, 6, true);
	struct pd_buf out;
	const char *mime = NULL;
	int w = 0, h = 0;
	assert_int_equal(clean(&in, 2048, &out, &mime, &w, &h), PD_OK);
	assert_string_equal(mime, "image/jpeg");
	assert_int_equal(w, 32);
	assert_int_equal(h, 64);
	assert_clean_jpeg(&out);
	int dw, dh;
	unsigned char *px = decode_jpeg(&out, &dw, &dh);
	assert_int_equal(dw, 32);
	assert_int_equal(dh, 64);
	/* Turned clockwise: the red top-left corner is now top-right. */
	assert_true(is_red(px, dw, 24, 8, 3));
	assert_true(is_blue(px, dw, 8, 8, 3));
	assert_true(is_blue(px, dw, 24, 56, 3));
	free(px);
	pd_buf_free(&out);
	free(in.p);
}

static void test_jpeg_every_orientation(void **state)
{
	/* Where the source pixel (8, 8) of a 64 x 32 picture lands for orientations 1..8. */
	static const int want[9][2] = {
		{0, 0}, {8, 8}, {55, 8}, {55, 23}, {8, 23}, {8, 8}, {23, 8}, {23, 55}, {8, 55}};
	for (int o = 1; o <= 8; o++) {
		struct blob in = make_jpeg(64, 32, o, false);
		struct pd_buf out;
		int w = 0, h = 0;
		assert_int_equal(clean(&in, 2048, &out, NULL, &w, &h), PD_OK);
		assert_int_equal(w, o >= 5 ? 32 : 64);
		assert_int_equal(h, o >= 5 ? 64 : 32);
		int dw, dh;
		unsigned char *px = decode_jpeg(&out, &dw, &dh);
		assert_int_equal(dw, w);
		if (!is_red(px, dw, want[o][0], want[o][1], 3))
			fail_msg("orientation %d: (%d,%d) is not red", o, want[o][0], want[o][1]);
		/* The diagonally opposite corner stays blue. */
		assert_true(is_blue(px, dw, dw - 1 - want[o][0], dh - 1 - want[o][1], 3));
		free(px);
		pd_buf_free(&out);
		free(in.p);
	}
}

static void test_scaling(void **state)
{
	struct pd_buf out;
	int w = 0, h = 0;
	struct blob in = make_jpeg(4000, 3000, 0, false);
	assert_int_equal(clean(&in, 2048, &out, NULL, &w, &h), PD_OK);
	assert_int_equal(w, 2048);
	assert_int_equal(h, 1536);
	int dw, dh;
	unsigned char *px = decode_jpeg(&out, &dw, &dh);
	assert_int_equal(dw, 2048);
	assert_int_equal(dh, 1536);
	assert_true(is_red(px, dw, 100, 100, 3));
	assert_true(is_blue(px, dw, 1500, 1000, 3));
	free(px);
	pd_buf_free(&out);
	free(in.p);

	in = make_jpeg(3000, 4000, 8, false);
	assert_int_equal(clean(&in, 2048, &out, NULL, &w, &h), PD_OK);
	assert_int_equal(w, 2048); /* turned: the longer side becomes the width */
	assert_int_equal(h, 1536);
	pd_buf_free(&out);
	free(in.p);

	in = make_jpeg(100, 50, 0, false); /* never enlarged */
	assert_int_equal(clean(&in, 2048, &out, NULL, &w, &h), PD_OK);
	assert_int_equal(w, 100);
	assert_int_equal(h, 50);
	pd_buf_free(&out);
	free(in.p);

	in = make_png(4000, 100, true, false, 0);
	const char *mime = NULL;
	assert_int_equal(clean(&in, 2048, &out, &mime, &w, &h), PD_OK);
	assert_string_equal(mime, "image/png");
	assert_int_equal(w, 2048);
	assert_int_equal(h, 51);
	assert_clean_png(&out);
	pd_buf_free(&out);
	free(in.p);
}

static void test_huge_headers_refused(void **state)
{
	struct pd_buf out;
	pd_buf_init(&out, OUT_MAX);
	/* A bare SOF0 claiming 60000 x 60000, nothing else. */
	static const unsigned char sof[] = {0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0xEA, 0x60,
					    0xEA, 0x60, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01,
					    0x03, 0x11, 0x01, 0xFF, 0xD9};
	assert_int_equal(pd_image_clean(sof, sizeof(sof), 2048, &out, NULL, NULL, NULL),
			 PD_ERR_TOO_LARGE);
	/* A complete JPEG whose SOF was patched to 60000 x 60000, and to 8000 x 6000 (48 MP). */
	struct blob in = make_jpeg(64, 32, 0, false);
	unsigned char *s = memmem(in.p, in.n, "\xFF\xC0", 2);
	assert_non_null(s);
	memcpy(s + 5, "\xEA\x60\xEA\x60", 4);
	assert_int_equal(pd_image_clean(in.p, in.n, 2048, &out, NULL, NULL, NULL),
			 PD_ERR_TOO_LARGE);
	memcpy(s + 5, "\x17\x70\x1F\x40", 4);
	assert_int_equal(pd_image_clean(in.p, in.n, 2048, &out, NULL, NULL, NULL),
			 PD_ERR_TOO_LARGE);
	free(in.p);
	/* PNG IHDR claiming 60000 x 60000, and 20001 x 1. */
	unsigned char png[33] = "\x89PNG\r\n\x1A\n\0\0\0\x0DIHDR";
	put32be(png + 16, 60000);
	put32be(png + 20, 60000);
	png[24] = 8;
	png[25] = 2;
	put32be(png + 29, (uint32_t)crc32(0, png + 12, 17));
	assert_int_equal(pd_image_clean(png, sizeof(png), 2048, &out, NULL, NULL, NULL),
			 PD_ERR_TOO_LARGE);
	put32be(png + 16, 20001);
	put32be(png + 20, 1);
	assert_int_equal(pd_image_clean(png, sizeof(png), 2048, &out, NULL, NULL, NULL),
			 PD_ERR_TOO_LARGE);
	assert_int_equal(out.len, 0);
	pd_buf_free(&out);
}

static void test_corrupt_input(void **state)
{
	struct pd_buf out;
	pd_buf_init(&out, OUT_MAX);
	assert_int_equal(pd_buf_puts(&out, "kept"), PD_OK);
	static const char *junk[] = {"", "\xFF\xD8\xFF", "\xFF\xD8\xFF\xE0garbage", "GIF89a....",
				     "\x89PNG\r\n\x1A\n", "%PDF-1.7"};
	for (size_t i = 0; i < sizeof(junk) / sizeof(*junk); i++)
		assert_int_equal(pd_image_clean(junk[i], strlen(junk[i]), 2048, &out, NULL, NULL,
						NULL), PD_ERR_INVALID);
	struct blob jpg = make_jpeg(64, 32, 6, true);
	struct blob png = make_png(64, 32, false, false, 6);
	assert_int_equal(pd_image_clean(jpg.p, jpg.n, 0, &out, NULL, NULL, NULL), PD_ERR_INVALID);
	/* Every truncation of the JPEG is refused; a PNG cut inside its image data too. */
	for (size_t n = 0; n < jpg.n - 2; n += 7)
		assert_int_equal(pd_image_clean(jpg.p, n, 2048, &out, NULL, NULL, NULL),
				 PD_ERR_INVALID);
	for (size_t n = 0; n < png.n; n += 5) {
		struct pd_buf scratch;
		pd_buf_init(&scratch, OUT_MAX);
		int rc = pd_image_clean(png.p, n, 2048, &scratch, NULL, NULL, NULL);
		assert_true(rc == PD_OK || rc == PD_ERR_INVALID);
		if (n < png.n / 2)
			assert_int_equal(rc, PD_ERR_INVALID);
		pd_buf_free(&scratch);
	}
	/* A flipped byte in the PNG image data fails its CRC; random bytes after a JPEG's SOI. */
	unsigned char *idat = memmem(png.p, png.n, "IDAT", 4);
	assert_non_null(idat);
	idat[8] ^= 0x55;
	assert_int_equal(pd_image_clean(png.p, png.n, 2048, &out, NULL, NULL, NULL),
			 PD_ERR_INVALID);
	srand(5);
	for (size_t i = 2; i < jpg.n; i++)
		jpg.p[i] = (unsigned char)rand();
	jpg.p[2] = 0xFF;
	assert_int_equal(pd_image_clean(jpg.p, jpg.n, 2048, &out, NULL, NULL, NULL),
			 PD_ERR_INVALID);
	/* Errors leave the output as it was. */
	assert_string_equal(pd_buf_cstr(&out), "kept");
	free(jpg.p);
	free(png.p);
	pd_buf_free(&out);
}

static void test_png_metadata_and_kinds(void **state)
{
	struct blob in = make_png(64, 32, true, false, 6);
	assert_non_null(memmem(in.p, in.n, "eXIf", 4));
	assert_non_null(memmem(in.p, in.n, "iTXt", 4));
	struct pd_buf out;
	int w = 0, h = 0;
	assert_int_equal(clean(&in, 2048, &out, NULL, &w, &h), PD_OK);
	assert_int_equal(w, 32); /* eXIf orientation 6 applied */
	assert_int_equal(h, 64);
	assert_clean_png(&out);
	assert_int_equal((unsigned char)out.data[25], 6); /* RGBA kept */
	png_image img;
	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	assert_true(png_image_begin_read_from_memory(&img, out.data, out.len));
	img.format = PNG_FORMAT_RGBA;
	unsigned char *px = malloc(PNG_IMAGE_SIZE(img));
	assert_non_null(px);
	assert_true(png_image_finish_read(&img, NULL, px, 0, NULL));
	assert_true(is_red(px, 32, 24, 8, 4));
	assert_int_equal(px[(8 * 32 + 24) * 4 + 3], 255);
	assert_int_equal(px[(60 * 32 + 24) * 4 + 3], 128);
	free(px);
	pd_buf_free(&out);
	free(in.p);

	in = make_png(300, 200, false, true, 0); /* interlaced RGB */
	assert_int_equal(clean(&in, 100, &out, NULL, &w, &h), PD_OK);
	assert_int_equal(w, 100);
	assert_int_equal(h, 67);
	assert_int_equal((unsigned char)out.data[25], 2);
	assert_int_equal((unsigned char)out.data[28], 0); /* not interlaced */
	assert_clean_png(&out);
	pd_buf_free(&out);
	free(in.p);
}

/* Runs exiftool -j on the bytes; returns its JSON object (caller decrefs) or NULL. */
static json_t *exiftool(const void *p, size_t n, const char *ext)
{
	char path[64];
	snprintf(path, sizeof(path), "/tmp/pd-test-image-XXXXXX%s", ext);
	int fd = mkstemps(path, (int)strlen(ext));
	assert_true(fd >= 0);
	assert_int_equal(write(fd, p, n), (ssize_t)n);
	close(fd);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "exiftool -j -G1 -a -u '%s' 2>/dev/null", path);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	json_error_t err;
	json_t *arr = json_loadf(f, 0, &err);
	pclose(f);
	unlink(path);
	assert_non_null(arr);
	json_t *obj = json_incref(json_array_get(arr, 0));
	json_decref(arr);
	assert_non_null(obj);
	return obj;
}

static int count_keys(json_t *obj, const char *const *words, bool print)
{
	int n = 0;
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		for (const char *const *w = words; *w; w++)
			if (strstr(key, *w)) {
				if (print)
					print_message("exiftool still finds %s\n", key);
				n++;
			}
	}
	return n;
}

static void test_exiftool_finds_nothing(void **state)
{
	FILE *probe = popen("exiftool -ver 2>/dev/null", "r");
	char ver[32] = "";
	if (!probe || !fgets(ver, sizeof(ver), probe) || ver[0] < '0' || ver[0] > '9') {
		if (probe)
			pclose(probe);
		print_message("SKIPPED: exiftool is not installed (apt install libimage-exiftool-perl)\n");
		skip();
	}
	pclose(probe);
	static const char *const bad[] = {"GPS", "Make", "Model", "XMP", "IPTC", "Orientation",
					  "Comment", "Author", "Title", "Creator", "Caption",
					  "Photoshop", NULL};
	struct blob ins[2] = {make_jpeg(640, 480, 6, true), make_png(64, 32, false, false, 6)};
	const char *ext[2] = {".jpg", ".png"};
	for (int i = 0; i < 2; i++) {
		/* The inputs do carry what must go, as exiftool sees it. */
		json_t *before = exiftool(ins[i].p, ins[i].n, ext[i]);
		static const char *const must[] = {"GPSLatitude", "Make", "Model", "Orientation",
						   NULL};
		static const char *const must_jpeg[] = {"XMP", "IPTC", "Comment", NULL};
		for (const char *const *m = must; *m; m++) {
			const char *const one[] = {*m, NULL};
			assert_true(count_keys(before, one, false) > 0);
		}
		for (const char *const *m = must_jpeg; i == 0 && *m; m++) {
			const char *const one[] = {*m, NULL};
			assert_true(count_keys(before, one, false) > 0);
		}
		static const char *const png_keys[] = {"Author", "Title", "Comment", NULL};
		if (i == 1)
			assert_int_equal(count_keys(before, png_keys, false), 3);
		json_decref(before);
		struct pd_buf out;
		assert_int_equal(clean(&ins[i], 2048, &out, NULL, NULL, NULL), PD_OK);
		json_t *after = exiftool(out.data, out.len, ext[i]);
		assert_int_equal(count_keys(after, bad, true), 0);
		json_decref(after);
		pd_buf_free(&out);
		free(ins[i].p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jpeg_orientation_6_and_metadata),
		cmocka_unit_test(test_jpeg_every_orientation),
		cmocka_unit_test(test_scaling),
		cmocka_unit_test(test_huge_headers_refused),
		cmocka_unit_test(test_corrupt_input),
		cmocka_unit_test(test_png_metadata_and_kinds),
		cmocka_unit_test(test_exiftool_finds_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
