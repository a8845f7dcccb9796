/*
 * test_router: route matching, captures, 404 and 405 with Allow, against
 * a small table of our own with dummy handlers (server/routes.c is the
 * real table; this one pins the router's rules, not the API).
 */
#include <check.h>
#include <stddef.h>
#include <string.h>

#include "router.h"
#include "unit_suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Dummy handlers: distinct functions so a match can be told apart. */
static int h_health(struct request *q, struct response *r) { (void)q; (void)r; return 1; }
static int h_dups(struct request *q, struct response *r) { (void)q; (void)r; return 2; }
static int h_create(struct request *q, struct response *r) { (void)q; (void)r; return 3; }
static int h_list(struct request *q, struct response *r) { (void)q; (void)r; return 4; }
static int h_get(struct request *q, struct response *r) { (void)q; (void)r; return 5; }
static int h_patch(struct request *q, struct response *r) { (void)q; (void)r; return 6; }
static int h_delete(struct request *q, struct response *r) { (void)q; (void)r; return 7; }
static int h_people_put(struct request *q, struct response *r) { (void)q; (void)r; return 8; }
static int h_people_del(struct request *q, struct response *r) { (void)q; (void)r; return 9; }
static int h_deep(struct request *q, struct response *r) { (void)q; (void)r; return 10; }
static int h_four(struct request *q, struct response *r) { (void)q; (void)r; return 11; }
static int h_root(struct request *q, struct response *r) { (void)q; (void)r; return 12; }
static int h_page(struct request *q, struct response *r) { (void)q; (void)r; return 13; }
static int h_page_bare(struct request *q, struct response *r) { (void)q; (void)r; return 14; }
static int h_page_file(struct request *q, struct response *r) { (void)q; (void)r; return 15; }

enum {
    R_HEALTH,
    R_DUPS,
    R_CREATE,
    R_LIST,
    R_GET,
    R_PATCH,
    R_DELETE,
    R_PEOPLE_PUT,
    R_PEOPLE_DEL,
    R_DEEP,
    R_FOUR,
    R_ROOT,
    R_PAGE,
    R_PAGE_BARE,
    R_PAGE_FILE,
    R_NONE = -1
};

static const struct route table[] = {
    [R_HEALTH] = { "GET", "/healthz", h_health },
    /* the literal is listed before the capture it overlaps, so it wins */
    [R_DUPS] = { "GET", "/v1/customers/duplicates", h_dups },
    [R_CREATE] = { "POST", "/v1/customers", h_create },
    [R_LIST] = { "GET", "/v1/customers", h_list },
    [R_GET] = { "GET", "/v1/customers/{id}", h_get },
    [R_PATCH] = { "PATCH", "/v1/customers/{id}", h_patch },
    [R_DELETE] = { "DELETE", "/v1/customers/{id}", h_delete },
    [R_PEOPLE_PUT] = { "PUT", "/v1/customers/{company_id}/people/{person_id}", h_people_put },
    [R_PEOPLE_DEL] = { "DELETE", "/v1/customers/{company_id}/people/{person_id}", h_people_del },
    [R_DEEP] = { "GET", "/a/b/c/d/e/f/g/h", h_deep }, /* ROUTER_MAX_SEGMENTS */
    [R_FOUR] = { "GET", "/x/{a}/{b}/{c}/{d}", h_four }, /* ROUTER_MAX_CAPTURES */
    /* a trailing slash is part of the pattern (the desk: /, /desk, /desk/, /desk/{file}) */
    [R_ROOT] = { "GET", "/", h_root },
    [R_PAGE] = { "GET", "/page/", h_page },
    [R_PAGE_BARE] = { "GET", "/page", h_page_bare },
    [R_PAGE_FILE] = { "GET", "/page/{file}", h_page_file },
};

