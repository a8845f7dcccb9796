/*
 * webhooks: /v1/webhooks, subscriptions to the change feed delivered by
 * HTTP POST (webhooks_worker.c delivers). Validation with a field table;
 * the secret is client-given or generated and appears only in the 201.
 * Changes of a subscription wake the worker so they apply at once.
 */
#include <stdio.h>
#include <string.h>

#include "cursor.h"
#include "handlers.h"
#include "jsonx.h"
#include "resource.h"
#include "store.h"
#include "store_webhooks.h"
#include "webhook.h"
#include "webhooks_worker.h"

#define WEBHOOKS_DESCRIPTION_MAX 1024

static int
check_url(json_t **v, const char *name, const json_t *old, struct problem *p)
{
    const char *why;
    (void)old;

    if (!json_is_string(*v))
        why = "must be a string holding an absolute http or https URL";
    else
        why = webhook_url_error(json_string_value(*v));
    if (why)
        problem_add_field(p, name, "%s", why);
    return why ? -1 : 0;
}

static int
check_events(json_t **v, const char *name, const json_t *old, struct problem *p)
{
    size_t before = problem_field_count(p), i, k;
    json_t *e;
    (void)old;

    if (!json_is_array(*v) || json_array_size(*v) < 1 ||
        json_array_size(*v) > WEBHOOK_EVENTS_MAX) {
        problem_add_field(p, name, "must be an array of 1 to %d event patterns such as "
                          "\"customer.created\", \"vehicle.*\" or \"*\"", WEBHOOK_EVENTS_MAX);
        return -1;
    }
    json_array_foreach(*v, i, e)
    {
        char field[32];
        const char *why = NULL;

        snprintf(field, sizeof field, "%s[%zu]", name, i);
        if (!json_is_string(e) || json_string_length(e) >= WEBHOOK_EVENT_MAX)
            why = "must be an event pattern such as \"customer.created\", \"vehicle.*\" or \"*\"";
        else
            why = webhook_event_error(json_string_value(e));
        for (k = 0; !why && k < i; k++)
            if (json_equal(e, json_array_get(*v, k)))
                why = "repeats an earlier pattern";
        if (why)
            problem_add_field(p, field, "%s", why);
    }
    return problem_field_count(p) > before ? -1 : 0;
}

static int
check_secret(json_t **v, const char *name, const json_t *old, struct problem *p)
{
    const char *s = json_string_value(*v);
    size_t n = s ? strlen(s) : 0;
    (void)old;

    for (size_t i = 0; s && i < n; i++)
        if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
            s = NULL;
    if (!s || n < WEBHOOK_SECRET_MIN || n > WEBHOOK_SECRET_MAX) {
        problem_add_field(p, name,
                          "must be %d to %d printable ASCII characters without spaces; leave it "
                          "out to have one generated",
                          WEBHOOK_SECRET_MIN, WEBHOOK_SECRET_MAX);
        return -1;
    }
    return 0;
}

static int
check_after(json_t **v, const char *name, const json_t *old, struct problem *p)
{
    long long seq;
    (void)old;

    if (!json_is_string(*v) || cursor_decode(json_string_value(*v), CURSOR_TAG_CHANGES, &seq)) {
        problem_add_field(p, name, "must be a cursor of the change feed (an item's cursor or "
                          "next_cursor from GET /v1/changes)");
        return -1;
    }
    return 0;
}

static const char *const statuses[] = { "active", "paused", NULL };

static const struct field fields[] = {
    JSONX_SERVER_FIELDS,
    { "url", FIELD_JSON, FIELD_REQUIRED, 0, 0, NULL, check_url },
    { "events", FIELD_JSON, FIELD_REQUIRED, 0, 0, NULL, check_events },
    { "description", FIELD_TEXT, 0, 0, WEBHOOKS_DESCRIPTION_MAX, NULL, NULL },
    { "status", FIELD_ENUM, 0, 0, 0, statuses, NULL },
    { "secret", FIELD_JSON, FIELD_IMMUTABLE, 0, 0, NULL, check_secret },
    { "after", FIELD_JSON, FIELD_IMMUTABLE, 0, 0, NULL, check_after },
    { "cursor", FIELD_TEXT, FIELD_SERVER, 0, 0, NULL, NULL },
    { "failures", FIELD_INT, FIELD_SERVER, 0, 0, NULL, NULL },
    { "next_attempt_at", FIELD_DATETIME, FIELD_SERVER, 0, 0, NULL, NULL },
};

#define NFIELDS (sizeof fields / sizeof fields[0])

