/*
 * test_uuid: record ids are version-7 UUIDs (RFC 9562): the time stamp
 * in the first 48 bits, version and variant in place, random bits kept,
 * and ids made later sort after earlier ones.
 */
#include <check.h>
#include <string.h>
#include <time.h>

#include "unit_suites.h"
#include "util.h"

START_TEST(stamp_layout)
{
    /* 2026-11-23T17:00:00.123456789Z = 1795453200123 ms */
    struct timespec t = { .tv_sec = 1795453200, .tv_nsec = 123456789 };
    unsigned char u[16];

    memset(u, 0xff, sizeof u);
    util_uuid_v7_stamp(u, &t);
    unsigned long long ms = 0;
    for (int i = 0; i < 6; i++)
        ms = ms << 8 | u[i];
    ck_assert_uint_eq(ms, 1795453200123ull);
    ck_assert_uint_eq(u[6] >> 4, 7);                        /* version */
    ck_assert_uint_eq((unsigned)(u[6] & 0x0f) << 8 | u[7], /* 0.456789 ms in 1/4096 */
                      (456789u << 12) / 1000000u);
    ck_assert_uint_eq(u[8] >> 6, 2); /* variant 10 */
    ck_assert_uint_eq(u[8] & 0x3f, 0x3f);
    for (int i = 9; i < 16; i++)
        ck_assert_uint_eq(u[i], 0xff); /* the random bits are left alone */
}
END_TEST

START_TEST(stamp_fraction_bounds)
{
    struct timespec lo = { .tv_sec = 1, .tv_nsec = 0 }, hi = { .tv_sec = 1, .tv_nsec = 999999999 };
    unsigned char a[16] = { 0 }, b[16] = { 0 };

    util_uuid_v7_stamp(a, &lo);
    util_uuid_v7_stamp(b, &hi);
    ck_assert_uint_eq(a[6], 0x70);
    ck_assert_uint_eq(a[7], 0x00);
    ck_assert_uint_eq(b[6], 0x7f); /* 4095: never spills into the version nibble */
    ck_assert_uint_eq(b[7], 0xff);
    ck_assert_int_lt(memcmp(a, b, 16), 0);
}
END_TEST

START_TEST(ids_text_and_order)
{
    char a[UTIL_UUID_LEN + 1], b[UTIL_UUID_LEN + 1];

    util_uuid(a);
    ck_assert(util_is_uuid(a));
    ck_assert_int_eq(a[14], '7');
    ck_assert(strchr("89ab", a[19]) != NULL);
    nanosleep(&(struct timespec){ .tv_nsec = 2000000 }, NULL); /* a later ms: sorts after */
    util_uuid(b);
    ck_assert_int_lt(strcmp(a, b), 0);
    for (int i = 0; i < 1000; i++) { /* many ids in a row: all different */
        util_uuid(b);
        ck_assert_str_ne(a, b);
        ck_assert_int_eq(b[14], '7');
    }
}
END_TEST

Suite *
uuid_suite(void)
{
    Suite *s = suite_create("uuid");
    TCase *tc = tcase_create("v7");

    tcase_add_test(tc, stamp_layout);
    tcase_add_test(tc, stamp_fraction_bounds);
    tcase_add_test(tc, ids_text_and_order);
    suite_add_tcase(s, tc);
    return s;
}
