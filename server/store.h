/*
 * store: the storage layer. Handlers call these functions and never see
 * SQL; a second backend (PostgreSQL) would implement the same header.
 * Representations travel as jansson objects shaped by model.h. Every
 * function returns 0, or -1 with p filled (404, 409, 422, 500, 503).
 * Writes must run inside store_begin_write() ... store_commit(), which
 * also records them in the change feed (store_changes.c).
 */
#ifndef CRMD_STORE_H
#define CRMD_STORE_H

#include <jansson.h>
#include <time.h>

#include "model.h"
#include "problem.h"

struct db;
struct rules;

int store_begin_write(struct db *db, struct problem *p);
int store_begin_read(struct db *db, struct problem *p);
int store_commit(struct db *db, struct problem *p);
void store_rollback(struct db *db);

/* ---- generic rows of a model ---- */

/* Read one representation; 404 (naming the model) when absent. */
int store_get(struct db *db, const struct model *m, const char *id, json_t **out, struct problem *p);

/* 1 if a row with this id exists, 0 if not, -1 on error. */
int store_exists(struct db *db, const struct model *m, const char *id, struct problem *p);

/* Insert a complete, validated doc (id, timestamps and version set). */
int store_insert(struct db *db, const struct model *m, const json_t *doc, struct problem *p);

/* Replace the row doc["id"] if its version is still expected (else 409). */
int store_update(struct db *db, const struct model *m, const json_t *doc, long long expected,
                 struct problem *p);

/* Delete the row; 404 when absent. */
int store_delete(struct db *db, const struct model *m, const char *id, struct problem *p);

/*
 * A list filter: query parameter name, SQL condition using ":<param>",
 * a normaliser of the client's value (0, or -1 when unusable) and what a
 * usable value looks like, for the 400's detail ("must be ...").
 */
struct store_filter {
    const char *param;
    const char *sql;
    int (*normalize)(const char *in, char *out, size_t outsz);
    const char *hint;
};

struct store_page {
    long long after; /* seq of the last row already seen (0 = start) */
    int limit;
    json_t *items;   /* out: new array */
    long long last;  /* out: seq of the last row returned */
    int more;        /* out: 1 if rows follow */
};

/*
 * List rows of m in creation order after page->after, applying
 * filters[i] (ended by { NULL }) where values[i] is not NULL (values
 * already normalised).
 */
int store_list(struct db *db, const struct model *m, const struct store_filter *filters,
               const char *const *values, struct store_page *page, struct problem *p);

/* ---- resource-specific rules, run inside the write transaction ---- */

/* Filters per resource, ended by { NULL } (the handler maps query parameters onto them). */
extern const struct store_filter store_customer_filters[];
extern const struct store_filter store_vehicle_filters[];
extern const struct store_filter store_touchpoint_filters[];
extern const struct store_filter store_household_filters[];

/* Keep lookup keys (e-mail, phone) and external references of a customer. */
int store_customer_after_write(struct db *db, const json_t *doc, struct problem *p);
/* Refuse (409) or cascade the deletion of a customer. */
int store_customer_before_delete(struct db *db, const char *id, int cascade, struct problem *p);

/* Owner/driver must exist (driver a person), VIN and external refs free. */
int store_vehicle_before_write(struct db *db, const json_t *doc, struct problem *p);
int store_vehicle_after_write(struct db *db, const json_t *doc, struct problem *p);
int store_vehicle_before_delete(struct db *db, const char *id, int cascade, struct problem *p);

/* Customer and vehicle must exist (any vehicle: customers bring cars that are not theirs). */
int store_touchpoint_before_write(struct db *db, const json_t *doc, struct problem *p);
/*
 * The same, and on create (version 1) of an outbound touchpoint without
 * override_reason the contact policy for its purpose and channel (phone →
 * phone, email → email, letter → post; in_person, app, web: no consent
 * channel) as of now: 409 conflict with the evaluation as extension
 * member "contact_policy" when it is not allowed (store_contact.c).
 */
int store_touchpoint_before_write_policy(struct db *db, const json_t *doc, struct problem *p);

