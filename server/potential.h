/*
 * potential: purchase potential as explainable opportunities, computed by
 * pure rules (struct rules thresholds) over the greeting card's context.
 * No I/O: the card gathers the data, this module only judges it.
 */
#ifndef CRMD_POTENTIAL_H
#define CRMD_POTENTIAL_H

#include <jansson.h>
#include <stddef.h>

#include "lang.h"
#include "rules.h"

/*
 * Evaluate every rule over ctx, an object shaped like this (members may
 * be absent or null; arrays may be empty):
 *
 *   "today":       "YYYY-MM-DD" (local date at the desk)
 *   "person":      the customer representation at the desk (model_customer:
 *                  id, given_name, family_name, preferred_name, birthday,
 *                  preferences {...}, ...)
 *   "vehicles":    [vehicle representation (model_vehicle) + "relation":
 *                  "own" (owned or driven by the person), "household"
 *                  (of another member) or "fleet" (of a company the person
 *                  works for) + "holder": {"customer_id", "name"} (who owns
 *                  or drives it, for the reason text) ]
 *   "household":   {"id", "name", "members": [{"customer_id", "role",
 *                  "name", "birthday", "vehicle_count"}]} or null
 *                  (members include the person at the desk)
 *   "fleets":      [{"company_id", "company_name", "roles": [..],
 *                  "fleet_size"}] (vehicles of the fleets are in "vehicles")
 *   "touchpoints": [touchpoint representation (model_touchpoint)], newest
 *                  first, the person's recent ones (for retention risk and
 *                  stated interest in electric cars: summary text mentioning
 *                  "elektro", "electric", "EV", "E-Auto", case-insensitive)
 *
 * Returns a new object {"score": total, "opportunities": [{"kind", "reason",
 * "score", "vehicle_id" (or null), "customer_id" (or null)}] ordered by
 * score, highest first, "opportunity_count": how many}. kind is one of:
 * replacement, lease_end, household, fleet, electric_switch, service,
 * retention_risk. Scores are 0..100 per
 * opportunity; retention_risk is a warning and does not add to the total.
 * Reasons are written in lang (msg.h); kinds stay English identifiers.
 */
json_t *potential_evaluate(const json_t *ctx, const struct rules *r, enum lang lang);

/*
 * The same judgement with vehicles streamed in and only the best kept, so a
 * card of a 20,000-car company holds a few opportunities, not every car:
 * potential_start judges ctx without its "vehicles" (ctx must outlive the
 * evaluation), potential_vehicle one vehicle shaped as in "vehicles" (a
 * fleet vehicle is tallied for its company's fleet opportunity; a fleet may
 * instead carry "leases_due" and "replacements_due", counted by the caller
 * with potential_cutoffs, which then stand), potential_finish frees pt and
 * returns {"score", "opportunities": the best `listed`, "opportunity_count":
 * all found}. potential_evaluate is start(SIZE_MAX), each vehicle, finish.
 */
struct potential;
struct potential *potential_start(const json_t *ctx, const struct rules *r, enum lang lang,
                                  size_t listed);
void potential_vehicle(struct potential *pt, const json_t *v);
json_t *potential_finish(struct potential *pt);

/*
 * The rules' due tests as cutoffs for SQL ("YYYY-MM-DD" compare as text):
 * a lease is due when lease_end lies in [lease_from, lease_to]; a vehicle
 * is due for replacement when first_registration <= registered_by, or
 * without one model_year in [1000, year_by], or mileage_km >=
 * r->replace_mileage_km. Returns -1 when today is not a date.
 */
struct potential_cutoffs {
    char lease_from[11], lease_to[11], registered_by[11];
    int year_by;
};
int potential_cutoffs(const char *today, const struct rules *r, struct potential_cutoffs *out);

#endif
