/*
 * Unit tests for server/normalize.c: one table of {input, outsz, want}
 * per function, want NULL meaning -1. Every case also checks that a
 * failure leaves out empty and that nothing is written past outsz.
 */
#include <check.h>
#include <stddef.h>
#include <string.h>

#include "normalize.h"

Suite *normalize_suite(void);

#define P NORMALIZE_PLATE_MAX
#define V (NORMALIZE_VIN_LEN + 1)
#define E NORMALIZE_EMAIL_MAX
#define BUFSZ 512
#define FILL 'Z'

#define A8 "aaaaaaaa"
#define A64 A8 A8 A8 A8 A8 A8 A8 A8
#define B8 "bbbbbbbb"
#define B60 B8 B8 B8 B8 B8 B8 B8 "bbbb"
#define B63 B60 "bbb"
#define D252 B63 "." B63 "." B63 "." B60

_Static_assert(sizeof(A64) - 1 == 64, "A64");
_Static_assert(sizeof(D252) - 1 == 252, "D252");

struct out_case {
    const char *in;
    size_t outsz;
    const char *want; /* NULL: expect -1 */
};

/*
 * Result of one call: rc and out match want, a failure leaves out empty
 * (untouched when outsz is 0), and the byte at outsz is never written.
 */
static void
check_out(int i, const char *in, int rc, const char *out, size_t outsz, const char *want)
{
    const char *shown = in != NULL ? in : "(null)";

    if (want != NULL) {
        ck_assert_msg(rc == 0, "case %d \"%s\": rc %d, want 0", i, shown, rc);
        ck_assert_msg(strcmp(out, want) == 0, "case %d \"%s\": got \"%s\", want \"%s\"", i, shown,
                      out, want);
    } else {
        ck_assert_msg(rc == -1, "case %d \"%s\": rc %d, want -1 (out \"%.*s\")", i, shown, rc,
                      (int)(outsz < BUFSZ ? outsz : BUFSZ - 1), out);
        if (outsz > 0)
            ck_assert_msg(out[0] == '\0', "case %d \"%s\": out not empty on failure", i, shown);
        else
            ck_assert_msg(out[0] == FILL, "case %d \"%s\": wrote with outsz 0", i, shown);
    }
    if (outsz < BUFSZ)
        ck_assert_msg(out[outsz] == FILL, "case %d \"%s\": wrote past outsz %zu", i, shown, outsz);
}

