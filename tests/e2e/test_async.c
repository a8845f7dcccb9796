/*
 * test_async: long requests off the worker threads. Servers run ONE
 * worker thread, so anything that held it would stall the other
 * requests: parked long-polls (more of them than threads, woken by a
 * commit or their deadline, 503 past --max-waiting) and imports applied
 * on the job thread (one at a time, a bounded queue, 503 beyond). The
 * test holds SQLite's write lock itself to keep an import running as
 * long as it needs. Clients that must wait run in forked processes
 * speaking plain libcurl and report through pipes.
 */
#define _GNU_SOURCE
#include <curl/curl.h>
#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "suites.h"

#define NDJSON "application/x-ndjson"
#define PROMPT 0.5 /* seconds: "answers promptly" */

static const char *const one_thread_env[] = { "CRMD_THREADS=1", "CRMD_LOG_LEVEL=debug",
                                              "CRMD_MAX_WAITING=4", "CRMD_IMPORT_QUEUE=1",
                                              "CRMD_BUSY_TIMEOUT=20000", NULL };

static void
one_thread_setup(void)
{
    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, one_thread_env);
}

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
pause_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* ---- a client in a child process ---- */

struct call {
    pid_t pid;
    int fd; /* read end: "<status> <seconds> <retry-after>\n<body>" */
    char rid[64];
};

struct sink {
    char *data;
    size_t len;
};

static size_t
on_data(char *p, size_t size, size_t n, void *arg)
{
    struct sink *s = arg;
    size_t len = size * n;

    s->data = realloc(s->data, s->len + len + 1);
    memcpy(s->data + s->len, p, len);
    s->len += len;
    s->data[s->len] = '\0';
    return len;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
    long *retry_after = arg;

    if (size * n > 12 && strncasecmp(p, "Retry-After:", 12) == 0)
        *retry_after = strtol(p + 12, NULL, 10);
    return size * n;
}

/* In the child: send the request, write what came back to fd. */
static void
call_run(int fd, const char *method, const char *path, const char *ctype, const char *body,
         const char *rid)
{
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    struct sink out = { 0 };
    char url[512], hdr[160];
    const char *type = NULL;
    long status = -1, retry_after = 0;
    double t0 = now_s();

    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", srv.port, path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        snprintf(hdr, sizeof hdr, "Content-Type: %s", ctype);
        h = curl_slist_append(h, hdr);
    }
    snprintf(hdr, sizeof hdr, "X-Request-Id: %s", rid);
    h = curl_slist_append(h, hdr);
    h = curl_slist_append(h, srv.auth);
    h = curl_slist_append(h, "Expect:");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &out);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &retry_after);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type);
    if (status >= 0)
        harness_log_exchange(method, path, body ? ctype : NULL, status, type,
                             out.data ? out.data : "");
    dprintf(fd, "%ld %.3f %ld\n%s", status, now_s() - t0, retry_after, out.data ? out.data : "");
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    free(out.data);
}

/* Start method path in a child process; rid names it in the server log. */
static void
call_start(struct call *k, const char *method, const char *path, const char *ctype,
           const char *body, const char *rid)
{
    int fds[2];

    snprintf(k->rid, sizeof k->rid, "%s", uniq(rid));
    ck_assert_int_eq(pipe(fds), 0);
    fflush(NULL);
    k->pid = fork();
    ck_assert_int_ge(k->pid, 0);
    if (k->pid == 0) {
        close(fds[0]);
        call_run(fds[1], method, path, ctype, body, k->rid);
        _exit(0);
    }
    close(fds[1]);
    k->fd = fds[0];
}

static void
poll_start(struct call *k, const char *query)
{
    call_start(k, "GET", pathf("/v1/changes?%s", query), NULL, NULL, "poll-");
}

/*
 * The child's answer: status (-1: the connection closed without one),
 * seconds it took, Retry-After (0 = none); the body (new reference, NULL
 * without answer).
 */
