/* Photo cleaning: JPEG (libjpeg-turbo) and PNG (libpng) decoded row by row into a box-filter
 * scaler, turned by the EXIF orientation and re-encoded without metadata. */
#include "core/image.h"

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>
#include <png.h>

#include "core/err.h"
#include "core/sniff.h"

#define JPEG_QUALITY 85
#define JPEG_MAX_SCANS 100                  /* progressive files with more scans are refused */
#define JPEG_MAX_MEMORY (256L * 1024 * 1024) /* libjpeg's own working memory */
#define PNG_MAX_CHUNK (8L * 1024 * 1024)

/* ---- checks on declared dimensions ---------------------------------------------------- */

static int check_dims(unsigned long w, unsigned long h)
{
	if (w == 0 || h == 0)
		return PD_ERR_INVALID;
	if (w > PD_IMAGE_MAX_SIDE || h > PD_IMAGE_MAX_SIDE ||
	    (unsigned long long)w * h > (unsigned long long)PD_IMAGE_MAX_PIXELS)
		return PD_ERR_TOO_LARGE;
	return PD_OK;
}

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Walks the JPEG markers up to the first SOFn and checks its dimensions, so a file that
 * declares a huge image is refused even when the rest of its header is missing. Returns PD_OK
 * also when no SOF is found (libjpeg then decides). */
static int jpeg_prescan(const unsigned char *p, size_t n)
{
	size_t off = 2;
	while (off + 4 <= n) {
		if (p[off] != 0xFF)
			return PD_OK;
		while (off < n && p[off] == 0xFF)
			off++;
		if (off >= n)
			return PD_OK;
		unsigned m = p[off++];
		if (m == 0x01 || (m >= 0xD0 && m <= 0xD7))
			continue;
		if (m == 0xD9 || m == 0xDA || off + 2 > n)
			return PD_OK;
		unsigned len = be16(p + off);
		if (len < 2)
			return PD_OK;
		if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
			if (len < 7 || off + 7 > n)
				return PD_OK;
			unsigned h = be16(p + off + 3), w = be16(p + off + 5);
			int rc = check_dims(w, h);
			return rc == PD_ERR_TOO_LARGE ? rc : PD_OK;
		}
		off += len;
	}
	return PD_OK;
}

/* ---- EXIF orientation ------------------------------------------------------------------ */

/* Reads tag 0x0112 from IFD0 of a TIFF structure (the body of an Exif APP1 after "Exif\0\0",
 * or of a PNG eXIf chunk). Returns 1..8, or 1 when absent or malformed. */
static int exif_orientation(const unsigned char *t, size_t n)
{
	if (n < 8)
		return 1;
	bool le;
	if (t[0] == 'I' && t[1] == 'I')
		le = true;
	else if (t[0] == 'M' && t[1] == 'M')
		le = false;
	else
		return 1;
#define U16(p) (le ? (unsigned)(p)[0] | (unsigned)(p)[1] << 8 : be16(p))
#define U32(p) (le ? (uint32_t)(p)[0] | (uint32_t)(p)[1] << 8 | (uint32_t)(p)[2] << 16 | \
			     (uint32_t)(p)[3] << 24 : be32(p))
	if (U16(t + 2) != 42)
		return 1;
	uint32_t ifd = U32(t + 4);
	if (ifd < 8 || ifd > n - 2)
		return 1;
	unsigned count = U16(t + ifd);
	size_t pos = (size_t)ifd + 2;
	for (unsigned i = 0; i < count && pos + 12 <= n; i++, pos += 12) {
		const unsigned char *e = t + pos;
		if (U16(e) != 0x0112)
			continue;
		if (U16(e + 2) != 3 || U32(e + 4) != 1) /* SHORT, one value, inline */
			return 1;
		unsigned v = U16(e + 8);
		return v >= 1 && v <= 8 ? (int)v : 1;
	}
	return 1;
#undef U16
#undef U32
}

/* ---- streaming box-filter scaler ------------------------------------------------------- */

