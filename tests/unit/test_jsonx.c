/*
 * test_jsonx: field validation, parsing limits and RFC 7396 merge patch.
 */
#include <check.h>

#include "unit_suites.h"

Suite *
jsonx_suite(void)
{
    return suite_create("jsonx");
}
