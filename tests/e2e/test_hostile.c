/*
 * test_hostile: a table of hostile requests (malformed JSON, invalid
 * UTF-8, \u0000, depth 5,000, 1e400, 2^63, unknown fields, wrong types,
 * bad query values, odd methods) sent to every writing endpoint, each with
 * its exact 4xx and problem type and never a 5xx; SQL-injection strings
 * that round-trip as plain data; raw-socket requests curl would fix up
 * (wrong Content-Length, /../ paths, broken request lines). Hostile
 * clients and limits are in test_limits.c.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"
#include "suites.h"

#define HOSTILE_MAX 600
#define DEEP 5000

struct hostile {
    const char *method, *path, *content_type;
    char *body; /* owned */
    long status;
    const char *slug;
};

static struct hostile table[HOSTILE_MAX];
static size_t ntable;

static void
add(const char *method, const char *path, const char *ctype, const char *body, long status,
    const char *slug)
{
    ck_assert_uint_lt(ntable, HOSTILE_MAX);
    table[ntable++] = (struct hostile){ method, path, ctype, body ? strdup(body) : NULL, status, slug };
}

static char *
nested(char open, const char *inner, char close)
{
    size_t k = strlen(inner);
    char *b = malloc((size_t)DEEP * (k + 2) + 64), *p = b;

    p += sprintf(p, "{\"kind\":\"person\",\"family_name\":\"HostileDeep\",\"notes\":");
    for (int i = 0; i < DEEP; i++) {
        *p++ = open;
        memcpy(p, inner, k);
        p += k;
    }
    for (int i = 0; i < DEEP; i++)
        *p++ = close;
    strcpy(p, "}");
    return b;
}

/* Bodies no JSON parser may accept: 400 malformed-json wherever a body is read. */
static const char *const malformed[] = {
    "{",
    "}",
    "{\"family_name\":}",
    "{\"kind\":\"person\",}",
    "{'kind':'person'}",
    "{\"kind\":\"person\"}}",
    "{\"kind\":\"person\"} {}",
    "[]",
    "true",
    "\"HostileStr\"",
    "null",
    "",
    " ",
    "{\"family_name\":\"Hostile\xff\"}",
    "{\"family_name\":\"Hostile\xc0\xaf\"}",
    "{\"family_name\":\"Hostile\xed\xa0\x80\"}",
    "{\"family_name\":\"Hostile\xf4\x90\x80\x80\"}",
    "{\"family_name\":\"Hostile\xe2\x82\"}",
    "{\"family_name\":\"Hostile\\u0000x\"}",
    "{\"family_name\":\"Hostile\\ud800\"}",
    "{\"family_name\":\"Hostile\\udc00\\ud800\"}",
    "{\"mileage_km\":1e400}",
    "{\"mileage_km\":-1e400}",
    "{\"mileage_km\":9223372036854775808}",
    "{\"mileage_km\":-9223372036854775809}",
    "{\"mileage_km\":NaN}",
    "{\"mileage_km\":Infinity}",
    "{\"mileage_km\":01}",
    "{\"mileage_km\":.5}",
    "{\"mileage_km\":+1}",
    "{\"mileage_km\":0x10}",
    "{\"family_name\":\"a\",\"family_name\":\"b\"}",
    "{/* c */\"kind\":\"person\"}",
    "\xef\xbb\xbf{\"kind\":\"person\"}",
    "{\"family_name\":\"unterminated}",
    "{\"family_name\":\"Hostile\x01\"}",
    "{\"family_name\":\"Hostile\\x41\"}",
    "{\"family_name\":\"Hostile\\u12\"}",
    "{\"family_name\" \"x\"}",
    "{family_name:\"x\"}",
};

/* Endpoints that read a JSON body; {cust} is replaced by a real customer's id. */
static const struct {
    const char *method, *path, *ctype;
} writers[] = {
    { "POST", "/v1/customers", NULL },
    { "POST", "/v1/vehicles", NULL },
    { "POST", "/v1/households", NULL },
    { "POST", "/v1/touchpoints", NULL },
    { "PATCH", "/v1/customers/{cust}", "application/merge-patch+json" },
    { "POST", "/v1/webhooks", NULL },
};

#define NWRITERS (sizeof writers / sizeof writers[0])
#define NMALFORMED (sizeof malformed / sizeof malformed[0])

