/*
 * import_csv: spreadsheet rows of customers, vehicles or touchpoints as import lines.
 * The header row names the fields; "a.b" columns fill nested members
 * (address.city, external_ref.id, owner.system); cells are typed by the
 * model's field table (integers, numbers, true/false; a decimal comma
 * where the file asks for it), emails and phones take several values
 * separated by ';'. Empty cells are absent.
 */
#include "import.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "unicode.h"

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
    if (t == IMPORT_TOUCHPOINT)
        return ref && (!strcmp(parent, "customer") || !strcmp(parent, "vehicle"));
    return t == IMPORT_VEHICLE && ref &&
           (!strcmp(parent, "owner") || !strcmp(parent, "main_driver"));
}

static const struct model *
model_of(enum import_type t)
{
    return t == IMPORT_CUSTOMER  ? &model_customer
           : t == IMPORT_VEHICLE ? &model_vehicle
                                 : &model_touchpoint;
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
import_csv_column_ok(enum import_type t, const char *name)
{
    const char *dot = strchr(name, '.');
    char parent[32];
    size_t plen;

    if (!dot)
        return plain_field(t, name) != NULL;
    plen = (size_t)(dot - name);
    if (plen >= sizeof parent || !dot[1] || strchr(dot + 1, '.'))
        return 0;
    memcpy(parent, name, plen);
    parent[plen] = '\0';
    return nested_ok(t, parent, dot + 1);
}

int
import_csv_header(enum import_type t, char **cols, size_t n, struct problem *p)
{
    for (size_t i = 0; i < n; i++) {
        int ok = import_csv_column_ok(t, cols[i]);

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
                        t == IMPORT_VEHICLE      ? ", owner.system"
                        : t == IMPORT_TOUCHPOINT ? ", customer.system"
                                                 : "");
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

/* "0,8" or "-12,50" as "0.8", "-12.50" into out; 0, or -1 when v is not such a number. */
static int
decimal_comma(const char *v, char *out, size_t outsz)
{
    size_t n = strlen(v), i = v[0] == '-' || v[0] == '+';
    const char *comma = strchr(v, ',');

    if (!comma || n >= outsz || comma == v + i || !comma[1] || strchr(comma + 1, ','))
        return -1;
    for (; v[i]; i++)
        if ((v[i] < '0' || v[i] > '9') && v + i != comma)
            return -1;
    memcpy(out, v, n + 1);
    out[comma - v] = '.';
    return 0;
}

/* A cell typed by its field; a cell that does not parse stays text so validation names it. */
static json_t *
cell_value(const struct field *f, const char *v, int dec_comma)
{
    char *end, num[64];

    errno = 0;
    switch (f->type) {
    case FIELD_INT: {
        long long n = strtoll(v, &end, 10);
        return *end || errno ? json_string(v) : json_integer(n);
    }
    case FIELD_REAL: {
        double d;
        if (dec_comma && decimal_comma(v, num, sizeof num) == 0)
            v = num;
        d = strtod(v, &end);
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
import_csv_row(const struct import_csv_head *h, unsigned long row, char **fields, size_t n,
               struct problem *p)
{
    json_t *o;

    if (n != h->ncols) {
        problem_set(p, PROBLEM_BAD_REQUEST, "CSV row %lu has %zu fields, the header %zu%s", row, n,
                    h->ncols,
                    n == 1 && h->sep != ';' && strchr(fields[0], ';')
                        ? " (is it separated by ';'? declare text/csv; delimiter=semicolon)"
                        : "");
        return NULL;
    }
    o = json_pack("{s:s}", "type", import_type_names[h->type]);
    for (size_t i = 0; i < n; i++) {
        const char *dot = strchr(h->cols[i], '.');
        json_t *v = json_string(fields[i]); /* NULL: not UTF-8 */

        if (!v) {
            json_decref(o);
            problem_set(p, PROBLEM_BAD_REQUEST,
                        "CSV row %lu, column %zu ('%.64s') is not valid UTF-8 (nor a character of "
                        "the declared charset); declare the file's charset, as text/csv; "
                        "charset=windows-1252",
                        row, i + 1, h->cols[i]);
            return NULL;
        }
        json_decref(v);
        if (!fields[i][0])
            continue;
        if (dot) {
            char parent[32];
            json_t *obj;
            memcpy(parent, h->cols[i], (size_t)(dot - h->cols[i]));
            parent[dot - h->cols[i]] = '\0';
            if (!(obj = json_object_get(o, parent)))
                json_object_set_new(o, parent, obj = json_object());
            json_object_set_new(obj, dot + 1, json_string(fields[i]));
        } else {
            json_object_set_new(o, h->cols[i],
                                cell_value(plain_field(h->type, h->cols[i]), fields[i],
                                           h->sep == ';'));
        }
    }
    unicode_nfc_json(o); /* cannot fail: every cell was checked as UTF-8 above */
    return o;
}
