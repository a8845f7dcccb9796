/*
 * model_customer: persons and companies, their contact data (e-mails,
 * phones normalised to E.164), preferences, consent per channel and
 * external references. The store derives lookup keys from this shape.
 */
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "datetime.h"
#include "normalize.h"
#include "phone.h"
#include "util.h"

#define MAX_CONTACTS 10
#define MAX_PREFERENCES 50

static const char *const kinds[] = { "person", "company", NULL };
static const char *const salutations[] = { "Herr", "Frau", "divers", "none", NULL };

/* An entry given as a string or as {<main>, label}: returns the main string or NULL. */
static const char *
contact_entry(json_t *e, const char *main, const char **label, const char *fname,
              struct problem *p)
{
    const char *key;
    json_t *v;

    *label = NULL;
    if (json_is_string(e))
        return json_string_value(e);
    if (!json_is_object(e)) {
        problem_add_field(p, fname, "must be a string or an object with %s and label", main);
        return NULL;
    }
    json_object_foreach(e, key, v)
    {
        if (strcmp(key, main) && strcmp(key, "label") && strcmp(key, "e164")) {
            problem_add_field(p, fname, "has unknown member '%.32s'", key);
            return NULL;
        }
    }
    v = json_object_get(e, "label");
    if (v) {
        if (!json_is_string(v) || jsonx_text_error(json_string_value(v), 32, 0)) {
            problem_add_field(p, fname, "label must be text of 1-32 bytes");
            return NULL;
        }
        *label = json_string_value(v);
    }
    v = json_object_get(e, main);
    if (!json_is_string(v)) {
        problem_add_field(p, fname, "%s must be a string", main);
        return NULL;
    }
    return json_string_value(v);
}

/*
 * A phone number as typed: its E.164 form into out, or a field error naming
 * the member ("phones[1].number" when the entry is an object) and the reason.
 */
static int
check_number(const char *s, int in_object, const char *fname, char *out, size_t outsz,
             struct problem *p)
{
    const char *why = "not a number";
    char field[80];
    const char *bad = jsonx_text_error(s, 254, 0);

    snprintf(field, sizeof field, "%s%s", fname, in_object ? ".number" : "");
    if (bad) {
        problem_add_field(p, field, "%s", bad);
        return -1;
    }
    if (phone_parse_default(s, out, outsz, &why) == 0)
        return 0;
    problem_add_implausible(p, field, "is not a valid phone number for region %s (%s)",
                            phone_region(), why);
    return -1;
}

static int
check_contacts(json_t **v, const char *name, int phone, struct problem *p)
{
    json_t *out, *e;
    size_t i, before = problem_field_count(p);
    char fname[64], norm[NORMALIZE_EMAIL_MAX];

    if (!json_is_array(*v) || json_array_size(*v) > MAX_CONTACTS) {
        problem_add_field(p, name, "must be an array of at most %d entries", MAX_CONTACTS);
        return -1;
    }
    out = json_array();
    json_array_foreach(*v, i, e)
    {
        const char *label, *s;
        json_t *o;
        snprintf(fname, sizeof fname, "%s[%zu]", name, i);
        s = contact_entry(e, phone ? "number" : "address", &label, fname, p);
        if (!s)
            continue;
        if (phone) {
            if (check_number(s, json_is_object(e), fname, norm, sizeof norm, p) != 0)
                continue;
        } else if (jsonx_text_error(s, 254, 0) || normalize_email(s, norm, sizeof norm)) {
            problem_add_field(p, fname, "is not a valid e-mail address");
            continue;
        }
        o = phone ? json_pack("{s:s, s:s}", "number", s, "e164", norm)
                  : json_pack("{s:s}", "address", s);
        if (label)
            json_object_set_new(o, "label", json_string(label));
        json_array_append_new(out, o);
    }
    if (problem_field_count(p) > before) {
        json_decref(out);
        return -1;
    }
    json_decref(*v);
    *v = out;
    return 0;
}

