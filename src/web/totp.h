/* Handlers of TOTP for staff: the second step of sign-in and forced enrolment (/masuk/kode,
 * /masuk/totp; web/signin_totp.c), the account's own enrolment and disabling (/akun/totp;
 * web/account_totp.c) and the administrators' setting (/admin/unit/{slug}/keamanan;
 * web/admin_security.c). */
#ifndef PD_WEB_TOTP_H
#define PD_WEB_TOTP_H

#include <stdint.h>

#include "http/http.h"

void pd_web_signin_code_form(struct pd_req *r);
void pd_web_signin_code(struct pd_req *r);
void pd_web_signin_enrol_form(struct pd_req *r);
void pd_web_signin_enrol(struct pd_req *r);

void pd_web_account_totp(struct pd_req *r);
void pd_web_account_totp_begin(struct pd_req *r);
void pd_web_account_totp_confirm(struct pd_req *r);
void pd_web_account_totp_disable(struct pd_req *r);

void pd_web_admin_unit_security(struct pd_req *r);
void pd_web_admin_unit_security_save(struct pd_req *r);

/* Queues a Set-Cookie carrying a pending sign-in's token ("__Host-pd_signin" over HTTPS, else
 * "pd_signin"; HttpOnly, SameSite=Strict, Path=/) that lives ttl_ms. */
void pd_web_pending_cookie_set(struct pd_req *r, const char *token, int64_t ttl_ms);

#endif
