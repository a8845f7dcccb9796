/*
 * gen_rows: the tables of the benchmark data set, row by row through
 * prepared statements, with every derived value computed by the server's
 * normalisers exactly as the store writes them on POST. Households share
 * a family name, an address and sometimes a landline; companies own
 * fleets of 5 to 2,000 cars driven by people who have households of
 * their own; plates collide once normalised ("M-AB 123" / "MA-B 123") or
 * passed from a sold car to a new one; touchpoints come in journeys.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "db.h"
#include "gen.h"
#include "normalize.h"
#include "phone.h"
#include "store.h"

#define FLEET_MIN 5
#define FLEET_MAX 2000
#define FLEET_SHARE_PERCENT 12 /* of all vehicles: company cars */
#define PLATES_WANTED 20000.0  /* lines of the plates file */
#define QUERIES_WANTED 6000.0  /* lines of the queries file */

static const char SQL_CUSTOMER[] =
    "INSERT INTO customers (id, kind, salutation, title, given_name, family_name, preferred_name,"
    " birthday, language, company_name, legal_form, vat_id, emails, phones, address, preferences,"
    " consents, do_not_contact, external_refs, notes, created_at, updated_at, version)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,"
    " ?20, ?21, ?21, 1)";
static const char SQL_KEY[] =
    "INSERT OR IGNORE INTO customer_keys (kind, key, customer_id) VALUES (?1, ?2, ?3)";
static const char SQL_REF[] =
    "INSERT INTO external_refs (resource, ref_key, res_id) VALUES (?1, ?2, ?3)";
static const char SQL_HOUSEHOLD[] =
    "INSERT INTO households (id, name, address, notes, created_at, updated_at, version)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?5, 1)";
static const char SQL_MEMBER[] = "INSERT INTO household_members (customer_id, household_id, role, "
                                 "since) VALUES (?1, ?2, ?3, ?4)";
struct stmts {
    sqlite3_stmt *customer, *key, *ref, *household, *member;
};

/* A customer row being assembled (JSON members as text, NULL = absent). */
struct cust {
    const char *id, *kind, *salutation, *title, *given, *family, *preferred, *birthday, *language;
    const char *company, *legal_form, *vat_id, *notes;
    struct buf emails, phones, address, preferences, consents, refs;
    int dnc;
    char created[UTIL_TIME_LEN + 1];
    char keys[6][NORMALIZE_EMAIL_MAX]; /* "email" keys first, then phones */
    int nemail, nkeys;
};

static struct stmts S;

/* ---- customers ---- */

static void
cust_release(struct cust *c)
{
    buf_release(&c->emails);
    buf_release(&c->phones);
    buf_release(&c->address);
    buf_release(&c->preferences);
    buf_release(&c->consents);
    buf_release(&c->refs);
}

/* Append a phone {number, e164[, label]} and its lookup key. */
static void
add_phone(struct cust *c, const char *typed, const char *label)
{
    char e164[PHONE_E164_MAX];

    if (phone_parse(typed, "DE", e164, sizeof e164, NULL) != 0 || c->nkeys == 6)
        gen_die("bad phone %s", typed);
    buf_puts(&c->phones, c->phones.len ? "," : "[");
    buf_puts(&c->phones, "{\"number\":");
    gen_json_str(&c->phones, typed);
    buf_printf(&c->phones, ",\"e164\":\"%s\"", e164);
    if (label)
        buf_printf(&c->phones, ",\"label\":\"%s\"", label);
    buf_puts(&c->phones, "}");
    snprintf(c->keys[c->nkeys++], NORMALIZE_EMAIL_MAX, "%s", e164);
}

static void
add_email(struct cust *c, const char *address, const char *label)
{
    char key[NORMALIZE_EMAIL_MAX];

    if (normalize_email(address, key, sizeof key) != 0 || c->nkeys == 6 || c->nemail != c->nkeys)
        gen_die("bad e-mail %s", address);
    buf_puts(&c->emails, c->emails.len ? "," : "[");
    buf_puts(&c->emails, "{\"address\":");
    gen_json_str(&c->emails, address);
    if (label)
        buf_printf(&c->emails, ",\"label\":\"%s\"", label);
    buf_puts(&c->emails, "}");
    snprintf(c->keys[c->nkeys++], NORMALIZE_EMAIL_MAX, "%s", key);
    c->nemail++;
}

