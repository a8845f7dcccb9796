/*
 * Unit tests for server/search_norm.c: name folding (transliterated and
 * loose keys), the Kölner Phonetik checked against the published rules
 * and examples, per-token codes and query tokens. All table-driven; every
 * case also checks that nothing is written past outsz.
 */
#include <check.h>
#include <stddef.h>
#include <string.h>

#include "search_norm.h"

Suite *search_norm_suite(void);

#define BUFSZ 512
#define FILL 'Z'
#define A70 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define A63 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

_Static_assert(sizeof(A70) - 1 == 70, "A70");
_Static_assert(sizeof(A63) - 1 == SEARCH_NORM_TOKEN_MAX - 1, "A63");

struct fold_case {
    const char *in;
    const char *exact; /* transliterated key; NULL: expect -1 */
    const char *loose; /* loose key */
    int tokens;
    size_t outsz;      /* 0: BUFSZ */
};

static const struct fold_case fold_cases[] = {
    /* Müller = Mueller = Muller: one loose key, two transliterated ones */
    { "Müller", "mueller", "muller", 1, 0 },
    { "Mueller", "mueller", "muller", 1, 0 },
    { "Muller", "muller", "muller", 1, 0 },
    { "MÜLLER", "mueller", "muller", 1, 0 },
    { "müller", "mueller", "muller", 1, 0 },
    /* Straße = Strasse, capital sharp s too */
    { "Straße", "strasse", "strasse", 1, 0 },
    { "STRASSE", "strasse", "strasse", 1, 0 },
    { "STRAẞE", "strasse", "strasse", 1, 0 },
    /* separators, spaces, apostrophes */
    { "Müller-Lüdenscheidt", "mueller luedenscheidt", "muller ludenscheidt", 2, 0 },
    { "  Hans   Wessling ", "hans wessling", "hans wessling", 2, 0 },
    { "O'Brien", "obrien", "obrien", 1, 0 },
    { "O’Brien", "obrien", "obrien", 1, 0 },
    { "Auto-Haus 2000 GmbH & Co. KG", "auto haus 2000 gmbh co kg", "auto haus 2000 gmbh co kg", 6,
      0 },
    { "Dr.Wessling", "dr wessling", "dr wessling", 2, 0 },
    { "a\xe2\x80\x93" "b", "a b", "a b", 2, 0 },                  /* en dash */
    { "a\xc2\xa0" "b", "a b", "a b", 2, 0 },                      /* no-break space */
    { "a\xff" "b", "a b", "a b", 2, 0 },                          /* invalid UTF-8 */
    { "a\xc3", "a", "a", 1, 0 },                                  /* truncated sequence */
    /* accents of Latin-1 and Latin Extended-A */
    { "Renée Dupré", "renee dupre", "renee dupre", 2, 0 },
    { "François Lefèvre", "francois lefevre", "francois lefevre", 2, 0 },
    { "Çelik Şahin Ğ", "celik sahin g", "celik sahin g", 3, 0 },
    { "Łukasz Wałęsa", "lukasz walesa", "lukasz walesa", 2, 0 },
    { "Søren Ærø", "soren aero", "soren aro", 2, 0 },
    { "Þór Ĳssel Œuvre", "thor ijssel oeuvre", "thor ijssel ouvre", 3, 0 },
    { "ÀÁÂÃÅàáâãå", "aaaaaaaaaa", "aaaaaaaaaa", 1, 0 },
    { "× ÷", "", "", 0, 0 },
    /* loose: ae/oe/ue only where they can stand for an umlaut */
    { "Schäfer Schaefer", "schaefer schaefer", "schafer schafer", 2, 0 },
    { "Goethe Göthe", "goethe goethe", "gothe gothe", 2, 0 },
    { "Bauer", "bauer", "bauer", 1, 0 },
    { "Neuer", "neuer", "neuer", 1, 0 },
    { "Quelle", "quelle", "quelle", 1, 0 },
    { "Bäuerle Baeuerle", "baeuerle baeuerle", "bauerle bauerle", 2, 0 },
    { "Uelzen", "uelzen", "ulzen", 1, 0 },
    /* Turkish, Polish, Czech, Croatian, Romanian (Latin Extended-B), Vietnamese (U+1Exx) */
    { "Işık", "isik", "isik", 1, 0 },
    { "İstanbul ISTANBUL", "istanbul istanbul", "istanbul istanbul", 2, 0 },
    { "Łódź ŁÓDŹ", "lodz lodz", "lodz lodz", 2, 0 },
    { "Ząbkowska Częstochowa Ćwik Ńak Śląsk Źrebię Żółw",
      "zabkowska czestochowa cwik nak slask zrebie zolw",
      "zabkowska czestochowa cwik nak slask zrebie zolw", 7, 0 },
    { "Dvořák Đorđević Szőke", "dvorak dordevic szoke", "dvorak dordevic szoke", 3, 0 },
    { "Ștefănescu Țiriac", "stefanescu tiriac", "stefanescu tiriac", 2, 0 }, /* U+0218..021B */
    { "Nguyễn Trần Phạm Đặng", "nguyen tran pham dang", "nguyen tran pham dang", 4, 0 },
    { "ƀ Ɨ ǆ Ǉ ȼ ɇ", "b i dz lj c e", "b i dz lj c e", 6, 0 },   /* no decomposition: the table */
    /* decomposed (NFD) input folds like the composed letter */
    { "Mu\xcc\x88ller", "mueller", "muller", 1, 0 },
    { "MU\xcc\x88LLER", "mueller", "muller", 1, 0 },
    { "Rene\xcc\x81" "e", "renee", "renee", 1, 0 },
    { "I\xcc\x87stanbul", "istanbul", "istanbul", 1, 0 },
    { "Nguye\xcc\x82\xcc\x83n", "nguyen", "nguyen", 1, 0 },
    { "\xcc\x88" "a \xcc\x81", "a", "a", 1, 0 },                /* marks without a letter */
    /* Greek: accents, case and final sigma; Cyrillic: case and ё; both stay in their script */
    { "Παπαδόπουλος", "παπαδοπουλοσ", "παπαδοπουλοσ", 1, 0 },
    { "ΠΑΠΑΔΟΠΟΥΛΟΣ", "παπαδοπουλοσ", "παπαδοπουλοσ", 1, 0 },
    { "Παπαδο\xcc\x81πουλος", "παπαδοπουλοσ", "παπαδοπουλοσ", 1, 0 },
    { "Ϊάκωβος", "ιακωβοσ", "ιακωβοσ", 1, 0 },
    { "Семёнов СЕМЁНОВ Семенов", "семенов семенов семенов", "семенов семенов семенов", 3, 0 },
    { "Семе\xcc\x88нов", "семенов", "семенов", 1, 0 },
    { "Иван", "иван", "иван", 1, 0 },
    { "Йошкин Ковалёв", "йошкин ковалев", "йошкин ковалев", 2, 0 }, /* й is not и */
    { "Ї ў", "ї ў", "ї ў", 2, 0 },
    /* other scripts are case-folded and keep their marks */
    { "東京 Ծովինար", "東京 ծովինար", "東京 ծովինար", 2, 0 },
    { "ﬓ", "ﬓ", "ﬓ", 1, 0 }, /* its case fold (մն) is longer: kept as sent */
    /* punctuation and symbols of any block separate */
    { "Müller™ Иван·Петров", "mueller иван петров", "muller иван петров", 3, 0 },
    /* nothing to fold */
    { "", "", "", 0, 0 },
    { "--- ...", "", "", 0, 0 },
    /* a long token is cut; out too small fails and leaves out empty */
    { A70, A63, A63, 1, 0 },
    { "Müller", NULL, NULL, -1, 6 },
    { "Müller", "mueller", "muller", 1, 8 },
    { "ab cd", NULL, NULL, -1, 5 },
    { "ab", NULL, NULL, -1, 0 + 1 },
};

