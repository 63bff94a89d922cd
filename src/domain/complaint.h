/* Complaints and aspirations (Pengaduan, issue #5): filing by anyone (web form, Open311, SMS),
 * the privacy choices, the hold-back of reports that need an officer's check, the public copy,
 * tracking numbers of kind 'A', the private follow-up link, support, and the public reads. */
#ifndef PD_DOMAIN_COMPLAINT_H
#define PD_DOMAIN_COMPLAINT_H

/* Conventions (the same as domain/application.h, whose helpers this module reuses).
 * - Writes take a write transaction and a struct pd_app_ctx (actor, keys, live calendar, now,
 *   quiet); the change, its timeline event and its audit entry (ids only) commit together.
 *   Refusals (PD_ERR_INVALID with field errors, PD_ERR_FORBIDDEN, PD_ERR_NOT_FOUND,
 *   PD_ERR_CONFLICT) never latch the transaction.
 * - The data model (migration 0013) holds all of complaint handling; this slice writes filing
 *   and support, the handling steps (verification, disposition, hand-on, answer, reopen,
 *   escalation) come with the back office and use the same rows: every transition is
 *   UPDATE … WHERE id AND version (exactly one winner), a complaint_event row and an audit entry.
 * - Personal data is sealed: the title and the description as typed (title_ct, text_ct), the
 *   contact a visitor left (contact_ct) under the reporter's subject key, or, for a reporter
 *   without an account, under a key of the complaint's own (subject_key, wrapped with subject id
 *   = the complaint id). Only the public copy (public_title, public_text) is in clear: set at
 *   filing when nothing needs checking, else by an officer later (PHANDLE).
 * - Published = visibility is not confidential AND not held AND a public copy exists (the
 *   stored column `published`, kept by every write). Public reads show published complaints
 *   only, and never anything of the reporter: not for anonymous ones, and not for public ones
 *   either (the public page has no use for a name). Anonymous complaints also hide the reporter
 *   from every staff role (pd_complaint_get never opens the contact or names the account for
 *   staff).
 * - Held: a title, description or address holding a NIK-like number (16 digits, separators
 *   allowed) or an Indonesian phone number (+62…/62…/08…), or the "about a person" box ticked,
 *   sets held; a held complaint is not published until an officer approves its public copy.
 * - Strings returned are arena-owned (the arena given to the call). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/crypto.h"
#include "core/tracking.h"
#include "domain/application.h"
#include "domain/attachment.h"
#include "domain/authz.h"
#include "store/store.h"

#define PD_COMPLAINT_TITLE_MAX 150      /* code points of a title */
#define PD_COMPLAINT_TEXT_MAX 4000      /* code points of a description */
#define PD_COMPLAINT_ADDRESS_MAX 300    /* code points of an address */
#define PD_COMPLAINT_NAME_MAX 120       /* code points of a visitor's name */
#define PD_COMPLAINT_PHOTOS_MAX 3       /* photos of one complaint */
#define PD_COMPLAINT_PHOTO_PX 2048      /* longest side of a stored photo */
#define PD_COMPLAINT_PAGE_MAX 100       /* most rows of one list page */
#define PD_COMPLAINT_EVENTS_MAX 100     /* most timeline events returned */
#define PD_COMPLAINT_VERIFY_DAYS 3      /* working days the coordinator has to verify */
#define PD_COMPLAINT_TOKEN_LEN 43       /* characters of a follow-up token (256 bits, base64url) */

/* --- statuses and choices ------------------------------------------------------------------- */

/* new → needs_info → dispositioned → answered → reopened (once) → answered;
 * new/needs_info → out_of_scope | merged. Closed (Open311 "closed"): answered, out_of_scope,
 * merged. */
