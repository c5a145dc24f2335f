"""Writing an issue into PostgreSQL in batches: the writer's row inserts (store.write) are
gathered per table while the issue is written and sent with COPY once, at the end, instead
of one statement per row — round trips, not the server's work, were most of the time
(docs/scale.md).  The writer's code is the same for both engines: it talks to a
``BatchConn`` in place of the connection.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from gongbao.store.pgconn import KEYED, PgConn

# An INSERT of placeholders only, which COPY can replace (ON CONFLICT DO NOTHING: sent as one
# pipelined executemany instead, as COPY cannot skip a conflicting row).
_PLAIN = re.compile(r"^\s*INSERT\s+INTO\s+(\w+)\s*\(([^)]*)\)\s*VALUES\s*\(\s*\?(?:\s*,\s*\?)*\s*\)\s*"
                    r"(ON\s+CONFLICT\s+DO\s+NOTHING)?\s*$", re.IGNORECASE)
_WORD = re.compile(r"\w+")


class BatchConn:
    """The connection as the writer sees it during one issue.  Plain row inserts wait in
    per-table batches; any other statement — or one naming a waiting table — first sends
    what waits, so every statement sees the rows written before it.  ``later`` gathers rows
    for a statement of the engine's own, run once the batches are in with each column as
    an array (the outline nodes' index rows, through ``unnest``)."""

    def __init__(self, conn: PgConn) -> None:
        self.conn = conn
        self.batches: dict[tuple[str, str, bool], list[Sequence]] = {}
        self.later: dict[str, list[Sequence]] = {}

    def _plain(self, sql: str) -> tuple[str, str, bool] | None:
        found = _PLAIN.match(sql)
        if found is None:
            return None
        return found.group(1), " ".join(found.group(2).split()), bool(found.group(3))

    def _before(self, sql: str) -> None:
        """Send the waiting rows if ``sql`` may read or change them."""
        if not self.batches:
            return
        head = sql.lstrip()[:6].upper()
        waiting = {table for table, _, _ in self.batches}
        if head not in ("SELECT", "INSERT") or waiting & set(_WORD.findall(sql)):
            self.flush()

    def execute(self, sql: str, params: Sequence | dict = (), tuples: bool = False):
        plain = self._plain(sql) if isinstance(params, (tuple, list)) else None
        if plain is not None and plain[0] not in KEYED:  # else its key is read back
            self.batches.setdefault(plain, []).append(params)
            return None
        self._before(sql)
        return self.conn.execute(sql, params, tuples)

    def executemany(self, sql: str, seq: Sequence) -> None:
        plain = self._plain(sql)
        if plain is None:
            self._before(sql)
            self.conn.executemany(sql, seq)
        elif seq:
            self.batches.setdefault(plain, []).extend(seq)

    def reserve_ids(self, table: str, n: int) -> list[int]:
        return self.conn.reserve_ids(table, n)

    def flush(self) -> None:
        """Send every waiting batch (in the order the tables were first written: a row's
        parent goes first), then the statements held for later."""
        batches, self.batches = self.batches, {}
        for (table, columns, skip_conflicts), rows in batches.items():
            if skip_conflicts:
                marks = ", ".join("?" * len(columns.split(",")))
                self.conn.executemany(f"INSERT INTO {table}({columns}) VALUES ({marks}) ON CONFLICT DO NOTHING", rows)
            else:
                self.conn.copy_rows(table, columns, rows)
        later, self.later = self.later, {}
        for sql, rows in later.items():
            self.conn.execute(sql, [list(column) for column in zip(*rows, strict=True)])


@contextmanager
def batched(conn: PgConn) -> Iterator[BatchConn]:
    """A ``BatchConn`` over ``conn`` for the block; what waits is sent when it ends (nothing
    is sent when it raises: the transaction is rolled back anyway)."""
    batch = BatchConn(conn)
    yield batch
    batch.flush()
