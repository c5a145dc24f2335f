-- Each common word's best documents, so that a query matching very many documents is ranked
-- among a bounded candidate set (store.pgsearch): derived from doc_search, refreshed after a
-- first load and kept by each issue written.
CREATE TABLE IF NOT EXISTS term_common (term TEXT PRIMARY KEY, df BIGINT NOT NULL, floor REAL NOT NULL);
CREATE TABLE IF NOT EXISTS term_best (
    term TEXT NOT NULL,
    pk BIGINT NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,
    rank REAL NOT NULL,
    PRIMARY KEY (term, pk)
);
CREATE INDEX IF NOT EXISTS term_best_pk ON term_best (pk);
