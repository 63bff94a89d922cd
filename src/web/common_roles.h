/* Role names as people read them, shared by the pages that show roles (web/privacy.c,
 * web/staff_admin.c). */
#ifndef PD_WEB_COMMON_ROLES_H
#define PD_WEB_COMMON_ROLES_H

/* The msgid naming role ("officer" → "Petugas"; translate with pd_req_t), "Staf" for an
 * unknown or NULL role. Static. */
const char *pd_web_role_label(const char *role);

#endif
