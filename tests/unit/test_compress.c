/*
 * test_compress: Accept-Encoding with q-values (which clients get gzip),
 * the content types that compress, and that gzip of a buffer and of a
 * stream read in pieces inflates back to the same bytes.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "compress.h"
#include "unit_suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct accept_case {
    const char *lines[3]; /* Accept-Encoding lines of one request */
    int want;
};

static const struct accept_case accept_cases[] = {
    { { NULL }, 0 },                      /* no header: identity */
    { { "" }, 0 },                        /* empty: identity only */
    { { "gzip" }, 1 },
    { { "GZip" }, 1 },
    { { "x-gzip" }, 1 },
    { { "gzip, deflate, br" }, 1 },       /* curl --compressed, browsers */
    { { "br;q=1.0, gzip;q=0.8, *;q=0.1" }, 1 },
    { { "identity" }, 0 },
    { { "deflate, br" }, 0 },
    { { "gzip;q=0" }, 0 },
    { { "gzip; q=0.000" }, 0 },
    { { "gzip ; Q=0.001" }, 1 },
    { { "gzip;q=1" }, 1 },
    { { "gzip;q=1.000" }, 1 },
    { { "*" }, 1 },
    { { "*;q=0" }, 0 },
    { { "*, gzip;q=0" }, 0 },             /* named beats the wildcard */
    { { "gzip;q=0, *" }, 0 },
    { { "*;q=0, gzip" }, 1 },
    { { "identity;q=1, *;q=0.5" }, 1 },
    { { "gzip;q=0", "gzip;q=0.5" }, 1 },  /* named twice: the highest */
    { { "deflate", "gzip" }, 1 },         /* two lines are one list */
    { { "gzip;q=2" }, 0 },                /* malformed weights: the member is skipped */
    { { "gzip;q=1.5" }, 0 },
    { { "gzip;q=0.5000" }, 0 },
    { { "gzip;q=" }, 0 },
    { { "gzip;q=abc, *" }, 1 },
    { { "gzip;level=9" }, 1 },            /* other parameters are ignored */
    { { " , ,gzip ," }, 1 },
    { { "gzipx, xgzip, gzi" }, 0 },
};

START_TEST(accept)
{
    const struct accept_case *c = &accept_cases[_i];
    struct compress_accept a = { 0 };

    for (int i = 0; i < 3 && c->lines[i]; i++)
        compress_accept_add(&a, c->lines[i], strlen(c->lines[i]));
    ck_assert_msg(compress_accept_gzip(&a) == c->want, "%s | %s: want %d", c->lines[0],
                  c->lines[1] ? c->lines[1] : "", c->want);
}
END_TEST

START_TEST(types)
{
    ck_assert(compress_type("application/json; charset=utf-8"));
    ck_assert(compress_type("application/problem+json; charset=utf-8"));
    ck_assert(compress_type("application/x-ndjson"));
    ck_assert(compress_type("text/html; charset=utf-8"));
    ck_assert(compress_type("text/javascript; charset=utf-8"));
    ck_assert(compress_type("text/css; charset=utf-8"));
    ck_assert(compress_type("image/svg+xml; charset=utf-8"));
    ck_assert(compress_type("text/csv; charset=utf-8"));
    ck_assert(compress_type("TEXT/HTML"));
    ck_assert(!compress_type("application/jsonx"));
    ck_assert(!compress_type("image/png"));
    ck_assert(!compress_type("application/octet-stream"));
    ck_assert(!compress_type(NULL));
}
END_TEST

/* inflate gzip bytes; malloc'd, *out_len set */
static char *
gunzip(const char *gz, size_t len, size_t *out_len)
{
    z_stream z = { 0 };
    size_t cap = 1 << 20;
    char *out = malloc(cap);
    int rc;

    ck_assert_int_eq(inflateInit2(&z, 31), Z_OK);
    z.next_in = (Bytef *)(uintptr_t)gz;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    rc = inflate(&z, Z_FINISH);
    ck_assert_int_eq(rc, Z_STREAM_END);
    ck_assert_int_eq(z.avail_in, 0);
    *out_len = z.total_out;
    inflateEnd(&z);
    return out;
}

