/* Fuzz target: parses the input as a template (beside two fixed partials) and renders it
 * against a fixed context in both languages with a bounded output. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "render/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_t *ctx;
	if (!ctx) {
		/* Built once and only read afterwards, like a request's context. */
		ctx = json_loads("{\"name\": \"<x>&'\\\"\", \"n\": 3, \"r\": 1.5, \"t\": true, "
		                 "\"f\": false, \"z\": null, \"s\": \"\", \"zero\": 0, "
		                 "\"u\": \"javascript:alert(1)\", \"rel\": \"/a?b=c d\", "
		                 "\"items\": [1, \"a\", {\"name\": \"in\", \"items\": [[], {}]}], "
		                 "\"o\": {\"a\": {\"b\": \"c\"}, \"name\": \"o\"}, \"e\": [], \"eo\": {}}",
		                 0, NULL);
		json_object_set_new(ctx, "h", pd_tpl_html("<b>trusted</b>"));
	}
	static const char partial_p[] = "<b>{{name}}</b>{{#items}}[{{.}}]{{/items}}";
	static const char partial_q[] = "<i>{{> p}}</i>";
	struct pd_tpl_source src[] = {
		{"fuzz", NULL, (const char *)data, size},
		{"p", NULL, partial_p, sizeof partial_p - 1},
		{"q", NULL, partial_q, sizeof partial_q - 1},
	};
	char err[256];
	struct pd_tpl_set *set = pd_tpl_set_load_strings(src, 3, err, sizeof err);
	if (!set)
		return 0;
	struct pd_buf out;
	pd_buf_init(&out, 1 << 20);
	(void)pd_tpl_render(set, "fuzz", ctx, "id", &out);
	pd_buf_reset(&out);
	(void)pd_tpl_render(set, "fuzz", ctx, "en", &out);
	pd_buf_free(&out);
	pd_tpl_set_free(set);
	return 0;
}
