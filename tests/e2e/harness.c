/*
 * harness: process control for the server under test and a small libcurl
 * client. No sleeps for synchronisation beyond polling with a deadline.
 */
#define _GNU_SOURCE
#include "harness.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

struct server srv;

double
harness_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
pause_ms(int ms)
{
    struct timespec ts = { 0, (long)ms * 1000000L };
    nanosleep(&ts, NULL);
}

/* Port from the "(port N)" line of the server log, or 0. */
static int
read_port(const char *log)
{
    FILE *f = fopen(log, "r");
    char line[1024];
    int port = 0;

    if (!f)
        return 0;
    while (fgets(line, sizeof line, f)) {
        char *p = strstr(line, "(port ");
        if (p && strstr(line, "listening on"))
            port = atoi(p + 6);
    }
    fclose(f);
    return port;
}

const char *
harness_create_key(const char *db, const char *role)
{
    static char slots[8][64];
    static unsigned next;
    char *key = slots[next++ % 8], cmd[1024];
    const char *bin = getenv("CRMD_BIN");
    FILE *p;

    ck_assert_msg(bin != NULL, "CRMD_BIN must name the crmd binary");
    snprintf(cmd, sizeof cmd, "'%s' keys create --db '%s' --role %s --name %s-%s 2>/dev/null", bin,
             db, role, role, uniq("harness"));
    fflush(NULL);
    p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    if (!fgets(key, 64, p))
        key[0] = '\0';
    ck_assert_msg(pclose(p) == 0 && key[0], "crmd keys create failed for %s", db);
    key[strcspn(key, "\n")] = '\0';
    return key;
}

void
harness_use_key(struct server *s, const char *key)
{
    snprintf(s->key, sizeof s->key, "%s", key ? key : harness_create_key(s->db, "admin"));
    snprintf(s->auth, sizeof s->auth, "Authorization: Bearer %s", s->key);
}

/* In the child: JOURNAL_STREAM names its stderr, as systemd's does when stderr is the journal. */
static void
journal_stream_of_stderr(void)
{
    struct stat st;
    char v[64];

    if (fstat(2, &st) != 0)
        _exit(127);
    snprintf(v, sizeof v, "%ju:%ju", (uintmax_t)st.st_dev, (uintmax_t)st.st_ino);
    setenv("JOURNAL_STREAM", v, 1);
}

void
server_start(struct server *s, const char *db, const char *const *extra_env)
{
    const char *bin = getenv("CRMD_BIN");
    double deadline;
    char tmpl[] = "/tmp/crmd-test-XXXXXX";

    ck_assert_msg(bin != NULL, "CRMD_BIN must name the crmd binary");
    if (!s->dir[0]) {
        ck_assert_ptr_nonnull(mkdtemp(tmpl));
        snprintf(s->dir, sizeof s->dir, "%s", tmpl);
    }
    if (db && db != s->db) /* restarting on s->db itself keeps it */
        snprintf(s->db, sizeof s->db, "%s", db);
    else if (!s->db[0])
        snprintf(s->db, sizeof s->db, "%s/test.db", s->dir);
    snprintf(s->log, sizeof s->log, "%s/server.log", s->dir);
    unlink(s->log);
    if (!s->key[0])
        harness_use_key(s, NULL);
    fflush(NULL);
    s->pid = fork();
    ck_assert_int_ge(s->pid, 0);
    if (s->pid == 0) {
        FILE *lf = fopen(s->log, "w");
        char out[300];
        if (!lf)
            _exit(127);
        const char *threads = "2";
        dup2(fileno(lf), 2);
        /* stdout has the demo key banner (--demo): kept apart from the log */
        snprintf(out, sizeof out, "%s/stdout", s->dir);
        if (!freopen(out, "w", stdout))
            _exit(127);
        /* the change feed compares every representation a writer hands it with a read */
        putenv((char *)"CRMD_CHANGES_VERIFY=1");
        /* the tests' webhook receivers listen on loopback; "CRMD_WEBHOOK_ALLOW=" undoes it */
        putenv((char *)"CRMD_WEBHOOK_ALLOW=127.0.0.0/8");
        unsetenv("NOTIFY_SOCKET"); /* a test under systemd: our servers talk to no manager */
        for (const char *const *e = extra_env; e && *e; e++) {
            if (strcmp(*e, "JOURNAL_STREAM=stderr") == 0) {
                journal_stream_of_stderr();
                continue;
            }
            putenv((char *)*e);
            if (strncmp(*e, "CRMD_THREADS=", 13) == 0)
                threads = *e + 13; /* the flag would win over the variable */
        }
        execl(bin, bin, "--port", "0", "--db", s->db, "--threads", threads, (char *)NULL);
        _exit(127);
    }
    deadline = harness_now() + 20;
    while (!(s->port = read_port(s->log))) {
        int st;
        ck_assert_msg(waitpid(s->pid, &st, WNOHANG) == 0, "crmd exited during start; see %s", s->log);
        ck_assert_msg(harness_now() < deadline, "crmd did not log its port in time");
        pause_ms(10);
    }
    srv = *s;
    for (;;) {
        struct reply r;
        http_get("/readyz", &r);
        long status = r.status;
        reply_free(&r);
        if (status == 200)
            break;
        ck_assert_msg(harness_now() < deadline, "crmd not ready in time");
        pause_ms(10);
    }
}