static json_t *
call_finish(struct call *k, long *status, double *secs, long *retry_after)
{
    struct sink s = { 0 };
    char chunk[4096], *nl;
    long ra;
    ssize_t n;
    json_t *body;
    int st;

    while ((n = read(k->fd, chunk, sizeof chunk)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        ck_assert_int_gt(n, 0);
        on_data(chunk, 1, (size_t)n, &s);
    }
    close(k->fd);
    ck_assert_int_eq(waitpid(k->pid, &st, 0), k->pid);
    ck_assert_ptr_nonnull(s.data);
    nl = strchr(s.data, '\n');
    ck_assert_ptr_nonnull(nl);
    ck_assert_int_eq(sscanf(s.data, "%ld %lf %ld", status, secs, &ra), 3);
    if (retry_after)
        *retry_after = ra;
    body = *status > 0 ? json_loads(nl + 1, 0, NULL) : NULL;
    ck_assert_msg(body != NULL || *status < 0, "answer: %s", s.data);
    free(s.data);
    return body;
}

/* ---- the server's log and SQLite's write lock ---- */

/* Block until the server logs "request <rid>: <what>" (deadline 10 s). */
static void
await_log(const struct call *k, const char *what)
{
    harness_await_log(&srv, pathf("request %s: %s", k->rid, what), 10000);
}

/* Take the database's write lock (an import's transaction waits for it); release with unlock. */
static sqlite3 *
lock_db(void)
{
    sqlite3 *db = NULL;

    ck_assert_int_eq(sqlite3_open(srv.db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    ck_assert_int_eq(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    return db;
}

static void
unlock_db(sqlite3 *db)
{
    ck_assert_int_eq(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* Reads that must not wait for parked or applying requests: each within PROMPT seconds. */
static void
assert_others_answer_promptly(void)
{
    const char *paths[] = { "/readyz", "/v1/customers?limit=1", "/v1/changes?limit=1" };
    struct reply r;

    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        double t0 = now_s();
        http_get(paths[i], &r);
        ck_assert_int_eq(r.status, 200);
        ck_assert_msg(now_s() - t0 < PROMPT, "GET %s took %.3f s", paths[i], now_s() - t0);
        reply_free(&r);
    }
}

/* The cursor at the current end of the feed (static storage). */
static const char *
head_cursor(void)
{
    static char cursor[64];
    json_t *page = fetch("/v1/changes?limit=1000");

    ck_assert_int_lt(json_array_size(json_object_get(page, "items")), 1000);
    snprintf(cursor, sizeof cursor, "%s", sget(page, "next_cursor"));
    json_decref(page);
    return cursor;
}

/* n customers as NDJSON with external ids <prefix>-<i> (new string). */
static char *
ndjson_customers(const char *prefix, int n)
{
    size_t cap = (size_t)n * 160 + 1, len = 0;
    char *s = malloc(cap);

    s[0] = '\0';
    for (int i = 1; i <= n; i++)
        len += (size_t)snprintf(s + len, cap - len,
                                "{\"type\": \"customer\", \"external_ref\": {\"system\": \"dms\", "
                                "\"id\": \"%s-%d\"}, \"kind\": \"person\", \"family_name\": "
                                "\"Import\"}\n",
                                prefix, i);
    return s;
}

static long long
total(const json_t *report, const char *key)
{
    return json_integer_value(json_object_get(json_object_get(report, "totals"), key));
}

static void
assert_customer_exists(const char *ext_id)
{
    json_t *items = fetch_items(pathf("/v1/customers?external_ref=dms:%s", ext_id));
    ck_assert_int_eq(json_array_size(items), 1);
    json_decref(items);
}

/* ---- long-polls ---- */

START_TEST(more_long_polls_than_threads_park_and_wake_on_commit)
{
    const char *head = head_cursor();
    struct call polls[3];
    char query[128];
    long status;
    double secs, t0;
    const char *id;

    snprintf(query, sizeof query, "after=%s&wait=10", head);
    for (int i = 0; i < 3; i++)
        poll_start(&polls[i], query);
    for (int i = 0; i < 3; i++)
        await_log(&polls[i], "waiting up to");
    /* three requests wait on a server with one worker thread, and it still answers */
    assert_others_answer_promptly();
    t0 = now_s();
    id = new_person_named("Weckruf");
    for (int i = 0; i < 3; i++) {
        json_t *body = call_finish(&polls[i], &status, &secs, NULL), *items;
        ck_assert_int_eq(status, 200);
        items = json_object_get(body, "items");
        ck_assert_int_eq(json_array_size(items), 1);
        ck_assert_str_eq(sget(json_array_get(items, 0), "id"), id);
        json_decref(body);
    }
    ck_assert_msg(now_s() - t0 < 1.0, "woke %.3f s after the commit", now_s() - t0);
}
END_TEST

START_TEST(long_polls_answer_empty_at_their_own_deadlines)
{
    const char *head = head_cursor();
    struct call one, two;
    long status;
    double secs;
    json_t *body;

    poll_start(&two, pathf("after=%s&wait=2", head));
    poll_start(&one, pathf("after=%s&wait=1", head));
    await_log(&one, "waiting up to");
    await_log(&two, "waiting up to");
    assert_others_answer_promptly();
    body = call_finish(&one, &status, &secs, NULL);
    ck_assert_int_eq(status, 200);
    ck_assert_msg(secs >= 0.95 && secs < 1.6, "wait=1 answered after %.3f s", secs);
    ck_assert_int_eq(json_array_size(json_object_get(body, "items")), 0);
    ck_assert_str_eq(sget(body, "next_cursor"), head);
    json_decref(body);
    body = call_finish(&two, &status, &secs, NULL);
    ck_assert_int_eq(status, 200);
    ck_assert_msg(secs >= 1.95 && secs < 2.6, "wait=2 answered after %.3f s", secs);
    ck_assert_int_eq(json_array_size(json_object_get(body, "items")), 0);
    json_decref(body);
}
END_TEST

START_TEST(long_polls_beyond_max_waiting_are_503)
{
    const char *head = head_cursor();
    struct call polls[4], extra;
    long status, retry_after;
    double secs;
    json_t *body;
    struct reply r;

    for (int i = 0; i < 4; i++) /* CRMD_MAX_WAITING=4 */
        poll_start(&polls[i], pathf("after=%s&wait=10", head));
    for (int i = 0; i < 4; i++)
        await_log(&polls[i], "waiting up to");
    poll_start(&extra, pathf("after=%s&wait=10", head));
    body = call_finish(&extra, &status, &secs, &retry_after);
    ck_assert_int_eq(status, 503);
    ck_assert_str_eq(sget(body, "type"), "urn:crmd:problem:unavailable");
    ck_assert_msg(strstr(sget(body, "detail"), "--max-waiting"), "detail %s", sget(body, "detail"));
    ck_assert_int_eq(retry_after, 1);
    ck_assert_msg(secs < PROMPT, "the refusal took %.3f s", secs);
    json_decref(body);
    /* without wait nothing parks: answered as ever */
    http_get(pathf("/v1/changes?after=%s", head), &r);
    assert_json(&r, 200);
    reply_free(&r);
    new_person_named("Frei");
    for (int i = 0; i < 4; i++) {
        body = call_finish(&polls[i], &status, &secs, NULL);
        ck_assert_int_eq(status, 200);
        ck_assert_int_eq(json_array_size(json_object_get(body, "items")), 1);
        json_decref(body);
    }
}
END_TEST

/* ---- imports ---- */

START_TEST(import_applies_on_the_job_thread_while_others_answer)
{
    const char *prefix = uniq("JOB");
    char *lines = ndjson_customers(prefix, 50);
    sqlite3 *lock = lock_db();
    struct call imp;
    long status;
    double secs;
    json_t *report;

    call_start(&imp, "POST", "/v1/import", NDJSON, lines, "import-");
    await_log(&imp, "job running");
    /* the import waits for the write lock on the job thread; the worker is free */
    assert_others_answer_promptly();
    pause_ms(300);
    assert_others_answer_promptly();
    unlock_db(lock);
    report = call_finish(&imp, &status, &secs, NULL);
    ck_assert_int_eq(status, 200);
    ck_assert_int_eq(total(report, "lines"), 50);
    ck_assert_int_eq(total(report, "created"), 50);
    ck_assert_int_eq(total(report, "errors"), 0);
    ck_assert_int_eq(json_array_size(json_object_get(report, "items")), 50);
    assert_customer_exists(pathf("%s-1", prefix));
    assert_customer_exists(pathf("%s-50", prefix));
    json_decref(report);
    free(lines);
}
END_TEST

START_TEST(imports_run_one_at_a_time_and_a_full_queue_is_503)
{
    const char *a = uniq("QA"), *b = uniq("QB"), *c = uniq("QC");
    char *la = ndjson_customers(a, 3), *lb = ndjson_customers(b, 3), *lc = ndjson_customers(c, 3);
    sqlite3 *lock = lock_db();
    struct call first, second, third;
    long status, retry_after;
    double secs;
    json_t *body;
    struct reply r;

    call_start(&first, "POST", "/v1/import", NDJSON, la, "import-");
    await_log(&first, "job running");
    call_start(&second, "POST", "/v1/import", NDJSON, lb, "import-");
    await_log(&second, "job queued behind 1");
    /* CRMD_IMPORT_QUEUE=1: one runs, one waits, the third is refused at once */
    call_start(&third, "POST", "/v1/import", NDJSON, lc, "import-");
    body = call_finish(&third, &status, &secs, &retry_after);
    ck_assert_int_eq(status, 503);
    ck_assert_str_eq(sget(body, "type"), "urn:crmd:problem:unavailable");
    ck_assert_msg(strstr(sget(body, "detail"), "--import-queue"), "detail %s",
                  sget(body, "detail"));
    ck_assert_int_eq(retry_after, 10);
    json_decref(body);
    assert_others_answer_promptly();
    unlock_db(lock);
    body = call_finish(&first, &status, &secs, NULL);
    ck_assert_int_eq(status, 200);
    ck_assert_int_eq(total(body, "created"), 3);
    json_decref(body);
    body = call_finish(&second, &status, &secs, NULL);
    ck_assert_int_eq(status, 200);
    ck_assert_int_eq(total(body, "created"), 3);
    json_decref(body);
    assert_customer_exists(pathf("%s-3", b));
    http_get(pathf("/v1/customers?external_ref=dms:%s-1", c), &r);
    assert_json(&r, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 0); /* refused: nothing */
    reply_free(&r);
    free(la);
    free(lb);
    free(lc);
}
END_TEST

/* ---- stopping ---- */

static long long
count_customers(const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    long long n = -1;

    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM customers", -1, &st, NULL),
                     SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

START_TEST(stopping_answers_parked_polls_and_stops_a_running_import)
{
    struct server shared = srv, own;
    struct call poll, imp;
    char *lines = ndjson_customers("STOP", 20), cmd[400];
    sqlite3 *lock;
    long status;
    double secs, t0;
    json_t *body;
    int st;

    /* no grace for requests under way (test_ops proves the default lets them finish) */
    static const char *const env[] = { "CRMD_THREADS=1", "CRMD_LOG_LEVEL=debug",
                                       "CRMD_MAX_WAITING=4", "CRMD_IMPORT_QUEUE=1",
                                       "CRMD_BUSY_TIMEOUT=20000", "CRMD_SHUTDOWN_TIMEOUT=0", NULL };

    memset(&own, 0, sizeof own);
    server_start(&own, NULL, env);
    lock = lock_db();
    call_start(&imp, "POST", "/v1/import", NDJSON, lines, "import-");
    await_log(&imp, "job running");
    poll_start(&poll, pathf("after=%s&wait=30", head_cursor()));
    await_log(&poll, "waiting up to");
    t0 = now_s();
    ck_assert_int_eq(kill(own.pid, SIGTERM), 0);
    pause_ms(100);
    unlock_db(lock); /* the import gets its transaction, and sees the stop before line 1 */
    while (waitpid(own.pid, &st, 0) < 0 && errno == EINTR)
        ;
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "crmd ended with status %d", st);
    ck_assert_msg(now_s() - t0 < 4.0, "stopping took %.3f s", now_s() - t0);
    body = call_finish(&poll, &status, &secs, NULL);
    ck_assert_msg(status == 200 || status == -1, "long poll: status %ld", status);
    if (body)
        ck_assert_int_eq(json_array_size(json_object_get(body, "items")), 0);
    json_decref(body);
    body = call_finish(&imp, &status, &secs, NULL);
    ck_assert_msg(status == 503 || status == -1, "import: status %ld", status);
    if (body)
        ck_assert_msg(strstr(sget(body, "detail"), "stopping"), "detail %s", sget(body, "detail"));
    json_decref(body);
    ck_assert_int_eq(count_customers(own.db), 0); /* nothing of the import was written */
    snprintf(cmd, sizeof cmd, "rm -rf %s", own.dir);
    ck_assert_int_eq(system(cmd), 0);
    free(lines);
    srv = shared;
}
END_TEST

Suite *
async_suite(void)
{
    Suite *s = suite_create("async");
    TCase *tc = tcase_create("one_thread");

    tcase_add_unchecked_fixture(tc, one_thread_setup, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, more_long_polls_than_threads_park_and_wake_on_commit);
    tcase_add_test(tc, long_polls_answer_empty_at_their_own_deadlines);
    tcase_add_test(tc, long_polls_beyond_max_waiting_are_503);
    tcase_add_test(tc, import_applies_on_the_job_thread_while_others_answer);
    tcase_add_test(tc, imports_run_one_at_a_time_and_a_full_queue_is_503);
    tcase_add_test(tc, stopping_answers_parked_polls_and_stops_a_running_import);
    suite_add_tcase(s, tc);
    return s;
}
