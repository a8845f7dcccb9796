/*
 * search: GET /v1/search?q=&limit=, the desk's one box. Reads what was
 * typed as every identifier it could be (plate, VIN or its tail, phone or
 * its last digits, e-mail) and as name tokens after the salutation and
 * titles typed before them; the lookups, ranking and details are
 * store_search.c's.
 */
#include <string.h>

#include "handlers.h"
#include "normalize.h"
#include "phone.h"
#include "phone_tail.h"
#include "salutation_words.h"
#include "search_norm.h"
#include "store.h"

#define SEARCH_Q_MAX 200       /* bytes of q */
#define SEARCH_LIMIT_DEFAULT 10
#define SEARCH_TOKENS_MAX 8    /* name tokens used; more are ignored */

static int
has_digit(const char *s)
{
    for (; *s; s++)
        if (*s >= '0' && *s <= '9')
            return 1;
    return 0;
}

/* A VIN or its tail as typed, spaces and hyphens dropped; needs a digit. */
static int
read_vin(const char *q, char *out, size_t outsz)
{
    char compact[SEARCH_Q_MAX + 1];
    size_t n = 0;

    for (; *q && n < sizeof compact - 1; q++)
        if (*q != ' ' && *q != '-')
            compact[n++] = *q;
    compact[n] = '\0';
    return normalize_vin_suffix(compact, out, outsz) == 0 && has_digit(out) ? 0 : -1;
}

/* Keep the name tokens only when one of them holds more than digits (a name, not a number). */
static size_t
name_tokens(const char *q, struct search_norm_token *toks)
{
    size_t n = search_norm_tokens(q, toks, SEARCH_TOKENS_MAX);

    for (size_t i = 0; i < n; i++)
        for (const char *s = toks[i].exact; *s; s++)
            if (!(*s >= '0' && *s <= '9'))
                return n;
    return 0;
}

/* GET /v1/search */
HANDLER(search_get)
{
    static const char *const allowed[] = { "q", "limit", NULL };
    struct search_norm_token toks[SEARCH_TOKENS_MAX];
    char vin[NORMALIZE_VIN_LEN + 1], phone[PHONE_E164_MAX], tail[PHONE_TAIL_KEY_MAX],
        email[NORMALIZE_EMAIL_MAX];
    struct plate_keys plate, prefix;
    struct salutation_words address;
    struct store_search_terms t = { 0 };
    struct problem *p = &res->problem;
    const char *q = request_query(req, "q");
    json_t *items;
    long limit;

    if (request_check_query(req, allowed, p) != 0 ||
        request_query_int(req, "limit", SEARCH_LIMIT_DEFAULT, 1, STORE_SEARCH_LIMIT_MAX, &limit,
                          p) != 0)
        return -1;
    if (!q || !*q || strlen(q) > SEARCH_Q_MAX) {
        problem_set(p, PROBLEM_BAD_REQUEST,
                    "query parameter 'q' is required: 1-%d bytes of a name, company, plate, VIN "
                    "(or its last 6+ characters), phone number (or its last 4+ digits) or e-mail "
                    "address",
                    SEARCH_Q_MAX);
        return -1;
    }
    t.typed = q;
    if (normalize_plate_keys(q, &plate) == 0)
        t.plate = &plate;
    if (normalize_plate_prefix_keys(q, &prefix) == 0 && (prefix.separated || t.plate))
        t.plate_prefix = &prefix;
    if (read_vin(q, vin, sizeof vin) == 0)
        t.vin = vin;
    if (phone_parse_default(q, phone, sizeof phone, NULL) == 0)
        t.phone = phone;
    if (phone_tail_query(q, tail, sizeof tail) == 0)
        t.phone_tail = tail;
    if (strchr(q, '@') && normalize_email(q, email, sizeof email) == 0)
        t.email = email;
    t.tokens = toks;
    t.ntokens = salutation_words_take(toks, name_tokens(q, toks), &address);
    t.address = &address;
    if (!t.plate && !t.plate_prefix && !t.vin && !t.phone && !t.email && !t.ntokens &&
        search_norm_tokens(q, toks, 1) == 0) {
        problem_set(p, PROBLEM_BAD_REQUEST,
                    "query parameter 'q' has no letter or digit to search for");
        return -1;
    }
    if (store_begin_read(req->db, p) != 0 || store_search(req->db, &t, (int)limit, &items, p) != 0)
        return -1;
    if (store_commit(req->db, p) != 0) {
        json_decref(items);
        return -1;
    }
    return response_json(res, 200, json_pack("{s:o}", "items", items));
}
