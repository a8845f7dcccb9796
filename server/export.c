/*
 * export: GET /v1/export?type=customers|vehicles|touchpoints|households,
 * the bulk export in the shapes POST /v1/import takes (NDJSON, or CSV of
 * customers, vehicles, touchpoints). The body streams: http.c asks for
 * bytes, and each time the rendered page is used up the next page of
 * EXPORT_PAGE records is read in its own short read transaction (keyset
 * paging by creation order, store_list), so memory holds one page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "handlers.h"
#include "import.h"
#include "log.h"
#include "model.h"
#include "store.h"
#include "util.h"

#define EXPORT_PAGE 200 /* records per read transaction */
#define EXPORT_MAX_COLS 64

/* What the stream is writing: the records, then (households) their memberships. */
enum export_pass { PASS_RECORDS, PASS_MEMBERS, PASS_DONE };

struct export {
    const struct config *cfg; /* global: outlives the request */
    enum import_type type;
    int csv;
    enum export_pass pass;
    long long after;       /* keyset cursor of the pass */
    struct buf out;        /* the rendered page */
    size_t pos;            /* bytes of out already handed out */
    char request_id[REQUEST_ID_MAX + 1];
    const char *cols[EXPORT_MAX_COLS]; /* CSV columns (static strings) */
    size_t ncols;
};

/* A record id member and the {system, id} member the import takes instead. */
static const struct {
    enum import_type type;
    const char *id_field, *name;
    const struct model *target;
} id_refs[] = {
    { IMPORT_VEHICLE, "owner_id", "owner", &model_customer },
    { IMPORT_VEHICLE, "main_driver_id", "main_driver", &model_customer },
    { IMPORT_TOUCHPOINT, "customer_id", "customer", &model_customer },
    { IMPORT_TOUCHPOINT, "vehicle_id", "vehicle", &model_vehicle },
};

static const struct model *
model_of(enum import_type t)
{
    return t == IMPORT_CUSTOMER    ? &model_customer
           : t == IMPORT_VEHICLE   ? &model_vehicle
           : t == IMPORT_HOUSEHOLD ? &model_household
                                   : &model_touchpoint;
}

static int
is_id_ref(enum import_type t, const char *field)
{
    for (size_t i = 0; i < sizeof id_refs / sizeof id_refs[0]; i++)
        if (id_refs[i].type == t && !strcmp(id_refs[i].id_field, field))
            return 1;
    return 0;
}

/* A record's identity for the import: its first external reference, else crmd:<id>. */
static json_t *
identity(const json_t *rec)
{
    const json_t *first = json_array_get(json_object_get(rec, "external_refs"), 0);

    if (json_is_object(first))
        return json_deep_copy(first);
    return json_pack("{s:s, s:O}", "system", IMPORT_SYSTEM_CRMD, "id", json_object_get(rec, "id"));
}

/* The identity of record id of m (a reference), or NULL with a problem. */
static json_t *
identity_of(struct db *db, const struct model *m, const char *id, struct problem *p)
{
    json_t *rec, *out;

    if (store_get(db, m, id, &rec, p) != 0)
        return NULL;
    out = identity(rec);
    json_decref(rec);
    return out;
}

/* A record as an import line: the client's fields, ids of other records as references. */
static json_t *
record_line(struct db *db, enum import_type t, const json_t *rec, struct problem *p)
{
    const struct model *m = model_of(t);
    json_t *line = json_pack("{s:s, s:o}", "type", import_type_names[t], "external_ref",
                             identity(rec));

    for (size_t i = 0; i < m->nfields; i++) {
        const struct field *f = &m->fields[i];
        json_t *v = json_object_get(rec, f->name);

        if ((f->flags & FIELD_SERVER) || !v || json_is_null(v) || is_id_ref(t, f->name))
            continue;
        json_object_set(line, f->name, v);
    }
    for (size_t i = 0; i < sizeof id_refs / sizeof id_refs[0]; i++) {
        const char *id = json_string_value(json_object_get(rec, id_refs[i].id_field));
        json_t *ref;

        if (id_refs[i].type != t || !id)
            continue;
        if (!(ref = identity_of(db, id_refs[i].target, id, p))) {
            json_decref(line);
            return NULL;
        }
        json_object_set_new(line, id_refs[i].name, ref);
    }
    return line;
}

/* ---- rendering ---- */

static void
csv_cell(struct buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        buf_puts(b, s);
        return;
    }
    buf_puts(b, "\"");
    for (; *s; s++) {
        if (*s == '"')
            buf_puts(b, "\""); /* a quote is doubled */
        buf_append(b, s, 1);
    }
    buf_puts(b, "\"");
}

