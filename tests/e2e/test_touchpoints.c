/*
 * test_touchpoints: contacts over HTTP: every field, defaults, the
 * inbound/outbound rules, score limits, references, list filters with
 * time ranges, follow-ups, staff in the key's name. Each test makes its
 * own customer, so lists are narrowed by customer_id and never see other
 * tests' data.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "suites.h"

#define ID_LEN 40

static const char ghost[] = "7f1c4c1e-2a7b-4d7e-9a51-0000000000aa";

static void
new_customer(char out[ID_LEN])
{
    snprintf(out, ID_LEN, "%s",
             create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Kontakt\","
                                        "\"consents\":{\"phone\":\"granted\",\"email\":\"granted\"}}"));
}

static void
new_vehicle(const char *owner, char out[ID_LEN])
{
    char body[160];

    snprintf(body, sizeof body, "{\"make\":\"BMW\",\"owner_id\":\"%s\",\"plate\":\"M TP 77\"}", owner);
    snprintf(out, ID_LEN, "%s", create_ok("/v1/vehicles", body));
}

/* Copy tmpl to out with every "CUST" replaced by customer. */
static void
with_customer(char *out, size_t outsz, const char *tmpl, const char *customer)
{
    size_t n = 0;

    for (const char *s = tmpl; *s && n + 1 < outsz;) {
        if (strncmp(s, "CUST", 4) == 0) {
            n += (size_t)snprintf(out + n, outsz - n, "%s", customer);
            s += 4;
        } else {
            out[n++] = *s++;
        }
    }
    ck_assert_uint_lt(n, outsz);
    out[n] = '\0';
}

static void
getf(struct reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
getf(struct reply *r, const char *fmt, ...)
{
    char path[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(path, sizeof path, fmt, ap);
    va_end(ap);
    http_get(path, r);
}

/*
 * Ids of the listed items joined by ',' into out, e.g. "a,b" (the
 * touchpoints' summaries name them, so a failure reads well).
 */
static void
listed(const char *path, char *out, size_t outsz)
{
    struct reply r;
    json_t *item;
    size_t i;

    out[0] = '\0';
    http_get(path, &r);
    assert_json(&r, 200);
    json_array_foreach(json_object_get(r.json, "items"), i, item)
    {
        if (i)
            strncat(out, ",", outsz - strlen(out) - 1);
        strncat(out, json_string_value(json_object_get(item, "summary")), outsz - strlen(out) - 1);
    }
    reply_free(&r);
}

static size_t
count_for(const char *customer)
{
    struct reply r;
    size_t n;

    getf(&r, "/v1/touchpoints?customer_id=%s", customer);
    assert_json(&r, 200);
    n = json_array_size(json_object_get(r.json, "items"));
    reply_free(&r);
    return n;
}

START_TEST(create_with_every_field)
{
    char cust[ID_LEN], veh[ID_LEN], body[1024], loc[128];
    json_t *fu;
    struct reply r;

    new_customer(cust);
    new_vehicle(cust, veh);
    snprintf(body, sizeof body,
             "{\"customer_id\":\"%s\",\"vehicle_id\":\"%s\",\"kind\":\"phone_call\","
             "\"channel\":\"phone\",\"direction\":\"outbound\",\"purpose\":\"service\","
             "\"outcome\":\"reached\",\"occurred_at\":\"2026-03-10T14:30:00+01:00\","
             "\"staff\":\"Petra Maier\",\"department\":\"service\","
             "\"summary\":\"Reminded of the\\nannual inspection\",\"satisfaction\":0.5,\"nps\":9,"
             "\"journey_id\":\"0B9E5E2A-3C4D-4E5F-8A9B-C0D1E2F3A4B5\","
             "\"follow_up\":{\"text\":\"Book the inspection for next week\"}}",
             cust, veh);
    http_json("POST", "/v1/touchpoints", body, &r);
    assert_json(&r, 201);
    ck_assert_str_eq(jstr(&r, "customer_id"), cust);
    ck_assert_str_eq(jstr(&r, "vehicle_id"), veh);
    ck_assert_str_eq(jstr(&r, "kind"), "phone_call");
    ck_assert_str_eq(jstr(&r, "channel"), "phone");
    ck_assert_str_eq(jstr(&r, "direction"), "outbound");
    ck_assert_str_eq(jstr(&r, "purpose"), "service");
    ck_assert_str_eq(jstr(&r, "outcome"), "reached");
    ck_assert_str_eq(jstr(&r, "occurred_at"), "2026-03-10T13:30:00Z");
    ck_assert_str_eq(jstr(&r, "staff"), "Petra Maier");
    ck_assert_str_eq(jstr(&r, "department"), "service");
    ck_assert_str_eq(jstr(&r, "summary"), "Reminded of the\nannual inspection");
    ck_assert(json_is_number(json_object_get(r.json, "satisfaction")));
    ck_assert_double_eq_tol(json_number_value(json_object_get(r.json, "satisfaction")), 0.5, 1e-9);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "nps")), 9);
    ck_assert_str_eq(jstr(&r, "journey_id"), "0b9e5e2a-3c4d-4e5f-8a9b-c0d1e2f3a4b5");
    fu = json_object_get(r.json, "follow_up");
    ck_assert_str_eq(json_string_value(json_object_get(fu, "text")), "Book the inspection for next week");
    ck_assert(json_is_false(json_object_get(fu, "done")));
    ck_assert_int_eq(json_object_size(fu), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 1);
    snprintf(loc, sizeof loc, "/v1/touchpoints/%s", jstr(&r, "id"));
    ck_assert_ptr_nonnull(r.location);
    ck_assert_str_eq(r.location, loc);
    reply_free(&r);

    http_get(loc, &r);
    assert_json(&r, 200);
    ck_assert_str_eq(jstr(&r, "occurred_at"), "2026-03-10T13:30:00Z");
    ck_assert(json_is_false(json_object_get(json_object_get(r.json, "follow_up"), "done")));
    reply_free(&r);
}
END_TEST

