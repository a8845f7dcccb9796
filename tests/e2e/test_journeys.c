/*
 * test_journeys: journeys and experience metrics over HTTP. Journeys:
 * the score as the product of the scored steps (unscored steps ignored,
 * none scored → null), order by occurred_at, the weakest step, 404s and
 * a customer's journeys newest first. Metrics: NPS arithmetic and its
 * edge cases, averages per kind/channel/department, journey scores,
 * drag, filters and their 400s. Journey tests share one server and use
 * fresh customers and journey ids; metrics tests need an exact dataset,
 * so each gets its own server with a fresh database (checked fixture).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "suites.h"

#define ID_LEN 40

static const char ghost[] = "7f1c4c1e-2a7b-4d7e-9a51-0000000000bb";

/* A random (v4) UUID: journey ids are chosen by the client. */
static void
new_uuid(char out[ID_LEN])
{
    unsigned char b[16];
    FILE *f = fopen("/dev/urandom", "rb");

    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fread(b, 1, sizeof b, f), sizeof b);
    fclose(f);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, ID_LEN, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
}

static void
new_customer(char out[ID_LEN])
{
    snprintf(out, ID_LEN, "%s",
             create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Reise\"}"));
}

/* A touchpoint's optional parts; NULL / negative = absent. */
struct tp {
    const char *journey;
    const char *kind;    /* default service_visit */
    const char *channel; /* default in_person */
    const char *department;
    const char *at;      /* occurred_at, required here */
    double satisfaction; /* < 0: none */
    int nps;             /* < 0: none */
};

/* Create touchpoint t of customer; returns its id (rotating static storage). */
static const char *
add_tp(const char *customer, const struct tp *t)
{
    char body[1024];
    int n;

    n = snprintf(
        body, sizeof body,
        "{\"customer_id\":\"%s\",\"kind\":\"%s\",\"channel\":\"%s\",\"occurred_at\":\"%s\"",
        customer, t->kind ? t->kind : "service_visit", t->channel ? t->channel : "in_person",
        t->at);
    if (t->journey)
        n += snprintf(body + n, sizeof body - (size_t)n, ",\"journey_id\":\"%s\"", t->journey);
    if (t->department)
        n += snprintf(body + n, sizeof body - (size_t)n, ",\"department\":\"%s\"", t->department);
    if (t->satisfaction >= 0)
        n += snprintf(body + n, sizeof body - (size_t)n, ",\"satisfaction\":%g", t->satisfaction);
    if (t->nps >= 0)
        n += snprintf(body + n, sizeof body - (size_t)n, ",\"nps\":%d", t->nps);
    snprintf(body + n, sizeof body - (size_t)n, "}");
    return create_ok("/v1/touchpoints", body);
}

/* Member key of o is a number close to want. */
static void
assert_num(const json_t *o, const char *key, double want)
{
    json_t *v = json_object_get(o, key);

    ck_assert_msg(json_is_number(v), "%s is not a number", key);
    ck_assert_msg(fabs(json_number_value(v) - want) < 1e-9, "%s = %.17g, want %g", key,
                  json_number_value(v), want);
}

static void
assert_null(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);

    ck_assert_msg(v != NULL, "%s is absent (want null)", key);
    ck_assert_msg(json_is_null(v), "%s is not null", key);
}

static json_int_t
iget(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);

    ck_assert_msg(json_is_integer(v), "%s is not an integer", key);
    return json_integer_value(v);
}

/* ---- journeys ---- */

START_TEST(journey_score_is_the_product)
{
    char cust[ID_LEN], j[ID_LEN], app[ID_LEN], desk[ID_LEN];
    json_t *doc, *tps, *weakest;

    new_customer(cust);
    new_uuid(j);
    snprintf(app, sizeof app, "%s",
             add_tp(cust, &(struct tp){ .journey = j,
                                        .kind = "app_booking",
                                        .channel = "app",
                                        .at = "2026-03-01T08:00:00Z",
                                        .satisfaction = 1.0,
                                        .nps = -1 }));
    snprintf(desk, sizeof desk, "%s",
             add_tp(cust, &(struct tp){ .journey = j,
                                        .department = "reception",
                                        .at = "2026-03-02T08:00:00Z",
                                        .satisfaction = 0.5,
                                        .nps = -1 }));
    doc = fetch(pathf("/v1/journeys/%s", j));
    ck_assert_str_eq(sget(doc, "id"), j);
    ck_assert_str_eq(sget(doc, "customer_id"), cust);
    assert_num(doc, "score", 0.5);
    ck_assert_str_eq(sget(doc, "started_at"), "2026-03-01T08:00:00Z");
    ck_assert_str_eq(sget(doc, "ended_at"), "2026-03-02T08:00:00Z");
    tps = json_object_get(doc, "touchpoints");
    ck_assert_int_eq(json_array_size(tps), 2);
    ck_assert_str_eq(sget(json_array_get(tps, 0), "id"), app);
    ck_assert_str_eq(sget(json_array_get(tps, 1), "id"), desk);
    /* full touchpoint representations */
    ck_assert_str_eq(sget(json_array_get(tps, 1), "department"), "reception");
    ck_assert_int_eq(iget(json_array_get(tps, 1), "version"), 1);
    weakest = json_object_get(doc, "weakest");
    ck_assert_str_eq(sget(weakest, "touchpoint_id"), desk);
    ck_assert_str_eq(sget(weakest, "kind"), "service_visit");
    assert_num(weakest, "satisfaction", 0.5);
    json_decref(doc);
}
END_TEST

