/* The outbox worker: claims due messages under a lease, opens them (the only place the sealed
 * recipient and message are decrypted), delivers email by SMTP (libcurl) or, without
 * --smtp-url, as files in <data>/mail, and records each result durably. Delivery is at least
 * once: a message is marked sent only after the server accepted it, so a crash in between
 * sends it again with the same Message-ID. */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "core/str.h"
#include "domain/mail.h"
#include "jobs/internal.h"
#include "store/outbox_store.h"

#define BATCH 8                          /* messages claimed at once */
#define MAX_BATCHES 8                    /* batches per pass before sleeping again */
#define LEASE_MS (15 * 60 * 1000)        /* a claim's lifetime; deliveries stop at half */
#define BACKOFF_FIRST_MS (30 * 1000)     /* after the first failure; doubles each time */
#define BACKOFF_MAX_MS (60 * 60 * 1000)
#define MAX_ATTEMPTS 20                  /* then the message is failed for good */
#define CONNECT_TIMEOUT_MS 10000
#define TRANSFER_TIMEOUT_MS 120000
#define RETENTION_MS ((int64_t)30 * 24 * 60 * 60 * 1000)
#define PURGE_BATCH 500

enum outcome { SENT, RETRY, PERMANENT, ABORTED };

/* A claimed message opened for delivery; wiped once delivered. */
struct opened {
	struct pd_buf to, body;
};

struct result {
	enum outcome outcome;
	char error[160]; /* no secrets, no addresses */
};

/* --- file delivery ---------------------------------------------------------------------------- */

/* A file name from a Message-ID: "<id@host>" → "id@host", other unsafe bytes as '_'. */
static void safe_name(const char *message_id, char *out, size_t n)
{
	size_t k = 0;
	for (const char *p = message_id; *p && k + 1 < n; p++) {
		char c = *p;
		if (c == '<' || c == '>')
			continue;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		          c == '.' || c == '-' || c == '_' || c == '@';
		out[k++] = ok ? c : '_';
	}
	out[k] = '\0';
	if (k == 0 || out[0] == '.')
		out[0] = '_';
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *s = p;
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return PD_ERR_IO;
		s += w;
		n -= (size_t)w;
	}
	return PD_OK;
}

/* Writes the message to <data>/mail/<message-id>.eml: a temporary file, fsync, rename, fsync
 * of the directory. Writing it again (a retry) replaces the same file. */
static void deliver_file(struct pd_app *app, const struct pd_outbox_msg *m,
                         const struct opened *o, struct result *r)
{
	char dir[4096], name[256], path[4400], tmp[4400];
	int fd = -1;
	r->outcome = RETRY;
	snprintf(dir, sizeof dir, "%s/mail", app->cfg->data);
	if (mkdir(dir, 0700) && errno != EEXIST) {
		snprintf(r->error, sizeof r->error, "file: cannot create the mail directory: %s",
		         strerror(errno));
		goto out;
	}
	safe_name(m->message_id, name, sizeof name);
	snprintf(path, sizeof path, "%s/%s.eml", dir, name);
	snprintf(tmp, sizeof tmp, "%s/.%s.%ld.tmp", dir, name, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write_all(fd, o->body.data, o->body.len) || fsync(fd)) {
		snprintf(r->error, sizeof r->error, "file: cannot write: %s", strerror(errno));
		goto out;
	}
	close(fd);
	fd = -1;
	if (rename(tmp, path)) {
		snprintf(r->error, sizeof r->error, "file: cannot rename: %s", strerror(errno));
		goto out;
	}
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	r->outcome = SENT;
out:
	if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}
}

/* --- SMTP delivery ---------------------------------------------------------------------------- */

struct reader {
	const char *p;
	size_t left;
};

static size_t read_cb(char *buf, size_t size, size_t nitems, void *ud)
{
	struct reader *rd = ud;
	size_t n = size * nitems;
	if (n > rd->left)
		n = rd->left;
	memcpy(buf, rd->p, n);
	rd->p += n;
	rd->left -= n;
	return n;
}

