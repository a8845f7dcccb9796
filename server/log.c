/*
 * log: timestamped lines on stderr. One fprintf per line so lines from
 * worker threads do not interleave.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

static enum log_level min_level = LOG_INFO;

void
log_set_level(enum log_level level)
{
    min_level = level;
}

int
log_parse_level(const char *s)
{
    static const char *names[] = { "debug", "info", "warn", "error" };
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

static void
vlog(enum log_level level, const char *fmt, va_list ap)
{
    static const char *tags[] = { "debug", "info", "warn", "error" };
    char ts[UTIL_TIME_LEN + 1], msg[1024];

    if (level < min_level)
        return;
    util_format_time(time(NULL), ts);
    vsnprintf(msg, sizeof msg, fmt, ap);
    fprintf(stderr, "%s %s %s\n", ts, tags[level], msg);
}

#define LOG_FN(name, level)                                                                        \
    void name(const char *fmt, ...)                                                                \
    {                                                                                              \
        va_list ap;                                                                                \
        va_start(ap, fmt);                                                                         \
        vlog(level, fmt, ap);                                                                      \
        va_end(ap);                                                                                \
    }

LOG_FN(log_debug, LOG_DEBUG)
LOG_FN(log_info, LOG_INFO)
LOG_FN(log_warn, LOG_WARN)
LOG_FN(log_error, LOG_ERROR)
