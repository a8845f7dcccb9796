/*
 * receiver: libmicrohttpd with its own polling thread; the recorded
 * requests are shared with the test thread under a mutex.
 */
#define _GNU_SOURCE
#include "receiver.h"

#include <check.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct {
    pthread_mutex_t lock;
    struct MHD_Daemon *daemon;
    int port;
    struct received items[RECEIVER_MAX];
    int n, ok, arrived, fail_next, fail_status;
} rx = { .lock = PTHREAD_MUTEX_INITIALIZER };

struct upload {
    char *data;
    size_t len;
};

static void
header(struct MHD_Connection *c, const char *name, char *out, size_t outsz)
{
    const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
    snprintf(out, outsz, "%s", v ? v : "");
}

/* Record the finished request; returns the status to answer. */
static int
record(struct MHD_Connection *c, const char *url, struct upload *u)
{
    struct received r = { 0 };
    int status = 204;

    snprintf(r.path, sizeof r.path, "%s", url);
    header(c, "Crmd-Webhook-Id", r.webhook_id, sizeof r.webhook_id);
    header(c, "Crmd-Event-Id", r.event_id, sizeof r.event_id);
    header(c, "Crmd-Event-Type", r.event_type, sizeof r.event_type);
    header(c, "Crmd-Timestamp", r.timestamp, sizeof r.timestamp);
    header(c, "Crmd-Signature", r.signature, sizeof r.signature);
    header(c, "Crmd-Delivery-Attempt", r.attempt, sizeof r.attempt);
    header(c, "Content-Type", r.content_type, sizeof r.content_type);
    r.body = u->data ? u->data : strdup("");
    u->data = NULL;
    pthread_mutex_lock(&rx.lock);
    if (rx.fail_next > 0) {
        rx.fail_next--;
        status = rx.fail_status;
    }
    r.status = status;
    if (rx.n < RECEIVER_MAX) {
        rx.items[rx.n++] = r;
        r.body = NULL;
    }
    if (status < 300)
        rx.ok++;
    pthread_mutex_unlock(&rx.lock);
    free(r.body);
    return status;
}

static enum MHD_Result
answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
       const char *version, const char *data, size_t *size, void **con_cls)
{
    struct upload *u = *con_cls;
    struct MHD_Response *res;
    enum MHD_Result ret;
    int status;
    (void)cls;
    (void)method;
    (void)version;

    if (!u) {
        *con_cls = calloc(1, sizeof *u);
        return MHD_YES;
    }
    if (*size) {
        u->data = realloc(u->data, u->len + *size + 1);
        memcpy(u->data + u->len, data, *size);
        u->len += *size;
        u->data[u->len] = '\0';
        *size = 0;
        return MHD_YES;
    }
    pthread_mutex_lock(&rx.lock);
    rx.arrived++;
    pthread_mutex_unlock(&rx.lock);
    if (strstr(url, "/slow")) {
        /* a receiver that takes its time: 1.5 s per request */
        struct timespec slow = { 1, 500 * 1000000L };
        nanosleep(&slow, NULL);
    }
    status = record(c, url, u);
    res = MHD_create_response_from_buffer(2, (void *)"ok", MHD_RESPMEM_PERSISTENT);
    ret = MHD_queue_response(c, (unsigned)status, res);
    MHD_destroy_response(res);
    return ret;
}

static void
completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode t)
{
    struct upload *u = *con_cls;
    (void)cls;
    (void)c;
    (void)t;

    if (u) {
        free(u->data);
        free(u);
    }
    *con_cls = NULL;
}

int
receiver_start(void)
{
    const union MHD_DaemonInfo *info;
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                     MHD_USE_ERROR_LOG;

    rx.daemon = MHD_start_daemon(flags, 0, NULL, NULL, answer, NULL, MHD_OPTION_NOTIFY_COMPLETED,
                                 completed, NULL, MHD_OPTION_END);
    ck_assert_msg(rx.daemon != NULL, "receiver: cannot start libmicrohttpd");
    info = MHD_get_daemon_info(rx.daemon, MHD_DAEMON_INFO_BIND_PORT);
    ck_assert_ptr_nonnull(info);
    rx.port = info->port;
    return rx.port;
}

void
receiver_stop(void)
{
    if (rx.daemon)
        MHD_stop_daemon(rx.daemon);
    rx.daemon = NULL;
    for (int i = 0; i < rx.n; i++)
        free(rx.items[i].body);
    rx.n = rx.ok = rx.arrived = rx.fail_next = 0;
}

void
receiver_fail_next(int n, int status)
{
    pthread_mutex_lock(&rx.lock);
    rx.fail_next = n;
    rx.fail_status = status;
    pthread_mutex_unlock(&rx.lock);
}

int
receiver_count(int ok_only)
{
    int n;

    pthread_mutex_lock(&rx.lock);
    n = ok_only ? rx.ok : rx.n;
    pthread_mutex_unlock(&rx.lock);
    return n;
}

int
receiver_count_tag(const char *tag)
{
    char path[128];
    int n = 0;

    snprintf(path, sizeof path, "/hooks/%s", tag);
    pthread_mutex_lock(&rx.lock);
    for (int i = 0; i < rx.n; i++)
        n += rx.items[i].status < 300 && strcmp(rx.items[i].path, path) == 0;
    pthread_mutex_unlock(&rx.lock);
    return n;
}

int
receiver_arrived(void)
{
    int n;

    pthread_mutex_lock(&rx.lock);
    n = rx.arrived;
    pthread_mutex_unlock(&rx.lock);
    return n;
}

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
receiver_wait(int n, double seconds)
{
    double deadline = now_s() + seconds;
    struct timespec pause = { 0, 5 * 1000000L };
    int got;

    while ((got = receiver_count(1)) < n && now_s() < deadline)
        nanosleep(&pause, NULL);
    return got;
}

struct received
receiver_get(int i)
{
    struct received r;

    pthread_mutex_lock(&rx.lock);
    ck_assert_int_lt(i, rx.n);
    r = rx.items[i];
    pthread_mutex_unlock(&rx.lock);
    return r;
}

const char *
receiver_url(const char *tag)
{
    static char url[128];

    snprintf(url, sizeof url, "http://127.0.0.1:%d/hooks/%s", rx.port, tag);
    return url;
}