/* len bytes of JSON-like text that compresses */
static char *
sample(size_t len)
{
    char *s = malloc(len + 1);

    for (size_t i = 0; i < len; i++)
        s[i] = "{\"family_name\":\"Wessling\",\"plate\":\"M-HW 2022\"},"[i % 47] + (char)(i % 1000 == 0);
    s[len] = '\0';
    return s;
}

START_TEST(buffer)
{
    char *text = sample(14000), *gz, *back;
    size_t gz_len, back_len;

    gz = compress_gzip(text, 14000, 6, &gz_len);
    ck_assert_ptr_nonnull(gz);
    ck_assert_uint_lt(gz_len, 14000 / 5);
    ck_assert_uint_eq((unsigned char)gz[0], 0x1f); /* gzip magic */
    ck_assert_uint_eq((unsigned char)gz[1], 0x8b);
    back = gunzip(gz, gz_len, &back_len);
    ck_assert_uint_eq(back_len, 14000);
    ck_assert(memcmp(back, text, 14000) == 0);
    free(back);
    free(gz);
    /* 40 bytes that do not repeat: gzip's 18 bytes of frame make it larger */
    ck_assert_ptr_null(compress_gzip("0123456789abcdefghijklmnopqrstuvwxyzABCD", 40, 6, &gz_len));
    free(text);
}
END_TEST

struct pieces {
    const char *data;
    size_t len, pos, piece;
    int fail_at; /* read number that fails (-1: none) */
    int reads;
};

static long
read_pieces(void *ctx, char *buf, size_t max)
{
    struct pieces *p = ctx;
    size_t n = p->len - p->pos;

    if (p->reads++ == p->fail_at)
        return -1;
    if (n > p->piece)
        n = p->piece;
    if (n > max)
        n = max;
    memcpy(buf, p->data + p->pos, n);
    p->pos += n;
    return (long)n;
}

/* The plain stream in pieces of piece bytes, gzip read out maxout bytes at a time. */
static void
stream_round_trip(size_t len, size_t piece, size_t maxout)
{
    char *text = sample(len), *gz = malloc(2 * len + 64), *back;
    struct pieces p = { text, len, 0, piece, -1, 0 };
    struct compress_stream *s = compress_stream_new(read_pieces, &p, 1);
    size_t have = 0, back_len;
    long n;

    ck_assert_ptr_nonnull(s);
    while ((n = compress_stream_read(s, gz + have, maxout)) > 0)
        have += (size_t)n;
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(compress_stream_read(s, gz + have, maxout), 0); /* stays at the end */
    compress_stream_free(s);
    back = gunzip(gz, have, &back_len);
    ck_assert_uint_eq(back_len, len);
    ck_assert(memcmp(back, text, len) == 0);
    free(back);
    free(gz);
    free(text);
}

START_TEST(stream)
{
    stream_round_trip(200000, 16384, 32768); /* export-sized */
    stream_round_trip(200000, 100, 7);       /* small pieces, tiny output buffer */
    stream_round_trip(0, 100, 4096);         /* empty stream: a valid empty gzip */
    stream_round_trip(5, 1, 1);
}
END_TEST

START_TEST(stream_fails)
{
    char *text = sample(100000), buf[4096];
    struct pieces p = { text, 100000, 0, 1000, 3, 0 };
    struct compress_stream *s = compress_stream_new(read_pieces, &p, 1);
    long n;

    while ((n = compress_stream_read(s, buf, sizeof buf)) > 0)
        ;
    ck_assert_int_eq(n, -1);
    compress_stream_free(s);
    compress_stream_free(NULL);
    free(text);
}
END_TEST

Suite *
compress_suite(void)
{
    Suite *s = suite_create("compress");
    TCase *tc = tcase_create("accept");

    tcase_add_loop_test(tc, accept, 0, N(accept_cases));
    suite_add_tcase(s, tc);
    tc = tcase_create("types");
    tcase_add_test(tc, types);
    suite_add_tcase(s, tc);
    tc = tcase_create("gzip");
    tcase_add_test(tc, buffer);
    tcase_add_test(tc, stream);
    tcase_add_test(tc, stream_fails);
    suite_add_tcase(s, tc);
    return s;
}