static const struct out_case plate_cases[] = {
    /* valid */
    { "M-AB 1234", P, "MAB1234" },
    { "m ab1234", P, "MAB1234" },
    { "MAB1234", P, "MAB1234" },
    { "m-ab 1234", P, "MAB1234" },
    { "M AB-1234E", P, "MAB1234E" },
    { "B-MW 2022E", P, "BMW2022E" },
    { "  M-AB 1234  ", P, "MAB1234" },
    { "M.AB.1234", P, "MAB1234" },
    { "--A--1--", P, "A1" },
    { "A1", P, "A1" },
    { "1A", P, "1A" },
    { "AB CD 123456", P, "ABCD123456" },
    { "LÖ-X 5", P, "LÖX5" },
    { "lö x 5", P, "LÖX5" },
    { "LÖ X 5", P, "LÖX5" },
    { "äöü 1", P, "ÄÖÜ1" },
    { "ÄÖÜ 1", P, "ÄÖÜ1" },
    { "FÜ-ÄÖ 12", P, "FÜÄÖ12" },
    { "\xc3\xa4\xc3\xb6\xc3\xbc 1", P, "\xc3\x84\xc3\x96\xc3\x9c" "1" },
    { "ÄÖÜÄÖÜ 1234", 32, "ÄÖÜÄÖÜ1234" }, /* 10 characters, 16 bytes */
    { "M-AB 1234", 8, "MAB1234" },         /* exact fit */
    { "LÖ-X 5", 6, "LÖX5" },               /* exact fit, 5 bytes + NUL */
    /* A, O, U + U+0308 COMBINING DIAERESIS (NFD) are the umlauts */
    { "O\xcc\x88 1", P, "Ö1" },
    { "W\xcc\x88-K 7", P, NULL },                /* W has no umlaut */
    { "WU\xcc\x88-K 7", P, "WÜK7" },
    { "wu\xcc\x88 k 7", P, "WÜK7" },
    { "a\xcc\x88o\xcc\x88U\xcc\x88 1", P, "ÄÖÜ1" },
    { "LO\xcc\x88-X 5", 6, "LÖX5" },          /* exact fit: 3 input bytes become 2 */
    /* invalid */
    { NULL, P, NULL },
    { "", P, NULL },
    { "   ", P, NULL },
    { "- . -", P, NULL },
    { "A", P, NULL },
    { "1", P, NULL },
    { "ABC", P, NULL },
    { "1234", P, NULL },
    { "ÄÖÜ", P, NULL },
    { "M-AB-12345678901", P, NULL }, /* 14 characters */
    { "ABCD1234567", P, NULL },      /* 11 characters */
    { "ÄÖÜÄÖÜ 1234", P, NULL },      /* 10 characters but 17 bytes with NUL */
    { "M_AB 1", P, NULL },
    { "M/AB 1", P, NULL },
    { "M\tAB 1", P, NULL },
    { "MAB1234!", P, NULL },
    { "STRAßE 1", P, NULL },
    { "É 1", P, NULL },
    { "E\xcc\x88 1", P, NULL },  /* Ë is no plate letter */
    { "\xcc\x88" "A 1", P, NULL }, /* a combining mark alone */
    { "O\xcc 1", P, NULL },      /* half a combining mark */
    { "O\xcc\x88\xcc\x88 1", P, NULL },
    { "L\xf6 1", P, NULL },      /* Latin-1 ö */
    { "A1\xc3", P, NULL },       /* truncated UTF-8 */
    { "A1\xc3(", P, NULL },
    { "A\xa4 1", P, NULL },      /* continuation byte alone */
    { "M-AB 1234", 7, NULL },    /* out too small by one */
    { "M-AB 1234", 1, NULL },
    { "M-AB 1234", 0, NULL },
    { "LÖ-X 5", 5, NULL },
    { "LÖ-X 5", 3, NULL },       /* Ö would straddle the end */
};

START_TEST(test_plate)
{
    const struct out_case *c = &plate_cases[_i];
    char out[BUFSZ];
    int rc;

    memset(out, FILL, sizeof out);
    rc = normalize_plate(c->in, out, c->outsz);
    check_out(_i, c->in, rc, out, c->outsz, c->want);
}
END_TEST

static const struct out_case vin_cases[] = {
    /* valid */
    { "WBA8E9G50GNU12345", V, "WBA8E9G50GNU12345" },
    { "wba8e9g50gnu12345", V, "WBA8E9G50GNU12345" },
    { "WbA8e9G50gNu12345", V, "WBA8E9G50GNU12345" },
    { "  WBA8E9G50GNU12345  ", V, "WBA8E9G50GNU12345" },
    { "WBA8E9G50GNU12345 ", V, "WBA8E9G50GNU12345" },
    { "12345678901234567", V, "12345678901234567" },
    { "ABCDEFGHJKLMNPRST", V, "ABCDEFGHJKLMNPRST" },
    { "UVWXYZ0123456789A", 64, "UVWXYZ0123456789A" },
    /* invalid */
    { NULL, V, NULL },
    { "", V, NULL },
    { "                 ", V, NULL },
    { "WBA8E9G50GNU1234", V, NULL },   /* 16 */
    { "WBA8E9G50GNU123456", V, NULL }, /* 18 */
    { "WBA8E9G50GNI12345", V, NULL },
    { "WBA8E9G50GNO12345", V, NULL },
    { "WBA8E9G50GNQ12345", V, NULL },
    { "wba8e9g50gni12345", V, NULL },
    { "wba8e9g50gno12345", V, NULL },
    { "wba8e9g50gnq12345", V, NULL },
    { "WBA8E9G50 NU12345", V, NULL },
    { "WBA-8E9G50GNU1234", V, NULL },
    { "WBA8E9G50GNU1234Ä", V, NULL },
    { "\tWBA8E9G50GNU12345", V, NULL }, /* only spaces are trimmed */
    { "WBA8E9G50GNU12345\n", V, NULL },
    { "WBA8E9G50GNU12345", V - 1, NULL },
    { "WBA8E9G50GNU12345", 0, NULL },
};

