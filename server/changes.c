/*
 * changes: GET /v1/changes, the change feed for integrators: the changes
 * after an opaque cursor in commit order, optionally of some types only.
 * wait=N long-polls: with nothing to answer the request parks
 * (request_park) without a worker thread, and runs again after a commit,
 * at its deadline, every few seconds (commits of other processes) or
 * when the server stops (the store records the changes).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cursor.h"
#include "handlers.h"
#include "log.h"
#include "store.h"

#define CHANGES_LIMIT_DEFAULT 100
#define CHANGES_LIMIT_MAX 1000
#define CHANGES_WAIT_MAX 30
#define CHANGES_RECHECK 5 /* seconds: another process's commits signal nothing here */

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

static int
before(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* Nothing to answer yet: park until a commit, the deadline or the next recheck. */
static int
park(struct request *req, long wait, long long after)
{
    struct timespec now, wake_at;

    clock_gettime(CLOCK_MONOTONIC, &now);
    wake_at = now;
    wake_at.tv_sec += CHANGES_RECHECK;
    if (before(&req->deadline, &wake_at))
        wake_at = req->deadline;
    if (req->runs == 0)
        log_debug("request %s: waiting up to %ld s for changes after %lld", req->id, wait, after);
    return request_park(req, &wake_at);
}

/* Wait for changes: wait > 0, nothing yet, time left and the server not stopping. */
static int
should_wait(struct request *req, long wait)
{
    struct timespec now;

    if (wait == 0 || req->stopping)
        return 0;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (req->runs == 0) {
        req->deadline = now;
        req->deadline.tv_sec += wait;
    }
    return before(&now, &req->deadline);
}

HANDLER(changes_list)
{
    static const char *const allowed[] = { "after", "limit", "types", "wait", NULL };
    struct problem *p = &res->problem;
    const char *after = request_query(req, "after");
    struct store_change_page page = { 0 };
    long limit, wait;

    if (request_check_query(req, allowed, p) != 0 ||
        request_query_int(req, "limit", CHANGES_LIMIT_DEFAULT, 1, CHANGES_LIMIT_MAX, &limit,
                          p) != 0 ||
        request_query_int(req, "wait", 0, 0, CHANGES_WAIT_MAX, &wait, p) != 0 ||
        read_types(req, &page.types, p) != 0)
        return -1;
    if (after && strcmp(after, "now") == 0) {
        /* the end as the first run saw it, so a parked request answers what came since */
        if (req->runs == 0 && store_changes_end(req->db, &req->kept, p) != 0)
            return -1;
        page.after = req->kept;
    } else if (after && cursor_decode(after, CURSOR_TAG_CHANGES, &page.after) != 0) {
        problem_set(p, PROBLEM_BAD_REQUEST,
                    "query parameter 'after' is not a cursor of the change feed; use a cursor, "
                    "next_cursor from an earlier answer, or 'now'");
        return -1;
    }
    page.limit = (int)limit;
    page.from_start = !after;
    if (store_changes_list(req->db, &page, p) != 0)
        return -1;
    if (json_array_size(page.items) == 0 && should_wait(req, wait)) {
        json_decref(page.items);
        return park(req, wait, page.after);
    }
    response_json(res, 200, page_json(&page));
    json_decref(page.items);
    return 0;
}
