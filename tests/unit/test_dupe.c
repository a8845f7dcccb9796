/*
 * Unit tests for server/dupe.c: name keys (transliteration, order,
 * punctuation), address keys (street spellings, postal code or city) and
 * pair scores. Table-driven.
 */
#include <check.h>
#include <string.h>

#include "dupe.h"

Suite *dupe_suite(void);

struct name_case {
    const char *given, *family;
    const char *want; /* NULL: -1 */
};

static const struct name_case name_cases[] = {
    { "Jürgen", "Müller", "jurgen muller" },
    { "Juergen", "Mueller", "jurgen muller" },
    { "JURGEN", "MULLER", "jurgen muller" },
    /* given and family swapped, or typed into one field */
    { "Müller", "Jürgen", "jurgen muller" },
    { NULL, "Müller, Jürgen", "jurgen muller" },
    { "Hans-Peter", "Groß", "gross hans peter" },
    { "", "Weiß", "weiss" },
    { NULL, NULL, NULL },
    { "", "  -- ", NULL },
};

START_TEST(name_keys)
{
    const struct name_case *c = &name_cases[_i];
    const char *parts[2] = { c->given, c->family };
    char out[DUPE_KEY_MAX];
    int rc = dupe_name_key(parts, 2, out, sizeof out);

    if (!c->want) {
        ck_assert_int_eq(rc, -1);
        return;
    }
    ck_assert_int_eq(rc, 0);
    ck_assert_str_eq(out, c->want);
}
END_TEST

START_TEST(name_key_too_small_is_refused)
{
    const char *parts[2] = { "Hans", "Müller" };
    char out[8];

    ck_assert_int_eq(dupe_name_key(parts, 2, out, sizeof out), -1);
    ck_assert_str_eq(out, "");
}
END_TEST

struct address_case {
    const char *street, *postal_code, *city;
    const char *want;
};

static const struct address_case address_cases[] = {
    { "Hauptstraße 12", "80331", "München", "hauptstr12|80331" },
    { "Hauptstr. 12", "80 331", NULL, "hauptstr12|80331" },
    { "Haupt-Strasse 12", "80331", NULL, "hauptstr12|80331" },
    { "HAUPTSTRASSE 12", "80331", NULL, "hauptstr12|80331" },
    { "Am Bach 2", NULL, "Köln", "ambach2|c:koln" },
    { "Am Bach 2", "", "Koeln", "ambach2|c:koln" },
    { NULL, "80331", "München", NULL },
    { "Am Bach 2", NULL, NULL, NULL },
    { "--", "80331", NULL, NULL },
};

START_TEST(address_keys)
{
    const struct address_case *c = &address_cases[_i];
    char out[DUPE_KEY_MAX];
    int rc = dupe_address_key(c->street, c->postal_code, c->city, out, sizeof out);

    if (!c->want) {
        ck_assert_int_eq(rc, -1);
        return;
    }
    ck_assert_int_eq(rc, 0);
    ck_assert_str_eq(out, c->want);
}
END_TEST

struct score_case {
    unsigned mask;
    int want;
};

static const struct score_case score_cases[] = {
    { 0, 0 },
    { DUPE_EMAIL, 600 },
    { DUPE_PHONE, 500 },
    { DUPE_NAME_BIRTHDAY, 800 },
    { DUPE_NAME_ADDRESS, 700 },
    { DUPE_EMAIL | DUPE_PHONE, 800 },
    { DUPE_NAME_BIRTHDAY | DUPE_PHONE, 900 },
    { DUPE_NAME_BIRTHDAY | DUPE_NAME_ADDRESS, 940 },
    { DUPE_EMAIL | DUPE_PHONE | DUPE_NAME_BIRTHDAY | DUPE_NAME_ADDRESS, 988 },
};

START_TEST(scores)
{
    ck_assert_int_eq(dupe_score(score_cases[_i].mask), score_cases[_i].want);
}
END_TEST

START_TEST(more_evidence_never_lowers_the_score)
{
    for (unsigned a = 0; a < 16; a++)
        for (unsigned b = 0; b < 16; b++) {
            ck_assert_int_le(dupe_score(a), dupe_score(a | b));
            ck_assert_int_le(dupe_score(a | b), 1000);
        }
}
END_TEST

Suite *
dupe_suite(void)
{
    Suite *s = suite_create("dupe");
    TCase *tc = tcase_create("name");

    tcase_add_loop_test(tc, name_keys, 0, (int)(sizeof name_cases / sizeof name_cases[0]));
    tcase_add_test(tc, name_key_too_small_is_refused);
    suite_add_tcase(s, tc);
    tc = tcase_create("address");
    tcase_add_loop_test(tc, address_keys, 0, (int)(sizeof address_cases / sizeof address_cases[0]));
    suite_add_tcase(s, tc);
    tc = tcase_create("score");
    tcase_add_loop_test(tc, scores, 0, (int)(sizeof score_cases / sizeof score_cases[0]));
    tcase_add_test(tc, more_evidence_never_lowers_the_score);
    suite_add_tcase(s, tc);
    return s;
}
