"""The store owns every statement: no SQL, connection or database driver outside src/gongbao/store/,
and the two engine modules do not import each other (store.engine picks one)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "gongbao"
STORE = SRC / "store"
# a statement's opening words, as the store writes them
SQL = re.compile(r"\b(SELECT\b.+\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX)|PRAGMA)\b",
                 re.S | re.I)
DRIVERS = {"sqlite3", "psycopg", "psycopg_pool"}
DB_CALLS = {"execute", "executemany", "executescript", "cursor", "fetchone", "fetchall"}


def _outside_store() -> list[Path]:
    return [p for p in SRC.rglob("*.py") if STORE not in p.parents]


def _problems(source: str, name: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        where = f"{name}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
            found.append(f"{where}: SQL text {node.value[:40]!r}")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [f"{where}: imports {n}" for n in names if n.split(".")[0] in DRIVERS]
        elif isinstance(node, ast.Attribute) and (node.attr == "conn" or node.attr in DB_CALLS):
            found.append(f"{where}: .{node.attr}")
    return found


def test_no_sql_outside_the_store():
    problems = [p for path in _outside_store()
                for p in _problems(path.read_text(encoding="utf-8"), str(path.relative_to(SRC)))]
    assert problems == []


def test_the_check_sees_sql():
    """The scan finds a statement, a connection, a driver and a cursor call where they are written."""
    sample = 'import sqlite3\nrows = store.conn.execute("SELECT id FROM documents WHERE pk = ?")\n'
    found = [p.split(": ", 1)[1].split(" ")[0] for p in _problems(sample, "x.py")]
    assert sorted(found) == [".conn", ".execute", "SQL", "imports"]
    assert _problems('label = "从文件中选择"\nstore.document(ref)\n', "y.py") == []


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_engines_do_not_import_each_other():
    assert "gongbao.store.postgres" not in _imports(STORE / "sqlite.py")
    assert "gongbao.store.engine" not in _imports(STORE / "sqlite.py")
    assert "gongbao.store.engine" not in _imports(STORE / "postgres.py")