struct scaler {
	int sw, sh, dw, dh, ch;   /* source and destination size; 3 (RGB) or 4 (RGBA) channels */
	int *xmap;                /* sw entries: destination column of each source column */
	unsigned *xcount;         /* dw entries: source columns per destination column */
	uint64_t *acc;            /* dw * ch sums for the destination row being built */
	unsigned char *dst;       /* dw * dh * ch; owned */
	int y_in, oy, rows;       /* source rows fed, destination row, source rows in acc */
};

static void target_size(int w, int h, int max_px, int *dw, int *dh)
{
	if (w <= max_px && h <= max_px) {
		*dw = w;
		*dh = h;
	} else if (w >= h) {
		*dw = max_px;
		*dh = (int)(((int64_t)h * max_px + w / 2) / w);
	} else {
		*dh = max_px;
		*dw = (int)(((int64_t)w * max_px + h / 2) / h);
	}
	if (*dw < 1)
		*dw = 1;
	if (*dh < 1)
		*dh = 1;
}

static int scaler_init(struct scaler *s, int sw, int sh, int ch, int max_px)
{
	s->sw = sw;
	s->sh = sh;
	s->ch = ch;
	target_size(sw, sh, max_px, &s->dw, &s->dh);
	s->xmap = malloc((size_t)sw * sizeof(*s->xmap));
	s->xcount = calloc((size_t)s->dw, sizeof(*s->xcount));
	s->acc = calloc((size_t)s->dw * (size_t)ch, sizeof(*s->acc));
	s->dst = malloc((size_t)s->dw * (size_t)s->dh * (size_t)ch);
	if (!s->xmap || !s->xcount || !s->acc || !s->dst)
		return PD_ERR_NOMEM;
	for (int x = 0; x < sw; x++) {
		s->xmap[x] = (int)((int64_t)x * s->dw / sw);
		s->xcount[s->xmap[x]]++;
	}
	s->y_in = s->oy = s->rows = 0;
	return PD_OK;
}

static void scaler_flush(struct scaler *s)
{
	unsigned char *out = s->dst + (size_t)s->oy * (size_t)s->dw * (size_t)s->ch;
	for (int ox = 0; ox < s->dw; ox++) {
		uint64_t *a = s->acc + (size_t)ox * (size_t)s->ch;
		unsigned char *o = out + (size_t)ox * (size_t)s->ch;
		uint64_t cnt = (uint64_t)s->xcount[ox] * (uint64_t)s->rows;
		if (s->ch == 3) {
			for (int c = 0; c < 3; c++)
				o[c] = (unsigned char)((a[c] + cnt / 2) / cnt);
		} else { /* colour sums are weighted by alpha, so transparent pixels do not bleed */
			uint64_t asum = a[3];
			for (int c = 0; c < 3; c++)
				o[c] = asum ? (unsigned char)((a[c] + asum / 2) / asum) : 0;
			o[3] = (unsigned char)((asum + cnt / 2) / cnt);
		}
		memset(a, 0, (size_t)s->ch * sizeof(*a));
	}
	s->rows = 0;
}

static void scaler_row(struct scaler *s, const unsigned char *row)
{
	int oy = (int)((int64_t)s->y_in * s->dh / s->sh);
	if (oy != s->oy && s->rows > 0)
		scaler_flush(s);
	s->oy = oy;
	if (s->ch == 3) {
		for (int x = 0; x < s->sw; x++) {
			uint64_t *a = s->acc + (size_t)s->xmap[x] * 3;
			const unsigned char *p = row + (size_t)x * 3;
			a[0] += p[0];
			a[1] += p[1];
			a[2] += p[2];
		}
	} else {
		for (int x = 0; x < s->sw; x++) {
			uint64_t *a = s->acc + (size_t)s->xmap[x] * 4;
			const unsigned char *p = row + (size_t)x * 4;
			a[0] += (uint64_t)p[0] * p[3];
			a[1] += (uint64_t)p[1] * p[3];
			a[2] += (uint64_t)p[2] * p[3];
			a[3] += p[3];
		}
	}
	s->rows++;
	if (++s->y_in == s->sh)
		scaler_flush(s);
}

static void scaler_free(struct scaler *s)
{
	free(s->xmap);
	free(s->xcount);
	free(s->acc);
	free(s->dst);
	memset(s, 0, sizeof(*s));
}