static int progress_cb(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
	(void)ud, (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return pd_jobs_stopping() ? 1 : 0;
}

/* True when the SMTP URL names this machine: credentials may then go without TLS. */
static bool loopback_url(const char *url)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	const char *at = strchr(p, '@');
	if (at && at < p + strcspn(p, "/"))
		p = at + 1;
	return pd_str_starts(p, "127.") || pd_str_starts(p, "localhost") || pd_str_starts(p, "[::1]");
}

/* A 5xx answer to MAIL, RCPT or DATA refuses this message for good; authentication codes
 * (530, 534, 535, 538) are a configuration problem that the operator can fix, so retry. */
static bool permanent(CURLcode res, long code)
{
	if (code < 500 || code > 599 || code == 530 || code == 534 || code == 535 || code == 538)
		return false;
	return res == CURLE_SEND_ERROR || res == CURLE_WEIRD_SERVER_REPLY ||
	       res == CURLE_RECV_ERROR || res == CURLE_UPLOAD_FAILED;
}

static void deliver_smtp(struct pd_app *app, CURL *c, const struct opened *o, struct result *r)
{
	const struct pd_config *cfg = app->cfg;
	struct curl_slist *rcpt = NULL;
	r->outcome = RETRY;
	const char *recipient = o->to.data; /* NUL-terminated by pd_mail_open */
	if (!pd_mail_address_valid(recipient)) {
		r->outcome = PERMANENT;
		snprintf(r->error, sizeof r->error, "smtp: invalid recipient address");
		goto out;
	}
	char from[PD_MAIL_ADDR_MAX], env_from[PD_MAIL_ADDR_MAX + 2], env_to[PD_MAIL_ADDR_MAX + 2];
	pd_mail_envelope_from(from);
	snprintf(env_from, sizeof env_from, "<%s>", from);
	snprintf(env_to, sizeof env_to, "<%s>", recipient);
	rcpt = curl_slist_append(NULL, env_to);
	if (!rcpt) {
		snprintf(r->error, sizeof r->error, "smtp: out of memory");
		goto out;
	}
	struct reader rd = {o->body.data, o->body.len};
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, cfg->smtp_url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, env_from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &rd);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)o->body.len);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)CONNECT_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)TRANSFER_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress_cb);
	if (*cfg->smtp_user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, cfg->smtp_user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->smtp_password);
		/* Never send the password in clear to another machine: demand STARTTLS. */
		if (pd_str_starts(cfg->smtp_url, "smtp://") && !loopback_url(cfg->smtp_url))
			curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	}
	CURLcode res = curl_easy_perform(c);
	long code = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (res == CURLE_OK) {
		r->outcome = SENT;
	} else if (res == CURLE_ABORTED_BY_CALLBACK) {
		r->outcome = ABORTED;
		snprintf(r->error, sizeof r->error, "smtp: stopped");
	} else {
		r->outcome = permanent(res, code) ? PERMANENT : RETRY;
		/* curl's own text only: the server's reply may quote the recipient. */
		snprintf(r->error, sizeof r->error, "smtp: %s (reply %ld)", curl_easy_strerror(res), code);
	}
out:
	curl_slist_free_all(rcpt);
	sodium_memzero(env_to, sizeof env_to);
}

/* --- claiming and recording ------------------------------------------------------------------- */

struct claim_arg {
	int64_t now;
	struct pd_arena *a;
	struct pd_outbox_msg msgs[BATCH];
	int n;
};

static int claim_tx(struct pd_tx *tx, void *p)
{
	struct claim_arg *ca = p;
	pd_store_outbox_claim(tx, ca->now, LEASE_MS, BATCH, ca->a, ca->msgs, &ca->n);
	return pd_tx_error(tx);
}

struct due_arg {
	int64_t now;
	int due;
};

static int due_tx(struct pd_tx *tx, void *p)
{
	struct due_arg *da = p;
	da->due = 0;
	pd_store_outbox_any_due(tx, da->now, &da->due);
	return pd_tx_error(tx);
}