/* Keep the external references of a household / touchpoint (unique per resource, else 409). */
int store_household_after_write(struct db *db, const json_t *doc, struct problem *p);
int store_touchpoint_after_write(struct db *db, const json_t *doc, struct problem *p);

/* ---- contact policy (store_contact.c) ---- */

/*
 * The facts contact_policy_evaluate() judges for customer_id, as of
 * util_now(), in four indexed queries: {now, customer (representation),
 * outbound [{occurred_at, channel, purpose, outcome}, newest first: those
 * of the last contact_window_days and at least the last let_go_unanswered
 * with an outcome], poor [{id, occurred_at, kind, satisfaction, nps} rated
 * below poor_satisfaction or nps <= 6 within the longer of quiet_days and
 * poor_experience_days, newest first, at most 20], open_complaints,
 * last_inbound_at (or null)}. 404 when there is no such customer.
 */
int store_contact_facts(struct db *db, const char *customer_id, const struct rules *r,
                        json_t **facts, struct problem *p);

/* ---- household members ---- */

/*
 * Put person customer_id into household with role. A person already in
 * another household → 409 unless move is set. Bumps the household version.
 * *created is 1 when the person was not a member of this household before.
 */
int store_household_member_put(struct db *db, const char *household, const char *customer,
                               const char *role, int move, int *created, struct problem *p);
int store_household_member_delete(struct db *db, const char *household, const char *customer,
                                  struct problem *p);

/* ---- people at companies ---- */

/* Replace the roles of person at company (roles: array of role strings). */
int store_company_person_put(struct db *db, const char *company, const char *person,
                             const json_t *roles, int *created, struct problem *p);
int store_company_person_delete(struct db *db, const char *company, const char *person,
                                struct problem *p);
/* [{person_id, roles, since}] of a company, or [{company_id, roles, since}] of a person. */
int store_company_people(struct db *db, const char *customer, int of_company, json_t **out,
                         struct problem *p);

/* ---- plates at the desk (store_plates.c) ---- */

struct plate_keys;

/* A car found by a plate. Strings valid during the callback only. */
struct store_plate_row {
    const char *customer;   /* the person at the desk: the car's main driver, else its owner */
    const char *vehicle;    /* the car's id */
    const char *plate;      /* the plate that matched, as written (a past plate: as it was) */
    const char *normalized; /* its lookup key */
    const char *current;    /* the car's plate now, or NULL */
    const char *until;      /* a past plate: when the car stopped carrying it; else NULL */
    int active;             /* the car is active (not sold or scrapped) */
};

enum store_plates_by {
    STORE_PLATES_NOW,    /* cars whose plate has one of the keys, active ones first */
    STORE_PLATES_PAST,   /* cars that had one of the keys, active ones and the latest first */
    STORE_PLATES_PREFIX, /* active cars whose plate begins with one of the keys */
};

/*
 * Call each(row, arg) for at most limit cars found by keys (struct
 * plate_keys of normalize.h; n 0 finds nothing). One indexed query.
 */
int store_plates_find(struct db *db, enum store_plates_by by, const struct plate_keys *keys, long limit,
                      void (*each)(const struct store_plate_row *row, void *arg), void *arg,
                      struct problem *p);

/*
 * Rewrite vehicle doc's rows of vehicle_plates_past from its
 * plate_history; inside the write transaction (the vehicle's after_write).
 */
int store_plates_sync(struct db *db, const json_t *doc, struct problem *p);

/* ---- the greeting card ---- */

/*
 * What was typed at the desk → [{customer_id, vehicle_id|null}]: by is
 * vin (17 characters or a tail of 6+), phone, email, customer_id or
 * vehicle_id (its main driver, else its owner) and key its normalised
 * value. Active vehicles win over sold ones. Plates: greeting_plate.h.
 */
int store_greeting_resolve(struct db *db, const char *by, const char *key, json_t **out,
                           struct problem *p);

/* Describe resolved pairs for a 300: [{customer_id, kind, name, city, birthday, household, vehicle}]. */
int store_greeting_candidates(struct db *db, const json_t *pairs, json_t **out, struct problem *p);

