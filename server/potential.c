/*
 * potential: purchase potential as explainable opportunities. One small
 * function per rule judges the greeting card's context against struct
 * rules; "today" comes from the context, so the result depends on the
 * inputs only. Missing, null or mistyped members count as absent.
 */
#include "potential.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "datetime.h"
#include "msg.h"
#include "util.h"

#define NAME_MAX_BYTES 256 /* vehicle and person labels */
#define REASON_MAX 1024    /* labels are bounded, so reasons fit */
#define VARIANT_SHORT 24   /* a variant up to this many bytes joins the vehicle's name */
#define COMPLAINT_CHARS 80 /* an open complaint's text is shortened to this many characters */
#define SUBJECT_MAX (2 * NAME_MAX_BYTES + 48) /* "Petra's " or "The " and a vehicle */

struct eval {
    const struct rules *r;
    enum lang lang;          /* of the reasons */
    int has_today;
    long today;              /* days since 1970-01-01 */
    const char *person_id;   /* may be NULL */
    const char *person_role; /* the person's household role, may be NULL */
    const json_t *members;   /* household members (array) or NULL */
    int ev_interest;         /* the person stated interest in electric cars */
    json_t *opps;            /* opportunities, unordered; at most about 2 * listed */
    size_t listed;           /* how many of the best opportunities are kept */
    json_int_t count;        /* opportunities found (kept or not) */
    json_int_t total;        /* sum of the non-warning scores (capped at the end) */
};

/* Fleet vehicles counted per company of ctx "fleets" (same index), for rule_fleets. */
struct fleet_tally {
    long n, leases, due;
};

struct potential {
    struct eval e;
    const json_t *ctx, *fleets;
    struct fleet_tally *tally; /* one per fleet */
};

static void keep_best(struct eval *e, size_t n);

static const char *
str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static int
eq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static int
get_int(const json_t *o, const char *key, long *out)
{
    json_t *v = json_object_get(o, key);

    if (!json_is_integer(v))
        return -1;
    *out = (long)json_integer_value(v);
    return 0;
}

static int
get_date(const json_t *o, const char *key, long *out)
{
    const char *s = str(o, key);
    int y, m, d;

    if (!s || datetime_parse_date(s, &y, &m, &d) != 0)
        return -1;
    *out = datetime_days_from_civil(y, m, d);
    return 0;
}

/* days + n calendar months; the 31st becomes the month's last day, 29 Feb becomes 28 Feb. */
static long
add_months(long days, int n)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d, last;
    long mm;

    datetime_civil_from_days(days, &y, &m, &d);
    mm = (long)y * 12 + (m - 1) + n;
    y = (int)(mm / 12);
    m = (int)(mm % 12) + 1;
    last = dim[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    return datetime_days_from_civil(y, m, d > last ? last : d);
}

/* Whole years from from to today (a birthday counts on its day), -1 if from is in the future. */
static int
age_years(long from, long today)
{
    int fy, ty, m, d, k;

    if (today < from)
        return -1;
    datetime_civil_from_days(from, &fy, &m, &d);
    datetime_civil_from_days(today, &ty, &m, &d);
    k = ty - fy;
    if (add_months(from, 12 * k) > today)
        k--;
    return k;
}

/* Whole months from today to until (both days), until >= today. */
static int
months_until(long today, long until)
{
    int k = 0;

    while (k < 1200 && add_months(today, k + 1) <= until)
        k++;
    return k;
}

/* A vehicle's age in whole years: first_registration, else model_year; -1 if unknown. */
static int
vehicle_age(const struct eval *e, const json_t *v)
{
    long reg, year;
    int y, m, d;

    if (!e->has_today)
        return -1;
    if (get_date(v, "first_registration", &reg) == 0)
        return age_years(reg, e->today);
    if (get_int(v, "model_year", &year) != 0 || year < 1000 || year > 9999)
        return -1;
    datetime_civil_from_days(e->today, &y, &m, &d);
    return year <= y ? (int)(y - year) : -1;
}

/* Append s to out (n bytes), cutting at a UTF-8 character boundary when it does not fit. */
static void
cat(char *out, size_t n, const char *s)
{
    size_t len = strlen(out), k = strlen(s);

    if (len + k >= n) {
        k = len + 1 < n ? n - 1 - len : 0;
        while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--;
    }
    memcpy(out + len, s, k);
    out[len + k] = '\0';
}

