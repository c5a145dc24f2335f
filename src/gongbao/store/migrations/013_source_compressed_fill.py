"""The source texts stored by an older gongbao packed as migration 012 keeps them (zlib of the
UTF-8 text in ``raw_zlib``, ``raw_text`` emptied), one row at a time so that a large database
is not read into memory at once.  Run by ``store.migrate`` on either engine.
"""

from __future__ import annotations

from gongbao.store.read import pack_source


def upgrade(execute) -> None:
    for table in ("issues", "issue_revisions"):
        for (row_id,) in execute(f"SELECT id FROM {table} WHERE raw_zlib IS NULL ORDER BY id"):
            (raw,) = execute(f"SELECT raw_text FROM {table} WHERE id = ?", (row_id,))[0]
            execute(f"UPDATE {table} SET raw_zlib = ?, raw_text = '' WHERE id = ?", (pack_source(raw), row_id))
