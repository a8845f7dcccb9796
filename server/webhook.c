/*
 * webhook: URL and event-pattern rules, event names, signatures and the
 * retry schedule. URLs are parsed by libcurl's URL API (the same parser
 * that later connects); HMAC is OpenSSL's EVP_MAC, never hand-written.
 */
#include "webhook.h"

#include <curl/curl.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "netguard.h"
#include "store.h"

static const char *const ops[] = { "create", "update", "delete", NULL };
static const char *const past[] = { "created", "updated", "deleted", NULL };

/* Everything printable ASCII; control characters, spaces and non-ASCII must be percent-encoded. */
static int
printable_ascii(const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        if (*c <= 0x20 || *c >= 0x7f)
            return 0;
    return 1;
}

/* What libcurl's parser says is wrong with a well-formed-looking URL, or NULL. */
static const char *
parsed_error(CURLU *u, const char *url)
{
    static _Thread_local char msg[256]; /* a refused host's message */
    char *part = NULL;
    const char *why = NULL, *guard;

    if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
        return "must be an absolute http or https URL such as https://crm-hooks.example.com/crmd";
    if (curl_url_get(u, CURLUPART_SCHEME, &part, 0) != CURLUE_OK ||
        (strcmp(part, "http") && strcmp(part, "https")))
        why = "must use the http or https scheme";
    curl_free(part);
    part = NULL;
    if (!why && (curl_url_get(u, CURLUPART_USER, &part, 0) != CURLUE_NO_USER ||
                 curl_url_get(u, CURLUPART_PASSWORD, &part, 0) != CURLUE_NO_PASSWORD))
        why = "must not carry credentials (user:password@); the signature authenticates crmd";
    curl_free(part);
    part = NULL;
    if (!why && (curl_url_get(u, CURLUPART_HOST, &part, 0) != CURLUE_OK || !part[0]))
        why = "must name a host";
    else if (!why && (guard = netguard_host_refused(part)) != NULL) {
        snprintf(msg, sizeof msg,
                 "names %s, %s: crmd does not send webhooks there unless --webhook-allow lists "
                 "it (for a receiver on the local network)",
                 part, guard);
        why = msg;
    }
    curl_free(part);
    return why;
}

const char *
webhook_url_error(const char *url)
{
    const char *why;
    CURLU *u;

    if (strlen(url) > WEBHOOK_URL_MAX)
        return "is longer than the limit of 2048 bytes";
    if (!printable_ascii(url))
        return "must be printable ASCII without spaces (percent-encode the rest, punycode for "
               "host names)";
    if (strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8))
        return "must be an absolute http or https URL such as https://crm-hooks.example.com/crmd";
    if (strchr(url, '#'))
        return "must not have a fragment (#...)";
    if (strstr(url, "://")[3] == '/' || strstr(url, "://")[3] == '\0')
        return "must name a host";
    if (!(u = curl_url()))
        abort();
    why = parsed_error(u, url);
    curl_url_cleanup(u);
    return why;
}

/* Index of the type named by s[0..n) in store_change_types, or -1. */
static int
type_index(const char *s, size_t n)
{
    for (int i = 0; store_change_types[i]; i++)
        if (strlen(store_change_types[i]) == n && strncmp(store_change_types[i], s, n) == 0)
            return i;
    return -1;
}

const char *
webhook_event_error(const char *pattern)
{
    const char *dot = strchr(pattern, '.');

    if (strcmp(pattern, "*") == 0)
        return NULL;
    if (!dot || type_index(pattern, (size_t)(dot - pattern)) < 0)
        return "must be \"*\" or <type>.<operation> with a type of the change feed (customer, "
               "household, vehicle, touchpoint, company_people)";
    if (strcmp(dot + 1, "*") == 0)
        return NULL;
    for (size_t i = 0; past[i]; i++)
        if (strcmp(dot + 1, past[i]) == 0)
            return NULL;
    return "must end in .created, .updated, .deleted or .*";
}

void
webhook_event_name(const char *type, const char *op, char out[WEBHOOK_EVENT_MAX])
{
    size_t i;

    for (i = 0; ops[i] && strcmp(ops[i], op); i++)
        ;
    snprintf(out, WEBHOOK_EVENT_MAX, "%s.%s", type, ops[i] ? past[i] : op);
}

/* 1 if one pattern matches event. */
static int
match_one(const char *pattern, const char *event)
{
    size_t n = strlen(pattern);

    if (strcmp(pattern, "*") == 0 || strcmp(pattern, event) == 0)
        return 1;
    /* "customer.*": the same type, any operation */
    return n >= 2 && strcmp(pattern + n - 2, ".*") == 0 && strncmp(pattern, event, n - 1) == 0 &&
           strchr(event + n - 1, '.') == NULL;
}

int
webhook_events_match(const json_t *patterns, const char *event)
{
    size_t i;
    json_t *v;

    json_array_foreach(patterns, i, v)
    {
        if (json_is_string(v) && match_one(json_string_value(v), event))
            return 1;
    }
    return 0;
}

unsigned
webhook_events_types(const json_t *patterns)
{
    unsigned mask = 0;
    size_t i;
    json_t *v;

    json_array_foreach(patterns, i, v)
    {
        const char *s = json_string_value(v), *dot;
        int t;

        if (!s || !(dot = strchr(s, '.')))
            return 0; /* "*" */
        t = type_index(s, (size_t)(dot - s));
        if (t < 0)
            return 0;
        mask |= 1u << t;
    }
    return mask;
}

static void
hex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 0xf];
    }
    out[2 * n] = '\0';
}

void
webhook_sign(const char *secret, long long timestamp, const char *body, size_t len,
             char out[WEBHOOK_SIGNATURE_LEN + 1])
{
    char digest_name[] = "SHA256", ts[24];
    OSSL_PARAM params[] = { OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
                            OSSL_PARAM_construct_end() };
    unsigned char mac[EVP_MAX_MD_SIZE];
    EVP_MAC *hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *ctx = hmac ? EVP_MAC_CTX_new(hmac) : NULL;
    size_t n = 0;
    int ok;

    snprintf(ts, sizeof ts, "%lld.", timestamp);
    ok = ctx && EVP_MAC_init(ctx, (const unsigned char *)secret, strlen(secret), params) == 1 &&
         EVP_MAC_update(ctx, (const unsigned char *)ts, strlen(ts)) == 1 &&
         EVP_MAC_update(ctx, (const unsigned char *)body, len) == 1 &&
         EVP_MAC_final(ctx, mac, &n, sizeof mac) == 1 && n == 32;
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(hmac);
    if (!ok) {
        fputs("crmd: libcrypto cannot compute HMAC-SHA256\n", stderr);
        abort();
    }
    memcpy(out, "v1=", 3);
    hex(mac, n, out + 3);
}

void
webhook_secret_new(char out[WEBHOOK_SECRET_LEN + 1])
{
    unsigned char raw[32];

    if (RAND_bytes(raw, sizeof raw) != 1) {
        fputs("crmd: libcrypto has no random bytes for a webhook secret\n", stderr);
        abort();
    }
    memcpy(out, "whsec_", 6);
    hex(raw, sizeof raw, out + 6);
}

long long
webhook_backoff_ms(int failures, long long base, long long cap)
{
    long long d = base;

    for (int i = 1; i < failures && d < cap; i++)
        d *= 2;
    return d < cap ? d : cap;
}
