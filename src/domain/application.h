/* Applications for public services (Layanan, issue #4): the citizen's draft and submission,
 * the officers' state machine (claim, assign, check, return, approve, reject) on a working-day
 * clock that pauses while the citizen corrects, assisted filing at a village office, the public
 * status by tracking number, and the citizen's notifications. */
#ifndef PD_DOMAIN_APPLICATION_H
#define PD_DOMAIN_APPLICATION_H

/* Conventions of every function here.
 * - Reads take the store and run their own read transaction; writes take a write transaction
 *   (`struct pd_tx *`, run it with pd_store_write or the HTTP layer's pd_req_write) so that the
 *   change, its timeline event, its audit entry (ids only), the portal notification and the
 *   email (pd_mail_enqueue, in the citizen's language) commit together. A write returning an
 *   error must be returned from the transaction body (the change is then rolled back); refusals
 *   (PD_ERR_INVALID, PD_ERR_FORBIDDEN, PD_ERR_NOT_FOUND, PD_ERR_CONFLICT) never latch the
 *   transaction by themselves.
 * - Access (pd_authz): the citizen who owns an application sees it and acts as its owner
 *   (PD_ACT_FILE); staff see it with PD_ACT_CASE_VIEW and act with PD_ACT_CASE_WORK on a unit
 *   whose subtree holds the application's owner unit (the service's unit); assigning needs
 *   PD_ACT_CASE_ASSIGN (supervisor). Anyone who may not see the application gets
 *   PD_ERR_NOT_FOUND (404: another citizen, an officer of another unit, nobody signed in); one
 *   who may see but not do this gets PD_ERR_FORBIDDEN (403).
 * - Concurrency: every transition runs UPDATE … WHERE id = $1 AND version = $2 and bumps the
 *   version. The caller passes the version the actor saw (the page's hidden field); 0 means
 *   "whatever is current" (CLI, demo). A version that no longer matches, or a status that no
 *   longer allows the step, gives PD_ERR_CONFLICT (409 "someone else already acted"): of two
 *   officers deciding at the same moment exactly one wins.
 * - Strings returned are arena-owned (the arena given to the call). Personal data (answers,
 *   notes, names, NIK) is sealed at rest under the citizen's per-subject key (an assisted
 *   application not yet attached has a subject key of its own, see below) and is opened only
 *   for the owner or for staff with PD_ACT_CASE_VIEW, whose read is recorded with its purpose
 *   (pd_audit_record_read; purpose "permohonan <tracking>") so the citizen sees it on
 *   /akun/akses.
 * - Staff as people read them (struct pd_app_person): staff readers see the names of the
 *   officers who acted, the citizen never does. As Indonesian offices sign letters and serve at
 *   counters in the office's name ("Petugas Disdukcapil"), the citizen reads the role and the
 *   unit of the grant the officer acted under (the nearest grant covering the application's
 *   unit, else their first case grant: the village office of an assisted filing). The domain
 *   enforces it: for a reader who owns the application, name is always NULL. Names are
 *   resolved with one query per page (pd_store_app_staff), never one per event.
 *
 * The SLA clock (the exact rule, tested in tests/unit/test_application_clock.c):
 * - On submission: due = pd_calendar_due(cal, submitted_ms, sla_days, NULL, 0), where sla_days
 *   is the service's processing_days copied onto the application at first submission (later
 *   edits of the service never move it). Day 1 is the first working day after the day of
 *   submission; the deadline is 23:59:59.999 local time of day sla_days.
 * - On return to the citizen: paused_since_ms = now; the due date stays as it is while paused
 *   and a returned application is never flagged overdue.
 * - On resubmission: n = pd_calendar_working_days_between(cal, day(paused_since_ms), day(now)),
 *   i.e. the working days from the day after it was handed back up to and including the day it
 *   came back (holidays and weekends inside the pause do not count; a pause that ends on the day
 *   it began moves nothing); paused_days += n and the due date moves on by n working days:
 *   due = pd_calendar_due(cal, submitted_ms, sla_days + paused_days, NULL, 0), which is the
 *   working day pd_calendar_add_working(cal, old due day, n) at 23:59:59.999 (equal as long as
 *   the calendar did not change meanwhile; a holiday declared later also moves the date, as it
 *   should). The overdue flag is recomputed (due < now).
 *   Example: submitted Monday with 5 working days → due the next Monday; returned Tuesday,
 *   resubmitted Thursday → n = 2 (Wednesday, Thursday) → due the next Wednesday.
 * - pd_application_mark_overdue flags submitted and processing applications whose due date has
 *   passed (never returned ones: their clock is paused; never drafts or decided ones). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/calendar.h"
#include "core/crypto.h"
#include "core/tracking.h"
#include "domain/attachment.h"
#include "domain/authz.h"
#include "store/store.h"

#define PD_APP_FIELDS_MAX 64        /* most answers (form fields) of one application */
#define PD_APP_FILES_MAX 32         /* most files of one application */
#define PD_APP_NOTE_MAX_CHARS 2000  /* code points of a return note or a rejection reason */
#define PD_APP_PAGE_MAX 100         /* most rows of one list page */
#define PD_APP_CHECKLIST_MAX 40     /* most requirement lines in a checklist */
#define PD_APP_QUEUE_UNITS 8        /* most grant subtrees one queue query covers */

