/*
 * touchpoints: contacts from every department through the generic
 * handlers; customer and vehicle must exist, and a new outbound contact
 * must pass the contact policy unless it carries override_reason. A new
 * contact without staff is recorded in the name of the API key that
 * sends it.
 */
#include <string.h>

#include "handlers.h"
#include "resource.h"

/* Who logged it: the key's name unless the client names someone (a DMS sync names the person). */
static void
staff_of_key(const struct request *req, json_t *doc)
{
    if (!json_object_get(doc, "staff") && req->key_name[0])
        json_object_set_new(doc, "staff", json_string(req->key_name));
}

const struct resource resource_touchpoints = {
    .model = &model_touchpoint,
    .filters = store_touchpoint_filters,
    .create_defaults = staff_of_key,
    .before_write = store_touchpoint_before_write_policy, /* + the contact policy on create */
    .after_write = store_touchpoint_after_write,
};

/* Contacts that already happened (bulk import): the same rules without the contact policy. */
const struct resource resource_touchpoints_history = {
    .model = &model_touchpoint,
    .filters = store_touchpoint_filters,
    .before_write = store_touchpoint_before_write,
    .after_write = store_touchpoint_after_write,
};

HANDLER(touchpoints_create) { return resource_create(req, res, &resource_touchpoints); }
HANDLER(touchpoints_list) { return resource_list(req, res, &resource_touchpoints); }
HANDLER(touchpoints_get) { return resource_get(req, res, &resource_touchpoints); }
HANDLER(touchpoints_patch) { return resource_patch(req, res, &resource_touchpoints); }
HANDLER(touchpoints_delete) { return resource_delete(req, res, &resource_touchpoints); }
