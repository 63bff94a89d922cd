/* QR codes (libqrencode) drawn as SVG markup by the program, for pages that show a link or
 * key to scan, such as the otpauth:// URI of TOTP enrolment; no script and no image file. */
#ifndef PD_RENDER_QR_SVG_H
#define PD_RENDER_QR_SVG_H

#include "core/arena.h"

/* Encodes text (at most 1024 bytes, 8-bit mode, error correction level M) and returns an
 * <svg role="img" aria-label="LABEL"> element with a 4-module quiet zone, dark modules as one
 * path of horizontal runs, size_px wide and high. label is HTML-escaped. Arena-owned, trusted
 * markup for pd_tpl_html; NULL when text is too long or cannot be encoded. */
char *pd_qr_svg(struct pd_arena *a, const char *text, const char *label, int size_px);

#endif
