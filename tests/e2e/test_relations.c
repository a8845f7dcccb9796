/*
 * test_relations: people at companies: PUT/DELETE /v1/customers/{company}/people/{person}, /people and /companies lists.
 */
#include "harness.h"
#include "suites.h"

Suite *
relations_suite(void)
{
    Suite *s = suite_create("relations");
    return s;
}
