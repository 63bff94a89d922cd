/* Helpers shared by the files of the application domain only (application.c,
 * application_office.c, application_read.c, application_assist.c). */
#ifndef PD_DOMAIN_APPLICATION_INTERNAL_H
#define PD_DOMAIN_APPLICATION_INTERNAL_H

#include "domain/application.h"
#include "store/application_store.h"

/* The transaction's error, or PD_ERR_DB when none was latched. */
int pd_app_db_error(struct pd_tx *tx);

/* The enabled service at slug into *s (strings in a); PD_ERR_NOT_FOUND for a malformed,
 * unknown or disabled one, or the transaction's error. */
struct pd_service;
int pd_app_enabled_service(struct pd_tx *tx, const char *slug, struct pd_arena *a,
                           struct pd_service *s);

/* Fills the service fields of a new draft row r (id, owner and keys are the caller's): service
 * s and its unit, form version form_version, status "draft", version 1, created now. Strings
 * borrowed from s. */
void pd_app_row_new_draft(struct pd_app_row *r, const struct pd_service *s, int64_t form_version,
                          int64_t now);

/* c->now_ms or the clock. */
int64_t pd_app_now(const struct pd_app_ctx *c);

/* "account:<id>" of the actor (arena a). */
const char *pd_app_audit_actor(struct pd_arena *a, const struct pd_actor *actor);

/* pd_authz of action on the row (owner: its citizen; unit: its owner unit). A draft is seen by
 * its owner only (PD_ERR_NOT_FOUND for staff). */
int pd_app_authz(const struct pd_actor *actor, enum pd_action action,
                 const struct pd_app_row *r);

/* True when actor is the citizen who owns r. */
bool pd_app_is_owner(const struct pd_actor *actor, const struct pd_app_row *r);

/* The subject key r's personal data is sealed under: its own (assisted, not attached) or its
 * citizen's. PD_ERR_NOT_FOUND when the citizen was erased; PD_ERR_CRYPTO. Wipe key after. */
int pd_app_key(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_app_row *r,
               unsigned char key[PD_CRYPTO_KEY_BYTES]);

/* Seals value (NUL-terminated; NULL gives the NULL blob) under key with AD (table, column, id)
 * into an arena blob. */
struct pd_blob pd_app_seal(struct pd_arena *a, const unsigned char key[PD_CRYPTO_KEY_BYTES],
                           const char *value, const char *table, const char *column,
                           const char *id, int *rc);

/* Opens a sealed value into the arena; NULL for a NULL blob. */
const char *pd_app_open(struct pd_arena *a, const unsigned char key[PD_CRYPTO_KEY_BYTES],
                        struct pd_blob ct, const char *table, const char *column, const char *id,
                        int *rc);

/* Fills the summary fields of out from r (strings copied into a; no personal data). */
void pd_app_from_row(const struct pd_app_row *r, struct pd_arena *a, struct pd_application *out);

/* Appends a timeline event of r (its current status) by the actor (NULL: the system), with an
 * optional note sealed under key (which may be NULL when note is NULL) and assignee. */
int pd_app_event(struct pd_tx *tx, const struct pd_app_ctx *c, const struct pd_app_row *r,
                 const char *kind, bool by_staff, const char *note,
                 const unsigned char *key, const char *assignee);

/* Appends the audit entry action about r (object "application", its unit, its citizen as
 * subject) by the actor (NULL: "system"), details JSON or NULL. */
int pd_app_audit(struct pd_tx *tx, const struct pd_app_ctx *c, const struct pd_app_row *r,
                 const char *action, const char *details);

/* The portal notification of a change of r (kind: the event kind) and its email in the
 * citizen's language. Nothing when r has no citizen; no email when the citizen has none
 * (erased) or c->quiet. */
int pd_app_notify(struct pd_tx *tx, const struct pd_app_ctx *c, const struct pd_app_row *r,
                  const char *kind);

/* Free text a person typed: 1..max code points when required (0.. otherwise), valid UTF-8,
 * tab and line breaks the only control characters. */
bool pd_app_text_ok(const char *s, size_t max, bool required);

