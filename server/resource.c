/*
 * resource: generic handlers. Writes validate first, then run in one
 * BEGIN IMMEDIATE transaction; PATCH reads, merges (RFC 7396),
 * re-validates the whole result and writes under a version check, all
 * inside that transaction, so two patches never lose each other.
 * If-Match is compared there too; Idempotency-Key answers are looked up
 * and remembered in the transaction of the create.
 */
#include "resource.h"

#include <stdio.h>
#include <string.h>

#include "cursor.h"
#include "etag.h"
#include "idempotency.h"
#include "util.h"

_Static_assert(ETAG_MAX == RESPONSE_ETAG_MAX, "an ETag fits the response's slot");

void
resource_etag(struct response *res, const struct model *m, const json_t *doc)
{
    etag_of(m, doc, res->etag);
}

int
resource_if_match(const struct request *req, const struct model *m, const json_t *cur,
                  struct problem *p)
{
    char etag[ETAG_MAX + 1];

    if (!req->if_match)
        return 0;
    etag_of(m, cur, etag);
    return etag_check_if_match(req->if_match, etag,
                               json_integer_value(json_object_get(cur, "version")), m->name, p);
}

int
resource_id(const struct request *req, size_t i, const char *what, char *out, struct problem *p)
{
    const char *s = request_param(req, i);

    if (!util_is_uuid(s)) {
        problem_set(p, PROBLEM_NOT_FOUND, "no %s with id '%.40s' (ids are UUIDs)", what, s);
        return -1;
    }
    for (size_t k = 0; k <= UTIL_UUID_LEN; k++)
        out[k] = (char)(s[k] >= 'A' && s[k] <= 'F' ? s[k] + 32 : s[k]);
    return 0;
}

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

/* Write doc (insert when expected == 0) with the resource's rules; in a transaction. */
static int
write_doc(struct db *db, const struct resource *r, json_t *doc, long long expected,
          struct problem *p)
{
    if (r->before_write && r->before_write(db, doc, p) != 0)
        return -1;
    if ((expected ? store_update(db, r->model, doc, expected, p)
                  : store_insert(db, r->model, doc, p)) != 0)
        return -1;
    return r->after_write ? r->after_write(db, doc, p) : 0;
}

/* Hand what doc reads back as (old: the record before) to the change feed. */
static void
offer(struct db *db, const struct resource *r, const json_t *doc, const json_t *old)
{
    store_offers_take(db, r->model, json_string_value(json_object_get(doc, "id")),
                      json_integer_value(json_object_get(doc, "version")),
                      store_represent(r->model, doc, old));
}

int
resource_create(struct request *req, struct response *res, const struct resource *r)
{
    static const char *const allowed[] = { NULL };
    struct problem *p = &res->problem;
    char id[UTIL_UUID_LEN + 1];
    json_t *doc, *out;
    int rc;

    if (request_check_query(req, allowed, p) != 0 || idempotency_check_key(req, p) != 0)
        return -1;
    if (!(doc = request_json_object(req, 0, p)))
        return -1;
    if (r->create_defaults)
        r->create_defaults(req, doc);
    if (model_validate(r->model, doc, NULL, p) != 0)
        return -1;
    util_uuid(id);
    stamp(doc, id, 1);
    if (store_begin_write(req->db, p) != 0)
        return -1;
    if ((rc = idempotency_replay(req, res)) != 0)
        return rc < 0 ? -1 : store_commit(req->db, p);
    if (write_doc(req->db, r, doc, 0, p) != 0 || store_get(req->db, r->model, id, &out, p) != 0)
        return -1;
    store_offers_add(req->db, r->model, out); /* the change feed needs not read it again */
    response_set_location(res, "%s/%s", r->model->path, id);
    resource_etag(res, r->model, out);
    response_json(res, 201, out);
    /* the answer is remembered in the create's transaction: both commit or neither */
    if (idempotency_record(req, res) != 0 || store_commit(req->db, p) != 0)
        return -1;
    return 0;
}

int
resource_get(struct request *req, struct response *res, const struct resource *r)
{
    static const char *const allowed[] = { NULL };
    char id[UTIL_UUID_LEN + 1];
    json_t *out;

    if (request_check_query(req, allowed, &res->problem) != 0 ||
        resource_id(req, 0, r->model->name, id, &res->problem) != 0)
        return -1;
    if (store_get(req->db, r->model, id, &out, &res->problem) != 0)
        return -1;
    resource_etag(res, r->model, out);
    switch (etag_check_if_none_match(req->if_none_match, res->etag, &res->problem)) {
    case 1:
        json_decref(out);
        return response_json(res, 304, NULL);
    case -1:
        json_decref(out);
        return -1;
    }
    return response_json(res, 200, out);
}

