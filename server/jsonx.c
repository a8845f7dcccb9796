/*
 * jsonx: parsing, field-table validation and merge patch. Validation
 * collects all field errors before failing so a client can fix a form in
 * one round trip.
 */
#include "jsonx.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "datetime.h"
#include "unicode.h"
#include "util.h"

/* Nesting depth of JSON text, ignoring brackets inside strings. */
static int
too_deep(const char *s, size_t len)
{
    int depth = 0, in_str = 0;

    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = 0;
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '{' || c == '[') {
            if (++depth > JSONX_MAX_DEPTH)
                return 1;
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return 0;
}

json_t *
jsonx_parse_object(const char *data, size_t len, struct problem *p)
{
    json_error_t err;
    json_t *j;

    if (!data || len == 0) {
        problem_set(p, PROBLEM_MALFORMED_JSON, "the request body is empty; a JSON object is required");
        return NULL;
    }
    if (too_deep(data, len)) {
        problem_set(p, PROBLEM_MALFORMED_JSON, "JSON nesting is deeper than %d levels",
                    JSONX_MAX_DEPTH);
        return NULL;
    }
    j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
    if (!j) {
        problem_set(p, PROBLEM_MALFORMED_JSON, "invalid JSON at line %d, column %d: %s", err.line,
                    err.column, err.text);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        problem_set(p, PROBLEM_MALFORMED_JSON, "the body must be a JSON object");
        return NULL;
    }
    /* the one place where JSON text enters: bodies and import lines are stored as NFC */
    if (unicode_nfc_json(j) != 0) {
        json_decref(j);
        problem_set(p, PROBLEM_MALFORMED_JSON, "a string is not valid UTF-8");
        return NULL;
    }
    return j;
}

const struct field *
jsonx_field(const struct field *fields, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(fields[i].name, name) == 0)
            return &fields[i];
    return NULL;
}

const char *
jsonx_text_error(const char *s, size_t max, int note)
{
    size_t len = strlen(s);

    if (len == 0)
        return "must not be empty";
    if (len > max) {
        /* name the field's own limit (title: 32, make: 64, ...), not the default */
        static _Thread_local char msg[64];
        snprintf(msg, sizeof msg, "is longer than the limit of %zu bytes", max);
        return msg;
    }
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c < 0x20 || *c == 0x7f) {
            if (note && (*c == '\n' || *c == '\r' || *c == '\t'))
                continue;
            return note ? "must not contain control characters other than tab and line breaks"
                        : "must not contain control characters";
        }
    }
    return NULL;
}

static int
in_enum(const char *s, const char *const *values)
{
    for (; *values; values++)
        if (strcmp(s, *values) == 0)
            return 1;
    return 0;
}

static void
enum_error(struct problem *p, const struct field *f)
{
    char list[256] = "";
    for (const char *const *v = f->values; *v; v++) {
        if (list[0])
            strncat(list, ", ", sizeof list - strlen(list) - 1);
        strncat(list, *v, sizeof list - strlen(list) - 1);
    }
    problem_add_field(p, f->name, "must be one of: %s", list);
}

/* "5 minutes", "1 day": an allowance of secs seconds for messages ("" for none). */
static void
allowance_text(long secs, char *out, size_t outsz)
{
    long n = secs % 86400 == 0 ? secs / 86400 : secs % 60 == 0 ? secs / 60 : secs;
    const char *unit = secs % 86400 == 0 ? "day" : secs % 60 == 0 ? "minute" : "second";

    if (secs <= 0)
        snprintf(out, outsz, "%s", "");
    else
        snprintf(out, outsz, " plus %ld %s%s", n, unit, n == 1 ? "" : "s");
}

/*
 * The plausible range of a date (day number; datetime 0) or a timestamp
 * (t; datetime 1): not before January 1 of f->min, and with FIELD_PAST
 * not after the server's clock plus f->max seconds.
 */
static void
check_when(const struct field *f, int datetime, long day, time_t t, struct problem *p)
{
    time_t limit = util_now() + (time_t)f->max;
    long floor_day = f->min > 0 ? datetime_days_from_civil((int)f->min, 1, 1) : 0;
    char at[UTIL_TIME_LEN + 1], plus[48];

    if (f->min > 0 && (datetime ? t < (time_t)floor_day * 86400 : day < floor_day)) {
        problem_add_implausible(p, f->name, "is too early: must be %04d-01-01 or later", (int)f->min);
        return;
    }
    if (!(f->flags & FIELD_PAST))
        return;
    allowance_text((long)f->max, plus, sizeof plus);
    if (datetime && t > limit) {
        util_format_time(limit, at);
        problem_add_implausible(p, f->name,
                                "is in the future: must be %s or earlier (the server's clock%s)",
                                at, plus);
    } else if (!datetime && day > (long)(limit / 86400)) {
        datetime_format_date((long)(limit / 86400), at);
        problem_add_implausible(p, f->name,
                                "is in the future: must be %s or earlier (today%s, UTC)", at, plus);
    }
}

/* A date or time the client did not change (on update) is not judged again. */
static int
unchanged(const struct field *f, const json_t *old, const char *s)
{
    const char *was = old ? json_string_value(json_object_get(old, f->name)) : NULL;
    return was && strcmp(was, s) == 0;
}

