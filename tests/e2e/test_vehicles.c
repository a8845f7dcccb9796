/*
 * test_vehicles: vehicles over HTTP: plates in any spelling and their
 * history, VINs, owner and driver rules, list filters, delete rules.
 * Every test makes its own owner, VIN and plate, so tests sharing one
 * server never see each other's vehicles.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "suites.h"

#define ID_LEN 40

/* A number no other test of this run will draw (pid, clock and a counter). */
static unsigned long long
serial(void)
{
    static unsigned long long n;
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return ((unsigned long long)getpid() << 40) ^ ((unsigned long long)ts.tv_sec * 1000000000ULL +
                                                   (unsigned long long)ts.tv_nsec) ^ (++n * 7919ULL);
}

/* A fresh valid VIN (17 characters without I, O, Q), upper case. */
static void
new_vin(char out[18])
{
    static const char alphabet[] = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"; /* 33 characters */
    unsigned long long u = serial();

    memcpy(out, "WVW", 3);
    for (int i = 16; i >= 3; i--) {
        out[i] = alphabet[u % 33];
        u /= 33;
    }
    out[17] = '\0';
}

/* A fresh plate as typed ("UK 1234567") and its normalised form ("UK1234567"). */
static void
new_plate(char typed[16], char norm[16])
{
    unsigned long long u = serial();
    char letter = (char)('A' + u % 26);
    unsigned long digits = (unsigned long)((u / 26) % 10000000UL);

    snprintf(typed, 16, "U%c %07lu", letter, digits);
    snprintf(norm, 16, "U%c%07lu", letter, digits);
}

static void
new_customer(const char *body, char out[ID_LEN])
{
    snprintf(out, ID_LEN, "%s", create_ok("/v1/customers", body));
}

static void
new_person(char out[ID_LEN])
{
    new_customer("{\"kind\":\"person\",\"family_name\":\"Halter\"}", out);
}

static void
new_company(char out[ID_LEN])
{
    new_customer("{\"kind\":\"company\",\"company_name\":\"Fuhrpark GmbH\"}", out);
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

/* GET a list, assert 200 + JSON, return the number of items. */
static size_t
count(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static size_t
count(const char *fmt, ...)
{
    char path[1024];
    struct reply r;
    va_list ap;
    size_t n;

    va_start(ap, fmt);
    vsnprintf(path, sizeof path, fmt, ap);
    va_end(ap);
    http_get(path, &r);
    ck_assert_msg(r.status == 200, "GET %s → %ld: %s", path, r.status, r.body);
    ck_assert(json_is_array(json_object_get(r.json, "items")));
    n = json_array_size(json_object_get(r.json, "items"));
    reply_free(&r);
    return n;
}

/* Copy tmpl to out with the first occurrence of name replaced by value. */
static void
subst(char *out, size_t outsz, const char *tmpl, const char *name, const char *value)
{
    const char *at = strstr(tmpl, name);

    ck_assert_ptr_nonnull(at);
    snprintf(out, outsz, "%.*s%s%s", (int)(at - tmpl), tmpl, value, at + strlen(name));
}

/* id of item i of a list reply */
static const char *
item_id(const struct reply *r, size_t i)
{
    return json_string_value(json_object_get(json_array_get(json_object_get(r->json, "items"), i), "id"));
}

/* POST a vehicle for owner with plate (may be NULL) and vin (may be NULL); returns its id. */
static void
new_vehicle(const char *owner, const char *plate, const char *vin, const char *extra, char out[ID_LEN])
{
    char body[1024];

    snprintf(body, sizeof body, "{\"make\":\"Volkswagen\",\"owner_id\":\"%s\"%s%s%s%s%s%s%s%s}", owner,
             plate ? ",\"plate\":\"" : "", plate ? plate : "", plate ? "\"" : "",
             vin ? ",\"vin\":\"" : "", vin ? vin : "", vin ? "\"" : "", extra ? "," : "",
             extra ? extra : "");
    snprintf(out, ID_LEN, "%s", create_ok("/v1/vehicles", body));
}

START_TEST(create_normalises_plate_and_vin)
{
    char owner[ID_LEN], vin[18], lower[18], body[512], loc[128];
    struct reply r;

    new_person(owner);
    new_vin(vin);
    for (int i = 0; i < 18; i++)
        lower[i] = (char)(vin[i] >= 'A' && vin[i] <= 'Z' ? vin[i] + 32 : vin[i]);
    snprintf(body, sizeof body,
             "{\"make\":\"Volkswagen\",\"model\":\"Golf\",\"owner_id\":\"%s\",\"plate\":\"M-HW 2022\","
             "\"vin\":\"%s\",\"model_year\":2021,\"powertrain\":\"hybrid\",\"mileage_km\":12000,"
             "\"mileage_at\":\"2026-01-15\",\"acquisition\":\"bought_new\"}",
             owner, lower);
    http_json("POST", "/v1/vehicles", body, &r);
    assert_json(&r, 201);
    ck_assert_str_eq(jstr(&r, "plate"), "M-HW 2022");
    ck_assert_str_eq(jstr(&r, "plate_normalized"), "MHW2022");
    ck_assert_str_eq(jstr(&r, "vin"), vin);
    ck_assert_str_eq(jstr(&r, "status"), "active");
    ck_assert(json_is_false(json_object_get(r.json, "bought_from_us")));
    ck_assert(json_is_null(json_object_get(r.json, "plate_history")));
    ck_assert(json_is_null(json_object_get(r.json, "main_driver_id")));
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "model_year")), 2021);
    snprintf(loc, sizeof loc, "/v1/vehicles/%s", jstr(&r, "id"));
    ck_assert_ptr_nonnull(r.location);
    ck_assert_str_eq(r.location, loc);
    reply_free(&r);

    http_get(loc, &r);
    assert_json(&r, 200);
    ck_assert_str_eq(jstr(&r, "plate_normalized"), "MHW2022");
    ck_assert_str_eq(jstr(&r, "vin"), vin);
    ck_assert_str_eq(jstr(&r, "owner_id"), owner);
    reply_free(&r);
}
END_TEST

