/*
 * privacy: GET /v1/customers/{id}/export (everything stored about a
 * customer, one JSON document) and DELETE /v1/customers/{id}?erase=true
 * (admin: the erasure). docs/operators.md "Privacy (GDPR)" says what each holds and
 * removes; the SQL is in store_privacy.c.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "handlers.h"
#include "privacy.h"
#include "resource.h"
#include "store.h"
#include "util.h"

/* GET /v1/customers/{id}/export */
HANDLER(customers_export)
{
    static const char *const allowed[] = { NULL };
    struct problem *p = &res->problem;
    char id[UTIL_UUID_LEN + 1], at[UTIL_TIME_LEN + 1];
    json_t *out;

    if (request_check_query(req, allowed, p) != 0 || resource_id(req, 0, "customer", id, p) != 0)
        return -1;
    if (store_begin_read(req->db, p) != 0 || store_privacy_export(req->db, id, &out, p) != 0)
        return -1;
    if (store_commit(req->db, p) != 0) {
        json_decref(out);
        return -1;
    }
    util_format_time(util_now(), at);
    json_object_set_new(out, "format", json_string("crmd-export/1"));
    json_object_set_new(out, "exported_at", json_string(at));
    snprintf(res->disposition, sizeof res->disposition,
             "attachment; filename=\"customer-%s.json\"", id);
    return response_json(res, 200, out);
}

/*
 * Append "<time> <id>\n" to the erasure log file next to the database
 * (<db>.erasures) and flush it to disk, before the erasure commits: the
 * file may name an erasure that then failed (replaying it answers 404),
 * never miss one that succeeded.
 */
static int
log_to_file(const struct config *c, const char *id, struct problem *p)
{
    char path[4096], line[128], now[UTIL_TIME_LEN + 1];
    int fd, n, ok;

    if (!c || !c->db_path || !strcmp(c->db_path, ":memory:"))
        return 0;
    if (snprintf(path, sizeof path, "%s.erasures", c->db_path) >= (int)sizeof path)
        return problem_internal(p, "erasure log path too long"), -1;
    util_format_time(util_now(), now);
    n = snprintf(line, sizeof line, "%s %s\n", now, id);
    fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return problem_internal(p, "erasure log: cannot open"), -1;
    ok = write(fd, line, (size_t)n) == n && fsync(fd) == 0;
    close(fd);
    if (!ok)
        return problem_internal(p, "erasure log: cannot write"), -1;
    return 0;
}

/* DELETE /v1/customers/{id}?erase=true */
int
privacy_erase(struct request *req, struct response *res)
{
    static const char *const allowed[] = { "erase", NULL };
    struct problem *p = &res->problem;
    char id[UTIL_UUID_LEN + 1];
    int erase = 0, rc;

    if (request_check_query(req, allowed, p) != 0 ||
        request_query_bool(req, "erase", 0, &erase, p) != 0)
        return -1;
    if (!erase) {
        problem_set(p, PROBLEM_BAD_REQUEST,
                    "erase=false is not a kind of delete; leave erase out for a plain delete");
        return -1;
    }
    if (!role_allows(req->role, ROLE_ADMIN)) {
        problem_set(p, PROBLEM_FORBIDDEN,
                    "this API key has role %s; erasing a customer (DELETE %s?erase=true) needs "
                    "role admin",
                    role_name(req->role), req->match.route->pattern);
        return -1;
    }
    if (resource_id(req, 0, "customer", id, p) != 0 || store_begin_write(req->db, p) != 0)
        return -1;
    if ((rc = store_exists(req->db, &model_customer, id, p)) <= 0) {
        if (rc == 0)
            problem_set(p, PROBLEM_NOT_FOUND, "no customer with id %s", id);
        return -1;
    }
    if (store_privacy_erase(req->db, id, req->key_id, p) != 0 ||
        log_to_file(req->config, id, p) != 0 || store_commit(req->db, p) != 0)
        return -1;
    res->status = 204;
    return 0;
}
