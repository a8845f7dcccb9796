/*
 * handlers: every route handler, declared once for the route table in
 * routes.c. Each is implemented in the file of its resource.
 */
#ifndef CRMD_HANDLERS_H
#define CRMD_HANDLERS_H

#include "request.h"

#define HANDLER(name) int name(struct request *req, struct response *res)

HANDLER(health_live);
HANDLER(health_ready);
HANDLER(apidocs_openapi); /* apidocs.c */
HANDLER(apidocs_html);
HANDLER(desk_redirect); /* desk.c */
HANDLER(desk_index);
HANDLER(desk_file);
HANDLER(desk_vendor);
HANDLER(ops_metrics); /* ops.c */
HANDLER(ops_backup);

HANDLER(keys_create); /* keys.c */
HANDLER(keys_list);
HANDLER(keys_get);
HANDLER(keys_revoke);
HANDLER(keys_me);

HANDLER(greeting_get);
HANDLER(rules_get);

HANDLER(customers_create);
HANDLER(customers_list);
HANDLER(customers_get);
HANDLER(customers_patch);
HANDLER(customers_delete);
HANDLER(customers_people_list);
HANDLER(customers_companies_list);
HANDLER(customers_people_put);
HANDLER(customers_people_delete);
HANDLER(customers_contact_policy); /* contact_policy_api.c */
HANDLER(customers_duplicates);     /* duplicates.c */
HANDLER(customers_merge);          /* merge.c */
HANDLER(customers_export);         /* privacy.c */
HANDLER(export_get);               /* export.c */
HANDLER(audit_list);               /* audit_api.c */

HANDLER(households_create);
HANDLER(households_list);
HANDLER(households_get);
HANDLER(households_patch);
HANDLER(households_delete);
HANDLER(households_members_put);
HANDLER(households_members_delete);

HANDLER(vehicles_create);
HANDLER(vehicles_list);
HANDLER(vehicles_get);
HANDLER(vehicles_patch);
HANDLER(vehicles_delete);

HANDLER(touchpoints_create);
HANDLER(touchpoints_list);
HANDLER(touchpoints_get);
HANDLER(touchpoints_patch);
HANDLER(touchpoints_delete);

HANDLER(journeys_get);
HANDLER(customers_journeys_list);
HANDLER(metrics_experience);

HANDLER(search_get);

HANDLER(changes_list);

HANDLER(import_post); /* import.c; its body streams through import_sink (handler import_post) */
extern const struct route_sink import_sink;

HANDLER(webhooks_create); /* webhooks.c */
HANDLER(webhooks_list);
HANDLER(webhooks_get);
HANDLER(webhooks_patch);
HANDLER(webhooks_delete);
HANDLER(webhooks_deliveries_list);

#endif
