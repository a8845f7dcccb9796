/*
 * auth: who may call a route. Every route in routes.c names the least
 * role it needs (role.h); a key's role must include it. A route listed in
 * routes_fields lets a lower role through when the body changes only the
 * listed members (a desk key changing a customer's contact data).
 * http.c calls auth_request before the handler and auth_body once the
 * body is there; both return 0, or -1 with a 401 or 403 problem set.
 */
#ifndef CRMD_AUTH_H
#define CRMD_AUTH_H

#include "request.h"

/*
 * Authenticate the Authorization header value (NULL when absent) and
 * authorise req's route: ROLE_OPEN routes pass without a key; otherwise
 * 401 (res->www_authenticate set) without a usable key, 403 when the key's
 * role lacks the route's. Sets req->role and req->key_id.
 */
int auth_request(struct request *req, struct response *res, const char *authorization);

/* With the body read: 403 naming the members a field-limited role may not change. */
int auth_body(struct request *req, struct problem *p);

#endif
