/* File type recognition by magic numbers, and a strict check for plain UTF-8 text. */
#include "core/sniff.h"

#include <stdbool.h>
#include <string.h>

#include "core/str.h"

static const struct {
	const char *mime;
	const char *ext;
} types[PD_SNIFF__MAX] = {
	[PD_SNIFF_OCTET_STREAM] = {"application/octet-stream", ".bin"},
	[PD_SNIFF_PDF] = {"application/pdf", ".pdf"},
	[PD_SNIFF_JPEG] = {"image/jpeg", ".jpg"},
	[PD_SNIFF_PNG] = {"image/png", ".png"},
	[PD_SNIFF_GIF] = {"image/gif", ".gif"},
	[PD_SNIFF_WEBP] = {"image/webp", ".webp"},
	[PD_SNIFF_ZIP] = {"application/zip", ".zip"},
	[PD_SNIFF_TEXT] = {"text/plain; charset=utf-8", ".txt"},
};

static bool has_prefix(const unsigned char *d, size_t len, const char *magic, size_t n)
{
	return len >= n && memcmp(d, magic, n) == 0;
}

/* Length of an incomplete but so far valid UTF-8 sequence at the very end, else 0. */
static size_t cut_tail(const unsigned char *d, size_t len)
{
	for (size_t back = 1; back <= 3 && back <= len; back++) {
		unsigned char c = d[len - back];
		if ((c & 0xC0) == 0x80)
			continue; /* a continuation byte: look further back */
		size_t need = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
		return need > back ? back : 0;
	}
	return 0;
}

static bool is_text(const unsigned char *d, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = d[i];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\f' && c != '\r') || c == 0x7F)
			return false;
	}
	size_t tail = cut_tail(d, len);
	if (tail == len)
		return false;
	if (!pd_utf8_valid((const char *)d, len - tail))
		return false;
	if (tail == 0)
		return true;
	/* Check the cut-off character by completing it with the smallest continuation bytes that
	 * keep it valid, so overlong and surrogate beginnings are still refused. */
	unsigned char buf[4];
	size_t need = (d[len - tail] & 0xE0) == 0xC0 ? 2 : (d[len - tail] & 0xF0) == 0xE0 ? 3 : 4;
	memcpy(buf, d + len - tail, tail);
	for (size_t i = tail; i < need; i++)
		buf[i] = 0x80;
	if (pd_utf8_valid((const char *)buf, need))
		return true;
	/* E.g. F4 8F: F4 8F 80 80 is valid; E0 A0 80 too; try the largest completion as well. */
	for (size_t i = tail; i < need; i++)
		buf[i] = 0xBF;
	return pd_utf8_valid((const char *)buf, need);
}

enum pd_sniff_type pd_sniff(const void *data, size_t len)
{
	const unsigned char *d = data;
	if (len == 0 || !d)
		return PD_SNIFF_OCTET_STREAM;
	if (has_prefix(d, len, "%PDF-", 5))
		return PD_SNIFF_PDF;
	if (has_prefix(d, len, "\xFF\xD8\xFF", 3))
		return PD_SNIFF_JPEG;
	if (has_prefix(d, len, "\x89PNG\r\n\x1A\n", 8))
		return PD_SNIFF_PNG;
	if (has_prefix(d, len, "GIF87a", 6) || has_prefix(d, len, "GIF89a", 6))
		return PD_SNIFF_GIF;
	if (len >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0)
		return PD_SNIFF_WEBP;
	if (has_prefix(d, len, "PK\x03\x04", 4) || has_prefix(d, len, "PK\x05\x06", 4) ||
	    has_prefix(d, len, "PK\x07\x08", 4))
		return PD_SNIFF_ZIP;
	if (is_text(d, len))
		return PD_SNIFF_TEXT;
	return PD_SNIFF_OCTET_STREAM;
}

const char *pd_sniff_type_mime(enum pd_sniff_type t)
{
	if ((unsigned)t >= PD_SNIFF__MAX)
		t = PD_SNIFF_OCTET_STREAM;
	return types[t].mime;
}

const char *pd_sniff_type_ext(enum pd_sniff_type t)
{
	if ((unsigned)t >= PD_SNIFF__MAX)
		t = PD_SNIFF_OCTET_STREAM;
	return types[t].ext;
}

const char *pd_sniff_mime(const void *data, size_t len)
{
	return types[pd_sniff(data, len)].mime;
}
