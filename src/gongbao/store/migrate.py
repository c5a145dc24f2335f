"""Schema migrations: numbered SQL files applied in order, tracked by ``PRAGMA user_version``.

A migration is ``migrations/NNN_name.sql``; version NNN is applied once, in one transaction,
to any database whose ``user_version`` is below NNN.  A change of stored values that SQL cannot
say (sentences re-read as codes) is ``migrations/NNN_name.py`` with ``upgrade(execute)``, run the
same way on either engine (``run_python``).  To change the schema, add a file with
the next number — never edit an applied one.  Databases made by an older gongbao are thus
upgraded in place when opened for writing.
"""

from __future__ import annotations

import importlib.util
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from gongbao.errors import StoreError

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_NAME = re.compile(r"^(\d{3})_[\w-]+\.(?:sql|py)$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    path: Path


def migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """All migration files, by version; two files with one number are an error."""
    found: dict[int, Migration] = {}
    for path in sorted(directory.iterdir()):
        match = _NAME.match(path.name)
        if not match:
            continue
        version = int(match.group(1))
        if version in found:
            raise StoreError(f"two migrations numbered {version:03d}: {found[version].name}, {path.name}")
        found[version] = Migration(version, path.stem, path)
    return [found[v] for v in sorted(found)]


def latest_version(directory: Path = MIGRATIONS_DIR) -> int:
    known = migrations(directory)
    return known[-1].version if known else 0


def current_version(conn: sqlite3.Connection) -> int:
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples whatever the connection's row factory
    return cursor.execute("PRAGMA user_version").fetchone()[0]


def statements(sql: str) -> list[str]:
    """The statements of a migration file, split where SQLite says one is complete (a
    trigger's body with its inner semicolons stays whole)."""
    out, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            out.append(buffer.strip())
            buffer = ""
    if any(line.strip() and not line.strip().startswith("--") for line in buffer.splitlines()):
        out.append(buffer.strip())  # a last statement without its semicolon
    return out


def run_python(path: Path, execute: Callable[[str, Sequence], list[tuple]]) -> None:
    """Run a Python migration: its ``upgrade`` with the engine's ``execute(sql, params) -> rows``."""
    spec = importlib.util.spec_from_file_location(f"gongbao_migration_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.upgrade(execute)


def _tuples(conn: sqlite3.Connection, sql: str, params: Sequence) -> list[tuple]:
    cursor = conn.cursor()
    cursor.row_factory = None
    return cursor.execute(sql, params).fetchall()


_ADD_COLUMN = re.compile(r"^\s*ALTER\s+TABLE\s+(\w+)\s+ADD\s+COLUMN\s+(\w+)", re.IGNORECASE | re.MULTILINE)


def _column_exists(conn: sqlite3.Connection, statement: str) -> bool:
    """Whether ``statement`` adds a column the table has already (a migration applied again to
    a database whose version was put back): SQLite has no ADD COLUMN IF NOT EXISTS."""
    found = _ADD_COLUMN.search(statement)  # after the comment lines that lead the statement
    if not found:
        return False
    return any(row[1] == found.group(2) for row in _tuples(conn, f"PRAGMA table_info({found.group(1)})", ()))


def migrate(conn: sqlite3.Connection, directory: Path = MIGRATIONS_DIR) -> list[int]:
    """Apply every pending migration under the database's write lock; return the versions applied.

    The lock (BEGIN IMMEDIATE) is taken before the schema version is read, so two processes
    opening a new database at once cannot both see version 0: the second waits for the
    first (busy timeout), then finds nothing left to do.  All pending migrations and the new
    ``user_version`` commit together, so a failed one leaves the schema as it was.
    """
    pending = migrations(directory)
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = current_version(conn)
        applied = []
        for migration in pending:
            if migration.version <= version:
                continue
            try:
                if migration.path.suffix == ".py":
                    run_python(migration.path, lambda sql, params=(): _tuples(conn, sql, params))
                else:
                    for statement in statements(migration.path.read_text(encoding="utf-8")):
                        if not _column_exists(conn, statement):
                            conn.execute(statement)
            except sqlite3.Error as exc:
                raise StoreError(f"migration {migration.name} failed: {exc}") from exc
            conn.execute(f"PRAGMA user_version = {migration.version}")
            applied.append(migration.version)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return applied