/* Turns the w x h image px by EXIF orientation o into a new buffer (caller frees), setting
 * *ow, *oh. Returns NULL when out of memory. */
static unsigned char *orient(const unsigned char *px, int w, int h, int ch, int o, int *ow,
			     int *oh)
{
	bool swap = o >= 5;
	*ow = swap ? h : w;
	*oh = swap ? w : h;
	unsigned char *d = malloc((size_t)w * (size_t)h * (size_t)ch);
	if (!d)
		return NULL;
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			int dx, dy;
			switch (o) {
			case 2: dx = w - 1 - x; dy = y; break;
			case 3: dx = w - 1 - x; dy = h - 1 - y; break;
			case 4: dx = x; dy = h - 1 - y; break;
			case 5: dx = y; dy = x; break;
			case 6: dx = h - 1 - y; dy = x; break;
			case 7: dx = h - 1 - y; dy = w - 1 - x; break;
			case 8: dx = y; dy = w - 1 - x; break;
			default: dx = x; dy = y; break;
			}
			memcpy(d + ((size_t)dy * (size_t)*ow + (size_t)dx) * (size_t)ch,
			       px + ((size_t)y * (size_t)w + (size_t)x) * (size_t)ch, (size_t)ch);
		}
	}
	return d;
}

/* ---- JPEG ------------------------------------------------------------------------------ */

struct jerr {
	struct jpeg_error_mgr pub;
	jmp_buf jb;
	int code; /* pd_err to return after the jump */
};

static void jerr_exit(j_common_ptr c)
{
	struct jerr *e = (struct jerr *)c->err;
	if (e->code == PD_OK)
		e->code = e->pub.msg_code == JERR_OUT_OF_MEMORY ? PD_ERR_NOMEM : PD_ERR_INVALID;
	longjmp(e->jb, 1);
}

/* Warnings are silent, but a file that ends early is refused rather than padded with grey. */
static void jerr_emit(j_common_ptr c, int level)
{
	struct jerr *e = (struct jerr *)c->err;
	if (level < 0) {
		e->pub.num_warnings++;
		if (e->pub.msg_code == JWRN_JPEG_EOF || e->pub.num_warnings > 1000) {
			e->code = PD_ERR_INVALID;
			longjmp(e->jb, 1);
		}
	}
}

static void jerr_output(j_common_ptr c)
{
	(void)c;
}

static void jerr_setup(struct jerr *e)
{
	jpeg_std_error(&e->pub);
	e->pub.error_exit = jerr_exit;
	e->pub.emit_message = jerr_emit;
	e->pub.output_message = jerr_output;
	e->code = PD_OK;
}

static void jpeg_progress(j_common_ptr c)
{
	if (c->is_decompressor &&
	    ((struct jpeg_decompress_struct *)c)->input_scan_number > JPEG_MAX_SCANS) {
		struct jerr *e = (struct jerr *)c->err;
		e->code = PD_ERR_INVALID;
		longjmp(e->jb, 1);
	}
}

struct jdec {
	struct jpeg_decompress_struct cinfo;
	struct jerr jerr;
	struct jpeg_progress_mgr progress;
	bool created;
	unsigned char *row;
	struct scaler sc;
	int orientation;
};

static int jpeg_find_orientation(struct jpeg_decompress_struct *ci)
{
	for (jpeg_saved_marker_ptr m = ci->marker_list; m; m = m->next)
		if (m->marker == JPEG_APP0 + 1 && m->data_length >= 6 &&
		    memcmp(m->data, "Exif\0\0", 6) == 0)
			return exif_orientation(m->data + 6, m->data_length - 6);
	return 1;
}

