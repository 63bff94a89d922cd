/* Information requests (PPID, UU 14/2008): filing by a citizen, the unit PPID's extension and
 * answer, the requester's objection and its decision by the PPID's superior, the public
 * register, the deadline job and the figures per unit and month. */
#ifndef PD_DOMAIN_INFOREQ_H
#define PD_DOMAIN_INFOREQ_H

/* Rules (tested in tests/unit/test_inforeq*.c and tests/http/test_informasi*.py).
 * - Status: "received" (the unit's clock runs) → "answered" (an outcome is set) → optionally
 *   "objected" (the superior's clock runs) → "objection_decided". A request whose answer was
 *   never given may also go received → objected (a missed deadline, Pasal 35 (1) c/g).
 * - Deadlines (the platform's working-day calendar, pd_calendar_due: day 1 is the first
 *   working day after the event, the deadline is the end of day n):
 *     answer      due = received + 10 working days              (Pasal 22 (7));
 *     extension   once, 1..7 working days with a written reason, only before the answer is
 *                 due: due = received + 10 + n working days      (Pasal 22 (8));
 *     objection   the requester may object until answered + 30 working days, or, when no
 *                 answer came in time, until due + 30 working days (Pasal 36 (1));
 *     decision    the superior answers within objected + 30 working days (Pasal 36 (2)).
 * - Outcomes: granted, partly_granted, refused (a Pasal 17 ground, letters a–j, with the
 *   reasoning), not_held, forwarded. Forwarding (our reading of "forwarded to the unit that
 *   holds it"): the request is closed at its unit with outcome "forwarded" (that is the unit's
 *   written answer, on time or not) and a NEW request is filed for the same requester at the
 *   other unit (fresh tracking number, received now, fresh 10-day clock, forwarded_from the
 *   first); the requester is told both numbers. Figures count each at its own unit.
 * - Objection outcomes: "upheld" (the PPID's answer stands) or "overturned" (the superior
 *   orders the information given); both with the superior's written answer, sent to the
 *   requester. One objection per request.
 * - Personal data: the requester's details, purpose and objection reasons are sealed under
 *   the requester's subject key; the subject is sealed too. Only the PPID's public summary
 *   (register_subject, register_answer) is in clear, and it is published in the register only
 *   when the request is answered, the outcome is not "refused", and the requester consented.
 * - Access: the requester (owner) sees their own requests; staff with PD_ACT_INFOREQ_DECIDE on
 *   the owner unit's subtree (ppid; ppid_superior may see) act on requests; PD_ACT_OBJECTION_DECIDE
 *   (ppid_superior) decides objections. Others get PD_ERR_NOT_FOUND (404); staff who may see
 *   but not act PD_ERR_FORBIDDEN.
 * - Writes take a write transaction and a struct pd_app_ctx (actor, keys, calendar, now, quiet);
 *   version is the version the actor saw (0: do not check; the demo and the job only). Each step
 *   writes an inforeq_event, an audit entry ("inforeq.<step>", ids only) and notifies the
 *   requester (a portal notification and mail unless quiet).
 * - errs keys as on the forms: "unit", "subject", "details", "purpose", "format", "delivery",
 *   "days", "reason", "outcome", "answer", "ground", "to_unit", "register_subject",
 *   "register_answer", "reasons", "text", "files". */

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/calendar.h"
#include "core/crypto.h"
#include "domain/application.h"
#include "domain/authz.h"
#include "store/store.h"

#define PD_INFOREQ_ANSWER_DAYS 10      /* UU 14/2008 Pasal 22 (7) */
#define PD_INFOREQ_EXTEND_MAX 7        /* Pasal 22 (8): once, at most 7 working days */
#define PD_INFOREQ_OBJECT_DAYS 30      /* Pasal 36 (1): objection within 30 working days */
#define PD_INFOREQ_DECIDE_DAYS 30      /* Pasal 36 (2): the superior answers within 30 */
#define PD_INFOREQ_SUBJECT_MAX 200     /* code points */
#define PD_INFOREQ_TEXT_MAX 4000       /* code points of details, purpose, answers, reasons */
#define PD_INFOREQ_QUEUE_MAX 100       /* rows of one queue or register page */
#define PD_INFOREQ_FILES_MAX 5         /* files attached to one answer */
#define PD_INFOREQ_JOB_MAX 500         /* requests one deadline-job run flags */
#define PD_INFOREQ_UNITS_MAX 500       /* units in the figures */

