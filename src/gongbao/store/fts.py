"""The full-text index: index tokens cut once, stored, and FTS5 tables kept in plain SQL.

Each text is cut into index tokens once (``document_tokens``, in the parsing worker when
ingest has several files) under the scheme of search.tokenize.  The tokens are stored
(documents.tok_*; an outline node is a span of its document's token string, as its text is
a span of the document's text: migration 011).  Two FTS5 external-content tables read them
through views — ``doc_fts`` over present documents (title, 文号, issuers, body) and
``node_fts`` over outline nodes (heading, text) — and triggers in plain SQL keep them in
step, so the sqlite3 shell or Datasette can read and write the database: no Python function
is needed.  PostgreSQL builds its tsvectors from the same columns (store.postgres).

The index is derived data.  Its tables depend on the scheme, so they are made here rather
than in a numbered migration, and the tokens and the index are rebuilt whenever the scheme
or layout recorded in ``meta`` differs from the one asked for.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from gongbao.models import Document, Issue, OutlineNode
from gongbao.search.tokenize import Scheme, get_scheme
from gongbao.store.records import DocTokens, NodeTokens

FTS_LAYOUT = 3  # bump when the tables, views or triggers below change: the index is then rebuilt
SCHEME_KEY = "fts_scheme"
WRITER_FLAG = "writer_indexes_nodes"  # meta key, set only inside the store's own write transaction

# An outline node's text and its index tokens, in SQL over outline_nodes {n} and its document {d}.
# (CAST: PostgreSQL's substr takes 32-bit integers, and its columns are 64-bit.)
NODE_TEXT = ("CASE WHEN {n}.text_start IS NULL THEN {n}.text ELSE substr({d}.text,"
             " CAST({n}.text_start + 1 AS INTEGER), CAST({n}.text_end - {n}.text_start AS INTEGER)) END")
NODE_TOKENS = ("CASE WHEN {n}.tok_start IS NULL THEN {n}.tokens ELSE substr({d}.tok_text,"
               " CAST({n}.tok_start + 1 AS INTEGER), CAST({n}.tok_end - {n}.tok_start AS INTEGER)) END")


def node_text(n: str = "n", d: str = "d") -> str:
    """SQL for the text of outline node ``n`` of document ``d`` (aliases)."""
    return NODE_TEXT.format(n=n, d=d)


def node_tokens(n: str = "n", d: str = "d") -> str:
    return NODE_TOKENS.format(n=n, d=d)


def scheme_tag(scheme: Scheme) -> str:
    return f"{scheme.name}:{scheme.version}:{FTS_LAYOUT}"


# --- tokens ---------------------------------------------------------------------------------


def _cutter(scheme: Scheme) -> Callable[[str], str]:
    cut = scheme.index or (lambda text: text)
    return lambda text: cut(text) if text else ""


def _own_spans(text: str, node_texts: Sequence[str]) -> list[tuple[int, int] | None]:
    """Where each node's own text sits in the body, in document order (None: it is no single
    span — a list item sits between its lines — or it is empty)."""
    spans: list[tuple[int, int] | None] = []
    pos = 0
    for own in node_texts:
        at = text.find(own, pos) if own else -1
        if at < 0:
            spans.append(None)
            continue
        spans.append((at, at + len(own)))
        pos = at + len(own)
    return spans


def document_tokens(cut: Callable[[str], str], title: str, doc_number: str | None, issuers: Sequence[str],
                    text: str, nodes: Sequence[tuple[str, str]]) -> DocTokens:
    """A document's index tokens; ``nodes`` are its outline's (heading, own text) in pre-order.

    The body is cut in pieces split where node texts start and end (line ends, in practice,
    where the cutter splits anyway), so that each node's tokens are one span of the body's:
    the body is cut once and its tokens stored once."""
    spans = _own_spans(text, [own for _, own in nodes])
    bounds = sorted({0, len(text), *(b for span in spans if span for b in span)})
    places: dict[int, tuple[int, int]] = {}
    pieces: list[str] = []
    length = 0
    for start, end in zip(bounds, bounds[1:]):
        tokens = cut(text[start:end])
        if tokens and pieces:
            length += 1  # the space before it
        places[start] = (length, length + len(tokens))
        if tokens:
            pieces.append(tokens)
            length += len(tokens)
    out = []
    for (heading, own), span in zip(nodes, spans):
        if span is None:
            out.append(NodeTokens(cut(heading), None, None, own, cut(own)))
        else:
            out.append(NodeTokens(cut(heading), span, places[span[0]]))
    return DocTokens(cut(title), cut(doc_number or ""), cut(" ".join(issuers)), " ".join(pieces), out)


def _preorder(nodes: list[OutlineNode]) -> list[OutlineNode]:
    out: list[OutlineNode] = []
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(node.children))
    return out


def _doc_tokens(cut: Callable[[str], str], doc: Document) -> DocTokens:
    nodes = [(n.heading, n.text) for n in _preorder(doc.outline)]
    return document_tokens(cut, doc.title, str(doc.doc_number) if doc.doc_number else None, doc.issuers, doc.text,
                           nodes)


def pretokenise(issue: Issue, scheme_name: str) -> list[DocTokens]:
    """The index tokens of each document of ``issue`` (in its order) under the scheme: made in
    a parsing process, so that the writer only stores them."""
    cut = _cutter(get_scheme(scheme_name))
    return [_doc_tokens(cut, doc) for doc in issue.documents]


def fill_tokens(conn, scheme: Scheme, where: str = "1 = 1", params: Sequence = ()) -> int:
    """Cut the stored documents matching ``where`` (over documents) again under ``scheme`` and
    store their tokens and their nodes' spans: for a database made before the token columns,
    or re-indexed with another scheme.  Works on either engine's connection; returns how many
    documents."""
    cut = _cutter(scheme)
    docs = conn.execute(f"SELECT pk, title, doc_number, issuers, text FROM documents WHERE {where} ORDER BY pk",
                        list(params)).fetchall()
    for doc in docs:
        nodes = conn.execute(f"SELECT n.id, n.heading, {node_text()} AS text FROM outline_nodes n"
                             " JOIN documents d ON d.pk = n.doc_pk WHERE n.doc_pk = ? ORDER BY n.position",
                             (doc["pk"],)).fetchall()
        issuers = doc["issuers"]
        issuers = json.loads(issuers) if isinstance(issuers, str) else issuers
        tokens = document_tokens(cut, doc["title"], doc["doc_number"], issuers, doc["text"] or "",
                                 [(n["heading"] or "", n["text"] or "") for n in nodes])
        conn.execute("UPDATE documents SET tok_title = ?, tok_number = ?, tok_issuers = ?, tok_text = ? WHERE pk = ?",
                     (tokens.title, tokens.doc_number, tokens.issuers, tokens.text, doc["pk"]))
        conn.executemany(
            "UPDATE outline_nodes SET text = ?, text_start = ?, text_end = ?, tok_heading = ?, tok_start = ?,"
            " tok_end = ?, tokens = ? WHERE id = ?",
            [node_values(t) + (n["id"],) for n, t in zip(nodes, tokens.nodes)])
    return len(docs)


def node_index_tokens(doc: DocTokens, t: NodeTokens) -> tuple[str, str | None]:
    """(heading, text) a node is indexed with: what the view node_fts_content gives for its row."""
    own = t.tokens or None if t.token_span is None else doc.text[t.token_span[0]:t.token_span[1]]
    return t.heading, own


def node_values(t: NodeTokens) -> tuple:
    """(text, text_start, text_end, tok_heading, tok_start, tok_end, tokens) of a node's row."""
    text_span = t.text_span or (None, None)
    token_span = t.token_span or (None, None)
    return (t.text, *text_span, t.heading, *token_span, t.tokens or None)