/*
 * Vehicle vehicle_id as seen from person id: its representation plus
 * "relation" as the card's circle names it (own, household, or fleet for
 * a car of a company on the card's fleets), null when it is none of
 * these. *out NULL (and 0 returned) when there is no such vehicle.
 */
int store_greeting_vehicle(struct db *db, const char *id, const char *vehicle_id, json_t **out,
                           struct problem *p);

/*
 * The context of person id for the card and the potential: today, person,
 * vehicles (each with relation and holder): the first `listed` held by each
 * household member and the first `listed` due of each fleet the person
 * decides on; household (members with vehicle_count, their active cars,
 * and vehicles_count, all they hold) or null; fleets (with due_count, and
 * leases_due and replacements_due as potential_cutoffs counts them); the
 * latest touchpoint_limit touchpoints (open follow-ups first) and
 * relationship. Nothing in it grows with a fleet.
 */
int store_greeting_context(struct db *db, const char *id, const struct rules *r, const char *today,
                           int touchpoint_limit, int listed, json_t **ctx, struct problem *p);

/*
 * Call fn with each active own and household vehicle of person id (not
 * fleet ones) in the columns the potential reads: id, plate, make, model,
 * variant, model_year, first_registration, powertrain, mileage_km,
 * lease_end, next_service_due, relation, holder {customer_id, name (of
 * household ones)}; v is freed after fn returns. *count: how many.
 */
typedef void store_vehicle_fn(const json_t *v, void *arg);
int store_greeting_circle_each(struct db *db, const char *id, store_vehicle_fn *fn, void *arg,
                               json_int_t *count, struct problem *p);

/* ---- journeys (store_journeys.c) and experience metrics (store_metrics.c) ---- */

/*
 * Journey id: {"id", "customer_id", "score", "started_at", "ended_at",
 * "weakest", "touchpoints": [representations ordered by occurred_at]}
 * (journey_describe); 404 when no touchpoint has this journey_id.
 */
int store_journey_get(struct db *db, const char *id, json_t **out, struct problem *p);

/*
 * The customer's latest journey (the one holding the customer's most
 * recent touchpoint that has a journey_id), shaped as store_journey_get,
 * or *out = json_null() when the customer has none.
 */
int store_journey_latest(struct db *db, const char *customer_id, json_t **out, struct problem *p);

/*
 * Summaries of the journeys holding a touchpoint of customer_id, newest
 * (by last touchpoint) first, at most limit: the members of
 * store_journey_get without touchpoints, plus "touchpoint_count" and
 * "kinds" (in order). *out is a new array; *more is 1 when older ones exist.
 */
int store_journeys_of_customer(struct db *db, const char *customer_id, int limit, json_t **out,
                               int *more, struct problem *p);

/* Touchpoint filters of the experience metrics: normalised values, NULL = any. */
struct store_experience_query {
    const char *from; /* occurred_at >= from (UTC "…Z") */
    const char *to;   /* occurred_at < to */
    const char *department, *kind, *channel;
    const time_t *bounds; /* store_experience_periods: periods + 1 instants, ascending */
    size_t periods;
};

#define STORE_DRAG_MAX 5 /* kinds listed under "drag" */

/*
 * Experience metrics over the touchpoints matching q (three aggregate
 * queries): {"nps", "satisfaction", "journeys", "drag"} as documented in
 * docs/desk.md. Journeys count when one of their touchpoints matches q and
 * their last touchpoint lies in [from, to).
 */
int store_experience_metrics(struct db *db, const struct store_experience_query *q, json_t **out,
                             struct problem *p);

/*
 * The same metrics per period i = [bounds[i], bounds[i + 1]) of q (its
 * from/to are not used): *out is an array of q->periods documents shaped
 * as above, each what store_experience_metrics answers for q's filters
 * with from and to the period's bounds; a period without touchpoints has
 * zeros, nulls and empty groups. Three aggregate queries, each grouped by
 * period; each period is a range search in the occurred_at indexes.
 */
int store_experience_periods(struct db *db, const struct store_experience_query *q, json_t **out,
                             struct problem *p);

