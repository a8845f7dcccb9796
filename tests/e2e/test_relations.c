/*
 * test_relations: people at companies: PUT/DELETE
 * /v1/customers/{company}/people/{person} with {"roles": [...]}, and the
 * /people (of a company) and /companies (of a person) lists.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "suites.h"

#define NO_SUCH_ID "6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab"

static size_t
count(const char *path)
{
    json_t *items = fetch_items(path);
    size_t n = json_array_size(items);

    json_decref(items);
    return n;
}

/* Whether the JSON array a holds the string s. */
static int
has_string(const json_t *a, const char *s)
{
    size_t i;
    json_t *v;

    json_array_foreach(a, i, v)
    {
        if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
            return 1;
    }
    return 0;
}

/* Ids copied out of create_ok's rotating storage. */
struct ids {
    char company[40];
    char person[40];
};

static void
new_pair(struct ids *ids)
{
    snprintf(
        ids->company, sizeof ids->company, "%s",
        create_ok("/v1/customers",
                  pathf("{\"kind\":\"company\",\"company_name\":\"Flotte %ld\"}", (long)getpid())));
    snprintf(ids->person, sizeof ids->person, "%s",
             create_ok("/v1/customers", pathf("{\"kind\":\"person\",\"family_name\":\"Fahrer%ld\"}",
                                              (long)getpid())));
}

static void
put_roles(const char *company, const char *person, const char *body, struct reply *r)
{
    http_json("PUT", pathf("/v1/customers/%s/people/%s", company, person), body, r);
}

static void
put_ok(const struct ids *ids, const char *body, long status)
{
    struct reply r;

    put_roles(ids->company, ids->person, body, &r);
    assert_json(&r, status);
    reply_free(&r);
}

START_TEST(put_creates_then_replaces)
{
    struct ids ids;
    struct reply r;
    json_t *roles;

    new_pair(&ids);
    put_roles(ids.company, ids.person, "{\"roles\":[\"fleet_manager\",\"driver\"]}", &r);
    assert_json(&r, 201);
    ck_assert_str_eq(r.location, pathf("/v1/customers/%s/people/%s", ids.company, ids.person));
    ck_assert_str_eq(jstr(&r, "company_id"), ids.company);
    ck_assert_str_eq(jstr(&r, "person_id"), ids.person);
    roles = json_object_get(r.json, "roles");
    ck_assert_int_eq(json_array_size(roles), 2);
    ck_assert(has_string(roles, "fleet_manager") && has_string(roles, "driver"));
    ck_assert_ptr_nonnull(jstr(&r, "since"));
    reply_free(&r);
    put_roles(ids.company, ids.person, "{\"roles\":[\"fleet_manager\",\"driver\"]}", &r);
    assert_json(&r, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r.json, "roles")), 2);
    reply_free(&r);
}
END_TEST

START_TEST(people_of_company_lists_person_with_roles)
{
    struct ids ids;
    json_t *items, *roles;

    new_pair(&ids);
    ck_assert_int_eq(count(pathf("/v1/customers/%s/people", ids.company)), 0);
    put_ok(&ids, "{\"roles\":[\"fleet_manager\",\"driver\"]}", 201);
    items = fetch_items(pathf("/v1/customers/%s/people", ids.company));
    ck_assert_int_eq(json_array_size(items), 1);
    ck_assert_str_eq(sget(json_array_get(items, 0), "person_id"), ids.person);
    roles = json_object_get(json_array_get(items, 0), "roles");
    ck_assert_int_eq(json_array_size(roles), 2);
    ck_assert(has_string(roles, "fleet_manager"));
    ck_assert(has_string(roles, "driver"));
    ck_assert_ptr_nonnull(sget(json_array_get(items, 0), "since"));
    json_decref(items);
}
END_TEST

START_TEST(companies_of_person_lists_company)
{
    struct ids ids;
    json_t *items;

    new_pair(&ids);
    ck_assert_int_eq(count(pathf("/v1/customers/%s/companies", ids.person)), 0);
    put_ok(&ids, "{\"roles\":[\"employee\"]}", 201);
    items = fetch_items(pathf("/v1/customers/%s/companies", ids.person));
    ck_assert_int_eq(json_array_size(items), 1);
    ck_assert_str_eq(sget(json_array_get(items, 0), "company_id"), ids.company);
    ck_assert(has_string(json_object_get(json_array_get(items, 0), "roles"), "employee"));
    json_decref(items);
}
END_TEST