static void
set_address(struct gen *g, struct buf *b, size_t city)
{
    buf_puts(b, "{\"street\":");
    {
        char street[96];
        snprintf(street, sizeof street, "%s %ld%s", gen_pick(g, gen_street, gen_nstreet),
                 1 + gen_rndn(g, 180), gen_chance(g, 0.08) ? "a" : "");
        gen_json_str(b, street);
    }
    buf_printf(b, ",\"postal_code\":\"%s%03ld\",\"city\":", gen_cities[city].postal,
               gen_rndn(g, 1000));
    gen_json_str(b, gen_cities[city].name);
    buf_puts(b, ",\"country\":\"DE\"}");
}

static void
set_consents(struct gen *g, struct cust *c)
{
    static const char *const channels[] = {"email", "phone", "sms", "post"};
    char at[UTIL_TIME_LEN + 1];

    for (int i = 0; i < 4; i++) {
        if (!gen_chance(g, 0.55))
            continue;
        gen_time(g, gen_past_day(g, 8), at);
        buf_puts(&c->consents, c->consents.len ? "," : "{");
        buf_printf(&c->consents, "\"%s\":{\"status\":\"%s\",\"at\":\"%s\"}", channels[i],
                   gen_chance(g, 0.88) ? "granted" : "withdrawn", at);
    }
    if (c->consents.len)
        buf_puts(&c->consents, "}");
}

static void
insert_customer(struct gen *g, struct cust *c)
{
    sqlite3_stmt *st = S.customer;
    const char *v[] = {c->id,       c->kind,    c->salutation, c->title,
                       c->given,    c->family,  c->preferred,  c->birthday,
                       c->language, c->company, c->legal_form, c->vat_id};

    for (int i = 0; i < 12; i++)
        gen_bind_text(st, i + 1, v[i]);
    if (c->emails.len)
        buf_puts(&c->emails, "]");
    if (c->phones.len)
        buf_puts(&c->phones, "]");
    gen_bind_text(st, 13, c->emails.data);
    gen_bind_text(st, 14, c->phones.data);
    gen_bind_text(st, 15, c->address.data);
    gen_bind_text(st, 16, c->preferences.data);
    gen_bind_text(st, 17, c->consents.data);
    sqlite3_bind_int(st, 18, c->dnc);
    gen_bind_text(st, 19, c->refs.data);
    gen_bind_text(st, 20, c->notes);
    gen_bind_text(st, 21, c->created);
    gen_step(g, st);
    for (int i = 0; i < c->nkeys; i++) {
        gen_bind_text(S.key, 1, i < c->nemail ? "email" : "phone");
        gen_bind_text(S.key, 2, c->keys[i]);
        gen_bind_text(S.key, 3, c->id);
        gen_step(g, S.key);
    }
}

void
gen_add_ref(struct gen *g, struct buf *json, const char *resource, const char *prefix, long n,
            const char *id)
{
    char ref_id[32], key[48];

    snprintf(ref_id, sizeof ref_id, "%s-%ld", prefix, n);
    snprintf(key, sizeof key, "dms:%s", ref_id);
    buf_printf(json, "[{\"system\":\"dms\",\"id\":\"%s\"}]", ref_id);
    gen_bind_text(S.ref, 1, resource);
    gen_bind_text(S.ref, 2, key);
    gen_bind_text(S.ref, 3, id);
    gen_step(g, S.ref);
}

