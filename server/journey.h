/*
 * journey: the rules of a customer journey (the touchpoints sharing a
 * journey_id) and of NPS, as pure functions: score as the product of the
 * scored steps, the weakest step, the journey document, NPS arithmetic.
 * No I/O: store_journeys.c and store_metrics.c read the touchpoints, this module judges them.
 */
#ifndef CRMD_JOURNEY_H
#define CRMD_JOURNEY_H

#include <jansson.h>
#include <stddef.h>

/* One step's satisfaction: scored is 0 when the touchpoint has none. */
struct journey_step {
    double satisfaction; /* 0..1, meaningful only when scored */
    int scored;
};

/*
 * Journey score: the product of the satisfaction of the scored steps
 * (1.0 then 0.5 gives 0.5); unscored steps do not count. Returns 1 with
 * *score set, or 0 when no step is scored (*score untouched: the score is
 * null, never 1.0 by accident).
 */
int journey_score(const struct journey_step *steps, size_t n, double *score);

/* Index of the lowest-rated scored step (the earliest on ties), or -1 if none is scored. */
long journey_weakest(const struct journey_step *steps, size_t n);

/*
 * The computed members of a journey from its touchpoints (JSON objects
 * with at least id, customer_id, kind, occurred_at and satisfaction
 * (number or null), ordered by occurred_at; borrowed). Returns a new
 * object {"id", "customer_id" (of the first touchpoint), "score" (or
 * null), "started_at", "ended_at", "weakest": {"touchpoint_id", "kind",
 * "satisfaction"} or null}. touchpoints must not be empty.
 */
json_t *journey_describe(const char *id, const json_t *touchpoints);

/*
 * Net Promoter Score from answer counts: % promoters (9-10) minus %
 * detractors (0-6) of all responses, rounded half away from zero to one
 * decimal (-100.0 .. 100.0). Returns 1 with *score set, or 0 when there
 * are no responses (the score is null).
 */
int journey_nps(long long promoters, long long detractors, long long responses, double *score);

#endif
