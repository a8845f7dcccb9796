/*
 * test_import_bounds: the memory and the report of an import stay bounded
 * whatever the body holds. 50 MiB of bad NDJSON lines and of bad CSV rows
 * are streamed over a socket (generated as they are sent) while the
 * server's peak RSS (VmHWM in /proc) is read before and after; the report
 * keeps the first 100 failed lines in full and counts the rest by kind,
 * also in the 422 of an atomic import.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "suites.h"

#define NDJSON "application/x-ndjson"
#define BIG_BODY (50L << 20) /* bytes of bad lines per memory test */
#define KEPT 100             /* failed lines reported in full */
#define MIB (1024L * 1024L)
/* Peak RSS growth allowed for a 50 MiB import. AddressSanitizer keeps freed memory in its
 * quarantine (256 MiB by default; the server here gets 32) and adds shadow memory and red
 * zones, so its build gets more room (measured: +76 and +110 MiB with a 32 MiB quarantine,
 * over 512 MiB with the default one); the unbounded report this guards against grew by about
 * 8 GB for such a body. */
#if defined(__SANITIZE_ADDRESS__)
#define PEAK_BOUND (512 * MIB)
#else
#define PEAK_BOUND (64 * MIB)
#endif

/* A field of /proc/<pid>/status in kB ("VmHWM:", "VmRSS:"), or -1. */
static long
proc_kb(pid_t pid, const char *field)
{
    char path[64], line[256];
    long kb = -1;
    FILE *f;

    snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
    ck_assert_ptr_nonnull(f = fopen(path, "r"));
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, field, strlen(field)))
            kb = strtol(line + strlen(field), NULL, 10);
    fclose(f);
    return kb;
}

/* Bad NDJSON line i of n into out: kinds of failure in turn, the last two lines valid. */
static size_t
ndjson_line(unsigned long i, unsigned long n, const char *tok, char *out, size_t outsz)
{
    /* each kind of failure: the text before and after the line's number */
    static const char *const kinds[8][2] = {
        { "x", "" },                                                    /* malformed-json */
        { "{\"type\":\"nope\",\"n\":", "}" },                             /* no known type */
        { "{\"type\":\"customer\",\"n\":", "}" },                         /* no external_ref */
        { "{\"type\":\"customer\",\"external_ref\":{\"system\":\"m\",\"id\":\"",
          "\"},\"kind\":\"robot\"}" },                                     /* applied: validation */
        { "[", "]" },                                                   /* not an object */
        { "{\"type\":\"vehicle\",\"external_ref\":{\"system\":\"m\"},\"n\":", "}" },
        { "{\"type\":\"household\",\"external_ref\":{\"system\":\"m\",\"id\":\"h\"},\"n\":",
          "}" },                                                        /* conflict after one */
        { "{\"a\":", "" },                                              /* cut short */
    };
    int k;

    if (i + 2 >= n)
        k = snprintf(out, outsz,
                     "{\"type\":\"customer\",\"external_ref\":{\"system\":\"ok%s\",\"id\":\"%lu\"},"
                     "\"kind\":\"person\",\"family_name\":\"Bounded\"}\n",
                     tok, i);
    else
        k = snprintf(out, outsz, "%s%lu%s", kinds[i % 8][0], i, kinds[i % 8][1]);
    if (i + 2 < n)
        k += snprintf(out + k, outsz - (size_t)k, "\n");
    return (size_t)k;
}

/* Bad CSV row i (after the header) of n: wrong field counts, every 8th a bad kind. */
static size_t
csv_row(unsigned long i, unsigned long n, const char *tok, char *out, size_t outsz)
{
    (void)n;
    (void)tok;
    if (i % 8 == 3)
        return (size_t)snprintf(out, outsz, "m,%lu,robot,Row\n", i);
    return (size_t)snprintf(out, outsz, i % 2 ? "m,%lu\n" : "only %lu\n", i);
}

typedef size_t (*line_fn)(unsigned long i, unsigned long n, const char *tok, char *out,
                          size_t outsz);

/* Lines of fn (and a head) that fill about want bytes: the count, the exact length in *len. */
static unsigned long
body_lines(line_fn fn, const char *head, long want, const char *tok, size_t *len)
{
    char line[256];
    unsigned long n = 0;

    *len = strlen(head);
    while ((long)*len < want)
        *len += fn(n++, (unsigned long)-1, tok, line, sizeof line);
    /* the last lines of an NDJSON body differ: measure again with the real count */
    *len = strlen(head);
    for (unsigned long i = 0; i < n; i++)
        *len += fn(i, n, tok, line, sizeof line);
    return n;
}

