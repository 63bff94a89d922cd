/* A service's application form: typed fields, immutable numbered versions, the check of what a
 * citizen sends (normalised answers as JSON text), and the answers shown as label and value. */
#ifndef PD_DOMAIN_FORM_H
#define PD_DOMAIN_FORM_H

/* Versions. Every change an administrator saves (add, edit, remove or move a field) writes the
 * whole form as the next version (1, 2, …) of the service; a version row is never changed or
 * deleted, so an application filed on version N is read with pd_form_version(…, N, …) for
 * ever. A service that never had a form has version 0 with no fields (valid: nothing to fill).
 *
 * Answers. pd_form_check turns raw strings into a JSON object {"<key>": value, …} holding the
 * fields that have a value:
 *   text, longtext, date ("YYYY-MM-DD"), choice (the option's text), nik (16 digits),
 *   phone (E.164, "+628…"), email (lower-cased domain), number (decimal string, "-12.5"),
 *   file (the attachment id the caller stored)                      → JSON string
 *   multi (options' texts, in the form's option order)              → JSON array of strings
 *   yesno                                                           → JSON true / false
 *   address                                                         → {"village": slug,
 *                                                                       "street": text}
 * Raw names in the request: the field's key; an address sends "<key>.desa" (a village slug) and
 * "<key>.jalan" (street, RT/RW, house number); a multi sends the key once per ticked option;
 * yesno sends "ya" or "tidak". Error messages are msgids (Indonesian), translated by the caller
 * with pd_i18n_text. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "domain/account.h"
#include "domain/authz.h"
#include "store/store.h"

enum pd_form_type {
	PD_FORM_TEXT,      /* one line */
	PD_FORM_LONGTEXT,  /* several lines */
	PD_FORM_NUMBER,    /* decimal number, '.' or ',' as the decimal mark */
	PD_FORM_DATE,      /* YYYY-MM-DD, a real date */
	PD_FORM_CHOICE,    /* one of options */
	PD_FORM_MULTI,     /* any of options */
	PD_FORM_YESNO,
	PD_FORM_NIK,       /* pd_nik_check */
	PD_FORM_PHONE,     /* pd_crypto_norm_phone */
	PD_FORM_EMAIL,     /* pd_mail_address_valid */
	PD_FORM_ADDRESS,   /* a village of the unit tree and a street line */
	PD_FORM_FILE,      /* PDF, JPEG or PNG by content, at most max_bytes */
	PD_FORM__MAX
};

#define PD_FORM_FIELDS_MAX 60         /* fields of one form */
#define PD_FORM_OPTIONS_MAX 40        /* options of a choice or multi */
#define PD_FORM_KEY_MAX 40            /* bytes of a key: [a-z0-9_], starting with a letter */
#define PD_FORM_LABEL_MAX 200         /* bytes of a label or an option */
#define PD_FORM_HELP_MAX 1000         /* bytes of help text */
#define PD_FORM_TEXT_DEFAULT 200      /* characters of a text answer when max_len is 0 */
#define PD_FORM_LONGTEXT_DEFAULT 4000 /* characters of a longtext answer when max_len is 0 */
#define PD_FORM_LEN_MAX 10000         /* the largest max_len an administrator may set */
#define PD_FORM_STREET_MAX 300        /* characters of an address's street line */
#define PD_FORM_FILE_DEFAULT (2 * 1024 * 1024) /* bytes of a file when max_bytes is 0 */
#define PD_FORM_FILE_MAX (10 * 1024 * 1024)    /* = PD_ATTACHMENT_MAX_BYTES: hard limit */

/* One field. Strings are arena-owned when loaded, borrowed when passed in; "" when absent. */
struct pd_form_field {
	const char *key;              /* stable, unique in the form; the answers' JSON key */
	enum pd_form_type type;
	const char *label, *help;     /* Indonesian; help may be "" */
	const char *label_en, *help_en; /* shown when the page is English; "" falls back */
	bool required;
	const char **options;         /* choice, multi: the options' texts, in order */
	int n_options;
	int64_t max_len;              /* text, longtext: most characters; 0: the type's default */
	int64_t max_bytes;            /* file: most bytes; 0: PD_FORM_FILE_DEFAULT */
};

/* One version of a service's form. fields are in display order. */
struct pd_form {
	const char *service_id;
	int version;                  /* 0: no form yet (no fields) */
	struct pd_form_field *fields;
	int n_fields;
	int64_t created_ms;           /* 0 for version 0 */
};

/* --- types ----------------------------------------------------------------------------------- */

/* The stored name of a type ("text", "longtext", "number", "date", "choice", "multi", "yesno",
 * "nik", "phone", "email", "address", "file"), or NULL for an invalid value. Static. */
