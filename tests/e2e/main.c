/*
 * main: runs every end-to-end suite. CK_RUN_SUITE / CK_RUN_CASE select
 * one (Check's own environment variables).
 */
#include <curl/curl.h>
#include <stdlib.h>

#include "harness.h"
#include "suites.h"

int
main(void)
{
    SRunner *sr;
    int failed;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    sr = srunner_create(customers_suite());
    srunner_add_suite(sr, relations_suite());
    srunner_add_suite(sr, greeting_suite());
    srunner_add_suite(sr, i18n_suite());
    srunner_add_suite(sr, unicode_suite());
    srunner_add_suite(sr, opportunities_suite());
    srunner_add_suite(sr, households_suite());
    srunner_add_suite(sr, vehicles_suite());
    srunner_add_suite(sr, touchpoints_suite());
    srunner_add_suite(sr, contact_suite());
    srunner_add_suite(sr, journeys_suite());
    srunner_add_suite(sr, metrics_series_suite());
    srunner_add_suite(sr, search_suite());
    srunner_add_suite(sr, search_names_suite());
    srunner_add_suite(sr, errors_suite());
    srunner_add_suite(sr, lifecycle_suite());
    srunner_add_suite(sr, changes_suite());
    srunner_add_suite(sr, import_suite());
    srunner_add_suite(sr, export_suite());
    srunner_add_suite(sr, duplicates_suite());
    srunner_add_suite(sr, merge_suite());
    srunner_add_suite(sr, concurrency_suite());
    srunner_add_suite(sr, webhooks_suite());
    srunner_add_suite(sr, apidocs_suite());
    srunner_add_suite(sr, compress_suite());
    srunner_add_suite(sr, desk_suite());
    srunner_add_suite(sr, async_suite());
    srunner_add_suite(sr, import_same_suite());
    srunner_add_suite(sr, import_bounds_suite());
    srunner_add_suite(sr, probe_suite());
    srunner_add_suite(sr, auth_suite());
    srunner_add_suite(sr, tls_suite());
    srunner_add_suite(sr, crash_suite());
    srunner_add_suite(sr, hostile_suite());
    srunner_add_suite(sr, limits_suite());
    srunner_add_suite(sr, privacy_suite());
    srunner_add_suite(sr, audit_suite());
    srunner_add_suite(sr, ops_suite());
    srunner_add_suite(sr, prometheus_suite());
    srunner_add_suite(sr, diskfull_suite());
    srunner_add_suite(sr, faults_suite());
    srunner_add_suite(sr, retention_suite());
    srunner_add_suite(sr, service_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    curl_global_cleanup();
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
