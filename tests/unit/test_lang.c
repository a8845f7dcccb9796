/*
 * test_lang: Accept-Language to de or en (RFC 9110 section 12.5.4) as a
 * table: browsers' headers, regional ranges, q-values and q=0
 * exclusions, "*", ties, malformed members and the length bound.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "lang.h"
#include "unit_suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct accept_case {
    const char *header; /* NULL: no header */
    enum lang want;
};

static const struct accept_case accept_cases[] = {
    /* no preference: English */
    { NULL, LANG_EN },
    { "", LANG_EN },
    { " , ,", LANG_EN },
    { "*", LANG_EN },
    /* what browsers send */
    { "de-DE,de;q=0.9,en;q=0.8", LANG_DE },
    { "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7", LANG_DE },
    { "en-GB,en;q=0.9,de;q=0.8", LANG_EN },
    { "en-US,en;q=0.5", LANG_EN },
    { "de", LANG_DE },
    { "en", LANG_EN },
    /* regional German counts for de */
    { "de-AT", LANG_DE },
    { "de-CH", LANG_DE },
    { "de-CH-1996", LANG_DE },
    { "gsw-CH, de-CH;q=0.8", LANG_DE },
    /* case-insensitive ranges and q */
    { "DE-at", LANG_DE },
    { "De;Q=0.9, en;q=0.1", LANG_DE },
    /* unsupported languages fall back to English or the next supported one */
    { "fr", LANG_EN },
    { "fr-FR,fr;q=0.9", LANG_EN },
    { "fr, de;q=0.1", LANG_DE },
    { "fr, en;q=0.1, de;q=0.2", LANG_DE },
    { "dea, deu", LANG_EN },
    { "d", LANG_EN },
    /* q-values decide, not the order */
    { "en;q=0.8, de", LANG_DE },
    { "de;q=0.5, en;q=0.6", LANG_EN },
    { "de;q=0.501, en;q=0.5", LANG_DE },
    { "de;q=1.000, en", LANG_DE },
    /* a tie goes to the range named first */
    { "en, de", LANG_EN },
    { "de, en", LANG_DE },
    { "de;q=0.7, en;q=0.7", LANG_DE },
    /* q=0 excludes */
    { "de;q=0", LANG_EN },
    { "de;q=0.000, en;q=0", LANG_EN },
    { "*, en;q=0", LANG_DE },
    { "*;q=0.5, de;q=0", LANG_EN },
    { "de-AT;q=0", LANG_EN },
    /* the range naming the language wins over its subtags, both over "*" */
    { "de-AT, de;q=0, en;q=0.1", LANG_EN },
    { "de-CH;q=0, de;q=0.8, en;q=0.5", LANG_DE },
    { "de-AT;q=0.3, de-CH;q=0.9, en;q=0.5", LANG_DE },
    { "*;q=0.9, de;q=0.8", LANG_EN },
    { "*;q=0.1, de", LANG_DE },
    /* a repeated range: the first counts */
    { "de;q=0.1, de, en;q=0.5", LANG_EN },
    /* malformed members are skipped, the rest counts */
    { "de;q=2, en;q=0.1", LANG_EN },
    { "de;q=1.5", LANG_EN },
    { "de;q=0.1234, en;q=0.1", LANG_EN },
    { "de;q=, en;q=0.1", LANG_EN },
    { "de;level=1, en;q=0.1", LANG_EN },
    { "de q=0.9, en;q=0.1", LANG_EN },
    { "de-, en;q=0.1", LANG_EN },
    { "de-toolongsubtag, en;q=0.1", LANG_EN },
    { "abcdefghi, de", LANG_DE },
    { "\xc3\xa4, de", LANG_DE },
    { "en;q=0.1,,, de ; q=0.2 ", LANG_DE },
    { "\tde\t;\tq=0.9\t,en;q=0.1", LANG_DE },
    { "*-de, en", LANG_EN },
};

START_TEST(test_accept)
{
    const struct accept_case *c = &accept_cases[_i];
    enum lang got = lang_from_accept(c->header);

    ck_assert_msg(got == c->want, "Accept-Language \"%s\": got %s, want %s",
                  c->header ? c->header : "(none)", lang_code(got), lang_code(c->want));
}
END_TEST

/* Only the first LANG_ACCEPT_MAX bytes count; a member cut by the bound is ignored. */
START_TEST(test_accept_bound)
{
    char h[LANG_ACCEPT_MAX * 2];
    size_t n;

    /* "fr, fr, ..." up to just below the bound, then de: inside */
    memset(h, 0, sizeof h);
    for (n = 0; n + 4 <= LANG_ACCEPT_MAX - 4;)
        n += (size_t)snprintf(h + n, sizeof h - n, "fr, ");
    snprintf(h + n, sizeof h - n, "de");
    ck_assert_uint_le(strlen(h), LANG_ACCEPT_MAX);
    ck_assert_int_eq(lang_from_accept(h), LANG_DE);
    /* pushed past the bound: ignored */
    snprintf(h + n, sizeof h - n, "fr, fr, de");
    ck_assert_uint_gt(strlen(h), LANG_ACCEPT_MAX);
    ck_assert_int_eq(lang_from_accept(h), LANG_EN);
    /* "en;q=0.1" cut right after "en" would read as q=1 and win; it is ignored instead */
    memset(h, ' ', LANG_ACCEPT_MAX - 11);
    snprintf(h + LANG_ACCEPT_MAX - 11, sizeof h - (LANG_ACCEPT_MAX - 11), "de;q=0.5, en;q=0.1");
    ck_assert_int_eq(lang_from_accept(h), LANG_DE);
    /* a member that straddles the bound does not count either */
    memset(h, ' ', LANG_ACCEPT_MAX - 12);
    snprintf(h + LANG_ACCEPT_MAX - 12, sizeof h - (LANG_ACCEPT_MAX - 12), "de;q=0.5, en;q=0.9");
    ck_assert_int_eq(lang_from_accept(h), LANG_DE);
    /* one that ends on the bound does */
    memset(h, ' ', LANG_ACCEPT_MAX - 18);
    snprintf(h + LANG_ACCEPT_MAX - 18, sizeof h - (LANG_ACCEPT_MAX - 18), "de;q=0.5, en;q=0.9");
    ck_assert_uint_eq(strlen(h), LANG_ACCEPT_MAX);
    ck_assert_int_eq(lang_from_accept(h), LANG_EN);
}
END_TEST

START_TEST(test_codes)
{
    ck_assert_str_eq(lang_code(LANG_EN), "en");
    ck_assert_str_eq(lang_code(LANG_DE), "de");
}
END_TEST

Suite *
lang_suite(void)
{
    Suite *s = suite_create("lang");
    TCase *tc = tcase_create("accept_language");

    tcase_add_loop_test(tc, test_accept, 0, N(accept_cases));
    tcase_add_test(tc, test_accept_bound);
    tcase_add_test(tc, test_codes);
    suite_add_tcase(s, tc);
    return s;
}
