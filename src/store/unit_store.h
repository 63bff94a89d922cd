/* Storage of organisation units (the tree of DESIGN §2, with a materialised path). */
#ifndef PD_STORE_UNIT_STORE_H
#define PD_STORE_UNIT_STORE_H

#include <stdint.h>

#include "store/store.h"

struct pd_unit {
	const char *id, *slug, *kind, *name, *code, *parent_id, *path;
	int64_t created_ms;
};

/* Inserts u (path computed by the caller). Conflict on a duplicate slug. */
enum pd_qs pd_store_unit_insert(struct pd_tx *tx, const struct pd_unit *u);

/* Loads a unit by slug or id into *out (strings in the transaction's arena unless a is given). */
enum pd_qs pd_store_unit_by_slug(struct pd_tx *tx, const char *slug, struct pd_arena *a,
                                 struct pd_unit *out);
enum pd_qs pd_store_unit_by_id(struct pd_tx *tx, const char *id, struct pd_arena *a,
                               struct pd_unit *out);

/* Children of a unit (parent_id NULL: the roots) in (kind, name, id) order, after the child
 * with id after_id (NULL: from the first); at most max. */
enum pd_qs pd_store_unit_children(struct pd_tx *tx, const char *parent_id, const char *after_id,
                                  struct pd_arena *a, struct pd_unit *out, int max, int *n);

/* All units in the subtree of `path` (inclusive) after the keyset cursor `after_path` (NULL:
 * from the start), ordered by path; at most max. */
enum pd_qs pd_store_unit_subtree(struct pd_tx *tx, const char *path, const char *after_path,
                                 struct pd_arena *a, struct pd_unit *out, int max, int *n);

/* pd_store_unit_subtree, and in parent_slugs[i] the slug of out[i]'s parent ("" for a root). */
enum pd_qs pd_store_unit_subtree_parents(struct pd_tx *tx, const char *path,
                                         const char *after_path, struct pd_arena *a,
                                         struct pd_unit *out, const char **parent_slugs,
                                         int max, int *n);

/* Number of units. */
enum pd_qs pd_store_unit_count(struct pd_tx *tx, int64_t *out);

#endif
