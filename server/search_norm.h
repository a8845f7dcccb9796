/*
 * search_norm: pure normalisers for the desk search. Names are folded
 * into matching keys (case, umlauts, accents, ß; Latin to ASCII, Greek and
 * Cyrillic within their script) and coded with the Kölner Phonetik. The
 * index (store_search.c), the query (search.c) and the duplicate keys
 * (dupe.c) use the same functions, so all sides always agree. Unicode
 * data from utf8proc; no I/O, no allocation.
 */
#ifndef CRMD_SEARCH_NORM_H
#define CRMD_SEARCH_NORM_H

#include <stddef.h>

#define SEARCH_NORM_TOKEN_MAX 64 /* bytes incl. NUL of one token's key or code; longer is cut */

/*
 * How text splits into tokens and folds, letter by letter; a letter
 * followed by combining marks is composed first (NFC), so "u" + U+0308
 * folds as ü, and marks that compose with nothing are dropped:
 * - ASCII letters are lower-cased, digits kept;
 * - Latin-1 and Latin Extended-A letters are transliterated: ä → ae,
 *   ö → oe, ü → ue, ß and ẞ → ss, æ → ae, œ → oe, þ → th, ĳ → ij, every
 *   other accented letter to its base letter (é → e, ł → l, ş → s, ı → i);
 * - other Latin letters (Extended-B, the Vietnamese block U+1E00..1EFF, ...)
 *   lose marks and case through their decomposition (ș → s, ễ → e), those
 *   without one by a table (ƀ → b, ǥ → g, ǆ → dz);
 * - Greek loses accents and case, final ς is σ (Ά → α); Cyrillic loses
 *   case only, and ё ѐ are е, ѝ is и (й, ї, ў stay: letters of their own);
 *   both stay in their script (UTF-8), never transliterated;
 * - apostrophes (' ` ´ ‘ ’ ʼ) are dropped inside a word ("O'Brien" → "obrien");
 * - every other ASCII or Latin-1 character, and Unicode punctuation,
 *   symbols and spaces, separate tokens ("Müller-Lüdenscheidt" →
 *   "mueller luedenscheidt");
 * - letters of other scripts are case-folded and kept with their marks;
 *   invalid UTF-8 bytes separate tokens.
 * The folded text is never longer than the input (a fold that would grow,
 * ᾳ → αι, keeps the letter as sent). Only Latin letters get a phonetic code.
 *
 * The "loose" key additionally reads "ae", "oe", "ue" as a transliterated
 * umlaut and keeps only the vowel ("mueller" → "muller"), except after a
 * vowel ("bauer", "neuer" stay) and "que" ("quelle" stays): that is what
 * makes Müller, Mueller and Muller one key, and what the index stores.
 */

/*
 * Fold in into its tokens separated by single spaces: transliterated
 * ("mueller") or, with loose set, the loose keys ("muller"). A token
 * longer than SEARCH_NORM_TOKEN_MAX - 1 bytes is cut there (at a
 * character boundary). Returns the number of tokens, or -1 when out is
 * too small (out left empty).
 */
int search_norm_fold(const char *in, int loose, char *out, size_t outsz);

/*
 * The Kölner Phonetik code of in read as one word ("Müller-Lüdenscheidt"
 * → "65752682", "Meier" → "67"): letters as folded above (umlauts count
 * as vowels, ß as s), everything else ignored. Codes per letter: vowels
 * and J, Y 0; B 1; P 1 (3 before H); D, T 2 (8 before C, S, Z); F, V, W 3;
 * G, K, Q 4; C 4 before A H K L O Q R U X at the start, before A H K O Q
 * U X elsewhere unless after S or Z, else 8; X 48 (8 after C, K, Q); L 5;
 * M, N 6; R 7; S, Z 8; H none. Then runs of the same code collapse to one
 * and 0 is dropped except as the first code. Empty when in has no letter.
 * Returns 0, or -1 when out is too small (out left empty).
 */
int search_norm_phonetic(const char *in, char *out, size_t outsz);

/* One token of a query with every key the search needs. */
struct search_norm_token {
    char exact[SEARCH_NORM_TOKEN_MAX]; /* transliterated: "mueller" */
    char loose[SEARCH_NORM_TOKEN_MAX]; /* loose key: "muller" */
    char code[SEARCH_NORM_TOKEN_MAX];  /* Kölner code, "" for digits only: "657" */
};

/*
 * Whether token t is matched by sound: 3+ bytes, no digit ("M-HW 2022",
 * "R2D2" are no names) and a consonant in its code (every all-vowel word
 * codes as "0"). Short tokens ("KG", "Li") would match too much by sound.
 */
int search_norm_by_sound(const struct search_norm_token *t);

/*
 * The phonetic codes of the tokens of in (tokens as search_norm_fold
 * splits them) that search_norm_by_sound admits, separated by single
 * spaces. Returns the number of codes written, or -1 when out is too
 * small (out left empty).
 */
int search_norm_phonetic_text(const char *in, char *out, size_t outsz);

/*
 * Split in into at most max tokens (more are ignored) with their keys.
 * Returns the number of tokens.
 */
size_t search_norm_tokens(const char *in, struct search_norm_token *toks, size_t max);

#endif
