/* routes: the route table served by crmd (see routes.c). */
#ifndef CRMD_ROUTES_H
#define CRMD_ROUTES_H

#include <stddef.h>

#include "router.h"

extern const struct route routes[];
extern const size_t routes_count;

/* The routes whose body streams (by handler), NULL-terminated; http.c feeds them. */
extern const struct route_sink *const routes_sinks[];

/* Routes a lower role may use for some members only, ended by a NULL handler; auth.c checks them. */
extern const struct route_fields routes_fields[];

#endif
