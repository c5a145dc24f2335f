-- Policy Q&A (政策咨询问答库): the curated answer base and editor-made interpretation links.
-- Sources point at documents by reference (documents.id or 文号 as the editor gave it) and
-- anchor, resolved when read, so that re-ingesting an issue never orphans an answer.

CREATE TABLE qa_entries (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE,           -- stable id of the entry (slug or given)
    answer     TEXT NOT NULL,
    note       TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE qa_phrasings (
    entry_id INTEGER NOT NULL REFERENCES qa_entries(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    question TEXT NOT NULL,
    PRIMARY KEY (entry_id, position)
);

CREATE TABLE qa_sources (
    entry_id INTEGER NOT NULL REFERENCES qa_entries(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    doc_ref  TEXT NOT NULL,                    -- documents.id, 文号 or title
    anchor   TEXT,                             -- clause anchor (art-12, s-2.3); NULL: whole document
    PRIMARY KEY (entry_id, position)
);

-- An interpretation (政策解读) linked to the document it interprets by an editor; links
-- found from titles (关于《…》的政策解读) are computed when read and not stored.
CREATE TABLE qa_interpretations (
    interpretation_ref TEXT NOT NULL,
    target_ref         TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    PRIMARY KEY (interpretation_ref, target_ref)
);
