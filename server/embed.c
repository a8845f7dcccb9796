/*
 * embed: lookup and conditional serving of the files compiled into the
 * binary (embed.h). The bytes are constants: responses borrow them.
 */
#include "embed.h"

#include <stdio.h>
#include <string.h>

#include "compress.h"
#include "etag.h"
#include "request.h"

const struct embed_file *
embed_find(const struct embed_file *table, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(table[i].name, name))
            return &table[i];
    return NULL;
}

int
embed_serve(struct request *req, struct response *res, const struct embed_file *f)
{
    int gzip = f->gz && compress_accept_gzip(&req->accept_encoding);
    const char *etag = gzip ? f->gz_etag : f->etag;
    int unchanged = etag_check_if_none_match(req->if_none_match, etag, &res->problem);

    if (unchanged < 0)
        return -1;
    snprintf(res->etag, sizeof res->etag, "%s", etag);
    res->vary_encoding = f->gz != NULL;
    res->cache_control = "no-cache";
    if (unchanged) {
        res->status = 304;
        return 0;
    }
    if (!gzip)
        return response_raw(res, f->data, f->len, f->type);
    res->raw_encoding = "gzip";
    return response_raw(res, f->gz, f->gz_len, f->type);
}