/* The plate "M-HW 2022" is used by the test above too: each lookup narrows by owner. */
static const char *const plate_spellings[] = { "m%20hw2022", "M-HW-2022", "MHW%202022", "mhw2022",
                                               "M.HW.2022" };

START_TEST(plate_lookup_in_any_spelling)
{
    char owner[ID_LEN], id[ID_LEN];
    struct reply r;

    new_person(owner);
    new_vehicle(owner, "M-HW 2022", NULL, NULL, id);
    getf(&r, "/v1/vehicles?plate=%s&owner_id=%s", plate_spellings[_i], owner);
    assert_json(&r, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 1);
    ck_assert_str_eq(item_id(&r, 0), id);
    ck_assert(json_is_null(json_object_get(r.json, "next_cursor")));
    reply_free(&r);
}
END_TEST

START_TEST(vin_lookup_in_lower_case)
{
    char owner[ID_LEN], id[ID_LEN], vin[18], lower[18];
    struct reply r;

    new_person(owner);
    new_vin(vin);
    for (int i = 0; i < 18; i++)
        lower[i] = (char)(vin[i] >= 'A' && vin[i] <= 'Z' ? vin[i] + 32 : vin[i]);
    new_vehicle(owner, NULL, vin, NULL, id);
    getf(&r, "/v1/vehicles?vin=%s", lower);
    assert_json(&r, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 1);
    ck_assert_str_eq(item_id(&r, 0), id);
    ck_assert(json_is_null(json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "plate")));
    reply_free(&r);
    /* a VIN that is not one is a bad query, not an empty result */
    getf(&r, "/v1/vehicles?vin=%.16s", vin);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
}
END_TEST

START_TEST(owner_and_driver_filters)
{
    char a[ID_LEN], b[ID_LEN], d[ID_LEN], v1[ID_LEN], v2[ID_LEN], v3[ID_LEN], extra[128];
    char p1[16], n1[16], p2[16], n2[16], p3[16], n3[16];
    struct reply r;

    new_person(a);
    new_person(b);
    new_person(d);
    new_plate(p1, n1);
    new_plate(p2, n2);
    new_plate(p3, n3);
    snprintf(extra, sizeof extra, "\"main_driver_id\":\"%s\"", d);
    new_vehicle(a, p1, NULL, extra, v1);
    new_vehicle(a, p2, NULL, NULL, v2);
    new_vehicle(b, p3, NULL, extra, v3);

    getf(&r, "/v1/vehicles?owner_id=%s", a);
    assert_json(&r, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 2);
    ck_assert_str_eq(item_id(&r, 0), v1); /* creation order */
    ck_assert_str_eq(item_id(&r, 1), v2);
    reply_free(&r);
    getf(&r, "/v1/vehicles?driver_id=%s", d);
    assert_json(&r, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 2);
    ck_assert_str_eq(item_id(&r, 0), v1);
    ck_assert_str_eq(item_id(&r, 1), v3);
    reply_free(&r);
    ck_assert_int_eq(count("/v1/vehicles?owner_id=%s&driver_id=%s", a, d), 1);
    ck_assert_int_eq(count("/v1/vehicles?owner_id=%s&driver_id=%s", b, d), 1);
    ck_assert_int_eq(count("/v1/vehicles?driver_id=%s", a), 0);
    getf(&r, "/v1/vehicles?owner_id=not-a-uuid");
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
}
END_TEST

