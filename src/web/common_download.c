/* The reply of a file download: collect the decrypted bytes, send them as an attachment that
 * never runs in our origin, and wipe the copy in memory. */
#include "web/common_download.h"

#include <sodium.h>

#include "core/err.h"
#include "core/log.h"
#include "web/account_internal.h"

int pd_web_download_collect(const void *p, size_t n, void *arg)
{
	struct pd_buf *b = arg;
	if (!p) {
		if (b->data)
			sodium_memzero(b->data, b->cap);
		pd_buf_reset(b);
		return PD_OK;
	}
	return pd_buf_append(b, p, n);
}

void pd_web_download_reply(struct pd_req *r, int rc, struct pd_buf *file, const char *log_key,
                           const char *log_id, const char *prefix, const char *id,
                           const char *ext, const char *content_type)
{
	if (rc) {
		if (rc == PD_ERR_CRYPTO)
			pd_log(PD_LOG_ERROR, "attachment_unreadable", "%s=%s", log_key,
			       log_id ? log_id : "-");
		pd_web_reply_rc(r, rc);
	} else {
		/* Never shown inline: a file a person uploaded runs no script in our origin. */
		pd_reply_header(r, "Content-Security-Policy", "sandbox");
		pd_reply_header(r, "Content-Disposition",
		                pd_arena_printf(r->arena, "attachment; filename=\"%s-%s%s\"", prefix, id,
		                                ext ? ext : ""));
		pd_reply_header(r, "Cross-Origin-Resource-Policy", "same-origin");
		pd_reply_bytes(r, 200, content_type ? content_type : "application/octet-stream",
		               file->data ? file->data : "", file->len);
	}
	if (file->data)
		sodium_memzero(file->data, file->cap);
	pd_buf_free(file);
}