/* Map query parameters onto the resource's filters; values normalised into vals. */
static int
read_filters(const struct request *req, const struct resource *r, char vals[][256],
             const char **values, struct problem *p)
{
    for (size_t i = 0; r->filters[i].param; i++) {
        const struct store_filter *f = &r->filters[i];
        const char *v = request_query(req, f->param);
        values[i] = NULL;
        if (!v)
            continue;
        if (f->normalize(v, vals[i], 256) != 0) {
            problem_set(p, PROBLEM_BAD_REQUEST, "query parameter '%s' must be %s", f->param, f->hint);
            return -1;
        }
        values[i] = vals[i];
    }
    return 0;
}

int
resource_list(struct request *req, struct response *res, const struct resource *r)
{
    const char *allowed[32];
    char vals[24][256], next[CURSOR_LEN + 1];
    const char *values[24];
    const char *cursor = request_query(req, "cursor");
    struct store_page page = { 0 };
    struct problem *p = &res->problem;
    size_t n = 0;
    long limit;

    for (size_t i = 0; r->filters[i].param && n < 29; i++)
        allowed[n++] = r->filters[i].param;
    allowed[n++] = "limit";
    allowed[n++] = "cursor";
    allowed[n] = NULL;
    if (request_check_query(req, allowed, p) != 0 ||
        request_query_int(req, "limit", RESOURCE_LIMIT_DEFAULT, 1, RESOURCE_LIMIT_MAX, &limit, p) != 0 ||
        read_filters(req, r, vals, values, p) != 0)
        return -1;
    if (cursor && cursor_decode(cursor, r->model->tag, &page.after) != 0) {
        problem_set(p, PROBLEM_BAD_REQUEST,
                    "query parameter 'cursor' is not a cursor of this list; use next_cursor "
                    "from a previous page");
        return -1;
    }
    page.limit = (int)limit;
    if (store_list(req->db, r->model, r->filters, values, &page, p) != 0)
        return -1;
    if (page.more)
        cursor_encode(r->model->tag, page.last, next);
    return response_json(res, 200,
                         json_pack("{s:o, s:o}", "items", page.items, "next_cursor",
                                   page.more ? json_string(next) : json_null()));
}

/* Would writing doc change nothing of old? (null and absent are the same; computed members ignored) */
static int
unchanged(const struct model *m, const json_t *doc, const json_t *old)
{
    for (size_t i = 0; i < m->nfields; i++) {
        json_t *a = json_object_get(doc, m->fields[i].name);
        json_t *b = json_object_get(old, m->fields[i].name);
        if (json_is_null(a))
            a = NULL;
        if (json_is_null(b))
            b = NULL;
        if ((a || b) && !(a && b && json_equal(a, b)))
            return 0;
    }
    return 1;
}

int
resource_patch(struct request *req, struct response *res, const struct resource *r)
{
    static const char *const allowed[] = { NULL };
    struct problem *p = &res->problem;
    char id[UTIL_UUID_LEN + 1];
    json_t *patch, *old = NULL, *doc = NULL, *out = NULL;
    long long version;
    int rc = -1;

    if (request_check_query(req, allowed, p) != 0 || resource_id(req, 0, r->model->name, id, p) != 0)
        return -1;
    if (!(patch = request_json_object(req, 1, p)))
        return -1;
    if (store_begin_write(req->db, p) != 0)
        return -1;
    if (store_get(req->db, r->model, id, &old, p) != 0 ||
        resource_if_match(req, r->model, old, p) != 0)
        goto out;
    doc = jsonx_merge_patch(old, patch);
    if (model_validate(r->model, doc, old, p) != 0)
        goto out;
    if (unchanged(r->model, doc, old)) {
        /* Nothing changes: no write, no new version. */
        resource_etag(res, r->model, old);
        rc = response_json(res, 200, json_incref(old));
        goto out;
    }
    version = json_integer_value(json_object_get(old, "version"));
    stamp(doc, id, version + 1);
    if (write_doc(req->db, r, doc, version, p) != 0 ||
        store_get(req->db, r->model, id, &out, p) != 0)
        goto out;
    store_offers_add(req->db, r->model, out);
    if (store_commit(req->db, p) != 0)
        goto out;
    resource_etag(res, r->model, out);
    rc = response_json(res, 200, out);
    out = NULL;
out:
    json_decref(old);
    json_decref(doc);
    json_decref(out);
    return rc;
}