/* The application's files described (names opened with pd_attachment_info), at most max. */
int pd_app_files(struct pd_tx *tx, const struct pd_keyset *ks, const char *id,
                 struct pd_arena *a, struct pd_app_file *out, int max, int *n);

/* Stores the uploads for the file fields of form (checked with pd_form_file_check; errors on
 * the field key) and replaces or removes the application's file rows: the old attachments are
 * deleted. subject_id: the account whose key the files go under (NULL: own keys).
 * kept_ids[i]/kept_keys[i] (n_kept) receive the attachment id now held per file field, for the
 * form check. */
struct pd_form;
int pd_app_store_files(struct pd_tx *tx, const struct pd_app_ctx *c, const char *app_id,
                       const struct pd_form *form, const char *subject_id,
                       const struct pd_app_upload *uploads, int n_uploads,
                       const char *const *remove, int n_remove, struct pd_app_errors *errs,
                       const char **kept_keys, const char **kept_ids, int *n_kept);

/* Runs the form check over raw values plus the file fields' attachment ids (final: full
 * validation); copies field errors into errs; *answers gets the normalised answers JSON. */
int pd_app_check_form(struct pd_tx *tx, const struct pd_form *form,
                      const struct pd_app_value *values, int n_values,
                      const char *const *file_keys, const char *const *file_ids, int n_files,
                      bool final, struct pd_arena *a, struct pd_app_errors *errs,
                      const char **answers);

/* The two steps above in one: stores the uploads (and removals) for app_id, then checks the
 * values with the kept files; *answers gets the answers JSON ("{}" when none were valid).
 * PD_ERR_INVALID when errs holds any message (the valid answers still in *answers), PD_OK, or
 * a hard error. */
int pd_app_files_and_answers(struct pd_tx *tx, const struct pd_app_ctx *c, const char *app_id,
                             const struct pd_form *form, const char *subject_id,
                             const struct pd_app_upload *uploads, int n_uploads,
                             const char *const *remove, int n_remove,
                             const struct pd_app_value *values, int n_values, bool final,
                             struct pd_arena *a, struct pd_app_errors *errs,
                             const char **answers);

/* The unit id of the village slug of the first address answer in answers (NULL when none). */
const char *pd_app_place_of(struct pd_tx *tx, const char *answers, struct pd_arena *a);

/* Opens answers, note, holder, files, checklist and timeline of r into out (already filled by
 * pd_app_from_row). The caller has checked access and, for staff, records the read. */
int pd_app_open_details(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_app_row *r,
                        struct pd_arena *a, struct pd_application *out);

/* The checklist of r: its stored snapshot, or the lines of the service's requirements. */
int pd_app_checklist_of(struct pd_tx *tx, const struct pd_app_row *r, struct pd_arena *a,
                        struct pd_app_check_item **out, int *n);

/* Resolves the staff of app (the events' staff actors and assignees, assigned_to,
 * assisted_by) with one query into its person members; names opened only when names is true
 * (a staff reader). application_people.c. */
int pd_app_name_people(struct pd_tx *tx, const struct pd_keyset *ks, bool names,
                       struct pd_arena *a, struct pd_application *app);

/* The same for the assignees of a page of the queue (assigned_person, names opened). */
int pd_app_name_assignees(struct pd_tx *tx, const struct pd_keyset *ks, struct pd_arena *a,
                          struct pd_application *apps, int n_apps);

/* *ok: account assignee is one of pd_application_assignees for an application of unit_path. */
int pd_app_may_be_assigned(struct pd_tx *tx, const char *assignee, const char *unit_path,
                           bool *ok);

/* pd_store_app_update of a row that pd_app_start_clock has just given a tracking number:
 * when that number is already taken (a unique violation), the update is undone and tried
 * again with a new number (r->tracking, in a), a few times. Returns as pd_store_app_update. */
enum pd_qs pd_app_update_submitted(struct pd_tx *tx, struct pd_app_row *r, int64_t version,
                                   struct pd_arena *a);

/* Gives r a tracking number, the clock and status "submitted" at now (first submission). */
void pd_app_start_clock(const struct pd_app_ctx *c, struct pd_app_row *r, int64_t sla_days,
                        struct pd_arena *a);

#endif
