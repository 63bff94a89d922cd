/* Fuzz target: JSON bodies through jansson as the server loads them (duplicate keys refused,
 * size and depth bounded); whatever loads must dump and load again to an equal value. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define MAX_SIZE (64 * 1024)
#define MAX_DEPTH 64
#define LOAD_FLAGS (JSON_REJECT_DUPLICATES | JSON_DECODE_ANY)
#define DUMP_FLAGS (JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS)

/* Deepest nesting of arrays and objects outside strings (a bound checked before parsing). */
static size_t nesting_depth(const uint8_t *d, size_t n)
{
	size_t depth = 0, max = 0;
	int in_string = 0;
	for (size_t i = 0; i < n; i++) {
		if (in_string) {
			if (d[i] == '\\')
				i++;
			else if (d[i] == '"')
				in_string = 0;
		} else if (d[i] == '"') {
			in_string = 1;
		} else if (d[i] == '[' || d[i] == '{') {
			if (++depth > max)
				max = depth;
		} else if ((d[i] == ']' || d[i] == '}') && depth > 0) {
			depth--;
		}
	}
	return max;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_SIZE || nesting_depth(data, size) > MAX_DEPTH)
		return 0;
	json_error_t err;
	json_t *j = json_loadb((const char *)data, size, LOAD_FLAGS, &err);
	if (!j)
		return 0;
	char *text = json_dumps(j, DUMP_FLAGS);
	if (!text)
		abort();
	json_t *again = json_loads(text, LOAD_FLAGS, &err);
	if (!again || !json_equal(j, again))
		abort();
	char *text2 = json_dumps(again, DUMP_FLAGS);
	if (!text2 || strcmp(text, text2) != 0)
		abort();
	free(text2);
	json_decref(again);
	free(text);
	json_decref(j);
	return 0;
}