/* A JSON value as one CSV cell: lists of e-mails or phones joined by "; ". */
static void
csv_value(struct buf *b, const json_t *v)
{
    char num[64];
    struct buf list = { 0 };
    const json_t *it;
    size_t i;

    switch (json_typeof(v)) {
    case JSON_STRING:
        csv_cell(b, json_string_value(v));
        return;
    case JSON_INTEGER:
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
        buf_puts(b, num);
        return;
    case JSON_REAL:
        snprintf(num, sizeof num, "%.15g", json_real_value(v));
        buf_puts(b, num);
        return;
    case JSON_TRUE:
    case JSON_FALSE:
        buf_puts(b, json_is_true(v) ? "true" : "false");
        return;
    case JSON_ARRAY:
        buf_puts(&list, "");
        json_array_foreach(v, i, it)
        {
            const char *s = json_is_string(it) ? json_string_value(it)
                            : json_string_value(json_object_get(it, "address"))
                                ? json_string_value(json_object_get(it, "address"))
                                : json_string_value(json_object_get(it, "number"));
            if (s)
                buf_printf(&list, "%s%s", list.len ? "; " : "", s);
        }
        csv_cell(b, list.data);
        buf_release(&list);
        return;
    default:
        return;
    }
}

static void
render_csv_row(struct export *e, const json_t *line)
{
    for (size_t i = 0; i < e->ncols; i++) {
        const char *col = e->cols[i], *dot = strchr(col, '.');
        const json_t *v;

        if (i)
            buf_puts(&e->out, ",");
        if (dot) {
            char parent[32];
            snprintf(parent, sizeof parent, "%.*s", (int)(dot - col), col);
            v = json_object_get(json_object_get(line, parent), dot + 1);
        } else {
            v = json_object_get(line, col);
        }
        if (v)
            csv_value(&e->out, v);
    }
    buf_puts(&e->out, "\r\n");
}

static void
emit(struct export *e, json_t *line)
{
    if (e->csv) {
        render_csv_row(e, line);
    } else {
        char *text = json_dumps(line, JSON_COMPACT | JSON_REAL_PRECISION(15));
        buf_puts(&e->out, text);
        buf_puts(&e->out, "\n");
        free(text);
    }
    json_decref(line);
}

/* The CSV columns of type t: identity, the plain fields the CSV import takes, references. */
static void
csv_columns(struct export *e)
{
    static const char *const address[] = { "address.street", "address.postal_code",
                                            "address.city", "address.country" };
    static const char *const refs[] = { "owner.system",    "owner.id",   "main_driver.system",
                                        "main_driver.id",  "customer.system", "customer.id",
                                        "vehicle.system",  "vehicle.id" };
    const struct model *m = model_of(e->type);

    e->cols[e->ncols++] = "external_ref.system";
    e->cols[e->ncols++] = "external_ref.id";
    for (size_t i = 0; i < m->nfields && e->ncols < EXPORT_MAX_COLS; i++)
        if (import_csv_column_ok(e->type, m->fields[i].name) && !is_id_ref(e->type, m->fields[i].name))
            e->cols[e->ncols++] = m->fields[i].name;
    for (size_t i = 0; i < 4 && e->type == IMPORT_CUSTOMER; i++)
        e->cols[e->ncols++] = address[i];
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++)
        if (import_csv_column_ok(e->type, refs[i]))
            e->cols[e->ncols++] = refs[i];
    for (size_t i = 0; i < e->ncols; i++)
        csv_cell(&e->out, e->cols[i]), buf_puts(&e->out, i + 1 < e->ncols ? "," : "\r\n");
}

/* ---- paging ---- */

/* The lines of one customer beyond the record: its membership, a company's people. */
static int
relation_lines(struct export *e, struct db *db, const json_t *rec, struct problem *p)
{
    const json_t *hh = json_object_get(rec, "household");
    json_t *people, *it;
    size_t i;

    if (e->pass == PASS_MEMBERS) {
        json_t *h;
        if (!json_is_object(hh))
            return 0;
        if (!(h = identity_of(db, &model_household, json_string_value(json_object_get(hh, "id")), p)))
            return -1;
        emit(e, json_pack("{s:s, s:o, s:o, s:O}", "type", "membership", "household", h, "customer",
                          identity(rec), "role", json_object_get(hh, "role")));
        return 0;
    }
    if (e->csv || strcmp(json_string_value(json_object_get(rec, "kind")), "company") != 0)
        return 0;
    if (store_company_people(db, json_string_value(json_object_get(rec, "id")), 1, &people, p) != 0)
        return -1;
    json_array_foreach(people, i, it)
    {
        json_t *person = identity_of(db, &model_customer,
                                     json_string_value(json_object_get(it, "person_id")), p);
        if (!person) {
            json_decref(people);
            return -1;
        }
        emit(e, json_pack("{s:s, s:o, s:o, s:O}", "type", "company_person", "company",
                          identity(rec), "person", person, "roles", json_object_get(it, "roles")));
    }
    json_decref(people);
    return 0;
}

