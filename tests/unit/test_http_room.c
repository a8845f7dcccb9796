/*
 * test_http_room: a request's share of libmicrohttpd's per-connection
 * memory (header bytes plus 64 per header, parameter and cookie, plus the
 * Cookie copy), the pool with the answer's room, and the refusal: 431 for
 * headers, 414 when the query is the larger part, nothing at the limit.
 */
#include <check.h>
#include <string.h>

#include "http_room.h"
#include "unit_suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct room_case {
    struct http_room_use use;
    size_t limit;
    size_t cost;
    int status; /* 0 = fits */
};

static const struct room_case room_cases[] = {
    { { 100, 3, 0, 0, 0, 0 }, 32768, 100 + 3 * 64, 0 },
    /* exactly at the limit fits, one byte more does not */
    { { 32768 - 10 * 64, 10, 0, 0, 0, 0 }, 32768, 32768, 0 },
    { { 32768 - 10 * 64 + 1, 10, 0, 0, 0, 0 }, 32768, 32769, 431 },
    /* many small headers: the bookkeeping is what counts */
    { { 5276, 430, 0, 0, 0, 0 }, 32768, 5276 + 430 * 64, 431 },
    /* many query parameters: the query is the larger part */
    { { 3300, 4, 460, 2800, 0, 0 }, 32768, 3300 + 464 * 64, 414 },
    /* a Cookie header is copied (NUL-terminated, rounded to 16) and each cookie recorded */
    { { 200, 2, 0, 0, 20, 3 }, 32768, 200 + 5 * 64 + 32, 0 },
    { { 200, 2, 0, 0, 32, 1 }, 1000, 200 + 3 * 64 + 48, 0 },
    { { 8000, 2, 0, 0, 0, 0 }, 8192, 8128, 0 },
    { { 8100, 2, 0, 0, 0, 0 }, 8192, 8228, 431 },
};

START_TEST(room_table)
{
    const struct room_case *c = &room_cases[_i];
    struct problem p = { 0 };
    int rc = http_room_check(&c->use, c->limit, &p);

    ck_assert_uint_eq(http_room_cost(&c->use), c->cost);
    ck_assert_int_eq(rc, c->status ? -1 : 0);
    if (c->status)
        ck_assert_int_eq(problem_status(p.code), c->status);
    else
        ck_assert_int_eq(p.code, PROBLEM_NONE);
}
END_TEST

START_TEST(room_details)
{
    struct http_room_use headers = { 5276, 430, 0, 0, 0, 0 }, query = { 3300, 4, 460, 2800, 0, 0 };
    struct problem p = { 0 };

    ck_assert_int_eq(http_room_check(&headers, 32768, &p), -1);
    ck_assert_str_eq(problem_slug(p.code), "headers-too-large");
    ck_assert_msg(strstr(p.detail, "430 headers take 32796 bytes, more than the 32768 bytes of "
                                   "--max-header-bytes"), "%s", p.detail);
    ck_assert_int_eq(http_room_check(&query, 32768, &p), -1);
    ck_assert_str_eq(problem_slug(p.code), "uri-too-long");
    ck_assert_msg(strstr(p.detail, "460 parameters take 32240 bytes of the 32768 bytes"), "%s",
                  p.detail);
    ck_assert_uint_eq(http_room_pool(32768), 32768 + HTTP_ROOM_ANSWER);
}
END_TEST

Suite *
http_room_suite(void)
{
    Suite *s = suite_create("http_room");
    TCase *tc = tcase_create("room");

    tcase_add_loop_test(tc, room_table, 0, N(room_cases));
    tcase_add_test(tc, room_details);
    suite_add_tcase(s, tc);
    return s;
}
