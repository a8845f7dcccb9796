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

/*
 * Turn a plate as typed ("m-ab 1234", "M AB-1234E") into its lookup form
 * ("MAB1234", "MAB1234E"): ASCII letters upper-cased, German umlauts
 * (ä ö ü, as UTF-8) upper-cased to Ä Ö Ü, digits kept, spaces, hyphens
 * and dots removed. Any other character makes the plate invalid.
 * Writes at most outsz bytes. Returns 0, or -1 leaving out empty: a valid
 * plate has 2..10 letters/digits after normalisation, at least one letter
 * and at least one digit, and fits in outsz.
 */
int normalize_plate(const char *in, char *out, size_t outsz);

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
