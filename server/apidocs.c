/*
 * apidocs: GET /openapi.json (the OpenAPI document, bundled from
 * api-docs/openapi.yaml) and GET /docs (its HTML reference, Redoc with its
 * script inlined: no network needed). Both are generated at build time
 * (tools/api, tools/embed-files.sh) and compiled into the binary.
 */
#include "embed.h"
#include "handlers.h"

/* build/<flavor>/gen/apidocs.c */
extern const struct embed_file apidocs_openapi_json;
extern const struct embed_file apidocs_docs_html;

static const char *const no_query[] = { NULL };

static int
serve(struct request *req, struct response *res, const struct embed_file *f)
{
    if (request_check_query(req, no_query, &res->problem) != 0)
        return -1;
    return embed_serve(req, res, f);
}

int
apidocs_openapi(struct request *req, struct response *res)
{
    return serve(req, res, &apidocs_openapi_json);
}

int
apidocs_html(struct request *req, struct response *res)
{
    return serve(req, res, &apidocs_docs_html);
}
