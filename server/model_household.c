/*
 * model_household: a family with a name and address. Members are managed
 * through their own endpoint and shown as the computed member "members".
 */
#include "model.h"

static const struct field fields[] = {
    JSONX_SERVER_FIELDS,
    { "name", FIELD_TEXT, FIELD_REQUIRED, 0, 0, NULL, NULL },
    { "address", FIELD_JSON, 0, 0, 0, NULL, model_check_address },
    { "external_refs", FIELD_JSON, 0, 0, 0, NULL, model_check_external_refs },
    { "notes", FIELD_NOTE, 0, 0, 0, NULL, NULL },
};

static const struct model_computed computed[] = {
    { "members",
      "(SELECT coalesce(json_group_array(json_object('customer_id', m.customer_id, 'role', m.role,"
      " 'since', m.since)), '[]') FROM (SELECT * FROM household_members WHERE household_id = t.id"
      " ORDER BY since, (SELECT seq FROM customers c WHERE c.id = customer_id)) m)",
      "[]" },
};

const struct model model_household = {
    .name = "household",
    .table = "households",
    .path = "/v1/households",
    .tag = 2,
    .fields = fields,
    .nfields = sizeof fields / sizeof fields[0],
    .computed = computed,
    .ncomputed = sizeof computed / sizeof computed[0],
};
