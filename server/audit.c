/*
 * audit: the in-memory queue of audit records and the thread that
 * writes it (store_audit.c holds the SQL). Requests never open a write
 * transaction for auditing: they append to a bounded queue under a
 * mutex; the writer takes up to AUDIT_BATCH_MAX records at a time and
 * writes them in one transaction. See audit.h for a full queue. The
 * same thread runs the retention (at start, then hourly): old audit
 * records and old change-feed changes (store_changes_prune).
 */
#define _GNU_SOURCE
#include "audit.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "db.h"
#include "faultvfs.h"
#include "log.h"
#include "store.h"
#include "util.h"

#define PRUNE_EVERY_S 3600
#define PRUNE_CHANGES_SLICE 10 /* chunks of 10,000 changes per turn of the writer's loop */

static struct {
    pthread_mutex_t mu;
    pthread_cond_t more;  /* records queued, or stop */
    pthread_cond_t room;  /* the writer took records */
    pthread_cond_t wrote; /* a batch was written */
    struct store_audit_record *head, *tail;
    size_t queued;
    unsigned long long enqueued, written, dropped, dropped_written;
    int stop, running;
    int failing; /* the last write failed (disk full?): retrying, requests don't wait for room */
    size_t max; /* AUDIT_QUEUE_MAX, or less for a test (CRMD_FAULTS audit-queue=N) */
    pthread_t thread;
    const struct config *cfg;
} q = { .mu = PTHREAD_MUTEX_INITIALIZER,
        .more = PTHREAD_COND_INITIALIZER,
        .room = PTHREAD_COND_INITIALIZER,
        .wrote = PTHREAD_COND_INITIALIZER };

