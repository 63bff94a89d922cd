/* Organisation units: the rules for adding them and the views of the tree. */
#ifndef PD_DOMAIN_UNIT_H
#define PD_DOMAIN_UNIT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "store/store.h"
#include "store/unit_store.h"

struct pd_unit_new {
	const char *slug, *name, *kind, *parent_slug, *code;
};

/* Validates and adds a unit, with its audit entry ("unit.add") by actor ("cli:<user>",
 * "account:<id>", "system") in the same transaction. On PD_ERR_INVALID / PD_ERR_CONFLICT /
 * PD_ERR_NOT_FOUND (parent) writes a message for the user into err. The new id goes into id_out
 * when not NULL. */
int pd_unit_add(struct pd_store *st, const char *actor, const struct pd_unit_new *in,
                char id_out[37], char *err, size_t errlen);

struct pd_unit_view {
	struct pd_unit unit;       /* zeroed when viewing the roots */
	struct pd_unit *ancestors; /* root first */
	int n_ancestors;
	struct pd_unit *children;
	int n_children;
	const char *next_after;    /* id of the last child shown when more follow, else NULL */
};

#define PD_UNIT_PAGE_MAX 500

/* The unit with this slug (NULL: the top of the tree) with its ancestors and one page of at
 * most `limit` children after the child with id `after` (NULL: from the first), all
 * arena-owned. PD_ERR_NOT_FOUND for an unknown slug. */
int pd_unit_view(struct pd_store *st, const char *slug, const char *after, int limit,
                 struct pd_arena *a, struct pd_unit_view *out);

/* Every unit, in tree order, for `unit list`: calls fn for each. */
int pd_unit_each(struct pd_store *st, void (*fn)(const struct pd_unit *u, const char *parent_slug,
                                                 void *arg),
                 void *arg);

/* True when a materialised path names a unit at the top of the tree ("/<id>/"). */
bool pd_unit_path_is_top(const char *path);

/* True for a known unit kind. */
int pd_unit_kind_valid(const char *kind);

#endif
