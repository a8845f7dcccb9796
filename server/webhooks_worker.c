/*
 * webhooks_worker: one thread, one libcurl multi handle, one database
 * connection. Each active subscription has at most one delivery under way
 * (its next matching change after its cursor), so deliveries are in
 * commit order per subscription while a slow receiver holds up only its
 * own subscription. No transaction is open during HTTP; results are
 * recorded in short write transactions (store_webhooks.c).
 */
#include "webhooks_worker.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "config.h"
#include "cursor.h"
#include "db.h"
#include "log.h"
#include "netguard.h"
#include "store.h"
#include "store_webhooks.h"
#include "telemetry.h"
#include "util.h"
#include "webhook.h"

#define SCAN_PAGE 100     /* changes read at a time while looking for a matching one */
#define SCAN_MAX 2000     /* changes looked at per subscription and pass */
#define IDLE_MS 5000      /* longest sleep: commits of other processes are not signalled */
#define ERROR_MAX 256     /* bytes of an error text in the log */

struct job {
    struct job *next;
    CURL *easy;
    char *url;
    struct curl_slist *headers;
    char *body;
    char webhook_id[UTIL_UUID_LEN + 1];
    char event[WEBHOOK_EVENT_MAX];
    long long seq;
    int attempt;
    char at[UTIL_TIME_LEN + 1];
    struct timespec started;
    char error[CURL_ERROR_SIZE];
    const char *refused; /* why the resolved address was not connected to (netguard.h) */
    char refused_ip[64];
};

static struct {
    pthread_mutex_t lock; /* guards multi for wake() against start/stop */
    CURLM *multi;
    pthread_t thread;
    int running;
    atomic_int stop, kicked;
    const struct config *cfg;
    struct job *jobs;
} w = { .lock = PTHREAD_MUTEX_INITIALIZER };

static long long
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
wake(void)
{
    pthread_mutex_lock(&w.lock);
    if (w.multi)
        curl_multi_wakeup(w.multi);
    pthread_mutex_unlock(&w.lock);
}

void
webhooks_worker_kick(void)
{
    atomic_store(&w.kicked, 1);
    wake();
}

static int
in_flight(const char *id)
{
    for (const struct job *j = w.jobs; j; j = j->next)
        if (strcmp(j->webhook_id, id) == 0)
            return 1;
    return 0;
}

static size_t
discard(char *data, size_t size, size_t n, void *arg)
{
    (void)data;
    (void)arg;
    return size * n; /* the answer's body is read and dropped, never stored */
}

static void
add_header(struct job *j, const char *name, const char *value)
{
    char line[512];

    snprintf(line, sizeof line, "%s: %s", name, value);
    j->headers = curl_slist_append(j->headers, line);
}

/* The signed headers of j (body set). */
static void
sign(struct job *j, const char *secret, const char *event_id)
{
    char sig[WEBHOOK_SIGNATURE_LEN + 1], ts[24], attempt[16];
    long long t = (long long)time(NULL);

    webhook_sign(secret, t, j->body, strlen(j->body), sig);
    snprintf(ts, sizeof ts, "%lld", t);
    snprintf(attempt, sizeof attempt, "%d", j->attempt);
    add_header(j, "Content-Type", "application/json");
    add_header(j, "Crmd-Webhook-Id", j->webhook_id);
    add_header(j, "Crmd-Event-Id", event_id);
    add_header(j, "Crmd-Event-Type", j->event);
    add_header(j, "Crmd-Delivery-Attempt", attempt);
    add_header(j, "Crmd-Timestamp", ts);
    add_header(j, "Crmd-Signature", sig);
    j->headers = curl_slist_append(j->headers, "Expect:"); /* no 100-continue round trip */
}

/*
 * libcurl's socket opener: every address a delivery would connect to, after
 * DNS, passes netguard first, so a name that resolves to a refused range
 * (or starts doing so: DNS rebinding) reaches nothing.
 */
