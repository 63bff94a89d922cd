/* Issued documents (certificates, permits, letters): numbered per unit and year, their
 * canonical content (RFC 8785 JSON) signed with the installation's Ed25519 document key,
 * rendered as a PDF with a QR code to /verifikasi/{id}, verified, and revoked by a supervisor.
 *
 * The signed object carries no personal data in clear. The holder is bound by
 *   holder = base64url(HMAC-SHA-256(key = holder code, msg = "pendopo.holder.v1\n" id "\n"
 *                                   NAME "\n" NIK))
 * where NAME is the holder's name with runs of white space made one space, trimmed and
 * upper-cased (ASCII letters), NIK the 16 digits, and the holder code 16 random bytes printed
 * (base64url) on the holder's PDF only. A plain hash of name and NIK would not do: a NIK is a
 * region code, a birth date and a 4-digit serial, so anyone reading the public
 * /verifikasi/{id}.json could recover it by trying the few thousand candidates for a known name;
 * without the code printed on the paper, the published digest reveals nothing, while whoever
 * holds the paper and sees the ID card can recompute it. Name, NIK and code are sealed at rest
 * under the application's subject key (its citizen's, or its own while an assisted application
 * is not attached yet; attaching re-seals them), so erasing the citizen (UU 27/2022) turns them
 * into noise while the document itself, whose signed content holds no personal data, keeps
 * verifying. */
#ifndef PD_DOMAIN_DOCUMENT_H
#define PD_DOMAIN_DOCUMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/crypto.h"
#include "domain/authz.h"
#include "store/store.h"

#define PD_DOCUMENT_KID_MAX 40

/* What approval issues. Every string is borrowed for the call; all but holder_nik are required.
 * holder_name and holder_nik are personal: sealed at rest under holder_key and bound through a
 * digest. */
struct pd_document_issue {
	const char *application_id;
	const char *service_id, *service_name;
	const char *unit_id, *unit_name, *unit_path;
	const char *product;          /* document kind, e.g. "Akta Kelahiran" */
	const char *holder_name;
	const char *holder_nik;       /* NULL or "" when the holder has none on record */
	int64_t issued_ms;            /* 0: now */
	const char *signer_account_id;/* the approving officer (audit only; never signed) */
	const unsigned char *holder_key; /* PD_CRYPTO_KEY_BYTES, required: the application's subject
	                                  * key (pd_application_key_tx), borrowed */
};

/* Gives the document code its key set (the document signing key is derived from it; the
 * subject keys that seal holders' data are unwrapped with it) and the configuration (public URL, time zone, site name).
 * Both borrowed until called again with NULL. A process that issues documents or renders their
 * PDFs calls it once its keys are loaded (serve does, in pd_jobs_start's neighbourhood; CLI
 * commands that issue do it themselves); until then issuing answers PD_ERR_UNAVAILABLE.
 * Thread-safe. */
void pd_document_configure(struct pd_keyset *ks, const struct pd_config *cfg);

/* Issues a document inside the caller's write transaction (the approval): takes the next
 * number of the unit and year (race-free: a counter row updated in tx), builds the signed
 * object, signs its RFC 8785 bytes with the current document key (recorded in the key table
 * on first use), stores it with the holder sealed under in->holder_key and appends an audit
 * entry ("document.issue"). The new id (UUIDv4) goes to doc_id_out. Returns PD_OK, PD_ERR_INVALID for
 * a missing field, PD_ERR_UNAVAILABLE when pd_document_configure was not called, or the
 * transaction's error (latched in tx). a: scratch (may be NULL: the transaction's arena). */
int pd_document_issue_tx(struct pd_tx *tx, const struct pd_document_issue *in,
                         struct pd_arena *a, char doc_id_out[37]);

/* Starts a new generation of the document key (the next key derived from the key file) and
 * records its public key, so new documents are signed with it while earlier ones keep
 * verifying under the keys the JWKS still lists. Audited ("document.key_rotate"). The new kid
 * goes to kid_out when not NULL. */
int pd_document_rotate_key(struct pd_store *st, const struct pd_keyset *ks,
                           char kid_out[PD_DOCUMENT_KID_MAX + 1]);

/* A stored document, its public parts. Strings arena-owned. */
struct pd_document {
	const char *id, *number, *application_id, *unit_id, *unit_path;
	const char *content;      /* the signed object, canonical JSON (RFC 8785) */
	const char *kid, *sig;    /* key id; base64url Ed25519 signature over content */
	/* from content, for display */
	const char *product, *service_name, *unit_name, *issued;
	int64_t created_ms;
	int64_t revoked_ms;       /* 0: not revoked */
	const char *revoke_reason;/* a reason code (domain/document_reason.h); NULL when not
	                           * revoked */
	const char *revoked_by;   /* account id, NULL when not revoked */
};

/* Outcome of a verification. */
enum pd_document_state {
	PD_DOC_VALID,     /* signature good under a known key, not revoked */
	PD_DOC_REVOKED,   /* signature good, revoked (only known online) */
	PD_DOC_INVALID,   /* bad signature, unknown key, altered content or malformed */
	PD_DOC_UNKNOWN,   /* no such document here */
};

/* Loads the document with this id (any syntax; an id that is not a UUID is simply unknown).
 * Public: no access check, no personal data. PD_OK, PD_ERR_NOT_FOUND, or a store error. */
int pd_document_get(struct pd_store *st, const char *id, struct pd_arena *a,
                    struct pd_document *out);

