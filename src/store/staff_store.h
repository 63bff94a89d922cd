/* Storage behind the administrators' staff pages: the staff accounts holding a grant inside one
 * subtree (keyset by account id) and the removal of one grant. */
#ifndef PD_STORE_STAFF_STORE_H
#define PD_STORE_STAFF_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/store.h"

/* One staff account of the directory: ids and flags only (its sealed fields are read with
 * pd_store_account_by_id). Strings are copies in the arena given to the query. */
struct pd_staff_row {
	const char *id;
	bool disabled;
	int64_t created_ms;
};

/* Up to max staff accounts (kind 'staff', not erased) holding at least one grant on a unit whose
 * materialised path starts with path (the unit's subtree, the unit itself included), with an id
 * after after_id (NULL: from the first), in id order; *n the count. */
enum pd_qs pd_store_staff_list(struct pd_tx *tx, const char *path, const char *after_id,
                               struct pd_arena *a, struct pd_staff_row *out, int max, int *n);

/* Removes the grant (account_id, role, unit_id). PD_QS_NONE when the account did not hold it. */
enum pd_qs pd_store_grant_delete(struct pd_tx *tx, const char *account_id, const char *role,
                                 const char *unit_id);

#endif