enum pd_complaint_status {
	PD_CMP_NEW,            /* filed, waiting for the coordinator (3 working days) */
	PD_CMP_NEEDS_INFO,     /* the reporter was asked for more; the clock is paused */
	PD_CMP_DISPOSITIONED,  /* accepted and sent to a unit; the category's deadline runs */
	PD_CMP_ANSWERED,       /* the unit answered publicly; closed */
	PD_CMP_REOPENED,       /* reopened once by the reporter with a reason; back at the unit */
	PD_CMP_OUT_OF_SCOPE,   /* closed: not the government's matter */
	PD_CMP_MERGED,         /* closed: merged into another complaint */
	PD_CMP__MAX
};

/* Stored name ("new", "needs_info", "dispositioned", "answered", "reopened", "out_of_scope",
 * "merged") or NULL for an invalid value. Static. */
const char *pd_complaint_status_name(enum pd_complaint_status s);
/* Parses a stored name: PD_OK or PD_ERR_INVALID. */
int pd_complaint_status_parse(const char *name, enum pd_complaint_status *out);
/* The status as people read it: an Indonesian msgid to translate. Static. */
const char *pd_complaint_status_label(enum pd_complaint_status s);
/* True for answered, out_of_scope and merged. */
bool pd_complaint_status_closed(enum pd_complaint_status s);

enum pd_complaint_visibility {
	PD_CMP_PUBLIC,        /* published (once nothing needs checking); "public" */
	PD_CMP_ANONYMOUS,     /* published; the reporter hidden from the public and all staff */
	PD_CMP_CONFIDENTIAL,  /* never published */
	PD_CMP_VIS__MAX
};
/* "public", "anonymous", "confidential" (static; NULL for an invalid value) and back. */
const char *pd_complaint_visibility_name(enum pd_complaint_visibility v);
int pd_complaint_visibility_parse(const char *name, enum pd_complaint_visibility *out);

/* True when text holds a NIK-like number (16 digits; ' ', '.', '-' between digits allowed) or
 * an Indonesian phone number (08… with 10..13 digits, 62/+62 then 8 with 11..14): the
 * hold-back rule. NULL is false. */
bool pd_complaint_text_sensitive(const char *text);

/* --- categories ---------------------------------------------------------------------------- */

struct pd_complaint_category {
	const char *id, *code, *name, *description, *keywords;
	const char *unit_id, *unit_slug, *unit_name;  /* the default responsible unit */
	int64_t deadline_days;                        /* working days to answer once disposed */
	bool enabled;
};

/* The enabled categories in name order, at most max. */
int pd_complaint_categories(struct pd_store *st, struct pd_arena *a,
                            struct pd_complaint_category *out, int max, int *n);

/* Adds a category (code [a-z0-9-] 1..64, unique; unit by slug; deadline 1..90) inside tx as the
 * actor of c (the demo and the admin page). PD_ERR_INVALID, PD_ERR_NOT_FOUND (unit),
 * PD_ERR_CONFLICT (code taken). id_out (may be NULL) gets the new id. */
int pd_complaint_category_add(struct pd_tx *tx, const struct pd_app_ctx *c, const char *code,
                              const char *name, const char *description, const char *unit_slug,
                              int64_t deadline_days, const char *keywords, char id_out[37]);

/* --- filing ------------------------------------------------------------------------------- */

/* One complaint as filed. Borrowed for the call. */
struct pd_complaint_input {
	const char *channel;           /* "web", "open311", "sms" */
	const char *category_code;     /* an enabled category */
	const char *title;             /* 1..PD_COMPLAINT_TITLE_MAX (SMS: may be NULL: derived) */
	const char *text;              /* 1..PD_COMPLAINT_TEXT_MAX, plain text */
	const char *village_slug;      /* a unit of kind village; NULL only for open311/sms */
	const char *address;           /* 0..PD_COMPLAINT_ADDRESS_MAX, may be NULL */
	bool has_location;
	int64_t lat_e6, lon_e6;        /* micro-degrees (-90e6..90e6, -180e6..180e6) */
	int64_t occurred_ms;           /* when it happened (0: not said); not after now */
	enum pd_complaint_visibility visibility;
	bool about_person;             /* the reporter says it is about a person: held */
	const char *contact_name;      /* a reporter without an account: optional, sealed */
	const char *contact_email;     /* optional, sealed */
	const char *contact_phone;     /* optional (SMS: the sender), sealed */
	const struct pd_attachment_file *photos;  /* already cleaned (pd_complaint_photo_clean) */
	int n_photos;                  /* 0..PD_COMPLAINT_PHOTOS_MAX */
	const char *id;                /* the id the form page was for (a fresh UUIDv7), so that
	                                * sending the form twice files once; NULL: a new one */
	bool want_token;               /* make a follow-up token (a reporter without account) */
};

