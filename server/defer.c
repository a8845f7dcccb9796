/*
 * defer: the park thread (parked requests: deadlines and wake-ups) and
 * the job thread (one job at a time, in arrival order) behind
 * request_park and request_job. One lock guards both lists; suspend and
 * resume run under it, so a connection is always suspended before the
 * threads can see it and resumed only after it left its list.
 */
#include "defer.h"

#include <pthread.h>
#include <stdatomic.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "request.h"

#define DEFER_RETRY_PARKED 1 /* Retry-After (s) when too many requests wait */
#define DEFER_RETRY_JOBS 10  /* Retry-After (s) when the job queue is full */
#define DEFER_IDLE 3600      /* longest sleep of the park thread with nothing due */

static struct {
    pthread_mutex_t lock;
    pthread_cond_t park_cond, job_cond;
    pthread_t park_thread, job_thread;
    int started;
    const struct config *cfg;
    defer_conn_fn suspend, resume;
    struct defer_item parked, queue; /* circular lists around these heads */
    size_t nparked, nqueued;
    struct defer_item *running;
    atomic_ullong epoch;      /* wake-ups so far; read without the lock by every request */
    struct timespec next_due; /* when the park thread wakes up next */
    int kicked;               /* the park thread must look at the list */
    atomic_int stopping;
} d = { .lock = PTHREAD_MUTEX_INITIALIZER };