enum pd_inforeq_status {
	PD_INFOREQ_RECEIVED,
	PD_INFOREQ_ANSWERED,
	PD_INFOREQ_OBJECTED,
	PD_INFOREQ_OBJECTION_DECIDED,
	PD_INFOREQ_STATUS__MAX
};

enum pd_inforeq_outcome {
	PD_INFOREQ_OUTCOME_NONE,           /* not answered (yet) */
	PD_INFOREQ_GRANTED,
	PD_INFOREQ_PARTLY_GRANTED,
	PD_INFOREQ_REFUSED,                /* with a Pasal 17 ground */
	PD_INFOREQ_NOT_HELD,
	PD_INFOREQ_FORWARDED,
	PD_INFOREQ_OUTCOME__MAX
};

enum pd_inforeq_format { PD_INFOREQ_SOFTCOPY, PD_INFOREQ_HARDCOPY, PD_INFOREQ_VIEW,
	                 PD_INFOREQ_FORMAT__MAX };
enum pd_inforeq_delivery { PD_INFOREQ_PORTAL, PD_INFOREQ_EMAIL, PD_INFOREQ_POST,
	                   PD_INFOREQ_PICKUP, PD_INFOREQ_DELIVERY__MAX };
enum pd_objection_outcome { PD_OBJECTION_NONE, PD_OBJECTION_UPHELD, PD_OBJECTION_OVERTURNED,
	                    PD_OBJECTION_OUTCOME__MAX };

/* Stored names ("received", "partly_granted", "softcopy", "pickup", "upheld", …) and parsers
 * (PD_OK or PD_ERR_INVALID). Names are static. */
const char *pd_inforeq_status_name(enum pd_inforeq_status s);
int pd_inforeq_status_parse(const char *s, enum pd_inforeq_status *out);
const char *pd_inforeq_outcome_name(enum pd_inforeq_outcome o);   /* NULL for NONE */
int pd_inforeq_outcome_parse(const char *s, enum pd_inforeq_outcome *out);
const char *pd_inforeq_format_name(enum pd_inforeq_format f);
int pd_inforeq_format_parse(const char *s, enum pd_inforeq_format *out);
const char *pd_inforeq_delivery_name(enum pd_inforeq_delivery d);
int pd_inforeq_delivery_parse(const char *s, enum pd_inforeq_delivery *out);
const char *pd_objection_outcome_name(enum pd_objection_outcome o);  /* NULL for NONE */
int pd_objection_outcome_parse(const char *s, enum pd_objection_outcome *out);

/* Pasal 17 exemption grounds, letters 'a'..'j': the label (Indonesian msgid, static; translate
 * with the request's language) or NULL for another letter. */
const char *pd_inforeq_ground_label(char letter);
/* Pasal 35 (1) objection reasons, letters 'a'..'g' (bit (letter - 'a') of a reason mask): the
 * label (msgid, static) or NULL. */
const char *pd_objection_reason_label(char letter);

/* --- deadlines (pure) ------------------------------------------------------------------------- */

/* Answer due: received_ms + 10 working days (+ extension_days, 0..7), end of day, UTC ms. */
int64_t pd_inforeq_due(const struct pd_calendar *cal, int64_t received_ms, int extension_days);
/* Last moment to object: from answered_ms when answered (> 0), else from due_ms (a missed
 * deadline): + 30 working days, end of day. */
int64_t pd_inforeq_objection_until(const struct pd_calendar *cal, int64_t answered_ms,
                                   int64_t due_ms);
/* The superior's decision due: objected_ms + 30 working days, end of day. */
int64_t pd_inforeq_objection_due(const struct pd_calendar *cal, int64_t objected_ms);

/* --- records ---------------------------------------------------------------------------------- */

