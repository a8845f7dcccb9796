/*
 * store_contact: the facts the contact policy judges (customer, recent
 * outbound attempts, poor experiences, open complaints, last inbound
 * contact) in four indexed queries, and the policy check when an
 * outbound touchpoint is created. The rules themselves live in
 * contact_policy.c.
 */
#include <string.h>

#include "contact_policy.h"
#include "db.h"
#include "msg.h"
#include "store_util.h"
#include "rules.h"
#include "store.h"

#define DAY 86400L
#define OUTBOUND_MAX 500 /* rows read at most for the window and the let-go streak */

/* Newest first over touchpoints_customer_direction; the caller stops reading early. */
static const char SQL_OUTBOUND[] =
    "SELECT occurred_at, channel, purpose, outcome FROM touchpoints"
    " WHERE customer_id = :customer AND direction = 'outbound'"
    " ORDER BY occurred_at DESC, seq DESC";

static const char SQL_POOR[] =
    "SELECT id, occurred_at, kind, satisfaction, nps FROM touchpoints"
    " WHERE customer_id = :customer AND occurred_at > :since"
    " AND (satisfaction < :poor OR nps <= 6)"
    " ORDER BY occurred_at DESC, seq DESC LIMIT 20";

/* A complaint is open until its follow_up is marked done (none recorded: open). */
static const char SQL_COUNTS[] =
    "SELECT (SELECT count(*) FROM touchpoints WHERE customer_id = :customer AND kind = 'complaint'"
    "        AND coalesce(json_extract(follow_up, '$.done'), 0) = 0),"
    " (SELECT max(occurred_at) FROM touchpoints"
    "  WHERE customer_id = :customer AND direction = 'inbound')";

/* How far the two let-go streaks have got, to know when older rows cannot matter. */
struct streaks {
    int with_outcome;                      /* attempts with an outcome (let_go) */
    int declined[CONTACT_POLICY_PURPOSES]; /* per purpose, until decided (let_go_declined) */
    int reached[CONTACT_POLICY_PURPOSES];
};

static int
streaks_decided(const struct streaks *s, const struct rules *r)
{
    if (s->with_outcome < r->let_go_unanswered)
        return 0;
    for (int i = 0; i < CONTACT_POLICY_PURPOSES; i++)
        if (!s->reached[i] && s->declined[i] < r->let_go_after_declined)
            return 0;
    return 1;
}

static void
streaks_add(struct streaks *s, const char *purpose, const char *outcome)
{
    int i = contact_policy_purpose_index(purpose);

    if (!outcome)
        return;
    s->with_outcome++;
    if (i >= 0 && strcmp(outcome, "reached") == 0)
        s->reached[i] = 1;
    else if (i >= 0 && strcmp(outcome, "declined") == 0)
        s->declined[i]++;
}

/*
 * Outbound attempts newest first while they are inside the window or a
 * let-go streak is still undecided: fewer than let_go_unanswered attempts
 * with an outcome read, or a purpose without a reached attempt and with
 * fewer than let_go_after_declined declined ones. Attempts older than the
 * last inbound contact (inbound, may be NULL) end both streaks.
 */
static int
outbound(struct db *db, const char *customer, const char *since, const char *inbound,
         const struct rules *r, json_t *out, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_OUTBOUND, p);
    struct streaks k = { 0 };
    int rc;

    if (!st)
        return -1;
    db_bind_text(st, ":customer", customer);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && json_array_size(out) < OUTBOUND_MAX) {
        const char *at = (const char *)sqlite3_column_text(st, 0);
        if (strcmp(at, since) <= 0 &&
            ((inbound && strcmp(at, inbound) < 0) || streaks_decided(&k, r)))
            break;
        streaks_add(&k, (const char *)sqlite3_column_text(st, 2),
                    (const char *)sqlite3_column_text(st, 3));
        json_array_append_new(out, json_pack("{s:o, s:o, s:o, s:o}", "occurred_at",
                                             store_col_text(st, 0), "channel", store_col_text(st, 1),
                                             "purpose", store_col_text(st, 2), "outcome",
                                             store_col_text(st, 3)));
    }
    db_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(db, rc, "contact outbound", NULL, p);
    return 0;
}

static int
poor(struct db *db, const char *customer, const char *since, const struct rules *r, json_t *out,
     struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_POOR, p);
    int rc;

    if (!st)
        return -1;
    db_bind_text(st, ":customer", customer);
    db_bind_text(st, ":since", since);
    sqlite3_bind_double(st, sqlite3_bind_parameter_index(st, ":poor"), r->poor_satisfaction);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(out, json_pack("{s:o, s:o, s:o, s:o, s:o}", "id", store_col_text(st, 0),
                                             "occurred_at", store_col_text(st, 1), "kind",
                                             store_col_text(st, 2), "satisfaction",
                                             store_col_real(st, 3), "nps", store_col_int(st, 4)));
    db_done(st);
    if (rc != SQLITE_DONE)
        return db_fail(db, rc, "contact poor", NULL, p);
    return 0;
}

