/* The one injectable clock: every "now" in Pendopo comes from here. */
#ifndef PD_CORE_CLOCK_H
#define PD_CORE_CLOCK_H

#include <stdint.h>

/* Milliseconds since the Unix epoch, UTC. In builds with test hooks, a test clock file (see
 * pd_clock_use_file) makes this return the time written in it. */
int64_t pd_clock_now_ms(void);

/* Monotonic milliseconds, for timeouts and latency (never moved by the test clock). */
int64_t pd_clock_mono_ms(void);

/* Test hooks only: read "now" from path; the file holds Unix milliseconds as decimal text.
 * Returns PD_OK, or PD_ERR_INVALID when the build has no test hooks. */
int pd_clock_use_file(const char *path);

#endif
