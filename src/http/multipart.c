/* Streaming multipart/form-data parser: a state machine that holds back only a partial delimiter. */
#include "http/multipart.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/str.h"

enum state {
	S_PREAMBLE,    /* before the first delimiter: bytes are discarded */
	S_DELIM_TAIL,  /* after "--boundary": "--", transport padding or CRLF follows */
	S_PAD,         /* transport padding (spaces, tabs) before the CRLF */
	S_DELIM_LF,    /* CR seen after a delimiter, LF expected */
	S_CLOSE,       /* first '-' of the closing "--" seen */
	S_HEADERS,     /* a part's header block, buffered up to max_header_size */
	S_DATA,        /* a part's data, streamed out */
	S_EPILOGUE,    /* after the closing delimiter: padding, then CRLF */
	S_EPILOGUE_LF, /* CR seen after the closing delimiter */
	S_DONE,        /* nothing more may come */
	S_ERROR
};

struct pd_multipart {
	enum state state;
	int err;
	char pat[4 + PD_MULTIPART_BOUNDARY_MAX + 1]; /* "\r\n--" boundary */
	size_t plen;
	size_t match;    /* bytes of pat matched and held back: they are pat[0..match) */
	int hdr_match;   /* progress through "\r\n\r\n" in the header block */
	struct pd_multipart_limits lim;
	struct pd_multipart_callbacks cb;
	void *userdata;
	size_t n_parts;
	size_t part_size; /* data bytes of this part so far (in the preamble: bytes skipped) */
	size_t total;
	bool in_part;     /* on_part_begin was called and on_part_end not yet */
	struct pd_buf hdr;
	struct pd_multipart_part part;
};

/* RFC 2046 §5.1.1 bcharsnospace. */
static bool is_bchar_nospace(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c != 0 && strchr("'()+_,-./:=?", c) != NULL);
}

