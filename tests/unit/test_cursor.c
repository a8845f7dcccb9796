/*
 * test_cursor: cursor encoding and refusal of garbage.
 */
#include <check.h>

#include "unit_suites.h"

Suite *
cursor_suite(void)
{
    return suite_create("cursor");
}