struct record_arg {
	const struct pd_outbox_msg *m;
	const struct result *r;
	int64_t now, next;
	bool changed;
};

static int record_tx(struct pd_tx *tx, void *p)
{
	struct record_arg *ra = p;
	enum pd_qs qs;
	switch (ra->r->outcome) {
	case SENT:
		qs = pd_store_outbox_mark_sent(tx, ra->m->id, ra->now);
		break;
	case RETRY:
		qs = pd_store_outbox_mark_retry(tx, ra->m->id, ra->next, ra->r->error);
		break;
	case PERMANENT:
		qs = pd_store_outbox_mark_failed(tx, ra->m->id, ra->r->error);
		break;
	default:
		qs = pd_store_outbox_release(tx, ra->m->id);
		break;
	}
	ra->changed = qs == PD_QS_ONE;
	return pd_tx_error(tx);
}

/* Exponential back-off with jitter: 30 s, 60 s, 120 s … capped at 1 h, each shortened by up
 * to a quarter at random so that messages failed together do not retry together. */
static int64_t backoff_ms(int64_t attempts_made)
{
	int64_t d = BACKOFF_FIRST_MS;
	for (int64_t i = 1; i < attempts_made && d < BACKOFF_MAX_MS; i++)
		d *= 2;
	if (d > BACKOFF_MAX_MS)
		d = BACKOFF_MAX_MS;
	return d - (int64_t)randombytes_uniform((uint32_t)(d / 4 + 1));
}

static void deliver_one(struct pd_app *app, CURL *c, const struct pd_outbox_msg *m)
{
	struct result r = {RETRY, ""};
	int64_t t0 = pd_clock_mono_ms();
	struct opened o;
	pd_buf_init(&o.to, 4096);
	pd_buf_init(&o.body, 8 * PD_MAIL_BODY_MAX);
	if (strcmp(m->channel, "email") != 0)
		snprintf(r.error, sizeof r.error, "no sender for channel %s yet", m->channel);
	else if (pd_mail_open(app->keys, m, &o.to, &o.body))
		/* Retried: another node may have rotated in a key this one has not loaded yet. */
		snprintf(r.error, sizeof r.error, "cannot open the sealed message (key missing?)");
	else if (*app->cfg->smtp_url && c)
		deliver_smtp(app, c, &o, &r);
	else if (*app->cfg->smtp_url)
		snprintf(r.error, sizeof r.error, "smtp: cannot initialise libcurl");
	else
		deliver_file(app, m, &o, &r);
	if (o.to.data)
		sodium_memzero(o.to.data, o.to.cap);
	if (o.body.data)
		sodium_memzero(o.body.data, o.body.cap);
	pd_buf_free(&o.to);
	pd_buf_free(&o.body);
	int64_t attempts = m->attempts + 1;
	if (r.outcome == RETRY && attempts >= MAX_ATTEMPTS)
		r.outcome = PERMANENT;
	struct record_arg ra = {.m = m, .r = &r, .now = pd_clock_now_ms()};
	if (r.outcome == RETRY)
		ra.next = ra.now + backoff_ms(attempts);
	int rc = pd_store_write(app->store, record_tx, &ra);
	char err[sizeof r.error];
	pd_log_sanitize(r.error, err, sizeof err);
	if (rc) {
		/* The lease runs out and the message is tried again: at least once. */
		pd_log(PD_LOG_ERROR, "outbox_record_failed", "id=%s err=%s", m->id, pd_strerror(rc));
		return;
	}
	long ms = (long)(pd_clock_mono_ms() - t0);
	switch (r.outcome) {
	case SENT:
		pd_jobs_count_delivery(0);
		pd_log(PD_LOG_INFO, "outbox_sent", "id=%s channel=%s attempts=%lld ms=%ld", m->id,
		       m->channel, (long long)attempts, ms);
		break;
	case RETRY:
		pd_jobs_count_delivery(1);
		pd_log(PD_LOG_WARN, "outbox_retry", "id=%s channel=%s attempts=%lld next_in_s=%lld error=\"%s\"",
		       m->id, m->channel, (long long)attempts, (long long)((ra.next - ra.now) / 1000), err);
		break;
	case PERMANENT:
		pd_jobs_count_delivery(2);
		pd_log(PD_LOG_ERROR, "outbox_failed", "id=%s channel=%s attempts=%lld error=\"%s\"", m->id,
		       m->channel, (long long)attempts, err);
		break;
	default:
		pd_log(PD_LOG_INFO, "outbox_released", "id=%s", m->id);
		break;
	}
}

