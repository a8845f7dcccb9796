/*
 * Unit tests for server/phone.cc: numbers as a German, Austrian or Swiss
 * desk types them, {input, region, want E.164 or NULL, reason}. Every case
 * also checks that a failure leaves out empty and names its reason.
 */
#include <check.h>
#include <string.h>

#include "phone.h"

Suite *phone_suite(void);

struct phone_case {
    const char *in;
    const char *region;
    const char *want;   /* NULL: refused */
    const char *reason; /* when refused */
};

static const struct phone_case cases[] = {
    /* the 18 ordinary inputs of a German desk */
    { "0171 1234567", "DE", "+491711234567", NULL },
    { "+49 171 1234567", "DE", "+491711234567", NULL },
    { "+49 0171 1234567", "DE", "+491711234567", NULL }, /* the old one kept the 0 */
    { "0049 171 1234567", "DE", "+491711234567", NULL },
    { "(0171) 123 45 67", "DE", "+491711234567", NULL },
    { "0171/1234567", "DE", "+491711234567", NULL },
    { "0171-1234567", "DE", "+491711234567", NULL },
    { "+49 (0)89 3209 4410", "DE", "+498932094410", NULL },
    { "089 3209 4410", "DE", "+498932094410", NULL },
    { "089 3209 4410 ext. 12", "DE", "+498932094410", NULL }, /* extension dropped */
    { "+43 664 1234567", "DE", "+436641234567", NULL },
    { "0043 664 1234567", "DE", "+436641234567", NULL },
    { "+41 79 123 45 67", "DE", "+41791234567", NULL },
    { "0171 12345AB", "DE", NULL, "has letters" },
    { "0171 123", "DE", NULL, "too short" },            /* the old one stored +49171123 */
    { "0171 1234567890123", "DE", NULL, "too long" },
    { "3209 4410", "DE", NULL, "no area code" },
    { "+999 123456", "DE", NULL, "unknown country code" }, /* the old one stored it */
    /* national numbers of the Austrian and Swiss branches */
    { "0664 1234567", "AT", "+436641234567", NULL },
    { "01 5123456", "AT", "+4315123456", NULL },
    { "+49 171 1234567", "AT", "+491711234567", NULL },
    { "0049 171 1234567", "AT", "+491711234567", NULL },
    { "079 123 45 67", "CH", "+41791234567", NULL },
    { "044 668 18 00", "CH", "+41446681800", NULL },
    { "0041 79 123 45 67", "CH", "+41791234567", NULL },
    /* more refusals */
    { "0171 123456789", "DE", NULL, "too long" },
    { "+43 664 123", "DE", NULL, "too short" },
    { "0800 FLOWERS", "DE", NULL, "has letters" },          /* no vanity numbers */
    { "", "DE", NULL, "not a number" },
    { "   ", "DE", NULL, "not a number" },
    { "abc", "DE", NULL, "not a number" },
    { "0171 1234567", "XX", NULL, "unknown region" },
    { "0171 1234567", "de", NULL, "unknown region" },
    { "0171 1234567", "", NULL, "unknown region" },
    { "0171 1234567", NULL, NULL, "unknown region" },
    { NULL, "DE", NULL, "not a number" },
};

START_TEST(test_parse)
{
    const struct phone_case *c = &cases[_i];
    char out[PHONE_E164_MAX];
    const char *why = NULL;
    int rc;

    memset(out, 'Z', sizeof out);
    rc = phone_parse(c->in, c->region, out, sizeof out, &why);
    if (c->want) {
        ck_assert_msg(rc == 0, "%s (%s): refused (%s), want %s", c->in, c->region, why, c->want);
        ck_assert_str_eq(out, c->want);
        ck_assert_int_eq(phone_is_valid(c->in, c->region), 1);
    } else {
        ck_assert_msg(rc == -1, "%s (%s): got %s, want refusal", c->in, c->region, out);
        ck_assert_str_eq(out, "");
        ck_assert_msg(why && !strcmp(why, c->reason), "%s: reason '%s', want '%s'", c->in,
                      why ? why : "(null)", c->reason);
        ck_assert_int_eq(phone_is_valid(c->in, c->region), 0);
    }
}
END_TEST

START_TEST(test_small_buffer)
{
    char out[8];

    memset(out, 'Z', sizeof out);
    ck_assert_int_eq(phone_parse("0171 1234567", "DE", out, sizeof out, NULL), -1);
    ck_assert_str_eq(out, "");
}
END_TEST

static const struct {
    const char *region;
    int known;
} regions[] = {
    { "DE", 1 }, { "AT", 1 }, { "CH", 1 }, { "US", 1 }, { "XX", 0 }, { "de", 0 },
    { "DEU", 0 }, { "D", 0 }, { "", 0 }, { NULL, 0 },
};

START_TEST(test_region)
{
    ck_assert_int_eq(phone_region_known(regions[_i].region), regions[_i].known);
}
END_TEST

/* phone_init sets the default region; a bad one is refused and changes nothing. */
START_TEST(test_default_region)
{
    char out[PHONE_E164_MAX];

    ck_assert_int_eq(phone_init("CH"), 0);
    ck_assert_str_eq(phone_region(), "CH");
    ck_assert_int_eq(phone_parse_default("079 123 45 67", out, sizeof out, NULL), 0);
    ck_assert_str_eq(out, "+41791234567");
    ck_assert_int_eq(phone_init("ZZ"), -1);
    ck_assert_str_eq(phone_region(), "CH");
    ck_assert_int_eq(phone_init(PHONE_REGION_DEFAULT), 0);
    ck_assert_int_eq(phone_parse_default("0171 1234567", out, sizeof out, NULL), 0);
    ck_assert_str_eq(out, "+491711234567");
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *
phone_suite(void)
{
    Suite *s = suite_create("phone");
    TCase *tc;

    tc = tcase_create("parse");
    tcase_add_loop_test(tc, test_parse, 0, N(cases));
    tcase_add_test(tc, test_small_buffer);
    suite_add_tcase(s, tc);

    tc = tcase_create("region");
    tcase_add_loop_test(tc, test_region, 0, N(regions));
    tcase_add_test(tc, test_default_region);
    suite_add_tcase(s, tc);
    return s;
}
