/*
 * store_metrics: the experience metrics over touchpoints (GET
 * /v1/metrics/experience): three aggregate queries over the live and
 * anonymised touchpoints, for the totals and, grouped by period, for the
 * periods of a time series (each query runs once either way). The NPS rule
 * is journey.c's; the periods are computed by the caller.
 */
#include <assert.h>
#include <string.h>

#include "db.h"
#include "journey.h"
#include "store.h"
#include "store_util.h"

/*
 * Statement variants: totals with from/to (so the occurred_at index can
 * serve them), or BY_PERIOD. Department, kind and channel are bound, NULL
 * meaning "any".
 */
enum { HAS_FROM = 1, HAS_TO = 2, BY_PERIOD = 4 };

static const char SQL_FILTERS[] = " AND (:department IS NULL OR t.department = :department)"
                                  " AND (:kind IS NULL OR t.kind = :kind)"
                                  " AND (:channel IS NULL OR t.channel = :channel)";

/* A journey's score over its rows t: the product of the scored ones (exp of the sum of logs). */
static const char SQL_JOURNEY_SCORE[] = "CASE WHEN count(t.satisfaction) = 0 THEN NULL"
                                        " WHEN min(t.satisfaction) <= 0 THEN 0.0"
                                        " ELSE exp(sum(ln(t.satisfaction))) END";

static void
where_touchpoints(unsigned variant, struct buf *b)
{
    if (variant & HAS_FROM)
        buf_puts(b, " AND t.occurred_at >= :from");
    if (variant & HAS_TO)
        buf_puts(b, " AND t.occurred_at < :to");
    buf_puts(b, SQL_FILTERS);
}

/* ---- totals ---- */

