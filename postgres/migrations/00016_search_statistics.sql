-- The planner picks between the GIN index (rare terms) and a newest-first
-- walk of the primary key (common terms) from the lexeme statistics of
-- tsv. At the default target (100, so the 1,000 commonest lexemes) a word
-- outside the list is estimated at thousands of matches, and a word of 48
-- took the walk: 2.5 s at 1M articles instead of 4 ms. With 10,000
-- lexemes listed, rare words are estimated as rare.
-- +goose Up
ALTER TABLE search_docs ALTER COLUMN tsv SET STATISTICS 1000;
ANALYZE search_docs;

-- +goose Down
ALTER TABLE search_docs ALTER COLUMN tsv SET STATISTICS -1;