START_TEST(unscored_step_is_ignored)
{
    char cust[ID_LEN], j[ID_LEN];
    json_t *doc;

    new_customer(cust);
    new_uuid(j);
    add_tp(cust, &(struct tp){
                     .journey = j, .at = "2026-03-01T08:00:00Z", .satisfaction = 1.0, .nps = -1 });
    add_tp(cust, &(struct tp){ .journey = j,
                               .kind = "phone_call",
                               .channel = "phone",
                               .at = "2026-03-01T09:00:00Z",
                               .satisfaction = -1,
                               .nps = 2 });
    add_tp(cust, &(struct tp){
                     .journey = j, .at = "2026-03-01T10:00:00Z", .satisfaction = 0.5, .nps = -1 });
    doc = fetch(pathf("/v1/journeys/%s", j));
    assert_num(doc, "score", 0.5);
    ck_assert_int_eq(json_array_size(json_object_get(doc, "touchpoints")), 3);
    assert_num(json_object_get(doc, "weakest"), "satisfaction", 0.5);
    json_decref(doc);
}
END_TEST

START_TEST(no_scored_step_means_null)
{
    char cust[ID_LEN], j[ID_LEN];
    json_t *doc;

    new_customer(cust);
    new_uuid(j);
    add_tp(cust, &(struct tp){
                     .journey = j, .at = "2026-03-01T08:00:00Z", .satisfaction = -1, .nps = -1 });
    add_tp(cust, &(struct tp){
                     .journey = j, .at = "2026-03-01T09:00:00Z", .satisfaction = -1, .nps = 10 });
    doc = fetch(pathf("/v1/journeys/%s", j));
    assert_null(doc, "score");
    assert_null(doc, "weakest");
    ck_assert_int_eq(json_array_size(json_object_get(doc, "touchpoints")), 2);
    json_decref(doc);
}
END_TEST

START_TEST(steps_in_time_order_and_weakest)
{
    char cust[ID_LEN], j[ID_LEN], ids[4][ID_LEN];
    static const char *const at[] = { "2026-04-03T10:00:00Z", "2026-04-01T10:00:00+02:00",
                                      "2026-04-02T10:00:00Z", "2026-04-04T10:00:00Z" };
    static const double sat[] = { 0.4, 0.9, 0.7, 0.4 };
    json_t *doc, *tps;

    new_customer(cust);
    new_uuid(j);
    /* created out of order: listed by occurred_at, not by creation */
    for (int i = 0; i < 4; i++)
        snprintf(ids[i], ID_LEN, "%s",
                 add_tp(cust, &(struct tp){
                                  .journey = j, .at = at[i], .satisfaction = sat[i], .nps = -1 }));
    doc = fetch(pathf("/v1/journeys/%s", j));
    tps = json_object_get(doc, "touchpoints");
    ck_assert_int_eq(json_array_size(tps), 4);
    ck_assert_str_eq(sget(json_array_get(tps, 0), "id"), ids[1]);
    ck_assert_str_eq(sget(json_array_get(tps, 1), "id"), ids[2]);
    ck_assert_str_eq(sget(json_array_get(tps, 2), "id"), ids[0]);
    ck_assert_str_eq(sget(json_array_get(tps, 3), "id"), ids[3]);
    ck_assert_str_eq(sget(doc, "started_at"), "2026-04-01T08:00:00Z");
    ck_assert_str_eq(sget(doc, "ended_at"), "2026-04-04T10:00:00Z");
    assert_num(doc, "score", 0.4 * 0.9 * 0.7 * 0.4);
    /* two steps rated 0.4: the earlier one is the weakest */
    ck_assert_str_eq(sget(json_object_get(doc, "weakest"), "touchpoint_id"), ids[0]);
    json_decref(doc);
}
END_TEST

