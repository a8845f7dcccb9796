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
#include "import_text.h"
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

        import_csv_init(&c, 32, ',');
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

/* A declared ';' (no sniffing): a comma is data, quoting works as with ','. */
START_TEST(test_csv_semicolon_declared)
{
    static const char in[] = "a;b\r\n0,8;\"x;\"\"y\"\"\"\r\n";
    struct import_csv c;
    struct buf out = { 0 };

    import_csv_init(&c, 64, ';');
    buf_puts(&out, "");
    ck_assert_int_eq(import_csv_feed(&c, in, sizeof in - 1, render_record, &out), 0);
    ck_assert_int_eq(import_csv_finish(&c, render_record, &out), 0);
    ck_assert_str_eq(out.data, "1:[a|b];2:[0,8|x;\"y\"];");
    import_csv_release(&c);
    buf_release(&out);
}
END_TEST

START_TEST(test_csv_field_limit)
{
    struct import_csv c;
    struct buf out = { 0 }, in = { 0 };

    for (int i = 0; i < IMPORT_CSV_MAX_FIELDS + 1; i++)
        buf_puts(&in, i ? ",x" : "x");
    buf_puts(&in, "\nok\n");
    import_csv_init(&c, 4096, ',');
    buf_puts(&out, "");
    import_csv_feed(&c, in.data, in.len, render_record, &out);
    import_csv_finish(&c, render_record, &out);
    ck_assert_str_eq(out.data, "1:!;2:[ok];");
    import_csv_release(&c);
    buf_release(&out);
    buf_release(&in);
}
END_TEST

/* Column names of the sniffing tests: a, b, c, address.city. */
static int
known_name(void *ctx, const char *name)
{
    (void)ctx;
    return !strcmp(name, "a") || !strcmp(name, "b") || !strcmp(name, "c") ||
           !strcmp(name, "address.city");
}

static const struct {
    const char *header;
    char want;
} sniff_cases[] = {
    { "a,b,c\n", ',' },
    { "a;b;c\r\n", ';' },
    { "a\tb\tc", '\t' },
    { "\"a\";\"b\";address.city\n", ';' },   /* quoted names */
    { "a;b,c\n", ',' },   /* neither splits into known names: the most frequent, ',' on a tie */
    { "a;x;c\n", ';' },   /* an unknown column: the most frequent, so the error names x */
    { "a\n", ',' },       /* one column: any separator will do */
    { "", ',' },
};

START_TEST(test_sniff)
{
    const char *h = sniff_cases[_i].header;
    char got = import_csv_sniff(h, strlen(h), known_name, NULL);

    ck_assert_msg(got == sniff_cases[_i].want, "case %d: got '%c' want '%c'", _i, got,
                  sniff_cases[_i].want);
}
END_TEST

/* Sniffing in the parser: the header decides, the records after it follow, in any chunks. */
static const struct {
    const char *in;
    const char *want;
} sniffed_cases[] = {
    { "a;b\r\n1;\"x;y\"\r\n", "1:[a|b];2:[1|x;y];" },
    { "a,b\n1;2,3\n", "1:[a|b];2:[1;2|3];" },
    { "\xEF\xBB\xBF" "a\tb\n1\t2\n", "1:[a|b];2:[1|2];" },
    { "a;c", "1:[a|c];" }, /* the body is the header, without a line break */
};

START_TEST(test_csv_sniffed)
{
    for (int k = 0; k < N(chunks); k++) {
        struct import_csv c;
        struct buf out = { 0 };
        const char *in = sniffed_cases[_i].in;
        size_t n = strlen(in), step = chunks[k] ? chunks[k] : (n ? n : 1);

        import_csv_init(&c, 64, ',');
        import_csv_sniff_header(&c, known_name, NULL);
        buf_puts(&out, "");
        for (size_t o = 0; o < n; o += step)
            ck_assert_int_eq(import_csv_feed(&c, in + o, o + step > n ? n - o : step, render_record,
                                             &out),
                             0);
        ck_assert_int_eq(import_csv_finish(&c, render_record, &out), 0);
        ck_assert_msg(strcmp(out.data, sniffed_cases[_i].want) == 0,
                      "case %d chunk %zu: got '%s' want '%s'", _i, chunks[k], out.data,
                      sniffed_cases[_i].want);
        import_csv_release(&c);
        buf_release(&out);
    }
}
END_TEST

