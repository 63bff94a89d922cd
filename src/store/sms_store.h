/* Storage of inbound text messages (sms_inbound): the claim of a gateway message id, its
 * answer, and the lookup of a village by its Kemendagri area code. Senders arrive as blind
 * indexes only. */
#ifndef PD_STORE_SMS_STORE_H
#define PD_STORE_SMS_STORE_H

#include <stdint.h>

#include "core/arena.h"
#include "store/store.h"

/* One inbound message. */
struct pd_sms_row {
	const char *id;           /* UUIDv7 */
	const char *gateway_id;   /* the gateway's message id */
	struct pd_blob sender_bidx;
	const char *kind;         /* "report", "check", "help" */
	const char *complaint_id; /* or NULL */
	const char *answer;
	int64_t created_ms;
};

/* Claims r->gateway_id by inserting r (INSERT … ON CONFLICT (gateway_id) DO NOTHING):
 * PD_QS_ONE when this call claimed it, PD_QS_NONE when the id was claimed before (on
 * PostgreSQL after the other transaction committed), PD_QS_HARD on error. */
enum pd_qs pd_store_sms_claim(struct pd_tx *tx, const struct pd_sms_row *r);

/* Sets the kind, complaint and answer of the message id (after the work of the claim). */
enum pd_qs pd_store_sms_finish(struct pd_tx *tx, const char *id, const char *kind,
                               const char *complaint_id, const char *answer);

/* The answer given to gateway_id, copied into a (the transaction's arena when NULL):
 * PD_QS_ONE with *answer set, PD_QS_NONE when the id is new. */
enum pd_qs pd_store_sms_answer(struct pd_tx *tx, const char *gateway_id, struct pd_arena *a,
                               const char **answer);

/* The slug of the village whose area code is code_dotted ("32.19.01.2003") or, failing that,
 * whose code without dots is code_digits ("3219012003"), copied into a (the transaction's
 * arena when NULL): PD_QS_ONE, PD_QS_NONE, PD_QS_HARD. */
enum pd_qs pd_store_sms_village(struct pd_tx *tx, const char *code_dotted,
                                const char *code_digits, struct pd_arena *a, const char **slug);

#endif