static void
deadline_in(struct timespec *ts, long ms)
{
    clock_gettime(CLOCK_REALTIME, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

/* Add id to r's customers unless it is there or r is full. */
static void
add_subject(struct store_audit_record *r, const char *id)
{
    if (!id || strlen(id) != UTIL_UUID_LEN || r->nsubjects >= AUDIT_SUBJECTS_MAX)
        return;
    for (size_t i = 0; i < r->nsubjects; i++)
        if (!strcmp(r->subjects[i], id))
            return;
    memcpy(r->subjects[r->nsubjects++], id, UTIL_UUID_LEN + 1);
}

/* The customers a representation names: customer_id, owner, main driver, members. */
static void
subjects_of(struct store_audit_record *r, const json_t *o, int is_customer)
{
    static const char *const refs[] = { "customer_id", "owner_id", "main_driver_id", "person_id",
                                        "company_id", NULL };
    const json_t *v;
    size_t i;

    if (!json_is_object(o))
        return;
    if (is_customer)
        add_subject(r, json_string_value(json_object_get(o, "id")));
    for (i = 0; refs[i]; i++)
        add_subject(r, json_string_value(json_object_get(o, refs[i])));
    if (json_is_object(json_object_get(o, "customer")))
        add_subject(r, json_string_value(json_object_get(json_object_get(o, "customer"), "id")));
    json_array_foreach(json_object_get(o, "members"), i, v)
        subjects_of(r, v, 0);
}

/* Customers of the path captures and of the answer (items of lists and search). */
static void
collect_subjects(struct store_audit_record *r, const struct request *req,
                 const struct response *res, int status)
{
    const char *pattern = req->match.route->pattern;
    int customers = !strncmp(pattern, "/v1/customers", 13);
    const json_t *v, *body = res->body;
    size_t i;

    for (i = 0; i < req->match.ncaptures; i++)
        if (customers || strstr(pattern, "{customer_id}"))
            add_subject(r, request_param(req, i));
    if (status >= 300 || !body)
        return;
    subjects_of(r, body, customers);
    json_array_foreach(json_object_get(body, "items"), i, v)
    {
        /* search hits: {"type": "customer", "id"} or a customer's card */
        const char *type = json_string_value(json_object_get(v, "type"));
        subjects_of(r, v, customers || (type && !strcmp(type, "customer")));
    }
}

void
audit_request(const struct request *req, const struct response *res, int status)
{
    struct store_audit_record *r;
    struct timespec until;

    if (!q.running || !req->key_id[0] || !req->match.route)
        return;
    r = calloc(1, sizeof *r + AUDIT_SUBJECTS_MAX * sizeof r->subjects[0]);
    if (!r)
        return;
    util_format_time(util_now(), r->at);
    snprintf(r->key_id, sizeof r->key_id, "%s", req->key_id);
    snprintf(r->method, sizeof r->method, "%s", req->match.route->method);
    r->route = req->match.route->pattern;
    if (req->match.ncaptures > 0)
        snprintf(r->resource_id, sizeof r->resource_id, "%s", request_param(req, 0));
    r->status = status;
    snprintf(r->request_id, sizeof r->request_id, "%s", req->id);
    collect_subjects(r, req, res, status);
    {
        struct store_audit_record *small =
            realloc(r, sizeof *r + r->nsubjects * sizeof r->subjects[0]);
        if (small)
            r = small;
    }

    pthread_mutex_lock(&q.mu);
    deadline_in(&until, AUDIT_WAIT_MS);
    while (q.queued >= q.max && !q.stop && !q.failing)
        if (pthread_cond_timedwait(&q.room, &q.mu, &until) == ETIMEDOUT)
            break;
    if (q.queued >= q.max || q.stop) {
        q.dropped++;
        pthread_mutex_unlock(&q.mu);
        free(r);
        return;
    }
    if (q.tail)
        q.tail->next = r;
    else
        q.head = r;
    q.tail = r;
    q.queued++;
    q.enqueued++;
    pthread_cond_signal(&q.more);
    pthread_mutex_unlock(&q.mu);
}

/* Take up to AUDIT_BATCH_MAX records (the caller holds q.mu). */
static struct store_audit_record *
take_batch(size_t *n)
{
    struct store_audit_record *first = q.head, *last = NULL, *r = q.head;

    for (*n = 0; r && *n < AUDIT_BATCH_MAX; r = r->next, (*n)++)
        last = r;
    if (!last)
        return NULL;
    q.head = last->next;
    if (!q.head)
        q.tail = NULL;
    last->next = NULL;
    q.queued -= *n;
    pthread_cond_broadcast(&q.room);
    return first;
}

static void
free_batch(struct store_audit_record *r)
{
    while (r) {
        struct store_audit_record *next = r->next;
        free(r);
        r = next;
    }
}

/* The audit log's retention (at start, then hourly). */
static void
prune(struct db *db)
{
    int days = q.cfg->audit_retention_days;
    long long n;

    if (days <= 0)
        return;
    n = store_audit_prune(db, util_now() - (time_t)days * 86400);
    if (n > 0)
        log_info("audit: pruned %lld records older than %d days", n, days);
}

/*
 * The change feed's retention: one slice of PRUNE_CHANGES_SLICE chunks
 * per call, so a long backlog (the first start after an upgrade) neither
 * delays serving nor the stop. Returns 1 while more may be due.
 */
static int
prune_changes(struct db *db)
{
    int days = q.cfg->changes_retention_days, more = 0;
    long long n;

    if (days <= 0)
        return 0;
    n = store_changes_prune(db, util_now() - (time_t)days * 86400, PRUNE_CHANGES_SLICE, &more);
    if (n > 0)
        log_info("changes: pruned %lld changes older than %d days%s", n, days,
                 more ? " (more to come)" : "");
    else if (n < 0)
        log_warn("changes: pruning failed; the next hourly run tries again");
    return n > 0 && more;
}

/*
 * A write failed (caller holds q.mu): put the batch back at the head, count
 * the dropped records again, and wait AUDIT_RETRY_MS (or the stop) before the
 * next try, however many records arrive meanwhile: no spinning on a full disk.
 */
static void
retry_later(struct store_audit_record *batch, size_t n, unsigned long long lost)
{
    struct store_audit_record *last = batch;
    struct timespec until;

    if (batch) {
        while (last->next)
            last = last->next;
        last->next = q.head;
        q.head = batch;
        if (!q.tail)
            q.tail = last;
        q.queued += n;
    }
    q.dropped_written -= lost;
    if (!q.failing)
        log_error("audit: %zu records cannot be written; they stay queued (at most %d, then "
                  "counted as dropped) and are retried every %d ms",
                  n, (int)q.max, AUDIT_RETRY_MS);
    q.failing = 1;
    deadline_in(&until, AUDIT_RETRY_MS);
    while (!q.stop && pthread_cond_timedwait(&q.more, &q.mu, &until) != ETIMEDOUT)
        ;
}

static void *
run(void *arg)
{
    struct db *db = db_thread(q.cfg);
    time_t pruned = time(NULL); /* audit_start pruned the audit log */
    int changes_due = 1;        /* the change feed: soon after the start, then hourly */
    (void)arg;

    pthread_mutex_lock(&q.mu);
    for (;;) {
        struct store_audit_record *batch;
        unsigned long long lost;
        size_t n;
        int failed; /* 1: try again later (disk full, busy), -1: the batch is lost */

        if (!q.head && !q.stop && q.dropped == q.dropped_written && !changes_due &&
            time(NULL) - pruned < PRUNE_EVERY_S) {
            struct timespec until;
            deadline_in(&until, 1000);
            pthread_cond_timedwait(&q.more, &q.mu, &until);
        }
        batch = take_batch(&n);
        lost = q.dropped - q.dropped_written;
        q.dropped_written = q.dropped;
        if (!batch && !lost && q.stop)
            break;
        pthread_mutex_unlock(&q.mu);
        failed = db && (batch || lost) ? store_audit_write(db, batch, lost) : 0;
        if (lost && !failed)
            log_warn("audit: %llu records dropped: the queue was full", lost);
        if (db && !failed && time(NULL) - pruned >= PRUNE_EVERY_S) {
            prune(db);
            pruned = time(NULL);
            changes_due = 1;
        }
        if (db && !failed && changes_due)
            changes_due = prune_changes(db);
        pthread_mutex_lock(&q.mu);
        if (failed > 0 && !q.stop) {
            retry_later(batch, n, lost);
            continue;
        }
        if (failed)
            log_error("audit: %zu records could not be written%s", n,
                      failed > 0 ? " before the stop" : "");
        else if (q.failing)
            log_info("audit: writing again; the records kept meanwhile are written");
        q.failing = 0;
        free_batch(batch);
        q.written += n;
        pthread_cond_broadcast(&q.wrote);
    }
    pthread_mutex_unlock(&q.mu);
    return NULL;
}

int
audit_start(const struct config *cfg)
{
    struct db *db = db_thread(cfg);

    q.cfg = cfg;
    q.stop = 0;
    q.max = (size_t)faultvfs_audit_queue(AUDIT_QUEUE_MAX);
    if (db)
        prune(db); /* before serving: nothing expired is shown */
    if (pthread_create(&q.thread, NULL, run, NULL) != 0) {
        log_error("audit: cannot start the writer thread");
        return -1;
    }
    q.running = 1;
    return 0;
}

void
audit_stop(void)
{
    if (!q.running)
        return;
    pthread_mutex_lock(&q.mu);
    q.stop = 1;
    pthread_cond_broadcast(&q.more);
    pthread_cond_broadcast(&q.room);
    pthread_mutex_unlock(&q.mu);
    pthread_join(q.thread, NULL);
    q.running = 0;
}

void
audit_sync(void)
{
    struct timespec until;
    unsigned long long target;

    pthread_mutex_lock(&q.mu);
    target = q.enqueued;
    deadline_in(&until, 2000);
    while (q.running && q.written < target)
        if (pthread_cond_timedwait(&q.wrote, &q.mu, &until) == ETIMEDOUT)
            break;
    pthread_mutex_unlock(&q.mu);
}

unsigned long long
audit_dropped(void)
{
    unsigned long long n;

    pthread_mutex_lock(&q.mu);
    n = q.dropped;
    pthread_mutex_unlock(&q.mu);
    return n;
}
