-- Curated answers stay true: each source keeps the text of its clause as it was when the
-- answer was written, so that an answer whose clause has since changed or disappeared
-- (re-parsed, amended) is flagged for review.  NULL for answers saved before this migration.
ALTER TABLE qa_sources ADD COLUMN clause_text TEXT;
