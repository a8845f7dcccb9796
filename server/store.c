/*
 * store: generic rows. SQL for reading, inserting, updating, deleting and
 * listing a model is generated once per connection from its field table
 * (column name = field name) and cached; values are always bound.
 */
#include "store.h"

#include <string.h>

#include "db.h"
#include "store_util.h"

enum { OP_GET, OP_EXISTS, OP_INSERT, OP_UPDATE, OP_DELETE, OP_LIST };

void
store_select_list(const struct model *m, struct buf *b)
{
    for (size_t i = 0; i < m->nfields; i++)
        buf_printf(b, "%st.%s", i ? ", " : "", m->fields[i].name);
    for (size_t i = 0; i < m->ncomputed; i++)
        buf_printf(b, ", %s", m->computed[i].expr);
}

struct list_arg {
    const struct model *m;
    const struct store_filter *filters;
    size_t nfilters;
};

static void
build(unsigned variant, const void *arg, struct buf *b)
{
    const struct list_arg *la = arg;
    const struct model *m = la->m;
    unsigned op = variant & 0xf, mask = variant >> 4;
    size_t i;

    switch (op) {
    case OP_GET:
        buf_puts(b, "SELECT ");
        store_select_list(m, b);
        buf_printf(b, " FROM %s t WHERE t.id = :id", m->table);
        break;
    case OP_EXISTS:
        buf_printf(b, "SELECT 1 FROM %s WHERE id = :id", m->table);
        break;
    case OP_INSERT:
        buf_printf(b, "INSERT INTO %s (", m->table);
        for (i = 0; i < m->nfields; i++)
            buf_printf(b, "%s%s", i ? ", " : "", m->fields[i].name);
        buf_puts(b, ") VALUES (");
        for (i = 0; i < m->nfields; i++)
            buf_printf(b, "%s:%s", i ? ", " : "", m->fields[i].name);
        buf_puts(b, ")");
        break;
    case OP_UPDATE:
        buf_printf(b, "UPDATE %s SET ", m->table);
        for (i = 0; i < m->nfields; i++) {
            const char *n = m->fields[i].name;
            if (strcmp(n, "id") && strcmp(n, "created_at"))
                buf_printf(b, "%s%s = :%s", strcmp(n, "updated_at") ? ", " : "", n, n);
        }
        buf_puts(b, " WHERE id = :id AND version = :expected_version");
        break;
    case OP_DELETE:
        buf_printf(b, "DELETE FROM %s WHERE id = :id", m->table);
        break;
    case OP_LIST:
        buf_puts(b, "SELECT ");
        store_select_list(m, b);
        buf_printf(b, ", t.seq FROM %s t WHERE t.seq > :after", m->table);
        for (i = 0; i < la->nfilters; i++)
            if (mask & (1u << i))
                buf_printf(b, " AND (%s)", la->filters[i].sql);
        buf_puts(b, " ORDER BY t.seq LIMIT :limit");
        break;
    }
}

static sqlite3_stmt *
stmt(struct db *db, const struct model *m, unsigned variant, const struct store_filter *f,
     size_t nf, struct problem *p)
{
    struct list_arg la = { m, f, nf };
    return db_stmt_variant(db, m, variant, build, &la, p);
}

static json_t *
column_json(sqlite3_stmt *st, int col, const struct field *f)
{
    int type = sqlite3_column_type(st, col);

    if (type == SQLITE_NULL)
        return json_null();
    switch (f ? f->type : FIELD_JSON) {
    case FIELD_INT:
        return json_integer(sqlite3_column_int64(st, col));
    case FIELD_REAL:
        return json_real(sqlite3_column_double(st, col));
    case FIELD_BOOL:
        return json_boolean(sqlite3_column_int(st, col));
    case FIELD_JSON: {
        json_t *j = json_loadb((const char *)sqlite3_column_text(st, col),
                               (size_t)sqlite3_column_bytes(st, col), JSON_DECODE_ANY, NULL);
        return j ? j : json_null();
    }
    default:
        return json_stringn((const char *)sqlite3_column_text(st, col),
                            (size_t)sqlite3_column_bytes(st, col));
    }
}

json_t *
store_row_json(sqlite3_stmt *st, const struct model *m)
{
    json_t *o = json_object();
    size_t i;

    for (i = 0; i < m->nfields; i++)
        json_object_set_new(o, m->fields[i].name, column_json(st, (int)i, &m->fields[i]));
    for (size_t c = 0; c < m->ncomputed; c++)
        json_object_set_new(o, m->computed[c].name, column_json(st, (int)(i + c), NULL));
    return o;
}