static void
stamp(json_t *doc, const char *id, long long version)
{
    char now[UTIL_TIME_LEN + 1];

    util_format_time(util_now(), now);
    json_object_set_new(doc, "id", json_string(id));
    if (version == 1)
        json_object_set_new(doc, "created_at", json_string(now));
    json_object_set_new(doc, "updated_at", json_string(now));
    json_object_set_new(doc, "version", json_integer(version));
}

/* Where a new subscription starts: after the given cursor, else at the end of the feed. */
static int
start_cursor(struct db *db, const char *after, long long *cursor, struct problem *p)
{
    long long end, pruned;

    if (store_changes_end(db, &end, p) != 0)
        return -1;
    *cursor = end;
    if (!after)
        return 0;
    cursor_decode(after, CURSOR_TAG_CHANGES, cursor);
    if (*cursor > end) {
        problem_add_field(p, "after", "lies beyond the end of the change feed");
        return jsonx_fail_fields(p, 0);
    }
    /* a replay from before the oldest kept change would skip the pruned ones: 410 */
    if (store_changes_pruned(db, &pruned, p) != 0)
        return -1;
    return store_changes_expired(*cursor, pruned, p);
}

/* Refuse a subscription beyond the limit (409). */
static int
room_left(struct db *db, struct problem *p)
{
    long long n;

    if (store_webhooks_count(db, &n, p) != 0)
        return -1;
    if (n >= STORE_WEBHOOKS_MAX) {
        problem_set(p, PROBLEM_CONFLICT,
                    "there are already %d webhook subscriptions, the limit; delete one first",
                    STORE_WEBHOOKS_MAX);
        return -1;
    }
    return 0;
}

HANDLER(webhooks_create)
{
    static const char *const allowed[] = { NULL };
    struct problem *p = &res->problem;
    char id[UTIL_UUID_LEN + 1], generated[WEBHOOK_SECRET_LEN + 1];
    const char *secret, *after;
    long long cursor;
    json_t *doc, *out;

    if (request_check_query(req, allowed, p) != 0 || !(doc = request_json_object(req, 0, p)) ||
        jsonx_validate(fields, NFIELDS, doc, NULL, p) != 0)
        return -1;
    secret = json_string_value(json_object_get(doc, "secret"));
    if (!secret) {
        webhook_secret_new(generated);
        secret = generated;
    }
    after = json_string_value(json_object_get(doc, "after"));
    if (!json_object_get(doc, "status"))
        json_object_set_new(doc, "status", json_string("active"));
    util_uuid(id);
    stamp(doc, id, 1);
    if (store_begin_write(req->db, p) != 0 || room_left(req->db, p) != 0 ||
        start_cursor(req->db, after, &cursor, p) != 0 ||
        store_webhook_insert(req->db, doc, secret, cursor, p) != 0 ||
        store_webhook_get(req->db, id, &out, p) != 0)
        return -1;
    if (store_commit(req->db, p) != 0) {
        json_decref(out);
        return -1;
    }
    webhooks_worker_kick();
    json_object_set_new(out, "secret", json_string(secret));
    response_set_location(res, "/v1/webhooks/%s", id);
    return response_json(res, 201, out);
}

/* ?limit and ?cursor of a list into page (cursor tag tag). */
static int
read_page(const struct request *req, int tag, struct store_webhook_page *page, struct problem *p)
{
    static const char *const allowed[] = { "limit", "cursor", NULL };
    const char *cursor = request_query(req, "cursor");
    long limit;

    if (request_check_query(req, allowed, p) != 0 ||
        request_query_int(req, "limit", RESOURCE_LIMIT_DEFAULT, 1, RESOURCE_LIMIT_MAX, &limit,
                          p) != 0)
        return -1;
    if (cursor && cursor_decode(cursor, tag, &page->from) != 0) {
        problem_set(p, PROBLEM_BAD_REQUEST,
                    "query parameter 'cursor' is not a cursor of this list; use next_cursor "
                    "from a previous page");
        return -1;
    }
    page->limit = (int)limit;
    return 0;
}

static int
page_response(struct response *res, int tag, struct store_webhook_page *page)
{
    char next[CURSOR_LEN + 1];

    if (page->more)
        cursor_encode(tag, page->last, next);
    return response_json(res, 200,
                         json_pack("{s:o, s:o}", "items", page->items, "next_cursor",
                                   page->more ? json_string(next) : json_null()));
}