START_TEST(status_filter)
{
    char owner[ID_LEN], v1[ID_LEN], v2[ID_LEN], v3[ID_LEN], p[16], n[16];
    struct reply r;

    new_person(owner);
    new_plate(p, n);
    new_vehicle(owner, p, NULL, NULL, v1);
    new_plate(p, n);
    new_vehicle(owner, p, NULL, "\"status\":\"sold\"", v2);
    new_plate(p, n);
    new_vehicle(owner, p, NULL, "\"status\":\"scrapped\"", v3);

    getf(&r, "/v1/vehicles?owner_id=%s&status=sold", owner);
    assert_json(&r, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 1);
    ck_assert_str_eq(item_id(&r, 0), v2);
    reply_free(&r);
    getf(&r, "/v1/vehicles?owner_id=%s&status=active", owner);
    assert_json(&r, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 1);
    ck_assert_str_eq(item_id(&r, 0), v1);
    reply_free(&r);
    getf(&r, "/v1/vehicles?owner_id=%s&status=scrapped", owner);
    assert_json(&r, 200);
    ck_assert_str_eq(item_id(&r, 0), v3);
    reply_free(&r);
    getf(&r, "/v1/vehicles?owner_id=%s&status=lost", owner);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
}
END_TEST

/*
 * Refused bodies: each is sent for a fresh owner (OWNER is replaced by
 * its id), then the owner's vehicle list proves nothing was written.
 */
static const struct {
    const char *body;
    const char *field;
    int implausible; /* 422 implausible, not 400 validation */
} invalid[] = {
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"vin\":\"WVWZZZ1JZ3W38652I\"}", "vin", 0 },
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"vin\":\"WVWZZZ1JZ3W38652O\"}", "vin", 0 },
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"vin\":\"WVWZZZ1JZ3W38652Q\"}", "vin", 0 },
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"vin\":\"WVWZZZ1JZ3W38652\"}", "vin", 0 },
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"vin\":\"WVWZZZ1JZ3W3865200\"}", "vin", 0 },
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"vin\":12345678901234567}", "vin", 0 },
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\"}", "plate", 0 },
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"plate\":null,\"vin\":null}", "plate", 0 },
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"plate\":\"!!\"}", "plate", 0 },
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"plate\":\"B X 1\",\"powertrain\":\"steam\"}", "powertrain", 0 },
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"plate\":\"B X 1\",\"acquisition\":\"stolen\"}", "acquisition", 0 },
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"plate\":\"B X 1\",\"status\":\"lost\"}", "status", 0 },
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"plate\":\"B X 1\",\"model_year\":1800}", "model_year", 0 },
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"plate\":\"B X 1\",\"model_year\":\"2020\"}", "model_year", 0 },
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"plate\":\"B X 1\",\"mileage_km\":-1}", "mileage_km", 0 },
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"plate\":\"B X 1\",\"mileage_at\":\"2026-01-01\"}",
      "mileage_at", 0 },
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"plate\":\"B X 1\",\"first_registration\":\"2020-13-01\"}",
      "first_registration", 0 },
    /* dates that cannot be true */
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"plate\":\"B X 1\",\"first_registration\":\"2099-05-01\"}", "first_registration", 1 },
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"plate\":\"B X 1\",\"first_registration\":\"1899-12-31\"}", "first_registration", 1 },
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"plate\":\"B X 1\",\"mileage_km\":5000,\"mileage_at\":\"2099-01-01\"}", "mileage_at", 1 },
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"plate\":\"B X 1\",\"last_service_at\":\"2099-01-01\"}", "last_service_at", 1 },
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"plate\":\"B X 1\",\"lease_end\":\"1899-12-31\"}", "lease_end", 1 },
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"plate\":\"B X 1\",\"next_service_due\":\"1066-10-14\"}", "next_service_due", 1 },
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"plate\":\"B X 1\",\"acquired_at\":\"1899-01-01\"}", "acquired_at", 1 },
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"plate\":\"B X 1\",\"main_driver_id\":\"driver-7\"}",
      "main_driver_id", 0 },
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"plate\":\"B X 1\",\"plate_normalized\":\"BX1\"}",
      "plate_normalized", 0 },
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"plate\":\"B X 1\",\"colour\":\"red\"}", "colour", 0 },
    { "{\"owner_id\":\"OWNER\",\"plate\":\"B X 1\"}", "make", 0 },
    { "{\"make\":\"VW\",\"owner_id\":\"OWNER\",\"plate\":\"B X 1\",\"external_refs\":[{\"system\":\"DMS\","
      "\"id\":\"1\"}]}",
      "external_refs[0]", 0 },
};

