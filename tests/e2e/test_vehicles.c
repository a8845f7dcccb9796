/*
 * test_vehicles: vehicles: plates, VINs, owners, drivers, delete rules.
 */
#include "harness.h"
#include "suites.h"

Suite *
vehicles_suite(void)
{
    Suite *s = suite_create("vehicles");
    return s;
}
