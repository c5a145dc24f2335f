"""Writing an issue into PostgreSQL in batches: the writer's row inserts (store.write) are
gathered per table while the issue is written and sent at the end in ONE statement — each
table's rows as one JSON parameter (an array of arrays, each value cast to its column's type),
inserted by a data-modifying ``WITH`` part of its own — instead of a statement (or a COPY, two round trips) per table: round trips, not the
server's work, were most of the wait (docs/scale.md).  Rows whose key the database assigns
(an issue, a document) take a key reserved from the table's sequence, so they wait in the
batch too.  The writer's code is the same for both engines: it talks to a ``BatchConn`` in
place of the connection.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from gongbao.store.pgconn import KEYED, PgConn, PgCursor

# An INSERT of placeholders only, which a batch can take (ON CONFLICT DO NOTHING kept).
_PLAIN = re.compile(r"^\s*INSERT\s+INTO\s+(\w+)\s*\(([^)]*)\)\s*VALUES\s*\(\s*\?(?:\s*,\s*\?)*\s*\)\s*"
                    r"(ON\s+CONFLICT\s+DO\s+NOTHING)?\s*$", re.IGNORECASE)
# An INSERT of named placeholders only (an issue's, a document's row)
_NAMED = re.compile(r"^\s*INSERT\s+INTO\s+(\w+)\s*\(([^)]*)\)\s*VALUES\s*\((\s*:\w+(?:\s*,\s*:\w+)*\s*)\)\s*$",
                    re.IGNORECASE)
_WORD = re.compile(r"\w+")


def _hex(value):
    """bytes as the text bytea reads (its hex form): the one type the rows hold that JSON has not."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "\\x" + bytes(value).hex()
    raise TypeError(f"{type(value).__name__} is not a column value")


def _rows_json(rows: list[Sequence]) -> str:
    """The rows as one JSON array of arrays, encoded in one call: as objects (a dict a row,
    each value looked at in Python) the encoding took half of the writer's CPU."""
    return json.dumps(rows, ensure_ascii=False, default=_hex)


class BatchConn:
    """The connection as the writer sees it during one issue.  Plain row inserts wait in
    per-table batches; any other statement — or one naming a waiting table — first sends
    what waits, so every statement sees the rows written before it.  ``later`` gathers rows
    for a statement of the engine's own, sent with the batches (its ``?`` is the rows as a
    JSON array of arrays: the outline nodes' index rows)."""

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
        named = _NAMED.match(sql) if isinstance(params, dict) else None
        if named is not None and named.group(1) in KEYED:
            return self._keyed(*named.groups(), params)
        self._before(sql)
        return self.conn.execute(sql, params, tuples)

    def _keyed(self, table: str, columns: str, marks: str, params: dict) -> PgCursor:
        """A row whose key the database assigns, with a key reserved from its sequence
        (``reserve_ids``, a round trip per block of keys): the writer has its key at once and
        the row waits in the batch."""
        [key] = self.conn.reserve_ids(table, 1)
        names = [KEYED[table], *(name.strip() for name in columns.split(","))]
        values = [params[mark.strip()[1:]] for mark in marks.split(",")]
        self.batches.setdefault((table, ", ".join(names), False), []).append([key, *values])
        return PgCursor([], 1, key)

    def executemany(self, sql: str, seq: Sequence) -> None:
        plain = self._plain(sql)
        if plain is None:
            self._before(sql)
            self.conn.executemany(sql, seq)
        elif seq:
            self.batches.setdefault(plain, []).extend(seq)

    def reserve_ids(self, table: str, n: int) -> list[int]:
        return self.conn.reserve_ids(table, n)

    def _types(self, table: str) -> dict[str, str]:
        """The SQL type of each of ``table``'s columns, which a row's value read from its JSON
        array is cast to (the schema's tables read once per connection: one round trip)."""
        if table not in self.conn.column_types:
            for row in self.conn.execute(
                    "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a"
                    " JOIN pg_class c ON c.oid = a.attrelid WHERE c.relnamespace = current_schema()::regnamespace"
                    " AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped", tuples=True):
                self.conn.column_types.setdefault(row[0], {})[row[1]] = row[2]
        return self.conn.column_types[table]

    def flush(self) -> None:
        """Send every waiting batch and the statements held for later, in one statement: a
        ``WITH`` part per table (the key checks run at the statement's end, when every
        part's rows are in, so their order does not matter)."""
        batches, self.batches = self.batches, {}
        later, self.later = self.later, {}
        parts, params = [], []
        for (table, columns, skip_conflicts), rows in batches.items():
            conflict = " ON CONFLICT DO NOTHING" if skip_conflicts else ""
            types = self._types(table)
            values = ", ".join(f"(r.v->>{i})::{types[name.strip()]}" for i, name in enumerate(columns.split(",")))
            parts.append(f"INSERT INTO {table} ({columns}) SELECT {values}"
                         f" FROM jsonb_array_elements(?::jsonb) AS r(v){conflict}")
            params.append(_rows_json(rows))
        for sql, rows in later.items():
            parts.append(sql)
            params.append(json.dumps(rows, ensure_ascii=False))
        if parts:
            with_parts = ", ".join(f"w{i} AS ({part})" for i, part in enumerate(parts))
            self.conn.execute(f"WITH {with_parts} SELECT 1", params)


@contextmanager
def batched(conn: PgConn) -> Iterator[BatchConn]:
    """A ``BatchConn`` over ``conn`` for the block; what waits is sent when it ends (nothing
    is sent when it raises: the transaction is rolled back anyway)."""
    batch = BatchConn(conn)
    yield batch
    batch.flush()