static void release(struct pd_app *app, const struct pd_outbox_msg *m)
{
	struct result r = {ABORTED, ""};
	struct record_arg ra = {.m = m, .r = &r, .now = pd_clock_now_ms()};
	pd_store_write(app->store, record_tx, &ra);
}

int pd_jobs_outbox_pass(struct pd_app *app)
{
	int handled = 0;
	CURL *c = NULL;
	for (int batch = 0; batch < MAX_BATCHES && !pd_jobs_stopping(); batch++) {
		struct due_arg da = {.now = pd_clock_now_ms()};
		if (pd_store_read(app->store, due_tx, &da) || !da.due)
			break;
		struct claim_arg ca = {.now = da.now, .a = pd_arena_new()};
		int rc = pd_store_write(app->store, claim_tx, &ca);
		if (rc || ca.n == 0) {
			if (rc)
				pd_log(PD_LOG_WARN, "outbox_claim_failed", "err=%s", pd_strerror(rc));
			pd_arena_free(ca.a);
			break;
		}
		if (!c && *app->cfg->smtp_url)
			c = curl_easy_init();
		int64_t t0 = pd_clock_mono_ms();
		for (int i = 0; i < ca.n; i++) {
			/* Hand back what is left when stopping or when the lease is half gone. */
			if (pd_jobs_stopping() || pd_clock_mono_ms() - t0 > LEASE_MS / 2)
				release(app, &ca.msgs[i]);
			else
				deliver_one(app, c, &ca.msgs[i]);
			handled++;
		}
		int n = ca.n;
		pd_arena_free(ca.a);
		if (n < BATCH)
			break;
	}
	if (c)
		curl_easy_cleanup(c);
	return handled;
}

/* --- figures and retention -------------------------------------------------------------------- */

static int counts_tx(struct pd_tx *tx, void *p)
{
	pd_store_outbox_counts(tx, p);
	return pd_tx_error(tx);
}

int pd_jobs_outbox_refresh_counts(struct pd_app *app)
{
	struct pd_outbox_counts oc;
	int rc = pd_store_read(app->store, counts_tx, &oc);
	if (!rc)
		pd_jobs_set_counts(oc.pending, oc.sent, oc.failed, oc.retrying);
	return rc;
}

struct purge_arg {
	int64_t before, n;
};

static int purge_tx(struct pd_tx *tx, void *p)
{
	struct purge_arg *pa = p;
	pd_store_outbox_purge_sent(tx, pa->before, PURGE_BATCH, &pa->n);
	return pd_tx_error(tx);
}

int pd_jobs_outbox_retention(struct pd_app *app, char *result, size_t n)
{
	struct purge_arg pa = {.before = pd_clock_now_ms() - RETENTION_MS};
	int64_t total = 0;
	int rc = PD_OK;
	/* Small transactions, so the writer never holds the database for long. */
	do {
		pa.n = 0;
		rc = pd_store_write(app->store, purge_tx, &pa);
		total += pa.n;
	} while (!rc && pa.n >= PURGE_BATCH && !pd_jobs_stopping());
	if (rc)
		snprintf(result, n, "error:%s,deleted:%lld", pd_strerror(rc), (long long)total);
	else
		snprintf(result, n, "deleted:%lld", (long long)total);
	return rc;
}
