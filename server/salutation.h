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
 * local hour (0-23) into out. Rules: German ("de") and English ("en";
 * any other language falls back to German... see salutation.c) forms;
 * times of day: morning before 11, day until 18 (German "Guten Tag",
 * English "Good afternoon" from 12, "Good morning" before 12), evening
 * from 18; salutation Herr/Frau with title and family name ("Herr Dr.
 * Wessling", "Mr Dr. Wessling" → English uses "Dr Wessling" without Mr
 * when a title is present); preferred_name, when set, replaces the
 * formal form entirely ("Guten Tag, Harry"); "divers", "none" or no
 * salutation → neutral "given_name family_name"; a company → its
 * company_name. Returns the number of bytes written (truncated to fit).
 */
size_t salutation_greeting(const json_t *customer, int hour, char *out, size_t outsz);

#endif
