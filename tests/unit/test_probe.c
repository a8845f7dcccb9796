/*
 * test_probe: the readiness URL `crmd --probe` builds from CRMD_LISTEN and
 * CRMD_PORT (wildcards become loopback, IPv6 gets brackets, https with TLS,
 * short buffers fail).
 */
#include <check.h>
#include <string.h>

#include "probe.h"
#include "unit_suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct url_case {
    const char *listen;
    int port;
    int tls;
    const char *want;
};

static const struct url_case url_cases[] = {
    { NULL, 8080, 0, "http://127.0.0.1:8080/readyz" },
    { "", 8080, 0, "http://127.0.0.1:8080/readyz" },
    { "0.0.0.0", 9090, 0, "http://127.0.0.1:9090/readyz" },
    { "127.0.0.1", 1, 0, "http://127.0.0.1:1/readyz" },
    { "10.1.2.3", 65535, 0, "http://10.1.2.3:65535/readyz" },
    { "::", 8080, 0, "http://[::1]:8080/readyz" },
    { "[::]", 8080, 0, "http://[::1]:8080/readyz" },
    { "::1", 8080, 0, "http://[::1]:8080/readyz" },
    { "fe80::1", 80, 0, "http://[fe80::1]:80/readyz" },
    { "[::1]", 80, 0, "http://[::1]:80/readyz" },
    { "localhost", 8080, 0, "http://localhost:8080/readyz" },
    { "0.0.0.0", 8443, 1, "https://127.0.0.1:8443/readyz" },
    { "::", 8443, 1, "https://[::1]:8443/readyz" },
};

START_TEST(url_from_listen_and_port)
{
    const struct url_case *c = &url_cases[_i];
    char out[128];

    ck_assert_int_eq(probe_url(c->listen, c->port, c->tls, out, sizeof out), 0);
    ck_assert_str_eq(out, c->want);
}
END_TEST

START_TEST(url_too_long_fails_empty)
{
    char out[64]; /* the sizes passed are smaller than the buffer */

    ck_assert_int_eq(probe_url("127.0.0.1", 8080, 0, out, 20), -1);
    ck_assert_str_eq(out, "");
    ck_assert_int_eq(probe_url("127.0.0.1", 8080, 0, out, strlen("http://127.0.0.1:8080/readyz")),
                     -1);
}
END_TEST

Suite *
probe_suite(void)
{
    Suite *s = suite_create("probe");
    TCase *tc = tcase_create("url");

    tcase_add_loop_test(tc, url_from_listen_and_port, 0, N(url_cases));
    tcase_add_test(tc, url_too_long_fails_empty);
    suite_add_tcase(s, tc);
    return s;
}
