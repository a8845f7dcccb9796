/*
 * store_metrics: the experience metrics over touchpoints (GET
 * /v1/metrics/experience): three aggregate queries over touchpoint_stats
 * (live and anonymised rows); the NPS rule is journey.c's.
 */
#include <string.h>

#include "db.h"
#include "journey.h"
#include "store.h"
#include "store_util.h"

/* Statement keys (db_stmt_variant). */
static const char KEY_STATS = 0, KEY_JOURNEYS = 0, KEY_DRAG = 0;

/*
 * Touchpoint filters: from/to select statement variants (so the
 * occurred_at index can serve them); department, kind and channel are
 * bound, NULL meaning "any".
 */
enum { HAS_FROM = 1, HAS_TO = 2 };

static void
where_touchpoints(unsigned variant, struct buf *b)
{
    if (variant & HAS_FROM)
        buf_puts(b, " AND t.occurred_at >= :from");
    if (variant & HAS_TO)
        buf_puts(b, " AND t.occurred_at < :to");
    buf_puts(b, " AND (:department IS NULL OR t.department = :department)"
                " AND (:kind IS NULL OR t.kind = :kind)"
                " AND (:channel IS NULL OR t.channel = :channel)");
}

/* Rows: (group, key, average satisfaction, scored count, nps responses, promoters, detractors). */
static void
build_stats(unsigned variant, const void *arg, struct buf *b)
{
    (void)arg;
    buf_puts(b, "WITH f AS (SELECT t.kind, t.channel, t.department, t.satisfaction, t.nps"
                " FROM touchpoint_stats t WHERE 1");
    where_touchpoints(variant, b);
    buf_puts(b, ") SELECT 'all', NULL, avg(satisfaction), count(satisfaction), count(nps),"
                " coalesce(sum(nps >= 9), 0), coalesce(sum(nps <= 6), 0) FROM f");
    buf_puts(b, " UNION ALL SELECT 'by_kind', kind, avg(satisfaction), count(*), 0, 0, 0 FROM f"
                " WHERE satisfaction IS NOT NULL GROUP BY kind");
    buf_puts(b,
             " UNION ALL SELECT 'by_channel', channel, avg(satisfaction), count(*), 0, 0, 0 FROM f"
             " WHERE satisfaction IS NOT NULL GROUP BY channel");
    buf_puts(b,
             " UNION ALL SELECT 'by_department', department, avg(satisfaction), count(*), 0, 0, 0"
             " FROM f WHERE satisfaction IS NOT NULL AND department IS NOT NULL"
             " GROUP BY department");
}

/*
 * Journeys in scope: those with a touchpoint matching every filter whose
 * last touchpoint lies in [from, to). The score is the product over all
 * their scored touchpoints (exp of the sum of logarithms; a zero makes
 * it zero; none scored: NULL, which avg() skips).
 */
static void
build_journeys(unsigned variant, const void *arg, struct buf *b)
{
    (void)arg;
    buf_puts(b, "SELECT count(*), count(score), avg(score) FROM (SELECT"
                " CASE WHEN count(t.satisfaction) = 0 THEN NULL"
                " WHEN min(t.satisfaction) <= 0 THEN 0.0"
                " ELSE exp(sum(ln(t.satisfaction))) END AS score"
                " FROM touchpoint_stats t WHERE t.journey_id IN (SELECT t.journey_id FROM touchpoint_stats t"
                " WHERE t.journey_id IS NOT NULL");
    where_touchpoints(variant, b);
    buf_puts(b, ") GROUP BY t.journey_id HAVING 1");
    if (variant & HAS_FROM)
        buf_puts(b, " AND max(t.occurred_at) >= :from");
    if (variant & HAS_TO)
        buf_puts(b, " AND max(t.occurred_at) < :to");
    buf_puts(b, ")");
}

/* Kinds by average loss (1 - satisfaction) of their scored touchpoints within journeys. */
static void
build_drag(unsigned variant, const void *arg, struct buf *b)
{
    (void)arg;
    buf_puts(b,
             "SELECT t.kind, avg(1.0 - t.satisfaction), count(*), count(DISTINCT t.journey_id)"
             " FROM touchpoint_stats t WHERE t.journey_id IS NOT NULL AND t.satisfaction IS NOT NULL");
    where_touchpoints(variant, b);
    buf_printf(b,
               " GROUP BY t.kind HAVING avg(1.0 - t.satisfaction) > 0"
               " ORDER BY 2 DESC, 3 DESC, 1 LIMIT %d",
               STORE_DRAG_MAX);
}