/* The document of an application, if any: PD_OK or PD_ERR_NOT_FOUND. No access check (callers
 * have already loaded the application through pd_application_get). */
int pd_document_by_application(struct pd_store *st, const char *application_id,
                               struct pd_arena *a, struct pd_document *out);

/* Verifies a stored document against the stored keys and reports its state (never
 * PD_DOC_UNKNOWN: callers get PD_ERR_NOT_FOUND from pd_document_get first). */
enum pd_document_state pd_document_state(struct pd_store *st, const struct pd_document *doc);

/* The envelope {"doc":<signed object>,"kid":"…","sig":"…"} as compact JSON text, the doc member
 * byte for byte the signed canonical content. Arena-owned; NULL on out of memory. */
char *pd_document_envelope(struct pd_arena *a, const struct pd_document *doc);

/* Renders the holder's PDF of document doc_id after the access check: the citizen who owns the
 * document's application, or staff with PD_ACT_CASE_VIEW on its unit (the read of personal
 * data is audited; the system actor of the command line passes). Appends the PDF to out (caller owns); *filename gets a download name
 * (arena-owned). PD_ERR_NOT_FOUND for an unknown id or an actor who may not see it,
 * PD_ERR_UNAVAILABLE before pd_document_configure, PD_ERR_NOT_FOUND too when the holder's key
 * is gone (the citizen erased their account: the document still verifies, but nobody can print
 * it with their name any more), PD_ERR_CRYPTO when the holder data does not open. */
int pd_document_pdf(struct pd_store *st, const struct pd_actor *actor, const char *doc_id,
                    struct pd_arena *a, struct pd_buf *out, const char **filename);

/* Seals the holder data of the document issued on application_id anew: it was under old_key,
 * it goes under new_key (both PD_CRYPTO_KEY_BYTES). pd_application_attach calls it when an
 * assisted application that already has its document moves to the citizen's subject key.
 * PD_OK also when the application has no document; PD_ERR_CRYPTO when it does not open under
 * old_key; the transaction's error otherwise. */
int pd_document_reseal_holder_tx(struct pd_tx *tx, const char *application_id,
                                 const unsigned char *old_key, const unsigned char *new_key);

/* Whether the actor may revoke documents of a unit (a supervisor there: PD_ACT_CASE_ASSIGN). */
bool pd_document_may_revoke(const struct pd_actor *actor, const struct pd_document *doc);

/* Revokes a document inside write transaction tx: actor needs PD_ACT_CASE_ASSIGN on its unit
 * (a supervisor; PD_ERR_NOT_FOUND / PD_ERR_FORBIDDEN as pd_authz); reason the code of one of
 * the fixed reasons of domain/document_reason.h (it is published; PD_ERR_INVALID otherwise,
 * checked after access, so only a supervisor learns it); a document already revoked is
 * PD_ERR_CONFLICT. Records revoked_ms (now_ms, 0: now), the reason code and the actor; audited
 * ("document.revoke", details {"reason": code}). Refusals do not latch tx. */
int pd_document_revoke_tx(struct pd_tx *tx, const struct pd_actor *actor, const char *doc_id,
                          const char *reason, int64_t now_ms);

/* The same in a write transaction of its own (CLI, tests). */
int pd_document_revoke(struct pd_store *st, const struct pd_actor *actor, const char *doc_id,
                       const char *reason, int64_t now_ms);

/* --- offline verification (no database needed) ---------------------------------------------- */

/* One public key known to a verifier. */
struct pd_document_pubkey {
	char kid[PD_DOCUMENT_KID_MAX + 1];
	unsigned char pk[32];
	char x[44];           /* pk in base64url without padding, as a JWK's "x" */
};

/* Reads the keys of a JWKS text (OKP/Ed25519 entries only; others skipped) into out, at most
 * max; *n the count. PD_ERR_INVALID when the text is not a JWKS. */
int pd_document_jwks_parse(const char *text, size_t len, struct pd_document_pubkey *out,
                           int max, int *n);

/* Every document key the database records (current and earlier), newest first: what the JWKS
 * at /verifikasi/kunci.json publishes. */
int pd_document_pubkeys(struct pd_store *st, struct pd_document_pubkey *out, int max, int *n);

/* Checks an envelope {"doc","kid","sig"} (any extra member, such as "status", is ignored):
 * the doc member is re-canonicalised (RFC 8785) and the signature checked under the key named
 * kid among keys. On PD_OK (*valid true or false) *id_out, when not NULL, gets the document id
 * (arena-owned) or NULL; *why gets a short static English reason when invalid.
 * PD_ERR_INVALID when the text is not such an envelope (unreadable). */
int pd_document_verify_envelope(const char *text, size_t len,
                                const struct pd_document_pubkey *keys, int n_keys,
                                struct pd_arena *a, bool *valid, const char **id_out,
                                const char **why);

/* Extracts the envelope from a PDF's Keywords entry (a literal string of base64url), decoded to
 * JSON text (arena-owned, *len its length). PD_ERR_NOT_FOUND when there is none. */
int pd_document_from_pdf(const void *pdf, size_t n, struct pd_arena *a, char **json,
                         size_t *len);

/* The holder digest described at the top of this file (43 base64url characters and a NUL).
 * code is the 16-byte holder code. PD_ERR_INVALID for an empty name. */
int pd_document_holder_digest(const char *doc_id, const char *name, const char *nik,
                              const unsigned char code[16], char out[44]);

#endif
