/*
 * lang: the languages staff read crmd's sentences in (de, en) and the
 * choice of one from a request's Accept-Language (RFC 9110 section
 * 12.5.4). Pure: http.c/exchange.c hand the header in, msg.c writes the
 * sentences, the greeting line follows the customer's language instead.
 */
#ifndef CRMD_LANG_H
#define CRMD_LANG_H

#define LANG_ACCEPT_MAX 256 /* bytes of Accept-Language looked at; the rest is ignored */

/* LANG_EN is 0: a zeroed request or problem speaks English. */
enum lang { LANG_EN = 0, LANG_DE, LANG_COUNT_ };

/*
 * The best supported language for an Accept-Language value (NULL: the
 * header is absent). Ranges are matched case-insensitively by their
 * primary subtag ("de-AT", "de-CH" count for de); the range naming the
 * language itself ("de") wins over its subtags, those over "*". A q of 0
 * excludes. Highest q wins, on a tie the range named first, then English.
 * Malformed members are skipped; members ending after LANG_ACCEPT_MAX
 * bytes are ignored. Nothing acceptable, or no header: LANG_EN.
 */
enum lang lang_from_accept(const char *value);

/* "en" or "de": the Content-Language of an answer in lang. */
const char *lang_code(enum lang lang);

#endif
