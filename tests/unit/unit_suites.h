/* unit_suites: every Check unit suite, one per pure module. */
#ifndef CRMD_UNIT_SUITES_H
#define CRMD_UNIT_SUITES_H

#include <check.h>

Suite *normalize_suite(void);
Suite *phone_suite(void);
Suite *salutation_suite(void);
Suite *salutation_words_suite(void);
Suite *phone_tail_suite(void);
Suite *router_suite(void);
Suite *jsonx_suite(void);
Suite *cursor_suite(void);
Suite *datetime_suite(void);
Suite *period_suite(void);
Suite *potential_suite(void);
Suite *contact_policy_suite(void);
Suite *journey_suite(void);
Suite *search_norm_suite(void);
Suite *etag_suite(void);
Suite *dupe_suite(void);
Suite *merge_rules_suite(void);
Suite *webhook_suite(void);
Suite *import_parse_suite(void);
Suite *import_report_suite(void);
Suite *probe_suite(void);
Suite *auth_suite(void);
Suite *accesslog_suite(void);
Suite *telemetry_suite(void);
Suite *procstat_suite(void);
Suite *problem_suite(void);
Suite *diskspace_suite(void);
Suite *faultvfs_suite(void);
Suite *uuid_suite(void);
Suite *lang_suite(void);
Suite *msg_suite(void);
Suite *log_suite(void);
Suite *http_room_suite(void);
Suite *http_deadline_suite(void);
Suite *unicode_suite(void);
Suite *compress_suite(void);
Suite *netguard_suite(void);

#endif
