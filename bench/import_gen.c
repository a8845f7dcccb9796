/*
 * import_gen: an NDJSON body for POST /v1/import in the shape of the
 * bench data set (gen_data.c's names, cities and cars): per 1,000
 * customers about 1,500 vehicles and 5,000 touchpoints, persons with
 * phones, e-mail and address, 5 % companies; every reference by external
 * id, and each customer's cars and contacts come before the customer (so
 * the import resolves forward references). Same seed, same body.
 *
 *   import_gen --customers N [--seed S] > body.ndjson
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gen.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t
rnd(void)
{
    /* splitmix64 */
    uint64_t z = (rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static long
rndn(long n)
{
    return (long)(rnd() % (uint64_t)n);
}

static const char *
pick(const struct gen_word *w, size_t n)
{
    unsigned long total = 0, r;

    for (size_t i = 0; i < n; i++)
        total += w[i].weight;
    r = (unsigned long)rndn((long)total);
    for (size_t i = 0; i < n; i++) {
        if (r < w[i].weight)
            return w[i].text;
        r -= w[i].weight;
    }
    return w[0].text;
}

static const struct gen_city *
pick_city(void)
{
    unsigned long total = 0, r;

    for (size_t i = 0; i < gen_ncities; i++)
        total += gen_cities[i].weight;
    r = (unsigned long)rndn((long)total);
    for (size_t i = 0; i < gen_ncities; i++) {
        if (r < gen_cities[i].weight)
            return &gen_cities[i];
        r -= gen_cities[i].weight;
    }
    return &gen_cities[0];
}

/* A time days_ago days before now, in office hours-ish (RFC 3339 UTC). */
static void
put_time(long days_ago, char *out)
{
    time_t t = time(NULL) - days_ago * 86400 - rndn(9 * 3600);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
vehicle(long v, long owner, int company, const struct gen_city *c)
{
    const struct gen_car *car = &gen_cars[rndn((long)gen_ncars)];
    static const char vin_chars[] = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ";
    char vin[18];

    memcpy(vin, car->wmi, 3);
    for (int i = 3; i < 17; i++)
        vin[i] = vin_chars[rndn(33)];
    vin[17] = '\0';
    snprintf(vin + 11, 7, "%06ld", v % 1000000); /* the last six are unique */
    printf("{\"type\":\"vehicle\",\"external_ref\":{\"system\":\"dms\",\"id\":\"F-%ld\"},"
           "\"make\":\"%s\",\"model\":\"%s\",\"variant\":\"%s\",\"powertrain\":\"%s\","
           "\"vin\":\"%s\",\"plate\":\"%s-%c%c %ld\",\"model_year\":%ld,\"mileage_km\":%ld,"
           "\"acquisition\":\"%s\",\"bought_from_us\":%s,\"owner\":{\"system\":\"dms\",\"id\":\"K-%ld\"}}\n",
           v, car->make, car->model, car->variant, car->powertrain, vin, c->plate,
           'A' + (int)rndn(26), 'A' + (int)rndn(26), 1 + v % 9999, 2008 + rndn(18),
           rndn(200000), company ? "fleet" : "bought_used", rndn(2) ? "true" : "false", owner);
}

static const char *const kinds[] = { "service_visit", "app_booking", "phone_call", "email",
                                     "showroom_visit", "test_drive", "complaint", "survey" };
static const char *const channels[] = { "in_person", "app", "phone", "email", "in_person", "in_person",
                                        "in_person", "web" };
static const char *const notes[] = {
    "Inspektion mit Ölwechsel, Bremsflüssigkeit erneuert.",
    "Termin über die App gebucht: Inspektion.",
    "Rückfrage zur Rechnung, Position Kleinteile erklärt.",
    "Angebot für Winterreifen per E-Mail geschickt.",
    "Beratung zum Leasing für den Nachfolger, Angebot folgt.",
    "Probefahrt mit dem Elektroauto, Laden zu Hause besprochen.",
    "Beschwerde: Fahrzeug nicht rechtzeitig fertig, Ersatzwagen fehlte.",
    "Zufriedenheitsumfrage nach dem Werkstattbesuch.",
};

static void
touchpoint(long t, long customer, long v)
{
    int k = (int)rndn(8);
    char at[24];

    put_time(rndn(5 * 365), at);
    printf("{\"type\":\"touchpoint\",\"external_ref\":{\"system\":\"dms\",\"id\":\"T-%ld\"},"
           "\"customer\":{\"system\":\"dms\",\"id\":\"K-%ld\"}",
           t, customer);
    if (v >= 0)
        printf(",\"vehicle\":{\"system\":\"dms\",\"id\":\"F-%ld\"}", v);
    printf(",\"kind\":\"%s\",\"channel\":\"%s\",\"department\":\"%s\",\"occurred_at\":\"%s\","
           "\"summary\":\"%s\"",
           kinds[k], channels[k], k == 4 || k == 5 ? "sales" : "service", at, notes[k]);
    if (k == 7)
        printf(",\"satisfaction\":0.%ld,\"nps\":%ld", rndn(10), rndn(11));
    puts("}");
}

/* "Müller-Lüdenscheidt" → "mllerldenscheidt": lower-case ASCII letters only (for e-mail users). */
static void
ascii_lower(const char *in, char *out, size_t outsz)
{
    size_t n = 0;

    for (; *in && n + 1 < outsz; in++)
        if ((*in >= 'a' && *in <= 'z') || (*in >= 'A' && *in <= 'Z'))
            out[n++] = (char)(*in | 0x20);
    out[n] = '\0';
}

static void
customer(long i, int company, const struct gen_city *c)
{
    char user[64], street[128];
    const char *family = pick(gen_family, gen_nfamily);
    int female = (int)rndn(2);

    ascii_lower(family, user, sizeof user);
    snprintf(street, sizeof street, "%s %ld", pick(gen_street, gen_nstreet), 1 + rndn(120));
    if (company)
        printf("{\"type\":\"customer\",\"external_ref\":{\"system\":\"dms\",\"id\":\"K-%ld\"},"
               "\"kind\":\"company\",\"company_name\":\"%s %s GmbH\",\"phones\":[\"%s %ld\"],",
               i, family, pick(gen_company_trade, gen_ntrade), c->dial, 100000 + rndn(899999));
    else
        printf("{\"type\":\"customer\",\"external_ref\":{\"system\":\"dms\",\"id\":\"K-%ld\"},"
               "\"kind\":\"person\",\"salutation\":\"%s\",\"given_name\":\"%s\",\"family_name\":\"%s\","
               "\"birthday\":\"%ld-%02ld-%02ld\",\"phones\":[\"017%ld %07ld\"],"
               "\"emails\":[\"%s.%ld@%s\"],",
               i, female ? "Frau" : "Herr", female ? pick(gen_female, gen_nfemale) : pick(gen_male, gen_nmale),
               family, 1940 + rndn(65), 1 + rndn(12), 1 + rndn(28), rndn(10), rndn(10000000), user, i,
               pick(gen_mail_domain, gen_ndomain));
    printf("\"address\":{\"street\":\"%s\",\"postal_code\":\"%s%03ld\",\"city\":\"%s\",\"country\":\"DE\"}}\n",
           street, c->postal, rndn(1000), c->name);
}

int
main(int argc, char **argv)
{
    long ncust = 1000, v = 0, t = 0;

    for (int a = 1; a + 1 < argc; a += 2) {
        if (!strcmp(argv[a], "--customers"))
            ncust = atol(argv[a + 1]);
        else if (!strcmp(argv[a], "--seed"))
            rng ^= strtoull(argv[a + 1], NULL, 10);
    }
    if (ncust <= 0) {
        fprintf(stderr, "usage: import_gen --customers N [--seed S] > body.ndjson\n");
        return 2;
    }
    for (long i = 0; i < ncust; i++) {
        const struct gen_city *c = pick_city();
        int company = rndn(20) == 0;
        long first = v, nveh = (i % 2) ? 2 : 1; /* 1.5 cars per customer */
        for (long k = 0; k < nveh; k++)
            vehicle(v++, i, company, c);
        for (long k = 0; k < 5; k++, t++)
            touchpoint(t, i, k < 4 ? first + rndn(nveh) : -1);
        customer(i, company, c);
    }
    return ferror(stdout) ? 1 : 0;
}
