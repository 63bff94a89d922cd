/* Fuzz target: tracking number input; whatever parses must be a canonical compact number that
 * parses to itself in compact, grouped and lower-case form. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/tracking.h"

static void expect_same(const char *in, const char *compact)
{
	char out[PD_TRACKING_COMPACT_LEN + 1];
	if (pd_tracking_parse(in, out) != PD_OK || strcmp(out, compact) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 256)
		return 0;
	char in[257];
	memcpy(in, data, size);
	in[size] = '\0';
	char out[PD_TRACKING_COMPACT_LEN + 1];
	memset(out, 0x55, sizeof(out));
	int rc = pd_tracking_parse(in, out);
	if (rc != PD_OK) {
		if (rc != PD_ERR_INVALID)
			abort();
		return 0;
	}
	if (strlen(out) != PD_TRACKING_COMPACT_LEN || strchr("PAK", out[0]) == NULL)
		abort();
	for (size_t i = 1; i < PD_TRACKING_COMPACT_LEN; i++)
		if (!strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", out[i]))
			abort();
	if (pd_tracking_check_char(out) != out[PD_TRACKING_COMPACT_LEN - 1])
		abort();
	expect_same(out, out);
	char grouped[PD_TRACKING_GROUPED_LEN + 1];
	pd_tracking_format(out, grouped);
	if (strlen(grouped) != PD_TRACKING_GROUPED_LEN)
		abort();
	expect_same(grouped, out);
	for (char *p = grouped; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	expect_same(grouped, out);
	return 0;
}