/* A mobile number as typed, in one of the ways people write them. */
static void
mobile(struct gen *g, char *out, size_t outsz, char *national, size_t natsz)
{
    static const char *const prefixes[] = {"0151", "0152", "0157", "0160", "0162", "0170",
                                           "0171", "0172", "0175", "0176", "0177", "0179"};
    const char *pre;
    long sub;
    int style = (int)gen_rndn(g, 4);

    do { /* a length this mobile range has (libphonenumber's data: 015x has 8 digits) */
        pre = prefixes[gen_rndn(g, 12)];
        sub = 1000000 + gen_rndn(g, 99000000);
        snprintf(national, natsz, "%s %ld", pre, sub);
    } while (!phone_is_valid(national, "DE"));
    if (style == 0)
        snprintf(out, outsz, "%s %ld", pre, sub);
    else if (style == 1)
        snprintf(out, outsz, "%s/%ld", pre, sub);
    else if (style == 2)
        snprintf(out, outsz, "+49 %s %ld", pre + 1, sub);
    else
        snprintf(out, outsz, "%s-%ld", pre, sub);
}

static void
landline(struct gen *g, size_t city, char *out, size_t outsz)
{
    const char *dial = gen_cities[city].dial;
    int digits = strlen(dial) >= 5 ? 5 : 7;

    do {
        long sub = gen_rndn(g, digits == 5 ? 90000 : 9000000) + (digits == 5 ? 10000 : 1000000);
        snprintf(out, outsz, "%s %ld", dial, sub);
    } while (!phone_is_valid(out, "DE"));
}

/* A query the desk might type for this phone: the national form in another spelling. */
static void
phone_query(struct gen *g, const char *national, char *out, size_t outsz)
{
    const char *sp = strchr(national, ' ');
    int style = (int)gen_rndn(g, 4);
    if (!sp) {
        snprintf(out, outsz, "%s", national);
        return;
    }
    if (style == 0)
        snprintf(out, outsz, "%.*s%s", (int)(sp - national), national, sp + 1);
    else if (style == 1)
        snprintf(out, outsz, "+49 %.*s %s", (int)(sp - national - 1), national + 1, sp + 1);
    else if (style == 2)
        snprintf(out, outsz, "0049-%.*s-%s", (int)(sp - national - 1), national + 1, sp + 1);
    else
        snprintf(out, outsz, "(%.*s) %s", (int)(sp - national), national, sp + 1);
}

/* Name queries: as written, transliterated, without umlauts, with the given name, a prefix. */
static void
name_query(struct gen *g, const char *given, const char *family, char *out, size_t outsz)
{
    char ascii[128];
    int kind = (int)gen_rndn(g, 10);

    gen_ascii(family, 0, ascii, sizeof ascii);
    if (kind < 3)
        snprintf(out, outsz, "%s", family);
    else if (kind < 5)
        snprintf(out, outsz, "%s", ascii); /* Mueller */
    else if (kind < 6) {
        /* Muller: umlauts without their dots */
        size_t n = 0;
        for (const unsigned char *p = (const unsigned char *)family; *p && n + 2 < outsz; p++) {
            if (*p == 0xC3 && (p[1] == 0xA4 || p[1] == 0xB6 || p[1] == 0xBC)) {
                out[n++] = p[1] == 0xA4 ? 'a' : p[1] == 0xB6 ? 'o' : 'u';
                p++;
            } else
                out[n++] = (char)*p;
        }
        out[n] = '\0';
    } else if (kind < 8)
        snprintf(out, outsz, "%s %s", given, family);
    else if (kind < 9)
        snprintf(out, outsz, "%.4s", ascii); /* prefix */
    else {
        /* lower case, as typed in a hurry */
        snprintf(out, outsz, "%s", ascii);
        for (char *p = out; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p + 32);
    }
}

/*
 * One person: name, birthday for their age, contacts (the household's
 * landline maybe), address of the household. Writes the customer row,
 * keys and reference; the person's index is pi.
 */
