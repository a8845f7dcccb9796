/*
 * rules_api: GET /v1/rules — the thresholds in force (defaults merged
 * with the --rules file), so a desk frontend can explain an opportunity
 * or a refused contact with the same numbers the server used.
 */
#include "handlers.h"
#include "rules.h"

HANDLER(rules_get)
{
    static const char *const allowed[] = { NULL };

    if (request_check_query(req, allowed, &res->problem) != 0)
        return -1;
    return response_json(res, 200, rules_to_json(rules_current()));
}
