/* The auditors' view of the audit log (/kantor/audit, DESIGN §2 and §4): which entries an
 * auditor may see, filtered lists newest first by keyset, a quick status of the chain, and the
 * full check, whose result is itself recorded in the log. */
#ifndef PD_DOMAIN_AUDIT_VIEW_H
#define PD_DOMAIN_AUDIT_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/config.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "store/audit_view_store.h"
#include "store/store.h"

/* Who sees what (every check goes through pd_authz with PD_ACT_AUDIT_READ or
 * PD_ACT_AUDIT_EXPORT, which only the auditor role may do; administrators and every other role
 * get PD_ERR_NOT_FOUND, as DESIGN §2 gives the log to auditors alone):
 *  - an auditor grant on a unit covers the entries whose unit lies in that unit's subtree,
 *    like every other grant (DESIGN §2): an inspectorate of one regency does not read which
 *    officers of another regency opened which citizen's data;
 *  - entries without a unit (accounts, sessions, keys, the command line) belong to the whole
 *    installation and are covered only by an auditor grant on a top unit (one without parent);
 *  - the chain's status and the full check concern the whole log and show no entry's contents,
 *    so every auditor may see and run them.
 * Viewing and exporting are not recorded in the log: it holds no personal data (DESIGN §4
 * records staff reads of personal data), and a read that appended would change what it reads.
 * Running the full check is recorded ("audit.verify"), so its result is tamper-evident too. */

#define PD_AUDIT_ACTION_VERIFY "audit.verify"
#define PD_AUDIT_VIEW_PAGE_MAX 200

/* Filters of the list; every string is borrowed for the call; NULL or 0: no filter. */
struct pd_audit_filter {
	const char *action;       /* exact action ([a-z0-9._-], at most 64) */
	const char *actor_kind;   /* "account", "apikey", "cli" or "system" */
	const char *object_type;  /* exact object type ([a-z0-9._-], at most 64) */
	const char *unit_slug;    /* entries of this unit and its subtree */
	const char *subject_id;   /* the citizen account an entry is about */
	int64_t from_ms;          /* ts_ms >= from_ms */
	int64_t until_ms;         /* ts_ms < until_ms */
};

/* One page of the list. rows are arena-owned. */
struct pd_audit_view_page {
	struct pd_audit_view_row *rows;
	int n;
	int64_t next_before;  /* ?sebelum= for the older entries; 0 when there are none */
	bool partial;         /* the search stopped after scanning many entries: next_before goes on */
	int64_t newest_seq;   /* the newest entry of the whole log (0: empty) */
};

/* True when a filter value is well-formed (syntax only; the unit's existence and the actor's
 * right to it are decided by pd_audit_view_list). */
bool pd_audit_filter_name_ok(const char *s);
bool pd_audit_filter_actor_kind_ok(const char *s);

/* The page of at most limit (1..PD_AUDIT_VIEW_PAGE_MAX) entries that actor may see matching f,
 * with seq < before_seq (0: from the newest), newest first. Each read transaction scans a
 * bounded window of seqs, so a page with a rare filter ends early with partial set and a
 * next_before that continues the search. PD_ERR_NOT_FOUND when actor is no auditor or the
 * filter's unit is unknown or outside the actor's grants; PD_ERR_INVALID for a bad limit. */
int pd_audit_view_list(struct pd_store *st, const struct pd_actor *actor,
                       const struct pd_audit_filter *f, int64_t before_seq, int limit,
                       struct pd_arena *a, struct pd_audit_view_page *out);

/* Calls fn for every entry the list would show, newest first, across every page (no scan
 * budget: for the CSV export). The entries are those with seq up to the newest when the call
 * began (the log only grows). row is borrowed for the call; fn returns 0 to go on, anything
 * else to stop (that value is returned). Errors as pd_audit_view_list. */
int pd_audit_view_each(struct pd_store *st, const struct pd_actor *actor,
                       const struct pd_audit_filter *f,
                       int (*fn)(const struct pd_audit_view_row *row, void *arg), void *arg);

/* The quick status shown on every view: the newest checkpoint, whether it still holds the
 * chain's hash and a valid signature, and whether the entries after it chain correctly (at most
 * PD_AUDIT_VIEW_TAIL_MAX of them; more are left to the full check). */
#define PD_AUDIT_VIEW_TAIL_MAX 20000
struct pd_audit_status {
	int64_t last_seq;      /* the newest entry, 0 for an empty log */
	int64_t cp_seq;        /* the newest checkpoint's seq, 0 when none */
	int64_t cp_ts_ms;
	char cp_key_id[17];
	int cp_signature;      /* 1 valid with this installation's audit key, 0 not checked (no
	                        * key file, or another key), -1 invalid */
	bool cp_matches;       /* the checkpoint holds the chain's hash at its seq */
	bool tail_checked;     /* the entries after the checkpoint were walked … */
	int64_t n_tail;        /* … this many of them */
	bool sound;            /* nothing wrong found (also true when the tail was not checked) */
	int64_t bad_seq;       /* when !sound: the first bad entry */
	char what[256];        /* when !sound: what is wrong there */
};

/* Fills out for actor (an auditor). cfg names the audit key file (read, never created).
 * PD_ERR_NOT_FOUND for a non-auditor; a database error otherwise. */
int pd_audit_view_status(struct pd_store *st, const struct pd_config *cfg,
                         const struct pd_actor *actor, struct pd_audit_status *out);

/* The full check, pd_audit_verify over the whole log with this installation's audit key (slow:
 * run it on a worker). PD_OK with the verdict in report (report->sound); PD_ERR_NOT_FOUND for
 * a non-auditor; PD_ERR_BUSY while another full check runs in this process; PD_ERR_IO /
 * PD_ERR_DB when no verdict could be reached (report->what). */
int pd_audit_view_check(struct pd_store *st, const struct pd_config *cfg,
                        const struct pd_actor *actor, struct pd_audit_report *report);

/* Records the verdict of pd_audit_view_check as an entry "audit.verify" by actor inside write
 * transaction tx (ids, counts and the verifier's reason only); its seq goes to *seq. */
int pd_audit_view_check_record(struct pd_tx *tx, const struct pd_actor *actor,
                               const struct pd_audit_report *report, int64_t *seq);

/* A recorded check, read back for display. Strings arena-owned. */
struct pd_audit_check_result {
	int64_t seq, ts_ms;
	const char *actor;
	bool sound;
	int64_t n_entries, n_checkpoints, last_checkpoint, bad_seq;
	const char *reason;    /* "" when sound */
};

/* Loads the check recorded at seq. PD_ERR_NOT_FOUND when actor is no auditor or entry seq is
 * not an "audit.verify" entry. */
int pd_audit_view_check_load(struct pd_store *st, const struct pd_actor *actor, int64_t seq,
                             struct pd_arena *a, struct pd_audit_check_result *out);

#endif
