/*
 * msg_catalogue: every sentence crmd writes for staff, in English and in
 * German. An entry is a macro of two string literals, "English",
 * "German", handed to msg_format(lang, MSG_X, buf, size, ...) or
 * msg_text(lang, MSG_X). Both keep the same printf conversions in the
 * same order (tests/unit/test_msg.c checks every entry listed in
 * MSG_CATALOGUE below, and that every entry is listed); the compiler checks
 * the arguments of each call against the English text. Included by msg.h.
 *
 * German: dates DD.MM.YYYY and decimals with a comma come from msg_day,
 * msg_date, msg_decimal and msg_thousands, not from the entries. A count
 * that needs the singular has a _ONE entry beside it (MSG_PLURAL picks).
 */
#ifndef CRMD_MSG_CATALOGUE_H
#define CRMD_MSG_CATALOGUE_H

/* ---- words used inside sentences ---- */
#define MSG_AND " and ", " und "
#define MSG_NOT_AVAILABLE "n/a", "k. A."
#define MSG_NO_FOLLOW_UP "no follow-up recorded", "keine Wiedervorlage erfasst"
#define MSG_VEHICLE "vehicle", "Fahrzeug"
#define MSG_CONTACT "contact", "Kontakt" /* a touchpoint without a kind */
#define MSG_A_MEMBER "A household member", "Ein Haushaltsmitglied"
#define MSG_A_COMPANY "a company", "einem Unternehmen"
/* a vehicle as the subject ("The BMW 320d is ...") and after "of" ("Service of the BMW 320d") */
#define MSG_THE_SUBJECT "The %s", "Der %s"
#define MSG_THE_VEHICLE "the %s", "%s"
/* "Last service visit", "Letzter Werkstattbesuch": by the German noun's gender (msg_kind) */
#define MSG_LAST_M "Last %s", "Letzter %s"
#define MSG_LAST_F "Last %s", "Letzte %s"
#define MSG_LAST_N "Last %s", "Letztes %s"
/* "Petra's VW Golf": msg_possessive */
#define MSG_POSSESSIVE "%s's %s", "%ss %s"
#define MSG_POSSESSIVE_S "%s' %s", "%s' %s"
#define MSG_POSSESSIVE_UNKNOWN "A household member's %s", "Der %s eines Haushaltsmitglieds"

/* ---- the greeting card: recognized_by.how ---- */
#define MSG_HOW_VIN_TAIL "VIN ends with these characters", "FIN endet auf diese Zeichen"
#define MSG_HOW_PLATE                                                                              \
    "plate without spaces and hyphens, upper case",                                                \
        "Kennzeichen ohne Leerzeichen und Bindestriche, in Großbuchstaben"
#define MSG_HOW_PHONE "phone number in E.164", "Telefonnummer im Format E.164"
#define MSG_HOW_EMAIL "e-mail address, lower case", "E-Mail-Adresse in Kleinbuchstaben"
#define MSG_HOW_EXACT "exact", "exakt"
#define MSG_HOW_PLATE_AS_WRITTEN                                                                   \
    "plate as written: the one car whose plate has the separators in these places",                \
        "Kennzeichen wie geschrieben: das einzige Fahrzeug mit den Trennzeichen an diesen Stellen"
#define MSG_HOW_PLATE_HISTORY                                                                      \
    "earlier plate of the car, without spaces and hyphens, upper case",                            \
        "früheres Kennzeichen des Fahrzeugs, ohne Leerzeichen und Bindestriche, in Großbuchstaben"
/* recognized_by.note of a car found by an earlier plate: the plate, the date, the plate now */
#define MSG_PLATE_PAST_NOTE                                                                        \
    "plate %s belonged to this car until %s; it now has %s",                                       \
        "Kennzeichen %s gehörte bis %s zu diesem Fahrzeug; heute: %s"
#define MSG_PLATE_PAST_NOTE_NONE                                                                   \
    "plate %s belonged to this car until %s; it has no plate now",                                 \
        "Kennzeichen %s gehörte bis %s zu diesem Fahrzeug; heute ohne Kennzeichen"

/* ---- the greeting card: 404 and 300 ---- */
#define MSG_GREETING_NOT_FOUND                                                                     \
    "no customer matches %s '%.64s' (%s); create the customer with POST /v1/customers%s",          \
        "Kein Kunde mit %s '%.64s' (%s) gefunden; den Kunden mit POST /v1/customers anlegen%s"
