/*
 * import_report: the per-line report of an import, bounded whatever the
 * body holds. A body of a million bad lines keeps 100 problems (each cut to
 * 20 errors[] of 200 bytes) and at most 72 counters, not a million objects;
 * lines that worked keep 64 bytes each for the items of report=full.
 */
#include "import_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"

static const char *const outcome_names[IMPORT_NOUTCOMES] = { "created", "updated", "unchanged",
                                                            "error" };

void
import_report_ok(struct import_report *r, unsigned long line, int type, int outcome, const char *id)
{
    struct import_ok *o;

    r->counts[outcome]++;
    if (r->errors_only)
        return;
    if (r->nok == r->okcap) {
        r->okcap = r->okcap ? r->okcap * 2 : 64;
        r->ok = xrealloc(r->ok, r->okcap * sizeof *r->ok);
    }
    o = &r->ok[r->nok++];
    o->line = line;
    o->type = type;
    o->outcome = outcome;
    snprintf(o->id, sizeof o->id, "%s", id);
}

/* Bytes of s that fit in max without splitting a character (s is UTF-8). */
static size_t
cut_len(const char *s, size_t max)
{
    size_t n = strlen(s);

    if (n > max)
        for (n = max; n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80; n--)
            ;
    return n;
}

/* s cut to at most max bytes, as a new JSON string. */
static json_t *
cut_text(const char *s, size_t max)
{
    return s ? json_stringn(s, cut_len(s, max)) : json_string("");
}

/* p as problem+json with its errors[] cut to IMPORT_REPORT_FIELDS short entries. */
static json_t *
bounded_problem(const struct problem *p)
{
    json_t *o = problem_to_json(p), *errs, *e;
    size_t i;

    if (!p->errors)
        return o;
    errs = json_array();
    json_array_foreach(p->errors, i, e)
    {
        if (i == IMPORT_REPORT_FIELDS)
            break;
        json_array_append_new(
            errs, json_pack("{s:o, s:o}", "field",
                            cut_text(json_string_value(json_object_get(e, "field")), IMPORT_REPORT_TEXT),
                            "message",
                            cut_text(json_string_value(json_object_get(e, "message")),
                                     IMPORT_REPORT_TEXT)));
    }
    json_object_set_new(o, "errors", errs);
    return o;
}

/* The field a problem names first, cut to IMPORT_REPORT_FIELD bytes; "" when none. */
static void
first_field(const struct problem *p, char *out)
{
    const char *f = json_string_value(json_object_get(json_array_get(p->errors, 0), "field"));
    size_t n = f ? cut_len(f, IMPORT_REPORT_FIELD) : 0;

    memcpy(out, f ? f : "", n);
    out[n] = '\0';
}

static struct import_error_group *
group_find(struct import_report *r, enum problem_code code, const char *field)
{
    for (size_t i = 0; i < r->ngroups; i++)
        if (r->groups[i].code == code && !strcmp(r->groups[i].field, field))
            return &r->groups[i];
    return NULL;
}

/* Count p's kind; past IMPORT_REPORT_GROUPS kinds with a field, a new one counts without. */
static void
count_kind(struct import_report *r, unsigned long line, const struct problem *p)
{
    char name[IMPORT_REPORT_FIELD + 1];
    const char *field = name;
    struct import_error_group *g;

    first_field(p, name);
    g = group_find(r, p->code, field);
    if (!g && field[0] && r->ngroups >= IMPORT_REPORT_GROUPS)
        g = group_find(r, p->code, field = "");
    if (!g) {
        /* room: at most IMPORT_REPORT_GROUPS with a field, then one per code without */
        g = &r->groups[r->ngroups++];
        g->code = p->code;
        snprintf(g->field, sizeof g->field, "%s", field);
        g->count = 0;
        g->first_line = line;
    }
    g->count++;
    if (line < g->first_line)
        g->first_line = line;
}

