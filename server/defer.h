/*
 * defer: requests answered later without a worker thread meanwhile.
 * Parked requests (request_park: long-polls) wait in a list until a
 * wake-up (defer_wake: a commit), their own time or the stop, then run
 * their handler again; jobs (request_job: an import's apply phase) run
 * one at a time on the job thread with its own database connection.
 * http.c suspends and resumes connections through the callbacks given
 * to defer_start; no libmicrohttpd types here.
 */
#ifndef CRMD_DEFER_H
#define CRMD_DEFER_H

#include <time.h>

struct config;
struct request;
struct response;

/* Suspends or resumes the connection behind conn (http.c). */
typedef void (*defer_conn_fn)(void *conn);

/* One deferred request; lives in http.c's request context. */
struct defer_item {
    struct defer_item *prev, *next; /* parked list or job queue; NULL when in neither */
    void *conn;                     /* handed back to the callbacks */
    struct request *req;
    struct response *res;
    unsigned long long epoch; /* wake-ups seen before the handler ran (defer_epoch) */
    int rc;                   /* a job's return value */
};

/*
 * Start the park and job threads. suspend is called under defer's lock
 * before an item is listed, resume after it left every list (the item
 * may be freed as soon as resume is called). Returns 0 or -1 (logged).
 */
int defer_start(const struct config *cfg, defer_conn_fn suspend, defer_conn_fn resume);

/*
 * Stop: every parked request runs again at once (req->stopping set),
 * the running job is asked to stop (request_stopping), queued jobs fail
 * with 503; both threads are joined. Later parks and jobs answer 503.
 */
void defer_stop(void);

/* Requests parked now and jobs running or queued (GET /metrics). */
void defer_counts(long long *parked, long long *jobs);

/* The number of wake-ups so far: read before a handler runs, kept in item->epoch. */
unsigned long long defer_epoch(void);

/* A commit: every parked request runs again. Signals only; any thread, any lock. */
void defer_wake(void);

/* 1 once defer_stop began. */
int defer_stopping(void);

/*
 * Park it until req->wake_at, a wake-up after it->epoch or the stop:
 * suspends it->conn. Returns 0, or -1 with a 503 in it->res when
 * --max-waiting requests are parked already or the server stops.
 */
int defer_park(struct defer_item *it);

/*
 * Queue it for the job thread (req->job): suspends it->conn; resumed
 * when the job ended, with it->rc and it->res filled. Returns 0, or -1
 * with a 503 in it->res when a job runs and --import-queue wait already
 * or the server stops.
 */
int defer_submit(struct defer_item *it);

#endif
