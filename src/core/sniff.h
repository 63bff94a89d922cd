/* Recognises a file's type from its first bytes, never from its name or declared type. */
#ifndef PD_CORE_SNIFF_H
#define PD_CORE_SNIFF_H

#include <stddef.h>

enum pd_sniff_type {
	PD_SNIFF_OCTET_STREAM, /* unknown binary (also an empty file) */
	PD_SNIFF_PDF,          /* "%PDF-" */
	PD_SNIFF_JPEG,         /* FF D8 FF */
	PD_SNIFF_PNG,          /* 89 50 4E 47 0D 0A 1A 0A */
	PD_SNIFF_GIF,          /* "GIF87a" or "GIF89a" */
	PD_SNIFF_WEBP,         /* "RIFF" size "WEBP" */
	PD_SNIFF_ZIP,          /* "PK" 03 04, 05 06 or 07 08 (also .docx, .xlsx, .odt) */
	PD_SNIFF_TEXT,         /* valid UTF-8 without controls other than tab, LF, FF, CR */
	PD_SNIFF__MAX
};

/* How many leading bytes are worth passing (more are allowed and only help the text check). */
#define PD_SNIFF_PREFIX 512

/* Classifies the first len bytes of a file (data may be NULL when len is 0). For text a
 * multi-byte character cut off at the end of the prefix is allowed. */
enum pd_sniff_type pd_sniff(const void *data, size_t len);

/* The MIME type of the first len bytes: "application/pdf", "image/jpeg", "image/png",
 * "image/gif", "image/webp", "application/zip", "text/plain; charset=utf-8" or
 * "application/octet-stream". Static string. */
const char *pd_sniff_mime(const void *data, size_t len);

/* Static MIME type of a type (as pd_sniff_mime) and a file extension with its dot (".pdf",
 * ".jpg", ".png", ".gif", ".webp", ".zip", ".txt", ".bin"), for naming downloads. */
const char *pd_sniff_type_mime(enum pd_sniff_type t);
const char *pd_sniff_type_ext(enum pd_sniff_type t);

#endif
