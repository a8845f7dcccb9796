/*
 * test_journey: journey score (product of the scored steps, null when
 * none is scored), the weakest step, the journey document built from
 * touchpoints, and NPS arithmetic with its rounding and empty cases.
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "journey.h"
#include "unit_suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define MAXSTEPS 6
#define NONE (-1.0) /* an unscored step in the tables */

struct score_case {
    const char *name;
    double steps[MAXSTEPS];
    int n;
    int scored;   /* want: 1 if the journey has a score */
    double score; /* want: when scored */
    long weakest; /* want: index or -1 */
};

static const struct score_case score_cases[] = {
    { "app 1.0 then desk 0.5", { 1.0, 0.5 }, 2, 1, 0.5, 1 },
    { "desk 0.5 then app 1.0", { 0.5, 1.0 }, 2, 1, 0.5, 0 },
    { "unscored step ignored", { 1.0, NONE, 0.5 }, 3, 1, 0.5, 2 },
    { "only unscored steps", { NONE, NONE }, 2, 0, 0, -1 },
    { "no steps", { 0 }, 0, 0, 0, -1 },
    { "one step", { 0.8 }, 1, 1, 0.8, 0 },
    { "one perfect step", { 1.0 }, 1, 1, 1.0, 0 },
    { "three steps", { 0.9, 0.8, 0.5 }, 3, 1, 0.36, 2 },
    { "a zero makes zero", { 1.0, 0.0, 0.9 }, 3, 1, 0.0, 1 },
    { "tie: earliest is weakest", { 0.7, 0.6, 0.6 }, 3, 1, 0.252, 1 },
    { "unscored first", { NONE, 0.9, NONE, 0.9 }, 4, 1, 0.81, 1 },
    { "all perfect", { 1.0, 1.0, 1.0, 1.0, 1.0, 1.0 }, 6, 1, 1.0, 0 },
};

static void
steps_of(const struct score_case *c, struct journey_step *steps)
{
    for (int i = 0; i < c->n; i++) {
        steps[i].scored = c->steps[i] != NONE;
        /* an unscored step carries a value that would change the product if it counted */
        steps[i].satisfaction = steps[i].scored ? c->steps[i] : 0.0;
    }
}

START_TEST(test_score)
{
    const struct score_case *c = &score_cases[_i];
    struct journey_step steps[MAXSTEPS];
    double score = 42.0;
    int got;

    steps_of(c, steps);
    got = journey_score(steps, (size_t)c->n, &score);
    ck_assert_msg(got == c->scored, "%s: scored %d, want %d", c->name, got, c->scored);
    if (c->scored)
        ck_assert_msg(fabs(score - c->score) < 1e-12, "%s: score %.17g, want %g", c->name, score,
                      c->score);
    else
        ck_assert_msg(score == 42.0, "%s: score written (%g) although none is scored", c->name,
                      score);
}
END_TEST

START_TEST(test_weakest)
{
    const struct score_case *c = &score_cases[_i];
    struct journey_step steps[MAXSTEPS];
    long got;

    steps_of(c, steps);
    got = journey_weakest(steps, (size_t)c->n);
    ck_assert_msg(got == c->weakest, "%s: weakest %ld, want %ld", c->name, got, c->weakest);
}
END_TEST

struct nps_case {
    long long promoters, detractors, responses;
    int has;
    double want;
};

static const struct nps_case nps_cases[] = {
    { 5, 0, 5, 1, 100.0 },                /* all promoters */
    { 0, 5, 5, 1, -100.0 },               /* all detractors */
    { 0, 0, 4, 1, 0.0 },                  /* passives only */
    { 0, 0, 0, 0, 0 },                    /* no answers: null */
    { 1, 1, 2, 1, 0.0 },                  /* one of each cancels */
    { 1, 0, 3, 1, 33.3 },                 /* 33.33 */
    { 2, 0, 3, 1, 66.7 },                 /* 66.67 */
    { 0, 2, 3, 1, -66.7 },                /* -66.67 */
    { 1, 0, 8, 1, 12.5 },                 /* exact */
    { 1, 0, 16, 1, 6.3 },                 /* 6.25: half away from zero */
    { 0, 1, 16, 1, -6.3 },                /* -6.25 likewise */
    { 3, 1, 6, 1, 33.3 },                 /* 33.33 */
    { 2, 1, 7, 1, 14.3 },                 /* 14.2857 */
    { 1, 2, 7, 1, -14.3 },                /* -14.2857 */
    { 1, 0, 1, 1, 100.0 },                /* one answer */
    { 0, 1, 1, 1, -100.0 },               /* one answer */
    { 500000, 250000, 1000000, 1, 25.0 }, /* large counts */
};

