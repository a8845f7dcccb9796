/*
 * search_norm: name folding and the Kölner Phonetik for the desk search.
 * One scanner turns UTF-8 into pieces (folded text, foreign letters,
 * separators), one tokenizer builds every key of a token from them, and
 * the phonetic coder is fed letter by letter. Byte-level, locale-free.
 */
#include "search_norm.h"

#include <string.h>
#include <utf8proc.h>

#define CP_INVALID 0xFFFFFFFFul

enum piece_kind { PIECE_END, PIECE_TEXT, PIECE_RAW, PIECE_SEP, PIECE_SKIP };

#define CLUSTER_MAX 8 /* code points composed at once: a letter and the marks after it */

/* What one letter with its combining marks (or one other code point) becomes. */
struct piece {
    enum piece_kind kind;
    const char *text; /* TEXT: lower-case ASCII fold; RAW: folded UTF-8 bytes */
    size_t len;
    int umlaut;       /* ä ö ü: a vowel of its own for the C rule of the phonetic code */
    char buf[4 * 3 * CLUSTER_MAX + 1]; /* a fold computed here (used when not longer than the input) */
};

/*
 * Transliteration of U+00C0..U+017F (Latin-1 letters and Latin
 * Extended-A), lower case; "" separates (× ÷).
 */
static const char *const latin[0x180 - 0xC0] = {
    /* U+00C0 À Á Â Ã Ä Å Æ Ç È É Ê Ë Ì Í Î Ï */
    "a", "a", "a", "a", "ae", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    /* U+00D0 Ð Ñ Ò Ó Ô Õ Ö × Ø Ù Ú Û Ü Ý Þ ß */
    "d", "n", "o", "o", "o", "o", "oe", "", "o", "u", "u", "u", "ue", "y", "th", "ss",
    /* U+00E0 à á â ã ä å æ ç è é ê ë ì í î ï */
    "a", "a", "a", "a", "ae", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    /* U+00F0 ð ñ ò ó ô õ ö ÷ ø ù ú û ü ý þ ÿ */
    "d", "n", "o", "o", "o", "o", "oe", "", "o", "u", "u", "u", "ue", "y", "th", "y",
    /* U+0100 Ā ā Ă ă Ą ą Ć ć Ĉ ĉ Ċ ċ Č č Ď ď */
    "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
    /* U+0110 Đ đ Ē ē Ĕ ĕ Ė ė Ę ę Ě ě Ĝ ĝ Ğ ğ */
    "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
    /* U+0120 Ġ ġ Ģ ģ Ĥ ĥ Ħ ħ Ĩ ĩ Ī ī Ĭ ĭ Į į */
    "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
    /* U+0130 İ ı Ĳ ĳ Ĵ ĵ Ķ ķ ĸ Ĺ ĺ Ļ ļ Ľ ľ Ŀ */
    "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
    /* U+0140 ŀ Ł ł Ń ń Ņ ņ Ň ň ŉ Ŋ ŋ Ō ō Ŏ ŏ */
    "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
    /* U+0150 Ő ő Œ œ Ŕ ŕ Ŗ ŗ Ř ř Ś ś Ŝ ŝ Ş ş */
    "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
    /* U+0160 Š š Ţ ţ Ť ť Ŧ ŧ Ũ ũ Ū ū Ŭ ŭ Ů ů */
    "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
    /* U+0170 Ű ű Ų ų Ŵ ŵ Ŷ ŷ Ÿ Ź ź Ż ż Ž ž ſ */
    "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
};

/*
 * Latin letters beyond U+017F that have no decomposition into a base
 * letter and marks (stroke, hook, digraphs), sorted by code point.
 */