static void
person(struct gen *g, long pi, const char *family, int female, int age, size_t city,
       const char *address, const char *home_phone)
{
    static const char *const nicknames[] = {"Alex", "Chris", "Sascha", "Kim",
                                            "Toni", "Flo",   "Steffi", "Jojo"};
    static const char *const langs[] = {"de", "de", "de", "de", "de", "de", "de", "de", "de", "de",
                                        "de", "de", "de", "de", "de", "en", "en", "tr", "pl", "it"};
    struct gen_person *p = &g->pers[pi];
    struct cust c = {0};
    char birthday[11], given_ascii[64], family_ascii[96], mail[256], typed[40], national[40];
    const char *given =
        female ? gen_pick(g, gen_female, gen_nfemale) : gen_pick(g, gen_male, gen_nmale);
    double u = gen_rndf(g);

    gen_uuid(g, p->id);
    p->age = (uint8_t)age;
    p->city = (uint8_t)city;
    p->vehicle = -1;
    c.id = p->id;
    c.kind = "person";
    c.salutation = u < 0.90   ? (female ? "Frau" : "Herr")
                   : u < 0.92 ? (u < 0.91 ? "divers" : "none")
                              : NULL;
    c.title = age >= 28 && gen_chance(g, 0.05) ? (gen_chance(g, 0.1) ? "Prof. Dr." : "Dr.") : NULL;
    c.given = given;
    c.family = family;
    c.preferred = gen_chance(g, 0.03) ? nicknames[gen_rndn(g, 8)] : NULL;
    datetime_format_date(g->today - (long)age * 365 - 1 - gen_rndn(g, 364), birthday);
    c.birthday = gen_chance(g, 0.9) ? birthday : NULL;
    c.language = langs[gen_rndn(g, 20)];
    gen_ascii(given, 1, given_ascii, sizeof given_ascii);
    gen_ascii(family, 1, family_ascii, sizeof family_ascii);
    if (age >= 14 && gen_chance(g, 0.78)) {
        long n = gen_rndn(g, 100);
        if (gen_chance(g, 0.5))
            snprintf(mail, sizeof mail, "%s.%s@%s", given_ascii, family_ascii,
                     gen_pick(g, gen_mail_domain, gen_ndomain));
        else
            snprintf(mail, sizeof mail, "%s.%s%ld@%s", given_ascii, family_ascii, n,
                     gen_pick(g, gen_mail_domain, gen_ndomain));
        add_email(&c, mail, gen_chance(g, 0.5) ? "private" : NULL);
        if (gen_chance(g, 0.15)) {
            snprintf(mail, sizeof mail, "%c.%s@%s-%s.de", given_ascii[0], family_ascii,
                     family_ascii, gen_chance(g, 0.5) ? "gmbh" : "partner");
            add_email(&c, mail, "work");
        }
    }
    national[0] = '\0';
    if (age >= 12 && gen_chance(g, 0.85)) {
        mobile(g, typed, sizeof typed, national, sizeof national);
        add_phone(&c, typed, "mobile");
    }
    if (home_phone && gen_chance(g, 0.6))
        add_phone(&c, home_phone, "home");
    else if (age >= 25 && gen_chance(g, 0.15)) {
        landline(g, city, typed, sizeof typed);
        add_phone(&c, typed, "home");
    }
    buf_puts(&c.address, address);
    if (gen_chance(g, 0.12))
        buf_puts(&c.preferences,
                 gen_chance(g, 0.5)
                     ? "{\"contact\":\"vormittags anrufen\"}"
                     : "{\"coffee\":\"Cappuccino, Hafermilch\",\"contact\":\"E-Mail\"}");
    if (age >= 16)
        set_consents(g, &c);
    c.dnc = gen_chance(g, 0.02);
    c.notes =
        gen_chance(g, 0.03) ? "Legt Wert auf Termine früh am Morgen; Rückruf über das Büro." : NULL;
    gen_time(g, gen_past_day(g, 12), c.created);
    if (gen_chance(g, 0.6))
        gen_add_ref(g, &c.refs, "customer", "K", 1000000 + pi, p->id);
    insert_customer(g, &c);
    if (g->queries_out && gen_chance(g, g->query_p)) {
        char q[NORMALIZE_EMAIL_MAX + 8];
        if (national[0] && gen_chance(g, 0.18))
            phone_query(g, national, q, sizeof q);
        else if (c.nemail && gen_chance(g, 0.07))
            snprintf(q, sizeof q, "%s", c.keys[0]);
        else
            name_query(g, given, family, q, sizeof q);
        fprintf(g->queries_out, "%s\n", q);
    }
    cust_release(&c);
}

