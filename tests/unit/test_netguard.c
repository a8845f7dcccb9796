/*
 * test_netguard: which webhook destinations are refused by default, how
 * --webhook-allow opens ranges (IPv4 inside IPv6 judged as IPv4), URL
 * hosts as written (IP literals, localhost), and malformed allow lists.
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <string.h>

#include "netguard.h"
#include "unit_suites.h"

/* The verdict on a textual address, through a sockaddr as libcurl hands it. */
static const char *
verdict(const char *ip)
{
    struct sockaddr_in a4 = { .sin_family = AF_INET };
    struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };

    if (inet_pton(AF_INET, ip, &a4.sin_addr) == 1)
        return netguard_refused((struct sockaddr *)&a4);
    ck_assert_int_eq(inet_pton(AF_INET6, ip, &a6.sin6_addr), 1);
    return netguard_refused((struct sockaddr *)&a6);
}

START_TEST(defaults_refuse_what_is_not_public)
{
    static const struct {
        const char *ip, *why; /* why NULL: allowed */
    } cases[] = {
        { "127.0.0.1", "a loopback address (127.0.0.0/8)" },
        { "127.255.255.254", "a loopback address (127.0.0.0/8)" },
        { "10.0.0.1", "a private address (10.0.0.0/8)" },
        { "172.16.0.1", "a private address (172.16.0.0/12)" },
        { "172.32.0.1", NULL },
        { "192.168.1.1", "a private address (192.168.0.0/16)" },
        { "169.254.169.254", "a link-local address (169.254.0.0/16, where cloud metadata services answer)" },
        { "100.64.0.1", "a shared carrier-grade NAT address (100.64.0.0/10)" },
        { "100.128.0.1", NULL },
        { "0.0.0.0", "an unspecified address (0.0.0.0/8)" },
        { "224.0.0.251", "a multicast address (224.0.0.0/4)" },
        { "255.255.255.255", "a reserved or broadcast address (240.0.0.0/4)" },
        { "192.0.2.7", "a documentation address (192.0.2.0/24)" },
        { "8.8.8.8", NULL },
        { "93.184.216.34", NULL },
        { "::1", "a loopback address (::1)" },
        { "::", "an unspecified address (::)" },
        { "fe80::1", "a link-local address (fe80::/10)" },
        { "fd12:3456::1", "a unique local (private) address (fc00::/7)" },
        { "ff02::1", "a multicast address (ff00::/8)" },
        { "2001:db8::1", "a documentation address (2001:db8::/32)" },
        { "::ffff:127.0.0.1", "a loopback address (127.0.0.0/8)" },
        { "::ffff:169.254.169.254", "a link-local address (169.254.0.0/16, where cloud metadata services answer)" },
        { "64:ff9b::a00:1", "a private address (10.0.0.0/8)" },
        { "::ffff:8.8.8.8", NULL },
        { "2a00:1450:4001:80b::200e", NULL },
    };

    ck_assert_int_eq(netguard_configure(NULL, NULL, 0), 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = verdict(cases[i].ip);
        if (!cases[i].why)
            ck_assert_msg(got == NULL, "%s refused: %s", cases[i].ip, got);
        else
            ck_assert_msg(got && !strcmp(got, cases[i].why), "%s: %s", cases[i].ip,
                          got ? got : "(allowed)");
    }
}
END_TEST

START_TEST(allow_list_opens_ranges)
{
    char why[160];

    ck_assert_int_eq(netguard_configure("10.20.0.0/16, 127.0.0.1,fd00::/8", why, sizeof why), -1);
    ck_assert_int_eq(netguard_configure("10.20.0.0/16,127.0.0.1,fd00::/8", why, sizeof why), 0);
    ck_assert_ptr_null(verdict("10.20.3.4"));
    ck_assert_ptr_nonnull(verdict("10.21.3.4"));
    ck_assert_ptr_null(verdict("127.0.0.1"));
    ck_assert_ptr_nonnull(verdict("127.0.0.2"));
    ck_assert_ptr_null(verdict("::ffff:127.0.0.1"));
    ck_assert_ptr_null(verdict("fd00::1"));
    ck_assert_ptr_nonnull(verdict("fc00::1"));
    ck_assert_ptr_nonnull(verdict("::1"));
    ck_assert_int_eq(netguard_configure("10.0.0.0/33", why, sizeof why), -1);
    ck_assert_str_eq(why, "--webhook-allow: '10.0.0.0/33' is not an address or CIDR range such as "
                          "10.0.0.0/8 or fd00::/8");
    ck_assert_int_eq(netguard_configure("example.com", why, sizeof why), -1);
    ck_assert_int_eq(netguard_configure("10.0.0.0/", why, sizeof why), -1);
    ck_assert_int_eq(netguard_configure("", why, sizeof why), 0);
    ck_assert_ptr_nonnull(verdict("10.20.3.4"));
}
END_TEST

START_TEST(hosts_as_written)
{
    ck_assert_int_eq(netguard_configure(NULL, NULL, 0), 0);
    ck_assert_str_eq(netguard_host_refused("127.0.0.1"), "a loopback address (127.0.0.0/8)");
    ck_assert_str_eq(netguard_host_refused("[::1]"), "a loopback address (::1)");
    ck_assert_str_eq(netguard_host_refused("[fe80::1%25eth0]"), "a link-local address (fe80::/10)");
    ck_assert_str_eq(netguard_host_refused("localhost"), "the local machine (localhost)");
    ck_assert_str_eq(netguard_host_refused("LocalHost."), "the local machine (localhost)");
    ck_assert_str_eq(netguard_host_refused("app.localhost"), "the local machine (localhost)");
    ck_assert_ptr_null(netguard_host_refused("localhost.example.com"));
    ck_assert_ptr_null(netguard_host_refused("hooks.example.com"));
    ck_assert_ptr_null(netguard_host_refused("8.8.8.8"));
    ck_assert_int_eq(netguard_configure("127.0.0.0/8", NULL, 0), 0);
    ck_assert_ptr_null(netguard_host_refused("localhost"));
    ck_assert_int_eq(netguard_configure(NULL, NULL, 0), 0);
}
END_TEST

Suite *
netguard_suite(void)
{
    Suite *s = suite_create("netguard");
    TCase *tc = tcase_create("netguard");

    tcase_add_test(tc, defaults_refuse_what_is_not_public);
    tcase_add_test(tc, allow_list_opens_ranges);
    tcase_add_test(tc, hosts_as_written);
    suite_add_tcase(s, tc);
    return s;
}
