/*
 * greeting_plate: the greeting card's plate lookup. Current plates first;
 * among several cars, the only one whose plate is written with the typed
 * separators ("M-AB 123" Munich, not "MA-B 123" Mannheim) is the one; else
 * active cars speak for the plate. Only when no car carries it now, the
 * cars that carried it before; the card then says when it changed.
 */
#include <string.h>

#include "greeting_plate.h"
#include "msg.h"
#include "store.h"

#define GREETING_PLATE_CARS 100 /* cars read for one plate: a 300 lists them all */

struct gather {
    const char *typed;
    json_t *all, *active, *fit;
};

static void
take(const struct store_plate_row *row, void *arg)
{
    struct gather *g = arg;
    json_t *pair = json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:s?}", "customer_id", row->customer,
                             "vehicle_id", row->vehicle, "plate", row->plate, "normalized",
                             row->normalized, "now", row->current, "until", row->until);

    if (!pair)
        return;
    json_array_append(g->all, pair);
    if (row->active)
        json_array_append(g->active, pair);
    if (normalize_plate_fits(g->typed, row->plate) == 1)
        json_array_append(g->fit, pair);
    json_decref(pair);
}

int
greeting_plate_resolve(struct db *db, const char *typed, const struct plate_keys *keys,
                       struct greeting_plate *out, struct problem *p)
{
    struct gather g = { typed, json_array(), json_array(), json_array() };
    json_t *keep;
    int rc = store_plates_find(db, STORE_PLATES_NOW, keys, GREETING_PLATE_CARS, take, &g, p);

    out->how = GREETING_PLATE;
    if (rc == 0 && json_array_size(g.all) == 0) {
        out->how = GREETING_PLATE_PAST;
        rc = store_plates_find(db, STORE_PLATES_PAST, keys, GREETING_PLATE_CARS, take, &g, p);
    } else if (json_array_size(g.all) > 1 && json_array_size(g.fit) == 1) {
        out->how = GREETING_PLATE_AS_WRITTEN;
    }
    /* a past plate's cars are told apart by what they carry now, not by how it was written */
    keep = out->how == GREETING_PLATE_AS_WRITTEN ? g.fit
           : json_array_size(g.active)           ? g.active
                                                 : g.all;
    out->pairs = rc == 0 ? json_incref(keep) : NULL;
    json_decref(g.all);
    json_decref(g.active);
    json_decref(g.fit);
    return rc;
}

static const char *
str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* "plate M-XY 12 belonged to this car until 2026-03-01; it now has M-AB 123" in lang. */
static json_t *
past_note(const json_t *pair, enum lang lang)
{
    char day[11], date[MSG_DATE_MAX], note[256];
    const char *now = str(pair, "now");

    snprintf(day, sizeof day, "%s", str(pair, "until") ? str(pair, "until") : "");
    msg_date(lang, day, date, sizeof date);
    if (now)
        msg_format(lang, MSG_PLATE_PAST_NOTE, note, sizeof note, str(pair, "plate"), date, now);
    else
        msg_format(lang, MSG_PLATE_PAST_NOTE_NONE, note, sizeof note, str(pair, "plate"), date);
    return json_string(note);
}

json_t *
greeting_plate_recognized(const char *typed, const struct greeting_plate *g, enum lang lang)
{
    const json_t *first = json_array_get(g->pairs, 0);
    const char *how = g->how == GREETING_PLATE_PAST         ? msg_text(lang, MSG_HOW_PLATE_HISTORY)
                      : g->how == GREETING_PLATE_AS_WRITTEN ? msg_text(lang, MSG_HOW_PLATE_AS_WRITTEN)
                                                            : msg_text(lang, MSG_HOW_PLATE);
    json_t *r = json_pack("{s:s, s:s, s:s, s:s}", "by",
                          g->how == GREETING_PLATE_PAST ? "plate_history" : "plate", "input", typed,
                          "normalized", str(first, "normalized") ? str(first, "normalized") : "",
                          "how", how);

    if (g->how == GREETING_PLATE_PAST)
        json_object_set_new(r, "note", past_note(first, lang));
    return r;
}