static curl_socket_t
open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
    struct job *j = arg;
    const char *why = netguard_refused(&a->addr);

    if (purpose != CURLSOCKTYPE_IPCXN || why) {
        j->refused = why ? why : "not a connection to the receiver";
        if (a->addr.sa_family == AF_INET)
            inet_ntop(AF_INET, &((struct sockaddr_in *)&a->addr)->sin_addr, j->refused_ip,
                      sizeof j->refused_ip);
        else if (a->addr.sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&a->addr)->sin6_addr, j->refused_ip,
                      sizeof j->refused_ip);
        return CURL_SOCKET_BAD;
    }
    return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

static void
configure(struct job *j, const char *url)
{
    const struct config *cfg = w.cfg;
    CURL *e = j->easy;

    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, j->body);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(j->body));
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->headers);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "crmd-webhooks");
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)cfg->webhook_connect_timeout * 1000L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)cfg->webhook_timeout * 1000L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->error);
    curl_easy_setopt(e, CURLOPT_PRIVATE, j);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, j);
}

/* Start delivering change item (as /v1/changes shows it) to subscription sub. */
static void
start(const json_t *sub, const json_t *item, const char *event)
{
    struct job *j = xcalloc(1, sizeof *j);
    char event_id[CURSOR_LEN + 1];
    json_t *payload;

    j->seq = json_integer_value(json_object_get(item, "seq"));
    cursor_encode(CURSOR_TAG_CHANGES, j->seq, event_id);
    snprintf(j->webhook_id, sizeof j->webhook_id, "%s",
             json_string_value(json_object_get(sub, "id")));
    snprintf(j->event, sizeof j->event, "%s", event);
    j->attempt = (int)json_integer_value(json_object_get(sub, "failures")) + 1;
    payload = json_pack("{s:s, s:s}", "event", event, "cursor", event_id);
    json_object_update(payload, (json_t *)item);
    j->body = json_dumps(payload, JSON_COMPACT);
    json_decref(payload);
    sign(j, json_string_value(json_object_get(sub, "secret")), event_id);
    if (!(j->easy = curl_easy_init()))
        abort();
    j->url = xstrdup(json_string_value(json_object_get(sub, "url")));
    configure(j, j->url);
    util_format_time(time(NULL), j->at);
    clock_gettime(CLOCK_MONOTONIC, &j->started);
    curl_multi_add_handle(w.multi, j->easy);
    j->next = w.jobs;
    w.jobs = j;
    log_debug("webhook %s: delivering %s %s (attempt %d)", j->webhook_id, event, event_id,
              j->attempt);
}

/*
 * Find the next change after sub's cursor its events match and start
 * delivering it; move the cursor past changes that match nothing.
 */
static void
start_next(struct db *db, const json_t *sub)
{
    const json_t *events = json_object_get(sub, "events");
    const char *id = json_string_value(json_object_get(sub, "id"));
    long long cursor = json_integer_value(json_object_get(sub, "cursor"));
    struct store_change_page page = { .after = cursor, .limit = SCAN_PAGE };
    struct problem p = { 0 };
    char event[WEBHOOK_EVENT_MAX];
    int scanned = 0;
    size_t k, n;
    json_t *it;

    page.types = webhook_events_types(events);
    while (scanned < SCAN_MAX) {
        if (store_changes_list(db, &page, &p) != 0)
            goto fail;
        n = json_array_size(page.items);
        json_array_foreach(page.items, k, it)
        {
            webhook_event_name(json_string_value(json_object_get(it, "type")),
                               json_string_value(json_object_get(it, "operation")), event);
            if (webhook_events_match(events, event)) {
                start(sub, it, event);
                json_decref(page.items);
                return;
            }
        }
        json_decref(page.items);
        scanned += (int)n;
        if (n < (size_t)page.limit)
            break;
        page.after = page.last;
    }
    if (scanned >= SCAN_MAX)
        atomic_store(&w.kicked, 1); /* more to look at: the next pass goes on */
    if (page.last > cursor && store_webhook_skip(db, id, cursor, page.last, &p) != 0)
        goto fail;
    return;
fail:
    log_warn("webhook %s: cannot read the change feed: %s", id, p.detail);
    problem_release(&p);
}

