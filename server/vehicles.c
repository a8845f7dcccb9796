/*
 * vehicles: cars through the generic handlers. Owner and main driver are
 * checked by the store; the plate's history is kept by the model.
 */
#include "handlers.h"
#include "resource.h"

const struct resource resource_vehicles = {
    .model = &model_vehicle,
    .filters = store_vehicle_filters,
    .before_write = store_vehicle_before_write,
    .after_write = store_vehicle_after_write,
    .before_delete = store_vehicle_before_delete,
};

HANDLER(vehicles_create) { return resource_create(req, res, &resource_vehicles); }
HANDLER(vehicles_list) { return resource_list(req, res, &resource_vehicles); }
HANDLER(vehicles_get) { return resource_get(req, res, &resource_vehicles); }
HANDLER(vehicles_patch) { return resource_patch(req, res, &resource_vehicles); }
HANDLER(vehicles_delete) { return resource_delete(req, res, &resource_vehicles); }
