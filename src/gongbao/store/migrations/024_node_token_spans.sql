-- An outline node's tok_start/tok_end point into its document's body token string, which only
-- PostgreSQL stores (tok_text): on SQLite, where the body's tokens live in doc_fts alone, they
-- pointed at nothing (0.9 MB on lawref + samples).  NULL them there; the writer no longer
-- writes them (store.fts.node_values).  A database with the token strings keeps them.
UPDATE outline_nodes SET tok_start = NULL, tok_end = NULL
WHERE tok_start IS NOT NULL AND doc_pk IN (SELECT pk FROM documents WHERE tok_text IS NULL);
