/*
 * store_phone_tails: the rows of customer_phone_tails (schema/015), the
 * reversed digits of every stored phone number, written with a customer's
 * other keys and, once, for the numbers stored before migration 015. The
 * search reads them (store_search.c); the foreign key removes them.
 */
#include <string.h>

#include "db.h"
#include "log.h"
#include "phone_tail.h"
#include "store.h"
#include "store_util.h"

static const char SQL_TAILS_CLEAR[] = "DELETE FROM customer_phone_tails WHERE customer_id = :id";
static const char SQL_TAIL_ADD[] =
    "INSERT OR IGNORE INTO customer_phone_tails (tail, customer_id, e164) VALUES (:tail, :id, :e164)";
static const char SQL_PHONE_KEYS[] =
    "SELECT customer_id, key FROM customer_keys WHERE kind = 'phone' ORDER BY customer_id, key";

int
store_phone_tails_add(struct db *db, const char *id, const char *e164, struct problem *p)
{
    char tail[PHONE_TAIL_KEY_MAX];
    sqlite3_stmt *st;
    int rc;

    if (phone_tail_key(e164, tail, sizeof tail) != 0)
        return 0;
    if (!(st = db_stmt(db, SQL_TAIL_ADD, p)))
        return -1;
    db_bind_text(st, ":tail", tail);
    db_bind_text(st, ":id", id);
    db_bind_text(st, ":e164", e164);
    rc = sqlite3_step(st);
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, "phone tail", NULL, p);
}

int
store_phone_tails_clear(struct db *db, const char *id, struct problem *p)
{
    return store_exec_id(db, SQL_TAILS_CLEAR, id, p);
}

int
store_phone_tails_backfill(struct db *db)
{
    struct problem p = { 0 };
    sqlite3_stmt *st = db_stmt(db, SQL_PHONE_KEYS, &p);
    long n = 0;
    int rc = SQLITE_ERROR;

    /* inserting into another table under a running scan of customer_keys is safe */
    while (st && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (store_phone_tails_add(db, (const char *)sqlite3_column_text(st, 0),
                                  (const char *)sqlite3_column_text(st, 1), &p) != 0)
            break;
        n++;
    }
    if (st)
        db_done(st);
    if (rc != SQLITE_DONE) {
        if (st && rc != SQLITE_ROW)
            db_fail(db, rc, "phone keys scan", NULL, &p);
        log_error("phone tails: %s", p.detail[0] ? p.detail : "failed");
        problem_release(&p);
        return -1;
    }
    log_info("phone tails: indexed the last digits of %ld stored phone numbers", n);
    return 0;
}
