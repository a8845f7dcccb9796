/*
 * model_vehicle: a car with VIN, current plate (as typed and normalised),
 * the plates it had before, owner and main driver, how it was acquired
 * and its service dates. Whether owner and driver exist is the store's
 * business; the shape is checked here.
 */
#include <string.h>

#include "model.h"
#include "normalize.h"
#include "util.h"

/*
 * Dates are plausible from 1900 on; those that record what happened
 * (first registration, mileage reading, last service) may lie at most a day
 * ahead of the server's UTC date (a desk east of UTC, a registration
 * entered the evening before); lease_end, next_service_due and acquired_at
 * (a delivery agreed) may be in the future.
 */
#define DAY 86400

static const char *const powertrains[] = { "petrol", "diesel", "hybrid", "plug_in_hybrid",
                                           "electric", "other", NULL };
static const char *const acquisitions[] = { "bought_new", "bought_used", "leased", "fleet", "other",
                                            NULL };
static const char *const statuses[] = { "active", "sold", "scrapped", NULL };

/*
 * The VIN is a plain TEXT field (a JSON-typed field would be read back
 * from its column as JSON text, and a bare VIN is not JSON): normalise it
 * here, upper case, into doc.
 */
static void
check_vin(json_t *doc, struct problem *p)
{
    const char *given = json_string_value(json_object_get(doc, "vin"));
    char vin[NORMALIZE_VIN_LEN + 1];

    if (!given)
        return;
    if (normalize_vin(given, vin, sizeof vin) != 0)
        problem_add_field(p, "vin", "must be 17 characters from 0-9 and A-Z without I, O or Q");
    else
        json_object_set_new(doc, "vin", json_string(vin));
}

/* Record the previous plate when the plate changes on update. */
static void
track_plate_history(json_t *doc, const json_t *old)
{
    const char *was = json_string_value(json_object_get(old, "plate"));
    const char *was_norm = json_string_value(json_object_get(old, "plate_normalized"));
    const char *now_norm = json_string_value(json_object_get(doc, "plate_normalized"));
    json_t *hist;
    char ts[UTIL_TIME_LEN + 1];

    if (!was || (now_norm && strcmp(was_norm, now_norm) == 0))
        return;
    hist = json_object_get(doc, "plate_history");
    if (!json_is_array(hist)) {
        hist = json_array();
        json_object_set_new(doc, "plate_history", hist);
    }
    util_format_time(util_now(), ts);
    json_array_append_new(hist, json_pack("{s:s, s:s, s:s}", "plate", was, "plate_normalized",
                                          was_norm, "until", ts));
}

static int
check_vehicle(json_t *doc, const json_t *old, struct problem *p)
{
    const char *plate = json_string_value(json_object_get(doc, "plate"));
    char norm[NORMALIZE_PLATE_MAX];

    json_object_del(doc, "plate_normalized");
    check_vin(doc, p);
    if (plate) {
        if (normalize_plate(plate, norm, sizeof norm) != 0)
            problem_add_field(p, "plate", "is not a licence plate: 2-10 letters and digits with at "
                                          "least one of each; spaces, '-' and '.' are ignored");
        else
            json_object_set_new(doc, "plate_normalized", json_string(norm));
    }
    if (!plate && !json_object_get(doc, "vin"))
        problem_add_field(p, "plate", "a vehicle needs a plate or a vin");
    if (json_object_get(doc, "mileage_at") && !json_object_get(doc, "mileage_km"))
        problem_add_field(p, "mileage_at", "is only meaningful with mileage_km");
    if (jsonx_fail_fields(p, 0) != 0)
        return -1;
    if (old)
        track_plate_history(doc, old);
    if (!json_object_get(doc, "status"))
        json_object_set_new(doc, "status", json_string("active"));
    if (!json_object_get(doc, "bought_from_us"))
        json_object_set_new(doc, "bought_from_us", json_false());
    return 0;
}

static const struct field fields[] = {
    JSONX_SERVER_FIELDS,
    { "vin", FIELD_TEXT, 0, 0, 0, NULL, NULL },
    { "plate", FIELD_TEXT, 0, 0, 32, NULL, NULL },
    { "plate_normalized", FIELD_TEXT, FIELD_SERVER, 0, 0, NULL, NULL },
    { "plate_history", FIELD_JSON, FIELD_SERVER, 0, 0, NULL, NULL },
    { "make", FIELD_TEXT, FIELD_REQUIRED, 0, 64, NULL, NULL },
    { "model", FIELD_TEXT, 0, 0, 64, NULL, NULL },
    { "variant", FIELD_TEXT, 0, 0, 128, NULL, NULL },
    { "model_year", FIELD_INT, 0, 1886, 2100, NULL, NULL },
    { "first_registration", FIELD_DATE, FIELD_PAST, 1900, DAY, NULL, NULL },
    { "powertrain", FIELD_ENUM, 0, 0, 0, powertrains, NULL },
    { "mileage_km", FIELD_INT, 0, 0, 10000000, NULL, NULL },
    { "mileage_at", FIELD_DATE, FIELD_PAST, 1900, DAY, NULL, NULL },
    { "owner_id", FIELD_ID, FIELD_REQUIRED, 0, 0, NULL, NULL },
    { "main_driver_id", FIELD_ID, 0, 0, 0, NULL, NULL },
    { "acquisition", FIELD_ENUM, 0, 0, 0, acquisitions, NULL },
    { "acquired_at", FIELD_DATE, 0, 1900, 0, NULL, NULL },
    { "lease_end", FIELD_DATE, 0, 1900, 0, NULL, NULL },
    { "bought_from_us", FIELD_BOOL, 0, 0, 0, NULL, NULL },
    { "status", FIELD_ENUM, 0, 0, 0, statuses, NULL },
    { "last_service_at", FIELD_DATE, FIELD_PAST, 1900, DAY, NULL, NULL },
    { "next_service_due", FIELD_DATE, 0, 1900, 0, NULL, NULL },
    { "external_refs", FIELD_JSON, 0, 0, 0, NULL, model_check_external_refs },
    { "notes", FIELD_NOTE, 0, 0, 0, NULL, NULL },
};

const struct model model_vehicle = {
    .name = "vehicle",
    .table = "vehicles",
    .path = "/v1/vehicles",
    .tag = 3,
    .fields = fields,
    .nfields = sizeof fields / sizeof fields[0],
    .check = check_vehicle,
};