static const struct {
    unsigned short cp;
    const char *text;
} latin_more[] = {
    { 0x0180, "b" },  { 0x0181, "b" },  { 0x0187, "c" },  { 0x0188, "c" },  { 0x0189, "d" },
    { 0x018A, "d" },  { 0x018B, "d" },  { 0x018C, "d" },  { 0x0191, "f" },  { 0x0192, "f" },
    { 0x0193, "g" },  { 0x0197, "i" },  { 0x0198, "k" },  { 0x0199, "k" },  { 0x019A, "l" },
    { 0x019D, "n" },  { 0x019E, "n" },  { 0x019F, "o" },  { 0x01A4, "p" },  { 0x01A5, "p" },
    { 0x01AB, "t" },  { 0x01AC, "t" },  { 0x01AD, "t" },  { 0x01AE, "t" },  { 0x01B2, "v" },
    { 0x01B3, "y" },  { 0x01B4, "y" },  { 0x01B5, "z" },  { 0x01B6, "z" },  { 0x01C4, "dz" },
    { 0x01C5, "dz" }, { 0x01C6, "dz" }, { 0x01C7, "lj" }, { 0x01C8, "lj" }, { 0x01C9, "lj" },
    { 0x01CA, "nj" }, { 0x01CB, "nj" }, { 0x01CC, "nj" }, { 0x01E4, "g" },  { 0x01E5, "g" },
    { 0x01F1, "dz" }, { 0x01F2, "dz" }, { 0x01F3, "dz" }, { 0x0220, "n" },  { 0x0221, "d" },
    { 0x0234, "l" },  { 0x0235, "n" },  { 0x0236, "t" },  { 0x0237, "j" },  { 0x023A, "a" },
    { 0x023B, "c" },  { 0x023C, "c" },  { 0x023D, "l" },  { 0x023E, "t" },  { 0x023F, "s" },
    { 0x0240, "z" },  { 0x0243, "b" },  { 0x0244, "u" },  { 0x0246, "e" },  { 0x0247, "e" },
    { 0x0248, "j" },  { 0x0249, "j" },  { 0x024A, "q" },  { 0x024B, "q" },  { 0x024C, "r" },
    { 0x024D, "r" },  { 0x024E, "y" },  { 0x024F, "y" },  { 0x1E9E, "ss" },
};

static const char ascii_lower[] = "abcdefghijklmnopqrstuvwxyz";

static int
is_cont(unsigned char b)
{
    return (b & 0xC0) == 0x80;
}

/* Decode one UTF-8 sequence at s (not its NUL); CP_INVALID for a bad byte. Returns its length. */
static size_t
utf8_decode(const unsigned char *s, unsigned long *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF && is_cont(s[1])) {
        *cp = ((s[0] & 0x1Ful) << 6) | (s[1] & 0x3Ful);
        return 2;
    }
    if (s[0] >= 0xE0 && s[0] <= 0xEF && is_cont(s[1]) && is_cont(s[2])) {
        *cp = ((s[0] & 0x0Ful) << 12) | ((s[1] & 0x3Ful) << 6) | (s[2] & 0x3Ful);
        if (*cp >= 0x800 && (*cp < 0xD800 || *cp > 0xDFFF))
            return 3;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4 && is_cont(s[1]) && is_cont(s[2]) && is_cont(s[3])) {
        *cp = ((s[0] & 0x07ul) << 18) | ((s[1] & 0x3Ful) << 12) | ((s[2] & 0x3Ful) << 6) |
              (s[3] & 0x3Ful);
        if (*cp >= 0x10000 && *cp <= 0x10FFFF)
            return 4;
    }
    *cp = CP_INVALID;
    return 1;
}

/* Apostrophes join the parts of a name: ' ` ´ ‘ ’ ʼ. */
static int
is_apostrophe(unsigned long cp)
{
    return cp == '\'' || cp == '`' || cp == 0xB4 || cp == 0x2018 || cp == 0x2019 || cp == 0x02BC;
}

/* Characters that end a token besides ASCII and Latin-1 non-letters. */
static int
is_unicode_separator(unsigned long cp)
{
    return cp == CP_INVALID || (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x2E00 && cp <= 0x2E7F) ||
           (cp >= 0x3000 && cp <= 0x303F) || cp == 0xFEFF;
}