static int
check_emails(json_t **v, const char *name, const json_t *old, struct problem *p)
{
    (void)old;
    return check_contacts(v, name, 0, p);
}

static int
check_phones(json_t **v, const char *name, const json_t *old, struct problem *p)
{
    (void)old;
    return check_contacts(v, name, 1, p);
}

static int
check_preferences(json_t **v, const char *name, const json_t *old, struct problem *p)
{
    const char *key;
    json_t *val;
    size_t before = problem_field_count(p);
    char fname[128];
    (void)old;

    if (!json_is_object(*v) || json_object_size(*v) > MAX_PREFERENCES) {
        problem_add_field(p, name, "must be an object of at most %d text notes", MAX_PREFERENCES);
        return -1;
    }
    json_object_foreach(*v, key, val)
    {
        snprintf(fname, sizeof fname, "%s.%.64s", name, key);
        if (jsonx_text_error(key, 64, 0))
            problem_add_field(p, fname, "keys must be 1-64 bytes of text");
        else if (!json_is_string(val) || jsonx_text_error(json_string_value(val), JSONX_NAME_MAX, 0))
            problem_add_field(p, fname, "must be text of 1-1024 bytes");
    }
    return problem_field_count(p) > before ? -1 : 0;
}

/*
 * One consent: "granted" | "withdrawn" | {"status", "at"}. Returns the
 * normalised {status, at} or NULL (field error added). Without "at", the
 * recorded time stays when the status did not change, else it is now.
 */
static json_t *
consent_entry(json_t *val, const json_t *prev, const char *now, const char *fname,
              struct problem *p)
{
    json_t *s = json_is_object(val) ? json_object_get(val, "status") : val;
    json_t *a = json_is_object(val) ? json_object_get(val, "at") : NULL;
    const char *status = json_string_value(s), *prev_status;
    char at[UTIL_TIME_LEN + 1];
    time_t t;

    if (!status || (strcmp(status, "granted") && strcmp(status, "withdrawn")) ||
        (json_is_object(val) && json_object_size(val) != (size_t)(1 + (a != NULL)))) {
        problem_add_field(p, fname, "must be \"granted\", \"withdrawn\" or {\"status\", \"at\"}");
        return NULL;
    }
    if (a) {
        if (!json_is_string(a) || datetime_parse_rfc3339(json_string_value(a), &t) != 0) {
            problem_add_field(p, fname, "at must be an RFC 3339 timestamp");
            return NULL;
        }
        util_format_time(t, at);
    } else {
        prev_status = json_string_value(json_object_get(prev, "status"));
        snprintf(at, sizeof at, "%s",
                 prev_status && !strcmp(prev_status, status)
                     ? json_string_value(json_object_get(prev, "at"))
                     : now);
    }
    return json_pack("{s:s, s:s}", "status", status, "at", at);
}

static int
check_consents(json_t **v, const char *name, const json_t *old, struct problem *p)
{
    static const char *const channels[] = { "email", "phone", "sms", "post", NULL };
    const char *key;
    json_t *val, *out;
    size_t before = problem_field_count(p);
    char fname[64], now[UTIL_TIME_LEN + 1];

    if (!json_is_object(*v)) {
        problem_add_field(p, name, "must be an object keyed by channel (email, phone, sms, post)");
        return -1;
    }
    util_format_time(util_now(), now);
    out = json_object();
    json_object_foreach(*v, key, val)
    {
        const char *const *c;
        json_t *entry;

        snprintf(fname, sizeof fname, "%s.%.16s", name, key);
        for (c = channels; *c && strcmp(*c, key); c++)
            ;
        if (!*c) {
            problem_add_field(p, fname, "is not a channel (email, phone, sms, post)");
            continue;
        }
        entry = consent_entry(val, json_object_get(old, key), now, fname, p);
        if (entry)
            json_object_set_new(out, key, entry);
    }
    if (problem_field_count(p) > before) {
        json_decref(out);
        return -1;
    }
    json_decref(*v);
    *v = out;
    return 0;
}

