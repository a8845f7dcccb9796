/*
 * greeting_plate: what a plate typed at the desk leads to on the greeting
 * card: the cars carrying it now (one written with the separators typed
 * wins over the others), else the cars that carried it before, and how
 * the card says so (recognized_by). The SQL is store_plates.c's.
 */
#ifndef CRMD_GREETING_PLATE_H
#define CRMD_GREETING_PLATE_H

#include <jansson.h>

#include "lang.h"
#include "normalize.h"
#include "problem.h"

struct db;

enum greeting_plate_how {
    GREETING_PLATE,            /* the cars with the plate (active ones, when any are) */
    GREETING_PLATE_AS_WRITTEN, /* the one car whose plate has the typed separators */
    GREETING_PLATE_PAST,       /* nobody has it now: the cars that had it */
};

struct greeting_plate {
    json_t *pairs; /* [{customer_id, vehicle_id, plate, normalized, now, until}], owned */
    enum greeting_plate_how how;
};

/*
 * Resolve plate typed (keys: normalize_plate_keys of it) inside the
 * card's read transaction. Returns 0 with out->pairs set (maybe empty),
 * or -1 with p set.
 */
int greeting_plate_resolve(struct db *db, const char *typed, const struct plate_keys *keys,
                           struct greeting_plate *out, struct problem *p);

/*
 * recognized_by of a card opened by a plate, from the first pair: by
 * "plate" or "plate_history", input, normalized (the key that matched),
 * how, and for an earlier plate the note "plate M-XY 12 belonged to this
 * car until 2026-03-01; it now has M-AB 123" in lang. A new object.
 */
json_t *greeting_plate_recognized(const char *typed, const struct greeting_plate *g, enum lang lang);

#endif
