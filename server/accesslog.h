/*
 * accesslog: one JSON line per finished request (--access-log FILE, - for
 * stderr, off). Only what operators need: time, request id, method,
 * route pattern (never the raw path or query: they carry personal data),
 * status, duration, bytes, API key id, remote address. Never a body or
 * the Authorization header. Each line is formatted into a stack buffer
 * and written with one write() (O_APPEND), so threads never interleave.
 * A file is created with mode 0600 and reopened on SIGHUP (logrotate).
 */
#ifndef CRMD_ACCESSLOG_H
#define CRMD_ACCESSLOG_H

#include <stddef.h>

struct accesslog_entry {
    const char *request_id;
    const char *method;
    const char *route;   /* pattern such as /v1/customers/{id}; "-" when no route matched */
    int status;          /* 0 = no answer was sent (the client went away) */
    long long duration_us;
    size_t bytes;        /* response body bytes */
    const char *key_id;  /* "" = no API key */
    const char *remote;  /* "" = unknown */
};

/*
 * Open the log: "off", "-" (stderr) or a file opened for appending; only
 * requests answered with from_status or above are logged (0 = all;
 * requests without an answer always). 0, or -1 after logging.
 */
int accesslog_open(const char *spec, int from_status);

/* 1 when lines are written. */
int accesslog_enabled(void);

/* Format e as one JSON line into out (size n, NUL-terminated); the length, at most n - 1. */
size_t accesslog_format(const struct accesslog_entry *e, long long unix_ms, char *out, size_t n);

/* Write the line of e (no-op when off). */
void accesslog_write(const struct accesslog_entry *e);

/*
 * Reopen the file by its name after it was renamed (logrotate): the
 * descriptor is swapped with dup3, so a line being written lands whole in
 * the old or the new file. No-op with "off" or "-". Logs what it did;
 * on failure lines keep going to the old file. 0, or -1.
 */
int accesslog_reopen(void);

/* Close the file (at the stop). */
void accesslog_close(void);

#endif
