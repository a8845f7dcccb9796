/*
 * gen_touch: touchpoints of the benchmark data set. Visits come as
 * journeys (app booking → drop-off at the desk → technician's note →
 * survey; showroom → test drive → purchase → delivery) or single
 * contacts (calls in and out, e-mails, complaints with follow-ups),
 * rated now and then, more recent ones more likely.
 */
#include <stdio.h>
#include <string.h>

#include "gen.h"

static const char SQL_TOUCHPOINT[] =
    "INSERT INTO touchpoints (id, customer_id, vehicle_id, kind, channel, direction, purpose, "
    "outcome,"
    " occurred_at, staff, department, summary, satisfaction, nps, journey_id, follow_up, "
    "created_at,"
    " updated_at, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
    " ?15, ?16, ?9, ?9, 1)";

struct tp {
    const char *kind, *channel, *direction, *purpose, *outcome, *department, *summary;
    const char *follow; /* follow-up text or NULL */
    int follow_done;
    double sat; /* < 0: not rated */
    int nps;    /* < 0: not asked */
};

struct visit {
    const char *customer, *vehicle;
    char journey[UTIL_UUID_LEN + 1]; /* "" = none */
    long day;
    long left; /* touchpoints still to write overall */
};

static sqlite3_stmt *insert;

static const char *
pick(struct gen *g, const char *const *list, size_t n)
{
    return list[gen_rndn(g, (long)n)];
}

#define PICK(g, a) pick(g, a, sizeof a / sizeof a[0])

static const char *const service_notes[] = {
    "Inspektion mit Ölwechsel, Bremsflüssigkeit erneuert.",
    "Reifenwechsel auf Winterräder, Sommerräder eingelagert.",
    "HU/AU durchgeführt, keine Mängel.",
    "Klimaanlage geprüft und befüllt, Innenraumfilter getauscht.",
    "Rückruf-Aktion: Software-Update Motorsteuerung.",
    "Scheibenwischer und Glühlampe vorne links ersetzt.",
};
static const char *const bookings[] = {
    "Termin über die App gebucht: Inspektion.",
    "Werkstatttermin per App, Hol- und Bringservice gewünscht.",
    "Reifenwechsel online gebucht, Räder liegen bei uns.",
};
static const char *const technician[] = {
    "Werkstatt: Bremsbeläge hinten bei 3 mm, Austausch beim nächsten Besuch empfohlen.",
    "Werkstatt: Zahnriemenwechsel in den nächsten 10.000 km fällig.",
    "Werkstatt: Steinschlag in der Frontscheibe, Kunde informieren.",
    "Werkstatt: Batterie schwach, Test-Ausdruck liegt im Auftrag.",
};
static const char *const showroom[] = {
    "Interesse an einem Elektroauto, Reichweite und Laden zu Hause besprochen.",
    "Beratung zum Leasing für den Nachfolger, Angebot folgt.",
    "Sucht einen größeren Wagen für die Familie; Kombi oder SUV.",
};
static const char *const calls[] = {
    "Rückfrage zur Rechnung, Position Kleinteile erklärt.",
    "Terminerinnerung Inspektion.",
    "Fragt nach dem Stand der Reparatur.",
    "Angebot für Winterreifen besprochen.",
};
static const char *const complaints[] = {
    "Beschwerde: Fahrzeug nicht rechtzeitig fertig, Ersatzwagen fehlte.",
    "Kratzer an der Tür nach dem Werkstattbesuch reklamiert.",
    "Rechnung höher als der Kostenvoranschlag; Kunde verärgert.",
};

static double
satisfaction(struct gen *g, int complaint)
{
    static const double good[] = {1.0, 1.0, 1.0, 0.9, 0.9, 0.9, 0.8, 0.8, 0.7, 0.6, 0.5, 0.4, 0.2};
    static const double poor[] = {0.1, 0.2, 0.3, 0.4, 0.5};
    return complaint ? poor[gen_rndn(g, 5)] : good[gen_rndn(g, 13)];
}