/* "VW Passat Variant 2.0 TDI (M-HW 530)": make, model, a short variant, the plate. */
static void
vehicle_ref(const struct eval *e, const json_t *v, int with_plate, char *out, size_t n)
{
    const char *parts[] = {str(v, "make"), str(v, "model"), str(v, "variant")};
    const char *plate = str(v, "plate");

    out[0] = '\0';
    for (size_t i = 0; i < 3; i++) {
        if (!parts[i] || !*parts[i] || (i == 2 && strlen(parts[i]) > VARIANT_SHORT))
            continue;
        if (*out)
            cat(out, n, " ");
        cat(out, n, parts[i]);
    }
    if (!*out)
        cat(out, n, msg_text(e->lang, MSG_VEHICLE));
    if (with_plate && plate && *plate) {
        cat(out, n, " (");
        cat(out, n, plate);
        cat(out, n, ")");
    }
}

/*
 * How reasons name a member: given_name, else preferred_name, else
 * salutation and family_name ("Herr Wessling") or the family_name alone,
 * else the first word of name ("Petra Wessling" -> "Petra"), else ""
 * (the caller says "a household member").
 */
static void
first_name(const json_t *member, const char *name, char *out, size_t n)
{
    const char *given = str(member, "given_name"), *preferred = str(member, "preferred_name");
    const char *family = str(member, "family_name"), *sal = str(member, "salutation");
    size_t k = 0;

    out[0] = '\0';
    if (given && *given) {
        cat(out, n, given);
        return;
    }
    if (preferred && *preferred) {
        cat(out, n, preferred);
        return;
    }
    if (family && *family) {
        if (sal && (!strcmp(sal, "Herr") || !strcmp(sal, "Frau"))) {
            cat(out, n, sal);
            cat(out, n, " ");
        }
        cat(out, n, family);
        return;
    }
    while (name && *name == ' ')
        name++;
    while (name && name[k] && name[k] != ' ')
        k++;
    if (k == 0 || k >= n)
        return;
    memcpy(out, name, k);
    out[k] = '\0';
}

/* An opportunity whose reason (written in e->lang with the catalogue) explains it. */
static void
add_opp(struct eval *e, const char *kind, long score, const char *vehicle_id,
        const char *customer_id, const char *reason)
{
    json_t *s = json_string(reason);

    score = score < 0 ? 0 : score > 100 ? 100 : score;
    e->count++;
    if (strcmp(kind, "retention_risk") != 0)
        e->total += score;
    json_array_append_new(
        e->opps, json_pack("{s:s, s:o, s:I, s:o, s:o}", "kind", kind, "reason",
                           s ? s : json_string(""), "score", (json_int_t)score, "vehicle_id",
                           vehicle_id ? json_string(vehicle_id) : json_null(), "customer_id",
                           customer_id ? json_string(customer_id) : json_null()));
    if (e->listed < SIZE_MAX / 4 && json_array_size(e->opps) >= 2 * e->listed + 64)
        keep_best(e, e->listed); /* a 20,000-car fleet keeps a few opportunities, not 60,000 */
}

/* The customer the vehicle concerns: its holder, else the person at the desk. */
static const char *
vehicle_customer(const struct eval *e, const json_t *v)
{
    const char *holder = str(json_object_get(v, "holder"), "customer_id");
    return holder ? holder : e->person_id;
}

/* Active, or without a status (a vehicle sold or scrapped produces nothing). */
static int
vehicle_active(const json_t *v)
{
    const char *status = str(v, "status");
    return json_is_object(v) && (!status || strcmp(status, "active") == 0);
}

static int
replacement_due(const struct eval *e, const json_t *v, int *age, long *km)
{
    *age = vehicle_age(e, v);
    if (get_int(v, "mileage_km", km) != 0)
        *km = -1;
    return (*age >= 0 && *age >= e->r->replace_age_years) ||
           (*km >= 0 && *km >= e->r->replace_mileage_km);
}

