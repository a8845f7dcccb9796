/*
 * test_limits: hostile clients against the limits of section 2. Per-key
 * rate limit (429 + Retry-After), a body dripping in past
 * --request-timeout, slowloris connections, oversized headers and a
 * connection flood from one address past --max-connections-per-ip: the
 * service keeps answering others (a client on 127.0.0.2). Own servers
 * with short limits; raw sockets.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "suites.h"

#define FLOOD 40
#define SLOW_FLOOD 60 /* slow-header clients against --max-connections 50 */

static double
now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
sleep_ms(long ms)
{
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&t, NULL);
}

/* A connection to srv from address from ("127.0.0.1", "127.0.0.2"). */
static int
connect_from(const char *from)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)srv.port) };
    struct sockaddr_in b = { .sin_family = AF_INET };
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    ck_assert_int_ge(fd, 0);
    inet_pton(AF_INET, from, &b.sin_addr);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&b, sizeof b), 0);
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

static void
send_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t k = send(fd, s, n, MSG_NOSIGNAL);
        if (k <= 0)
            return;
        s += k;
        n -= (size_t)k;
    }
}

/* Read until the header ends, EOF or ms pass; the status, 0 if none, -1 if closed without. */
static long
read_status(int fd, int ms, char *out, size_t outsz)
{
    size_t got = 0;
    long status = 0;
    int closed = 0;

    out[0] = '\0';
    while (got + 1 < outsz && !strstr(out, "\r\n\r\n")) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        ssize_t k;
        if (poll(&p, 1, ms) <= 0)
            break;
        k = recv(fd, out + got, outsz - 1 - got, 0);
        if (k <= 0) {
            closed = 1;
            break;
        }
        got += (size_t)k;
        out[got] = '\0';
    }
    if (sscanf(out, "HTTP/1.%*d %ld", &status) == 1)
        return status;
    return closed ? -1 : 0;
}

/* GET /healthz from 127.0.0.2 answers 200 (the service still serves others). */
static void
assert_serving(void)
{
    char out[2048];
    int fd = connect_from("127.0.0.2");

    send_all(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 35);
    ck_assert_int_eq(read_status(fd, 3000, out, sizeof out), 200);
    close(fd);
}

static void
start(const char *const *env)
{
    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, env);
}

START_TEST(rate_limit_per_key)
{
    const char *env[] = { "CRMD_RATE_LIMIT=1/s", "CRMD_RATE_BURST=3", NULL };
    const char *other;
    char h[128];
    const char *hdr[] = { h, NULL };
    struct reply r;
    int ok = 0, limited = 0;

    start(env);
    other = harness_create_key(srv.db, "reader");
    for (int i = 0; i < 6; i++) {
        http_get("/v1/customers?limit=1", &r);
        if (r.status == 200) {
            ok++;
        } else {
            assert_problem(&r, 429, "rate-limited");
            ck_assert_ptr_nonnull(strstr(jstr(&r, "detail"), "retry in"));
            limited++;
        }
        reply_free(&r);
    }
    /* the burst of 3, maybe one more refilled while sending */
    ck_assert_int_ge(ok, 3);
    ck_assert_int_le(ok, 4);
    ck_assert_int_ge(limited, 2);
    /* another key has its own bucket; open routes have none */
    snprintf(h, sizeof h, "Authorization: Bearer %s", other);
    http("GET", "/v1/customers?limit=1", NULL, NULL, hdr, &r);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
    http_get("/healthz", &r);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
    /* the bucket refills at 1/s */
    sleep_ms(1100);
    http_get("/v1/customers?limit=1", &r);
    ck_assert_int_eq(r.status, 200);
    reply_free(&r);
    harness_teardown();
}
END_TEST

START_TEST(retry_after_header)
{
    const char *env[] = { "CRMD_RATE_LIMIT=30/m", "CRMD_RATE_BURST=1", NULL };
    char out[4096], req[256];
    int fd;

    start(env);
    snprintf(req, sizeof req, "GET /v1/customers HTTP/1.1\r\nHost: x\r\n%s\r\n\r\n", srv.auth);
    fd = connect_from("127.0.0.1");
    send_all(fd, req, strlen(req));
    ck_assert_int_eq(read_status(fd, 3000, out, sizeof out), 200);
    close(fd);
    fd = connect_from("127.0.0.1");
    send_all(fd, req, strlen(req));
    ck_assert_int_eq(read_status(fd, 3000, out, sizeof out), 429);
    /* 30 per minute: one token every 2 s */
    ck_assert_msg(strstr(out, "Retry-After: 2\r\n") != NULL, "no Retry-After: 2 in %s", out);
    close(fd);
    harness_teardown();
}
END_TEST

