/*
 * merge: POST /v1/customers/{id}/merge with {"from": "<id>"}: customer
 * from becomes part of customer id (the survivor) and is deleted, in one
 * write transaction. What moves is store_merge.c's, how the fields
 * combine merge_rules.c's; this file checks the request and keeps the order.
 */
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "idempotency.h"
#include "merge_rules.h"
#include "resource.h"

/* {"from": "<uuid>"} → from (lower case); 0, or -1 (400 with field errors). */
static int
read_from(struct request *req, char *from, struct problem *p)
{
    json_t *body = request_json_object(req, 0, p), *v;
    const char *key, *s;

    if (!body)
        return -1;
    json_object_foreach(body, key, v)
    {
        if (strcmp(key, "from"))
            problem_add_field(p, key, "is not a known field");
    }
    s = json_string_value(json_object_get(body, "from"));
    if (!json_object_get(body, "from"))
        problem_add_field(p, "from", "is required: the id of the customer to merge into this one");
    else if (!s || !util_is_uuid(s))
        problem_add_field(p, "from", "must be a customer id (UUID)");
    if (jsonx_fail_fields(p, 0) != 0)
        return -1;
    for (size_t k = 0; k <= UTIL_UUID_LEN; k++)
        from[k] = (char)(s[k] >= 'A' && s[k] <= 'F' ? s[k] + 32 : s[k]);
    return 0;
}

/* Both customers, read inside the transaction: 404, 412 (If-Match on the survivor), 409 (kinds). */
static int
load(struct request *req, const char *into, const char *from, json_t **survivor, json_t **other,
     struct problem *p)
{
    const char *ka, *kb;

    *other = NULL;
    if (store_get(req->db, &model_customer, into, survivor, p) != 0)
        return -1;
    if (resource_if_match(req, &model_customer, *survivor, p) != 0)
        return -1;
    if (store_get(req->db, &model_customer, from, other, p) != 0) {
        problem_set(p, PROBLEM_NOT_FOUND, "no customer with id %s (from)", from);
        return -1;
    }
    ka = json_string_value(json_object_get(*survivor, "kind"));
    kb = json_string_value(json_object_get(*other, "kind"));
    if (strcmp(ka, kb)) {
        problem_set(p, PROBLEM_CONFLICT,
                    "customer %s is a %s and %s a %s; only customers of the same kind merge",
                    into, ka, from, kb);
        return -1;
    }
    return 0;
}

/* The survivor's new representation (validated, version + 1) into *doc. */
static int
merged_doc(const json_t *survivor, const json_t *other, json_t *summary, json_t **doc,
           struct problem *p)
{
    char now[UTIL_TIME_LEN + 1];
    long long version = json_integer_value(json_object_get(survivor, "version"));

    *doc = merge_rules_customer(survivor, other, summary);
    if (model_validate(&model_customer, *doc, survivor, p) != 0) {
        /* the request was fine; the two customers together are not */
        problem_set(p, PROBLEM_UNPROCESSABLE,
                    "the merged customer would be invalid (errors[] says where); change one of "
                    "the two customers first");
        return -1;
    }
    util_format_time(util_now(), now);
    json_object_set_new(*doc, "updated_at", json_string(now));
    json_object_set_new(*doc, "version", json_integer(version + 1));
    return 0;
}

static int
merge(struct request *req, struct response *res, const char *into, const char *from)
{
    struct problem *p = &res->problem;
    json_t *survivor = NULL, *other = NULL, *doc = NULL, *out = NULL, *summary;
    int rc = -1;

    summary = json_pack("{s:s}", "from", from);
    if (load(req, into, from, &survivor, &other, p) != 0 ||
        store_merge_move(req->db, into, from, summary, p) != 0 ||
        merged_doc(survivor, other, summary, &doc, p) != 0 ||
        store_update(req->db, &model_customer, doc,
                     json_integer_value(json_object_get(survivor, "version")), p) != 0 ||
        store_customer_after_write(req->db, doc, p) != 0 ||
        store_merge_delete(req->db, into, from, p) != 0 ||
        store_get(req->db, &model_customer, into, &out, p) != 0)
        goto out;
    resource_etag(res, &model_customer, out);
    response_json(res, 200, json_pack("{s:o, s:O}", "customer", out, "merge", summary));
    rc = 0;
out:
    json_decref(survivor);
    json_decref(other);
    json_decref(doc);
    json_decref(summary);
    return rc;
}

/* POST /v1/customers/{id}/merge */
HANDLER(customers_merge)
{
    static const char *const allowed[] = { NULL };
    struct problem *p = &res->problem;
    char into[UTIL_UUID_LEN + 1], from[UTIL_UUID_LEN + 1];
    int rc;

    if (request_check_query(req, allowed, p) != 0 || idempotency_check_key(req, p) != 0 ||
        resource_id(req, 0, "customer", into, p) != 0 || read_from(req, from, p) != 0)
        return -1;
    if (!strcmp(into, from)) {
        problem_set(p, PROBLEM_UNPROCESSABLE, "a customer cannot be merged into itself");
        problem_add_field(p, "from", "must be another customer than the one in the path");
        return -1;
    }
    if (store_begin_write(req->db, p) != 0)
        return -1;
    if ((rc = idempotency_replay(req, res)) != 0)
        return rc < 0 ? -1 : store_commit(req->db, p);
    if (merge(req, res, into, from) != 0)
        return -1;
    /* the answer is remembered in the merge's transaction: both commit or neither */
    if (idempotency_record(req, res) != 0 || store_commit(req->db, p) != 0)
        return -1;
    return 0;
}