/* Render the next page of the pass into e->out (one read transaction). Returns 0 or -1. */
static int
next_page(struct export *e, struct problem *p)
{
    static const struct store_filter none[] = { { NULL, NULL, NULL, NULL } };
    struct db *db = db_thread(e->cfg);
    const struct model *m = e->pass == PASS_MEMBERS ? &model_customer : model_of(e->type);
    struct store_page page = { .after = e->after, .limit = EXPORT_PAGE };
    const json_t *rec;
    size_t i;
    int rc = 0;

    if (!db)
        return problem_internal(p, "export: no database connection"), -1;
    if (store_begin_read(db, p) != 0 || store_list(db, m, none, NULL, &page, p) != 0) {
        store_rollback(db);
        return -1;
    }
    json_array_foreach(page.items, i, rec)
    {
        if (e->pass == PASS_RECORDS) {
            json_t *line = record_line(db, e->type, rec, p);
            if (!line) {
                rc = -1;
                break;
            }
            emit(e, line);
        }
        if (e->type == IMPORT_CUSTOMER || e->pass == PASS_MEMBERS)
            if ((rc = relation_lines(e, db, rec, p)) != 0)
                break;
    }
    json_decref(page.items);
    if (rc != 0 || store_commit(db, p) != 0) {
        store_rollback(db);
        return -1;
    }
    e->after = page.last;
    if (!page.more) {
        e->pass = e->type == IMPORT_HOUSEHOLD && e->pass == PASS_RECORDS ? PASS_MEMBERS : PASS_DONE;
        e->after = 0;
    }
    return 0;
}

static long
export_read(void *ctx, char *buf, size_t max)
{
    struct export *e = ctx;
    size_t n;

    while (e->pos == e->out.len) {
        struct problem p = { .request_id = e->request_id };
        if (e->pass == PASS_DONE)
            return 0;
        e->out.len = e->pos = 0;
        if (next_page(e, &p) != 0) {
            /* the status is sent: the client sees a body cut short (no last chunk) */
            log_error("export %s: stopped after the records before seq %lld: %s", e->request_id,
                      e->after, p.detail);
            problem_release(&p);
            return -1;
        }
    }
    n = e->out.len - e->pos < max ? e->out.len - e->pos : max;
    memcpy(buf, e->out.data + e->pos, n);
    e->pos += n;
    return (long)n;
}

static void
export_free(void *ctx)
{
    struct export *e = ctx;

    buf_release(&e->out);
    free(e);
}

/* "text/csv" among the media types of Accept? (else NDJSON, the default) */
static int
accepts_csv(const char *accept)
{
    const char *s = strstr(accept, "text/csv");
    return s && (s[8] == '\0' || s[8] == ',' || s[8] == ';' || s[8] == ' ');
}

/* GET /v1/export?type=customers|vehicles|touchpoints|households */
HANDLER(export_get)
{
    static const char *const allowed[] = { "type", NULL };
    static const struct {
        const char *name;
        enum import_type type;
    } types[] = { { "customers", IMPORT_CUSTOMER },
                  { "vehicles", IMPORT_VEHICLE },
                  { "touchpoints", IMPORT_TOUCHPOINT },
                  { "households", IMPORT_HOUSEHOLD } };
    struct problem *p = &res->problem;
    const char *type = request_query(req, "type");
    struct export *e;
    size_t i;

    if (request_check_query(req, allowed, p) != 0)
        return -1;
    for (i = 0; type && i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(type, types[i].name))
            break;
    if (!type || i == sizeof types / sizeof types[0]) {
        problem_set(p, PROBLEM_BAD_REQUEST,
                    "query parameter 'type' is required: customers, vehicles, touchpoints or "
                    "households");
        return -1;
    }
    if (accepts_csv(req->accept) && types[i].type == IMPORT_HOUSEHOLD) {
        problem_set(p, PROBLEM_BAD_REQUEST,
                    "households export as application/x-ndjson only (CSV: customers, vehicles, "
                    "touchpoints, as the CSV import takes them)");
        return -1;
    }
    e = xcalloc(1, sizeof *e);
    e->cfg = req->config;
    e->type = types[i].type;
    e->csv = accepts_csv(req->accept);
    snprintf(e->request_id, sizeof e->request_id, "%s", req->id);
    buf_puts(&e->out, "");
    if (e->csv)
        csv_columns(e);
    res->status = 200;
    res->stream_read = export_read;
    res->stream_free = export_free;
    res->stream_ctx = e;
    res->stream_type = e->csv ? "text/csv; charset=utf-8" : "application/x-ndjson";
    snprintf(res->disposition, sizeof res->disposition, "attachment; filename=\"%s.%s\"", type,
             e->csv ? "csv" : "ndjson");
    return 0;
}