/* Start a delivery for every due active subscription without one; *next_due the next retry. */
static void
schedule(struct db *db, long long now, long long *next_due)
{
    struct problem p = { 0 };
    json_t *due, *sub;
    size_t i;

    if (store_webhooks_due(db, now, &due, next_due, &p) != 0) {
        log_warn("webhooks: cannot read the subscriptions: %s", p.detail);
        problem_release(&p);
        *next_due = now + 1000;
        return;
    }
    json_array_foreach(due, i, sub)
    {
        if (!in_flight(json_string_value(json_object_get(sub, "id"))))
            start_next(db, sub);
    }
    json_decref(due);
}

static void
job_free(struct job *j)
{
    curl_multi_remove_handle(w.multi, j->easy);
    curl_easy_cleanup(j->easy);
    curl_slist_free_all(j->headers);
    free(j->url);
    free(j->body);
    free(j);
}

static void
unlink_job(struct job *j)
{
    struct job **pp = &w.jobs;

    while (*pp != j)
        pp = &(*pp)->next;
    *pp = j->next;
}

/*
 * The delivery log's text of a failed transfer: one of a few classes, never
 * libcurl's own words (they would tell a closed port from a service that
 * does not speak HTTP, a port scan through the log).
 */
static void
error_class(const struct job *j, CURLcode code, long status, char *out, size_t outsz)
{
    switch (code) {
    case CURLE_OK:
        snprintf(out, outsz, "http_status: the receiver answered %ld, not 2xx", status);
        return;
    case CURLE_OPERATION_TIMEDOUT:
        snprintf(out, outsz, "timeout: no complete answer within --webhook-timeout");
        return;
    case CURLE_COULDNT_RESOLVE_HOST:
        snprintf(out, outsz, "dns_error: the receiver's host name did not resolve");
        return;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        snprintf(out, outsz, "tls_error: no trusted TLS connection to the receiver");
        return;
    default:
        break;
    }
    if (j->refused)
        snprintf(out, outsz,
                 "refused_destination: the receiver's address %s is %s; --webhook-allow can "
                 "list it",
                 j->refused_ip[0] ? j->refused_ip : "?", j->refused);
    else
        snprintf(out, outsz, "connection_failed: no HTTP answer from the receiver");
}

/* The metrics' class of a finished transfer: libcurl's code, then the receiver's status. */
static enum telemetry_delivery
outcome(CURLcode code, long status)
{
    if (code == CURLE_OPERATION_TIMEDOUT)
        return TELEMETRY_TIMEOUT;
    if (code != CURLE_OK)
        return TELEMETRY_NETWORK_ERROR;
    return status >= 200 && status <= 299 ? TELEMETRY_DELIVERED : TELEMETRY_HTTP_ERROR;
}

/* Record the outcome of finished job j (in the delivery log and the metrics). */
static void
finish(struct db *db, struct job *j, CURLcode code)
{
    struct store_webhook_attempt a = { .webhook_id = j->webhook_id, .url = j->url,
                                       .change_seq = j->seq, .event = j->event,
                                       .attempt = j->attempt, .at = j->at };
    char error[ERROR_MAX];
    struct problem p = { 0 };
    struct timespec end;

    clock_gettime(CLOCK_MONOTONIC, &end);
    a.duration_ms = (end.tv_sec - j->started.tv_sec) * 1000 +
                    (end.tv_nsec - j->started.tv_nsec) / 1000000;
    curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &a.status_code);
    telemetry_webhook_delivery(outcome(code, a.status_code));
    if (code != CURLE_OK || a.status_code < 200 || a.status_code > 299) {
        error_class(j, code, a.status_code, error, sizeof error);
        a.error = error;
        a.retry_at_ms = now_ms() + webhook_backoff_ms(j->attempt, w.cfg->webhook_backoff_ms,
                                                      w.cfg->webhook_backoff_max_ms);
        /* the operator's log keeps libcurl's own words; the delivery log only the class */
        log_info("webhook %s: %s attempt %d failed: %s (%s)", j->webhook_id, j->event, j->attempt,
                 error, j->error[0] ? j->error : curl_easy_strerror(code));
    }
    if (store_webhook_record(db, &a, &p) != 0) {
        /* not recorded: the change is delivered again (at least once) */
        log_warn("webhook %s: cannot record a delivery: %s", j->webhook_id, p.detail);
        problem_release(&p);
    }
}