static sqlite3_stmt *
metrics_stmt(struct db *db, const char *key, db_build_fn build,
             const struct store_experience_query *q, struct problem *p)
{
    unsigned variant = (q->from ? HAS_FROM : 0) | (q->to ? HAS_TO : 0);
    sqlite3_stmt *st = db_stmt_variant(db, key, variant, build, NULL, p);

    if (!st)
        return NULL;
    if (q->from)
        db_bind_text(st, ":from", q->from);
    if (q->to)
        db_bind_text(st, ":to", q->to);
    /* unbound parameters are NULL: "any" */
    if (q->department)
        db_bind_text(st, ":department", q->department);
    if (q->kind)
        db_bind_text(st, ":kind", q->kind);
    if (q->channel)
        db_bind_text(st, ":channel", q->channel);
    return st;
}

/* nps and satisfaction members of out from the stats query. */
static int
read_stats(struct db *db, const struct store_experience_query *q, json_t *out, struct problem *p)
{
    sqlite3_stmt *st = metrics_stmt(db, &KEY_STATS, build_stats, q, p);
    json_t *sat = json_pack("{s:n, s:i, s:{}, s:{}, s:{}}", "average", "count", 0, "by_kind",
                            "by_channel", "by_department");
    long long responses = 0, promoters = 0, detractors = 0;
    double score;
    int rc;

    if (!st) {
        json_decref(sat);
        return -1;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *group = (const char *)sqlite3_column_text(st, 0);
        json_t *avg = store_col_real(st, 2);
        json_int_t count = sqlite3_column_int64(st, 3);
        if (strcmp(group, "all") == 0) {
            json_object_set_new(sat, "average", avg);
            json_object_set_new(sat, "count", json_integer(count));
            responses = sqlite3_column_int64(st, 4);
            promoters = sqlite3_column_int64(st, 5);
            detractors = sqlite3_column_int64(st, 6);
        } else {
            json_object_set_new(json_object_get(sat, group),
                                (const char *)sqlite3_column_text(st, 1),
                                json_pack("{s:o, s:I}", "average", avg, "count", count));
        }
    }
    db_done(st);
    if (rc != SQLITE_DONE) {
        json_decref(sat);
        return db_fail(db, rc, "experience stats", NULL, p);
    }
    json_object_set_new(
        out, "nps",
        json_pack("{s:o, s:I, s:I, s:I, s:I}", "score",
                  journey_nps(promoters, detractors, responses, &score) ? json_real(score)
                                                                        : json_null(),
                  "responses", (json_int_t)responses, "promoters", (json_int_t)promoters,
                  "passives", (json_int_t)(responses - promoters - detractors), "detractors",
                  (json_int_t)detractors));
    json_object_set_new(out, "satisfaction", sat);
    return 0;
}

static int
read_journeys(struct db *db, const struct store_experience_query *q, json_t *out, struct problem *p)
{
    sqlite3_stmt *st = metrics_stmt(db, &KEY_JOURNEYS, build_journeys, q, p);
    int rc;

    if (!st)
        return -1;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        json_object_set_new(out, "journeys",
                            json_pack("{s:I, s:I, s:o}", "count",
                                      (json_int_t)sqlite3_column_int64(st, 0), "scored",
                                      (json_int_t)sqlite3_column_int64(st, 1), "average_score",
                                      store_col_real(st, 2)));
    db_done(st);
    return rc == SQLITE_ROW ? 0 : db_fail(db, rc, "experience journeys", NULL, p);
}

static int
read_drag(struct db *db, const struct store_experience_query *q, json_t *out, struct problem *p)
{
    sqlite3_stmt *st = metrics_stmt(db, &KEY_DRAG, build_drag, q, p);
    json_t *drag = json_array();
    int rc;

    if (!st) {
        json_decref(drag);
        return -1;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(drag, json_pack("{s:s, s:f, s:I, s:I}", "kind",
                                              (const char *)sqlite3_column_text(st, 0), "drag",
                                              sqlite3_column_double(st, 1), "count",
                                              (json_int_t)sqlite3_column_int64(st, 2), "journeys",
                                              (json_int_t)sqlite3_column_int64(st, 3)));
    db_done(st);
    if (rc != SQLITE_DONE) {
        json_decref(drag);
        return db_fail(db, rc, "experience drag", NULL, p);
    }
    json_object_set_new(out, "drag", drag);
    return 0;
}

int
store_experience_metrics(struct db *db, const struct store_experience_query *q, json_t **out,
                         struct problem *p)
{
    json_t *doc = json_object();

    *out = NULL;
    if (read_stats(db, q, doc, p) != 0 || read_journeys(db, q, doc, p) != 0 ||
        read_drag(db, q, doc, p) != 0) {
        json_decref(doc);
        return -1;
    }
    *out = doc;
    return 0;
}
