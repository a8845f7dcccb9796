/*
 * store_webhooks: SQL of webhook subscriptions and the delivery log. The
 * secret column is read by one statement only (SQL_DUE, for the worker);
 * representations are built from SQL_COLUMNS, which leaves it out.
 */
#include "store_webhooks.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "db.h"
#include "store.h"
#include "store_util.h"

#define SQL_COLUMNS                                                                                \
    "id, created_at, updated_at, version, url, events, description, status, cursor, failures,"    \
    " next_attempt_ms"

static const char SQL_COUNT[] = "SELECT count(*) FROM webhooks";
static const char SQL_INSERT[] =
    "INSERT INTO webhooks (id, url, events, description, status, secret, cursor, created_at,"
    " updated_at, version) VALUES (:id, :url, :events, :description, :status, :secret, :cursor,"
    " :created_at, :updated_at, :version)";
static const char SQL_GET[] = "SELECT " SQL_COLUMNS " FROM webhooks WHERE id = :id";
static const char SQL_UPDATE[] =
    "UPDATE webhooks SET url = :url, events = :events, description = :description,"
    " status = :status, updated_at = :updated_at, version = :version,"
    " failures = CASE WHEN :retry_now THEN 0 ELSE failures END,"
    " next_attempt_ms = CASE WHEN :retry_now THEN NULL ELSE next_attempt_ms END"
    " WHERE id = :id AND version = :expected";
static const char SQL_DELETE[] = "DELETE FROM webhooks WHERE id = :id";
static const char SQL_LIST[] =
    "SELECT " SQL_COLUMNS ", seq FROM webhooks WHERE seq > :after ORDER BY seq LIMIT :limit";
static const char SQL_EXISTS[] = "SELECT 1 FROM webhooks WHERE id = :id";
static const char SQL_DELIVERIES[] =
    "SELECT n, change_seq, event, attempt, at, duration_ms, status_code, error, delivered"
    " FROM webhook_deliveries WHERE webhook_id = :id AND n < :before ORDER BY n DESC LIMIT :limit";
static const char SQL_DUE[] =
    "SELECT id, url, secret, events, cursor, failures FROM webhooks WHERE status = 'active'"
    " AND (next_attempt_ms IS NULL OR next_attempt_ms <= :now) ORDER BY seq";
static const char SQL_NEXT_DUE[] =
    "SELECT coalesce(min(next_attempt_ms), 0) FROM webhooks WHERE status = 'active'"
    " AND next_attempt_ms > :now";
static const char SQL_SKIP[] =
    "UPDATE webhooks SET cursor = :to WHERE id = :id AND cursor = :from";
static const char SQL_DELIVERED[] =
    "UPDATE webhooks SET cursor = max(cursor, :seq), failures = 0, next_attempt_ms = NULL"
    " WHERE id = :id";
/* A failure at a URL the subscription no longer has does not delay the new one. */
static const char SQL_FAILED[] =
    "UPDATE webhooks SET failures = failures + 1, next_attempt_ms = :retry"
    " WHERE id = :id AND url = :url";
static const char SQL_LOG[] =
    "INSERT INTO webhook_deliveries (webhook_id, change_seq, event, attempt, at, duration_ms,"
    " status_code, error, delivered) SELECT :id, :seq, :event, :attempt, :at, :duration,"
    " :status, :error, :delivered WHERE EXISTS (SELECT 1 FROM webhooks WHERE id = :id)";
static const char SQL_PRUNE[] =
    "DELETE FROM webhook_deliveries WHERE webhook_id = :id AND n <= (SELECT n FROM"
    " webhook_deliveries WHERE webhook_id = :id ORDER BY n DESC LIMIT 1 OFFSET :keep)";

/* Run st (bindings done) to completion and reset it. */
static int
finish(struct db *db, sqlite3_stmt *st, const char *step, struct problem *p)
{
    int rc = sqlite3_step(st);

    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, step, NULL, p);
}

/* One integer from a statement taking no parameters but :now (when now >= 0). */
static int
scalar(struct db *db, const char *sql, long long now, long long *out, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, sql, p);
    int rc;

    if (!st)
        return -1;
    if (now >= 0)
        db_bind_int(st, ":now", now);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    db_done(st);
    return rc == SQLITE_ROW ? 0 : db_fail(db, rc, "webhooks scalar", NULL, p);
}

int
store_webhooks_count(struct db *db, long long *n, struct problem *p)
{
    return scalar(db, SQL_COUNT, -1, n, p);
}


static json_t *
col_json(sqlite3_stmt *st, int col)
{
    json_t *v = json_loadb((const char *)sqlite3_column_text(st, col),
                           (size_t)sqlite3_column_bytes(st, col), 0, NULL);
    return v ? v : json_array();
}

/*
 * Step st (its other parameters bound) into page: up to page->limit items
 * made by row, page->more when there is another, page->last = column
 * key_col of the last item.
 */
