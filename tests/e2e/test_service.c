/*
 * test_service: crmd as a Linux service. SIGHUP reopens a renamed access
 * log (logrotate) and is harmless without one; log lines carry syslog
 * priorities and no timestamp when JOURNAL_STREAM names stderr; under a
 * (fake) systemd, NOTIFY_SOCKET receives READY=1, STATUS= and STOPPING=1,
 * and a graceful stop drains: /readyz answers 503 while /healthz and the
 * API still answer, for --drain-seconds (5 by default under systemd),
 * cut short by a second SIGTERM.
 */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "suites.h"

#define DRAIN_S 2 /* --drain-seconds of the drain test: long enough to look under load */

/* Each test starts its own server in a directory made here (harness_teardown removes it). */
static void
service_setup(void)
{
    char tmpl[] = "/tmp/crmd-svc-XXXXXX";

    memset(&srv, 0, sizeof srv);
    ck_assert_ptr_nonnull(mkdtemp(tmpl));
    snprintf(srv.dir, sizeof srv.dir, "%s", tmpl);
}

/* GET path with this X-Request-Id; the status. */
static long
get_with_id(const char *path, const char *rid)
{
    const char *hdr[] = { pathf("X-Request-Id: %s", rid), NULL };
    struct reply r;
    long status;

    http("GET", path, NULL, NULL, hdr, &r);
    status = r.status;
    reply_free(&r);
    return status;
}

/* Wait up to seconds for srv to exit: its exit status (fails the test on a signal or timeout). */
static int
await_exit(double seconds)
{
    double deadline = harness_now() + seconds;
    int st;
    pid_t w;

    while ((w = waitpid(srv.pid, &st, WNOHANG)) == 0 || (w < 0 && errno == EINTR)) {
        ck_assert_msg(harness_now() < deadline, "crmd did not exit within %.0f s", seconds);
        struct timespec pause = { 0, 10 * 1000 * 1000 };
        nanosleep(&pause, NULL);
    }
    srv.pid = 0; /* harness_teardown has nothing left to stop */
    ck_assert_msg(WIFEXITED(st), "crmd was killed by signal %d", WTERMSIG(st));
    return WEXITSTATUS(st);
}

START_TEST(sighup_reopens_a_renamed_access_log)
{
    char alog[320], rotated[330], env[340];
    const char *env_list[] = { env, NULL };
    struct stat st;

    snprintf(alog, sizeof alog, "%s/access.log", srv.dir);
    snprintf(rotated, sizeof rotated, "%s.1", alog);
    snprintf(env, sizeof env, "CRMD_ACCESS_LOG=%s", alog);
    server_start(&srv, NULL, env_list);
    ck_assert_int_eq(get_with_id("/healthz", "svc-before-rotate"), 200);
    harness_await_file(alog, "svc-before-rotate", 5000);

    ck_assert_int_eq(rename(alog, rotated), 0); /* what logrotate does, then its postrotate: */
    ck_assert_int_eq(kill(srv.pid, SIGHUP), 0);
    harness_await_log(&srv, "access log reopened", 5000);
    ck_assert_int_eq(get_with_id("/healthz", "svc-after-rotate"), 200);
    harness_await_file(alog, "svc-after-rotate", 5000);

    ck_assert_int_eq(stat(alog, &st), 0);
    ck_assert_msg((st.st_mode & 0777) == 0600, "new access log has mode %o, want 600",
                  (unsigned)(st.st_mode & 0777));
    ck_assert_int_eq(harness_file_count(alog, "svc-before-rotate", NULL, 0), 0);
    ck_assert_int_eq(harness_file_count(rotated, "svc-before-rotate", NULL, 0), 1);
    ck_assert_int_eq(harness_file_count(rotated, "svc-after-rotate", NULL, 0), 0);
    ck_assert_int_eq(kill(srv.pid, 0), 0); /* alive; the teardown asserts a clean exit */
}
END_TEST

