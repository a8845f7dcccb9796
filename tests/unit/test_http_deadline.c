/*
 * test_http_deadline: the header-phase table over real sockets
 * (socketpair): nothing is shut down before its deadline, a passed
 * deadline shuts the socket down once (the peer reads the end), a
 * connection whose headers are in is left alone, and removal unlists.
 */
#include <check.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http_deadline.h"
#include "unit_suites.h"

#define T 1e12 /* seconds: a clock the watchdog never reaches */

/* 1 when fd's peer has seen the end of the stream (shutdown), else 0. */
static int
peer_ended(int peer)
{
    char c;
    return recv(peer, &c, 1, MSG_DONTWAIT) == 0;
}

START_TEST(deadline_sweep)
{
    struct http_deadline *d = http_deadline_start(10, 30);
    int slow[2], done[2], gone[2];
    void *es, *ed, *eg;

    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, slow), 0);
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, done), 0);
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, gone), 0);
    /* accepted at T+1000, T far beyond the watchdog's own clock (it sweeps too): due at T+1010 */
    es = http_deadline_add(d, slow[0], T + 1000);
    ed = http_deadline_add(d, done[0], T + 1000);
    eg = http_deadline_add(d, gone[0], T + 1000);
    http_deadline_set(d, ed, 0); /* its headers are in */
    http_deadline_remove(d, eg); /* closed */
    ck_assert_int_eq(http_deadline_sweep(d, T + 1009.9), 0);
    ck_assert_int_eq(peer_ended(slow[1]), 0);
    ck_assert_int_eq(http_deadline_sweep(d, T + 1010.0), 1);
    ck_assert_int_eq(peer_ended(slow[1]), 1);
    ck_assert_int_eq(peer_ended(done[1]), 0);
    ck_assert_int_eq(peer_ended(gone[1]), 0);
    ck_assert_int_eq(http_deadline_sweep(d, T + 2000), 0); /* once */
    /* a kept-alive connection's next request is due again */
    http_deadline_set(d, ed, T + 1050);
    ck_assert_int_eq(http_deadline_sweep(d, T + 1049), 0);
    ck_assert_int_eq(http_deadline_sweep(d, T + 1051), 1);
    ck_assert_int_eq(peer_ended(done[1]), 1);
    http_deadline_remove(d, es);
    http_deadline_stop(d); /* frees ed */
    for (int i = 0; i < 2; i++) {
        close(slow[i]);
        close(done[i]);
        close(gone[i]);
    }
}
END_TEST

START_TEST(deadline_off)
{
    ck_assert_ptr_null(http_deadline_start(0, 30));
    http_deadline_stop(NULL);
    http_deadline_headers_in(NULL, NULL);
    http_deadline_request_done(NULL, NULL);
}
END_TEST

Suite *
http_deadline_suite(void)
{
    Suite *s = suite_create("http_deadline");
    TCase *tc = tcase_create("deadline");

    tcase_add_test(tc, deadline_sweep);
    tcase_add_test(tc, deadline_off);
    suite_add_tcase(s, tc);
    return s;
}