static int
collect_text(void *ctx, const char *data, size_t n)
{
    buf_append(ctx, data, n);
    return 0;
}

static const struct {
    const char *charset; /* declared, NULL = sniffed */
    const char *in;
    const char *want;
    const char *detected;
} text_cases[] = {
    { NULL, "M\xfcller;Stra\xdf" "e\n", "Müller;Straße\n", "windows-1252" },
    { NULL, "Müller\n", "Müller\n", NULL },                   /* UTF-8 stays */
    { NULL, "plain\n", "plain\n", NULL },
    { NULL, "Müller;M\xfcller\n", "Müller;M\xfcller\n", NULL }, /* mixed: stays, cell refused */
    { NULL, "\x80 5\n", "€ 5\n", "windows-1252" },             /* 0x80 is the euro sign */
    { NULL, "ab\xc3", "ab\xc3\x83", "windows-1252" },         /* cut at the end: not UTF-8 */
    { NULL, "\xed\xa0\x80", "\xc3\xad\xc2\xa0\xe2\x82\xac", "windows-1252" }, /* a surrogate */
    { "windows-1252", "Gr\xfc\xdf" "e \x80", "Grüße €", NULL },
    { "CP1252", "\x81x", "\x81x", NULL },                     /* undefined byte: passed on */
    { "iso-8859-1", "\xe4\xf6\xfc", "äöü", NULL },
    { "iso-8859-15", "\xa4", "€", NULL },
    { "utf-8", "M\xfcller", "M\xfcller", NULL },              /* declared UTF-8: no guessing */
};

START_TEST(test_text)
{
    for (int k = 0; k < N(chunks); k++) {
        struct import_text t;
        struct buf out = { 0 };
        const char *in = text_cases[_i].in;
        size_t n = strlen(in), step = chunks[k] ? chunks[k] : (n ? n : 1);

        ck_assert_int_eq(import_text_init(&t, text_cases[_i].charset), 0);
        buf_puts(&out, "");
        for (size_t o = 0; o < n; o += step)
            ck_assert_int_eq(
                import_text_feed(&t, in + o, o + step > n ? n - o : step, collect_text, &out), 0);
        ck_assert_int_eq(import_text_finish(&t, collect_text, &out), 0);
        ck_assert_msg(strcmp(out.data, text_cases[_i].want) == 0,
                      "case %d chunk %zu: got '%s' want '%s'", _i, chunks[k], out.data,
                      text_cases[_i].want);
        ck_assert_msg((t.detected == NULL) == (text_cases[_i].detected == NULL), "case %d: detected",
                      _i);
        import_text_release(&t);
        buf_release(&out);
    }
}
END_TEST

START_TEST(test_text_unknown_charset)
{
    struct import_text t;

    ck_assert_int_eq(import_text_init(&t, "ebcdic"), -1);
    import_text_release(&t);
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
    tcase_add_test(tc, test_csv_semicolon_declared);
    suite_add_tcase(s, tc);
    tc = tcase_create("csv_separator");
    tcase_add_loop_test(tc, test_sniff, 0, N(sniff_cases));
    tcase_add_loop_test(tc, test_csv_sniffed, 0, N(sniffed_cases));
    suite_add_tcase(s, tc);
    tc = tcase_create("charset");
    tcase_add_loop_test(tc, test_text, 0, N(text_cases));
    tcase_add_test(tc, test_text_unknown_charset);
    suite_add_tcase(s, tc);
    tc = tcase_create("lines");
    tcase_add_loop_test(tc, test_lines, 0, N(line_cases));
    tcase_add_test(tc, test_lines_callback_stops_feed);
    suite_add_tcase(s, tc);
    return s;
}
