/* Partner API keys (DESIGN §2: partners are API keys, not accounts): issued to a named partner
 * by an administrator of the installation's top unit (portal) or the operator (`pendopo apikey`),
 * shown once, stored as a BLAKE2b-256 hash (a key is 256 random bits, so a fast hash is enough),
 * revocable, with a per-minute budget and a flag saying whether the partner may hand over
 * reporters' identities. */
#ifndef PD_DOMAIN_APIKEY_H
#define PD_DOMAIN_APIKEY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "domain/authz.h"
#include "store/store.h"

#define PD_APIKEY_LEN 47           /* "pdk_" and 43 base64url characters (256 bits) */
#define PD_APIKEY_PREFIX_LEN 12    /* characters kept for display ("pdk_AbCd1234") */
#define PD_APIKEY_PARTNER_MAX 120  /* code points of a partner's name */
#define PD_APIKEY_LIST_MAX 200     /* most keys listed */
#define PD_APIKEY_PER_MIN 60       /* default requests a minute */
#define PD_APIKEY_PER_MIN_MAX 10000

/* One key as listed (never the key itself). Strings arena-owned. */
struct pd_apikey {
	const char *id, *partner, *prefix, *created_by;
	bool trusted_identities;
	int64_t per_min, created_ms, revoked_ms, last_used_ms;  /* 0: never / not revoked */
};

/* Who may manage keys: PD_OK for the operator (system actor) and administrators of a top unit
 * (PD_ACT_CONFIGURE at the root); PD_ERR_FORBIDDEN for other administrators; PD_ERR_NOT_FOUND
 * for everyone else (also nobody signed in). */
int pd_apikey_access(const struct pd_actor *actor);

/* Issues a key to partner (1..PD_APIKEY_PARTNER_MAX code points, no control characters) in tx:
 * per_min 1..PD_APIKEY_PER_MIN_MAX (0: PD_APIKEY_PER_MIN). key_out gets the key (shown once;
 * only its hash is stored), id_out its id. Audit "apikey.add" (id, prefix, trusted; not the
 * key). PD_ERR_INVALID for a bad partner or per_min; access errors as pd_apikey_access. */
int pd_apikey_add(struct pd_tx *tx, const struct pd_actor *actor, const char *partner,
                  bool trusted_identities, int64_t per_min, char key_out[PD_APIKEY_LEN + 1],
                  char id_out[37]);

/* Revokes key id in tx (audit "apikey.revoke"). PD_ERR_NOT_FOUND for an unknown id,
 * PD_ERR_CONFLICT when it is revoked already; access errors as pd_apikey_access. */
int pd_apikey_revoke(struct pd_tx *tx, const struct pd_actor *actor, const char *id);

/* The keys, newest first, at most max (≤ PD_APIKEY_LIST_MAX). Access as pd_apikey_access. */
int pd_apikey_list(struct pd_store *st, const struct pd_actor *actor, struct pd_arena *a,
                   struct pd_apikey *out, int max, int *n);

/* Checks a presented key: PD_OK with *out filled (a may be the transaction's arena) for a
 * valid key; PD_ERR_NOT_FOUND for a malformed or unknown one; PD_ERR_FORBIDDEN for a revoked
 * one. Hashes compare in the database by equality of BLAKE2b-256 digests of 256-bit secrets. */
int pd_apikey_verify_tx(struct pd_tx *tx, const char *key, struct pd_arena *a,
                        struct pd_apikey *out);
int pd_apikey_verify(struct pd_store *st, const char *key, struct pd_arena *a,
                     struct pd_apikey *out);

/* Records in tx that key k (as verified in tx) was used now (last_used_ms), to the minute: a
 * use within a minute of the recorded one changes nothing (one UPDATE per filing was work for
 * the single writer, issue #8). */
int pd_apikey_touch(struct pd_tx *tx, const struct pd_apikey *k, int64_t now_ms);

#endif
