/* Shared by domain/audit.c and domain/audit_verify.c only: the chain walker and the signed
 * checkpoint message. */
#ifndef PD_DOMAIN_AUDIT_INTERNAL_H
#define PD_DOMAIN_AUDIT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "store/audit_store.h"
#include "store/store.h"

/* "pendopo.audit.checkpoint.v1\0" | seq (8, big-endian) | hash (32) | ts_ms (8, big-endian) */
#define PD_AUDIT_CP_MSG_LEN (28 + 8 + PD_AUDIT_HASH_LEN + 8)

void pd_audit_cp_message(int64_t seq, const unsigned char hash[PD_AUDIT_HASH_LEN], int64_t ts_ms,
                         unsigned char out[PD_AUDIT_CP_MSG_LEN]);

/* The state of a walk along the chain in seq order. */
struct pd_audit_walk {
	int64_t expected;                       /* the seq the next entry must have */
	unsigned char prev[PD_AUDIT_HASH_LEN];  /* the previous entry's hash (zeros before 1) */
	int64_t n;                              /* entries found sound */
	bool bad;                               /* a bad entry was found: */
	int64_t bad_seq;                        /* its seq (may be 0 or negative) */
	char what[256];
};

/* Starts a walk at seq first (the previous hash zero; set w->prev for a later start). */
void pd_audit_walk_init(struct pd_audit_walk *w, int64_t first);

/* Walks the entries after *after_seq (NULL: every entry, also any below 1) in pages until the
 * end or the first bad entry. Returns the transaction's error (PD_OK also when a bad entry
 * was found: see w->bad_seq). */
int pd_audit_walk_run(struct pd_tx *tx, struct pd_audit_walk *w, const int64_t *after_seq);

#endif