/* Lease ending within lease_end_months, or ended less than a month ago. */
static int
lease_due(const struct eval *e, const json_t *v, long *end)
{
    return e->has_today && get_date(v, "lease_end", end) == 0 && *end >= add_months(e->today, -1) &&
           *end <= add_months(e->today, e->r->lease_end_months);
}

/* Score: 50 at the threshold, growing with the larger ratio over it, +10 when both are over. */
static void
rule_replacement(struct eval *e, const json_t *v)
{
    char ref[NAME_MAX_BYTES], kms[32], reason[REASON_MAX];
    double ratio = 0;
    int age, age_over, km_over;
    long km;

    if (!replacement_due(e, v, &age, &km))
        return;
    age_over = age >= e->r->replace_age_years;
    km_over = km >= e->r->replace_mileage_km;
    if (age >= 0)
        ratio = (double)age / (e->r->replace_age_years > 0 ? e->r->replace_age_years : 1);
    if (km >= 0 &&
        (double)km / (e->r->replace_mileage_km > 0 ? e->r->replace_mileage_km : 1) > ratio)
        ratio = (double)km / (e->r->replace_mileage_km > 0 ? e->r->replace_mileage_km : 1);
    if (ratio > 2)
        ratio = 2; /* the score is capped at 100 anyway */
    vehicle_ref(e, v, 1, ref, sizeof ref);
    msg_thousands(e->lang, km, kms, sizeof kms);
    if (age >= 0 && km >= 0)
        msg_format(e->lang, MSG_PLURAL(age, MSG_AGE_KM_ONE, MSG_AGE_KM), reason, sizeof reason, ref,
                   age, kms);
    else if (age >= 0)
        msg_format(e->lang, MSG_PLURAL(age, MSG_AGE_ONE, MSG_AGE), reason, sizeof reason, ref, age);
    else
        msg_format(e->lang, MSG_KM, reason, sizeof reason, ref, kms);
    add_opp(e, "replacement", (long)(50 * ratio + 0.5) + (age_over && km_over ? 10 : 0),
            str(v, "id"), vehicle_customer(e, v), reason);
}

/* Score: 50 at the far end of the window up to 100 today; 90 once ended. */
static void
rule_lease_end(struct eval *e, const json_t *v)
{
    char ref[NAME_MAX_BYTES], date[MSG_DATE_MAX], reason[REASON_MAX];
    long end, window, left, score;
    int months;

    if (!lease_due(e, v, &end))
        return;
    vehicle_ref(e, v, 1, ref, sizeof ref);
    msg_day(e->lang, end, date);
    left = end - e->today;
    window = add_months(e->today, e->r->lease_end_months) - e->today;
    score = left < 0 ? 90 : window <= 0 ? 100 : 50 + 50 * (window - left) / window;
    months = left > 0 ? months_until(e->today, end) : 0;
    if (left < 0)
        msg_format(e->lang, MSG_PLURAL(-left, MSG_LEASE_ENDED_ONE, MSG_LEASE_ENDED), reason,
                   sizeof reason, ref, date, -left);
    else if (left == 0)
        msg_format(e->lang, MSG_LEASE_TODAY, reason, sizeof reason, ref, date);
    else if (months > 0)
        msg_format(e->lang, MSG_PLURAL(months, MSG_LEASE_MONTHS_ONE, MSG_LEASE_MONTHS), reason,
                   sizeof reason, ref, date, months);
    else
        msg_format(e->lang, MSG_PLURAL(left, MSG_LEASE_DAYS_ONE, MSG_LEASE_DAYS), reason,
                   sizeof reason, ref, date, left);
    add_opp(e, "lease_end", score, str(v, "id"), vehicle_customer(e, v), reason);
}

