/*
 * salutation: the line staff say at the desk ("Guten Morgen, Herr Dr.
 * Wessling", "Good evening, Ms Kaya", "Guten Tag, Alex Kaya") in the
 * customer's language and form of address, by local time of day. Pure.
 */
#ifndef CRMD_SALUTATION_H
#define CRMD_SALUTATION_H

#include <jansson.h>
#include <stddef.h>

/*
 * Write the greeting for customer (model_customer representation) at
 * local hour (0-23) into out (truncated to outsz), returning out.
 * - Language: "en" greets in English, every other language in German.
 * - Time of day: German "Guten Morgen" 5-10, "Guten Tag" 11-17, "Guten
 *   Abend" 18-4; English "Good morning" 5-11, "Good afternoon" 12-17,
 *   "Good evening" 18-4.
 * - Address: preferred_name, when set, is used alone ("Guten Tag, Harry").
 *   Otherwise Herr/Frau with the family name and any academic title:
 *   German "Herr Dr. Wessling", English "Mr Wessling", "Ms Kaya", and
 *   with a title the title instead of Mr/Ms ("Dr. Wessling"). Salutation
 *   "divers", "none" or absent, or no family name: neutral, given and
 *   family name ("Guten Tag, Alex Kaya"); nothing known: the greeting
 *   alone ("Guten Tag"). A company: its company_name.
 */
const char *salutation_greeting(const json_t *customer, int hour, char *out, size_t outsz);

/* The words of the greeting for a language and hour ("Guten Tag", "Good evening"). */
const char *salutation_daypart(const char *language, int hour);

#endif
