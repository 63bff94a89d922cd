/* The village office's NIK desk (DESIGN §2): an officer whose grant covers the citizen's home
 * village finds the account by the NIK on the card, sees the name to compare with the card (a
 * staff read of personal data, recorded with its purpose) and marks the NIK verified. */
#ifndef PD_DOMAIN_NIK_DESK_H
#define PD_DOMAIN_NIK_DESK_H

#include <stdbool.h>

#include "core/arena.h"
#include "domain/authz.h"
#include "store/store.h"

struct pd_keyset;

/* The purpose recorded for the desk's reads (shown to the citizen on /akun/akses). */
#define PD_NIK_DESK_PURPOSE "verifikasi NIK"

/* PD_OK when the actor may use the desk at all: a role that may verify NIKs on some unit.
 * PD_ERR_NOT_FOUND otherwise (the desk is not there for them). */
int pd_nik_desk_open(const struct pd_actor *actor);

/* What the desk shows about the holder of a NIK. Strings in the arena given to the lookup. */
struct pd_nik_desk_result {
	const char *account_id;
	const char *name;          /* personal data: only for comparing with the card */
	const char *nik;           /* the 16 digits, normalised */
	const char *village_name;  /* the home village */
	bool verified;
};

/* Looks up the account holding nik (any accepted spelling) inside write transaction tx, checks
 * that the actor may verify NIKs in its home village (pd_authz, PD_ACT_NIK_VERIFY), opens the
 * name with ks and records the read (personal.read, purpose PD_NIK_DESK_PURPOSE, the officer's
 * unit) in the same transaction, before the name leaves this layer. PD_ERR_INVALID for a
 * malformed NIK; PD_ERR_NOT_FOUND for an unknown NIK, an account without a home village, or
 * one outside the actor's grants (the same answer, so existence is not revealed);
 * PD_ERR_FORBIDDEN for a role that may see but not verify. */
int pd_nik_desk_lookup(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_actor *actor,
                       const char *nik, struct pd_arena *a, struct pd_nik_desk_result *out);

/* Marks the NIK of account_id verified (the officer compared it with the card) inside write
 * transaction tx and appends "account.nik_verify". Same refusals as pd_nik_desk_lookup;
 * PD_ERR_NOT_FOUND also for an account without a NIK. Verifying twice is PD_OK. */
int pd_nik_desk_verify(struct pd_tx *tx, const struct pd_actor *actor, const char *account_id);

#endif
