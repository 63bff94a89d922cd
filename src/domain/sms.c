/* Text messages to complaints: GSM-7 text, parsing LAPOR/CEK, the answers, and one inbound
 * message claimed by its gateway id and, for a report, filed as a complaint. */
#include "domain/sms.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "core/uuid.h"
#include "domain/application_internal.h"
#include "domain/complaint.h"
#include "store/complaint_store.h"
#include "store/sms_store.h"

#define DAY_MS 86400000LL
#define TITLE_MAX 80       /* code points of a title derived from a report */
#define CATS_MAX 64        /* categories considered for a report */

/* --- GSM-7 -------------------------------------------------------------------------------- */

/* Non-ASCII code points of the GSM 03.38 default alphabet (one septet each). */
static const uint32_t gsm_basic[] = {
	0xA3, 0xA5, 0xE8, 0xE9, 0xF9, 0xEC, 0xF2, 0xC7, 0xD8, 0xF8, 0xC5, 0xE5, 0x394, 0x3A6,
	0x393, 0x39B, 0x3A9, 0x3A0, 0x3A8, 0x3A3, 0x398, 0x39E, 0xC6, 0xE6, 0xDF, 0xC9, 0xA4,
	0xA1, 0xC4, 0xD6, 0xD1, 0xDC, 0xA7, 0xBF, 0xE4, 0xF6, 0xF1, 0xFC, 0xE0};

/* Septets of code point cp (1 or 2), or 0 when it is not in the alphabet. */
static int cp_septets(uint32_t cp)
{
	if (cp == '\n' || cp == '\r')
		return 1;
	if (cp < 0x20 || cp == 0x7F || cp == '`')
		return 0;
	if (cp < 0x7F)
		return strchr("[\\]^{|}~", (int)cp) ? 2 : 1;
	if (cp == 0x20AC)
		return 2;
	for (size_t i = 0; i < sizeof gsm_basic / sizeof gsm_basic[0]; i++)
		if (gsm_basic[i] == cp)
			return 1;
	return 0;
}

/* Decodes one UTF-8 code point at *p (advancing it); 0xFFFD for an invalid sequence. */
static uint32_t next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	uint32_t cp;
	int n;
	if (s[0] < 0x80) {
		*p = s + 1;
		return s[0];
	}
	if ((s[0] & 0xE0) == 0xC0) {
		cp = s[0] & 0x1F;
		n = 1;
	} else if ((s[0] & 0xF0) == 0xE0) {
		cp = s[0] & 0x0F;
		n = 2;
	} else if ((s[0] & 0xF8) == 0xF0) {
		cp = s[0] & 0x07;
		n = 3;
	} else {
		*p = s + 1;
		return 0xFFFD;
	}
	for (int i = 1; i <= n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*p = s + i;
			return 0xFFFD;
		}
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	*p = s + n + 1;
	return cp;
}

int pd_sms_septets(const char *s)
{
	if (!s)
		return 0;
	int total = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		int k = cp_septets(next_cp(&p)); /* invalid UTF-8 reads as U+FFFD: not GSM-7 */
		if (!k)
			return -1;
		total += k;
	}
	return total;
}

/* The GSM-7 stand-in for a code point outside the alphabet (static ASCII). */
static const char *stand_in(uint32_t cp)
{
	static const struct {
		uint32_t lo, hi;
		const char *s;
	} map[] = {
		{0xC0, 0xC3, "A"}, {0xC8, 0xC8, "E"}, {0xCA, 0xCB, "E"}, {0xCC, 0xCF, "I"},
		{0xD2, 0xD5, "O"}, {0xD9, 0xDB, "U"}, {0xDD, 0xDD, "Y"}, {0xE1, 0xE3, "a"},
		{0xE7, 0xE7, "c"}, {0xEA, 0xEB, "e"}, {0xED, 0xEF, "i"}, {0xF3, 0xF5, "o"},
		{0xFA, 0xFB, "u"}, {0xFD, 0xFD, "y"}, {0xFF, 0xFF, "y"}, {0xA0, 0xA0, " "},
		{0x2018, 0x201B, "'"}, {0x2032, 0x2032, "'"}, {0x201C, 0x201F, "\""},
		{0x2010, 0x2015, "-"}, {0x2212, 0x2212, "-"}, {0x2026, 0x2026, "..."},
		{0x2022, 0x2022, "-"}, {0x00B7, 0x00B7, "-"}, {'`', '`', "'"}, {'\t', '\t', " "},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (cp >= map[i].lo && cp <= map[i].hi)
			return map[i].s;
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) ? " " : "?";
}

