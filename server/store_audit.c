/*
 * store_audit: the SQL of the audit log (schema/010): batched inserts
 * from the writer thread (audit.c), pruning, and GET /v1/audit's query.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "store.h"
#include "store_util.h"
#include "util.h"

static const char SQL_INSERT[] =
    "INSERT INTO audit (at, key_id, method, route, resource_id, status, request_id)"
    " VALUES (:at, :key, :method, :route, :res, :status, :rid)";
static const char SQL_SUBJECT[] =
    "INSERT OR IGNORE INTO audit_subjects (customer_id, audit_seq) VALUES (:customer, :seq)";
static const char SQL_PRUNE_SUBJECTS[] =
    "DELETE FROM audit_subjects WHERE audit_seq IN (SELECT seq FROM audit WHERE at < :before)";
static const char SQL_PRUNE[] = "DELETE FROM audit WHERE at < :before";
/* Filters bound or NULL ("any"); newest first below :below. */
static const char SQL_LIST[] =
    "SELECT a.seq, a.at, a.key_id, k.name, a.method, a.route, a.resource_id, a.status,"
    " a.request_id, (SELECT json_group_array(customer_id) FROM audit_subjects s"
    " WHERE s.audit_seq = a.seq)"
    " FROM audit a LEFT JOIN api_keys k ON k.id = a.key_id"
    " WHERE a.seq < :below"
    " AND (:customer IS NULL OR a.seq IN"
    " (SELECT audit_seq FROM audit_subjects WHERE customer_id = :customer))"
    " AND (:key IS NULL OR a.key_id = :key OR a.key_id IN (SELECT id FROM api_keys WHERE name = :key))"
    " AND (:from IS NULL OR a.at >= :from) AND (:to IS NULL OR a.at < :to)"
    " ORDER BY a.seq DESC LIMIT :limit";

static int
insert_one(struct db *db, const struct store_audit_record *r, unsigned long long dropped,
           struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_INSERT, p);
    long long seq;
    char now[UTIL_TIME_LEN + 1];
    int rc;

    if (!st)
        return -1;
    if (r) {
        db_bind_text(st, ":at", r->at);
        db_bind_text(st, ":key", r->key_id);
        db_bind_text(st, ":method", r->method);
        db_bind_text(st, ":route", r->route);
        db_bind_text(st, ":res", r->resource_id[0] ? r->resource_id : NULL);
        db_bind_int(st, ":status", r->status);
        db_bind_text(st, ":rid", r->request_id);
    } else {
        util_format_time(util_now(), now);
        db_bind_text(st, ":at", now);
        db_bind_text(st, ":method", "-");
        db_bind_text(st, ":route", "audit.dropped");
        db_bind_int(st, ":status", (long long)dropped);
    }
    rc = sqlite3_step(st);
    db_done(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, rc, "audit insert", NULL, p);
    seq = sqlite3_last_insert_rowid(db_handle(db));
    for (size_t i = 0; r && i < r->nsubjects; i++) {
        if (!(st = db_stmt(db, SQL_SUBJECT, p)))
            return -1;
        db_bind_text(st, ":customer", r->subjects[i]);
        db_bind_int(st, ":seq", seq);
        rc = sqlite3_step(st);
        db_done(st);
        if (rc != SQLITE_DONE)
            return db_fail(db, rc, "audit subject", NULL, p);
    }
    return 0;
}

int
store_audit_write(struct db *db, const struct store_audit_record *batch,
                  unsigned long long dropped)
{
    struct problem p = { 0 };
    int rc = db_begin_write(db, &p);

    for (const struct store_audit_record *r = batch; rc == 0 && r; r = r->next)
        rc = insert_one(db, r, 0, &p);
    if (rc == 0 && dropped)
        rc = insert_one(db, NULL, dropped, &p);
    if (rc == 0)
        rc = db_commit(db, &p);
    if (rc != 0) {
        db_rollback(db);
        if (p.code == PROBLEM_INSUFFICIENT_STORAGE || p.code == PROBLEM_UNAVAILABLE)
            rc = 1;
    }
    problem_release(&p);
    return rc;
}

long long
store_audit_prune(struct db *db, time_t before)
{
    struct problem p = { 0 };
    char t[UTIL_TIME_LEN + 1];
    long long n = -1;
    sqlite3_stmt *st;

    util_format_time(before, t);
    if (db_begin_write(db, &p) != 0)
        goto out;
    for (int i = 0; i < 2; i++) {
        if (!(st = db_stmt(db, i ? SQL_PRUNE : SQL_PRUNE_SUBJECTS, &p)))
            goto out;
        db_bind_text(st, ":before", t);
        if (sqlite3_step(st) != SQLITE_DONE) {
            db_done(st);
            goto out;
        }
        n = sqlite3_changes(db_handle(db));
        db_done(st);
    }
    if (db_commit(db, &p) != 0)
        n = -1;
out:
    db_rollback(db);
    problem_release(&p);
    return n;
}

static json_t *
row_json(sqlite3_stmt *st)
{
    const char *subjects = (const char *)sqlite3_column_text(st, 9);
    json_t *customers = subjects ? json_loads(subjects, 0, NULL) : NULL;

    return json_pack("{s:o, s:o, s:o, s:s, s:s, s:o, s:I, s:o, s:o}", "at", store_col_text(st, 1),
                     "key_id", store_col_text(st, 2), "key_name", store_col_text(st, 3), "method",
                     (const char *)sqlite3_column_text(st, 4), "route",
                     (const char *)sqlite3_column_text(st, 5), "resource_id",
                     store_col_text(st, 6), "status", (json_int_t)sqlite3_column_int64(st, 7),
                     "request_id", store_col_text(st, 8), "customer_ids",
                     customers ? customers : json_array());
}

int
store_audit_list(struct db *db, const struct store_audit_query *q, json_t **items,
                 long long *next, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_LIST, p);
    long long last = 0;
    int rc, n = 0;

    *next = 0;
    if (!st)
        return -1;
    db_bind_int(st, ":below", q->before > 0 ? q->before : (1LL << 62));
    db_bind_text(st, ":customer", q->customer_id);
    db_bind_text(st, ":key", q->key);
    db_bind_text(st, ":from", q->from);
    db_bind_text(st, ":to", q->to);
    db_bind_int(st, ":limit", q->limit + 1);
    *items = json_array();
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n++ == q->limit) {
            *next = last;
            break;
        }
        last = sqlite3_column_int64(st, 0);
        json_array_append_new(*items, row_json(st));
    }
    db_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        json_decref(*items);
        *items = NULL;
        return db_fail(db, rc, "audit list", NULL, p);
    }
    return 0;
}
