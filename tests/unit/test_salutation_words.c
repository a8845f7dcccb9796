/*
 * test_salutation_words: which leading words of a desk query are a
 * salutation or a title (and which stay names), and the rank bonus they
 * give a customer. Table-driven.
 */
#include <check.h>
#include <string.h>

#include "salutation_words.h"
#include "unit_suites.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
    const char *q;
    const char *left;                /* name tokens left, space-separated */
    enum salutation_words_form form;
    const char *titles;              /* canonical title words, space-separated */
} take_cases[] = {
    { "Frau Sonnleitner", "sonnleitner", SALUTATION_WORDS_FEMALE, "" },
    { "Dr. Wessling", "wessling", SALUTATION_WORDS_NONE, "dr" },
    { "Herr Dr. Wessling", "wessling", SALUTATION_WORDS_MALE, "dr" },
    { "Hr. Wessling", "wessling", SALUTATION_WORDS_MALE, "" },
    { "HERR wessling", "wessling", SALUTATION_WORDS_MALE, "" },
    { "Fr. Kaya", "kaya", SALUTATION_WORDS_FEMALE, "" },
    { "Mr Kaya", "kaya", SALUTATION_WORDS_MALE, "" },
    { "Mrs. Kaya", "kaya", SALUTATION_WORDS_FEMALE, "" },
    { "Ms Kaya", "kaya", SALUTATION_WORDS_FEMALE, "" },
    { "Miss Kaya", "kaya", SALUTATION_WORDS_FEMALE, "" },
    { "Firma Huber", "huber", SALUTATION_WORDS_COMPANY, "" },
    { "Fa. Huber", "huber", SALUTATION_WORDS_COMPANY, "" },
    { "Frau Dr. med. Sonnleitner", "sonnleitner", SALUTATION_WORDS_FEMALE, "dr med" },
    { "Prof. Dr. Wessling", "wessling", SALUTATION_WORDS_NONE, "prof dr" },
    { "Professor Wessling", "wessling", SALUTATION_WORDS_NONE, "prof" },
    { "Dres. Wessling", "wessling", SALUTATION_WORDS_NONE, "dr" },
    { "Dipl.-Ing. Brandl", "brandl", SALUTATION_WORDS_NONE, "dipl ing" },
    { "Mag. Huber", "huber", SALUTATION_WORDS_NONE, "mag" },
    { "DI Huber", "huber", SALUTATION_WORDS_NONE, "di" },
    { "Herr Ing. Huber", "huber", SALUTATION_WORDS_MALE, "ing" },
    /* nobility particles are names */
    { "Herr von Wessling", "von wessling", SALUTATION_WORDS_MALE, "" },
    { "van Dijk", "van dijk", SALUTATION_WORDS_NONE, "" },
    { "Frau de Vries", "de vries", SALUTATION_WORDS_FEMALE, "" },
    /* only leading words: later ones are names (or prefixes of names) */
    { "Wessling Dr", "wessling dr", SALUTATION_WORDS_NONE, "" },
    { "Petra Frau", "petra frau", SALUTATION_WORDS_NONE, "" },
    /* nothing would be left: Fr, Dr, Ing alone are prefixes (Frank, Ingrid) */
    { "Fr", "fr", SALUTATION_WORDS_NONE, "" },
    { "Frau", "frau", SALUTATION_WORDS_NONE, "" },
    { "Herr Dr.", "herr dr", SALUTATION_WORDS_NONE, "" },
    { "Frank", "frank", SALUTATION_WORDS_NONE, "" },
    { "Ingrid Herr", "ingrid herr", SALUTATION_WORDS_NONE, "" },
    /* a faculty only after Dr */
    { "Med Wessling", "med wessling", SALUTATION_WORDS_NONE, "" },
    /* digits: a plate or a number, not a name with a salutation */
    { "Dr 4711", "dr 4711", SALUTATION_WORDS_NONE, "" },
    { "MS AB 123", "ms ab 123", SALUTATION_WORDS_NONE, "" },
    { "", "", SALUTATION_WORDS_NONE, "" },
};

static void
join_tokens(const struct search_norm_token *toks, size_t n, char *out, size_t outsz)
{
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strncat(out, i ? " " : "", outsz - strlen(out) - 1);
        strncat(out, toks[i].exact, outsz - strlen(out) - 1);
    }
}

