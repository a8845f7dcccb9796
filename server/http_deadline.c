/*
 * http_deadline: a list of connections in the header phase, guarded by one
 * mutex, and a watchdog thread that sweeps it five times a second. Race-free
 * against libmicrohttpd's workers: an entry is added and removed by the
 * notify callback, and libmicrohttpd 0.9.75 calls MHD_CONNECTION_NOTIFY_CLOSED
 * before it closes the socket (daemon.c), so a listed fd is always still the
 * connection's when the watchdog shuts it down under the mutex.
 */
#include "http_deadline.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "log.h"
#include "util.h"

#define SWEEP_NS (200 * 1000 * 1000L) /* the deadline holds to within this */

struct entry {
    struct entry *prev, *next;
    int fd;
    double due; /* CLOCK_MONOTONIC seconds; 0 = headers are in */
};

struct http_deadline {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    struct entry *head;
    int stopping;
    int header_timeout, idle_grace;
};

static double
mono_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void *
http_deadline_add(struct http_deadline *d, int fd, double now)
{
    struct entry *e = xcalloc(1, sizeof *e);

    e->fd = fd;
    e->due = now + d->header_timeout;
    pthread_mutex_lock(&d->lock);
    e->next = d->head;
    if (d->head)
        d->head->prev = e;
    d->head = e;
    pthread_mutex_unlock(&d->lock);
    return e;
}

void
http_deadline_remove(struct http_deadline *d, void *entry)
{
    struct entry *e = entry;

    pthread_mutex_lock(&d->lock);
    if (e->prev)
        e->prev->next = e->next;
    else
        d->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    pthread_mutex_unlock(&d->lock);
    free(e);
}

void
http_deadline_set(struct http_deadline *d, void *entry, double due)
{
    pthread_mutex_lock(&d->lock);
    ((struct entry *)entry)->due = due;
    pthread_mutex_unlock(&d->lock);
}

int
http_deadline_sweep(struct http_deadline *d, double now)
{
    int n = 0;

    pthread_mutex_lock(&d->lock);
    for (struct entry *e = d->head; e; e = e->next)
        if (e->due > 0 && e->due <= now) {
            shutdown(e->fd, SHUT_RDWR); /* libmicrohttpd sees the end and closes it */
            e->due = 0;
            n++;
        }
    pthread_mutex_unlock(&d->lock);
    return n;
}

static void *
watchdog(void *arg)
{
    struct http_deadline *d = arg;
    struct timespec until;
    int n;

    pthread_mutex_lock(&d->lock);
    while (!d->stopping) {
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += SWEEP_NS;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&d->wake, &d->lock, &until);
        if (d->stopping)
            break;
        pthread_mutex_unlock(&d->lock);
        n = http_deadline_sweep(d, mono_now());
        if (n > 0)
            log_warn("closed %d connection%s whose headers were not in after --header-timeout %d s",
                     n, n == 1 ? "" : "s", d->header_timeout);
        pthread_mutex_lock(&d->lock);
    }
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

struct http_deadline *
http_deadline_start(int header_timeout, int idle_grace)
{
    struct http_deadline *d;
    pthread_condattr_t attr;

    if (header_timeout <= 0)
        return NULL;
    d = xcalloc(1, sizeof *d);
    d->header_timeout = header_timeout;
    d->idle_grace = idle_grace;
    pthread_mutex_init(&d->lock, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&d->wake, &attr);
    pthread_condattr_destroy(&attr);
    if (pthread_create(&d->thread, NULL, watchdog, d) != 0) {
        log_error("cannot start the --header-timeout watchdog thread");
        pthread_cond_destroy(&d->wake);
        pthread_mutex_destroy(&d->lock);
        free(d);
        return NULL;
    }
    return d;
}

void
http_deadline_stop(struct http_deadline *d)
{
    if (!d)
        return;
    pthread_mutex_lock(&d->lock);
    d->stopping = 1;
    pthread_cond_signal(&d->wake);
    pthread_mutex_unlock(&d->lock);
    pthread_join(d->thread, NULL);
    while (d->head) /* none after MHD_stop_daemon; the unit tests may leave some */
        http_deadline_remove(d, d->head);
    pthread_cond_destroy(&d->wake);
    pthread_mutex_destroy(&d->lock);
    free(d);
}

void
http_deadline_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                     enum MHD_ConnectionNotificationCode toe)
{
    struct http_deadline *d = cls;
    const union MHD_ConnectionInfo *ci;

    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_context = ci ? http_deadline_add(d, ci->connect_fd, mono_now()) : NULL;
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        http_deadline_remove(d, *socket_context);
        *socket_context = NULL;
    }
}

/* conn's entry, NULL when not listed (no watchdog, or the fd was unknown). */
static void *
entry_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

void
http_deadline_headers_in(struct http_deadline *d, struct MHD_Connection *conn)
{
    void *e = d ? entry_of(conn) : NULL;

    if (e)
        http_deadline_set(d, e, 0);
}

void
http_deadline_request_done(struct http_deadline *d, struct MHD_Connection *conn)
{
    void *e = d ? entry_of(conn) : NULL;

    if (e)
        http_deadline_set(d, e, mono_now() + d->idle_grace + d->header_timeout);
}
