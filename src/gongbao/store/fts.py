"""The full-text index: FTS5 external-content tables over documents and outline nodes.

The index is derived data.  Its DDL depends on the tokenisation scheme (search.tokenize), so
it is made here rather than in a numbered migration, and it is rebuilt from the content
tables whenever the scheme recorded in ``meta`` differs from the one asked for.  Triggers
keep it in step with the content tables; they call ``gb_index`` (the scheme's index-time
tokeniser), which every connection that writes must register (``register_functions``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from gongbao.models import Issue
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


def register_functions(conn: sqlite3.Connection, scheme: Scheme, ready: Mapping[str, str] | None = None) -> None:
    """Register ``gb_index``.  ``ready`` maps texts to their tokens cut beforehand (``pretokenise``,
    in a parsing worker process): the writer then only looks them up.  It is read at each
    call, so the caller may refill it between transactions."""
    cut = scheme.index or (lambda text: text)
    known: Mapping[str, str] = ready if ready is not None else {}

    def gb_index(text: str | None) -> str:
        if not text:
            return ""
        found = known.get(text)
        return found if found is not None else cut(text)

    conn.create_function("gb_index", 1, gb_index, deterministic=True)


def pretokenise(issue: Issue, scheme_name: str) -> dict[str, str]:
    """The index tokens of the long texts of ``issue`` (titles, bodies, outline headings and
    texts) under the scheme, so that tokenising can run beside the writer."""
    scheme = get_scheme(scheme_name)
    if scheme.index is None:
        return {}
    texts: set[str] = set()
    for doc in issue.documents:
        texts.update((doc.title, doc.text))
        nodes = list(doc.outline)
        while nodes:
            node = nodes.pop()
            texts.update((node.heading, node.text))
            nodes.extend(node.children)
    return {text: scheme.index(text) for text in texts if text}


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
