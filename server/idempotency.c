/*
 * idempotency: the request side of Idempotency-Key. The body fingerprint
 * is the SHA-256 of the bytes as sent (a retry sends the same bytes);
 * expiry is lazy: every keyed POST first deletes the expired keys.
 */
#include "idempotency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "digest.h"
#include "store_idempotency.h"
#include "util.h"

int
idempotency_key_valid(const char *key)
{
    size_t n = 0;

    for (; key[n]; n++)
        if ((unsigned char)key[n] < 0x20 || (unsigned char)key[n] > 0x7e)
            return 0;
    return n >= 1 && n <= IDEMPOTENCY_KEY_MAX;
}

int
idempotency_check_key(const struct request *req, struct problem *p)
{
    if (!req->idempotency_key || idempotency_key_valid(req->idempotency_key))
        return 0;
    problem_set(p, PROBLEM_BAD_REQUEST,
                "header Idempotency-Key must be 1 to %d printable ASCII characters, such as a UUID",
                IDEMPOTENCY_KEY_MAX);
    return -1;
}

static void
body_digest(const struct request *req, char out[DIGEST_SHA256_HEX + 1])
{
    digest_sha256_hex(req->body ? req->body : "", req->body ? req->body_len : 0, out);
}

static int
same(const json_t *rec, const char *member, const char *want)
{
    const char *have = json_string_value(json_object_get(rec, member));
    return have && strcmp(have, want) == 0;
}

int
idempotency_replay(struct request *req, struct response *res)
{
    struct problem *p = &res->problem;
    char cutoff[UTIL_TIME_LEN + 1], digest[DIGEST_SHA256_HEX + 1];
    const char *location, *etag, *text;
    json_t *rec, *body = NULL;

    if (!req->idempotency_key)
        return 0;
    if (idempotency_check_key(req, p) != 0)
        return -1;
    util_format_time(util_now() - (time_t)req->config->idempotency_ttl, cutoff);
    if (store_idempotency_expire(req->db, cutoff, p) != 0 ||
        store_idempotency_get(req->db, req->idempotency_key, &rec, p) != 0)
        return -1;
    if (!rec)
        return 0;
    body_digest(req, digest);
    if (!same(rec, "method", req->method) || !same(rec, "path", req->path)) {
        problem_set(p, PROBLEM_KEY_REUSED,
                    "the Idempotency-Key was already used for %.16s %.200s; use a new key for "
                    "each new request",
                    json_string_value(json_object_get(rec, "method")),
                    json_string_value(json_object_get(rec, "path")));
        json_decref(rec);
        return -1;
    }
    /* store_privacy_erase left only this mark: the answer named an erased person */
    if (json_integer_value(json_object_get(rec, "status")) == 410) {
        problem_set(p, PROBLEM_ERASED,
                    "the record this Idempotency-Key created, or one its answer showed, was "
                    "erased; nothing was created: a new request needs a new key");
        json_decref(rec);
        return -1;
    }
    if (!same(rec, "body_sha256", digest)) {
        problem_set(p, PROBLEM_KEY_REUSED,
                    "the Idempotency-Key was already used with another body; a retry must send "
                    "the same body byte for byte, a new request needs a new key");
        json_decref(rec);
        return -1;
    }
    text = json_string_value(json_object_get(rec, "response"));
    if (text && !(body = json_loads(text, JSON_DECODE_ANY, NULL))) {
        json_decref(rec);
        problem_internal(p, "remembered answer of an Idempotency-Key is not JSON");
        return -1;
    }
    response_json(res, (int)json_integer_value(json_object_get(rec, "status")), body);
    if ((location = json_string_value(json_object_get(rec, "location"))))
        response_set_location(res, "%s", location);
    etag = json_string_value(json_object_get(rec, "etag"));
    snprintf(res->etag, sizeof res->etag, "%s", etag ? etag : "");
    res->replayed = 1;
    json_decref(rec);
    return 1;
}

int
idempotency_record(const struct request *req, struct response *res)
{
    char now[UTIL_TIME_LEN + 1], digest[DIGEST_SHA256_HEX + 1];
    struct store_idempotency rec = { 0 };
    char *text = NULL;
    int rc;

    if (!req->idempotency_key || res->status < 200 || res->status > 299)
        return 0;
    body_digest(req, digest);
    util_format_time(util_now(), now);
    if (res->body && res->status != 204)
        text = json_dumps(res->body, JSON_COMPACT | JSON_ENCODE_ANY);
    rec.key = req->idempotency_key;
    rec.method = req->method;
    rec.path = req->path;
    rec.body_sha256 = digest;
    rec.status = res->status;
    rec.location = res->location;
    rec.etag = res->etag[0] ? res->etag : NULL;
    rec.response = text;
    rec.created_at = now;
    rc = store_idempotency_put(req->db, &rec, &res->problem);
    free(text);
    return rc;
}