/* A body dripping in one byte every 300 ms is cut off after --request-timeout. */
START_TEST(dripping_body_is_cut_off)
{
    const char *env[] = { "CRMD_REQUEST_TIMEOUT=1", "CRMD_CONNECTION_TIMEOUT=5", NULL };
    char out[2048], req[512];
    double t0;
    long st = 0;
    int fd;

    start(env);
    snprintf(req, sizeof req,
             "POST /v1/customers HTTP/1.1\r\nHost: x\r\n%s\r\nContent-Type: application/json\r\n"
             "Content-Length: 100\r\n\r\n",
             srv.auth);
    fd = connect_from("127.0.0.1");
    send_all(fd, req, strlen(req));
    t0 = now_s();
    for (int i = 0; i < 20 && st == 0; i++) {
        send_all(fd, " ", 1);
        st = read_status(fd, 300, out, sizeof out);
        if (i % 3 == 0)
            assert_serving();
    }
    ck_assert_msg(st == -1, "connection not closed (status %ld)", st);
    ck_assert_double_lt(now_s() - t0, 3.0);
    close(fd);
    assert_serving();
    harness_teardown();
}
END_TEST

/* Connections sending headers a byte at a time don't keep others out; idle ones are closed. */
START_TEST(slowloris)
{
    const char *env[] = { "CRMD_CONNECTION_TIMEOUT=1", NULL };
    int fds[FLOOD];
    char out[256];
    long st;

    start(env);
    for (int i = 0; i < FLOOD; i++) {
        fds[i] = connect_from("127.0.0.1");
        send_all(fds[i], "GET /v1/customers HTTP/1.1\r\nHost: x\r\nX-Slow: ", 45);
    }
    for (int k = 0; k < 3; k++) {
        for (int i = 0; i < FLOOD; i++)
            send_all(fds[i], "a", 1);
        assert_serving();
        sleep_ms(200);
    }
    /* now they go quiet: closed after the idle timeout, without an answer or with a 4xx */
    sleep_ms(2500);
    for (int i = 0; i < FLOOD; i++) {
        st = read_status(fds[i], 500, out, sizeof out);
        ck_assert_msg(st == -1 || (st >= 400 && st < 500), "slow connection %d: %ld", i, st);
        close(fds[i]);
    }
    assert_serving();
    harness_teardown();
}
END_TEST

/* Headers over --max-header-bytes get 431; a flood from one address stops at its limit. */
START_TEST(big_headers_and_flood)
{
    const char *env[] = { "CRMD_MAX_CONNECTIONS_PER_IP=10", "CRMD_MAX_HEADER_BYTES=16384", NULL };
    size_t big = 40000;
    char *req = malloc(big + 128), out[2048];
    int fds[FLOOD], closed = 0, fd;

    start(env);
    strcpy(req, "GET /v1/customers HTTP/1.1\r\nHost: x\r\nX-Big: ");
    memset(req + strlen(req), 'a', big);
    strcpy(req + strlen("GET /v1/customers HTTP/1.1\r\nHost: x\r\nX-Big: ") + big, "\r\n\r\n");
    fd = connect_from("127.0.0.1");
    send_all(fd, req, strlen(req));
    ck_assert_int_eq(read_status(fd, 3000, out, sizeof out), 431);
    close(fd);
    free(req);
    for (int i = 0; i < FLOOD; i++)
        fds[i] = connect_from("127.0.0.1");
    assert_serving();
    for (int i = 0; i < FLOOD; i++)
        closed += read_status(fds[i], i < 10 ? 50 : 1000, out, sizeof out) == -1;
    /* the ten within the limit stay open (one slot may still be the closing 431's), the rest close */
    ck_assert_int_ge(closed, FLOOD - 10);
    ck_assert_int_le(closed, FLOOD - 9);
    for (int i = 0; i < FLOOD; i++)
        close(fds[i]);
    assert_serving();
    harness_teardown();
}
END_TEST

/* Reads a whole answer (headers and Content-Length body) into out; its status, -1 if none. */
static long
read_answer(int fd, char *out, size_t outsz)
{
    size_t got = 0, need = 0;
    long status = -1;
    char *end;

    out[0] = '\0';
    while (got + 1 < outsz && (!need || got < need)) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        ssize_t k;
        if (poll(&p, 1, 3000) <= 0 || (k = recv(fd, out + got, outsz - 1 - got, 0)) <= 0)
            break;
        got += (size_t)k;
        out[got] = '\0';
        if (!need && (end = strstr(out, "\r\n\r\n")) && strstr(out, "Content-Length: "))
            need = (size_t)(end + 4 - out) + strtoul(strstr(out, "Content-Length: ") + 16, NULL, 10);
    }
    sscanf(out, "HTTP/1.%*d %ld", &status);
    return status;
}