/* Decodes into d->sc (the caller cleans up d whatever happens). */
static int jpeg_decode(struct jdec *d, const unsigned char *in, size_t n, int max_px)
{
	struct jpeg_decompress_struct *ci = &d->cinfo;
	ci->err = &d->jerr.pub;
	jerr_setup(&d->jerr);
	if (setjmp(d->jerr.jb))
		return d->jerr.code;
	jpeg_create_decompress(ci);
	d->created = true;
	ci->mem->max_memory_to_use = JPEG_MAX_MEMORY;
	d->progress.progress_monitor = jpeg_progress;
	ci->progress = &d->progress;
	jpeg_mem_src(ci, in, (unsigned long)n);
	jpeg_save_markers(ci, JPEG_APP0 + 1, 0xFFFF);
	if (jpeg_read_header(ci, TRUE) != JPEG_HEADER_OK)
		return PD_ERR_INVALID;
	int rc = check_dims(ci->image_width, ci->image_height);
	if (rc != PD_OK)
		return rc;
	d->orientation = jpeg_find_orientation(ci);

	bool cmyk = ci->jpeg_color_space == JCS_CMYK || ci->jpeg_color_space == JCS_YCCK;
	ci->out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
	unsigned longer = ci->image_width > ci->image_height ? ci->image_width : ci->image_height;
	unsigned denom = 8;
	while (denom > 1 && (longer + denom - 1) / denom < (unsigned)max_px)
		denom /= 2;
	ci->scale_num = 1;
	ci->scale_denom = denom;
	ci->dct_method = JDCT_ISLOW;
	if (!jpeg_start_decompress(ci))
		return PD_ERR_INVALID;
	int comps = ci->output_components;
	if (comps != (cmyk ? 4 : 3) || ci->output_width == 0 || ci->output_height == 0)
		return PD_ERR_INVALID;
	d->row = malloc((size_t)ci->output_width * (size_t)comps);
	if (!d->row)
		return PD_ERR_NOMEM;
	rc = scaler_init(&d->sc, (int)ci->output_width, (int)ci->output_height, 3, max_px);
	if (rc != PD_OK)
		return rc;
	while (ci->output_scanline < ci->output_height) {
		JSAMPROW rp = d->row;
		if (jpeg_read_scanlines(ci, &rp, 1) != 1)
			return PD_ERR_INVALID;
		if (cmyk) { /* naive CMYK to RGB; Adobe files store the values inverted */
			bool inv = ci->saw_Adobe_marker;
			for (size_t x = 0; x < ci->output_width; x++) {
				unsigned char *p = d->row + x * 4;
				unsigned k = inv ? p[3] : 255u - p[3];
				for (int c = 0; c < 3; c++) {
					unsigned v = inv ? p[c] : 255u - p[c];
					d->row[x * 3 + (size_t)c] = (unsigned char)(v * k / 255);
				}
			}
		}
		scaler_row(&d->sc, d->row);
	}
	jpeg_finish_decompress(ci);
	return PD_OK;
}

/* libjpeg destination appending to a pd_buf. */
struct jdest {
	struct jpeg_destination_mgr pub;
	struct pd_buf *out;
	int err;
	unsigned char chunk[8192];
};

static void jdest_init(j_compress_ptr c)
{
	struct jdest *d = (struct jdest *)c->dest;
	d->pub.next_output_byte = d->chunk;
	d->pub.free_in_buffer = sizeof(d->chunk);
}

static boolean jdest_empty(j_compress_ptr c)
{
	struct jdest *d = (struct jdest *)c->dest;
	int rc = pd_buf_append(d->out, d->chunk, sizeof(d->chunk));
	if (rc != PD_OK) {
		struct jerr *e = (struct jerr *)c->err;
		e->code = rc;
		longjmp(e->jb, 1);
	}
	jdest_init(c);
	return TRUE;
}

static void jdest_term(j_compress_ptr c)
{
	struct jdest *d = (struct jdest *)c->dest;
	int rc = pd_buf_append(d->out, d->chunk, sizeof(d->chunk) - d->pub.free_in_buffer);
	if (rc != PD_OK) {
		struct jerr *e = (struct jerr *)c->err;
		e->code = rc;
		longjmp(e->jb, 1);
	}
}

struct jenc {
	struct jpeg_compress_struct cinfo;
	struct jerr jerr;
	struct jdest dest;
	bool created;
};

