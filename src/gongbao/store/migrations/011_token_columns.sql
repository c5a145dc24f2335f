-- Issues 12/13: each text stored once and cut into index tokens once.  Documents own the body
-- text and keep its index tokens (rjieba words joined by spaces, cut in the parsing process);
-- an outline node is a span of its document's text and of its tokens (text_start/text_end,
-- tok_start/tok_end: 0-based character offsets, end excluded), its own `text` and `tokens`
-- stored only when it is no single span (a list item between its own lines).  The full-text
-- tables and their triggers read these columns in plain SQL (store/fts.py), so any SQLite
-- client can read and write the database.  The token columns of a database made before this
-- migration are filled when it is first opened for writing (store.fts.ensure_index).
ALTER TABLE documents ADD COLUMN tok_title TEXT;
ALTER TABLE documents ADD COLUMN tok_number TEXT;
ALTER TABLE documents ADD COLUMN tok_issuers TEXT;
ALTER TABLE documents ADD COLUMN tok_text TEXT;
ALTER TABLE outline_nodes ADD COLUMN text_start INTEGER;
ALTER TABLE outline_nodes ADD COLUMN text_end INTEGER;
ALTER TABLE outline_nodes ADD COLUMN tok_heading TEXT;
ALTER TABLE outline_nodes ADD COLUMN tok_start INTEGER;
ALTER TABLE outline_nodes ADD COLUMN tok_end INTEGER;
ALTER TABLE outline_nodes ADD COLUMN tokens TEXT;
