/* Languages of the interface: GNU .mo catalogues read from embedded bytes, and the choice of a
 * response's language from the account, the cookie and Accept-Language. */
#include "core/i18n.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/embed.h"
#include "core/err.h"
#include "core/str.h"

enum lang { LANG_ID, LANG_EN, LANG__MAX };

static const char *const codes[LANG__MAX] = {[LANG_ID] = "id", [LANG_EN] = "en"};

/* A validated catalogue: every entry's offset and length lie inside the bytes, every string is
 * NUL-terminated there, and the original strings are sorted, so lookups check nothing. */
struct catalogue {
	const unsigned char *data;  /* borrowed */
	size_t size;
	bool big_endian;
	uint32_t n;          /* number of strings */
	uint32_t orig_off;   /* table of (length, offset) of the original strings */
	uint32_t trans_off;  /* same for the translations */
};

static struct catalogue cats[LANG__MAX];  /* written at start-up only */
static bool loaded[LANG__MAX];

#define MO_MAGIC 0x950412deU
#define MO_HEADER_SIZE 28

static uint32_t rd32(const unsigned char *p, bool big_endian)
{
	if (big_endian)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static int lang_index(const char *lang)
{
	if (!lang)
		return -1;
	for (int i = 0; i < LANG__MAX; i++)
		if (pd_str_ieq(lang, codes[i]))
			return i;
	return -1;
}

/* Returns the string of entry i of the table at table_off (validated catalogues only). */
static const char *entry(const struct catalogue *c, uint32_t table_off, uint32_t i)
{
	const unsigned char *e = c->data + table_off + (size_t)i * 8;
	return (const char *)c->data + rd32(e + 4, c->big_endian);
}

/* Checks entry i of a table: inside the bytes, NUL-terminated, its first part valid UTF-8.
 * Sets *s to the string. */
static bool check_entry(const struct catalogue *c, uint32_t table_off, uint32_t i, const char **s)
{
	const unsigned char *e = c->data + table_off + (size_t)i * 8;
	uint64_t len = rd32(e, c->big_endian), off = rd32(e + 4, c->big_endian);
	if (off + len + 1 > c->size || c->data[off + len] != '\0')
		return false;
	*s = (const char *)c->data + off;
	return pd_utf8_valid(*s, strlen(*s));
}

/* Refuses a header entry that declares a charset other than UTF-8. */
static bool check_charset(const char *header)
{
	const char *p = strstr(header, "charset=");
	if (!p)
		return true;
	p += strlen("charset=");
	size_t n = strcspn(p, " \t\r\n;");
	char cs[16];
	if (n == 0 || n >= sizeof cs)
		return false;
	memcpy(cs, p, n);
	cs[n] = '\0';
	return pd_str_ieq(cs, "UTF-8") || pd_str_ieq(cs, "UTF8");
}

static int parse_mo(const void *data, size_t len, struct catalogue *out)
{
	struct catalogue c = {.data = data, .size = len};
	if (!data || len < MO_HEADER_SIZE || len > UINT32_MAX)
		return PD_ERR_INVALID;
	if (rd32(c.data, false) == MO_MAGIC)
		c.big_endian = false;
	else if (rd32(c.data, true) == MO_MAGIC)
		c.big_endian = true;
	else
		return PD_ERR_INVALID;
	uint32_t revision = rd32(c.data + 4, c.big_endian);
	if ((revision >> 16) > 1)
		return PD_ERR_INVALID;
	c.n = rd32(c.data + 8, c.big_endian);
	c.orig_off = rd32(c.data + 12, c.big_endian);
	c.trans_off = rd32(c.data + 16, c.big_endian);
	uint64_t table_len = (uint64_t)c.n * 8;
	if ((uint64_t)c.orig_off + table_len > len || (uint64_t)c.trans_off + table_len > len)
		return PD_ERR_INVALID;
	const char *prev = NULL;
	for (uint32_t i = 0; i < c.n; i++) {
		const char *orig, *trans;
		if (!check_entry(&c, c.orig_off, i, &orig) || !check_entry(&c, c.trans_off, i, &trans))
			return PD_ERR_INVALID;
		/* Binary search needs strictly ascending originals (msgfmt sorts with strcmp). */
		if (prev && strcmp(prev, orig) >= 0)
			return PD_ERR_INVALID;
		if (orig[0] == '\0' && !check_charset(trans))
			return PD_ERR_INVALID;
		prev = orig;
	}
	*out = c;
	return PD_OK;
}

static const char *lookup(const struct catalogue *c, const char *msgid)
{
	uint32_t lo = 0, hi = c->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(msgid, entry(c, c->orig_off, mid));
		if (cmp == 0)
			return entry(c, c->trans_off, mid);
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

int pd_i18n_check_mo(const void *data, size_t len)
{
	struct catalogue c;
	return parse_mo(data, len, &c);
}

int pd_i18n_load_mo(const char *lang, const void *data, size_t len)
{
	int idx = lang_index(lang);
	if (idx <= LANG_ID)
		return PD_ERR_NOT_FOUND;
	struct catalogue c;
	int rc = parse_mo(data, len, &c);
	if (rc != PD_OK)
		return rc;
	cats[idx] = c;
	loaded[idx] = true;
	return PD_OK;
}

void pd_i18n_free(void)
{
	memset(cats, 0, sizeof cats);
	memset(loaded, 0, sizeof loaded);
}

int pd_i18n_init(void)
{
	int result = PD_OK;
	for (int i = LANG_ID + 1; i < LANG__MAX; i++) {
		char name[32];
		snprintf(name, sizeof name, "po/%s.mo", codes[i]);
		const struct pd_embedded *f = pd_embed_find(name);
		if (!f) {
			snprintf(name, sizeof name, "%s.mo", codes[i]);
			f = pd_embed_find(name);
		}
		if (!f) {
			if (result == PD_OK)
				result = PD_ERR_NOT_FOUND;
			continue;
		}
		if (pd_i18n_load_mo(codes[i], f->data, f->len) != PD_OK)
			result = PD_ERR_INVALID;
	}
	return result;
}

const char *pd_i18n_text(const char *lang, const char *msgid)
{
	if (!msgid || !msgid[0])
		return msgid;
	int idx = lang_index(lang);
	if (idx <= LANG_ID || !loaded[idx])
		return msgid;
	const char *t = lookup(&cats[idx], msgid);
	return t && t[0] ? t : msgid;
}

bool pd_i18n_supported(const char *lang)
{
	return lang_index(lang) >= 0;
}

const char *pd_i18n_canonical(const char *lang)
{
	int idx = lang_index(lang);
	return idx >= 0 ? codes[idx] : NULL;
}

/* Accept-Language (RFC 9110 §12.5.4) ------------------------------------------------------- */

#define MAX_RANGES 64

static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* Parses a qvalue ("0", "0.5", "1", "1.000") into 0..1000; -1 when malformed. */
static int parse_q(const char *s, size_t n)
{
	if (n == 0 || (s[0] != '0' && s[0] != '1'))
		return -1;
	int q = (s[0] - '0') * 1000;
	if (n == 1)
		return q;
	if (s[1] != '.' || n > 5)
		return -1;
	int scale = 100;
	for (size_t i = 2; i < n; i++, scale /= 10) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		q += (s[i] - '0') * scale;
	}
	return q <= 1000 ? q : -1;
}

/* Maps a language range to a language index, LANG__MAX for "*", or -1. The primary subtag
 * decides ("en-US" is en); "in" is the withdrawn ISO 639 code of Indonesian. */
static int range_lang(const char *s, size_t n)
{
	if (n == 1 && s[0] == '*')
		return LANG__MAX;
	size_t primary = 0;
	while (primary < n && s[primary] != '-')
		primary++;
	char tag[9];
	if (primary == 0 || primary >= sizeof tag)
		return -1;
	memcpy(tag, s, primary);
	tag[primary] = '\0';
	if (pd_str_ieq(tag, "in"))
		return LANG_ID;
	return lang_index(tag);
}

const char *pd_i18n_accept(const char *header)
{
	if (!header)
		return NULL;
	int best_q[LANG__MAX + 1], pos[LANG__MAX + 1];
	for (int i = 0; i <= LANG__MAX; i++)
		best_q[i] = pos[i] = -1;
	const char *p = header;
	for (int item = 0; item < MAX_RANGES && *p; item++) {
		while (is_ows(*p) || *p == ',')
			p++;
		if (!*p)
			break;
		const char *range = p;
		while (*p && *p != ',' && *p != ';' && !is_ows(*p))
			p++;
		int lang = range_lang(range, (size_t)(p - range));
		int q = 1000;
		while (*p && *p != ',') {
			/* Parameters: only q matters; a malformed q drops the range. */
			while (is_ows(*p) || *p == ';')
				p++;
			const char *param = p;
			while (*p && *p != ',' && *p != ';')
				p++;
			size_t plen = (size_t)(p - param);
			while (plen > 0 && is_ows(param[plen - 1]))
				plen--;
			if (plen >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=')
				q = parse_q(param + 2, plen - 2);
		}
		if (lang < 0 || q < 0)
			continue;
		if (q > best_q[lang]) {
			best_q[lang] = q;
			pos[lang] = item;
		}
	}
	int chosen = -1;
	for (int i = 0; i < LANG__MAX; i++) {
		int q = best_q[i], at = pos[i];
		if (q < 0) {  /* not named: "*" speaks for it */
			q = best_q[LANG__MAX];
			at = pos[LANG__MAX];
		}
		if (q <= 0)
			continue;
		if (chosen < 0 || q > best_q[chosen] || (q == best_q[chosen] && at < pos[chosen])) {
			chosen = i;
			best_q[i] = q;
			pos[i] = at;
		}
	}
	return chosen >= 0 ? codes[chosen] : NULL;
}

const char *pd_i18n_pick(const char *account_lang, const char *cookie_lang,
                         const char *accept_language)
{
	const char *c;
	if ((c = pd_i18n_canonical(account_lang)) != NULL)
		return c;
	if ((c = pd_i18n_canonical(cookie_lang)) != NULL)
		return c;
	if ((c = pd_i18n_accept(accept_language)) != NULL)
		return c;
	return PD_I18N_DEFAULT;
}