static bool boundary_valid(const char *b, size_t n)
{
	if (n < 1 || n > PD_MULTIPART_BOUNDARY_MAX || !is_bchar_nospace((unsigned char)b[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (b[i] != ' ' && !is_bchar_nospace((unsigned char)b[i]))
			return false;
	return true;
}

/* RFC 9110 tchar. */
static bool is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static size_t token_len(const char *s)
{
	size_t n = 0;
	while (is_tchar((unsigned char)s[n]))
		n++;
	return n;
}

static const char *skip_ows(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* ASCII case-insensitive: the n bytes at s equal the NUL-terminated word. */
static bool ieq_n(const char *s, size_t n, const char *word)
{
	size_t i = 0;
	for (; i < n && word[i]; i++) {
		char x = s[i], y = word[i];
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (x != y)
			return false;
	}
	return i == n && word[i] == '\0';
}

/* Reads a parameter value at *sp: a quoted-string (where \" and \\ are escapes and any other
 * backslash is literal, as browsers send Windows paths) or a run of bytes up to ';', space,
 * tab, '"' or the end. Writes it NUL-terminated to dst (at most cap bytes with the NUL); dst may
 * be *sp - 1, the already consumed '=' or space, to decode in place. Advances *sp past it. */
static int read_param_value(const char **sp, char *dst, size_t cap, size_t *out_len)
{
	const char *s = *sp;
	size_t k = 0;
	if (*s == '"') {
		s++;
		for (;;) {
			char c = *s;
			if (c == '\0')
				return PD_ERR_INVALID;
			if (c == '"') {
				s++;
				break;
			}
			if (c == '\\' && (s[1] == '"' || s[1] == '\\')) {
				c = s[1];
				s++;
			}
			s++;
			if (k + 1 >= cap)
				return PD_ERR_INVALID;
			dst[k++] = c;
		}
	} else {
		while (*s && *s != ';' && *s != ' ' && *s != '\t' && *s != '"') {
			if (k + 1 >= cap)
				return PD_ERR_INVALID;
			dst[k++] = *s++;
		}
		if (k == 0)
			return PD_ERR_INVALID;
	}
	dst[k] = '\0';
	*sp = s;
	*out_len = k;
	return PD_OK;
}

/* Parses `form-data; name="x"; filename="y"` in place (v lies in the parser's header buffer). */
static int parse_disposition(char *v, struct pd_multipart_part *p)
{
	const char *s = v;
	size_t n = token_len(s);
	if (!ieq_n(s, n, "form-data"))
		return PD_ERR_INVALID;
	s += n;
	for (;;) {
		s = skip_ows(s);
		if (*s == '\0')
			break;
		if (*s != ';')
			return PD_ERR_INVALID;
		s = skip_ows(s + 1);
		if (*s == '\0')
			break;
		const char *pname = s;
		size_t pname_len = token_len(s);
		if (pname_len == 0)
			return PD_ERR_INVALID;
		s = skip_ows(s + pname_len);
		if (*s != '=')
			return PD_ERR_INVALID;
		s = skip_ows(s + 1);
		char *dst = v + (s - v) - 1;
		size_t len;
		int rc = read_param_value(&s, dst, SIZE_MAX, &len);
		if (rc)
			return rc;
		if (!pd_utf8_valid(dst, len))
			return PD_ERR_INVALID;
		if (ieq_n(pname, pname_len, "name")) {
			if (p->name)
				return PD_ERR_INVALID;
			p->name = dst;
		} else if (ieq_n(pname, pname_len, "filename")) {
			if (p->filename)
				return PD_ERR_INVALID;
			p->filename = dst;
		}
		/* Other parameters, filename* included (RFC 7578 §4.2), are ignored. */
	}
	return p->name ? PD_OK : PD_ERR_INVALID;
}

/* Parses the buffered header block (lines ending in CRLF, the last one empty) in place. */
static int parse_headers(struct pd_multipart *mp)
{
	char *buf = mp->hdr.data;
	size_t len = mp->hdr.len;
	bool seen_disposition = false;
	struct pd_multipart_part *p = &mp->part;

	memset(p, 0, sizeof(*p));
	p->index = mp->n_parts;
	size_t i = 0;
	while (i < len) {
		char *line = buf + i;
		char *cr = memchr(line, '\r', len - i);
		if (!cr || (size_t)(cr - buf) + 1 >= len || cr[1] != '\n')
			return PD_ERR_INVALID; /* cannot happen: the block ends in CRLF CRLF */
		size_t line_len = (size_t)(cr - line);
		i += line_len + 2;
		if (line_len == 0)
			break; /* the empty line that ends the block */
		*cr = '\0';
		for (size_t k = 0; k < line_len; k++) {
			unsigned char c = (unsigned char)line[k];
			if ((c < 0x20 && c != '\t') || c == 0x7F)
				return PD_ERR_INVALID; /* bare CR or LF, NUL, other controls */
		}
		size_t name_len = token_len(line);
		if (name_len == 0 || line[name_len] != ':')
			return PD_ERR_INVALID; /* also an obsolete folded line */
		char *value = line + name_len + 1;
		while (*value == ' ' || *value == '\t')
			value++;
		char *end = cr;
		while (end > value && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		*end = '\0';
		if (ieq_n(line, name_len, "content-disposition")) {
			if (seen_disposition)
				return PD_ERR_INVALID;
			seen_disposition = true;
			int rc = parse_disposition(value, p);
			if (rc)
				return rc;
		} else if (ieq_n(line, name_len, "content-type")) {
			if (p->content_type)
				return PD_ERR_INVALID;
			for (const char *c = value; *c; c++)
				if ((unsigned char)*c >= 0x80)
					return PD_ERR_INVALID;
			if (*value == '\0')
				return PD_ERR_INVALID;
			p->content_type = value;
		}
	}
	if (i != len || !seen_disposition)
		return PD_ERR_INVALID;
	return PD_OK;
}

static int fail(struct pd_multipart *mp, int rc)
{
	mp->state = S_ERROR;
	mp->err = rc;
	return rc;
}

/* Hands n bytes to the current part, or counts them as skipped preamble. */
static int emit(struct pd_multipart *mp, const char *data, size_t n)
{
	if (n == 0)
		return PD_OK;
	if (mp->state == S_PREAMBLE) {
		/* A preamble longer than a header block means the boundary is missing. */
		if (n > mp->lim.max_header_size - mp->part_size)
			return PD_ERR_INVALID;
		mp->part_size += n;
		return PD_OK;
	}
	if (n > mp->lim.max_part_size - mp->part_size)
		return PD_ERR_TOO_LARGE;
	mp->part_size += n;
	return mp->cb.on_part_data ? mp->cb.on_part_data(mp->userdata, data, n) : PD_OK;
}

/* Scans for the delimiter, emitting the bytes before it. Only '\r' restarts a match, since the
 * pattern holds no other CR, so held-back bytes are always a prefix of the pattern and need no
 * storage. Sets *used to the bytes consumed (through the delimiter when *found). */
static int scan(struct pd_multipart *mp, const char *d, size_t len, size_t *used, bool *found)
{
	size_t carry = mp->match; /* held back from earlier chunks; they are pat[0..carry) */
	size_t m = mp->match;
	size_t i = 0;
	int rc;

	*found = false;
	while (i < len) {
		if (m == 0) {
			const char *cr = memchr(d + i, '\r', len - i);
			if (!cr) {
				i = len;
				break;
			}
			i = (size_t)(cr - d);
		}
		if (d[i] == mp->pat[m]) {
			i++;
			if (++m == mp->plen) {
				*found = true;
				break;
			}
			continue;
		}
		if (carry) {
			/* The held-back bytes from earlier chunks were data after all. */
			rc = emit(mp, mp->pat, carry);
			if (rc)
				return rc;
			carry = 0;
		}
		m = d[i] == '\r' ? 1 : 0;
		i++;
	}
	/* With carry left, no mismatch happened: this chunk held only pattern bytes. */
	if (*found) {
		mp->match = 0;
		rc = carry ? PD_OK : emit(mp, d, i - mp->plen);
	} else {
		mp->match = m;
		rc = carry ? PD_OK : emit(mp, d, len - m);
	}
	*used = i;
	return rc;
}

/* Buffers header bytes until "\r\n\r\n" (or "\r\n" at the very start); then starts the part. */
static int headers(struct pd_multipart *mp, const char *d, size_t len, size_t *used)
{
	static const char end_marker[] = "\r\n\r\n";
	size_t i = 0;
	bool done = false;
	while (i < len && !done) {
		char c = d[i++];
		if (c == end_marker[mp->hdr_match])
			mp->hdr_match++;
		else
			mp->hdr_match = c == '\r' ? 1 : 0;
		done = mp->hdr_match == 4;
	}
	*used = i;
	if (pd_buf_append(&mp->hdr, d, i))
		return PD_ERR_TOO_LARGE;
	if (!done)
		return PD_OK;
	int rc = parse_headers(mp);
	if (rc)
		return rc;
	mp->n_parts++;
	mp->in_part = true;
	mp->part_size = 0;
	mp->match = 0;
	mp->state = S_DATA;
	return mp->cb.on_part_begin ? mp->cb.on_part_begin(mp->userdata, &mp->part) : PD_OK;
}

/* One byte of the small states between a delimiter and what follows it. */
static int step(struct pd_multipart *mp, char c)
{
	switch (mp->state) {
	case S_DELIM_TAIL:
		if (c == '-')
			mp->state = S_CLOSE;
		else if (c == ' ' || c == '\t')
			mp->state = S_PAD;
		else if (c == '\r')
			mp->state = S_DELIM_LF;
		else
			return PD_ERR_INVALID;
		return PD_OK;
	case S_PAD:
		if (c == '\r')
			mp->state = S_DELIM_LF;
		else if (c != ' ' && c != '\t')
			return PD_ERR_INVALID;
		return PD_OK;
	case S_DELIM_LF:
		if (c != '\n' || mp->n_parts >= mp->lim.max_parts)
			return PD_ERR_INVALID;
		pd_buf_reset(&mp->hdr);
		mp->hdr_match = 2; /* the block starts at a line start */
		mp->state = S_HEADERS;
		return PD_OK;
	case S_CLOSE:
		if (c != '-')
			return PD_ERR_INVALID;
		mp->state = S_EPILOGUE;
		return PD_OK;
	case S_EPILOGUE:
		if (c == '\r')
			mp->state = S_EPILOGUE_LF;
		else if (c != ' ' && c != '\t')
			return PD_ERR_INVALID;
		return PD_OK;
	case S_EPILOGUE_LF:
		if (c != '\n')
			return PD_ERR_INVALID;
		mp->state = S_DONE;
		return PD_OK;
	default:
		return PD_ERR_INVALID; /* S_DONE: data after the end */
	}
}

int pd_multipart_feed(struct pd_multipart *mp, const void *data, size_t len)
{
	const char *d = data;
	int rc = PD_OK;

	if (mp->state == S_ERROR)
		return mp->err;
	if (len > mp->lim.max_total_size - mp->total)
		return fail(mp, PD_ERR_TOO_LARGE);
	mp->total += len;
	while (len > 0) {
		size_t used = 1;
		bool found;
		switch (mp->state) {
		case S_PREAMBLE:
		case S_DATA:
			rc = scan(mp, d, len, &used, &found);
			if (rc || !found)
				break;
			mp->state = S_DELIM_TAIL;
			if (mp->in_part) {
				mp->in_part = false;
				rc = mp->cb.on_part_end ? mp->cb.on_part_end(mp->userdata) : PD_OK;
			}
			break;
		case S_HEADERS:
			rc = headers(mp, d, len, &used);
			break;
		default:
			rc = step(mp, *d);
			break;
		}
		if (rc)
			return fail(mp, rc);
		d += used;
		len -= used;
	}
	return PD_OK;
}

int pd_multipart_finish(struct pd_multipart *mp)
{
	if (mp->state == S_ERROR)
		return mp->err;
	if (mp->state != S_EPILOGUE && mp->state != S_DONE)
		return fail(mp, PD_ERR_INVALID);
	return PD_OK;
}

struct pd_multipart *pd_multipart_new(const char *boundary, const struct pd_multipart_limits *limits,
				      const struct pd_multipart_callbacks *callbacks, void *userdata)
{
	if (!boundary)
		return NULL;
	size_t blen = strnlen(boundary, PD_MULTIPART_BOUNDARY_MAX + 1);
	if (!boundary_valid(boundary, blen))
		return NULL;
	struct pd_multipart *mp = pd_xcalloc(1, sizeof(*mp));
	memcpy(mp->pat, "\r\n--", 4);
	memcpy(mp->pat + 4, boundary, blen);
	mp->plen = 4 + blen;
	/* The first delimiter may open the body: act as if a CRLF had been seen. */
	mp->match = 2;
	mp->state = S_PREAMBLE;
	if (limits)
		mp->lim = *limits;
	if (!mp->lim.max_parts)
		mp->lim.max_parts = PD_MULTIPART_DEFAULT_MAX_PARTS;
	if (!mp->lim.max_header_size)
		mp->lim.max_header_size = PD_MULTIPART_DEFAULT_MAX_HEADER;
	if (!mp->lim.max_part_size)
		mp->lim.max_part_size = PD_MULTIPART_DEFAULT_MAX_PART;
	if (!mp->lim.max_total_size)
		mp->lim.max_total_size = PD_MULTIPART_DEFAULT_MAX_TOTAL;
	if (callbacks)
		mp->cb = *callbacks;
	mp->userdata = userdata;
	pd_buf_init(&mp->hdr, mp->lim.max_header_size);
	return mp;
}

void pd_multipart_free(struct pd_multipart *mp)
{
	if (!mp)
		return;
	pd_buf_free(&mp->hdr);
	free(mp);
}

int pd_multipart_boundary(const char *content_type, char out[PD_MULTIPART_BOUNDARY_MAX + 1])
{
	static const char type[] = "multipart/form-data";
	char scratch[PD_MULTIPART_BOUNDARY_MAX + 1];
	bool found = false;

	out[0] = '\0';
	if (!content_type)
		return PD_ERR_INVALID;
	const char *s = skip_ows(content_type);
	size_t n = strcspn(s, "; \t");
	if (!ieq_n(s, n, type))
		return PD_ERR_INVALID;
	s += n;
	for (;;) {
		s = skip_ows(s);
		if (*s == '\0')
			break;
		if (*s != ';')
			goto invalid;
		s = skip_ows(s + 1);
		if (*s == '\0')
			break;
		const char *pname = s;
		size_t pname_len = token_len(s);
		if (pname_len == 0)
			goto invalid;
		s = skip_ows(s + pname_len);
		if (*s != '=')
			goto invalid;
		s = skip_ows(s + 1);
		bool is_boundary = ieq_n(pname, pname_len, "boundary");
		size_t len;
		if (is_boundary) {
			if (found)
				goto invalid;
			if (read_param_value(&s, out, PD_MULTIPART_BOUNDARY_MAX + 1, &len) ||
			    !boundary_valid(out, len))
				goto invalid;
			found = true;
		} else if (read_param_value(&s, scratch, sizeof(scratch), &len)) {
			/* Long values of other parameters are skipped, not refused. */
			if (*s == '"') {
				for (s++; *s && *s != '"'; s++)
					if (*s == '\\' && s[1])
						s++;
				if (*s != '"')
					goto invalid;
				s++;
			} else {
				s += strcspn(s, "; \t\"");
			}
		}
	}
	if (found)
		return PD_OK;
invalid:
	out[0] = '\0';
	return PD_ERR_INVALID;
}