START_TEST(test_vin)
{
    const struct out_case *c = &vin_cases[_i];
    char out[BUFSZ];
    int rc;

    memset(out, FILL, sizeof out);
    rc = normalize_vin(c->in, out, c->outsz);
    check_out(_i, c->in, rc, out, c->outsz, c->want);
}
END_TEST

static const struct out_case vin_suffix_cases[] = {
    /* valid */
    { "U12345", V, "U12345" },
    { "u12345", V, "U12345" },
    { "gnu12345", V, "GNU12345" },
    { " gnu12345 ", V, "GNU12345" },
    { "123456", V, "123456" },
    { "WBA8E9G50GNU12345", V, "WBA8E9G50GNU12345" },
    { "wba8e9g50gnu12345", V, "WBA8E9G50GNU12345" },
    { "U12345", 7, "U12345" },
    /* invalid */
    { NULL, V, NULL },
    { "", V, NULL },
    { "      ", V, NULL },
    { "12345", V, NULL },
    { "  12345  ", V, NULL },
    { "WBA8E9G50GNU123456", V, NULL }, /* 18 */
    { "I23456", V, NULL },
    { "o23456", V, NULL },
    { "Q23456", V, NULL },
    { "GNU 12345", V, NULL },
    { "GNU-12345", V, NULL },
    { "GNÜ12345", V, NULL },
    { "U12345", 6, NULL },
    { "U12345", 0, NULL },
};

START_TEST(test_vin_suffix)
{
    const struct out_case *c = &vin_suffix_cases[_i];
    char out[BUFSZ];
    int rc;

    memset(out, FILL, sizeof out);
    rc = normalize_vin_suffix(c->in, out, c->outsz);
    check_out(_i, c->in, rc, out, c->outsz, c->want);
}
END_TEST

static const struct out_case email_cases[] = {
    /* valid */
    { "  Harry.Wessling@Example.DE ", E, "harry.wessling@example.de" },
    { "a@b.de", E, "a@b.de" },
    { "A@B.DE", E, "a@b.de" },
    { "a@b.c", E, "a@b.c" },
    { "First.Last+Tag@Sub.Example.co.uk", E, "first.last+tag@sub.example.co.uk" },
    { "o'brien!#$%&*=?^_`{|}~@example.de", E, "o'brien!#$%&*=?^_`{|}~@example.de" },
    { "user@xn--mnchen-3ya.de", E, "user@xn--mnchen-3ya.de" },
    { "user@münchen.de", E, "user@münchen.de" },
    { "User@MÜNCHEN.DE", E, "user@mÜnchen.de" }, /* ASCII lower-casing only */
    { "Jürgen@Example.de", E, "jürgen@example.de" },
    { "a@-b.de", E, "a@-b.de" }, /* hyphens anywhere in a label */
    { "a@b-.de", E, "a@b-.de" },
    { "a@123.45", E, "a@123.45" },
    { A64 "@example.de", E, A64 "@example.de" },
    { "a@" D252, E, "a@" D252 },               /* address 254, exact fit */
    { "a@" D252 "c", 512, "a@" D252 "c" },     /* domain 253 */
    { "a@b.de", 7, "a@b.de" },                  /* exact fit */
    /* invalid */
    { NULL, E, NULL },
    { "", E, NULL },
    { "   ", E, NULL },
    { "harry.example.de", E, NULL },
    { "a@b@c.de", E, NULL },
    { "a@@b.de", E, NULL },
    { "@b.de", E, NULL },
    { " @b.de", E, NULL },
    { "a@", E, NULL },
    { "a@ ", E, NULL },
    { "a" A64 "@example.de", E, NULL },         /* local part 65 */
    { "a@localhost", E, NULL },
    { "a@b..de", E, NULL },
    { "a@.b.de", E, NULL },
    { "a@b.de.", E, NULL },
    { "a@.", E, NULL },
    { "harry wessling@example.de", E, NULL },
    { "a @b.de", E, NULL },
    { "a@ b.de", E, NULL },
    { "a@exa mple.de", E, NULL },
    { "a\tb@c.de", E, NULL },
    { "a\x7f@c.de", E, NULL },
    { "\ta@b.de", E, NULL },
    { "a@b.de\n", E, NULL },
    { "a@b_c.de", E, NULL },
    { "a@b.de!", E, NULL },
    { "a@[127.0.0.1]", E, NULL },
    { "a@" D252 "c", E, NULL },                 /* domain 253 but 256 bytes with NUL */
    { "a@" D252 "cd", 512, NULL },              /* domain 254 */
    { "ab@" D252, E, NULL },                    /* 256 bytes with NUL */
    { "a@" D252 ".", 512, NULL },
    { "a@b.de", 6, NULL },
    { "a@b.de", 0, NULL },
};

