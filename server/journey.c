/*
 * journey: journey score, weakest step and NPS arithmetic. Pure; the
 * representation of the touchpoints is the store's (model_touchpoint).
 */
#include "journey.h"

#include <assert.h>
#include <stdlib.h>

#include "util.h"

int
journey_score(const struct journey_step *steps, size_t n, double *score)
{
    double product = 1.0;
    int any = 0;

    for (size_t i = 0; i < n; i++) {
        if (!steps[i].scored)
            continue;
        product *= steps[i].satisfaction;
        any = 1;
    }
    if (any)
        *score = product;
    return any;
}

long
journey_weakest(const struct journey_step *steps, size_t n)
{
    long weakest = -1;

    for (size_t i = 0; i < n; i++)
        if (steps[i].scored && (weakest < 0 || steps[i].satisfaction < steps[weakest].satisfaction))
            weakest = (long)i;
    return weakest;
}

/* A copy of member key of o, or null. */
static json_t *
member(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return v ? json_deep_copy(v) : json_null();
}

json_t *
journey_describe(const char *id, const json_t *touchpoints)
{
    size_t n = json_array_size(touchpoints), i;
    struct journey_step *steps;
    json_t *doc, *tp, *weakest = json_null();
    double score;
    long w;

    assert(n > 0);
    steps = xcalloc(n, sizeof *steps);
    json_array_foreach(touchpoints, i, tp) {
        json_t *s = json_object_get(tp, "satisfaction");
        steps[i].scored = json_is_number(s);
        steps[i].satisfaction = json_number_value(s);
    }
    w = journey_weakest(steps, n);
    if (w >= 0) {
        tp = json_array_get(touchpoints, (size_t)w);
        weakest = json_pack("{s:o, s:o, s:o}", "touchpoint_id", member(tp, "id"), "kind",
                            member(tp, "kind"), "satisfaction", member(tp, "satisfaction"));
    }
    doc = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "id", id, "customer_id",
                    member(json_array_get(touchpoints, 0), "customer_id"), "score",
                    journey_score(steps, n, &score) ? json_real(score) : json_null(), "started_at",
                    member(json_array_get(touchpoints, 0), "occurred_at"), "ended_at",
                    member(json_array_get(touchpoints, n - 1), "occurred_at"), "weakest", weakest);
    free(steps);
    return doc;
}

int
journey_nps(long long promoters, long long detractors, long long responses, double *score)
{
    long long num, q;

    if (responses <= 0)
        return 0;
    /* Tenths of a percent in integers, so 62.5 rounds to 63 exactly, not by float luck. */
    num = 1000 * (promoters - detractors);
    q = ((num < 0 ? -num : num) * 2 + responses) / (2 * responses);
    *score = (double)(num < 0 ? -q : q) / 10.0;
    return 1;
}