/* Validate one non-null value; may replace it in obj (normalisation). */
static void
check_value(const struct field *f, json_t *obj, json_t *v, const json_t *old, struct problem *p)
{
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    const char *msg;
    size_t max;
    int y, m, d;
    time_t t;

    switch (f->type) {
    case FIELD_TEXT:
    case FIELD_NOTE:
        if (!s) {
            problem_add_field(p, f->name, "must be a string");
            return;
        }
        max = f->max > 0 ? (size_t)f->max
                         : (f->type == FIELD_NOTE ? JSONX_NOTE_MAX : JSONX_NAME_MAX);
        msg = jsonx_text_error(s, max, f->type == FIELD_NOTE);
        if (msg && strlen(s) > max) /* the message of jsonx_text_error names only the defaults */
            problem_add_field(p, f->name, "is longer than the limit of %zu bytes", max);
        else if (msg)
            problem_add_field(p, f->name, "%s", msg);
        return;
    case FIELD_ENUM:
        if (!s || !in_enum(s, f->values))
            enum_error(p, f);
        return;
    case FIELD_INT:
        if (!json_is_integer(v) || (double)json_integer_value(v) < f->min ||
            (double)json_integer_value(v) > f->max)
            problem_add_field(p, f->name, "must be an integer from %.0f to %.0f", f->min, f->max);
        return;
    case FIELD_REAL:
        if (!json_is_number(v) || !isfinite(json_number_value(v)) ||
            json_number_value(v) < f->min || json_number_value(v) > f->max)
            problem_add_field(p, f->name, "must be a number from %g to %g", f->min, f->max);
        return;
    case FIELD_BOOL:
        if (!json_is_boolean(v))
            problem_add_field(p, f->name, "must be true or false");
        return;
    case FIELD_DATE:
        if (!s || datetime_parse_date(s, &y, &m, &d) != 0)
            problem_add_field(p, f->name, "must be a date written YYYY-MM-DD");
        else if (!unchanged(f, old, s))
            check_when(f, 0, datetime_days_from_civil(y, m, d), 0, p);
        return;
    case FIELD_DATETIME:
        if (!s || datetime_parse_rfc3339(s, &t) != 0) {
            problem_add_field(p, f->name, "must be an RFC 3339 timestamp such as 2026-11-23T09:30:00+01:00");
        } else {
            char buf[UTIL_TIME_LEN + 1];
            util_format_time(t, buf);
            if (!unchanged(f, old, buf))
                check_when(f, 1, 0, t, p);
            json_object_set_new(obj, f->name, json_string(buf));
        }
        return;
    case FIELD_ID:
        if (!s || !util_is_uuid(s))
            problem_add_field(p, f->name, "must be an id (UUID)");
        else {
            /* canonical lower case so lookups and comparisons are exact */
            char low[UTIL_UUID_LEN + 1];
            for (int i = 0; i <= UTIL_UUID_LEN; i++)
                low[i] = (char)(s[i] >= 'A' && s[i] <= 'F' ? s[i] + 32 : s[i]);
            json_object_set_new(obj, f->name, json_string(low));
        }
        return;
    case FIELD_JSON: {
        json_t *val = json_incref(v);
        if (f->check(&val, f->name, old ? json_object_get(old, f->name) : NULL, p) == 0)
            json_object_set(obj, f->name, val);
        json_decref(val);
        return;
    }
    }
}

int
jsonx_validate(const struct field *fields, size_t n, json_t *obj, const json_t *old,
               struct problem *p)
{
    const char *key;
    json_t *v, *tmp;
    size_t before = problem_field_count(p);

    json_object_foreach_safe(obj, tmp, key, v)
    {
        const struct field *f = jsonx_field(fields, n, key);
        if (!f) {
            problem_add_field(p, key, "is not a known field");
            continue;
        }
        if (f->flags & FIELD_SERVER) {
            /* On update the stored value comes back unchanged: that is fine. */
            if (!old || !json_equal(v, json_object_get(old, key)))
                problem_add_field(p, key, "is set by the server and cannot be written");
            continue;
        }
        if (json_is_null(v)) {
            json_object_del(obj, key);
            continue;
        }
        check_value(f, obj, v, old, p);
    }
    for (size_t i = 0; i < n; i++) {
        const struct field *f = &fields[i];
        json_t *now = json_object_get(obj, f->name);
        if ((f->flags & FIELD_REQUIRED) && !now)
            problem_add_field(p, f->name, "is required");
        /* json_equal(NULL, NULL) is 0: absent before and after is unchanged */
        if ((f->flags & FIELD_IMMUTABLE) && old && (now || json_object_get(old, f->name)) &&
            !json_equal(now, json_object_get(old, f->name)))
            problem_add_field(p, f->name, "cannot be changed after creation");
    }
    return jsonx_fail_fields(p, before);
}

int
jsonx_fail_fields(struct problem *p, size_t before)
{
    size_t k = problem_field_count(p);

    if (k <= before)
        return 0;
    if (p->implausible == k) {
        problem_set(p, PROBLEM_IMPLAUSIBLE, "%zu value%s cannot be true: see errors", k,
                    k == 1 ? "" : "s");
        return -1;
    }
    problem_set(p, PROBLEM_VALIDATION, "%zu field%s invalid: see errors", k, k == 1 ? " is" : "s are");
    return -1;
}

json_t *
jsonx_merge_patch(const json_t *target, const json_t *patch)
{
    json_t *out;
    const char *key;
    json_t *v;

    if (!json_is_object(patch))
        return json_deep_copy(patch);
    out = json_is_object(target) ? json_deep_copy(target) : json_object();
    json_object_foreach((json_t *)patch, key, v)
    {
        if (json_is_null(v))
            json_object_del(out, key);
        else
            json_object_set_new(out, key, jsonx_merge_patch(json_object_get(out, key), v));
    }
    return out;
}