START_TEST(sighup_without_access_log_file_is_harmless)
{
    server_start(&srv, NULL, NULL);
    ck_assert_int_eq(kill(srv.pid, SIGHUP), 0);
    harness_await_log(&srv, "SIGHUP: no access log file to reopen (--access-log off)", 5000);
    ck_assert_int_eq(get_with_id("/healthz", "svc-after-hup"), 200);
}
END_TEST

/* Every line of srv's log starts with a priority prefix <N> (0-7): none has a timestamp. */
static void
assert_log_all_prefixed(void)
{
    FILE *f = fopen(srv.log, "r");
    char line[4096];
    int n = 0;

    ck_assert_ptr_nonnull(f);
    while (fgets(line, sizeof line, f)) {
        n++;
        ck_assert_msg(line[0] == '<' && line[1] >= '0' && line[1] <= '7' && line[2] == '>',
                      "a journal line without a priority: %s", line);
    }
    fclose(f);
    ck_assert_int_gt(n, 1);
}

START_TEST(journal_lines_carry_priorities_and_no_timestamp)
{
    char logs[300], moved[310], env[340], last[1024];
    const char *env_list[] = { "JOURNAL_STREAM=stderr", env, NULL };

    snprintf(logs, sizeof logs, "%s/logs", srv.dir);
    snprintf(moved, sizeof moved, "%s.old", logs);
    ck_assert_int_eq(mkdir(logs, 0700), 0);
    snprintf(env, sizeof env, "CRMD_ACCESS_LOG=%s/access.log", logs);
    server_start(&srv, NULL, env_list);
    ck_assert_int_eq(harness_log_count(&srv, "crmd listening on", last, sizeof last), 1);
    ck_assert_msg(!strncmp(last, "<6>crmd listening on http://", 28), "info line: %s", last);

    /* an error: the access log's directory is gone, so SIGHUP cannot reopen it */
    ck_assert_int_eq(rename(logs, moved), 0);
    ck_assert_int_eq(kill(srv.pid, SIGHUP), 0);
    harness_await_log(&srv, "cannot be reopened", 5000);
    harness_log_count(&srv, "cannot be reopened", last, sizeof last);
    ck_assert_msg(!strncmp(last, "<3>--access-log ", 16), "error line: %s", last);
    assert_log_all_prefixed();
    /* lines go on to the old file */
    ck_assert_int_eq(get_with_id("/healthz", "svc-old-file"), 200);
    harness_await_file(pathf("%s/access.log", moved), "svc-old-file", 5000);
}
END_TEST

START_TEST(journal_stream_of_another_file_keeps_timestamps)
{
    const char *env_list[] = { "JOURNAL_STREAM=1:1", NULL }; /* stderr was redirected */
    char last[1024];

    server_start(&srv, NULL, env_list);
    ck_assert_int_eq(harness_log_count(&srv, " info crmd listening on", last, sizeof last), 1);
    ck_assert_msg(last[0] == '2' && last[19] == 'Z', "not a timestamp first: %s", last);
}
END_TEST

/* An AF_UNIX datagram socket at path, as systemd's NOTIFY_SOCKET; reads time out after 10 s. */
static int
notify_listen(const char *path)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    struct timeval tv = { 10, 0 };
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

    ck_assert_int_ge(fd, 0);
    ck_assert_uint_lt(strlen(path), sizeof a.sun_path);
    memcpy(a.sun_path, path, strlen(path) + 1); /* fits: checked above */
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
    return fd;
}

/* The next sd_notify message (static storage). */
static const char *
notify_next(int fd)
{
    static char msg[512];
    ssize_t n = recv(fd, msg, sizeof msg - 1, 0);

    ck_assert_msg(n > 0, "no sd_notify message within 10 s");
    msg[n] = '\0';
    return msg;
}

