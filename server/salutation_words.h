/*
 * salutation_words: the salutation and title words a desk types before a
 * name ("Frau Sonnleitner", "Hr. Wessling", "Herr Dr. med. Wessling"),
 * recognised among the search's name tokens, and what they add to the
 * rank of a customer found by the name. Pure; the greeting's forms of
 * address are salutation.c's.
 */
#ifndef CRMD_SALUTATION_WORDS_H
#define CRMD_SALUTATION_WORDS_H

#include <stddef.h>

#include "search_norm.h"

#define SALUTATION_WORDS_TITLES_MAX 8 /* title words remembered; more are cut all the same */

/* The form of address a salutation word names. */
enum salutation_words_form {
    SALUTATION_WORDS_NONE,    /* no salutation typed */
    SALUTATION_WORDS_MALE,    /* Herr, Hr, Mr */
    SALUTATION_WORDS_FEMALE,  /* Frau, Fr, Mrs, Ms, Miss */
    SALUTATION_WORDS_COMPANY, /* Firma, Fa */
};

/* What the leading words of a query said. */
struct salutation_words {
    enum salutation_words_form form;
    const char *titles[SALUTATION_WORDS_TITLES_MAX]; /* canonical title words: "dr", "prof" */
    size_t ntitles;
};

/*
 * Take the salutation and title words at the start of toks (n tokens, as
 * search_norm_tokens folds them) off, shifting the rest down, and say
 * what they were in w. Words, case and dots do not matter ("Hr.", "HERR"):
 * salutations Herr, Hr, Mr (male), Frau, Fr, Mrs, Ms, Miss (female),
 * Firma, Fa (company); titles Dr, Dres, Prof, Professor, Dipl, Ing, Mag,
 * DI, and after Dr its faculty (med, dent, vet, jur, phil, rer, nat,
 * oec, pol). Nobility particles (von, van, de) are names. Nothing is
 * taken unless a token with a letter stays behind ("Fr" alone is a
 * prefix of Frank) and no token has a digit (a plate or a number).
 * Returns the number of tokens left.
 */
size_t salutation_words_take(struct search_norm_token *toks, size_t n, struct salutation_words *w);

/*
 * What w adds to the score of a customer found by name: +2 when the
 * typed salutation agrees with the customer (Herr/Frau as stored
 * salutation, Firma with kind "company"), -2 when it disagrees (the
 * other of Herr/Frau, a person for Firma, a company for Herr/Frau), 0
 * when the customer's salutation is "divers", "none" or not set; and +1
 * when every typed title word is among the words of the customer's
 * title. kind, salutation and title may be NULL. Between -2 and +3.
 */
int salutation_words_bonus(const struct salutation_words *w, const char *kind,
                           const char *salutation, const char *title);

/* Whether w holds anything that can change a rank. */
int salutation_words_any(const struct salutation_words *w);

#endif