START_TEST(take)
{
    struct search_norm_token toks[8];
    struct salutation_words w;
    char left[256], titles[256] = "";
    size_t n = search_norm_tokens(take_cases[_i].q, toks, 8);

    n = salutation_words_take(toks, n, &w);
    join_tokens(toks, n, left, sizeof left);
    for (size_t i = 0; i < w.ntitles; i++) {
        strcat(titles, i ? " " : "");
        strcat(titles, w.titles[i]);
    }
    ck_assert_msg(!strcmp(left, take_cases[_i].left), "%s: left \"%s\", want \"%s\"",
                  take_cases[_i].q, left, take_cases[_i].left);
    ck_assert_msg(w.form == take_cases[_i].form, "%s: form %d, want %d", take_cases[_i].q,
                  (int)w.form, (int)take_cases[_i].form);
    ck_assert_msg(!strcmp(titles, take_cases[_i].titles), "%s: titles \"%s\", want \"%s\"",
                  take_cases[_i].q, titles, take_cases[_i].titles);
    ck_assert_int_eq(salutation_words_any(&w), w.form != SALUTATION_WORDS_NONE || w.ntitles);
}
END_TEST

static const struct {
    const char *q;          /* typed before a name */
    const char *kind;       /* customer */
    const char *salutation;
    const char *title;
    int want;
} bonus_cases[] = {
    { "Frau X", "person", "Frau", NULL, 2 },
    { "Frau X", "person", "Herr", "Dr.", -2 },
    { "Frau X", "person", "divers", NULL, 0 },
    { "Frau X", "person", "none", NULL, 0 },
    { "Frau X", "person", NULL, NULL, 0 },
    { "Frau X", "company", NULL, NULL, -2 },
    { "Mr X", "person", "Herr", NULL, 2 },
    { "Firma X", "company", NULL, NULL, 2 },
    { "Firma X", "person", "Herr", NULL, -2 },
    { "Firma X", "person", NULL, NULL, -2 },
    { "Dr. X", "person", "Herr", "Dr.", 1 },
    { "Dr. X", "person", "Herr", "Prof. Dr. med.", 1 },
    { "Dr. X", "person", "Herr", NULL, 0 },
    { "Dr. X", "person", "Frau", "Dipl.-Ing.", 0 },
    { "Herr Dr. X", "person", "Herr", "Dr.", 3 },
    { "Herr Dr. X", "person", "Frau", "Dr.", -1 },
    { "Dr. med. X", "person", "Herr", "Dr.", 0 },
    { "Dr. med. X", "person", "Herr", "Dr. med.", 1 },
    { "Professor X", "person", NULL, "Prof.", 1 },
    { "Dres. X", "person", NULL, "Dr.", 1 },
    { "X", "person", "Herr", "Dr.", 0 },
};

START_TEST(bonus)
{
    struct search_norm_token toks[8];
    struct salutation_words w;
    size_t n = search_norm_tokens(bonus_cases[_i].q, toks, 8);
    int got;

    salutation_words_take(toks, n, &w);
    got = salutation_words_bonus(&w, bonus_cases[_i].kind, bonus_cases[_i].salutation,
                                 bonus_cases[_i].title);
    ck_assert_msg(got == bonus_cases[_i].want, "%s for %s %s %s: %d, want %d", bonus_cases[_i].q,
                  bonus_cases[_i].kind, bonus_cases[_i].salutation ? bonus_cases[_i].salutation : "-",
                  bonus_cases[_i].title ? bonus_cases[_i].title : "-", got, bonus_cases[_i].want);
}
END_TEST

START_TEST(no_words_no_bonus)
{
    ck_assert_int_eq(salutation_words_bonus(NULL, "person", "Herr", "Dr."), 0);
    ck_assert(!salutation_words_any(NULL));
}
END_TEST

Suite *
salutation_words_suite(void)
{
    Suite *s = suite_create("salutation_words");
    TCase *tc = tcase_create("take");

    tcase_add_loop_test(tc, take, 0, N(take_cases));
    suite_add_tcase(s, tc);
    tc = tcase_create("bonus");
    tcase_add_loop_test(tc, bonus, 0, N(bonus_cases));
    tcase_add_test(tc, no_words_no_bonus);
    suite_add_tcase(s, tc);
    return s;
}