const char *pd_form_type_name(enum pd_form_type t);

/* Parses a stored name. PD_OK or PD_ERR_INVALID. */
int pd_form_type_parse(const char *name, enum pd_form_type *out);

/* The type's name for administrators, a msgid ("Teks singkat", "Pilihan ganda", …). Static. */
const char *pd_form_type_label(enum pd_form_type t);

/* The label and help in lang ("en": the English ones when not empty), borrowed from f. */
const char *pd_form_field_label(const struct pd_form_field *f, const char *lang);
const char *pd_form_field_help(const struct pd_form_field *f, const char *lang);

/* The most characters (text, longtext) or bytes (file) the field accepts, defaults applied. */
int64_t pd_form_field_limit(const struct pd_form_field *f);

/* --- definitions ----------------------------------------------------------------------------- */

/* Checks one field definition; adds msgids to errs under "key", "label", "help", "label_en",
 * "help_en", "options", "max_len", "max_bytes". Does not check uniqueness of the key. */
void pd_form_field_validate(const struct pd_form_field *f, struct pd_field_errors *errs);

/* Checks a whole form: every field valid, keys unique, at most PD_FORM_FIELDS_MAX fields.
 * PD_OK or PD_ERR_INVALID (a reason, in English for logs and the CLI, into err). */
int pd_form_validate(const struct pd_form *f, char *err, size_t errlen);

/* The fields of f as JSON text (an array of objects; empty strings and zero limits omitted),
 * arena-owned; NULL on NOMEM. */
char *pd_form_fields_json(const struct pd_form_field *fields, int n_fields, struct pd_arena *a);

/* Parses fields JSON (as written by pd_form_fields_json) into arena-owned fields.
 * PD_OK, PD_ERR_INVALID (malformed or an invalid field), PD_ERR_NOMEM. */
int pd_form_fields_parse(const char *json, struct pd_arena *a, struct pd_form_field **fields,
                         int *n_fields);

/* --- loading --------------------------------------------------------------------------------- */

/* The newest version of service service_id's form, arena-owned into *out (version 0 with no
 * fields when it has none). PD_OK or a store error. No access check: forms are public. */
int pd_form_current(struct pd_store *st, const char *service_id, struct pd_arena *a,
                    struct pd_form *out);
int pd_form_current_tx(struct pd_tx *tx, const char *service_id, struct pd_arena *a,
                       struct pd_form *out);

/* Version `version` of the form (0: the empty form). PD_ERR_NOT_FOUND when the service never
 * had that version. */
int pd_form_version(struct pd_store *st, const char *service_id, int version,
                    struct pd_arena *a, struct pd_form *out);
int pd_form_version_tx(struct pd_tx *tx, const char *service_id, int version,
                       struct pd_arena *a, struct pd_form *out);

/* The field with this key, or NULL. */
const struct pd_form_field *pd_form_field_find(const struct pd_form *f, const char *key);

/* --- saving ---------------------------------------------------------------------------------- */

/* Saves f (its fields; service_id and version are ignored) as the next version of service
 * service_id inside write transaction tx, with the audit entry "service.form.update" (actor_ref
 * "system", "cli:<user>" or "account:<id>") in the same transaction; the new number goes into
 * *version_out when not NULL. NO access check: for the demo and the CLI; pages go through
 * pd_form_edit. PD_ERR_INVALID for an invalid form (pd_form_validate), PD_ERR_NOT_FOUND for an
 * unknown service, or the transaction's error. For the demo (domain/demo_services.c):
 *     struct pd_form_field fields[] = {
 *         {.key = "nama_bayi", .type = PD_FORM_TEXT, .label = "Nama bayi", .required = true},
 *         {.key = "surat_lahir", .type = PD_FORM_FILE, .label = "Surat keterangan lahir",
 *          .required = true, .max_bytes = 2 * 1024 * 1024},
 *     };
 *     struct pd_form f = {.fields = fields, .n_fields = 2};
 *     rc = pd_form_save_new_version(tx, service_id, &f, "system", NULL); */
int pd_form_save_new_version(struct pd_tx *tx, const char *service_id, const struct pd_form *f,
                             const char *actor_ref, int *version_out);

/* What an administrator does in the form builder. */
enum pd_form_op {
	PD_FORM_OP_ADD,     /* append field */
	PD_FORM_OP_UPDATE,  /* replace the field with key (field.key may not change) */
	PD_FORM_OP_REMOVE,  /* remove the field with key */
	PD_FORM_OP_UP,      /* move the field with key one place up */
	PD_FORM_OP_DOWN,    /* … one place down */
};

