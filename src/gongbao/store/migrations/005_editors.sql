-- Editors' work, kept apart from what the parser produced and never removed by an ingest:
-- corrections of extracted fields, decisions on review items, progress reports on tasks.
-- Documents are named by their stable id (documents.id) and tasks by (document id,
-- position), so that every later ingest of the issue finds them again.

CREATE TABLE corrections (
    id           INTEGER PRIMARY KEY,
    doc_id       TEXT NOT NULL,                -- documents.id
    issue_key    TEXT,                         -- issues.key of the document's issue when corrected
    field        TEXT NOT NULL,                -- title, doc_number, …, relation, task.N.deadline
    slot         TEXT NOT NULL,                -- what a newer correction replaces (field; relation + target)
    value        TEXT NOT NULL,                -- JSON of the corrected value
    parser_value TEXT,                         -- JSON of the parser's value when last applied
    source_hash  TEXT,                         -- sha256 of the document's text when corrected
    reason       TEXT NOT NULL,
    editor       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'redundant', 'review', 'superseded')),
    state_at     TEXT,
    state_note   TEXT
);
CREATE INDEX corrections_doc ON corrections(doc_id, slot);
CREATE INDEX corrections_issue ON corrections(issue_key);

CREATE TABLE review_decisions (
    id         INTEGER PRIMARY KEY,
    issue_key  TEXT NOT NULL,
    item_key   TEXT NOT NULL,                  -- stable key of the review item within its issue
    decision   TEXT NOT NULL CHECK (decision IN ('accepted', 'corrected', 'dismissed')),
    reason     TEXT,
    editor     TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE INDEX review_decisions_item ON review_decisions(issue_key, item_key, id);

CREATE TABLE task_progress (
    id            INTEGER PRIMARY KEY,
    doc_id        TEXT NOT NULL,
    task_position INTEGER NOT NULL,            -- tasks.position (0-based) in the document
    task_text     TEXT NOT NULL,               -- the task as it read when reported
    unit          TEXT NOT NULL,               -- the unit reporting
    state         TEXT NOT NULL CHECK (state IN ('done', 'in_progress', 'postponed')),
    done_on       TEXT,                        -- 已办结: the day it was done
    new_deadline  TEXT,                        -- 延期: the new deadline (ISO)
    note          TEXT NOT NULL,
    recorded_by   TEXT NOT NULL,
    recorded_at   TEXT NOT NULL
);
CREATE INDEX task_progress_task ON task_progress(doc_id, task_position, id);
