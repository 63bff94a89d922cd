/* Open311 GeoReport v2 (issue #5) in domain terms: published complaints read as service
 * requests (public fields only: never the reporter, never a confidential or held complaint),
 * their public timeline as updates (FixMyStreet's servicerequestupdates), jurisdictions (unit
 * slugs), and filing a request for a partner key through pd_complaint_file. */
#ifndef PD_DOMAIN_OPEN311_H
#define PD_DOMAIN_OPEN311_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/tracking.h"
#include "domain/apikey.h"
#include "domain/application.h"
#include "domain/complaint.h"
#include "store/store.h"

#define PD_OPEN311_PAGE_MAX 1000    /* most requests of one answer (page_size) */
#define PD_OPEN311_DEPTH_MAX 10000  /* rows a page may start beyond (DESIGN §3) */
#define PD_OPEN311_IDS_MAX 100      /* service_request_id values of one call */
#define PD_OPEN311_MEDIA_MAX 1000   /* bytes of a media_url */

/* One published complaint as a service request. Strings arena-owned; NULL when absent. */
struct pd_open311_request {
	const char *tracking;          /* grouped ("A-7K3M-9QXD-E"): the service_request_id */
	bool closed;                   /* answered, out of scope or merged */
	const char *status_notes;      /* the unit's public answer */
	const char *service_code, *service_name;
	const char *description;       /* the public copy */
	const char *agency;            /* the unit handling it */
	const char *address;           /* the address and the village's name */
	const char *address_id;        /* the village's Kemendagri code */
	bool has_location;
	int64_t lat_e6, lon_e6;
	int64_t requested_ms, updated_ms, expected_ms;  /* expected: the due date (0: none) */
	int n_photos;                  /* published photos (/pengaduan/{nomor}/foto/N) */
};

/* What to list: a jurisdiction (unit slug, NULL: the installation), service codes
 * (comma-separated, NULL: all), status ("open", "closed", NULL: both), created in
 * [since_ms, until_ms], limit rows after offset. */
struct pd_open311_query {
	const char *jurisdiction, *codes, *status;
	int64_t since_ms, until_ms;
	int limit;
	int64_t offset;
};

/* Published requests, newest first, at most q->limit (1..PD_OPEN311_PAGE_MAX) into out.
 * PD_ERR_NOT_FOUND for an unknown jurisdiction, PD_ERR_INVALID for a bad limit/offset. */
int pd_open311_requests(struct pd_store *st, const struct pd_open311_query *q,
                        struct pd_arena *a, struct pd_open311_request *out, int *n);

/* One published request by tracking number (any accepted spelling). PD_ERR_NOT_FOUND
 * otherwise (unknown, confidential, held, not yet published). */
int pd_open311_request(struct pd_store *st, const char *tracking, struct pd_arena *a,
                       struct pd_open311_request *out);

/* One update: a public timeline event. */
struct pd_open311_update {
	const char *id;
	const char *tracking;  /* grouped */
	bool closed;           /* status after the event */
	const char *note;      /* the public note (an answer), or NULL */
	const char *kind;      /* the event kind (complaint.h) */
	int64_t at_ms;
};

/* Events of published complaints in [since, until] (jurisdiction as above; codes and status
 * ignored), oldest first, at most q->limit. Errors as pd_open311_requests. */
int pd_open311_updates(struct pd_store *st, const struct pd_open311_query *q,
                       struct pd_arena *a, struct pd_open311_update *out, int *n);

/* PD_OK when slug names a unit, else PD_ERR_NOT_FOUND. */
int pd_open311_jurisdiction(struct pd_store *st, const char *slug);

/* A request a partner POSTs. Borrowed for the call. */
struct pd_open311_post {
	const char *service_code;
	const char *jurisdiction;      /* NULL: the installation */
	const char *description;       /* may be NULL: the service's name stands in */
	bool has_location;
	int64_t lat_e6, lon_e6;
	const char *address;           /* address_string */
	const char *village;           /* attribute[village] or address_id: a village's code (dots
	                                * optional) or slug; NULL: the coordinator places it */
	const char *email, *first_name, *last_name, *phone;  /* kept (sealed) only for a key
	                                                       * trusted with identities */
	const char *media_url;         /* stored, never fetched */
	const char *idempotency_key;   /* same key and value: the first filing answers again */
};

struct pd_open311_posted {
	char tracking[PD_TRACKING_COMPACT_LEN + 1];
	bool held, published, existed;
};

/* Files in tx for the partner whose key is `key` (verified again here: PD_ERR_FORBIDDEN for
 * an unknown or revoked key): channel "open311", anonymous unless the key is trusted
 * with identities (then public, with the contact sealed); village resolved (an unknown one is
 * a field error "desa"); the key's last use, the open311_request row and an audit entry
 * "open311.request" by "apikey:<id>" in the same transaction. PD_ERR_INVALID with errs (the
 * fields of pd_complaint_file), PD_ERR_NOT_FOUND for an unknown jurisdiction. */
int pd_open311_file(struct pd_tx *tx, const struct pd_app_ctx *c, const char *key,
                    const struct pd_open311_post *in, struct pd_app_errors *errs,
                    struct pd_open311_posted *out);

/* The filing a key (its id) made with an Idempotency-Key, as pd_open311_file's out with
 * existed set: for a POST whose write was refused with PD_ERR_CONFLICT because the same key
 * and Idempotency-Key arrived twice at the same moment and the other one committed first.
 * PD_ERR_NOT_FOUND when there is none. */
int pd_open311_filed(struct pd_store *st, const char *key_id, const char *idempotency_key,
                     struct pd_open311_posted *out);

/* The enabled category whose code is code as a service (any number of categories).
 * PD_ERR_NOT_FOUND for an unknown or disabled one. */
int pd_open311_service(struct pd_store *st, const char *code, struct pd_arena *a,
                       struct pd_complaint_category *out);

#endif