START_TEST(defaults_inbound_and_now)
{
    char cust[ID_LEN], body[256], before[32], after[32];
    time_t t;
    struct reply r;
    const char *at;

    new_customer(cust);
    snprintf(body, sizeof body, "{\"customer_id\":\"%s\",\"kind\":\"email\",\"channel\":\"email\"}",
             cust);
    t = time(NULL);
    strftime(before, sizeof before, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    http_json("POST", "/v1/touchpoints", body, &r);
    t = time(NULL);
    strftime(after, sizeof after, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    assert_json(&r, 201);
    ck_assert_str_eq(jstr(&r, "direction"), "inbound");
    at = jstr(&r, "occurred_at");
    ck_assert_ptr_nonnull(at);
    ck_assert_msg(strcmp(before, at) <= 0 && strcmp(at, after) <= 0, "occurred_at %s not in [%s, %s]",
                  at, before, after);
    ck_assert(json_is_null(json_object_get(r.json, "vehicle_id")));
    ck_assert(json_is_null(json_object_get(r.json, "purpose")));
    ck_assert(json_is_null(json_object_get(r.json, "follow_up")));
    ck_assert(json_is_null(json_object_get(r.json, "satisfaction")));
    reply_free(&r);
}
END_TEST

/* The name of key (GET /v1/me with it), into out. */
static void
key_name(const char *key, char out[160])
{
    char auth[96];
    struct reply r;

    snprintf(auth, sizeof auth, "Authorization: Bearer %s", key);
    http("GET", "/v1/me", NULL, NULL, (const char *const[]){ auth, NULL }, &r);
    assert_json(&r, 200);
    snprintf(out, 160, "%s", jstr(&r, "name"));
    reply_free(&r);
}

/* POST body as key; the staff of the new touchpoint into staff ("(null)" for null). */
static void
post_as(const char *key, const char *body, char staff[160], char id[ID_LEN])
{
    char auth[96];
    struct reply r;

    snprintf(auth, sizeof auth, "Authorization: Bearer %s", key);
    http("POST", "/v1/touchpoints", NULL, body, (const char *const[]){ auth, NULL }, &r);
    assert_json(&r, 201);
    snprintf(staff, 160, "%s", jstr(&r, "staff") ? jstr(&r, "staff") : "(null)");
    snprintf(id, ID_LEN, "%s", jstr(&r, "id"));
    reply_free(&r);
}

START_TEST(staff_defaults_to_the_name_of_the_key)
{
    const char *desk = harness_create_key(srv.db, "desk");
    char cust[ID_LEN], id[ID_LEN], name[160], staff[160], body[256];
    struct reply r;

    new_customer(cust);
    key_name(desk, name);
    ck_assert_ptr_nonnull(strstr(name, "desk-"));
    /* absent: the key's name; given: kept (a DMS names the person); null: nobody named */
    snprintf(body, sizeof body,
             "{\"customer_id\":\"%s\",\"kind\":\"service_visit\",\"channel\":\"in_person\"}", cust);
    post_as(desk, body, staff, id);
    ck_assert_str_eq(staff, name);
    http_get(pathf("/v1/touchpoints/%s", id), &r);
    assert_json(&r, 200);
    ck_assert_str_eq(jstr(&r, "staff"), name);
    reply_free(&r);
    snprintf(body, sizeof body, "{\"customer_id\":\"%s\",\"kind\":\"email\",\"channel\":\"email\","
             "\"staff\":\"M. Gruber\"}", cust);
    post_as(desk, body, staff, id);
    ck_assert_str_eq(staff, "M. Gruber");
    snprintf(body, sizeof body, "{\"customer_id\":\"%s\",\"kind\":\"email\",\"channel\":\"email\","
             "\"staff\":null}", cust);
    post_as(desk, body, staff, id);
    ck_assert_str_eq(staff, "(null)");
    /* another key, another name */
    key_name(srv.key, name);
    snprintf(body, sizeof body, "{\"customer_id\":\"%s\",\"kind\":\"email\",\"channel\":\"email\"}",
             cust);
    post_as(srv.key, body, staff, id);
    ck_assert_str_eq(staff, name);
    /* only a new contact is filled: a patch removing staff removes it */
    http("PATCH", pathf("/v1/touchpoints/%s", id), "application/merge-patch+json",
         "{\"staff\":null}", NULL, &r);
    assert_json(&r, 200);
    ck_assert(json_is_null(json_object_get(r.json, "staff")));
    reply_free(&r);
    /* a field error is still the client's, with staff filled or not */
    snprintf(body, sizeof body, "{\"customer_id\":\"%s\",\"kind\":\"email\",\"channel\":\"fax\"}",
             cust);
    http_json("POST", "/v1/touchpoints", body, &r);
    assert_problem(&r, 400, "validation");
    assert_field_error(&r, "channel");
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "errors")), 1);
    reply_free(&r);
    ck_assert_uint_eq(count_for(cust), 4);
}
END_TEST