START_TEST(zero_makes_zero_and_patch_rescores)
{
    char cust[ID_LEN], j[ID_LEN], bad[ID_LEN];
    struct reply r;
    json_t *doc;

    new_customer(cust);
    new_uuid(j);
    add_tp(cust, &(struct tp){
                     .journey = j, .at = "2026-05-01T08:00:00Z", .satisfaction = 0.9, .nps = -1 });
    snprintf(bad, sizeof bad, "%s",
             add_tp(cust, &(struct tp){ .journey = j,
                                        .at = "2026-05-01T09:00:00Z",
                                        .satisfaction = 0,
                                        .nps = -1 }));
    doc = fetch(pathf("/v1/journeys/%s", j));
    assert_num(doc, "score", 0.0);
    ck_assert_str_eq(sget(json_object_get(doc, "weakest"), "touchpoint_id"), bad);
    json_decref(doc);

    /* removing the rating (merge patch null) leaves the other step alone */
    http_json("PATCH", pathf("/v1/touchpoints/%s", bad), "{\"satisfaction\":null}", &r);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
    doc = fetch(pathf("/v1/journeys/%s", j));
    assert_num(doc, "score", 0.9);
    json_decref(doc);
}
END_TEST

START_TEST(journey_spanning_customers)
{
    char a[ID_LEN], b[ID_LEN], j[ID_LEN];
    json_t *doc, *items;

    new_customer(a);
    new_customer(b);
    new_uuid(j);
    add_tp(b, &(struct tp){
                  .journey = j, .at = "2026-06-02T08:00:00Z", .satisfaction = 0.5, .nps = -1 });
    add_tp(a, &(struct tp){
                  .journey = j, .at = "2026-06-01T08:00:00Z", .satisfaction = 0.8, .nps = -1 });
    doc = fetch(pathf("/v1/journeys/%s", j));
    ck_assert_str_eq(sget(doc, "customer_id"), a); /* of the first touchpoint */
    assert_num(doc, "score", 0.4);
    json_decref(doc);
    items = fetch_items(pathf("/v1/customers/%s/journeys", b));
    ck_assert_int_eq(json_array_size(items), 1);
    ck_assert_str_eq(sget(json_array_get(items, 0), "id"), j);
    ck_assert_int_eq(iget(json_array_get(items, 0), "touchpoint_count"), 2);
    json_decref(items);
}
END_TEST

START_TEST(journey_not_found)
{
    struct reply r;
    char j[ID_LEN], cust[ID_LEN];

    assert_gone(pathf("/v1/journeys/%s", ghost));
    assert_gone("/v1/journeys/not-a-uuid");
    /* a touchpoint without journey_id makes no journey of its own id */
    new_customer(cust);
    snprintf(
        j, sizeof j, "%s",
        add_tp(cust, &(struct tp){ .at = "2026-03-01T08:00:00Z", .satisfaction = 1, .nps = -1 }));
    assert_gone(pathf("/v1/journeys/%s", j));
    /* nor is a customer id a journey id */
    assert_gone(pathf("/v1/journeys/%s", cust));
    http_get(pathf("/v1/journeys/%s?expand=all", ghost), &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
    http_json("POST", pathf("/v1/journeys/%s", ghost), "{}", &r);
    ck_assert_int_eq(r.status, 405);
    reply_free(&r);
}
END_TEST

START_TEST(customer_journeys_newest_first)
{
    char cust[ID_LEN], j1[ID_LEN], j2[ID_LEN], j3[ID_LEN];
    struct reply r;
    json_t *items, *s;

    new_customer(cust);
    new_uuid(j1);
    new_uuid(j2);
    new_uuid(j3);
    /* j1 started first but ended last; j3 has no scored step */
    add_tp(cust, &(struct tp){ .journey = j1,
                               .kind = "app_booking",
                               .channel = "app",
                               .at = "2026-01-01T08:00:00Z",
                               .satisfaction = 1.0,
                               .nps = -1 });
    add_tp(cust, &(struct tp){ .journey = j2,
                               .kind = "test_drive",
                               .at = "2026-01-05T08:00:00Z",
                               .satisfaction = 0.8,
                               .nps = -1 });
    add_tp(cust, &(struct tp){
                     .journey = j1, .at = "2026-01-10T08:00:00Z", .satisfaction = 0.5, .nps = -1 });
    add_tp(cust, &(struct tp){ .journey = j1,
                               .kind = "survey",
                               .channel = "email",
                               .at = "2026-01-11T08:00:00Z",
                               .satisfaction = -1,
                               .nps = 9 });
    add_tp(cust, &(struct tp){ .journey = j3,
                               .kind = "email",
                               .channel = "email",
                               .at = "2026-01-07T08:00:00Z",
                               .satisfaction = -1,
                               .nps = -1 });
    add_tp(cust, &(struct tp){ .at = "2026-02-01T08:00:00Z",
                               .satisfaction = 0.1,
                               .nps = -1 }); /* no journey */

    http_get(pathf("/v1/customers/%s/journeys", cust), &r);
    assert_json(&r, 200);
    ck_assert(json_is_false(json_object_get(r.json, "has_more")));
    items = json_object_get(r.json, "items");
    ck_assert_int_eq(json_array_size(items), 3);
    s = json_array_get(items, 0);
    ck_assert_str_eq(sget(s, "id"), j1);
    ck_assert_str_eq(sget(s, "customer_id"), cust);
    assert_num(s, "score", 0.5);
    ck_assert_str_eq(sget(s, "started_at"), "2026-01-01T08:00:00Z");
    ck_assert_str_eq(sget(s, "ended_at"), "2026-01-11T08:00:00Z");
    ck_assert_int_eq(iget(s, "touchpoint_count"), 3);
    ck_assert_int_eq(json_array_size(json_object_get(s, "kinds")), 3);
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(s, "kinds"), 0)),
                     "app_booking");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(s, "kinds"), 1)),
                     "service_visit");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(s, "kinds"), 2)), "survey");
    assert_num(json_object_get(s, "weakest"), "satisfaction", 0.5);
    ck_assert_ptr_null(json_object_get(s, "touchpoints"));
    s = json_array_get(items, 1);
    ck_assert_str_eq(sget(s, "id"), j3);
    assert_null(s, "score");
    assert_null(s, "weakest");
    ck_assert_int_eq(iget(s, "touchpoint_count"), 1);
    s = json_array_get(items, 2);
    ck_assert_str_eq(sget(s, "id"), j2);
    assert_num(s, "score", 0.8);
    reply_free(&r);

    http_get(pathf("/v1/customers/%s/journeys?limit=2", cust), &r);
    assert_json(&r, 200);
    ck_assert(json_is_true(json_object_get(r.json, "has_more")));
    items = json_object_get(r.json, "items");
    ck_assert_int_eq(json_array_size(items), 2);
    ck_assert_str_eq(sget(json_array_get(items, 0), "id"), j1);
    ck_assert_str_eq(sget(json_array_get(items, 1), "id"), j3);
    reply_free(&r);

    http_get(pathf("/v1/customers/%s/journeys?limit=3", cust), &r);
    assert_json(&r, 200);
    ck_assert(json_is_false(json_object_get(r.json, "has_more")));
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 3);
    reply_free(&r);
}
END_TEST

