"""Schema migrations: numbered SQL files applied in order, tracked by ``PRAGMA user_version``.

A migration is ``migrations/NNN_name.sql``; version NNN is applied once, in one transaction,
to any database whose ``user_version`` is below NNN.  To change the schema, add a file with
the next number — never edit an applied one.  Databases made by an older gongbao are thus
upgraded in place when opened for writing.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from gongbao.errors import StoreError

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_NAME = re.compile(r"^(\d{3})_[\w-]+\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    path: Path


def migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """All migration files, by version; two files with one number are an error."""
    found: dict[int, Migration] = {}
    for path in sorted(directory.glob("*.sql")):
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


def migrate(conn: sqlite3.Connection, directory: Path = MIGRATIONS_DIR) -> list[int]:
    """Apply every pending migration, each in its own transaction; return the versions applied."""
    version = current_version(conn)
    applied = []
    for migration in migrations(directory):
        if migration.version <= version:
            continue
        sql = migration.path.read_text(encoding="utf-8")
        # user_version is written inside the same transaction, so a failed migration leaves
        # both the schema and the version as they were.
        script = f"BEGIN;\n{sql}\n;PRAGMA user_version = {migration.version};\nCOMMIT;"
        try:
            conn.executescript(script)
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.rollback()
            raise StoreError(f"migration {migration.name} failed: {exc}") from exc
        applied.append(migration.version)
    return applied