START_TEST(invalid_vehicle_is_refused)
{
    char owner[ID_LEN], body[512];
    struct reply r;

    new_person(owner);
    subst(body, sizeof body, invalid[_i].body, "OWNER", owner);
    http_json("POST", "/v1/vehicles", body, &r);
    if (invalid[_i].implausible)
        assert_problem(&r, 422, "implausible");
    else
        assert_problem(&r, 400, "validation");
    assert_field_error(&r, invalid[_i].field);
    ck_assert_ptr_null(r.location);
    reply_free(&r);
    ck_assert_int_eq(count("/v1/vehicles?owner_id=%s", owner), 0);
}
END_TEST

/* What lies ahead may: a lease, a service, a delivery; a registration typed tomorrow (UTC) too. */
START_TEST(future_dates_that_may_be_true)
{
    char owner[ID_LEN], body[512], tomorrow[16];
    time_t t = time(NULL) + 86400;
    struct reply r;

    strftime(tomorrow, sizeof tomorrow, "%Y-%m-%d", gmtime(&t));
    new_person(owner);
    snprintf(body, sizeof body,
             "{\"make\":\"VW\",\"owner_id\":\"%s\",\"plate\":\"B Z 9\",\"lease_end\":\"2099-01-31\","
             "\"next_service_due\":\"2090-06-01\",\"acquired_at\":\"2080-01-01\","
             "\"first_registration\":\"%s\",\"mileage_km\":10,\"mileage_at\":\"%s\"}",
             owner, tomorrow, tomorrow);
    http_json("POST", "/v1/vehicles", body, &r);
    assert_json(&r, 201);
    reply_free(&r);
    /* the message names the limit */
    snprintf(body, sizeof body,
             "{\"make\":\"VW\",\"owner_id\":\"%s\",\"plate\":\"B Z 8\","
             "\"first_registration\":\"2036-05-01\"}",
             owner);
    http_json("POST", "/v1/vehicles", body, &r);
    assert_problem(&r, 422, "implausible");
    ck_assert_str_eq(sget(json_array_get(json_object_get(r.json, "errors"), 0), "field"),
                     "first_registration");
    ck_assert_msg(strstr(sget(json_array_get(json_object_get(r.json, "errors"), 0), "message"),
                         pathf("is in the future: must be %s or earlier (today plus 1 day, UTC)",
                               tomorrow)),
                  "%s", r.body);
    reply_free(&r);
    ck_assert_int_eq(count("/v1/vehicles?owner_id=%s", owner), 1);
}
END_TEST

START_TEST(duplicate_vin_conflicts)
{
    char a[ID_LEN], b[ID_LEN], first[ID_LEN], vin[18], body[256];
    struct reply r;

    new_person(a);
    new_person(b);
    new_vin(vin);
    new_vehicle(a, NULL, vin, NULL, first);
    snprintf(body, sizeof body, "{\"make\":\"Audi\",\"owner_id\":\"%s\",\"vin\":\"%s\"}", b, vin);
    http_json("POST", "/v1/vehicles", body, &r);
    assert_problem(&r, 409, "conflict");
    ck_assert_msg(strstr(jstr(&r, "detail"), first) != NULL, "detail names %s: %s", first,
                  jstr(&r, "detail"));
    reply_free(&r);
    ck_assert_int_eq(count("/v1/vehicles?owner_id=%s", b), 0);
    ck_assert_int_eq(count("/v1/vehicles?vin=%s", vin), 1);
}
END_TEST