START_TEST(customer_journeys_empty_and_errors)
{
    char cust[ID_LEN];
    struct reply r;
    json_t *items;
    static const char *const bad[] = { "limit=0", "limit=201", "limit=x", "cursor=abc",
                                       "from=2026" };

    new_customer(cust);
    items = fetch_items(pathf("/v1/customers/%s/journeys", cust));
    ck_assert_int_eq(json_array_size(items), 0);
    json_decref(items);
    assert_gone(pathf("/v1/customers/%s/journeys", ghost));
    assert_gone("/v1/customers/nobody/journeys");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        http_get(pathf("/v1/customers/%s/journeys?%s", cust, bad[i]), &r);
        ck_assert_msg(r.status == 400, "%s: status %ld", bad[i], r.status);
        assert_problem(&r, 400, "bad-request");
        reply_free(&r);
    }
}
END_TEST

/* ---- metrics ---- */

/* GET the metrics with query q ("" or "?..."), assert 200. */
static json_t *
metrics(const char *q)
{
    return fetch(pathf("/v1/metrics/experience%s", q));
}

static const char *const bad_metrics[] = {
    "?from=yesterday",
    "?to=2026-13-01T00:00:00Z",
    "?from=2026-01-10",
    "?kind=fax",
    "?kind=Service_Visit",
    "?department=hr",
    "?channel=pigeon",
    "?channel=",
    "?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z",
    "?from=2026-02-01T00:00:00Z&to=2026-02-01T00:00:00Z",
    "?from=2026-02-01T01:00:00%2B01:00&to=2026-02-01T00:00:00Z", /* equal once in UTC */
    "?kind=survey&kind=email",
    "?limit=5",
    "?customer_id=7f1c4c1e-2a7b-4d7e-9a51-0000000000bb",
};

START_TEST(metrics_bad_query)
{
    struct reply r;

    http_get(pathf("/v1/metrics/experience%s", bad_metrics[_i]), &r);
    ck_assert_msg(r.status == 400, "%s: status %ld: %s", bad_metrics[_i], r.status, r.body);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
}
END_TEST