/* ---- desk search (store_search.c) ---- */

#define STORE_SEARCH_LIMIT_MAX 50

struct search_norm_token;
struct salutation_words;

/* What was typed at the desk, classified and normalised by the handler. */
struct store_search_terms {
    const char *typed; /* q as typed (a plate's separators tell plates apart) */
    const struct plate_keys *plate;        /* a valid plate's keys, or NULL */
    const struct plate_keys *plate_prefix; /* keys of a plate's beginning, or NULL */
    const char *vin;   /* upper-case VIN or its last 6-16 characters, or NULL */
    const char *phone; /* E.164, or NULL */
    const char *email; /* e-mail lookup key, or NULL */
    const char *phone_tail; /* a typed phone tail's digits reversed (phone_tail_query), or NULL */
    const struct search_norm_token *tokens; /* name tokens (search_norm_tokens), ntokens 0 = none */
    size_t ntokens;
    const struct salutation_words *address; /* salutation and titles typed before the name, or NULL */
};

/*
 * Ranked hits for t, at most limit (1..STORE_SEARCH_LIMIT_MAX), one per
 * customer with its best match: [{customer_id, kind, name, match {kind,
 * value}, score, city, vehicle}] as documented for GET /v1/search.
 * A fixed number of queries whatever the data. *items is a new array.
 */
int store_search(struct db *db, const struct store_search_terms *t, int limit, json_t **items,
                 struct problem *p);

/* Write the search keys of customer doc; inside the write transaction (after_write). */
int store_search_index_customer(struct db *db, const json_t *doc, struct problem *p);

/*
 * Fill the search index when it is empty while customers exist (a
 * database written before migration 002, or rows loaded with plain SQL).
 * Runs its own write transaction. Returns the number indexed, or -1 (logged).
 */
long long store_search_backfill(struct db *db);

/*
 * For an import on this connection (on = 1, outside a transaction):
 * customers' search rows wait in a TEMP table until store_search_flush()
 * writes them in one statement, which store_commit() does; on = 0 ends
 * that. The index seen after the commit is the same either way.
 */
void store_search_defer(struct db *db, int on);
int store_search_flush(struct db *db, struct problem *p);
/*
 * Rewrite the search index without the rows deleted from it, which FTS5
 * only marks (the erasure: no name may stay in the file). Rewrites the
 * whole index: see docs/operators.md "Privacy (GDPR)" for its cost.
 */
int store_search_purge(struct db *db, struct problem *p);

/* ---- the change feed (store_changes.c) ---- */

/*
 * Change types, NULL-terminated: customer, household, vehicle, touchpoint
 * (the resources) and company_people (the people list of a company, id =
 * the company's id, version NULL). Every write transaction records one
 * change per record it created, updated or deleted, when it commits
 * (store_commit), with the representation GET shows at that version.
 */
extern const char *const store_change_types[];

struct store_change_page {
    long long after; /* seq of the last change already seen */
    int from_start;  /* no cursor: from the oldest change kept (after is raised to it) */
    unsigned types;  /* bit i: store_change_types[i] wanted; 0 = every type */
    int limit;
    json_t *items;   /* out: new array of {seq, type, id, operation, version, at, data} */
    long long last;  /* out: seq of the last item, or after when there is none */
};

/*
 * Changes after page->after in commit order (seq order), at most
 * page->limit; 410 cursor-expired when changes after it were pruned.
 */
int store_changes_list(struct db *db, struct store_change_page *page, struct problem *p);
/* The seq up to which the feed was pruned (0: nothing was). */
int store_changes_pruned(struct db *db, long long *seq, struct problem *p);
/* 0 if the feed still has every change after seq after, else -1 with the 410 problem. */
int store_changes_expired(long long after, long long pruned, struct problem *p);
/*
 * Delete the oldest changes committed before time before, in seq order
 * and never past a webhook's cursor, in at most chunks transactions of
 * 10,000; *more = 1 when more may be due. The count pruned or -1 (the
 * caller logs it).
 */