static void
insert_household(struct gen *g, const char *id, const char *family, const char *address,
                 const char *created)
{
    char name[128];
    snprintf(name, sizeof name, "Familie %s", family);
    gen_bind_text(S.household, 1, id);
    gen_bind_text(S.household, 2, name);
    gen_bind_text(S.household, 3, address);
    gen_bind_text(S.household, 4,
                  gen_chance(g, 0.02) ? "Korrespondenz bitte an beide Partner." : NULL);
    gen_bind_text(S.household, 5, created);
    gen_step(g, S.household);
}

static void
member(struct gen *g, const char *person_id, const char *hh_id, const char *role, const char *since)
{
    gen_bind_text(S.member, 1, person_id);
    gen_bind_text(S.member, 2, hh_id);
    gen_bind_text(S.member, 3, role);
    gen_bind_text(S.member, 4, since);
    gen_step(g, S.member);
}

/* Households of 1-5 people sharing a family name (mostly), address and landline; then singles. */
static void
persons(struct gen *g)
{
    long pi = 0;

    for (long h = 0; h < g->nhh && pi < g->npers; h++) {
        double u = gen_rndf(g);
        long size = u < 0.28 ? 1 : u < 0.66 ? 2 : u < 0.82 ? 3 : u < 0.95 ? 4 : 5;
        const char *family = gen_pick(g, gen_family, gen_nfamily);
        size_t city = gen_pick_city(g);
        int head_age = 26 + (int)gen_rndn(g, 60), head_female = gen_chance(g, 0.4);
        char hh_id[UTIL_UUID_LEN + 1], since[UTIL_TIME_LEN + 1], phone[40];
        struct buf addr = {0};

        if (size > g->npers - pi)
            size = g->npers - pi;
        gen_uuid(g, hh_id);
        set_address(g, &addr, city);
        gen_time(g, gen_past_day(g, 10), since);
        insert_household(g, hh_id, family, addr.data, since);
        if (gen_chance(g, 0.4))
            landline(g, city, phone, sizeof phone);
        else
            phone[0] = '\0';
        for (long k = 0; k < size; k++, pi++) {
            const char *role = k == 0 ? "head" : k == 1 ? "partner" : "child";
            int age = head_age, female = head_female;
            const char *fam = family;
            if (k == 1) {
                age = head_age - 6 + (int)gen_rndn(g, 13);
                female = gen_chance(g, 0.9) ? !head_female : head_female;
                if (gen_chance(g, 0.15))
                    fam = gen_pick(g, gen_family, gen_nfamily);
            } else if (k >= 2) {
                age = head_age - 20 - (int)gen_rndn(g, 22);
                female = gen_chance(g, 0.5);
                if (age < 1)
                    age = 1 + (int)gen_rndn(g, 17);
                if (k == 4 && gen_chance(g, 0.5)) {
                    role = "parent";
                    age = head_age + 24 + (int)gen_rndn(g, 8);
                } else if (age > 35)
                    role = "other";
            }
            if (age > 99)
                age = 99;
            if (age < 18 && k < 2)
                age = 18 + (int)gen_rndn(g, 5);
            person(g, pi, fam, female, age, city, addr.data, phone[0] ? phone : NULL);
            g->pers[pi].hh = (int32_t)h;
            member(g, g->pers[pi].id, hh_id, role, since);
        }
        buf_release(&addr);
    }
    for (; pi < g->npers; pi++) {
        size_t city = gen_pick_city(g);
        struct buf addr = {0};
        set_address(g, &addr, city);
        person(g, pi, gen_pick(g, gen_family, gen_nfamily), gen_chance(g, 0.45),
               18 + (int)gen_rndn(g, 70), city, addr.data, NULL);
        g->pers[pi].hh = -1;
        buf_release(&addr);
    }
}

