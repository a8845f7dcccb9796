/*
 * test_lifecycle: server lifecycle: restart keeps data, migrations, --help, pagination across pages.
 */
#include "harness.h"
#include "suites.h"

Suite *
lifecycle_suite(void)
{
    Suite *s = suite_create("lifecycle");
    return s;
}
