/*
 * salutation_words: the word lists and rules of salutation_words.h. The
 * tokens come folded by search_norm (lower case, no dots), so the lists
 * hold folded words only.
 */
#include "salutation_words.h"

#include <string.h>

enum word_role { ROLE_SALUTATION, ROLE_TITLE, ROLE_FACULTY };

static const struct word {
    const char *typed;
    enum word_role role;
    enum salutation_words_form form; /* salutations */
    const char *canonical;           /* titles and faculties: the word compared with a title */
} words[] = {
    { "herr", ROLE_SALUTATION, SALUTATION_WORDS_MALE, NULL },
    { "hr", ROLE_SALUTATION, SALUTATION_WORDS_MALE, NULL },
    { "mr", ROLE_SALUTATION, SALUTATION_WORDS_MALE, NULL },
    { "frau", ROLE_SALUTATION, SALUTATION_WORDS_FEMALE, NULL },
    { "fr", ROLE_SALUTATION, SALUTATION_WORDS_FEMALE, NULL },
    { "mrs", ROLE_SALUTATION, SALUTATION_WORDS_FEMALE, NULL },
    { "ms", ROLE_SALUTATION, SALUTATION_WORDS_FEMALE, NULL },
    { "miss", ROLE_SALUTATION, SALUTATION_WORDS_FEMALE, NULL },
    { "firma", ROLE_SALUTATION, SALUTATION_WORDS_COMPANY, NULL },
    { "fa", ROLE_SALUTATION, SALUTATION_WORDS_COMPANY, NULL },
    { "dr", ROLE_TITLE, SALUTATION_WORDS_NONE, "dr" },
    { "dres", ROLE_TITLE, SALUTATION_WORDS_NONE, "dr" },
    { "prof", ROLE_TITLE, SALUTATION_WORDS_NONE, "prof" },
    { "professor", ROLE_TITLE, SALUTATION_WORDS_NONE, "prof" },
    { "dipl", ROLE_TITLE, SALUTATION_WORDS_NONE, "dipl" },
    { "ing", ROLE_TITLE, SALUTATION_WORDS_NONE, "ing" },
    { "mag", ROLE_TITLE, SALUTATION_WORDS_NONE, "mag" },
    { "di", ROLE_TITLE, SALUTATION_WORDS_NONE, "di" },
    { "med", ROLE_FACULTY, SALUTATION_WORDS_NONE, "med" },
    { "dent", ROLE_FACULTY, SALUTATION_WORDS_NONE, "dent" },
    { "vet", ROLE_FACULTY, SALUTATION_WORDS_NONE, "vet" },
    { "jur", ROLE_FACULTY, SALUTATION_WORDS_NONE, "jur" },
    { "phil", ROLE_FACULTY, SALUTATION_WORDS_NONE, "phil" },
    { "rer", ROLE_FACULTY, SALUTATION_WORDS_NONE, "rer" },
    { "nat", ROLE_FACULTY, SALUTATION_WORDS_NONE, "nat" },
    { "oec", ROLE_FACULTY, SALUTATION_WORDS_NONE, "oec" },
    { "pol", ROLE_FACULTY, SALUTATION_WORDS_NONE, "pol" },
};

static const struct word *
lookup(const char *folded)
{
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (!strcmp(words[i].typed, folded))
            return &words[i];
    return NULL;
}

static int
has_letter(const char *s)
{
    for (; *s; s++)
        if (!(*s >= '0' && *s <= '9'))
            return 1;
    return 0;
}

static int
has_digit(const char *s)
{
    return strpbrk(s, "0123456789") != NULL;
}

/* How many leading tokens are salutation or title words (a faculty only after Dr or a faculty). */
static size_t
leading_words(const struct search_norm_token *toks, size_t n)
{
    size_t i;
    int after_dr = 0;

    for (i = 0; i < n; i++) {
        const struct word *w = lookup(toks[i].exact);
        if (!w || (w->role == ROLE_FACULTY && !after_dr))
            break;
        after_dr = w->role == ROLE_FACULTY || (w->role == ROLE_TITLE && !strcmp(w->canonical, "dr"));
    }
    return i;
}

size_t
salutation_words_take(struct search_norm_token *toks, size_t n, struct salutation_words *w)
{
    size_t lead = leading_words(toks, n), rest = 0;

    memset(w, 0, sizeof *w);
    for (size_t i = 0; i < n; i++) {
        if (has_digit(toks[i].exact))
            return n;
        rest += i >= lead && has_letter(toks[i].exact);
    }
    if (!lead || !rest)
        return n;
    for (size_t i = 0; i < lead; i++) {
        const struct word *word = lookup(toks[i].exact);
        if (word->role == ROLE_SALUTATION)
            w->form = word->form;
        else if (w->ntitles < SALUTATION_WORDS_TITLES_MAX)
            w->titles[w->ntitles++] = word->canonical;
    }
    memmove(toks, toks + lead, (n - lead) * sizeof *toks);
    return n - lead;
}

int
salutation_words_any(const struct salutation_words *w)
{
    return w && (w->form != SALUTATION_WORDS_NONE || w->ntitles);
}

static int
form_bonus(enum salutation_words_form form, const char *kind, const char *salutation)
{
    int company = kind && !strcmp(kind, "company");
    enum salutation_words_form have = company ? SALUTATION_WORDS_COMPANY
                                      : !salutation ? SALUTATION_WORDS_NONE
                                      : !strcmp(salutation, "Herr") ? SALUTATION_WORDS_MALE
                                      : !strcmp(salutation, "Frau") ? SALUTATION_WORDS_FEMALE
                                                                    : SALUTATION_WORDS_NONE;

    if (form == SALUTATION_WORDS_NONE)
        return 0;
    if (have == SALUTATION_WORDS_NONE) /* divers, none, unknown: no opinion, unless Firma */
        return form == SALUTATION_WORDS_COMPANY ? -2 : 0;
    return have == form ? 2 : -2;
}

/* 1 when every title word of w is among the (canonical) words of title. */
static int
title_bonus(const struct salutation_words *w, const char *title)
{
    struct search_norm_token have[SALUTATION_WORDS_TITLES_MAX];
    size_t n;

    if (!w->ntitles || !title)
        return 0;
    n = search_norm_tokens(title, have, SALUTATION_WORDS_TITLES_MAX);
    for (size_t i = 0; i < w->ntitles; i++) {
        int found = 0;
        for (size_t j = 0; j < n && !found; j++) {
            const struct word *word = lookup(have[j].exact);
            found = word && word->canonical && !strcmp(word->canonical, w->titles[i]);
        }
        if (!found)
            return 0;
    }
    return 1;
}

int
salutation_words_bonus(const struct salutation_words *w, const char *kind,
                       const char *salutation, const char *title)
{
    if (!salutation_words_any(w))
        return 0;
    return form_bonus(w->form, kind, salutation) + title_bonus(w, title);
}
