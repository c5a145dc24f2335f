-- Fields the structure stage added to its models: the source span of each table row, the
-- rows that open a new page, and the task group (重点任务 cell) a task sits under.
ALTER TABLE doc_tables ADD COLUMN row_lines TEXT NOT NULL DEFAULT '[]';
ALTER TABLE doc_tables ADD COLUMN page_starts TEXT NOT NULL DEFAULT '[]';
ALTER TABLE tasks ADD COLUMN task_group TEXT;
