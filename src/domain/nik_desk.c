/* The NIK desk: finding a citizen by the NIK on their card, showing the name for comparison as a
 * recorded staff read, and marking the NIK verified, all within the officer's grants. */
#include "domain/nik_desk.h"

#include <string.h>

#include "core/crypto.h"
#include "core/err.h"
#include "core/uuid.h"
#include "domain/account.h"
#include "domain/account_internal.h"
#include "domain/audit.h"
#include "store/privacy_store.h"
#include "store/unit_store.h"

int pd_nik_desk_open(const struct pd_actor *actor)
{
	if (!actor || !actor->account_id)
		return PD_ERR_NOT_FOUND;
	if (actor->system)
		return PD_OK;
	int best = PD_ERR_NOT_FOUND;
	for (size_t i = 0; i < actor->n_grants; i++) {
		struct pd_authz_object at = {NULL, actor->grants[i].unit_path};
		int rc = pd_authz(actor, PD_ACT_NIK_VERIFY, &at);
		if (rc == PD_OK)
			return PD_OK;
		if (rc == PD_ERR_FORBIDDEN)
			best = PD_ERR_FORBIDDEN;
	}
	return best;
}

/* The actor's officer grant whose unit is the narrowest one covering path: the office the work
 * is done for, recorded with the read. NULL when none (the CLI). */
static const struct pd_grant *office_of(const struct pd_actor *actor, const char *path)
{
	const struct pd_grant *best = NULL;
	for (size_t i = 0; i < actor->n_grants; i++) {
		const struct pd_grant *g = &actor->grants[i];
		size_t n = g->unit_path ? strlen(g->unit_path) : 0;
		if (g->role != PD_ROLE_OFFICER || !n || strncmp(path, g->unit_path, n) != 0)
			continue;
		if (!best || n > strlen(best->unit_path))
			best = g;
	}
	return best;
}

/* Checks that the actor may verify the NIK of account row: its home village must lie under one
 * of the actor's grants. Fills village. */
static int covered(struct pd_tx *tx, const struct pd_actor *actor, const struct pd_account_row *row,
                   struct pd_unit *village)
{
	if (row->erased_ms || !row->nik_bidx.p || !row->home_village_id)
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_unit_by_id(tx, row->home_village_id, NULL, village);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	struct pd_authz_object obj = {row->id, village->path};
	return pd_authz(actor, PD_ACT_NIK_VERIFY, &obj);
}

int pd_nik_desk_lookup(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_actor *actor,
                       const char *nik, struct pd_arena *a, struct pd_nik_desk_result *out)
{
	memset(out, 0, sizeof *out);
	int rc = pd_nik_desk_open(actor);
	if (rc)
		return rc;
	char norm[17], district[7];
	if (!nik || pd_nik_check(nik, norm, district))
		return PD_ERR_INVALID;
	unsigned char bidx[PD_CRYPTO_BLIND_BYTES];
	if (pd_crypto_blind_index(ks, "nik", norm, bidx))
		return PD_ERR_CRYPTO;
	struct pd_account_row row;
	enum pd_qs qs = pd_store_account_by_nik(tx, (struct pd_blob){bidx, sizeof bidx}, NULL, &row);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	struct pd_unit village;
	rc = covered(tx, actor, &row, &village);
	if (rc)
		return rc;
	struct pd_account acc;
	rc = pd_account_load(tx, ks, row.id, pd_tx_arena(tx), &acc);
	if (rc)
		return rc;
	const struct pd_grant *office = office_of(actor, village.path);
	/* Recorded before the name leaves the domain layer, in the same transaction. */
	rc = pd_audit_record_read(tx, pd_acct_audit_actor(pd_tx_arena(tx), actor->account_id), row.id,
	                          PD_NIK_DESK_PURPOSE, "account", row.id,
	                          office ? office->unit_id : village.id);
	if (rc)
		return rc;
	out->account_id = pd_arena_strdup(a, row.id);
	out->name = pd_arena_strdup(a, acc.name ? acc.name : "");
	out->nik = pd_arena_strdup(a, norm);
	out->village_name = pd_arena_strdup(a, village.name);
	out->verified = row.nik_verified;
	sodium_memzero(norm, sizeof norm);
	return PD_OK;
}

int pd_nik_desk_verify(struct pd_tx *tx, const struct pd_actor *actor, const char *account_id)
{
	int rc = pd_nik_desk_open(actor);
	if (rc)
		return rc;
	if (!account_id || !pd_uuid_valid(account_id))
		return PD_ERR_NOT_FOUND;
	struct pd_account_row row;
	enum pd_qs qs = pd_store_account_by_id(tx, account_id, NULL, &row);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	struct pd_unit village;
	rc = covered(tx, actor, &row, &village);
	if (rc)
		return rc;
	if (row.nik_verified)
		return PD_OK;
	qs = pd_store_account_set_nik_verified(tx, row.id);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	const struct pd_grant *office = office_of(actor, village.path);
	struct pd_audit_event ev = {
		.actor = pd_acct_audit_actor(pd_tx_arena(tx), actor->account_id),
		.action = "account.nik_verify",
		.object_type = "account",
		.object_id = row.id,
		.unit_id = office ? office->unit_id : village.id,
		.subject_id = row.id,
	};
	return pd_audit_append(tx, &ev);
}