struct code_case {
    const char *in;
    const char *want;
};

/* Codes worked out letter by letter from the published rules (see search_norm.h). */
static const struct code_case phonetic_cases[] = {
    { "Müller-Lüdenscheidt", "65752682" }, /* 60550750206880022 → 6050750206802 → 65752682 */
    { "Meier", "67" },
    { "Mayer", "67" },
    { "Meyer", "67" },
    { "Maier", "67" },
    { "Müller", "657" },
    { "Mueller", "657" },
    { "Muller", "657" },
    { "Wessling", "38564" },
    { "Weßling", "38564" },
    { "Schmidt", "862" },
    { "Schmitt", "862" },
    { "Breschnew", "17863" },
    { "Wikipedia", "3412" },
    { "Christoph", "47823" }, /* initial C before H: 4; P before H: 3 */
    { "Xaver", "4837" },      /* X not after C, K, Q: 48 */
    { "Axel", "0485" },       /* a leading 0 stays */
    { "Lux", "548" },
    { "Marx", "6748" },
    { "Hexe", "048" },        /* H has no code */
    { "Heinz", "068" },
    { "Becker", "147" },      /* C before K, not after S or Z: 4 */
    { "Fischer", "387" },     /* C after S: 8 */
    { "Koch", "44" },
    { "Sachs", "848" },
    { "Dietz", "28" },        /* T before Z: 8 */
    { "Thomas", "268" },
    { "Pharma", "376" },      /* P before H: 3 */
    { "Caesar", "487" },      /* initial C before A: 4 */
    { "Cäsar", "887" },       /* initial C before Ä is not in the list: 8 */
    { "Cleo", "45" },         /* initial C before L: 4 */
    { "Ecleo", "085" },      /* C before L elsewhere: 8 */
    { "Zimmermann", "86766" },
    { "Bob", "11" },          /* repeats collapse only when adjacent */
    { "Bbb", "1" },
    { "Abdel", "0125" },
    { "Dexter", "24827" },
    { "Rakic", "748" },       /* final C: 8 */
    { "Mu\xcc\x88ller", "657" }, /* decomposed ü */
    { "Dvořák", "2374" },
    { "Nguyễn", "646" },
    { "Παπαδόπουλος", "" },   /* Latin only */
    { "ß", "8" },
    { "", "" },
    { "1234", "" },
    { "H", "" },
};

