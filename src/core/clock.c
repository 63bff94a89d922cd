/* The injectable clock. */
#include "core/clock.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/str.h"

#ifdef PD_TEST_HOOKS
static char *clock_file;

static int64_t read_clock_file(void)
{
	int fd = open(clock_file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	char buf[32];
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	int64_t v;
	if (pd_parse_i64n(buf, (size_t)n, 0, INT64_MAX, &v))
		return -1;
	return v;
}
#endif

int64_t pd_clock_now_ms(void)
{
#ifdef PD_TEST_HOOKS
	if (clock_file) {
		int64_t v = read_clock_file();
		if (v >= 0)
			return v;
	}
#endif
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t pd_clock_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int pd_clock_use_file(const char *path)
{
#ifdef PD_TEST_HOOKS
	free(clock_file);
	clock_file = path ? strdup(path) : NULL;
	return PD_OK;
#else
	(void)path;
	return PD_ERR_INVALID;
#endif
}
