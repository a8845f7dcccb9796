/*
 * test_touchpoints: touchpoints from every department.
 */
#include "harness.h"
#include "suites.h"

Suite *
touchpoints_suite(void)
{
    Suite *s = suite_create("touchpoints");
    return s;
}
