/* Matching a request path against the route table. */
#include <string.h>

#include "http/routes.h"

static int match(struct pd_arena *a, const char *pattern, const char *path, const char **params)
{
	int np = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			if (!pe)
				return 0;
			const char *se = strchr(s, '/');
			size_t n = se ? (size_t)(se - s) : strlen(s);
			if (n == 0 || np >= 4)
				return 0;
			params[np++] = pd_arena_strndup(a, s, n);
			p = pe + 1;
			s += n;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	return *p == '\0' && *s == '\0';
}

const struct pd_route *pd_route_match(struct pd_arena *a, const char *method, const char *path,
                                      const char **params, const struct pd_route **path_route,
                                      char *allow, size_t allow_len)
{
	*path_route = NULL;
	if (allow_len)
		allow[0] = '\0';
	size_t used = 0;
	for (size_t i = 0; i < pd_n_routes; i++) {
		const struct pd_route *r = &pd_routes[i];
		const char *tmp[4] = {0};
		if (!match(a, r->pattern, path, tmp))
			continue;
		bool same = strcmp(r->method, method) == 0 ||
		            (strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0);
		if (same) {
			memcpy(params, tmp, sizeof tmp);
			return r;
		}
		if (!*path_route)
			*path_route = r;
		size_t n = strlen(r->method);
		if (!strstr(allow, r->method) && used + n + 3 < allow_len) {
			if (used) {
				memcpy(allow + used, ", ", 2);
				used += 2;
			}
			memcpy(allow + used, r->method, n);
			used += n;
			allow[used] = '\0';
			if (strcmp(r->method, "GET") == 0 && used + 7 < allow_len) {
				memcpy(allow + used, ", HEAD", 6);
				used += 6;
				allow[used] = '\0';
			}
		}
	}
	return NULL;
}

size_t pd_route_index(const struct pd_route *r)
{
	return (size_t)(r - pd_routes);
}