struct pd_inforeq_event {
	int64_t at_ms;
	const char *kind;            /* "received", "extended", "answered", "forwarded",
	                              * "forwarded_in", "objected", "objection_decided", "overdue",
	                              * "objection_overdue" */
	const char *note;            /* the public part for the requester (answer text, reason of an
	                              * extension, the superior's answer), or NULL */
	bool by_staff;
};

struct pd_inforeq_file {
	const char *attachment_id;
	const char *filename;
	const char *content_type;
	int64_t size;
};

/* A request. Personal fields (requester_name, details, purpose, objection_text) are set only
 * for the requester and for staff who may see it; NULL in lists. Strings arena-owned. */
struct pd_inforeq {
	char id[37];
	const char *tracking;           /* compact */
	const char *tracking_display;   /* grouped "K-XXXX-XXXX-X" */
	const char *unit_slug, *unit_name, *unit_path;
	const char *requester_account_id;
	const char *requester_name;     /* opened, or NULL */
	const char *subject;            /* opened, or NULL in public contexts */
	const char *details, *purpose;  /* opened, or NULL */
	enum pd_inforeq_format format;
	enum pd_inforeq_delivery delivery;
	bool publish_consent;
	enum pd_inforeq_status status;
	enum pd_inforeq_outcome outcome;
	char ground;                    /* Pasal 17 letter for refused, else '\0' */
	const char *answer;             /* the answer text for the requester, or NULL */
	const char *register_subject;   /* the PPID's public summary, or NULL */
	const char *register_answer;
	int64_t received_ms, due_ms, answered_ms;
	int extension_days;             /* 0 = not extended */
	const char *extension_reason;
	bool overdue;                   /* flagged by the job or past due now (open only) */
	const char *forwarded_from_tracking, *forwarded_to_tracking;  /* grouped, or NULL */
	/* objection */
	int64_t objected_ms, objection_due_ms, objection_decided_ms;
	unsigned objection_reasons;     /* bit (letter - 'a') of Pasal 35 (1) a–g */
	const char *objection_text;     /* opened, or NULL */
	enum pd_objection_outcome objection_outcome;
	const char *objection_answer;
	bool objection_overdue;
	int64_t version;
	/* detail only (get / get_own) */
	struct pd_inforeq_event *events;  /* oldest first */
	int n_events;
	struct pd_inforeq_file *files;
	int n_files;
	/* what the actor may do now */
	bool may_decide;                /* PPID: extend / answer */
	bool may_extend;
	bool may_object;                /* the requester, in the window */
	int64_t objection_until_ms;     /* 0 when no window applies yet */
	bool may_decide_objection;      /* the superior */
};

/* --- the requester ---------------------------------------------------------------------------- */

struct pd_inforeq_input {
	const char *unit_slug;
	const char *subject, *details, *purpose;
	const char *format, *delivery;  /* stored names */
	bool publish_consent;
	const char *form_id;            /* the page's id (UUID): a form sent twice files once */
};

/* Files a request for the signed-in citizen (PD_ACT_FILE as owner: verified email). Validates
 * (errs; PD_ERR_INVALID, nothing written), seals, assigns a 'K' tracking number, due date,
 * event "received", audit "inforeq.file", receipt notification and mail. id_out gets the id,
 * tracking_out (compact) the number. */
int pd_inforeq_file(struct pd_tx *tx, const struct pd_app_ctx *c, const struct pd_inforeq_input *in,
                    struct pd_app_errors *errs, char id_out[37], char tracking_out[11]);

/* The requester's own request by tracking number (any accepted spelling), with the timeline
 * and files and what they may do. PD_ERR_NOT_FOUND for anyone else. */
int pd_inforeq_get_own(struct pd_store *st, const struct pd_keyset *ks,
                       const struct pd_actor *actor, const struct pd_calendar *cal,
                       const char *tracking, struct pd_arena *a, struct pd_inforeq *out);

/* The actor's own requests, newest first, keyset cursor (after, NULL first; *next NULL on the
 * last page). Subjects opened, no events. */
int pd_inforeq_list_own(struct pd_store *st, const struct pd_keyset *ks,
                        const struct pd_actor *actor, const char *after, int limit,
                        struct pd_arena *a, struct pd_inforeq *out, int *n, const char **next);