/* Well-formed JSON with wrong content: 400 validation (unknown fields, wrong types, ...). */
static const char *const invalid_customers[] = {
    "{\"kind\":\"person\",\"family_name\":\"Hostile\",\"bogus\":1}",
    "{\"kind\":\"person\",\"family_name\":123}",
    "{\"kind\":\"person\",\"family_name\":true}",
    "{\"kind\":\"person\",\"family_name\":[\"Hostile\"]}",
    "{\"kind\":\"person\",\"family_name\":{\"x\":1}}",
    "{\"kind\":\"alien\",\"family_name\":\"Hostile\"}",
    "{\"kind\":1,\"family_name\":\"Hostile\"}",
    "{}",
    "{\"kind\":\"person\",\"family_name\":\"Hostile\",\"emails\":\"a@b.example\"}",
    "{\"kind\":\"person\",\"family_name\":\"Hostile\",\"emails\":[1]}",
    "{\"kind\":\"person\",\"family_name\":\"Hostile\",\"emails\":[\"not-an-address\"]}",
    "{\"kind\":\"person\",\"family_name\":\"Hostile\",\"phones\":{}}",
    "{\"kind\":\"person\",\"family_name\":\"Hostile\",\"birthday\":\"1971-02-30\"}",
    "{\"kind\":\"person\",\"family_name\":\"Hostile\",\"birthday\":19710214}",
    "{\"kind\":\"person\",\"family_name\":\"Hostile\",\"do_not_contact\":\"yes\"}",
    "{\"kind\":\"person\",\"family_name\":\"Hostile\",\"id\":\"6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab\"}",
    "{\"kind\":\"person\",\"family_name\":\"Hostile\",\"version\":3}",
    "{\"kind\":\"person\",\"family_name\":\"Hostile\",\"created_at\":\"2020-01-01T00:00:00Z\"}",
    "{\"kind\":\"person\",\"family_name\":\"Hostile\",\"household\":null}",
    "{\"kind\":\"person\",\"family_name\":\"Hostile\",\"address\":[]}",
    "{\"kind\":\"person\",\"family_name\":\"Hostile\",\"address\":{\"planet\":\"Mars\"}}",
    "{\"kind\":\"person\",\"family_name\":\"Hostile\",\"consents\":{\"email\":\"maybe\"}}",
    "{\"kind\":\"person\",\"family_name\":\"Hostile\",\"language\":\"klingon\"}",
    "{\"kind\":\"person\",\"family_name\":\"\"}",
    "{\"kind\":\"person\",\"family_name\":\"\\u0001Hostile\"}",
    "{\"kind\":\"person\",\"family_name\":\"Hostile\",\"external_refs\":[{\"system\":1}]}",
    "{\"kind\":\"company\",\"family_name\":\"Hostile\"}",
    "{\"kind\":\"person\",\"family_name\":\"Hostile\",\"__proto__\":{}}",
    "{\"kind\":\"person\",\"family_name\":\"Hostile\",\"\":1}",
};

static const char *const invalid_vehicles[] = {
    "{\"make\":\"VW\",\"plate\":\"M HS 1\",\"bogus\":1}",
    "{\"make\":\"VW\",\"plate\":[]}",
    "{\"make\":\"VW\",\"plate\":\"M HS 1\",\"mileage_km\":-1}",
    "{\"make\":\"VW\",\"plate\":\"M HS 1\",\"mileage_km\":\"12\"}",
    "{\"make\":\"VW\",\"plate\":\"M HS 1\",\"mileage_km\":1.5}",
    "{\"make\":\"VW\",\"plate\":\"M HS 1\",\"mileage_km\":9223372036854775807}",
    "{\"make\":\"VW\",\"plate\":\"M HS 1\",\"vin\":\"' OR 1=1 --\"}",
    "{\"make\":\"VW\",\"plate\":\"M HS 1\",\"owner_id\":\"not-a-uuid\"}",
    "{\"make\":\"VW\",\"plate\":\"M HS 1\",\"owner_id\":7}",
    "{\"make\":7,\"plate\":\"M HS 1\"}",
};