int
server_stop(struct server *s)
{
    int st = 0;

    if (s->pid <= 0)
        return 0;
    kill(s->pid, SIGTERM);
    while (waitpid(s->pid, &st, 0) < 0 && errno == EINTR)
        ;
    s->pid = 0;
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    return 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

void
harness_setup(void)
{
    memset(&srv, 0, sizeof srv);
    server_start(&srv, NULL, NULL);
}

void
harness_teardown(void)
{
    char cmd[400];
    int rc = server_stop(&srv);

    if (rc != 0) {
        fprintf(stderr, "crmd exited with %d; its log:\n", rc);
        snprintf(cmd, sizeof cmd, "cat %s >&2", srv.log);
        if (system(cmd) != 0)
            fprintf(stderr, "(log unavailable)\n");
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", srv.dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", srv.dir);
    ck_assert_msg(rc == 0, "crmd exited with status %d (sanitizer finding or unclean stop)", rc);
}

struct sink {
    char *data;
    size_t len;
};

static size_t
on_body(char *ptr, size_t size, size_t n, void *ud)
{
    struct sink *s = ud;
    size_t add = size * n;
    s->data = realloc(s->data, s->len + add + 1);
    memcpy(s->data + s->len, ptr, add);
    s->len += add;
    s->data[s->len] = '\0';
    return add;
}

static void
take_header(char **slot, const char *line, size_t len, const char *name)
{
    size_t n = strlen(name);
    if (len > n + 1 && strncasecmp(line, name, n) == 0 && line[n] == ':') {
        const char *v = line + n + 1;
        size_t vl = len - n - 1;
        while (vl && (*v == ' '))
            v++, vl--;
        while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n'))
            vl--;
        free(*slot);
        *slot = strndup(v, vl);
    }
}

static size_t
on_header(char *line, size_t size, size_t n, void *ud)
{
    struct reply *r = ud;
    size_t len = size * n, have = r->headers ? strlen(r->headers) : 0;

    if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) /* a new answer (after a 100): start over */
        have = 0;
    r->headers = realloc(r->headers, have + len + 1);
    memcpy(r->headers + have, line, len);
    r->headers[have + len] = '\0';
    take_header(&r->content_type, line, len, "Content-Type");
    take_header(&r->location, line, len, "Location");
    take_header(&r->allow, line, len, "Allow");
    take_header(&r->request_id, line, len, "X-Request-Id");
    take_header(&r->etag, line, len, "ETag");
    take_header(&r->cache_control, line, len, "Cache-Control");
    take_header(&r->disposition, line, len, "Content-Disposition");
    take_header(&r->encoding, line, len, "Content-Encoding");
    return len;
}

