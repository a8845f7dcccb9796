/*
 * import_csv: spreadsheet rows of customers or vehicles as import lines.
 * The header row names the fields; "a.b" columns fill nested members
 * (address.city, external_ref.id, owner.system); cells are typed by the
 * model's field table (integers, numbers, true/false), emails and
 * phones take several values separated by ';'. Empty cells are absent.
 */
#include "import.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* Nested members a CSV column may fill, per type: "external_ref" always. */
static int
nested_ok(enum import_type t, const char *parent, const char *member)
{
    int ref = !strcmp(member, "system") || !strcmp(member, "id");

    if (!strcmp(parent, "external_ref"))
        return ref;
    if (!strcmp(parent, "address"))
        return t == IMPORT_CUSTOMER &&
               (!strcmp(member, "street") || !strcmp(member, "postal_code") ||
                !strcmp(member, "city") || !strcmp(member, "country"));
    return t == IMPORT_VEHICLE && ref &&
           (!strcmp(parent, "owner") || !strcmp(parent, "main_driver"));
}

static const struct model *
model_of(enum import_type t)
{
    return t == IMPORT_CUSTOMER ? &model_customer : &model_vehicle;
}

/* Plain columns: the model's fields a client writes that one cell can hold. */
static const struct field *
plain_field(enum import_type t, const char *name)
{
    const struct model *m = model_of(t);
    const struct field *f = jsonx_field(m->fields, m->nfields, name);

    if (!f || (f->flags & FIELD_SERVER))
        return NULL;
    if (f->type == FIELD_JSON && strcmp(name, "emails") && strcmp(name, "phones"))
        return NULL;
    return f;
}

int
import_csv_header(enum import_type t, char **cols, size_t n, struct problem *p)
{
    for (size_t i = 0; i < n; i++) {
        const char *dot = strchr(cols[i], '.');
        int ok;

        if (dot) {
            char parent[32];
            size_t plen = (size_t)(dot - cols[i]);
            ok = plen < sizeof parent && dot[1] && !strchr(dot + 1, '.');
            if (ok) {
                memcpy(parent, cols[i], plen);
                parent[plen] = '\0';
                ok = nested_ok(t, parent, dot + 1);
            }
        } else {
            ok = plain_field(t, cols[i]) != NULL;
        }
        for (size_t j = 0; ok && j < i; j++)
            if (!strcmp(cols[j], cols[i])) {
                problem_set(p, PROBLEM_BAD_REQUEST, "CSV column %zu ('%.64s') repeats column %zu",
                            i + 1, cols[i], j + 1);
                return -1;
            }
        if (!ok) {
            problem_set(p, PROBLEM_BAD_REQUEST,
                        "CSV column %zu ('%.64s') is not a %s field this import takes; see "
                        "docs/integrators.md for the columns (nested members as address.city, "
                        "external_ref.id%s)",
                        i + 1, cols[i], import_type_names[t],
                        t == IMPORT_VEHICLE ? ", owner.system" : "");
            return -1;
        }
    }
    return 0;
}

/* "a; b;c" → ["a", "b", "c"] (values trimmed, empty ones dropped). */
static json_t *
split_list(const char *s)
{
    json_t *a = json_array();

    while (*s) {
        const char *end = strchr(s, ';');
        size_t n = end ? (size_t)(end - s) : strlen(s);
        const char *b = s, *e = s + n;
        while (b < e && *b == ' ')
            b++;
        while (e > b && e[-1] == ' ')
            e--;
        if (e > b)
            json_array_append_new(a, json_stringn(b, (size_t)(e - b)));
        s += n + (end != NULL);
    }
    return a;
}

/* A cell typed by its field; a cell that does not parse stays text so validation names it. */
static json_t *
cell_value(const struct field *f, const char *v)
{
    char *end;

    errno = 0;
    switch (f->type) {
    case FIELD_INT: {
        long long n = strtoll(v, &end, 10);
        return *end || errno ? json_string(v) : json_integer(n);
    }
    case FIELD_REAL: {
        double d = strtod(v, &end);
        return *end || errno ? json_string(v) : json_real(d);
    }
    case FIELD_BOOL:
        return !strcmp(v, "true")    ? json_true()
               : !strcmp(v, "false") ? json_false()
                                     : json_string(v);
    case FIELD_JSON:
        return split_list(v);
    default:
        return json_string(v);
    }
}

json_t *
import_csv_row(enum import_type t, char **cols, size_t ncols, char **fields, size_t n,
               struct problem *p)
{
    json_t *o;

    if (n != ncols) {
        problem_set(p, PROBLEM_BAD_REQUEST, "the row has %zu fields, the header %zu", n, ncols);
        return NULL;
    }
    o = json_pack("{s:s}", "type", import_type_names[t]);
    for (size_t i = 0; i < n; i++) {
        const char *dot = strchr(cols[i], '.');
        json_t *v = json_string(fields[i]); /* NULL: not UTF-8 */

        if (!v) {
            json_decref(o);
            problem_set(p, PROBLEM_MALFORMED_JSON, "column %zu ('%.64s') is not valid UTF-8", i + 1,
                        cols[i]);
            return NULL;
        }
        json_decref(v);
        if (!fields[i][0])
            continue;
        if (dot) {
            char parent[32];
            json_t *obj;
            memcpy(parent, cols[i], (size_t)(dot - cols[i]));
            parent[dot - cols[i]] = '\0';
            if (!(obj = json_object_get(o, parent)))
                json_object_set_new(o, parent, obj = json_object());
            json_object_set_new(obj, dot + 1, json_string(fields[i]));
        } else {
            json_object_set_new(o, cols[i], cell_value(plain_field(t, cols[i]), fields[i]));
        }
    }
    return o;
}
