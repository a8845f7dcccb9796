/*
 * journeys: GET /v1/journeys/{id} (the touchpoints sharing a journey_id,
 * scored) and GET /v1/customers/{id}/journeys (summaries, newest first,
 * ?limit= default 50, max 200). Scoring is journey.c's, SQL the store's.
 */
#include "handlers.h"
#include "resource.h"

HANDLER(journeys_get)
{
    static const char *const allowed[] = { NULL };
    char id[UTIL_UUID_LEN + 1];
    json_t *out;

    if (request_check_query(req, allowed, &res->problem) != 0 ||
        resource_id(req, 0, "journey", id, &res->problem) != 0)
        return -1;
    if (store_journey_get(req->db, id, &out, &res->problem) != 0)
        return -1;
    return response_json(res, 200, out);
}

HANDLER(customers_journeys_list)
{
    static const char *const allowed[] = { "limit", NULL };
    struct problem *p = &res->problem;
    char id[UTIL_UUID_LEN + 1];
    json_t *items;
    long limit;
    int rc, more;

    if (request_check_query(req, allowed, p) != 0 || resource_id(req, 0, "customer", id, p) != 0)
        return -1;
    if (request_query_int(req, "limit", RESOURCE_LIMIT_DEFAULT, 1, RESOURCE_LIMIT_MAX, &limit, p))
        return -1;
    /* one read transaction: the customer and its journeys as of one moment */
    if (store_begin_read(req->db, p) != 0)
        return -1;
    rc = store_exists(req->db, &model_customer, id, p);
    if (rc <= 0) {
        if (rc == 0)
            problem_set(p, PROBLEM_NOT_FOUND, "no customer with id %s", id);
        return -1;
    }
    if (store_journeys_of_customer(req->db, id, (int)limit, &items, &more, p) != 0)
        return -1;
    if (store_commit(req->db, p) != 0) {
        json_decref(items);
        return -1;
    }
    return response_json(res, 200, json_pack("{s:o, s:b}", "items", items, "has_more", more));
}
