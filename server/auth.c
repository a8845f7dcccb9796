/*
 * auth: API key authentication against store_keys and the role checks of
 * the route table. Keys are looked up on every request (no cache), so a
 * revocation applies to the next request, also one made by the CLI while
 * the server runs.
 */
#include "auth.h"

#include <stdio.h>
#include <string.h>

#include "apikey.h"
#include "config.h"
#include "routes.h"
#include "store_keys.h"

_Static_assert(sizeof ((struct request *)0)->key_name == STORE_KEYS_NAME_MAX + 1,
               "a key's name fits the request's slot");

#define AUTH_CHALLENGE "Bearer realm=\"crmd\""
#define AUTH_CHALLENGE_INVALID "Bearer realm=\"crmd\", error=\"invalid_token\""

/* The field-limited grant of req's route for req's role, or NULL. */
static const struct route_fields *
fields_grant(const struct request *req)
{
    for (size_t i = 0; routes_fields[i].handler; i++)
        if (routes_fields[i].handler == req->match.route->handler &&
            role_allows(req->role, routes_fields[i].role))
            return &routes_fields[i];
    return NULL;
}

static int
unauthorized(struct request *req, struct response *res, int presented)
{
    int any = presented ? 1 : store_keys_any(req->db, &res->problem);

    if (any < 0)
        return -1;
    res->www_authenticate = presented ? AUTH_CHALLENGE_INVALID : AUTH_CHALLENGE;
    if (presented)
        problem_set(&res->problem, PROBLEM_UNAUTHORIZED,
                    "the API key is not valid: unknown, revoked or malformed (Authorization: "
                    "Bearer crmd_...)");
    else if (any)
        problem_set(&res->problem, PROBLEM_UNAUTHORIZED,
                    "this endpoint needs an API key: send Authorization: Bearer <key>");
    else
        problem_set(&res->problem, PROBLEM_UNAUTHORIZED,
                    "this endpoint needs an API key, and none exists yet: create one with "
                    "`crmd keys create --db <database> --role admin --name <name>` and send it "
                    "as Authorization: Bearer <key>");
    return -1;
}

int
auth_request(struct request *req, struct response *res, const char *authorization)
{
    const struct route *route = req->match.route;
    const char *key = apikey_from_header(authorization);
    struct store_key_auth a = {0};
    int found;

    req->role = ROLE_UNSET;
    req->key_id[0] = '\0';
    req->key_name[0] = '\0';
    if (route->role == ROLE_OPEN)
        return 0;
    if (!authorization)
        return unauthorized(req, res, 0);
    if (!key || !apikey_valid(key))
        return unauthorized(req, res, 1);
    found = store_keys_authenticate(req->db, key, &a, &res->problem);
    if (found < 0)
        return -1;
    if (!found)
        return unauthorized(req, res, 1);
    req->role = a.role;
    snprintf(req->key_id, sizeof req->key_id, "%s", a.id);
    snprintf(req->key_name, sizeof req->key_name, "%s", a.name);
    store_keys_touch(req->db, &a, req->config->busy_timeout_ms);
    if (role_allows(a.role, route->role))
        return 0;
    if (fields_grant(req))
        return 0; /* auth_body checks the members */
    problem_set(&res->problem, PROBLEM_FORBIDDEN,
                "this API key has role %s; %s %s needs role %s or above", role_name(a.role),
                req->method, route->pattern, role_name(route->role));
    return -1;
}

int
auth_body(struct request *req, struct problem *p)
{
    const struct route_fields *g;
    struct problem ignored = {0};
    const char *name;
    json_t *doc, *v;
    size_t refused = 0;

    if (req->role == ROLE_UNSET || role_allows(req->role, req->match.route->role))
        return 0;
    g = fields_grant(req);
    /* a body that is no JSON object: the handler refuses it with the precise 400 or 415 */
    doc = request_json_object(req, 1, &ignored);
    problem_release(&ignored);
    if (!g || !doc)
        return 0;
    json_object_foreach (doc, name, v) {
        size_t i;
        for (i = 0; g->fields[i] && strcmp(g->fields[i], name) != 0; i++)
            ;
        if (!g->fields[i]) {
            refused++;
            problem_add_field(p, name, "role %s may not change this member; role %s may",
                              role_name(req->role), role_name(req->match.route->role));
        }
    }
    if (!refused)
        return 0;
    problem_set(p, PROBLEM_FORBIDDEN,
                "this API key has role %s, which may change only %s here; %zu member%s in errors "
                "need%s role %s or above",
                role_name(req->role), g->summary, refused, refused == 1 ? "" : "s",
                refused == 1 ? "s" : "", role_name(req->match.route->role));
    return -1;
}
