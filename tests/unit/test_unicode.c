/*
 * Unit tests for server/unicode.c: NFC of texts (composition, canonical
 * order, singletons, exclusions, invalid UTF-8), the quick check proven
 * against utf8proc for every code point it waves through, and the pass
 * over a whole JSON document.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "unicode.h"
#include "unit_suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct nfc_case {
    const char *in;
    const char *want; /* NULL: not UTF-8 */
};

static const struct nfc_case nfc_cases[] = {
    { "Mu\xcc\x88ller", "M\xc3\xbcller" },                  /* u + U+0308 → ü */
    { "M\xc3\xbcller", "M\xc3\xbcller" },                   /* already NFC */
    { "Hans Wessling", "Hans Wessling" },
    { "", "" },
    { "A\xcc\x8a" "ngstr\xc3\xb6m", "\xc3\x85ngstr\xc3\xb6m" }, /* A + ring above → Å */
    { "\xe2\x84\xab", "\xc3\x85" },                         /* U+212B ANGSTROM SIGN → Å */
    { "a\xcc\x81\xcc\xa3", "\xe1\xba\xa1\xcc\x81" },        /* marks reordered: ạ + acute */
    { "\xe1\x84\x80\xe1\x85\xa1\xe1\x86\xa8", "\xea\xb0\x81" }, /* Hangul jamo → 각 */
    { "\xe0\xa5\x98", "\xe0\xa4\x95\xe0\xa4\xbc" },         /* क़ is excluded: NFC is longer */
    { "Se\xcc\x88menov \xd0\xb5\xcc\x88", "S\xc3\xabmenov \xd1\x91" }, /* Latin ë, Cyrillic ё */
    { "\xce\xbf\xcc\x81", "\xcf\x8c" },                     /* ο + acute → ό (U+03CC) */
    { "M\xc3\xbc\xff", NULL },                              /* invalid byte */
    { "\xed\xa0\x80", NULL },                               /* a surrogate */
};

START_TEST(test_nfc)
{
    const struct nfc_case *c = &nfc_cases[_i];
    char *got = unicode_nfc(c->in);

    if (!c->want) {
        ck_assert_msg(got == NULL, "case %d: want NULL, got \"%s\"", _i, got);
        return;
    }
    ck_assert_msg(got != NULL, "case %d: NULL", _i);
    ck_assert_msg(strcmp(got, c->want) == 0, "case %d: got \"%s\", want \"%s\"", _i, got, c->want);
    free(got);
}
END_TEST

/* What the quick check passes is NFC: every code point below U+0300, alone and after a letter. */
START_TEST(test_quick_below_0300)
{
    for (unsigned cp = 1; cp < 0x300; cp++) {
        char s[8];
        size_t n = 0;
        char *nfc;

        s[n++] = 'e';
        if (cp < 0x80) {
            s[n++] = (char)cp;
        } else {
            s[n++] = (char)(0xC0 | (cp >> 6));
            s[n++] = (char)(0x80 | (cp & 0x3F));
        }
        s[n] = '\0';
        ck_assert_msg(unicode_quick_nfc(s), "U+%04X: not passed", cp);
        nfc = unicode_nfc(s);
        ck_assert_msg(nfc && strcmp(nfc, s) == 0, "U+%04X: NFC differs", cp);
        free(nfc);
    }
    ck_assert(!unicode_quick_nfc("Mu\xcc\x88ller")); /* U+0308 */
    ck_assert(!unicode_quick_nfc("\xd0\x98"));       /* И: maybe not NFC, so looked up */
}
END_TEST

START_TEST(test_nfc_json)
{
    json_t *j = json_pack("{s:s, s:[s, {s:s}], s:i, s:s, s:n}", "family_name", "Mu\xcc\x88ller",
                          "notes", "Rene\xcc\x81" "e", "text", "\xd0\x95\xcc\x88", "n", 3,
                          "ke\xcc\x81y", "plain", "x");
    json_t *notes = json_object_get(j, "notes");

    ck_assert_int_eq(unicode_nfc_json(j), 0);
    ck_assert_str_eq(json_string_value(json_object_get(j, "family_name")), "M\xc3\xbcller");
    ck_assert_str_eq(json_string_value(json_array_get(notes, 0)), "Ren\xc3\xa9" "e");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(notes, 1), "text")),
                     "\xd0\x81"); /* Ё */
    ck_assert_int_eq(json_integer_value(json_object_get(j, "n")), 3);
    /* member names stay as sent */
    ck_assert_str_eq(json_string_value(json_object_get(j, "ke\xcc\x81y")), "plain");
    json_decref(j);
}
END_TEST

Suite *
unicode_suite(void)
{
    Suite *s = suite_create("unicode");
    TCase *tc;

    tc = tcase_create("nfc");
    tcase_add_loop_test(tc, test_nfc, 0, N(nfc_cases));
    tcase_add_test(tc, test_quick_below_0300);
    suite_add_tcase(s, tc);

    tc = tcase_create("nfc_json");
    tcase_add_test(tc, test_nfc_json);
    suite_add_tcase(s, tc);
    return s;
}
