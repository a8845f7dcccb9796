/*
 * phone.cc: the only C++ in crmd, a thin extern "C" layer over
 * libphonenumber's PhoneNumberUtil (see phone.h). No exception leaves it;
 * callers see 0/-1 and a static reason. Everything else stays C11.
 */
#include "phone.h"

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <cstdint>
#include <cstring>
#include <set>
#include <string>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

/* Written before the threads start (phone_init), read only after. */
char default_region[3] = PHONE_REGION_DEFAULT;

int
fail(char *out, size_t outsz, const char **reason, const char *why)
{
    if (out && outsz)
        out[0] = '\0';
    if (reason)
        *reason = why;
    return -1;
}

const char *
parse_error(PhoneNumberUtil::ErrorType e)
{
    switch (e) {
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
        return "unknown country code";
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case PhoneNumberUtil::TOO_SHORT_NSN:
        return "too short";
    case PhoneNumberUtil::TOO_LONG_NSN:
        return "too long";
    default:
        return "not a number";
    }
}

const char *
possible_error(PhoneNumberUtil::ValidationResult r)
{
    switch (r) {
    case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:
        return "no area code";
    case PhoneNumberUtil::INVALID_COUNTRY_CODE:
        return "unknown country code";
    case PhoneNumberUtil::TOO_SHORT:
        return "too short";
    case PhoneNumberUtil::TOO_LONG:
        return "too long";
    case PhoneNumberUtil::INVALID_LENGTH:
        return "wrong length";
    default:
        return "not an assigned number range";
    }
}

/*
 * Why a possible but invalid number is not valid: German numbers have
 * lengths from 5 to 15 digits, so a mobile number missing digits is
 * "possible" yet in no range. If appending digits makes it valid it is
 * too short; if dropping some does, too long.
 */
const char *
invalid_reason(const PhoneNumberUtil *util, const PhoneNumber &n)
{
    PhoneNumber t = n;
    uint64_t nsn = n.national_number();
    uint64_t v = nsn;

    t.clear_extension();
    for (int i = 0; i < 6 && v < 100000000000000ULL; i++) {
        v *= 10;
        t.set_national_number(v);
        if (util->IsValidNumber(t))
            return "too short";
    }
    for (v = nsn / 10; v > 0; v /= 10) {
        t.set_national_number(v);
        if (util->IsValidNumber(t))
            return "too long";
    }
    return "not an assigned number range";
}

/* A national number typed without the trunk prefix ("3209 4410" in DE): the area code is missing. */
bool
lacks_trunk(const PhoneNumberUtil *util, const char *text, const char *region)
{
    std::string ndd;

    util->GetNddPrefixForRegion(region, true, &ndd);
    while (*text && !(*text >= '0' && *text <= '9') && *text != '+')
        text++;
    return !ndd.empty() && *text != '+' && std::strncmp(text, ndd.c_str(), ndd.size()) != 0;
}

/* Letters are allowed only as the marker of an extension libphonenumber found. */
bool
has_letters(const char *s)
{
    for (; *s; s++)
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
            return true;
    return false;
}

int
parse(const char *text, const char *region, char *out, size_t outsz, const char **reason)
{
    const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
    PhoneNumber n;
    std::string e164;

    if (!text || !phone_region_known(region))
        return fail(out, outsz, reason, text ? "unknown region" : "not a number");
    PhoneNumberUtil::ErrorType e = util->Parse(text, region, &n);
    if (e != PhoneNumberUtil::NO_PARSING_ERROR)
        return fail(out, outsz, reason, parse_error(e));
    if (has_letters(text) && !n.has_extension())
        return fail(out, outsz, reason, "has letters");
    PhoneNumberUtil::ValidationResult r = util->IsPossibleNumberWithReason(n);
    if (r != PhoneNumberUtil::IS_POSSIBLE)
        return fail(out, outsz, reason, possible_error(r));
    if (!util->IsValidNumber(n))
        return fail(out, outsz, reason,
                    lacks_trunk(util, text, region) ? "no area code" : invalid_reason(util, n));
    util->Format(n, PhoneNumberUtil::E164, &e164);
    if (e164.size() + 1 > outsz)
        return fail(out, outsz, reason, "too long");
    std::memcpy(out, e164.c_str(), e164.size() + 1);
    return 0;
}

} // namespace

extern "C" int
phone_region_known(const char *region)
{
    try {
        if (!region || std::strlen(region) != 2 || region[0] < 'A' || region[0] > 'Z' ||
            region[1] < 'A' || region[1] > 'Z')
            return 0;
        static const std::set<std::string> regions = [] {
            std::set<std::string> s;
            PhoneNumberUtil::GetInstance()->GetSupportedRegions(&s);
            return s;
        }();
        return regions.count(region) ? 1 : 0;
    } catch (...) {
        return 0;
    }
}

extern "C" int
phone_init(const char *region)
{
    if (!phone_region_known(region))
        return -1;
    std::memcpy(default_region, region, 3);
    return 0;
}

extern "C" const char *
phone_region(void)
{
    return default_region;
}

extern "C" int
phone_parse(const char *text, const char *region, char *out, size_t outsz, const char **reason)
{
    try {
        return parse(text, region, out, outsz, reason);
    } catch (...) {
        return fail(out, outsz, reason, "not a number");
    }
}

extern "C" int
phone_parse_default(const char *text, char *out, size_t outsz, const char **reason)
{
    return phone_parse(text, default_region, out, outsz, reason);
}

extern "C" int
phone_is_valid(const char *text, const char *region)
{
    char out[PHONE_E164_MAX];

    return phone_parse(text, region, out, sizeof out, nullptr) == 0;
}