/* Score: 40 at the far end of the window up to 60 on the day; 70 once overdue. */
static void
rule_service(struct eval *e, const json_t *v)
{
    char ref[NAME_MAX_BYTES + 8], date[MSG_DATE_MAX], reason[REASON_MAX];
    const char *plate = str(v, "plate");
    long due, left, score, window = e->r->service_due_days;

    if (!e->has_today || get_date(v, "next_service_due", &due) != 0 || due - e->today > window)
        return;
    if (plate && *plate) {
        ref[0] = '\0';
        cat(ref, sizeof ref, plate);
    } else {
        char name[NAME_MAX_BYTES];
        vehicle_ref(e, v, 0, name, sizeof name);
        msg_format(e->lang, MSG_THE_VEHICLE, ref, sizeof ref, name);
    }
    msg_day(e->lang, due, date);
    left = due - e->today;
    if (left < 0)
        msg_format(e->lang, MSG_PLURAL(-left, MSG_SERVICE_OVERDUE_ONE, MSG_SERVICE_OVERDUE), reason,
                   sizeof reason, ref, -left);
    else if (left == 0)
        msg_format(e->lang, MSG_SERVICE_TODAY, reason, sizeof reason, ref, date);
    else
        msg_format(e->lang, MSG_PLURAL(left, MSG_SERVICE_DUE_ONE, MSG_SERVICE_DUE), reason,
                   sizeof reason, ref, left, date);
    score = left < 0 ? 70 : left == 0 || window <= 0 ? 60 : 40 + 20 * (window - left) / window;
    add_opp(e, "service", score, str(v, "id"), vehicle_customer(e, v), reason);
}

static const json_t *
find_member(const struct eval *e, const char *customer_id)
{
    size_t i;
    json_t *m;

    json_array_foreach (e->members, i, m) {
        if (eq(str(m, "customer_id"), customer_id))
            return m;
    }
    return NULL;
}

/* The vehicle as a sentence's subject: "Petra's VW Golf (M-PK 1)" of a member, else "The ...". */
static void
vehicle_subject(const struct eval *e, const json_t *v, char *out, size_t n)
{
    const json_t *holder = json_object_get(v, "holder");
    const json_t *member = find_member(e, str(holder, "customer_id"));
    const char *name = str(holder, "name");
    char first[NAME_MAX_BYTES], ref[NAME_MAX_BYTES];

    vehicle_ref(e, v, 1, ref, sizeof ref);
    if (!eq(str(v, "relation"), "household")) {
        msg_format(e->lang, MSG_THE_SUBJECT, out, n, ref);
        return;
    }
    first_name(member, name ? name : str(member, "name"), first, sizeof first);
    msg_possessive(e->lang, *first ? first : NULL, ref, out, n);
}

/* Score: 40, or 70 with stated interest in electric cars. */
static void
rule_electric(struct eval *e, const json_t *v)
{
    const char *pt = str(v, "powertrain");
    char subject[SUBJECT_MAX], reason[REASON_MAX];
    int age = vehicle_age(e, v);

    if (!(eq(pt, "petrol") || eq(pt, "diesel")) || age < 0 || age < e->r->ev_combustion_age_years)
        return;
    vehicle_subject(e, v, subject, sizeof subject);
    msg_format(e->lang, MSG_PLURAL(age, MSG_ELECTRIC_ONE, MSG_ELECTRIC), reason, sizeof reason,
               subject, age, msg_label(e->lang, MSG_POWERTRAINS, pt),
               e->ev_interest ? msg_text(e->lang, MSG_ELECTRIC_INTEREST) : "");
    add_opp(e, "electric_switch", e->ev_interest ? 70 : 40, str(v, "id"), vehicle_customer(e, v),
            reason);
}

/* The partner's car, older than partner_car_age_years. Score: 50 + 5 per year over, at most 80. */
static void
rule_partner_car(struct eval *e, const json_t *v)
{
    const json_t *holder = find_member(e, str(json_object_get(v, "holder"), "customer_id"));
    const char *role = str(holder, "role");
    char subject[SUBJECT_MAX], reason[REASON_MAX];
    int age = vehicle_age(e, v), over = age - e->r->partner_car_age_years;

    if (!(eq(role, "partner") || (eq(role, "head") && eq(e->person_role, "partner"))) ||
        eq(str(holder, "customer_id"), e->person_id) || age < 0 || over <= 0)
        return;
    vehicle_subject(e, v, subject, sizeof subject);
    msg_format(e->lang, MSG_PLURAL(age, MSG_AGE_ONE, MSG_AGE), reason, sizeof reason, subject, age);
    add_opp(e, "household", over > 6 ? 80 : 50 + 5 * over, str(v, "id"), str(holder, "customer_id"),
            reason);
}