static int
is_mark(unsigned long cp)
{
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

/* Punctuation, symbols, spaces and controls separate tokens in every script. */
static int
is_separator_category(unsigned long cp)
{
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return (c >= UTF8PROC_CATEGORY_PC && c <= UTF8PROC_CATEGORY_ZP) || c == UTF8PROC_CATEGORY_CC ||
           c == UTF8PROC_CATEGORY_CF;
}

/*
 * Bytes of the letter at u (n bytes) and the combining marks after it (at
 * most CLUSTER_MAX code points in all); *marks tells whether any follow.
 */
static size_t
cluster_len(const unsigned char *u, size_t n, int *marks)
{
    unsigned long cp;
    size_t m;

    *marks = 0;
    for (int count = 1; count < CLUSTER_MAX && u[n] >= 0xCC; count++) { /* marks are >= U+0300 */
        m = utf8_decode(u + n, &cp);
        if (cp == CP_INVALID || !is_mark(cp))
            break;
        n += m;
        *marks = 1;
    }
    return n;
}

/* Compose the cluster s (len bytes) to NFC in cps; returns the code points, or -1. */
static int
compose(const char *s, size_t len, utf8proc_int32_t *cps, size_t max)
{
    const utf8proc_option_t nfc = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
    utf8proc_ssize_t n =
        utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, cps,
                           (utf8proc_ssize_t)max, nfc);

    if (n < 1 || n > (utf8proc_ssize_t)max)
        return -1;
    n = utf8proc_normalize_utf32(cps, n, nfc);
    return n < 1 ? -1 : (int)n;
}

static int
in_ranges(unsigned long cp, const unsigned long (*r)[2], size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (cp >= r[i][0] && cp <= r[i][1])
            return 1;
    return 0;
}

#define IN_RANGES(cp, r) in_ranges(cp, r, sizeof r / sizeof r[0])

static const unsigned long latin_ranges[][2] = {
    { 0x0180, 0x02AF }, { 0x1D00, 0x1DBF }, { 0x1E00, 0x1EFF }, { 0x2C60, 0x2C7F },
    { 0xA720, 0xA7FF }, { 0xAB30, 0xAB6F },
};
static const unsigned long greek_ranges[][2] = { { 0x0370, 0x03FF }, { 0x1F00, 0x1FFF } };
static const unsigned long cyrillic_ranges[][2] = {
    { 0x0400, 0x052F }, { 0x1C80, 0x1C8F }, { 0x2DE0, 0x2DFF }, { 0xA640, 0xA69F },
};

/* Append the fold of cp under options to pc->buf; -1 when it does not fit. */
static int
put_folded(struct piece *pc, utf8proc_int32_t cp, utf8proc_option_t options)
{
    utf8proc_int32_t out[8];
    utf8proc_ssize_t n = utf8proc_decompose_char(cp, out, 8, options, NULL);

    if (n < 0 || n > 8)
        return -1;
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        if (pc->len + 4 >= sizeof pc->buf)
            return -1;
        pc->len += (size_t)utf8proc_encode_char(out[i], (utf8proc_uint8_t *)pc->buf + pc->len);
    }
    pc->buf[pc->len] = '\0';
    return 0;
}

/* Whether the fold in pc->buf is plain ASCII letters and digits (a TEXT piece). */
static int
ascii_alnum(const struct piece *pc)
{
    for (size_t i = 0; i < pc->len; i++)
        if (!((pc->buf[i] >= 'a' && pc->buf[i] <= 'z') || (pc->buf[i] >= '0' && pc->buf[i] <= '9')))
            return 0;
    return pc->len > 0;
}

/*
 * Fold a letter beyond Latin Extended-A: cps[0..n) is it with its marks
 * in NFC. Latin and Greek lose their marks and case; Cyrillic only its
 * case (й, ї stay) but ё is е; other scripts are case-folded and keep
 * their marks.
 */