START_TEST(patch_to_taken_vin_conflicts)
{
    char owner[ID_LEN], v1[ID_LEN], v2[ID_LEN], vin1[18], vin2[18], path[96], body[64];
    struct reply r;

    new_person(owner);
    new_vin(vin1);
    new_vin(vin2);
    new_vehicle(owner, NULL, vin1, NULL, v1);
    new_vehicle(owner, NULL, vin2, NULL, v2);
    snprintf(path, sizeof path, "/v1/vehicles/%s", v2);
    snprintf(body, sizeof body, "{\"vin\":\"%s\"}", vin1);
    http_json("PATCH", path, body, &r);
    assert_problem(&r, 409, "conflict");
    ck_assert_ptr_nonnull(strstr(jstr(&r, "detail"), v1));
    reply_free(&r);
    http_get(path, &r);
    assert_json(&r, 200);
    ck_assert_str_eq(jstr(&r, "vin"), vin2);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 1);
    reply_free(&r);
}
END_TEST

START_TEST(unknown_owner_is_unprocessable)
{
    static const char ghost[] = "7f1c4c1e-2a7b-4d7e-9a51-000000000001";
    char owner[ID_LEN], body[256];
    struct reply r;

    snprintf(body, sizeof body, "{\"make\":\"VW\",\"owner_id\":\"%s\",\"plate\":\"B X 1\"}", ghost);
    http_json("POST", "/v1/vehicles", body, &r);
    assert_problem(&r, 422, "unprocessable");
    ck_assert_ptr_nonnull(strstr(jstr(&r, "detail"), "owner_id"));
    reply_free(&r);
    ck_assert_int_eq(count("/v1/vehicles?owner_id=%s", ghost), 0);

    new_person(owner);
    snprintf(body, sizeof body,
             "{\"make\":\"VW\",\"owner_id\":\"%s\",\"plate\":\"B X 1\",\"main_driver_id\":\"%s\"}",
             owner, ghost);
    http_json("POST", "/v1/vehicles", body, &r);
    assert_problem(&r, 422, "unprocessable");
    ck_assert_ptr_nonnull(strstr(jstr(&r, "detail"), "main_driver_id"));
    reply_free(&r);
    ck_assert_int_eq(count("/v1/vehicles?owner_id=%s", owner), 0);
}
END_TEST

START_TEST(company_as_main_driver_is_unprocessable)
{
    char owner[ID_LEN], company[ID_LEN], person[ID_LEN], id[ID_LEN], body[256], extra[96];
    struct reply r;

    new_person(owner);
    new_company(company);
    snprintf(body, sizeof body,
             "{\"make\":\"VW\",\"owner_id\":\"%s\",\"plate\":\"B X 1\",\"main_driver_id\":\"%s\"}",
             owner, company);
    http_json("POST", "/v1/vehicles", body, &r);
    assert_problem(&r, 422, "unprocessable");
    ck_assert_ptr_nonnull(strstr(jstr(&r, "detail"), "company"));
    reply_free(&r);
    ck_assert_int_eq(count("/v1/vehicles?owner_id=%s", owner), 0);

    /* the other way round is the usual fleet car: a company owns it, a person drives it */
    new_person(person);
    snprintf(extra, sizeof extra, "\"main_driver_id\":\"%s\",\"acquisition\":\"fleet\"", person);
    new_vehicle(company, "B X 1", NULL, extra, id);
    ck_assert_int_eq(count("/v1/vehicles?owner_id=%s&driver_id=%s", company, person), 1);
}
END_TEST

