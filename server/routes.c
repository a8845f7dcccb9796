/*
 * routes: the one route table. api-docs/openapi.yaml mirrors it; literal
 * segments come before captures where both could match.
 */
#include "routes.h"

#include "handlers.h"

const struct route routes[] = {
    { "GET", "/healthz", health_live },
    { "GET", "/readyz", health_ready },
    { "GET", "/openapi.json", apidocs_openapi },
    { "GET", "/docs", apidocs_html },

    { "GET", "/v1/greeting", greeting_get },
    { "GET", "/v1/rules", rules_get },

    { "POST", "/v1/customers", customers_create },
    { "GET", "/v1/customers", customers_list },
    { "GET", "/v1/customers/duplicates", customers_duplicates },
    { "GET", "/v1/customers/{id}", customers_get },
    { "PATCH", "/v1/customers/{id}", customers_patch },
    { "DELETE", "/v1/customers/{id}", customers_delete },
    { "GET", "/v1/customers/{id}/people", customers_people_list },
    { "GET", "/v1/customers/{id}/companies", customers_companies_list },
    { "GET", "/v1/customers/{id}/journeys", customers_journeys_list },
    { "GET", "/v1/customers/{id}/contact-policy", customers_contact_policy },
    { "POST", "/v1/customers/{id}/merge", customers_merge },
    { "PUT", "/v1/customers/{company_id}/people/{person_id}", customers_people_put },
    { "DELETE", "/v1/customers/{company_id}/people/{person_id}", customers_people_delete },

    { "POST", "/v1/households", households_create },
    { "GET", "/v1/households", households_list },
    { "GET", "/v1/households/{id}", households_get },
    { "PATCH", "/v1/households/{id}", households_patch },
    { "DELETE", "/v1/households/{id}", households_delete },
    { "PUT", "/v1/households/{id}/members/{customer_id}", households_members_put },
    { "DELETE", "/v1/households/{id}/members/{customer_id}", households_members_delete },

    { "POST", "/v1/vehicles", vehicles_create },
    { "GET", "/v1/vehicles", vehicles_list },
    { "GET", "/v1/vehicles/{id}", vehicles_get },
    { "PATCH", "/v1/vehicles/{id}", vehicles_patch },
    { "DELETE", "/v1/vehicles/{id}", vehicles_delete },

    { "POST", "/v1/touchpoints", touchpoints_create },
    { "GET", "/v1/touchpoints", touchpoints_list },
    { "GET", "/v1/touchpoints/{id}", touchpoints_get },
    { "PATCH", "/v1/touchpoints/{id}", touchpoints_patch },
    { "DELETE", "/v1/touchpoints/{id}", touchpoints_delete },

    { "GET", "/v1/journeys/{id}", journeys_get },
    { "GET", "/v1/metrics/experience", metrics_experience },
    { "GET", "/v1/search", search_get },
    { "GET", "/v1/changes", changes_list },
    { "POST", "/v1/import", import_post }, /* body streamed: routes_sinks */

    { "POST", "/v1/webhooks", webhooks_create },
    { "GET", "/v1/webhooks", webhooks_list },
    { "GET", "/v1/webhooks/{id}", webhooks_get },
    { "PATCH", "/v1/webhooks/{id}", webhooks_patch },
    { "DELETE", "/v1/webhooks/{id}", webhooks_delete },
    { "GET", "/v1/webhooks/{id}/deliveries", webhooks_deliveries_list },
};

const size_t routes_count = sizeof routes / sizeof routes[0];

const struct route_sink *const routes_sinks[] = { &import_sink, NULL };
