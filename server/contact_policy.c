/*
 * contact_policy: the "don't overdo it" rules over the facts the store
 * gathered (store_contact_facts). Pure: no clock (facts.now), no I/O.
 * Every rule that says no adds a reason; the caller decides what to do.
 */
#include "contact_policy.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "msg.h"
#include "util.h"

#define DAY 86400L

struct eval {
    enum lang lang;  /* of the details */
    time_t now;
    json_t *reasons;
    int timeless;    /* a reason that does not lapse by itself */
    time_t lapse;    /* when every time-bound reason has lapsed (0 = none) */
};

/* A reason: code and a detail from the catalogue entry (en, de) in e->lang. */
static void
add_reason(struct eval *e, const char *code, const char *en, const char *de, ...)
    __attribute__((format(printf, 3, 5)));

static void
add_reason(struct eval *e, const char *code, const char *en, const char *de, ...)
{
    char detail[320];
    va_list ap;

    va_start(ap, de);
    vsnprintf(detail, sizeof detail, msg_text(e->lang, en, de), ap);
    va_end(ap);
    json_array_append_new(e->reasons, json_pack("{s:s, s:s}", "code", code, "detail", detail));
}

static void
lapses_at(struct eval *e, time_t t)
{
    if (t > e->lapse)
        e->lapse = t;
}

/* Epoch seconds of member key of o, or -1 when absent or not RFC 3339. */
static time_t
time_of(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    time_t t;

    return s && datetime_parse_rfc3339(s, &t) == 0 ? t : (time_t)-1;
}

/* The consent for channel must be "granted" (stored as {status, at}; a bare string is accepted). */
static void
rule_consent(struct eval *e, const json_t *customer, const char *channel)
{
    const json_t *c = json_object_get(json_object_get(customer, "consents"), channel);
    const char *status = json_is_string(c) ? json_string_value(c)
                                           : json_string_value(json_object_get(c, "status"));
    const char *at = json_string_value(json_object_get(c, "at"));
    const char *by = msg_label(e->lang, MSG_CHANNELS, channel);
    char when[MSG_TIME_MAX];

    if (status && strcmp(status, "granted") == 0)
        return;
    e->timeless = 1;
    if (status && strcmp(status, "withdrawn") == 0 && at) {
        msg_date(e->lang, at, when, sizeof when);
        add_reason(e, "consent_withdrawn", MSG_CP_WITHDRAWN_ON, by, when);
    } else if (status && strcmp(status, "withdrawn") == 0) {
        add_reason(e, "consent_withdrawn", MSG_CP_WITHDRAWN, by);
    } else {
        add_reason(e, "no_consent", MSG_CP_NO_CONSENT, by);
    }
}

