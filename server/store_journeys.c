/*
 * store_journeys: journeys (the touchpoints sharing a journey_id; no table
 * of their own). Each answer is one query; the scoring rules are
 * journey.c's. The experience metrics over journeys are store_metrics.c's.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "journey.h"
#include "store.h"
#include "store_util.h"

/* Statement keys (db_stmt_variant) and their variants. */
static const char KEY_JOURNEY = 0;
enum { BY_ID, LATEST_OF_CUSTOMER };

/*
 * The newest journeys of a customer (any journey holding one of the
 * customer's touchpoints, newest by its last touchpoint) and, for each,
 * the few columns a summary needs, in order.
 */
static const char SQL_CUSTOMER_JOURNEYS[] =
    "WITH j AS (SELECT journey_id AS jid, max(occurred_at) AS ended FROM touchpoints"
    " WHERE journey_id IN (SELECT journey_id FROM touchpoints"
    "  WHERE customer_id = :customer AND journey_id IS NOT NULL)"
    " GROUP BY journey_id ORDER BY ended DESC, jid DESC LIMIT :limit)"
    " SELECT j.jid, t.id, t.customer_id, t.kind, t.occurred_at, t.satisfaction"
    " FROM j JOIN touchpoints t ON t.journey_id = j.jid"
    " ORDER BY j.ended DESC, j.jid DESC, t.occurred_at, t.seq";

/* ---- one journey with its touchpoint representations ---- */

static void
build_journey(unsigned variant, const void *arg, struct buf *b)
{
    (void)arg;

    buf_puts(b, "SELECT ");
    store_select_list(&model_touchpoint, b);
    buf_puts(b, " FROM touchpoints t WHERE t.journey_id = ");
    if (variant == BY_ID)
        buf_puts(b, ":id");
    else
        buf_puts(b, "(SELECT journey_id FROM touchpoints WHERE customer_id = :customer"
                    " AND journey_id IS NOT NULL ORDER BY occurred_at DESC, seq DESC LIMIT 1)");
    buf_puts(b, " ORDER BY t.occurred_at, t.seq");
}

/* Run variant with key (":id" or ":customer") bound; *out = document, or NULL when no row. */
static int
journey_read(struct db *db, unsigned variant, const char *param, const char *value, json_t **out,
             struct problem *p)
{
    sqlite3_stmt *st = db_stmt_variant(db, &KEY_JOURNEY, variant, build_journey, NULL, p);
    json_t *tps;
    int rc;

    *out = NULL;
    if (!st)
        return -1;
    db_bind_text(st, param, value);
    tps = json_array();
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(tps, store_row_json(st, &model_touchpoint));
    db_done(st);
    if (rc != SQLITE_DONE) {
        json_decref(tps);
        return db_fail(db, rc, "journey", NULL, p);
    }
    if (json_array_size(tps) > 0) {
        const char *id = json_string_value(json_object_get(json_array_get(tps, 0), "journey_id"));
        *out = journey_describe(id, tps);
        json_object_set_new(*out, "touchpoints", tps);
    } else {
        json_decref(tps);
    }
    return 0;
}

int
store_journey_get(struct db *db, const char *id, json_t **out, struct problem *p)
{
    if (journey_read(db, BY_ID, ":id", id, out, p) != 0)
        return -1;
    if (!*out) {
        problem_set(p, PROBLEM_NOT_FOUND,
                    "no journey with id %s (no touchpoint has this journey_id)", id);
        return -1;
    }
    return 0;
}

int
store_journey_latest(struct db *db, const char *customer_id, json_t **out, struct problem *p)
{
    if (journey_read(db, LATEST_OF_CUSTOMER, ":customer", customer_id, out, p) != 0)
        return -1;
    if (!*out)
        *out = json_null();
    return 0;
}

/* ---- a customer's journeys as summaries ---- */

/* The columns of SQL_CUSTOMER_JOURNEYS a summary needs, as a touchpoint-shaped object. */
static json_t *
step_row(sqlite3_stmt *st)
{
    json_t *sat = sqlite3_column_type(st, 5) == SQLITE_NULL
                      ? json_null()
                      : json_real(sqlite3_column_double(st, 5));

    return json_pack("{s:s, s:s, s:s, s:s, s:o}", "id", (const char *)sqlite3_column_text(st, 1),
                     "customer_id", (const char *)sqlite3_column_text(st, 2), "kind",
                     (const char *)sqlite3_column_text(st, 3), "occurred_at",
                     (const char *)sqlite3_column_text(st, 4), "satisfaction", sat);
}

/* The summary of journey id from its steps (stolen); appended to items. */
static void
add_summary(json_t *items, const char *id, json_t *steps)
{
    json_t *doc = journey_describe(id, steps), *kinds = json_array(), *tp;
    size_t i;

    json_array_foreach(steps, i, tp)
        json_array_append(kinds, json_object_get(tp, "kind"));
    json_object_set_new(doc, "touchpoint_count", json_integer((json_int_t)json_array_size(steps)));
    json_object_set_new(doc, "kinds", kinds);
    json_array_append_new(items, doc);
    json_decref(steps);
}

int
store_journeys_of_customer(struct db *db, const char *customer_id, int limit, json_t **out,
                           int *more, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_CUSTOMER_JOURNEYS, p);
    char current[UTIL_UUID_LEN + 1] = "";
    json_t *items, *steps = NULL;
    int rc;

    *out = NULL;
    *more = 0;
    if (!st)
        return -1;
    db_bind_text(st, ":customer", customer_id);
    db_bind_int(st, ":limit", limit + 1); /* one more tells whether older journeys exist */
    items = json_array();
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *jid = (const char *)sqlite3_column_text(st, 0);
        if (strcmp(jid, current) != 0) {
            if (steps)
                add_summary(items, current, steps);
            steps = NULL;
            if (json_array_size(items) == (size_t)limit) {
                *more = 1;
                break;
            }
            snprintf(current, sizeof current, "%s", jid);
            steps = json_array();
        }
        json_array_append_new(steps, step_row(st));
    }
    db_done(st);
    if (steps)
        add_summary(items, current, steps);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        json_decref(items);
        return db_fail(db, rc, "customer journeys", NULL, p);
    }
    *out = items;
    return 0;
}