/* The clock rule above as pure functions (submission and resubmission use them; exposed for
 * tests). The due date (UTC ms, 23:59:59.999 local) of an application submitted at
 * submitted_ms with sla_days working days after paused_days working days of waiting: */
int64_t pd_application_due(const struct pd_calendar *cal, int64_t submitted_ms, int64_t sla_days,
                           int64_t paused_days);

/* The working days a pause from paused_since_ms to now_ms adds: those from the day after it
 * began up to and including the day it ended (0 within one day or when now < since). */
int pd_application_pause_days(const struct pd_calendar *cal, int64_t paused_since_ms,
                              int64_t now_ms);

/* --- statuses -------------------------------------------------------------------------------- */

/* draft → submitted → processing → returned → submitted … → approved | rejected (final). */
enum pd_app_status {
	PD_APP_DRAFT,       /* the citizen's unsent draft: no tracking number, no clock */
	PD_APP_SUBMITTED,   /* tracking number given, clock running, waiting in the queue */
	PD_APP_PROCESSING,  /* claimed by or assigned to an officer */
	PD_APP_RETURNED,    /* sent back to the citizen to correct: the clock is paused */
	PD_APP_APPROVED,    /* final: the document was issued in the same transaction */
	PD_APP_REJECTED,    /* final: with a reason */
	PD_APP__MAX
};

/* The stored name ("draft", "submitted", "processing", "returned", "approved", "rejected"),
 * or NULL for an invalid value. Static. */
const char *pd_app_status_name(enum pd_app_status s);

/* Parses a stored name. PD_OK or PD_ERR_INVALID. */
int pd_app_status_parse(const char *name, enum pd_app_status *out);

/* The status as people read it, an Indonesian msgid to translate ("Draf", "Diajukan",
 * "Diproses", "Dikembalikan untuk diperbaiki", "Disetujui", "Ditolak"). Static. */
const char *pd_app_status_label(enum pd_app_status s);

/* True for approved and rejected ("completed": the IKM survey is offered). */
bool pd_app_status_final(enum pd_app_status s);

/* --- what is read back ----------------------------------------------------------------------- */

/* One file of an application (a form field of type file). */
struct pd_app_file {
	const char *id;              /* the application_file row: the {file} of .../berkas/{file} */
	const char *field_key;
	const char *attachment_id;
	const char *content_type;    /* "application/pdf", "image/jpeg", "image/png" */
	const char *ext;             /* ".pdf", ".jpg", ".png" */
	const char *filename;        /* the original name (personal: opened), or NULL */
	int64_t size;
	int64_t created_ms;
};

/* One line of the requirements checklist: a line of the service's requirements text as it
 * was when the application was first checked, and whether the officer ticked it. */
struct pd_app_check_item {
	const char *label;
	bool done;
};

/* A staff member as a page names them (see "Staff as people read them" above). */
struct pd_app_person {
	const char *account_id;
	const char *name;       /* staff readers only: the opened name; NULL for a citizen reader and
	                         * for an erased account */
	const char *role;       /* stored role name of the grant that explains the act ("officer",
	                         * "coordinator", "supervisor"), or NULL when none is left */
	const char *unit_name;  /* that grant's unit, or NULL */
};

/* One timeline event. kind is one of "created" (draft), "submitted", "claimed", "assigned",
 * "checked", "returned", "resubmitted", "approved", "rejected", "attached", "overdue". */