static void
rules_for_vehicle(struct eval *e, const json_t *v)
{
    const char *relation = str(v, "relation");

    if (!vehicle_active(v))
        return;
    if (eq(relation, "fleet"))
        return; /* summarised per company by rule_fleets */
    if (eq(relation, "household")) {
        rule_partner_car(e, v);
        rule_electric(e, v);
        return;
    }
    rule_replacement(e, v);
    rule_lease_end(e, v);
    rule_service(e, v);
    rule_electric(e, v);
}

/*
 * Members other than the person: reaching driving age within the window
 * (score 60); of driving age without a car of their own (score 50). A
 * member without a birthday counts as of driving age when head, partner
 * or parent.
 */
static void
rule_members(struct eval *e)
{
    size_t i;
    json_t *m;

    json_array_foreach (e->members, i, m) {
        const char *id = str(m, "customer_id"), *role = str(m, "role"), *sal = str(m, "salutation");
        char name[NAME_MAX_BYTES], date[MSG_DATE_MAX], reason[REASON_MAX];
        long bday, count;
        int age = -1;

        if (!json_is_object(m) || eq(id, e->person_id))
            continue;
        first_name(m, str(m, "name"), name, sizeof name);
        if (!*name)
            snprintf(name, sizeof name, "%s", msg_text(e->lang, MSG_A_MEMBER));
        if (e->has_today && get_date(m, "birthday", &bday) == 0) {
            long turns = add_months(bday, 12 * e->r->driving_age);
            age = age_years(bday, e->today);
            if (age >= 0 && age < e->r->driving_age &&
                turns <= add_months(e->today, e->r->driving_age_soon_months)) {
                msg_day(e->lang, turns, date);
                msg_format(e->lang, MSG_TURNS, reason, sizeof reason, name, e->r->driving_age,
                           date);
                add_opp(e, "household", 60, NULL, id, reason);
            }
        } else if (eq(role, "head") || eq(role, "partner") || eq(role, "parent")) {
            age = e->r->driving_age;
        }
        if (age >= e->r->driving_age && get_int(m, "vehicle_count", &count) == 0 && count == 0) {
            msg_format(e->lang, MSG_NO_OWN_CAR, reason, sizeof reason, name,
                       msg_label(e->lang, MSG_OWN_BY_SALUTATION, sal));
            add_opp(e, "household", 50, NULL, id, reason);
        }
    }
}

static int
has_role(const json_t *roles, const char *role)
{
    size_t i;
    json_t *r;

    json_array_foreach (roles, i, r) {
        if (eq(json_string_value(r), role))
            return 1;
    }
    return 0;
}

/* A fleet's count given by the card (SQL), else the one tallied from the fleet vehicles passed. */
static long
fleet_count(const json_t *f, const char *key, long tallied)
{
    long given;
    return get_int(f, key, &given) == 0 ? given : tallied;
}

/* Tally fleet vehicle v for each fleet of the company that owns or holds it. */
static void
tally_fleet_vehicle(struct potential *pt, const json_t *v)
{
    size_t i;
    json_t *f;
    long end, km;
    int age;

    if (!vehicle_active(v))
        return;
    json_array_foreach (pt->fleets, i, f) {
        const char *company = str(f, "company_id");
        if (!company || !(eq(str(v, "owner_id"), company) ||
                          eq(str(json_object_get(v, "holder"), "customer_id"), company)))
            continue;
        pt->tally[i].n++;
        if (lease_due(&pt->e, v, &end))
            pt->tally[i].leases++;
        else if (replacement_due(&pt->e, v, &age, &km))
            pt->tally[i].due++;
    }
}

/*
 * One opportunity per company where the person manages or decides on a
 * fleet of at least fleet_min_vehicles: a vehicle with a lease due counts
 * as a lease, else one over the replacement thresholds as due for
 * replacement ("leases_due", "replacements_due" of the fleet when given).
 * Score: 40 + 5 per counted vehicle, at most 100.
 */