START_TEST(test_email)
{
    const struct out_case *c = &email_cases[_i];
    char out[BUFSZ];
    int rc;

    memset(out, FILL, sizeof out);
    rc = normalize_email(c->in, out, c->outsz);
    check_out(_i, c->in, rc, out, c->outsz, c->want);
}
END_TEST

/* A typed plate and the keys it is looked up by (up to 4; none: not a plate). */
struct keys_case {
    const char *in;
    const char *want[NORMALIZE_PLATE_KEYS + 1]; /* NULL-terminated; {NULL}: -1 */
    int separated;
};

static const struct keys_case plate_keys_cases[] = {
    { "M-AB 123", { "MAB123", NULL }, 1 },
    { "MAB123", { "MAB123", NULL }, 0 },
    { "WÜ-K 7", { "WÜK7", NULL }, 1 },
    { "WUE-K 7", { "WUEK7", "WÜK7", NULL }, 1 },
    { "wue k 7", { "WUEK7", "WÜK7", NULL }, 1 },
    { "WUEK7", { "WUEK7", "WÜK7", NULL }, 0 },   /* no separator: the leading letters */
    { "W\xcc\x88-K 7", { NULL }, 0 },
    { "MUE-R 12", { "MUER12", "MÜR12", NULL }, 1 },
    { "LOE-A 1", { "LOEA1", "LÖA1", NULL }, 1 },
    { "AE-B 1", { "AEB1", "ÄB1", NULL }, 1 },
    { "UEAE 1", { "UEAE1", "ÜAE1", "UEÄ1", "ÜÄ1" }, 1 }, /* two digraphs: four keys */
    { "M-UE 1", { "MUE1", NULL }, 1 },           /* after the district: letters as typed */
    { "MAUE-X 1", { "MAUEX1", "MAÜX1", NULL }, 1 }, /* 4 letters typed, 3 read */
    { "ABCUE 1", { "ABCUE1", NULL }, 1 },        /* the UE is past the 4th letter */
    { "BUEE 12", { "BUEE12", "BÜE12", NULL }, 1 },
    { "M-HW", { NULL }, 0 },                     /* no digit: no plate */
    { "", { NULL }, 0 },
    { NULL, { NULL }, 0 },
};

static void
check_keys(const struct keys_case *c, int rc, const struct plate_keys *k)
{
    size_t n = 0;

    while (n < NORMALIZE_PLATE_KEYS && c->want[n])
        n++;
    if (n == 0) {
        ck_assert_msg(rc == -1 && k->n == 0, "\"%s\": rc %d, %zu keys, want -1", c->in, rc, k->n);
        return;
    }
    ck_assert_msg(rc == 0, "\"%s\": rc %d", c->in, rc);
    ck_assert_msg(k->n == n, "\"%s\": %zu keys, want %zu", c->in, k->n, n);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(!strcmp(k->key[i], c->want[i]), "\"%s\" key %zu: %s, want %s", c->in, i,
                      k->key[i], c->want[i]);
    ck_assert_int_eq(k->separated, c->separated);
}

START_TEST(test_plate_keys)
{
    const struct keys_case *c = &plate_keys_cases[_i];
    struct plate_keys k;

    memset(&k, 'Z', sizeof k);
    check_keys(c, normalize_plate_keys(c->in, &k), &k);
}
END_TEST

