/* Helpers shared by the identity pages (web/auth.c, web/account.c, web/account_common.c). */
#ifndef PD_WEB_ACCOUNT_INTERNAL_H
#define PD_WEB_ACCOUNT_INTERNAL_H

#include <jansson.h>

#include "domain/account.h"
#include "http/http.h"

/* A form field with surrounding ASCII spaces removed ("" when absent). Arena-owned. */
const char *pd_web_field(struct pd_req *r, const char *name);

/* The field errors as an object {field: translated message}. New reference. */
json_t *pd_web_errors_json(struct pd_req *r, const struct pd_field_errors *e);

/* A safe place to go after signing in: next when it is a relative path ("/…", not "//…",
 * no backslash or control character), else "/akun". Borrowed or static. */
const char *pd_web_safe_next(const char *next);

/* Replies for a domain or storage error rc: 404, 403, 503 or 500. */
void pd_web_reply_rc(struct pd_req *r, int rc);

/* The actor's own account with its personal fields (authorised as the owner's view). */
int pd_web_load_own(struct pd_req *r, struct pd_account *out);

#endif