/* Encodes w x h RGB px as a baseline JPEG with only the JFIF marker (caller destroys e). */
static int jpeg_encode(struct jenc *e, const unsigned char *px, int w, int h, struct pd_buf *out)
{
	struct jpeg_compress_struct *ci = &e->cinfo;
	ci->err = &e->jerr.pub;
	jerr_setup(&e->jerr);
	if (setjmp(e->jerr.jb))
		return e->jerr.code;
	jpeg_create_compress(ci);
	e->created = true;
	e->dest.pub.init_destination = jdest_init;
	e->dest.pub.empty_output_buffer = jdest_empty;
	e->dest.pub.term_destination = jdest_term;
	e->dest.out = out;
	ci->dest = &e->dest.pub;
	ci->image_width = (JDIMENSION)w;
	ci->image_height = (JDIMENSION)h;
	ci->input_components = 3;
	ci->in_color_space = JCS_RGB;
	jpeg_set_defaults(ci);
	jpeg_set_quality(ci, JPEG_QUALITY, TRUE);
	ci->optimize_coding = TRUE;
	ci->write_JFIF_header = TRUE;
	ci->write_Adobe_marker = FALSE;
	jpeg_start_compress(ci, TRUE);
	while (ci->next_scanline < ci->image_height) {
		JSAMPROW rp = (JSAMPROW)(px + (size_t)ci->next_scanline * (size_t)w * 3);
		jpeg_write_scanlines(ci, &rp, 1);
	}
	jpeg_finish_compress(ci);
	return PD_OK;
}

/* ---- PNG ------------------------------------------------------------------------------- */

struct pdec {
	png_structp png;
	png_infop info;
	const unsigned char *in;
	size_t n, off;
	unsigned char *row;    /* one row (non-interlaced) */
	unsigned char *full;   /* the whole image (interlaced) */
	png_bytep *rows;
	struct scaler sc;
};

static void png_err(png_structp png, png_const_charp msg)
{
	(void)msg;
	png_longjmp(png, 1);
}