static const struct keys_case prefix_cases[] = {
    { "M-HW", { "MHW", NULL }, 1 },
    { "m hw 20", { "MHW20", NULL }, 1 },
    { "M-HW 2022", { "MHW2022", NULL }, 1 },
    { "MHW", { "MHW", NULL }, 0 },               /* the caller asks for a separator */
    { "M-HW 2022E", { "MHW2022E", NULL }, 1 },
    { "WUE-K", { "WUEK", "WÜK", NULL }, 1 },
    { "WU\xcc\x88-K", { "WÜK", NULL }, 1 },
    { "M-H", { NULL }, 0 },                      /* 2 characters list half of Munich */
    { "M-", { NULL }, 0 },
    { "12-AB", { NULL }, 0 },                    /* starts with a digit */
    { "M-HW 20E1", { NULL }, 0 },                /* a letter between digits */
    { "M-HW 20EE", { NULL }, 0 },
    { "M-1A2", { NULL }, 0 },
    { "Wessling, Harry", { NULL }, 0 },
    { "ABCDEFGHIJK", { NULL }, 0 },              /* 11 characters */
    { NULL, { NULL }, 0 },
};

START_TEST(test_plate_prefix_keys)
{
    const struct keys_case *c = &prefix_cases[_i];
    struct plate_keys k;

    memset(&k, 'Z', sizeof k);
    check_keys(c, normalize_plate_prefix_keys(c->in, &k), &k);
}
END_TEST

struct fits_case {
    const char *typed, *stored;
    int want;
};

static const struct fits_case fits_cases[] = {
    /* the issue's pair: Munich and Mannheim */
    { "M-AB 123", "M-AB 123", 1 },
    { "M-AB 123", "MA-B 123", 0 },
    { "MA-B 123", "MA-B 123", 1 },
    { "MA-B 123", "M-AB 123", 0 },
    { "m-ab123", "M-AB 123", 1 },
    { "m-ab123", "MA-B 123", 0 },
    { "m.ab-123", "M-AB 123", 0 },               /* a hyphen elsewhere */
    { "M AB 123", "M-AB 123", 1 },               /* no hyphen: spaces where the stored has any */
    { "M AB 123", "MA-B 123", 0 },
    { "MAB 123", "M-AB 123", 1 },
    { "MAB 123", "MA-B 123", 1 },
    { "M.AB.123", "M-AB 123", 1 },
    { " M-AB 123 ", "M-AB 123", 1 },             /* leading and trailing ones do not count */
    { "M-AB 123", "MAB123", 0 },
    { "M-AB 123", "M AB 123", 0 },               /* a hyphen typed needs a hyphen stored */
    /* positions count from the end: a transliterated district keeps them */
    { "WUE-K 7", "WÜ-K 7", 1 },
    { "WUE-K 7", "W-ÜK 7", 0 },
    { "wue k 7", "WÜ-K 7", 1 },
    /* nothing to tell */
    { "MAB123", "M-AB 123", -1 },
    { "-MAB123-", "M-AB 123", -1 },
    { "M_AB 123", "M-AB 123", -1 },
    { NULL, "M-AB 123", -1 },
    { "M-AB 123", NULL, 0 },
    { "M-AB 123", "M/AB 123", 0 },
};

START_TEST(test_plate_fits)
{
    const struct fits_case *c = &fits_cases[_i];

    ck_assert_msg(normalize_plate_fits(c->typed, c->stored) == c->want,
                  "\"%s\" vs \"%s\": %d, want %d", c->typed ? c->typed : "(null)",
                  c->stored ? c->stored : "(null)", normalize_plate_fits(c->typed, c->stored),
                  c->want);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *
normalize_suite(void)
{
    Suite *s = suite_create("normalize");
    TCase *tc;

    tc = tcase_create("plate");
    tcase_add_loop_test(tc, test_plate, 0, N(plate_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("plate_keys");
    tcase_add_loop_test(tc, test_plate_keys, 0, N(plate_keys_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("plate_prefix_keys");
    tcase_add_loop_test(tc, test_plate_prefix_keys, 0, N(prefix_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("plate_fits");
    tcase_add_loop_test(tc, test_plate_fits, 0, N(fits_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("vin");
    tcase_add_loop_test(tc, test_vin, 0, N(vin_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("vin_suffix");
    tcase_add_loop_test(tc, test_vin_suffix, 0, N(vin_suffix_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("email");
    tcase_add_loop_test(tc, test_email, 0, N(email_cases));
    suite_add_tcase(s, tc);

    return s;
}