/* The kept failure with the highest line number. */
static size_t
last_failed(const struct import_report *r)
{
    size_t max = 0;

    for (size_t i = 1; i < r->nfailed; i++)
        if (r->failed[i].line > r->failed[max].line)
            max = i;
    return max;
}

void
import_report_error(struct import_report *r, unsigned long line, int type, struct problem *p)
{
    struct import_failed *f;

    r->counts[IMPORT_ERROR]++;
    count_kind(r, line, p);
    if (r->nfailed < IMPORT_REPORT_ERRORS) {
        f = &r->failed[r->nfailed++];
    } else {
        /* lines fail out of order (each type is applied apart): keep the lowest numbers */
        f = &r->failed[last_failed(r)];
        if (f->line < line) {
            problem_release(p);
            return;
        }
        json_decref(f->problem);
    }
    f->line = line;
    f->type = type;
    f->problem = bounded_problem(p);
    problem_release(p);
}

static json_t *
item(unsigned long line, int type, int outcome)
{
    return json_pack("{s:I, s:o, s:s}", "line", (json_int_t)line, "type",
                     type < 0 ? json_null() : json_string(import_type_names[type]), "outcome",
                     outcome_names[outcome]);
}

static int
ok_by_line(const void *a, const void *b)
{
    const struct import_ok *x = a, *y = b;
    return x->line < y->line ? -1 : x->line > y->line;
}

static int
failed_by_line(const void *a, const void *b)
{
    const struct import_failed *x = a, *y = b;
    return x->line < y->line ? -1 : x->line > y->line;
}

json_t *
import_report_items(struct import_report *r)
{
    json_t *items = json_array();
    size_t i = 0, j = 0;

    if (r->nok) /* qsort's base must not be NULL, even for no element */
        qsort(r->ok, r->nok, sizeof *r->ok, ok_by_line);
    if (r->nfailed)
        qsort(r->failed, r->nfailed, sizeof *r->failed, failed_by_line);
    while (i < r->nok || j < r->nfailed) {
        json_t *it;
        if (j == r->nfailed || (i < r->nok && r->ok[i].line < r->failed[j].line)) {
            it = item(r->ok[i].line, r->ok[i].type, r->ok[i].outcome);
            json_object_set_new(it, "id", json_string(r->ok[i++].id));
        } else {
            it = item(r->failed[j].line, r->failed[j].type, IMPORT_ERROR);
            json_object_set_new(it, "problem",
                                r->failed[j].problem ? r->failed[j].problem : json_object());
            r->failed[j++].problem = NULL;
        }
        json_array_append_new(items, it);
    }
    return items;
}

int
import_report_truncated(const struct import_report *r)
{
    return r->counts[IMPORT_ERROR] > r->nfailed;
}

static int
by_count(const void *a, const void *b)
{
    const struct import_error_group *x = a, *y = b;

    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return x->first_line < y->first_line ? -1 : x->first_line > y->first_line;
}

json_t *
import_report_error_counts(struct import_report *r)
{
    json_t *a = json_array();

    if (r->ngroups)
        qsort(r->groups, r->ngroups, sizeof *r->groups, by_count);
    for (size_t i = 0; i < r->ngroups; i++) {
        const struct import_error_group *g = &r->groups[i];
        char type[64];

        snprintf(type, sizeof type, "urn:crmd:problem:%s", problem_slug(g->code));
        json_array_append_new(a, json_pack("{s:s, s:o, s:I, s:I}", "type", type, "field",
                                           g->field[0] ? json_string(g->field) : json_null(),
                                           "count", (json_int_t)g->count, "first_line",
                                           (json_int_t)g->first_line));
    }
    return a;
}

void
import_report_release(struct import_report *r)
{
    for (size_t i = 0; i < r->nfailed; i++)
        json_decref(r->failed[i].problem);
    free(r->ok);
    r->ok = NULL;
    r->nok = r->okcap = r->nfailed = 0;
}
