/* One line per event, key=value, to standard error. */
#ifndef PD_CORE_LOG_H
#define PD_CORE_LOG_H

enum pd_log_level { PD_LOG_DEBUG, PD_LOG_INFO, PD_LOG_WARN, PD_LOG_ERROR };

/* Sets the lowest level written (default info). */
void pd_log_set_level(enum pd_log_level level);

/* Writes "ts=… level=… event=EVENT " followed by the formatted key=value pairs.
 * Never pass secrets, query strings or personal values. */
void pd_log(enum pd_log_level level, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Our own bug: logged at error with file and line. */
#define PD_BUG(what) pd_log(PD_LOG_ERROR, "bug", "what=\"%s\" file=%s line=%d", (what), __FILE__, __LINE__)

/* Copies s into out (size n) with every byte that is not safe in a log value replaced by '_'. */
/* While a server runs: request lines are written together, at most 200 ms late (log.c). Stop
 * writes what is gathered and goes back to one write per line. */
void pd_log_buffer_start(void);
void pd_log_buffer_stop(void);

void pd_log_sanitize(const char *s, char *out, unsigned n);

#endif
