/*
 * test_households: households and their members. Membership is shown on
 * both sides (the household's "members", the customer's "household"),
 * so each test checks the side it did not write to as well.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "suites.h"

#define NO_SUCH_ID "6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab"

static long long
version_of(const json_t *o)
{
    return json_integer_value(json_object_get(o, "version"));
}

/* The member entry of customer in household h, or NULL (borrowed). */
static json_t *
member(const json_t *h, const char *customer)
{
    json_t *members = json_object_get(h, "members"), *m;
    size_t i;

    ck_assert_msg(json_is_array(members), "household without members array");
    json_array_foreach(members, i, m)
    {
        if (strcmp(sget(m, "customer_id"), customer) == 0)
            return m;
    }
    return NULL;
}

/* Household id (copied into out, 40 bytes) named uniquely from prefix. */
static void
new_household(const char *prefix, char *out)
{
    snprintf(out, 40, "%s", create_ok("/v1/households", pathf("{\"name\":\"%s\"}", uniq(prefix))));
}

static void
new_person(char *out)
{
    snprintf(out, 40, "%s",
             create_ok("/v1/customers",
                       pathf("{\"kind\":\"person\",\"family_name\":\"%s\"}", uniq("Mitglied"))));
}

static void
put_member(const char *household, const char *customer, const char *role, const char *query,
           struct reply *r)
{
    http_json("PUT", pathf("/v1/households/%s/members/%s%s", household, customer, query),
              pathf("{\"role\":\"%s\"}", role), r);
}

static void
put_member_ok(const char *household, const char *customer, const char *role, long status)
{
    struct reply r;

    put_member(household, customer, role, "", &r);
    assert_json(&r, status);
    reply_free(&r);
}

/* The customer's computed "household": asserts it is {id, role} or null. */
static void
assert_customer_household(const char *customer, const char *household, const char *role)
{
    json_t *c = fetch(pathf("/v1/customers/%s", customer)), *h = json_object_get(c, "household");

    if (!household) {
        ck_assert_msg(json_is_null(h), "customer still in a household");
    } else {
        ck_assert_msg(json_is_object(h), "customer not in a household");
        ck_assert_int_eq(json_object_size(h), 2);
        ck_assert_str_eq(sget(h, "id"), household);
        ck_assert_str_eq(sget(h, "role"), role);
    }
    json_decref(c);
}

START_TEST(create_with_name_and_address)
{
    const char *name = uniq("Familie Weber ");
    struct reply r;
    json_t *got;

    http_json(
        "POST", "/v1/households",
        pathf("{\"name\":\"%s\",\"address\":{\"street\":\"Hauptstr. 5\",\"postal_code\":\"50667\","
              "\"city\":\"Köln\",\"country\":\"DE\"}}",
              name),
        &r);
    assert_json(&r, 201);
    ck_assert_str_eq(r.location, pathf("/v1/households/%s", jstr(&r, "id")));
    ck_assert_str_eq(jstr(&r, "name"), name);
    ck_assert_str_eq(sget(json_object_get(r.json, "address"), "city"), "Köln");
    ck_assert_int_eq(version_of(r.json), 1);
    ck_assert_str_eq(jstr(&r, "created_at"), jstr(&r, "updated_at"));
    ck_assert(json_is_array(json_object_get(r.json, "members")));
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "members")), 0);
    got = fetch(pathf("/v1/households/%s", jstr(&r, "id")));
    ck_assert(json_equal(got, r.json));
    json_decref(got);
    reply_free(&r);
}
END_TEST

START_TEST(member_put_creates_then_changes_role)
{
    char h[40], c[40], since[32];
    struct reply r;
    json_t *m;

    new_household("Neu", h);
    new_person(c);
    put_member(h, c, "head", "", &r);
    assert_json(&r, 201);
    ck_assert_str_eq(jstr(&r, "id"), h);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "members")), 1);
    m = member(r.json, c);
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(sget(m, "role"), "head");
    ck_assert_ptr_nonnull(sget(m, "since"));
    snprintf(since, sizeof since, "%s", sget(m, "since"));
    reply_free(&r);

    put_member(h, c, "partner", "", &r);
    assert_json(&r, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "members")), 1);
    m = member(r.json, c);
    ck_assert_str_eq(sget(m, "role"), "partner");
    ck_assert_str_eq(sget(m, "since"), since);
    reply_free(&r);
}
END_TEST

