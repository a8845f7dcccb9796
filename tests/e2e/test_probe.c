/*
 * test_probe: `crmd --probe`, the container health check, against a real
 * server: 0 when /readyz answers 200 (port from the flag, CRMD_PORT or a
 * URL), 1 when it answers otherwise, refuses, or hangs past --timeout, 2 on
 * bad usage; and the version line. Runs the binary directly with a deadline.
 */
#define _DEFAULT_SOURCE /* putenv */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct run {
    int status;    /* exit code, 128 + signal */
    double secs;   /* wall time */
    char out[8192]; /* stdout and stderr, cut */
};

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run $CRMD_BIN with args (NULL-terminated) and extra env; killed after 20 s. */
static void
run_crmd(const char *const *args, const char *const *env, struct run *r)
{
    const char *argv[12];
    double start = now_s();
    int fds[2], st = 0, n = 0;
    ssize_t got;
    size_t len = 0;
    pid_t pid;

    argv[n++] = getenv("CRMD_BIN");
    ck_assert_ptr_nonnull(argv[0]);
    for (; args && *args && n < 11; args++)
        argv[n++] = *args;
    argv[n] = NULL;
    ck_assert_int_eq(pipe(fds), 0);
    fflush(NULL);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        close(fds[0]);
        unsetenv("CRMD_PORT");
        unsetenv("CRMD_LISTEN");
        unsetenv("CRMD_TLS_CERT");
        for (const char *const *x = env; x && *x; x++)
            putenv((char *)*x);
        alarm(20);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(fds[1]);
    while ((got = read(fds[0], r->out + len, sizeof r->out - 1 - len)) > 0 ||
           (got < 0 && errno == EINTR))
        len += got > 0 ? (size_t)got : 0;
    r->out[len] = '\0';
    close(fds[0]);
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r->secs = now_s() - start;
}

static const char *
port_arg(int port)
{
    static char buf[16];

    snprintf(buf, sizeof buf, "%d", port);
    return buf;
}

START_TEST(ready_server_exits_0)
{
    const char *args[] = { "--probe", "--port", port_arg(srv.port), NULL };
    struct run r;

    run_crmd(args, NULL, &r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.out);
    ck_assert_ptr_nonnull(strstr(r.out, "/readyz answered 200"));
}
END_TEST

START_TEST(port_from_environment_and_url)
{
    static char env_port[32], url[64];
    const char *env[] = { env_port, "CRMD_LISTEN=0.0.0.0", NULL };
    const char *no_args[] = { "--probe", NULL };
    const char *url_args[] = { "--probe", "--timeout=2", url, NULL };
    struct run r;

    snprintf(env_port, sizeof env_port, "CRMD_PORT=%d", srv.port);
    run_crmd(no_args, env, &r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.out);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/readyz", srv.port);
    run_crmd(url_args, NULL, &r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.out);
}
END_TEST

START_TEST(other_status_exits_1)
{
    static char url[64];
    const char *args[] = { "--probe", url, NULL };
    struct run r;

    /* no route: 404 before any API key is asked for */
    snprintf(url, sizeof url, "http://127.0.0.1:%d/v1/nobody", srv.port);
    run_crmd(args, NULL, &r);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(r.out, "answered 404: not ready") != NULL, "%s", r.out);
}
END_TEST

START_TEST(stopped_server_exits_1)
{
    const char *args[] = { "--probe", "--port", NULL, NULL };
    struct server own = { 0 };
    char cmd[300];
    struct run r;

    server_start(&own, NULL, NULL);
    args[2] = port_arg(own.port);
    run_crmd(args, NULL, &r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.out);
    ck_assert_int_eq(server_stop(&own), 0);
    run_crmd(args, NULL, &r);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(r.out, "no answer") != NULL, "%s", r.out);
    snprintf(cmd, sizeof cmd, "rm -rf %s", own.dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* A socket that accepts connections (the kernel's backlog) but never answers. */
START_TEST(silent_server_times_out)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t alen = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    const char *args[] = { "--probe", "--timeout", "1", "--port", NULL, NULL };
    struct run r;

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(listen(fd, 4), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
    args[4] = port_arg(ntohs(a.sin_port));
    run_crmd(args, NULL, &r);
    close(fd);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(r.secs >= 0.9 && r.secs < 5, "took %.2f s", r.secs);
    ck_assert_msg(strstr(r.out, "no answer") != NULL, "%s", r.out);
}
END_TEST

static const char *const bad_usage[][4] = {
    { "--probe", "--port", "0", NULL },     { "--probe", "--port", "65536", NULL },
    { "--probe", "--port", NULL },          { "--probe", "--timeout", "0", NULL },
    { "--probe", "--timeout=301", NULL },   { "--probe", "--bogus", NULL },
    { "--probe", "http://a/", "http://b/", NULL },
};

START_TEST(bad_usage_exits_2)
{
    struct run r;

    run_crmd(bad_usage[_i], NULL, &r);
    ck_assert_msg(r.status == 2, "exit %d: %s", r.status, r.out);
    ck_assert_ptr_nonnull(strstr(r.out, "crmd --probe"));
}
END_TEST

START_TEST(bad_environment_port_exits_2)
{
    const char *env[] = { "CRMD_PORT=eighty", NULL };
    const char *args[] = { "--probe", NULL };
    struct run r;

    run_crmd(args, env, &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.out, "CRMD_PORT"));
}
END_TEST

START_TEST(help_and_version)
{
    const char *help[] = { "--probe", "--help", NULL };
    const char *version[] = { "--version", NULL };
    const char *main_help[] = { "--help", NULL };
    unsigned a, b, c;
    struct run r;

    run_crmd(help, NULL, &r);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "usage: crmd --probe"));
    run_crmd(main_help, NULL, &r);
    ck_assert_int_eq(r.status, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "crmd --probe [--port N] [--timeout S] [URL]"));
    run_crmd(version, NULL, &r);
    ck_assert_int_eq(r.status, 0);
    ck_assert_msg(sscanf(r.out, "crmd %u.%u.%u", &a, &b, &c) == 3, "version line: %s", r.out);
}
END_TEST

Suite *
probe_suite(void)
{
    Suite *s = suite_create("probe");
    TCase *tc = tcase_create("probe");

    tcase_add_unchecked_fixture(tc, harness_setup, harness_teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, ready_server_exits_0);
    tcase_add_test(tc, port_from_environment_and_url);
    tcase_add_test(tc, other_status_exits_1);
    tcase_add_test(tc, stopped_server_exits_1);
    tcase_add_test(tc, silent_server_times_out);
    tcase_add_loop_test(tc, bad_usage_exits_2, 0, N(bad_usage));
    tcase_add_test(tc, bad_environment_port_exits_2);
    tcase_add_test(tc, help_and_version);
    suite_add_tcase(s, tc);
    return s;
}