START_TEST(metrics_empty_database)
{
    json_t *m = metrics(""), *nps, *sat, *jr;

    nps = json_object_get(m, "nps");
    assert_null(nps, "score");
    ck_assert_int_eq(iget(nps, "responses"), 0);
    ck_assert_int_eq(iget(nps, "promoters"), 0);
    ck_assert_int_eq(iget(nps, "passives"), 0);
    ck_assert_int_eq(iget(nps, "detractors"), 0);
    sat = json_object_get(m, "satisfaction");
    assert_null(sat, "average");
    ck_assert_int_eq(iget(sat, "count"), 0);
    ck_assert_int_eq(json_object_size(json_object_get(sat, "by_kind")), 0);
    ck_assert_int_eq(json_object_size(json_object_get(sat, "by_channel")), 0);
    ck_assert_int_eq(json_object_size(json_object_get(sat, "by_department")), 0);
    ck_assert(json_is_object(json_object_get(sat, "by_department")));
    jr = json_object_get(m, "journeys");
    ck_assert_int_eq(iget(jr, "count"), 0);
    ck_assert_int_eq(iget(jr, "scored"), 0);
    assert_null(jr, "average_score");
    ck_assert(json_is_array(json_object_get(m, "drag")));
    ck_assert_int_eq(json_array_size(json_object_get(m, "drag")), 0);
    json_decref(m);
    /* filters over nothing: the same zeros */
    m = metrics("?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z&kind=survey&channel=app"
                "&department=sales");
    assert_null(json_object_get(m, "nps"), "score");
    ck_assert_int_eq(iget(json_object_get(m, "journeys"), "count"), 0);
    json_decref(m);
}
END_TEST

/* NPS answers and the score they must give (NAN: null). */
static const struct {
    int answers[8];
    int n;
    double score;
    int promoters, passives, detractors;
} nps_cases[] = {
    { { 9, 10, 10 }, 3, 100.0, 3, 0, 0 }, { { 0, 6, 3, 5 }, 4, -100.0, 0, 0, 4 },
    { { 7, 8, 7 }, 3, 0.0, 0, 3, 0 },     { { 0 }, 0, NAN, 0, 0, 0 },
    { { 10, 7, 8 }, 3, 33.3, 1, 2, 0 },   { { 10, 9, 0 }, 3, 33.3, 2, 0, 1 },
    { { 6, 6, 9 }, 3, -33.3, 1, 0, 2 },   { { 9, 7, 7, 7, 7, 7, 7, 7 }, 8, 12.5, 1, 7, 0 },
    { { 10, 0 }, 2, 0.0, 1, 0, 1 },       { { 8, 9 }, 2, 50.0, 1, 1, 0 },
    { { 6, 7 }, 2, -50.0, 0, 1, 1 },
};

START_TEST(metrics_nps_arithmetic)
{
    char cust[ID_LEN];
    json_t *m, *nps;

    new_customer(cust);
    for (int i = 0; i < nps_cases[_i].n; i++)
        add_tp(cust, &(struct tp){ .kind = "survey",
                                   .channel = "email",
                                   .at = "2026-02-01T08:00:00Z",
                                   .satisfaction = -1,
                                   .nps = nps_cases[_i].answers[i] });
    /* a scored touchpoint without an NPS answer does not count as a response */
    add_tp(cust, &(struct tp){ .at = "2026-02-01T09:00:00Z", .satisfaction = 0.7, .nps = -1 });
    m = metrics("");
    nps = json_object_get(m, "nps");
    if (isnan(nps_cases[_i].score))
        assert_null(nps, "score");
    else
        assert_num(nps, "score", nps_cases[_i].score);
    ck_assert_int_eq(iget(nps, "responses"), nps_cases[_i].n);
    ck_assert_int_eq(iget(nps, "promoters"), nps_cases[_i].promoters);
    ck_assert_int_eq(iget(nps, "passives"), nps_cases[_i].passives);
    ck_assert_int_eq(iget(nps, "detractors"), nps_cases[_i].detractors);
    ck_assert_int_eq(iget(json_object_get(m, "satisfaction"), "count"), 1);
    json_decref(m);
}
END_TEST