struct pd_app_event {
	const char *id;
	int64_t at_ms;
	const char *actor_id;       /* account id; NULL when the deadline job acted */
	bool by_staff;              /* the actor acted as staff (not as the citizen) */
	const char *kind;
	enum pd_app_status status_after;
	const char *note;           /* personal: opened note (return note, reason), or NULL */
	const char *assignee_id;    /* "assigned"/"claimed": the officer now assigned, else NULL */
	const struct pd_app_person *actor;     /* by_staff with an actor: who, else NULL */
	const struct pd_app_person *assignee;  /* with assignee_id: who, else NULL */
};

#define PD_APP_EVENTS_MAX 200     /* most timeline events returned with an application */

struct pd_application {
	const char *id;                    /* UUIDv7 */
	const char *tracking;              /* compact ("P7K3M9QXDE"); NULL for a draft */
	const char *tracking_display;      /* grouped ("P-7K3M-9QXD-E"); NULL for a draft */
	const char *service_id, *service_slug, *service_name, *service_product;
	const char *unit_id, *unit_path, *unit_name;  /* owner unit (the service's) */
	const char *place_unit_id;         /* village of an address answer or of the assisting
	                                    * office; NULL when none */
	int form_version;                  /* the form version the answers follow (0: no fields) */
	enum pd_app_status status;
	const char *citizen_account_id;    /* NULL: assisted and not attached yet */
	bool assisted;
	const char *assisted_by;           /* staff account id, NULL when not assisted */
	int64_t consent_ms;                /* when the citizen's consent was recorded (assisted) */
	const char *assigned_to;           /* officer account id or NULL */
	int64_t sla_days;                  /* working days promised (copied at submission) */
	int64_t submitted_ms;              /* first submission; 0 for a draft */
	int64_t due_ms;                    /* 0 for a draft */
	int64_t paused_since_ms;           /* while returned: when it was handed back; else 0 */
	int64_t paused_days;               /* working days spent waiting for the citizen, total */
	bool overdue;
	int64_t decided_ms;                /* 0 until approved or rejected */
	const char *document_id;           /* the issued document (approved), else NULL */
	int64_t version;
	int64_t created_ms, updated_ms;
	/* Who assigned_to is (pd_application_get and pd_application_queue with q->ks), else NULL: */
	const struct pd_app_person *assigned_person;
	/* Filled by pd_application_get / _get_tx / pd_application_draft only (NULL / 0 in lists): */
	const char *answers_json;          /* personal: a JSON object key → value as normalised by
	                                    * pd_form_check (strings; arrays for multi), file fields
	                                    * not included (see files) */
	const char *note;                  /* personal: the latest return note (while returned) or
	                                    * the rejection reason (rejected); NULL otherwise */
	const char *holder_name;           /* assisted only: the name the officer recorded */
	struct pd_app_file *files;
	int n_files;
	struct pd_app_check_item *checklist;
	int n_checklist;
	struct pd_app_event *events;       /* the timeline, oldest first (at most
	                                    * PD_APP_EVENTS_MAX), notes opened */
	int n_events;
	const struct pd_app_person *assisted_person;  /* who assisted_by is, or NULL */
};


/* --- the actor's context for writes ---------------------------------------------------------- */

/* What every write needs besides the transaction. All borrowed for the call. */
struct pd_app_ctx {
	const struct pd_actor *actor;
	const struct pd_keyset *ks;
	const struct pd_calendar *cal;  /* the live calendar (web: pd_http_calendar(r)); needed by
	                                 * submit, resubmit and assisted filing, may be NULL else */
	const char *base_url;           /* public URL for links in emails (--public-url); NULL or
	                                 * "": the email names the path only */
	int64_t now_ms;                 /* 0: pd_clock_now_ms() */
	bool quiet;                     /* no email: the portal notification rows are still
	                                 * written, nothing is queued in the outbox. Only the demo
	                                 * sets it, for a history that happened "in the past" (its
	                                 * fictional citizens must not be mailed); every real step
	                                 * leaves it false */
};

/* --- the citizen's side ---------------------------------------------------------------------- */

/* One raw value typed into the form. A multi field repeats its key. Borrowed. */
struct pd_app_value {
	const char *key;
	const char *value;
};

/* One uploaded file for a file field (the multipart part named by the field's key). */
struct pd_app_upload {
	const char *field_key;
	struct pd_attachment_file file;
};