int pd_sms_gsm7(const char *in, int max_septets, char *out, size_t outlen)
{
	if (!outlen)
		return 0;
	out[0] = '\0';
	if (max_septets < 3)
		max_septets = 3;
	/* Each piece: its bytes (copied from the input or a stand-in) and its septets. */
	size_t len = 0, cut_len = 0;
	int total = 0, cut_total = 0;
	bool cut = false;
	const unsigned char *p = (const unsigned char *)(in ? in : "");
	while (*p) {
		const unsigned char *start = p;
		uint32_t cp = next_cp(&p);
		int k = cp_septets(cp);
		const char *piece = (const char *)start;
		size_t n = (size_t)(p - start);
		if (!k || cp == 0xFFFD) {
			piece = stand_in(cp);
			n = strlen(piece);
			k = (int)n;
		}
		if (total + k > max_septets || len + n + 4 > outlen) {
			cut = true;
			break;
		}
		memcpy(out + len, piece, n);
		len += n;
		total += k;
		/* Where "..." still fits if the rest does not. */
		if (total <= max_septets - 3 && len + 4 <= outlen) {
			cut_len = len;
			cut_total = total;
		}
	}
	if (cut) {
		len = cut_len;
		total = cut_total;
		while (len && out[len - 1] == ' ') {
			len--;
			total--;
		}
		memcpy(out + len, "...", 3);
		len += 3;
		total += 3;
	}
	out[len] = '\0';
	return total;
}

/* --- parsing ------------------------------------------------------------------------------ */

static bool is_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '#';
}

static const char *skip_seps(const char *p)
{
	while (*p && is_sep(*p))
		p++;
	return p;
}

/* The token at p: up to the next separator. */
static size_t token_len(const char *p)
{
	size_t n = 0;
	while (p[n] && !is_sep(p[n]))
		n++;
	return n;
}

static bool word_is(const char *p, size_t n, const char *kw)
{
	size_t k = strlen(kw);
	if (n != k)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 32);
		if (c != kw[i])
			return false;
	}
	return true;
}

/* A village code token: digits and dots only, 10 digits. */
static bool parse_code(const char *p, size_t n, struct pd_sms_msg *out)
{
	size_t d = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '.')
			continue;
		if (p[i] < '0' || p[i] > '9' || d >= 10)
			return false;
		out->code_digits[d++] = p[i];
	}
	if (d != 10)
		return false;
	out->code_digits[10] = '\0';
	const char *c = out->code_digits;
	snprintf(out->code_dotted, sizeof out->code_dotted, "%.2s.%.2s.%.2s.%.4s", c, c + 2, c + 4,
	         c + 6);
	return true;
}

static size_t trimmed_len(const char *p)
{
	size_t n = strlen(p);
	while (n && is_sep(p[n - 1]))
		n--;
	return n;
}

void pd_sms_parse(const char *text, struct pd_sms_msg *out)
{
	memset(out, 0, sizeof *out);
	out->kind = PD_SMS_HELP;
	out->text = "";
	if (!text)
		return;
	const char *p = skip_seps(text);
	size_t n = token_len(p);
	if (word_is(p, n, "LAPOR")) {
		out->kind = PD_SMS_REPORT;
		p = skip_seps(p + n);
		n = token_len(p);
		if (n && parse_code(p, n, out)) {
			out->has_code = true;
			p = skip_seps(p + n);
		}
		out->text = p;
		out->text_len = trimmed_len(p);
	} else if (word_is(p, n, "CEK")) {
		out->kind = PD_SMS_CHECK;
		p = skip_seps(p + n);
		char buf[65];
		size_t k = trimmed_len(p);
		if (k && k < sizeof buf) {
			memcpy(buf, p, k);
			buf[k] = '\0';
			out->has_tracking = pd_tracking_parse(buf, out->tracking) == PD_OK &&
			                    out->tracking[0] == 'A';
		}
		if (!out->has_tracking)
			out->tracking[0] = '\0';
	}
}

/* --- answers ------------------------------------------------------------------------------ */