/* Record every finished transfer; returns how many finished. */
static int
harvest(struct db *db)
{
    CURLMsg *msg;
    int left, done = 0;

    while ((msg = curl_multi_info_read(w.multi, &left))) {
        struct job *j = NULL;

        if (msg->msg != CURLMSG_DONE)
            continue;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&j);
        finish(db, j, msg->data.result);
        unlink_job(j);
        job_free(j);
        done++;
    }
    return done;
}

static int
poll_timeout(long long next_due, long long now)
{
    long long t = IDLE_MS;

    if (next_due > 0 && next_due - now < t)
        t = next_due > now ? next_due - now : 0;
    return (int)t;
}

static void *
run(void *arg)
{
    struct db *db = db_thread(w.cfg);
    unsigned long long seen = 0;
    long long next_due = 0, now;
    int first = 1, active;
    (void)arg;

    if (!db) {
        log_error("webhooks: no database connection; nothing is delivered");
        return NULL;
    }
    while (!atomic_load(&w.stop)) {
        unsigned long long gen = store_changes_generation();

        now = now_ms();
        if (first || gen != seen || atomic_exchange(&w.kicked, 0) ||
            (next_due > 0 && now >= next_due)) {
            first = 0;
            seen = gen;
            schedule(db, now, &next_due);
        }
        curl_multi_perform(w.multi, &active);
        if (harvest(db) > 0) {
            atomic_store(&w.kicked, 1); /* their next changes may be waiting */
            continue;
        }
        curl_multi_poll(w.multi, NULL, 0, poll_timeout(next_due, now_ms()), NULL);
    }
    while (w.jobs) {
        struct job *j = w.jobs;
        w.jobs = j->next;
        job_free(j);
    }
    return NULL;
}

/* Commits wake the worker (store_changes_listen); they may hold changes to deliver. */
static void
on_commit(void)
{
    wake();
}

int
webhooks_worker_start(const struct config *cfg)
{
    CURLM *multi = curl_multi_init();

    if (!multi) {
        log_error("webhooks: cannot create a libcurl multi handle");
        return -1;
    }
    w.cfg = cfg;
    atomic_store(&w.stop, 0);
    atomic_store(&w.kicked, 0);
    pthread_mutex_lock(&w.lock);
    w.multi = multi;
    pthread_mutex_unlock(&w.lock);
    if (pthread_create(&w.thread, NULL, run, NULL) != 0) {
        log_error("webhooks: cannot start the delivery thread");
        pthread_mutex_lock(&w.lock);
        w.multi = NULL;
        pthread_mutex_unlock(&w.lock);
        curl_multi_cleanup(multi);
        return -1;
    }
    w.running = 1;
    store_changes_listen(on_commit);
    return 0;
}

void
webhooks_worker_stop(void)
{
    CURLM *multi;

    if (!w.running)
        return;
    store_changes_unlisten(on_commit);
    atomic_store(&w.stop, 1);
    wake();
    pthread_join(w.thread, NULL);
    w.running = 0;
    pthread_mutex_lock(&w.lock);
    multi = w.multi;
    w.multi = NULL;
    pthread_mutex_unlock(&w.lock);
    curl_multi_cleanup(multi);
    log_debug("webhooks: delivery worker stopped");
}
