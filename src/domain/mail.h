/* Outgoing email: builds RFC 5322 messages and queues them, recipient and message sealed under
 * the master key (DESIGN §4), in the durable outbox inside the caller's write transaction, so
 * a change and the mail announcing it commit together. */
#ifndef PD_DOMAIN_MAIL_H
#define PD_DOMAIN_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/outbox_store.h"
#include "store/store.h"

struct pd_keyset;

/* Room for a Message-ID "<uuid@host>" including the NUL. */
#define PD_MAIL_ID_MAX 320
/* Room for an address including the NUL (RFC 5321 allows 254 characters in a path). */
#define PD_MAIL_ADDR_MAX 256
/* Largest text body accepted by pd_mail_enqueue, in bytes. */
#define PD_MAIL_BODY_MAX (1024 * 1024)

/* Sets the sender of every message built from now on and the host part of Message-IDs.
 * from: "addr@host" or "Name <addr@host>", printable ASCII (NULL or "": pendopo@localhost);
 * public_url: the --public-url ("" or NULL: Message-IDs end in @pendopo.invalid). Both are
 * copied. PD_OK, or PD_ERR_INVALID with the settings unchanged when from is not a valid
 * sender. Thread-safe; call it at start-up (serve, CLI) before mail is queued. */
int pd_mail_configure(const char *from, const char *public_url);

/* Sets the key set that pd_mail_enqueue seals with (borrowed: it must outlive every later
 * enqueue; NULL forgets it). A process that queues mail sets it once its keys are loaded
 * (serve: pd_jobs_start; `mail test`, `user`); until then pd_mail_enqueue refuses with
 * PD_ERR_UNAVAILABLE rather than store anything in clear. Thread-safe. */
void pd_mail_set_keys(struct pd_keyset *ks);

/* Copies the configured sender's bare address (for the SMTP envelope) into out. */
void pd_mail_envelope_from(char out[PD_MAIL_ADDR_MAX]);

/* True when addr is a plain address local@domain that Pendopo can send to: printable ASCII
 * without spaces, angle brackets, commas, quotes, CR or LF; at most 254 characters. */
bool pd_mail_address_valid(const char *addr);

/* Queues a plain-text email to `to` in the caller's write transaction tx (run by
 * pd_store_write). subject and text_body are UTF-8 (the subject at most 500 bytes and without
 * CR or LF; the body at most PD_MAIL_BODY_MAX, line ends \n or \r\n). The message gets a new
 * UUIDv7 id and a Message-ID "<id@host>" that stays the same through every retry; when
 * message_id is not NULL it receives that Message-ID. Returns PD_OK; PD_ERR_INVALID for a bad
 * address, a subject with CR/LF (header injection) or text that is not UTF-8;
 * PD_ERR_TOO_LARGE; PD_ERR_UNAVAILABLE when no key set was given (pd_mail_set_keys); or the
 * transaction's error when the insert failed. Validation errors do not fail tx: return the
 * error from the transaction body to roll back the whole change. The recipient and the whole
 * message are stored sealed (pd_crypto_seal, AD ("outbox", "recipient_ct" | "body_ct", id)). */
int pd_mail_enqueue(struct pd_tx *tx, const char *to, const char *subject,
                    const char *text_body, char message_id[PD_MAIL_ID_MAX]);

/* Opens a claimed message for delivery: appends the recipient (NUL-terminated) to recipient
 * and the whole message to message. PD_ERR_CRYPTO when either does not open (a key missing
 * from ks, or an altered row); the buffers are then left empty. The caller wipes both
 * (sodium_memzero of data, cap) and frees them once delivered. */
int pd_mail_open(const struct pd_keyset *ks, const struct pd_outbox_msg *m,
                 struct pd_buf *recipient, struct pd_buf *message);

/* Builds the whole message into out (appended): headers with CRLF line ends, the subject
 * encoded as RFC 2047 UTF-8 "B" words when it is not plain ASCII, and the body as
 * quoted-printable (lines of at most 76 characters). Exposed for tests; pd_mail_enqueue
 * validates first. Returns PD_OK, PD_ERR_INVALID or PD_ERR_TOO_LARGE. */
int pd_mail_build(struct pd_buf *out, const char *from, const char *to, const char *subject,
                  const char *text_body, const char *message_id, int64_t now_ms);

#endif