static const char *const invalid_touchpoints[] = {
    "{\"customer_id\":\"{cust}\",\"kind\":\"phone_call\",\"channel\":\"phone\",\"bogus\":1}",
    "{\"customer_id\":\"{cust}\",\"kind\":\"teleport\",\"channel\":\"phone\"}",
    "{\"customer_id\":\"{cust}\",\"kind\":\"phone_call\",\"channel\":\"pigeon\"}",
    "{\"customer_id\":\"{cust}\",\"kind\":\"phone_call\",\"channel\":\"phone\",\"nps\":11}",
    "{\"customer_id\":\"{cust}\",\"kind\":\"phone_call\",\"channel\":\"phone\",\"nps\":\"9\"}",
    "{\"customer_id\":\"{cust}\",\"kind\":\"phone_call\",\"channel\":\"phone\",\"satisfaction\":2}",
    "{\"customer_id\":\"{cust}\",\"kind\":\"phone_call\",\"channel\":\"phone\","
    "\"occurred_at\":\"yesterday\"}",
    "{\"customer_id\":42,\"kind\":\"phone_call\",\"channel\":\"phone\"}",
    "{\"kind\":\"phone_call\",\"channel\":\"phone\"}",
    "{\"customer_id\":\"{cust}\",\"kind\":\"phone_call\",\"channel\":\"phone\",\"id\":\"x\"}",
};

/* Query strings and paths: method, path, status, slug. */
static const struct {
    const char *method, *path;
    long status;
    const char *slug;
} queries[] = {
    { "GET", "/v1/customers?limit=-1", 400, "bad-request" },
    { "GET", "/v1/customers?limit=0", 400, "bad-request" },
    { "GET", "/v1/customers?limit=201", 400, "bad-request" },
    { "GET", "/v1/customers?limit=99999999999999999999", 400, "bad-request" },
    { "GET", "/v1/customers?limit=1e3", 400, "bad-request" },
    { "GET", "/v1/customers?limit=", 400, "bad-request" },
    { "GET", "/v1/customers?limit=1&limit=2", 400, "bad-request" },
    { "GET", "/v1/customers?cursor=garbage", 400, "bad-request" },
    { "GET", "/v1/customers?cursor=%FF%FE", 400, "bad-request" },
    { "GET", "/v1/customers?x=1", 400, "bad-request" },
    { "GET", "/v1/customers?family_name=%C0%AF", 400, "bad-request" },
    { "GET", "/v1/customers?family_name=a%00", 400, "bad-request" },
    { "GET", "/v1/vehicles?limit=abc", 400, "bad-request" },
    { "GET", "/v1/changes?limit=1001", 400, "bad-request" },
    { "GET", "/v1/changes?after=%27%20OR%201%3D1", 400, "bad-request" },
    { "GET", "/v1/search", 400, "bad-request" },
    { "GET", "/v1/search?q=%20", 400, "bad-request" },
    { "GET", "/v1/search?q=x&limit=51", 400, "bad-request" },
    { "GET", "/v1/customers/%27%20OR%201%3D1--", 404, "not-found" },
    /* the path is percent-decoded before routing: this is /v1/customers/../../etc/passwd */
    { "GET", "/v1/customers/..%2f..%2fetc%2fpasswd", 404, "no-route" },
    { "GET", "/v1/customers/%2e%2e", 404, "not-found" },
    { "GET", "/v1/%2e%2e/customers", 404, "no-route" },
    { "GET", "/v1/customers/%00", 404, "no-route" },
    /* tests/fuzz: invalid UTF-8 quoted in a detail made the problem body empty */
    { "GET", "/v1/customers/0%B0", 404, "not-found" },
    { "GET", "/v1/vehicles/%FF%FE%C0%AF", 404, "not-found" },
    { "GET", "/v1/customers/6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab", 404, "not-found" },
    { "GET", "/etc/passwd", 404, "no-route" },
    { "TRACE", "/v1/customers", 405, "method-not-allowed" },
    { "PUT", "/v1/customers", 405, "method-not-allowed" },
    { "PATCH", "/v1/customers", 405, "method-not-allowed" },
    { "BREW", "/v1/customers", 405, "method-not-allowed" },
    { "DELETE", "/v1/changes", 405, "method-not-allowed" },
};

#define COUNT(a) (sizeof a / sizeof a[0])

