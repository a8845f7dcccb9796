/*
 * search_norm: name folding and the Kölner Phonetik for the desk search.
 * One scanner turns UTF-8 into pieces (folded text, foreign letters,
 * separators), one tokenizer builds every key of a token from them, and
 * the phonetic coder is fed letter by letter. Byte-level, locale-free.
 */
#include "search_norm.h"

#include <string.h>

#define CP_INVALID 0xFFFFFFFFul

enum piece_kind { PIECE_END, PIECE_TEXT, PIECE_RAW, PIECE_SEP, PIECE_SKIP };

/* What one code point of the input becomes. */
struct piece {
    enum piece_kind kind;
    const char *text; /* TEXT: lower-case ASCII fold; RAW: the UTF-8 bytes */
    size_t len;
    int umlaut;       /* ä ö ü: a vowel of its own for the C rule of the phonetic code */
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

/* Read the piece at s; returns the position after it. */
static const char *
next_piece(const char *s, struct piece *pc)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned long cp;
    size_t n;

    memset(pc, 0, sizeof *pc);
    if (!*u) {
        pc->kind = PIECE_END;
        return s;
    }
    n = utf8_decode(u, &cp);
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
    } else if (cp == 0x1E9E) { /* ẞ */
        pc->kind = PIECE_TEXT;
        pc->text = "ss";
        pc->len = 2;
    } else {
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