static void
bind_value(sqlite3_stmt *st, int idx, const json_t *v)
{
    if (idx <= 0)
        return;
    if (!v || json_is_null(v)) {
        sqlite3_bind_null(st, idx);
    } else if (json_is_string(v)) {
        sqlite3_bind_text(st, idx, json_string_value(v), (int)json_string_length(v), SQLITE_TRANSIENT);
    } else if (json_is_integer(v)) {
        sqlite3_bind_int64(st, idx, json_integer_value(v));
    } else if (json_is_real(v)) {
        sqlite3_bind_double(st, idx, json_real_value(v));
    } else if (json_is_boolean(v)) {
        sqlite3_bind_int(st, idx, json_is_true(v));
    } else {
        char *text = json_dumps(v, JSON_COMPACT);
        sqlite3_bind_text(st, idx, text, -1, free);
    }
}

/* Bind doc's fields: by position (OP_INSERT lists them in field order) or by name. */
static void
bind_doc(sqlite3_stmt *st, const struct model *m, const json_t *doc, int positional)
{
    char pname[64];
    for (size_t i = 0; i < m->nfields; i++) {
        int idx = (int)i + 1;
        if (!positional) {
            snprintf(pname, sizeof pname, ":%s", m->fields[i].name);
            idx = sqlite3_bind_parameter_index(st, pname);
        }
        bind_value(st, idx, json_object_get(doc, m->fields[i].name));
    }
}

static int
put_piece(const char *piece, size_t n, void *b)
{
    buf_append(b, piece, n);
    return 0;
}

/*
 * Append v as compact JSON text (jansson's, as json_dumps writes the stored
 * columns), written by jansson straight into b: no text of its own per value.
 * (One dump of a whole object measured slower: jansson's key writing.)
 */