static void
build_table(void)
{
    static const char *const ctypes[][2] = {
        { "text/plain", "unsupported-media-type" },
        { "application/xml", "unsupported-media-type" },
        { "multipart/form-data; boundary=x", "unsupported-media-type" },
        { "application/x-www-form-urlencoded", "unsupported-media-type" },
        { "json", "unsupported-media-type" },
    };
    char *deep;

    for (size_t w = 0; w < NWRITERS; w++) {
        for (size_t m = 0; m < NMALFORMED; m++)
            add(writers[w].method, writers[w].path, writers[w].ctype, malformed[m], 400,
                "malformed-json");
        deep = nested('[', "", ']');
        add(writers[w].method, writers[w].path, writers[w].ctype, deep, 400, "malformed-json");
        free(deep);
        deep = nested('{', "\"a\":", '}');
        add(writers[w].method, writers[w].path, writers[w].ctype, deep, 400, "malformed-json");
        free(deep);
        for (size_t c = 0; c < COUNT(ctypes); c++)
            add(writers[w].method, writers[w].path, ctypes[c][0], "{\"kind\":\"person\"}", 415,
                ctypes[c][1]);
    }
    for (size_t i = 0; i < COUNT(invalid_customers); i++)
        add("POST", "/v1/customers", NULL, invalid_customers[i], 400, "validation");
    /* well-formed, but no number its numbering plan has: 422 */
    add("POST", "/v1/customers", NULL,
        "{\"kind\":\"person\",\"family_name\":\"Hostile\",\"phones\":[\"abc\"]}", 422,
        "implausible");
    for (size_t i = 0; i < COUNT(invalid_vehicles); i++)
        add("POST", "/v1/vehicles", NULL, invalid_vehicles[i], 400, "validation");
    for (size_t i = 0; i < COUNT(invalid_touchpoints); i++)
        add("POST", "/v1/touchpoints", NULL, invalid_touchpoints[i], 400, "validation");
    for (size_t i = 0; i < COUNT(queries); i++)
        add(queries[i].method, queries[i].path, NULL, NULL, queries[i].status, queries[i].slug);
}

/* s with every {cust} replaced by id; malloc'd. */
static char *
with_id(const char *s, const char *id)
{
    size_t n = strlen(s) + 1, k = strlen(id);
    char *out = malloc(n + 8 * k), *o = out;

    while (*s) {
        if (!strncmp(s, "{cust}", 6) && (size_t)(o - out) + k < n + 7 * k) {
            memcpy(o, id, k);
            o += k;
            s += 6;
        } else {
            *o++ = *s++;
        }
    }
    *o = '\0';
    return out;
}

static long long
count_hostile(void)
{
    json_t *items = fetch_items("/v1/customers?family_name=Hostile&limit=200");
    long long n = (long long)json_array_size(items);
    json_decref(items);
    return n;
}

START_TEST(hostile_table)
{
    const char *cust = create_ok("/v1/customers", "{\"kind\":\"person\",\"family_name\":\"Target\"}");
    char failures[8192] = "";
    size_t nfail = 0, off = 0;
    struct reply r;

    build_table();
    ck_assert_uint_ge(ntable, 200);
    for (size_t i = 0; i < ntable; i++) {
        char *path = with_id(table[i].path, cust);
        char *body = table[i].body ? with_id(table[i].body, cust) : NULL;
        char type[96];
        const char *got;

        http(table[i].method, path, table[i].content_type, body, NULL, &r);
        snprintf(type, sizeof type, "urn:crmd:problem:%s", table[i].slug);
        got = r.json ? jstr(&r, "type") : NULL;
        ck_assert_msg(r.status < 500, "#%zu %s %s answered %ld: %s", i, table[i].method, path,
                      r.status, r.body);
        if (r.status != table[i].status || !got || strcmp(got, type)) {
            nfail++;
            if (off < sizeof failures - 300)
                off += (size_t)snprintf(failures + off, sizeof failures - off,
                                        "\n#%zu %s %s [%.60s]: %ld %s, want %ld %s", i,
                                        table[i].method, path, body ? body : "", r.status,
                                        got ? got : r.body, table[i].status, table[i].slug);
        }
        reply_free(&r);
        free(path);
        free(body);
        free(table[i].body);
    }
    ck_assert_msg(nfail == 0, "%zu of %zu hostile requests answered otherwise:%s", nfail, ntable,
                  failures);
    fprintf(stderr, "hostile: %zu requests, each its exact 4xx\n", ntable);
    ck_assert_int_eq(count_hostile(), 0);
    http_get("/healthz", &r);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
}
END_TEST

