/*
 * customers: persons and companies through the generic handlers, and the
 * people of a company: PUT/DELETE /v1/customers/{company}/people/{person}
 * with {"roles": [...]}, listed from the company (/people) and from the
 * person (/companies).
 */
#include <string.h>

#include "handlers.h"
#include "privacy.h"
#include "resource.h"

const struct resource resource_customers = {
    .model = &model_customer,
    .filters = store_customer_filters,
    .after_write = store_customer_after_write,
    .before_delete = store_customer_before_delete,
};

HANDLER(customers_create) { return resource_create(req, res, &resource_customers); }
HANDLER(customers_list) { return resource_list(req, res, &resource_customers); }
HANDLER(customers_get) { return resource_get(req, res, &resource_customers); }
HANDLER(customers_patch) { return resource_patch(req, res, &resource_customers); }
/* DELETE /v1/customers/{id}; with ?erase= the erasure (privacy.c) */
HANDLER(customers_delete)
{
    if (request_query(req, "erase"))
        return privacy_erase(req, res);
    return resource_delete(req, res, &resource_customers);
}

static const char *const roles_allowed[] = { "fleet_manager", "decision_maker", "driver", "employee",
                                             NULL };

/* {"roles": [unique known roles, at least one]} → borrowed roles array, or NULL (400). */
static json_t *
read_roles(struct request *req, struct problem *p)
{
    json_t *body = request_json_object(req, 0, p), *roles, *r;
    size_t i;

    if (!body)
        return NULL;
    roles = json_object_get(body, "roles");
    if (json_object_size(body) != 1 || !json_is_array(roles) || json_array_size(roles) == 0 ||
        json_array_size(roles) > 4) {
        problem_set(p, PROBLEM_VALIDATION, "the body must be {\"roles\": [...]} with 1-4 roles");
        problem_add_field(p, "roles", "must be a non-empty array of fleet_manager, decision_maker, driver, employee");
        return NULL;
    }
    json_array_foreach(roles, i, r)
    {
        const char *const *a;
        for (a = roles_allowed; *a && !(json_is_string(r) && !strcmp(*a, json_string_value(r))); a++)
            ;
        for (size_t j = 0; *a && j < i; j++)
            if (json_equal(json_array_get(roles, j), r))
                a = roles_allowed + 4;
        if (!*a) {
            problem_set(p, PROBLEM_VALIDATION, "roles[%zu] is unknown or repeated", i);
            problem_add_field(p, "roles", "each role once, from fleet_manager, decision_maker, driver, employee");
            return NULL;
        }
    }
    return roles;
}

static int
people_of(struct request *req, struct response *res, int of_company)
{
    static const char *const allowed[] = { NULL };
    char id[UTIL_UUID_LEN + 1];
    json_t *items, *customer;

    if (request_check_query(req, allowed, &res->problem) != 0 ||
        resource_id(req, 0, "customer", id, &res->problem) != 0)
        return -1;
    if (store_get(req->db, &model_customer, id, &customer, &res->problem) != 0)
        return -1;
    if (strcmp(json_string_value(json_object_get(customer, "kind")), of_company ? "company" : "person")) {
        problem_set(&res->problem, PROBLEM_NOT_FOUND, "customer %s is a %s; %s", id,
                    of_company ? "person" : "company",
                    of_company ? "use /companies to list a person's companies"
                               : "use /people to list a company's people");
        json_decref(customer);
        return -1;
    }
    json_decref(customer);
    if (store_company_people(req->db, id, of_company, &items, &res->problem) != 0)
        return -1;
    return response_json(res, 200, json_pack("{s:o}", "items", items));
}

HANDLER(customers_people_list) { return people_of(req, res, 1); }
HANDLER(customers_companies_list) { return people_of(req, res, 0); }

HANDLER(customers_people_put)
{
    static const char *const allowed[] = { NULL };
    char company[UTIL_UUID_LEN + 1], person[UTIL_UUID_LEN + 1];
    struct problem *p = &res->problem;
    json_t *roles, *items;
    int created;

    if (request_check_query(req, allowed, p) != 0 || resource_id(req, 0, "company", company, p) != 0 ||
        resource_id(req, 1, "person", person, p) != 0 || !(roles = read_roles(req, p)))
        return -1;
    if (store_begin_write(req->db, p) != 0 ||
        store_company_person_put(req->db, company, person, roles, &created, p) != 0 ||
        store_company_people(req->db, company, 1, &items, p) != 0)
        return -1;
    if (store_commit(req->db, p) != 0) {
        json_decref(items);
        return -1;
    }
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        if (!strcmp(json_string_value(json_object_get(it, "person_id")), person)) {
            json_t *one = json_deep_copy(it);
            json_object_set_new(one, "company_id", json_string(company));
            json_decref(items);
            response_set_location(res, "/v1/customers/%s/people/%s", company, person);
            return response_json(res, created ? 201 : 200, one);
        }
    }
    json_decref(items);
    problem_internal(p, "role just written is missing");
    return -1;
}

HANDLER(customers_people_delete)
{
    static const char *const allowed[] = { NULL };
    char company[UTIL_UUID_LEN + 1], person[UTIL_UUID_LEN + 1];
    struct problem *p = &res->problem;

    if (request_check_query(req, allowed, p) != 0 || resource_id(req, 0, "company", company, p) != 0 ||
        resource_id(req, 1, "person", person, p) != 0)
        return -1;
    if (store_begin_write(req->db, p) != 0 ||
        store_company_person_delete(req->db, company, person, p) != 0 || store_commit(req->db, p) != 0)
        return -1;
    res->status = 204;
    return 0;
}