int
resource_delete(struct request *req, struct response *res, const struct resource *r)
{
    static const char *const with_cascade[] = { "cascade", NULL };
    static const char *const plain[] = { NULL };
    struct problem *p = &res->problem;
    char id[UTIL_UUID_LEN + 1];
    int cascade = 0, rc;

    if (request_check_query(req, r->before_delete ? with_cascade : plain, p) != 0 ||
        request_query_bool(req, "cascade", 0, &cascade, p) != 0 ||
        resource_id(req, 0, r->model->name, id, p) != 0)
        return -1;
    if (store_begin_write(req->db, p) != 0)
        return -1;
    if (req->if_match) {
        json_t *cur;
        if (store_get(req->db, r->model, id, &cur, p) != 0)
            return -1;
        rc = resource_if_match(req, r->model, cur, p);
        json_decref(cur);
        if (rc != 0)
            return -1;
    } else if ((rc = store_exists(req->db, r->model, id, p)) <= 0) {
        if (rc == 0)
            problem_set(p, PROBLEM_NOT_FOUND, "no %s with id %s", r->model->name, id);
        return -1;
    }
    if ((r->before_delete && r->before_delete(req->db, id, cascade, p) != 0) ||
        store_delete(req->db, r->model, id, p) != 0 || store_commit(req->db, p) != 0)
        return -1;
    res->status = 204;
    return 0;
}

int
resource_upsert(struct db *db, const struct resource *r, const char *id, json_t *fields,
                enum resource_outcome *outcome, char *out_id, struct problem *p)
{
    json_t *old = NULL, *doc;
    long long version;
    int rc = -1;

    if (!id) {
        if (model_validate(r->model, fields, NULL, p) != 0)
            return -1;
        util_uuid(out_id);
        stamp(fields, out_id, 1);
        *outcome = RESOURCE_CREATED;
        if (write_doc(db, r, fields, 0, p) != 0)
            return -1;
        offer(db, r, fields, NULL);
        return 0;
    }
    snprintf(out_id, UTIL_UUID_LEN + 1, "%s", id);
    if (store_get(db, r->model, id, &old, p) != 0)
        return -1;
    doc = jsonx_merge_patch(old, fields);
    if (model_validate(r->model, doc, old, p) != 0)
        goto out;
    *outcome = unchanged(r->model, doc, old) ? RESOURCE_UNCHANGED : RESOURCE_UPDATED;
    rc = 0;
    if (*outcome == RESOURCE_UNCHANGED)
        goto out;
    version = json_integer_value(json_object_get(old, "version"));
    stamp(doc, id, version + 1);
    rc = write_doc(db, r, doc, version, p);
    if (rc == 0)
        offer(db, r, doc, old);
out:
    json_decref(old);
    json_decref(doc);
    return rc;
}

/* Is capture i of pattern a customer id? */
static int
customer_capture(const char *pattern, size_t i)
{
    static const char prefix[] = "/v1/customers"; /* then "/{": a customer's own route */
    const char *c = pattern;

    if (!strncmp(pattern, prefix, sizeof prefix - 1) &&
        !strncmp(pattern + sizeof prefix - 1, "/{", 2))
        return 1;
    for (size_t k = 0; (c = strchr(c, '{')); c++, k++)
        if (k == i)
            return !strncmp(c, "{customer_id}", 13);
    return 0;
}

void
resource_merged_hint(struct request *req, struct problem *p)
{
    const struct router_match *m = &req->match;
    struct problem ignored = { 0 };
    char id[UTIL_UUID_LEN + 1], into[UTIL_UUID_LEN + 1];

    if (p->code != PROBLEM_NOT_FOUND || !req->db || !m->route)
        return;
    for (size_t i = 0; i < m->ncaptures; i++) {
        if (!customer_capture(m->route->pattern, i) ||
            resource_id(req, i, "customer", id, &ignored) != 0)
            continue;
        /* the customer exists: the 404 is about something else */
        if (store_exists(req->db, &model_customer, id, &ignored) != 0)
            continue;
        if (store_merge_survivor(req->db, id, into, &ignored) != 1)
            continue;
        problem_set(p, PROBLEM_NOT_FOUND, "customer %s was merged into %s; use that id", id, into);
        problem_set_extra(p, "merged_into", json_string(into));
        break;
    }
    problem_release(&ignored);
}