START_TEST(put_replaces_roles_and_keeps_since)
{
    struct ids ids;
    json_t *items, *roles;
    char since[32];

    new_pair(&ids);
    put_ok(&ids, "{\"roles\":[\"driver\",\"decision_maker\"]}", 201);
    items = fetch_items(pathf("/v1/customers/%s/people", ids.company));
    snprintf(since, sizeof since, "%s", sget(json_array_get(items, 0), "since"));
    json_decref(items);
    put_ok(&ids, "{\"roles\":[\"employee\"]}", 200);
    items = fetch_items(pathf("/v1/customers/%s/people", ids.company));
    ck_assert_int_eq(json_array_size(items), 1);
    roles = json_object_get(json_array_get(items, 0), "roles");
    ck_assert_int_eq(json_array_size(roles), 1);
    ck_assert(has_string(roles, "employee"));
    ck_assert_str_eq(sget(json_array_get(items, 0), "since"), since);
    json_decref(items);
}
END_TEST

START_TEST(several_people_at_one_company)
{
    struct ids ids, second;
    json_t *items;
    int found = 0;
    size_t i;
    json_t *it;

    new_pair(&ids);
    second = ids;
    snprintf(second.person, sizeof second.person, "%s",
             create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Zweite\"}"));
    put_ok(&ids, "{\"roles\":[\"fleet_manager\"]}", 201);
    put_ok(&second, "{\"roles\":[\"driver\"]}", 201);
    items = fetch_items(pathf("/v1/customers/%s/people", ids.company));
    ck_assert_int_eq(json_array_size(items), 2);
    json_array_foreach(items, i, it)
    {
        const char *person = sget(it, "person_id");
        json_t *roles = json_object_get(it, "roles");
        ck_assert_int_eq(json_array_size(roles), 1);
        if (strcmp(person, ids.person) == 0 && has_string(roles, "fleet_manager"))
            found |= 1;
        if (strcmp(person, second.person) == 0 && has_string(roles, "driver"))
            found |= 2;
    }
    ck_assert_int_eq(found, 3);
    json_decref(items);
}
END_TEST

START_TEST(person_as_company_is_422)
{
    struct ids ids;
    char other[40];
    struct reply r;

    new_pair(&ids);
    snprintf(other, sizeof other, "%s",
             create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Chefin\"}"));
    put_roles(other, ids.person, "{\"roles\":[\"driver\"]}", &r);
    assert_problem(&r, 422, "unprocessable");
    reply_free(&r);
    ck_assert_int_eq(count(pathf("/v1/customers/%s/companies", ids.person)), 0);
    ck_assert_int_eq(count(pathf("/v1/customers/%s/companies", other)), 0);
}
END_TEST

START_TEST(company_as_person_is_422)
{
    struct ids ids;
    char other[40];
    struct reply r;

    new_pair(&ids);
    snprintf(
        other, sizeof other, "%s",
        create_ok("/v1/customers", "{\"kind\":\"company\",\"company_name\":\"Tochter GmbH\"}"));
    put_roles(ids.company, other, "{\"roles\":[\"driver\"]}", &r);
    assert_problem(&r, 422, "unprocessable");
    reply_free(&r);
    ck_assert_int_eq(count(pathf("/v1/customers/%s/people", ids.company)), 0);
}
END_TEST