/* The gzip bytes of s inflated in its place; a body that is not gzip fails the test. */
static void
gunzip_sink(struct sink *s)
{
    struct sink out = { 0 };
    z_stream z = { 0 };
    char chunk[16384];
    int rc = Z_OK;

    ck_assert_int_eq(inflateInit2(&z, 31), Z_OK);
    z.next_in = (Bytef *)s->data;
    z.avail_in = (uInt)s->len;
    while (rc == Z_OK) {
        z.next_out = (Bytef *)chunk;
        z.avail_out = sizeof chunk;
        rc = inflate(&z, Z_NO_FLUSH);
        on_body(chunk, 1, sizeof chunk - z.avail_out, &out);
    }
    inflateEnd(&z);
    ck_assert_msg(rc == Z_STREAM_END && z.avail_in == 0, "Content-Encoding: gzip, but not gzip");
    free(s->data);
    *s = out;
}

/* path with bytes outside ASCII percent-encoded (as a URL carries them) into out; its length. */
static size_t
ascii_path_len(const char *path, char out[3 * 4096 + 1])
{
    size_t n = 0;

    for (const unsigned char *p = (const unsigned char *)path; *p && n < 3 * 4096; p++) {
        if (*p < 0x80)
            out[n++] = (char)*p;
        else
            n += (size_t)snprintf(out + n, 4, "%%%02X", *p);
    }
    out[n] = '\0';
    return n;
}

void
harness_log_exchange(const char *method, const char *path, const char *req_type, long status,
                     const char *content_type, const char *body)
{
    const char *file = getenv("CRMD_CONTRACT_LOG");
    char ascii_path[3 * 4096 + 1];
    json_t *line;
    char *text;
    size_t n, plen;
    int fd;

    if (!file || !*file)
        return;
    plen = ascii_path_len(path, ascii_path);
    line = json_pack("{s:s, s:s%, s:I}", "method", method, "path", ascii_path, plen, "status",
                     (json_int_t)status);
    ck_assert_msg(line != NULL, "harness: cannot log %s %s", method, path);
    /* json_string() is NULL for text that is not UTF-8: the member is left out */
    json_object_set_new(line, "request_content_type", req_type ? json_string(req_type) : json_null());
    json_object_set_new(line, "content_type", content_type ? json_string(content_type) : json_null());
    /* a body that is not UTF-8 cannot be a JSON string: the checker reports body_invalid */
    if (json_object_set_new(line, "body", json_string(body ? body : "")) != 0)
        json_object_set_new(line, "body_invalid", json_true());
    text = json_dumps(line, JSON_COMPACT);
    json_decref(line);
    n = strlen(text);
    text[n] = '\n'; /* replaces the NUL: the length is passed */
    fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, text, n + 1) != (ssize_t)(n + 1))
        fprintf(stderr, "harness: cannot append to %s: the contract check will miss %s %s\n", file,
                method, path);
    if (fd >= 0)
        close(fd);
    free(text);
}

void
http(const char *method, const char *path, const char *content_type, const char *body,
     const char *const *headers, struct reply *r)
{
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    struct sink sink = { 0 };
    char url[4096], ct[256];
    CURLcode rc;
    int own_auth = 0;

    memset(r, 0, sizeof *r);
    snprintf(url, sizeof url, "http%s://127.0.0.1:%d%s", srv.tls_ca[0] ? "s" : "", srv.port, path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L); /* "/desk/../x" is sent as written */
    if (srv.tls_ca[0])
        curl_easy_setopt(c, CURLOPT_CAINFO, srv.tls_ca); /* verification stays on */
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
        snprintf(ct, sizeof ct, "Content-Type: %s", content_type ? content_type : "application/json");
        h = curl_slist_append(h, ct);
    }
    h = curl_slist_append(h, "Expect:");
    for (const char *const *x = headers; x && *x; x++) {
        h = curl_slist_append(h, *x);
        if (strncasecmp(*x, "Authorization:", 14) == 0)
            own_auth = 1;
    }
    if (!own_auth && srv.auth[0])
        h = curl_slist_append(h, srv.auth);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    rc = curl_easy_perform(c);
    ck_assert_msg(rc == CURLE_OK, "%s %s: %s", method, path, curl_easy_strerror(rc));
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    r->wire_len = sink.len;
    if (r->encoding && !strcmp(r->encoding, "gzip") && sink.len)
        gunzip_sink(&sink);
    r->body = sink.data ? sink.data : strdup("");
    r->body_len = sink.len;
    r->json = r->body[0] ? json_loads(r->body, JSON_DECODE_ANY, NULL) : NULL;
    harness_log_exchange(method, path, body ? (content_type ? content_type : "application/json") : NULL,
                         r->status, r->content_type, r->body);
}