/* A draft save or a submission of the form of service_slug. Borrowed for the call. */
struct pd_app_input {
	const char *service_slug;
	const struct pd_app_value *values;
	int n_values;
	const struct pd_app_upload *uploads;  /* new files; a field without one keeps the draft's */
	int n_uploads;
	const char *const *remove_files;      /* file field keys whose draft file is removed */
	int n_remove;
	bool submit;                          /* false: save the draft ("Simpan draf");
	                                       * true: validate fully and submit ("Kirim") */
	const char *draft_id;                 /* the application the form page was for: its
	                                       * draft's id, or a fresh UUIDv7 when it had none;
	                                       * NULL: none given (the actor's draft, if any) */
	int64_t draft_version;                /* that draft's version as shown; 0 for a new one */
};

#define PD_APP_ERROR_KEY_MAX 48 /* a form key (PD_FORM_KEY_MAX) or a desk field like "_consent" */

/* Field errors: msgids (Indonesian, translate for display) by field key; the first per field
 * wins. An error that belongs to no field uses the key "_form". */
struct pd_app_errors {
	/* copied: a key may live in a transaction's arena, and the errors outlive it */
	char field[PD_APP_FIELDS_MAX][PD_APP_ERROR_KEY_MAX];
	const char *msg[PD_APP_FIELDS_MAX];
	int n;
};

/* Adds an error (kept when the field has none yet and there is room); the key is copied, the
 * msgid must be static. A key longer than the room is recorded as "_form". */
void pd_app_error(struct pd_app_errors *e, const char *field, const char *msgid);

/* The message for field, or NULL. */
const char *pd_app_error_for(const struct pd_app_errors *e, const char *field);

/* The actor's draft for the enabled service service_slug, opened into *out (answers, files),
 * or PD_ERR_NOT_FOUND when there is none (also for an unknown or disabled service, and for
 * nobody signed in). An account has at most one draft per service. */
int pd_application_draft(struct pd_store *st, const struct pd_keyset *ks,
                         const struct pd_actor *actor, const char *service_slug,
                         struct pd_arena *a, struct pd_application *out);

/* Saves the draft or submits (in->submit) the actor's application for in->service_slug in tx.
 * The actor needs PD_ACT_FILE as owner (a verified email: PD_ERR_FORBIDDEN otherwise). The
 * answers are checked against the service's current form (pd_form_check; a draft skips
 * "required"); uploads are checked by content (PDF, JPEG, PNG; the field's size limit) and
 * stored with pd_attachment_put under the citizen's subject key, replacing the draft's file of
 * the same field (the old attachment is deleted). Saving creates or updates the one draft of
 * this service; submitting turns it (or a new application) into "submitted": tracking number
 * (kind 'P'), sla_days, due date (see the clock above), timeline event, audit entry
 * "application.submit", notification and email. The application id goes to id_out.
 * Returns PD_OK (errs->n == 0); PD_ERR_INVALID with errs filled when a field has an error
 * (a malformed value, a refused file; on submit also a missing required answer): then nothing
 * is submitted, but the draft WAS written with the valid answers and the accepted files, so
 * that uploads are not lost: commit the transaction (return PD_OK from the body) to keep them
 * and show the form again with 422, or return the error to discard everything. id_out is set
 * in both cases. PD_ERR_NOT_FOUND for an unknown or disabled service; PD_ERR_FORBIDDEN;
 * store, crypto and I/O errors (return them from the body).
 * With in->draft_id (the page's, so that a double click or a form sent again never files twice):
 * an id naming the actor's application of this service that is no longer a draft (it was
 * sent) changes nothing and gives PD_ERR_CONFLICT with id_out set to it (show it); an id of the
 * actor's draft is saved into, and a submission needs in->draft_version to equal its version;
 * an unknown id is the id of the new application. A stale version, or an unknown id while the
 * actor has another draft of the service, gives PD_ERR_CONFLICT with id_out "" and an error on
 * "_form" (the draft changed elsewhere: show the form again); an id of anyone else's or of
 * another service's application PD_ERR_NOT_FOUND. Nothing is written in these cases. */
int pd_application_save(struct pd_tx *tx, const struct pd_app_ctx *c,
                        const struct pd_app_input *in, struct pd_app_errors *errs,
                        char id_out[37]);

/* Deletes the actor's draft id with its files. PD_ERR_NOT_FOUND when it is not the actor's
 * draft; PD_ERR_CONFLICT when it is no longer a draft. */
int pd_application_draft_delete(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id);

