-- An issue's source text kept once and compressed: raw_zlib holds the text as decoded (UTF-8,
-- zlib), raw_text is '' for the rows that have it (a row of an older gongbao keeps raw_text
-- until migration 013 packs it).  The source is what provenance, line numbers and an editor's
-- re-parse read (store.read.source_text); the documents keep their own texts in the clear.
ALTER TABLE issues ADD COLUMN raw_zlib BLOB;
ALTER TABLE issue_revisions ADD COLUMN raw_zlib BLOB;
