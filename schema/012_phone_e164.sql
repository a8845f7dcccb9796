-- 012_phone_e164: phone numbers are read by libphonenumber (server/phone.cc)
-- from now on. Its work needs C, so this file has no statement: after it,
-- in the same transaction, db.c runs the C step of version 12
-- (store_phones_renormalize in server/store_phones.c), which re-reads every
-- customers.phones[].number with the configured --phone-region, rewrites
-- phones[].e164 and the customer's 'phone' rows of customer_keys, and
-- makes the duplicates index visit those customers again at this start.
SELECT 1;
