/* Pages shared by the TOTP handlers (web/common_totp.c): the enrolment page and the one-time
 * list of recovery codes, used both in /akun and during sign-in. */
#ifndef PD_WEB_TOTP_INTERNAL_H
#define PD_WEB_TOTP_INTERNAL_H

#include "domain/totp.h"
#include "http/http.h"

/* Renders the enrolment page for en (the secret in groups of four and its QR code as inline
 * SVG) with the confirming form posting to action; error (a msgid, may be NULL) goes beside
 * the code field; signin says the enrolment is forced at sign-in. */
void pd_web_totp_enrol_page(struct pd_req *r, int status, const char *action,
                            const struct pd_totp_enrolment *en, const char *error, bool signin);

/* Renders the recovery codes, shown this once, with a link on to next (a safe relative path). */
void pd_web_totp_codes_page(struct pd_req *r, const struct pd_totp_confirmed *c, const char *next);

/* The msgid beside the code field for a wrong or reused code (one answer for both). */
extern const char *const pd_web_totp_wrong;

#endif
