/*
 * test_ops: the runtime operations. Access log lines (route pattern, no
 * query, path ids or keys), GET /metrics (counters, histogram, gauges),
 * the graceful stop (a request under way at SIGTERM gets its whole
 * answer, new connections are refused, the WAL is folded in) and
 * backups (POST /v1/backup, crmd backup) restored into a server that has
 * the same data and a change feed that goes on.
 */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "metrics_client.h"
#include "suites.h"

#define NDJSON "application/x-ndjson"

static char dir[64];         /* this test's directory: access log, backups */
static char env_log[160], env_dir[160];

static void
pause_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static char *
slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    char *s;
    long n;

    ck_assert_msg(f != NULL, "cannot read %s", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    s = calloc(1, (size_t)n + 1);
    ck_assert_int_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return s;
}

/* A fresh directory with backups/ in it; srv starts with the access log there and extra env. */
static void
start_in_dir(const char *extra)
{
    char tmpl[] = "/tmp/crmd-ops-XXXXXX", sub[128];
    const char *env[] = { env_log, env_dir, extra, NULL };

    ck_assert_ptr_nonnull(mkdtemp(tmpl));
    snprintf(dir, sizeof dir, "%s", tmpl);
    snprintf(sub, sizeof sub, "%s/backups", dir);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    snprintf(env_log, sizeof env_log, "CRMD_ACCESS_LOG=%s/access.log", dir);
    snprintf(env_dir, sizeof env_dir, "CRMD_BACKUP_DIR=%s", sub);
    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, env);
}

static void
ops_setup(void)
{
    start_in_dir(NULL);
}