static int
read_page(struct db *db, sqlite3_stmt *st, struct store_webhook_page *page,
          json_t *(*row)(sqlite3_stmt *), int key_col, const char *what, struct problem *p)
{
    int rc, n = 0;

    db_bind_int(st, ":limit", page->limit + 1);
    page->items = json_array();
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n++ == page->limit) {
            page->more = 1;
            break;
        }
        json_array_append_new(page->items, row(st));
        page->last = sqlite3_column_int64(st, key_col);
    }
    db_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        json_decref(page->items);
        page->items = NULL;
        return db_fail(db, rc, what, NULL, p);
    }
    return 0;
}

/* The representation from a row of SQL_COLUMNS. */
static json_t *
row_json(sqlite3_stmt *st)
{
    char cursor[CURSOR_LEN + 1], at[UTIL_TIME_LEN + 1];
    json_t *next = json_null();

    cursor_encode(CURSOR_TAG_CHANGES, sqlite3_column_int64(st, 8), cursor);
    if (sqlite3_column_type(st, 10) != SQLITE_NULL) {
        /* rounded down: no attempt happens before the second shown */
        util_format_time((time_t)(sqlite3_column_int64(st, 10) / 1000), at);
        next = json_string(at);
    }
    return json_pack("{s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:o, s:s, s:I, s:o}", "id",
                     store_col_text(st, 0), "created_at", store_col_text(st, 1), "updated_at",
                     store_col_text(st, 2), "version", (json_int_t)sqlite3_column_int64(st, 3),
                     "url", store_col_text(st, 4), "events", col_json(st, 5), "description",
                     store_col_text(st, 6), "status", store_col_text(st, 7), "cursor", cursor,
                     "failures", (json_int_t)sqlite3_column_int64(st, 9), "next_attempt_at",
                     next);
}

static void
bind_doc(sqlite3_stmt *st, const json_t *doc)
{
    char *events = json_dumps(json_object_get(doc, "events"), JSON_COMPACT);

    db_bind_text(st, ":id", json_string_value(json_object_get(doc, "id")));
    db_bind_text(st, ":url", json_string_value(json_object_get(doc, "url")));
    db_bind_text(st, ":events", events);
    db_bind_text(st, ":description", json_string_value(json_object_get(doc, "description")));
    db_bind_text(st, ":status", json_string_value(json_object_get(doc, "status")));
    db_bind_text(st, ":updated_at", json_string_value(json_object_get(doc, "updated_at")));
    db_bind_int(st, ":version", json_integer_value(json_object_get(doc, "version")));
    free(events);
}

int
store_webhook_insert(struct db *db, const json_t *doc, const char *secret, long long cursor,
                     struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_INSERT, p);

    if (!st)
        return -1;
    bind_doc(st, doc);
    db_bind_text(st, ":created_at", json_string_value(json_object_get(doc, "created_at")));
    db_bind_text(st, ":secret", secret);
    db_bind_int(st, ":cursor", cursor);
    return finish(db, st, "webhook insert", p);
}

int
store_webhook_get(struct db *db, const char *id, json_t **out, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_GET, p);
    int rc;

    *out = NULL;
    if (!st)
        return -1;
    db_bind_text(st, ":id", id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = row_json(st);
    db_done(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE) {
        problem_set(p, PROBLEM_NOT_FOUND, "no webhook with id %s", id);
        return -1;
    }
    return db_fail(db, rc, "webhook get", NULL, p);
}

int
store_webhook_update(struct db *db, const json_t *doc, long long expected, int retry_now,
                     struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_UPDATE, p);

    if (!st)
        return -1;
    bind_doc(st, doc);
    db_bind_int(st, ":expected", expected);
    db_bind_int(st, ":retry_now", retry_now);
    if (finish(db, st, "webhook update", p) != 0)
        return -1;
    if (sqlite3_changes(db_handle(db)) != 1) {
        problem_set(p, PROBLEM_CONFLICT,
                    "the webhook was changed concurrently; read it again and retry");
        return -1;
    }
    return 0;
}

int
store_webhook_delete(struct db *db, const char *id, struct problem *p)
{
    if (store_exec_id(db, SQL_DELETE, id, p) != 0)
        return -1;
    if (sqlite3_changes(db_handle(db)) == 0) {
        problem_set(p, PROBLEM_NOT_FOUND, "no webhook with id %s", id);
        return -1;
    }
    return 0;
}

int
store_webhooks_list(struct db *db, struct store_webhook_page *page, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_LIST, p);

    page->items = NULL;
    page->more = 0;
    page->last = page->from;
    if (!st)
        return -1;
    db_bind_int(st, ":after", page->from);
    return read_page(db, st, page, row_json, 11, "webhooks list", p);
}

