/* Handlers of the identity pages: registration, email verification, sign-in and sign-out,
 * password reset (web/auth.c) and the account's own page /akun (web/account.c). */
#ifndef PD_WEB_ACCOUNT_H
#define PD_WEB_ACCOUNT_H

#include "http/http.h"

void pd_web_register_form(struct pd_req *r);
void pd_web_register(struct pd_req *r);
void pd_web_verify_email(struct pd_req *r);
void pd_web_signin_form(struct pd_req *r);
void pd_web_signin(struct pd_req *r);
void pd_web_signout(struct pd_req *r);
void pd_web_forgot_form(struct pd_req *r);
void pd_web_forgot(struct pd_req *r);
void pd_web_reset_form(struct pd_req *r);
void pd_web_reset(struct pd_req *r);

void pd_web_account(struct pd_req *r);
void pd_web_account_password(struct pd_req *r);
void pd_web_account_lang(struct pd_req *r);
void pd_web_account_email(struct pd_req *r);
void pd_web_account_nik(struct pd_req *r);
void pd_web_account_verify(struct pd_req *r);
void pd_web_account_sessions_end(struct pd_req *r);
void pd_web_account_session_end(struct pd_req *r);

#endif