/* Correction after a return: the owner replaces answers and files of the returned application
 * id (same rules as a submission, against the form version stored on the application, so a
 * later form change never breaks it) and resubmits it: status "submitted", the clock resumes
 * (the due date moves on by the working days spent waiting, see above), event "resubmitted",
 * audit "application.resubmit", notification and email. in->service_slug is ignored;
 * in->submit is ignored. Returns PD_OK; PD_ERR_INVALID with errs (nothing of this call is
 * kept: return the error from the body; the citizen uploads again); PD_ERR_CONFLICT when the
 * application is not "returned" or version does not match; PD_ERR_NOT_FOUND when it is not
 * the actor's (an assisted application must be attached before it can be corrected online). */
int pd_application_resubmit(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                            int64_t version, const struct pd_app_input *in,
                            struct pd_app_errors *errs);

/* A page of the actor's own applications (drafts included), newest first, keyset paged:
 * after is the opaque cursor of the previous page (NULL: the first), limit 1..PD_APP_PAGE_MAX.
 * Lists carry no answers. *next is the next page's cursor or NULL on the last page.
 * PD_ERR_INVALID for a malformed cursor or limit; PD_ERR_NOT_FOUND for no signed-in actor. */
int pd_application_list_mine(struct pd_store *st, const struct pd_actor *actor,
                             const char *after, int limit, struct pd_arena *a,
                             struct pd_application *out, int *n, const char **next);

/* Attaches an assisted application to the actor's account: the tracking number (any accepted
 * spelling) and the typed NIK must both match, and the NIK the actor's own account holds must be
 * the application's too (blind indexes, compared in constant time), so that knowing someone's
 * number and NIK (both on their receipt and card) is not enough to take their application. Then
 * citizen_account_id = actor, the application's own subject key is adopted: its answers,
 * notes and the holder of a document already issued on it are sealed anew under the account's
 * subject key and the own key is dropped; its files are encrypted anew under the account's
 * subject key (pd_attachment_rekey), so that erasing the account destroys them with the rest.
 * Event "attached", audit "application.attach". A wrong pair, a NIK of the account that is
 * not the application's, an unknown number, an application that is not assisted or is
 * attached already all answer PD_ERR_NOT_FOUND (the answer never says which part was wrong;
 * the caller rate-limits); PD_ERR_INVALID for input that is not a tracking number or a NIK at
 * all; PD_ERR_FORBIDDEN also for an account that holds no NIK (checked first: nothing can
 * match; the page asks for one). id_out receives the application id. */
int pd_application_attach(struct pd_tx *tx, const struct pd_app_ctx *c, const char *tracking,
                          const char *nik, char id_out[37]);

/* --- reading one application ----------------------------------------------------------------- */

/* Application id with answers, files, checklist, note and timeline opened, for its owner (a read
 * transaction) or for staff with PD_ACT_CASE_VIEW (then a write transaction records the read
 * with purpose "permohonan <tracking>" before the data is returned). PD_ERR_NOT_FOUND when it
 * does not exist or the actor may not see it (another citizen's, another unit's, a draft for
 * staff). */
int pd_application_get(struct pd_store *st, const struct pd_keyset *ks,
                       const struct pd_actor *actor, const char *id, struct pd_arena *a,
                       struct pd_application *out);

/* The same inside write transaction tx (the web layer's pd_req_write), recording a staff read
 * in tx. */
int pd_application_get_tx(struct pd_tx *tx, const struct pd_keyset *ks,
                          const struct pd_actor *actor, const char *id, struct pd_arena *a,
                          struct pd_application *out);

/* Application id without personal data (no answers, note, files' names, holder) for anyone
 * who may see it: for page headers, permissions and the receipt. Same refusals as
 * pd_application_get; no read is recorded. */
int pd_application_summary(struct pd_store *st, const struct pd_actor *actor, const char *id,
                           struct pd_arena *a, struct pd_application *out);

/* The timeline of application id, oldest first, at most max events (notes opened), for whoever
 * may see it: pd_application_get's events (a staff reader's read is recorded the same way).
 * *n receives the count. Pages that show the application use its events member instead (the
 * timeline comes with pd_application_get_tx in the page's one transaction). */
int pd_application_timeline(struct pd_store *st, const struct pd_keyset *ks,
                            const struct pd_actor *actor, const char *id, struct pd_arena *a,
                            struct pd_app_event *out, int max, int *n);