static int
before(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static void
list_init(struct defer_item *head)
{
    head->prev = head->next = head;
}

static void
list_append(struct defer_item *head, struct defer_item *it)
{
    it->prev = head->prev;
    it->next = head;
    head->prev->next = it;
    head->prev = it;
}

static void
list_remove(struct defer_item *it)
{
    it->prev->next = it->next;
    it->next->prev = it->prev;
    it->prev = it->next = NULL;
}

/* ---- parked requests ---- */

/* Resume every parked item that is due; returns the earliest wake_at of the others. */
static struct timespec
park_sweep(const struct timespec *now, int stopping)
{
    struct timespec next = *now;
    struct defer_item *it, *nx;

    next.tv_sec += DEFER_IDLE;
    for (it = d.parked.next; it != &d.parked; it = nx) {
        nx = it->next;
        if (stopping || it->epoch != atomic_load(&d.epoch) || !before(now, &it->req->wake_at)) {
            list_remove(it);
            d.nparked--;
            d.resume(it->conn); /* it may be gone from here on */
        } else if (before(&it->req->wake_at, &next)) {
            next = it->req->wake_at;
        }
    }
    return next;
}

static void *
park_run(void *arg)
{
    struct timespec now;
    (void)arg;

    pthread_mutex_lock(&d.lock);
    for (;;) {
        int stopping = atomic_load(&d.stopping);
        clock_gettime(CLOCK_MONOTONIC, &now);
        d.next_due = park_sweep(&now, stopping);
        if (stopping)
            break;
        if (!d.kicked)
            pthread_cond_timedwait(&d.park_cond, &d.lock, &d.next_due);
        d.kicked = 0;
    }
    pthread_mutex_unlock(&d.lock);
    return NULL;
}

int
defer_park(struct defer_item *it)
{
    struct problem *p = &it->res->problem;
    size_t waiting;

    pthread_mutex_lock(&d.lock);
    waiting = d.nparked;
    if (atomic_load(&d.stopping) || waiting >= (size_t)d.cfg->max_waiting) {
        pthread_mutex_unlock(&d.lock);
        if (atomic_load(&d.stopping))
            problem_set(p, PROBLEM_UNAVAILABLE, "the server is stopping; retry in a moment");
        else
            problem_set(p, PROBLEM_UNAVAILABLE,
                        "as many requests wait already as this server lets wait (--max-waiting "
                        "%zu); retry in a moment, or ask without wait",
                        waiting);
        it->res->retry_after = DEFER_RETRY_PARKED;
        return -1;
    }
    d.suspend(it->conn);
    list_append(&d.parked, it);
    d.nparked++;
    /* a wake-up since the handler read, or an earlier time than the thread sleeps to */
    if (it->epoch != atomic_load(&d.epoch) || before(&it->req->wake_at, &d.next_due)) {
        d.kicked = 1;
        pthread_cond_signal(&d.park_cond);
    }
    pthread_mutex_unlock(&d.lock);
    return 0;
}

void
defer_counts(long long *parked, long long *jobs)
{
    pthread_mutex_lock(&d.lock);
    *parked = (long long)d.nparked;
    *jobs = (long long)d.nqueued + (d.running ? 1 : 0);
    pthread_mutex_unlock(&d.lock);
}

unsigned long long
defer_epoch(void)
{
    return atomic_load(&d.epoch);
}

void
defer_wake(void)
{
    pthread_mutex_lock(&d.lock);
    atomic_fetch_add(&d.epoch, 1);
    if (d.nparked > 0) {
        d.kicked = 1;
        pthread_cond_signal(&d.park_cond);
    }
    pthread_mutex_unlock(&d.lock);
}

/* ---- jobs ---- */

/* Run one job on this thread's own connection; its answer goes to it->res. */
static void
job_exec(struct defer_item *it)
{
    struct request *req = it->req;
    struct problem *p = &it->res->problem;

    it->rc = -1;
    if (atomic_load(&d.stopping)) {
        problem_set(p, PROBLEM_UNAVAILABLE,
                    "the server is stopping; nothing of this request was applied: send it again "
                    "after the restart");
        it->res->retry_after = DEFER_RETRY_JOBS;
        return;
    }
    req->db = db_thread(d.cfg);
    if (!req->db) {
        problem_set(p, PROBLEM_UNAVAILABLE, "the database cannot be opened");
        return;
    }
    it->rc = req->job(req, it->res);
    db_rollback(req->db); /* no-op after a commit; undoes a half-done write after -1 */
}

static void *
job_run(void *arg)
{
    struct timespec t0, t1;
    size_t queued;
    (void)arg;

    pthread_mutex_lock(&d.lock);
    for (;;) {
        struct defer_item *it;
        while (d.nqueued == 0 && !atomic_load(&d.stopping))
            pthread_cond_wait(&d.job_cond, &d.lock);
        if (d.nqueued == 0)
            break;
        it = d.queue.next;
        list_remove(it);
        queued = --d.nqueued;
        d.running = it;
        pthread_mutex_unlock(&d.lock);
        log_debug("request %s: job running (%zu more queued)", it->req->id, queued);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        job_exec(it);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        log_debug("request %s: job ended after %.3f s", it->req->id,
                  (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
        pthread_mutex_lock(&d.lock);
        d.running = NULL;
        d.resume(it->conn);
        pthread_mutex_unlock(&d.lock);
        db_idle(db_thread(d.cfg)); /* the job's housekeeping, after its answer went out */
        pthread_mutex_lock(&d.lock);
    }
    pthread_mutex_unlock(&d.lock);
    return NULL;
}

int
defer_submit(struct defer_item *it)
{
    struct problem *p = &it->res->problem;
    size_t active;

    pthread_mutex_lock(&d.lock);
    active = d.nqueued + (d.running != NULL);
    if (atomic_load(&d.stopping) || active > (size_t)d.cfg->import_queue) {
        pthread_mutex_unlock(&d.lock);
        if (atomic_load(&d.stopping))
            problem_set(p, PROBLEM_UNAVAILABLE,
                        "the server is stopping; send the request again after the restart");
        else
            problem_set(p, PROBLEM_UNAVAILABLE,
                        "an import is running and the queue behind it is full (--import-queue "
                        "%zu); nothing was applied: retry later",
                        active - 1);
        it->res->retry_after = DEFER_RETRY_JOBS;
        return -1;
    }
    d.suspend(it->conn);
    list_append(&d.queue, it);
    d.nqueued++;
    pthread_cond_signal(&d.job_cond);
    pthread_mutex_unlock(&d.lock);
    if (active > 0)
        log_debug("request %s: job queued behind %zu", it->req->id, active);
    return 0;
}

/* ---- life cycle ---- */

int
defer_start(const struct config *cfg, defer_conn_fn suspend, defer_conn_fn resume)
{
    pthread_condattr_t a;

    d.cfg = cfg;
    d.suspend = suspend;
    d.resume = resume;
    list_init(&d.parked);
    list_init(&d.queue);
    atomic_store(&d.stopping, 0);
    /* The monotonic clock: a wall clock step must not cut a wait short or stretch it. */
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(&d.park_cond, &a);
    pthread_condattr_destroy(&a);
    pthread_cond_init(&d.job_cond, NULL);
    clock_gettime(CLOCK_MONOTONIC, &d.next_due);
    if (pthread_create(&d.park_thread, NULL, park_run, NULL) != 0) {
        log_error("cannot start the thread of waiting requests");
        return -1;
    }
    if (pthread_create(&d.job_thread, NULL, job_run, NULL) != 0) {
        log_error("cannot start the job thread");
        atomic_store(&d.stopping, 1);
        pthread_cond_signal(&d.park_cond);
        pthread_join(d.park_thread, NULL);
        return -1;
    }
    d.started = 1;
    return 0;
}

void
defer_stop(void)
{
    if (!d.started)
        return;
    pthread_mutex_lock(&d.lock);
    atomic_store(&d.stopping, 1);
    log_debug("stopping: %zu waiting requests answer, %zu queued jobs fail%s", d.nparked, d.nqueued,
              d.running ? ", the running job stops" : "");
    d.kicked = 1;
    pthread_cond_signal(&d.park_cond);
    pthread_cond_signal(&d.job_cond);
    pthread_mutex_unlock(&d.lock);
    pthread_join(d.park_thread, NULL);
    pthread_join(d.job_thread, NULL);
    pthread_cond_destroy(&d.park_cond);
    pthread_cond_destroy(&d.job_cond);
    d.started = 0;
}

int
defer_stopping(void)
{
    return atomic_load(&d.stopping);
}