static void
ops_teardown(void)
{
    char cmd[128];

    harness_teardown();
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* The access log line of request id rid (parsed), waiting up to 2 s for it. */
static json_t *
access_line(const char *rid)
{
    char path[128], needle[96];

    snprintf(path, sizeof path, "%s/access.log", dir);
    snprintf(needle, sizeof needle, "\"request_id\":\"%s\"", rid);
    for (int i = 0; i < 200; i++) {
        char *text = slurp(path), *at = strstr(text, needle), *start, *end;
        json_t *j = NULL;
        if (at) {
            for (start = at; start > text && start[-1] != '\n'; start--)
                ;
            end = strchr(at, '\n');
            ck_assert_ptr_nonnull(end);
            j = json_loadb(start, (size_t)(end - start), 0, NULL);
            ck_assert_msg(j != NULL, "access log line is not JSON: %.*s", (int)(end - start), start);
        }
        free(text);
        if (j)
            return j;
        pause_ms(10);
    }
    ck_abort_msg("no access log line for request %s", rid);
    return NULL;
}

START_TEST(access_log_has_route_patterns_and_no_personal_data)
{
    const char *id = new_person_named("Accesslog");
    const char *secret = uniq_letters();
    const char *hdr1[] = { "X-Request-Id: ops-get-1", NULL };
    const char *hdr2[] = { "X-Request-Id: ops-search-1", NULL };
    const char *hdr3[] = { "X-Request-Id: ops-nokey-1", "Authorization:", NULL };
    struct reply r;
    json_t *l;
    char path[128], *text;

    http("GET", pathf("/v1/customers/%s", id), NULL, NULL, hdr1, &r);
    assert_json(&r, 200);
    reply_free(&r);
    http("GET", pathf("/v1/search?q=%s", secret), NULL, NULL, hdr2, &r);
    reply_free(&r);
    http("GET", "/v1/customers", NULL, NULL, hdr3, &r);
    assert_problem(&r, 401, "unauthorized");
    reply_free(&r);

    l = access_line("ops-get-1");
    ck_assert_str_eq(sget(l, "method"), "GET");
    ck_assert_str_eq(sget(l, "route"), "/v1/customers/{id}");
    ck_assert_int_eq(json_integer_value(json_object_get(l, "status")), 200);
    ck_assert_int_gt(json_integer_value(json_object_get(l, "bytes")), 10);
    ck_assert_int_ge(json_integer_value(json_object_get(l, "duration_us")), 0);
    ck_assert_str_eq(sget(l, "remote"), "127.0.0.1");
    ck_assert_msg(sget(l, "key_id") && strlen(sget(l, "key_id")) == 36, "key_id is the key's id");
    ck_assert_msg(sget(l, "time") && strlen(sget(l, "time")) == 24, "time with milliseconds");
    json_decref(l);
    l = access_line("ops-search-1");
    ck_assert_str_eq(sget(l, "route"), "/v1/search");
    json_decref(l);
    l = access_line("ops-nokey-1");
    ck_assert_int_eq(json_integer_value(json_object_get(l, "status")), 401);
    ck_assert(json_is_null(json_object_get(l, "key_id")));
    json_decref(l);

    snprintf(path, sizeof path, "%s/access.log", dir);
    text = slurp(path);
    ck_assert_msg(!strstr(text, secret), "the query string is logged");
    ck_assert_msg(!strstr(text, id), "the raw path is logged");
    ck_assert_msg(!strstr(text, srv.key), "the API key is logged");
    ck_assert_msg(!strstr(text, "Accesslog"), "personal data is logged");
    free(text);
}
END_TEST

START_TEST(access_log_status_filter_logs_only_errors)
{
    static const char *const env[] = { "CRMD_ACCESS_LOG_STATUS=400", NULL };
    const char *ok[] = { "X-Request-Id: ops-ok-2", NULL };
    const char *bad[] = { "X-Request-Id: ops-404-2", NULL };
    struct reply r;
    char path[128], *text;
    json_t *l;

    harness_teardown();
    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, (const char *const[]){ env_log, env[0], NULL });
    http("GET", "/v1/customers", NULL, NULL, ok, &r);
    assert_json(&r, 200);
    reply_free(&r);
    http("GET", "/v1/nothing-here", NULL, NULL, bad, &r);
    assert_problem(&r, 404, "no-route");
    reply_free(&r);
    l = access_line("ops-404-2"); /* written after the 200's: the 200 had its chance */
    ck_assert_str_eq(sget(l, "route"), "-");
    json_decref(l);
    snprintf(path, sizeof path, "%s/access.log", dir);
    text = slurp(path);
    ck_assert_msg(!strstr(text, "ops-ok-2"), "a 200 is logged with --access-log-status 400");
    free(text);
}
END_TEST

