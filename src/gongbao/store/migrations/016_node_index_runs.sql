-- Issue 13: the body indexed once.  An outline node's text is a run of its document's index
-- tokens (the tokens FTS5 makes of documents.tok_text): `fts_first` is the first one's
-- ordinal, `fts_count` how many (NULL/0 for a node that is no span of the body, or has no
-- token), `fts_size` its heading's and text's tokens together (its length for BM25).  Clauses
-- are found and ranked from the documents' index through them (store/nodefts.py), and the
-- second index of the body (node_fts) is gone.  A database made before is filled when first
-- opened for writing (store.fts.ensure_index cuts the texts again: the layout changed).
ALTER TABLE outline_nodes ADD COLUMN fts_first INTEGER;
ALTER TABLE outline_nodes ADD COLUMN fts_count INTEGER;
ALTER TABLE outline_nodes ADD COLUMN fts_size INTEGER;
