-- Issue 13: an outline node deleted (its issue replaced by a new revision) looks for its
-- children through parent_id's ON DELETE CASCADE.  Without an index that is a scan of every
-- node for each node deleted: 0.2 s a node on lawref + samples (256,657 nodes), 11 s of CPU to
-- replace one issue of 9 documents.  The index costs 2.9 MB there (1.9 % of the file).
CREATE INDEX IF NOT EXISTS outline_nodes_parent ON outline_nodes(parent_id);
