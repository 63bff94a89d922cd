/* Outgoing email: sender settings, address checks, RFC 5322 / MIME message building and
 * queueing in the outbox, sealed, within the caller's transaction. */
#include "domain/mail.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/err.h"
#include "core/log.h"
#include "core/str.h"
#include "core/uuid.h"
#include "store/outbox_store.h"

#define SUBJECT_MAX 500
#define HOST_MAX 200
#define DEFAULT_FROM "pendopo@localhost"
#define DEFAULT_HOST "pendopo.invalid"

static pthread_mutex_t cfg_lock = PTHREAD_MUTEX_INITIALIZER;
static char cfg_from[PD_MAIL_ADDR_MAX * 2] = DEFAULT_FROM;  /* the From header's value */
static char cfg_envelope[PD_MAIL_ADDR_MAX] = DEFAULT_FROM;  /* its bare address */
static char cfg_host[HOST_MAX + 1] = DEFAULT_HOST;
static struct pd_keyset *cfg_keys; /* borrowed; see pd_mail_set_keys */

static bool atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

static bool host_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.';
}

/* A dot-atom host name: labels of letters, digits and '-', separated by single dots. */
static bool host_valid(const char *s, size_t n)
{
	if (n == 0 || n > HOST_MAX || s[0] == '.' || s[n - 1] == '.' || s[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!host_char((unsigned char)s[i]) || (s[i] == '.' && s[i + 1] == '.'))
			return false;
	return true;
}

bool pd_mail_address_valid(const char *addr)
{
	if (!addr)
		return false;
	size_t n = strlen(addr);
	const char *at = strrchr(addr, '@');
	if (n == 0 || n > 254 || !at || at == addr || (size_t)(at - addr) > 64)
		return false;
	size_t local = (size_t)(at - addr);
	if (addr[0] == '.' || addr[local - 1] == '.')
		return false;
	for (size_t i = 0; i < local; i++) {
		unsigned char c = (unsigned char)addr[i];
		if (c == '.' ? addr[i + 1] == '.' : !atext(c))
			return false;
	}
	return host_valid(at + 1, strlen(at + 1));
}

/* Splits a From value into its bare address: "a@b" or "Name <a@b>". */
static bool sender_address(const char *from, char out[PD_MAIL_ADDR_MAX])
{
	size_t n = strlen(from);
	if (n == 0 || n >= PD_MAIL_ADDR_MAX * 2)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)from[i] < 0x20 || (unsigned char)from[i] > 0x7e)
			return false;
	const char *lt = strrchr(from, '<');
	const char *start = from, *end = from + n;
	if (lt) {
		const char *gt = strchr(lt, '>');
		if (!gt || gt[1] != '\0')
			return false;
		start = lt + 1;
		end = gt;
	}
	size_t len = (size_t)(end - start);
	if (len >= PD_MAIL_ADDR_MAX)
		return false;
	memcpy(out, start, len);
	out[len] = '\0';
	return pd_mail_address_valid(out);
}

/* The host of an absolute URL: after "scheme://" and any "user@", before a port or path. */
static void url_host(const char *url, char out[HOST_MAX + 1])
{
	snprintf(out, HOST_MAX + 1, "%s", DEFAULT_HOST);
	if (!url)
		return;
	const char *p = strstr(url, "://");
	if (!p)
		return;
	p += 3;
	size_t n = strcspn(p, "/?#");
	const char *at = memchr(p, '@', n);
	if (at) {
		n -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	const char *colon = memchr(p, ':', n);
	if (colon)
		n = (size_t)(colon - p);
	if (!host_valid(p, n))
		return;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]);
	out[n] = '\0';
}

int pd_mail_configure(const char *from, const char *public_url)
{
	char envelope[PD_MAIL_ADDR_MAX];
	if (!from || !*from)
		from = DEFAULT_FROM;
	if (!sender_address(from, envelope))
		return PD_ERR_INVALID;
	char host[HOST_MAX + 1];
	url_host(public_url, host);
	pthread_mutex_lock(&cfg_lock);
	snprintf(cfg_from, sizeof cfg_from, "%s", from);
	snprintf(cfg_envelope, sizeof cfg_envelope, "%s", envelope);
	snprintf(cfg_host, sizeof cfg_host, "%s", host);
	pthread_mutex_unlock(&cfg_lock);
	return PD_OK;
}

void pd_mail_set_keys(struct pd_keyset *ks)
{
	pthread_mutex_lock(&cfg_lock);
	cfg_keys = ks;
	pthread_mutex_unlock(&cfg_lock);
}