static void
put_json(struct buf *b, const json_t *v)
{
    json_dump_callback(v, put_piece, b, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* Append d as a REAL column reads back (column_json: json_real). */
static void
put_real(struct buf *b, double d)
{
    json_t *r = json_real(d);

    put_json(b, r);
    json_decref(r);
}

/* Append a field's value as bind_value() stores it and column_json() reads it back; -1 if unsure. */
static int
put_read_back(struct buf *b, const struct field *f, const json_t *v)
{
    int ok;

    if (!v || json_is_null(v)) {
        buf_append(b, "null", 4);
        return 0;
    }
    switch (f->type) {
    case FIELD_INT:
        ok = json_is_integer(v);
        break;
    case FIELD_REAL: /* a REAL column: an integer reads back as a real */
        if (!json_is_number(v))
            return -1;
        put_real(b, json_number_value(v));
        return 0;
    case FIELD_BOOL:
        ok = json_is_boolean(v);
        break;
    case FIELD_JSON: /* stored as its JSON text: exact for containers (reals with 17 digits) */
        ok = json_is_object(v) || json_is_array(v);
        break;
    default:
        ok = json_is_string(v);
    }
    if (ok)
        put_json(b, v);
    return ok ? 0 : -1;
}

char *
store_represent(const struct model *m, const json_t *doc, const json_t *before)
{
    struct buf b = { 0 };
    size_t i;

    buf_append(&b, "{", 1);
    for (i = 0; i < m->nfields; i++) {
        const char *name = m->fields[i].name;
        if (i)
            buf_append(&b, ",", 1);
        buf_append(&b, "\"", 1);
        buf_puts(&b, name); /* field names need no escaping */
        buf_append(&b, "\":", 2);
        if (put_read_back(&b, &m->fields[i], json_object_get(doc, name)) != 0)
            goto unsure;
    }
    for (i = 0; i < m->ncomputed; i++) {
        const struct model_computed *c = &m->computed[i];
        const json_t *v = before ? json_object_get(before, c->name) : NULL;
        buf_printf(&b, ",\"%s\":", c->name);
        if (v)
            put_json(&b, v);
        else if (!before && c->fresh)
            buf_puts(&b, c->fresh);
        else
            goto unsure;
    }
    buf_append(&b, "}", 2); /* with the terminating NUL */
    return b.data;
unsure:
    buf_release(&b);
    return NULL;
}

int
store_begin_write(struct db *db, struct problem *p)
{
    store_offers_forget(db, 0);
    if (store_changes_arm(db, p) != 0)
        return -1;
    return db_begin_write(db, p);
}

int
store_begin_read(struct db *db, struct problem *p)
{
    return db_begin_read(db, p);
}

int
store_commit(struct db *db, struct problem *p)
{
    /* The change records join the transaction they describe, so they commit in its order. */
    int recorded = store_search_flush(db, p) != 0 ? -1 : store_changes_flush(db, p);

    if (recorded < 0) {
        db_rollback(db);
        return -1;
    }
    if (db_commit(db, p) != 0)
        return -1;
    if (recorded > 0)
        store_changes_notify();
    return 0;
}

void
store_rollback(struct db *db)
{
    store_offers_forget(db, 0);
    db_rollback(db);
}

int
store_get(struct db *db, const struct model *m, const char *id, json_t **out, struct problem *p)
{
    sqlite3_stmt *st = stmt(db, m, OP_GET, NULL, 0, p);
    int rc;

    *out = NULL;
    if (!st)
        return -1;
    db_bind_text(st, ":id", id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = store_row_json(st, m);
    db_done(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE) {
        problem_set(p, PROBLEM_NOT_FOUND, "no %s with id %s", m->name, id);
        return -1;
    }
    return db_fail(db, rc, "get", NULL, p);
}

int
store_exists(struct db *db, const struct model *m, const char *id, struct problem *p)
{
    sqlite3_stmt *st = stmt(db, m, OP_EXISTS, NULL, 0, p);
    int rc;

    if (!st)
        return -1;
    db_bind_text(st, ":id", id);
    rc = sqlite3_step(st);
    db_done(st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    return db_fail(db, rc, "exists", NULL, p);
}

int
store_insert(struct db *db, const struct model *m, const json_t *doc, struct problem *p)
{
    sqlite3_stmt *st = stmt(db, m, OP_INSERT, NULL, 0, p);
    int rc;

    if (!st)
        return -1;
    bind_doc(st, m, doc, 1);
    rc = sqlite3_step(st);
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "insert", NULL, p);
}

int
store_update(struct db *db, const struct model *m, const json_t *doc, long long expected,
             struct problem *p)
{
    sqlite3_stmt *st = stmt(db, m, OP_UPDATE, NULL, 0, p);
    int rc;

    if (!st)
        return -1;
    bind_doc(st, m, doc, 0);
    db_bind_int(st, ":expected_version", expected);
    rc = sqlite3_step(st);
    db_done(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, rc, "update", NULL, p);
    if (sqlite3_changes(db_handle(db)) != 1) {
        problem_set(p, PROBLEM_CONFLICT, "the %s was changed concurrently; read it again and retry",
                    m->name);
        return -1;
    }
    return 0;
}

int
store_delete(struct db *db, const struct model *m, const char *id, struct problem *p)
{
    sqlite3_stmt *st = stmt(db, m, OP_DELETE, NULL, 0, p);
    int rc;

    if (!st)
        return -1;
    db_bind_text(st, ":id", id);
    rc = sqlite3_step(st);
    db_done(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, rc, "delete", NULL, p);
    if (sqlite3_changes(db_handle(db)) == 0) {
        problem_set(p, PROBLEM_NOT_FOUND, "no %s with id %s", m->name, id);
        return -1;
    }
    return 0;
}

int
store_list(struct db *db, const struct model *m, const struct store_filter *filters,
           const char *const *values, struct store_page *page, struct problem *p)
{
    size_t nfilters = 0;
    unsigned mask = 0;
    sqlite3_stmt *st;
    char pname[64];
    int rc, n = 0;

    while (filters[nfilters].param)
        nfilters++;
    for (size_t i = 0; i < nfilters; i++)
        if (values[i])
            mask |= 1u << i;
    st = stmt(db, m, OP_LIST | (mask << 4), filters, nfilters, p);
    if (!st)
        return -1;
    db_bind_int(st, ":after", page->after);
    db_bind_int(st, ":limit", page->limit + 1);
    for (size_t i = 0; i < nfilters; i++) {
        if (!values[i])
            continue;
        snprintf(pname, sizeof pname, ":%s", filters[i].param);
        db_bind_text(st, pname, values[i]);
    }
    page->items = json_array();
    page->more = 0;
    page->last = page->after;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == page->limit) {
            page->more = 1;
            break;
        }
        json_array_append_new(page->items, store_row_json(st, m));
        page->last = sqlite3_column_int64(st, (int)(m->nfields + m->ncomputed));
        n++;
    }
    db_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        json_decref(page->items);
        page->items = NULL;
        return db_fail(db, rc, "list", NULL, p);
    }
    return 0;
}

int
store_ping(struct db *db)
{
    return db_ping(db);
}
