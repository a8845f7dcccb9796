/*
 * test_router: route matching, captures, 404 and 405 with Allow.
 */
#include <check.h>

#include "unit_suites.h"

Suite *
router_suite(void)
{
    return suite_create("router");
}