/* s percent-encoded for a query value; malloc'd. */
static char *
urlenc(const char *s)
{
    char *out = malloc(strlen(s) * 3 + 1), *o = out;

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            *o++ = (char)c;
        else
            o += sprintf(o, "%%%02X", c);
    }
    *o = '\0';
    return out;
}

/* Strings that would break naive SQL are stored and found as plain text. */
static const char *const injections[] = {
    "Robert'); DROP TABLE customers;--",
    "' OR '1'='1",
    "\\\"; DELETE FROM customers; --",
    "%' UNION SELECT key_hash FROM api_keys --",
    "x' AND 1=(SELECT count(*) FROM sqlite_master) --",
    "_%_%",
    "O'Brien",
    "; ATTACH DATABASE '/tmp/x' AS x; --",
};

START_TEST(sql_injection_round_trips)
{
    for (size_t i = 0; i < COUNT(injections); i++) {
        json_t *body = json_pack("{s:s, s:s}", "kind", "person", "family_name", injections[i]);
        char *text = json_dumps(body, 0);
        const char *id = create_ok("/v1/customers", text);
        json_t *got = fetch(pathf("/v1/customers/%s", id));
        char *q = urlenc(injections[i]);

        ck_assert_str_eq(sget(got, "family_name"), injections[i]);
        json_decref(got);
        got = fetch_items(pathf("/v1/customers?family_name=%s", q));
        ck_assert_uint_eq(json_array_size(got), 1);
        ck_assert_str_eq(sget(json_array_get(got, 0), "id"), id);
        json_decref(got);
        free(q);
        free(text);
        json_decref(body);
    }
    json_t *all = fetch_items("/v1/customers?limit=200");
    ck_assert_uint_ge(json_array_size(all), COUNT(injections));
    json_decref(all);
}
END_TEST

/* ---- raw socket requests ---- */

/*
 * Send req (n bytes) on a fresh connection; the status of the first
 * answer, -1 if the server closed without one, 0 if it said nothing.
 */
static long
raw(const char *req, size_t n, char *out, size_t outsz)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)srv.port) };
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    size_t got = 0;
    long status = 0;
    int closed = 0;

    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    for (size_t sent = 0; sent < n;) {
        ssize_t k = send(fd, req + sent, n - sent, MSG_NOSIGNAL);
        if (k <= 0)
            break;
        sent += (size_t)k;
    }
    for (;;) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        ssize_t k;
        if (poll(&p, 1, 3000) <= 0 || got + 1 >= outsz)
            break;
        k = recv(fd, out + got, outsz - 1 - got, 0);
        if (k <= 0) {
            closed = 1;
            break;
        }
        got += (size_t)k;
        out[got] = '\0';
        if (strstr(out, "\r\n\r\n"))
            break;
    }
    out[got] = '\0';
    close(fd);
    if (sscanf(out, "HTTP/1.%*d %ld", &status) != 1)
        status = closed ? -1 : 0;
    return status;
}

