-- gongbao schema, version 1.
-- Conventions: every extracted row keeps its source line span (line_first, line_last: 1-based,
-- inclusive, lines of the issue's source file); lists and small structures are JSON text;
-- dates are ISO text.  documents.pk is the internal integer key (FTS rowid, child rows);
-- documents.id is the stable public id (see docs/store.md) that links and URLs use.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE series (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    sponsor TEXT,
    editor  TEXT
);

CREATE TABLE issues (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,          -- series|year|issue, or file:<name> for single texts
    series_id   INTEGER REFERENCES series(id),
    year        INTEGER,
    issue       INTEGER,
    total_issue INTEGER,
    published   TEXT,
    source_path TEXT,
    sha256      TEXT NOT NULL,
    encoding    TEXT,
    size        INTEGER,
    line_count  INTEGER,
    revision    INTEGER NOT NULL DEFAULT 1,
    ingested_at TEXT NOT NULL,
    raw_text    TEXT NOT NULL,                 -- the source as decoded, for provenance
    warnings    TEXT NOT NULL DEFAULT '[]',
    unassigned  TEXT NOT NULL DEFAULT '[]'     -- line spans no document or article claimed
);
CREATE INDEX issues_sha ON issues(sha256);
CREATE INDEX issues_series ON issues(series_id, year, issue);

-- Older revisions of an issue that was re-ingested from a changed file.
CREATE TABLE issue_revisions (
    id          INTEGER PRIMARY KEY,
    issue_id    INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    revision    INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    source_path TEXT,
    ingested_at TEXT NOT NULL,
    replaced_at TEXT NOT NULL,
    raw_text    TEXT NOT NULL,
    snapshot    TEXT NOT NULL,                 -- JSON of the issue as it was stored
    UNIQUE (issue_id, revision)
);

CREATE TABLE documents (
    pk            INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    issue_id      INTEGER REFERENCES issues(id) ON DELETE CASCADE,  -- NULL when present = 0
    position      INTEGER,                     -- order within the issue
    key           TEXT NOT NULL,               -- normalised 文号, else the title
    doc_number    TEXT,                        -- normalised 文号 (str(DocNumber))
    dn_prefix     TEXT,
    dn_year       INTEGER,
    dn_serial     TEXT,
    title         TEXT NOT NULL,
    type          TEXT,
    issuers       TEXT NOT NULL DEFAULT '[]',
    date          TEXT,
    year          INTEGER,                     -- of date, else of the issue
    addressee     TEXT,
    signatures    TEXT NOT NULL DEFAULT '[]',
    cc            TEXT,
    printed_by    TEXT,
    printed_date  TEXT,
    public        INTEGER,
    section       TEXT,
    line_first    INTEGER,
    line_last     INTEGER,
    continuations TEXT NOT NULL DEFAULT '[]',
    text          TEXT NOT NULL DEFAULT '',
    body_spans    TEXT NOT NULL DEFAULT '[]',  -- [[first, last], …] per line of text
    warnings      TEXT NOT NULL DEFAULT '[]',
    present       INTEGER NOT NULL DEFAULT 1,  -- 0: known only from citations
    created_at    TEXT NOT NULL
);
CREATE INDEX documents_issue ON documents(issue_id, position);
CREATE INDEX documents_number ON documents(doc_number);
CREATE INDEX documents_title ON documents(title);
CREATE INDEX documents_date ON documents(date);
CREATE INDEX documents_type ON documents(type);
CREATE INDEX documents_year ON documents(year);

CREATE TABLE document_issuers (
    doc_pk   INTEGER NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,
    issuer   TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (doc_pk, issuer)
);
CREATE INDEX document_issuers_issuer ON document_issuers(issuer);

CREATE TABLE outline_nodes (
    id         INTEGER PRIMARY KEY,
    doc_pk     INTEGER NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,
    parent_id  INTEGER REFERENCES outline_nodes(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,               -- pre-order index within the document
    depth      INTEGER NOT NULL,
    anchor     TEXT NOT NULL,
    level      TEXT NOT NULL,
    number     TEXT NOT NULL,
    ordinal    INTEGER,
    heading    TEXT NOT NULL DEFAULT '',
    text       TEXT NOT NULL DEFAULT '',
    line_first INTEGER,
    line_last  INTEGER,
    warnings   TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX outline_nodes_doc ON outline_nodes(doc_pk, position);

CREATE TABLE doc_tables (
    id         INTEGER PRIMARY KEY,
    doc_pk     INTEGER NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    title      TEXT,
    header     TEXT NOT NULL DEFAULT '[]',
    rows       TEXT NOT NULL DEFAULT '[]',
    line_first INTEGER,
    line_last  INTEGER,
    warnings   TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX doc_tables_doc ON doc_tables(doc_pk, position);

CREATE TABLE tasks (
    id                INTEGER PRIMARY KEY,
    doc_pk            INTEGER NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    anchor            TEXT,
    text              TEXT NOT NULL,
    lead_units        TEXT NOT NULL DEFAULT '[]',
    responsible_units TEXT NOT NULL DEFAULT '[]',
    partner_units     TEXT NOT NULL DEFAULT '[]',
    deadline_raw      TEXT,
    deadline_kind     TEXT,
    deadline_iso      TEXT,
    deadline_end_iso  TEXT,
    source            TEXT NOT NULL DEFAULT 'inline',
    line_first        INTEGER,
    line_last         INTEGER
);
CREATE INDEX tasks_doc ON tasks(doc_pk, position);
CREATE INDEX tasks_deadline ON tasks(deadline_iso);

CREATE TABLE task_units (
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    unit    TEXT NOT NULL,
    role    TEXT NOT NULL CHECK (role IN ('lead', 'responsible', 'partner')),
    PRIMARY KEY (task_id, unit, role)
);
CREATE INDEX task_units_unit ON task_units(unit);

CREATE TABLE citations (
    id         INTEGER PRIMARY KEY,
    doc_pk     INTEGER NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    doc_number TEXT,
    dn_prefix  TEXT,
    dn_year    INTEGER,
    dn_serial  TEXT,
    title      TEXT,
    kind       TEXT NOT NULL,
    anchor     TEXT,
    line_first INTEGER,
    line_last  INTEGER,
    target_id  TEXT                            -- documents.id once resolved
);
CREATE INDEX citations_doc ON citations(doc_pk);
CREATE INDEX citations_number ON citations(doc_number);
CREATE INDEX citations_target ON citations(target_id);

CREATE TABLE relations (
    id                INTEGER PRIMARY KEY,
    doc_pk            INTEGER NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    type              TEXT NOT NULL,
    target_text       TEXT NOT NULL,
    target_doc_number TEXT,
    target_title      TEXT,
    target_kind       TEXT NOT NULL,
    target_id         TEXT,
    evidence          TEXT NOT NULL,
    anchor            TEXT,
    line_first        INTEGER,
    line_last         INTEGER,
    effective         TEXT
);
CREATE INDEX relations_doc ON relations(doc_pk);
CREATE INDEX relations_target ON relations(target_id);
CREATE INDEX relations_number ON relations(target_doc_number);

CREATE TABLE validity (
    doc_pk    INTEGER PRIMARY KEY REFERENCES documents(pk) ON DELETE CASCADE,
    effective TEXT,
    expires   TEXT,
    trial     INTEGER NOT NULL DEFAULT 0,
    evidence  TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE attachments (
    id         INTEGER PRIMARY KEY,
    doc_pk     INTEGER NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    title      TEXT NOT NULL,
    omitted    INTEGER NOT NULL,
    line_first INTEGER,
    line_last  INTEGER
);
CREATE INDEX attachments_doc ON attachments(doc_pk);

CREATE TABLE embedded (
    id         INTEGER PRIMARY KEY,
    doc_pk     INTEGER NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    title      TEXT NOT NULL,
    type       TEXT,
    line_first INTEGER,
    line_last  INTEGER
);
CREATE INDEX embedded_doc ON embedded(doc_pk);

CREATE TABLE articles (
    id         INTEGER PRIMARY KEY,
    issue_id   INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    title      TEXT,
    text       TEXT NOT NULL DEFAULT '',
    line_first INTEGER,
    line_last  INTEGER
);
CREATE INDEX articles_issue ON articles(issue_id);

CREATE TABLE toc_entries (
    id         INTEGER PRIMARY KEY,
    issue_id   INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    title      TEXT NOT NULL,
    page       TEXT,
    section    TEXT,
    doc_number TEXT,
    source     TEXT NOT NULL,
    line_first INTEGER,
    line_last  INTEGER
);
CREATE INDEX toc_entries_issue ON toc_entries(issue_id);

CREATE TABLE reconciliation (
    id       INTEGER PRIMARY KEY,
    issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind     TEXT NOT NULL,
    detail   TEXT NOT NULL
);
CREATE INDEX reconciliation_issue ON reconciliation(issue_id);