void pd_mail_envelope_from(char out[PD_MAIL_ADDR_MAX])
{
	pthread_mutex_lock(&cfg_lock);
	snprintf(out, PD_MAIL_ADDR_MAX, "%s", cfg_envelope);
	pthread_mutex_unlock(&cfg_lock);
}

/* --- building --------------------------------------------------------------------------------- */

static const char *const wdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* RFC 5322 §3.3 date in UTC, independent of the process locale. */
static int put_date(struct pd_buf *out, int64_t now_ms)
{
	time_t t = (time_t)(now_ms / 1000);
	struct tm tm;
	if (!gmtime_r(&t, &tm))
		return PD_ERR_INVALID;
	return pd_buf_printf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", wdays[tm.tm_wday],
	                     tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
	                     tm.tm_sec);
}

static bool plain_ascii(const char *s)
{
	if (strstr(s, "=?"))
		return false; /* would read as an encoded word */
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

/* The subject as RFC 2047 "B" encoded words of at most 75 characters, folded with CRLF SP,
 * each holding whole UTF-8 characters. */
static int put_subject(struct pd_buf *out, const char *subject)
{
	int rc = pd_buf_puts(out, "Subject: ");
	if (plain_ascii(subject))
		return rc ? rc : pd_buf_printf(out, "%s\r\n", subject);
	size_t n = strlen(subject), i = 0;
	while (!rc && i < n) {
		size_t take = n - i < 45 ? n - i : 45; /* 45 bytes → 60 base64 characters */
		while (take > 1 && i + take < n && ((unsigned char)subject[i + take] & 0xC0) == 0x80)
			take--;
		char b64[sodium_base64_ENCODED_LEN(45, sodium_base64_VARIANT_ORIGINAL)];
		sodium_bin2base64(b64, sizeof b64, (const unsigned char *)subject + i, take,
		                  sodium_base64_VARIANT_ORIGINAL);
		rc = pd_buf_printf(out, "%s=?UTF-8?B?%s?=", i ? "\r\n " : "", b64);
		i += take;
	}
	return rc ? rc : pd_buf_puts(out, "\r\n");
}

/* Appends one quoted-printable token, breaking the line softly before it would pass 76. */
static int qp_token(struct pd_buf *out, const char *tok, size_t len, size_t *col)
{
	int rc = PD_OK;
	if (*col + len > 75) {
		rc = pd_buf_puts(out, "=\r\n");
		*col = 0;
	}
	*col += len;
	return rc ? rc : pd_buf_append(out, tok, len);
}

/* RFC 2045 §6.7 quoted-printable of text whose line ends are \n, \r\n or \r; every line
 * (hard break) ends in CRLF. */
static int put_qp(struct pd_buf *out, const char *text)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t col = 0;
	int rc = PD_OK;
	const unsigned char *s = (const unsigned char *)text;
	for (size_t i = 0; !rc && s[i]; i++) {
		unsigned char c = s[i];
		if (c == '\r' || c == '\n') {
			if (c == '\r' && s[i + 1] == '\n')
				i++;
			rc = pd_buf_puts(out, "\r\n");
			col = 0;
			continue;
		}
		bool line_end = s[i + 1] == '\0' || s[i + 1] == '\r' || s[i + 1] == '\n';
		bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !line_end);
		if (literal) {
			rc = qp_token(out, (const char *)&s[i], 1, &col);
		} else {
			char tok[3] = {'=', hex[c >> 4], hex[c & 15]};
			rc = qp_token(out, tok, 3, &col);
		}
	}
	if (!rc && col > 0)
		rc = pd_buf_puts(out, "\r\n");
	return rc;
}

static bool has_crlf(const char *s)
{
	return strpbrk(s, "\r\n") != NULL;
}

int pd_mail_build(struct pd_buf *out, const char *from, const char *to, const char *subject,
                  const char *text_body, const char *message_id, int64_t now_ms)
{
	if (!from || !to || !subject || !text_body || !message_id || has_crlf(from) ||
	    has_crlf(to) || has_crlf(subject) || has_crlf(message_id))
		return PD_ERR_INVALID;
	int rc = put_date(out, now_ms);
	if (!rc)
		rc = pd_buf_printf(out, "From: %s\r\nTo: %s\r\n", from, to);
	if (!rc)
		rc = put_subject(out, subject);
	if (!rc)
		rc = pd_buf_printf(out,
		                   "Message-ID: %s\r\n"
		                   "MIME-Version: 1.0\r\n"
		                   "Content-Type: text/plain; charset=utf-8\r\n"
		                   "Content-Transfer-Encoding: quoted-printable\r\n"
		                   "Auto-Submitted: auto-generated\r\n"
		                   "\r\n",
		                   message_id);
	if (!rc)
		rc = put_qp(out, text_body);
	return rc;
}