HANDLER(webhooks_list)
{
    struct store_webhook_page page = { 0 };

    if (read_page(req, CURSOR_TAG_WEBHOOKS, &page, &res->problem) != 0 ||
        store_webhooks_list(req->db, &page, &res->problem) != 0)
        return -1;
    return page_response(res, CURSOR_TAG_WEBHOOKS, &page);
}

HANDLER(webhooks_get)
{
    static const char *const allowed[] = { NULL };
    char id[UTIL_UUID_LEN + 1];
    json_t *out;

    if (request_check_query(req, allowed, &res->problem) != 0 ||
        resource_id(req, 0, "webhook", id, &res->problem) != 0 ||
        store_webhook_get(req->db, id, &out, &res->problem) != 0)
        return -1;
    return response_json(res, 200, out);
}

/* Would doc change nothing of old that a client can write? */
static int
unchanged(const json_t *doc, const json_t *old)
{
    static const char *const writable[] = { "url", "events", "description", "status", NULL };

    for (size_t i = 0; writable[i]; i++) {
        json_t *a = json_object_get(doc, writable[i]), *b = json_object_get(old, writable[i]);
        if (json_is_null(a))
            a = NULL;
        if (json_is_null(b))
            b = NULL;
        if ((a || b) && !(a && b && json_equal(a, b)))
            return 0;
    }
    return 1;
}

/* A new URL or a resumed subscription is tried at once, without the old backoff. */
static int
retry_now(const json_t *doc, const json_t *old)
{
    const char *status = json_string_value(json_object_get(doc, "status"));

    return !json_equal(json_object_get(doc, "url"), json_object_get(old, "url")) ||
           (strcmp(status, "active") == 0 &&
            strcmp(json_string_value(json_object_get(old, "status")), "paused") == 0);
}

/* Validate the merged document and write it; *out the new representation. */
static int
patch_write(struct request *req, const char *id, json_t *old, json_t *doc, json_t **out,
            struct problem *p)
{
    long long version = json_integer_value(json_object_get(old, "version"));

    *out = NULL;
    if (jsonx_validate(fields, NFIELDS, doc, old, p) != 0)
        return -1;
    if (!json_object_get(doc, "status"))
        json_object_set_new(doc, "status", json_string("active"));
    if (unchanged(doc, old)) {
        *out = json_incref(old);
        return 0;
    }
    stamp(doc, id, version + 1);
    if (store_webhook_update(req->db, doc, version, retry_now(doc, old), p) != 0 ||
        store_webhook_get(req->db, id, out, p) != 0 || store_commit(req->db, p) != 0) {
        json_decref(*out);
        *out = NULL;
        return -1;
    }
    webhooks_worker_kick();
    return 0;
}

HANDLER(webhooks_patch)
{
    static const char *const allowed[] = { NULL };
    struct problem *p = &res->problem;
    char id[UTIL_UUID_LEN + 1];
    json_t *patch, *old = NULL, *doc = NULL, *out = NULL;
    int rc = -1;

    if (request_check_query(req, allowed, p) != 0 || resource_id(req, 0, "webhook", id, p) != 0 ||
        !(patch = request_json_object(req, 1, p)))
        return -1;
    if (store_begin_write(req->db, p) != 0 || store_webhook_get(req->db, id, &old, p) != 0)
        return -1;
    doc = jsonx_merge_patch(old, patch);
    if (patch_write(req, id, old, doc, &out, p) == 0)
        rc = response_json(res, 200, out);
    json_decref(old);
    json_decref(doc);
    return rc;
}

HANDLER(webhooks_delete)
{
    static const char *const allowed[] = { NULL };
    struct problem *p = &res->problem;
    char id[UTIL_UUID_LEN + 1];

    if (request_check_query(req, allowed, p) != 0 || resource_id(req, 0, "webhook", id, p) != 0)
        return -1;
    if (store_begin_write(req->db, p) != 0 || store_webhook_delete(req->db, id, p) != 0 ||
        store_commit(req->db, p) != 0)
        return -1;
    res->status = 204;
    return 0;
}

HANDLER(webhooks_deliveries_list)
{
    struct store_webhook_page page = { 0 };
    char id[UTIL_UUID_LEN + 1];

    if (read_page(req, CURSOR_TAG_WEBHOOK_DELIVERIES, &page, &res->problem) != 0 ||
        resource_id(req, 0, "webhook", id, &res->problem) != 0 ||
        store_webhook_deliveries(req->db, id, &page, &res->problem) != 0)
        return -1;
    return page_response(res, CURSOR_TAG_WEBHOOK_DELIVERIES, &page);
}
