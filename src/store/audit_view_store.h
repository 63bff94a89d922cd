/* Queries behind the auditors' view of the audit log: entries newest first inside a seq window,
 * filtered, each with its unit's slug and materialised path (domain/audit_view.c decides who
 * may see which). */
#ifndef PD_STORE_AUDIT_VIEW_STORE_H
#define PD_STORE_AUDIT_VIEW_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/store.h"

#define PD_AUDIT_VIEW_PREFIXES 4  /* unit path prefixes one query can take */

/* What to read. Every string is borrowed for the call. */
struct pd_audit_view_query {
	int64_t before_seq;    /* entries with seq < before_seq … */
	int64_t from_seq;      /* … and seq >= from_seq (1: down to the first entry) */
	const char *action;        /* exact action, NULL: any */
	const char *actor_prefix;  /* actor starts with this ("account:", "cli:"), NULL: any */
	const char *object_type;   /* exact object type, NULL: any */
	const char *subject_id;    /* exact subject (uses the index audit_log_subject), NULL: any */
	int64_t from_ms;       /* ts_ms >= from_ms; 0: no lower bound */
	int64_t until_ms;      /* ts_ms < until_ms; 0: no upper bound */
	bool no_unit;          /* also entries whose unit is NULL or unknown */
	bool any_unit;         /* every entry that has a unit (the prefixes are ignored) */
	const char *unit_prefixes[PD_AUDIT_VIEW_PREFIXES]; /* else entries whose unit's path starts
	                                                    * with one of these (NULL: unused) */
	int max;               /* at most this many rows */
};

/* One entry with its unit; strings arena-owned, NULL for SQL NULL. unit_slug and unit_path are
 * NULL when the entry has no unit or names one that does not exist. */
struct pd_audit_view_row {
	int64_t seq, ts_ms;
	char *actor, *action, *object_type, *object_id, *unit_id, *subject_id, *purpose, *details;
	char *unit_slug, *unit_path;
};

/* The newest entry's seq into *seq, whatever its other columns hold (a damaged row must not
 * hide the log from its auditors). PD_QS_NONE on an empty log. */
enum pd_qs pd_store_audit_view_newest(struct pd_tx *tx, int64_t *seq);

/* Reads the entries q selects, newest (highest seq) first, at most q->max of them, into out
 * (room for q->max rows) with strings in arena a; *n says how many. */
enum pd_qs pd_store_audit_view(struct pd_tx *tx, const struct pd_audit_view_query *q,
                               struct pd_arena *a, struct pd_audit_view_row *out, int *n);

#endif
