/* The SMS gateway's interface: POST /sms/v1/inbound (issue #5, "Text messages"). */
#ifndef PD_API_SMS_H
#define PD_API_SMS_H

#include "http/http.h"

/* POST /sms/v1/inbound with the form fields `from` (the sender), `text` and `id` (the gateway's
 * message id; a JSON object with the same members is accepted too) and the shared secret as
 * `Authorization: Bearer SECRET` (--sms-secret / PENDOPO_SMS_SECRET, compared in constant
 * time). Answers 200 text/plain; charset=utf-8 with the text to send back to the sender (GSM-7,
 * at most 160 characters): a LAPOR files a complaint, a CEK reads a status, anything else gets
 * the help; a repeated id gets its first answer byte for byte; a sender over PD_SMS_PER_MIN
 * messages a minute gets "try again later" (not recorded, so a later delivery of that id is
 * handled). An optional `lang` field ("id", "en") picks the answers' language (default
 * Indonesian, whatever the gateway's Accept-Language). Errors are short text/plain bodies for
 * the gateway's operator: 404 when no secret is configured (the channel is off), 401 for a
 * missing or wrong secret, 400 for a missing or malformed id, from or text, 503 when the
 * message could not be stored (the gateway should deliver it again). */
void pd_api_sms_inbound(struct pd_req *r);

#endif
