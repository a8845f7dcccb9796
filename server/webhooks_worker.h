/*
 * webhooks_worker: the background thread that delivers the change feed to
 * webhook subscriptions over HTTP (libcurl multi interface), with its own
 * database connection. Request threads never wait for it: they only wake it.
 */
#ifndef CRMD_WEBHOOKS_WORKER_H
#define CRMD_WEBHOOKS_WORKER_H

struct config;

/*
 * Start the worker (after curl_global_init and the migrations). It wakes
 * at every commit that recorded changes, at every kick, when a retry is
 * due, and every 5 s for commits of other processes. Returns 0 or -1 (logged).
 */
int webhooks_worker_start(const struct config *cfg);

/* A subscription was created or changed: look again now. No-op when not running. */
void webhooks_worker_kick(void);

/*
 * Stop the worker: transfers under way are abandoned (their changes are
 * delivered again after a restart: at least once), the thread is joined
 * and everything it holds is freed, except its database connection
 * (db_close_all). No-op when not running.
 */
void webhooks_worker_stop(void);

#endif
