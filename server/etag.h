/*
 * etag: entity tags of representations and the preconditions of RFC 9110
 * (If-Match, If-None-Match): formatting, parsing of the header lists and
 * the 400/412 problems. Pure; resource.c and households.c apply them
 * inside their transactions.
 */
#ifndef CRMD_ETAG_H
#define CRMD_ETAG_H

#include <jansson.h>
#include <stddef.h>

#include "model.h"
#include "problem.h"

#define ETAG_MAX 47 /* longest ETag produced, quotes included */

enum etag_match { ETAG_MALFORMED = -1, ETAG_NO_MATCH = 0, ETAG_MATCH = 1 };

/*
 * The strong ETag of representation doc of m, quotes included: "v<version>"
 * for models without computed members, "v<version>.<16 hex>" for the others,
 * the hex digits being the start of the SHA-256 of their computed members
 * (a customer's household changes without a new customer version).
 */
void etag_of(const struct model *m, const json_t *doc, char out[ETAG_MAX + 1]);

/*
 * Does the field value of If-Match or If-None-Match ("*", or a comma-
 * separated list of entity tags, optionally W/-prefixed) match etag (a
 * strong tag, quotes included)? weak = 0 compares strongly (If-Match: a
 * W/ tag never matches), weak = 1 weakly (If-None-Match). "*" matches.
 * Returns ETAG_MATCH, ETAG_NO_MATCH or ETAG_MALFORMED (also for a value
 * without any entity tag, or "*" in a list).
 */
enum etag_match etag_list_match(const char *header, const char *etag, int weak);

/*
 * If-Match precondition against the current representation (ETag etag,
 * version version) of what ("customer"): header NULL or matching → 0;
 * malformed → -1 (400); not matching → -1 (412 precondition-failed with
 * extension members current_version and current_etag).
 */
int etag_check_if_match(const char *header, const char *etag, long long version, const char *what,
                        struct problem *p);

/*
 * If-None-Match of a GET: 1 when header matches etag (answer 304), 0 when
 * it is NULL or does not match, -1 when malformed (400).
 */
int etag_check_if_none_match(const char *header, const char *etag, struct problem *p);

#endif