START_TEST(members_listed_with_role_and_since)
{
    char h[40], a[40], b[40];
    json_t *got;

    new_household("Zwei", h);
    new_person(a);
    new_person(b);
    put_member_ok(h, a, "parent", 201);
    put_member_ok(h, b, "child", 201);
    got = fetch(pathf("/v1/households/%s", h));
    ck_assert_int_eq(json_array_size(json_object_get(got, "members")), 2);
    ck_assert_str_eq(sget(member(got, a), "role"), "parent");
    ck_assert_str_eq(sget(member(got, b), "role"), "child");
    ck_assert_ptr_nonnull(sget(member(got, b), "since"));
    ck_assert_int_eq(json_object_size(member(got, a)), 3);
    json_decref(got);
}
END_TEST

START_TEST(member_changes_bump_household_version)
{
    char h[40], c[40];
    json_t *got;
    struct reply r;

    new_household("Version", h);
    new_person(c);
    put_member_ok(h, c, "head", 201);
    got = fetch(pathf("/v1/households/%s", h));
    ck_assert_int_eq(version_of(got), 2);
    json_decref(got);
    put_member_ok(h, c, "other", 200);
    got = fetch(pathf("/v1/households/%s", h));
    ck_assert_int_eq(version_of(got), 3);
    json_decref(got);
    http("DELETE", pathf("/v1/households/%s/members/%s", h, c), NULL, NULL, NULL, &r);
    assert_json(&r, 200);
    ck_assert_int_eq(version_of(r.json), 4);
    reply_free(&r);
}
END_TEST

START_TEST(customer_shows_household)
{
    char h[40], c[40];

    new_household("Sicht", h);
    new_person(c);
    assert_customer_household(c, NULL, NULL);
    put_member_ok(h, c, "child", 201);
    assert_customer_household(c, h, "child");
}
END_TEST

START_TEST(company_as_member_is_422)
{
    char h[40], company[40];
    struct reply r;
    json_t *got;

    new_household("Firma", h);
    snprintf(company, sizeof company, "%s",
             create_ok("/v1/customers", "{\"kind\":\"company\",\"company_name\":\"Haus GmbH\"}"));
    put_member(h, company, "head", "", &r);
    assert_problem(&r, 422, "unprocessable");
    reply_free(&r);
    got = fetch(pathf("/v1/households/%s", h));
    ck_assert_int_eq(json_array_size(json_object_get(got, "members")), 0);
    ck_assert_int_eq(version_of(got), 1);
    json_decref(got);
    assert_customer_household(company, NULL, NULL);
}
END_TEST

