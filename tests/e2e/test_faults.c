/*
 * test_faults: the failure paths on a bad day, walked on every host with
 * the server's fault injection (server/faultvfs.c: CRMD_FAULTS, switched
 * on and off at run time by the file CRMD_FAULTS_WHILE names). A busy
 * database answers 503 with Retry-After and writes nothing; an I/O error
 * on a read answers 500 whose body names only the request id while the log
 * names the cause; a full disk (SQLITE_FULL) answers 507; a failing backup
 * step answers its documented error and leaves no partial file, and the
 * next backup works; an audit queue that overflows leaves its
 * audit.dropped record.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "suites.h"

#define FAULT_READ_TRIES 20 /* GETs until one misses the page cache and reads the file */

static char dir[64], armed[96], env_faults[160], env_while[128], env_backups[128];

/*
 * Start srv with CRMD_FAULTS=faults and the arm file in a fresh directory. One worker thread:
 * its connection opens before a test arms the faults (a connection that cannot be opened
 * answers 503 "cannot be opened", not the fault under test).
 */
static void
start(const char *faults)
{
    const char *env[] = { env_faults, env_while, "CRMD_BUSY_TIMEOUT=100", "CRMD_THREADS=1",
                          env_backups, NULL };

    snprintf(dir, sizeof dir, "/tmp/crmd-faults-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(armed, sizeof armed, "%s/armed", dir);
    snprintf(env_faults, sizeof env_faults, "CRMD_FAULTS=%s", faults);
    snprintf(env_while, sizeof env_while, "CRMD_FAULTS_WHILE=%s", armed);
    snprintf(env_backups, sizeof env_backups, "CRMD_BACKUP_DIR=%s/backups", dir);
    ck_assert_int_eq(system(pathf("mkdir '%s/backups'", dir)), 0);
    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, env);
    ck_assert_int_eq(harness_log_count(&srv, "fault injection is ON", NULL, 0), 1);
}

static void
stop(void)
{
    ck_assert_int_eq(server_stop(&srv), 0);
    ck_assert_int_eq(system(pathf("rm -rf '%s' '%s'", dir, srv.dir)), 0);
}

static void
arm(int on)
{
    if (on)
        close(open(armed, O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
    else
        ck_assert_int_eq(unlink(armed), 0);
}

/* One number from the server's database (read-only, while it runs or after). */
static long long
sql_int(const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    long long n = -1;

    ck_assert_int_eq(sqlite3_open_v2(srv.db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return n;
}

static long
post_person(const char *family, struct reply *r)
{
    http_json("POST", "/v1/customers",
              pathf("{\"kind\":\"person\",\"given_name\":\"Fault\",\"family_name\":\"%s\"}", family),
              r);
    return r->status;
}

START_TEST(busy_write_is_503_with_retry_after)
{
    struct reply r;
    const char *id;

    start("busy:lock");
    id = new_person_named("Before");
    arm(1);
    ck_assert_int_eq(post_person("Busy", &r), 503);
    assert_problem(&r, 503, "unavailable");
    ck_assert_str_eq(reply_header(&r, "Retry-After"), "1");
    reply_free(&r);
    http_json("PATCH", pathf("/v1/customers/%s", id), "{\"notes\":\"busy\"}", &r);
    assert_problem(&r, 503, "unavailable");
    ck_assert_str_eq(reply_header(&r, "Retry-After"), "1");
    reply_free(&r);
    json_decref(fetch(pathf("/v1/customers/%s", id))); /* reads go on */
    ck_assert_int_ge(harness_log_count(&srv, "database busy", NULL, 0), 2);
    arm(0);
    ck_assert_int_eq(post_person("After", &r), 201);
    reply_free(&r);
    /* nothing of the refused writes is there */
    ck_assert_int_eq(sql_int("SELECT count(*) FROM customers"), 2);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM customers WHERE notes = 'busy' "
                             "OR family_name = 'Busy'"),
                     0);
    stop();
}
END_TEST

START_TEST(read_ioerr_is_500_naming_only_the_request)
{
    struct reply r;
    const char *id;
    char line[1024];
    int i;

    start("ioerr:read");
    id = new_person_named("Reader");
    for (i = 0; i < 3; i++)
        new_person_named("Other");
    /* the audit writer's commit after the worker's last one: the worker's page cache is stale,
     * so its next read goes to the file (where the fault waits) */
    for (i = 0; i < 100 && sql_int("SELECT count(*) FROM audit WHERE method = 'POST'") < 4; i++)
        usleep(20 * 1000);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM audit WHERE method = 'POST'"), 4);
    arm(1);
    for (i = 0; i < FAULT_READ_TRIES; i++) {
        http_get(pathf("/v1/customers/%s", id), &r);
        ck_assert_msg(r.status == 200 || r.status == 500, "GET on a failing read: %ld %s",
                      r.status, r.body);
        if (r.status == 500)
            break;
        reply_free(&r);
        usleep(50 * 1000);
    }
    ck_assert_msg(i < FAULT_READ_TRIES, "no read reached the file in %d tries", i);
    assert_problem(&r, 500, "internal");
    ck_assert_ptr_nonnull(r.request_id);
    ck_assert_str_eq(jstr(&r, "detail"),
                     pathf("An internal error occurred; quote request id %s when reporting it.",
                           r.request_id));
    {
        const char *leaks[] = { "I/O", "sqlite", "SELECT", "errno", srv.db };
        for (size_t k = 0; k < sizeof leaks / sizeof *leaks; k++)
            ck_assert_msg(!strcasestr(r.body, leaks[k]), "the 500 shows '%s': %s", leaks[k], r.body);
    }
    /* the log says what happened, under the same request id */
    ck_assert_int_eq(harness_log_count(&srv, pathf("request %s: internal error", r.request_id),
                                       line, sizeof line),
                     1);
    ck_assert_msg(strstr(line, "disk I/O error") && strstr(line, "(266,"), "log: %s", line);
    reply_free(&r);
    arm(0);
    json_decref(fetch(pathf("/v1/customers/%s", id)));
    stop();
}
END_TEST

START_TEST(full_disk_is_507)
{
    struct reply r;
    const char *id;

    start("full:write~-wal");
    id = new_person_named("Roomy");
    arm(1);
    ck_assert_int_eq(post_person("Full", &r), 507);
    assert_problem(&r, 507, "insufficient-storage");
    ck_assert_ptr_nonnull(strstr(jstr(&r, "detail"), "is full; nothing was written"));
    reply_free(&r);
    json_decref(fetch(pathf("/v1/customers/%s", id)));
    ck_assert_int_ge(harness_log_count(&srv, "storage full at", NULL, 0), 1);
    arm(0);
    ck_assert_int_eq(post_person("Freed", &r), 201);
    reply_free(&r);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM customers WHERE family_name = 'Full'"), 0);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM customers"), 2);
    stop();
}
END_TEST

