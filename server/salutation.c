/*
 * salutation: forms of address for German and English at the desk.
 * The rules are in salutation.h; this file only applies them.
 */
#include "salutation.h"

#include <stdio.h>
#include <string.h>

static const char *
str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s && *s ? s : NULL;
}

static int
is_english(const char *language)
{
    return language && strcmp(language, "en") == 0;
}

const char *
salutation_daypart(const char *language, int hour)
{
    if (is_english(language)) {
        if (hour >= 5 && hour < 12)
            return "Good morning";
        return hour >= 12 && hour < 18 ? "Good afternoon" : "Good evening";
    }
    if (hour >= 5 && hour < 11)
        return "Guten Morgen";
    return hour >= 11 && hour < 18 ? "Guten Tag" : "Guten Abend";
}

/* "Herr Dr. Wessling" / "Mr Wessling" / "Dr. Wessling"; NULL without Herr/Frau and family name. */
static void
formal(const json_t *c, int english, char *out, size_t outsz)
{
    const char *sal = str(c, "salutation"), *title = str(c, "title"), *family = str(c, "family_name");
    const char *word;

    out[0] = '\0';
    if (!sal || !family || (strcmp(sal, "Herr") && strcmp(sal, "Frau")))
        return;
    if (english)
        word = title ? NULL : (strcmp(sal, "Herr") == 0 ? "Mr" : "Ms");
    else
        word = sal;
    snprintf(out, outsz, "%s%s%s%s%s", word ? word : "", word ? " " : "", title ? title : "",
             title ? " " : "", family);
}

static void
neutral(const json_t *c, char *out, size_t outsz)
{
    const char *given = str(c, "given_name"), *family = str(c, "family_name");

    snprintf(out, outsz, "%s%s%s", given ? given : "", given && family ? " " : "",
             family ? family : "");
}

const char *
salutation_greeting(const json_t *customer, int hour, char *out, size_t outsz)
{
    const char *language = str(customer, "language"), *kind = str(customer, "kind");
    const char *words = salutation_daypart(language, hour), *preferred = str(customer, "preferred_name");
    char name[512];

    if (kind && strcmp(kind, "company") == 0)
        snprintf(name, sizeof name, "%s", str(customer, "company_name") ? str(customer, "company_name") : "");
    else if (preferred)
        snprintf(name, sizeof name, "%s", preferred);
    else {
        formal(customer, is_english(language), name, sizeof name);
        if (!name[0])
            neutral(customer, name, sizeof name);
    }
    snprintf(out, outsz, "%s%s%s", words, name[0] ? ", " : "", name);
    return out;
}