static void
send_all(int fd, const char *data, size_t n)
{
    for (size_t sent = 0; sent < n;) {
        ssize_t k = send(fd, data + sent, n - sent, MSG_NOSIGNAL);
        ck_assert_msg(k > 0, "the server stopped reading the body");
        sent += (size_t)k;
    }
}

/*
 * POST /v1/import?query with n lines of fn after head, generated while they are sent (the
 * test never holds the body); the answer's status, its JSON body into *json.
 */
static long
stream_import(const char *query, const char *ctype, const char *head, line_fn fn,
              unsigned long n, size_t len, const char *tok, json_t **json)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)srv.port) };
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    char chunk[64 * 1024], hdr[512], *resp = NULL, *body, type[128] = "";
    size_t used = 0, got = 0, cap = 0;
    long status = 0;
    ssize_t k;

    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    snprintf(hdr, sizeof hdr,
             "POST /v1/import?%s HTTP/1.1\r\nHost: x\r\n%s\r\nContent-Type: %s\r\n"
             "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
             query, srv.auth, ctype, len, head);
    send_all(fd, hdr, strlen(hdr));
    for (unsigned long i = 0; i < n; i++) {
        if (used + 256 > sizeof chunk) {
            send_all(fd, chunk, used);
            used = 0;
        }
        used += fn(i, n, tok, chunk + used, sizeof chunk - used);
    }
    send_all(fd, chunk, used);
    for (;;) { /* Connection: close: the answer ends when the server closes */
        if (cap - got < 4096)
            resp = realloc(resp, cap = cap ? cap * 2 : 65536);
        if ((k = recv(fd, resp + got, cap - got - 1, 0)) == 0)
            break;
        ck_assert_msg(k > 0, "reading the answer failed");
        got += (size_t)k;
    }
    close(fd);
    resp[got] = '\0';
    ck_assert_int_eq(sscanf(resp, "HTTP/1.1 %ld", &status), 1);
    ck_assert_ptr_nonnull(body = strstr(resp, "\r\n\r\n"));
    if (strstr(resp, "Content-Type: "))
        sscanf(strstr(resp, "Content-Type: ") + 14, "%127[^\r]", type);
    *json = json_loads(body + 4, 0, NULL);
    ck_assert_msg(*json != NULL, "the answer is not JSON: %.300s", resp);
    harness_log_exchange("POST", pathf("/v1/import?%s", query), ctype, status, type, body + 4);
    free(resp);
    return status;
}

static long long
member_int(const json_t *o, const char *a, const char *b)
{
    return json_integer_value(json_object_get(b ? json_object_get(o, a) : o, b ? b : a));
}

/* The kept failures are KEPT lines from first on; error_counts add up to the errors. */
static void
assert_capped(const json_t *rep, long long first)
{
    json_t *items = json_object_get(rep, "items"), *it, *g;
    long long sum = 0, errors = 0;
    size_t i;

    ck_assert(json_is_true(json_object_get(rep, "errors_truncated")));
    json_array_foreach(items, i, it)
    {
        if (strcmp(sget(it, "outcome"), "error") != 0)
            continue;
        ck_assert_int_eq(member_int(it, "line", NULL), first + errors);
        ck_assert(json_is_object(json_object_get(it, "problem")));
        errors++;
    }
    ck_assert_int_eq(errors, KEPT);
    json_array_foreach(json_object_get(rep, "error_counts"), i, g)
    {
        ck_assert_int_gt(member_int(g, "count", NULL), 0);
        ck_assert_int_ge(member_int(g, "first_line", NULL), 1);
        sum += member_int(g, "count", NULL);
    }
    ck_assert_int_eq(sum, member_int(rep, "totals", "errors"));
}

/* RSS once it is back under before + 16 MiB, waiting up to 5 s after the answer. */
static long
rss_after(long before_kb)
{
    long kb = proc_kb(srv.pid, "VmRSS:");

    for (int ms = 0; kb - before_kb > 16 * 1024 && ms < 5000; ms += 50) {
        nanosleep(&(struct timespec){ 0, 50 * 1000 * 1000 }, NULL);
        kb = proc_kb(srv.pid, "VmRSS:");
    }
    return kb;
}