#define MSG_GREETING_NOT_FOUND_CAR                                                                 \
    " and register the car with POST /v1/vehicles (owner_id, plate, vin)",                         \
        " und das Fahrzeug mit POST /v1/vehicles (owner_id, plate, vin) erfassen"
#define MSG_GREETING_NOT_FOUND_CONTACT                                                             \
    " and add this contact to them", " und diese Kontaktangabe beim Kunden ergänzen"
#define MSG_GREETING_CHOOSE                                                                        \
    "several customers match; pick one and ask again with its customer_id (and vehicle_id, the "   \
    "id of its vehicle, to keep the car)",                                                         \
        "Mehrere Kunden passen; einen auswählen und erneut mit seiner customer_id anfragen "       \
        "(und mit vehicle_id, der ID seines Fahrzeugs, um das Fahrzeug zu behalten)"
#define MSG_GREETING_NO_VEHICLE "no vehicle with id %s", "Kein Fahrzeug mit der ID %s"
#define MSG_GREETING_NOT_THEIR_CAR                                                                 \
    "vehicle %s is not a car of customer %s: neither they nor their household own or mainly "      \
    "drive it, and no company of their fleets owns it; ask with vehicle_id=%s alone for its "      \
    "driver's card",                                                                               \
        "Fahrzeug %s gehört nicht zum Kunden %s: weder der Kunde noch sein Haushalt besitzt "      \
        "oder fährt es, und keinem Unternehmen seiner Flotten gehört es; mit vehicle_id=%s "       \
        "allein anfragen, um die Karte seines Fahrers zu öffnen"

/* ---- the greeting card: alerts[].message ---- */
#define MSG_ALERT_DO_NOT_CONTACT                                                                   \
    "Do not contact this customer for marketing or sales.",                                        \
        "Diesen Kunden nicht zu Werbe- oder Verkaufszwecken kontaktieren."
#define MSG_ALERT_OPEN_COMPLAINT                                                                   \
    "Unresolved complaint from %s: %.200s", "Offene Reklamation vom %s: %.200s"
#define MSG_ALERT_POOR_EXPERIENCE                                                                  \
    "%s on %s was rated poorly (satisfaction %s, NPS %s).",                                        \
        "%s am %s schlecht bewertet (Zufriedenheit %s, NPS %s)."
#define MSG_ALERT_BIRTHDAY_TODAY                                                                   \
    "Birthday today: congratulate!", "Hat heute Geburtstag: gratulieren!"
#define MSG_ALERT_BIRTHDAY_WEEK "Birthday this week.", "Hat diese Woche Geburtstag."

/* ---- the greeting card: household and fleet lines ---- */
#define MSG_BOUGHT_HERE ", bought here %s", ", hier gekauft %s"
#define MSG_DUE_LEASE "lease ends %s", "Leasing endet am %s"
#define MSG_DUE_SERVICE "service due %s", "Inspektion fällig am %s"
#define MSG_DUE_REPLACEMENT                                                                        \
    "due for replacement (age or mileage)", "Austausch fällig (Alter oder Laufleistung)"

/* ---- purchase potential: opportunities[].reason ---- */
#define MSG_AGE_ONE "%s is %d year old", "%s ist %d Jahr alt"
#define MSG_AGE "%s is %d years old", "%s ist %d Jahre alt"
#define MSG_AGE_KM_ONE "%s is %d year old and has %s km", "%s ist %d Jahr alt und hat %s km"
#define MSG_AGE_KM "%s is %d years old and has %s km", "%s ist %d Jahre alt und hat %s km"
#define MSG_KM "%s has %s km", "%s hat %s km"
#define MSG_LEASE_ENDED_ONE                                                                        \
    "Lease of the %s ended on %s, %ld day ago", "Leasing des %s endete am %s, vor %ld Tag"
#define MSG_LEASE_ENDED                                                                            \
    "Lease of the %s ended on %s, %ld days ago", "Leasing des %s endete am %s, vor %ld Tagen"
#define MSG_LEASE_TODAY "Lease of the %s ends today, %s", "Leasing des %s endet heute, am %s"
#define MSG_LEASE_MONTHS_ONE                                                                       \
    "Lease of the %s ends on %s, in %d month", "Leasing des %s endet am %s, in %d Monat"
#define MSG_LEASE_MONTHS                                                                           \
    "Lease of the %s ends on %s, in %d months", "Leasing des %s endet am %s, in %d Monaten"
