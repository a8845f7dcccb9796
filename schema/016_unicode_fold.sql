-- 016_unicode_fold: the search keys fold more than Latin-1 (server/search_norm.c):
-- decomposed letters (NFD, "u" + U+0308) like composed ones, Latin Extended-B
-- and Additional (Ș, ễ), Greek (accents, case, final sigma) and Cyrillic (case,
-- ё as е). Keys stored by an older crmd are rebuilt when crmd starts:
-- - search_fts: emptied here; store_search_backfill refills it after the
--   migrations whenever it is empty while customers exist;
-- - customer_match_keys (the duplicates' folded names and addresses): every
--   customer is indexed again (duplicates_state back to 0), its keys replaced
--   and the candidate pairs recomputed (server/store_duplicates.c).
-- Stored documents keep their text as it was sent: texts are NFC from this
-- release on (server/unicode.c), and the keys fold both forms alike.
DELETE FROM search_fts;
UPDATE duplicates_state SET indexed_seq = 0;
