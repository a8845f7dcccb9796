/*
 * apidocs: GET /openapi.json (the OpenAPI document, bundled from
 * api-docs/openapi.yaml) and GET /docs (its HTML reference, Redoc with its
 * script inlined: no network needed). Both are generated at build time
 * (tools/api, tools/embed-files.sh) and compiled into the binary.
 */
#include <stdio.h>

#include "etag.h"
#include "handlers.h"

struct apidocs_file {
    const char *data;
    size_t len;
    const char *etag; /* strong, quotes included */
};

/* build/<flavor>/gen/apidocs.c */
extern const struct apidocs_file apidocs_openapi_json;
extern const struct apidocs_file apidocs_docs_html;

static const char *const no_query[] = { NULL };

static int
serve(struct request *req, struct response *res, const struct apidocs_file *f, const char *type)
{
    int unchanged;

    if (request_check_query(req, no_query, &res->problem) != 0)
        return -1;
    unchanged = etag_check_if_none_match(req->if_none_match, f->etag, &res->problem);
    if (unchanged < 0)
        return -1;
    snprintf(res->etag, sizeof res->etag, "%s", f->etag);
    /* May be cached, but is revalidated: a new build serves a new document. */
    res->cache_control = "no-cache";
    if (unchanged) {
        res->status = 304;
        return 0;
    }
    return response_raw(res, f->data, f->len, type);
}

int
apidocs_openapi(struct request *req, struct response *res)
{
    return serve(req, res, &apidocs_openapi_json, "application/json; charset=utf-8");
}

int
apidocs_html(struct request *req, struct response *res)
{
    return serve(req, res, &apidocs_docs_html, "text/html; charset=utf-8");
}