/* Rows: (group, key, average satisfaction, scored count, nps responses, promoters, detractors). */
static void
build_stats(unsigned variant, struct buf *b)
{
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
 * Every touchpoint, live and anonymised, of the journeys that the subquery
 * ids selects, as t (journey_id, occurred_at, satisfaction): each table
 * through its journey_id index. Not the view touchpoint_stats: SQLite
 * does not push an IN (subquery) into a UNION ALL view, it would read
 * every touchpoint.
 */
static void
journey_steps(struct buf *b, const char *ids)
{
    static const char *const tables[] = { "touchpoints", "touchpoints_anon" };

    buf_puts(b, "(");
    for (size_t k = 0; k < sizeof tables / sizeof tables[0]; k++)
        buf_printf(b,
                   "%sSELECT journey_id, occurred_at, satisfaction FROM %s"
                   " WHERE journey_id IN (%s)",
                   k ? " UNION ALL " : "", tables[k], ids);
    buf_puts(b, ") t");
}

/*
 * Journeys in scope: those with a touchpoint matching every filter whose
 * last touchpoint lies in [from, to), scored over all their touchpoints
 * (none scored: NULL, which avg() skips). Row: (count, scored, average).
 */
static void
build_journeys(unsigned variant, struct buf *b)
{
    buf_puts(b, "WITH ids AS (SELECT t.journey_id FROM touchpoint_stats t"
                " WHERE t.journey_id IS NOT NULL");
    where_touchpoints(variant, b);
    buf_printf(b, ") SELECT count(*), count(score), avg(score) FROM (SELECT %s AS score FROM ",
               SQL_JOURNEY_SCORE);
    journey_steps(b, "SELECT journey_id FROM ids");
    buf_puts(b, " GROUP BY t.journey_id HAVING 1");
    if (variant & HAS_FROM)
        buf_puts(b, " AND max(t.occurred_at) >= :from");
    if (variant & HAS_TO)
        buf_puts(b, " AND max(t.occurred_at) < :to");
    buf_puts(b, ")");
}

/*
 * Kinds by average loss (1 - satisfaction) of their scored touchpoints
 * within journeys. Rows: (kind, drag, count, journeys), worst first.
 */
static void
build_drag(unsigned variant, struct buf *b)
{
    buf_puts(b,
             "SELECT t.kind, avg(1.0 - t.satisfaction), count(*), count(DISTINCT t.journey_id)"
             " FROM touchpoint_stats t WHERE t.journey_id IS NOT NULL AND t.satisfaction IS NOT NULL");
    where_touchpoints(variant, b);
    buf_printf(b,
               " GROUP BY t.kind HAVING avg(1.0 - t.satisfaction) > 0"
               " ORDER BY 2 DESC, 3 DESC, 1 LIMIT %d",
               STORE_DRAG_MAX);
}

/* ---- by period: the same rows, each led by the period's index ---- */

/*
 * periods (i, lo, hi) from the boundaries bound as one JSON array
 * (:bounds), and f: the touchpoints matching the filters and the condition
 * where (may be ""), as the columns cols of periods p and touchpoints t.
 * The periods drive the join (CROSS JOIN keeps them the outer loop), so
 * each period is one range search in the occurred_at index of each table
 * behind touchpoint_stats (schema/010). Not the view itself: in a join
 * SQLite materialises the UNION ALL view whole and compares every row with
 * every period.
 */
static void
with_periods(struct buf *b, const char *cols, const char *where)
{
    static const char *const tables[] = { "touchpoints", "touchpoints_anon" };

    buf_puts(b, "WITH periods(i, lo, hi) AS (SELECT key, value, lead(value) OVER (ORDER BY key)"
                " FROM json_each(:bounds)), f AS (");
    for (size_t k = 0; k < sizeof tables / sizeof tables[0]; k++) {
        buf_printf(b,
                   "%sSELECT %s FROM periods p CROSS JOIN %s t WHERE p.hi IS NOT NULL"
                   " AND t.occurred_at >= p.lo AND t.occurred_at < p.hi%s",
                   k ? " UNION ALL " : "", cols, tables[k], where);
        buf_puts(b, SQL_FILTERS);
    }
    buf_puts(b, ")");
}

static void
build_period_stats(struct buf *b)
{
    with_periods(b, "p.i, t.kind, t.channel, t.department, t.satisfaction, t.nps", "");
    buf_puts(b, " SELECT i, 'all', NULL, avg(satisfaction), count(satisfaction), count(nps),"
                " coalesce(sum(nps >= 9), 0), coalesce(sum(nps <= 6), 0) FROM f GROUP BY i");
    buf_puts(b, " UNION ALL SELECT i, 'by_kind', kind, avg(satisfaction), count(*), 0, 0, 0"
                " FROM f WHERE satisfaction IS NOT NULL GROUP BY i, kind");
    buf_puts(b, " UNION ALL SELECT i, 'by_channel', channel, avg(satisfaction), count(*), 0, 0, 0"
                " FROM f WHERE satisfaction IS NOT NULL GROUP BY i, channel");
    buf_puts(b, " UNION ALL SELECT i, 'by_department', department, avg(satisfaction), count(*),"
                " 0, 0, 0 FROM f WHERE satisfaction IS NOT NULL AND department IS NOT NULL"
                " GROUP BY i, department");
}

/*
 * A journey counts in period i when one of its touchpoints matching the
 * filters lies in i (m) and so does its last touchpoint: the totals'
 * rule with from and to the period's bounds.
 */
static void
build_period_journeys(struct buf *b)
{
    with_periods(b, "p.i, p.lo, p.hi, t.journey_id", " AND t.journey_id IS NOT NULL");
    buf_printf(b,
               ", m AS (SELECT DISTINCT i, lo, hi, journey_id FROM f),"
               " j AS (SELECT t.journey_id AS jid, max(t.occurred_at) AS last, %s AS score FROM ",
               SQL_JOURNEY_SCORE);
    journey_steps(b, "SELECT journey_id FROM m");
    /* m carries its period's bounds: a join with periods here would pair every journey with
     * every period */
    buf_puts(b, " GROUP BY t.journey_id)"
                " SELECT m.i, count(*), count(j.score), avg(j.score) FROM m"
                " JOIN j ON j.jid = m.journey_id WHERE j.last >= m.lo AND j.last < m.hi"
                " GROUP BY m.i");
}

static void
build_period_drag(struct buf *b)
{
    with_periods(b, "p.i, t.kind, t.satisfaction, t.journey_id",
                 " AND t.journey_id IS NOT NULL AND t.satisfaction IS NOT NULL");
    buf_printf(b,
               ", d AS (SELECT i, kind, avg(1.0 - satisfaction) AS drag, count(*) AS n,"
               " count(DISTINCT journey_id) AS journeys FROM f"
               " GROUP BY i, kind HAVING avg(1.0 - satisfaction) > 0)"
               " SELECT i, kind, drag, n, journeys FROM (SELECT i, kind, drag, n, journeys,"
               " row_number() OVER (PARTITION BY i ORDER BY drag DESC, n DESC, kind) AS r FROM d)"
               " WHERE r <= %d ORDER BY i, r",
               STORE_DRAG_MAX);
}

/* ---- the rows into documents ---- */

/* A metrics document with nothing counted: zeros, null averages, {} groups, [] drag. */
static json_t *
metrics_empty(void)
{
    return json_pack("{s:{s:n, s:i, s:i, s:i, s:i}, s:{s:n, s:i, s:{}, s:{}, s:{}},"
                     " s:{s:i, s:i, s:n}, s:[]}",
                     "nps", "score", "responses", 0, "promoters", 0, "passives", 0, "detractors", 0,
                     "satisfaction", "average", "count", 0, "by_kind", "by_channel",
                     "by_department", "journeys", "count", 0, "scored", 0, "average_score", "drag");
}

/* A row of the stats query from column c into doc: nps and satisfaction, or one group. */
static void
apply_stats(sqlite3_stmt *st, int c, json_t *doc)
{
    const char *group = (const char *)sqlite3_column_text(st, c);
    json_t *sat = json_object_get(doc, "satisfaction"), *avg = store_col_real(st, c + 2);
    json_int_t count = sqlite3_column_int64(st, c + 3);
    long long responses, promoters, detractors;
    double score;

    if (strcmp(group, "all") != 0) {
        const char *key = (const char *)sqlite3_column_text(st, c + 1);

        json_object_set_new(json_object_get(sat, group), key,
                            json_pack("{s:o, s:I}", "average", avg, "count", count));
        return;
    }
    json_object_set_new(sat, "average", avg);
    json_object_set_new(sat, "count", json_integer(count));
    responses = sqlite3_column_int64(st, c + 4);
    promoters = sqlite3_column_int64(st, c + 5);
    detractors = sqlite3_column_int64(st, c + 6);
    json_object_set_new(
        doc, "nps",
        json_pack("{s:o, s:I, s:I, s:I, s:I}", "score",
                  journey_nps(promoters, detractors, responses, &score) ? json_real(score)
                                                                        : json_null(),
                  "responses", (json_int_t)responses, "promoters", (json_int_t)promoters,
                  "passives", (json_int_t)(responses - promoters - detractors), "detractors",
                  (json_int_t)detractors));
}

static void
apply_journeys(sqlite3_stmt *st, int c, json_t *doc)
{
    json_object_set_new(doc, "journeys",
                        json_pack("{s:I, s:I, s:o}", "count",
                                  (json_int_t)sqlite3_column_int64(st, c), "scored",
                                  (json_int_t)sqlite3_column_int64(st, c + 1), "average_score",
                                  store_col_real(st, c + 2)));
}

static void
apply_drag(sqlite3_stmt *st, int c, json_t *doc)
{
    json_array_append_new(json_object_get(doc, "drag"),
                          json_pack("{s:s, s:f, s:I, s:I}", "kind",
                                    (const char *)sqlite3_column_text(st, c), "drag",
                                    sqlite3_column_double(st, c + 1), "count",
                                    (json_int_t)sqlite3_column_int64(st, c + 2), "journeys",
                                    (json_int_t)sqlite3_column_int64(st, c + 3)));
}

/* One of the three queries: its statement texts and what a row adds to a document. */
struct metrics_query {
    const char *step; /* for the log when it fails */
    void (*totals)(unsigned variant, struct buf *b);
    void (*by_period)(struct buf *b);
    void (*apply)(sqlite3_stmt *st, int c, json_t *doc);
};

static const struct metrics_query QUERIES[] = {
    { "experience stats", build_stats, build_period_stats, apply_stats },
    { "experience journeys", build_journeys, build_period_journeys, apply_journeys },
    { "experience drag", build_drag, build_period_drag, apply_drag },
};

/* db_build_fn of every metrics statement: arg is its struct metrics_query. */
static void
build(unsigned variant, const void *arg, struct buf *b)
{
    const struct metrics_query *mq = arg;

    if (variant & BY_PERIOD)
        mq->by_period(b);
    else
        mq->totals(variant, b);
}

/* mq's statement for q: the totals over q's from/to, or by period when bounds (JSON) is given. */
static sqlite3_stmt *
metrics_stmt(struct db *db, const struct metrics_query *mq, const struct store_experience_query *q,
             const char *bounds, struct problem *p)
{
    unsigned variant = bounds ? BY_PERIOD : (q->from ? HAS_FROM : 0) | (q->to ? HAS_TO : 0);
    sqlite3_stmt *st = db_stmt_variant(db, mq, variant, build, mq, p);

    if (!st)
        return NULL;
    if (bounds)
        db_bind_text(st, ":bounds", bounds);
    if (!bounds && q->from)
        db_bind_text(st, ":from", q->from);
    if (!bounds && q->to)
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

/*
 * Step st to its end, each row into target: a metrics document, or an
 * array of them indexed by the period in column 0. Resets st.
 */
static int
read_rows(struct db *db, sqlite3_stmt *st, const struct metrics_query *mq, json_t *target,
          struct problem *p)
{
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *doc;

        if (!json_is_array(target)) {
            mq->apply(st, 0, target);
            continue;
        }
        doc = json_array_get(target, (size_t)sqlite3_column_int64(st, 0));
        if (doc)
            mq->apply(st, 1, doc);
    }
    db_done(st);
    return rc == SQLITE_DONE ? 0 : db_fail(db, rc, mq->step, NULL, p);
}

/* Run the three queries into target (see read_rows); bounds as for metrics_stmt. */
static int
read_all(struct db *db, const struct store_experience_query *q, const char *bounds, json_t *target,
         struct problem *p)
{
    for (size_t i = 0; i < sizeof QUERIES / sizeof QUERIES[0]; i++) {
        sqlite3_stmt *st = metrics_stmt(db, &QUERIES[i], q, bounds, p);

        if (!st || read_rows(db, st, &QUERIES[i], target, p) != 0)
            return -1;
    }
    return 0;
}

int
store_experience_metrics(struct db *db, const struct store_experience_query *q, json_t **out,
                         struct problem *p)
{
    json_t *doc = metrics_empty();

    *out = NULL;
    if (read_all(db, q, NULL, doc, p) != 0) {
        json_decref(doc);
        return -1;
    }
    *out = doc;
    return 0;
}

int
store_experience_periods(struct db *db, const struct store_experience_query *q, json_t **out,
                         struct problem *p)
{
    json_t *docs = json_array();
    struct buf bounds = { 0 };
    char t[UTIL_TIME_LEN + 1];
    int rc;

    assert(q->bounds && q->periods > 0);
    *out = NULL;
    for (size_t i = 0; i < q->periods; i++)
        json_array_append_new(docs, metrics_empty());
    /* UTC text, as occurred_at is stored, so that text comparison is time order */
    for (size_t i = 0; i <= q->periods; i++) {
        util_format_time(q->bounds[i], t);
        buf_printf(&bounds, "%s\"%s\"", i ? "," : "[", t);
    }
    buf_puts(&bounds, "]");
    rc = read_all(db, q, bounds.data, docs, p);
    buf_release(&bounds);
    if (rc != 0) {
        json_decref(docs);
        return -1;
    }
    *out = docs;
    return 0;
}
