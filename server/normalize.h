/*
 * normalize: pure functions that turn identifiers as people type them
 * (licence plates, VINs, e-mail addresses) into validated canonical forms
 * used for storage and lookup. No I/O, no allocation. Phone numbers: phone.h.
 */
#ifndef CRMD_NORMALIZE_H
#define CRMD_NORMALIZE_H

#include <stddef.h>

#define NORMALIZE_PLATE_MAX 16  /* bytes incl. NUL for a normalised plate */
#define NORMALIZE_VIN_LEN 17
#define NORMALIZE_EMAIL_MAX 255 /* RFC 5321 path limit 254 + NUL */
#define NORMALIZE_PLATE_KEYS 4  /* lookup keys of one typed plate: as typed + transliterations */

/*
 * Turn a plate as typed ("m-ab 1234", "M AB-1234E") into its lookup form
 * ("MAB1234", "MAB1234E"): ASCII letters upper-cased, German umlauts
 * (ä ö ü, as UTF-8, precomposed or as A/O/U + U+0308 COMBINING DIAERESIS)
 * upper-cased to Ä Ö Ü, digits kept, spaces, hyphens and dots removed.
 * Any other character makes the plate invalid.
 * Writes at most outsz bytes. Returns 0, or -1 leaving out empty: a valid
 * plate has 2..10 letters/digits after normalisation, at least one letter
 * and at least one digit, and fits in outsz.
 */
int normalize_plate(const char *in, char *out, size_t outsz);

/* The keys to look a typed plate (or its beginning) up by. */
struct plate_keys {
    char key[NORMALIZE_PLATE_KEYS][NORMALIZE_PLATE_MAX];
    size_t n;      /* key[0] is normalize_plate's form; 0 when not a plate */
    int separated; /* typed with a space, hyphen or dot between letters or digits */
};

/*
 * The lookup keys of a plate as typed: normalize_plate's form first, then
 * the readings of a transliterated umlaut in the district (AE, OE, UE
 * among the first 4 letters before a separator or a digit, as Ä, Ö, Ü):
 * "WUE-K 7" gives WUEK7 and WÜK7. Stored keys are never transliterated.
 * Returns 0, or -1 (keys->n 0) when in is no valid plate.
 */
int normalize_plate_keys(const char *in, struct plate_keys *keys);

/*
 * The keys of the beginning of a plate typed at the desk ("M-HW", "m hw 20"):
 * 3-10 letters and digits after normalisation, starting with a letter,
 * letters then digits then at most one letter; transliterations as in
 * normalize_plate_keys. Needs no digit. Returns 0, or -1 (keys->n 0).
 */
int normalize_plate_prefix_keys(const char *in, struct plate_keys *keys);

/*
 * Whether a stored plate is written with the separators typed, counting
 * positions in normalised characters from the end (a transliterated
 * district "WUE" for "WÜ" keeps them comparable): when typed holds a
 * hyphen, stored has its hyphens at exactly those places ("M-AB 123" and
 * "m-ab123" fit, "MA-B 123" does not); else stored has a separator (space,
 * hyphen or dot) wherever typed has one ("M AB 123" fits "M-AB 123").
 * Leading and trailing separators do not count. Returns 1 or 0, or -1
 * when typed has no inner separator or is not a plate (nothing to tell).
 */
int normalize_plate_fits(const char *typed, const char *stored);

/*
 * Validate and upper-case a VIN: exactly 17 characters from 0-9 and A-Z
 * without I, O and Q (ISO 3779), after trimming surrounding spaces; lower
 * case accepted. out must hold NORMALIZE_VIN_LEN + 1 bytes.
 * Returns 0, or -1 with out empty.
 */
int normalize_vin(const char *in, char *out, size_t outsz);

/*
 * Normalise a VIN fragment typed at the desk (last 6..17 characters) to
 * upper case with the same alphabet as a VIN. Returns 0, or -1.
 */
int normalize_vin_suffix(const char *in, char *out, size_t outsz);

/*
 * Validate an e-mail address and write its lookup key: surrounding spaces
 * trimmed, whole address lower-cased (ASCII). Valid: one '@', a local part
 * of 1..64 bytes without spaces or control characters, a domain of 1..253
 * bytes with at least one dot, labels of letters, digits and hyphens (or
 * UTF-8 bytes >= 0x80 for internationalised domains), no empty label.
 * Returns 0, or -1 with out empty.
 */
int normalize_email(const char *in, char *out, size_t outsz);

#endif
