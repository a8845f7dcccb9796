/*
 * store_util: statement helpers and filter normalisers used by several
 * resource stores.
 */
#include "store_util.h"

#include <stdio.h>
#include <string.h>

#include "datetime.h"
#include "db.h"
#include "model.h"

static const char SQL_REFS_CLEAR[] = "DELETE FROM external_refs WHERE resource = :resource AND res_id = :id";
static const char SQL_REF_OWNER[] =
    "SELECT res_id FROM external_refs WHERE resource = :resource AND ref_key = :key";
static const char SQL_REF_ADD[] =
    "INSERT INTO external_refs (resource, ref_key, res_id) VALUES (:resource, :key, :id)";

json_t *
store_col_text(sqlite3_stmt *st, int col)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return json_null();
    return json_stringn((const char *)sqlite3_column_text(st, col), (size_t)sqlite3_column_bytes(st, col));
}

json_t *
store_col_real(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? json_null() : json_real(sqlite3_column_double(st, col));
}

json_t *
store_col_int(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? json_null()
                                                       : json_integer(sqlite3_column_int64(st, col));
}

int
store_exec_id(struct db *db, const char *sql, const char *id, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, sql, p);
    int rc;

    if (!st)
        return -1;
    db_bind_text(st, ":id", id);
    rc = sqlite3_step(st);
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "exec", NULL, p);
}

/* The id holding key for resource other than id, written to other (37 bytes); 0 if none. */
static int
ref_holder(struct db *db, const char *resource, const char *key, const char *id, char *other,
           struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_REF_OWNER, p);
    int rc, found = 0;

    if (!st)
        return -1;
    db_bind_text(st, ":resource", resource);
    db_bind_text(st, ":key", key);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        snprintf(other, UTIL_UUID_LEN + 1, "%s", (const char *)sqlite3_column_text(st, 0));
        found = strcmp(other, id) != 0;
    }
    db_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(db, rc, "ref holder", NULL, p);
    return found;
}

/* 409 when one of refs belongs to a record other than id; 0 when none does. */
static int
refs_free(struct db *db, const char *resource, const char *id, const json_t *refs,
          struct problem *p)
{
    char key[256], other[UTIL_UUID_LEN + 1];
    json_t *ref;
    size_t i;
    int rc;

    json_array_foreach(refs, i, ref)
    {
        model_external_ref_key(ref, key, sizeof key);
        rc = ref_holder(db, resource, key, id, other, p);
        if (rc < 0)
            return -1;
        if (rc) {
            problem_set(p, PROBLEM_CONFLICT, "external reference %.200s already belongs to %s %s",
                        key, resource, other);
            return -1;
        }
    }
    return 0;
}

/* Insert refs for id; a failure says what refs_free() would have said, or "already in use". */
static int
refs_add(struct db *db, const char *resource, const char *id, const json_t *refs, int checked,
         struct problem *p)
{
    char key[256];
    sqlite3_stmt *st;
    json_t *ref;
    size_t i;
    int rc;

    json_array_foreach(refs, i, ref)
    {
        model_external_ref_key(ref, key, sizeof key);
        st = db_stmt(db, SQL_REF_ADD, p);
        if (!st)
            return -1;
        db_bind_text(st, ":resource", resource);
        db_bind_text(st, ":key", key);
        db_bind_text(st, ":id", id);
        rc = sqlite3_step(st);
        db_done(st);
        if (rc == SQLITE_CONSTRAINT_PRIMARYKEY && !checked && refs_free(db, resource, id, refs, p) != 0)
            return -1;
        if (rc != SQLITE_DONE)
            return db_fail(db, rc, "ref add", "external reference already in use", p);
    }
    return 0;
}

int
store_refs_replace(struct db *db, const char *resource, const json_t *doc, struct problem *p)
{
    const char *id = json_string_value(json_object_get(doc, "id"));
    const json_t *refs = json_object_get(doc, "external_refs");
    sqlite3_stmt *st;
    int rc;

    if (json_integer_value(json_object_get(doc, "version")) == 1)
        return refs_add(db, resource, id, refs, 0, p);
    if (refs_free(db, resource, id, refs, p) != 0)
        return -1;
    st = db_stmt(db, SQL_REFS_CLEAR, p);
    if (!st)
        return -1;
    db_bind_text(st, ":resource", resource);
    db_bind_text(st, ":id", id);
    rc = sqlite3_step(st);
    db_done(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, rc, "refs clear", NULL, p);
    return refs_add(db, resource, id, refs, 1, p);
}

int
store_norm_text(const char *in, char *out, size_t outsz)
{
    if (!*in || strlen(in) >= outsz || strlen(in) > 1024)
        return -1;
    snprintf(out, outsz, "%s", in);
    return 0;
}

int
store_norm_external_ref(const char *in, char *out, size_t outsz)
{
    const char *colon = strchr(in, ':');
    if (!colon || colon == in || !colon[1] || strlen(in) >= outsz)
        return -1;
    snprintf(out, outsz, "%s", in);
    return 0;
}

int
store_norm_id(const char *in, char *out, size_t outsz)
{
    if (!util_is_uuid(in) || outsz <= UTIL_UUID_LEN)
        return -1;
    for (size_t i = 0; i <= UTIL_UUID_LEN; i++)
        out[i] = (char)(in[i] >= 'A' && in[i] <= 'F' ? in[i] + 32 : in[i]);
    return 0;
}

int
store_norm_time(const char *in, char *out, size_t outsz)
{
    time_t t;
    if (datetime_parse_rfc3339(in, &t) != 0 || outsz <= UTIL_TIME_LEN)
        return -1;
    util_format_time(t, out);
    return 0;
}
