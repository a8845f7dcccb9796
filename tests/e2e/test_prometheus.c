/*
 * test_prometheus: GET /metrics as an operator's Prometheus reads it.
 * After real traffic (webhook deliveries that succeed, fail with a status,
 * time out and find nobody; imports with an error line, atomic or not; a
 * backup) `promtool check metrics` finds nothing, and the counters moved
 * by what happened. The process_* figures and crmd_build_info describe
 * this very server; the time of the last backup survives a restart.
 */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <fcntl.h>
#include <microhttpd.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "metrics_client.h"
#include "receiver.h"
#include "suites.h"

#define NDJSON "application/x-ndjson"
#define SECRET "prometheus-secret-0123456789"
#define WAIT_S 10.0
#define DELIVERIES "crmd_webhook_deliveries_total"
#define LINES "crmd_import_lines_total"
#define BACKUP_TS "crmd_backup_last_success_timestamp_seconds"

static char dir[300]; /* --backup-dir: in the server's directory, which teardown removes */
static char env_dir[340];
static const char *const env[] = { env_dir,
                                   "CRMD_WEBHOOK_BACKOFF_MS=100",
                                   "CRMD_WEBHOOK_BACKOFF_MAX_MS=300",
                                   "CRMD_WEBHOOK_TIMEOUT=1",
                                   "CRMD_WEBHOOK_CONNECT_TIMEOUT=1",
                                   NULL };

static void
prom_setup(void)
{
    char tmpl[] = "/tmp/crmd-prom-XXXXXX";

    memset(&srv, 0, sizeof srv);
    ck_assert_ptr_nonnull(mkdtemp(tmpl));
    snprintf(srv.dir, sizeof srv.dir, "%s", tmpl); /* server_start keeps a directory it is given */
    snprintf(dir, sizeof dir, "%s/backups", srv.dir);
    ck_assert_int_eq(mkdir(dir, 0700), 0);
    snprintf(env_dir, sizeof env_dir, "CRMD_BACKUP_DIR=%s", dir);
    server_start(&srv, NULL, env);
}

/* The sample family{outcome="outcome"} now (-1 when absent). */
static double
value_of(const char *family, const char *outcome)
{
    char series[160];

    snprintf(series, sizeof series, "%s{outcome=\"%s\"}", family, outcome);
    return metrics_value(series);
}

/* Wait until family{outcome="outcome"} reaches at least want. */
static void
await_at_least(const char *family, const char *outcome, double want)
{
    double deadline = harness_now() + WAIT_S, v;

    while ((v = value_of(family, outcome)) < want) {
        ck_assert_msg(harness_now() < deadline, "%s %s stayed at %g, not %g", family, outcome, v,
                      want);
        nanosleep(&(struct timespec){ 0, 20000000L }, NULL);
    }
}

/* A subscription to customer.created at url; its id (static storage). */
static const char *
hook_at(const char *url)
{
    static char id[40];
    struct reply r;

    http_json("POST", "/v1/webhooks",
              pathf("{\"url\": \"%s\", \"events\": [\"customer.created\"], \"secret\": \"%s\"}",
                    url, SECRET),
              &r);
    assert_json(&r, 201);
    snprintf(id, sizeof id, "%s", jstr(&r, "id"));
    reply_free(&r);
    return id;
}

/* One subscription at url and one new customer: wait until outcome counted once more. */
static void
deliver_until(const char *url, const char *outcome)
{
    double before = value_of(DELIVERIES, outcome);
    const char *hook = hook_at(url);
    struct reply r;

    new_person_named("Prometheus");
    await_at_least(DELIVERIES, outcome, before + 1);
    http("DELETE", pathf("/v1/webhooks/%s", hook), NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    reply_free(&r);
}

/* Three customer lines, the third without a kind; atomic or not. The report's status. */
static long
import_with_an_error(int atomic)
{
    const char *t = uniq("P");
    struct reply r;
    long status;

    http("POST", atomic ? "/v1/import?atomic=true" : "/v1/import", NDJSON,
         pathf("{\"type\":\"customer\",\"external_ref\":{\"system\":\"dms\",\"id\":\"A-%s\"},"
               "\"kind\":\"person\",\"family_name\":\"Import\"}\n"
               "{\"type\":\"customer\",\"external_ref\":{\"system\":\"dms\",\"id\":\"B-%s\"},"
               "\"kind\":\"person\",\"family_name\":\"Import\"}\n"
               "{\"type\":\"customer\",\"external_ref\":{\"system\":\"dms\",\"id\":\"C-%s\"}}\n",
               t, t, t),
         NULL, &r);
    status = r.status;
    reply_free(&r);
    return status;
}

/* promtool check metrics on text: what it printed (caller frees), "" when clean. */
static char *
promtool(const char *text)
{
    char path[340], cmd[420], *out = calloc(1, 8192);
    FILE *f, *p;
    size_t n;

    snprintf(path, sizeof path, "%s/metrics.txt", dir);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "promtool check metrics < %s 2>&1; echo \"exit $?\"", path);
    p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    n = fread(out, 1, 8191, p);
    out[n] = '\0';
    pclose(p);
    ck_assert_msg(strstr(out, "exit 0\n") != NULL, "promtool failed: %s", out);
    *strstr(out, "exit 0\n") = '\0';
    return out;
}