static const char *const templates[PD_SMS_A__MAX] = {
	[PD_SMS_A_HELP] = N_("Kirim LAPOR <kode desa 10 angka> <isi laporan> untuk melapor, atau CEK <nomor pengaduan> untuk melihat statusnya."),
	[PD_SMS_A_FILED] = N_("Pengaduan Anda diterima dengan nomor {nomor}. Simpan nomor ini. Cek status: kirim CEK {nomor}"),
	[PD_SMS_A_FILED_HELD] = N_("Pengaduan Anda diterima dengan nomor {nomor}. Isinya diperiksa petugas sebelum diumumkan. Cek status: kirim CEK {nomor}"),
	[PD_SMS_A_NO_VILLAGE] = N_("Kode desa tidak dikenal. Kirim LAPOR <kode desa 10 angka> <isi laporan>. Kode desa dapat ditanyakan di kantor desa."),
	[PD_SMS_A_NO_TEXT] = N_("Isi laporan kosong. Kirim LAPOR <kode desa> <isi laporan>."),
	[PD_SMS_A_TOO_LONG] = N_("Laporan terlalu panjang: paling banyak 4000 karakter. Kirim yang lebih singkat."),
	[PD_SMS_A_CLOSED] = N_("Maaf, pengaduan lewat SMS belum dapat diterima. Silakan coba lagi nanti."),
	[PD_SMS_A_STATUS] = N_("Pengaduan {nomor}: {status}. Unit: {unit}"),
	[PD_SMS_A_STATUS_DUE] = N_("Pengaduan {nomor}: {status}, batas waktu {tanggal}. Unit: {unit}"),
	[PD_SMS_A_BAD_NUMBER] = N_("Nomor pengaduan tidak sah. Periksa lagi, lalu kirim CEK <nomor pengaduan>."),
	[PD_SMS_A_NOT_FOUND] = N_("Pengaduan nomor {nomor} tidak ditemukan. Periksa lagi nomornya."),
	[PD_SMS_A_BUSY] = N_("Terlalu banyak pesan dari nomor ini. Silakan coba lagi nanti."),
};

/* Appends s to the buffer if it fits (a cut is done later on septets). */
static void put(char *buf, size_t cap, size_t *len, const char *s)
{
	size_t n = strlen(s);
	if (*len + n >= cap)
		n = cap - 1 - *len;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
}

void pd_sms_compose(enum pd_sms_answer k, const char *lang, const struct pd_sms_vars *v,
                    char out[PD_SMS_ANSWER_MAX])
{
	static const struct pd_sms_vars none = {0};
	if (!v)
		v = &none;
	if ((unsigned)k >= PD_SMS_A__MAX)
		k = PD_SMS_A_HELP;
	const char *tpl = pd_i18n_text(lang, templates[k]);
	char grouped[PD_TRACKING_GROUPED_LEN + 1] = "";
	if (v->tracking)
		pd_tracking_format(v->tracking, grouped);
	char date[16] = "";
	if (v->due_ms) {
		int64_t local = v->due_ms + (int64_t)v->tz_offset_min * 60000;
		int64_t day = local / DAY_MS - (local % DAY_MS < 0 ? 1 : 0);
		int y, m, d;
		pd_civil_from_day((int32_t)day, &y, &m, &d);
		snprintf(date, sizeof date, "%02d-%02d-%04d", d, m, y);
	}
	char raw[2048];
	size_t len = 0;
	raw[0] = '\0';
	for (const char *p = tpl; *p;) {
		const char *val = NULL;
		size_t skip = 0;
		if (*p == '{') {
			static const char *const names[] = {"{nomor}", "{status}", "{unit}", "{tanggal}"};
			const char *vals[] = {grouped, v->status ? pd_i18n_text(lang, v->status) : "",
			                      v->unit ? v->unit : "", date};
			for (size_t i = 0; i < 4; i++)
				if (pd_str_starts(p, names[i])) {
					val = vals[i];
					skip = strlen(names[i]);
				}
		}
		if (val) {
			put(raw, sizeof raw, &len, val);
			p += skip;
		} else {
			char c[2] = {*p, '\0'};
			put(raw, sizeof raw, &len, c);
			p++;
		}
	}
	pd_sms_gsm7(raw, PD_SMS_SEPTETS_MAX, out, PD_SMS_ANSWER_MAX);
}

