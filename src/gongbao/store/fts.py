"""The full-text index: FTS5 external-content tables over documents and outline nodes.

The index is derived data.  Its DDL depends on the tokenisation scheme (search.tokenize), so
it is made here rather than in a numbered migration, and it is rebuilt from the content
tables whenever the scheme recorded in ``meta`` differs from the one asked for.  Triggers
keep it in step with the content tables; they call ``gb_index`` (the scheme's index-time
tokeniser), which every connection that writes must register (``register_functions``).
"""

from __future__ import annotations

import sqlite3

from gongbao.search.tokenize import Scheme, get_scheme

# (fts table, content table, content rowid, indexed columns, which rows: a condition on the
# row as "{row}" — only present documents are indexed, so search needs no look at the
# documents table, whose `present` flag sits behind the long text in each row)
FTS_TABLES = (
    ("doc_fts", "documents", "pk", ("title", "doc_number", "issuers", "text"), "{row}.present = 1"),
    ("node_fts", "outline_nodes", "id", ("heading", "text"), "1"),
)
FTS_LAYOUT = 2  # bump when the tables or triggers above change: the index is then rebuilt
SCHEME_KEY = "fts_scheme"


def scheme_tag(scheme: Scheme) -> str:
    return f"{scheme.name}:{scheme.version}:{FTS_LAYOUT}"


def register_functions(conn: sqlite3.Connection, scheme: Scheme) -> None:
    cut = scheme.index or (lambda text: text)
    conn.create_function("gb_index", 1, lambda text: cut(text) if text else "", deterministic=True)


def _value(scheme: Scheme, ref: str) -> str:
    return f"gb_index({ref})" if scheme.index else ref


def _ddl(scheme: Scheme) -> list[str]:
    out = []
    for fts, content, rowid, cols, indexed in FTS_TABLES:
        col_list = ", ".join(cols)
        out.append(
            f"CREATE VIRTUAL TABLE {fts} USING fts5({col_list}, content='{content}', "
            f"content_rowid='{rowid}', tokenize='{scheme.fts_tokenize}')"
        )
        new_vals = ", ".join(_value(scheme, f"new.{c}") for c in cols)
        old_vals = ", ".join(_value(scheme, f"old.{c}") for c in cols)
        insert = f"INSERT INTO {fts}(rowid, {col_list}) SELECT new.{rowid}, {new_vals} WHERE {indexed.format(row='new')};"
        delete = (f"INSERT INTO {fts}({fts}, rowid, {col_list}) SELECT 'delete', old.{rowid}, {old_vals}"
                  f" WHERE {indexed.format(row='old')};")
        watched = col_list + (", present" if "present" in indexed else "")
        out.append(f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {content} BEGIN {insert} END")
        out.append(f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {content} BEGIN {delete} END")
        out.append(f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {watched} ON {content} BEGIN {delete} {insert} END")
    return out


def _drop(conn: sqlite3.Connection) -> None:
    for fts, *_ in FTS_TABLES:
        for suffix in ("ai", "ad", "au"):
            conn.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
        conn.execute(f"DROP TABLE IF EXISTS {fts}")


def recorded_scheme(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (SCHEME_KEY,)).fetchone()
    return row["value"] if row else None


def ensure_index(conn: sqlite3.Connection, scheme_name: str | None) -> Scheme:
    """Make sure the index exists for ``scheme_name`` (None: keep the recorded one), rebuilding it if not.

    Runs in the caller's transaction.
    """
    recorded = recorded_scheme(conn)
    if scheme_name is None and recorded:
        scheme_name = recorded.split(":")[0]
    scheme = get_scheme(scheme_name)
    if recorded == scheme_tag(scheme):
        return scheme
    register_functions(conn, scheme)
    _drop(conn)
    for statement in _ddl(scheme):
        conn.execute(statement)
    for fts, content, rowid, cols, indexed in FTS_TABLES:
        col_list = ", ".join(cols)
        values = ", ".join(_value(scheme, c) for c in cols)
        where = indexed.format(row=content)
        conn.execute(f"INSERT INTO {fts}(rowid, {col_list}) SELECT {rowid}, {values} FROM {content} WHERE {where}")
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (SCHEME_KEY, scheme_tag(scheme)),
    )
    return scheme