#define MSG_LEASE_DAYS_ONE                                                                         \
    "Lease of the %s ends on %s, in %ld day", "Leasing des %s endet am %s, in %ld Tag"
#define MSG_LEASE_DAYS                                                                             \
    "Lease of the %s ends on %s, in %ld days", "Leasing des %s endet am %s, in %ld Tagen"
#define MSG_SERVICE_OVERDUE_ONE                                                                    \
    "Service of %s is %ld day overdue", "Inspektion des %s seit %ld Tag überfällig"
#define MSG_SERVICE_OVERDUE                                                                        \
    "Service of %s is %ld days overdue", "Inspektion des %s seit %ld Tagen überfällig"
#define MSG_SERVICE_TODAY "Service of %s due today (%s)", "Inspektion des %s heute fällig (%s)"
#define MSG_SERVICE_DUE_ONE                                                                        \
    "Service of %s due in %ld day (%s)", "Inspektion des %s fällig in %ld Tag (%s)"
#define MSG_SERVICE_DUE                                                                            \
    "Service of %s due in %ld days (%s)", "Inspektion des %s fällig in %ld Tagen (%s)"
#define MSG_ELECTRIC_ONE                                                                           \
    "%s is %d year old and runs on %s%s", "%s ist %d Jahr alt und fährt mit %s%s"
#define MSG_ELECTRIC "%s is %d years old and runs on %s%s", "%s ist %d Jahre alt und fährt mit %s%s"
#define MSG_ELECTRIC_INTEREST                                                                      \
    "; interest in electric cars noted", "; Interesse an Elektroautos vermerkt"
#define MSG_TURNS "%s turns %d on %s: first car?", "%s wird %d (am %s): erstes Auto?"
#define MSG_NO_OWN_CAR "%s has no car of %s own", "%s hat kein Auto auf %s Namen"
#define MSG_FLEET_MANAGER "Fleet manager of", "Fuhrparkleiter bei"
#define MSG_DECISION_MAKER "Decision maker at", "Entscheider bei"
#define MSG_FLEET_ONE "%s %s (%ld vehicle)%s", "%s %s (%ld Fahrzeug)%s"
#define MSG_FLEET "%s %s (%ld vehicles)%s", "%s %s (%ld Fahrzeuge)%s"
#define MSG_FLEET_LEASES_MONTH_ONE                                                                 \
    ": %ld lease ends in the next month", ": %ld Leasingvertrag endet im nächsten Monat"
#define MSG_FLEET_LEASES_MONTH                                                                     \
    ": %ld leases end in the next month", ": %ld Leasingverträge enden im nächsten Monat"
#define MSG_FLEET_LEASES_ONE                                                                       \
    ": %ld lease ends in the next %d months",                                                      \
        ": %ld Leasingvertrag endet in den nächsten %d Monaten"
#define MSG_FLEET_LEASES                                                                           \
    ": %ld leases end in the next %d months",                                                      \
        ": %ld Leasingverträge enden in den nächsten %d Monaten"
#define MSG_FLEET_DUE_ONE                                                                          \
    "%s%ld car is due for replacement", "%s%ld Fahrzeug steht zum Austausch an"
#define MSG_FLEET_DUE                                                                              \
    "%s%ld cars are due for replacement", "%s%ld Fahrzeuge stehen zum Austausch an"
#define MSG_POOR_RATED "%s on %s was rated %s%s", "%s am %s mit %s%s bewertet"
#define MSG_OPEN_COMPLAINT "Open complaint: %s", "Offene Reklamation: %s"

/* ---- contact policy: reasons[].detail ---- */
#define MSG_CP_WITHDRAWN_ON                                                                        \
    "the customer withdrew consent to contact by %s on %.32s",                                     \
        "Der Kunde hat die Einwilligung zur Kontaktaufnahme per %s am %.32s widerrufen"
#define MSG_CP_WITHDRAWN                                                                           \
    "the customer withdrew consent to contact by %s",                                              \
        "Der Kunde hat die Einwilligung zur Kontaktaufnahme per %s widerrufen"
#define MSG_CP_NO_CONSENT                                                                          \
    "no consent to contact by %s is recorded",                                                     \
        "Keine Einwilligung zur Kontaktaufnahme per %s erfasst"
#define MSG_CP_DO_NOT_CONTACT                                                                      \
    "the customer asked not to be contacted at all",                                               \
        "Der Kunde möchte überhaupt nicht kontaktiert werden"