/* --- queueing --------------------------------------------------------------------------------- */

/* Seals the recipient and the message for outbox row id into two buffers. */
static int seal_message(const struct pd_keyset *ks, const char *id, const char *to,
                        const struct pd_buf *msg, struct pd_buf *to_ct, struct pd_buf *msg_ct)
{
	int rc = pd_crypto_seal(ks, to, strlen(to), "outbox", "recipient_ct", id, to_ct);
	if (!rc)
		rc = pd_crypto_seal(ks, msg->data, msg->len, "outbox", "body_ct", id, msg_ct);
	return rc;
}

static void wipe_free(struct pd_buf *b)
{
	if (b->data)
		sodium_memzero(b->data, b->cap);
	pd_buf_free(b);
}

int pd_mail_enqueue(struct pd_tx *tx, const char *to, const char *subject,
                    const char *text_body, char message_id[PD_MAIL_ID_MAX])
{
	if (!pd_mail_address_valid(to) || !subject || !text_body || has_crlf(subject) ||
	    strlen(subject) > SUBJECT_MAX || !pd_utf8_valid(subject, strlen(subject)))
		return PD_ERR_INVALID;
	size_t body_len = strlen(text_body);
	if (body_len > PD_MAIL_BODY_MAX)
		return PD_ERR_TOO_LARGE;
	if (!pd_utf8_valid(text_body, body_len))
		return PD_ERR_INVALID;

	char from[PD_MAIL_ADDR_MAX * 2], host[HOST_MAX + 1];
	pthread_mutex_lock(&cfg_lock);
	snprintf(from, sizeof from, "%s", cfg_from);
	snprintf(host, sizeof host, "%s", cfg_host);
	const struct pd_keyset *ks = cfg_keys;
	pthread_mutex_unlock(&cfg_lock);
	if (!ks) {
		PD_BUG("mail queued before pd_mail_set_keys");
		return PD_ERR_UNAVAILABLE;
	}

	char id[PD_UUID_LEN + 1], mid[PD_MAIL_ID_MAX];
	pd_uuid7(id);
	snprintf(mid, sizeof mid, "<%s@%s>", id, host);
	int64_t now = pd_clock_now_ms();
	struct pd_buf msg, to_ct, msg_ct;
	pd_buf_init(&msg, 4 * PD_MAIL_BODY_MAX + 64 * 1024);
	pd_buf_init(&to_ct, 4096);
	pd_buf_init(&msg_ct, 4 * PD_MAIL_BODY_MAX + 128 * 1024);
	int rc = pd_mail_build(&msg, from, to, subject, text_body, mid, now);
	if (!rc)
		rc = seal_message(ks, id, to, &msg, &to_ct, &msg_ct);
	if (rc)
		goto out;
	struct pd_outbox_new m = {
		.id = id,
		.channel = "email",
		.recipient_ct = to_ct.data,
		.recipient_ct_len = to_ct.len,
		.body_ct = msg_ct.data,
		.body_ct_len = msg_ct.len,
		.message_id = mid,
		.now_ms = now,
	};
	if (pd_store_outbox_insert(tx, &m) <= 0) {
		rc = pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
		goto out;
	}
	if (message_id)
		snprintf(message_id, PD_MAIL_ID_MAX, "%s", mid);
	rc = PD_OK;
out:
	wipe_free(&msg);
	pd_buf_free(&to_ct);
	pd_buf_free(&msg_ct);
	return rc;
}

int pd_mail_open(const struct pd_keyset *ks, const struct pd_outbox_msg *m,
                 struct pd_buf *recipient, struct pd_buf *message)
{
	if (!ks)
		return PD_ERR_CRYPTO;
	int rc = pd_crypto_open(ks, m->recipient_ct, m->recipient_ct_len, "outbox", "recipient_ct",
	                        m->id, recipient);
	if (!rc)
		rc = pd_crypto_open(ks, m->body_ct, m->body_ct_len, "outbox", "body_ct", m->id, message);
	if (!rc && (!recipient->data || memchr(recipient->data, '\0', recipient->len)))
		rc = PD_ERR_CRYPTO; /* an address is never empty and holds no NUL */
	if (rc) {
		if (recipient->data)
			sodium_memzero(recipient->data, recipient->cap);
		if (message->data)
			sodium_memzero(message->data, message->cap);
		pd_buf_reset(recipient);
		pd_buf_reset(message);
	}
	return rc;
}
