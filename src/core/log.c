/* One line per event, key=value, written with a single write(2) so lines never interleave. */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	int n = snprintf(line, sizeof line, "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ level=%s event=%s",
	                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	                 tm.tm_sec, ts.tv_nsec / 1000000, level_names[level], event);
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