/* Objection by the requester (owner only) in the window (else PD_ERR_CONFLICT): reasons a mask
 * of Pasal 35 (1) letters (at least one; errs "reasons"), text (required, sealed; errs "text").
 * status → objected, objection_due = +30 working days. Event "objected", audit
 * "inforeq.object"; the superiors covering the unit are notified. */
int pd_inforeq_object(struct pd_tx *tx, const struct pd_app_ctx *c, const char *tracking,
                      unsigned reasons, const char *text, struct pd_app_errors *errs);

/* The public status of compact tracking number (kind 'K') for /lacak: unit, status, outcome
 * and dates only (no personal data, no answer text). PD_ERR_NOT_FOUND for an unknown number. */
int pd_inforeq_track(struct pd_store *st, const char *compact, struct pd_arena *a,
                     struct pd_inforeq *out);

/* The actor's most recent request notifications (kinds and numbers only), newest first, at
 * most max. */
struct pd_inforeq_notification {
	const char *inforeq_id, *tracking_display, *kind;
	int64_t created_ms;
};
int pd_inforeq_notifications(struct pd_store *st, const struct pd_actor *actor,
                             struct pd_arena *a, struct pd_inforeq_notification *out, int max,
                             int *n);

/* The units a request may be addressed or forwarded to (any unit but villages), by path. */
struct pd_inforeq_unit {
	const char *slug, *name;
};
int pd_inforeq_units(struct pd_store *st, struct pd_arena *a, struct pd_inforeq_unit *out,
                     int max, int *n);

/* --- the PPID and the superior ---------------------------------------------------------------- */

/* Request id for staff who may see it (PD_ACT_INFOREQ_DECIDE or PD_ACT_OBJECTION_DECIDE on the
 * unit): everything opened; records the staff read of personal data (purpose "informasi
 * <tracking>"). Write transaction (the read record). */
int pd_inforeq_get_tx(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_actor *actor,
                      const struct pd_calendar *cal, const char *id, struct pd_arena *a,
                      struct pd_inforeq *out);

struct pd_inforeq_queue_query {
	const char *status;   /* "open" (NULL/""; received or objected), "closed", "all", or a
	                       * status name */
	bool overdue;         /* only overdue ones */
	const char *after;    /* opaque cursor */
	int limit;            /* 1..PD_INFOREQ_QUEUE_MAX (0: 50) */
};

/* Requests under the actor's ppid / ppid_superior grants ordered by the due date that runs
 * (the objection's when objected; none last), then id. No personal data (subject NULL).
 * PD_ERR_INVALID for a bad cursor/limit/status; PD_ERR_NOT_FOUND for an actor without grants. */
int pd_inforeq_queue(struct pd_store *st, const struct pd_actor *actor,
                     const struct pd_inforeq_queue_query *q, struct pd_arena *a,
                     struct pd_inforeq *out, int *n, const char **next);

/* Extends once (received, not extended, not yet due; else PD_ERR_CONFLICT) by days 1..7 (errs
 * "days") with a reason (errs "reason"). Event "extended", audit "inforeq.extend". PPID. */
int pd_inforeq_extend(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                      int64_t version, int days, const char *reason, struct pd_app_errors *errs);

struct pd_inforeq_upload {
	const char *path;          /* the uploaded temporary file */
	const char *filename;      /* as the client named it */
	int64_t size;
};

struct pd_inforeq_answer {
	const char *outcome;            /* stored outcome name */
	const char *answer;             /* to the requester (required) */
	const char *ground;             /* Pasal 17 letter, required for refused */
	const char *to_unit;            /* forwarded: the unit's slug (not the same, not a village) */
	const char *register_subject;   /* public summary, required unless refused or no consent */
	const char *register_answer;
	const struct pd_inforeq_upload *files;  /* PDF, JPEG, PNG, CSV…; at most PD_INFOREQ_FILES_MAX */
	int n_files;
};

/* Answers a received request (PD_ERR_CONFLICT otherwise). Sets outcome, answered_ms, the answer,
 * the public summary; files sealed under the requester's key; forwarded: files the new request
 * at to_unit (see the rules). Event "answered"/"forwarded", audit "inforeq.answer". PPID. */
