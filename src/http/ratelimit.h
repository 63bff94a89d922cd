/* Token-bucket rate limiter keyed by a caller-chosen string (client address, account, API key)
 * and a class (the route), usable by any route. */
#ifndef PD_HTTP_RATELIMIT_H
#define PD_HTTP_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>

struct pd_ratelimit;

/* Creates a limiter; caller frees with pd_ratelimit_free. */
struct pd_ratelimit *pd_ratelimit_new(void);
void pd_ratelimit_free(struct pd_ratelimit *rl);

/* Takes one token for (who, klass) from a bucket refilled at per_min tokens a minute with a
 * burst of per_min; a who that is an IPv6 address counts as its /64. Returns true when allowed;
 * otherwise false with the seconds to wait in *retry_after. per_min <= 0 means unlimited. */
bool pd_ratelimit_take(struct pd_ratelimit *rl, const char *who, size_t klass, int per_min,
                       int *retry_after);

/* True when exempt is "loopback" and client_ip is a loopback address (127.0.0.0/8, ::1,
 * ::ffff:127.x): such a client is not rate limited (`serve --rate-limit-exempt loopback`,
 * for the benchmark's load generator). */
bool pd_ratelimit_exempt(const char *exempt, const char *client_ip);

#endif