# --- FTS5 tables (SQLite) -------------------------------------------------------------------

_DOC_COLS = "title, doc_number, issuers, text"
_DOC_VALS = "{r}.pk, {r}.tok_title, {r}.tok_number, {r}.tok_issuers, {r}.tok_text"
_NODE_ROWS = ("SELECT {op}n.id, n.tok_heading, " + NODE_TOKENS.format(n="n", d="{d}") +
              " FROM outline_nodes n WHERE n.doc_pk = {d}.pk")
_NODE_ROW = ("SELECT {op}{r}.id, {r}.tok_heading, " + NODE_TOKENS.format(n="{r}", d="d") +
             " FROM documents d WHERE d.pk = {r}.doc_pk")


def _ddl(scheme: Scheme) -> list[str]:
    tokenize = scheme.fts_tokenize
    doc_del = f"INSERT INTO doc_fts(doc_fts, rowid, {_DOC_COLS}) SELECT 'delete', {_DOC_VALS.format(r='old')}"
    doc_ins = f"INSERT INTO doc_fts(rowid, {_DOC_COLS}) SELECT {_DOC_VALS.format(r='new')}"
    nodes_del = "INSERT INTO node_fts(node_fts, rowid, heading, text) " + _NODE_ROWS.format(op="'delete', ", d="old")
    nodes_ins = "INSERT INTO node_fts(rowid, heading, text) " + _NODE_ROWS.format(op="", d="new")
    node_del = "INSERT INTO node_fts(node_fts, rowid, heading, text) " + _NODE_ROW.format(op="'delete', ", r="old")
    node_ins = "INSERT INTO node_fts(rowid, heading, text) " + _NODE_ROW.format(op="", r="new")
    # The store's writer indexes the nodes it inserts from the tokens it holds (one batch, no
    # read of the document's token string per node), flagged in meta inside its transaction.
    by_hand = f"NOT EXISTS (SELECT 1 FROM meta WHERE key = '{WRITER_FLAG}')"
    return [
        f"CREATE VIEW doc_fts_content AS SELECT pk, tok_title AS title, tok_number AS doc_number,"
        f" tok_issuers AS issuers, tok_text AS text FROM documents WHERE present = 1",
        f"CREATE VIRTUAL TABLE doc_fts USING fts5({_DOC_COLS}, content='doc_fts_content', content_rowid='pk',"
        f" tokenize='{tokenize}')",
        f"CREATE VIEW node_fts_content AS SELECT n.id, n.tok_heading AS heading, {node_tokens()} AS text"
        " FROM outline_nodes n JOIN documents d ON d.pk = n.doc_pk",
        f"CREATE VIRTUAL TABLE node_fts USING fts5(heading, text, content='node_fts_content', content_rowid='id',"
        f" tokenize='{tokenize}')",
        f"CREATE TRIGGER doc_fts_ai AFTER INSERT ON documents WHEN new.present = 1 BEGIN {doc_ins}; END",
        # A document's nodes leave the index before it goes (its cascade runs once it is gone).
        f"CREATE TRIGGER doc_fts_bd BEFORE DELETE ON documents BEGIN {nodes_del}; END",
        f"CREATE TRIGGER doc_fts_ad AFTER DELETE ON documents WHEN old.present = 1 BEGIN {doc_del}; END",
        "CREATE TRIGGER doc_fts_au AFTER UPDATE OF tok_title, tok_number, tok_issuers, tok_text, present"
        f" ON documents BEGIN {doc_del} WHERE old.present = 1; {doc_ins} WHERE new.present = 1; END",
        f"CREATE TRIGGER doc_fts_nodes_au AFTER UPDATE OF tok_text ON documents BEGIN {nodes_del}; {nodes_ins}; END",
        f"CREATE TRIGGER node_fts_ai AFTER INSERT ON outline_nodes WHEN {by_hand} BEGIN {node_ins}; END",
        f"CREATE TRIGGER node_fts_ad AFTER DELETE ON outline_nodes BEGIN {node_del}; END",
        "CREATE TRIGGER node_fts_au AFTER UPDATE OF tok_heading, tok_start, tok_end, tokens, doc_pk ON outline_nodes"
        f" BEGIN {node_del}; {node_ins}; END",
    ]