_Static_assert(ROUTER_MAX_SEGMENTS == 8, "R_DEEP has exactly ROUTER_MAX_SEGMENTS segments");
_Static_assert(ROUTER_MAX_CAPTURES == 4, "R_FOUR has exactly ROUTER_MAX_CAPTURES captures");

struct match_case {
    const char *method;
    const char *path;
    enum router_result want;
    int route;                                 /* ROUTER_MATCH: index into table */
    const char *caps[ROUTER_MAX_CAPTURES + 1]; /* ROUTER_MATCH: NULL-terminated */
    const char *allow;                         /* ROUTER_NO_METHOD: exact Allow */
};

static const char *
result_name(enum router_result r)
{
    switch (r) {
    case ROUTER_MATCH:
        return "MATCH";
    case ROUTER_NO_ROUTE:
        return "NO_ROUTE";
    case ROUTER_NO_METHOD:
        return "NO_METHOD";
    }
    return "?";
}

static const struct match_case match_cases[] = {
    { "GET", "/healthz", ROUTER_MATCH, R_HEALTH, { NULL }, NULL },
    { "GET", "/v1/customers", ROUTER_MATCH, R_LIST, { NULL }, NULL },
    { "POST", "/v1/customers", ROUTER_MATCH, R_CREATE, { NULL }, NULL },
    { "GET", "/v1/customers/42", ROUTER_MATCH, R_GET, { "42", NULL }, NULL },
    { "PATCH", "/v1/customers/42", ROUTER_MATCH, R_PATCH, { "42", NULL }, NULL },
    { "DELETE", "/v1/customers/42", ROUTER_MATCH, R_DELETE, { "42", NULL }, NULL },
    { "GET", "/v1/customers/0b4e7a0e-5b0a-4bb4-9d8c-1f3e5c7a9b2d", ROUTER_MATCH, R_GET,
      { "0b4e7a0e-5b0a-4bb4-9d8c-1f3e5c7a9b2d", NULL }, NULL },
    /* captures are taken verbatim: no decoding, no case folding */
    { "GET", "/v1/customers/A%20b", ROUTER_MATCH, R_GET, { "A%20b", NULL }, NULL },
    /* literal wins over the capture listed after it... */
    { "GET", "/v1/customers/duplicates", ROUTER_MATCH, R_DUPS, { NULL }, NULL },
    { "HEAD", "/v1/customers/duplicates", ROUTER_MATCH, R_DUPS, { NULL }, NULL },
    /* ...but only for its own method: the capture routes still apply */
    { "PATCH", "/v1/customers/duplicates", ROUTER_MATCH, R_PATCH, { "duplicates", NULL }, NULL },
    /* a near miss of the literal is a capture */
    { "GET", "/v1/customers/duplicate", ROUTER_MATCH, R_GET, { "duplicate", NULL }, NULL },
    { "GET", "/v1/customers/Duplicates", ROUTER_MATCH, R_GET, { "Duplicates", NULL }, NULL },
    { "PUT", "/v1/customers/c1/people/p2", ROUTER_MATCH, R_PEOPLE_PUT, { "c1", "p2", NULL }, NULL },
    { "DELETE", "/v1/customers/c1/people/p2", ROUTER_MATCH, R_PEOPLE_DEL, { "c1", "p2", NULL },
      NULL },
    { "GET", "/x/1/22/333/4444", ROUTER_MATCH, R_FOUR, { "1", "22", "333", "4444", NULL }, NULL },
    { "GET", "/a/b/c/d/e/f/g/h", ROUTER_MATCH, R_DEEP, { NULL }, NULL },
    /* HEAD matches GET routes */
    { "HEAD", "/healthz", ROUTER_MATCH, R_HEALTH, { NULL }, NULL },
    { "HEAD", "/v1/customers", ROUTER_MATCH, R_LIST, { NULL }, NULL },
    { "HEAD", "/v1/customers/7", ROUTER_MATCH, R_GET, { "7", NULL }, NULL },

    /* unknown paths */
    { "GET", "/nothing", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "GET", "/v1", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "GET", "/v1/vehicles", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "GET", "/V1/customers", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "GET", "/healthzz", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "GET", "/v1/customers/42/people", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "GET", "/v1/customers/c1/people/p2/x", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "GET", "/x/1/2/3", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "GET", "/a/b/c/d/e/f/g", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    /* empty segments, trailing slash, no leading slash */
    { "GET", "", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "GET", "//", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "GET", "//healthz", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "GET", "/v1//customers", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "GET", "/v1/customers//", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "GET", "/v1/customers/", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "GET", "/healthz/", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "PUT", "/v1/customers//people/p2", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "GET", "healthz", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "GET", "v1/customers", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    /* too many segments, even though a prefix would match */
    { "GET", "/a/b/c/d/e/f/g/h/i", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "GET", "/x/1/2/3/4/5", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    /* "/" and a trailing slash match only patterns that have them */
    { "GET", "/", ROUTER_MATCH, R_ROOT, { NULL }, NULL },
    { "HEAD", "/", ROUTER_MATCH, R_ROOT, { NULL }, NULL },
    { "GET", "/page/", ROUTER_MATCH, R_PAGE, { NULL }, NULL },
    { "GET", "/page", ROUTER_MATCH, R_PAGE_BARE, { NULL }, NULL },
    { "GET", "/page/app.js", ROUTER_MATCH, R_PAGE_FILE, { "app.js", NULL }, NULL },
    { "GET", "/page/..", ROUTER_MATCH, R_PAGE_FILE, { "..", NULL }, NULL }, /* the handler's to refuse */
    { "GET", "/page//", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "GET", "//page/", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "GET", "/page/app.js/", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "GET", "/page/../x", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "POST", "/", ROUTER_NO_METHOD, R_NONE, { NULL }, "GET, HEAD" },
    { "POST", "/page/", ROUTER_NO_METHOD, R_NONE, { NULL }, "GET, HEAD" },
    /* a control character (an escaped NUL became 0x01, CR, DEL) matches nothing, capture or not */
    { "GET", "/page/app.js\x01.txt", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "GET", "/page/\x01", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "GET", "/v1/customers/4\r2", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "GET", "/healthz\x7f", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "GET", "/v1/customers/\t", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    /* unknown paths stay 404 whatever the method */
    { "POST", "/nothing", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },
    { "FROB", "/nothing", ROUTER_NO_ROUTE, R_NONE, { NULL }, NULL },

    /* known path, wrong method: each method once, HEAD right after GET */
    { "POST", "/healthz", ROUTER_NO_METHOD, R_NONE, { NULL }, "GET, HEAD" },
    { "DELETE", "/v1/customers", ROUTER_NO_METHOD, R_NONE, { NULL }, "POST, GET, HEAD" },
    { "PUT", "/v1/customers/42", ROUTER_NO_METHOD, R_NONE, { NULL }, "GET, HEAD, PATCH, DELETE" },
    { "POST", "/v1/customers/42", ROUTER_NO_METHOD, R_NONE, { NULL }, "GET, HEAD, PATCH, DELETE" },
    /* the literal and the capture both offer GET: listed once */
    { "POST", "/v1/customers/duplicates", ROUTER_NO_METHOD, R_NONE, { NULL },
      "GET, HEAD, PATCH, DELETE" },
    { "GET", "/v1/customers/c1/people/p2", ROUTER_NO_METHOD, R_NONE, { NULL }, "PUT, DELETE" },
    { "HEAD", "/v1/customers/c1/people/p2", ROUTER_NO_METHOD, R_NONE, { NULL }, "PUT, DELETE" },
    { "FROB", "/x/1/2/3/4", ROUTER_NO_METHOD, R_NONE, { NULL }, "GET, HEAD" },
    /* methods are case-sensitive (RFC 9110) */
    { "get", "/healthz", ROUTER_NO_METHOD, R_NONE, { NULL }, "GET, HEAD" },
};

/* Allow holds each method once, and HEAD only right after GET. */
static void
check_allow_shape(int i, const char *allow)
{
    char copy[sizeof((struct router_match *)0)->allow];
    const char *seen[16];
    size_t nseen = 0;
    char *save = NULL;

    ck_assert_msg(strlen(allow) < sizeof copy, "case %d: allow too long", i);
    strcpy(copy, allow);
    for (char *tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
        for (size_t k = 0; k < nseen; k++)
            ck_assert_msg(strcmp(seen[k], tok) != 0, "case %d: \"%s\" twice in \"%s\"", i, tok,
                          allow);
        if (strcmp(tok, "HEAD") == 0)
            ck_assert_msg(nseen > 0 && strcmp(seen[nseen - 1], "GET") == 0,
                          "case %d: HEAD not right after GET in \"%s\"", i, allow);
        ck_assert_msg(nseen < N(seen), "case %d: too many methods", i);
        seen[nseen++] = tok;
    }
}

START_TEST(test_match)
{
    const struct match_case *c = &match_cases[_i];
    struct router_match m;
    enum router_result r;
    size_t ncaps = 0;

    memset(&m, 0x5a, sizeof m); /* router_match must reset everything it reports */
    r = router_match(table, (size_t)N(table), c->method, c->path, &m);
    ck_assert_msg(r == c->want, "case %d %s \"%s\": got %s, want %s", _i, c->method, c->path,
                  result_name(r), result_name(c->want));
    switch (c->want) {
    case ROUTER_MATCH:
        ck_assert_msg(m.route == &table[c->route], "case %d %s \"%s\": matched route %td, want %d",
                      _i, c->method, c->path, m.route ? m.route - table : (ptrdiff_t)-1,
                      c->route);
        ck_assert_msg(m.route->handler == table[c->route].handler, "case %d: handler", _i);
        while (c->caps[ncaps])
            ncaps++;
        ck_assert_msg(m.ncaptures == ncaps, "case %d \"%s\": %zu captures, want %zu", _i, c->path,
                      m.ncaptures, ncaps);
        for (size_t k = 0; k < ncaps; k++)
            ck_assert_msg(strcmp(m.captures[k], c->caps[k]) == 0,
                          "case %d \"%s\": capture %zu \"%s\", want \"%s\"", _i, c->path, k,
                          m.captures[k], c->caps[k]);
        break;
    case ROUTER_NO_ROUTE:
        ck_assert_msg(m.route == NULL, "case %d: route set on NO_ROUTE", _i);
        ck_assert_msg(m.allow[0] == '\0', "case %d: allow \"%s\" on NO_ROUTE", _i, m.allow);
        break;
    case ROUTER_NO_METHOD:
        ck_assert_msg(m.route == NULL, "case %d: route set on NO_METHOD", _i);
        ck_assert_msg(strcmp(m.allow, c->allow) == 0, "case %d %s \"%s\": allow \"%s\", want \"%s\"",
                      _i, c->method, c->path, m.allow, c->allow);
        check_allow_shape(_i, m.allow);
        break;
    }
}
END_TEST

/* Capture segments of exactly ROUTER_SEGMENT_MAX bytes match; one more does not. */
struct long_case {
    const char *prefix;
    size_t seglen;
    const char *suffix;
    const char *method;
    enum router_result want;
};

static const struct long_case long_cases[] = {
    { "/v1/customers/", 1, "", "GET", ROUTER_MATCH },
    { "/v1/customers/", ROUTER_SEGMENT_MAX - 1, "", "GET", ROUTER_MATCH },
    { "/v1/customers/", ROUTER_SEGMENT_MAX, "", "GET", ROUTER_MATCH },
    { "/v1/customers/", ROUTER_SEGMENT_MAX, "", "PATCH", ROUTER_MATCH },
    { "/v1/customers/", ROUTER_SEGMENT_MAX + 1, "", "GET", ROUTER_NO_ROUTE },
    { "/v1/customers/", ROUTER_SEGMENT_MAX + 1, "", "PATCH", ROUTER_NO_ROUTE },
    { "/v1/customers/", 4096, "", "GET", ROUTER_NO_ROUTE },
    { "/v1/customers/", ROUTER_SEGMENT_MAX, "/people/p", "PUT", ROUTER_MATCH },
    { "/v1/customers/", ROUTER_SEGMENT_MAX + 1, "/people/p", "PUT", ROUTER_NO_ROUTE },
    { "/v1/customers/c/people/", ROUTER_SEGMENT_MAX + 1, "", "DELETE", ROUTER_NO_ROUTE },
    /* a long segment where a literal is expected is just a mismatch */
    { "/", ROUTER_SEGMENT_MAX + 1, "/customers/1", "GET", ROUTER_NO_ROUTE },
};

START_TEST(test_long_capture)
{
    const struct long_case *c = &long_cases[_i];
    static char path[8192];
    struct router_match m;
    enum router_result r;
    size_t plen = strlen(c->prefix);

    ck_assert(plen + c->seglen + strlen(c->suffix) < sizeof path);
    memcpy(path, c->prefix, plen);
    memset(path + plen, 'k', c->seglen);
    strcpy(path + plen + c->seglen, c->suffix);

    r = router_match(table, (size_t)N(table), c->method, path, &m);
    ck_assert_msg(r == c->want, "case %d (%zu bytes): got %s, want %s", _i, c->seglen,
                  result_name(r), result_name(c->want));
    if (r == ROUTER_MATCH) {
        ck_assert_uint_ge(m.ncaptures, 1);
        ck_assert_uint_eq(strlen(m.captures[0]), c->seglen);
        ck_assert_msg(strspn(m.captures[0], "k") == c->seglen, "case %d: capture content", _i);
    }
}
END_TEST

/* An empty table knows no path. */
START_TEST(test_empty_table)
{
    struct router_match m;

    ck_assert_int_eq(router_match(table, 0, "GET", "/healthz", &m), ROUTER_NO_ROUTE);
    ck_assert_ptr_null(m.route);
}
END_TEST

/* A second match reuses m: nothing of the first survives. */
START_TEST(test_reuse)
{
    struct router_match m;

    ck_assert_int_eq(router_match(table, (size_t)N(table), "PUT", "/v1/customers/c1/people/p2", &m),
                     ROUTER_MATCH);
    ck_assert_uint_eq(m.ncaptures, 2);
    ck_assert_int_eq(router_match(table, (size_t)N(table), "GET", "/healthz", &m), ROUTER_MATCH);
    ck_assert_uint_eq(m.ncaptures, 0);
    ck_assert_ptr_eq(m.route, &table[R_HEALTH]);
    ck_assert_int_eq(router_match(table, (size_t)N(table), "POST", "/healthz", &m),
                     ROUTER_NO_METHOD);
    ck_assert_str_eq(m.allow, "GET, HEAD");
    ck_assert_int_eq(router_match(table, (size_t)N(table), "GET", "/v1/customers/9", &m),
                     ROUTER_MATCH);
    ck_assert_str_eq(m.allow, "");
    ck_assert_str_eq(m.captures[0], "9");
}
END_TEST

Suite *
router_suite(void)
{
    Suite *s = suite_create("router");
    TCase *tc;

    tc = tcase_create("match");
    tcase_add_loop_test(tc, test_match, 0, N(match_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("long_capture");
    tcase_add_loop_test(tc, test_long_capture, 0, N(long_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("misc");
    tcase_add_test(tc, test_empty_table);
    tcase_add_test(tc, test_reuse);
    suite_add_tcase(s, tc);

    return s;
}