/* Stream a big bad body, assert the report's cap and the server's peak RSS growth. */
static json_t *
big_bad_import(const char *what, const char *query, const char *ctype, const char *head,
               line_fn fn, long long *lines)
{
    char tok[32];
    size_t len;
    unsigned long n;
    long hwm0, rss0, hwm1, rss1, status;
    json_t *rep;

    snprintf(tok, sizeof tok, "%ld", (long)getpid());
    n = body_lines(fn, head, BIG_BODY, tok, &len);
    hwm0 = proc_kb(srv.pid, "VmHWM:");
    rss0 = proc_kb(srv.pid, "VmRSS:");
    status = stream_import(query, ctype, head, fn, n, len, tok, &rep);
    hwm1 = proc_kb(srv.pid, "VmHWM:");
    rss1 = rss_after(rss0);
    printf("# figure import of %zu bytes of %s (%lu lines): peak RSS %ld -> %ld kB (+%ld kB), "
           "RSS %ld kB before, %ld kB after\n",
           len, what, n, hwm0, hwm1, hwm1 - hwm0, rss0, rss1);
    ck_assert_msg((hwm1 - hwm0) * 1024L <= PEAK_BOUND, "peak RSS grew by %ld kB (bound %ld kB)",
                  hwm1 - hwm0, PEAK_BOUND / 1024);
#if !defined(__SANITIZE_ADDRESS__) /* its allocator keeps freed memory (the quarantine) */
    ck_assert_msg(rss1 - rss0 <= 16 * 1024, "RSS stays %ld kB above what it was", rss1 - rss0);
#endif
    ck_assert_msg(status == 200 || status == 422, "status %ld", status);
    *lines = (long long)n;
    return rep;
}

START_TEST(bad_ndjson_lines_keep_memory_bounded)
{
    long long n;
    json_t *rep = big_bad_import("bad NDJSON lines", "report=full", NDJSON, "", ndjson_line, &n);

    ck_assert_int_eq(member_int(rep, "totals", "lines"), n);
    ck_assert_int_eq(member_int(rep, "totals", "created"), 2);
    ck_assert_int_eq(member_int(rep, "totals", "errors"), n - 2);
    ck_assert_uint_eq(json_array_size(json_object_get(rep, "items")), KEPT + 2);
    assert_capped(rep, 1);
    json_decref(rep);
}
END_TEST

START_TEST(bad_csv_rows_keep_memory_bounded)
{
    static const char head[] = "external_ref.system,external_ref.id,kind,family_name\n";
    long long n;
    json_t *rep = big_bad_import("bad CSV rows", "type=customer", "text/csv", head, csv_row, &n);

    ck_assert_int_eq(member_int(rep, "totals", "lines"), n);
    ck_assert_int_eq(member_int(rep, "totals", "errors"), n);
    ck_assert_uint_eq(json_array_size(json_object_get(rep, "items")), KEPT);
    assert_capped(rep, 2); /* rows are numbered from the header, row 1 */
    json_decref(rep);
}
END_TEST

/* n lines: line 1 a valid customer, then bad ones (unknown field bogus<i % kinds>). */
static char *
small_body(int n, int kinds)
{
    size_t cap = (size_t)n * 160 + 256, used = 0;
    char *b = malloc(cap);

    used += (size_t)snprintf(b, cap,
                             "{\"type\":\"customer\",\"external_ref\":{\"system\":\"%s\",\"id\":"
                             "\"1\"},\"kind\":\"person\",\"family_name\":\"Small\"}\n",
                             uniq("cap"));
    for (int i = 2; i <= n; i++)
        used += (size_t)snprintf(b + used, cap - used,
                                 "{\"type\":\"customer\",\"external_ref\":{\"system\":\"cap\","
                                 "\"id\":\"%d\"},\"kind\":\"person\",\"bogus%d\":1}\n",
                                 i, i % kinds);
    return b;
}

START_TEST(atomic_rejection_is_capped_too)
{
    char *body = small_body(300, 3);
    struct reply r;
    json_t *it;
    size_t i, nerr = 0;

    http("POST", "/v1/import?atomic=true", NDJSON, body, NULL, &r);
    assert_problem(&r, 422, "import-rejected");
    ck_assert_int_eq(member_int(r.json, "totals", "errors"), 299);
    ck_assert_int_eq(member_int(r.json, "totals", "created"), 1);
    ck_assert(json_is_true(json_object_get(r.json, "errors_truncated")));
    json_array_foreach(json_object_get(r.json, "items"), i, it)
    {
        nerr += !strcmp(sget(it, "outcome"), "error");
    }
    ck_assert_uint_eq(nerr, KEPT);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "items")), KEPT + 1);
    /* three kinds: the first field of each problem (bogus0, bogus1, bogus2) */
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "error_counts")), 3);
    it = json_array_get(json_object_get(r.json, "error_counts"), 0);
    ck_assert_str_eq(sget(it, "type"), "urn:crmd:problem:validation");
    ck_assert_int_eq(member_int(it, "count", NULL), 100);
    reply_free(&r);
    free(body);
}
END_TEST

