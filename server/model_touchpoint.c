/*
 * model_touchpoint: one contact between the dealership and a customer,
 * from any department, with optional satisfaction, NPS answer, journey
 * and an open follow-up the next department should see.
 */
#include <string.h>

#include "model.h"
#include "util.h"

/* Seconds a touchpoint may lie ahead of the server's clock: desk PCs whose clocks run fast. */
#define CLOCK_SKEW 300

static const char *const kinds[] = { "service_visit", "app_booking", "phone_call", "email",
                                     "showroom_visit", "test_drive", "purchase", "delivery",
                                     "complaint", "survey", "event", "other", NULL };
static const char *const channels[] = { "in_person", "phone", "app", "web", "email", "letter", NULL };
static const char *const directions[] = { "inbound", "outbound", NULL };
static const char *const purposes[] = { "service", "sales", "recovery", "information", NULL };
static const char *const outcomes[] = { "reached", "unanswered", "declined", NULL };
static const char *const departments[] = { "sales", "service", "parts", "technician", "reception",
                                           "management", "other", NULL };

static int
check_follow_up(json_t **v, const char *name, const json_t *old, struct problem *p)
{
    json_t *text = json_object_get(*v, "text"), *done = json_object_get(*v, "done");
    (void)old;

    if (!json_is_object(*v) || !json_is_string(text) || (done && !json_is_boolean(done)) ||
        json_object_size(*v) != (size_t)(1 + (done != NULL))) {
        problem_add_field(p, name, "must be an object {\"text\": string, \"done\": boolean}");
        return -1;
    }
    if (jsonx_text_error(json_string_value(text), JSONX_NOTE_MAX, 1)) {
        problem_add_field(p, name, "text must be 1-10240 bytes without control characters");
        return -1;
    }
    if (!done)
        json_object_set_new(*v, "done", json_false());
    return 0;
}

static int
check_touchpoint(json_t *doc, const json_t *old, struct problem *p)
{
    const char *dir = json_string_value(json_object_get(doc, "direction"));
    (void)old;

    if (!dir) {
        dir = "inbound";
        json_object_set_new(doc, "direction", json_string(dir));
    }
    if (strcmp(dir, "outbound") == 0 && !json_object_get(doc, "purpose"))
        problem_add_field(p, "purpose", "is required for outbound contact");
    if (strcmp(dir, "inbound") == 0 && json_object_get(doc, "outcome"))
        problem_add_field(p, "outcome", "is only recorded for outbound contact");
    if (strcmp(dir, "inbound") == 0 && json_object_get(doc, "override_reason"))
        problem_add_field(p, "override_reason", "is only recorded for outbound contact");
    if (jsonx_fail_fields(p, 0) != 0)
        return -1;
    if (!json_object_get(doc, "occurred_at")) {
        char ts[UTIL_TIME_LEN + 1];
        util_format_time(util_now(), ts);
        json_object_set_new(doc, "occurred_at", json_string(ts));
    }
    return 0;
}

static const struct field fields[] = {
    JSONX_SERVER_FIELDS,
    { "customer_id", FIELD_ID, FIELD_REQUIRED, 0, 0, NULL, NULL },
    { "vehicle_id", FIELD_ID, 0, 0, 0, NULL, NULL },
    { "kind", FIELD_ENUM, FIELD_REQUIRED, 0, 0, kinds, NULL },
    { "channel", FIELD_ENUM, FIELD_REQUIRED, 0, 0, channels, NULL },
    { "direction", FIELD_ENUM, 0, 0, 0, directions, NULL },
    { "purpose", FIELD_ENUM, 0, 0, 0, purposes, NULL },
    { "outcome", FIELD_ENUM, 0, 0, 0, outcomes, NULL },
    /* what happened: from 1990 on, at most CLOCK_SKEW ahead of the server */
    { "occurred_at", FIELD_DATETIME, FIELD_PAST, 1990, CLOCK_SKEW, NULL, NULL },
    { "staff", FIELD_TEXT, 0, 0, 0, NULL, NULL },
    { "department", FIELD_ENUM, 0, 0, 0, departments, NULL },
    { "summary", FIELD_NOTE, 0, 0, 0, NULL, NULL },
    { "satisfaction", FIELD_REAL, 0, 0, 1, NULL, NULL },
    { "nps", FIELD_INT, 0, 0, 10, NULL, NULL },
    { "journey_id", FIELD_ID, 0, 0, 0, NULL, NULL },
    { "follow_up", FIELD_JSON, 0, 0, 0, NULL, check_follow_up },
    { "external_refs", FIELD_JSON, 0, 0, 0, NULL, model_check_external_refs },
    /* why an outbound contact the contact policy refuses is recorded anyway (store_contact.c) */
    { "override_reason", FIELD_TEXT, 0, 0, 0, NULL, NULL },
};

const struct model model_touchpoint = {
    .name = "touchpoint",
    .table = "touchpoints",
    .path = "/v1/touchpoints",
    .tag = 4,
    .fields = fields,
    .nfields = sizeof fields / sizeof fields[0],
    .check = check_touchpoint,
};
