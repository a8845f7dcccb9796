/*
 * test_auth: the pure parts of authentication: role order and names, the
 * API key's shape (generation, checks, header parsing, hash comparison),
 * the CORS allow-list, and that every route in routes.c names a role.
 */
#include <check.h>
#include <string.h>

#include "apikey.h"
#include "cors.h"
#include "role.h"
#include "routes.h"
#include "unit_suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct {
    enum role have, need;
    int want;
} allow_cases[] = {
    {ROLE_UNSET, ROLE_OPEN, 1},    {ROLE_READER, ROLE_OPEN, 1},  {ROLE_UNSET, ROLE_READER, 0},
    {ROLE_READER, ROLE_READER, 1}, {ROLE_READER, ROLE_DESK, 0},  {ROLE_DESK, ROLE_READER, 1},
    {ROLE_DESK, ROLE_MANAGER, 0},  {ROLE_MANAGER, ROLE_DESK, 1}, {ROLE_MANAGER, ROLE_ADMIN, 0},
    {ROLE_ADMIN, ROLE_MANAGER, 1}, {ROLE_ADMIN, ROLE_ADMIN, 1},  {ROLE_ADMIN, ROLE_UNSET, 0},
    {ROLE_OPEN, ROLE_READER, 0}, /* "open" is no key role */
};

START_TEST(role_order)
{
    ck_assert_int_eq(role_allows(allow_cases[_i].have, allow_cases[_i].need), allow_cases[_i].want);
}
END_TEST

START_TEST(role_names_round_trip)
{
    for (int r = ROLE_READER; r <= ROLE_ADMIN; r++)
        ck_assert_int_eq(role_parse(role_name((enum role)r)), r);
    ck_assert_int_eq(role_parse("open"), ROLE_UNSET);
    ck_assert_int_eq(role_parse("Admin"), ROLE_UNSET);
    ck_assert_int_eq(role_parse(NULL), ROLE_UNSET);
}
END_TEST

START_TEST(every_route_names_a_role)
{
    for (size_t i = 0; i < routes_count; i++)
        ck_assert_msg(routes[i].role >= ROLE_OPEN && routes[i].role <= ROLE_ADMIN,
                      "%s %s has no role", routes[i].method, routes[i].pattern);
    for (size_t i = 0; routes_fields[i].handler; i++)
        ck_assert(routes_fields[i].fields && routes_fields[i].fields[0]);
}
END_TEST

START_TEST(generated_keys_are_valid_and_distinct)
{
    char a[APIKEY_LEN + 1], b[APIKEY_LEN + 1], pa[APIKEY_PREFIX_LEN + 1];

    ck_assert_int_eq(apikey_generate(a), 0);
    ck_assert_int_eq(apikey_generate(b), 0);
    ck_assert_int_eq(strlen(a), APIKEY_LEN);
    ck_assert(apikey_valid(a) && apikey_valid(b));
    ck_assert_str_ne(a, b);
    apikey_prefix(a, pa);
    ck_assert(strncmp(pa, "crmd_", 5) == 0 && strlen(pa) == APIKEY_PREFIX_LEN);
}
END_TEST

static const struct {
    const char *key;
    int valid;
} shape_cases[] = {
    {"crmd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 1},
    {"crmd_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_-_z", 1},
    {"crmd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 0},   /* short */
    {"crmd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 0}, /* long */
    {"crmd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+", 0},  /* not base64url */
    {"CRMD_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 0},
    {"", 0},
};

START_TEST(key_shapes)
{
    ck_assert_int_eq(apikey_valid(shape_cases[_i].key), shape_cases[_i].valid);
}
END_TEST

START_TEST(bearer_header)
{
    ck_assert_str_eq(apikey_from_header("Bearer abc"), "abc");
    ck_assert_str_eq(apikey_from_header("bearer   abc"), "abc");
    ck_assert_ptr_null(apikey_from_header("Basic abc"));
    ck_assert_ptr_null(apikey_from_header("Bearer "));
    ck_assert_ptr_null(apikey_from_header("Bearerabc"));
    ck_assert_ptr_null(apikey_from_header(NULL));
}
END_TEST

START_TEST(hash_comparison)
{
    char h1[DIGEST_SHA256_HEX + 1], h2[DIGEST_SHA256_HEX + 1];

    apikey_hash("crmd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", h1);
    apikey_hash("crmd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB", h2);
    ck_assert(apikey_hash_equal(h1, h1));
    ck_assert(!apikey_hash_equal(h1, h2));
    ck_assert(!apikey_hash_equal(h1, "abc"));
    ck_assert(!apikey_hash_equal(h1, NULL));
}
END_TEST

static const struct {
    const char *list, *origin;
    int want;
} cors_cases[] = {
    {"https://desk.example", "https://desk.example", 1},
    {"https://a.example, https://desk.example", "https://desk.example", 1},
    {"https://a.example,http://localhost:5173", "http://localhost:5173", 1},
    {"https://desk.example", "https://desk.example:443", 0},
    {"https://desk.example", "http://desk.example", 0},
    {"https://desk.example", "https://desk.example.evil", 0},
    {"https://desk.example", "https://desk.exampl", 0},
    {"https://desk.example", "null", 0},
    {"https://desk.example", "", 0},
    {"", "https://desk.example", 0},
    {NULL, "https://desk.example", 0},
};

START_TEST(cors_matching)
{
    ck_assert_int_eq(cors_allowed(cors_cases[_i].list, cors_cases[_i].origin), cors_cases[_i].want);
}
END_TEST

START_TEST(cors_list_checks)
{
    ck_assert_ptr_null(cors_list_error(NULL));
    ck_assert_ptr_null(cors_list_error(""));
    ck_assert_ptr_null(cors_list_error("https://desk.example,http://localhost:5173"));
    ck_assert_ptr_null(cors_list_error("http://[::1]:8080"));
    ck_assert_ptr_nonnull(cors_list_error("*"));
    ck_assert_ptr_nonnull(cors_list_error("https://desk.example/"));
    ck_assert_ptr_nonnull(cors_list_error("desk.example"));
    ck_assert_ptr_nonnull(cors_list_error("https://Desk.example"));
    ck_assert_ptr_nonnull(cors_list_error("https://"));
}
END_TEST

Suite *
auth_suite(void)
{
    Suite *s = suite_create("auth");
    TCase *r = tcase_create("roles"), *k = tcase_create("keys"), *c = tcase_create("cors");

    tcase_add_loop_test(r, role_order, 0, N(allow_cases));
    tcase_add_test(r, role_names_round_trip);
    tcase_add_test(r, every_route_names_a_role);
    suite_add_tcase(s, r);
    tcase_add_test(k, generated_keys_are_valid_and_distinct);
    tcase_add_loop_test(k, key_shapes, 0, N(shape_cases));
    tcase_add_test(k, bearer_header);
    tcase_add_test(k, hash_comparison);
    suite_add_tcase(s, k);
    tcase_add_loop_test(c, cors_matching, 0, N(cors_cases));
    tcase_add_test(c, cors_list_checks);
    suite_add_tcase(s, c);
    return s;
}
