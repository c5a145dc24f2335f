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


# What a public read method of the store may still give as plain data (one shape per concept:
# everything else is a record of store/records.py or a dataclass of models.py).  Counts by key
# are ints, not rows; kept is the caller's value.
RETURNS_PLAIN = {"kept"}


def _plain_parts(annotation) -> list[str]:
    """Where an annotation lets a dict row (or anything) out: bare ``dict``, ``Any``, a dict
    or list of dicts, or a dict whose values are ``Any``."""
    import typing

    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if annotation is dict or annotation is typing.Any:
        return [repr(annotation)]
    if origin is dict and args and (args[1] is typing.Any or args[1] is dict or typing.get_origin(args[1]) is dict):
        return [repr(annotation)]
    return [found for arg in args for found in _plain_parts(arg)]


def _public_methods(cls) -> dict[str, object]:
    return {name: member for name, member in vars(cls).items() if not name.startswith("_") and callable(member)}


def test_store_read_methods_return_records():
    """No public method of either engine's store returns a dict row (or a list of them)
    outside RETURNS_PLAIN: the store's callers get typed records."""
    import inspect
    import typing

    from gongbao.store.postgres import PgStore
    from gongbao.store.sqlite import Store

    offenders, seen = [], set()
    for cls in (*Store.__mro__, *PgStore.__mro__):
        if not cls.__module__.startswith("gongbao.store"):
            continue
        for name, method in _public_methods(cls).items():
            func = inspect.unwrap(method.__func__ if isinstance(method, classmethod | staticmethod) else method)
            seen.add(name)
            hints = typing.get_type_hints(func)
            if "return" not in hints and name not in RETURNS_PLAIN:
                offenders.append(f"{cls.__name__}.{name}: no return annotation")
            elif name not in RETURNS_PLAIN:
                offenders += [f"{cls.__name__}.{name} -> {part}" for part in _plain_parts(hints.get("return"))]
    assert {"get_document", "list_documents", "portal_listing", "list_issues"} <= seen
    assert offenders == []
    assert RETURNS_PLAIN <= seen  # the allow-list names methods that exist


def test_the_record_check_sees_dicts():
    import typing

    assert _plain_parts(dict) and _plain_parts(list[dict]) and _plain_parts(dict | None)
    assert _plain_parts(dict[str, typing.Any]) and _plain_parts(typing.Any)
    assert not _plain_parts(dict[str, int]) and not _plain_parts(list[int]) and not _plain_parts(dict[int, list[str]])
