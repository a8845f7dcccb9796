/*
 * contact_policy_api: GET /v1/customers/{id}/contact-policy?channel=&purpose=
 * answers whether the customer may be contacted now, and why not. The
 * facts come from store_contact_facts, the verdict from contact_policy.c.
 */
#include <string.h>

#include "contact_policy.h"
#include "handlers.h"
#include "resource.h"
#include "rules.h"

static const char *const channels[] = { "email", "phone", "sms", "post", NULL };
static const char *const purposes[] = { "service", "sales", "recovery", "information", NULL };

/* Query parameter key as one of values (def when absent; NULL def: required). */
static const char *
one_of(const struct request *req, const char *key, const char *const *values, const char *def,
       const char *list, struct problem *p)
{
    const char *v = request_query(req, key);

    if (!v && def)
        return def;
    for (const char *const *a = values; v && *a; a++)
        if (strcmp(*a, v) == 0)
            return *a;
    problem_set(p, PROBLEM_BAD_REQUEST, "query parameter '%s' %s %s", key,
                v ? "must be one of" : "is required:", list);
    return NULL;
}

HANDLER(customers_contact_policy)
{
    static const char *const allowed[] = { "channel", "purpose", NULL };
    struct problem *p = &res->problem;
    const char *channel, *purpose;
    char id[UTIL_UUID_LEN + 1];
    json_t *facts, *eval;

    if (request_check_query(req, allowed, p) != 0 ||
        !(channel = one_of(req, "channel", channels, NULL, "email, phone, sms, post", p)) ||
        !(purpose = one_of(req, "purpose", purposes, "sales",
                           "service, sales, recovery, information", p)) ||
        resource_id(req, 0, "customer", id, p) != 0)
        return -1;
    if (store_begin_read(req->db, p) != 0 ||
        store_contact_facts(req->db, id, rules_current(), &facts, p) != 0)
        return -1;
    store_rollback(req->db); /* read only */
    eval = contact_policy_evaluate(facts, channel, purpose, rules_current(), req->lang);
    json_decref(facts);
    res->localized = 1; /* reasons[].detail */
    return response_json(res, 200, eval);
}