START_TEST(test_nps)
{
    const struct nps_case *c = &nps_cases[_i];
    double got = 42.0;
    int has = journey_nps(c->promoters, c->detractors, c->responses, &got);

    ck_assert_msg(has == c->has, "P%lld D%lld N%lld: has %d, want %d", c->promoters, c->detractors,
                  c->responses, has, c->has);
    if (c->has)
        ck_assert_msg(fabs(got - c->want) < 1e-9, "P%lld D%lld N%lld: %.17g, want %.1f",
                      c->promoters, c->detractors, c->responses, got, c->want);
    else
        ck_assert_msg(got == 42.0, "no responses, yet the score was written");
}
END_TEST

struct describe_case {
    const char *touchpoints; /* JSON array */
    const char *want;        /* JSON object the document must equal */
};

#define TP(id, cust, kind, at, sat)                                                                \
    "{\"id\":\"" id "\",\"customer_id\":\"" cust "\",\"kind\":\"" kind "\",\"occurred_at\":\"" at  \
    "\",\"satisfaction\":" sat ",\"summary\":\"ignored\"}"

static const struct describe_case describe_cases[] = {
    { "[" TP("a", "c1", "app_booking", "2026-01-01T08:00:00Z",
             "1.0") "," TP("b", "c1", "service_visit", "2026-01-02T08:00:00Z", "0.5") "]",
      "{\"id\":\"J\",\"customer_id\":\"c1\",\"score\":0.5,\"started_at\":\"2026-01-01T08:00:00Z\","
      "\"ended_at\":\"2026-01-02T08:00:00Z\",\"weakest\":{\"touchpoint_id\":\"b\","
      "\"kind\":\"service_visit\",\"satisfaction\":0.5}}" },
    { "[" TP("a", "c1", "app_booking", "2026-01-01T08:00:00Z",
             "null") "," TP("b", "c2", "phone_call", "2026-01-03T08:00:00Z", "null") "]",
      "{\"id\":\"J\",\"customer_id\":\"c1\",\"score\":null,\"started_at\":\"2026-01-01T08:00:00Z\","
      "\"ended_at\":\"2026-01-03T08:00:00Z\",\"weakest\":null}" },
    { "[" TP("a", "c9", "survey", "2026-05-05T10:00:00Z", "0.25") "]",
      "{\"id\":\"J\",\"customer_id\":\"c9\",\"score\":0.25,\"started_at\":\"2026-05-05T10:00:00Z\","
      "\"ended_at\":\"2026-05-05T10:00:00Z\",\"weakest\":{\"touchpoint_id\":\"a\","
      "\"kind\":\"survey\",\"satisfaction\":0.25}}" },
    /* a touchpoint without a satisfaction member counts as unscored */
    { "[{\"id\":\"a\",\"customer_id\":\"c1\",\"kind\":\"email\",\"occurred_at\":\"2026-01-01T08:00:"
      "00Z\"}," TP("b", "c1", "delivery", "2026-01-02T08:00:00Z", "0.75") "]",
      "{\"id\":\"J\",\"customer_id\":\"c1\",\"score\":0.75,\"started_at\":\"2026-01-01T08:00:00Z\","
      "\"ended_at\":\"2026-01-02T08:00:00Z\",\"weakest\":{\"touchpoint_id\":\"b\","
      "\"kind\":\"delivery\",\"satisfaction\":0.75}}" },
};

START_TEST(test_describe)
{
    const struct describe_case *c = &describe_cases[_i];
    json_t *tps = json_loads(c->touchpoints, 0, NULL), *want = json_loads(c->want, 0, NULL), *got;
    char *text;

    ck_assert_ptr_nonnull(tps);
    ck_assert_ptr_nonnull(want);
    got = journey_describe("J", tps);
    text = json_dumps(got, JSON_COMPACT | JSON_SORT_KEYS);
    ck_assert_msg(json_equal(got, want), "case %d: got %s", _i, text);
    free(text);
    /* the input is borrowed: untouched */
    ck_assert_int_eq(json_object_size(json_array_get(tps, 0)) >= 4, 1);
    ck_assert_int_eq(tps->refcount, 1);
    json_decref(got);
    json_decref(tps);
    json_decref(want);
}
END_TEST

Suite *
journey_suite(void)
{
    Suite *s = suite_create("journey");
    TCase *tc;

    tc = tcase_create("score");
    tcase_add_loop_test(tc, test_score, 0, N(score_cases));
    suite_add_tcase(s, tc);
    tc = tcase_create("weakest");
    tcase_add_loop_test(tc, test_weakest, 0, N(score_cases));
    suite_add_tcase(s, tc);
    tc = tcase_create("nps");
    tcase_add_loop_test(tc, test_nps, 0, N(nps_cases));
    suite_add_tcase(s, tc);
    tc = tcase_create("describe");
    tcase_add_loop_test(tc, test_describe, 0, N(describe_cases));
    suite_add_tcase(s, tc);
    return s;
}
