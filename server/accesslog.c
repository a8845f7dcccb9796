/*
 * accesslog: JSON lines of finished requests, one write() each (see
 * accesslog.h). Every string is escaped although http.c checks request
 * ids and methods come from the route table or MHD's parser.
 */
#define _GNU_SOURCE /* dup3 */
#include "accesslog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define ACCESSLOG_LINE_MAX 768

#define ACCESSLOG_FLAGS (O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC)
#define ACCESSLOG_MODE 0600 /* requests' key ids and addresses: for crmd's user only */

static const char *log_path; /* the file's name (reopened by name), NULL = off or stderr */
static int log_fd = -1; /* -1 = off */
static int log_owned;   /* log_fd is our file (not stderr) */
static int min_status;  /* lines only for statuses from this one on (0 = all) */

int
accesslog_open(const char *spec, int from_status)
{
    min_status = from_status;
    if (!spec || !strcmp(spec, "off"))
        return 0;
    if (!strcmp(spec, "-")) {
        log_fd = STDERR_FILENO;
        return 0;
    }
    log_fd = open(spec, ACCESSLOG_FLAGS, ACCESSLOG_MODE);
    if (log_fd < 0) {
        log_error("--access-log %s cannot be opened: %s", spec, strerror(errno));
        return -1;
    }
    log_owned = 1;
    log_path = spec;
    return 0;
}

int
accesslog_reopen(void)
{
    int fd;

    if (!log_owned) {
        log_info("SIGHUP: no access log file to reopen (--access-log %s)", log_fd < 0 ? "off" : "-");
        return 0;
    }
    fd = open(log_path, ACCESSLOG_FLAGS, ACCESSLOG_MODE);
    if (fd < 0 || dup3(fd, log_fd, O_CLOEXEC) < 0) {
        log_error("--access-log %s cannot be reopened: %s; lines go on to the old file", log_path,
                  strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    log_info("access log reopened: %s", log_path);
    return 0;
}

int
accesslog_enabled(void)
{
    return log_fd >= 0;
}

/* s as JSON string content into out (at most n - 1 bytes); control chars and quotes escaped. */
static size_t
escape(const char *s, char *out, size_t n)
{
    size_t o = 0;

    for (; *s && o + 7 < n; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            out[o++] = '\\';
            out[o++] = (char)ch;
        } else if (ch < 0x20) {
            o += (size_t)snprintf(out + o, n - o, "\\u%04x", ch);
        } else {
            out[o++] = (char)ch;
        }
    }
    out[o] = '\0';
    return o;
}

size_t
accesslog_format(const struct accesslog_entry *e, long long unix_ms, char *out, size_t n)
{
    char id[160], method[48], route[200], key[96], remote[112], ts[40];
    time_t secs = (time_t)(unix_ms / 1000);
    struct tm tm;
    int len;

    gmtime_r(&secs, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
    escape(e->request_id, id, sizeof id);
    escape(e->method, method, sizeof method);
    escape(e->route, route, sizeof route);
    escape(e->key_id, key, sizeof key);
    escape(e->remote, remote, sizeof remote);
    len = snprintf(out, n,
                   "{\"time\":\"%s.%03lldZ\",\"request_id\":\"%s\",\"method\":\"%s\","
                   "\"route\":\"%s\",\"status\":%d,\"duration_us\":%lld,\"bytes\":%zu,"
                   "\"key_id\":%s%s%s,\"remote\":\"%s\"}\n",
                   ts, unix_ms % 1000, id, method, route, e->status, e->duration_us, e->bytes,
                   key[0] ? "\"" : "", key[0] ? key : "null", key[0] ? "\"" : "", remote);
    if (len < 0)
        return 0;
    if ((size_t)len >= n) { /* cannot happen with the fields' limits; keep the line a line */
        out[n - 2] = '\n';
        return n - 1;
    }
    return (size_t)len;
}

void
accesslog_write(const struct accesslog_entry *e)
{
    char line[ACCESSLOG_LINE_MAX];
    struct timespec now;
    size_t len;

    if (log_fd < 0 || (e->status < min_status && e->status != 0))
        return;
    clock_gettime(CLOCK_REALTIME, &now);
    len = accesslog_format(e, (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000, line,
                           sizeof line);
    if (write(log_fd, line, len) < 0) {
        /* nothing sensible to do: the log must never fail a request */
    }
}

void
accesslog_close(void)
{
    if (log_owned && log_fd >= 0)
        close(log_fd);
    log_fd = -1;
    log_owned = 0;
    log_path = NULL;
}