static json_t *
delivery_json(sqlite3_stmt *st)
{
    char event_id[CURSOR_LEN + 1];

    cursor_encode(CURSOR_TAG_CHANGES, sqlite3_column_int64(st, 1), event_id);
    return json_pack("{s:I, s:s, s:o, s:I, s:o, s:I, s:o, s:o, s:s}", "id",
                     (json_int_t)sqlite3_column_int64(st, 0), "event_id", event_id, "event",
                     store_col_text(st, 2), "attempt", (json_int_t)sqlite3_column_int64(st, 3),
                     "at", store_col_text(st, 4), "duration_ms",
                     (json_int_t)sqlite3_column_int64(st, 5), "status_code", store_col_int(st, 6),
                     "error", store_col_text(st, 7), "outcome",
                     sqlite3_column_int(st, 8) ? "delivered" : "failed");
}

int
store_webhook_deliveries(struct db *db, const char *id, struct store_webhook_page *page,
                         struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_EXISTS, p);
    int rc;

    page->items = NULL;
    page->more = 0;
    page->last = page->from;
    if (!st)
        return -1;
    db_bind_text(st, ":id", id);
    rc = sqlite3_step(st);
    db_done(st);
    if (rc == SQLITE_DONE) {
        problem_set(p, PROBLEM_NOT_FOUND, "no webhook with id %s", id);
        return -1;
    }
    if (rc != SQLITE_ROW)
        return db_fail(db, rc, "webhook exists", NULL, p);
    if (!(st = db_stmt(db, SQL_DELIVERIES, p)))
        return -1;
    db_bind_text(st, ":id", id);
    db_bind_int(st, ":before", page->from > 0 ? page->from : INT64_MAX);
    return read_page(db, st, page, delivery_json, 0, "webhook deliveries", p);
}

int
store_webhooks_due(struct db *db, long long now_ms, json_t **out, long long *next_ms,
                   struct problem *p)
{
    sqlite3_stmt *st;
    int rc;

    *out = NULL;
    if (scalar(db, SQL_NEXT_DUE, now_ms, next_ms, p) != 0 || !(st = db_stmt(db, SQL_DUE, p)))
        return -1;
    db_bind_int(st, ":now", now_ms);
    *out = json_array();
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(*out,
                              json_pack("{s:o, s:o, s:o, s:o, s:I, s:I}", "id",
                                        store_col_text(st, 0), "url", store_col_text(st, 1),
                                        "secret", store_col_text(st, 2), "events", col_json(st, 3),
                                        "cursor", (json_int_t)sqlite3_column_int64(st, 4),
                                        "failures", (json_int_t)sqlite3_column_int64(st, 5)));
    db_done(st);
    if (rc != SQLITE_DONE) {
        json_decref(*out);
        *out = NULL;
        return db_fail(db, rc, "webhooks due", NULL, p);
    }
    return 0;
}

int
store_webhook_skip(struct db *db, const char *id, long long from, long long to, struct problem *p)
{
    sqlite3_stmt *st;

    if (store_begin_write(db, p) != 0)
        return -1;
    if (!(st = db_stmt(db, SQL_SKIP, p))) {
        store_rollback(db);
        return -1;
    }
    db_bind_text(st, ":id", id);
    db_bind_int(st, ":from", from);
    db_bind_int(st, ":to", to);
    if (finish(db, st, "webhook skip", p) != 0) {
        store_rollback(db);
        return -1;
    }
    return store_commit(db, p);
}

/* Inside the transaction: the state update and the log row. */
static int
record(struct db *db, const struct store_webhook_attempt *a, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, a->error ? SQL_FAILED : SQL_DELIVERED, p);

    if (!st)
        return -1;
    db_bind_text(st, ":id", a->webhook_id);
    if (a->error) {
        db_bind_int(st, ":retry", a->retry_at_ms);
        db_bind_text(st, ":url", a->url);
    } else {
        db_bind_int(st, ":seq", a->change_seq);
    }
    /* no row changed: deleted (the log insert finds nothing) or its URL changed meanwhile */
    if (finish(db, st, "webhook state", p) != 0 || !(st = db_stmt(db, SQL_LOG, p)))
        return -1;
    db_bind_text(st, ":id", a->webhook_id);
    db_bind_int(st, ":seq", a->change_seq);
    db_bind_text(st, ":event", a->event);
    db_bind_int(st, ":attempt", a->attempt);
    db_bind_text(st, ":at", a->at);
    db_bind_int(st, ":duration", a->duration_ms);
    if (a->status_code > 0)
        db_bind_int(st, ":status", a->status_code);
    else
        db_bind_null(st, ":status");
    db_bind_text(st, ":error", a->error);
    db_bind_int(st, ":delivered", a->error == NULL);
    if (finish(db, st, "webhook log", p) != 0 || !(st = db_stmt(db, SQL_PRUNE, p)))
        return -1;
    db_bind_text(st, ":id", a->webhook_id);
    db_bind_int(st, ":keep", STORE_WEBHOOK_LOG_KEEP);
    return finish(db, st, "webhook log prune", p);
}

int
store_webhook_record(struct db *db, const struct store_webhook_attempt *a, struct problem *p)
{
    if (store_begin_write(db, p) != 0)
        return -1;
    if (record(db, a, p) != 0) {
        store_rollback(db);
        return -1;
    }
    return store_commit(db, p);
}
