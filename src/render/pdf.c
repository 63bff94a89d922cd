/* PDF rendering with cairo's PDF surface written to memory: toy text with simple line
 * breaking, a QR code from libqrencode drawn as filled squares, and document metadata. */
#include "render/pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <qrencode.h>
#include <string.h>

#include "core/err.h"

#define PAGE_W 595.28 /* A4 in points */
#define PAGE_H 841.89
#define MARGIN 56.0
#define FOOTER_H 30.0
#define LABEL_W 165.0
#define QR_SIZE 110.0
#define QR_TEXT_MAX 1024
#define FONT "DejaVu Sans"

struct page {
	cairo_t *cr;
	double y;       /* baseline of the next line */
	const char *footer;
	int n_pages;
};

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int length)
{
	return pd_buf_append(closure, data, length) == PD_OK ? CAIRO_STATUS_SUCCESS
	                                                     : CAIRO_STATUS_WRITE_ERROR;
}

static void font(cairo_t *cr, double size, int bold)
{
	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
	                       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
}

static void draw_footer(struct page *pg)
{
	if (!pg->footer || !*pg->footer)
		return;
	cairo_save(pg->cr);
	font(pg->cr, 7.5, 0);
	cairo_set_source_rgb(pg->cr, 0.3, 0.3, 0.3);
	cairo_move_to(pg->cr, MARGIN, PAGE_H - MARGIN + 14);
	cairo_show_text(pg->cr, pg->footer);
	cairo_restore(pg->cr);
}

/* Makes room for h points below the current line, starting a new page when needed. */
static void need(struct page *pg, double h)
{
	if (pg->y + h <= PAGE_H - MARGIN - FOOTER_H + 14)
		return;
	draw_footer(pg);
	cairo_show_page(pg->cr);
	pg->n_pages++;
	pg->y = MARGIN + 12;
}

static size_t utf8_next(const char *s, size_t i, size_t n)
{
	i++;
	while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
		i++;
	return i;
}

static double width_of(cairo_t *cr, const char *s, size_t n)
{
	char tmp[1024];
	if (n >= sizeof tmp)
		n = sizeof tmp - 1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	cairo_text_extents_t ext;
	cairo_text_extents(cr, tmp, &ext);
	return ext.x_advance;
}

static void show_n(cairo_t *cr, double x, double y, const char *s, size_t n)
{
	char tmp[1024];
	if (n >= sizeof tmp)
		n = sizeof tmp - 1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	cairo_move_to(cr, x, y);
	cairo_show_text(cr, tmp);
}

/* Length of the longest prefix of s[0..n) that fits in width: up to the last space that
 * fits, else (one long word) as many characters as fit, at least one character. */
static size_t fit(cairo_t *cr, const char *s, size_t n, double width)
{
	size_t best_space = 0, i = 0, last_fit = 0;
	while (i < n) {
		size_t j = utf8_next(s, i, n);
		if (j > 1000 || width_of(cr, s, j) > width)
			break;
		last_fit = j;
		if (j < n && s[j] == ' ')
			best_space = j;
		i = j;
	}
	if (last_fit == n)
		return n;
	if (best_space > 0)
		return best_space;
	return last_fit > 0 ? last_fit : utf8_next(s, 0, n);
}

/* Draws text wrapped to width at x; returns the number of lines drawn. Hard breaks at '\n'. */
static int wrapped(struct page *pg, const char *text, double x, double width, double lead,
                   int dry_run)
{
	int lines = 0;
	const char *p = text ? text : "";
	do {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		size_t off = 0;
		if (n == 0) {
			if (!dry_run) {
				need(pg, lead);
				pg->y += lead;
			}
			lines++;
		}
		while (off < n) {
			size_t k = fit(pg->cr, p + off, n - off, width);
			if (!dry_run) {
				need(pg, lead);
				show_n(pg->cr, x, pg->y, p + off, k);
				pg->y += lead;
			}
			lines++;
			off += k;
			while (off < n && p[off] == ' ')
				off++;
		}
		p = nl ? nl + 1 : NULL;
	} while (p);
	return lines;
}

