/* The citizen's rights over their personal data (UU 27/2022, DESIGN §4): the list of staff reads
 * ("Siapa yang mengakses data saya"), everything held about them for download, and erasure by
 * destroying the per-subject key. */
#ifndef PD_DOMAIN_PRIVACY_H
#define PD_DOMAIN_PRIVACY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "domain/account.h"
#include "domain/application.h"
#include "domain/authz.h"
#include "domain/form.h"
#include "domain/profile.h"
#include "store/privacy_store.h"
#include "store/session_store.h"
#include "store/store.h"
#include "store/unit_store.h"

#define PD_PRIVACY_PAGE_MAX 200       /* most access entries in one page */
#define PD_PRIVACY_EXPORT_MAX 10000   /* most audit entries (and access entries) in one export */
#define PD_PRIVACY_APPS_MAX 2000      /* most applications in one export */

/* Who did something, as the citizen may see it: a kind and, for staff, a role and a unit —
 * never the staff member's id, name or contact. */
struct pd_privacy_who {
	const char *kind;          /* "self", "staff", "operator" (CLI), "partner" (API key),
	                            * "system" */
	const char *role;          /* staff: the role the reader holds on that unit ("officer"),
	                            * NULL when the grant is gone */
	const char *unit_slug, *unit_name;  /* the unit the read was made for; NULL when none */
};

/* One staff read of the citizen's personal data. Strings arena-owned. */
struct pd_access_entry {
	int64_t seq, ts_ms;
	struct pd_privacy_who who;
	const char *purpose;
	const char *object_type, *object_id;  /* what was read: "account" and the account id, or a
	                                       * work item ("application", its number) */
};

/* The actor's own access list (PD_ACT_OWN_VIEW): reads of their personal data by staff, newest
 * first, with seq < before_seq (0: from the newest), at most max (<= PD_PRIVACY_PAGE_MAX) into
 * out. *n: entries filled. PD_ERR_NOT_FOUND for no actor. */
int pd_privacy_access_list(struct pd_store *st, const struct pd_actor *actor, int64_t before_seq,
                           struct pd_arena *a, struct pd_access_entry *out, int max, int *n);

/* One audit entry about the citizen, ids only. */
struct pd_privacy_event {
	int64_t seq, ts_ms;
	const char *action;
	struct pd_privacy_who who;
	const char *object_type, *object_id, *unit_id, *purpose;  /* NULL when absent */
};

/* Everything held about one account, opened for its owner. Arrays and strings arena-owned. */
struct pd_privacy_export {
	struct pd_account account;         /* personal fields decrypted */
	struct pd_unit home_village;       /* id NULL when none */
	struct pd_grant_row *grants;
	int n_grants;
	struct pd_session_row *sessions;   /* token hashes and CSRF secrets are left out: NULL */
	int n_sessions;
	struct pd_token_row *tokens;
	int n_tokens;
	bool throttled;                    /* failed sign-ins are being counted for the email */
	int64_t throttle_failures, throttle_locked_until_ms;
	const char *address;               /* the address kept on /akun/alamat, opened; NULL: none */
	struct pd_profile_doc *documents;  /* supporting documents, newest first: name, type, size,
	                                    * note and date; never the bytes */
	int n_documents;
	struct pd_application *applications; /* the account's applications (drafts too), newest
	                                    * first, opened as pd_application_get gives them to
	                                    * their owner: answers, note, files with their names,
	                                    * timeline */
	struct pd_form *forms;             /* forms[i]: the form version applications[i] follows
	                                    * (for the answers' labels; no fields when it is gone) */
	int n_applications;
	bool applications_truncated;       /* more than PD_PRIVACY_APPS_MAX */
	struct pd_access_entry *access;
	int n_access;
	struct pd_privacy_event *events;   /* every audit entry naming the account, newest first */
	int n_events;
	bool truncated;                    /* more than PD_PRIVACY_EXPORT_MAX audit entries */
};

/* Collects everything held about the actor's own account (PD_ACT_OWN_VIEW) with ks to open the
 * sealed fields. Reads only; nothing is recorded (the owner reading their own data is not a
 * staff read). PD_ERR_NOT_FOUND, PD_ERR_CRYPTO, or a database error. */
int pd_privacy_export(struct pd_store *st, const struct pd_keyset *ks, const struct pd_actor *actor,
                      struct pd_arena *a, struct pd_privacy_export *out);

/* PD_OK when the actor may erase their own account: a citizen account. Staff accounts are
 * closed by an administrator (PD_ERR_FORBIDDEN); PD_ERR_NOT_FOUND for no actor. */
int pd_privacy_may_erase(const struct pd_actor *actor);

/* Erases the actor's own account inside write transaction tx (UU 27/2022 Pasal 16): destroys
 * the wrapped subject key, so every field sealed under it becomes noise; removes the email and
 * NIK blind indexes (the address and the NIK may register again), the email's sign-in
 * throttle, every session, one-time token and grant, the TOTP secret and its recovery codes,
 * pending sign-ins, the profile (sealed address), every supporting document and every
 * attachment under the subject key with its blob and chunks (the files of the account's
 * applications among them: attaching an assisted application re-keys its files). The
 * applications' answers, notes and holder data and their documents' holder data (name, NIK,
 * holder code) are sealed under the subject key and become noise with it; the documents keep
 * verifying (their signed content holds no personal data). Keeps the account row as a
 * tombstone (id, kind, created, erased); blanks the shown name of its consultation comments and
 * petition signatures and detaches its Musrenbang proposals and ballots (they stay counted;
 * pd_consult_erase_account, pd_petition_erase_account, pd_mus_erase_account); appends "account.erase" with ids only, last. The
 * caller then checkpoints the WAL (pd_store_checkpoint) after the commit so the old bytes leave
 * the files. PD_ERR_FORBIDDEN for staff, PD_ERR_NOT_FOUND when already erased.
 *
 * Not deleted: outbox messages queued to the account but not sent yet. Their recipient and
 * body are sealed under the master key (0007_privacy.sql) with no blind index or account id, so
 * they cannot be found by account without opening every queued message. They leave with the
 * outbox's own life cycle: sent within its retries and deleted 30 days after sending
 * ("outbox-retention"), or, given up, kept sealed. Audit entries keep the account's id only,
 * as the law requires. */
int pd_privacy_erase(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_actor *actor);

#endif