START_TEST(metrics_averages_per_group)
{
    char cust[ID_LEN];
    json_t *m, *sat, *g;

    new_customer(cust);
    add_tp(cust, &(struct tp){ .department = "service",
                               .at = "2026-02-01T08:00:00Z",
                               .satisfaction = 0.5,
                               .nps = -1 });
    add_tp(cust, &(struct tp){ .department = "service",
                               .at = "2026-02-02T08:00:00Z",
                               .satisfaction = 1.0,
                               .nps = -1 });
    add_tp(cust, &(struct tp){ .kind = "app_booking",
                               .channel = "app",
                               .at = "2026-02-03T08:00:00Z",
                               .satisfaction = 0.8,
                               .nps = -1 }); /* no department */
    add_tp(cust, &(struct tp){ .kind = "phone_call",
                               .channel = "phone",
                               .department = "sales",
                               .at = "2026-02-04T08:00:00Z",
                               .satisfaction = -1,
                               .nps = 9 }); /* unscored */
    add_tp(cust, &(struct tp){ .kind = "survey",
                               .channel = "app",
                               .department = "sales",
                               .at = "2026-02-05T08:00:00Z",
                               .satisfaction = 0.2,
                               .nps = -1 });
    m = metrics("");
    sat = json_object_get(m, "satisfaction");
    assert_num(sat, "average", (0.5 + 1.0 + 0.8 + 0.2) / 4);
    ck_assert_int_eq(iget(sat, "count"), 4);

    g = json_object_get(sat, "by_kind");
    ck_assert_int_eq(json_object_size(g), 3); /* phone_call has no scored touchpoint */
    assert_num(json_object_get(g, "service_visit"), "average", 0.75);
    ck_assert_int_eq(iget(json_object_get(g, "service_visit"), "count"), 2);
    assert_num(json_object_get(g, "app_booking"), "average", 0.8);
    assert_num(json_object_get(g, "survey"), "average", 0.2);
    ck_assert_ptr_null(json_object_get(g, "phone_call"));

    g = json_object_get(sat, "by_channel");
    ck_assert_int_eq(json_object_size(g), 2);
    assert_num(json_object_get(g, "in_person"), "average", 0.75);
    assert_num(json_object_get(g, "app"), "average", 0.5);
    ck_assert_int_eq(iget(json_object_get(g, "app"), "count"), 2);

    g = json_object_get(sat, "by_department");
    ck_assert_int_eq(json_object_size(g), 2); /* the app booking has no department */
    assert_num(json_object_get(g, "service"), "average", 0.75);
    assert_num(json_object_get(g, "sales"), "average", 0.2);
    ck_assert_int_eq(iget(json_object_get(g, "sales"), "count"), 1);
    json_decref(m);
}
END_TEST

/*
 * The filter dataset: five touchpoints, one per day from 2026-03-01
 * 10:00Z, each scored and answering NPS 10:
 *   d1 service_visit in_person service
 *   d2 phone_call    phone     sales
 *   d3 app_booking   app       service
 *   d4 survey        email     (none)
 *   d5 service_visit in_person reception
 */
static void
filter_dataset(void)
{
    char cust[ID_LEN];
    static const struct tp rows[] = {
        { NULL, "service_visit", "in_person", "service", "2026-03-01T10:00:00Z", 0.1, 10 },
        { NULL, "phone_call", "phone", "sales", "2026-03-02T10:00:00Z", 0.2, 10 },
        { NULL, "app_booking", "app", "service", "2026-03-03T10:00:00Z", 0.3, 10 },
        { NULL, "survey", "email", NULL, "2026-03-04T10:00:00Z", 0.4, 10 },
        { NULL, "service_visit", "in_person", "reception", "2026-03-05T10:00:00Z", 0.5, 10 },
    };

    new_customer(cust);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        add_tp(cust, &rows[i]);
}

/* Query and the touchpoints it selects (count, sum of their satisfaction). */
static const struct {
    const char *query;
    int count;
    double sum;
} filter_cases[] = {
    { "", 5, 1.5 },
    { "?from=2026-03-02T10:00:00Z", 4, 1.4 }, /* from is inclusive */
    { "?to=2026-03-02T10:00:00Z", 1, 0.1 },   /* to is exclusive */
    { "?from=2026-03-02T10:00:00Z&to=2026-03-04T10:00:00Z", 2, 0.5 },
    { "?from=2026-03-02T11:00:00%2B01:00&to=2026-03-03T10:00:01Z", 2, 0.5 }, /* offsets */
    { "?to=2026-03-01T10:00:00Z", 0, 0 },
    { "?from=2026-03-06T00:00:00Z", 0, 0 },
    { "?department=service", 2, 0.4 },
    { "?department=reception", 1, 0.5 },
    { "?department=parts", 0, 0 },
    { "?kind=service_visit", 2, 0.6 },
    { "?kind=survey", 1, 0.4 },
    { "?channel=app", 1, 0.3 },
    { "?channel=in_person&department=service", 1, 0.1 },
    { "?kind=service_visit&from=2026-03-02T00:00:00Z", 1, 0.5 },
    { "?kind=survey&channel=phone", 0, 0 },
};

START_TEST(metrics_filters)
{
    json_t *m, *sat, *nps;

    filter_dataset();
    m = metrics(filter_cases[_i].query);
    sat = json_object_get(m, "satisfaction");
    nps = json_object_get(m, "nps");
    ck_assert_msg(iget(sat, "count") == filter_cases[_i].count, "%s: count %lld, want %d",
                  filter_cases[_i].query, (long long)iget(sat, "count"), filter_cases[_i].count);
    ck_assert_int_eq(iget(nps, "responses"), filter_cases[_i].count);
    if (filter_cases[_i].count) {
        assert_num(sat, "average", filter_cases[_i].sum / filter_cases[_i].count);
        assert_num(nps, "score", 100.0);
    } else {
        assert_null(sat, "average");
        assert_null(nps, "score");
        ck_assert_int_eq(json_object_size(json_object_get(sat, "by_kind")), 0);
    }
    json_decref(m);
}
END_TEST

