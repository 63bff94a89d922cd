/* QR codes as inline SVG: libqrencode's modules, each row's dark runs as path segments. */
#include "render/qr_svg.h"

#include <qrencode.h>
#include <string.h>

#include "core/buf.h"
#include "render/escape.h"

#define QUIET 4
#define TEXT_MAX 1024

char *pd_qr_svg(struct pd_arena *a, const char *text, const char *label, int size_px)
{
	if (!text || strlen(text) > TEXT_MAX || size_px <= 0)
		return NULL;
	QRcode *qr = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	if (!qr)
		return NULL;
	int w = qr->width, full = qr->width + 2 * QUIET;
	struct pd_buf b;
	pd_buf_init(&b, 1 << 20);
	pd_buf_printf(&b,
	              "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" viewBox=\"0 0 %d %d\" "
	              "width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\" role=\"img\" "
	              "aria-label=\"",
	              full, full, size_px, size_px);
	pd_html_escape(&b, label ? label : "", label ? strlen(label) : 0);
	pd_buf_printf(&b, "\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
	              full, full);
	for (int y = 0; y < w; y++) {
		for (int x = 0; x < w;) {
			if (!(qr->data[y * w + x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < w && (qr->data[y * w + x + run] & 1))
				run++;
			pd_buf_printf(&b, "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET, run, run);
			x += run;
		}
	}
	QRcode_free(qr);
	pd_buf_puts(&b, "\"/></svg>");
	char *out = pd_arena_strndup(a, pd_buf_cstr(&b), b.len);
	pd_buf_free(&b);
	return out;
}