#define MSG_CP_NO_CONTACT_ALLOWED                                                                  \
    "no outbound contact is allowed (contact_max is 0)",                                           \
        "Keine ausgehenden Kontakte erlaubt (contact_max ist 0)"
#define MSG_CP_TOO_MANY_ONE                                                                        \
    "%zu outbound contact in the last %d days reaches the limit of %d",                            \
        "%zu ausgehender Kontakt in den letzten %d Tagen erreicht die Grenze von %d"
#define MSG_CP_TOO_MANY                                                                            \
    "%zu outbound contacts in the last %d days reach the limit of %d",                             \
        "%zu ausgehende Kontakte in den letzten %d Tagen erreichen die Grenze von %d"
#define MSG_CP_LET_GO_ONE                                                                          \
    "the last %d outbound attempt went unanswered; wait until the customer gets in touch",         \
        "%d ausgehender Versuch blieb zuletzt unbeantwortet; warten, bis sich der Kunde meldet"
#define MSG_CP_LET_GO                                                                              \
    "the last %d outbound attempts went unanswered; wait until the customer gets in touch",        \
        "Die letzten %d ausgehenden Versuche blieben unbeantwortet; warten, bis sich der Kunde "   \
        "meldet"
#define MSG_CP_DECLINED_ONE                                                                        \
    "the customer declined the last %d %s contact; let go until the customer gets in touch",       \
        "Der Kunde hat %d Anfrage (%s) zuletzt abgelehnt; warten, bis sich der Kunde meldet"
#define MSG_CP_DECLINED                                                                            \
    "the customer declined the last %d %s contacts; let go until the customer gets in touch",      \
        "Der Kunde hat die letzten %d Anfragen (%s) abgelehnt; warten, bis sich der Kunde meldet"
#define MSG_CP_QUIET                                                                               \
    "no sales contact %s; service, information and recovery contact are allowed",                  \
        "Kein Verkaufskontakt %s; Kontakte zu Service, Information und Wiedergutmachung sind "     \
        "erlaubt"
#define MSG_CP_QUIET_POOR                                                                          \
    "for %d days after a poor experience (until %s)",                                              \
        "für %d Tage nach einer schlechten Erfahrung (bis %s)"
#define MSG_CP_QUIET_COMPLAINT_ONE                                                                 \
    "while %lld complaint is open", "solange %lld Reklamation offen ist"
#define MSG_CP_QUIET_COMPLAINTS                                                                    \
    "while %lld complaints are open", "solange %lld Reklamationen offen sind"

/* ---- an outbound touchpoint the contact policy refuses: the 409's detail ---- */
#define MSG_CP_REFUSED                                                                             \
    "this outbound %s contact (%s) breaks the contact policy: %s; see contact_policy, or send "    \
    "override_reason to record it anyway",                                                         \
        "Dieser ausgehende %s (%s) verstößt gegen die Kontaktregeln: %s; siehe contact_policy, "   \
        "oder mit override_reason trotzdem erfassen"

