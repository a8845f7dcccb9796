/*
 * duplicates: GET /v1/customers/duplicates: candidate pairs of customers
 * that may be the same person or company, highest score first, paged
 * with an opaque cursor; optionally only the pairs of one customer
 * (customer_id) and above a score (min_score). The pairs are kept by
 * store_duplicates.c on every write; the rules are dupe.c's.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "handlers.h"
#include "resource.h"

/* min_score: a decimal number in [0, 1] → thousandths (rounded). */
static int
read_min_score(const struct request *req, int *out, struct problem *p)
{
    const char *s = request_query(req, "min_score");
    char *end;
    double v;

    *out = 0;
    if (!s)
        return 0;
    v = strtod(s, &end);
    if (!s[0] || *end || !isfinite(v) || v < 0 || v > 1 || strspn(s, "0123456789.") != strlen(s)) {
        problem_set(p, PROBLEM_BAD_REQUEST,
                    "query parameter 'min_score' must be a number from 0 to 1, e.g. 0.8");
        return -1;
    }
    *out = (int)lround(v * 1000);
    return 0;
}

static int
read_customer(const struct request *req, char *id, struct problem *p)
{
    const char *s = request_query(req, "customer_id");
    int rc;

    if (!s)
        return 0;
    if (!util_is_uuid(s)) {
        problem_set(p, PROBLEM_BAD_REQUEST, "query parameter 'customer_id' must be a customer id (UUID)");
        return -1;
    }
    for (size_t k = 0; k <= UTIL_UUID_LEN; k++)
        id[k] = (char)(s[k] >= 'A' && s[k] <= 'F' ? s[k] + 32 : s[k]);
    if ((rc = store_exists(req->db, &model_customer, id, p)) < 0)
        return -1;
    if (!rc) {
        problem_set(p, PROBLEM_NOT_FOUND, "no customer with id %s", id);
        return -1;
    }
    return 1;
}

/* GET /v1/customers/duplicates */
HANDLER(customers_duplicates)
{
    static const char *const allowed[] = { "customer_id", "min_score", "limit", "cursor", NULL };
    const char *cursor = request_query(req, "cursor");
    struct store_duplicates_page page = { 0 };
    struct problem *p = &res->problem;
    char id[UTIL_UUID_LEN + 1], next[CURSOR_LEN + 1];
    long limit;
    int has_id;

    if (request_check_query(req, allowed, p) != 0 ||
        request_query_int(req, "limit", RESOURCE_LIMIT_DEFAULT, 1, RESOURCE_LIMIT_MAX, &limit, p) != 0 ||
        read_min_score(req, &page.min_score, p) != 0 || (has_id = read_customer(req, id, p)) < 0)
        return -1;
    if (cursor && cursor_decode(cursor, CURSOR_TAG_DUPLICATES, &page.after) != 0) {
        problem_set(p, PROBLEM_BAD_REQUEST,
                    "query parameter 'cursor' is not a cursor of this list; use next_cursor "
                    "from a previous page");
        return -1;
    }
    page.customer_id = has_id ? id : NULL;
    page.limit = (int)limit;
    if (store_duplicates_list(req->db, &page, p) != 0)
        return -1;
    if (page.more)
        cursor_encode(CURSOR_TAG_DUPLICATES, page.last, next);
    return response_json(res, 200,
                         json_pack("{s:o, s:o}", "items", page.items, "next_cursor",
                                   page.more ? json_string(next) : json_null()));
}