START_TEST(unknown_household_or_customer_is_404)
{
    char h[40], c[40];
    struct reply r;
    json_t *got;

    new_household("Fehlt", h);
    new_person(c);
    put_member(NO_SUCH_ID, c, "head", "", &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
    put_member(h, NO_SUCH_ID, "head", "", &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
    put_member(h, "garbage", "head", "", &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
    got = fetch(pathf("/v1/households/%s", h));
    ck_assert_int_eq(json_array_size(json_object_get(got, "members")), 0);
    json_decref(got);
    assert_customer_household(c, NULL, NULL);
}
END_TEST

START_TEST(person_in_other_household_is_409)
{
    char a[40], b[40], c[40];
    struct reply r;
    json_t *got;

    new_household("A", a);
    new_household("B", b);
    new_person(c);
    put_member_ok(a, c, "head", 201);
    put_member(b, c, "head", "", &r);
    assert_problem(&r, 409, "conflict");
    ck_assert_str_eq(jstr(&r, "household_id"), a);
    reply_free(&r);
    got = fetch(pathf("/v1/households/%s", b));
    ck_assert_int_eq(json_array_size(json_object_get(got, "members")), 0);
    ck_assert_int_eq(version_of(got), 1);
    json_decref(got);
    got = fetch(pathf("/v1/households/%s", a));
    ck_assert_ptr_nonnull(member(got, c));
    json_decref(got);
    assert_customer_household(c, a, "head");
}
END_TEST

START_TEST(move_true_moves_person)
{
    char a[40], b[40], c[40];
    struct reply r;
    json_t *got;

    new_household("Von", a);
    new_household("Nach", b);
    new_person(c);
    put_member_ok(a, c, "head", 201);
    put_member(b, c, "partner", "?move=true", &r);
    ck_assert_msg(r.status == 200 || r.status == 201, "move answered %ld: %s", r.status, r.body);
    assert_json(&r, r.status);
    ck_assert_str_eq(sget(member(r.json, c), "role"), "partner");
    reply_free(&r);
    got = fetch(pathf("/v1/households/%s", a));
    ck_assert_ptr_null(member(got, c));
    ck_assert_int_eq(json_array_size(json_object_get(got, "members")), 0);
    ck_assert_int_eq(version_of(got), 3);
    json_decref(got);
    assert_customer_household(c, b, "partner");
}
END_TEST

START_TEST(move_needs_true_or_false)
{
    char a[40], c[40];
    struct reply r;
    json_t *got;

    new_household("Bool", a);
    new_person(c);
    put_member(a, c, "head", "?move=maybe", &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
    put_member(a, c, "head", "?force=true", &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
    got = fetch(pathf("/v1/households/%s", a));
    ck_assert_int_eq(json_array_size(json_object_get(got, "members")), 0);
    json_decref(got);
}
END_TEST

static const char *const bad_member_bodies[] = {
    "{\"role\":\"cousin\"}",
    "{\"role\":\"HEAD\"}",
    "{\"role\":null}",
    "{}",
    "{\"role\":\"head\",\"since\":\"2020-01-01\"}",
};

START_TEST(bad_role_is_refused)
{
    char h[40], c[40];
    struct reply r;
    json_t *got;

    new_household("Rolle", h);
    new_person(c);
    http_json("PUT", pathf("/v1/households/%s/members/%s", h, c), bad_member_bodies[_i], &r);
    assert_problem(&r, 400, "validation");
    reply_free(&r);
    got = fetch(pathf("/v1/households/%s", h));
    ck_assert_int_eq(json_array_size(json_object_get(got, "members")), 0);
    ck_assert_int_eq(version_of(got), 1);
    json_decref(got);
    assert_customer_household(c, NULL, NULL);
}
END_TEST

START_TEST(cousin_role_names_the_field)
{
    char h[40], c[40];
    struct reply r;

    new_household("Cousin", h);
    new_person(c);
    put_member(h, c, "cousin", "", &r);
    assert_problem(&r, 400, "validation");
    assert_field_error(&r, "role");
    reply_free(&r);
    assert_customer_household(c, NULL, NULL);
}
END_TEST

START_TEST(delete_member_answers_household_then_404)
{
    char h[40], a[40], b[40];
    const char *path;
    struct reply r;

    new_household("Raus", h);
    new_person(a);
    new_person(b);
    put_member_ok(h, a, "head", 201);
    put_member_ok(h, b, "child", 201);
    path = pathf("/v1/households/%s/members/%s", h, b);
    http("DELETE", path, NULL, NULL, NULL, &r);
    assert_json(&r, 200);
    ck_assert_str_eq(jstr(&r, "id"), h);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "members")), 1);
    ck_assert_ptr_null(member(r.json, b));
    ck_assert_ptr_nonnull(member(r.json, a));
    reply_free(&r);
    assert_customer_household(b, NULL, NULL);
    assert_customer_household(a, h, "head");
    http("DELETE", path, NULL, NULL, NULL, &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
}
END_TEST

START_TEST(delete_member_of_unknown_household_is_404)
{
    char c[40];
    struct reply r;

    new_person(c);
    http("DELETE", pathf("/v1/households/" NO_SUCH_ID "/members/%s", c), NULL, NULL, NULL, &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
}
END_TEST

START_TEST(delete_household_keeps_customers)
{
    char h[40], a[40], b[40];
    struct reply r;

    new_household("Weg", h);
    new_person(a);
    new_person(b);
    put_member_ok(h, a, "head", 201);
    put_member_ok(h, b, "partner", 201);
    http("DELETE", pathf("/v1/households/%s", h), NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    ck_assert_str_eq(r.body, "");
    reply_free(&r);
    assert_gone(pathf("/v1/households/%s", h));
    assert_customer_household(a, NULL, NULL);
    assert_customer_household(b, NULL, NULL);
    http("DELETE", pathf("/v1/households/%s", h), NULL, NULL, NULL, &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
}
END_TEST

START_TEST(deleting_customer_leaves_household)
{
    char h[40], c[40];
    struct reply r;
    json_t *got;

    new_household("Auszug", h);
    new_person(c);
    put_member_ok(h, c, "head", 201);
    http("DELETE", pathf("/v1/customers/%s", c), NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    reply_free(&r);
    got = fetch(pathf("/v1/households/%s", h));
    ck_assert_int_eq(json_array_size(json_object_get(got, "members")), 0);
    json_decref(got);
}
END_TEST

START_TEST(filter_by_name_ignores_case)
{
    const char *name = uniq("Familie-Kraus");
    char h[40], lower[64];
    struct reply r;

    snprintf(h, sizeof h, "%s", create_ok("/v1/households", pathf("{\"name\":\"%s\"}", name)));
    for (size_t i = 0; i <= strlen(name); i++)
        lower[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
    http_get(pathf("/v1/households?name=%s", lower), &r);
    assert_json(&r, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 1);
    ck_assert_str_eq(sget(json_array_get(json_object_get(r.json, "items"), 0), "id"), h);
    ck_assert(json_is_null(json_object_get(r.json, "next_cursor")));
    reply_free(&r);
    http_get("/v1/households?city=Koeln", &r);
    assert_problem(&r, 400, "bad-request");
    reply_free(&r);
}
END_TEST

START_TEST(patch_name_keeps_members)
{
    char h[40], c[40];
    const char *name = uniq("Umbenannt");
    struct reply r;

    new_household("Alt", h);
    new_person(c);
    put_member_ok(h, c, "head", 201);
    http("PATCH", pathf("/v1/households/%s", h), "application/merge-patch+json",
         pathf("{\"name\":\"%s\"}", name), NULL, &r);
    assert_json(&r, 200);
    ck_assert_str_eq(jstr(&r, "name"), name);
    ck_assert_int_eq(version_of(r.json), 3);
    ck_assert_str_eq(sget(member(r.json, c), "role"), "head");
    reply_free(&r);
    http_get(pathf("/v1/households?name=%s", name), &r);
    assert_json(&r, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 1);
    reply_free(&r);
}
END_TEST

START_TEST(patch_removing_name_is_refused)
{
    char h[40];
    const char *path;
    json_t *before, *after;
    struct reply r;

    new_household("Bleibt", h);
    path = pathf("/v1/households/%s", h);
    before = fetch(path);
    http("PATCH", path, "application/merge-patch+json", "{\"name\":null}", NULL, &r);
    assert_problem(&r, 400, "validation");
    assert_field_error(&r, "name");
    reply_free(&r);
    after = fetch(path);
    ck_assert(json_equal(before, after));
    json_decref(before);
    json_decref(after);
}
END_TEST

START_TEST(create_without_name_is_refused)
{
    const char *note = uniq("ohne-name-");
    struct reply r;
    json_t *items;
    size_t i;
    json_t *it;

    http_json("POST", "/v1/households", pathf("{\"notes\":\"%s\"}", note), &r);
    assert_problem(&r, 400, "validation");
    assert_field_error(&r, "name");
    reply_free(&r);
    http_json("POST", "/v1/households", pathf("{\"name\":\"\",\"notes\":\"%s\"}", note), &r);
    assert_problem(&r, 400, "validation");
    assert_field_error(&r, "name");
    reply_free(&r);
    /* no filter on notes: look through every household of this server */
    http_get("/v1/households?limit=200", &r);
    assert_json(&r, 200);
    items = json_object_get(r.json, "items");
    json_array_foreach(items, i, it)
    {
        const char *n = sget(it, "notes");
        ck_assert_msg(!n || strcmp(n, note) != 0, "a household without name was written");
    }
    reply_free(&r);
}
END_TEST

START_TEST(members_are_server_computed)
{
    char c[40];
    const char *name = uniq("Schmuggel");
    struct reply r;

    new_person(c);
    http_json("POST", "/v1/households",
              pathf("{\"name\":\"%s\",\"members\":[{\"customer_id\":\"%s\",\"role\":\"head\"}]}",
                    name, c),
              &r);
    assert_problem(&r, 400, "validation");
    assert_field_error(&r, "members");
    reply_free(&r);
    http_get(pathf("/v1/households?name=%s", name), &r);
    assert_json(&r, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "items")), 0);
    reply_free(&r);
    assert_customer_household(c, NULL, NULL);
}
END_TEST

Suite *
households_suite(void)
{
    Suite *s = suite_create("households");
    TCase *tc = tcase_create("households");

    tcase_add_unchecked_fixture(tc, harness_setup, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, create_with_name_and_address);
    tcase_add_test(tc, member_put_creates_then_changes_role);
    tcase_add_test(tc, members_listed_with_role_and_since);
    tcase_add_test(tc, member_changes_bump_household_version);
    tcase_add_test(tc, customer_shows_household);
    tcase_add_test(tc, company_as_member_is_422);
    tcase_add_test(tc, unknown_household_or_customer_is_404);
    tcase_add_test(tc, person_in_other_household_is_409);
    tcase_add_test(tc, move_true_moves_person);
    tcase_add_test(tc, move_needs_true_or_false);
    tcase_add_loop_test(tc, bad_role_is_refused, 0,
                        (int)(sizeof bad_member_bodies / sizeof bad_member_bodies[0]));
    tcase_add_test(tc, cousin_role_names_the_field);
    tcase_add_test(tc, delete_member_answers_household_then_404);
    tcase_add_test(tc, delete_member_of_unknown_household_is_404);
    tcase_add_test(tc, delete_household_keeps_customers);
    tcase_add_test(tc, deleting_customer_leaves_household);
    tcase_add_test(tc, filter_by_name_ignores_case);
    tcase_add_test(tc, patch_name_keeps_members);
    tcase_add_test(tc, patch_removing_name_is_refused);
    tcase_add_test(tc, create_without_name_is_refused);
    tcase_add_test(tc, members_are_server_computed);
    suite_add_tcase(s, tc);
    return s;
}