_TRIGGERS = ("doc_fts_ai", "doc_fts_bd", "doc_fts_ad", "doc_fts_au", "doc_fts_nodes_au", "node_fts_ai",
             "node_fts_ad", "node_fts_au")


def _drop(conn: sqlite3.Connection) -> None:
    for name in _TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    for fts in ("doc_fts", "node_fts"):  # the triggers of the layout before store-side tokens
        for suffix in ("ai", "ad", "au"):
            conn.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
        conn.execute(f"DROP TABLE IF EXISTS {fts}")
        conn.execute(f"DROP VIEW IF EXISTS {fts}_content")


def _renew_triggers(conn: sqlite3.Connection, scheme: Scheme) -> None:
    """Triggers of an older gongbao made anew (the index itself is unchanged)."""
    wanted = [sql for sql in _ddl(scheme) if sql.startswith("CREATE TRIGGER")]
    stored = {r["name"]: r["sql"] for r in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}
    for sql in wanted:
        name = sql.split()[2]
        if stored.get(name) != sql:
            conn.execute(f"DROP TRIGGER IF EXISTS {name}")
            conn.execute(sql)


@contextmanager
def writer_indexes_nodes(conn: sqlite3.Connection) -> Iterator[None]:
    """Inside the caller's transaction: outline nodes inserted in the block are indexed by the
    writer (``index_nodes``), not one by one by the trigger."""
    conn.execute("INSERT INTO meta(key, value) VALUES (?, '1')", (WRITER_FLAG,))
    yield
    conn.execute("DELETE FROM meta WHERE key = ?", (WRITER_FLAG,))


def index_nodes(conn: sqlite3.Connection, rows: list[tuple[int, str, str | None]]) -> None:
    """Index outline nodes inserted under ``writer_indexes_nodes``: (id, heading, text) rows."""
    conn.executemany("INSERT INTO node_fts(rowid, heading, text) VALUES (?, ?, ?)", rows)


def recorded_scheme(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (SCHEME_KEY,)).fetchone()
    return row["value"] if row else None


def ensure_index(conn: sqlite3.Connection, scheme_name: str | None) -> Scheme:
    """Make sure the tokens and the index exist for ``scheme_name`` (None: keep the recorded
    one), cutting the stored texts again and rebuilding the index if not.

    Runs in the caller's transaction.
    """
    recorded = recorded_scheme(conn)
    if scheme_name is None and recorded:
        scheme_name = recorded.split(":")[0]
    scheme = get_scheme(scheme_name)
    if recorded == scheme_tag(scheme):
        _renew_triggers(conn, scheme)
        return scheme
    _drop(conn)
    fill_tokens(conn, scheme)
    for statement in _ddl(scheme):
        conn.execute(statement)
    for fts in ("doc_fts", "node_fts"):
        conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (SCHEME_KEY, scheme_tag(scheme)),
    )
    return scheme
