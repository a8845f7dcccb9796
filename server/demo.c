/*
 * demo: placeholder until the demo data set lands; loads nothing.
 */
#include "demo.h"

#include "log.h"

int
demo_load(struct db *db)
{
    (void)db;
    log_info("demo data: not yet available");
    return 0;
}
