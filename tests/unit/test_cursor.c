/*
 * test_cursor: cursor encoding and refusal of garbage. Round trips over a
 * {tag, seq} grid; every cursor is refused for another list, with any one
 * character changed, and when it is not CURSOR_LEN base64url characters.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "cursor.h"
#include "unit_suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static const int tags[] = { 1, 2, 3, 4 };

static const long long seqs[] = {
    0, 1, 2, 255, 256, 65535, 1LL << 31, (1LL << 31) + 1, 1LL << 32, 1LL << 62,
    0x7fffffffffffffffLL,
};

#define NGRID (N(tags) * N(seqs))

/* Grid cell i: its tag and seq. */
static void
cell(int i, int *tag, long long *seq)
{
    *tag = tags[i / N(seqs)];
    *seq = seqs[i % N(seqs)];
}

START_TEST(test_round_trip)
{
    char c[CURSOR_LEN + 1];
    long long seq, got = -1;
    int tag;

    cell(_i, &tag, &seq);
    memset(c, 'Z', sizeof c);
    cursor_encode(tag, seq, c);
    ck_assert_msg(strlen(c) == CURSOR_LEN, "tag %d seq %lld: length %zu", tag, seq, strlen(c));
    ck_assert_msg(strspn(c, alphabet) == CURSOR_LEN, "tag %d seq %lld: \"%s\" not base64url", tag,
                  seq, c);
    ck_assert_msg(cursor_decode(c, tag, &got) == 0, "tag %d seq %lld: \"%s\" refused", tag, seq, c);
    ck_assert_msg(got == seq, "tag %d seq %lld: decoded %lld", tag, seq, got);
}
END_TEST

/* Distinct positions give distinct cursors; so do distinct lists. */
START_TEST(test_distinct)
{
    char a[CURSOR_LEN + 1], b[CURSOR_LEN + 1];
    long long sa, sb;
    int ta, tb;

    cell(_i, &ta, &sa);
    cursor_encode(ta, sa, a);
    for (int k = 0; k < NGRID; k++) {
        if (k == _i)
            continue;
        cell(k, &tb, &sb);
        cursor_encode(tb, sb, b);
        ck_assert_msg(strcmp(a, b) != 0, "(%d, %lld) and (%d, %lld) both \"%s\"", ta, sa, tb, sb,
                      a);
    }
    cursor_encode(ta, sa, b);
    ck_assert_str_eq(a, b); /* and the encoding is stable */
}
END_TEST

START_TEST(test_other_tag)
{
    char c[CURSOR_LEN + 1];
    long long seq, got = 12345;
    int tag;

    cell(_i, &tag, &seq);
    cursor_encode(tag, seq, c);
    for (int other = 0; other <= 8; other++) {
        if (other == tag)
            continue;
        ck_assert_msg(cursor_decode(c, other, &got) == -1, "tag %d seq %lld accepted as tag %d",
                      tag, seq, other);
    }
    ck_assert_msg(got == 12345, "seq written on failure: %lld", got);
}
END_TEST

/* Every position, changed to several other base64url characters. */
START_TEST(test_flipped)
{
    static const char repl[] = "AB-_z9";
    char c[CURSOR_LEN + 1], bad[CURSOR_LEN + 1];
    long long seq, got = 12345;
    int tag;

    cell(_i, &tag, &seq);
    cursor_encode(tag, seq, c);
    for (int pos = 0; pos < CURSOR_LEN; pos++) {
        for (const char *r = repl; *r; r++) {
            if (*r == c[pos])
                continue;
            strcpy(bad, c);
            bad[pos] = *r;
            ck_assert_msg(cursor_decode(bad, tag, &got) == -1,
                          "\"%s\" (from \"%s\", position %d) accepted as seq %lld", bad, c, pos,
                          got);
        }
    }
    ck_assert_msg(got == 12345, "seq written on failure: %lld", got);
}
END_TEST

/* Not a cursor at all. */
static const char *const garbage_cases[] = {
    NULL,
    "",
    "A",
    "AAAAAAAAAAAAAAA",   /* 15 */
    "AAAAAAAAAAAAAAAAA", /* 17 */
    "AAAAAAAAAAAAAAAA",  /* right length and alphabet, wrong version */
    "________________",
    "----------------",
    "AAAAAAAAAAAAAAA=",
    "AAAAAAAAAAAA====",
    "AQEAAAAAgAAAAAA+", /* standard base64 characters */
    "AQEAAAAAgAAAAAA/",
};

START_TEST(test_garbage)
{
    const char *in = garbage_cases[_i];
    long long got = 12345;

    ck_assert_msg(cursor_decode(in, 1, &got) == -1, "case %d \"%s\" accepted as seq %lld", _i,
                  in ? in : "(null)", got);
    ck_assert_msg(got == 12345, "case %d: seq written on failure", _i);
}
END_TEST