static void png_warn(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

static void png_read_mem(png_structp png, png_bytep data, size_t len)
{
	struct pdec *d = png_get_io_ptr(png);
	if (len > d->n - d->off)
		png_error(png, "truncated");
	memcpy(data, d->in + d->off, len);
	d->off += len;
}

/* Finds the first eXIf chunk and reads its orientation; 1 when none. */
static int png_find_orientation(const unsigned char *p, size_t n)
{
	size_t off = 8;
	while (off + 12 <= n) {
		uint32_t len = be32(p + off);
		if (len > n - off - 12)
			return 1;
		const unsigned char *type = p + off + 4, *body = p + off + 8;
		if (memcmp(type, "IEND", 4) == 0)
			return 1;
		if (memcmp(type, "eXIf", 4) == 0) {
			if (len >= 6 && memcmp(body, "Exif\0\0", 6) == 0)
				return exif_orientation(body + 6, len - 6);
			return exif_orientation(body, len);
		}
		off += (size_t)len + 12;
	}
	return 1;
}

/* Checks the IHDR dimensions straight from the bytes, before libpng sees the file. */
static int png_prescan(const unsigned char *p, size_t n)
{
	if (n < 33 || be32(p + 8) != 13 || memcmp(p + 12, "IHDR", 4) != 0)
		return PD_ERR_INVALID;
	uint32_t w = be32(p + 16), h = be32(p + 20);
	if (w > 0x7FFFFFFFu || h > 0x7FFFFFFFu)
		return PD_ERR_INVALID;
	return check_dims(w, h);
}

static int png_decode(struct pdec *d, int max_px, int *channels)
{
	static const png_byte ignored[] = "tEXt\0zTXt\0iTXt\0eXIf\0tIME\0iCCP\0sPLT\0";
	d->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, d, png_err, png_warn);
	if (!d->png)
		return PD_ERR_NOMEM;
	d->info = png_create_info_struct(d->png);
	if (!d->info)
		return PD_ERR_NOMEM;
	if (setjmp(png_jmpbuf(d->png)))
		return PD_ERR_INVALID;
	png_set_user_limits(d->png, PD_IMAGE_MAX_SIDE, PD_IMAGE_MAX_SIDE);
	png_set_chunk_cache_max(d->png, 128);
	png_set_chunk_malloc_max(d->png, PNG_MAX_CHUNK);
	png_set_keep_unknown_chunks(d->png, PNG_HANDLE_CHUNK_NEVER, NULL, 0);
	png_set_keep_unknown_chunks(d->png, PNG_HANDLE_CHUNK_NEVER, ignored,
				    (int)(sizeof(ignored) / 5));
	png_set_read_fn(d->png, d, png_read_mem);
	png_read_info(d->png, d->info);
	png_uint_32 w, h;
	int depth, color, interlace;
	png_get_IHDR(d->png, d->info, &w, &h, &depth, &color, &interlace, NULL, NULL);
	int rc = check_dims(w, h);
	if (rc != PD_OK)
		return rc;
	if (color == PNG_COLOR_TYPE_PALETTE)
		png_set_palette_to_rgb(d->png);
	if (color == PNG_COLOR_TYPE_GRAY && depth < 8)
		png_set_expand_gray_1_2_4_to_8(d->png);
	if (png_get_valid(d->png, d->info, PNG_INFO_tRNS))
		png_set_tRNS_to_alpha(d->png);
	if (depth == 16)
		png_set_scale_16(d->png);
	if (color == PNG_COLOR_TYPE_GRAY || color == PNG_COLOR_TYPE_GRAY_ALPHA)
		png_set_gray_to_rgb(d->png);
	int passes = png_set_interlace_handling(d->png);
	png_read_update_info(d->png, d->info);
	int ch = png_get_channels(d->png, d->info);
	size_t rowbytes = png_get_rowbytes(d->png, d->info);
	if ((ch != 3 && ch != 4) || png_get_bit_depth(d->png, d->info) != 8 ||
	    rowbytes != (size_t)w * (size_t)ch)
		return PD_ERR_INVALID;
	*channels = ch;
	rc = scaler_init(&d->sc, (int)w, (int)h, ch, max_px);
	if (rc != PD_OK)
		return rc;
	if (passes == 1) {
		d->row = malloc(rowbytes);
		if (!d->row)
			return PD_ERR_NOMEM;
		for (png_uint_32 y = 0; y < h; y++) {
			png_read_row(d->png, d->row, NULL);
			scaler_row(&d->sc, d->row);
		}
	} else { /* interlaced: every pass touches every row, so the whole image is needed */
		d->full = malloc(rowbytes * h);
		d->rows = malloc(sizeof(*d->rows) * h);
		if (!d->full || !d->rows)
			return PD_ERR_NOMEM;
		for (png_uint_32 y = 0; y < h; y++)
			d->rows[y] = d->full + rowbytes * y;
		png_read_image(d->png, d->rows);
		for (png_uint_32 y = 0; y < h; y++)
			scaler_row(&d->sc, d->rows[y]);
	}
	return PD_OK;
}

static void png_write_mem(png_structp png, png_bytep data, size_t len)
{
	if (pd_buf_append(png_get_io_ptr(png), data, len) != PD_OK)
		png_error(png, "output too large");
}

static void png_flush_mem(png_structp png)
{
	(void)png;
}

struct penc {
	png_structp png;
	png_infop info;
	png_bytep *rows;
};

/* Writes an 8-bit RGB or RGBA PNG with only the critical chunks (caller destroys e). */
static int png_encode(struct penc *e, const unsigned char *px, int w, int h, int ch,
		      struct pd_buf *out)
{
	e->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, e, png_err, png_warn);
	if (!e->png)
		return PD_ERR_NOMEM;
	e->info = png_create_info_struct(e->png);
	e->rows = malloc(sizeof(*e->rows) * (size_t)h);
	if (!e->info || !e->rows)
		return PD_ERR_NOMEM;
	for (int y = 0; y < h; y++)
		e->rows[y] = (png_bytep)(px + (size_t)y * (size_t)w * (size_t)ch);
	if (setjmp(png_jmpbuf(e->png)))
		return out->len >= out->max ? PD_ERR_TOO_LARGE : PD_ERR_INVALID;
	png_set_write_fn(e->png, out, png_write_mem, png_flush_mem);
	png_set_IHDR(e->png, e->info, (png_uint_32)w, (png_uint_32)h, 8,
		     ch == 4 ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_compression_level(e->png, 6);
	png_write_info(e->png, e->info);
	png_write_image(e->png, e->rows);
	png_write_end(e->png, NULL);
	return PD_OK;
}

