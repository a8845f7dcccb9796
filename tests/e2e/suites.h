/* suites: every end-to-end suite, one per resource or concern. */
#ifndef CRMD_TEST_SUITES_H
#define CRMD_TEST_SUITES_H

#include <check.h>

Suite *customers_suite(void);
Suite *greeting_suite(void);
Suite *opportunities_suite(void);
Suite *relations_suite(void);
Suite *households_suite(void);
Suite *vehicles_suite(void);
Suite *touchpoints_suite(void);
Suite *contact_suite(void);
Suite *journeys_suite(void);
Suite *metrics_series_suite(void);
Suite *search_suite(void);
Suite *search_names_suite(void);
Suite *errors_suite(void);
Suite *lifecycle_suite(void);
Suite *changes_suite(void);
Suite *import_suite(void);
Suite *export_suite(void);
Suite *duplicates_suite(void);
Suite *merge_suite(void);
Suite *concurrency_suite(void);
Suite *webhooks_suite(void);
Suite *apidocs_suite(void);
Suite *compress_suite(void);
Suite *desk_suite(void);
Suite *async_suite(void);
Suite *import_same_suite(void);
Suite *import_bounds_suite(void);
Suite *probe_suite(void);
Suite *auth_suite(void);
Suite *tls_suite(void);
Suite *crash_suite(void);
Suite *hostile_suite(void);
Suite *limits_suite(void);
Suite *privacy_suite(void);
Suite *audit_suite(void);
Suite *ops_suite(void);
Suite *prometheus_suite(void);
Suite *diskfull_suite(void);
Suite *faults_suite(void);
Suite *retention_suite(void);
Suite *i18n_suite(void);
Suite *service_suite(void);
Suite *unicode_suite(void);

#endif