START_TEST(metrics_count_requests_by_route_and_status)
{
    const char *id = new_person_named("Metric");
    char *text;
    struct reply r;

    for (int i = 0; i < 3; i++) {
        http_get(pathf("/v1/customers/%s", id), &r);
        assert_json(&r, 200);
        reply_free(&r);
    }
    http_get("/v1/customers/00000000-0000-4000-8000-000000000000", &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
    /* a request is counted when it has ended, which is just after its answer went out: the
     * client may scrape before the server got there, so wait for the last one (2 s at most) */
    for (int i = 0;; i++) {
        text = metrics_scrape();
        if (metrics_sample(text, "crmd_http_request_duration_seconds_count{method=\"GET\","
                                 "route=\"/v1/customers/{id}\"}") == 4 &&
            metrics_sample(text, "crmd_http_requests_in_flight") == 1)
            break;
        ck_assert_msg(i < 200, "the last request never counted: %s", text);
        free(text);
        pause_ms(10);
    }
    ck_assert_double_eq(
        metrics_sample(text, "crmd_http_requests_total{method=\"GET\","
                             "route=\"/v1/customers/{id}\",status=\"200\"}"),
        3);
    ck_assert_double_eq(
        metrics_sample(text, "crmd_http_requests_total{method=\"GET\","
                             "route=\"/v1/customers/{id}\",status=\"404\"}"),
        1);
    ck_assert_double_eq(metrics_sample(text, "crmd_http_requests_total{method=\"POST\","
                                             "route=\"/v1/customers\",status=\"201\"}"),
                        1);
    ck_assert_double_eq(metrics_sample(text, "crmd_http_request_duration_seconds_count{"
                                             "method=\"GET\",route=\"/v1/customers/{id}\"}"),
                        4);
    ck_assert_double_eq(metrics_sample(text, "crmd_http_request_duration_seconds_bucket{"
                                             "method=\"GET\",route=\"/v1/customers/{id}\","
                                             "le=\"+Inf\"}"),
                        4);
    ck_assert_double_eq(metrics_sample(text, "crmd_http_requests_in_flight"), 1); /* the scrape */
    ck_assert_double_gt(metrics_sample(text, "crmd_database_size_bytes"), 4096);
    ck_assert_double_ge(metrics_sample(text, "crmd_database_wal_size_bytes"), 0);
    ck_assert_double_eq(metrics_sample(text, "crmd_longpolls_waiting"), 0);
    ck_assert_double_eq(metrics_sample(text, "crmd_import_jobs"), 0);
    ck_assert_double_eq(metrics_sample(text, "crmd_webhook_backlog"), 0);
    ck_assert_msg(!strstr(text, id), "a path id in the metrics");
    free(text);
    http_get("/metrics?format=json", &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
}
END_TEST

START_TEST(metrics_show_the_webhook_backlog)
{
    static const char *const env[] = { "CRMD_WEBHOOKS=false", NULL };
    struct reply r;
    char *text;

    harness_teardown();
    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, env);
    http_json("POST", "/v1/webhooks",
              "{\"url\": \"http://127.0.0.1:9/hook\", \"events\": [\"customer.*\"], "
              "\"secret\": \"0123456789abcdef0123456789abcdef\"}",
              &r);
    assert_json(&r, 201);
    reply_free(&r);
    new_person_named("Backlog");
    new_person_named("Backlog");
    text = metrics_scrape();
    ck_assert_double_eq(metrics_sample(text, "crmd_webhook_backlog"), 2);
    free(text);
}
END_TEST

/* ---- graceful stop ---- */

static int
connect_srv(void)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)srv.port) };
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* Everything the server sends on fd until it closes (10 s at most). */
static char *
read_all(int fd)
{
    size_t cap = 1 << 16, len = 0;
    char *s = malloc(cap);
    struct timeval tv = { 10, 0 };
    ssize_t got;

    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    while ((got = read(fd, s + len, cap - len - 1)) > 0) {
        len += (size_t)got;
        if (len + 1 == cap)
            s = realloc(s, cap *= 2);
    }
    s[len] = '\0';
    return s;
}