/* Start srv under a fake systemd (NOTIFY_SOCKET in srv.dir, more env); READY=1 checked. */
static int
start_notified(const char *extra_env)
{
    char path[300], env[320];
    const char *env_list[] = { env, extra_env, NULL };
    const char *msg;
    int fd;

    snprintf(path, sizeof path, "%s/notify", srv.dir);
    snprintf(env, sizeof env, "NOTIFY_SOCKET=%s", path);
    fd = notify_listen(path);
    server_start(&srv, NULL, env_list);
    msg = notify_next(fd);
    ck_assert_msg(strstr(msg, "READY=1\n") == msg, "first message: %s", msg);
    ck_assert_msg(strstr(msg, pathf("STATUS=serving on port %d, ", srv.port)) != NULL,
                  "no STATUS line: %s", msg);
    return fd;
}

START_TEST(notify_ready_then_drain_then_stopping)
{
    int fd = start_notified(pathf("CRMD_DRAIN_SECONDS=%d", DRAIN_S));
    double begun, deadline;
    struct reply r;
    long status;

    ck_assert_int_eq(kill(srv.pid, SIGTERM), 0);
    begun = harness_now();
    deadline = begun + DRAIN_S;
    do { /* the signal is handled at once: the drain begins */
        ck_assert_msg(harness_now() < deadline, "/readyz never answered 503 during the drain");
        http_get("/readyz", &r);
        status = r.status;
        if (status != 503)
            reply_free(&r);
    } while (status != 503);
    assert_problem(&r, 503, "unavailable");
    ck_assert_str_eq(jstr(&r, "detail"), "shutting down");
    reply_free(&r);
    ck_assert_int_eq(get_with_id("/healthz", "svc-live-in-drain"), 200); /* liveness */
    ck_assert_int_eq(get_with_id("/v1/customers?limit=1", "svc-api-in-drain"), 200);
    ck_assert_msg(harness_now() < deadline, "the checks took longer than the drain; retry");
    ck_assert_msg(strstr(notify_next(fd), "STOPPING=1\n") != NULL, "no STOPPING=1");

    ck_assert_int_eq(await_exit(DRAIN_S + 20), 0);
    ck_assert_msg(harness_now() - begun >= DRAIN_S - 0.1, "stopped after %.2f s, before the drain ended",
                  harness_now() - begun);
    ck_assert_int_eq(harness_log_count(&srv, pathf("draining for %d s", DRAIN_S), NULL, 0), 1);
    close(fd);
}
END_TEST

START_TEST(systemd_drains_5_s_by_default_and_a_second_sigterm_cuts_it_short)
{
    int fd = start_notified(NULL);
    double begun;

    ck_assert_int_eq(kill(srv.pid, SIGTERM), 0);
    harness_await_log(&srv, "draining for 5 s (--drain-seconds)", 5000);
    begun = harness_now();
    ck_assert_int_eq(kill(srv.pid, SIGTERM), 0);
    ck_assert_int_eq(await_exit(20), 0);
    ck_assert_msg(harness_now() - begun < 4, "the second SIGTERM did not cut the drain short");
    ck_assert_int_eq(harness_log_count(&srv, "during the drain: stopping now", NULL, 0), 1);
    close(fd);
}
END_TEST

Suite *
service_suite(void)
{
    Suite *s = suite_create("service");
    TCase *t = tcase_create("core");

    tcase_add_checked_fixture(t, service_setup, harness_teardown);
    tcase_set_timeout(t, 60);
    tcase_add_test(t, sighup_reopens_a_renamed_access_log);
    tcase_add_test(t, sighup_without_access_log_file_is_harmless);
    tcase_add_test(t, journal_lines_carry_priorities_and_no_timestamp);
    tcase_add_test(t, journal_stream_of_another_file_keeps_timestamps);
    tcase_add_test(t, notify_ready_then_drain_then_stopping);
    tcase_add_test(t, systemd_drains_5_s_by_default_and_a_second_sigterm_cuts_it_short);
    suite_add_tcase(s, t);
    return s;
}