/* The decrypted bytes of file file_id of application id streamed to fn (see
 * pd_attachment_read), described in *info. For the owner, or staff with PD_ACT_CASE_VIEW
 * (their read recorded). PD_ERR_NOT_FOUND for anything the actor may not see or that does not
 * exist; PD_ERR_CRYPTO for an altered file. */
int pd_application_file_read(struct pd_store *st, const struct pd_keyset *ks,
                             const struct pd_actor *actor, const char *id, const char *file_id,
                             struct pd_arena *a, struct pd_app_file *info,
                             pd_attachment_sink fn, void *arg);

/* The web's way for staff, which never waits for the writer on a pool thread: first
 * pd_application_file_record_tx in a durable write (pd_req_write) checks that the actor may see
 * file file_id of application id and records the staff read (nothing to record for the owner,
 * the operator or an assisted application no account holds yet); once it has committed,
 * pd_application_file_read_recorded streams the file in a read transaction like
 * pd_application_file_read but records nothing (the caller has just recorded it). Both give
 * pd_application_file_read's refusals. */
int pd_application_file_record_tx(struct pd_tx *tx, const struct pd_actor *actor, const char *id,
                                  const char *file_id);
int pd_application_file_read_recorded(struct pd_store *st, const struct pd_keyset *ks,
                                      const struct pd_actor *actor, const char *id,
                                      const char *file_id, struct pd_arena *a,
                                      struct pd_app_file *info, pd_attachment_sink fn,
                                      void *arg);

/* The key the personal data of application id is sealed under, into key (the caller wipes it):
 * its citizen's subject key, or its own while assisted and not attached. For the document
 * issued on it, whose holder data is sealed under the same key so that erasing the citizen
 * destroys it too (domain/document.c). No access check: the caller has made one (for example
 * pd_application_summary). PD_ERR_NOT_FOUND when there is no such application or the key is
 * gone (the citizen was erased); PD_ERR_CRYPTO; the transaction's error. */
int pd_application_key_tx(struct pd_tx *tx, const struct pd_keyset *ks, const char *id,
                          unsigned char key[PD_CRYPTO_KEY_BYTES]);

/* --- the back office ------------------------------------------------------------------------- */

/* A queue request. Every member may be NULL/0/false (no filter). */
struct pd_app_queue_query {
	const char *unit_path;   /* only this subtree (must lie inside the actor's grants) */
	const char *status;      /* a stored status name other than "draft"; NULL or "": open work
	                          * (submitted and processing) */
	const char *service_slug;
	bool overdue;            /* only submitted/processing whose due date has passed */
	bool mine;               /* only those assigned to the actor */
	const char *after;       /* opaque cursor of the previous page */
	int limit;               /* 1..PD_APP_PAGE_MAX (0: 50) */
	const struct pd_keyset *ks;  /* to name the assignees (assigned_person); NULL: not named */
};

/* One page of applications the actor may see (PD_ACT_CASE_VIEW on their unit: officer,
 * coordinator, supervisor grants; at most PD_APP_QUEUE_UNITS subtrees), filtered by q, ordered
 * by due date then id (keyset: *next is the next page's cursor or NULL). Lists carry no
 * personal data. PD_ERR_INVALID for a bad cursor, limit or status; PD_ERR_NOT_FOUND for an
 * actor without such a grant or a unit_path outside the grants. */
int pd_application_queue(struct pd_store *st, const struct pd_actor *actor,
                         const struct pd_app_queue_query *q, struct pd_arena *a,
                         struct pd_application *out, int *n, const char **next);

/* Claims application id: "submitted" → "processing" assigned to the actor (PD_ACT_CASE_WORK).
 * Event "claimed", audit "application.claim", notification ("being processed") and email.
 * PD_ERR_CONFLICT when it is not "submitted" or version does not match. */
int pd_application_claim(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                         int64_t version);

#define PD_APP_ASSIGNEES_MAX 200  /* most people pd_application_assignees returns */

/* Who application id may be assigned to, for the supervisor's choice: the active staff accounts
 * (not disabled, not erased) holding officer or supervisor on a unit whose subtree holds the
 * application's unit, each once with its nearest such grant (role, unit_name) and its name
 * opened, sorted by name. Needs PD_ACT_CASE_ASSIGN on the application (PD_ERR_FORBIDDEN for
 * staff who may only see or work it; PD_ERR_NOT_FOUND like pd_application_get). At most max
 * (1..PD_APP_ASSIGNEES_MAX) into out, *n the count. pd_application_assign accepts exactly these
 * people. The _tx form runs in the caller's transaction (the detail page's). */
