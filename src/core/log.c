/* One line per event, key=value, written with a single write(2) so lines never interleave.
 * While a server runs (pd_log_buffer_start), the per-request lines ("request", info) are
 * gathered in memory and written together at most LOG_FLUSH_MS later, or sooner when the
 * buffer fills or any other event is logged (which first writes those before it, so the order
 * holds): one write(2) and one timestamp per request was ~11% of a cached answer (issue #8).
 * A crash loses at most the request lines of the last LOG_FLUSH_MS. */
#include "core/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOG_FLUSH_MS 200
#define LOG_BUF (64 * 1024)

static pthread_mutex_t buf_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t buf_cv = PTHREAD_COND_INITIALIZER;
static char buf[LOG_BUF];
static size_t buf_n;
static atomic_bool buffering;
static bool flusher_stop, flusher_running;
static pthread_t flusher;

/* With buf_mu held. */
static void buf_write(void)
{
	size_t off = 0;
	while (off < buf_n) {
		ssize_t w = write(STDERR_FILENO, buf + off, buf_n - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	buf_n = 0;
}

static void *flusher_main(void *p)
{
	(void)p;
	pthread_mutex_lock(&buf_mu);
	while (!flusher_stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += LOG_FLUSH_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&buf_cv, &buf_mu, &until);
		buf_write();
	}
	buf_write();
	pthread_mutex_unlock(&buf_mu);
	return NULL;
}

void pd_log_buffer_start(void)
{
	pthread_mutex_lock(&buf_mu);
	if (!flusher_running) {
		flusher_stop = false;
		flusher_running = pthread_create(&flusher, NULL, flusher_main, NULL) == 0;
		atomic_store(&buffering, flusher_running);
	}
	pthread_mutex_unlock(&buf_mu);
}

void pd_log_buffer_stop(void)
{
	pthread_mutex_lock(&buf_mu);
	bool running = flusher_running;
	atomic_store(&buffering, false);
	flusher_stop = true;
	flusher_running = false;
	pthread_cond_signal(&buf_cv);
	pthread_mutex_unlock(&buf_mu);
	if (running)
		pthread_join(flusher, NULL);
}

static enum pd_log_level min_level = PD_LOG_INFO;
static const char *const level_names[] = {"debug", "info", "warn", "error"};

void pd_log_set_level(enum pd_log_level level)
{
	min_level = level;
}

void pd_log(enum pd_log_level level, const char *event, const char *fmt, ...)
{
	if (level < min_level)
		return;
	char line[2048];
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	/* The date and time to the second, formatted once a second per thread. */
	static _Thread_local time_t sec_cached = -1;
	static _Thread_local char sec_text[64];
	if (ts.tv_sec != sec_cached) {
		struct tm tm;
		gmtime_r(&ts.tv_sec, &tm);
		snprintf(sec_text, sizeof sec_text, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
		         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		sec_cached = ts.tv_sec;
	}
	int n = snprintf(line, sizeof line, "ts=%s.%03ldZ level=%s event=%s", sec_text,
	                 ts.tv_nsec / 1000000, level_names[level], event);
	if (n < 0)
		return;
	if (fmt && *fmt && (size_t)n < sizeof line - 2) {
		line[n++] = ' ';
		va_list ap;
		va_start(ap, fmt);
		int m = vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
		va_end(ap);
		if (m > 0)
			n += m;
	}
	if ((size_t)n >= sizeof line - 1)
		n = sizeof line - 2;
	/* One event, one line: a CR or LF in a value (a database's error text, a header) must not
	 * start a line of its own that reads like another event. */
	for (int i = 0; i < n; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = ' ';
	line[n++] = '\n';
	if (atomic_load(&buffering)) {
		pthread_mutex_lock(&buf_mu);
		/* Asked again under the lock: a line gathered after the last flush of a stop would
		 * stay unwritten. */
		bool gather = atomic_load(&buffering) && level == PD_LOG_INFO &&
		              strcmp(event, "request") == 0;
		if (buf_n + (size_t)n > sizeof buf || (!gather && buf_n))
			buf_write(); /* full, or another event: the lines before it go first */
		if (gather) {
			memcpy(buf + buf_n, line, (size_t)n);
			buf_n += (size_t)n;
			pthread_mutex_unlock(&buf_mu);
			return;
		}
		ssize_t w = write(STDERR_FILENO, line, (size_t)n);
		(void)w;
		pthread_mutex_unlock(&buf_mu);
		return;
	}
	ssize_t w = write(STDERR_FILENO, line, (size_t)n);
	(void)w;
}

void pd_log_sanitize(const char *s, char *out, unsigned n)
{
	unsigned i = 0;
	if (n == 0)
		return;
	for (; s && s[i] && i + 1 < n; i++) {
		unsigned char c = (unsigned char)s[i];
		out[i] = (c > 0x20 && c < 0x7f && c != '"' && c != '=' && c != '\\') ? (char)c : '_';
	}
	out[i] = '\0';
}