struct pd_form_edit {
	enum pd_form_op op;
	const char *key;               /* UPDATE, REMOVE, UP, DOWN */
	struct pd_form_field field;    /* ADD, UPDATE; borrowed for the call */
	int base_version;              /* the version the administrator was looking at */
};

/* Applies one edit to the form of the service at slug and saves the result as the next
 * version, by actor (PD_ACT_CONFIGURE on the service's unit subtree), audited
 * "service.form.update" in the same transaction; the new version into *version_out.
 * Returns PD_OK; PD_ERR_INVALID with msgids in errs (by attribute name as in
 * pd_form_field_validate; "key" also for a duplicate key); PD_ERR_CONFLICT when the form is no
 * longer at base_version (someone else saved first); PD_ERR_NOT_FOUND (unknown service or key,
 * or not visible to actor); PD_ERR_FORBIDDEN. Moving the first field up or the last down saves
 * nothing and returns PD_OK with the current version. */
int pd_form_edit(struct pd_store *st, const struct pd_actor *actor, const char *service_slug,
                 const struct pd_form_edit *edit, struct pd_field_errors *errs,
                 int *version_out);

/* pd_form_edit inside write transaction tx (pages write through pd_req_write): the same checks
 * and results; errs is cleared first, so a retried transaction starts afresh. */
int pd_form_edit_tx(struct pd_tx *tx, const struct pd_actor *actor, const char *service_slug,
                    const struct pd_form_edit *edit, struct pd_field_errors *errs,
                    int *version_out);

/* --- answers --------------------------------------------------------------------------------- */

/* Where pd_form_check reads raw values: get(arg, name, i) returns the i-th (0-based) value sent
 * under name, or NULL when there is none (borrowed until pd_form_check returns). village_ok
 * (may be NULL: any well-formed slug passes) says whether slug names a unit of kind village. */
struct pd_form_values {
	const char *(*get)(void *arg, const char *name, int i);
	void *arg;
	bool (*village_ok)(void *arg, const char *slug);
	void *village_arg;
};

/* The result of a check; everything arena-owned. */
struct pd_form_result {
	const char **errors;      /* form->n_fields msgids or NULL, parallel to form->fields */
	int n_errors;             /* how many are not NULL */
	const char *answers_json; /* the normalised answers (see the top of this file) */
};

/* Checks every field of form against the raw values. final=false (a draft) skips "required"
 * but still refuses malformed values (a malformed value is left out of the answers). A file
 * field's raw value is the id of the attachment the caller stored after pd_form_file_check
 * (or kept from the draft); it must look like a UUID. Returns PD_OK when no field has an
 * error, PD_ERR_INVALID when some have (answers_json still holds the valid ones), or
 * PD_ERR_NOMEM. */
int pd_form_check(const struct pd_form *form, const struct pd_form_values *in, bool final,
                  struct pd_arena *a, struct pd_form_result *out);

/* pd_form_check with villages checked in the unit tree through tx (in->village_ok ignored). */
int pd_form_check_tx(struct pd_tx *tx, const struct pd_form *form,
                     const struct pd_form_values *in, bool final, struct pd_arena *a,
                     struct pd_form_result *out);

/* Checks an uploaded file for file field f from its first bytes (head, n of them: at least
 * PD_SNIFF_PREFIX when the file is that long) and its whole size: a msgid when it is refused
 * (empty, too large for the field, not PDF/JPEG/PNG by content), else NULL. */
const char *pd_form_file_check(const struct pd_form_field *f, const void *head, size_t n,
                               int64_t size);

/* Raw values that show answers_json again in the form (a draft being resumed, a returned
 * application): fills *out with a getter over them (arena-owned, village_ok NULL).
 * PD_OK, PD_ERR_INVALID (not a JSON object), PD_ERR_NOMEM. */
int pd_form_values_from_answers(const char *answers_json, struct pd_arena *a,
                                struct pd_form_values *out);

/* One answer for display. */
struct pd_form_display_row {
	const char *key;
	enum pd_form_type type;
	const char *label;        /* in lang */
	const char *value;        /* the answer as text in lang ("" when unanswered); a file's
	                           * attachment id (link it), an address "street, village name" */
	const char **values;      /* multi: each option; else NULL */
	int n_values;
};

/* Every field of form, in order, with its answer from answers_json (answers of keys not in the
 * form are ignored), arena-owned. Village names are looked up in tx when tx is not NULL (else
 * the slug is shown). PD_OK, PD_ERR_INVALID (answers not a JSON object), PD_ERR_NOMEM. */
int pd_form_display(struct pd_tx *tx, const struct pd_form *form, const char *answers_json,
                    const char *lang, struct pd_arena *a, struct pd_form_display_row **rows,
                    int *n_rows);

#endif
