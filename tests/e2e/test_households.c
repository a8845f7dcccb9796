/*
 * test_households: households and their members.
 */
#include "harness.h"
#include "suites.h"

Suite *
households_suite(void)
{
    Suite *s = suite_create("households");
    return s;
}