static void
rule_fleets(struct eval *e, const json_t *fleets, const struct fleet_tally *tally)
{
    size_t i;
    json_t *f;

    json_array_foreach (fleets, i, f) {
        const char *company = str(f, "company_id"), *cname = str(f, "company_name");
        const json_t *roles = json_object_get(f, "roles");
        long size, leases = fleet_count(f, "leases_due", tally[i].leases);
        long due = fleet_count(f, "replacements_due", tally[i].due);
        int manager = has_role(roles, "fleet_manager");
        char what[256] = "", reason[REASON_MAX];

        if (!company || !(manager || has_role(roles, "decision_maker")))
            continue;
        if (get_int(f, "fleet_size", &size) != 0)
            size = tally[i].n;
        if (size < e->r->fleet_min_vehicles)
            continue;
        /* The months belong to the leases: replacement is due now, not "in the next months". */
        if (leases && e->r->lease_end_months == 1)
            msg_format(e->lang,
                       MSG_PLURAL(leases, MSG_FLEET_LEASES_MONTH_ONE, MSG_FLEET_LEASES_MONTH), what,
                       sizeof what, leases);
        else if (leases)
            msg_format(e->lang, MSG_PLURAL(leases, MSG_FLEET_LEASES_ONE, MSG_FLEET_LEASES), what,
                       sizeof what, leases, e->r->lease_end_months);
        if (due)
            msg_format(e->lang, MSG_PLURAL(due, MSG_FLEET_DUE_ONE, MSG_FLEET_DUE),
                       what + strlen(what), sizeof what - strlen(what),
                       leases ? msg_text(e->lang, MSG_AND) : ": ", due);
        msg_format(e->lang, MSG_PLURAL(size, MSG_FLEET_ONE, MSG_FLEET), reason, sizeof reason,
                   manager ? msg_text(e->lang, MSG_FLEET_MANAGER)
                           : msg_text(e->lang, MSG_DECISION_MAKER),
                   cname ? cname : msg_text(e->lang, MSG_A_COMPANY), size, what);
        add_opp(e, "fleet", 40 + 5 * (leases + due), NULL, company, reason);
    }
}

/* "EV" only as a word, so that "event" or "every" do not count. */
static int
mentions_electric(const char *s)
{
    static const char *const needles[] = {"elektro", "electric", "e-auto", "strom", NULL};

    for (size_t i = 0; s && s[i]; i++) {
        for (const char *const *n = needles; *n; n++) {
            if (strncasecmp(s + i, *n, strlen(*n)) == 0)
                return 1;
        }
        if (strncasecmp(s + i, "ev", 2) == 0 && (i == 0 || !isalnum((unsigned char)s[i - 1])) &&
            (!isalnum((unsigned char)s[i + 2]) ||
             (tolower((unsigned char)s[i + 2]) == 's' && !isalnum((unsigned char)s[i + 3]))))
            return 1;
    }
    return 0;
}

static int
electric_interest(const json_t *person, const json_t *touchpoints)
{
    const char *key;
    json_t *v;
    size_t i;

    json_object_foreach ((json_t *)json_object_get(person, "preferences"), key, v) {
        if (mentions_electric(key) || mentions_electric(json_string_value(v)))
            return 1;
    }
    json_array_foreach (touchpoints, i, v) {
        if (mentions_electric(str(v, "summary")))
            return 1;
    }
    return 0;
}

/* A satisfaction score (0..1) and NPS answer (0..10); out of range counts as absent. */
static int
get_rating(const json_t *tp, double *sat, long *nps)
{
    json_t *s = json_object_get(tp, "satisfaction");

    *sat = json_is_number(s) ? json_number_value(s) : -1;
    if (*sat < 0 || *sat > 1)
        *sat = -1;
    if (get_int(tp, "nps", nps) != 0 || *nps < 0 || *nps > 10)
        *nps = -1;
    return *sat >= 0 || *nps >= 0;
}

