/*
 * households: families through the generic handlers, and their members:
 * PUT /v1/households/{id}/members/{customer} with {"role": ...} adds or
 * changes a member (?move=true moves a person from another household),
 * DELETE removes them. Responses carry the whole household and its ETag;
 * If-Match on either names the household's ETag.
 */
#include <string.h>

#include "handlers.h"
#include "resource.h"

const struct resource resource_households = {
    .model = &model_household,
    .filters = store_household_filters,
    .after_write = store_household_after_write,
};

HANDLER(households_create) { return resource_create(req, res, &resource_households); }
HANDLER(households_list) { return resource_list(req, res, &resource_households); }
HANDLER(households_get) { return resource_get(req, res, &resource_households); }
HANDLER(households_patch) { return resource_patch(req, res, &resource_households); }
HANDLER(households_delete) { return resource_delete(req, res, &resource_households); }

static const char *const member_roles[] = { "head", "partner", "child", "parent", "other", NULL };

static const struct field member_fields[] = {
    { "role", FIELD_ENUM, FIELD_REQUIRED, 0, 0, member_roles, NULL },
};

/* Commit and answer with the household as it is now. */
static int
answer_household(struct request *req, struct response *res, const char *household, int status)
{
    json_t *out;

    if (store_get(req->db, &model_household, household, &out, &res->problem) != 0)
        return -1;
    if (store_commit(req->db, &res->problem) != 0) {
        json_decref(out);
        return -1;
    }
    resource_etag(res, &model_household, out);
    return response_json(res, status, out);
}

/* Inside the write transaction: the household exists (404) and If-Match holds (412). */
static int
household_precondition(struct request *req, const char *household, struct problem *p)
{
    json_t *cur;
    int rc;

    if (!req->if_match)
        return 0;
    if (store_get(req->db, &model_household, household, &cur, p) != 0)
        return -1;
    rc = resource_if_match(req, &model_household, cur, p);
    json_decref(cur);
    return rc;
}

HANDLER(households_members_put)
{
    static const char *const allowed[] = { "move", NULL };
    char household[UTIL_UUID_LEN + 1], customer[UTIL_UUID_LEN + 1];
    struct problem *p = &res->problem;
    int move, created;
    json_t *body;

    if (request_check_query(req, allowed, p) != 0 || request_query_bool(req, "move", 0, &move, p) != 0 ||
        resource_id(req, 0, "household", household, p) != 0 ||
        resource_id(req, 1, "customer", customer, p) != 0)
        return -1;
    if (!(body = request_json_object(req, 0, p)) || jsonx_validate(member_fields, 1, body, NULL, p) != 0)
        return -1;
    if (store_begin_write(req->db, p) != 0 || household_precondition(req, household, p) != 0 ||
        store_household_member_put(req->db, household, customer,
                                   json_string_value(json_object_get(body, "role")), move, &created,
                                   p) != 0)
        return -1;
    return answer_household(req, res, household, created ? 201 : 200);
}

HANDLER(households_members_delete)
{
    static const char *const allowed[] = { NULL };
    char household[UTIL_UUID_LEN + 1], customer[UTIL_UUID_LEN + 1];
    struct problem *p = &res->problem;

    if (request_check_query(req, allowed, p) != 0 ||
        resource_id(req, 0, "household", household, p) != 0 ||
        resource_id(req, 1, "customer", customer, p) != 0)
        return -1;
    if (store_begin_write(req->db, p) != 0 || household_precondition(req, household, p) != 0)
        return -1;
    if (store_exists(req->db, &model_household, household, p) != 1) {
        if (p->code == PROBLEM_NONE)
            problem_set(p, PROBLEM_NOT_FOUND, "no household with id %s", household);
        return -1;
    }
    if (store_household_member_delete(req->db, household, customer, p) != 0)
        return -1;
    return answer_household(req, res, household, 200);
}
