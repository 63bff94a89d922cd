/* The response cache around a request: which requests may be served from it (anonymous GET or
 * HEAD of a PD_RF_CACHE route, no query, no cookie but the CSRF and language ones), the key,
 * the generation read before the handler reads data, and which answers may be kept. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/clock.h"
#include "core/str.h"
#include "http/internal.h"
#include "http/respcache.h"
#include "http/routes.h"
#include "store/store.h"

/* An entry lives at most this long, and never past the regency's next midnight, so that
 * anything computed from the clock (a date window, "today") is at most this old. */
#define CACHE_TTL_MS (60 * 1000)

static void release_entry(void *p)
{
	pd_rc_entry_unref(p);
}

/* Cookies that do not change a public page: the pre-session CSRF secret (pages holding a token
 * are never stored) and the language (part of the key). Any other cookie, above all a session,
 * and the request is not served from the anonymous cache. */
static bool only_neutral_cookies(const struct pd_req *r)
{
	for (size_t i = 0; i < r->cookies.n; i++) {
		const char *k = r->cookies.items[i].key;
		if (strcmp(k, "pd_csrf") && strcmp(k, "__Host-pd_csrf") && strcmp(k, "lang"))
			return false;
	}
	return true;
}

bool pd_http_cache_lookup(struct pd_conn_state *cs)
{
	struct pd_req *r = &cs->req;
	struct pd_app *app = r->app;
	if (!app->cache || !r->route || !(r->route->flags & PD_RF_CACHE))
		return false;
	if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD"))
		return false;
	if (r->actor || r->session_token || r->query.n || !only_neutral_cookies(r) ||
	    pd_req_header(r, "Authorization"))
		return false;
	/* The key: scheme, language, Host where the answer holds it (Open311 builds absolute
	 * links from it; no page does, so made-up Host headers cannot crowd pages out), then the
	 * decoded path last, so that no byte of it can be mistaken for a separator. */
	const char *host = cs->iface == PD_IF_OPEN311 ? pd_req_header(r, "Host") : NULL;
	if (!host)
		host = "";
	const char *lang = r->lang ? r->lang : "id";
	char *key = pd_arena_printf(r->arena, "%c|%s|%zu:%s|%s", r->https ? 's' : 'h', lang,
	                            strlen(host), host, r->path);
	uint64_t gen;
	if (pd_store_generation(r->store, &gen))
		return false; /* cannot tell whether an entry is current: render */
	cs->cache_key = key;
	cs->cache_key_len = strlen(key);
	cs->cache_gen = gen;
	struct pd_rc_entry *e =
		pd_respcache_get(app->cache, key, cs->cache_key_len, gen, pd_clock_now_ms());
	if (!e) {
		cs->cache_candidate = strcmp(r->method, "GET") == 0;
		return false;
	}
	pd_arena_defer(r->arena, release_entry, e);
	cs->cache_hit = e;
	cs->replied = true;
	cs->status = e->status;
	cs->content_type = e->content_type;
	cs->body_out = NULL;
	cs->body_len = 0;
	return true;
}

/* The earlier of now + CACHE_TTL_MS and the next local midnight. */
static int64_t expiry(const struct pd_app *app, int64_t now)
{
	int64_t off = (int64_t)app->cfg->tz_offset_min * 60000;
	int64_t day = 86400000;
	int64_t local = now + off;
	int64_t midnight = local - ((local % day) + day) % day + day - off;
	int64_t t = now + CACHE_TTL_MS;
	return midnight < t ? midnight : t;
}

static bool cacheable_type(const char *ct)
{
	return ct && (pd_str_starts(ct, "text/html") || pd_str_starts(ct, "application/json") ||
	              pd_str_starts(ct, "application/xml") || pd_str_starts(ct, "text/xml"));
}

struct pd_rc_entry *pd_http_cache_store(struct pd_conn_state *cs, const char *gz, size_t gz_len)
{
	struct pd_req *r = &cs->req;
	struct pd_app *app = r->app;
	if (!cs->cache_candidate || !app->cache || cs->per_request || cs->status != 200 ||
	    !cs->body_out || !cacheable_type(cs->content_type) || r->actor)
		return NULL;
	size_t n = 0;
	for (struct pd_hdr *h = cs->headers; h; h = h->next) {
		if (pd_str_ieq(h->name, "Set-Cookie") || pd_str_ieq(h->name, "ETag") ||
		    pd_str_ieq(h->name, "Vary"))
			return NULL;
		if (pd_str_ieq(h->name, "Cache-Control") &&
		    (strstr(h->value, "no-store") || strstr(h->value, "private")))
			return NULL;
		n++;
	}
	struct pd_rc_header *hs = n ? pd_arena_alloc(r->arena, n * sizeof *hs) : NULL;
	size_t i = 0;
	for (struct pd_hdr *h = cs->headers; h; h = h->next, i++) {
		hs[i].name = (char *)h->name;
		hs[i].value = (char *)h->value;
	}
	struct pd_rc_entry *e = pd_rc_entry_new(
		cs->cache_key, cs->cache_key_len, cs->cache_gen, expiry(app, pd_clock_now_ms()),
		cs->status, cs->content_type, cs->body_out, cs->body_len, gz, gz_len, hs, n);
	if (!e)
		return NULL;
	e->csrf_marked = cs->csrf_marked;
	pd_respcache_put(app->cache, e);
	pd_arena_defer(r->arena, release_entry, e);
	return e;
}

bool pd_http_etag_match(const char *inm, const char *etag)
{
	if (!inm || !etag)
		return false;
	const char *want = pd_str_starts(etag, "W/") ? etag + 2 : etag;
	size_t wn = strlen(want);
	for (const char *p = inm; *p;) {
		p += strspn(p, " \t,");
		size_t n = strcspn(p, ",");
		size_t t = n;
		while (t > 0 && (p[t - 1] == ' ' || p[t - 1] == '\t'))
			t--;
		const char *tag = p;
		if (t == 1 && tag[0] == '*')
			return true;
		if (t >= 2 && tag[0] == 'W' && tag[1] == '/') {
			tag += 2;
			t -= 2;
		}
		if (t == wn && memcmp(tag, want, wn) == 0)
			return true;
		p += n;
	}
	return false;
}

void pd_http_cache_metrics(const struct pd_app *app, struct pd_buf *out)
{
	struct pd_respcache_stats s;
	pd_respcache_stats(app ? app->cache : NULL, &s);
	pd_buf_printf(out,
	              "# HELP pendopo_cache_hits_total Public responses served from the cache.\n"
	              "# TYPE pendopo_cache_hits_total counter\npendopo_cache_hits_total %llu\n"
	              "# TYPE pendopo_cache_misses_total counter\npendopo_cache_misses_total %llu\n"
	              "# TYPE pendopo_cache_evictions_total counter\npendopo_cache_evictions_total %llu\n"
	              "# TYPE pendopo_cache_stores_total counter\npendopo_cache_stores_total %llu\n"
	              "# TYPE pendopo_cache_bytes gauge\npendopo_cache_bytes %llu\n"
	              "# TYPE pendopo_cache_entries gauge\npendopo_cache_entries %llu\n"
	              "# TYPE pendopo_cache_budget_bytes gauge\npendopo_cache_budget_bytes %llu\n",
	              (unsigned long long)s.hits, (unsigned long long)s.misses,
	              (unsigned long long)s.evictions, (unsigned long long)s.stores,
	              (unsigned long long)s.bytes, (unsigned long long)s.entries,
	              (unsigned long long)s.budget);
}