/* --- one inbound message ------------------------------------------------------------------ */

static bool id_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > PD_SMS_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x21 || s[i] > 0x7E)
			return false;
	return true;
}

static bool from_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > PD_SMS_FROM_MAX)
		return false;
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		if (!alnum && !strchr(" +-.()", c))
			return false;
		any |= alnum;
	}
	return any;
}

/* The sender as indexed: E.164 for a number, else the id lower-cased without spaces. */
static void sender_norm(const char *from, char *out, size_t outlen)
{
	if (pd_crypto_norm_phone(from, out, outlen) == PD_OK)
		return;
	size_t k = 0;
	for (const char *p = from; *p && k + 1 < outlen; p++)
		if (*p != ' ')
			out[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	out[k] = '\0';
}

struct prior_arg {
	const char *gateway_id;
	struct pd_arena *a;
	const char *answer;
};

static int prior_tx(struct pd_tx *tx, void *p)
{
	struct prior_arg *g = p;
	return pd_store_sms_answer(tx, g->gateway_id, g->a, &g->answer) < 0 ? pd_app_db_error(tx)
	                                                                     : PD_OK;
}

/* The CEK answer: the status as /lacak shows it (status, due date while open, unit). */
static int check_answer(struct pd_store *st, struct pd_sms_job *j, struct pd_arena *a)
{
	if (!j->msg.has_tracking) {
		pd_sms_compose(PD_SMS_A_BAD_NUMBER, j->lang, NULL, j->answer);
		return PD_OK;
	}
	struct pd_complaint c;
	int rc = pd_complaint_track(st, j->msg.tracking, a, &c);
	struct pd_sms_vars v = {.tracking = j->msg.tracking, .tz_offset_min = j->tz_offset_min};
	if (rc == PD_ERR_NOT_FOUND) {
		pd_sms_compose(PD_SMS_A_NOT_FOUND, j->lang, &v, j->answer);
		return PD_OK;
	}
	if (rc)
		return rc;
	v.status = pd_complaint_status_label(c.status);
	v.unit = c.unit_name;
	bool open = !pd_complaint_status_closed(c.status) && c.status != PD_CMP_NEEDS_INFO;
	v.due_ms = open ? c.due_ms : 0;
	pd_sms_compose(v.due_ms ? PD_SMS_A_STATUS_DUE : PD_SMS_A_STATUS, j->lang, &v, j->answer);
	return PD_OK;
}

int pd_sms_prepare(struct pd_store *st, struct pd_sms_job *j, struct pd_arena *a,
                   const char **field)
{
	*field = NULL;
	j->repeated = j->filed = j->busy = false;
	j->answer[0] = j->complaint_id[0] = j->tracking[0] = '\0';
	if (!id_ok(j->gateway_id)) {
		*field = "id";
		return PD_ERR_INVALID;
	}
	if (!from_ok(j->from)) {
		*field = "from";
		return PD_ERR_INVALID;
	}
	if (!j->text)
		j->text = "";
	size_t tn = strlen(j->text);
	if (tn > PD_SMS_TEXT_MAX || !pd_utf8_valid(j->text, tn)) {
		*field = "text";
		return PD_ERR_INVALID;
	}
	sender_norm(j->from, j->phone, sizeof j->phone);
	int rc = pd_crypto_blind_index(j->ks, "sms_sender", j->phone, j->sender);
	if (rc)
		return rc;
	memcpy(j->sender_key, "sms:", 4);
	sodium_bin2hex(j->sender_key + 4, sizeof j->sender_key - 4, j->sender, sizeof j->sender);
	pd_sms_parse(j->text, &j->msg);

	/* An id answered before gets its answer and nothing else (the write checks again under
	 * the UNIQUE claim, for deliveries racing each other). */
	struct prior_arg g = {j->gateway_id, a, NULL};
	if ((rc = pd_store_read(st, prior_tx, &g)))
		return rc;
	if (g.answer) {
		snprintf(j->answer, sizeof j->answer, "%s", g.answer);
		j->repeated = true;
		return PD_OK;
	}
	if (j->msg.kind == PD_SMS_CHECK)
		return check_answer(st, j, a);
	if (j->msg.kind == PD_SMS_HELP)
		pd_sms_compose(PD_SMS_A_HELP, j->lang, NULL, j->answer);
	return PD_OK;
}

/* Lower-cased ASCII copy of s (other bytes kept), arena-owned. */
static char *lower(struct pd_arena *a, const char *s, size_t n)
{
	char *out = pd_arena_alloc(a, n + 1);
	for (size_t i = 0; i < n; i++)
		out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	out[n] = '\0';
	return out;
}

static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
}

