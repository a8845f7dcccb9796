/*
 * dupe: pure rules of duplicate detection: the matching keys of a
 * customer's name, birthday and address, and the score of a pair from the
 * kinds of evidence it shares. The store (store_duplicates.c) keeps the
 * keys and pairs; no I/O here.
 */
#ifndef CRMD_DUPE_H
#define CRMD_DUPE_H

#include <stddef.h>

#define DUPE_KEY_MAX 768       /* bytes incl. NUL of a name or address key */
#define DUPE_HOLDERS_MAX 10    /* a key held by more customers is no evidence (a switchboard) */

/* Kinds of evidence, as bits of a pair's reason mask. */
enum dupe_reason {
    DUPE_EMAIL = 1,         /* same e-mail lookup key */
    DUPE_PHONE = 2,         /* same E.164 number */
    DUPE_NAME_BIRTHDAY = 4, /* same folded name and birthday */
    DUPE_NAME_ADDRESS = 8,  /* same folded name and street + postal code (or city) */
};

/* Weight of each kind in thousandths (docs/integrators.md "Duplicates"). */
int dupe_weight(enum dupe_reason r);

/*
 * Score of a pair in thousandths: 1 - Π(1 - weight) over the kinds in
 * mask (each kind counts once), rounded. 0 for an empty mask.
 */
int dupe_score(unsigned mask);

/*
 * The name key of a customer: the loose folded tokens (search_norm:
 * Müller = Mueller = Muller, ß = ss) of the given parts (NULLs skipped),
 * sorted and joined by single spaces, so "Hans Müller" and "Mueller,
 * Hans" agree. Returns 0, or -1 when there is no token or out is too small.
 */
int dupe_name_key(const char *const *parts, size_t n, char *out, size_t outsz);

/*
 * The address key: the folded street without spaces or punctuation, with
 * "strasse" written "str" ("Hauptstraße 1" = "Hauptstr. 1"), then "|" and
 * the postal code without spaces, or "|c:" and the folded city when there
 * is no postal code. -1 without a street, without both postal code and
 * city, or when out is too small.
 */
int dupe_address_key(const char *street, const char *postal_code, const char *city, char *out,
                     size_t outsz);

#endif