START_TEST(failed_lines_kept_are_the_first_by_line)
{
    /* vehicles are applied after everything is read: their errors come last, yet they are
     * lines 1-50 and must be among the kept, ahead of the malformed lines 51-250 */
    size_t cap = 64 * 1024, used = 0;
    char *b = malloc(cap);
    struct reply r;

    for (int i = 1; i <= 50; i++)
        used += (size_t)snprintf(b + used, cap - used,
                                 "{\"type\":\"vehicle\",\"external_ref\":{\"system\":\"%s\",\"id\":"
                                 "\"%d\"},\"owner\":{\"system\":\"none\",\"id\":\"x\"}}\n",
                                 uniq("veh"), i);
    for (int i = 51; i <= 250; i++)
        used += (size_t)snprintf(b + used, cap - used, "not json %d\n", i);
    http("POST", "/v1/import?report=errors", NDJSON, b, NULL, &r);
    assert_json(&r, 200);
    ck_assert_int_eq(member_int(r.json, "totals", "errors"), 250);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "items")), KEPT);
    for (size_t i = 0; i < KEPT; i++) {
        json_t *it = json_array_get(json_object_get(r.json, "items"), i);
        ck_assert_int_eq(member_int(it, "line", NULL), (long long)i + 1);
    }
    ck_assert_str_eq(sget(json_object_get(json_array_get(json_object_get(r.json, "items"), 0),
                                          "problem"),
                          "type"),
                     "urn:crmd:problem:unprocessable");
    ck_assert(json_is_true(json_object_get(r.json, "errors_truncated")));
    reply_free(&r);
    free(b);
}
END_TEST

START_TEST(a_problem_keeps_twenty_short_errors)
{
    size_t cap = 8192, used = 0;
    char *b = malloc(cap), name[1001];
    struct reply r;
    json_t *pr, *errs;

    memset(name, 'f', 1000);
    name[1000] = '\0';
    used += (size_t)snprintf(b, cap, "{\"type\":\"customer\",\"external_ref\":{\"system\":\"%s\","
                                     "\"id\":\"1\"},\"kind\":\"person\",\"%s\":1",
                             uniq("many"), name);
    for (int i = 0; i < 300; i++)
        used += (size_t)snprintf(b + used, cap - used, ",\"f%d\":1", i);
    snprintf(b + used, cap - used, "}\n");
    http("POST", "/v1/import", NDJSON, b, NULL, &r);
    assert_json(&r, 200);
    pr = json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "problem");
    errs = json_object_get(pr, "errors");
    ck_assert_uint_eq(json_array_size(errs), 20);
    ck_assert_int_ge(strtol(sget(pr, "detail"), NULL, 10), 301); /* "302 fields are invalid" */
    ck_assert_uint_eq(strlen(sget(json_array_get(errs, 0), "field")), 200);
    ck_assert(json_is_false(json_object_get(r.json, "errors_truncated")));
    reply_free(&r);
    free(b);
}
END_TEST

/* The server, under ASan with a smaller quarantine (the options make asan gives kept). */
static void
bounds_setup(void)
{
#if defined(__SANITIZE_ADDRESS__)
    static char opts[512];
    const char *given = getenv("ASAN_OPTIONS");
    const char *env[] = { opts, NULL };

    snprintf(opts, sizeof opts, "ASAN_OPTIONS=%s%squarantine_size_mb=32", given ? given : "",
             given && *given ? ":" : "");
    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, env);
#else
    harness_setup();
#endif
}

Suite *
import_bounds_suite(void)
{
    Suite *s = suite_create("import_bounds");
    TCase *tc = tcase_create("import_bounds");

    tcase_add_checked_fixture(tc, bounds_setup, harness_teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, bad_ndjson_lines_keep_memory_bounded);
    tcase_add_test(tc, bad_csv_rows_keep_memory_bounded);
    tcase_add_test(tc, atomic_rejection_is_capped_too);
    tcase_add_test(tc, failed_lines_kept_are_the_first_by_line);
    tcase_add_test(tc, a_problem_keeps_twenty_short_errors);
    suite_add_tcase(s, tc);
    return s;
}