static const struct {
    const char *req;
    long status;
} raws[] = {
    /* Content-Length shorter than the body: the body read is cut, so not JSON */
    { "POST /v1/customers HTTP/1.1\r\nHost: x\r\n{AUTH}Content-Type: application/json\r\n"
      "Content-Length: 5\r\n\r\n{\"kind\":\"person\",\"family_name\":\"HostileCL\"}",
      400 },
    { "POST /v1/customers HTTP/1.1\r\nHost: x\r\n{AUTH}Content-Type: application/json\r\n"
      "Content-Length: abc\r\n\r\n{}",
      400 },
    { "POST /v1/customers HTTP/1.1\r\nHost: x\r\n{AUTH}Content-Type: application/json\r\n"
      "Content-Length: -5\r\n\r\n{}",
      400 },
    { "POST /v1/customers HTTP/1.1\r\nHost: x\r\n{AUTH}Content-Type: application/json\r\n"
      "Content-Length: 99999999999999999999999\r\n\r\n{}",
      413 },
    { "POST /v1/customers HTTP/1.1\r\nHost: x\r\n{AUTH}Content-Type: application/json\r\n"
      "Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}",
      400 },
    { "POST /v1/customers HTTP/1.1\r\nHost: x\r\n{AUTH}Content-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
      400 },
    { "POST /v1/customers HTTP/1.1\r\nHost: x\r\n{AUTH}Content-Type: application/json\r\n"
      "Content-Length: 42\r\n\r\n{\"kind\":\"person\",\"family_name\":\"Hos\0tile\"}",
      400 },
    { "GET /v1/customers HTTP/1.1\r\n{AUTH}\r\n", 400 },
    { "GET /v1/customers HTTP/9.9\r\nHost: x\r\n{AUTH}\r\n", 505 },
    /* a request line without a target: closed without an answer */
    { "GARBAGE\r\n\r\n", -1 },
    { "GET\r\n\r\n", -1 },
    { "GET /healthz\r\n\r\n", 400 },
    { "GARBAGE /v1/customers HTTP/1.1\r\nHost: x\r\n{AUTH}\r\n", 405 },
    { "GET /v1/customers HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n{AUTH}\r\n", 400 },
    { "GET /v1/customers/../../etc/passwd HTTP/1.1\r\nHost: x\r\n{AUTH}\r\n", 404 },
    { "GET /v1/../v1/customers HTTP/1.1\r\nHost: x\r\n{AUTH}\r\n", 404 },
    { "GET /../../../../etc/passwd HTTP/1.1\r\nHost: x\r\n{AUTH}\r\n", 404 },
    { "GET /v1/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n{AUTH}\r\n", 404 },
    { "GET /v1/customers/./ HTTP/1.1\r\nHost: x\r\n{AUTH}\r\n", 404 },
    { "GET v1/customers HTTP/1.1\r\nHost: x\r\n{AUTH}\r\n", 404 },
    { "GET /v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ' OR 1=1 --\r\n\r\n", 401 },
};

/* The raw request i with {AUTH} replaced; its length (NULs kept) in *n. */
static char *
raw_request(size_t i, size_t *n)
{
    const char *src = raws[i].req;
    size_t len = strlen(src);
    char auth[160], *out = malloc(len + sizeof auth + 64), *mark;

    /* the one request with a NUL in its body states its length: 42 bytes of body */
    if (strstr(src, "Content-Length: 42\r\n"))
        len = (size_t)(strstr(src, "\r\n\r\n") - src) + 4 + 42;
    snprintf(auth, sizeof auth, "%s\r\n", srv.auth);
    mark = strstr(src, "{AUTH}"); /* always before a NUL in the body */
    if (!mark) {
        memcpy(out, src, len);
        *n = len;
        return out;
    }
    memcpy(out, src, (size_t)(mark - src));
    memcpy(out + (mark - src), auth, strlen(auth));
    memcpy(out + (mark - src) + strlen(auth), mark + 6, len - (size_t)(mark - src) - 6);
    *n = len - 6 + strlen(auth);
    return out;
}

START_TEST(raw_requests)
{
    char out[4096];
    size_t n;
    struct reply r;

    for (size_t i = 0; i < COUNT(raws); i++) {
        char *req = raw_request(i, &n);
        long status = raw(req, n, out, sizeof out);
        ck_assert_msg(status == raws[i].status, "raw #%zu answered %ld, want %ld: %.200s", i,
                      status, raws[i].status, out);
        free(req);
    }
    ck_assert_int_eq(count_hostile(), 0);
    http_get("/healthz", &r);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
}
END_TEST

/* ---- framing: refused with 400 problem+json, and the connection closed ---- */

#define LIT(s) s, sizeof s - 1

