-- Issue #10: issues read from PDF, scans or Word keep the original file (hash, size, bytes)
-- and its pages; documents keep the pages they are printed on and their region per page.
CREATE TABLE source_files (
    issue_id INTEGER PRIMARY KEY REFERENCES issues(id) ON DELETE CASCADE,
    kind     TEXT NOT NULL,                  -- pdf, image, docx
    sha256   TEXT NOT NULL,
    size     INTEGER NOT NULL,
    pages    TEXT NOT NULL DEFAULT '[]',     -- [{number, width, height, printed, ocr}]
    data     BLOB                            -- the original file (NULL for a folder of page images)
);
ALTER TABLE documents ADD COLUMN page_first INTEGER;
ALTER TABLE documents ADD COLUMN page_last INTEGER;
ALTER TABLE documents ADD COLUMN regions TEXT NOT NULL DEFAULT '[]';  -- [[page, [x0, y0, x1, y1]]] in points
