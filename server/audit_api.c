/*
 * audit_api: GET /v1/audit?customer_id=&key=&from=&to=&limit=&cursor=
 * (admin): the audit log newest first, paged with a cursor. It first
 * waits for the records queued so far to be written (audit_sync), so a
 * request is in the log its admin reads right after.
 */
#include <string.h>

#include "audit.h"
#include "cursor.h"
#include "handlers.h"
#include "resource.h"
#include "store.h"
#include "store_util.h"
#include "util.h"

/* Query parameter name as an RFC 3339 time into out (normalised to UTC); NULL when absent. */
static int
time_param(const struct request *req, const char *name, char *out, const char **val,
           struct problem *p)
{
    const char *v = request_query(req, name);

    *val = NULL;
    if (!v)
        return 0;
    if (store_norm_time(v, out, UTIL_TIME_LEN + 1) != 0) {
        problem_set(p, PROBLEM_BAD_REQUEST,
                    "query parameter '%s' must be an RFC 3339 time, e.g. 2026-11-23T09:00:00Z",
                    name);
        return -1;
    }
    *val = out;
    return 0;
}

HANDLER(audit_list)
{
    static const char *const allowed[] = { "customer_id", "key", "from", "to", "limit", "cursor",
                                           NULL };
    struct problem *p = &res->problem;
    struct store_audit_query q = { 0 };
    const char *cursor = request_query(req, "cursor");
    char from[UTIL_TIME_LEN + 1], to[UTIL_TIME_LEN + 1], cid[UTIL_UUID_LEN + 1],
        next[CURSOR_LEN + 1];
    long long more;
    json_t *items;
    long limit;

    if (request_check_query(req, allowed, p) != 0 ||
        request_query_int(req, "limit", RESOURCE_LIMIT_DEFAULT, 1, RESOURCE_LIMIT_MAX, &limit,
                          p) != 0 ||
        time_param(req, "from", from, &q.from, p) != 0 || time_param(req, "to", to, &q.to, p) != 0)
        return -1;
    if (request_query(req, "customer_id")) {
        if (store_norm_id(request_query(req, "customer_id"), cid, sizeof cid) != 0) {
            problem_set(p, PROBLEM_BAD_REQUEST, "query parameter 'customer_id' must be a UUID");
            return -1;
        }
        q.customer_id = cid;
    }
    q.key = request_query(req, "key");
    if (q.key && (!*q.key || strlen(q.key) > 200)) {
        problem_set(p, PROBLEM_BAD_REQUEST,
                    "query parameter 'key' must be an API key's id or name (1-200 bytes)");
        return -1;
    }
    if (cursor && cursor_decode(cursor, CURSOR_TAG_AUDIT, &q.before) != 0) {
        problem_set(p, PROBLEM_BAD_REQUEST,
                    "query parameter 'cursor' is not a cursor of this list; use next_cursor "
                    "from a previous page");
        return -1;
    }
    q.limit = (int)limit;
    audit_sync();
    if (store_audit_list(req->db, &q, &items, &more, p) != 0)
        return -1;
    if (more)
        cursor_encode(CURSOR_TAG_AUDIT, more, next);
    return response_json(res, 200,
                         json_pack("{s:o, s:o}", "items", items, "next_cursor",
                                   more ? json_string(next) : json_null()));
}
