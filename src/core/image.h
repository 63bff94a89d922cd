/* Cleans an uploaded photo: decodes a JPEG or PNG, applies its orientation, scales it down and
 * re-encodes it without any metadata (GPS, camera, XMP, IPTC, comments, PNG text chunks). */
#ifndef PD_CORE_IMAGE_H
#define PD_CORE_IMAGE_H

#include <stddef.h>

#include "core/buf.h"

/* Limits on the dimensions declared in a file's header, checked before anything is decoded. */
#define PD_IMAGE_MAX_SIDE 20000
#define PD_IMAGE_MAX_PIXELS (40L * 1000 * 1000)

/* Default longest side of a cleaned photo. */
#define PD_IMAGE_DEFAULT_MAX_PX 2048

/* Cleans the n bytes at in, which must be a JPEG or a PNG recognised by content (never by
 * name). The dimensions are read from the header first; more than PD_IMAGE_MAX_SIDE on either
 * side or more than PD_IMAGE_MAX_PIXELS in all is refused before decoding. The image is decoded,
 * turned by its EXIF Orientation (JPEG), scaled so its longer side is at most max_px (1..20000;
 * never enlarged) and re-encoded: a JPEG as a baseline JPEG of quality 85 with only the JFIF
 * APP0 marker, a PNG as an 8-bit RGB or RGBA (when it has alpha) PNG with no ancillary chunks.
 * The result is appended to out (the caller initialises it and frees it; out->max must allow
 * it, else PD_ERR_TOO_LARGE). On success *mime_out (may be NULL) is the static "image/jpeg" or
 * "image/png" and *w_out / *h_out (may be NULL) are the output dimensions.
 * Returns PD_OK; PD_ERR_INVALID for anything else, a corrupt or truncated file, or a bad
 * max_px; PD_ERR_TOO_LARGE for dimensions over the limits; PD_ERR_NOMEM. On error out is left
 * as it was (its length restored) and the outputs are untouched. Thread-safe. */
int pd_image_clean(const void *in, size_t n, int max_px, struct pd_buf *out,
		   const char **mime_out, int *w_out, int *h_out);

#endif
