/*
 * desk: the desk page in the browser, GET /desk/ and its files, compiled
 * into the binary (desk/app and the chart library; tools/embed-files.sh).
 * Names are looked up in that table only, so no path reaches the file
 * system. Open routes: the page holds no data; each API call it makes
 * sends the key the user signed in with. The page itself is desk/app's.
 */
#include <string.h>

#include "embed.h"
#include "handlers.h"

#define DESK_HOME "/desk/"
#define DESK_NAME_MAX 64 /* longest name looked up ("vendor/" included) */

/* build/<flavor>/gen/desk.c */
extern const struct embed_file desk_files[];
extern const size_t desk_files_count;

/*
 * On every desk answer (304 and problems too): the page may run only its
 * own scripts and styles, talk only to this server, and be framed by no one.
 * docs/operators.md "Security model" explains each.
 */
static const struct response_header desk_headers[] = {
    { "Content-Security-Policy",
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      "connect-src 'self'; font-src 'self'; manifest-src 'self'; form-action 'none'; "
      "base-uri 'none'; frame-ancestors 'none'" },
    { "X-Content-Type-Options", "nosniff" },
    { "Referrer-Policy", "no-referrer" },
    { "X-Frame-Options", "DENY" },
    { "Cross-Origin-Opener-Policy", "same-origin" },
    { NULL, NULL },
};

/* Letters, digits, '.', '_', '-': a name worth repeating in the 404's detail. */
static int
plain_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '.' || *s == '_' || *s == '-'))
            return 0;
    return 1;
}

/* Serve the embedded file dir + name (dir "" or "vendor/"); 404 when there is none. */
static int
serve(struct request *req, struct response *res, const char *dir, const char *name)
{
    char full[DESK_NAME_MAX + 1] = "";
    const struct embed_file *f = NULL;

    /* Query parameters are ignored: the files are static (a ?v=2 cache-buster is harmless). */
    res->headers = desk_headers;
    if (strlen(dir) + strlen(name) <= DESK_NAME_MAX) {
        strcat(strcpy(full, dir), name);
        f = embed_find(desk_files, desk_files_count, full);
    }
    if (f)
        return embed_serve(req, res, f);
    if (plain_name(name) && strlen(name) <= DESK_NAME_MAX)
        problem_set(&res->problem, PROBLEM_NOT_FOUND,
                    "the desk has no file %s%s; the page starts at " DESK_HOME, dir, name);
    else
        problem_set(&res->problem, PROBLEM_NOT_FOUND,
                    "the desk has no such file (desk file names are letters, digits, '.', '_' "
                    "and '-'); the page starts at " DESK_HOME);
    return -1;
}

/* GET / and GET /desk: 302 to /desk/, no body. */
int
desk_redirect(struct request *req, struct response *res)
{
    (void)req;
    res->headers = desk_headers;
    res->status = 302;
    response_set_location(res, DESK_HOME);
    return 0;
}

/* GET /desk/ */
int
desk_index(struct request *req, struct response *res)
{
    return serve(req, res, "", "index.html");
}

/* GET /desk/{file} */
int
desk_file(struct request *req, struct response *res)
{
    return serve(req, res, "", request_param(req, 0));
}

/* GET /desk/vendor/{file} */
int
desk_vendor(struct request *req, struct response *res)
{
    return serve(req, res, "vendor/", request_param(req, 0));
}