START_TEST(plate_change_keeps_history)
{
    char owner[ID_LEN], id[ID_LEN], p1[16], n1[16], p2[16], n2[16], p3[16], n3[16], path[96],
        body[128], lower[16];
    json_t *hist, *h;
    struct reply r;

    new_person(owner);
    new_plate(p1, n1);
    new_plate(p2, n2);
    new_plate(p3, n3);
    new_vehicle(owner, p1, NULL, NULL, id);
    snprintf(path, sizeof path, "/v1/vehicles/%s", id);

    snprintf(body, sizeof body, "{\"plate\":\"%s\"}", p2);
    http("PATCH", path, "application/merge-patch+json", body, NULL, &r);
    assert_json(&r, 200);
    ck_assert_str_eq(jstr(&r, "plate"), p2);
    ck_assert_str_eq(jstr(&r, "plate_normalized"), n2);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 2);
    hist = json_object_get(r.json, "plate_history");
    ck_assert_int_eq(json_array_size(hist), 1);
    h = json_array_get(hist, 0);
    ck_assert_str_eq(json_string_value(json_object_get(h, "plate")), p1);
    ck_assert_str_eq(json_string_value(json_object_get(h, "plate_normalized")), n1);
    ck_assert_int_eq(strlen(json_string_value(json_object_get(h, "until"))), 20);
    ck_assert_int_eq(json_string_value(json_object_get(h, "until"))[19], 'Z');
    reply_free(&r);

    ck_assert_int_eq(count("/v1/vehicles?plate=%s", n1), 0);
    ck_assert_int_eq(count("/v1/vehicles?plate=%s", n2), 1);

    /* the same plate spelled differently is no change of plate */
    for (size_t i = 0; i < sizeof lower; i++)
        lower[i] = (char)(n2[i] >= 'A' && n2[i] <= 'Z' ? n2[i] + 32 : n2[i]);
    snprintf(body, sizeof body, "{\"plate\":\"%s\"}", lower);
    http_json("PATCH", path, body, &r);
    assert_json(&r, 200);
    ck_assert_str_eq(jstr(&r, "plate"), lower);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "plate_history")), 1);
    reply_free(&r);

    snprintf(body, sizeof body, "{\"plate\":\"%s\"}", p3);
    http_json("PATCH", path, body, &r);
    assert_json(&r, 200);
    hist = json_object_get(r.json, "plate_history");
    ck_assert_int_eq(json_array_size(hist), 2);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(hist, 0), "plate_normalized")), n1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(hist, 1), "plate")), lower);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 4);
    reply_free(&r);
    ck_assert_int_eq(count("/v1/vehicles?plate=%s", n2), 0);
    ck_assert_int_eq(count("/v1/vehicles?plate=%s", n3), 1);
}
END_TEST

START_TEST(server_owned_fields_cannot_be_patched)
{
    static const char *const patches[] = { "{\"plate_normalized\":\"XY123\"}",
                                           "{\"plate_history\":[]}", "{\"version\":7}",
                                           "{\"id\":\"7f1c4c1e-2a7b-4d7e-9a51-000000000002\"}" };
    static const char *const fields[] = { "plate_normalized", "plate_history", "version", "id" };
    char owner[ID_LEN], id[ID_LEN], p[16], n[16], path[96];
    struct reply r;

    new_person(owner);
    new_plate(p, n);
    new_vehicle(owner, p, NULL, NULL, id);
    snprintf(path, sizeof path, "/v1/vehicles/%s", id);
    for (size_t i = 0; i < sizeof patches / sizeof patches[0]; i++) {
        http_json("PATCH", path, patches[i], &r);
        assert_problem(&r, 400, "validation");
        assert_field_error(&r, fields[i]);
        reply_free(&r);
    }
    http_get(path, &r);
    assert_json(&r, 200);
    ck_assert_str_eq(jstr(&r, "plate_normalized"), n);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 1);
    reply_free(&r);
}
END_TEST

START_TEST(get_and_patch_round_trip)
{
    char owner[ID_LEN], id[ID_LEN], p[16], n[16], path[96];
    struct reply r;
    char *doc;

    new_person(owner);
    new_plate(p, n);
    new_vehicle(owner, p, NULL, "\"mileage_km\":5000,\"mileage_at\":\"2026-02-01\"", id);
    snprintf(path, sizeof path, "/v1/vehicles/%s", id);
    http_get(path, &r);
    assert_json(&r, 200);
    json_object_set_new(r.json, "mileage_km", json_integer(6000));
    doc = json_dumps(r.json, JSON_COMPACT);
    reply_free(&r);
    http_json("PATCH", path, doc, &r);
    free(doc);
    assert_json(&r, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "mileage_km")), 6000);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 2);
    reply_free(&r);
    /* removing mileage_km alone leaves mileage_at without it */
    http_json("PATCH", path, "{\"mileage_km\":null}", &r);
    assert_problem(&r, 400, "validation");
    assert_field_error(&r, "mileage_at");
    reply_free(&r);
    http_json("PATCH", path, "{\"mileage_km\":null,\"mileage_at\":null}", &r);
    assert_json(&r, 200);
    ck_assert(json_is_null(json_object_get(r.json, "mileage_km")));
    ck_assert(json_is_null(json_object_get(r.json, "mileage_at")));
    reply_free(&r);
}
END_TEST