/*
 * A valid cursor, edited: prefix + its first keep characters + suffix,
 * then (when ch is not 0) the character at pos replaced by ch.
 */
struct edit_case {
    const char *prefix;
    int keep;
    const char *suffix;
    int pos;
    char ch;
};

static const struct edit_case edit_cases[] = {
    { "", CURSOR_LEN, "", 0, 0 }, /* control: unedited, accepted */
    { "", CURSOR_LEN, "=", 0, 0 },
    { "", CURSOR_LEN, "==", 0, 0 },
    { "", CURSOR_LEN, "A", 0, 0 },
    { "", CURSOR_LEN, " ", 0, 0 },
    { "", CURSOR_LEN, "\n", 0, 0 },
    { "", CURSOR_LEN, "\x80", 0, 0 },
    { "=", CURSOR_LEN, "", 0, 0 },
    { " ", CURSOR_LEN, "", 0, 0 },
    { "A", CURSOR_LEN, "", 0, 0 },
    { "", CURSOR_LEN - 1, "", 0, 0 },
    { "", CURSOR_LEN - 4, "", 0, 0 },
    { "", 1, "", 0, 0 },
    { "", CURSOR_LEN - 1, "=", 0, 0 },
    { "", CURSOR_LEN, "", 0, '+' },
    { "", CURSOR_LEN, "", 7, '+' },
    { "", CURSOR_LEN, "", 15, '+' },
    { "", CURSOR_LEN, "", 0, '/' },
    { "", CURSOR_LEN, "", 7, '/' },
    { "", CURSOR_LEN, "", 15, '/' },
    { "", CURSOR_LEN, "", 15, '=' },
    { "", CURSOR_LEN, "", 8, '=' },
    { "", CURSOR_LEN, "", 3, '.' },
    { "", CURSOR_LEN, "", 3, '*' },
    { "", CURSOR_LEN, "", 3, '%' },
    { "", CURSOR_LEN, "", 3, ' ' },
    { "", CURSOR_LEN, "", 3, '\t' },
    { "", CURSOR_LEN, "", 3, '\n' },
    { "", CURSOR_LEN, "", 3, '\x7f' },
    { "", CURSOR_LEN, "", 3, '\xc3' },
    { "", CURSOR_LEN, "", 3, '\xff' },
    { "", CURSOR_LEN, "", 3, '@' },
    { "", CURSOR_LEN, "", 3, '[' },
    { "", CURSOR_LEN, "", 3, '`' },
    { "", CURSOR_LEN, "", 3, '{' },
};

START_TEST(test_edited)
{
    const struct edit_case *c = &edit_cases[_i];
    char valid[CURSOR_LEN + 1], s[64];
    long long got = 12345;
    int rc;

    cursor_encode(1, 1LL << 31, valid);
    snprintf(s, sizeof s, "%s%.*s%s", c->prefix, c->keep, valid, c->suffix);
    if (c->ch)
        s[strlen(c->prefix) + (size_t)c->pos] = c->ch;
    rc = cursor_decode(s, 1, &got);
    if (_i == 0) {
        ck_assert_msg(rc == 0 && got == 1LL << 31, "control \"%s\" refused", s);
        return;
    }
    ck_assert_msg(rc == -1, "case %d \"%s\" (from \"%s\") accepted as seq %lld", _i, s, valid,
                  got);
    ck_assert_msg(got == 12345, "case %d: seq written on failure", _i);
}
END_TEST

/* A seq that does not fit a long long (bit 63 set) cannot come back. */
START_TEST(test_negative)
{
    char c[CURSOR_LEN + 1];
    long long got = 12345;

    cursor_encode(2, -1, c);
    ck_assert_int_eq(cursor_decode(c, 2, &got), -1);
    cursor_encode(2, (-0x7fffffffffffffffLL) - 1, c);
    ck_assert_int_eq(cursor_decode(c, 2, &got), -1);
    ck_assert_int_eq(got, 12345);
}
END_TEST

Suite *
cursor_suite(void)
{
    Suite *s = suite_create("cursor");
    TCase *tc;

    tc = tcase_create("round_trip");
    tcase_add_loop_test(tc, test_round_trip, 0, NGRID);
    suite_add_tcase(s, tc);

    tc = tcase_create("distinct");
    tcase_add_loop_test(tc, test_distinct, 0, NGRID);
    suite_add_tcase(s, tc);

    tc = tcase_create("other_tag");
    tcase_add_loop_test(tc, test_other_tag, 0, NGRID);
    suite_add_tcase(s, tc);

    tc = tcase_create("flipped");
    tcase_add_loop_test(tc, test_flipped, 0, NGRID);
    suite_add_tcase(s, tc);

    tc = tcase_create("garbage");
    tcase_add_loop_test(tc, test_garbage, 0, N(garbage_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("edited");
    tcase_add_loop_test(tc, test_edited, 0, N(edit_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("negative");
    tcase_add_test(tc, test_negative);
    suite_add_tcase(s, tc);

    return s;
}