struct text_case {
    const char *in;
    const char *want; /* NULL: expect -1 */
    int count;
    size_t outsz;     /* 0: BUFSZ */
};

static const struct text_case phonetic_text_cases[] = {
    { "Hans Müller-Lüdenscheidt", "068 657 52682", 3, 0 },
    { "Meier Mayer", "67 67", 2, 0 },
    { "Auto 2000 GmbH", "02 461", 2, 0 },
    { "  ", "", 0, 0 },
    /* by sound only: 3+ characters, no digit, a consonant in the code */
    { "Jo Li Kaya KG", "4", 1, 0 },
    { "Aue Eva R2D2 Sam", "03 86", 2, 0 },
    { "Meier Mayer", NULL, -1, 5 },
    { "Meier Mayer", "67 67", 2, 6 },
};

/* rc and out as wanted; failures leave out empty; nothing past outsz. */
static void
check_out(int i, const char *in, int rc, int want_rc, const char *out, size_t outsz,
          const char *want)
{
    ck_assert_msg(rc == want_rc, "case %d \"%s\": rc %d, want %d", i, in, rc, want_rc);
    ck_assert_msg(strcmp(out, want ? want : "") == 0, "case %d \"%s\": got \"%s\", want \"%s\"", i,
                  in, out, want ? want : "");
    if (outsz < BUFSZ)
        ck_assert_msg(out[outsz] == FILL, "case %d \"%s\": wrote past outsz %zu", i, in, outsz);
}

START_TEST(test_fold)
{
    const struct fold_case *c = &fold_cases[_i];
    size_t outsz = c->outsz ? c->outsz : BUFSZ;
    char out[BUFSZ + 1];
    int rc;

    memset(out, FILL, sizeof out);
    rc = search_norm_fold(c->in, 0, out, outsz);
    check_out(_i, c->in, rc, c->tokens, out, outsz, c->exact);
    memset(out, FILL, sizeof out);
    rc = search_norm_fold(c->in, 1, out, outsz);
    check_out(_i, c->in, rc, c->tokens, out, outsz, c->loose);
}
END_TEST

