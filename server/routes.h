/* routes: the route table served by crmd (see routes.c). */
#ifndef CRMD_ROUTES_H
#define CRMD_ROUTES_H

#include <stddef.h>

#include "router.h"

extern const struct route routes[];
extern const size_t routes_count;

#endif