const char *
reply_header(const struct reply *r, const char *name)
{
    static char slots[8][1024];
    static unsigned next;
    const char *line = r->headers, *found = NULL;
    size_t n = strlen(name), len = 0;
    char *out;

    for (; line && *line; line += strcspn(line, "\n") + 1) {
        size_t l = strcspn(line, "\n");
        if (l > n && strncasecmp(line, name, n) == 0 && line[n] == ':') {
            ck_assert_msg(found == NULL, "header %s sent twice", name);
            found = line + n + 1;
            len = l - n - 1;
        }
        if (!line[l])
            break;
    }
    if (!found)
        return NULL;
    while (len && (*found == ' ' || *found == '\t'))
        found++, len--;
    while (len && (found[len - 1] == '\r' || found[len - 1] == ' ' || found[len - 1] == '\t'))
        len--;
    out = slots[next++ % 8];
    ck_assert_msg(len < sizeof slots[0], "header %s longer than %zu bytes", name, sizeof slots[0]);
    memcpy(out, found, len);
    out[len] = '\0';
    return out;
}

void
http_get(const char *path, struct reply *r)
{
    http("GET", path, NULL, NULL, NULL, r);
}

void
http_json(const char *method, const char *path, const char *body, struct reply *r)
{
    http(method, path, "application/json", body, NULL, r);
}

void
reply_free(struct reply *r)
{
    free(r->content_type);
    free(r->location);
    free(r->allow);
    free(r->request_id);
    free(r->etag);
    free(r->cache_control);
    free(r->disposition);
    free(r->encoding);
    free(r->headers);
    free(r->body);
    json_decref(r->json);
    memset(r, 0, sizeof *r);
}

const char *
create_ok(const char *path, const char *body)
{
    static char ids[8][40];
    static int next;
    struct reply r;
    char *slot = ids[next++ % 8];

    http_json("POST", path, body, &r);
    ck_assert_msg(r.status == 201, "POST %s → %ld: %s", path, r.status, r.body);
    ck_assert_ptr_nonnull(jstr(&r, "id"));
    snprintf(slot, 40, "%s", jstr(&r, "id"));
    reply_free(&r);
    return slot;
}

void
assert_problem(const struct reply *r, long status, const char *slug)
{
    char type[96];

    ck_assert_msg(r->status == status, "status %ld, want %ld: %s", r->status, status, r->body);
    ck_assert_msg(r->content_type && strncmp(r->content_type, "application/problem+json", 24) == 0,
                  "content type %s", r->content_type ? r->content_type : "(none)");
    ck_assert_ptr_nonnull(r->json);
    snprintf(type, sizeof type, "urn:crmd:problem:%s", slug);
    ck_assert_str_eq(jstr(r, "type"), type);
    ck_assert_int_eq(json_integer_value(json_object_get(r->json, "status")), status);
    ck_assert_ptr_nonnull(jstr(r, "title"));
    ck_assert_ptr_nonnull(jstr(r, "detail"));
}

void
assert_field_error(const struct reply *r, const char *field)
{
    json_t *errors = json_object_get(r->json, "errors"), *e;
    size_t i;

    json_array_foreach(errors, i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "field")), field) == 0)
            return;
    }
    ck_abort_msg("no error for field %s in %s", field, r->body);
}

