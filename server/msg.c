/*
 * msg: formatting with the catalogue, dates and numbers per language, and
 * the label tables. The one place that knows German grammar beyond the
 * sentences themselves: noun genders after "Letzte", the possessive s.
 */
#include "msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "datetime.h"

int
msg_format(enum lang lang, const char *en, const char *de, char *buf, size_t size, ...)
{
    va_list ap;
    int n;

    va_start(ap, size);
    n = vsnprintf(buf, size, msg_text(lang, en, de), ap);
    va_end(ap);
    return n;
}

const char *
msg_text(enum lang lang, const char *en, const char *de)
{
    return lang == LANG_DE ? de : en;
}

void
msg_day(enum lang lang, long days, char out[MSG_DATE_MAX])
{
    char iso[11];

    datetime_format_date(days, iso);
    if (lang == LANG_DE) /* 2026-10-07 -> 07.10.2026 */
        snprintf(out, MSG_DATE_MAX, "%.2s.%.2s.%.4s", iso + 8, iso + 5, iso);
    else
        memcpy(out, iso, sizeof iso);
}

/* The day number of the date text starts with; -1 if it does not start with a valid one. */
static int
leading_date(const char *text, long *days)
{
    char date[11];
    int y, m, d;

    if (!text || strlen(text) < 10)
        return -1;
    memcpy(date, text, 10);
    date[10] = '\0';
    if (datetime_parse_date(date, &y, &m, &d) != 0)
        return -1;
    *days = datetime_days_from_civil(y, m, d);
    return 0;
}

void
msg_date(enum lang lang, const char *text, char *out, size_t size)
{
    char day[MSG_DATE_MAX];
    long days;

    if (lang == LANG_DE && leading_date(text, &days) == 0) {
        msg_day(lang, days, day);
        snprintf(out, size, "%s", day);
    } else {
        snprintf(out, size, "%s", text ? text : "");
    }
}

void
msg_time(enum lang lang, const char *text, char *out, size_t size)
{
    struct tm tm;
    time_t t;

    if (lang != LANG_DE || !text || datetime_parse_rfc3339(text, &t) != 0 || !gmtime_r(&t, &tm) ||
        strftime(out, size, "%d.%m.%Y, %H:%M UTC", &tm) == 0)
        snprintf(out, size, "%s", text ? text : "");
}

void
msg_month(enum lang lang, const char *text, char *out, size_t size)
{
    long days;
    int y, m, d;

    if (lang == LANG_DE && leading_date(text, &days) == 0) {
        datetime_civil_from_days(days, &y, &m, &d);
        snprintf(out, size, "%02d/%04d", m % 100, y % 10000);
    } else {
        snprintf(out, size, "%.7s", text ? text : "");
    }
}

void
msg_decimal(enum lang lang, double v, char *out, size_t size)
{
    snprintf(out, size, "%.2g", v);
    for (char *c = out; lang == LANG_DE && *c; c++)
        if (*c == '.')
            *c = ',';
}

