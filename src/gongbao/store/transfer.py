"""Copying a gongbao database to another engine (``gongbao migrate --from … --to …``),
verified: every table's row count and a checksum of its rows must match on both sides.

Rows keep their keys (document pks, issue ids, …), so links, revisions and editors' work
stay attached; the target's full-text index is built from the copied texts (cut again:
SQLite stores no token string of the body, PostgreSQL indexes ``doc_search``/``node_search``
from one), and its key sequences moved past the copied keys.  The target must be empty: nothing is merged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from gongbao.errors import StoreError
from gongbao.store.sqlite import Store

# Every table of the schema, parents before children (foreign keys hold during the copy).
TABLES = (
    "series", "issues", "issue_revisions", "source_files", "documents", "document_issuers", "outline_nodes",
    "doc_tables", "tasks", "task_units", "citations", "relations", "validity", "attachments", "embedded",
    "articles", "toc_entries", "reconciliation", "qa_entries", "qa_phrasings", "qa_sources", "qa_interpretations",
    "corrections", "review_decisions", "task_progress",
)
_BATCH = 2000
# Not copied: the body's index tokens, which SQLite keeps in its index only, and the nodes'
# spans of them; the target cuts the texts again (after_copy).
DERIVED = {"documents": ("tok_text",), "outline_nodes": ("tok_start", "tok_end")}


@dataclass(frozen=True, slots=True)
class TableCopy:
    table: str
    rows: int
    checksum: str  # of the source's rows; the target's matched it


def _plain(value) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, bool):
        return str(int(value))
    return str(value)


def _columns(store: Store, table: str) -> list[str]:
    return [c for c in store.table_columns(table) if c not in DERIVED.get(table, ())]


def _rows(store: Store, table: str, columns: list[str]) -> Iterator[tuple]:
    """The table's rows in key order, in batches (a national archive does not fit in memory)."""
    order = ", ".join(columns[:1] if columns[0] in ("id", "pk", "issue_id", "doc_pk") else columns)
    offset = 0
    while True:
        batch = store.raw_rows(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order} LIMIT ? OFFSET ?",
                               [_BATCH, offset])
        yield from batch
        if len(batch) < _BATCH:
            return
        offset += _BATCH


def table_digest(store: Store, table: str, columns: list[str]) -> tuple[int, str]:
    """(rows, sha256 over the rows in key order) of a table, engine-independent."""
    digest, count = hashlib.sha256(), 0
    for row in _rows(store, table, columns):
        digest.update("\x1f".join(map(_plain, row)).encode("utf-8") + b"\x1e")
        count += 1
    return count, digest.hexdigest()


def copy_database(source: Store, target: Store) -> list[TableCopy]:
    """Copy every table of ``source`` into the empty ``target``; verify counts and checksums.

    One transaction on the target: a failure leaves it as it was."""
    if target.stats().issues or target.stats().documents:
        raise StoreError("目标数据库不是空的：迁移只写入空数据库（不合并）")
    if source.schema_version() != target.schema_version():
        raise StoreError(f"两个数据库的结构版本不同（{source.schema_version()} 与 {target.schema_version()}）")
    tables = [t for t in TABLES if source.has_table(t)]
    with target.transaction():
        for table in tables:
            columns = _columns(source, table)
            marks = ", ".join("?" * len(columns))
            sql = f"INSERT INTO {table}({', '.join(columns)}) VALUES ({marks})"
            batch = []
            for row in _rows(source, table, columns):
                batch.append(row)
                if len(batch) >= _BATCH:
                    target.conn.executemany(sql, batch)
                    batch = []
            target.conn.executemany(sql, batch)
        target.after_copy(tables)
    out = []
    for table in tables:
        columns = _columns(source, table)
        copied = table_digest(source, table, columns)
        landed = table_digest(target, table, columns)
        if copied != landed:
            raise StoreError(f"迁移校验失败：表 {table} 源 {copied[0]} 行，目标 {landed[0]} 行（或校验和不同）")
        out.append(TableCopy(table, *copied))
    return out