/* Slow clients from one address past --max-connections lose their connections at the
 * header deadline (counted from accept, not reset by their bytes); others are served. */
START_TEST(slow_header_flood)
{
    const char *env[] = { "CRMD_MAX_CONNECTIONS=50", "CRMD_HEADER_TIMEOUT=2", NULL };
    int fds[SLOW_FLOOD], fd, closed = 0;
    char out[2048];
    long st = 0;
    double t0;

    start(env);
    for (int i = 0; i < SLOW_FLOOD; i++) { /* the last ten wait in the listen backlog */
        fds[i] = connect_from("127.0.0.1");
        send_all(fds[i], "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ", 40);
    }
    t0 = now_s();
    fd = connect_from("127.0.0.2");
    send_all(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 34);
    while (st == 0 && now_s() - t0 < 6) {
        for (int i = 0; i < SLOW_FLOOD; i++)
            send_all(fds[i], "a", 1); /* a byte every 300 ms: never idle */
        st = read_status(fd, 300, out, sizeof out);
    }
    ck_assert_msg(st == 200, "the other client got %ld after %.1f s", st, now_s() - t0);
    ck_assert_double_lt(now_s() - t0, 4.5); /* the deadline is 2 s */
    close(fd);
    for (int i = 0; i < SLOW_FLOOD; i++) {
        /* shut down by the watchdog's last sweep; a loaded machine may need a moment */
        closed += read_status(fds[i], 300, out, sizeof out) == -1;
        close(fds[i]);
    }
    ck_assert_int_ge(closed, 50);
    harness_await_log(&srv, "headers were not in after --header-timeout 2 s", 1000);
    harness_teardown();
}
END_TEST

/* On a kept-alive connection the next request's headers are due too: after the previous
 * answer, --connection-timeout plus --header-timeout. */
