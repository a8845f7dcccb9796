/*
 * contact_policy: may the dealership contact this customer now, on this
 * channel, for this purpose? Pure rules (struct rules thresholds) over
 * facts the store gathers; the answer always says why.
 */
#ifndef CRMD_CONTACT_POLICY_H
#define CRMD_CONTACT_POLICY_H

#include <jansson.h>

#include "rules.h"

/*
 * facts: {"now": RFC 3339 UTC, "customer": customer representation
 * (consents, do_not_contact), "outbound": [outbound touchpoints of the
 * last contact_window_days and at least the last let_go_unanswered ones,
 * newest first: occurred_at, channel, purpose, outcome], "poor": [touchpoints
 * of the last quiet_days with satisfaction < poor_satisfaction or nps <= 6,
 * newest first], "open_complaints": number of complaint touchpoints whose
 * follow_up is not done}.
 * channel: email, phone, sms, post (the consent channels); purpose:
 * service, sales, recovery, information.
 * Returns {"channel", "purpose", "allowed": bool, "reasons": [{"code",
 * "detail"}] (empty when allowed), "contacts_in_window": n, "window_days",
 * "max_contacts", "next_allowed_at": RFC 3339 or null}.
 * Codes: no_consent, consent_withdrawn, do_not_contact, too_many_contacts,
 * let_go (N consecutive unanswered), quiet_period (sales after a poor
 * experience or while a complaint is open; recovery and service allowed).
 */
json_t *contact_policy_evaluate(const json_t *facts, const char *channel, const char *purpose,
                                const struct rules *r);

#endif
