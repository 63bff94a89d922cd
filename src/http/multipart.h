/* Streaming multipart/form-data parser (RFC 7578) fed with chunks of any size. */
#ifndef PD_HTTP_MULTIPART_H
#define PD_HTTP_MULTIPART_H

#include <stddef.h>

#define PD_MULTIPART_BOUNDARY_MAX 70 /* RFC 2046 §5.1.1 */

/* Bounds; a field left 0 takes the default, SIZE_MAX means no bound. */
struct pd_multipart_limits {
	size_t max_parts;       /* more parts: PD_ERR_INVALID (default 100) */
	size_t max_header_size; /* bytes of one part's header block, also bounds the preamble
				   (default 8 KiB): PD_ERR_TOO_LARGE */
	size_t max_part_size;   /* data bytes of one part (default 10 MiB): PD_ERR_TOO_LARGE */
	size_t max_total_size;  /* bytes fed in all (default 20 MiB): PD_ERR_TOO_LARGE */
};

#define PD_MULTIPART_DEFAULT_MAX_PARTS 100
#define PD_MULTIPART_DEFAULT_MAX_HEADER (8 * 1024)
#define PD_MULTIPART_DEFAULT_MAX_PART ((size_t)10 * 1024 * 1024)
#define PD_MULTIPART_DEFAULT_MAX_TOTAL ((size_t)20 * 1024 * 1024)

/* What a part declared in its headers. The strings are borrowed from the parser and stay valid
 * until the part's on_part_end returns (copy what must live longer). */
struct pd_multipart_part {
	size_t index;             /* 0 for the first part */
	const char *name;         /* Content-Disposition name: never NULL, valid UTF-8 */
	const char *filename;     /* Content-Disposition filename, valid UTF-8, as sent (may hold
				     a path or be ""); NULL when the part is not a file */
	const char *content_type; /* declared Content-Type, trimmed; NULL when absent (RFC 7578
				     then means text/plain). Never trust it: sniff the data. */
};

/* Callbacks, each optional. Return PD_OK to go on, or any enum pd_err to stop: that code is then
 * returned by pd_multipart_feed and every later call. Data arrives in chunks of any size (never
 * 0); the parts' data concatenated equals the bytes that were sent. */
struct pd_multipart_callbacks {
	int (*on_part_begin)(void *userdata, const struct pd_multipart_part *part);
	int (*on_part_data)(void *userdata, const char *data, size_t len);
	int (*on_part_end)(void *userdata);
};

struct pd_multipart;

/* Creates a parser for the boundary (as given in the Content-Type, without the leading "--").
 * limits may be NULL for the defaults; callbacks and limits are copied; userdata is passed to
 * every callback. Returns a parser the caller frees with pd_multipart_free, or NULL when the
 * boundary is not 1-70 RFC 2046 characters (it never fails for lack of memory: it aborts). */
struct pd_multipart *pd_multipart_new(const char *boundary, const struct pd_multipart_limits *limits,
				      const struct pd_multipart_callbacks *callbacks, void *userdata);

/* Parses the next len bytes of the body, calling the callbacks as parts begin, carry data and
 * end. Any split of the body into chunks gives the same parts. Memory use does not grow with the
 * part sizes: only one part's header block is ever buffered.
 * Returns PD_OK; PD_ERR_INVALID for a malformed body (no boundary, a bad or missing
 * Content-Disposition, bad header syntax, anything but whitespace and one CRLF after the closing
 * boundary, more than max_parts parts); PD_ERR_TOO_LARGE when a size limit is passed; or a code
 * a callback returned. Errors are sticky. After an error, discard whatever was delivered. */
int pd_multipart_feed(struct pd_multipart *mp, const void *data, size_t len);

/* Declares the end of the body. Returns PD_OK when the closing boundary was seen, the earlier
 * error if there was one, otherwise PD_ERR_INVALID (truncated body). */
int pd_multipart_finish(struct pd_multipart *mp);

/* Frees the parser (NULL is a no-op). */
void pd_multipart_free(struct pd_multipart *mp);

/* Extracts the boundary from a Content-Type value such as
 * `multipart/form-data; boundary="abc"` (type and parameter names case-insensitive, value quoted
 * or not, other parameters ignored) into out, NUL-terminated.
 * Returns PD_OK; PD_ERR_INVALID when the type is not multipart/form-data, the boundary parameter
 * is missing or repeated, or the boundary is not 1-70 RFC 2046 characters. */
int pd_multipart_boundary(const char *content_type, char out[PD_MULTIPART_BOUNDARY_MAX + 1]);

#endif
