/*
 * merge_rules: field-by-field merge of two customers. Works on the
 * representations only; the result is validated by the model afterwards
 * (so a union past a field's limit is refused there, not truncated here).
 */
#include "merge_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "normalize.h"
#include "util.h"

/* Filled from the other customer when the survivor has none. */
static const char *const fillable[] = { "salutation", "title", "given_name", "family_name",
                                        "preferred_name", "birthday", "company_name",
                                        "legal_form", "vat_id", "address", NULL };

int
merge_rules_consent_rank(const json_t *entry)
{
    const char *s = json_string_value(json_object_get(entry, "status"));

    if (!s)
        return 0;
    if (!strcmp(s, "withdrawn"))
        return 2;
    return !strcmp(s, "granted") ? 1 : 0;
}

const json_t *
merge_rules_consent(const json_t *a, const json_t *b)
{
    int ra = merge_rules_consent_rank(a), rb = merge_rules_consent_rank(b);
    const char *ta, *tb;

    if (ra != rb)
        return ra > rb ? a : b;
    if (!a || !b)
        return a ? a : b;
    ta = json_string_value(json_object_get(a, "at"));
    tb = json_string_value(json_object_get(b, "at"));
    /* RFC 3339 UTC "…Z" as stored: text order is time order */
    return ta && tb && strcmp(tb, ta) > 0 ? b : a;
}

static int
absent(const json_t *v)
{
    return !v || json_is_null(v);
}

/* The lookup key of an e-mail or phone entry into key ("" when it has none). */
static void
contact_key(const json_t *e, int phone, char *key, size_t keysz)
{
    const char *s = json_string_value(json_object_get(e, phone ? "e164" : "address"));

    key[0] = '\0';
    if (s && (phone || normalize_email(s, key, keysz) != 0))
        snprintf(key, keysz, "%s", s);
}

static int
has_contact(const json_t *list, const char *key, int phone)
{
    char k[NORMALIZE_EMAIL_MAX];
    const json_t *e;
    size_t i;

    json_array_foreach(list, i, e)
    {
        contact_key(e, phone, k, sizeof k);
        if (!strcmp(k, key))
            return 1;
    }
    return 0;
}

/* Union of a contact list into doc[name]; returns the number added. */
static int
merge_contacts(json_t *doc, const json_t *other, const char *name, int phone)
{
    json_t *mine = json_object_get(doc, name), *list, *e;
    char key[NORMALIZE_EMAIL_MAX];
    size_t i;
    int added = 0;

    list = json_is_array(mine) ? json_deep_copy(mine) : json_array();
    json_array_foreach(json_object_get(other, name), i, e)
    {
        contact_key(e, phone, key, sizeof key);
        if (!key[0] || has_contact(list, key, phone))
            continue;
        json_array_append_new(list, json_deep_copy(e));
        added++;
    }
    if (json_array_size(list))
        json_object_set_new(doc, name, list);
    else
        json_decref(list);
    return added;
}

static int
merge_refs(json_t *doc, const json_t *other)
{
    json_t *mine = json_object_get(doc, "external_refs"), *list, *r, *x;
    size_t i, j;
    int added = 0;

    list = json_is_array(mine) ? json_deep_copy(mine) : json_array();
    json_array_foreach(json_object_get(other, "external_refs"), i, r)
    {
        int dup = 0;
        json_array_foreach(list, j, x)
        dup |= json_equal(x, r);
        if (!dup) {
            json_array_append_new(list, json_deep_copy(r));
            added++;
        }
    }
    if (json_array_size(list))
        json_object_set_new(doc, "external_refs", list);
    else
        json_decref(list);
    return added;
}

static void
merge_consents(json_t *doc, const json_t *other, json_t *changed)
{
    json_t *mine = json_object_get(doc, "consents"), *out, *v;
    const json_t *theirs = json_object_get(other, "consents");
    const char *ch;

    out = json_is_object(mine) ? json_deep_copy(mine) : json_object();
    json_object_foreach((json_t *)theirs, ch, v)
    {
        json_t *cur = json_object_get(out, ch);
        if (merge_rules_consent(cur, v) != cur) {
            json_object_set_new(out, ch, json_deep_copy(v));
            json_array_append_new(changed, json_string(ch));
        }
    }
    if (json_object_size(out))
        json_object_set_new(doc, "consents", out);
    else
        json_decref(out);
}

static void
merge_preferences(json_t *doc, const json_t *other)
{
    json_t *mine = json_object_get(doc, "preferences"), *out, *v;
    const char *k;

    if (!json_is_object(json_object_get(other, "preferences")))
        return;
    out = json_is_object(mine) ? json_deep_copy(mine) : json_object();
    json_object_foreach(json_object_get(other, "preferences"), k, v)
    {
        if (!json_object_get(out, k))
            json_object_set_new(out, k, json_deep_copy(v));
    }
    json_object_set_new(doc, "preferences", out);
}

static void
merge_notes(json_t *doc, const json_t *other)
{
    const char *a = json_string_value(json_object_get(doc, "notes"));
    const char *b = json_string_value(json_object_get(other, "notes"));
    size_t la, lb;
    char *both;

    if (!b || (a && !strcmp(a, b)))
        return;
    if (!a) {
        json_object_set_new(doc, "notes", json_string(b));
        return;
    }
    la = strlen(a);
    lb = strlen(b);
    both = xmalloc(la + lb + 3);
    memcpy(both, a, la);
    memcpy(both + la, "\n\n", 2);
    memcpy(both + la + 2, b, lb + 1);
    json_object_set_new(doc, "notes", json_string(both));
    free(both);
}

json_t *
merge_rules_customer(const json_t *survivor, const json_t *other, json_t *summary)
{
    json_t *doc = json_deep_copy(survivor), *filled = json_array(), *changed = json_array();
    int dnc;

    for (const char *const *f = fillable; *f; f++) {
        if (absent(json_object_get(doc, *f)) && !absent(json_object_get(other, *f))) {
            json_object_set_new(doc, *f, json_deep_copy(json_object_get(other, *f)));
            json_array_append_new(filled, json_string(*f));
        }
    }
    json_object_set_new(summary, "emails_added",
                        json_integer(merge_contacts(doc, other, "emails", 0)));
    json_object_set_new(summary, "phones_added",
                        json_integer(merge_contacts(doc, other, "phones", 1)));
    json_object_set_new(summary, "external_refs_added", json_integer(merge_refs(doc, other)));
    merge_consents(doc, other, changed);
    merge_preferences(doc, other);
    merge_notes(doc, other);
    dnc = json_is_true(json_object_get(doc, "do_not_contact")) ||
          json_is_true(json_object_get(other, "do_not_contact"));
    json_object_set_new(doc, "do_not_contact", json_boolean(dnc));
    json_object_set_new(summary, "fields_filled", filled);
    json_object_set_new(summary, "consents_changed", changed);
    return doc;
}