static int
nps(struct gen *g)
{
    static const int scores[] = {10, 10, 10, 10, 9, 9, 9, 8, 8, 7, 6, 5, 3, 0};
    return scores[gen_rndn(g, 14)];
}

static void
put(struct gen *g, struct visit *v, const struct tp *t)
{
    char id[UTIL_UUID_LEN + 1], at[UTIL_TIME_LEN + 1];
    struct buf follow = {0};

    if (v->left <= 0)
        return;
    v->left--;
    gen_uuid(g, id);
    gen_time(g, v->day, at);
    if (t->follow) {
        buf_puts(&follow, "{\"text\":");
        gen_json_str(&follow, t->follow);
        buf_printf(&follow, ",\"done\":%s}", t->follow_done ? "true" : "false");
    }
    gen_bind_text(insert, 1, id);
    gen_bind_text(insert, 2, v->customer);
    gen_bind_text(insert, 3, v->vehicle);
    gen_bind_text(insert, 4, t->kind);
    gen_bind_text(insert, 5, t->channel);
    gen_bind_text(insert, 6, t->direction ? t->direction : "inbound");
    gen_bind_text(insert, 7, t->purpose);
    gen_bind_text(insert, 8, t->outcome);
    gen_bind_text(insert, 9, at);
    gen_bind_text(insert, 10, gen_staff[gen_rndn(g, (long)gen_nstaff)]);
    gen_bind_text(insert, 11, t->department);
    gen_bind_text(insert, 12, t->summary);
    if (t->sat >= 0)
        sqlite3_bind_double(insert, 13, t->sat);
    if (t->nps >= 0)
        sqlite3_bind_int(insert, 14, t->nps);
    gen_bind_text(insert, 15, v->journey);
    gen_bind_text(insert, 16, follow.data);
    gen_step(g, insert);
    buf_release(&follow);
    /* the next touchpoint of the visit comes later, never after today */
    v->day += gen_rndn(g, 3);
    if (v->day > g->today)
        v->day = g->today;
}

/* App booking → desk → (technician's note) → (survey). */
static void
service_journey(struct gen *g, struct visit *v)
{
    int rated = gen_chance(g, 0.5);
    if (gen_chance(g, 0.5))
        put(g, v,
            &(struct tp){"app_booking", "app", NULL, "service", NULL, NULL, PICK(g, bookings), NULL,
                         0, rated ? satisfaction(g, 0) : -1, -1});
    put(g, v,
        &(struct tp){"service_visit", "in_person", NULL, "service", NULL, "reception",
                     PICK(g, service_notes), NULL, 0, rated ? satisfaction(g, 0) : -1, -1});
    if (gen_chance(g, 0.3))
        put(g, v,
            &(struct tp){"other", "in_person", NULL, "service", NULL, "technician",
                         PICK(g, technician),
                         gen_chance(g, 0.2) ? "Kunden vor dem nächsten Termin anrufen" : NULL,
                         gen_chance(g, 0.6), -1, -1});
    if (gen_chance(g, 0.25))
        put(g, v,
            &(struct tp){"survey", "email", NULL, "information", NULL, NULL,
                         "Umfrage nach dem Werkstattbesuch.", NULL, 0, satisfaction(g, 0), nps(g)});
}