int pd_application_assignees(struct pd_store *st, const struct pd_keyset *ks,
                             const struct pd_actor *actor, const char *id, struct pd_arena *a,
                             struct pd_app_person *out, int max, int *n);
int pd_application_assignees_tx(struct pd_tx *tx, const struct pd_keyset *ks,
                                const struct pd_actor *actor, const char *id,
                                struct pd_arena *a, struct pd_app_person *out, int max, int *n);

/* Assigns application id to officer assignee_id (supervisor: PD_ACT_CASE_ASSIGN); works on
 * "submitted" (→ "processing") and "processing" (reassign). The assignee must be one of
 * pd_application_assignees (PD_ERR_INVALID otherwise: an unknown, disabled or citizen account,
 * or staff of another unit). Event "assigned", audit "application.assign"; the citizen is
 * notified when the status changed. PD_ERR_CONFLICT as for claim. */
int pd_application_assign(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                          int64_t version, const char *assignee_id);

/* The decision steps below need status "processing" and an actor who is the assignee or holds
 * PD_ACT_CASE_ASSIGN (supervisor) on the unit: another officer who may work the unit gets
 * PD_ERR_FORBIDDEN, a role that may only see (coordinator) PD_ERR_FORBIDDEN, anyone else
 * PD_ERR_NOT_FOUND. PD_ERR_CONFLICT for another status or a stale version. */

/* Ticks the requirements checklist: done[i] for the i-th line of the checklist (the service's
 * requirements text split into non-empty lines, bullets stripped, snapshot at the first
 * check); n must equal the number of lines (PD_ERR_INVALID otherwise). No status change, no
 * notification; event "checked", audit "application.check". */
int pd_application_check(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                         int64_t version, const bool *done, int n);

/* The requirements checklist application id would get (stored snapshot, or the lines of the
 * service's current requirements), for the officer's page, without personal data. */
int pd_application_checklist(struct pd_store *st, const struct pd_actor *actor, const char *id,
                             struct pd_arena *a, struct pd_app_check_item **out, int *n);

/* Returns application id to the citizen for correction with note (what to fix; 1 ..
 * PD_APP_NOTE_MAX_CHARS code points, sealed): "processing" → "returned", the clock pauses
 * (paused_since = now), overdue cleared. Event "returned", audit "application.return",
 * notification and email (which says that something must be corrected, not the note itself).
 * PD_ERR_INVALID with errs on "note" for a missing or overlong note. */
int pd_application_return(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                          int64_t version, const char *note, struct pd_app_errors *errs);

/* Approves application id: "processing" → "approved", decided_ms = now, and in the same
 * transaction issues the product with pd_document_issue_tx (holder: the account's name and
 * NIK, or the assisted holder's); document_id set. note is optional (may be NULL). Event
 * "approved", audit "application.approve", notification and email with the link. Errors of
 * the document issue are returned as they are. */
int pd_application_approve(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                           int64_t version, const char *note, struct pd_app_errors *errs);

/* Rejects application id with reason (required, 1 .. PD_APP_NOTE_MAX_CHARS code points,
 * sealed; shown to the citizen): "processing" → "rejected", decided_ms = now. Event
 * "rejected", audit "application.reject", notification and email. PD_ERR_INVALID with errs on
 * "reason" when missing or overlong. */
int pd_application_reject(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                          int64_t version, const char *reason, struct pd_app_errors *errs);

/* The deadline job: flags every "submitted" or "processing" application whose due date is
 * before now_ms and not flagged yet (event "overdue" by the system, audit
 * "application.overdue" with the count), in one write transaction. *n_flagged receives how
 * many were flagged now. */
int pd_application_mark_overdue(struct pd_store *st, int64_t now_ms, int64_t *n_flagged);

/* How many submitted/processing applications are flagged overdue now (for /metrics). */
int pd_application_count_overdue(struct pd_store *st, int64_t *n);

/* --- assisted filing ------------------------------------------------------------------------- */

/* What the officer at the desk enters for a citizen without a device. Borrowed. */
struct pd_app_assisted {
	const char *service_slug;
	const char *nik;             /* the citizen's NIK from the card (pd_nik_check) */
	const char *holder_name;     /* the citizen's name as on the card (1..200 code points) */
	bool consent;                /* the citizen agreed to the officer filing for them */
	const struct pd_app_value *values;
	int n_values;
	const struct pd_app_upload *uploads;
	int n_uploads;
};

