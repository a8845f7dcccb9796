/*
 * test_webhooks: /v1/webhooks and the delivery worker against a real
 * local receiver (receiver.c) in the test process: signatures checked
 * with OpenSSL's HMAC, order per subscription, retries after failures
 * (short backoff through CRMD_WEBHOOK_BACKOFF_MS), the delivery log,
 * validation, pause/resume and delete. "Nothing was delivered" is proved
 * by a second, "control" subscription that did receive the same change.
 * Destinations: loopback, private and link-local receivers are refused
 * unless --webhook-allow lists them (the harness allows 127.0.0.0/8 for
 * the receiver; the "destinations" case runs a server without it).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "receiver.h"
#include "suites.h"

#define SECRET "test-secret-0123456789"
#define WAIT_S 10.0

static const char *const hooks_env[] = { "CRMD_WEBHOOK_BACKOFF_MS=100",
                                         "CRMD_WEBHOOK_BACKOFF_MAX_MS=300",
                                         "CRMD_WEBHOOK_TIMEOUT=5",
                                         "CRMD_WEBHOOK_CONNECT_TIMEOUT=1", NULL };

static void
hooks_setup(void)
{
    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, hooks_env);
}

/* POST /v1/webhooks {url: receiver_url(tag), events, secret: SECRET}; the id (static, 4 slots). */
static const char *
hook_create(const char *tag, const char *events)
{
    static char ids[4][40];
    static unsigned n;
    char *id = ids[n++ % 4];
    char body[512];
    struct reply r;

    snprintf(body, sizeof body, "{\"url\": \"%s\", \"events\": %s, \"secret\": \"%s\"}",
             receiver_url(tag), events, SECRET);
    http_json("POST", "/v1/webhooks", body, &r);
    assert_json(&r, 201);
    ck_assert_str_eq(jstr(&r, "secret"), SECRET);
    snprintf(id, sizeof ids[0], "%s", jstr(&r, "id"));
    reply_free(&r);
    return id;
}