START_TEST(unknown_ids_are_404)
{
    struct ids ids;
    struct reply r;

    new_pair(&ids);
    put_roles(NO_SUCH_ID, ids.person, "{\"roles\":[\"driver\"]}", &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
    put_roles(ids.company, NO_SUCH_ID, "{\"roles\":[\"driver\"]}", &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
    put_roles(ids.company, "nobody", "{\"roles\":[\"driver\"]}", &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
    ck_assert_int_eq(count(pathf("/v1/customers/%s/people", ids.company)), 0);
    ck_assert_int_eq(count(pathf("/v1/customers/%s/companies", ids.person)), 0);
}
END_TEST

static const char *const bad_bodies[] = {
    "{\"roles\":[]}",
    "{\"roles\":[\"boss\"]}",
    "{\"roles\":[\"driver\",\"driver\"]}",
    "{\"roles\":[\"driver\"],\"since\":\"2020-01-01\"}",
    "{\"roles\":\"driver\"}",
    "{\"roles\":[1]}",
    "{}",
};

START_TEST(bad_roles_are_refused)
{
    struct ids ids;
    struct reply r;

    new_pair(&ids);
    put_roles(ids.company, ids.person, bad_bodies[_i], &r);
    assert_problem(&r, 400, "validation");
    assert_field_error(&r, "roles");
    reply_free(&r);
    ck_assert_int_eq(count(pathf("/v1/customers/%s/people", ids.company)), 0);
}
END_TEST

START_TEST(bad_roles_keep_existing_roles)
{
    struct ids ids;
    struct reply r;
    json_t *items;

    new_pair(&ids);
    put_ok(&ids, "{\"roles\":[\"driver\"]}", 201);
    put_roles(ids.company, ids.person, "{\"roles\":[\"driver\",\"boss\"]}", &r);
    assert_problem(&r, 400, "validation");
    reply_free(&r);
    items = fetch_items(pathf("/v1/customers/%s/people", ids.company));
    ck_assert_int_eq(json_array_size(items), 1);
    ck_assert_int_eq(json_array_size(json_object_get(json_array_get(items, 0), "roles")), 1);
    ck_assert(has_string(json_object_get(json_array_get(items, 0), "roles"), "driver"));
    json_decref(items);
}
END_TEST

START_TEST(delete_relation_then_again_is_404)
{
    struct ids ids;
    struct reply r;
    const char *path;

    new_pair(&ids);
    put_ok(&ids, "{\"roles\":[\"driver\"]}", 201);
    path = pathf("/v1/customers/%s/people/%s", ids.company, ids.person);
    http("DELETE", path, NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    ck_assert_str_eq(r.body, "");
    reply_free(&r);
    ck_assert_int_eq(count(pathf("/v1/customers/%s/people", ids.company)), 0);
    ck_assert_int_eq(count(pathf("/v1/customers/%s/companies", ids.person)), 0);
    http("DELETE", path, NULL, NULL, NULL, &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
}
END_TEST

START_TEST(people_of_person_is_404)
{
    struct ids ids;
    struct reply r;

    new_pair(&ids);
    http_get(pathf("/v1/customers/%s/people", ids.person), &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
    http_get(pathf("/v1/customers/%s/companies", ids.company), &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
    http_get("/v1/customers/" NO_SUCH_ID "/people", &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
}
END_TEST

START_TEST(deleting_company_removes_relation)
{
    struct ids ids;
    struct reply r;

    new_pair(&ids);
    put_ok(&ids, "{\"roles\":[\"fleet_manager\"]}", 201);
    http("DELETE", pathf("/v1/customers/%s", ids.company), NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    reply_free(&r);
    ck_assert_int_eq(count(pathf("/v1/customers/%s/companies", ids.person)), 0);
}
END_TEST

START_TEST(deleting_person_removes_relation)
{
    struct ids ids;
    struct reply r;

    new_pair(&ids);
    put_ok(&ids, "{\"roles\":[\"driver\"]}", 201);
    http("DELETE", pathf("/v1/customers/%s", ids.person), NULL, NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    reply_free(&r);
    ck_assert_int_eq(count(pathf("/v1/customers/%s/people", ids.company)), 0);
}
END_TEST

Suite *
relations_suite(void)
{
    Suite *s = suite_create("relations");
    TCase *tc = tcase_create("people");

    tcase_add_unchecked_fixture(tc, harness_setup, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, put_creates_then_replaces);
    tcase_add_test(tc, people_of_company_lists_person_with_roles);
    tcase_add_test(tc, companies_of_person_lists_company);
    tcase_add_test(tc, put_replaces_roles_and_keeps_since);
    tcase_add_test(tc, several_people_at_one_company);
    tcase_add_test(tc, person_as_company_is_422);
    tcase_add_test(tc, company_as_person_is_422);
    tcase_add_test(tc, unknown_ids_are_404);
    tcase_add_loop_test(tc, bad_roles_are_refused, 0,
                        (int)(sizeof bad_bodies / sizeof bad_bodies[0]));
    tcase_add_test(tc, bad_roles_keep_existing_roles);
    tcase_add_test(tc, delete_relation_then_again_is_404);
    tcase_add_test(tc, people_of_person_is_404);
    tcase_add_test(tc, deleting_company_removes_relation);
    tcase_add_test(tc, deleting_person_removes_relation);
    suite_add_tcase(s, tc);
    return s;
}