/* "Last service visit on 2026-11-16 was rated 0.2 (NPS 3)"; score grows with the badness. */
static void
poor_experience(struct eval *e, const json_t *tp, const json_t *touchpoints, time_t at)
{
    const char *kind = str(tp, "kind");
    json_t *other;
    char label[64], date[MSG_DATE_MAX], rating[32] = "", npsv[32] = "", reason[REASON_MAX];
    long nps, score = 0;
    double sat;
    int last = 1;
    size_t i;
    time_t t;

    json_array_foreach (touchpoints, i, other) {
        if (other != tp && eq(str(other, "kind"), kind) &&
            datetime_parse_rfc3339(str(other, "occurred_at"), &t) == 0 && t > at)
            last = 0;
    }
    msg_kind(e->lang, kind, last, label, sizeof label); /* "Last service visit" */
    if (!last)
        label[0] = (char)toupper((unsigned char)label[0]);
    msg_day(e->lang, at >= 0 ? at / 86400 : (at - 86399) / 86400, date);
    get_rating(tp, &sat, &nps);
    if (sat >= 0) {
        msg_decimal(e->lang, sat, rating, sizeof rating); /* 0.2, 0.49, 1 */
        score = (long)((1 - sat) * 100 + 0.5);
    }
    if (nps >= 0) {
        snprintf(npsv, sizeof npsv, *rating ? " (NPS %ld)" : "NPS %ld", nps);
        if ((10 - nps) * 10 > score)
            score = (10 - nps) * 10;
    }
    msg_format(e->lang, MSG_POOR_RATED, reason, sizeof reason, label, date, rating, npsv);
    add_opp(e, "retention_risk", score, str(tp, "vehicle_id"), e->person_id, reason);
}

/* "Open complaint: <follow-up text, at most COMPLAINT_CHARS characters on one line>" */
static void
open_complaint(struct eval *e, const json_t *tp)
{
    const json_t *fu = json_object_get(tp, "follow_up");
    const char *text = str(fu, "text");
    char shown[COMPLAINT_CHARS * 4 + 4], reason[REASON_MAX];
    size_t o = 0, chars = 0, total = 0;

    if (!eq(str(tp, "kind"), "complaint"))
        return;
    if (!fu || json_is_null(fu)) {
        /* No follow-up recorded: open until one is (as the contact policy counts it). */
        text = str(tp, "summary") ? str(tp, "summary") : msg_text(e->lang, MSG_NO_FOLLOW_UP);
    } else if (!text || json_is_true(json_object_get(fu, "done"))) {
        return;
    }
    for (const char *c = text; *c; c++)
        total += ((unsigned char)*c & 0xC0) != 0x80;
    for (const char *c = text; *c; c++) {
        int lead = ((unsigned char)*c & 0xC0) != 0x80;
        if (lead && ++chars > (total > COMPLAINT_CHARS ? COMPLAINT_CHARS - 1 : COMPLAINT_CHARS))
            break;
        shown[o++] = *c == '\n' || *c == '\r' || *c == '\t' ? ' ' : *c;
    }
    shown[o] = '\0';
    if (total > COMPLAINT_CHARS)
        cat(shown, sizeof shown, "\xe2\x80\xa6" /* U+2026 */);
    msg_format(e->lang, MSG_OPEN_COMPLAINT, reason, sizeof reason, shown);
    add_opp(e, "retention_risk", 80, str(tp, "vehicle_id"), e->person_id, reason);
}

/*
 * Warnings: every open complaint (score 80), and the most recent poorly
 * rated touchpoint within poor_experience_days.
 */
static void
rule_retention(struct eval *e, const json_t *touchpoints)
{
    const json_t *worst = NULL;
    time_t worst_at = 0, at;
    size_t i;
    json_t *tp;

    json_array_foreach (touchpoints, i, tp) {
        const char *cust = str(tp, "customer_id");
        long nps, day;
        double sat;

        if (!json_is_object(tp) || (cust && e->person_id && strcmp(cust, e->person_id)))
            continue;
        open_complaint(e, tp);
        if (!get_rating(tp, &sat, &nps) ||
            !((sat >= 0 && sat < e->r->poor_satisfaction) || (nps >= 0 && nps <= 6)) ||
            !e->has_today || datetime_parse_rfc3339(str(tp, "occurred_at"), &at) != 0)
            continue;
        day = at >= 0 ? at / 86400 : (at - 86399) / 86400;
        if (e->today - day <= e->r->poor_experience_days && (!worst || at > worst_at)) {
            worst = tp;
            worst_at = at;
        }
    }
    if (worst)
        poor_experience(e, worst, touchpoints, worst_at);
}

static int
cmp_str(const char *a, const char *b)
{
    if (!a || !b)
        return a ? 1 : b ? -1 : 0;
    return strcmp(a, b);
}

