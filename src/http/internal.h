/* State of one connection's request, shared by the files of http/ only. */
#ifndef PD_HTTP_INTERNAL_H
#define PD_HTTP_INTERNAL_H

#include <microhttpd.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "core/buf.h"
#include "http/app.h"
#include "http/http.h"
#include "http/multipart.h"
#include "http/respcache.h"

enum body_kind { BODY_NONE, BODY_FORM, BODY_JSON, BODY_MULTIPART, BODY_DISCARD };

struct pd_hdr {
	const char *name, *value;
	struct pd_hdr *next;
};

struct pd_conn_state {
	struct pd_req req;
	const char *raw_uri;    /* as received, %-escapes and query included */
	bool begun;
	int64_t t0;
	enum pd_iface iface;
	int not_found;          /* 404 or 405 when no route matched */
	char allow[64];
	/* receiving */
	enum body_kind body_kind;
	bool unsupported;
	size_t received;
	struct pd_buf body;
	struct pd_multipart *mp;
	struct mp_state {
		struct pd_conn_state *cs;
		struct pd_upload *cur;
		int fd;
		char head[64];
		size_t head_len;
		struct pd_buf field;
		const char *field_name;
		size_t n_fields, cap_fields;
	} mp_state;
	bool early;
	enum pd_ecode early_code;
	const char *early_msg;
	/* deferral */
	bool deferred;
	atomic_bool write_finished;
	/* the reply */
	bool replied, queued;
	int status;
	const char *content_type;
	char *body_out;         /* malloc'd, handed to libmicrohttpd */
	size_t body_len;
	struct pd_hdr *headers;
	bool no_gzip;
	bool cacheable;         /* static asset: no Vary on Cookie */
	/* the response cache (http/respcache_req.c) */
	struct pd_rc_entry *cache_hit; /* served from this entry (the request holds a reference) */
	bool cache_candidate;   /* anonymous GET of a PD_RF_CACHE route: may be stored */
	bool per_request;       /* the body holds something of this request (a CSRF token) */
	bool csrf_marked;       /* the body holds the CSRF stand-in, to be filled when sent */
	uint64_t cache_gen;     /* generation read before the handler read any data */
	const char *cache_key;
	size_t cache_key_len;
	const char *error_code; /* for the log */
};

/* Queues the prepared reply with the security headers (and gzip when accepted). */
enum MHD_Result pd_http_queue(struct pd_conn_state *cs);

/* The response cache around the handler (http/respcache_req.c): serves an anonymous GET of a
 * PD_RF_CACHE route from the cache (true: replied) or marks it a candidate after reading the
 * generation; stores a candidate's answer (an entry the request holds a reference to, or NULL
 * when it may not be kept); appends the cache's counters to /metrics. */
bool pd_http_cache_lookup(struct pd_conn_state *cs);
struct pd_rc_entry *pd_http_cache_store(struct pd_conn_state *cs, const char *gz, size_t gz_len);
void pd_http_cache_metrics(const struct pd_app *app, struct pd_buf *out);
/* True when an If-None-Match header value matches etag (weak comparison, or "*"). */
bool pd_http_etag_match(const char *inm, const char *etag);

/* Writes the request's log line and metrics. */
void pd_http_log_request(struct pd_app *app, struct pd_conn_state *cs,
                         enum MHD_RequestTerminationCode toe);

/* Language of the request (DESIGN §5), and the ?lang= redirect (true when it replied). */
void pd_http_prepare_lang(struct pd_req *r);
bool pd_http_lang_redirect(struct pd_req *r);

/* Pre-session CSRF: the cookie's secret (created when absent) and the check of a form. */
void pd_http_prepare_csrf(struct pd_req *r);
bool pd_http_csrf_ok(struct pd_req *r);

/* The session step (http/session.c): resolves the session cookie into r->actor and binds the
 * CSRF secret to the session; and the sign-in check of PD_RF_AUTH routes (303 to /masuk for
 * pages, 401 for APIs), false when it replied. */
void pd_http_prepare_session(struct pd_req *r);
bool pd_http_auth_or_reply(struct pd_req *r);

/* The client's address (arena-owned text) and whether the request came over HTTPS: the peer,
 * or behind a trusted proxy the right-most X-Forwarded-For hop that is not a trusted proxy and
 * the right-most X-Forwarded-Proto value (http/client_addr.c). */
const char *pd_http_client_ip(struct pd_app *app, struct MHD_Connection *conn, struct pd_arena *a,
                              bool *https);

/* Raises the soft descriptor limit towards the hard one; returns how many connections fit,
 * max_connections or fewer (http/startup.c). */
unsigned pd_http_connection_limit(unsigned max_connections);

/* Removes <data>/tmp/upload-* files untouched for an hour: a crash left them behind. */
void pd_http_remove_stale_uploads(const char *data);

/* True when raw (4 or 16 bytes) lies in the trusted proxy range. */
bool pd_http_trusted(const struct pd_app *app, const unsigned char *raw, bool v4);

/* The worker pool of pd_req_offload: one thread per core at most. */
void pd_offload_start(int n);
void pd_offload_stop(void);

/* Periodic work on the main thread (outbox, scheduler). */
void pd_jobs_tick(struct pd_app *app);

#endif