/* Requests as bytes around the admin key's header line (NULs kept), and what the 400 says. */
static const struct {
    const char *head;
    size_t head_len;
    const char *tail;
    size_t tail_len;
    const char *detail;
} framings[] = {
    /* a proxy framing by Content-Length would pass the chunked body on as the next request */
    { LIT("POST /v1/customers HTTP/1.1\r\nHost: x\r\n"),
      LIT("Content-Type: application/json\r\nContent-Length: 41\r\nTransfer-Encoding: chunked\r\n"
          "\r\n29\r\n{\"kind\":\"person\",\"family_name\":\"Hostile\"}\r\n0\r\n\r\n"),
      "both Content-Length and Transfer-Encoding" },
    { LIT("POST /v1/customers HTTP/1.1\r\nHost: x\r\n"),
      LIT("Content-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"),
      "Transfer-Encoding 'gzip, chunked'" },
    { LIT("POST /v1/customers HTTP/1.1\r\nHost: x\r\n"),
      LIT("Content-Type: application/json\r\nContent-Length: 41\r\nContent-Length: 2\r\n\r\n"
          "{\"kind\":\"person\",\"family_name\":\"Hostile\"}"),
      "2 Content-Length headers" },
    /* a NUL cut the path short: this listed the keys */
    { LIT("GET /v1/keys\0.json HTTP/1.1\r\nHost: x\r\n"), LIT("\r\n"),
      "request target holds a NUL byte after 8 bytes" },
    { LIT("GET /v1/customers?limit=1\0&family_name=x HTTP/1.1\r\nHost: x\r\n"), LIT("\r\n"),
      "request target holds a NUL byte" },
    { LIT("GET /v1/customers HTTP/1.1\r\nHost: x\r\n"), LIT("X-Note: a\0b\r\n\r\n"),
      "a header holds a NUL byte" },
    { LIT("GET /v1/customers HTTP/1.1\r\nHost: x\r\nAccept: application/json\0junk\r\n"),
      LIT("\r\n"), "a header holds a NUL byte" },
    { LIT("GET /v1/customers HTTP/1.1\r\nHost: x\r\n"), LIT("X-Note: a\r\n folded\r\n\r\n"),
      "folded over several lines" },
};

/* Send req on a fresh connection and read until the server closes it (or 3 s pass). */
static int
raw_until_close(const char *req, size_t n, char *out, size_t outsz)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)srv.port) };
    int fd = socket(AF_INET, SOCK_STREAM, 0), closed = 0;
    size_t got = 0;

    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(send(fd, req, n, MSG_NOSIGNAL), (ssize_t)n);
    while (got + 1 < outsz) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        ssize_t k;
        if (poll(&p, 1, 3000) <= 0)
            break;
        if ((k = recv(fd, out + got, outsz - 1 - got, 0)) <= 0) {
            closed = k == 0;
            break;
        }
        got += (size_t)k;
    }
    out[got] = '\0';
    close(fd);
    return closed;
}

START_TEST(broken_framing_is_refused_and_closed)
{
    char auth[160], req[1024], out[8192];
    size_t alen, n;
    struct reply r;

    alen = (size_t)snprintf(auth, sizeof auth, "%s\r\n", srv.auth);
    for (size_t i = 0; i < COUNT(framings); i++) {
        int closed;
        memcpy(req, framings[i].head, framings[i].head_len);
        memcpy(req + framings[i].head_len, auth, alen);
        memcpy(req + framings[i].head_len + alen, framings[i].tail, framings[i].tail_len);
        n = framings[i].head_len + alen + framings[i].tail_len;
        closed = raw_until_close(req, n, out, sizeof out);
        ck_assert_msg(!strncmp(out, "HTTP/1.1 400 ", 13), "framing #%zu answered %.200s", i, out);
        ck_assert_msg(strstr(out, "Content-Type: application/problem+json"), "#%zu: %.300s", i, out);
        ck_assert_msg(strstr(out, "Connection: close"), "#%zu keeps the connection: %.300s", i, out);
        ck_assert_msg(strstr(out, framings[i].detail), "#%zu: %.400s", i, out);
        ck_assert_msg(closed, "framing #%zu: the connection stays open", i);
        ck_assert_msg(!strstr(out, "HTTP/1.1 201"), "#%zu: the smuggled request ran", i);
    }
    ck_assert_int_eq(count_hostile(), 0);
    /* a chunked body alone still works */
    snprintf(req, sizeof req,
             "POST /v1/customers HTTP/1.1\r\nHost: x\r\n%s\r\nContent-Type: application/json\r\n"
             "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n28\r\n"
             "{\"kind\":\"person\",\"family_name\":\"Chunky\"}\r\n0\r\n\r\n",
             srv.auth);
    raw_until_close(req, strlen(req), out, sizeof out);
    ck_assert_msg(!strncmp(out, "HTTP/1.1 201 ", 13), "chunked answered %.300s", out);
    http_get("/healthz", &r);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
}
END_TEST

Suite *
hostile_suite(void)
{
    Suite *s = suite_create("hostile");
    TCase *tc = tcase_create("hostile");

    tcase_add_unchecked_fixture(tc, harness_setup, harness_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, hostile_table);
    tcase_add_test(tc, sql_injection_round_trips);
    tcase_add_test(tc, raw_requests);
    tcase_add_test(tc, broken_framing_is_refused_and_closed);
    suite_add_tcase(s, tc);
    return s;
}