static void
fold_other(const utf8proc_int32_t *cps, int n, struct piece *pc)
{
    const utf8proc_option_t strip = UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD;
    unsigned long cp = (unsigned long)cps[0];
    int rc = 0;

    pc->len = 0;
    for (size_t i = 0; i < sizeof latin_more / sizeof latin_more[0]; i++)
        if (latin_more[i].cp == cp) {
            pc->kind = PIECE_TEXT;
            pc->text = latin_more[i].text;
            pc->len = strlen(pc->text);
            return;
        }
    if (IN_RANGES(cp, latin_ranges) || IN_RANGES(cp, greek_ranges)) {
        rc = put_folded(pc, cps[0], strip);
    } else if (IN_RANGES(cp, cyrillic_ranges)) {
        /* ё Ё ѐ Ѐ are е, ѝ Ѝ и: a desk types them without their dots or accent */
        int e = cp == 0x451 || cp == 0x401 || cp == 0x450 || cp == 0x400;
        int i = cp == 0x45D || cp == 0x40D;
        rc = put_folded(pc, e ? 0x435 : i ? 0x438 : cps[0], UTF8PROC_CASEFOLD);
    } else {
        for (int k = 0; k < n && rc == 0; k++)
            rc = put_folded(pc, cps[k], UTF8PROC_CASEFOLD);
    }
    pc->text = pc->buf;
    pc->kind = rc != 0 || pc->len == 0 ? PIECE_SKIP : ascii_alnum(pc) ? PIECE_TEXT : PIECE_RAW;
}

/* Classify code point cp (with its marks cps[0..n) in NFC) at s. */
static void
classify(const char *s, unsigned long cp, const utf8proc_int32_t *cps, int n, struct piece *pc)
{
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) {
        pc->kind = PIECE_TEXT;
        pc->text = &ascii_lower[(cp | 0x20) - 'a'];
        pc->len = 1;
    } else if (cp >= '0' && cp <= '9') {
        pc->kind = PIECE_TEXT;
        pc->text = s;
        pc->len = 1;
    } else if (is_apostrophe(cp)) {
        pc->kind = PIECE_SKIP;
    } else if (cp < 0xC0 || is_unicode_separator(cp)) {
        pc->kind = PIECE_SEP;
    } else if (cp < 0x180) {
        pc->text = latin[cp - 0xC0];
        pc->len = strlen(pc->text);
        pc->kind = pc->len ? PIECE_TEXT : PIECE_SEP;
        pc->umlaut = (cp & ~0x20ul) == 0xC4 || (cp & ~0x20ul) == 0xD6 || (cp & ~0x20ul) == 0xDC;
    } else if (is_mark(cp)) {
        pc->kind = PIECE_SKIP; /* a mark without a letter before it */
    } else if (is_separator_category(cp)) {
        pc->kind = PIECE_SEP;
    } else {
        fold_other(cps, n, pc);
    }
}

/*
 * Read the piece at s: one code point with the combining marks after it,
 * composed first, so "u" + U+0308 reads as ü. Returns the position after it.
 */
static const char *
next_piece(const char *s, struct piece *pc)
{
    const unsigned char *u = (const unsigned char *)s;
    utf8proc_int32_t cps[4 * CLUSTER_MAX];
    unsigned long cp;
    size_t n;
    int marks, ncp = 1;

    pc->kind = PIECE_END;
    pc->text = NULL;
    pc->len = 0;
    pc->umlaut = 0;
    if (!*u)
        return s;
    n = utf8_decode(u, &cp);
    if (cp != CP_INVALID)
        n = cluster_len(u, n, &marks);
    else
        marks = 0;
    cps[0] = (utf8proc_int32_t)cp;
    if (marks && (ncp = compose(s, n, cps, sizeof cps / sizeof cps[0])) < 0) {
        ncp = 1; /* cannot happen for valid UTF-8; read the letter without its marks */
        cps[0] = (utf8proc_int32_t)cp;
    }
    classify(s, marks ? (unsigned long)cps[0] : cp, cps, ncp, pc);
    if (pc->len > n) { /* a case fold that grew (ᾳ → αι): keep the letter as sent */
        pc->kind = PIECE_RAW;
        pc->text = s;
        pc->len = n;
    }
    return s + n;
}