/* Encode cp as UTF-8 at s; returns its length. */
static size_t
utf8_put(char *s, unsigned long cp)
{
    if (cp < 0x80) {
        s[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        s[0] = (char)(0xC0 | (cp >> 6));
        s[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        s[0] = (char)(0xE0 | (cp >> 12));
        s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    s[0] = (char)(0xF0 | (cp >> 18));
    s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    s[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/*
 * The index (store_search.c) sizes its buffers by the text: folding never
 * lengthens it. Every code point of the BMP, alone, after a letter and
 * before a combining mark.
 */
START_TEST(test_fold_never_longer)
{
    for (unsigned long cp = 1; cp < 0x10000; cp++) {
        char in[16], out[16];
        size_t n;

        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        in[0] = 'o';
        n = 1 + utf8_put(in + 1, cp);
        memcpy(in + n, "\xcc\x88", 3); /* U+0308 */
        in[n + 3] = '\0';
        for (int loose = 0; loose < 2; loose++) {
            ck_assert_msg(search_norm_fold(in, loose, out, strlen(in) + 1) >= 0,
                          "U+%04lX: longer", cp);
            ck_assert_msg(search_norm_fold(in + 1, loose, out, strlen(in + 1) + 1) >= 0,
                          "U+%04lX alone: longer", cp);
        }
    }
}
END_TEST

START_TEST(test_phonetic)
{
    const struct code_case *c = &phonetic_cases[_i];
    char out[BUFSZ];

    memset(out, FILL, sizeof out);
    ck_assert_int_eq(search_norm_phonetic(c->in, out, sizeof out), 0);
    ck_assert_msg(strcmp(out, c->want) == 0, "case %d \"%s\": got \"%s\", want \"%s\"", _i, c->in,
                  out, c->want);
}
END_TEST

START_TEST(test_phonetic_small_out)
{
    char out[8];

    memset(out, FILL, sizeof out);
    ck_assert_int_eq(search_norm_phonetic("Meier", out, 3), 0);
    ck_assert_str_eq(out, "67");
    ck_assert_int_eq(out[3], FILL);
    memset(out, FILL, sizeof out);
    ck_assert_int_eq(search_norm_phonetic("Meier", out, 2), -1);
    ck_assert_str_eq(out, "");
    ck_assert_int_eq(out[2], FILL);
    ck_assert_int_eq(search_norm_phonetic("Meier", out, 0), -1);
}
END_TEST

START_TEST(test_phonetic_text)
{
    const struct text_case *c = &phonetic_text_cases[_i];
    size_t outsz = c->outsz ? c->outsz : BUFSZ;
    char out[BUFSZ + 1];
    int rc;

    memset(out, FILL, sizeof out);
    rc = search_norm_phonetic_text(c->in, out, outsz);
    check_out(_i, c->in, rc, c->count, out, outsz, c->want);
}
END_TEST

struct tokens_case {
    const char *in;
    size_t max;
    size_t want;
    const char *exact[3], *loose[3], *code[3];
};

static const struct tokens_case tokens_cases[] = {
    { "Frau Müller", 3, 2, { "frau", "mueller" }, { "frau", "muller" }, { "37", "657" } },
    { "M-HW 2022", 3, 3, { "m", "hw", "2022" }, { "m", "hw", "2022" }, { "6", "3", "" } },
    { "a b c d", 2, 2, { "a", "b" }, { "a", "b" }, { "0", "1" } },
    { " - ", 3, 0, { NULL }, { NULL }, { NULL } },
    { "Иван Meyer", 3, 2, { "иван", "meyer" }, { "иван", "meyer" }, { "", "67" } },
    { "Παπαδόπουλος Nguyễn", 3, 2, { "παπαδοπουλοσ", "nguyen" }, { "παπαδοπουλοσ", "nguyen" },
      { "", "646" } },
};

struct sound_case {
    const char *in;
    int want;
};

static const struct sound_case sound_cases[] = {
    { "Meier", 1 }, { "Kaya", 1 }, { "Eva", 1 }, { "Ute", 1 }, { "Li", 0 }, { "KG", 0 },
    { "Aue", 0 },   { "Ouija", 0 }, { "R2D2", 0 }, { "2022", 0 }, { "Иван", 0 }, { "Axe", 1 },
};

START_TEST(test_by_sound)
{
    const struct sound_case *c = &sound_cases[_i];
    struct search_norm_token t;

    ck_assert_int_eq(search_norm_tokens(c->in, &t, 1), 1);
    ck_assert_msg(search_norm_by_sound(&t) == c->want, "case %d \"%s\": want %d", _i, c->in,
                  c->want);
}
END_TEST

START_TEST(test_tokens)
{
    const struct tokens_case *c = &tokens_cases[_i];
    struct search_norm_token toks[3];
    size_t n = search_norm_tokens(c->in, toks, c->max);

    ck_assert_msg(n == c->want, "case %d \"%s\": %zu tokens, want %zu", _i, c->in, n, c->want);
    for (size_t i = 0; i < n; i++) {
        ck_assert_str_eq(toks[i].exact, c->exact[i]);
        ck_assert_str_eq(toks[i].loose, c->loose[i]);
        ck_assert_str_eq(toks[i].code, c->code[i]);
    }
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *
search_norm_suite(void)
{
    Suite *s = suite_create("search_norm");
    TCase *tc;

    tc = tcase_create("fold");
    tcase_add_loop_test(tc, test_fold, 0, N(fold_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("fold_length");
    tcase_set_timeout(tc, 60); /* 65,000 code points, 4 folds each: a second, more on a busy box */
    tcase_add_test(tc, test_fold_never_longer);
    suite_add_tcase(s, tc);

    tc = tcase_create("phonetic");
    tcase_add_loop_test(tc, test_phonetic, 0, N(phonetic_cases));
    tcase_add_test(tc, test_phonetic_small_out);
    suite_add_tcase(s, tc);

    tc = tcase_create("phonetic_text");
    tcase_add_loop_test(tc, test_phonetic_text, 0, N(phonetic_text_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("by_sound");
    tcase_add_loop_test(tc, test_by_sound, 0, N(sound_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("tokens");
    tcase_add_loop_test(tc, test_tokens, 0, N(tokens_cases));
    suite_add_tcase(s, tc);

    return s;
}
