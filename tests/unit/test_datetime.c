/*
 * test_datetime: date and RFC 3339 parsing, civil-date arithmetic.
 */
#include <check.h>

#include "unit_suites.h"

Suite *
datetime_suite(void)
{
    return suite_create("datetime");
}
