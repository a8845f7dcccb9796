/*
 * test_log: the log line (log_format) with crmd's timestamp and level, or
 * with a syslog priority prefix and no timestamp for the journal, long
 * messages cut to one line; and the JOURNAL_STREAM check
 * (log_journal_match) that stderr is the journal's stream.
 */
#include <check.h>
#include <string.h>

#include "log.h"
#include "unit_suites.h"

START_TEST(terminal_line_has_time_and_level)
{
    char out[LOG_LINE_MAX];
    size_t len = log_format(LOG_WARN, 0, 1700000000, "disk almost full", out);

    ck_assert_str_eq(out, "2023-11-14T22:13:20Z warn disk almost full\n");
    ck_assert_uint_eq(len, strlen(out));
}
END_TEST

START_TEST(journal_line_has_priority_and_no_time)
{
    char out[LOG_LINE_MAX];

    log_format(LOG_ERROR, 1, 1700000000, "cannot listen", out);
    ck_assert_str_eq(out, "<3>cannot listen\n");
    log_format(LOG_WARN, 1, 1700000000, "slow", out);
    ck_assert_str_eq(out, "<4>slow\n");
    log_format(LOG_INFO, 1, 1700000000, "listening", out);
    ck_assert_str_eq(out, "<6>listening\n");
    ck_assert_uint_eq(log_format(LOG_DEBUG, 1, 0, "detail", out), 10);
    ck_assert_str_eq(out, "<7>detail\n");
}
END_TEST

START_TEST(long_message_stays_one_line)
{
    char msg[2000], out[LOG_LINE_MAX];
    size_t len;

    memset(msg, 'x', sizeof msg - 1);
    msg[sizeof msg - 1] = '\0';
    len = log_format(LOG_INFO, 0, 0, msg, out);
    ck_assert_uint_eq(len, LOG_LINE_MAX - 1);
    ck_assert_uint_eq(strlen(out), len);
    ck_assert_int_eq(out[len - 1], '\n');
    ck_assert_ptr_null(memchr(out, '\n', len - 1));
}
END_TEST

START_TEST(journal_stream_must_name_stderr)
{
    ck_assert_int_eq(log_journal_match("2049:1234567", 2049, 1234567), 1);
    ck_assert_int_eq(log_journal_match("18446744073709551615:1", (dev_t)-1, 1), 1);
    ck_assert_int_eq(log_journal_match(NULL, 2049, 1234567), 0);
    ck_assert_int_eq(log_journal_match("", 2049, 1234567), 0);
    ck_assert_int_eq(log_journal_match("2049:1234568", 2049, 1234567), 0); /* redirected */
    ck_assert_int_eq(log_journal_match("2050:1234567", 2049, 1234567), 0);
    ck_assert_int_eq(log_journal_match("2049:1234567x", 2049, 1234567), 0);
    ck_assert_int_eq(log_journal_match("2049", 2049, 1234567), 0);
    ck_assert_int_eq(log_journal_match("2049;1234567", 2049, 1234567), 0);
}
END_TEST

Suite *
log_suite(void)
{
    Suite *s = suite_create("log");
    TCase *t = tcase_create("core");

    tcase_add_test(t, terminal_line_has_time_and_level);
    tcase_add_test(t, journal_line_has_priority_and_no_time);
    tcase_add_test(t, long_message_stays_one_line);
    tcase_add_test(t, journal_stream_must_name_stderr);
    suite_add_tcase(s, t);
    return s;
}
