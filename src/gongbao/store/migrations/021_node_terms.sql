-- How many outline nodes hold each index token (store/nodeterms.py): kept by gongbao's writer,
-- so that no question pays a common word's count.  Trusted while meta holds 'node_terms'; a
-- change to the outline nodes made any other way takes the mark away, and the next open for
-- writing counts them all again (a database of an older gongbao too: it has no mark yet).
-- IF NOT EXISTS: a database whose version was put back runs it again.
CREATE TABLE IF NOT EXISTS node_terms (term TEXT PRIMARY KEY, nodes INTEGER NOT NULL) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS node_terms_ai AFTER INSERT ON outline_nodes
BEGIN DELETE FROM meta WHERE key = 'node_terms'; END;
CREATE TRIGGER IF NOT EXISTS node_terms_ad AFTER DELETE ON outline_nodes
BEGIN DELETE FROM meta WHERE key = 'node_terms'; END;
CREATE TRIGGER IF NOT EXISTS node_terms_au AFTER UPDATE OF doc_pk, tok_heading, tokens, fts_first, fts_count
ON outline_nodes BEGIN DELETE FROM meta WHERE key = 'node_terms'; END;
CREATE TRIGGER IF NOT EXISTS node_terms_du AFTER UPDATE OF present ON documents
BEGIN DELETE FROM meta WHERE key = 'node_terms'; END;