static const char *const person_only[] = { "salutation", "title", "given_name", "family_name",
                                           "preferred_name", "birthday", NULL };
static const char *const company_only[] = { "company_name", "legal_form", "vat_id", NULL };

static void
forbid(json_t *doc, const char *const *names, const char *kind, struct problem *p)
{
    for (; *names; names++)
        if (json_object_get(doc, *names))
            problem_add_field(p, *names, "is not used for a %s", kind);
}

static int
check_customer(json_t *doc, const json_t *old, struct problem *p)
{
    const char *kind = json_string_value(json_object_get(doc, "kind"));
    const char *lang = json_string_value(json_object_get(doc, "language"));
    (void)old;

    if (strcmp(kind, "person") == 0) {
        forbid(doc, company_only, "person", p);
        if (!json_object_get(doc, "given_name") && !json_object_get(doc, "family_name"))
            problem_add_field(p, "family_name", "a person needs a family_name or a given_name");
    } else {
        forbid(doc, person_only, "company", p);
        if (!json_object_get(doc, "company_name"))
            problem_add_field(p, "company_name", "is required for a company");
    }
    if (lang && (strlen(lang) != 2 || lang[0] < 'a' || lang[0] > 'z' || lang[1] < 'a' || lang[1] > 'z'))
        problem_add_field(p, "language", "must be an ISO 639-1 code in lower case, e.g. de or en");
    if (jsonx_fail_fields(p, 0) != 0)
        return -1;
    if (!lang)
        json_object_set_new(doc, "language", json_string("de"));
    if (!json_object_get(doc, "do_not_contact"))
        json_object_set_new(doc, "do_not_contact", json_false());
    return 0;
}

static const struct field fields[] = {
    JSONX_SERVER_FIELDS,
    { "kind", FIELD_ENUM, FIELD_REQUIRED | FIELD_IMMUTABLE, 0, 0, kinds, NULL },
    { "salutation", FIELD_ENUM, 0, 0, 0, salutations, NULL },
    { "title", FIELD_TEXT, 0, 0, 32, NULL, NULL },
    { "given_name", FIELD_TEXT, 0, 0, 0, NULL, NULL },
    { "family_name", FIELD_TEXT, 0, 0, 0, NULL, NULL },
    { "preferred_name", FIELD_TEXT, 0, 0, 0, NULL, NULL },
    { "birthday", FIELD_DATE, FIELD_PAST, 1900, 0, NULL, NULL },
    { "language", FIELD_TEXT, 0, 0, 2, NULL, NULL },
    { "company_name", FIELD_TEXT, 0, 0, 0, NULL, NULL },
    { "legal_form", FIELD_TEXT, 0, 0, 64, NULL, NULL },
    { "vat_id", FIELD_TEXT, 0, 0, 32, NULL, NULL },
    { "emails", FIELD_JSON, 0, 0, 0, NULL, check_emails },
    { "phones", FIELD_JSON, 0, 0, 0, NULL, check_phones },
    { "address", FIELD_JSON, 0, 0, 0, NULL, model_check_address },
    { "preferences", FIELD_JSON, 0, 0, 0, NULL, check_preferences },
    { "consents", FIELD_JSON, 0, 0, 0, NULL, check_consents },
    { "do_not_contact", FIELD_BOOL, 0, 0, 0, NULL, NULL },
    { "external_refs", FIELD_JSON, 0, 0, 0, NULL, model_check_external_refs },
    { "notes", FIELD_NOTE, 0, 0, 0, NULL, NULL },
};

static const struct model_computed computed[] = {
    { "household",
      "(SELECT json_object('id', m.household_id, 'role', m.role) FROM household_members m"
      " WHERE m.customer_id = t.id)",
      "null" },
};

const struct model model_customer = {
    .name = "customer",
    .table = "customers",
    .path = "/v1/customers",
    .tag = 1,
    .fields = fields,
    .nfields = sizeof fields / sizeof fields[0],
    .computed = computed,
    .ncomputed = sizeof computed / sizeof computed[0],
    .check = check_customer,
};