/* ---- Kölner Phonetik, fed one upper-case letter at a time ('*' = umlaut) ---- */

struct coder {
    char prev, cur; /* letters before and at the position being coded */
    size_t pos;     /* index of cur in the word */
    char last;      /* previous code (for collapsing runs); 0 = none yet */
    int any;        /* a code was written */
    char *out;
    size_t outsz, n;
    int overflow;
};

static int
in_set(char c, const char *set)
{
    return c && strchr(set, c) != NULL;
}

/* Code of letter c between prev and next (0 when absent); X writes a second code. */
static char
letter_code(char prev, char c, char next, int first, char *second)
{
    *second = 0;
    switch (c) {
    case 'A': case 'E': case 'I': case 'J': case 'O': case 'U': case 'Y': case '*':
        return '0';
    case 'B':
        return '1';
    case 'P':
        return next == 'H' ? '3' : '1';
    case 'D': case 'T':
        return in_set(next, "CSZ") ? '8' : '2';
    case 'F': case 'V': case 'W':
        return '3';
    case 'G': case 'K': case 'Q':
        return '4';
    case 'C':
        if (first)
            return in_set(next, "AHKLOQRUX") ? '4' : '8';
        return in_set(next, "AHKOQUX") && !in_set(prev, "SZ") ? '4' : '8';
    case 'X':
        if (in_set(prev, "CKQ"))
            return '8';
        *second = '8';
        return '4';
    case 'L':
        return '5';
    case 'M': case 'N':
        return '6';
    case 'R':
        return '7';
    case 'S': case 'Z':
        return '8';
    default: /* H */
        return 0;
    }
}

static void
coder_init(struct coder *k, char *out, size_t outsz)
{
    memset(k, 0, sizeof *k);
    k->out = out;
    k->outsz = outsz;
    if (outsz)
        out[0] = '\0';
}

/* Collapse runs, drop 0 after the first code. */
static void
coder_emit(struct coder *k, char code)
{
    if (!code || code == k->last)
        return;
    k->last = code;
    if (code == '0' && k->any)
        return;
    k->any = 1;
    if (k->n + 1 >= k->outsz) {
        k->overflow = 1;
        return;
    }
    k->out[k->n++] = code;
    k->out[k->n] = '\0';
}

/* Feed the next letter (0 ends the word): the letter before it can now be coded. */
static void
coder_feed(struct coder *k, char next)
{
    char second;

    if (k->cur) {
        coder_emit(k, letter_code(k->prev, k->cur, next, k->pos == 0, &second));
        coder_emit(k, second);
        k->pos++;
    }
    k->prev = k->cur;
    k->cur = next;
}

/* Feed the letters of a TEXT piece. */
static void
coder_feed_piece(struct coder *k, const struct piece *pc)
{
    if (pc->umlaut) {
        coder_feed(k, '*');
        return;
    }
    for (size_t i = 0; i < pc->len; i++)
        if (pc->text[i] >= 'a' && pc->text[i] <= 'z')
            coder_feed(k, (char)(pc->text[i] - 'a' + 'A'));
}

/* ---- tokens ---- */

/* One key of a token under construction; a piece that does not fit cuts the key there. */
struct key {
    char *s;
    size_t n;
    int cut;
};

static int
is_vowel(char c)
{
    return in_set(c, "aeiouy");
}

static void
key_put(struct key *k, const char *text, size_t len, int loose)
{
    char add[8];
    size_t m = 0;

    if (k->cut)
        return;
    for (size_t i = 0; i < len && m < sizeof add; i++) {
        char c = text[i];
        size_t at = k->n + m;
        char before = at ? (m ? add[m - 1] : k->s[at - 1]) : 0;
        char twice = at >= 2 ? (m >= 2 ? add[m - 2] : k->s[at - 2]) : 0;
        /* loose: the e of ae/oe/ue goes, unless the vowel follows a vowel or is the u of qu */
        if (loose && c == 'e' && in_set(before, "aou") && !is_vowel(twice) &&
            !(before == 'u' && twice == 'q'))
            continue;
        add[m++] = c;
    }
    if (k->n + m >= SEARCH_NORM_TOKEN_MAX) {
        k->cut = 1;
        return;
    }
    memcpy(k->s + k->n, add, m);
    k->n += m;
    k->s[k->n] = '\0';
}