START_TEST(outbound_needs_purpose)
{
    char cust[ID_LEN], body[256];
    struct reply r;

    new_customer(cust);
    snprintf(body, sizeof body,
             "{\"customer_id\":\"%s\",\"kind\":\"phone_call\",\"channel\":\"phone\","
             "\"direction\":\"outbound\",\"outcome\":\"unanswered\"}",
             cust);
    http_json("POST", "/v1/touchpoints", body, &r);
    assert_problem(&r, 400, "validation");
    assert_field_error(&r, "purpose");
    reply_free(&r);
    ck_assert_int_eq(count_for(cust), 0);

    snprintf(body, sizeof body,
             "{\"customer_id\":\"%s\",\"kind\":\"phone_call\",\"channel\":\"phone\","
             "\"direction\":\"outbound\",\"purpose\":\"sales\",\"outcome\":\"unanswered\"}",
             cust);
    create_ok("/v1/touchpoints", body);
    ck_assert_int_eq(count_for(cust), 1);
}
END_TEST

START_TEST(inbound_has_no_outcome)
{
    char cust[ID_LEN], body[256];
    struct reply r;

    new_customer(cust);
    snprintf(body, sizeof body,
             "{\"customer_id\":\"%s\",\"kind\":\"phone_call\",\"channel\":\"phone\","
             "\"outcome\":\"reached\"}",
             cust);
    http_json("POST", "/v1/touchpoints", body, &r);
    assert_problem(&r, 400, "validation");
    assert_field_error(&r, "outcome");
    reply_free(&r);
    ck_assert_int_eq(count_for(cust), 0);
}
END_TEST