/* What filing gives back. */
struct pd_complaint_filed {
	char id[37];
	char tracking[PD_TRACKING_COMPACT_LEN + 1];
	char token[PD_COMPLAINT_TOKEN_LEN + 1];  /* "" unless want_token: shown once, only its
	                                          * BLAKE2b-256 hash is stored */
	bool held;
	bool published;
	bool existed;                            /* in->id was filed already: nothing new */
};

/* Files a complaint in tx. The reporter is c->actor when signed in (reporter_account_id),
 * else nobody: the contact and the sealed text go under a key of the complaint's own. Field
 * errors go to errs by field key ("kategori", "judul", "isi", "desa", "alamat", "lokasi",
 * "waktu", "privasi", "email", "nama", "foto") → PD_ERR_INVALID. The owner unit is the
 * category's; the verification deadline (due_ms) is PD_COMPLAINT_VERIFY_DAYS working days
 * (c->cal; with no calendar: 3 calendar days at the end of the day). Photos are stored as
 * encrypted attachments under the same key. Audit "complaint.file". Quiet contexts send no
 * mail (none is sent at filing in this slice anyway). */
int pd_complaint_file(struct pd_tx *tx, const struct pd_app_ctx *c,
                      const struct pd_complaint_input *in, struct pd_app_errors *errs,
                      struct pd_complaint_filed *out);

/* Cleans a photo for filing: reads the file at in_path (at most PD_ATTACHMENT_MAX_BYTES), runs
 * it through pd_image_clean (≤ PD_COMPLAINT_PHOTO_PX, no metadata) and writes the result to
 * out_path (created 0600). *mime_out: "image/jpeg" or "image/png". PD_ERR_INVALID (not a
 * JPEG/PNG, corrupt), PD_ERR_TOO_LARGE, PD_ERR_IO. */
int pd_complaint_photo_clean(const char *in_path, const char *out_path, const char **mime_out);

/* --- reading ------------------------------------------------------------------------------ */

struct pd_complaint_event {
	int64_t at_ms;
	const char *kind;          /* "filed", "verified", "dispositioned", "handed_on", "answered",
	                            * "reopened", "escalated", "needs_info", "out_of_scope",
	                            * "merged", "published" */
	enum pd_complaint_status status_after;
	const char *unit_name;     /* the unit it went to (disposition, hand-on), or NULL */
	const char *public_note;   /* the public part (an answer), or NULL */
};

struct pd_complaint {
	const char *id;
	const char *tracking;             /* compact "A7K3M9QXDE" */
	const char *tracking_display;     /* grouped "A-7K3M-9QXD-E" */
	const char *category_id, *category_code, *category_name;
	const char *title;                /* the public copy (public reads) or, for the reporter's
	                                   * own view, the sealed original opened */
	const char *public_text;          /* the public copy, NULL while not approved */
	const char *text;                 /* own view only: the description as typed */
	enum pd_complaint_status status;
	enum pd_complaint_visibility visibility;
	bool held, published;
	const char *unit_id, *unit_path, *unit_name;  /* owner: the unit handling it */
	const char *place_unit_id, *place_slug, *place_name;  /* village, or NULL */
	bool has_location;
	int64_t lat_e6, lon_e6;
	const char *address;
	int64_t occurred_ms, created_ms, updated_ms, due_ms, answered_ms;
	const char *answer_public;        /* the unit's public answer, or NULL */
	int64_t support_count;
	const char *channel;
	const char *reporter_account_id;  /* own view only (NULL in public reads) */
	const char *contact_name, *contact_email, *contact_phone;  /* own view only */
	int n_photos;
	int64_t version;
	bool supported_by_actor;          /* the actor already supports it */
	struct pd_complaint_event *events;  /* timeline, oldest first (get_public, get_own) */
	int n_events;
};