/* How many of the category's keywords the (lower-cased) text names: a keyword counts when a
 * word starts with it, or, from 5 letters on, anywhere (Indonesian affixes: "berlubang"). */
static int keyword_score(const char *text, const char *keywords)
{
	int score = 0;
	const char *k = keywords ? keywords : "";
	while (*k) {
		char kw[64];
		size_t n = 0;
		while (*k && !is_letter(*k) && !(*k >= 'A' && *k <= 'Z'))
			k++;
		while (*k && (is_letter(*k) || (*k >= 'A' && *k <= 'Z'))) {
			if (n + 1 < sizeof kw)
				kw[n++] = (char)(*k >= 'A' && *k <= 'Z' ? *k + 32 : *k);
			k++;
		}
		kw[n] = '\0';
		if (n < 3)
			continue;
		for (const char *t = text; *t; t++)
			if (strncmp(t, kw, n) == 0 && (t == text || !is_letter(t[-1]) || n >= 5)) {
				score++;
				break;
			}
	}
	return score;
}

/* The category for a report (see pd_sms_commit), or NULL when none is enabled. */
static const struct pd_cmp_category_row *choose_category(const struct pd_cmp_category_row *rows,
                                                         int n, const char *text)
{
	const struct pd_cmp_category_row *best = NULL, *fallback = NULL;
	int best_score = 0;
	for (int i = 0; i < n; i++) {
		int s = keyword_score(text, rows[i].keywords);
		if (s > best_score) {
			best = &rows[i];
			best_score = s;
		}
		if (!fallback && (strcmp(rows[i].code, "lainnya") == 0 || strcmp(rows[i].code, "umum") == 0))
			fallback = &rows[i];
	}
	if (best)
		return best;
	return fallback ? fallback : n > 0 ? &rows[0] : NULL;
}

/* The report's text with control characters as spaces, and its title: the first words, at
 * most TITLE_MAX code points, on one line, "..." when cut. Arena-owned. */
static void report_texts(struct pd_arena *a, const char *text, size_t n, const char **body,
                         const char **title)
{
	char *b = pd_arena_alloc(a, n + 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];
		b[i] = (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7F ? ' ' : (char)c;
	}
	b[n] = '\0';
	*body = b;
	char *t = pd_arena_alloc(a, 4 * TITLE_MAX + 4);
	size_t k = 0, cps = 0, last_space = 0;
	bool space = false, cut = false;
	for (const unsigned char *p = (const unsigned char *)b; *p;) {
		const unsigned char *start = p;
		uint32_t cp = next_cp(&p);
		if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
			space = k > 0;
			continue;
		}
		if (cps + (space ? 1 : 0) + 1 > TITLE_MAX) {
			cut = true;
			break;
		}
		if (space) {
			last_space = k;
			t[k++] = ' ';
			cps++;
			space = false;
		}
		memcpy(t + k, start, (size_t)(p - start));
		k += (size_t)(p - start);
		cps++;
	}
	if (cut) {
		if (last_space > TITLE_MAX / 2)
			k = last_space;
		while (k && t[k - 1] == ' ')
			k--;
		memcpy(t + k, "...", 3);
		k += 3;
	}
	t[k] = '\0';
	*title = t;
}

