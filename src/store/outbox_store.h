/* Storage of the durable outbox: messages queued inside domain transactions with recipient and
 * message sealed (this file sees ciphertexts only), claimed by a worker under a lease, and
 * marked sent, retried with back-off or failed for good. */
#ifndef PD_STORE_OUTBOX_STORE_H
#define PD_STORE_OUTBOX_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* A message to queue. Every field is borrowed for the duration of the call. */
struct pd_outbox_new {
	const char *id;            /* UUIDv7 (pd_uuid7) */
	const char *channel;       /* "email", "sms" or "webhook" */
	const void *recipient_ct;  /* the address, number or URL sealed with pd_crypto_seal, AD
	                            * ("outbox", "recipient_ct", id) */
	size_t recipient_ct_len;
	const void *body_ct;       /* the message (email: the whole RFC 5322 text) sealed, AD
	                            * ("outbox", "body_ct", id) */
	size_t body_ct_len;
	const char *message_id;    /* unique, stable across retries: "<uuid@host>" for email */
	int64_t now_ms;            /* created_ms; the message is due at once */
};

/* A claimed message, still sealed (domain/mail.h's pd_mail_open opens it). Strings and blobs
 * are in the arena given to the claim. */
struct pd_outbox_msg {
	const char *id, *channel, *message_id;
	const void *recipient_ct, *body_ct;
	size_t recipient_ct_len, body_ct_len;
	int64_t attempts;          /* delivery attempts made before this one */
};

/* Number of messages per state, for /metrics. */
struct pd_outbox_counts {
	int64_t pending, sent, failed;
	int64_t retrying;        /* pending messages with at least one failed attempt */
};

/* Queues m in the caller's transaction (state pending, due at m->now_ms). A duplicate id or
 * message_id latches PD_ERR_CONFLICT. */
enum pd_qs pd_store_outbox_insert(struct pd_tx *tx, const struct pd_outbox_new *m);

/* Claims at most max due messages (pending, next_attempt_ms <= now_ms, lease expired) by
 * setting their lease to now_ms + lease_ms, oldest due first; on PostgreSQL rows locked by
 * another node are skipped (FOR UPDATE SKIP LOCKED). Fills out[0..*n) with copies in a (which
 * must outlive the transaction). Run it in a write transaction; deliver only after commit. */
enum pd_qs pd_store_outbox_claim(struct pd_tx *tx, int64_t now_ms, int64_t lease_ms, int max,
                                 struct pd_arena *a, struct pd_outbox_msg *out, int *n);

/* True in *due when at least one message is due at now_ms (a cheap read before claiming). */
enum pd_qs pd_store_outbox_any_due(struct pd_tx *tx, int64_t now_ms, int *due);

/* Marks a pending message sent (attempts + 1, lease released). PD_QS_NONE when it was not
 * pending any more (another node finished it first). */
enum pd_qs pd_store_outbox_mark_sent(struct pd_tx *tx, const char *id, int64_t now_ms);

/* Records a failed attempt of a pending message: attempts + 1, due again at next_ms, lease
 * released. error is a short description without secrets or addresses. */
enum pd_qs pd_store_outbox_mark_retry(struct pd_tx *tx, const char *id, int64_t next_ms,
                                      const char *error);

/* Records the last attempt and gives the message up for good (state failed). */
enum pd_qs pd_store_outbox_mark_failed(struct pd_tx *tx, const char *id, const char *error);

/* Releases the lease of a pending message without counting an attempt (the worker stopped
 * before trying it). */
enum pd_qs pd_store_outbox_release(struct pd_tx *tx, const char *id);

/* Deletes at most max messages sent before before_ms; the number deleted goes to *n. */
enum pd_qs pd_store_outbox_purge_sent(struct pd_tx *tx, int64_t before_ms, int max, int64_t *n);

/* Counts the messages per state. */
enum pd_qs pd_store_outbox_counts(struct pd_tx *tx, struct pd_outbox_counts *out);

#endif