START_TEST(metrics_journey_scores)
{
    char cust[ID_LEN], j1[ID_LEN], j2[ID_LEN], j3[ID_LEN], j4[ID_LEN];
    json_t *m, *jr;

    new_customer(cust);
    new_uuid(j1);
    new_uuid(j2);
    new_uuid(j3);
    new_uuid(j4);
    /* j1: 1.0 x 0.5 = 0.5, ends 03-02 */
    add_tp(cust, &(struct tp){ .journey = j1,
                               .kind = "app_booking",
                               .channel = "app",
                               .at = "2026-03-01T08:00:00Z",
                               .satisfaction = 1.0,
                               .nps = -1 });
    add_tp(cust, &(struct tp){ .journey = j1,
                               .department = "service",
                               .at = "2026-03-02T08:00:00Z",
                               .satisfaction = 0.5,
                               .nps = -1 });
    /* j2: 0.8, ends 03-10 */
    add_tp(cust, &(struct tp){ .journey = j2,
                               .kind = "test_drive",
                               .department = "sales",
                               .at = "2026-03-10T08:00:00Z",
                               .satisfaction = 0.8,
                               .nps = -1 });
    /* j3: no scored step, ends 03-05 */
    add_tp(cust, &(struct tp){ .journey = j3,
                               .kind = "email",
                               .channel = "email",
                               .at = "2026-03-05T08:00:00Z",
                               .satisfaction = -1,
                               .nps = -1 });
    /* j4: starts 02-27, ends 03-20: 0.9 x 0.5 x 0.4 = 0.18 */
    add_tp(cust, &(struct tp){
                     .journey = j4, .at = "2026-02-27T08:00:00Z", .satisfaction = 0.9, .nps = -1 });
    add_tp(cust, &(struct tp){
                     .journey = j4, .at = "2026-03-15T08:00:00Z", .satisfaction = 0.5, .nps = -1 });
    add_tp(cust, &(struct tp){ .journey = j4,
                               .kind = "complaint",
                               .department = "service",
                               .at = "2026-03-20T08:00:00Z",
                               .satisfaction = 0.4,
                               .nps = -1 });

    m = metrics("");
    jr = json_object_get(m, "journeys");
    ck_assert_int_eq(iget(jr, "count"), 4);
    ck_assert_int_eq(iget(jr, "scored"), 3);
    assert_num(jr, "average_score", (0.5 + 0.8 + 0.18) / 3);
    json_decref(m);

    /* in range by the last touchpoint: j4 ends after 'to', j1 and j3 before 'from' */
    m = metrics("?from=2026-03-03T00:00:00Z&to=2026-03-16T00:00:00Z");
    jr = json_object_get(m, "journeys");
    ck_assert_int_eq(iget(jr, "count"), 2); /* j2, j3 */
    ck_assert_int_eq(iget(jr, "scored"), 1);
    assert_num(jr, "average_score", 0.8);
    json_decref(m);

    /* j4 started before 'from' but ends inside: counted with all its steps */
    m = metrics("?from=2026-03-12T00:00:00Z");
    jr = json_object_get(m, "journeys");
    ck_assert_int_eq(iget(jr, "count"), 1);
    assert_num(jr, "average_score", 0.18);
    json_decref(m);

    /* department: journeys with a touchpoint of the department, scored over all steps */
    m = metrics("?department=service");
    jr = json_object_get(m, "journeys");
    ck_assert_int_eq(iget(jr, "count"), 2); /* j1, j4 */
    assert_num(jr, "average_score", (0.5 + 0.18) / 2);
    json_decref(m);

    m = metrics("?to=2026-03-01T00:00:00Z");
    jr = json_object_get(m, "journeys");
    ck_assert_int_eq(iget(jr, "count"), 0);
    assert_null(jr, "average_score");
    json_decref(m);
}
END_TEST