int pd_inforeq_answer(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                      int64_t version, const struct pd_inforeq_answer *in,
                      struct pd_app_errors *errs);

/* Decides an objected request (PD_ERR_CONFLICT otherwise): outcome "upheld"/"overturned"
 * (errs "outcome") with the answer (errs "answer"). Event "objection_decided", audit
 * "inforeq.objection_decide". PD_ACT_OBJECTION_DECIDE (ppid_superior). */
int pd_inforeq_decide_objection(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                                int64_t version, const char *outcome, const char *answer,
                                struct pd_app_errors *errs);

/* Attachment n (1..) of request id's answer, for the requester or staff who may see it. */
int pd_inforeq_file_tx(struct pd_tx *tx, const struct pd_actor *actor, const char *id, int n,
                       struct pd_arena *a, const char **attachment_id, const char **filename,
                       const char **content_type);

/* --- public register -------------------------------------------------------------------------- */

/* One register entry: no personal data at all. */
struct pd_inforeq_public {
	const char *tracking_display;
	const char *unit_slug, *unit_name;
	const char *subject;        /* register_subject */
	const char *answer;         /* register_answer */
	enum pd_inforeq_outcome outcome;
	int64_t received_ms, answered_ms;
	bool on_time;
};

/* Answered requests with consent, outcome not refused, newest answer first; unit_slug (NULL:
 * all) filters on the unit's subtree; keyset cursor. */
int pd_inforeq_register(struct pd_store *st, const char *unit_slug, const char *after, int limit,
                        struct pd_arena *a, struct pd_inforeq_public *out, int *n,
                        const char **next);

/* --- the job and metrics ---------------------------------------------------------------------- */

/* Flags at most max received requests past due_ms and objected ones past objection_due_ms
 * (each once: event "overdue"/"objection_overdue", audit "inforeq.overdue" with the count;
 * the PPID / superiors notified unless quiet). *n gets how many were flagged. */
int pd_inforeq_flag_overdue(struct pd_tx *tx, const struct pd_app_ctx *c, int64_t now_ms, int max,
                            int64_t *n);

/* Open requests and objections flagged overdue (/metrics pendopo_inforeq_overdue). */
int pd_inforeq_count_overdue(struct pd_store *st, int64_t *n);

/* --- figures (for the dataset generator and the dashboards) --------------------------------- */

struct pd_inforeq_figures_query {
	const char *unit_slug;   /* NULL: every unit; else the unit and its subtree */
	int64_t since_ms, until_ms;  /* requests RECEIVED in [since, until) */
	int64_t now_ms;          /* 0: the clock (for "open" and "overdue") */
	int tz_offset_min;       /* months in this time zone (minutes east of UTC; +420 WIB) */
};

/* One (unit, month) row. Each request counts once, at the unit that holds it (a forwarded
 * request at the first unit with outcome forwarded, its successor at the second unit). */
struct pd_inforeq_figures_row {
	const char *unit_slug, *unit_name;
	char month[8];               /* "YYYY-MM" of received_ms in tz */
	int64_t received;
	int64_t answered;            /* an outcome given */
	int64_t answered_on_time;    /* answered_ms <= due_ms (the due that ran, extension incl.) */
	int64_t extended;
	int64_t by_outcome[PD_INFOREQ_OUTCOME__MAX];  /* [NONE] = not answered */
	int64_t open;                /* received and not answered, nor objected */
	int64_t overdue;             /* open and past due now */
	int64_t objections;          /* objected (any state after) */
	int64_t objections_upheld, objections_overturned;
	int64_t objections_on_time;  /* decided by objection_due_ms */
};

struct pd_inforeq_figures {
	struct pd_inforeq_figures_row *rows;  /* by unit path, then month */
	int n;
	bool truncated;              /* more than PD_INFOREQ_UNITS_MAX units: partial */
};

/* Counts only (no content). Arena-owned. PD_ERR_INVALID for since >= until or an unknown unit
 * slug. No access check: the figures are public. */
int pd_inforeq_figures(struct pd_store *st, const struct pd_inforeq_figures_query *q,
                       struct pd_arena *a, struct pd_inforeq_figures *out);

#endif
