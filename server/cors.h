/*
 * cors: the allow-list of browser origins (--cors-origins), a comma-
 * separated list such as "https://desk.example,http://localhost:5173".
 * Origins compare exactly (scheme, host and port as the browser sends
 * them in Origin). Pure; http.c adds the headers.
 */
#ifndef CRMD_CORS_H
#define CRMD_CORS_H

#define CORS_MAX_AGE "600" /* seconds a browser may cache a preflight answer */
/* Accept-Language is safelisted, but only for some values: listed for the others */
#define CORS_ALLOW_HEADERS                                                                         \
    "Accept-Language, Authorization, Content-Type, If-Match, If-None-Match, "                      \
    "Idempotency-Key, X-Request-Id"
#define CORS_EXPOSE_HEADERS "ETag, Location, Retry-After, X-Request-Id, Idempotent-Replayed"

/* Is origin (the Origin header, may be NULL) in list (may be NULL or "")? */
int cors_allowed(const char *list, const char *origin);

/*
 * Why list is not a valid allow-list ("" and NULL are: CORS off), or NULL.
 * Each entry must be http:// or https:// and a host with an optional port,
 * without path, query or trailing slash; "*" is refused.
 */
const char *cors_list_error(const char *list);

#endif
