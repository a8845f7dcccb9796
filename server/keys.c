/*
 * keys: /v1/keys, the API keys (admin). The key itself appears once, in
 * the answer of POST; it is not stored, so POST takes no Idempotency-Key
 * (a replay would need it). DELETE revokes: the key stays listed with
 * revoked_at and stops working at the next request. /v1/me tells any key
 * who it is (the desk shows who signed in).
 */
#include <string.h>

#include "cursor.h"
#include "handlers.h"
#include "jsonx.h"
#include "resource.h"
#include "store_keys.h"

static const char *const roles[] = {"reader", "desk", "manager", "admin", NULL};

static const struct field key_fields[] = {
    {"name", FIELD_TEXT, FIELD_REQUIRED, 0, STORE_KEYS_NAME_MAX, NULL, NULL},
    {"role", FIELD_ENUM, FIELD_REQUIRED, 0, 0, roles, NULL},
};

HANDLER(keys_create)
{
    static const char *const allowed[] = {NULL};
    char key[APIKEY_LEN + 1];
    json_t *in, *out;

    if (request_check_query(req, allowed, &res->problem) != 0 ||
        !(in = request_json_object(req, 0, &res->problem)) ||
        jsonx_validate(key_fields, sizeof key_fields / sizeof key_fields[0], in, NULL,
                       &res->problem) != 0)
        return -1;
    if (store_keys_create(req->db, json_string_value(json_object_get(in, "name")),
                          role_parse(json_string_value(json_object_get(in, "role"))), key, &out,
                          &res->problem) != 0)
        return -1;
    json_object_set_new(out, "key", json_string(key));
    memset(key, 0, sizeof key);
    response_set_location(res, "/v1/keys/%s", json_string_value(json_object_get(out, "id")));
    return response_json(res, 201, out);
}

HANDLER(keys_list)
{
    static const char *const allowed[] = {"limit", "cursor", NULL};
    struct store_keys_page page = {0};
    const char *cursor = request_query(req, "cursor");
    char next[CURSOR_LEN + 1];
    long limit;

    if (request_check_query(req, allowed, &res->problem) != 0 ||
        request_query_int(req, "limit", RESOURCE_LIMIT_DEFAULT, 1, RESOURCE_LIMIT_MAX, &limit,
                          &res->problem) != 0)
        return -1;
    if (cursor && cursor_decode(cursor, CURSOR_TAG_KEYS, &page.from) != 0) {
        problem_set(&res->problem, PROBLEM_BAD_REQUEST,
                    "query parameter 'cursor' is not a cursor of this list; use next_cursor "
                    "from a previous page");
        return -1;
    }
    page.limit = (int)limit;
    if (store_keys_list(req->db, &page, &res->problem) != 0)
        return -1;
    if (page.more)
        cursor_encode(CURSOR_TAG_KEYS, page.last, next);
    return response_json(res, 200,
                         json_pack("{s:o, s:o}", "items", page.items, "next_cursor",
                                   page.more ? json_string(next) : json_null()));
}

HANDLER(keys_get)
{
    static const char *const allowed[] = {NULL};
    char id[UTIL_UUID_LEN + 1];
    json_t *out;

    if (request_check_query(req, allowed, &res->problem) != 0 ||
        resource_id(req, 0, "API key", id, &res->problem) != 0 ||
        store_keys_get(req->db, id, &out, &res->problem) != 0)
        return -1;
    return response_json(res, 200, out);
}

HANDLER(keys_revoke)
{
    static const char *const allowed[] = {NULL};
    char id[UTIL_UUID_LEN + 1];

    if (request_check_query(req, allowed, &res->problem) != 0 ||
        resource_id(req, 0, "API key", id, &res->problem) != 0 ||
        store_keys_revoke(req->db, id, NULL, &res->problem) != 0)
        return -1;
    res->status = 204;
    return 0;
}

/* GET /v1/me: the record of the key this request sent (auth.c found it), never the key. */
HANDLER(keys_me)
{
    static const char *const allowed[] = {NULL};
    json_t *k, *out;

    if (request_check_query(req, allowed, &res->problem) != 0 ||
        store_keys_get(req->db, req->key_id, &k, &res->problem) != 0)
        return -1;
    out = json_pack("{s:O, s:O, s:O, s:O, s:O}", "key_id", json_object_get(k, "id"), "name",
                    json_object_get(k, "name"), "role", json_object_get(k, "role"), "prefix",
                    json_object_get(k, "prefix"), "created_at", json_object_get(k, "created_at"));
    json_decref(k);
    return response_json(res, 200, out);
}
