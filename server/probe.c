/*
 * probe: `crmd --probe`, the container health check. One GET of /readyz
 * with libcurl under a hard deadline; no redirects, http(s) only. It
 * shares no state with the server: it runs as its own short process.
 */
#include "probe.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROBE_DEFAULT_PORT 8080
#define PROBE_DEFAULT_TIMEOUT 5

struct probe_args {
    const char *url; /* NULL = built from listen and port */
    const char *listen;
    const char *tls_cert; /* the server's certificate: https, trusted as is */
    int port;
    int timeout; /* seconds for the whole exchange */
};

int
probe_url(const char *listen, int port, int tls, char *out, size_t outsz)
{
    const char *host = listen && *listen ? listen : "127.0.0.1";
    const char *scheme = tls ? "https" : "http";
    int n;

    if (!strcmp(host, "0.0.0.0"))
        host = "127.0.0.1";
    else if (!strcmp(host, "::") || !strcmp(host, "[::]"))
        host = "::1";
    if (strchr(host, ':') && host[0] != '[')
        n = snprintf(out, outsz, "%s://[%s]:%d/readyz", scheme, host, port);
    else
        n = snprintf(out, outsz, "%s://%s:%d/readyz", scheme, host, port);
    if (n < 0 || (size_t)n >= outsz) {
        if (outsz)
            out[0] = '\0';
        return -1;
    }
    return 0;
}

static int
usage(FILE *out, int code)
{
    fprintf(out,
            "usage: crmd --probe [--port N] [--timeout S] [URL]\n\n"
            "GET the readiness URL of a local crmd (default http://CRMD_LISTEN:CRMD_PORT/readyz,\n"
            "the wildcard address as loopback) within S seconds (default %d). With\n"
            "CRMD_TLS_CERT set: https, trusting that certificate whatever host it names.\n"
            "Exit 0 when it answers 200, 1 otherwise, 2 on bad usage.\n",
            PROBE_DEFAULT_TIMEOUT);
    return code;
}

/* An integer option value from min to max; -1 when it is not one. */
static int
parse_int(const char *v, int min, int max)
{
    char *end;
    long n;

    errno = 0;
    n = strtol(v, &end, 10);
    if (!*v || *end || errno || n < min || n > max)
        return -1;
    return (int)n;
}

/* --name VALUE or --name=VALUE at argv[*a]; NULL when argv[*a] is not --name. */
static const char *
option_value(int argc, char **argv, int *a, const char *name, int *missing)
{
    size_t len = strlen(name);

    if (strncmp(argv[*a], name, len))
        return NULL;
    if (argv[*a][len] == '=')
        return argv[*a] + len + 1;
    if (argv[*a][len])
        return NULL;
    if (*a + 1 >= argc) {
        *missing = 1;
        return NULL;
    }
    return argv[++*a];
}

/* Returns -1 to go on probing, or the exit code to stop with (help, bad usage). */
static int
parse_args(int argc, char **argv, struct probe_args *p)
{
    const char *env_port = getenv("CRMD_PORT"), *v;

    p->url = NULL;
    p->listen = getenv("CRMD_LISTEN");
    p->tls_cert = getenv("CRMD_TLS_CERT");
    if (p->tls_cert && !*p->tls_cert)
        p->tls_cert = NULL;
    p->port = env_port && *env_port ? parse_int(env_port, 1, 65535) : PROBE_DEFAULT_PORT;
    p->timeout = PROBE_DEFAULT_TIMEOUT;
    for (int a = 1; a < argc; a++) {
        int missing = 0;

        if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h"))
            return usage(stdout, 0);
        if ((v = option_value(argc, argv, &a, "--port", &missing))) {
            if ((p->port = parse_int(v, 1, 65535)) < 0) {
                fprintf(stderr, "crmd --probe: --port must be 1 to 65535, not '%s'\n", v);
                return 2;
            }
        } else if ((v = option_value(argc, argv, &a, "--timeout", &missing))) {
            if ((p->timeout = parse_int(v, 1, 300)) < 0) {
                fprintf(stderr, "crmd --probe: --timeout must be 1 to 300 seconds, not '%s'\n", v);
                return 2;
            }
        } else if (missing) {
            fprintf(stderr, "crmd --probe: %s needs a value\n", argv[a]);
            return 2;
        } else if (argv[a][0] != '-' && !p->url) {
            p->url = argv[a];
        } else {
            return usage(stderr, 2);
        }
    }
    if (p->port < 0) {
        fprintf(stderr, "crmd --probe: CRMD_PORT must be 1 to 65535, not '%s'\n", env_port);
        return 2;
    }
    return -1;
}

static size_t
discard(char *data, size_t size, size_t n, void *user)
{
    (void)data;
    (void)user;
    return size * n;
}

/*
 * GET the URL of p; returns the HTTP status, or 0 with err filled when there
 * was no answer. With the server's own certificate as the only trust anchor
 * (libcurl accepts a partial chain), the host name need not match: the
 * probe asks 127.0.0.1, the certificate names the public host.
 */
static long
probe_get(const struct probe_args *p, char *err)
{
    CURL *e = curl_easy_init();
    long status = 0;
    CURLcode rc;

    if (!e) {
        snprintf(err, CURL_ERROR_SIZE, "libcurl cannot be initialised");
        return 0;
    }
    curl_easy_setopt(e, CURLOPT_URL, p->url);
    if (p->tls_cert) {
        curl_easy_setopt(e, CURLOPT_CAINFO, p->tls_cert);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_NOPROXY, "*"); /* a local check never goes through a proxy */
    curl_easy_setopt(e, CURLOPT_USERAGENT, "crmd-probe");
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)p->timeout * 1000L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, err);
    err[0] = '\0';
    rc = curl_easy_perform(e);
    if (rc == CURLE_OK)
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    else if (!err[0])
        snprintf(err, CURL_ERROR_SIZE, "%s", curl_easy_strerror(rc));
    curl_easy_cleanup(e);
    return status;
}

int
probe_main(int argc, char **argv)
{
    struct probe_args p;
    char url[320], err[CURL_ERROR_SIZE];
    long status;
    int rc = parse_args(argc, argv, &p);

    if (rc >= 0)
        return rc;
    if (!p.url && probe_url(p.listen, p.port, p.tls_cert != NULL, url, sizeof url) != 0) {
        fprintf(stderr, "crmd --probe: CRMD_LISTEN is too long\n");
        return 2;
    }
    if (!p.url)
        p.url = url;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "crmd --probe: libcurl cannot be initialised\n");
        return 1;
    }
    status = probe_get(&p, err);
    curl_global_cleanup();
    if (status == 200) {
        printf("crmd --probe: %s answered 200: ready\n", p.url);
        return 0;
    }
    if (status)
        printf("crmd --probe: %s answered %ld: not ready\n", p.url, status);
    else
        printf("crmd --probe: %s: no answer: %s\n", p.url, err);
    return 1;
}