/* Fleet sizes 5..2000 (density ~ 1/size²), one of 2,000 when the budget allows. */
static void
fleets(struct gen *g, long budget)
{
    long cap = budget / 2 + 1;

    g->comp = xcalloc((size_t)cap, sizeof *g->comp);
    g->ncomp = 0;
    while (budget >= FLEET_MIN && g->ncomp < cap) {
        double u = gen_rndf(g);
        long size = g->ncomp == 0
                        ? (budget >= 2 * FLEET_MAX ? FLEET_MAX : budget / 2)
                        : (long)(1.0 / (1.0 / FLEET_MIN - u * (1.0 / FLEET_MIN - 1.0 / FLEET_MAX)));
        if (size > budget)
            size = budget;
        if (budget - size < FLEET_MIN)
            size = budget;
        g->comp[g->ncomp].fleet = (int32_t)size;
        g->comp[g->ncomp].city = (uint8_t)gen_pick_city(g);
        g->ncomp++;
        budget -= size;
    }
}

static void
companies(struct gen *g)
{
    static const char *const forms[] = {"GmbH",          "GmbH", "GmbH", "GmbH",
                                        "GmbH & Co. KG", "KG",   "AG",   "e.K."};

    for (long ci = 0; ci < g->ncomp; ci++) {
        struct gen_company *co = &g->comp[ci];
        struct cust c = {0};
        const char *family = gen_pick(g, gen_family, gen_nfamily);
        const char *trade = gen_pick(g, gen_company_trade, gen_ntrade);
        const char *form = forms[gen_rndn(g, 8)];
        char name[200], vat[32], slug[96], mail[160], phone[40];

        gen_uuid(g, co->id);
        if (gen_chance(g, 0.5))
            snprintf(name, sizeof name, "%s %s %s", family, trade, form);
        else
            snprintf(name, sizeof name, "%s %s %s", trade, family, form);
        snprintf(vat, sizeof vat, "DE%09ld", 100000000 + gen_rndn(g, 899999999));
        gen_ascii(family, 1, slug, sizeof slug);
        c.id = co->id;
        c.kind = "company";
        c.company = name;
        c.legal_form = form;
        c.vat_id = vat;
        c.language = "de";
        snprintf(mail, sizeof mail, "fuhrpark@%s-%ld.de", slug, ci);
        add_email(&c, mail, "fleet");
        landline(g, co->city, phone, sizeof phone);
        add_phone(&c, phone, "office");
        set_address(g, &c.address, co->city);
        set_consents(g, &c);
        c.notes = gen_chance(g, 0.2)
                      ? "Rahmenvertrag Flottenservice; Ansprechpartner ist die Fuhrparkleitung."
                      : NULL;
        gen_time(g, gen_past_day(g, 12), c.created);
        gen_add_ref(g, &c.refs, "customer", "K", 2000000 + ci, co->id);
        insert_customer(g, &c);
        if (g->queries_out && gen_chance(g, g->company_query_p))
            fprintf(g->queries_out, "%s\n", gen_chance(g, 0.5) ? name : family);
        cust_release(&c);
    }
}

/* ---- the whole data set ---- */

struct index_sql {
    char *name, *sql;
};

