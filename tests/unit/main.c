/*
 * main: runs every unit suite. CK_RUN_SUITE / CK_RUN_CASE select one.
 */
#include <check.h>
#include <stdlib.h>

#include "unit_suites.h"

int
main(void)
{
    SRunner *sr = srunner_create(normalize_suite());
    int failed;

    srunner_add_suite(sr, phone_suite());
    srunner_add_suite(sr, router_suite());
    srunner_add_suite(sr, salutation_suite());
    srunner_add_suite(sr, salutation_words_suite());
    srunner_add_suite(sr, phone_tail_suite());
    srunner_add_suite(sr, jsonx_suite());
    srunner_add_suite(sr, cursor_suite());
    srunner_add_suite(sr, datetime_suite());
    srunner_add_suite(sr, period_suite());
    srunner_add_suite(sr, potential_suite());
    srunner_add_suite(sr, contact_policy_suite());
    srunner_add_suite(sr, journey_suite());
    srunner_add_suite(sr, search_norm_suite());
    srunner_add_suite(sr, etag_suite());
    srunner_add_suite(sr, dupe_suite());
    srunner_add_suite(sr, merge_rules_suite());
    srunner_add_suite(sr, webhook_suite());
    srunner_add_suite(sr, import_parse_suite());
    srunner_add_suite(sr, import_report_suite());
    srunner_add_suite(sr, probe_suite());
    srunner_add_suite(sr, auth_suite());
    srunner_add_suite(sr, accesslog_suite());
    srunner_add_suite(sr, telemetry_suite());
    srunner_add_suite(sr, procstat_suite());
    srunner_add_suite(sr, problem_suite());
    srunner_add_suite(sr, diskspace_suite());
    srunner_add_suite(sr, faultvfs_suite());
    srunner_add_suite(sr, uuid_suite());
    srunner_add_suite(sr, lang_suite());
    srunner_add_suite(sr, msg_suite());
    srunner_add_suite(sr, log_suite());
    srunner_add_suite(sr, http_room_suite());
    srunner_add_suite(sr, http_deadline_suite());
    srunner_add_suite(sr, unicode_suite());
    srunner_add_suite(sr, compress_suite());
    srunner_add_suite(sr, netguard_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
