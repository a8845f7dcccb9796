/*
 * log: one line per event on stderr, with a level filter. Never pass
 * personal data, keys or request bodies here.
 */
#ifndef CRMD_LOG_H
#define CRMD_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Set the lowest level printed (default LOG_INFO). */
void log_set_level(enum log_level level);

/* Parse "debug", "info", "warn", "error"; returns -1 for anything else. */
int log_parse_level(const char *s);

void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