START_TEST(promtool_is_clean_after_traffic_and_counters_move)
{
    double created, errors, t0;
    char *text, *lint;
    struct reply r;

    receiver_start();
    /* a 500, then the retry gets a 2xx; 1.5 s against a 1 s timeout; connection refused */
    receiver_fail_next(1, 500);
    deliver_until(receiver_url("main"), "delivered");
    ck_assert_double_eq(value_of(DELIVERIES, "http_error"), 1);
    deliver_until(receiver_url("slow"), "timeout");
    deliver_until("http://127.0.0.1:1/refused", "network_error");
    receiver_stop();

    created = value_of(LINES, "created");
    errors = value_of(LINES, "error");
    ck_assert_int_eq(import_with_an_error(0), 200);
    ck_assert_double_eq(value_of(LINES, "created"), created + 2);
    ck_assert_double_eq(value_of(LINES, "error"), errors + 1);
    /* atomic: the good lines were rolled back, only the error stands */
    ck_assert_int_eq(import_with_an_error(1), 422);
    ck_assert_double_eq(value_of(LINES, "created"), created + 2);
    ck_assert_double_eq(value_of(LINES, "error"), errors + 2);
    ck_assert_double_eq(value_of(LINES, "updated"), 0);
    ck_assert_double_eq(value_of(LINES, "unchanged"), 0);

    ck_assert_double_eq(metrics_value(BACKUP_TS), 0); /* no backup yet */
    t0 = (double)time(NULL);
    http("POST", "/v1/backup", NULL, NULL, NULL, &r);
    assert_json(&r, 200);
    reply_free(&r);
    ck_assert_double_ge(metrics_value(BACKUP_TS), t0);
    ck_assert_double_le(metrics_value(BACKUP_TS), (double)time(NULL));

    text = metrics_scrape();
    lint = promtool(text);
    ck_assert_msg(lint[0] == '\0', "promtool check metrics: %s", lint);
    ck_assert_ptr_nonnull(strstr(text, "# TYPE crmd_webhook_deliveries_total counter\n"));
    ck_assert_ptr_nonnull(strstr(text, "# TYPE crmd_import_lines_total counter\n"));
    ck_assert_ptr_nonnull(strstr(text, "# TYPE process_cpu_seconds_total counter\n"));
    free(lint);
    free(text);
}
END_TEST

/* The process_* figures are this server's; crmd_build_info names its libraries. */
START_TEST(process_figures_and_build_info_describe_this_server)
{
    char *text = metrics_scrape(), series[256], version[64] = "", line[128];
    double now = (double)time(NULL), started;
    FILE *p;

    started = metrics_sample(text, "process_start_time_seconds");
    ck_assert_double_le(started, now + 1);
    ck_assert_double_ge(started, now - 120); /* the fixture started it a moment ago */
    ck_assert_double_gt(metrics_sample(text, "process_resident_memory_bytes"), 1 << 20);
    ck_assert_double_ge(metrics_sample(text, "process_virtual_memory_bytes"),
                        metrics_sample(text, "process_resident_memory_bytes"));
    ck_assert_double_ge(metrics_sample(text, "process_cpu_seconds_total"), 0);
    /* the database, its WAL, the listener and the scrape's connection at least */
    ck_assert_double_ge(metrics_sample(text, "process_open_fds"), 4);
    ck_assert_double_ge(metrics_sample(text, "process_max_fds"),
                        metrics_sample(text, "process_open_fds"));
    /* crmd --version prints "crmd VERSION" */
    p = popen(pathf("%s --version", getenv("CRMD_BIN")), "r");
    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, p));
    pclose(p);
    ck_assert_int_eq(sscanf(line, "crmd %63s", version), 1);
    /* the test links the same shared libraries the server does */
    snprintf(series, sizeof series,
             "crmd_build_info{version=\"%s\",sqlite=\"%s\",libmicrohttpd=\"%s\"}", version,
             sqlite3_libversion(), MHD_get_version());
    ck_assert_msg(metrics_sample(text, series) == 1, "no %s in %s", series, text);
    free(text);
}
END_TEST

/* After a restart the gauge shows the newest complete backup in --backup-dir. */
START_TEST(last_backup_time_survives_a_restart)
{
    char tmp[400];
    struct stat st;
    struct reply r;
    FILE *f;

    http("POST", "/v1/backup", NULL, NULL, NULL, &r);
    assert_json(&r, 200);
    ck_assert_int_eq(stat(pathf("%s/%s", dir, jstr(&r, "file")), &st), 0);
    reply_free(&r);
    /* a copy under way (or left by a crash) is newer but not a backup */
    snprintf(tmp, sizeof tmp, "%s/crmd-20991231T000000Z-00000000.db.tmp-0badc0de", dir);
    f = fopen(tmp, "w");
    ck_assert_ptr_nonnull(f);
    fclose(f);
    ck_assert_int_eq(
        utimensat(AT_FDCWD, tmp,
                  (struct timespec[]){{st.st_mtime + 3600, 0}, {st.st_mtime + 3600, 0}}, 0),
        0);
    ck_assert_int_eq(server_stop(&srv), 0);
    server_start(&srv, NULL, env); /* the same database */
    ck_assert_double_eq(metrics_value(BACKUP_TS), (double)st.st_mtime);
}
END_TEST

Suite *
prometheus_suite(void)
{
    Suite *s = suite_create("prometheus");
    TCase *t = tcase_create("prometheus");

    tcase_add_checked_fixture(t, prom_setup, harness_teardown);
    tcase_set_timeout(t, 60);
    tcase_add_test(t, promtool_is_clean_after_traffic_and_counters_move);
    tcase_add_test(t, process_figures_and_build_info_describe_this_server);
    tcase_add_test(t, last_backup_time_survives_a_restart);
    suite_add_tcase(s, t);
    return s;
}