/*
 * Read the next token of s into t; returns the position after it, or
 * NULL when no token is left.
 */
static const char *
next_token(const char *s, struct search_norm_token *t)
{
    struct key exact = { t->exact, 0, 0 }, loose = { t->loose, 0, 0 };
    struct coder k;
    struct piece pc;
    int have = 0;

    t->exact[0] = t->loose[0] = '\0';
    coder_init(&k, t->code, sizeof t->code);
    for (;;) {
        const char *after = next_piece(s, &pc);
        if (pc.kind == PIECE_END || (pc.kind == PIECE_SEP && have))
            break;
        s = after;
        if (pc.kind == PIECE_TEXT || pc.kind == PIECE_RAW) {
            have = 1;
            key_put(&exact, pc.text, pc.len, 0);
            if (pc.kind == PIECE_RAW) {
                key_put(&loose, pc.text, pc.len, 0);
            } else {
                key_put(&loose, pc.text, pc.len, 1);
                coder_feed_piece(&k, &pc);
            }
        }
    }
    coder_feed(&k, 0);
    return have ? s : NULL;
}

/* Append word to out (space-separated); -1 when it does not fit. */
static int
append_word(char *out, size_t outsz, size_t *n, const char *word)
{
    size_t len = strlen(word), sep = *n ? 1 : 0;

    if (*n + sep + len >= outsz)
        return -1;
    if (sep)
        out[(*n)++] = ' ';
    memcpy(out + *n, word, len + 1);
    *n += len;
    return 0;
}

int
search_norm_fold(const char *in, int loose, char *out, size_t outsz)
{
    struct search_norm_token t;
    size_t n = 0;
    int count = 0;

    if (outsz == 0)
        return -1;
    out[0] = '\0';
    while (in && (in = next_token(in, &t)) != NULL) {
        if (append_word(out, outsz, &n, loose ? t.loose : t.exact) != 0) {
            out[0] = '\0';
            return -1;
        }
        count++;
    }
    return count;
}

int
search_norm_by_sound(const struct search_norm_token *t)
{
    if (strlen(t->loose) < 3 || strspn(t->code, "0") == strlen(t->code))
        return 0;
    for (const char *s = t->loose; *s; s++)
        if (*s >= '0' && *s <= '9')
            return 0;
    return 1;
}

int
search_norm_phonetic_text(const char *in, char *out, size_t outsz)
{
    struct search_norm_token t;
    size_t n = 0;
    int count = 0;

    if (outsz == 0)
        return -1;
    out[0] = '\0';
    while (in && (in = next_token(in, &t)) != NULL) {
        if (!search_norm_by_sound(&t))
            continue;
        if (append_word(out, outsz, &n, t.code) != 0) {
            out[0] = '\0';
            return -1;
        }
        count++;
    }
    return count;
}

int
search_norm_phonetic(const char *in, char *out, size_t outsz)
{
    struct coder k;
    struct piece pc;

    if (outsz == 0)
        return -1;
    coder_init(&k, out, outsz);
    while (in && *in) {
        in = next_piece(in, &pc);
        if (pc.kind == PIECE_TEXT)
            coder_feed_piece(&k, &pc);
    }
    coder_feed(&k, 0);
    if (k.overflow) {
        out[0] = '\0';
        return -1;
    }
    return 0;
}

size_t
search_norm_tokens(const char *in, struct search_norm_token *toks, size_t max)
{
    size_t n = 0;

    while (in && n < max && (in = next_token(in, &toks[n])) != NULL)
        n++;
    return n;
}
