/*
 * test_import_parse: the streaming NDJSON and CSV parsers of the import.
 * Table-driven: each input is fed whole and in chunks of 1, 2, 3 and 7
 * bytes (a record cut anywhere by the network), and the records seen are
 * rendered as "recno:[field|field]" (or "recno:!" for a malformed one)
 * and compared with the expected rendering.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "import_parse.h"
#include "unit_suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const size_t chunks[] = { 0, 1, 2, 3, 7 }; /* 0 = whole */

static int
render_record(void *ctx, unsigned long recno, char **fields, size_t n, const char *error)
{
    struct buf *out = ctx;

    buf_printf(out, "%lu:", recno);
    if (error) {
        buf_puts(out, "!;");
        return 0;
    }
    buf_puts(out, "[");
    for (size_t i = 0; i < n; i++)
        buf_printf(out, "%s%s", i ? "|" : "", fields[i]);
    buf_puts(out, "];");
    return 0;
}

static const struct {
    const char *in;
    const char *want;
} csv_cases[] = {
    { "a,b,c\n1,2,3\n", "1:[a|b|c];2:[1|2|3];" },
    { "a,b\r\n1,2\r\n", "1:[a|b];2:[1|2];" },
    { "a,b\r1,2\r", "1:[a|b];2:[1|2];" },
    { "a,b\n1,2", "1:[a|b];2:[1|2];" },                       /* no final line break */
    { "\"x, y\",\"say \"\"hi\"\"\"\n", "1:[x, y|say \"hi\"];" }, /* quotes, comma, "" */
    { "\"two\nlines\",b\n", "1:[two\nlines|b];" },             /* line break inside quotes */
    { "\"two\r\nlines\"\n", "1:[two\r\nlines];" },
    { "a,,c\n,,\n", "1:[a||c];2:[||];" },                       /* empty fields */
    { "a\n\n\nb\n", "1:[a];4:[b];" },                           /* blank lines: no records */
    { "\xEF\xBB\xBFname\nx\n", "1:[name];2:[x];" },            /* BOM skipped */
    { "\xEF\xBBz\n", "1:[\xEF\xBBz];" },                        /* almost a BOM: data */
    { "ab\"c,d\nok\n", "1:!;2:[ok];" },                         /* quote in unquoted field */
    { "\"ab\"c,d\nok\n", "1:!;2:[ok];" },                       /* text after closing quote */
    { "a,\"open\n", "1:!;" },                                   /* unterminated quote */
    { "\"\"\n", "" },                                           /* all cells empty: a blank row */
    { "", "" },
    { "x,y\n0123456789012345678901234567890123456789\nz\n", "1:[x|y];2:!;3:[z];" }, /* too long */
};

START_TEST(test_csv)
{
    for (int k = 0; k < N(chunks); k++) {
        struct import_csv c;
        struct buf out = { 0 };
        const char *in = csv_cases[_i].in;
        size_t n = strlen(in), step = chunks[k] ? chunks[k] : (n ? n : 1);

        import_csv_init(&c, 32);
        buf_puts(&out, "");
        for (size_t o = 0; o < n; o += step)
            ck_assert_int_eq(import_csv_feed(&c, in + o, o + step > n ? n - o : step, render_record,
                                             &out),
                             0);
        ck_assert_int_eq(import_csv_finish(&c, render_record, &out), 0);
        ck_assert_msg(strcmp(out.data, csv_cases[_i].want) == 0, "case %d chunk %zu: got '%s' want '%s'",
                      _i, chunks[k], out.data, csv_cases[_i].want);
        import_csv_release(&c);
        buf_release(&out);
    }
}
END_TEST

START_TEST(test_csv_field_limit)
{
    struct import_csv c;
    struct buf out = { 0 }, in = { 0 };

    for (int i = 0; i < IMPORT_CSV_MAX_FIELDS + 1; i++)
        buf_puts(&in, i ? ",x" : "x");
    buf_puts(&in, "\nok\n");
    import_csv_init(&c, 4096);
    buf_puts(&out, "");
    import_csv_feed(&c, in.data, in.len, render_record, &out);
    import_csv_finish(&c, render_record, &out);
    ck_assert_str_eq(out.data, "1:!;2:[ok];");
    import_csv_release(&c);
    buf_release(&out);
    buf_release(&in);
}
END_TEST

static int
render_line(void *ctx, unsigned long lineno, const char *text, size_t len, int too_long)
{
    struct buf *out = ctx;

    buf_printf(out, "%lu:%s%.*s;", lineno, too_long ? "!" : "", (int)len, text);
    return 0;
}

static const struct {
    const char *in;
    const char *want;
} line_cases[] = {
    { "{}\n{\"a\":1}\n", "1:{};2:{\"a\":1};" },
    { "{}\r\n{}\r\n", "1:{};2:{};" },         /* CRLF */
    { "{}\n\n{}", "1:{};2:;3:{};" },           /* blank line; last line without \n */
    { "", "" },
    { "\n", "1:;" },
    { "0123456789AB\nok\n", "1:!;2:ok;" },           /* longer than 10: flagged, not kept */
    { "0123456789\n", "1:0123456789;" },              /* exactly the limit */
    { "0123456789\r\n", "1:0123456789;" },            /* the CR does not count */
};

START_TEST(test_lines)
{
    for (int k = 0; k < N(chunks); k++) {
        struct import_lines l;
        struct buf out = { 0 };
        const char *in = line_cases[_i].in;
        size_t n = strlen(in), step = chunks[k] ? chunks[k] : (n ? n : 1);

        import_lines_init(&l, 10);
        buf_puts(&out, "");
        for (size_t o = 0; o < n; o += step)
            ck_assert_int_eq(import_lines_feed(&l, in + o, o + step > n ? n - o : step, render_line, &out),
                             0);
        ck_assert_int_eq(import_lines_finish(&l, render_line, &out), 0);
        ck_assert_msg(strcmp(out.data, line_cases[_i].want) == 0, "case %d chunk %zu: got '%s' want '%s'",
                      _i, chunks[k], out.data, line_cases[_i].want);
        import_lines_release(&l);
        buf_release(&out);
    }
}
END_TEST

static int
stop_at_two(void *ctx, unsigned long lineno, const char *text, size_t len, int too_long)
{
    (void)ctx;
    (void)text;
    (void)len;
    (void)too_long;
    return lineno == 2 ? -1 : 0;
}

START_TEST(test_lines_callback_stops_feed)
{
    struct import_lines l;

    import_lines_init(&l, 100);
    ck_assert_int_eq(import_lines_feed(&l, "a\nb\nc\n", 6, stop_at_two, NULL), -1);
    ck_assert_int_eq((int)l.lineno, 2);
    import_lines_release(&l);
}
END_TEST

Suite *
import_parse_suite(void)
{
    Suite *s = suite_create("import_parse");
    TCase *tc = tcase_create("csv");

    tcase_add_loop_test(tc, test_csv, 0, N(csv_cases));
    tcase_add_test(tc, test_csv_field_limit);
    suite_add_tcase(s, tc);
    tc = tcase_create("lines");
    tcase_add_loop_test(tc, test_lines, 0, N(line_cases));
    tcase_add_test(tc, test_lines_callback_stops_feed);
    suite_add_tcase(s, tc);
    return s;
}