/* Whether the actor may open the assisted desk for the service service_slug (the rule of
 * pd_application_file_assisted below, checked before the form is shown): PD_OK and the enabled
 * service in *out (may be NULL; strings in a); PD_ERR_NOT_FOUND for an unknown or disabled
 * service and for anyone who is not staff; PD_ERR_FORBIDDEN for staff without the right. */
struct pd_service;
int pd_application_assist_open(struct pd_store *st, const struct pd_actor *actor,
                               const char *service_slug, struct pd_arena *a,
                               struct pd_service *out);

/* Files and submits an application on behalf of a citizen (DESIGN §2, assisted service).
 * Who: an officer (or supervisor) holding that role on a unit of kind "village" (the village
 * office: the application's place_unit_id becomes that village) or on a unit whose subtree
 * holds the service's unit (the agency's own counter); anyone else PD_ERR_FORBIDDEN when staff,
 * PD_ERR_NOT_FOUND otherwise. Consent is required (PD_ERR_INVALID with an error on
 * "_consent"), consent_ms = now. The NIK and the holder's name are checked (errors on "_nik",
 * "_holder_name": these keys start with '_', which no form field key can (domain/form.h), so
 * they never clash with the service's own fields, e.g. a field "nik") and sealed, the NIK also kept as a blind index for pd_application_attach.
 * The answers are checked like a citizen's submission (full validation). The application has
 * no account (citizen_account_id NULL) and a subject key of its own (wrapped by the master
 * key, subject id = the application id) sealing its answers and notes; files are stored under
 * keys of their own. assisted_by = the officer. It is submitted at once (tracking number, due
 * date, event "submitted" by staff, audit "application.submit_assisted"); there is nobody to
 * notify yet. id_out and tracking_out (compact) receive the new application. Returns PD_OK;
 * PD_ERR_INVALID with errs (nothing may be kept: return the error from the transaction body,
 * the officer uploads again); PD_ERR_NOT_FOUND for an unknown or disabled service; store,
 * crypto and I/O errors. The operator (actor->system) may file too (assisted_by NULL). */
int pd_application_file_assisted(struct pd_tx *tx, const struct pd_app_ctx *c,
                                 const struct pd_app_assisted *in, struct pd_app_errors *errs,
                                 char id_out[37],
                                 char tracking_out[PD_TRACKING_COMPACT_LEN + 1]);

/* --- the public status ----------------------------------------------------------------------- */

/* What /lacak/{nomor} shows: no personal data at all. */
struct pd_app_public {
	char tracking[PD_TRACKING_GROUPED_LEN + 1];  /* grouped */
	enum pd_app_status status;
	const char *service_name, *service_slug, *unit_name;
	int64_t submitted_ms, due_ms, decided_ms, updated_ms;
	bool overdue;
};

/* The public status of the application with this compact tracking number (parse input with
 * pd_tracking_parse first). PD_ERR_NOT_FOUND when none (drafts have no number). */
int pd_application_track(struct pd_store *st, const char *tracking, struct pd_arena *a,
                         struct pd_app_public *out);

/* --- notifications --------------------------------------------------------------------------- */

/* One portal notification of a status change. kind is the event kind ("submitted", "claimed",
 * "assigned", "returned", "resubmitted", "approved", "rejected"). No personal data. */
struct pd_notification {
	const char *id;
	const char *application_id;
	const char *tracking_display;   /* grouped, or NULL */
	const char *service_name;
	const char *kind;
	enum pd_app_status status;      /* the status after the change */
	int64_t created_ms;
	int64_t read_ms;                /* 0 while unread */
};

/* The actor's notifications, newest first, keyset paged like pd_application_list_mine.
 * PD_ERR_NOT_FOUND for no signed-in actor. */
int pd_notification_list(struct pd_store *st, const struct pd_actor *actor, const char *after,
                         int limit, struct pd_arena *a, struct pd_notification *out, int *n,
                         const char **next);

/* Number of the actor's unread notifications (0 for nobody). */
int pd_notification_unread(struct pd_store *st, const struct pd_actor *actor, int64_t *n);

/* Marks every notification of the actor created at or before upto_ms read (read_ms = now).
 * PD_ERR_NOT_FOUND for no signed-in actor. */
int pd_notification_mark_read(struct pd_tx *tx, const struct pd_actor *actor, int64_t upto_ms);

#endif
