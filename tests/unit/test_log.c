/* Unit tests for the logger: one event is one line, whatever its values hold. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/log.h"

static char *read_all(int fd)
{
	off_t len = lseek(fd, 0, SEEK_END);
	char *out = calloc(1, (size_t)len + 1);
	assert_int_equal(pread(fd, out, (size_t)len, 0), len);
	return out;
}

/* Sends stderr to a new temporary file; returns its descriptor, *saved the old stderr. */
static int temp_stderr(int *saved)
{
	char path[] = "/tmp/pd-log-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	*saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	return fd;
}

/* Runs pd_log with stderr sent to a temporary file; returns what it wrote (caller frees). */
static char *capture(const char *value)
{
	int saved, fd = temp_stderr(&saved);
	pd_log(PD_LOG_WARN, "test_event", "msg=\"%s\" n=%d", value, 7);
	dup2(saved, STDERR_FILENO);
	close(saved);
	char *out = read_all(fd);
	close(fd);
	return out;
}

static size_t count(const char *s, char c)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == c;
	return n;
}

static void test_one_line_per_event(void **state)
{
	(void)state;
	/* A value with CR/LF used to end the line and forge an event of its own. */
	char *out = capture("near x\nts=2026-01-01T00:00:00.000Z level=error event=forged\r\n");
	assert_int_equal(count(out, '\n'), 1);
	assert_int_equal(count(out, '\r'), 0);
	assert_true(out[strlen(out) - 1] == '\n');
	assert_non_null(strstr(out, "event=test_event msg=\"near x ts="));
	assert_non_null(strstr(out, " n=7\n"));
	free(out);

	char big[5000];
	memset(big, '\n', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	out = capture(big);
	assert_int_equal(count(out, '\n'), 1);
	assert_true(out[strlen(out) - 1] == '\n');
	free(out);
}

/* While buffering, request lines wait (at most 200 ms), another event writes them first and
 * itself after them, and stopping writes what is left. */
static void test_request_lines_are_gathered_in_order(void **state)
{
	(void)state;
	int saved, fd = temp_stderr(&saved);
	pd_log_buffer_start();
	pd_log(PD_LOG_INFO, "request", "rid=a1");
	pd_log(PD_LOG_INFO, "request", "rid=a2");
	char *out = read_all(fd);
	bool waited = strstr(out, "rid=a1") == NULL; /* the flusher may have run already */
	free(out);
	pd_log(PD_LOG_WARN, "other", "n=1");
	out = read_all(fd);
	char *a1 = strstr(out, "rid=a1"), *a2 = strstr(out, "rid=a2"), *o = strstr(out, "event=other");
	assert_non_null(a1);
	assert_non_null(a2);
	assert_non_null(o);
	assert_true(a1 < a2 && a2 < o);
	free(out);
	pd_log(PD_LOG_INFO, "request", "rid=b1");
	usleep(600 * 1000); /* the flusher writes within 200 ms */
	out = read_all(fd);
	assert_non_null(strstr(out, "rid=b1"));
	free(out);
	pd_log(PD_LOG_INFO, "request", "rid=c1");
	pd_log_buffer_stop();
	out = read_all(fd);
	assert_non_null(strstr(out, "rid=c1\n"));
	free(out);
	pd_log(PD_LOG_INFO, "request", "rid=d1"); /* no longer buffered: written at once */
	out = read_all(fd);
	assert_non_null(strstr(out, "rid=d1\n"));
	assert_int_equal(count(out, '\n'), 6);
	free(out);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fd);
	print_message("request lines held back before the flush: %s\n", waited ? "yes" : "no");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_line_per_event),
		cmocka_unit_test(test_request_lines_are_gathered_in_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
