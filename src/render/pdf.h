/* A small PDF writer over cairo for receipts and issued documents: one A4 page (more when the
 * text runs long) with a title, a subtitle, labelled rows, free paragraphs, an optional QR code
 * and a footer, written to memory; the Keywords metadata can carry machine-readable data. */
#ifndef PD_RENDER_PDF_H
#define PD_RENDER_PDF_H

#include "core/buf.h"

/* One "label: value" line of the table under the title. Both borrowed; NULL prints "". */
struct pd_pdf_row {
	const char *label, *value;
};

/* What to draw. Every string is UTF-8 and borrowed for the call; NULL members are left out. */
struct pd_pdf_spec {
	const char *title, *subtitle;       /* e.g. document kind; issuing unit */
	const struct pd_pdf_row *rows;      /* n_rows of them */
	int n_rows;
	const char *const *paragraphs;      /* free text under the rows, wrapped to the width */
	int n_paragraphs;
	const char *qr_url;                 /* NULL: no QR code */
	const char *qr_caption;             /* printed beside the QR code */
	const char *keywords;               /* PDF Keywords metadata, NULL for none */
	const char *footer;                 /* small text at the bottom of each page */
};

/* Renders spec as a PDF (A4, DejaVu Sans via cairo's toy text API, lines broken at spaces or,
 * for words longer than the line, between characters) and appends the bytes to out, which
 * the caller owns and frees (its maximum applies: PD_ERR_TOO_LARGE beyond it). Returns PD_OK,
 * PD_ERR_INVALID (spec NULL, a negative count, a QR text that cannot be encoded) or PD_ERR_IO
 * when cairo fails. Thread-safe. */
int pd_pdf_render(const struct pd_pdf_spec *spec, struct pd_buf *out);

#endif