/* Every entry above, for tests/unit/test_msg.c. */
#define MSG_CATALOGUE(X)                                                                           \
    X(MSG_AND)                                                                                     \
    X(MSG_NOT_AVAILABLE)                                                                           \
    X(MSG_NO_FOLLOW_UP)                                                                            \
    X(MSG_VEHICLE)                                                                                 \
    X(MSG_CONTACT)                                                                                 \
    X(MSG_A_MEMBER)                                                                                \
    X(MSG_A_COMPANY)                                                                               \
    X(MSG_THE_SUBJECT)                                                                             \
    X(MSG_THE_VEHICLE)                                                                             \
    X(MSG_LAST_M)                                                                                  \
    X(MSG_LAST_F)                                                                                  \
    X(MSG_LAST_N)                                                                                  \
    X(MSG_POSSESSIVE)                                                                              \
    X(MSG_POSSESSIVE_S)                                                                            \
    X(MSG_POSSESSIVE_UNKNOWN)                                                                      \
    X(MSG_HOW_VIN_TAIL)                                                                            \
    X(MSG_HOW_PLATE)                                                                               \
    X(MSG_HOW_PHONE)                                                                               \
    X(MSG_HOW_EMAIL)                                                                               \
    X(MSG_HOW_EXACT)                                                                               \
    X(MSG_HOW_PLATE_AS_WRITTEN)                                                                    \
    X(MSG_HOW_PLATE_HISTORY)                                                                       \
    X(MSG_PLATE_PAST_NOTE)                                                                         \
    X(MSG_PLATE_PAST_NOTE_NONE)                                                                    \
    X(MSG_GREETING_NOT_FOUND)                                                                      \
    X(MSG_GREETING_NOT_FOUND_CAR)                                                                  \
    X(MSG_GREETING_NOT_FOUND_CONTACT)                                                              \
    X(MSG_GREETING_CHOOSE)                                                                         \
    X(MSG_GREETING_NO_VEHICLE)                                                                     \
    X(MSG_GREETING_NOT_THEIR_CAR)                                                                  \
    X(MSG_ALERT_DO_NOT_CONTACT)                                                                    \
    X(MSG_ALERT_OPEN_COMPLAINT)                                                                    \
    X(MSG_ALERT_POOR_EXPERIENCE)                                                                   \
    X(MSG_ALERT_BIRTHDAY_TODAY)                                                                    \
    X(MSG_ALERT_BIRTHDAY_WEEK)                                                                     \
    X(MSG_BOUGHT_HERE)                                                                             \
    X(MSG_DUE_LEASE)                                                                               \
    X(MSG_DUE_SERVICE)                                                                             \
    X(MSG_DUE_REPLACEMENT)                                                                         \
    X(MSG_AGE_ONE)                                                                                 \
    X(MSG_AGE)                                                                                     \
    X(MSG_AGE_KM_ONE)                                                                              \
    X(MSG_AGE_KM)                                                                                  \
    X(MSG_KM)                                                                                      \
    X(MSG_LEASE_ENDED_ONE)                                                                         \
    X(MSG_LEASE_ENDED)                                                                             \
    X(MSG_LEASE_TODAY)                                                                             \
    X(MSG_LEASE_MONTHS_ONE)                                                                        \
    X(MSG_LEASE_MONTHS)                                                                            \
    X(MSG_LEASE_DAYS_ONE)                                                                          \
    X(MSG_LEASE_DAYS)                                                                              \
    X(MSG_SERVICE_OVERDUE_ONE)                                                                     \
    X(MSG_SERVICE_OVERDUE)                                                                         \
    X(MSG_SERVICE_TODAY)                                                                           \
    X(MSG_SERVICE_DUE_ONE)                                                                         \
    X(MSG_SERVICE_DUE)                                                                             \
    X(MSG_ELECTRIC_ONE)                                                                            \
    X(MSG_ELECTRIC)                                                                                \
    X(MSG_ELECTRIC_INTEREST)                                                                       \
    X(MSG_TURNS)                                                                                   \
    X(MSG_NO_OWN_CAR)                                                                              \
    X(MSG_FLEET_MANAGER)                                                                           \
    X(MSG_DECISION_MAKER)                                                                          \
    X(MSG_FLEET_ONE)                                                                               \
    X(MSG_FLEET)                                                                                   \
    X(MSG_FLEET_LEASES_MONTH_ONE)                                                                  \
    X(MSG_FLEET_LEASES_MONTH)                                                                      \
    X(MSG_FLEET_LEASES_ONE)                                                                        \
    X(MSG_FLEET_LEASES)                                                                            \
    X(MSG_FLEET_DUE_ONE)                                                                           \
    X(MSG_FLEET_DUE)                                                                               \
    X(MSG_POOR_RATED)                                                                              \
    X(MSG_OPEN_COMPLAINT)                                                                          \
    X(MSG_CP_WITHDRAWN_ON)                                                                         \
    X(MSG_CP_WITHDRAWN)                                                                            \
    X(MSG_CP_NO_CONSENT)                                                                           \
    X(MSG_CP_DO_NOT_CONTACT)                                                                       \
    X(MSG_CP_NO_CONTACT_ALLOWED)                                                                   \
    X(MSG_CP_TOO_MANY_ONE)                                                                         \
    X(MSG_CP_TOO_MANY)                                                                             \
    X(MSG_CP_LET_GO_ONE)                                                                           \
    X(MSG_CP_LET_GO)                                                                               \
    X(MSG_CP_DECLINED_ONE)                                                                         \
    X(MSG_CP_DECLINED)                                                                             \
    X(MSG_CP_QUIET)                                                                                \
    X(MSG_CP_QUIET_POOR)                                                                           \
    X(MSG_CP_QUIET_COMPLAINT_ONE)                                                                  \
    X(MSG_CP_QUIET_COMPLAINTS)                                                                     \
    X(MSG_CP_REFUSED)

#endif
