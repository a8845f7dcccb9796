/*
 * phone: phone numbers as people type them, read by libphonenumber (C++,
 * behind this C interface in phone.cc). Parsing, validation and E.164
 * formatting only; which region applies is the caller's (config's) choice.
 * Thread-safe once phone_init() ran.
 */
#ifndef CRMD_PHONE_H
#define CRMD_PHONE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PHONE_E164_MAX 20   /* "+" + up to 15 digits + NUL, with margin */
#define PHONE_REGION_DEFAULT "DE"

/*
 * Load libphonenumber's metadata (a singleton built on first use, ~ms) and
 * set the default region of phone_parse_default(). Call once at start,
 * before threads. Returns 0, or -1 if region is not a region libphonenumber
 * knows (ISO 3166 alpha-2, upper case: "DE", "AT", "CH"), keeping the old one.
 */
int phone_init(const char *region);

/* The default region set by phone_init ("DE" before). Borrowed, static. */
const char *phone_region(void);

/* 1 if region is a two-letter upper-case region libphonenumber supports, else 0. */
int phone_region_known(const char *region);

/*
 * Read a number as typed ("0171 1234567", "+49 (0)171 1234567",
 * "0043 664 1234567", "089 3209 4410 ext. 12") with region for national
 * numbers and write its E.164 form ("+491711234567", extension dropped) to
 * out (outsz >= PHONE_E164_MAX). Only numbers libphonenumber holds valid
 * are accepted; letters are refused (no vanity numbers) except as an
 * extension marker. Returns 0, or -1 with out empty and *reason (if
 * reason is not NULL) set to a short static English phrase for a
 * message: "too short", "too long", "not a number", "has letters",
 * "unknown country code", "wrong length", "no area code",
 * "not an assigned number range", "unknown region".
 */
int phone_parse(const char *text, const char *region, char *out, size_t outsz,
                const char **reason);

/* phone_parse with the default region of phone_init. */
int phone_parse_default(const char *text, char *out, size_t outsz, const char **reason);

/* 1 if phone_parse(text, region) would succeed, else 0. */
int phone_is_valid(const char *text, const char *region);

#ifdef __cplusplus
}
#endif

#endif