/* Drop the secondary indexes (recreated by create_indexes from the schema's own SQL). */
static size_t
drop_indexes(struct gen *g, struct index_sql *out, size_t max)
{
    sqlite3_stmt *st = gen_prepare(g, "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                                      " AND sql IS NOT NULL ORDER BY name");
    size_t n = 0;
    char drop[256];

    while (sqlite3_step(st) == SQLITE_ROW && n < max) {
        out[n].name = xstrdup((const char *)sqlite3_column_text(st, 0));
        out[n].sql = xstrdup((const char *)sqlite3_column_text(st, 1));
        n++;
    }
    sqlite3_finalize(st);
    for (size_t i = 0; i < n; i++) {
        snprintf(drop, sizeof drop, "DROP INDEX \"%s\"", out[i].name);
        gen_exec(g, drop);
    }
    return n;
}

static double
seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
report(const char *what, long rows, double since)
{
    double s = seconds() - since;
    printf("gen:   %-44s %9ld rows %7.1f s %9.0f rows/s\n", what, rows, s,
           s > 0 ? (double)rows / s : 0.0);
    fflush(stdout);
}

static double
at_most_one(double p)
{
    return p > 1 ? 1 : p;
}

void
gen_rows(struct gen *g)
{
    struct index_sql idx[64];
    char(*veh_ids)[UTIL_UUID_LEN + 1];
    int32_t *desk;
    size_t nidx;
    double t;
    long before;

    fleets(g, g->nveh * FLEET_SHARE_PERCENT / 100);
    g->npers = g->ncust - g->ncomp;
    g->pers = xcalloc((size_t)g->npers, sizeof *g->pers);
    for (g->plate_cap = 1024; g->plate_cap < (size_t)g->nveh * 3; g->plate_cap *= 2)
        ;
    g->plate_set = xcalloc(g->plate_cap, sizeof *g->plate_set);
    g->reuse = xcalloc((size_t)g->nveh + 1, sizeof *g->reuse);
    veh_ids = xcalloc((size_t)g->nveh, sizeof *veh_ids);
    desk = xcalloc((size_t)g->nveh, sizeof *desk);
    g->plate_p = at_most_one(PLATES_WANTED / (double)g->nveh);
    g->plate_query_p = at_most_one(QUERIES_WANTED * 0.10 / (double)g->nveh);
    g->query_p = at_most_one(QUERIES_WANTED * 0.82 / (double)g->npers);
    g->company_query_p = at_most_one(QUERIES_WANTED * 0.08 / (double)g->ncomp);
    S.customer = gen_prepare(g, SQL_CUSTOMER);
    S.key = gen_prepare(g, SQL_KEY);
    S.ref = gen_prepare(g, SQL_REF);
    S.household = gen_prepare(g, SQL_HOUSEHOLD);
    S.member = gen_prepare(g, SQL_MEMBER);

    nidx = drop_indexes(g, idx, sizeof idx / sizeof idx[0]);
    gen_exec(g, "BEGIN");
    t = seconds();
    before = g->rows;
    companies(g);
    persons(g);
    {
        long lo = FLEET_MAX, hi = 0, sum = 0;
        for (long i = 0; i < g->ncomp; i++) {
            lo = g->comp[i].fleet < lo ? g->comp[i].fleet : lo;
            hi = g->comp[i].fleet > hi ? g->comp[i].fleet : hi;
            sum += g->comp[i].fleet;
        }
        printf("gen:   (%ld companies with fleets of %ld..%ld cars, %ld in all; %ld persons)\n",
               g->ncomp, lo, hi, sum, g->npers);
    }
    report("customers, keys, refs, households, members", g->rows - before, t);
    t = seconds();
    before = g->rows;
    gen_vehicles(g, veh_ids, desk);
    report("vehicles, refs, company people", g->rows - before, t);
    t = seconds();
    before = g->rows;
    gen_touchpoints(g, veh_ids, desk);
    report("touchpoints", g->rows - before, t);
    gen_exec(g, "COMMIT");
    t = seconds();
    for (size_t i = 0; i < nidx; i++) {
        gen_exec(g, idx[i].sql);
        free(idx[i].name);
        free(idx[i].sql);
    }
    report("secondary indexes (schema SQL, built once)", 0, t);
    t = seconds();
    before = store_search_backfill(g->db);
    if (before < 0)
        gen_die("search index backfill failed");
    g->rows += before;
    report("search index (store_search_backfill)", before, t);
    t = seconds();
    before = store_duplicates_backfill(g->db);
    if (before < 0)
        gen_die("duplicate candidates backfill failed");
    report("duplicate candidates (store_duplicates_backfill)", before, t);

    sqlite3_finalize(S.customer);
    sqlite3_finalize(S.key);
    sqlite3_finalize(S.ref);
    sqlite3_finalize(S.household);
    sqlite3_finalize(S.member);
    free(veh_ids);
    free(desk);
    free(g->plate_set);
    free(g->reuse);
    free(g->pers);
    free(g->comp);
}