long long store_changes_prune(struct db *db, time_t before, int chunks, int *more);
/* The seq of the newest change (0 when the feed is empty): where "after=now" starts. */
int store_changes_end(struct db *db, long long *seq, struct problem *p);

/* A number that changes after each commit that recorded changes (in this process). */
unsigned long long store_changes_generation(void);

/*
 * Call fn after every commit that recorded changes (in this process),
 * under the notification lock: fn must only signal (the webhook worker's
 * wake-up, defer_wake). At most 4 listeners; unlisten removes fn again.
 */
void store_changes_listen(void (*fn)(void));
void store_changes_unlisten(void (*fn)(void));

/*
 * Representations handed to the change feed (store_offers.c): doc is the
 * record of m exactly as store_get() would read it now, after a write
 * in the current transaction (its text is kept). At commit a record
 * written once uses it instead of a read. Offers since a mark can be
 * forgotten (a rolled-back savepoint); mark 0 forgets all (begin, commit
 * and rollback do).
 */
void store_offers_add(struct db *db, const struct model *m, const json_t *doc);
size_t store_offers_mark(struct db *db);
void store_offers_forget(struct db *db, size_t mark);
/* The offered text of record id of m at version (borrowed), or NULL. */
const char *store_offers_find(struct db *db, const struct model *m, const char *id,
                              long long version);
/* A representation as the change feed stores it (JSON text, to free()). */
char *store_changes_text(const json_t *doc);

/* The same with the text of the representation (store_represent), which it takes. */
void store_offers_take(struct db *db, const struct model *m, const char *id, long long version,
                       char *text);

/*
 * The change feed's text of what store_get() reads back after doc
 * (validated, stamped) was written by store_insert()/store_update(): the
 * fields in model order (absent → null), then the computed members as in
 * before (the representation read before an update), or as for a record
 * nothing refers to yet when before is NULL. malloc'd, or NULL when a
 * value might not read back as itself (then do not offer it).
 */
char *store_represent(const struct model *m, const json_t *doc, const json_t *before);

/* ---- bulk import (store_import.c) ---- */

/*
 * Around an import: a larger page cache and checkpoints only per 256 MiB of
 * WAL for this connection (on = 1), and back (on = 0), which also asks
 * for a checkpoint after the answer (db_checkpoint_later).
 */
void store_import_session(struct db *db, int on);

/* Inside a write transaction: open a savepoint for one line; end it keeping or undoing its writes. */
int store_line_begin(struct db *db, struct problem *p);
int store_line_end(struct db *db, int keep, struct problem *p);

/*
 * The id of the resource ("customer", "household", "vehicle",
 * "touchpoint") holding external reference key ("system:id") into id
 * (37 bytes): 1 found, 0 none, -1 error.
 */
int store_external_ref_find(struct db *db, const char *resource, const char *key, char *id,
                            struct problem *p);

/* ---- duplicates and merge (store_duplicates.c, store_merge.c) ---- */

/*
 * Recompute the name keys and the duplicate pairs of customer doc
 * (same-kind customers sharing an e-mail, a phone, name + birthday or
 * name + address; dupe.h); inside the write transaction (after_write).
 */
int store_duplicates_index_customer(struct db *db, const json_t *doc, struct problem *p);

/*
 * Index the customers not yet indexed (written before migration 008 or
 * with plain SQL). Runs its own write transaction. Returns how many, or -1 (logged).
 */
long long store_duplicates_backfill(struct db *db);

/*
 * Migration 012 (a C step, see db.h): re-read every stored phone number
 * with phone_parse_default, rewrite phones[].e164 and the 'phone' keys
 * where they change, and have the duplicates backfill visit those
 * customers. Numbers libphonenumber refuses keep their old e164. Runs in
 * the migration's transaction. Returns 0, or -1 (logged).
 */
int store_phones_renormalize(struct db *db);

/*
 * The phone-tail row (schema/015) of number e164 of customer id, and
 * removing all of a customer's; inside the write transaction. A number
 * that is no E.164 form adds nothing.
 */
int store_phone_tails_add(struct db *db, const char *id, const char *e164, struct problem *p);
int store_phone_tails_clear(struct db *db, const char *id, struct problem *p);

