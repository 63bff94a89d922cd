/* Storage of partner API keys (hashes only) and of the Open311 requests they filed. */
#ifndef PD_STORE_APIKEY_STORE_H
#define PD_STORE_APIKEY_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/store.h"

/* One key row. Optional times are 0 when NULL. Strings are copied into the given arena (the
 * transaction's when NULL). */
struct pd_apikey_row {
	const char *id, *partner;
	struct pd_blob key_hash;  /* 32 bytes */
	const char *prefix;
	bool trusted_identities;
	int64_t per_min;
	const char *created_by;
	int64_t created_ms, revoked_ms, last_used_ms;
};

/* Inserts r; a duplicate id or hash latches PD_ERR_CONFLICT. */
enum pd_qs pd_store_apikey_insert(struct pd_tx *tx, const struct pd_apikey_row *r);
/* The key with this hash (revoked or not). */
enum pd_qs pd_store_apikey_by_hash(struct pd_tx *tx, const void *hash, size_t n,
                                   struct pd_arena *a, struct pd_apikey_row *out);
enum pd_qs pd_store_apikey_by_id(struct pd_tx *tx, const char *id, struct pd_arena *a,
                                 struct pd_apikey_row *out);
/* Keys, newest first, at most max. */
enum pd_qs pd_store_apikey_list(struct pd_tx *tx, struct pd_arena *a, struct pd_apikey_row *out,
                                int max, int *n);
/* Sets revoked_ms unless already revoked: ONE when revoked now, NONE otherwise. */
enum pd_qs pd_store_apikey_revoke(struct pd_tx *tx, const char *id, int64_t now_ms);
/* Sets last_used_ms. */
enum pd_qs pd_store_apikey_touch(struct pd_tx *tx, const char *id, int64_t now_ms);

/* Records that key api_key_id filed complaint_id (ignored when it is recorded already). */
enum pd_qs pd_store_open311_request_insert(struct pd_tx *tx, const char *complaint_id,
                                           const char *api_key_id, int64_t now_ms);

#endif
