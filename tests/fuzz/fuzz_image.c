/* Fuzz target: photo cleaning; any input is refused with a known error or cleaned into an image
 * of the same kind, within the size asked for, that cleans again to the same size. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/image.h"

#define FUZZ_MAX_PX 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1024 * 1024)
		return 0;
	struct pd_buf out, again;
	pd_buf_init(&out, 16 * 1024 * 1024);
	pd_buf_init(&again, 16 * 1024 * 1024);
	const char *mime = NULL, *mime2 = NULL;
	int w = 0, h = 0, w2 = 0, h2 = 0;
	int rc = pd_image_clean(data, size, FUZZ_MAX_PX, &out, &mime, &w, &h);
	if (rc != PD_OK) {
		if (rc != PD_ERR_INVALID && rc != PD_ERR_TOO_LARGE && rc != PD_ERR_NOMEM)
			abort();
		if (out.len != 0 || mime || w || h)
			abort();
		goto out;
	}
	if (!mime || w < 1 || h < 1 || w > FUZZ_MAX_PX || h > FUZZ_MAX_PX || out.len == 0)
		abort();
	if (strcmp(mime, size > 0 && data[0] == 0xFF ? "image/jpeg" : "image/png") != 0)
		abort();
	if (pd_image_clean(out.data, out.len, FUZZ_MAX_PX, &again, &mime2, &w2, &h2) != PD_OK ||
	    strcmp(mime, mime2) != 0 || w2 != w || h2 != h)
		abort();
out:
	pd_buf_free(&out);
	pd_buf_free(&again);
	return 0;
}