/* A published complaint by compact tracking number, with its public timeline; nothing of the
 * reporter. actor may be NULL (sets supported_by_actor). PD_ERR_NOT_FOUND for an unknown,
 * confidential, held or unpublished one. */
int pd_complaint_get_public(struct pd_store *st, const struct pd_actor *actor,
                            const char *tracking, struct pd_arena *a, struct pd_complaint *out);

/* The reporter's own full view (sealed fields opened) by tracking number, for the signed-in
 * reporter (actor) or the holder of the follow-up token (token, may be NULL). PD_ERR_NOT_FOUND
 * for anyone else (also a wrong token: compared in constant time on its hash). */
int pd_complaint_get_own(struct pd_store *st, const struct pd_keyset *ks,
                         const struct pd_actor *actor, const char *tracking, const char *token,
                         struct pd_arena *a, struct pd_complaint *out);

/* The status of any complaint for /lacak (status, dates, category, unit; no text, no
 * reporter): confidential ones too, as the tracking number is the reporter's. */
int pd_complaint_track(struct pd_store *st, const char *tracking, struct pd_arena *a,
                       struct pd_complaint *out);

/* Filters of the public list; NULL or "" means any. */
struct pd_complaint_filter {
	const char *category_code;
	const char *unit_slug;      /* owner unit or a unit above it (its subtree) */
	const char *village_slug;
	const char *status;         /* a stored status name, or "open" / "closed" */
	int64_t since_ms, until_ms; /* created in [since, until); 0: open-ended */
};

/* Published complaints, newest first (created_ms, id), after the keyset cursor (after_ms,
 * after_id; after_id NULL: from the newest), at most max (≤ PD_COMPLAINT_PAGE_MAX). Public
 * fields only. PD_ERR_INVALID for a malformed status. */
int pd_complaint_list_public(struct pd_store *st, const struct pd_complaint_filter *f,
                             int64_t after_ms, const char *after_id, struct pd_arena *a,
                             struct pd_complaint *out, int max, int *n);

/* The signed-in actor's own complaints, newest first, same keyset; PD_ERR_NOT_FOUND when
 * nobody is signed in. Titles opened. */
int pd_complaint_list_mine(struct pd_store *st, const struct pd_keyset *ks,
                           const struct pd_actor *actor, int64_t after_ms, const char *after_id,
                           struct pd_arena *a, struct pd_complaint *out, int max, int *n);

/* The photo n (1..) of a published complaint (tracking): its attachment id and type.
 * PD_ERR_NOT_FOUND otherwise. */
int pd_complaint_public_photo(struct pd_store *st, const char *tracking, int n,
                              struct pd_arena *a, const char **attachment_id,
                              const char **content_type);

/* --- support ------------------------------------------------------------------------------ */

/* The actor supports the published, open complaint `tracking` in tx: counts once per account
 * (a UNIQUE (complaint, account) row; a repeat or a concurrent duplicate changes nothing).
 * *count gets the count after. PD_ERR_FORBIDDEN when nobody is signed in; PD_ERR_NOT_FOUND
 * when not published; PD_ERR_CONFLICT when closed. */
int pd_complaint_support(struct pd_tx *tx, const struct pd_app_ctx *c, const char *tracking,
                         int64_t *count);

#endif