static int
counts(struct db *db, const char *customer, json_t *facts, struct problem *p)
{
    sqlite3_stmt *st = db_stmt(db, SQL_COUNTS, p);
    int rc;

    if (!st)
        return -1;
    db_bind_text(st, ":customer", customer);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        json_object_set_new(facts, "open_complaints", json_integer(sqlite3_column_int64(st, 0)));
        json_object_set_new(facts, "last_inbound_at", store_col_text(st, 1));
    }
    db_done(st);
    if (rc != SQLITE_ROW)
        return db_fail(db, rc, "contact counts", NULL, p);
    return 0;
}

int
store_contact_facts(struct db *db, const char *customer_id, const struct rules *r, json_t **facts,
                    struct problem *p)
{
    char now[UTIL_TIME_LEN + 1], window[UTIL_TIME_LEN + 1], quiet[UTIL_TIME_LEN + 1];
    time_t t = util_now();
    int poor_days = r->quiet_days > r->poor_experience_days ? r->quiet_days : r->poor_experience_days;
    json_t *customer, *f, *out = json_array(), *bad = json_array();

    *facts = NULL;
    util_format_time(t, now);
    util_format_time(t - (time_t)r->contact_window_days * DAY, window);
    util_format_time(t - (time_t)poor_days * DAY, quiet);
    if (store_get(db, &model_customer, customer_id, &customer, p) != 0) {
        json_decref(out);
        json_decref(bad);
        return -1;
    }
    f = json_pack("{s:s, s:o, s:o, s:o}", "now", now, "customer", customer, "outbound", out, "poor",
                  bad);
    if (counts(db, customer_id, f, p) != 0 ||
        outbound(db, customer_id, window,
                 json_string_value(json_object_get(f, "last_inbound_at")), r, out, p) != 0 ||
        poor(db, customer_id, quiet, r, bad, p) != 0) {
        json_decref(f);
        return -1;
    }
    *facts = f;
    return 0;
}

/* The consent channel of a touchpoint channel; NULL when it has none (in person, app, web). */
static const char *
consent_channel(const char *channel)
{
    static const char *const map[][2] = { { "phone", "phone" }, { "email", "email" },
                                          { "letter", "post" } };

    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i][0], channel) == 0)
            return map[i][1];
    return NULL;
}

int
store_touchpoint_before_write_policy(struct db *db, const json_t *doc, struct problem *p)
{
    const char *customer = json_string_value(json_object_get(doc, "customer_id"));
    const char *direction = json_string_value(json_object_get(doc, "direction"));
    const char *purpose = json_string_value(json_object_get(doc, "purpose"));
    const char *channel;
    const struct rules *r = rules_current();
    json_t *facts, *eval, *reason;
    char codes[256] = "", detail[PROBLEM_DETAIL_MAX];
    size_t i;

    if (store_touchpoint_before_write(db, doc, p) != 0)
        return -1;
    /* Only the creation of an outbound contact is checked (version 1); edits correct history. */
    if (json_integer_value(json_object_get(doc, "version")) != 1 || !direction ||
        strcmp(direction, "outbound") != 0 || json_object_get(doc, "override_reason") || !purpose)
        return 0;
    channel = consent_channel(json_string_value(json_object_get(doc, "channel")));
    if (store_contact_facts(db, customer, r, &facts, p) != 0)
        return -1;
    eval = contact_policy_evaluate(facts, channel, purpose, r, p->lang);
    json_decref(facts);
    if (json_is_true(json_object_get(eval, "allowed"))) {
        json_decref(eval);
        return 0;
    }
    json_array_foreach(json_object_get(eval, "reasons"), i, reason)
    {
        if (i)
            strncat(codes, ", ", sizeof codes - strlen(codes) - 1);
        strncat(codes, json_string_value(json_object_get(reason, "code")),
                sizeof codes - strlen(codes) - 1);
    }
    msg_format(p->lang, MSG_CP_REFUSED, detail, sizeof detail,
               msg_label(p->lang, MSG_PURPOSES, purpose),
               msg_label(p->lang, MSG_CHANNELS, json_string_value(json_object_get(doc, "channel"))),
               codes);
    problem_set_localized(p, PROBLEM_CONFLICT, detail); /* the staff's language (Accept-Language) */
    problem_set_extra(p, "contact_policy", eval);
    return -1;
}