START_TEST(slow_header_after_keepalive)
{
    const char *env[] = { "CRMD_CONNECTION_TIMEOUT=1", "CRMD_HEADER_TIMEOUT=1", NULL };
    char out[2048];
    long st = 0;
    double t0;
    int fd;

    start(env);
    fd = connect_from("127.0.0.1");
    send_all(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 34);
    ck_assert_int_eq(read_answer(fd, out, sizeof out), 200);
    t0 = now_s();
    send_all(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ", 40);
    while (st == 0 && now_s() - t0 < 6) {
        send_all(fd, "a", 1);
        st = read_status(fd, 300, out, sizeof out);
    }
    ck_assert_msg(st == -1, "the slow second request got %ld", st);
    ck_assert_double_lt(now_s() - t0, 3.5); /* due 2 s after the answer */
    close(fd);
    assert_serving();
    harness_teardown();
}
END_TEST

/* A growing request text (the e2e tests link no server code). */
struct text {
    char *data;
    size_t len, cap;
};

static void
text_add(struct text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->data = realloc(t->data, t->cap);
        ck_assert_ptr_nonnull(t->data);
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
}

/*
 * A POST padded with filler headers (one more with extra_header) so that its share of the connection's memory (bytes
 * up to the empty line, plus 64 for each header libmicrohttpd records) is exactly cost.
 * Returns the request (malloc'd) and its length.
 */
static char *
post_costing(size_t cost, int extra_header, size_t *len)
{
    const char *body = "{\"kind\":\"person\",\"given_name\":\"Ada\",\"family_name\":\"Room\"}";
    char head[512];
    size_t hlen, fixed, per = 16 + 64; /* "X-Fill-0000: v\r\n" */
    size_t nfill, pad;
    struct text b = { 0 };

    hlen = (size_t)snprintf(head, sizeof head,
                            "POST /v1/customers HTTP/1.1\r\nHost: x\r\n%s\r\nContent-Type: "
                            "application/json\r\nContent-Length: %zu\r\n",
                            srv.auth, strlen(body));
    fixed = hlen + 2 + 4 * 64 + 64 + 10; /* final CRLF, the 4 headers, "X-Pad: v" and CRLF */
    nfill = (cost - fixed) / per;
    pad = cost - fixed - nfill * per;
    text_add(&b, head, hlen);
    for (size_t i = 0; i < nfill + (size_t)extra_header; i++) {
        char line[48]; /* 16 bytes while i < 10000 */
        snprintf(line, sizeof line, "X-Fill-%04zu: v\r\n", i);
        text_add(&b, line, 16);
    }
    text_add(&b, "X-Pad: v", 8);
    for (size_t i = 0; i < pad; i++)
        text_add(&b, "p", 1);
    text_add(&b, "\r\n\r\n", 4);
    text_add(&b, body, strlen(body));
    *len = b.len;
    return b.data;
}

static size_t
count_customers(void)
{
    json_t *items = fetch_items("/v1/customers?limit=200");
    size_t n = json_array_size(items);

    json_decref(items);
    return n;
}

/*
 * Send req (len bytes) on a new connection as method path; assert a whole answer with status
 * and content type ct, log the exchange for the contract check, return its parsed body.
 */
static json_t *
exchange_raw(const char *req, size_t len, const char *method, const char *path, long status,
             const char *ct)
{
    static char out[65536];
    int fd = connect_from("127.0.0.1");
    const char *body;

    send_all(fd, req, len);
    ck_assert_msg(read_answer(fd, out, sizeof out) == status, "%s %.40s: %.300s", method, path, out);
    close(fd);
    ck_assert_msg(strstr(out, ct) != NULL, "no %s in %.300s", ct, out);
    body = strstr(out, "\r\n\r\n") + 4;
    harness_log_exchange(method, path, strcmp(method, "POST") ? NULL : "application/json", status,
                         ct, body);
    if (status == 201)
        ck_assert_ptr_nonnull(strstr(out, "\r\nLocation: /v1/customers/"));
    return json_loads(body, 0, NULL);
}

/* The largest request --max-header-bytes takes gets its whole answer, once; one header more
 * is refused with 431 before the handler runs (nothing is created) and the refusal fits. */
START_TEST(answer_room_boundary)
{
    const char *env[] = { "CRMD_MAX_HEADER_BYTES=32768", NULL };
    size_t len;
    char *req;
    json_t *doc;

    start(env);
    ck_assert_uint_eq(count_customers(), 0);
    req = post_costing(32768, 0, &len);
    doc = exchange_raw(req, len, "POST", "/v1/customers", 201, "application/json; charset=utf-8");
    free(req);
    ck_assert_str_eq(sget(doc, "family_name"), "Room");
    json_decref(doc);
    ck_assert_uint_eq(count_customers(), 1);

    req = post_costing(32768, 1, &len); /* 80 bytes more */
    doc = exchange_raw(req, len, "POST", "/v1/customers", 431,
                       "application/problem+json; charset=utf-8");
    free(req);
    ck_assert_str_eq(sget(doc, "type"), "urn:crmd:problem:headers-too-large");
    ck_assert_msg(strstr(sget(doc, "detail"), "take 32848 bytes, more than the 32768") != NULL,
                  "%s", sget(doc, "detail"));
    json_decref(doc);
    ck_assert_uint_eq(count_customers(), 1);
    harness_teardown();
}
END_TEST

/* So many query parameters that the answer would not fit: 414 with a problem document. */
START_TEST(query_leaves_no_room)
{
    struct text b = { 0 };
    json_t *doc;

    start(NULL);
    text_add(&b, "GET /v1/customers?", 18);
    for (int i = 0; i < 480; i++) {
        char p[16];
        text_add(&b, p, (size_t)snprintf(p, sizeof p, "%sq%d=1", i ? "&" : "", i));
    }
    text_add(&b, " HTTP/1.1\r\nHost: x\r\n\r\n", 22);
    doc = exchange_raw(b.data, b.len, "GET", "/v1/customers?q0=1", 414,
                       "application/problem+json; charset=utf-8");
    free(b.data);
    ck_assert_str_eq(sget(doc, "type"), "urn:crmd:problem:uri-too-long");
    json_decref(doc);
    assert_serving();
    harness_teardown();
}
END_TEST

Suite *
limits_suite(void)
{
    Suite *s = suite_create("limits");
    TCase *tc = tcase_create("limits");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, rate_limit_per_key);
    tcase_add_test(tc, retry_after_header);
    tcase_add_test(tc, dripping_body_is_cut_off);
    tcase_add_test(tc, slowloris);
    tcase_add_test(tc, big_headers_and_flood);
    tcase_add_test(tc, slow_header_flood);
    tcase_add_test(tc, slow_header_after_keepalive);
    tcase_add_test(tc, answer_room_boundary);
    tcase_add_test(tc, query_leaves_no_room);
    suite_add_tcase(s, tc);
    return s;
}