/* Files the report of j in tx; sets j->answer (and j->filed) or returns a store error. */
static int file_report(struct pd_tx *tx, struct pd_sms_job *j)
{
	struct pd_arena *a = pd_tx_arena(tx);
	const struct pd_sms_msg *m = &j->msg;
	const char *slug = NULL;
	if (m->has_code) {
		enum pd_qs qs = pd_store_sms_village(tx, m->code_dotted, m->code_digits, a, &slug);
		if (qs < 0)
			return pd_app_db_error(tx);
	}
	if (!slug) {
		pd_sms_compose(PD_SMS_A_NO_VILLAGE, j->lang, NULL, j->answer);
		return PD_OK;
	}
	if (!m->text_len) {
		pd_sms_compose(PD_SMS_A_NO_TEXT, j->lang, NULL, j->answer);
		return PD_OK;
	}
	struct pd_cmp_category_row *rows = pd_arena_alloc(a, CATS_MAX * sizeof *rows);
	int n = 0;
	if (pd_store_cmp_categories(tx, a, rows, CATS_MAX, &n) < 0)
		return pd_app_db_error(tx);
	const struct pd_cmp_category_row *cat = choose_category(rows, n, lower(a, m->text, m->text_len));
	if (!cat) {
		pd_sms_compose(PD_SMS_A_CLOSED, j->lang, NULL, j->answer);
		return PD_OK;
	}
	const char *body, *title;
	report_texts(a, m->text, m->text_len, &body, &title);
	struct pd_complaint_input in = {
		.channel = "sms",
		.category_code = cat->code,
		.title = title,
		.text = body,
		.village_slug = slug,
		.visibility = PD_CMP_PUBLIC,
		.contact_phone = j->phone,
	};
	struct pd_app_ctx c = {.actor = NULL, .ks = j->ks, .cal = j->cal, .now_ms = j->now_ms};
	struct pd_app_errors errs = {0};
	struct pd_complaint_filed out;
	int rc = pd_complaint_file(tx, &c, &in, &errs, &out);
	if (rc == PD_ERR_INVALID && !pd_tx_error(tx)) {
		enum pd_sms_answer k = PD_SMS_A_CLOSED;
		if (pd_app_error_for(&errs, "isi") || pd_app_error_for(&errs, "judul"))
			k = PD_SMS_A_TOO_LONG;
		else if (pd_app_error_for(&errs, "desa"))
			k = PD_SMS_A_NO_VILLAGE;
		pd_sms_compose(k, j->lang, NULL, j->answer);
		return PD_OK;
	}
	if (rc)
		return rc;
	snprintf(j->complaint_id, sizeof j->complaint_id, "%s", out.id);
	snprintf(j->tracking, sizeof j->tracking, "%s", out.tracking);
	j->filed = true;
	struct pd_sms_vars v = {.tracking = out.tracking};
	pd_sms_compose(out.held ? PD_SMS_A_FILED_HELD : PD_SMS_A_FILED, j->lang, &v, j->answer);
	return PD_OK;
}

static const char *kind_name(enum pd_sms_kind k)
{
	return k == PD_SMS_REPORT ? "report" : k == PD_SMS_CHECK ? "check" : "help";
}

int pd_sms_commit(struct pd_tx *tx, void *job)
{
	struct pd_sms_job *j = job;
	/* The body may run again after a transient failure: start from what prepare left. */
	j->filed = j->busy = false;
	j->complaint_id[0] = j->tracking[0] = '\0';
	if (j->msg.kind == PD_SMS_REPORT)
		j->answer[0] = '\0';
	char id[PD_UUID_LEN + 1];
	pd_uuid7(id);
	struct pd_sms_row row = {
		.id = id, .gateway_id = j->gateway_id,
		.sender_bidx = {j->sender, sizeof j->sender}, .kind = kind_name(j->msg.kind),
		.complaint_id = NULL, .answer = j->answer,
		.created_ms = j->now_ms ? j->now_ms : pd_clock_now_ms()};
	enum pd_qs qs = pd_store_sms_claim(tx, &row);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE) { /* delivered before (or by a racing request that won) */
		const char *answer = NULL;
		if (pd_store_sms_answer(tx, j->gateway_id, NULL, &answer) <= 0 || !answer)
			return pd_app_db_error(tx);
		snprintf(j->answer, sizeof j->answer, "%s", answer);
		j->repeated = true;
		return PD_OK;
	}
	if (j->admit && !j->admit(j->admit_ctx, j->sender_key)) {
		j->busy = true;
		pd_sms_compose(PD_SMS_A_BUSY, j->lang, NULL, j->answer);
		return PD_ERR_FORBIDDEN; /* rolls the claim back */
	}
	if (j->msg.kind != PD_SMS_REPORT)
		return PD_OK;
	int rc = file_report(tx, j);
	if (rc)
		return rc;
	if (pd_store_sms_finish(tx, id, "report", j->filed ? j->complaint_id : NULL, j->answer) <= 0)
		return pd_app_db_error(tx);
	return PD_OK;
}
