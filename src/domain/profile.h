/* What an account holder adds on /akun beyond the sign-up form — an address (alamat) and
 * supporting documents with a note, such as a scan of the ID card for NIK verification —
 * sealed under the account's subject key and reached by the owner only (pd_authz). */
#ifndef PD_DOMAIN_PROFILE_H
#define PD_DOMAIN_PROFILE_H

#include <stdint.h>

#include "core/arena.h"
#include "core/crypto.h"
#include "domain/account.h"
#include "domain/attachment.h"
#include "domain/authz.h"
#include "store/store.h"

#define PD_ADDRESS_MAX_CHARS 500     /* code points of an address */
#define PD_DOC_NOTE_MAX_CHARS 1000   /* code points of a document's note */
#define PD_DOCS_MAX 100              /* documents one account may keep */

/* The actor's own address, opened, in *out (arena-owned; NULL when none). PD_ERR_NOT_FOUND
 * for anyone but a signed-in account holder. */
int pd_profile_address(struct pd_store *st, const struct pd_keyset *ks,
                       const struct pd_actor *actor, struct pd_arena *a, const char **out);

/* Sets the actor's address (free text, at most PD_ADDRESS_MAX_CHARS, line breaks allowed, no
 * other control characters; "" or NULL clears it), sealed under the subject key with AD
 * (account_profile, address_ct, account id), and appends the audit entry. PD_ERR_INVALID with
 * a field error on "address" without failing tx. */
int pd_profile_set_address(struct pd_tx *tx, const struct pd_keyset *ks,
                           const struct pd_actor *actor, const char *address,
                           struct pd_field_errors *errs);

/* One supporting document as its owner sees it (arena-owned). */
struct pd_profile_doc {
	const char *id;
	const char *note;                 /* NULL when none */
	struct pd_attachment_info file;   /* type, size, original name, created_ms */
};

/* Adds a document for the actor inside tx: the file is stored with pd_attachment_put under the
 * actor's subject key, the note (at most PD_DOC_NOTE_MAX_CHARS, may be "") sealed under it with
 * AD (account_document, note_ct, id), and the audit entry appended. The new document's id goes
 * to id_out. PD_ERR_INVALID with field errors on "document" or "note" (type not accepted, empty
 * file, note too long, too many documents) and PD_ERR_TOO_LARGE with one on "document",
 * neither failing tx; store and crypto errors as pd_attachment_put. */
int pd_profile_doc_add(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_actor *actor,
                       const struct pd_attachment_file *f, const char *note,
                       struct pd_field_errors *errs, char id_out[37]);

/* The actor's documents, newest first, at most max into out (arena-owned); *n the count. */
int pd_profile_doc_list(struct pd_store *st, const struct pd_keyset *ks,
                        const struct pd_actor *actor, struct pd_arena *a,
                        struct pd_profile_doc *out, int max, int *n);

/* Reads document id of the actor: describes it in *doc (arena-owned), then streams the file's
 * plaintext to fn (see pd_attachment_read). PD_ERR_NOT_FOUND when it is not the actor's (or
 * does not exist); PD_ERR_CRYPTO when a stored chunk was altered. */
int pd_profile_doc_read(struct pd_store *st, const struct pd_keyset *ks,
                        const struct pd_actor *actor, const char *id, struct pd_arena *a,
                        struct pd_profile_doc *doc, pd_attachment_sink fn, void *arg);

#endif
