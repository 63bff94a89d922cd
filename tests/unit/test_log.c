/* Unit tests for the logger: one event is one line, whatever its values hold. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/log.h"

/* Runs pd_log with stderr sent to a temporary file; returns what it wrote (caller frees). */
static char *capture(const char *value)
{
	char path[] = "/tmp/pd-log-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	int saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	pd_log(PD_LOG_WARN, "test_event", "msg=\"%s\" n=%d", value, 7);
	dup2(saved, STDERR_FILENO);
	close(saved);
	off_t len = lseek(fd, 0, SEEK_END);
	char *out = calloc(1, (size_t)len + 1);
	assert_int_equal(pread(fd, out, (size_t)len, 0), len);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_line_per_event),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