static void
hook_delete(const char *id)
{
    struct reply r;

    http("DELETE", pathf("/v1/webhooks/%s", id), NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    reply_free(&r);
}

static json_t *
hook_patch(const char *id, const char *body, long status)
{
    struct reply r;
    json_t *out;

    http("PATCH", pathf("/v1/webhooks/%s", id), "application/merge-patch+json", body, NULL, &r);
    if (status >= 400) {
        ck_assert_int_eq(r.status, status);
        reply_free(&r);
        return NULL;
    }
    assert_json(&r, status);
    out = json_incref(r.json);
    reply_free(&r);
    return out;
}

static const char *
person(const char *given)
{
    return create_ok("/v1/customers",
                     pathf("{\"kind\": \"person\", \"given_name\": \"%s\", \"family_name\": "
                           "\"Hook\"}",
                           given));
}

/* The receiver's request i as verified JSON: signature, headers and body agree. */
static json_t *
verified(int i, const char *secret)
{
    struct received r = receiver_get(i);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    char hex[2 * EVP_MAX_MD_SIZE + 1], *msg;
    json_t *body;

    ck_assert_str_eq(r.content_type, "application/json");
    ck_assert_msg(strncmp(r.signature, "v1=", 3) == 0, "signature %s", r.signature);
    ck_assert_msg(llabs(atoll(r.timestamp) - (long long)time(NULL)) < 300, "timestamp %s",
                  r.timestamp);
    ck_assert_int_gt(asprintf(&msg, "%s.%s", r.timestamp, r.body), 0);
    ck_assert_ptr_nonnull(HMAC(EVP_sha256(), secret, (int)strlen(secret),
                               (const unsigned char *)msg, strlen(msg), mac, &n));
    free(msg);
    for (unsigned int k = 0; k < n; k++)
        sprintf(hex + 2 * k, "%02x", mac[k]);
    ck_assert_str_eq(r.signature + 3, hex);
    body = json_loads(r.body, 0, NULL);
    ck_assert_ptr_nonnull(body);
    ck_assert_str_eq(sget(body, "event"), r.event_type);
    ck_assert_str_eq(sget(body, "cursor"), r.event_id);
    return body;
}

/* GET the delivery log (newest first). */
static json_t *
deliveries(const char *id)
{
    return fetch_items(pathf("/v1/webhooks/%s/deliveries", id));
}

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The delivery log once it holds n attempts (the receiver answers before crmd records). */
static json_t *
deliveries_wait(const char *id, size_t n)
{
    double deadline = now_s() + WAIT_S;
    struct timespec pause = { 0, 5000000L };
    json_t *log;

    while (json_array_size(log = deliveries(id)) < n) {
        ck_assert_msg(now_s() < deadline, "delivery log of %s short of %zu", id, n);
        json_decref(log);
        nanosleep(&pause, NULL);
    }
    return log;
}

static const char *
item_str(const json_t *items, size_t i, const char *key)
{
    return sget(json_array_get(items, i), key);
}

static long long
item_int(const json_t *items, size_t i, const char *key)
{
    return json_integer_value(json_object_get(json_array_get(items, i), key));
}

START_TEST(signed_deliveries_in_commit_order)
{
    static const char *const want[] = { "customer.created", "customer.updated",
                                        "customer.deleted" };
    const char *hook, *c;
    long long seq = 0;
    json_t *log, *h;
    struct reply r;

    receiver_start();
    hook = hook_create("main", "[\"customer.*\"]");
    c = person("Ada");
    http("PATCH", pathf("/v1/customers/%s", c), "application/merge-patch+json",
         "{\"notes\": \"webhook\"}", NULL, &r);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
    http("DELETE", pathf("/v1/customers/%s", c), NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    reply_free(&r);
    ck_assert_int_eq(receiver_wait(3, WAIT_S), 3);
    for (int i = 0; i < 3; i++) {
        struct received got = receiver_get(i);
        json_t *b = verified(i, SECRET);

        ck_assert_str_eq(got.webhook_id, hook);
        ck_assert_str_eq(got.attempt, "1");
        ck_assert_str_eq(sget(b, "event"), want[i]);
        ck_assert_str_eq(sget(b, "type"), "customer");
        ck_assert_str_eq(sget(b, "id"), c);
        ck_assert_int_gt(json_integer_value(json_object_get(b, "seq")), seq);
        seq = json_integer_value(json_object_get(b, "seq"));
        if (i == 0)
            ck_assert_str_eq(sget(json_object_get(b, "data"), "given_name"), "Ada");
        if (i == 2)
            ck_assert_str_eq(sget(json_object_get(b, "data"), "id"), c);
        json_decref(b);
    }
    ck_assert_int_eq(receiver_count(0), 3);
    log = deliveries_wait(hook, 3);
    h = fetch(pathf("/v1/webhooks/%s", hook));
    ck_assert_int_eq(json_integer_value(json_object_get(h, "failures")), 0);
    ck_assert_str_eq(sget(h, "cursor"), receiver_get(2).event_id);
    ck_assert_ptr_null(json_object_get(h, "secret"));
    json_decref(h);
    ck_assert_int_eq(json_array_size(log), 3);
    ck_assert_str_eq(item_str(log, 0, "event"), "customer.deleted");
    ck_assert_str_eq(item_str(log, 0, "event_id"), receiver_get(2).event_id);
    ck_assert_str_eq(item_str(log, 0, "outcome"), "delivered");
    ck_assert_int_eq(item_int(log, 0, "status_code"), 204);
    ck_assert_int_eq(item_int(log, 0, "attempt"), 1);
    ck_assert(json_is_null(json_object_get(json_array_get(log, 0), "error")));
    ck_assert_str_eq(item_str(log, 2, "event"), "customer.created");
    json_decref(log);
    hook_delete(hook);
    receiver_stop();
}
END_TEST

START_TEST(many_changes_arrive_in_commit_order)
{
    const char *hook;
    char ids[20][40];
    long long seq = 0;

    receiver_start();
    hook = hook_create("main", "[\"customer.created\"]");
    for (int i = 0; i < 20; i++)
        snprintf(ids[i], sizeof ids[i], "%s", person(pathf("N%d", i)));
    ck_assert_int_eq(receiver_wait(20, WAIT_S), 20);
    for (int i = 0; i < 20; i++) {
        json_t *b = verified(i, SECRET);
        ck_assert_str_eq(sget(b, "id"), ids[i]);
        ck_assert_int_gt(json_integer_value(json_object_get(b, "seq")), seq);
        seq = json_integer_value(json_object_get(b, "seq"));
        json_decref(b);
    }
    hook_delete(hook);
    receiver_stop();
}
END_TEST

START_TEST(failed_delivery_is_retried_before_the_next_change)
{
    static const char *const attempts[] = { "1", "2", "3", "1" };
    const char *hook, *c1, *c2;
    json_t *log, *h;

    receiver_start();
    receiver_fail_next(2, 500);
    hook = hook_create("main", "[\"customer.created\"]");
    c1 = person("First");
    c2 = person("Second");
    ck_assert_int_eq(receiver_wait(2, WAIT_S), 2);
    ck_assert_int_eq(receiver_count(0), 4);
    for (int i = 0; i < 4; i++) {
        struct received got = receiver_get(i);
        json_t *b = verified(i, SECRET);
        ck_assert_str_eq(sget(b, "id"), i < 3 ? c1 : c2);
        ck_assert_str_eq(got.attempt, attempts[i]);
        ck_assert_int_eq(got.status, i < 2 ? 500 : 204);
        json_decref(b);
    }
    ck_assert_str_eq(receiver_get(0).event_id, receiver_get(2).event_id);
    log = deliveries_wait(hook, 4);
    ck_assert_int_eq(json_array_size(log), 4);
    ck_assert_int_eq(item_int(log, 0, "attempt"), 1);
    ck_assert_str_eq(item_str(log, 0, "outcome"), "delivered");
    ck_assert_int_eq(item_int(log, 1, "attempt"), 3);
    ck_assert_str_eq(item_str(log, 1, "outcome"), "delivered");
    ck_assert_str_eq(item_str(log, 2, "outcome"), "failed");
    ck_assert_int_eq(item_int(log, 2, "status_code"), 500);
    ck_assert_int_eq(item_int(log, 2, "attempt"), 2);
    ck_assert_ptr_nonnull(strstr(item_str(log, 2, "error"), "500"));
    ck_assert_str_eq(item_str(log, 3, "event_id"), item_str(log, 1, "event_id"));
    json_decref(log);
    h = fetch(pathf("/v1/webhooks/%s", hook));
    ck_assert_int_eq(json_integer_value(json_object_get(h, "failures")), 0);
    ck_assert(json_is_null(json_object_get(h, "next_attempt_at")));
    json_decref(h);
    hook_delete(hook);
    receiver_stop();
}
END_TEST

START_TEST(unreachable_receiver_backs_off_and_a_new_url_retries_at_once)
{
    double deadline = now_s() + WAIT_S;
    json_t *h = NULL, *log;
    char body[256], hook[40];
    struct reply r;

    receiver_start();
    /* port 1 on the loopback: connection refused */
    snprintf(body, sizeof body,
             "{\"url\": \"http://127.0.0.1:1/x\", \"events\": [\"*\"], \"secret\": \"%s\"}",
             SECRET);
    http_json("POST", "/v1/webhooks", body, &r);
    assert_json(&r, 201);
    snprintf(hook, sizeof hook, "%s", jstr(&r, "id"));
    reply_free(&r);
    person("Unreached");
    do {
        char *was = h ? json_dumps(h, JSON_COMPACT) : NULL;

        json_decref(h);
        ck_assert_msg(now_s() < deadline, "no second failed attempt in time: %s", was);
        free(was);
        nanosleep(&(struct timespec){ 0, 5000000L }, NULL);
        h = fetch(pathf("/v1/webhooks/%s", hook));
    } while (json_integer_value(json_object_get(h, "failures")) < 2);
    ck_assert(json_is_string(json_object_get(h, "next_attempt_at")));
    json_decref(h);
    log = deliveries(hook);
    ck_assert_int_ge(json_array_size(log), 2);
    ck_assert_str_eq(item_str(log, 0, "outcome"), "failed");
    ck_assert(json_is_null(json_object_get(json_array_get(log, 0), "status_code")));
    ck_assert_uint_gt(strlen(item_str(log, 0, "error")), 0);
    json_decref(log);
    h = hook_patch(hook, pathf("{\"url\": \"%s\"}", receiver_url("main")), 200);
    ck_assert_int_eq(json_integer_value(json_object_get(h, "failures")), 0);
    json_decref(h);
    ck_assert_int_eq(receiver_wait(1, WAIT_S), 1);
    ck_assert_str_eq(receiver_get(0).attempt, "1");
    json_decref(verified(0, SECRET));
    hook_delete(hook);
    receiver_stop();
}
END_TEST

START_TEST(events_select_what_is_delivered)
{
    const char *hook, *control, *owner;
    struct received got;

    receiver_start();
    hook = hook_create("main", "[\"vehicle.created\"]");
    control = hook_create("control", "[\"*\"]");
    owner = person("Owner");
    create_ok("/v1/vehicles",
              pathf("{\"plate\": \"M-WH %d\", \"make\": \"VW\", \"owner_id\": \"%s\"}",
                    (int)(getpid() % 9000) + 1, owner));
    ck_assert_int_eq(receiver_wait(3, WAIT_S), 3);
    ck_assert_int_eq(receiver_count_tag("control"), 2);
    ck_assert_int_eq(receiver_count_tag("main"), 1);
    for (int i = 0; i < 3; i++) {
        got = receiver_get(i);
        if (strcmp(got.path, "/hooks/main") == 0)
            ck_assert_str_eq(got.event_type, "vehicle.created");
    }
    hook_delete(hook);
    hook_delete(control);
    receiver_stop();
}
END_TEST

START_TEST(paused_subscription_waits_and_resumes_where_it_stopped)
{
    const char *hook, *control, *c;
    json_t *h, *b;

    receiver_start();
    hook = hook_create("main", "[\"*\"]");
    h = hook_patch(hook, "{\"status\": \"paused\"}", 200);
    ck_assert_str_eq(sget(h, "status"), "paused");
    ck_assert_int_eq(json_integer_value(json_object_get(h, "version")), 2);
    json_decref(h);
    control = hook_create("control", "[\"*\"]");
    c = person("Paused");
    ck_assert_int_eq(receiver_wait(1, WAIT_S), 1);
    ck_assert_int_eq(receiver_count_tag("main"), 0);
    json_decref(hook_patch(hook, "{\"status\": \"active\"}", 200));
    ck_assert_int_eq(receiver_wait(2, WAIT_S), 2);
    ck_assert_int_eq(receiver_count_tag("main"), 1);
    b = verified(1, SECRET);
    ck_assert_str_eq(sget(b, "id"), c);
    ck_assert_str_eq(sget(b, "event"), "customer.created");
    json_decref(b);
    hook_delete(hook);
    hook_delete(control);
    receiver_stop();
}
END_TEST

START_TEST(deleted_subscription_receives_nothing)
{
    const char *hook, *control;
    struct reply r;

    receiver_start();
    hook = hook_create("main", "[\"*\"]");
    control = hook_create("control", "[\"*\"]");
    hook_delete(hook);
    person("Deleted");
    ck_assert_int_eq(receiver_wait(1, WAIT_S), 1);
    ck_assert_int_eq(receiver_count_tag("main"), 0);
    assert_gone(pathf("/v1/webhooks/%s", hook));
    http_get(pathf("/v1/webhooks/%s/deliveries", hook), &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
    http("DELETE", pathf("/v1/webhooks/%s", hook), NULL, NULL, NULL, &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
    hook_delete(control);
    receiver_stop();
}
END_TEST

START_TEST(generated_secret_is_shown_once_and_signs)
{
    char secret[128], id[40];
    json_t *items, *h;
    struct reply r;
    size_t i;

    receiver_start();
    http_json("POST", "/v1/webhooks",
              pathf("{\"url\": \"%s\", \"events\": [\"customer.created\"], \"description\": "
                    "\"ERP sync\"}",
                    receiver_url("main")),
              &r);
    assert_json(&r, 201);
    ck_assert_uint_eq(strlen(jstr(&r, "secret")), 70);
    ck_assert_int_eq(strncmp(jstr(&r, "secret"), "whsec_", 6), 0);
    snprintf(secret, sizeof secret, "%s", jstr(&r, "secret"));
    snprintf(id, sizeof id, "%s", jstr(&r, "id"));
    ck_assert_str_eq(r.location, pathf("/v1/webhooks/%s", id));
    ck_assert_str_eq(jstr(&r, "status"), "active");
    ck_assert_str_eq(jstr(&r, "description"), "ERP sync");
    reply_free(&r);
    h = fetch(pathf("/v1/webhooks/%s", id));
    ck_assert_ptr_null(json_object_get(h, "secret"));
    json_decref(h);
    items = fetch_items("/v1/webhooks?limit=200");
    json_array_foreach(items, i, h)
        ck_assert_ptr_null(json_object_get(h, "secret"));
    json_decref(items);
    h = hook_patch(id, "{\"description\": null}", 200);
    ck_assert_ptr_null(json_object_get(h, "secret"));
    ck_assert(json_is_null(json_object_get(h, "description")));
    json_decref(h);
    person("Signed");
    ck_assert_int_eq(receiver_wait(1, WAIT_S), 1);
    json_decref(verified(0, secret));
    hook_delete(id);
    receiver_stop();
}
END_TEST

START_TEST(after_replays_changes_since_a_cursor)
{
    char start[64], hook[40];
    const char *c;
    json_t *h, *b;
    struct reply r;

    receiver_start();
    snprintf(hook, sizeof hook, "%s", hook_create("main", "[\"customer.created\"]"));
    h = fetch(pathf("/v1/webhooks/%s", hook));
    snprintf(start, sizeof start, "%s", sget(h, "cursor"));
    json_decref(h);
    hook_delete(hook);
    c = person("Replayed");
    http_json("POST", "/v1/webhooks",
              pathf("{\"url\": \"%s\", \"events\": [\"customer.created\"], \"secret\": \"%s\", "
                    "\"after\": \"%s\"}",
                    receiver_url("main"), SECRET, start),
              &r);
    assert_json(&r, 201);
    ck_assert_ptr_null(json_object_get(r.json, "after"));
    snprintf(hook, sizeof hook, "%s", jstr(&r, "id"));
    reply_free(&r);
    ck_assert_int_ge(receiver_wait(1, WAIT_S), 1);
    b = verified(0, SECRET);
    ck_assert_str_eq(sget(b, "id"), c);
    json_decref(b);
    hook_delete(hook);
    receiver_stop();
}
END_TEST

START_TEST(slow_receiver_does_not_hold_up_others)
{
    const char *slow, *fast;
    double t0;

    receiver_start();
    slow = hook_create("slow", "[\"customer.created\"]");
    fast = hook_create("fast", "[\"customer.created\"]");
    t0 = now_s();
    for (int i = 0; i < 3; i++)
        person(pathf("S%d", i));
    /* the slow one needs 4.5 s for three; the fast one is not behind it */
    while (receiver_count_tag("fast") < 3 && now_s() < t0 + 1.4) {
        struct timespec ts = { 0, 5000000L };
        nanosleep(&ts, NULL);
    }
    ck_assert_int_eq(receiver_count_tag("fast"), 3);
    ck_assert_int_le(receiver_count_tag("slow"), 1);
    hook_delete(slow);
    hook_delete(fast);
    receiver_stop();
}
END_TEST

START_TEST(stop_abandons_a_delivery_and_the_restart_sends_it_again)
{
    struct server shared = srv, own;
    double t0, deadline;
    char cmd[400], db[320];
    const char *hook;
    json_t *log;

    /* a server of its own; the shared one keeps running and srv points at it again after */
    memset(&own, 0, sizeof own);
    server_start(&own, NULL, hooks_env);
    receiver_start();
    hook = hook_create("slow", "[\"customer.created\"]");
    person("Restart");
    deadline = now_s() + WAIT_S;
    while (receiver_arrived() < 1) {
        struct timespec ts = { 0, 5000000L };
        ck_assert_msg(now_s() < deadline, "the delivery did not start");
        nanosleep(&ts, NULL);
    }
    t0 = now_s();
    ck_assert_int_eq(server_stop(&own), 0);
    ck_assert_msg(now_s() - t0 < 1.4, "stopping waited %.3f s for the receiver", now_s() - t0);
    snprintf(db, sizeof db, "%s", own.db);
    server_start(&own, db, hooks_env);
    /* the abandoned request (answered to nobody) and the one after the restart */
    ck_assert_int_eq(receiver_wait(2, WAIT_S), 2);
    ck_assert_str_eq(receiver_get(0).event_id, receiver_get(1).event_id);
    ck_assert_str_eq(receiver_get(1).attempt, "1");
    json_decref(verified(1, SECRET));
    log = deliveries_wait(hook, 1);
    ck_assert_int_eq(json_array_size(log), 1);
    ck_assert_str_eq(item_str(log, 0, "outcome"), "delivered");
    json_decref(log);
    ck_assert_int_eq(server_stop(&own), 0);
    receiver_stop();
    snprintf(cmd, sizeof cmd, "rm -rf %s", own.dir);
    ck_assert_int_eq(system(cmd), 0);
    srv = shared;
}
END_TEST

static const struct {
    const char *body;
    const char *field;
} bad[] = {
    { "{\"events\": [\"*\"]}", "url" },
    { "{\"url\": \"ftp://h.example/x\", \"events\": [\"*\"]}", "url" },
    { "{\"url\": \"hooks.example.com/in\", \"events\": [\"*\"]}", "url" },
    { "{\"url\": \"https://u:pw@h.example/\", \"events\": [\"*\"]}", "url" },
    { "{\"url\": \"https://h.example/#top\", \"events\": [\"*\"]}", "url" },
    { "{\"url\": 42, \"events\": [\"*\"]}", "url" },
    { "{\"url\": \"https://h.example/\"}", "events" },
    { "{\"url\": \"https://h.example/\", \"events\": []}", "events" },
    { "{\"url\": \"https://h.example/\", \"events\": \"*\"}", "events" },
    { "{\"url\": \"https://h.example/\", \"events\": [\"customer.create\"]}", "events[0]" },
    { "{\"url\": \"https://h.example/\", \"events\": [\"*\", \"*\"]}", "events[1]" },
    { "{\"url\": \"https://h.example/\", \"events\": [\"*\"], \"secret\": \"short\"}", "secret" },
    { "{\"url\": \"https://h.example/\", \"events\": [\"*\"], \"status\": \"off\"}", "status" },
    { "{\"url\": \"https://h.example/\", \"events\": [\"*\"], \"description\": \"\"}",
      "description" },
    { "{\"url\": \"https://h.example/\", \"events\": [\"*\"], \"after\": \"nope\"}", "after" },
    { "{\"url\": \"https://h.example/\", \"events\": [\"*\"], \"colour\": \"red\"}", "colour" },
    { "{\"url\": \"https://h.example/\", \"events\": [\"*\"], \"id\": "
      "\"0b7e7d1c-3d3a-4b8e-9a51-2f7d8c9e0a11\"}",
      "id" },
    { "{\"url\": \"https://h.example/\", \"events\": [\"*\"], \"cursor\": \"x\"}", "cursor" },
    { "{\"url\": \"https://h.example/\", \"events\": [\"*\"], \"failures\": 0}", "failures" },
};

START_TEST(bad_bodies_are_400)
{
    json_t *before = fetch_items("/v1/webhooks?limit=200"), *after;
    struct reply r;

    http_json("POST", "/v1/webhooks", bad[_i].body, &r);
    assert_problem(&r, 400, "validation");
    assert_field_error(&r, bad[_i].field);
    reply_free(&r);
    after = fetch_items("/v1/webhooks?limit=200");
    ck_assert_uint_eq(json_array_size(after), json_array_size(before));
    json_decref(before);
    json_decref(after);
}
END_TEST

START_TEST(patch_rules)
{
    const char *hook;
    json_t *h;
    struct reply r;

    receiver_start();
    hook = hook_create("main", "[\"*\"]");
    h = hook_patch(hook, "{\"events\": [\"vehicle.*\", \"customer.deleted\"]}", 200);
    ck_assert_int_eq(json_integer_value(json_object_get(h, "version")), 2);
    ck_assert_uint_eq(json_array_size(json_object_get(h, "events")), 2);
    json_decref(h);
    h = hook_patch(hook, "{\"events\": [\"vehicle.*\", \"customer.deleted\"]}", 200);
    ck_assert_int_eq(json_integer_value(json_object_get(h, "version")), 2); /* nothing changed */
    json_decref(h);
    http("PATCH", pathf("/v1/webhooks/%s", hook), "application/merge-patch+json",
         "{\"secret\": \"another-secret-0123456789\"}", NULL, &r);
    assert_problem(&r, 400, "validation");
    assert_field_error(&r, "secret");
    reply_free(&r);
    http("PATCH", pathf("/v1/webhooks/%s", hook), "application/merge-patch+json",
         "{\"failures\": 5, \"url\": \"mailto:x@example.com\"}", NULL, &r);
    assert_problem(&r, 400, "validation");
    assert_field_error(&r, "failures");
    assert_field_error(&r, "url");
    reply_free(&r);
    http("PATCH", pathf("/v1/webhooks/%s", hook), "text/plain", "{}", NULL, &r);
    assert_problem(&r, 415, "unsupported-media-type");
    reply_free(&r);
    http("PATCH", "/v1/webhooks/0b7e7d1c-3d3a-4b8e-9a51-2f7d8c9e0a11",
         "application/merge-patch+json", "{}", NULL, &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
    http_get(pathf("/v1/webhooks/%s?verbose=1", hook), &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
    assert_gone("/v1/webhooks/not-a-uuid");
    h = fetch(pathf("/v1/webhooks/%s", hook));
    ck_assert_int_eq(json_integer_value(json_object_get(h, "version")), 2);
    json_decref(h);
    hook_delete(hook);
    receiver_stop();
}
END_TEST

START_TEST(limit_and_paging)
{
    json_t *items = fetch_items("/v1/webhooks?limit=200"), *page;
    size_t existing = json_array_size(items), seen = 0;
    char ids[100][40], cursor[64] = "";
    int made = 0;
    struct reply r;

    json_decref(items);
    for (; existing + (size_t)made < 100; made++) {
        http_json("POST", "/v1/webhooks",
                  "{\"url\": \"https://hooks.example.com/in\", \"events\": [\"*\"], "
                  "\"status\": \"paused\"}",
                  &r);
        assert_json(&r, 201);
        snprintf(ids[made], sizeof ids[made], "%s", jstr(&r, "id"));
        reply_free(&r);
    }
    http_json("POST", "/v1/webhooks",
              "{\"url\": \"https://hooks.example.com/in\", \"events\": [\"*\"]}", &r);
    assert_problem(&r, 409, "conflict");
    reply_free(&r);
    do {
        page = fetch(pathf("/v1/webhooks?limit=30%s%s", cursor[0] ? "&cursor=" : "", cursor));
        seen += json_array_size(json_object_get(page, "items"));
        snprintf(cursor, sizeof cursor, "%s",
                 json_is_string(json_object_get(page, "next_cursor"))
                     ? sget(page, "next_cursor")
                     : "");
        json_decref(page);
    } while (cursor[0]);
    ck_assert_uint_eq(seen, 100);
    http_get("/v1/webhooks?cursor=AQEAAAAAAAAAA6Jm", &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
    http_get("/v1/webhooks?limit=0", &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
    for (int i = 0; i < made; i++)
        hook_delete(ids[i]);
}
END_TEST

START_TEST(delivery_log_pages_newest_first)
{
    const char *hook;
    json_t *page, *all;
    char cursor[64];

    receiver_start();
    hook = hook_create("main", "[\"customer.created\"]");
    for (int i = 0; i < 5; i++)
        person(pathf("L%d", i));
    ck_assert_int_eq(receiver_wait(5, WAIT_S), 5);
    all = deliveries_wait(hook, 5);
    page = fetch(pathf("/v1/webhooks/%s/deliveries?limit=2", hook));
    ck_assert_uint_eq(json_array_size(json_object_get(page, "items")), 2);
    ck_assert(json_equal(json_array_get(json_object_get(page, "items"), 1),
                         json_array_get(all, 1)));
    snprintf(cursor, sizeof cursor, "%s", sget(page, "next_cursor"));
    json_decref(page);
    page = fetch(pathf("/v1/webhooks/%s/deliveries?limit=2&cursor=%s", hook, cursor));
    ck_assert(json_equal(json_array_get(json_object_get(page, "items"), 0),
                         json_array_get(all, 2)));
    ck_assert_int_gt(item_int(all, 0, "id"), item_int(all, 1, "id"));
    json_decref(page);
    json_decref(all);
    hook_delete(hook);
    receiver_stop();
}
END_TEST

/* POST /v1/webhooks to url: the answer (status checked by the caller). */
static void
hook_post(const char *url, struct reply *r)
{
    http_json("POST", "/v1/webhooks",
              pathf("{\"url\": \"%s\", \"events\": [\"*\"], \"secret\": \"%s\"}", url, SECRET),
              r);
}

/* A failed attempt's error in the delivery log of a new hook to url, after one change. */
static char *
first_error(const char *url, const char *given)
{
    struct reply r;
    char hook[40], *error;
    json_t *log;

    hook_post(url, &r);
    assert_json(&r, 201);
    snprintf(hook, sizeof hook, "%s", jstr(&r, "id"));
    reply_free(&r);
    person(given);
    log = deliveries_wait(hook, 1);
    ck_assert_str_eq(item_str(log, 0, "outcome"), "failed");
    error = strdup(item_str(log, 0, "error"));
    json_decref(log);
    hook_delete(hook);
    return error;
}

/* A TCP service that is not HTTP: it greets like SSH and closes (one connection at a time). */
static void *
not_http(void *arg)
{
    int fd = *(int *)arg, c;

    while ((c = accept(fd, NULL, NULL)) >= 0) {
        const char hello[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n";
        if (write(c, hello, sizeof hello - 1) < 0) {
            /* the client left first: nothing to tell */
        }
        close(c);
    }
    return NULL;
}

/* The delivery log tells no port state: a closed port and a non-HTTP service read the same. */
START_TEST(closed_port_and_other_service_look_the_same)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t alen = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    pthread_t t;
    char *closed, *other;

    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(listen(fd, 8), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
    ck_assert_int_eq(pthread_create(&t, NULL, not_http, &fd), 0);
    closed = first_error("http://127.0.0.1:1/x", "Closedport");
    other = first_error(pathf("http://127.0.0.1:%d/x", ntohs(a.sin_port)), "Otherservice");
    ck_assert_str_eq(closed, "connection_failed: no HTTP answer from the receiver");
    ck_assert_str_eq(other, closed);
    free(closed);
    free(other);
    shutdown(fd, SHUT_RDWR);
    close(fd);
    pthread_join(t, NULL);
}
END_TEST

/* Written without --webhook-allow: hosts in refused ranges, and what the message names. */
static const struct {
    const char *url, *says;
} refused_urls[] = {
    { "http://127.0.0.1:9/x", "a loopback address" },
    { "http://127.8.9.10/x", "a loopback address" },
    { "http://[::1]:8080/x", "a loopback address" },
    { "http://localhost:9/x", "the local machine (localhost)" },
    { "http://LOCALHOST./x", "the local machine (localhost)" },
    { "http://10.1.2.3/x", "a private address (10.0.0.0/8)" },
    { "http://172.31.255.1/x", "a private address (172.16.0.0/12)" },
    { "http://192.168.178.1/x", "a private address (192.168.0.0/16)" },
    { "http://169.254.169.254/latest/meta-data/", "a link-local address" },
    { "http://[fe80::1]/x", "a link-local address (fe80::/10)" },
    { "http://[fd00::5]/x", "a unique local (private) address" },
    { "http://[::ffff:10.0.0.1]/x", "a private address (10.0.0.0/8)" },
    { "http://100.64.1.1/x", "carrier-grade NAT" },
    { "http://0.0.0.0:8080/x", "an unspecified address" },
    { "http://224.0.0.1/x", "a multicast address" },
};

static void
strict_setup(void)
{
    static const char *const env[] = { "CRMD_WEBHOOK_ALLOW=", "CRMD_WEBHOOK_BACKOFF_MS=100",
                                       "CRMD_WEBHOOK_CONNECT_TIMEOUT=1", NULL };
    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, env);
}

START_TEST(private_destinations_are_refused)
{
    struct reply r;
    json_t *e;

    hook_post(refused_urls[_i].url, &r);
    assert_problem(&r, 400, "validation");
    e = json_array_get(json_object_get(r.json, "errors"), 0);
    ck_assert_str_eq(sget(e, "field"), "url");
    ck_assert_msg(strstr(sget(e, "message"), refused_urls[_i].says) &&
                      strstr(sget(e, "message"), "--webhook-allow"),
                  "%s: %s", refused_urls[_i].url, sget(e, "message"));
    reply_free(&r);
}
END_TEST

/*
 * A name is judged where it leads: one that resolves to this machine (its
 * own host name, 127.0.1.1 on Debian) is accepted when written, and every
 * delivery ends before connecting, the class in the log (DNS rebinding).
 */
START_TEST(a_name_that_resolves_to_loopback_is_refused_at_delivery)
{
    struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *ai = NULL;
    char host[256], *error;
    int arrived;

    ck_assert_int_eq(gethostname(host, sizeof host), 0);
    if (getaddrinfo(host, NULL, &hints, &ai) != 0 ||
        (ntohl(((struct sockaddr_in *)ai->ai_addr)->sin_addr.s_addr) >> 24) != 127) {
        fprintf(stderr, "# skipped: host name %s does not resolve to loopback here\n", host);
        if (ai)
            freeaddrinfo(ai);
        return;
    }
    freeaddrinfo(ai);
    receiver_start();
    arrived = receiver_arrived();
    error = first_error(pathf("http://%s:%s", host, strchr(receiver_url("main") + 7, ':') + 1),
                        "Rebound");
    ck_assert_msg(strncmp(error, "refused_destination: the receiver's address 127.", 48) == 0 &&
                      strstr(error, "is a loopback address (127.0.0.0/8); --webhook-allow can"),
                  "%s", error);
    ck_assert_int_eq(receiver_arrived(), arrived);
    free(error);
    receiver_stop();
}
END_TEST

Suite *
webhooks_suite(void)
{
    Suite *s = suite_create("webhooks");
    TCase *tc = tcase_create("webhooks");

    tcase_add_unchecked_fixture(tc, hooks_setup, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, signed_deliveries_in_commit_order);
    tcase_add_test(tc, many_changes_arrive_in_commit_order);
    tcase_add_test(tc, failed_delivery_is_retried_before_the_next_change);
    tcase_add_test(tc, unreachable_receiver_backs_off_and_a_new_url_retries_at_once);
    tcase_add_test(tc, events_select_what_is_delivered);
    tcase_add_test(tc, paused_subscription_waits_and_resumes_where_it_stopped);
    tcase_add_test(tc, deleted_subscription_receives_nothing);
    tcase_add_test(tc, generated_secret_is_shown_once_and_signs);
    tcase_add_test(tc, after_replays_changes_since_a_cursor);
    tcase_add_test(tc, slow_receiver_does_not_hold_up_others);
    tcase_add_test(tc, stop_abandons_a_delivery_and_the_restart_sends_it_again);
    tcase_add_loop_test(tc, bad_bodies_are_400, 0, (int)(sizeof bad / sizeof bad[0]));
    tcase_add_test(tc, patch_rules);
    tcase_add_test(tc, limit_and_paging);
    tcase_add_test(tc, delivery_log_pages_newest_first);
    tcase_add_test(tc, closed_port_and_other_service_look_the_same);
    suite_add_tcase(s, tc);
    tc = tcase_create("destinations");
    tcase_add_unchecked_fixture(tc, strict_setup, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, private_destinations_are_refused, 0,
                        (int)(sizeof refused_urls / sizeof refused_urls[0]));
    tcase_add_test(tc, a_name_that_resolves_to_loopback_is_refused_at_delivery);
    suite_add_tcase(s, tc);
    return s;
}