static int
cmp_desc(const void *a, const void *b)
{
    time_t x = *(const time_t *)a, y = *(const time_t *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/*
 * Outbound contacts (any channel, purpose and outcome) less than
 * contact_window_days old count; at contact_max or more, no further one.
 * It lapses when the contact_max-th newest leaves the window.
 */
static int
rule_window(struct eval *e, const json_t *outbound, const struct rules *r)
{
    time_t window = (time_t)r->contact_window_days * DAY, *in = NULL;
    size_t i, n = 0;
    json_t *tp;

    if (json_array_size(outbound))
        in = xmalloc(json_array_size(outbound) * sizeof *in);
    json_array_foreach(outbound, i, tp)
    {
        time_t t = time_of(tp, "occurred_at");
        if (t != (time_t)-1 && e->now - t < window)
            in[n++] = t;
    }
    if ((int)n >= r->contact_max) {
        if (r->contact_max == 0) {
            e->timeless = 1;
            add_reason(e, "too_many_contacts", MSG_CP_NO_CONTACT_ALLOWED);
        } else {
            qsort(in, n, sizeof *in, cmp_desc);
            lapses_at(e, in[r->contact_max - 1] + window);
            add_reason(e, "too_many_contacts", MSG_PLURAL(n, MSG_CP_TOO_MANY_ONE, MSG_CP_TOO_MANY),
                       n, r->contact_window_days, r->contact_max);
        }
    }
    free(in);
    return (int)n;
}

/*
 * Newest first: outbound attempts without an outcome are skipped; the
 * streak ends at an attempt that was reached or declined, or at one older
 * than the customer's last inbound contact (the customer got in touch).
 */
static void
rule_let_go(struct eval *e, const json_t *facts, const struct rules *r)
{
    time_t inbound = time_of(facts, "last_inbound_at");
    json_t *tp;
    size_t i;
    int streak = 0;

    json_array_foreach(json_object_get(facts, "outbound"), i, tp)
    {
        const char *outcome = json_string_value(json_object_get(tp, "outcome"));
        if (inbound != (time_t)-1 && time_of(tp, "occurred_at") < inbound)
            break;
        if (!outcome)
            continue;
        if (strcmp(outcome, "unanswered") != 0)
            break;
        if (++streak >= r->let_go_unanswered) {
            e->timeless = 1;
            add_reason(e, "let_go", MSG_PLURAL(streak, MSG_CP_LET_GO_ONE, MSG_CP_LET_GO), streak);
            return;
        }
    }
}

/* The purposes a customer can decline; the index keeps a streak per purpose (store_contact.c). */
int
contact_policy_purpose_index(const char *purpose)
{
    static const char *const purposes[] = { "sales", "service", "recovery", "information" };

    for (int i = 0; purpose && i < CONTACT_POLICY_PURPOSES; i++)
        if (strcmp(purposes[i], purpose) == 0)
            return i;
    return -1;
}

/*
 * Newest first, this purpose's outbound attempts: "declined" counts,
 * "reached" ends the streak (the customer listened), unanswered ones and
 * those without an outcome are no answer. Attempts older than the
 * customer's last inbound contact do not count.
 */
static void
rule_let_go_declined(struct eval *e, const json_t *facts, const char *purpose,
                     const struct rules *r)
{
    time_t inbound = time_of(facts, "last_inbound_at");
    json_t *tp;
    size_t i;
    int declined = 0;

    json_array_foreach(json_object_get(facts, "outbound"), i, tp)
    {
        const char *outcome = json_string_value(json_object_get(tp, "outcome"));
        const char *p = json_string_value(json_object_get(tp, "purpose"));
        if (inbound != (time_t)-1 && time_of(tp, "occurred_at") < inbound)
            break;
        if (!outcome || !p || strcmp(p, purpose) != 0)
            continue;
        if (strcmp(outcome, "reached") == 0)
            break;
        if (strcmp(outcome, "declined") == 0 && ++declined >= r->let_go_after_declined) {
            e->timeless = 1;
            add_reason(e, "let_go_declined",
                       MSG_PLURAL(declined, MSG_CP_DECLINED_ONE, MSG_CP_DECLINED), declined,
                       msg_label(e->lang, MSG_PURPOSES, purpose));
            return;
        }
    }
}

/* Sales only: a poor experience less than quiet_days old, or an open complaint. */
static void
rule_quiet(struct eval *e, const json_t *facts, const struct rules *r)
{
    time_t quiet = (time_t)r->quiet_days * DAY, newest = (time_t)-1;
    json_int_t open = json_integer_value(json_object_get(facts, "open_complaints"));
    char why[256] = "", lapse[UTIL_TIME_LEN + 1], until[MSG_TIME_MAX];
    json_t *tp;
    size_t i;

    json_array_foreach(json_object_get(facts, "poor"), i, tp)
    {
        time_t t = time_of(tp, "occurred_at");
        if (t != (time_t)-1 && e->now - t < quiet && t > newest)
            newest = t;
    }
    if (newest != (time_t)-1) {
        util_format_time(newest + quiet, lapse);
        msg_time(e->lang, lapse, until, sizeof until);
        lapses_at(e, newest + quiet);
        msg_format(e->lang, MSG_CP_QUIET_POOR, why, sizeof why, r->quiet_days, until);
    }
    if (open > 0) {
        size_t n;
        e->timeless = 1;
        if (why[0])
            strncat(why, msg_text(e->lang, MSG_AND), sizeof why - strlen(why) - 1);
        n = strlen(why);
        msg_format(e->lang, MSG_PLURAL(open, MSG_CP_QUIET_COMPLAINT_ONE, MSG_CP_QUIET_COMPLAINTS),
                   why + n, sizeof why - n, (long long)open);
    }
    if (why[0])
        add_reason(e, "quiet_period", MSG_CP_QUIET, why);
}

json_t *
contact_policy_evaluate(const json_t *facts, const char *channel, const char *purpose,
                        const struct rules *r, enum lang lang)
{
    const json_t *customer = json_object_get(facts, "customer");
    struct eval e = { .lang = lang };
    char next[UTIL_TIME_LEN + 1];
    json_t *next_at = json_null();
    int in_window, allowed;

    e.now = time_of(facts, "now");
    if (e.now == (time_t)-1)
        e.now = 0;
    e.reasons = json_array();
    if (channel)
        rule_consent(&e, customer, channel);
    if (json_is_true(json_object_get(customer, "do_not_contact"))) {
        e.timeless = 1;
        add_reason(&e, "do_not_contact", MSG_CP_DO_NOT_CONTACT);
    }
    in_window = rule_window(&e, json_object_get(facts, "outbound"), r);
    if (strcmp(purpose, "recovery") != 0)
        rule_let_go(&e, facts, r);
    rule_let_go_declined(&e, facts, purpose, r);
    if (strcmp(purpose, "sales") == 0)
        rule_quiet(&e, facts, r);
    allowed = json_array_size(e.reasons) == 0;
    if (!allowed && !e.timeless && e.lapse) {
        util_format_time(e.lapse, next);
        next_at = json_string(next);
    }
    return json_pack("{s:o, s:s, s:b, s:o, s:i, s:i, s:i, s:o}", "channel",
                     channel ? json_string(channel) : json_null(), "purpose", purpose, "allowed",
                     allowed, "reasons", e.reasons, "contacts_in_window", in_window, "window_days",
                     r->contact_window_days, "max_contacts", r->contact_max, "next_allowed_at",
                     next_at);
}
