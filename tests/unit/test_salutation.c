/*
 * test_salutation: every form of address and time of day at the desk.
 */
#include <check.h>
#include <jansson.h>

#include "salutation.h"
#include "unit_suites.h"

static const struct {
    const char *customer; /* JSON */
    int hour;
    const char *want;
} cases[] = {
    { "{\"kind\":\"person\",\"salutation\":\"Herr\",\"title\":\"Dr.\",\"family_name\":\"Wessling\","
      "\"language\":\"de\"}", 9, "Guten Morgen, Herr Dr. Wessling" },
    { "{\"kind\":\"person\",\"salutation\":\"Frau\",\"family_name\":\"Kaya\",\"language\":\"de\"}", 14,
      "Guten Tag, Frau Kaya" },
    { "{\"kind\":\"person\",\"salutation\":\"Frau\",\"family_name\":\"Kaya\",\"language\":\"en\"}", 19,
      "Good evening, Ms Kaya" },
    { "{\"kind\":\"person\",\"salutation\":\"Herr\",\"family_name\":\"Kaya\",\"language\":\"en\"}", 12,
      "Good afternoon, Mr Kaya" },
    { "{\"kind\":\"person\",\"salutation\":\"Herr\",\"title\":\"Dr.\",\"family_name\":\"Wessling\","
      "\"language\":\"en\"}", 8, "Good morning, Dr. Wessling" },
    { "{\"kind\":\"person\",\"salutation\":\"Herr\",\"title\":\"Dr.\",\"family_name\":\"Wessling\","
      "\"preferred_name\":\"Harry\"}", 15, "Guten Tag, Harry" },
    { "{\"kind\":\"person\",\"given_name\":\"Alex\",\"family_name\":\"Kaya\"}", 11, "Guten Tag, Alex Kaya" },
    { "{\"kind\":\"person\",\"salutation\":\"divers\",\"given_name\":\"Alex\",\"family_name\":\"Kaya\"}", 10,
      "Guten Morgen, Alex Kaya" },
    { "{\"kind\":\"person\",\"salutation\":\"none\",\"given_name\":\"Alex\",\"family_name\":\"Kaya\"}", 18,
      "Guten Abend, Alex Kaya" },
    { "{\"kind\":\"person\",\"salutation\":\"Herr\",\"given_name\":\"Murat\"}", 4, "Guten Abend, Murat" },
    { "{\"kind\":\"person\"}", 17, "Guten Tag" },
    { "{\"kind\":\"person\",\"family_name\":\"Kaya\",\"language\":\"tr\"}", 5, "Guten Morgen, Kaya" },
    { "{\"kind\":\"company\",\"company_name\":\"Wessling Logistik GmbH\"}", 10,
      "Guten Morgen, Wessling Logistik GmbH" },
    { "{\"kind\":\"person\",\"salutation\":\"Frau\",\"family_name\":\"Kaya\",\"language\":\"en\"}", 11,
      "Good morning, Ms Kaya" },
    { "{\"kind\":\"person\",\"salutation\":\"Frau\",\"family_name\":\"Kaya\",\"language\":\"en\"}", 4,
      "Good evening, Ms Kaya" },
    { "{\"kind\":\"person\",\"salutation\":\"Frau\",\"family_name\":\"\",\"given_name\":\"Petra\"}", 12,
      "Guten Tag, Petra" },
};

START_TEST(greeting_forms)
{
    json_t *c = json_loads(cases[_i].customer, 0, NULL);
    char out[256];

    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(salutation_greeting(c, cases[_i].hour, out, sizeof out), cases[_i].want);
    json_decref(c);
}
END_TEST

START_TEST(truncates_to_fit)
{
    json_t *c = json_loads("{\"kind\":\"person\",\"family_name\":\"Wessling\"}", 0, NULL);
    char out[8];

    ck_assert_str_eq(salutation_greeting(c, 12, out, sizeof out), "Guten T");
    json_decref(c);
}
END_TEST

Suite *
salutation_suite(void)
{
    Suite *s = suite_create("salutation");
    TCase *tc = tcase_create("forms");

    tcase_add_loop_test(tc, greeting_forms, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, truncates_to_fit);
    suite_add_tcase(s, tc);
    return s;
}
