/* Operators' user administration (`pendopo user …`): finding accounts by email, granting roles
 * on units, disabling accounts and listing them. */
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "domain/account.h"
#include "domain/account_internal.h"
#include "domain/audit.h"
#include "store/session_store.h"
#include "store/unit_store.h"

#define LIST_BATCH 200
#define MAX_GRANTS 64

int pd_account_find_email(struct pd_tx *tx, const struct pd_keyset *ks, const char *email,
                          char id[37])
{
	unsigned char bidx[PD_CRYPTO_BLIND_BYTES];
	id[0] = '\0';
	if (pd_acct_email_index(ks, email, bidx, NULL, 0))
		return PD_ERR_NOT_FOUND;
	struct pd_account_row row;
	enum pd_qs qs = pd_store_account_by_email(tx, (struct pd_blob){bidx, sizeof bidx}, NULL, &row);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE || strlen(row.id) > 36)
		return PD_ERR_NOT_FOUND;
	memcpy(id, row.id, strlen(row.id) + 1);
	return PD_OK;
}

int pd_account_grant(struct pd_tx *tx, const struct pd_keyset *ks, const char *actor,
                     const char *email, const char *role, const char *unit_slug)
{
	enum pd_role r;
	if (pd_role_parse(role, &r))
		return PD_ERR_INVALID;
	char id[37];
	int rc = pd_account_find_email(tx, ks, email, id);
	if (rc)
		return rc;
	struct pd_unit u;
	enum pd_qs qs = pd_store_unit_by_slug(tx, unit_slug, NULL, &u);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	if (pd_store_grant_insert(tx, id, pd_role_name(r), u.id, pd_clock_now_ms()) < 0)
		return pd_tx_error(tx);
	if (r != PD_ROLE_CITIZEN && pd_store_account_set_kind(tx, id, "staff") < 0)
		return pd_tx_error(tx);
	struct pd_audit_event ev = {
		.actor = actor,
		.action = "account.grant",
		.object_type = "account",
		.object_id = id,
		.unit_id = u.id,
		.details = pd_arena_printf(pd_tx_arena(tx), "{\"role\":\"%s\"}", pd_role_name(r)),
	};
	return pd_audit_append(tx, &ev);
}

int pd_account_disable(struct pd_tx *tx, const struct pd_keyset *ks, const char *actor,
                       const char *email)
{
	char id[37];
	int rc = pd_account_find_email(tx, ks, email, id);
	if (rc)
		return rc;
	if (pd_store_account_set_disabled(tx, id, true) < 0 ||
	    pd_store_session_delete_others(tx, id, (struct pd_blob){NULL, 0}, NULL) < 0)
		return pd_tx_error(tx);
	return pd_acct_audit(tx, actor, "account.disable", id);
}

struct each_arg {
	const struct pd_keyset *ks;
	const char *after;
	struct pd_arena *a;
	struct pd_account_row rows[LIST_BATCH];
	const char *emails[LIST_BATCH];
	struct pd_grant_row *grants[LIST_BATCH];
	int n_grants[LIST_BATCH];
	int n;
};

static int each_tx(struct pd_tx *tx, void *p)
{
	struct each_arg *ea = p;
	if (pd_store_account_list(tx, ea->after, ea->a, ea->rows, LIST_BATCH, &ea->n) < 0)
		return pd_tx_error(tx);
	for (int i = 0; i < ea->n; i++) {
		ea->emails[i] = NULL;
		/* Staff addresses only: listing never opens a citizen's personal data. */
		if (ea->ks && strcmp(ea->rows[i].kind, "staff") == 0) {
			struct pd_account acc;
			if (pd_account_load(tx, ea->ks, ea->rows[i].id, ea->a, &acc) == PD_OK)
				ea->emails[i] = acc.email;
		}
		ea->grants[i] = pd_arena_alloc(ea->a, MAX_GRANTS * sizeof *ea->grants[i]);
		if (pd_store_grant_list(tx, ea->rows[i].id, ea->a, ea->grants[i], MAX_GRANTS,
		                        &ea->n_grants[i]) < 0)
			return pd_tx_error(tx);
	}
	return PD_OK;
}

int pd_account_each(struct pd_store *st, const struct pd_keyset *ks,
                    void (*fn)(const struct pd_account_row *a, const char *email,
                               const struct pd_grant_row *grants, int n_grants, void *arg),
                    void *arg)
{
	struct pd_arena *a = pd_arena_new();
	struct each_arg *ea = pd_arena_alloc(a, sizeof *ea);
	ea->ks = ks;
	int rc = PD_OK;
	for (;;) {
		struct pd_arena *batch = pd_arena_new();
		ea->a = batch;
		rc = pd_store_read(st, each_tx, ea);
		if (rc) {
			pd_arena_free(batch);
			break;
		}
		for (int i = 0; i < ea->n; i++)
			fn(&ea->rows[i], ea->emails[i], ea->grants[i], ea->n_grants[i], arg);
		int n = ea->n;
		ea->after = n ? pd_arena_strdup(a, ea->rows[n - 1].id) : NULL;
		pd_arena_free(batch);
		if (n < LIST_BATCH)
			break;
	}
	pd_arena_free(a);
	return rc;
}
