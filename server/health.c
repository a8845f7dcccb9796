/*
 * health: liveness (/healthz: the process answers) and readiness
 * (/readyz: this worker's database connection answers a query, and the
 * server is not draining at a graceful stop).
 */
#include "handlers.h"
#include "service.h"
#include "store.h"

/* Like every route, the probes take no query parameter they do not know (none). */
static const char *const no_query[] = { NULL };

int
health_live(struct request *req, struct response *res)
{
    if (request_check_query(req, no_query, &res->problem) != 0)
        return -1;
    return response_json(res, 200, json_pack("{s:s}", "status", "ok"));
}

int
health_ready(struct request *req, struct response *res)
{
    if (request_check_query(req, no_query, &res->problem) != 0)
        return -1;
    if (service_draining()) { /* a load balancer sends no new requests; those under way finish */
        problem_set(&res->problem, PROBLEM_UNAVAILABLE, "shutting down");
        return -1;
    }
    if (!store_ping(req->db)) {
        problem_set(&res->problem, PROBLEM_UNAVAILABLE, "the database does not answer");
        return -1;
    }
    return response_json(res, 200, json_pack("{s:s, s:s}", "status", "ready", "database", "ok"));
}