void
msg_thousands(enum lang lang, long v, char *out, size_t size)
{
    char digits[32], sep = lang == LANG_DE ? '.' : ',';
    size_t len, o = 0;

    if (size == 0)
        return;
    snprintf(digits, sizeof digits, "%ld", v < 0 ? 0 : v);
    len = strlen(digits);
    for (size_t i = 0; i < len && o + 2 < size; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[o++] = sep;
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

/* English labels are the codes where the sentence names the code ("by sms"). */
const struct msg_label MSG_CHANNELS[] = {
    { "phone", NULL, "Telefon" }, { "email", NULL, "E-Mail" },
    { "sms", NULL, "SMS" },       { "post", NULL, "Post" },
    { "letter", NULL, "Brief" },  { "in_person", NULL, "persönlich" },
    { "app", NULL, "App" },       { "web", NULL, "Web" },
    { NULL, NULL, NULL },
};

const struct msg_label MSG_PURPOSES[] = {
    { "sales", NULL, "Verkaufskontakt" },
    { "service", NULL, "Servicekontakt" },
    { "recovery", NULL, "Kontakt zur Wiedergutmachung" },
    { "information", NULL, "Informationskontakt" },
    { NULL, NULL, NULL },
};

const struct msg_label MSG_POWERTRAINS[] = {
    { "petrol", NULL, "Benzin" },
    { "diesel", NULL, "Diesel" },
    { NULL, NULL, NULL },
};

const struct msg_label MSG_VEHICLE_STATUSES[] = {
    { "active", NULL, "aktiv" },
    { "sold", NULL, "verkauft" },
    { "scrapped", NULL, "verschrottet" },
    { NULL, NULL, NULL },
};

const struct msg_label MSG_LOOKUPS[] = {
    { "plate", NULL, "Kennzeichen" },      { "vin", NULL, "FIN" },
    { "phone", NULL, "Telefonnummer" },    { "email", NULL, "E-Mail-Adresse" },
    { "customer_id", NULL, "Kunden-ID" },  { "vehicle_id", NULL, "Fahrzeug-ID" },
    { NULL, NULL, NULL },
};

const struct msg_label MSG_OWN_BY_SALUTATION[] = {
    { "Frau", "her", "ihren" },
    { "Herr", "his", "seinen" },
    { NULL, "their", "den eigenen" },
};

const char *
msg_label(enum lang lang, const struct msg_label *table, const char *code)
{
    const struct msg_label *l = table;
    const char *text;

    while (l->code && (!code || strcmp(l->code, code) != 0))
        l++;
    text = msg_text(lang, l->en, l->de);
    return text ? text : code;
}

/* Touchpoint kinds: the German noun and its gender for "Letzter/Letzte/Letztes". */
static const struct {
    const char *code, *en, *de;
    char gender; /* m, f, n */
} kinds[] = {
    { "service_visit", "service visit", "Werkstattbesuch", 'm' },
    { "app_booking", "app booking", "App-Buchung", 'f' },
    { "phone_call", "phone call", "Telefonat", 'n' },
    { "email", "email", "E-Mail", 'f' },
    { "showroom_visit", "showroom visit", "Besuch im Autohaus", 'm' },
    { "test_drive", "test drive", "Probefahrt", 'f' },
    { "purchase", "purchase", "Kauf", 'm' },
    { "delivery", "delivery", "Fahrzeugübergabe", 'f' },
    { "complaint", "complaint", "Reklamation", 'f' },
    { "survey", "survey", "Kundenbefragung", 'f' },
    { "event", "event", "Veranstaltung", 'f' },
    { "other", "other", "Kontakt", 'm' },
};

void
msg_kind(enum lang lang, const char *kind, int last, char *out, size_t size)
{
    char noun[64];
    char gender = 'm';

    snprintf(noun, sizeof noun, "%s", kind ? kind : msg_text(lang, MSG_CONTACT));
    for (char *c = noun; *c; c++)
        *c = *c == '_' ? ' ' : *c;
    for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++) {
        if (strcmp(kinds[i].code, kind) == 0) {
            snprintf(noun, sizeof noun, "%s", msg_text(lang, kinds[i].en, kinds[i].de));
            gender = kinds[i].gender;
        }
    }
    if (!last)
        snprintf(out, size, "%s", noun);
    else if (gender == 'f')
        msg_format(lang, MSG_LAST_F, out, size, noun);
    else if (gender == 'n')
        msg_format(lang, MSG_LAST_N, out, size, noun);
    else
        msg_format(lang, MSG_LAST_M, out, size, noun);
}

/* Does name end in a sound after which the possessive takes only an apostrophe? */
static int
ends_in_s(enum lang lang, const char *name)
{
    size_t n = strlen(name);

    if (n == 0)
        return 0;
    if (lang != LANG_DE)
        return name[n - 1] == 's';
    return strchr("sxzSXZ", name[n - 1]) || (n >= 2 && !strcmp(name + n - 2, "\xc3\x9f" /* ß */));
}

void
msg_possessive(enum lang lang, const char *name, const char *thing, char *out, size_t size)
{
    char whose[256];

    if (!name || !*name) {
        msg_format(lang, MSG_POSSESSIVE_UNKNOWN, out, size, thing);
        return;
    }
    /* German declines the salutation: "Herrn Wesslings" */
    if (lang == LANG_DE && strncmp(name, "Herr ", 5) == 0)
        snprintf(whose, sizeof whose, "Herrn %s", name + 5);
    else
        snprintf(whose, sizeof whose, "%s", name);
    if (ends_in_s(lang, whose))
        msg_format(lang, MSG_POSSESSIVE_S, out, size, whose, thing);
    else
        msg_format(lang, MSG_POSSESSIVE, out, size, whose, thing);
}