/* A backup whose first write to its temporary file fails with rule: status, no file; then 200. */
static void
backup_fails_once(const char *rule, long status, const char *slug)
{
    struct reply r;

    start(rule);
    new_person_named("Backed");
    arm(1);
    http("POST", "/v1/backup", NULL, NULL, NULL, &r);
    assert_problem(&r, status, slug);
    reply_free(&r);
    ck_assert_int_eq(system(pathf("test -z \"$(ls -A '%s/backups')\"", dir)), 0);
    ck_assert_int_eq(harness_log_count(&srv, "backup", NULL, 0) >= 1, 1);
    http("POST", "/v1/backup", NULL, NULL, NULL, &r); /* the fault was one write: this works */
    assert_json(&r, 200);
    ck_assert_str_eq(jstr(&r, "integrity"), "ok");
    ck_assert_int_eq(access(pathf("%s/backups/%s", dir, jstr(&r, "file")), F_OK), 0);
    reply_free(&r);
    stop();
}

START_TEST(failing_backup_step_leaves_nothing)
{
    backup_fails_once("ioerr:write@1+1~.tmp-", 500, "internal");
    backup_fails_once("full:write@1+1~.tmp-", 507, "insufficient-storage");
}
END_TEST

START_TEST(audit_overflow_is_recorded)
{
    struct reply r;
    long long dropped, kept;
    int n = 40;

    start("busy:lock,audit-queue=8");
    arm(1); /* the audit writer cannot write: its queue fills up */
    for (int i = 0; i < n; i++) {
        http_get("/v1/customers?limit=1", &r);
        assert_json(&r, 200);
        reply_free(&r);
    }
    arm(0);
    harness_await_log(&srv, "records dropped: the queue was full", 5000);
    ck_assert_int_eq(server_stop(&srv), 0);
    dropped = sql_int("SELECT sum(status) FROM audit WHERE route = 'audit.dropped'");
    kept = sql_int("SELECT count(*) FROM audit WHERE route = '/v1/customers' AND method = 'GET'");
    ck_assert_int_gt(dropped, 0);
    ck_assert_int_le(kept, n - dropped);
    ck_assert_msg(dropped + kept == n, "%lld dropped + %lld written != %d requests", dropped,
                  kept, n);
    ck_assert_int_eq(system(pathf("rm -rf '%s' '%s'", dir, srv.dir)), 0);
}
END_TEST

START_TEST(bad_faults_refuse_to_start)
{
    char cmd[512];

    snprintf(cmd, sizeof cmd,
             "CRMD_FAULTS='slow:read' \"$CRMD_BIN\" --db /tmp/crmd-faults-bad.db --port 0 "
             ">/dev/null 2>&1; test $? -eq 2");
    ck_assert_int_eq(system(cmd), 0);
    unlink("/tmp/crmd-faults-bad.db");
}
END_TEST

Suite *
faults_suite(void)
{
    Suite *s = suite_create("faults");
    TCase *tc = tcase_create("faults");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, busy_write_is_503_with_retry_after);
    tcase_add_test(tc, read_ioerr_is_500_naming_only_the_request);
    tcase_add_test(tc, full_disk_is_507);
    tcase_add_test(tc, failing_backup_step_leaves_nothing);
    tcase_add_test(tc, audit_overflow_is_recorded);
    tcase_add_test(tc, bad_faults_refuse_to_start);
    suite_add_tcase(s, tc);
    return s;
}
