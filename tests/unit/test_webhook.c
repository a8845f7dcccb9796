/*
 * test_webhook: the pure parts of webhooks: subscription URLs, event
 * patterns and their matching, event names, signatures (against values
 * computed with `openssl dgst -sha256 -hmac`, the receiver's recipe),
 * generated secrets and the retry schedule.
 */
#include <check.h>
#include <string.h>

#include "unit_suites.h"
#include "webhook.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct url_case {
    const char *url;
    int ok;
};

static const struct url_case url_cases[] = {
    { "https://hooks.example.com/crmd", 1 },
    { "http://127.0.0.1:8099/in?x=1", 0 }, /* loopback: --webhook-allow (test_netguard) */
    { "http://203.0.112.9:8099/in?x=1", 1 },
    { "HTTPS://Hooks.Example.com", 1 },
    { "http://[::1]:9000/", 0 },
    { "http://[2a00:1450:4001::200e]:9000/", 1 },
    { "ftp://example.com/x", 0 },
    { "hooks.example.com/crmd", 0 },
    { "/relative/path", 0 },
    { "https://user:pw@example.com/", 0 },
    { "https://user@example.com/", 0 },
    { "https://example.com/#frag", 0 },
    { "https://example.com/a b", 0 },
    { "https://exämple.com/", 0 },
    { "https:///nohost", 0 },
    { "", 0 },
};

START_TEST(test_url)
{
    const struct url_case *c = &url_cases[_i];
    const char *why = webhook_url_error(c->url);

    ck_assert_msg((why == NULL) == c->ok, "%s: %s", c->url, why ? why : "accepted");
}
END_TEST

START_TEST(test_url_too_long)
{
    char url[WEBHOOK_URL_MAX + 2];

    strcpy(url, "https://example.com/");
    memset(url + strlen(url), 'a', sizeof url - 1 - strlen(url));
    url[sizeof url - 1] = '\0';
    ck_assert_ptr_nonnull(webhook_url_error(url));
    url[WEBHOOK_URL_MAX] = '\0';
    ck_assert_ptr_null(webhook_url_error(url));
}
END_TEST

struct event_case {
    const char *pattern;
    int ok;
};

static const struct event_case event_cases[] = {
    { "*", 1 },
    { "customer.created", 1 },
    { "vehicle.deleted", 1 },
    { "company_people.updated", 1 },
    { "touchpoint.*", 1 },
    { "customer.create", 0 },
    { "customers.created", 0 },
    { "customer", 0 },
    { "*.created", 0 },
    { "customer.created.x", 0 },
    { "", 0 },
};

START_TEST(test_event_pattern)
{
    const struct event_case *c = &event_cases[_i];

    ck_assert_msg((webhook_event_error(c->pattern) == NULL) == c->ok, "%s", c->pattern);
}
END_TEST

struct match_case {
    const char *patterns; /* JSON array */
    const char *event;
    int want;
};

static const struct match_case match_cases[] = {
    { "[\"*\"]", "vehicle.deleted", 1 },
    { "[\"customer.created\"]", "customer.created", 1 },
    { "[\"customer.created\"]", "customer.updated", 0 },
    { "[\"customer.*\"]", "customer.deleted", 1 },
    { "[\"customer.*\"]", "company_people.updated", 0 },
    { "[\"vehicle.created\", \"customer.*\"]", "customer.updated", 1 },
    { "[\"vehicle.created\", \"household.*\"]", "customer.updated", 0 },
};

START_TEST(test_match)
{
    const struct match_case *c = &match_cases[_i];
    json_t *patterns = json_loads(c->patterns, 0, NULL);

    ck_assert_int_eq(webhook_events_match(patterns, c->event), c->want);
    json_decref(patterns);
}
END_TEST

START_TEST(test_types_mask)
{
    json_t *all = json_loads("[\"vehicle.created\", \"*\"]", 0, NULL);
    json_t *two = json_loads("[\"customer.created\", \"vehicle.*\"]", 0, NULL);

    ck_assert_uint_eq(webhook_events_types(all), 0);
    ck_assert_uint_eq(webhook_events_types(two), 1u << 0 | 1u << 2); /* customer, vehicle */
    json_decref(all);
    json_decref(two);
}
END_TEST

START_TEST(test_event_name)
{
    char out[WEBHOOK_EVENT_MAX];

    webhook_event_name("customer", "create", out);
    ck_assert_str_eq(out, "customer.created");
    webhook_event_name("company_people", "update", out);
    ck_assert_str_eq(out, "company_people.updated");
    webhook_event_name("vehicle", "delete", out);
    ck_assert_str_eq(out, "vehicle.deleted");
}
END_TEST

START_TEST(test_sign)
{
    static const char body[] = "{\"event\":\"customer.created\"}";
    char sig[WEBHOOK_SIGNATURE_LEN + 1];

    /*
     * printf '%s' '1795422600.{"event":"customer.created"}' |
     *     openssl dgst -sha256 -hmac 'test-secret-0123456789'
     */
    webhook_sign("test-secret-0123456789", 1795422600, body, strlen(body), sig);
    ck_assert_str_eq(sig, "v1=80c69c37e3a2e491a8ed0987ca9f33d659a88ad3e342fab252a046a26d34569e");
    webhook_sign("test-secret-0123456789", 0, "", 0, sig);
    ck_assert_str_eq(sig, "v1=5ef08473315010e255f0ab784f5b713f286c12f45935a4e904189163b867334d");
    webhook_sign("test-secret-0123456789", 1795422601, body, strlen(body), sig);
    ck_assert_str_ne(sig, "v1=80c69c37e3a2e491a8ed0987ca9f33d659a88ad3e342fab252a046a26d34569e");
}
END_TEST

START_TEST(test_secret_new)
{
    char a[WEBHOOK_SECRET_LEN + 1], b[WEBHOOK_SECRET_LEN + 1];

    webhook_secret_new(a);
    webhook_secret_new(b);
    ck_assert_uint_eq(strlen(a), WEBHOOK_SECRET_LEN);
    ck_assert_int_eq(strncmp(a, "whsec_", 6), 0);
    ck_assert_uint_eq(strspn(a + 6, "0123456789abcdef"), 64);
    ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(test_backoff)
{
    static const long long want[] = { 1000, 2000, 4000, 8000, 16000, 30000, 30000 };

    for (int i = 0; i < N(want); i++)
        ck_assert_int_eq(webhook_backoff_ms(i + 1, 1000, 30000), want[i]);
    ck_assert_int_eq(webhook_backoff_ms(1000000, 1000, 3600000), 3600000);
    ck_assert_int_eq(webhook_backoff_ms(1, 5000, 2000), 2000); /* the cap wins */
}
END_TEST

Suite *
webhook_suite(void)
{
    Suite *s = suite_create("webhook");
    TCase *tc;

    tc = tcase_create("url");
    tcase_add_loop_test(tc, test_url, 0, N(url_cases));
    tcase_add_test(tc, test_url_too_long);
    suite_add_tcase(s, tc);

    tc = tcase_create("events");
    tcase_add_loop_test(tc, test_event_pattern, 0, N(event_cases));
    tcase_add_loop_test(tc, test_match, 0, N(match_cases));
    tcase_add_test(tc, test_types_mask);
    tcase_add_test(tc, test_event_name);
    suite_add_tcase(s, tc);

    tc = tcase_create("signature");
    tcase_add_test(tc, test_sign);
    tcase_add_test(tc, test_secret_new);
    suite_add_tcase(s, tc);

    tc = tcase_create("backoff");
    tcase_add_test(tc, test_backoff);
    suite_add_tcase(s, tc);
    return s;
}
