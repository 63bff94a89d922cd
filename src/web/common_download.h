/* File downloads shared by the pages that hand out a stored, decrypted file (web/permohonan.c,
 * web/kantor_permohonan.c, web/profile.c). */
#ifndef PD_WEB_COMMON_DOWNLOAD_H
#define PD_WEB_COMMON_DOWNLOAD_H

#include <stddef.h>

#include "core/buf.h"
#include "http/http.h"

/* A pd_attachment reader callback collecting the decrypted bytes into arg (a struct pd_buf *);
 * p NULL (a restarted read) wipes and empties the buffer. PD_OK or the buffer's error. */
int pd_web_download_collect(const void *p, size_t n, void *arg);

/* Queues the reply of a download: for rc non-zero the error page (a PD_ERR_CRYPTO logged at
 * error with log_key=log_id), else the bytes of file as an attachment named
 * "<prefix>-<id><ext>" (ext may be NULL), never shown inline (sandboxed, same-origin only),
 * of content_type (application/octet-stream for NULL). Then wipes and frees file either way. */
void pd_web_download_reply(struct pd_req *r, int rc, struct pd_buf *file, const char *log_key,
                           const char *log_id, const char *prefix, const char *id,
                           const char *ext, const char *content_type);

#endif