/*
 * Migration 015 (a C step, see db.h): a phone-tail row for every stored
 * 'phone' key. Runs in the migration's transaction. Returns 0, or -1 (logged).
 */
int store_phone_tails_backfill(struct db *db);

struct store_duplicates_page {
    const char *customer_id; /* only pairs of this customer, or NULL */
    int min_score;           /* thousandths, 0..1000 */
    long long after;         /* position of the last pair already seen (0 = start) */
    int limit;
    json_t *items;           /* out: new array of {customers [2], score, reasons} */
    long long last;          /* out: position of the last pair returned */
    int more;                /* out: 1 if pairs follow */
};

/* Candidate pairs by score (highest first), then by when the pair was first found. */
int store_duplicates_list(struct db *db, struct store_duplicates_page *page, struct problem *p);

/*
 * Move everything that refers to customer from onto customer into (same
 * kind, both existing): vehicles (owner, main driver), touchpoints,
 * household membership (only when into has none; else from's ends with
 * it), company roles in both directions (roles into already has are
 * kept as they are) and external reference rows. Counts go into summary.
 * Inside the write transaction, before into is rewritten and from deleted.
 */
int store_merge_move(struct db *db, const char *into, const char *from, json_t *summary,
                     struct problem *p);

/*
 * Delete customer from (whose references were moved), note in the change
 * feed that it was merged into `into` (its delete change carries data
 * {"id", "merged_into"}) and record the merge in customer_merges.
 */
int store_merge_delete(struct db *db, const char *into, const char *from, struct problem *p);

#define STORE_MERGE_HOPS 16 /* merges followed from a merged-away id */
#define STORE_MERGE_HOPS_STR "16"
/*
 * The customer that merged-away customer id lives on in: customer_merges
 * followed over at most STORE_MERGE_HOPS merges to the first customer that
 * exists. Fills out (37 bytes) and returns 1; 0 (out "") when id was not
 * merged or its chain ends at no customer (deleted, erased); -1 on error.
 */
int store_merge_survivor(struct db *db, const char *id, char *out, struct problem *p);

/* 1 if the database answers. */
int store_ping(struct db *db);

/* ---- audit log (store_audit.c) ---- */

struct store_audit_record {
    struct store_audit_record *next; /* the queue (audit.c) */
    char at[32];                     /* RFC 3339 UTC */
    char key_id[37];
    char method[8];
    const char *route;               /* route pattern (static) */
    char resource_id[65];            /* first path capture, "" when none */
    int status;
    char request_id[65];
    size_t nsubjects;
    char subjects[][37];             /* customer ids */
};

/*
 * Write batch (a list) and, when dropped > 0, an "audit.dropped" row, in one transaction.
 * 0; 1 when nothing was written but a later try may succeed (disk full, database busy);
 * -1 when it failed otherwise (nothing written).
 */
int store_audit_write(struct db *db, const struct store_audit_record *batch,
                      unsigned long long dropped);
/* Delete audit rows older than before; the number deleted or -1. */
long long store_audit_prune(struct db *db, time_t before);

struct store_audit_query {
    const char *customer_id, *key, *from, *to; /* NULL = any */
    long long before;                          /* seq below this; 0 = newest */
    int limit;
};
/* Rows newest first into *items (new array); *next = seq to continue below, 0 when done. */
int store_audit_list(struct db *db, const struct store_audit_query *q, json_t **items,
                     long long *next, struct problem *p);

/* ---- privacy (store_privacy.c) ---- */

/*
 * Everything stored about customer id: {customer, household, companies,
 * people, vehicles, touchpoints, journeys} (a new object); 404 if none.
 */
int store_privacy_export(struct db *db, const char *id, json_t **out, struct problem *p);
/*
 * Erase customer id inside the caller's write transaction: touchpoints
 * anonymised, change feed and idempotent answers scrubbed, the merges that
 * lead to them forgotten (customer_merges), the customer, their cars and
 * links deleted, the erasure logged with key_id ("" = none).
 */
int store_privacy_erase(struct db *db, const char *id, const char *key_id, struct problem *p);

#endif