START_TEST(plate_may_pass_to_another_vehicle)
{
    char a[ID_LEN], b[ID_LEN], v1[ID_LEN], v2[ID_LEN], p[16], n[16], path[96], second[20];
    struct reply r;

    new_person(a);
    new_person(b);
    new_plate(p, n);
    new_vehicle(a, p, NULL, NULL, v1);
    snprintf(path, sizeof path, "/v1/vehicles/%s", v1);
    http_json("PATCH", path, "{\"status\":\"sold\"}", &r);
    assert_json(&r, 200);
    reply_free(&r);
    /* the new car carries the same plate, written another way */
    snprintf(second, sizeof second, "%.2s-%s", n, n + 2);
    new_vehicle(b, second, NULL, NULL, v2);

    getf(&r, "/v1/vehicles?plate=%s", n);
    assert_json(&r, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 2);
    ck_assert_str_eq(item_id(&r, 0), v1);
    ck_assert_str_eq(item_id(&r, 1), v2);
    reply_free(&r);
    getf(&r, "/v1/vehicles?plate=%s&status=active", second);
    assert_json(&r, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 1);
    ck_assert_str_eq(item_id(&r, 0), v2);
    reply_free(&r);
}
END_TEST

/* Touchpoint for customer on vehicle. */
static void
new_touchpoint(const char *customer, const char *vehicle, char out[ID_LEN])
{
    char body[256];

    snprintf(body, sizeof body,
             "{\"customer_id\":\"%s\",\"vehicle_id\":\"%s\",\"kind\":\"service_visit\","
             "\"channel\":\"in_person\"}",
             customer, vehicle);
    snprintf(out, ID_LEN, "%s", create_ok("/v1/touchpoints", body));
}

START_TEST(delete_vehicle_without_touchpoints)
{
    char owner[ID_LEN], id[ID_LEN], p[16], n[16], path[96];
    struct reply r;

    new_person(owner);
    new_plate(p, n);
    new_vehicle(owner, p, NULL, NULL, id);
    snprintf(path, sizeof path, "/v1/vehicles/%s", id);
    http("DELETE", path, NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    ck_assert_str_eq(r.body, "");
    reply_free(&r);
    http_get(path, &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
    ck_assert_int_eq(count("/v1/vehicles?plate=%s", n), 0);
    http("DELETE", path, NULL, NULL, NULL, &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
}
END_TEST

START_TEST(delete_vehicle_with_touchpoint_needs_cascade)
{
    char owner[ID_LEN], id[ID_LEN], tp[ID_LEN], p[16], n[16], path[96], tpath[96], query[128];
    struct reply r;

    new_person(owner);
    new_plate(p, n);
    new_vehicle(owner, p, NULL, NULL, id);
    new_touchpoint(owner, id, tp);
    snprintf(path, sizeof path, "/v1/vehicles/%s", id);
    snprintf(tpath, sizeof tpath, "/v1/touchpoints/%s", tp);

    http("DELETE", path, NULL, NULL, NULL, &r);
    assert_problem(&r, 409, "conflict");
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(r.json, "references"),
                                                        "touchpoints")),
                     1);
    reply_free(&r);
    http_get(path, &r);
    assert_json(&r, 200);
    reply_free(&r);

    /* cascade belongs to DELETE only, and takes true or false */
    snprintf(query, sizeof query, "%s?cascade=true", path);
    http_get(query, &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
    snprintf(query, sizeof query, "%s?cascade=perhaps", path);
    http("DELETE", query, NULL, NULL, NULL, &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
    snprintf(query, sizeof query, "%s?cascade=false", path);
    http("DELETE", query, NULL, NULL, NULL, &r);
    assert_problem(&r, 409, "conflict");
    reply_free(&r);
    http_get(path, &r);
    assert_json(&r, 200);
    reply_free(&r);

    snprintf(query, sizeof query, "%s?cascade=true", path);
    http("DELETE", query, NULL, NULL, NULL, &r);
    ck_assert_msg(r.status == 204, "status %ld: %s", r.status, r.body);
    reply_free(&r);
    http_get(path, &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
    http_get(tpath, &r);
    assert_json(&r, 200);
    ck_assert(json_is_null(json_object_get(r.json, "vehicle_id")));
    ck_assert_str_eq(jstr(&r, "customer_id"), owner);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 2);
    reply_free(&r);
}
END_TEST

START_TEST(external_refs_are_unique)
{
    char a[ID_LEN], b[ID_LEN], v1[ID_LEN], v2[ID_LEN], ref[64], extra[128], body[256], path[96];
    struct reply r;

    new_person(a);
    new_person(b);
    snprintf(ref, sizeof ref, "F-%llu", serial() % 1000000000ULL);
    snprintf(extra, sizeof extra, "\"external_refs\":[{\"system\":\"dms\",\"id\":\"%s\"}]", ref);
    new_vehicle(a, "B X 1", NULL, extra, v1);
    ck_assert_int_eq(count("/v1/vehicles?external_ref=dms:%s", ref), 1);

    snprintf(body, sizeof body, "{\"make\":\"VW\",\"owner_id\":\"%s\",\"plate\":\"B X 2\",%s}", b, extra);
    http_json("POST", "/v1/vehicles", body, &r);
    assert_problem(&r, 409, "conflict");
    ck_assert_ptr_nonnull(strstr(jstr(&r, "detail"), v1));
    reply_free(&r);
    ck_assert_int_eq(count("/v1/vehicles?owner_id=%s", b), 0);

    new_vehicle(b, "B X 2", NULL, NULL, v2);
    snprintf(path, sizeof path, "/v1/vehicles/%s", v2);
    snprintf(body, sizeof body, "{%s}", extra);
    http_json("PATCH", path, body, &r);
    assert_problem(&r, 409, "conflict");
    reply_free(&r);
    http_get(path, &r);
    assert_json(&r, 200);
    ck_assert(json_is_null(json_object_get(r.json, "external_refs")));
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "version")), 1);
    reply_free(&r);
    getf(&r, "/v1/vehicles?external_ref=dms:%s", ref);
    assert_json(&r, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 1);
    ck_assert_str_eq(item_id(&r, 0), v1);
    reply_free(&r);
}
END_TEST

