"""The documents' full-text index kept by the RUM access method where the server has it
(Debian's ``postgresql-15-rum``) and the role may create the extension: RUM keeps positions,
so the best matches come out of the index without reading their tsvectors (docs/scale.md).
Elsewhere the GIN index stays, and search ranks with ts_rank over every match."""

from gongbao.errors import StoreError


def upgrade(execute) -> None:
    if not execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'"):
        return
    execute("SAVEPOINT rank_index")
    try:
        execute("CREATE EXTENSION IF NOT EXISTS rum")
    except StoreError:  # not allowed to: GIN stays
        execute("ROLLBACK TO SAVEPOINT rank_index")
        return
    execute("CREATE INDEX IF NOT EXISTS doc_search_rum ON doc_search USING rum (tsv rum_tsvector_ops)")
    execute("DROP INDEX IF EXISTS doc_search_tsv")
