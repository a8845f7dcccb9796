/*
 * store_idempotency: three statements on idempotency_keys. Rows are
 * small (one representation each) and live for --idempotency-ttl.
 */
#include "store_idempotency.h"

#include "db.h"
#include "store_util.h"

static const char SQL_EXPIRE[] = "DELETE FROM idempotency_keys WHERE created_at < :cutoff";
static const char SQL_GET[] = "SELECT method, path, body_sha256, status, location, etag, response"
                              " FROM idempotency_keys WHERE key = :key";
static const char SQL_PUT[] =
    "INSERT INTO idempotency_keys"
    " (key, method, path, body_sha256, status, location, etag, response, created_at)"
    " VALUES (:key, :method, :path, :body_sha256, :status, :location, :etag, :response, "
    ":created_at)";

int
store_idempotency_expire(struct db *db, const char *cutoff, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_EXPIRE, p);
    int rc;

    if (!st)
        return -1;
    db_bind_text(st, ":cutoff", cutoff);
    rc = sqlite3_step(st);
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "idempotency expire", NULL, p);
}

int
store_idempotency_get(struct db *db, const char *key, json_t **out, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_GET, p);
    int rc;

    *out = NULL;
    if (!st)
        return -1;
    db_bind_text(st, ":key", key);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = json_object();
        json_object_set_new(*out, "method", store_col_text(st, 0));
        json_object_set_new(*out, "path", store_col_text(st, 1));
        json_object_set_new(*out, "body_sha256", store_col_text(st, 2));
        json_object_set_new(*out, "status", json_integer(sqlite3_column_int(st, 3)));
        json_object_set_new(*out, "location", store_col_text(st, 4));
        json_object_set_new(*out, "etag", store_col_text(st, 5));
        json_object_set_new(*out, "response", store_col_text(st, 6));
    }
    db_done(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, rc, "idempotency get", NULL, p);
}

int
store_idempotency_put(struct db *db, const struct store_idempotency *rec, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PUT, p);
    int rc;

    if (!st)
        return -1;
    db_bind_text(st, ":key", rec->key);
    db_bind_text(st, ":method", rec->method);
    db_bind_text(st, ":path", rec->path);
    db_bind_text(st, ":body_sha256", rec->body_sha256);
    db_bind_int(st, ":status", rec->status);
    db_bind_text(st, ":location", rec->location);
    db_bind_text(st, ":etag", rec->etag);
    db_bind_text(st, ":response", rec->response);
    db_bind_text(st, ":created_at", rec->created_at);
    rc = sqlite3_step(st);
    db_done(st);
    return rc == SQLITE_DONE
               ? 0
               : db_fail(db, rc, "idempotency put", "the Idempotency-Key is in use", p);
}
