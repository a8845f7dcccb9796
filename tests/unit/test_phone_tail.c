/*
 * test_phone_tail: the reversed-digit keys of stored numbers, typed tails
 * (4-15 digits with spaces, slashes, hyphens) and the range's upper bound.
 */
#include <check.h>
#include <string.h>

#include "phone_tail.h"
#include "unit_suites.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
    const char *in;
    const char *want; /* NULL: -1 */
    size_t outsz;     /* 0: PHONE_TAIL_KEY_MAX */
} key_cases[] = {
    { "+491714432022", "220234417194", 0 },
    { "+4315551234", "4321555134", 0 },
    { "+123456789012345", "543210987654321", 0 },
    { "+1234567890123456", NULL, 0 },  /* 16 digits: no E.164 number */
    { "+", NULL, 0 },
    { "", NULL, 0 },
    { "+49 171", NULL, 0 },            /* only the digits of E.164 */
    { "+491714432022", NULL, 12 },     /* no room for the NUL */
    { "+491714432022", "220234417194", 13 },
};

START_TEST(key)
{
    char out[64];
    size_t outsz = key_cases[_i].outsz ? key_cases[_i].outsz : PHONE_TAIL_KEY_MAX;
    int rc = phone_tail_key(key_cases[_i].in, out, outsz);

    if (!key_cases[_i].want) {
        ck_assert_msg(rc == -1 && out[0] == '\0', "%s: %d \"%s\"", key_cases[_i].in, rc, out);
        return;
    }
    ck_assert_msg(rc == 0, "%s: %d", key_cases[_i].in, rc);
    ck_assert_str_eq(out, key_cases[_i].want);
}
END_TEST

static const struct {
    const char *q;
    const char *want; /* NULL: not a tail */
} query_cases[] = {
    { "4567", "7654" },
    { "12 34 567", "7654321" },
    { "1234567", "7654321" },
    { "32/09-4410", "01449023" },
    { "2022", "2202" },
    { "123", NULL },                  /* 3 digits: too many numbers end so */
    { "1 2 3", NULL },
    { "123456789012345", "543210987654321" },
    { "1234567890123456", NULL },     /* longer than any number */
    { "+49 171", NULL },              /* a + is no tail */
    { "4567a", NULL },
    { "M-HW 2022", NULL },
    { "(089) 4410", NULL },
    { "", NULL },
    { "  - / ", NULL },
};

START_TEST(query)
{
    char out[PHONE_TAIL_KEY_MAX];
    int rc = phone_tail_query(query_cases[_i].q, out, sizeof out);

    if (!query_cases[_i].want) {
        ck_assert_msg(rc == -1 && out[0] == '\0', "%s: %d \"%s\"", query_cases[_i].q, rc, out);
        return;
    }
    ck_assert_msg(rc == 0, "%s: %d", query_cases[_i].q, rc);
    ck_assert_str_eq(out, query_cases[_i].want);
}
END_TEST

START_TEST(upper)
{
    char hi[PHONE_TAIL_KEY_MAX];

    ck_assert_int_eq(phone_tail_upper("7654", hi, sizeof hi), 0);
    ck_assert_str_eq(hi, "7655");
    ck_assert_int_eq(phone_tail_upper("2209", hi, sizeof hi), 0);
    ck_assert_str_eq(hi, "220:");
    /* every key starting with the prefix sorts inside [prefix, upper) */
    ck_assert_int_lt(strcmp("2209", hi), 0);
    ck_assert_int_lt(strcmp("220999999999999", hi), 0);
    ck_assert_int_ge(strcmp("2210", hi), 0);
    ck_assert_int_eq(phone_tail_upper("", hi, sizeof hi), -1);
    ck_assert_str_eq(hi, "");
    ck_assert_int_eq(phone_tail_upper("7654", hi, 4), -1);
    ck_assert_str_eq(hi, "");
}
END_TEST

Suite *
phone_tail_suite(void)
{
    Suite *s = suite_create("phone_tail");
    TCase *tc = tcase_create("phone_tail");

    tcase_add_loop_test(tc, key, 0, N(key_cases));
    tcase_add_loop_test(tc, query, 0, N(query_cases));
    tcase_add_test(tc, upper);
    suite_add_tcase(s, tc);
    return s;
}