static int draw_qr(struct page *pg, const char *url, const char *caption)
{
	if (strlen(url) > QR_TEXT_MAX)
		return PD_ERR_INVALID;
	QRcode *qr = QRcode_encodeString8bit(url, 0, QR_ECLEVEL_M);
	if (!qr)
		return PD_ERR_INVALID;
	need(pg, QR_SIZE + 12);
	double top = pg->y, mod = QR_SIZE / (qr->width + 8), x0 = MARGIN + 4 * mod,
	       y0 = top + 4 * mod;
	cairo_set_source_rgb(pg->cr, 0, 0, 0);
	for (int y = 0; y < qr->width; y++)
		for (int x = 0; x < qr->width; x++)
			if (qr->data[y * qr->width + x] & 1)
				cairo_rectangle(pg->cr, x0 + x * mod, y0 + y * mod, mod, mod);
	cairo_fill(pg->cr);
	QRcode_free(qr);
	if (caption && *caption) {
		double save = pg->y;
		pg->y = top + 20;
		font(pg->cr, 9, 0);
		wrapped(pg, caption, MARGIN + QR_SIZE + 12, PAGE_W - 2 * MARGIN - QR_SIZE - 12, 13, 0);
		pg->y = save;
	}
	pg->y = top + QR_SIZE + 12;
	return PD_OK;
}

int pd_pdf_render(const struct pd_pdf_spec *spec, struct pd_buf *out)
{
	if (!spec || !out || spec->n_rows < 0 || spec->n_paragraphs < 0 ||
	    (spec->n_rows && !spec->rows) || (spec->n_paragraphs && !spec->paragraphs))
		return PD_ERR_INVALID;
	size_t start = out->len;
	int rc = PD_ERR_IO;
	cairo_surface_t *sf = cairo_pdf_surface_create_for_stream(write_out, out, PAGE_W, PAGE_H);
	if (cairo_surface_status(sf) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(sf);
		return PD_ERR_IO;
	}
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR, "Pendopo");
	if (spec->title)
		cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, spec->title);
	if (spec->keywords)
		cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_KEYWORDS, spec->keywords);
	cairo_t *cr = cairo_create(sf);
	struct page pg = {.cr = cr, .y = MARGIN + 12, .footer = spec->footer, .n_pages = 1};
	double text_w = PAGE_W - 2 * MARGIN;
	cairo_set_source_rgb(cr, 0, 0, 0);

	if (spec->title) {
		font(cr, 18, 1);
		pg.y += 6;
		wrapped(&pg, spec->title, MARGIN, text_w, 24, 0);
	}
	if (spec->subtitle) {
		font(cr, 11, 0);
		wrapped(&pg, spec->subtitle, MARGIN, text_w, 16, 0);
	}
	if (spec->title || spec->subtitle) {
		cairo_set_line_width(cr, 0.8);
		cairo_move_to(cr, MARGIN, pg.y - 6);
		cairo_line_to(cr, PAGE_W - MARGIN, pg.y - 6);
		cairo_stroke(cr);
		pg.y += 14;
	}
	for (int i = 0; i < spec->n_rows; i++) {
		const struct pd_pdf_row *r = &spec->rows[i];
		font(cr, 10, 0);
		int n_value = wrapped(&pg, r->value, 0, text_w - LABEL_W, 14, 1);
		font(cr, 10, 1);
		int n_label = wrapped(&pg, r->label, 0, LABEL_W - 10, 14, 1);
		int n = n_value > n_label ? n_value : n_label;
		if (n < 8)
			need(&pg, 14.0 * n); /* keep a short row on one page */
		double top = pg.y;
		wrapped(&pg, r->label, MARGIN, LABEL_W - 10, 14, 0);
		double after_label = pg.y;
		pg.y = top;
		font(cr, 10, 0);
		wrapped(&pg, r->value, MARGIN + LABEL_W, text_w - LABEL_W, 14, 0);
		if (after_label > pg.y && pg.y >= top)
			pg.y = after_label;
		pg.y += 4;
	}
	if (spec->n_rows)
		pg.y += 10;
	font(cr, 10, 0);
	for (int i = 0; i < spec->n_paragraphs; i++) {
		wrapped(&pg, spec->paragraphs[i], MARGIN, text_w, 14, 0);
		pg.y += 8;
	}
	if (spec->qr_url) {
		pg.y += 6;
		rc = draw_qr(&pg, spec->qr_url, spec->qr_caption);
		if (rc != PD_OK)
			goto out;
	}
	draw_footer(&pg);
	cairo_show_page(cr);
	rc = PD_OK;
out:
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS && rc == PD_OK)
		rc = PD_ERR_IO;
	cairo_destroy(cr);
	cairo_surface_finish(sf);
	if (cairo_surface_status(sf) != CAIRO_STATUS_SUCCESS && rc == PD_OK)
		rc = out->len >= out->max ? PD_ERR_TOO_LARGE : PD_ERR_IO;
	cairo_surface_destroy(sf);
	if (rc != PD_OK) {
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
	}
	return rc;
}
