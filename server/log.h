/*
 * log: one line per event on stderr, with a level filter. Never pass
 * personal data, keys or request bodies here. When stderr is systemd's
 * journal (JOURNAL_STREAM names it), lines carry a syslog priority
 * prefix (<3> error ... <7> debug) and no timestamp of their own.
 */
#ifndef CRMD_LOG_H
#define CRMD_LOG_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Longest line log_format writes, newline included. */
#define LOG_LINE_MAX 1100

/* Set the lowest level printed (default LOG_INFO). */
void log_set_level(enum log_level level);

/* Parse "debug", "info", "warn", "error"; returns -1 for anything else. */
int log_parse_level(const char *s);

/*
 * 1 when journal_stream (the value of JOURNAL_STREAM, "DEV:INODE" in
 * decimal; NULL when unset) names the stream dev:ino, the documented
 * check that stderr is still the journal's and not redirected.
 */
int log_journal_match(const char *journal_stream, dev_t dev, ino_t ino);

/*
 * One line into out (LOG_LINE_MAX bytes), newline-terminated: "<3>msg"
 * for the journal, "2026-11-23T07:15:00Z error msg" otherwise (now in
 * UTC). Returns its length.
 */
size_t log_format(enum log_level level, int journal, time_t now, const char *msg,
                  char out[LOG_LINE_MAX]);

void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
