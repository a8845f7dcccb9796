/*
 * msg: the sentences staff read (alerts, reasons, details) in their
 * language: the catalogue (msg_catalogue.h), formatting with it, dates
 * and numbers as each language writes them, and the labels of codes in
 * sentences. Pure: no I/O, no locale; lang.c picks the language.
 */
#ifndef CRMD_MSG_H
#define CRMD_MSG_H

#include <stddef.h>

#include "lang.h"
#include "msg_catalogue.h"

/*
 * printf an entry of the catalogue into buf (size bytes, cut like
 * snprintf): msg_format(lang, MSG_X, buf, sizeof buf, ...). MSG_X
 * expands to its English and German text; the arguments are checked
 * against the English one at compile time, and the German one has the
 * same conversions (tests/unit/test_msg.c). Returns what snprintf does.
 */
int msg_format(enum lang lang, const char *en, const char *de, char *buf, size_t size, ...)
    __attribute__((format(printf, 2, 6)));

/* The text of an entry without conversions: msg_text(lang, MSG_X). */
const char *msg_text(enum lang lang, const char *en, const char *de);

/*
 * The entry one when n is 1, else other, as msg_format's (en, de) pair:
 * msg_format(lang, MSG_PLURAL(n, MSG_X_ONE, MSG_X), ...). n is evaluated
 * twice.
 */
#define MSG_PLURAL(n, one, other)                                                                  \
    ((n) == 1 ? MSG_EN_(one) : MSG_EN_(other)), ((n) == 1 ? MSG_DE_(one) : MSG_DE_(other))
#define MSG_EN_(...) MSG_EN__(__VA_ARGS__)
#define MSG_EN__(en, de) en
#define MSG_DE_(...) MSG_DE__(__VA_ARGS__)
#define MSG_DE__(en, de) de

#define MSG_DATE_MAX 11 /* "2026-10-07" or "07.10.2026" and the NUL */
#define MSG_TIME_MAX 48 /* msg_time: "07.10.2026, 18:30 UTC" or the text as given */

/* Day number days (since 1970-01-01) as en "2026-10-07", de "07.10.2026". */
void msg_day(enum lang lang, long days, char out[MSG_DATE_MAX]);

/*
 * A text starting with a date "YYYY-MM-DD" (a date or an RFC 3339 time):
 * en as given, de its date as "07.10.2026". Text that does not start with
 * a valid date is copied as given. Writes at most size bytes.
 */
void msg_date(enum lang lang, const char *text, char *out, size_t size);

/* An RFC 3339 time: en as given, de "07.10.2026, 18:30 UTC"; else as given. */
void msg_time(enum lang lang, const char *text, char *out, size_t size);

/* The month of a date "YYYY-MM-DD...": en "2026-10", de "10/2026"; else its first 7 bytes. */
void msg_month(enum lang lang, const char *text, char *out, size_t size);

/* v with two significant digits (%.2g): en "0.4", de "0,4". */
void msg_decimal(enum lang lang, double v, char *out, size_t size);

/* A count with thousands separators: en "142,000", de "142.000" (negative: 0). */
void msg_thousands(enum lang lang, long v, char *out, size_t size);

/*
 * Labels of codes in sentences ("phone" -> "Telefon"), ended by an entry
 * with code NULL whose texts are the default (NULL: the code itself).
 */
struct msg_label {
    const char *code;
    const char *en, *de; /* NULL: the code itself */
};

extern const struct msg_label MSG_CHANNELS[];         /* touchpoint and consent channels */
extern const struct msg_label MSG_PURPOSES[];         /* "sales" -> "Verkaufskontakt" */
extern const struct msg_label MSG_POWERTRAINS[];      /* "runs on diesel" */
extern const struct msg_label MSG_VEHICLE_STATUSES[]; /* "sold" -> "verkauft" */
extern const struct msg_label MSG_LOOKUPS[];          /* greeting: "plate" -> "Kennzeichen" */
extern const struct msg_label MSG_OWN_BY_SALUTATION[]; /* "no car of her own": Frau, Herr */

/* The label of code (may be NULL) in table, for lang; never NULL unless code is. */
const char *msg_label(enum lang lang, const struct msg_label *table, const char *code);

/*
 * A touchpoint kind in a sentence: "service visit" / "Werkstattbesuch";
 * with last, "Last service visit" / "Letzter Werkstattbesuch" (by the
 * German noun's gender). NULL: "contact" / "Kontakt"; an unknown kind
 * with its '_' as spaces. Writes at most size bytes.
 */
void msg_kind(enum lang lang, const char *kind, int last, char *out, size_t size);

/*
 * thing belonging to name: en "Petra's VW Golf", "Jonas' VW Golf"; de
 * "Petras VW Golf", "Jonas' VW Golf", "Herrn Wesslings VW Golf". name
 * NULL: "A household member's VW Golf" / "Der VW Golf eines
 * Haushaltsmitglieds". Writes at most size bytes.
 */
void msg_possessive(enum lang lang, const char *name, const char *thing, char *out, size_t size);

#endif
