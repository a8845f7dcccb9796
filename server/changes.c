/*
 * changes: GET /v1/changes, the change feed for integrators: the changes
 * after an opaque cursor in commit order, optionally of some types only.
 * wait=N long-polls by parking this worker thread on the store's commit
 * notification; at most threads - 1 requests wait at once, so one thread
 * is always left for everything else (the store records the changes).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "cursor.h"
#include "handlers.h"
#include "log.h"
#include "store.h"

#define CHANGES_LIMIT_DEFAULT 100
#define CHANGES_LIMIT_MAX 1000
#define CHANGES_WAIT_MAX 30

/* ?types=customer,vehicle → mask over store_change_types (0 when absent); -1 (400) if unknown. */
static int
read_types(const struct request *req, unsigned *mask, struct problem *p)
{
    const char *v = request_query(req, "types"), *s, *end;
    char known[128] = "";
    size_t i, n;

    *mask = 0;
    if (!v)
        return 0;
    for (s = v;; s = end + 1) {
        end = strchr(s, ',');
        n = end ? (size_t)(end - s) : strlen(s);
        for (i = 0; store_change_types[i]; i++)
            if (strlen(store_change_types[i]) == n && strncmp(store_change_types[i], s, n) == 0)
                break;
        if (!store_change_types[i]) {
            for (i = 0; store_change_types[i]; i++)
                snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", i ? ", " : "",
                         store_change_types[i]);
            problem_set(p, PROBLEM_BAD_REQUEST,
                        "query parameter 'types' names an unknown type '%.*s'; it must be a "
                        "comma-separated list of %s",
                        (int)(n > 40 ? 40 : n), s, known);
            return -1;
        }
        *mask |= 1u << i;
        if (!end)
            return 0;
    }
}

/* The page as the client sees it: every item with its cursor, and where to resume. */
static json_t *
page_json(const struct store_change_page *page)
{
    char cursor[CURSOR_LEN + 1];
    json_t *items = json_array(), *it;
    size_t i;

    json_array_foreach(page->items, i, it)
    {
        json_t *out = json_object();
        cursor_encode(CURSOR_TAG_CHANGES, json_integer_value(json_object_get(it, "seq")), cursor);
        json_object_set_new(out, "cursor", json_string(cursor));
        json_object_update(out, it);
        json_array_append_new(items, out);
    }
    cursor_encode(CURSOR_TAG_CHANGES, page->last, cursor);
    return json_pack("{s:o, s:s}", "items", items, "next_cursor", cursor);
}

HANDLER(changes_list)
{
    static const char *const allowed[] = { "after", "limit", "types", "wait", NULL };
    struct problem *p = &res->problem;
    const char *after = request_query(req, "after");
    struct store_change_page page = { 0 };
    struct timespec deadline;
    unsigned long long gen;
    long limit, wait;
    int parked = 0, rc = -1;
    json_t *body;

    if (request_check_query(req, allowed, p) != 0 ||
        request_query_int(req, "limit", CHANGES_LIMIT_DEFAULT, 1, CHANGES_LIMIT_MAX, &limit,
                          p) != 0 ||
        request_query_int(req, "wait", 0, 0, CHANGES_WAIT_MAX, &wait, p) != 0 ||
        read_types(req, &page.types, p) != 0)
        return -1;
    if (after && cursor_decode(after, CURSOR_TAG_CHANGES, &page.after) != 0) {
        problem_set(p, PROBLEM_BAD_REQUEST,
                    "query parameter 'after' is not a cursor of the change feed; use a cursor or "
                    "next_cursor from an earlier answer");
        return -1;
    }
    page.limit = (int)limit;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += wait;
    for (;;) {
        /* The generation before the read: a commit after it wakes the wait below. */
        gen = store_changes_generation();
        if (store_changes_list(req->db, &page, p) != 0)
            goto out;
        if (json_array_size(page.items) > 0 || wait == 0)
            break;
        if (!parked) {
            parked = store_changes_park(req->config->threads - 1);
            if (!parked) {
                log_debug("request %s: every thread that may wait is waiting; answering at once",
                          req->id);
                break;
            }
            log_debug("request %s: waiting up to %ld s for changes after %lld", req->id, wait,
                      page.after);
        }
        if (store_changes_wait(gen, &deadline) != 0)
            break;
        json_decref(page.items);
        page.items = NULL;
    }
    body = page_json(&page);
    rc = response_json(res, 200, body);
out:
    if (parked)
        store_changes_unpark();
    json_decref(page.items);
    return rc;
}