const char *
jstr(const struct reply *r, const char *key)
{
    return json_string_value(json_object_get(r->json, key));
}

/* Formatted path in rotating storage (8 slots). */
const char *
pathf(const char *fmt, ...)
{
    static char slots[8][512];
    static unsigned next;
    char *s = slots[next++ % 8];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(s, sizeof slots[0], fmt, ap);
    va_end(ap);
    return s;
}

/* Assert a JSON (not problem) reply with this status. */
void
assert_json(const struct reply *r, long status)
{
    ck_assert_msg(r->status == status, "status %ld, want %ld: %s", r->status, status, r->body);
    ck_assert_msg(r->content_type && strncmp(r->content_type, "application/json", 16) == 0,
                  "content type %s", r->content_type ? r->content_type : "(none)");
    ck_assert_ptr_nonnull(r->json);
}

/* GET path, assert 200 JSON, return the body (new reference). */
json_t *
fetch(const char *path)
{
    struct reply r;
    json_t *j;

    http_get(path, &r);
    assert_json(&r, 200);
    j = json_incref(r.json);
    reply_free(&r);
    return j;
}

/* GET a list, assert its shape, return its items (new reference). */
json_t *
fetch_items(const char *path)
{
    json_t *body = fetch(path), *items = json_incref(json_object_get(body, "items"));

    ck_assert_msg(json_is_array(items), "no items in %s", path);
    json_decref(body);
    return items;
}

/* Assert that GET path returns 404 not-found. */
void
assert_gone(const char *path)
{
    struct reply r;

    http_get(path, &r);
    assert_problem(&r, 404, "not-found");
    reply_free(&r);
}

const char *
sget(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* One of 8 rotating buffers of 64 bytes. */
static char *
uniq_slot(void)
{
    static char slots[8][64];
    static unsigned next;

    return slots[next++ % 8];
}

static unsigned long
uniq_next(void)
{
    static unsigned long n;

    return n++;
}

const char *
uniq(const char *prefix)
{
    char *s = uniq_slot();

    snprintf(s, 64, "%.40s%ld-%lu", prefix, (long)getpid(), uniq_next());
    return s;
}

const char *
uniq_letters(void)
{
    char *s = uniq_slot();
    /* pid < 2^22 and fewer than 50,000 calls: distinct values below 26^8. */
    unsigned long long v = (unsigned long long)getpid() * 50000ull + uniq_next() % 50000ull;

    for (int i = 0; i < 8; i++, v /= 26)
        s[i] = (char)('a' + v % 26);
    s[8] = '\0';
    return s;
}

const char *
uniq_digits(void)
{
    char *s = uniq_slot();

    snprintf(s, 64, "%07lu", ((unsigned long)getpid() * 977ul + uniq_next()) % 10000000ul);
    return s;
}

const char *
new_person_named(const char *family)
{
    return create_ok("/v1/customers",
                     pathf("{\"kind\":\"person\",\"family_name\":\"%s\"}", uniq(family)));
}

int
harness_file_count(const char *path, const char *needle, char *last, size_t lastsz)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    int n = 0;

    if (!f)
        return 0;
    while (fgets(line, sizeof line, f))
        if (strstr(line, needle)) {
            n++;
            if (last)
                snprintf(last, lastsz, "%s", line);
        }
    fclose(f);
    return n;
}

int
harness_log_count(const struct server *s, const char *needle, char *last, size_t lastsz)
{
    ck_assert_msg(access(s->log, R_OK) == 0, "cannot read the server's log %s", s->log);
    return harness_file_count(s->log, needle, last, lastsz);
}

void
harness_await_file(const char *path, const char *needle, int ms)
{
    struct timespec pause = { 0, 2000000 };

    for (int waited = 0; !harness_file_count(path, needle, NULL, 0); waited += 2) {
        ck_assert_msg(waited < ms, "no line with '%s' in %s", needle, path);
        nanosleep(&pause, NULL);
    }
}

void
harness_await_log(const struct server *s, const char *needle, int ms)
{
    harness_await_file(s->log, needle, ms);
}