/* Refused bodies; CUST is replaced by a fresh customer's id. */
static const struct {
    const char *body;
    const char *field;
    int implausible; /* 422 implausible, not 400 validation */
} invalid[] = {
#define TP "\"customer_id\":\"CUST\",\"kind\":\"survey\",\"channel\":\"app\""
    { "{" TP ",\"satisfaction\":1.5}", "satisfaction", 0 },
    { "{" TP ",\"satisfaction\":-0.1}", "satisfaction", 0 },
    { "{" TP ",\"satisfaction\":\"high\"}", "satisfaction", 0 },
    { "{" TP ",\"nps\":11}", "nps", 0 },
    { "{" TP ",\"nps\":3.5}", "nps", 0 },
    { "{" TP ",\"nps\":-1}", "nps", 0 },
    { "{" TP ",\"nps\":\"9\"}", "nps", 0 },
    { "{" TP ",\"direction\":\"sideways\"}", "direction", 0 },
    { "{" TP ",\"purpose\":\"gossip\"}", "purpose", 0 },
    { "{" TP ",\"department\":\"hr\"}", "department", 0 },
    { "{" TP ",\"occurred_at\":\"yesterday\"}", "occurred_at", 0 },
    { "{" TP ",\"occurred_at\":\"2026-03-10 14:30:00\"}", "occurred_at", 0 },
    { "{" TP ",\"occurred_at\":\"2026-02-30T10:00:00Z\"}", "occurred_at", 0 },
    { "{" TP ",\"occurred_at\":\"2036-03-10T10:00:00Z\"}", "occurred_at", 1 },
    { "{" TP ",\"occurred_at\":\"1899-12-31T10:00:00Z\"}", "occurred_at", 1 },
    { "{" TP ",\"occurred_at\":\"1990-01-01T00:59:59+01:00\"}", "occurred_at", 1 },
    { "{" TP ",\"journey_id\":\"journey-1\"}", "journey_id", 0 },
    { "{" TP ",\"vehicle_id\":\"car-1\"}", "vehicle_id", 0 },
    { "{" TP ",\"follow_up\":\"call back\"}", "follow_up", 0 },
    { "{" TP ",\"follow_up\":{}}", "follow_up", 0 },
    { "{" TP ",\"follow_up\":{\"text\":\"x\",\"done\":\"yes\"}}", "follow_up", 0 },
    { "{" TP ",\"follow_up\":{\"text\":\"x\",\"due\":\"2026-01-01\"}}", "follow_up", 0 },
    { "{" TP ",\"follow_up\":{\"text\":\"\"}}", "follow_up", 0 },
    { "{" TP ",\"staff\":\"\"}", "staff", 0 },
    { "{" TP ",\"created_at\":\"2026-01-01T00:00:00Z\"}", "created_at", 0 },
    { "{\"customer_id\":\"CUST\",\"kind\":\"fax\",\"channel\":\"app\"}", "kind", 0 },
    { "{\"customer_id\":\"CUST\",\"kind\":\"survey\",\"channel\":\"pigeon\"}", "channel", 0 },
    { "{\"customer_id\":\"CUST\",\"channel\":\"app\"}", "kind", 0 },
    { "{\"customer_id\":\"CUST\",\"kind\":\"survey\"}", "channel", 0 },
#undef TP
};

START_TEST(invalid_touchpoint_is_refused)
{
    char cust[ID_LEN], body[512];
    struct reply r;

    new_customer(cust);
    with_customer(body, sizeof body, invalid[_i].body, cust);
    http_json("POST", "/v1/touchpoints", body, &r);
    if (invalid[_i].implausible)
        assert_problem(&r, 422, "implausible");
    else
        assert_problem(&r, 400, "validation");
    assert_field_error(&r, invalid[_i].field);
    ck_assert_ptr_null(r.location);
    reply_free(&r);
    ck_assert_int_eq(count_for(cust), 0);
}
END_TEST

