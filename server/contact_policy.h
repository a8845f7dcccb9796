/*
 * contact_policy: may the dealership contact this customer now, on this
 * channel, for this purpose? Pure rules (struct rules thresholds) over
 * facts the store gathers; the answer always says why.
 */
#ifndef CRMD_CONTACT_POLICY_H
#define CRMD_CONTACT_POLICY_H

#include <jansson.h>

#include "lang.h"
#include "rules.h"

/*
 * facts: {"now": RFC 3339 UTC, "customer": customer representation
 * (consents, do_not_contact), "outbound": [outbound touchpoints of the
 * last contact_window_days and at least as many older ones as the let-go
 * streaks need (back to last_inbound_at, or until both are decided),
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
 * let_go (N consecutive unanswered), let_go_declined (N declined for this
 * purpose), quiet_period (sales after a poor experience or while a
 * complaint is open; recovery and service allowed).
 *
 * Precisely (reasons are listed in this order, every one that applies):
 * - consent: customer.consents[channel] must be "granted"; absent →
 *   no_consent, withdrawn → consent_withdrawn. Every purpose. channel NULL
 *   (a contact in person, by app or web: no consent channel) skips this rule.
 * - do_not_contact: blocks every purpose, recovery included.
 * - too_many_contacts: outbound contacts (any channel, purpose, outcome)
 *   with now - occurred_at < contact_window_days (one at exactly the window
 *   has left it) number contact_max or more. Every purpose. Lapses when the
 *   contact_max-th newest leaves the window (contact_max 0: never).
 * - let_go: newest first, the last let_go_unanswered outbound attempts with
 *   an outcome were all "unanswered" (attempts without an outcome are
 *   skipped; "reached" or "declined" ends the streak; so does facts
 *   "last_inbound_at" (optional, RFC 3339): attempts older than the
 *   customer's last inbound contact do not count). No age limit: we wait
 *   for the customer. Sales, information and service; recovery is exempt.
 * - let_go_declined: newest first, among the outbound attempts for this
 *   purpose, let_go_after_declined answered "declined" before one was
 *   "reached" (unanswered attempts and those without an outcome are no
 *   answer and skipped; attempts of other purposes do not count; attempts
 *   older than last_inbound_at do not count). No age limit. Every purpose,
 *   recovery included: a customer who declined it has been offered it.
 * - quiet_period: sales only, while a "poor" touchpoint is less than
 *   quiet_days old (lapses quiet_days after the newest) or open_complaints
 *   > 0 (until resolved).
 * next_allowed_at: when every reason will have lapsed if nothing else
 * happens; null when allowed or when a reason does not lapse by itself.
 * Details are written in lang (msg.h); codes stay English identifiers.
 */
/* The purposes, numbered 0..CONTACT_POLICY_PURPOSES-1 (a declined streak each); -1 if unknown. */
#define CONTACT_POLICY_PURPOSES 4
int contact_policy_purpose_index(const char *purpose);

json_t *contact_policy_evaluate(const json_t *facts, const char *channel, const char *purpose,
                                const struct rules *r, enum lang lang);

#endif
