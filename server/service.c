/*
 * service: sd_notify messages (libsystemd) and the drain flag that
 * /readyz reads; see service.h.
 */
#include "service.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>

#include "log.h"
#include "telemetry.h"

static atomic_int draining;
static atomic_int warned; /* a failed sd_notify was logged */

int
service_managed(void)
{
    const char *s = getenv("NOTIFY_SOCKET");

    return s && *s;
}

/* Send state (newline-separated assignments); a failure is logged once, never fatal. */
static void notify(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
notify(const char *fmt, ...)
{
    char state[256];
    va_list ap;
    int rc;

    va_start(ap, fmt);
    vsnprintf(state, sizeof state, fmt, ap);
    va_end(ap);
    rc = sd_notify(0, state);
    if (rc < 0 && !atomic_exchange(&warned, 1)) /* once: STATUS= comes every few seconds */
        log_warn("sd_notify to NOTIFY_SOCKET failed: %s", strerror(-rc));
}

void
service_ready(int port)
{
    notify("READY=1\nSTATUS=serving on port %d, %lld requests answered", port,
           telemetry_answered());
}

void
service_status(int port)
{
    notify("STATUS=serving on port %d, %lld requests answered", port, telemetry_answered());
}

void
service_stopping(int drain_seconds)
{
    atomic_store(&draining, 1);
    notify("STOPPING=1\nSTATUS=stopping: /readyz answers 503 for %d s, then requests under way "
           "finish", drain_seconds);
}

int
service_draining(void)
{
    return atomic_load(&draining);
}