/* Touchpoints record what happened: a few minutes of clock skew, never the future. */
START_TEST(occurred_at_must_have_happened)
{
    char cust[ID_LEN], soon[32], late[32];
    time_t now = time(NULL), t;
    struct reply r;

    new_customer(cust);
    t = now + 240;
    strftime(soon, sizeof soon, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    create_ok("/v1/touchpoints",
              pathf("{\"customer_id\":\"%s\",\"kind\":\"showroom_visit\",\"channel\":\"in_person\","
                    "\"occurred_at\":\"%s\"}", cust, soon));
    create_ok("/v1/touchpoints",
              pathf("{\"customer_id\":\"%s\",\"kind\":\"showroom_visit\",\"channel\":\"in_person\","
                    "\"occurred_at\":\"1990-01-01T00:00:00Z\"}", cust));
    t = now + 10L * 366 * 86400;
    strftime(late, sizeof late, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    http_json("POST", "/v1/touchpoints",
              pathf("{\"customer_id\":\"%s\",\"kind\":\"showroom_visit\",\"channel\":\"in_person\","
                    "\"occurred_at\":\"%s\"}", cust, late), &r);
    assert_problem(&r, 422, "implausible");
    assert_field_error(&r, "occurred_at");
    ck_assert_msg(strstr(r.body, "is in the future: must be ") &&
                      strstr(r.body, "or earlier (the server's clock plus 5 minutes)"),
                  "%s", r.body);
    reply_free(&r);
    http_json("POST", "/v1/touchpoints",
              pathf("{\"customer_id\":\"%s\",\"kind\":\"showroom_visit\",\"channel\":\"in_person\","
                    "\"occurred_at\":\"1899-06-01T10:00:00Z\"}", cust), &r);
    assert_problem(&r, 422, "implausible");
    ck_assert_msg(strstr(r.body, "is too early: must be 1990-01-01 or later"), "%s", r.body);
    reply_free(&r);
    ck_assert_int_eq(count_for(cust), 2);
}
END_TEST

START_TEST(unknown_customer_or_vehicle_is_unprocessable)
{
    char cust[ID_LEN], body[256];
    struct reply r;

    snprintf(body, sizeof body, "{\"customer_id\":\"%s\",\"kind\":\"email\",\"channel\":\"email\"}", ghost);
    http_json("POST", "/v1/touchpoints", body, &r);
    assert_problem(&r, 422, "unprocessable");
    ck_assert_ptr_nonnull(strstr(jstr(&r, "detail"), "customer_id"));
    reply_free(&r);
    ck_assert_int_eq(count_for(ghost), 0);

    new_customer(cust);
    snprintf(body, sizeof body,
             "{\"customer_id\":\"%s\",\"vehicle_id\":\"%s\",\"kind\":\"email\",\"channel\":\"email\"}",
             cust, ghost);
    http_json("POST", "/v1/touchpoints", body, &r);
    assert_problem(&r, 422, "unprocessable");
    ck_assert_ptr_nonnull(strstr(jstr(&r, "detail"), "vehicle_id"));
    reply_free(&r);
    ck_assert_int_eq(count_for(cust), 0);
}
END_TEST

/* Three touchpoints of one customer an hour apart; summaries t1, t2, t3. */
struct trio {
    char cust[ID_LEN], veh[ID_LEN], journey[ID_LEN];
};

static void
make_trio(struct trio *t)
{
    char body[512];

    new_customer(t->cust);
    new_vehicle(t->cust, t->veh);
    /* a journey id is any UUID the client chooses: borrow a fresh customer's */
    new_customer(t->journey);
    snprintf(body, sizeof body,
             "{\"customer_id\":\"%s\",\"vehicle_id\":\"%s\",\"journey_id\":\"%s\","
             "\"kind\":\"service_visit\",\"channel\":\"in_person\",\"department\":\"service\","
             "\"occurred_at\":\"2026-01-10T08:00:00Z\",\"summary\":\"t1\"}",
             t->cust, t->veh, t->journey);
    create_ok("/v1/touchpoints", body);
    snprintf(body, sizeof body,
             "{\"customer_id\":\"%s\",\"journey_id\":\"%s\",\"kind\":\"phone_call\","
             "\"channel\":\"phone\",\"department\":\"sales\","
             "\"occurred_at\":\"2026-01-10T09:00:00Z\",\"summary\":\"t2\"}",
             t->cust, t->journey);
    create_ok("/v1/touchpoints", body);
    snprintf(body, sizeof body,
             "{\"customer_id\":\"%s\",\"kind\":\"email\",\"channel\":\"email\","
             "\"department\":\"sales\",\"occurred_at\":\"2026-01-10T11:00:00+01:00\","
             "\"summary\":\"t3\"}",
             t->cust);
    create_ok("/v1/touchpoints", body);
}

/* Query (after "customer_id=...&") and the summaries it must list. */
static const struct {
    const char *query;
    const char *want;
} filters[] = {
    { "", "t1,t2,t3" },
    { "&kind=phone_call", "t2" },
    { "&kind=fax", "" },
    { "&department=sales", "t2,t3" },
    { "&department=service", "t1" },
    { "&from=2026-01-10T09:00:00Z", "t2,t3" },
    { "&to=2026-01-10T09:00:00Z", "t1" },
    { "&from=2026-01-10T09:00:00Z&to=2026-01-10T10:00:00Z", "t2" },
    { "&from=2026-01-10T09:00:01Z&to=2026-01-10T10:00:01Z", "t3" },
    { "&from=2026-01-10T10:00:00%2B01:00", "t2,t3" },
    { "&to=2026-01-10T08:00:00Z", "" },
    { "&kind=email&department=sales&from=2026-01-10T00:00:00Z", "t3" },
    { "&limit=2", "t1,t2" },
};

START_TEST(list_filters)
{
    struct trio t;
    char path[512], got[64];

    make_trio(&t);
    snprintf(path, sizeof path, "/v1/touchpoints?customer_id=%s%s", t.cust, filters[_i].query);
    listed(path, got, sizeof got);
    ck_assert_msg(strcmp(got, filters[_i].want) == 0, "%s lists '%s', want '%s'", filters[_i].query,
                  got, filters[_i].want);
}
END_TEST

START_TEST(vehicle_and_journey_filters)
{
    struct trio t;
    char path[256], got[64];

    make_trio(&t);
    snprintf(path, sizeof path, "/v1/touchpoints?vehicle_id=%s", t.veh);
    listed(path, got, sizeof got);
    ck_assert_str_eq(got, "t1");
    snprintf(path, sizeof path, "/v1/touchpoints?journey_id=%s", t.journey);
    listed(path, got, sizeof got);
    ck_assert_str_eq(got, "t1,t2");
    snprintf(path, sizeof path, "/v1/touchpoints?journey_id=%s&kind=phone_call", t.journey);
    listed(path, got, sizeof got);
    ck_assert_str_eq(got, "t2");
}
END_TEST

static const char *const bad_queries[] = {
    "from=yesterday",      "to=2026-13-01T00:00:00Z", "from=2026-01-10",   "customer_id=42",
    "vehicle_id=x",        "journey_id=",             "kind=Phone_Call",   "department=sales%20",
    "limit=201",           "cursor=garbage",          "occurred_at=2026", "from=a&from=b",
};

START_TEST(bad_query_is_refused)
{
    char path[256];
    struct reply r;

    snprintf(path, sizeof path, "/v1/touchpoints?%s", bad_queries[_i]);
    http_get(path, &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
}
END_TEST

START_TEST(patch_follow_up_done)
{
    char cust[ID_LEN], body[256], path[96];
    json_t *fu;
    struct reply r;

    new_customer(cust);
    snprintf(body, sizeof body,
             "{\"customer_id\":\"%s\",\"kind\":\"complaint\",\"channel\":\"web\","
             "\"follow_up\":{\"text\":\"Call back about the noise\"}}",
             cust);
    snprintf(path, sizeof path, "/v1/touchpoints/%s", create_ok("/v1/touchpoints", body));

    http("PATCH", path, "application/merge-patch+json", "{\"follow_up\":{\"done\":true}}", NULL, &r);
    assert_json(&r, 200);
    fu = json_object_get(r.json, "follow_up");
    ck_assert_str_eq(json_string_value(json_object_get(fu, "text")), "Call back about the noise");
    ck_assert(json_is_true(json_object_get(fu, "done")));
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 2);
    reply_free(&r);
    http_get(path, &r);
    assert_json(&r, 200);
    ck_assert(json_is_true(json_object_get(json_object_get(r.json, "follow_up"), "done")));
    reply_free(&r);

    /* an invalid merge result is refused and leaves the stored one alone */
    http_json("PATCH", path, "{\"follow_up\":{\"done\":\"yes\"}}", &r);
    assert_problem(&r, 400, "validation");
    assert_field_error(&r, "follow_up");
    reply_free(&r);
    http_json("PATCH", path, "{\"direction\":\"outbound\"}", &r);
    assert_problem(&r, 400, "validation");
    assert_field_error(&r, "purpose");
    reply_free(&r);
    http_get(path, &r);
    assert_json(&r, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 2);
    ck_assert_str_eq(jstr(&r, "direction"), "inbound");
    reply_free(&r);

    http_json("PATCH", path, "{\"follow_up\":null,\"satisfaction\":1}", &r);
    assert_json(&r, 200);
    ck_assert(json_is_null(json_object_get(r.json, "follow_up")));
    ck_assert_double_eq_tol(json_number_value(json_object_get(r.json, "satisfaction")), 1.0, 1e-9);
    reply_free(&r);
}
END_TEST

START_TEST(patch_unknown_vehicle_is_unprocessable)
{
    char cust[ID_LEN], body[256], path[96];
    struct reply r;

    new_customer(cust);
    snprintf(body, sizeof body, "{\"customer_id\":\"%s\",\"kind\":\"event\",\"channel\":\"in_person\"}",
             cust);
    snprintf(path, sizeof path, "/v1/touchpoints/%s", create_ok("/v1/touchpoints", body));
    snprintf(body, sizeof body, "{\"vehicle_id\":\"%s\"}", ghost);
    http_json("PATCH", path, body, &r);
    assert_problem(&r, 422, "unprocessable");
    reply_free(&r);
    http_get(path, &r);
    assert_json(&r, 200);
    ck_assert(json_is_null(json_object_get(r.json, "vehicle_id")));
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 1);
    reply_free(&r);
}
END_TEST

START_TEST(delete_touchpoint)
{
    char cust[ID_LEN], body[256], path[96];
    struct reply r;

    new_customer(cust);
    snprintf(body, sizeof body, "{\"customer_id\":\"%s\",\"kind\":\"delivery\",\"channel\":\"in_person\"}",
             cust);
    snprintf(path, sizeof path, "/v1/touchpoints/%s", create_ok("/v1/touchpoints", body));
    http("DELETE", path, NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    ck_assert_str_eq(r.body, "");
    ck_assert_ptr_nonnull(r.request_id);
    reply_free(&r);
    http_get(path, &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
    ck_assert_int_eq(count_for(cust), 0);
    http("DELETE", path, NULL, NULL, NULL, &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
    /* touchpoints have no cascade */
    snprintf(body, sizeof body, "%s?cascade=true", path);
    http("DELETE", body, NULL, NULL, NULL, &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
}
END_TEST

Suite *
touchpoints_suite(void)
{
    Suite *s = suite_create("touchpoints");
    TCase *tc = tcase_create("touchpoints");

    tcase_add_unchecked_fixture(tc, harness_setup, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, create_with_every_field);
    tcase_add_test(tc, defaults_inbound_and_now);
    tcase_add_test(tc, staff_defaults_to_the_name_of_the_key);
    tcase_add_test(tc, outbound_needs_purpose);
    tcase_add_test(tc, inbound_has_no_outcome);
    tcase_add_loop_test(tc, invalid_touchpoint_is_refused, 0, (int)(sizeof invalid / sizeof invalid[0]));
    tcase_add_test(tc, occurred_at_must_have_happened);
    tcase_add_test(tc, unknown_customer_or_vehicle_is_unprocessable);
    tcase_add_loop_test(tc, list_filters, 0, (int)(sizeof filters / sizeof filters[0]));
    tcase_add_test(tc, vehicle_and_journey_filters);
    tcase_add_loop_test(tc, bad_query_is_refused, 0, (int)(sizeof bad_queries / sizeof bad_queries[0]));
    tcase_add_test(tc, patch_follow_up_done);
    tcase_add_test(tc, patch_unknown_vehicle_is_unprocessable);
    tcase_add_test(tc, delete_touchpoint);
    suite_add_tcase(s, tc);
    return s;
}
