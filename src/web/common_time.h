/* Times as the pages show them, shared by the pages that print times (web/privacy.c,
 * web/verifikasi.c, web/kantor_permohonan.c). */
#ifndef PD_WEB_COMMON_TIME_H
#define PD_WEB_COMMON_TIME_H

#include <stdint.h>

#include "core/arena.h"
#include "http/http.h"

/* "2026-11-27 21:05 WIB": time ms (Unix milliseconds) in the installation's zone (DESIGN §6:
 * +07, +08 or +09; "UTC" for any other offset or no configuration). Arena-owned. */
const char *pd_web_local_time(struct pd_req *r, int64_t ms);

/* RFC 3339 in UTC with milliseconds, "2026-11-27T14:05:09.123Z". Allocated in a. */
const char *pd_web_rfc3339(struct pd_arena *a, int64_t ms);

#endif
