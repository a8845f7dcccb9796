/*
 * log: lines on stderr, timestamped, or with syslog priorities when
 * stderr is the journal (checked once, see log.h). Each line is formatted
 * whole and written with one fwrite so lines from worker threads do not
 * interleave.
 */
#include "log.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static enum log_level min_level = LOG_INFO;
static pthread_once_t journal_once = PTHREAD_ONCE_INIT;
static int journal; /* stderr is the journal's stream */

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

int
log_journal_match(const char *journal_stream, dev_t dev, ino_t ino)
{
    uintmax_t d, i;
    char end;

    if (!journal_stream || sscanf(journal_stream, "%ju:%ju%c", &d, &i, &end) != 2)
        return 0;
    return d == (uintmax_t)dev && i == (uintmax_t)ino;
}

size_t
log_format(enum log_level level, int to_journal, time_t now, const char *msg,
           char out[LOG_LINE_MAX])
{
    static const char *tags[] = { "debug", "info", "warn", "error" };
    static const int priorities[] = { 7, 6, 4, 3 }; /* sd-daemon.h SD_DEBUG ... SD_ERR */
    char ts[UTIL_TIME_LEN + 1];
    int len;

    if (to_journal) {
        len = snprintf(out, LOG_LINE_MAX, "<%d>%s\n", priorities[level], msg);
    } else {
        util_format_time(now, ts);
        len = snprintf(out, LOG_LINE_MAX, "%s %s %s\n", ts, tags[level], msg);
    }
    if (len < 0)
        return 0;
    if (len >= LOG_LINE_MAX) { /* cut, but still a line */
        out[LOG_LINE_MAX - 2] = '\n';
        return LOG_LINE_MAX - 1;
    }
    return (size_t)len;
}

static void
detect_journal(void)
{
    struct stat st;

    journal = fstat(STDERR_FILENO, &st) == 0 &&
              log_journal_match(getenv("JOURNAL_STREAM"), st.st_dev, st.st_ino);
}

static void
vlog(enum log_level level, const char *fmt, va_list ap)
{
    char msg[1024], line[LOG_LINE_MAX];
    size_t len;

    if (level < min_level)
        return;
    pthread_once(&journal_once, detect_journal);
    vsnprintf(msg, sizeof msg, fmt, ap);
    len = log_format(level, journal, time(NULL), msg, line);
    fwrite(line, 1, len, stderr);
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