START_TEST(bad_ids_and_query_parameters)
{
    struct reply r;

    http_get("/v1/vehicles/not-a-uuid", &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
    http_get("/v1/vehicles/7f1c4c1e-2a7b-4d7e-9a51-000000000003", &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
    http_get("/v1/vehicles?colour=red", &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
    http_get("/v1/vehicles?plate=%21%21", &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
    http_get("/v1/vehicles?limit=0", &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
}
END_TEST

Suite *
vehicles_suite(void)
{
    Suite *s = suite_create("vehicles");
    TCase *tc = tcase_create("vehicles");
    int ninvalid = (int)(sizeof invalid / sizeof invalid[0]);
    int nspell = (int)(sizeof plate_spellings / sizeof plate_spellings[0]);

    tcase_add_unchecked_fixture(tc, harness_setup, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, create_normalises_plate_and_vin);
    tcase_add_loop_test(tc, plate_lookup_in_any_spelling, 0, nspell);
    tcase_add_test(tc, vin_lookup_in_lower_case);
    tcase_add_test(tc, owner_and_driver_filters);
    tcase_add_test(tc, status_filter);
    tcase_add_test(tc, future_dates_that_may_be_true);
    tcase_add_loop_test(tc, invalid_vehicle_is_refused, 0, ninvalid);
    tcase_add_test(tc, duplicate_vin_conflicts);
    tcase_add_test(tc, patch_to_taken_vin_conflicts);
    tcase_add_test(tc, unknown_owner_is_unprocessable);
    tcase_add_test(tc, company_as_main_driver_is_unprocessable);
    tcase_add_test(tc, plate_change_keeps_history);
    tcase_add_test(tc, server_owned_fields_cannot_be_patched);
    tcase_add_test(tc, get_and_patch_round_trip);
    tcase_add_test(tc, plate_may_pass_to_another_vehicle);
    tcase_add_test(tc, delete_vehicle_without_touchpoints);
    tcase_add_test(tc, delete_vehicle_with_touchpoint_needs_cascade);
    tcase_add_test(tc, external_refs_are_unique);
    tcase_add_test(tc, bad_ids_and_query_parameters);
    suite_add_tcase(s, tc);
    return s;
}