/* ---- entry point ----------------------------------------------------------------------- */

static int clean_jpeg(const unsigned char *in, size_t n, int max_px, struct pd_buf *out,
		      int *w_out, int *h_out)
{
	unsigned char *turned = NULL;
	int ow = 0, oh = 0;
	struct jdec *d = calloc(1, sizeof(*d));
	struct jenc *e = calloc(1, sizeof(*e));
	int rc = PD_ERR_NOMEM;
	if (!d || !e)
		goto out;
	rc = jpeg_decode(d, in, n, max_px);
	if (d->created)
		jpeg_destroy_decompress(&d->cinfo);
	free(d->row);
	d->row = NULL;
	if (rc != PD_OK)
		goto out;
	turned = orient(d->sc.dst, d->sc.dw, d->sc.dh, 3, d->orientation, &ow, &oh);
	scaler_free(&d->sc);
	rc = PD_ERR_NOMEM;
	if (!turned)
		goto out;
	rc = jpeg_encode(e, turned, ow, oh, out);
	if (e->created)
		jpeg_destroy_compress(&e->cinfo);
	if (rc == PD_OK) {
		*w_out = ow;
		*h_out = oh;
	}
out:
	if (d)
		scaler_free(&d->sc);
	free(d);
	free(e);
	free(turned);
	return rc;
}

static int clean_png(const unsigned char *in, size_t n, int max_px, struct pd_buf *out,
		     int *w_out, int *h_out)
{
	unsigned char *turned = NULL;
	int ow = 0, oh = 0, ch = 3;
	struct pdec *d = calloc(1, sizeof(*d));
	struct penc *e = calloc(1, sizeof(*e));
	int rc = PD_ERR_NOMEM;
	if (!d || !e)
		goto out;
	d->in = in;
	d->n = n;
	rc = png_decode(d, max_px, &ch);
	if (d->png)
		png_destroy_read_struct(&d->png, d->info ? &d->info : NULL, NULL);
	if (rc != PD_OK)
		goto out;
	turned = orient(d->sc.dst, d->sc.dw, d->sc.dh, ch, png_find_orientation(in, n), &ow, &oh);
	scaler_free(&d->sc);
	rc = PD_ERR_NOMEM;
	if (!turned)
		goto out;
	rc = png_encode(e, turned, ow, oh, ch, out);
	if (e->png)
		png_destroy_write_struct(&e->png, e->info ? &e->info : NULL);
	if (rc == PD_OK) {
		*w_out = ow;
		*h_out = oh;
	}
out:
	if (d) {
		free(d->row);
		free(d->full);
		free(d->rows);
		scaler_free(&d->sc);
	}
	if (e)
		free(e->rows);
	free(d);
	free(e);
	free(turned);
	return rc;
}

int pd_image_clean(const void *in, size_t n, int max_px, struct pd_buf *out,
		   const char **mime_out, int *w_out, int *h_out)
{
	if (!in || !out || max_px < 1 || max_px > PD_IMAGE_MAX_SIDE)
		return PD_ERR_INVALID;
	const unsigned char *p = in;
	size_t start = out->len;
	int w = 0, h = 0, rc;
	const char *mime;
	switch (pd_sniff(p, n)) {
	case PD_SNIFF_JPEG:
		mime = "image/jpeg";
		rc = jpeg_prescan(p, n);
		if (rc == PD_OK)
			rc = clean_jpeg(p, n, max_px, out, &w, &h);
		break;
	case PD_SNIFF_PNG:
		mime = "image/png";
		rc = png_prescan(p, n);
		if (rc == PD_OK)
			rc = clean_png(p, n, max_px, out, &w, &h);
		break;
	default:
		return PD_ERR_INVALID;
	}
	if (rc != PD_OK) {
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
		return rc;
	}
	if (mime_out)
		*mime_out = mime;
	if (w_out)
		*w_out = w;
	if (h_out)
		*h_out = h;
	return PD_OK;
}