START_TEST(metrics_drag)
{
    char cust[ID_LEN], j[ID_LEN], k[ID_LEN];
    static const char *const kinds[] = { "phone_call", "email",    "showroom_visit",
                                         "test_drive", "purchase", "delivery" };
    json_t *m, *drag, *d;

    new_customer(cust);
    new_uuid(j);
    new_uuid(k);
    /* service_visit: 0.5 and 0.3 → drag 0.6 over 2 in 2 journeys */
    add_tp(cust, &(struct tp){
                     .journey = j, .at = "2026-03-01T08:00:00Z", .satisfaction = 0.5, .nps = -1 });
    add_tp(cust, &(struct tp){
                     .journey = k, .at = "2026-03-02T08:00:00Z", .satisfaction = 0.3, .nps = -1 });
    /* survey 0.9 → 0.1; app_booking 1.0 → no drag, not listed */
    add_tp(cust, &(struct tp){ .journey = j,
                               .kind = "survey",
                               .channel = "email",
                               .at = "2026-03-03T08:00:00Z",
                               .satisfaction = 0.9,
                               .nps = -1 });
    add_tp(cust, &(struct tp){ .journey = k,
                               .kind = "app_booking",
                               .channel = "app",
                               .at = "2026-03-01T07:00:00Z",
                               .satisfaction = 1.0,
                               .nps = -1 });
    /* a complaint outside any journey and an unscored one inside are not drag */
    add_tp(cust,
           &(struct tp){
               .kind = "complaint", .at = "2026-03-04T08:00:00Z", .satisfaction = 0.0, .nps = -1 });
    add_tp(cust, &(struct tp){ .journey = k,
                               .kind = "complaint",
                               .at = "2026-03-04T09:00:00Z",
                               .satisfaction = -1,
                               .nps = 0 });
    m = metrics("");
    drag = json_object_get(m, "drag");
    ck_assert_int_eq(json_array_size(drag), 2);
    d = json_array_get(drag, 0);
    ck_assert_str_eq(sget(d, "kind"), "service_visit");
    assert_num(d, "drag", 0.6);
    ck_assert_int_eq(iget(d, "count"), 2);
    ck_assert_int_eq(iget(d, "journeys"), 2);
    d = json_array_get(drag, 1);
    ck_assert_str_eq(sget(d, "kind"), "survey");
    assert_num(d, "drag", 0.1);
    ck_assert_int_eq(iget(d, "count"), 1);
    json_decref(m);

    /* six more kinds with drag 0.05 .. 0.30: only the worst five are listed, worst first */
    for (int i = 0; i < 6; i++)
        add_tp(cust, &(struct tp){ .journey = j,
                                   .kind = kinds[i],
                                   .channel = "phone",
                                   .at = "2026-03-05T08:00:00Z",
                                   .satisfaction = 0.95 - 0.05 * i,
                                   .nps = -1 });
    m = metrics("");
    drag = json_object_get(m, "drag");
    ck_assert_int_eq(json_array_size(drag), 5);
    ck_assert_str_eq(sget(json_array_get(drag, 0), "kind"), "service_visit");
    ck_assert_str_eq(sget(json_array_get(drag, 1), "kind"), "delivery");       /* 0.30 */
    ck_assert_str_eq(sget(json_array_get(drag, 2), "kind"), "purchase");       /* 0.25 */
    ck_assert_str_eq(sget(json_array_get(drag, 3), "kind"), "test_drive");     /* 0.20 */
    ck_assert_str_eq(sget(json_array_get(drag, 4), "kind"), "showroom_visit"); /* 0.15 */
    json_decref(m);

    /* filtered like the other touchpoint metrics */
    m = metrics("?channel=email");
    drag = json_object_get(m, "drag");
    ck_assert_int_eq(json_array_size(drag), 1);
    ck_assert_str_eq(sget(json_array_get(drag, 0), "kind"), "survey");
    json_decref(m);
}
END_TEST

Suite *
journeys_suite(void)
{
    Suite *s = suite_create("journeys");
    TCase *tc;

    /* one server for the journey tests: each makes its own customers and journey ids */
    tc = tcase_create("journeys");
    tcase_add_unchecked_fixture(tc, harness_setup, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, journey_score_is_the_product);
    tcase_add_test(tc, unscored_step_is_ignored);
    tcase_add_test(tc, no_scored_step_means_null);
    tcase_add_test(tc, steps_in_time_order_and_weakest);
    tcase_add_test(tc, zero_makes_zero_and_patch_rescores);
    tcase_add_test(tc, journey_spanning_customers);
    tcase_add_test(tc, journey_not_found);
    tcase_add_test(tc, customer_journeys_newest_first);
    tcase_add_test(tc, customer_journeys_empty_and_errors);
    tcase_add_loop_test(tc, metrics_bad_query, 0,
                        (int)(sizeof bad_metrics / sizeof bad_metrics[0]));
    suite_add_tcase(s, tc);

    /* metrics need an exact dataset: a fresh server and database per test */
    tc = tcase_create("metrics");
    tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, metrics_empty_database);
    tcase_add_loop_test(tc, metrics_nps_arithmetic, 0,
                        (int)(sizeof nps_cases / sizeof nps_cases[0]));
    tcase_add_test(tc, metrics_averages_per_group);
    tcase_add_loop_test(tc, metrics_filters, 0,
                        (int)(sizeof filter_cases / sizeof filter_cases[0]));
    tcase_add_test(tc, metrics_journey_scores);
    tcase_add_test(tc, metrics_drag);
    suite_add_tcase(s, tc);
    return s;
}