START_TEST(stop_lets_a_request_under_way_finish)
{
    static const char *const env[] = { "CRMD_LOG_LEVEL=debug", "CRMD_BUSY_TIMEOUT=20000", NULL };
    char body[4096], head[512], *answer, *json_start, wal[400];
    size_t len = 0;
    sqlite3 *lock = NULL;
    json_t *report;
    struct stat st;
    int fd, status;

    harness_teardown();
    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, env);
    for (int i = 1; i <= 10; i++)
        len += (size_t)snprintf(body + len, sizeof body - len,
                                "{\"type\": \"customer\", \"external_ref\": {\"system\": \"dms\", "
                                "\"id\": \"stop-%d\"}, \"kind\": \"person\", \"family_name\": "
                                "\"Graceful\"}\n",
                                i);
    /* the import waits for this lock: it is surely under way when SIGTERM comes */
    ck_assert_int_eq(sqlite3_open(srv.db, &lock), SQLITE_OK);
    sqlite3_busy_timeout(lock, 5000); /* the audit writer may be writing the start's requests */
    ck_assert_int_eq(sqlite3_exec(lock, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    fd = connect_srv();
    ck_assert_int_ge(fd, 0);
    snprintf(head, sizeof head,
             "POST /v1/import HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\nX-Request-Id: ops-stop-1\r\n"
             "Content-Type: " NDJSON "\r\nContent-Length: %zu\r\n\r\n",
             srv.auth, len);
    ck_assert_int_eq(write(fd, head, strlen(head)), (ssize_t)strlen(head));
    ck_assert_int_eq(write(fd, body, len), (ssize_t)len);
    for (int i = 0; !harness_log_count(&srv, "request ops-stop-1: job running", NULL, 0); i++) {
        ck_assert_msg(i < 1000, "the import never ran");
        pause_ms(5);
    }
    ck_assert_int_eq(kill(srv.pid, SIGTERM), 0);
    pause_ms(300);
    ck_assert_msg(connect_srv() < 0 && errno == ECONNREFUSED,
                  "a new connection is accepted while stopping");
    ck_assert_int_eq(waitpid(srv.pid, &status, WNOHANG), 0); /* still finishing the import */
    ck_assert_int_eq(sqlite3_exec(lock, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(lock);

    answer = read_all(fd);
    close(fd);
    ck_assert_msg(!strncmp(answer, "HTTP/1.1 200", 12), "answer: %.200s", answer);
    json_start = strstr(answer, "\r\n\r\n");
    ck_assert_ptr_nonnull(json_start);
    report = json_loads(json_start + 4, 0, NULL);
    ck_assert_msg(report != NULL, "incomplete body: %s", json_start + 4);
    ck_assert_int_eq(
        json_integer_value(json_object_get(json_object_get(report, "totals"), "created")), 10);
    json_decref(report);
    free(answer);

    ck_assert_int_eq(server_stop(&srv), 0);
    snprintf(wal, sizeof wal, "%s-wal", srv.db);
    ck_assert_msg(stat(wal, &st) != 0 || st.st_size == 0, "the WAL was not checkpointed");
    snprintf(wal, sizeof wal, "%s", srv.db); /* not srv.db itself: server_start copies it there */
    server_start(&srv, wal, NULL); /* teardown stops it */
    report = fetch("/v1/customers?limit=50");
    ck_assert_int_eq(json_array_size(json_object_get(report, "items")), 10);
    json_decref(report);
}
END_TEST

/* ---- backups ---- */

START_TEST(backup_endpoint_refuses_a_body_and_is_off_without_a_directory)
{
    struct reply r;

    http("POST", "/v1/backup", "application/json", "{\"to\": \"/etc/passwd\"}", NULL, &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
    http("POST", "/v1/backup?path=x", NULL, NULL, NULL, &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
    harness_teardown();
    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, NULL);
    http("POST", "/v1/backup", NULL, NULL, NULL, &r);
    assert_problem(&r, 503, "unavailable");
    ck_assert_msg(strstr(jstr(&r, "detail"), "--backup-dir"), "detail: %s", jstr(&r, "detail"));
    reply_free(&r);
}
END_TEST

/* Copy file from to to (the restore: crmd is stopped). */
static void
copy_file(const char *from, const char *to)
{
    char cmd[1024];

    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
    ck_assert_int_eq(system(cmd), 0);
}

START_TEST(backup_restores_the_same_data_and_the_feed_goes_on)
{
    const char *a = new_person_named("Before"), *b = new_person_named("Before");
    char ida[40], idb[40], idc[40], file[256], restored[256], cli[256], cmd[2048], cursor[128];
    json_t *ja, *jb, *changes, *items;
    struct reply r;
    struct stat st;
    struct server old;

    snprintf(ida, sizeof ida, "%s", a);
    snprintf(idb, sizeof idb, "%s", b);
    ja = fetch(pathf("/v1/customers/%s", ida));
    jb = fetch(pathf("/v1/customers/%s", idb));
    changes = fetch("/v1/changes?limit=100");
    snprintf(cursor, sizeof cursor, "%s", sget(changes, "next_cursor"));
    json_decref(changes);

    http("POST", "/v1/backup", NULL, NULL, NULL, &r);
    assert_json(&r, 200);
    ck_assert_msg(!strncmp(jstr(&r, "file"), "crmd-", 5) && strstr(jstr(&r, "file"), ".db"),
                  "file %s", jstr(&r, "file"));
    ck_assert_str_eq(jstr(&r, "integrity"), "ok");
    snprintf(file, sizeof file, "%s/backups/%s", dir, jstr(&r, "file"));
    ck_assert_int_eq(stat(file, &st), 0);
    ck_assert_int_eq(st.st_size, json_integer_value(json_object_get(r.json, "size")));
    reply_free(&r);
    /* another backup in the same second gets a name of its own (the random part differs) */
    http("POST", "/v1/backup", NULL, NULL, NULL, &r);
    assert_json(&r, 200);
    ck_assert_str_ne(jstr(&r, "file"), strrchr(file, '/') + 1);
    reply_free(&r);
    snprintf(idc, sizeof idc, "%s", new_person_named("After")); /* not in the backup */

    /* the CLI, against the running server */
    snprintf(cli, sizeof cli, "%s/cli.db", dir);
    snprintf(cmd, sizeof cmd, "'%s' backup --db '%s' --to '%s' >/dev/null", getenv("CRMD_BIN"),
             srv.db, cli);
    ck_assert_int_eq(system(cmd), 0);
    ck_assert_int_ne(system(cmd), 0); /* never overwrites */
    ck_assert_int_eq(stat(cli, &st), 0);

    /* restore: stop, copy the backup over a database file, start */
    old = srv;
    ck_assert_int_eq(server_stop(&srv), 0);
    snprintf(restored, sizeof restored, "%s/restored.db", dir);
    copy_file(file, restored);
    memset(&srv, 0, sizeof srv);
    snprintf(srv.key, sizeof srv.key, "%s", old.key); /* the key is in the backup too */
    snprintf(srv.auth, sizeof srv.auth, "%s", old.auth);
    server_start(&srv, restored, NULL);
    changes = fetch(pathf("/v1/customers/%s", ida));
    ck_assert_msg(json_equal(changes, ja), "customer a differs after the restore");
    json_decref(changes);
    changes = fetch(pathf("/v1/customers/%s", idb));
    ck_assert_msg(json_equal(changes, jb), "customer b differs after the restore");
    json_decref(changes);
    assert_gone(pathf("/v1/customers/%s", idc));
    /* the feed goes on from the cursor read before the backup */
    snprintf(idc, sizeof idc, "%s", new_person_named("Restored"));
    changes = fetch(pathf("/v1/changes?after=%s&limit=100", cursor));
    items = json_object_get(changes, "items");
    ck_assert_int_eq(json_array_size(items), 1);
    ck_assert_str_eq(sget(json_array_get(items, 0), "type"), "customer");
    ck_assert_str_eq(sget(json_array_get(items, 0), "id"), idc);
    json_decref(changes);
    json_decref(ja);
    json_decref(jb);
    /* the old server's directory: teardown removes srv.dir only */
    snprintf(cmd, sizeof cmd, "rm -rf %s", old.dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

Suite *
ops_suite(void)
{
    Suite *s = suite_create("ops");
    TCase *t = tcase_create("ops");

    tcase_add_checked_fixture(t, ops_setup, ops_teardown);
    tcase_set_timeout(t, 60);
    tcase_add_test(t, access_log_has_route_patterns_and_no_personal_data);
    tcase_add_test(t, access_log_status_filter_logs_only_errors);
    tcase_add_test(t, metrics_count_requests_by_route_and_status);
    tcase_add_test(t, metrics_show_the_webhook_backlog);
    tcase_add_test(t, stop_lets_a_request_under_way_finish);
    tcase_add_test(t, backup_endpoint_refuses_a_body_and_is_off_without_a_directory);
    tcase_add_test(t, backup_restores_the_same_data_and_the_feed_goes_on);
    suite_add_tcase(s, t);
    return s;
}
