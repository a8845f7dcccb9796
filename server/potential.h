/*
 * potential: purchase potential as explainable opportunities, computed by
 * pure rules (struct rules thresholds) over the greeting card's context.
 * No I/O: the card gathers the data, this module only judges it.
 */
#ifndef CRMD_POTENTIAL_H
#define CRMD_POTENTIAL_H

#include <jansson.h>

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
 * "score", "vehicle_id" (or null), "customer_id" (or null)}]} ordered by
 * score, highest first. kind is one of: replacement, lease_end, household,
 * fleet, electric_switch, service, retention_risk. Scores are 0..100 per
 * opportunity; retention_risk is a warning and does not add to the total.
 * Reasons are written in lang (msg.h); kinds stay English identifiers.
 */
json_t *potential_evaluate(const json_t *ctx, const struct rules *r, enum lang lang);

#endif