/* Showroom → (test drive) → (purchase → delivery). */
static void
sales_journey(struct gen *g, struct visit *v)
{
    put(g, v,
        &(struct tp){"showroom_visit", "in_person", NULL, "sales", NULL, "sales", PICK(g, showroom),
                     NULL, 0, gen_chance(g, 0.3) ? satisfaction(g, 0) : -1, -1});
    if (gen_chance(g, 0.6))
        put(g, v,
            &(struct tp){"test_drive", "in_person", NULL, "sales", NULL, "sales",
                         "Probefahrt, 45 Minuten, sehr angetan.", NULL, 0, -1, -1});
    if (gen_chance(g, 0.4)) {
        put(g, v,
            &(struct tp){"purchase", "in_person", NULL, "sales", NULL, "sales",
                         "Kaufvertrag unterschrieben, Übergabe in drei Wochen.", NULL, 0, -1, -1});
        v->day += 14;
        if (v->day > g->today)
            v->day = g->today;
        put(g, v,
            &(struct tp){"delivery", "in_person", NULL, "sales", NULL, "sales",
                         "Fahrzeugübergabe mit Einweisung in App und Assistenzsysteme.", NULL, 0,
                         satisfaction(g, 0), -1});
    }
}

static void
single(struct gen *g, struct visit *v, int company)
{
    double u = gen_rndf(g);
    static const char *const purposes[] = {"service", "sales", "information"};
    static const char *const outcomes[] = {"reached",    "reached",    "reached",
                                           "unanswered", "unanswered", "declined"};

    if (u < 0.35 || company) {
        int out = gen_chance(g, 0.4);
        put(g, v,
            &(struct tp){"phone_call", "phone", out ? "outbound" : "inbound", PICK(g, purposes),
                         out ? PICK(g, outcomes) : NULL, "service", PICK(g, calls), NULL, 0, -1,
                         -1});
    } else if (u < 0.6) {
        int out = gen_chance(g, 0.5);
        put(g, v,
            &(struct tp){"email", "email", out ? "outbound" : "inbound", PICK(g, purposes), NULL,
                         "sales", "Angebot und Terminvorschläge per E-Mail.", NULL, 0, -1, -1});
    } else if (u < 0.65) {
        put(g, v,
            &(struct tp){"complaint", gen_chance(g, 0.5) ? "phone" : "in_person", NULL, "recovery",
                         NULL, "management", PICK(g, complaints),
                         "Rückruf durch die Serviceleitung", gen_chance(g, 0.7), satisfaction(g, 1),
                         -1});
    } else if (u < 0.7) {
        put(g, v,
            &(struct tp){"event", "in_person", NULL, "sales", NULL, "sales",
                         "Modellpräsentation besucht, Interesse am neuen Kombi.", NULL, 0, -1, -1});
    } else {
        put(g, v,
            &(struct tp){"service_visit", "in_person", NULL, "service", NULL, "service",
                         PICK(g, service_notes), NULL, 0,
                         gen_chance(g, 0.4) ? satisfaction(g, 0) : -1, -1});
    }
}

void
gen_touchpoints(struct gen *g, char (*vehicle_ids)[UTIL_UUID_LEN + 1], const int32_t *desk)
{
    struct visit v = {.left = g->ntp};

    insert = gen_prepare(g, SQL_TOUCHPOINT);
    while (v.left > 0) {
        double u = gen_rndf(g), kind = gen_rndf(g);
        int company = 0;

        v.vehicle = NULL;
        if (u < 0.8) {
            long vi = gen_rndn(g, g->nveh);
            int32_t who = desk[vi];
            v.vehicle = vehicle_ids[vi];
            company = who < 0;
            v.customer = company ? g->comp[-who - 1].id : g->pers[who - 1].id;
        } else if (u < 0.96 || !g->ncomp) {
            const struct gen_person *p = &g->pers[gen_rndn(g, g->npers)];
            v.customer = p->id;
            v.vehicle = p->vehicle >= 0 ? vehicle_ids[p->vehicle] : NULL;
        } else {
            v.customer = g->comp[gen_rndn(g, g->ncomp)].id;
            company = 1;
        }
        v.day = gen_past_day(g, 6);
        v.journey[0] = '\0';
        if (!company && kind < 0.45) {
            gen_uuid(g, v.journey);
            if (kind < 0.35)
                service_journey(g, &v);
            else
                sales_journey(g, &v);
        } else {
            single(g, &v, company);
        }
    }
    sqlite3_finalize(insert);
}
