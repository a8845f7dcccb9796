/*
 * test_procstat: the process_* metrics. /proc/self/stat lines (command
 * names with spaces and parentheses, signed fields, short or damaged
 * lines), the boot time of /proc/stat, the rendering (unknown figures
 * left out) and one live reading of this very process.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "procstat.h"
#include "unit_suites.h"

/* After the name: state, then fields 4..24 of proc(5): utime 150, stime 50, starttime 12345,
 * vsize 396070912, rss 5956 pages; tpgid (field 8) is -1 as without a terminal. */
#define TAIL                                                                                       \
    " S 1 1138 1138 0 -1 4194560 2210 0 0 0 150 50 0 0 20 0 3 0 12345 396070912 5956 "             \
    "18446744073709551615 1 1 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"

static const struct {
    const char *text;
    long long btime;
    int rc;
    double cpu, start;
} stat_cases[] = {
    {"1138 (crmd)" TAIL, 1796000000, 0, 2.0, 1796000123.45},
    {"1138 (crmd worker) x) (y)" TAIL, 1796000000, 0, 2.0, 1796000123.45},
    {"1138 (crmd)" TAIL, -1, 0, 2.0, -1}, /* boot time unknown */
    {"1138 (crmd) S 1 1138 1138 0 -1 4194560 2210 0 0 0 150 50\n", 0, -1, -1, -1}, /* short */
    {"1138 (crmd) S 1 1138 1138 0 -1 4194560 2210 0 0 0 x 50 0 0 20 0 3 0 12345 1 1\n", 0, -1, -1,
     -1},                             /* not a number */
    {"1138 crmd S 1", 0, -1, -1, -1}, /* no name */
    {"1138 (crmd)", 0, -1, -1, -1},   /* nothing after it */
};

START_TEST(stat_lines)
{
    struct procstat ps;
    int rc;

    procstat_init(&ps);
    rc = procstat_parse_stat(stat_cases[_i].text, 100, 4096, stat_cases[_i].btime, &ps);
    ck_assert_int_eq(rc, stat_cases[_i].rc);
    ck_assert_double_eq_tol(ps.cpu_seconds, stat_cases[_i].cpu, 1e-9);
    ck_assert_double_eq_tol(ps.start_time, stat_cases[_i].start, 1e-3);
    ck_assert_int_eq(ps.virtual_bytes, rc == 0 ? 396070912LL : -1);
    ck_assert_int_eq(ps.resident_bytes, rc == 0 ? 5956LL * 4096 : -1);
    ck_assert_int_eq(ps.open_fds, -1); /* not in the text: untouched */
}
END_TEST

static const struct {
    const char *text;
    int rc;
    long long btime;
} btime_cases[] = {
    {"cpu  10 0 5 100\ncpu0 10 0 5 100\nintr 12 0 3\nctxt 99\nbtime 1796000000\nprocesses 7\n", 0,
     1796000000},
    {"btime 1796000000", 0, 1796000000},  /* the last line, no newline */
    {"cpu  1 2 3\nprocesses 7\n", -1, 0}, /* none */
    {"btime x\n", -1, 0},
    {"xbtime 5\n", -1, 0},
};

START_TEST(boot_time)
{
    long long b = 0;

    ck_assert_int_eq(procstat_parse_btime(btime_cases[_i].text, &b), btime_cases[_i].rc);
    ck_assert_int_eq(b, btime_cases[_i].btime);
}
END_TEST

START_TEST(render_leaves_out_the_unknown)
{
    struct procstat ps;
    struct buf b = {0};

    procstat_init(&ps);
    ps.cpu_seconds = 2.5;
    ps.resident_bytes = 24395776;
    ps.start_time = 1796000123.45;
    procstat_render(&ps, &b);
    buf_append(&b, "", 1);
    ck_assert_ptr_nonnull(strstr(b.data, "# TYPE process_cpu_seconds_total counter\n"
                                         "process_cpu_seconds_total 2.5\n"));
    ck_assert_ptr_nonnull(strstr(b.data, "# TYPE process_resident_memory_bytes gauge\n"
                                         "process_resident_memory_bytes 24395776\n"));
    ck_assert_ptr_nonnull(strstr(b.data, "\nprocess_start_time_seconds 1796000123.45\n"));
    ck_assert_ptr_null(strstr(b.data, "process_open_fds"));
    ck_assert_ptr_null(strstr(b.data, "process_virtual_memory_bytes"));
    ck_assert_ptr_null(strstr(b.data, "process_max_fds"));
    buf_release(&b);
}
END_TEST

/* This process, read from /proc: every figure known and plausible. */
START_TEST(live_reading)
{
    struct procstat ps;
    double now = (double)time(NULL);

    procstat_read(&ps);
    ck_assert_double_ge(ps.cpu_seconds, 0);
    ck_assert_int_gt(ps.resident_bytes, 0);
    ck_assert_int_ge(ps.virtual_bytes, ps.resident_bytes);
    ck_assert_int_ge(ps.open_fds, 3); /* stdin, stdout, stderr */
    ck_assert_int_ge(ps.max_fds, ps.open_fds);
    ck_assert_double_le(ps.start_time, now + 1);
    ck_assert_double_ge(ps.start_time, now - 3600); /* this test started a moment ago */
}
END_TEST

Suite *
procstat_suite(void)
{
    Suite *s = suite_create("procstat");
    TCase *tc = tcase_create("parse");

    tcase_add_loop_test(tc, stat_lines, 0, sizeof stat_cases / sizeof stat_cases[0]);
    tcase_add_loop_test(tc, boot_time, 0, sizeof btime_cases / sizeof btime_cases[0]);
    tcase_add_test(tc, render_leaves_out_the_unknown);
    tcase_add_test(tc, live_reading);
    suite_add_tcase(s, tc);
    return s;
}
