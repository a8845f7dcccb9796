/*
 * merge_rules: how two customer representations become one (POST
 * /v1/customers/{id}/merge), as pure functions on JSON. The survivor's
 * values win; what it lacks comes from the other; consents keep the
 * stricter status. Moving vehicles, touchpoints and relations is the
 * store's job (store_merge.c).
 */
#ifndef CRMD_MERGE_RULES_H
#define CRMD_MERGE_RULES_H

#include <jansson.h>

/*
 * Strictness of one consent entry ({status, at} or NULL): withdrawn 2,
 * granted 1, absent or unknown 0.
 */
int merge_rules_consent_rank(const json_t *entry);

/*
 * The entry that wins for one channel (borrowed: a or b, NULL when both
 * are NULL): the stricter status; equal status → the later "at" (the
 * latest statement of the customer), then a.
 */
const json_t *merge_rules_consent(const json_t *a, const json_t *b);

/*
 * The merged representation (new reference) of survivor and other
 * (representations as GET shows them, same kind): scalar fields the
 * survivor lacks are filled from other; emails and phones are the union
 * (survivor's first, deduplicated by lookup key); preferences the union
 * (survivor's text per key); consents per channel as merge_rules_consent;
 * do_not_contact if either; external_refs the union; notes both, the
 * survivor's first, separated by a blank line. summary (an object) gets
 * "fields_filled" [names], "emails_added", "phones_added",
 * "external_refs_added", "consents_changed" [channels].
 */
json_t *merge_rules_customer(const json_t *survivor, const json_t *other, json_t *summary);

#endif
