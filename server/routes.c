/*
 * routes: the one route table. api-docs/openapi.yaml mirrors it; literal
 * segments come before captures where both could match. Each route names
 * the least role of the API key it needs (role.h; docs/operators.md "Security
 * model" has the matrix, tests/e2e/test_auth.c tests every cell).
 */
#include "routes.h"

#include "handlers.h"

const struct route routes[] = {
    { "GET", "/healthz", health_live, ROLE_OPEN },
    { "GET", "/readyz", health_ready, ROLE_OPEN },
    { "GET", "/openapi.json", apidocs_openapi, ROLE_OPEN },
    { "GET", "/docs", apidocs_html, ROLE_OPEN },
    { "GET", "/metrics", ops_metrics, ROLE_OPEN }, /* no personal data: docs/operators.md "Operations" */
    /* the desk page: it holds no data, each API call it makes sends the user's key */
    { "GET", "/", desk_redirect, ROLE_OPEN },
    { "GET", "/desk", desk_redirect, ROLE_OPEN },
    { "GET", "/desk/", desk_index, ROLE_OPEN },
    { "GET", "/desk/{file}", desk_file, ROLE_OPEN },
    { "GET", "/desk/vendor/{file}", desk_vendor, ROLE_OPEN },

    { "GET", "/v1/me", keys_me, ROLE_READER },

    { "GET", "/v1/greeting", greeting_get, ROLE_READER },
    { "GET", "/v1/rules", rules_get, ROLE_READER },

    { "POST", "/v1/customers", customers_create, ROLE_MANAGER },
    { "GET", "/v1/customers", customers_list, ROLE_READER },
    { "GET", "/v1/customers/duplicates", customers_duplicates, ROLE_READER },
    { "GET", "/v1/customers/{id}", customers_get, ROLE_READER },
    { "PATCH", "/v1/customers/{id}", customers_patch, ROLE_MANAGER },
    { "DELETE", "/v1/customers/{id}", customers_delete, ROLE_MANAGER },
    { "GET", "/v1/customers/{id}/people", customers_people_list, ROLE_READER },
    { "GET", "/v1/customers/{id}/companies", customers_companies_list, ROLE_READER },
    { "GET", "/v1/customers/{id}/journeys", customers_journeys_list, ROLE_READER },
    { "GET", "/v1/customers/{id}/contact-policy", customers_contact_policy, ROLE_READER },
    { "GET", "/v1/customers/{id}/export", customers_export, ROLE_MANAGER },
    { "POST", "/v1/customers/{id}/merge", customers_merge, ROLE_MANAGER },
    { "PUT", "/v1/customers/{company_id}/people/{person_id}", customers_people_put, ROLE_MANAGER },
    { "DELETE", "/v1/customers/{company_id}/people/{person_id}", customers_people_delete,
      ROLE_MANAGER },

    { "POST", "/v1/households", households_create, ROLE_MANAGER },
    { "GET", "/v1/households", households_list, ROLE_READER },
    { "GET", "/v1/households/{id}", households_get, ROLE_READER },
    { "PATCH", "/v1/households/{id}", households_patch, ROLE_MANAGER },
    { "DELETE", "/v1/households/{id}", households_delete, ROLE_MANAGER },
    { "PUT", "/v1/households/{id}/members/{customer_id}", households_members_put, ROLE_MANAGER },
    { "DELETE", "/v1/households/{id}/members/{customer_id}", households_members_delete,
      ROLE_MANAGER },

    { "POST", "/v1/vehicles", vehicles_create, ROLE_MANAGER },
    { "GET", "/v1/vehicles", vehicles_list, ROLE_READER },
    { "GET", "/v1/vehicles/{id}", vehicles_get, ROLE_READER },
    { "PATCH", "/v1/vehicles/{id}", vehicles_patch, ROLE_MANAGER },
    { "DELETE", "/v1/vehicles/{id}", vehicles_delete, ROLE_MANAGER },

    { "POST", "/v1/touchpoints", touchpoints_create, ROLE_DESK },
    { "GET", "/v1/touchpoints", touchpoints_list, ROLE_READER },
    { "GET", "/v1/touchpoints/{id}", touchpoints_get, ROLE_READER },
    { "PATCH", "/v1/touchpoints/{id}", touchpoints_patch, ROLE_DESK },
    { "DELETE", "/v1/touchpoints/{id}", touchpoints_delete, ROLE_MANAGER },

    { "GET", "/v1/journeys/{id}", journeys_get, ROLE_READER },
    { "GET", "/v1/metrics/experience", metrics_experience, ROLE_READER },
    { "GET", "/v1/search", search_get, ROLE_READER },
    { "GET", "/v1/changes", changes_list, ROLE_READER },
    { "POST", "/v1/import", import_post, ROLE_MANAGER },
    { "GET", "/v1/export", export_get, ROLE_MANAGER }, /* body streamed: routes_sinks */

    { "POST", "/v1/webhooks", webhooks_create, ROLE_ADMIN },
    { "GET", "/v1/webhooks", webhooks_list, ROLE_ADMIN },
    { "GET", "/v1/webhooks/{id}", webhooks_get, ROLE_ADMIN },
    { "PATCH", "/v1/webhooks/{id}", webhooks_patch, ROLE_ADMIN },
    { "DELETE", "/v1/webhooks/{id}", webhooks_delete, ROLE_ADMIN },
    { "GET", "/v1/webhooks/{id}/deliveries", webhooks_deliveries_list, ROLE_ADMIN },

    { "POST", "/v1/keys", keys_create, ROLE_ADMIN },
    { "GET", "/v1/keys", keys_list, ROLE_ADMIN },
    { "GET", "/v1/keys/{id}", keys_get, ROLE_ADMIN },
    { "DELETE", "/v1/keys/{id}", keys_revoke, ROLE_ADMIN },

    { "GET", "/v1/audit", audit_list, ROLE_ADMIN },

    { "POST", "/v1/backup", ops_backup, ROLE_ADMIN },
};

const size_t routes_count = sizeof routes / sizeof routes[0];

const struct route_sink *const routes_sinks[] = { &import_sink, NULL };

/* A desk key may change a customer's contact data, nothing else of the record. */
static const char *const customer_contact_fields[] = {
    "emails", "phones", "address", "preferences", "consents", "do_not_contact", NULL,
};

const struct route_fields routes_fields[] = {
    { customers_patch, ROLE_DESK, customer_contact_fields,
      "the contact data (emails, phones, address, preferences, consents, do_not_contact)" },
    { NULL, ROLE_UNSET, NULL, NULL },
};