/* Score, highest first; then kind, vehicle_id, customer_id and reason, so ties are stable. */
static int
cmp_opp(const void *pa, const void *pb)
{
    const json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
    json_int_t sa = json_integer_value(json_object_get(a, "score"));
    json_int_t sb = json_integer_value(json_object_get(b, "score"));
    static const char *const keys[] = {"kind", "vehicle_id", "customer_id", "reason"};
    int c;

    if (sa != sb)
        return sa > sb ? -1 : 1;
    for (size_t i = 0; i < 4; i++) {
        if ((c = cmp_str(str(a, keys[i]), str(b, keys[i]))) != 0)
            return c;
    }
    return 0;
}

/* Keep the best n opportunities of e->opps (cmp_opp is a total order: the same n as sorting all). */
static void
keep_best(struct eval *e, size_t n)
{
    size_t len = json_array_size(e->opps), i;
    json_t **sorted = xcalloc(len ? len : 1, sizeof *sorted), *out = json_array();

    for (i = 0; i < len; i++)
        sorted[i] = json_array_get(e->opps, i);
    qsort(sorted, len, sizeof *sorted, cmp_opp);
    for (i = 0; i < len && i < n; i++)
        json_array_append(out, sorted[i]);
    free(sorted);
    json_decref(e->opps);
    e->opps = out;
}

struct potential *
potential_start(const json_t *ctx, const struct rules *r, enum lang lang, size_t listed)
{
    struct potential *pt = xcalloc(1, sizeof *pt);
    const json_t *person = json_object_get(ctx, "person"), *me;
    struct eval *e = &pt->e;

    e->r = r ? r : rules_current();
    e->lang = lang;
    e->opps = json_array();
    e->listed = listed;
    e->has_today = get_date(ctx, "today", &e->today) == 0;
    e->person_id = str(person, "id");
    e->members = json_object_get(json_object_get(ctx, "household"), "members");
    if (!json_is_array(e->members))
        e->members = NULL;
    me = find_member(e, e->person_id);
    e->person_role = me ? str(me, "role") : str(json_object_get(person, "household"), "role");
    e->ev_interest = electric_interest(person, json_object_get(ctx, "touchpoints"));
    pt->ctx = ctx;
    pt->fleets = json_object_get(ctx, "fleets");
    pt->tally = xcalloc(json_array_size(pt->fleets) + 1, sizeof *pt->tally);
    return pt;
}

void
potential_vehicle(struct potential *pt, const json_t *v)
{
    if (eq(str(v, "relation"), "fleet"))
        tally_fleet_vehicle(pt, v); /* summarised per company by rule_fleets */
    else
        rules_for_vehicle(&pt->e, v);
}

json_t *
potential_finish(struct potential *pt)
{
    struct eval *e = &pt->e;
    json_t *out;

    rule_members(e);
    rule_fleets(e, pt->fleets, pt->tally);
    rule_retention(e, json_object_get(pt->ctx, "touchpoints"));
    keep_best(e, e->listed);
    out = json_pack("{s:I, s:o, s:I}", "score", e->total > 100 ? (json_int_t)100 : e->total,
                    "opportunities", e->opps, "opportunity_count", e->count);
    free(pt->tally);
    free(pt);
    return out;
}

int
potential_cutoffs(const char *today, const struct rules *r, struct potential_cutoffs *out)
{
    int y, m, d, years = r->replace_age_years;
    long t, c;

    if (!today || datetime_parse_date(today, &y, &m, &d) != 0)
        return -1;
    t = datetime_days_from_civil(y, m, d);
    datetime_format_date(add_months(t, -1), out->lease_from);
    datetime_format_date(add_months(t, r->lease_end_months), out->lease_to);
    /* the last registration day whose vehicle is `years` old today (29 February is not monotone) */
    c = add_months(t, -12 * years);
    while (add_months(c + 1, 12 * years) <= t)
        c++;
    while (add_months(c, 12 * years) > t)
        c--;
    datetime_format_date(c, out->registered_by);
    out->year_by = y - years;
    return 0;
}

json_t *
potential_evaluate(const json_t *ctx, const struct rules *r, enum lang lang)
{
    struct potential *pt = potential_start(ctx, r, lang, SIZE_MAX);
    size_t i;
    json_t *v;

    json_array_foreach (json_object_get(ctx, "vehicles"), i, v)
        potential_vehicle(pt, v);
    return potential_finish(pt);
}
