"""The full-text index: index tokens cut once, stored, and FTS5 tables kept in plain SQL.

Each text is cut into index tokens once (``document_tokens``, in the parsing worker when
ingest has several files) under the scheme of search.tokenize.  The tokens are stored
(documents.tok_*; an outline node is a span of its document's token string, as its text is
a span of the document's text: migration 011).  The body is indexed once: the FTS5
external-content table ``doc_fts`` over present documents (title, 文号, issuers, body); an
outline node's text is a run of the body's index tokens (``outline_nodes.fts_first`` and
``fts_count``, migration 016), so clauses are found and ranked from that index
(store.nodefts); only the headings and the nodes that are no span of the body (~2 %) have a
small index of their own, ``heading_fts``.  Triggers in plain SQL keep both in step, so the
sqlite3 shell or Datasette can read and write the database: no Python function is needed.
PostgreSQL builds its tsvectors from the same columns (store.postgres).

The index is derived data.  Its tables depend on the scheme, so they are made here rather
than in a numbered migration, and the tokens and the index are rebuilt whenever the scheme
or layout recorded in ``meta`` differs from the one asked for.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from itertools import chain
from typing import Any

from gongbao.models import Document, Issue, OutlineNode
from gongbao.search.tokenize import Scheme, get_scheme
from gongbao.store.records import DocTokens, NodeTokens

# Indexes a present document's tokens in hand: (conn, document pk, its tokens).
BodyIndexer = Callable[[Any, int, DocTokens], None]

FTS_LAYOUT = 5  # bump when the tables, views or triggers below change: the index is then rebuilt
SCHEME_KEY = "fts_scheme"

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


# jieba cuts a text in blocks split at every character outside its word classes, and keeps
# such a character (not a space) as a word of its own: texts joined by a private-use
# character none of them holds are cut, in one call, as each alone (NFKC and lower case see
# it as a boundary too).  A document's ~140 pieces, headings and title cut in one call: the
# per-call cost was most of the cutting (51,000 calls for 348 issues).  Bigram schemes drop
# the character, so they cut each text alone.
_MARK = "\ue001"
_JOINABLE = frozenset({"words"})


def _cut_each(scheme: Scheme) -> Callable[[Sequence[str]], list[str]]:
    """A function giving ``_cutter(scheme)`` of each of several texts."""
    cut = _cutter(scheme)
    if scheme.name not in _JOINABLE:
        return lambda texts: [cut(text) for text in texts]

    def each(texts: Sequence[str]) -> list[str]:
        joined = _MARK.join(texts)
        if len(texts) < 2 or joined.count(_MARK) != len(texts) - 1:
            return [cut(text) for text in texts]
        parts = cut(joined).split(_MARK)  # a mark is a word: one space each side of it
        return [parts[0][:-1], *(part[1:-1] for part in parts[1:-1]), parts[-1][1:]]
    return each


# The tokens FTS5 makes of a stored string, as its tokenizers cut and fold them: unicode61
# (the token characters are its default classes L*, N* and Co: letters, digits, private
# use; everything else separates) and trigram (every three characters).
_UNICODE61 = re.compile(r"(?:[^\W_]|[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd])+")


_WORD = re.compile(r"[^\W_]+")  # the same without private-use characters, a third faster
_PRIVATE = re.compile(r"[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")


def _unicode61(text: str) -> list[str]:
    folded = text.lower()
    return (_UNICODE61 if _PRIVATE.search(folded) else _WORD).findall(folded)


def _trigrams(text: str) -> list[str]:
    folded = text.lower()
    return [folded[i:i + 3] for i in range(len(folded) - 2)]


def index_tokens(scheme: Scheme) -> Callable[[str], list[str]]:
    """The function giving the tokens ``scheme``'s FTS5 tokenizer makes of a string."""
    return _trigrams if scheme.fts_tokenize.split()[0] == "trigram" else _unicode61


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


def document_tokens(cut: Callable[[Sequence[str]], list[str]], title: str, doc_number: str | None,
                    issuers: Sequence[str], text: str, nodes: Sequence[tuple[str, str]],
                    indexed: Callable[[str], list[str]] = _unicode61) -> DocTokens:
    """A document's index tokens; ``cut`` gives each of several texts' tokens (``_cut_each``);
    ``nodes`` are its outline's (heading, own text) in pre-order; ``indexed`` gives the tokens
    the FTS5 tokenizer makes of a string (``index_tokens``).

    The body is cut in pieces split where node texts start and end (line ends, in practice,
    where the cutter splits anyway), so that each node's tokens are one span of the body's:
    the body is cut once and its tokens stored once, and a node's tokens are a run of the
    index's tokens of the body (pieces are joined by a space, which FTS5 splits at)."""
    spans = _own_spans(text, [own for _, own in nodes])
    bounds = sorted({0, len(text), *(b for span in spans if span for b in span)})
    starts = bounds[:-1]
    apart = [own for (_, own), span in zip(nodes, spans) if span is None]  # texts that are no span of the body
    cuts = cut([title, doc_number or "", " ".join(issuers), *(text[a:b] for a, b in zip(bounds, bounds[1:])),
                *(heading for heading, _ in nodes), *apart])
    piece_cuts = cuts[3:3 + len(starts)]
    heads = iter(cuts[3 + len(starts):3 + len(starts) + len(nodes)])
    apart_cuts = iter(cuts[3 + len(starts) + len(nodes):])
    places: dict[int, tuple[int, int, int, int]] = {}  # piece start → its tokens' span, first, count
    held: dict[int, list[str]] = {}  # piece start → its index tokens
    pieces: list[str] = []
    length = ordinal = 0
    for start, tokens in zip(starts, piece_cuts):
        if tokens and pieces:
            length += 1  # the space before it
        held[start] = indexed(tokens)
        count = len(held[start])
        places[start] = (length, length + len(tokens), ordinal, count)
        if tokens:
            pieces.append(tokens)
            length += len(tokens)
            ordinal += count
    body = " ".join(pieces)
    if indexed is _trigrams:  # trigrams run over the whole string: a node's are those inside its span
        places = {at: (s, e, s, max(e - s - 2, 0)) for at, (s, e, _, _) in places.items()}
    out = []
    node_tokens: list[set[str]] = []  # each node's index tokens, heading and text
    for (_, own), span in zip(nodes, spans):
        head = next(heads)
        head_tokens = indexed(head) if head else []  # most nodes have no heading
        if span is None:
            own_tokens = next(apart_cuts)
            own_indexed = indexed(own_tokens)
            out.append(NodeTokens(head, None, None, own, own_tokens, index_size=len(head_tokens) + len(own_indexed)))
        else:
            start, end, first, count = places[span[0]]
            own_indexed = held[span[0]]  # its piece's (a trigram's inside its span: the same)
            out.append(NodeTokens(head, span, (start, end), index_first=first if count else None,
                                  index_count=count, index_size=len(head_tokens) + count))
        node_tokens.append(set(head_tokens).union(own_indexed))
    return DocTokens(cuts[0], cuts[1], cuts[2], body, out, dict(Counter(chain.from_iterable(node_tokens))))


def _preorder(nodes: list[OutlineNode]) -> list[OutlineNode]:
    out: list[OutlineNode] = []
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(node.children))
    return out


def _doc_tokens(cut: Callable[[Sequence[str]], list[str]], indexed: Callable[[str], list[str]], doc: Document) -> DocTokens:
    nodes = [(n.heading, n.text) for n in _preorder(doc.outline)]
    return document_tokens(cut, doc.title, str(doc.doc_number) if doc.doc_number else None, doc.issuers, doc.text,
                           nodes, indexed)


def pretokenise(issue: Issue, scheme_name: str) -> list[DocTokens]:
    """The index tokens of each document of ``issue`` (in its order) under the scheme: made in
    a parsing process, so that the writer only stores them."""
    scheme = get_scheme(scheme_name)
    cut, indexed = _cut_each(scheme), index_tokens(scheme)
    return [_doc_tokens(cut, indexed, doc) for doc in issue.documents]


def recut(conn, scheme: Scheme, where: str, params: Sequence) -> Iterator[tuple[dict, list[dict], DocTokens]]:
    """Each stored document matching ``where`` (over documents), its nodes, and its tokens cut
    again from the stored texts under ``scheme``."""
    cut, indexed = _cut_each(scheme), index_tokens(scheme)
    docs = conn.execute("SELECT pk, title, doc_number, issuers, text, present, tok_title, tok_number, tok_issuers"
                        f" FROM documents WHERE {where} ORDER BY pk", list(params)).fetchall()
    for doc in docs:
        nodes = conn.execute(f"SELECT n.id, n.heading, {node_text()} AS text FROM outline_nodes n"
                             " JOIN documents d ON d.pk = n.doc_pk WHERE n.doc_pk = ? ORDER BY n.position",
                             (doc["pk"],)).fetchall()
        issuers = doc["issuers"]
        issuers = json.loads(issuers) if isinstance(issuers, str) else issuers
        yield doc, nodes, document_tokens(cut, doc["title"], doc["doc_number"], issuers, doc["text"] or "",
                                          [(n["heading"] or "", n["text"] or "") for n in nodes], indexed)


def fill_tokens(conn, scheme: Scheme, where: str = "1 = 1", params: Sequence = (),
                index_body: BodyIndexer | None = None) -> int:
    """Cut the stored documents matching ``where`` (over documents) again under ``scheme`` and
    store their tokens and their nodes' spans: for a database made before the token columns,
    or re-indexed with another scheme.  ``index_body`` (SQLite) indexes a present document's
    tokens itself, and its body's token string is then not stored (a document it indexed
    before is taken out first, its body cut from its unchanged text).  Works on either
    engine's connection; returns how many documents."""
    count = 0
    for doc, nodes, tokens in recut(conn, scheme, where, params):
        count += 1
        if index_body is not None and doc["present"]:
            _take_out(conn, index_tokens(scheme), [(doc, tokens)])
        conn.execute("UPDATE documents SET tok_title = ?, tok_number = ?, tok_issuers = ?, tok_text = ? WHERE pk = ?",
                     (tokens.title, tokens.doc_number, tokens.issuers, None if index_body else tokens.text, doc["pk"]))
        conn.executemany(
            "UPDATE outline_nodes SET text = ?, text_start = ?, text_end = ?, tok_heading = ?, tok_start = ?,"
            " tok_end = ?, tokens = ?, fts_first = ?, fts_count = ?, fts_size = ? WHERE id = ?",
            [node_values(t, index_body is None) + (n["id"],) for n, t in zip(nodes, tokens.nodes)])
        if index_body is not None and doc["present"]:
            index_body(conn, doc["pk"], tokens)
    return count


def node_index_tokens(doc: DocTokens, t: NodeTokens) -> tuple[str, str | None]:
    """(heading, text) a node is indexed with: what the view node_fts_content gives for its row."""
    own = t.tokens or None if t.token_span is None else doc.text[t.token_span[0]:t.token_span[1]]
    return t.heading, own


NODE_COLUMNS = "text, text_start, text_end, tok_heading, tok_start, tok_end, tokens, fts_first, fts_count, fts_size"


def node_values(t: NodeTokens, token_spans: bool = True) -> tuple:
    """The values of a node's row for ``NODE_COLUMNS``; without ``token_spans`` (SQLite, which
    keeps no body token string for ``tok_start``/``tok_end`` to point into) those are NULL."""
    text_span = t.text_span or (None, None)
    token_span = (t.token_span if token_spans else None) or (None, None)
    return (t.text, *text_span, t.heading, *token_span, t.tokens or None, t.index_first, t.index_count, t.index_size)


# --- FTS5 tables (SQLite) -------------------------------------------------------------------

_DOC_COLS = "title, doc_number, issuers, text"
_OWN = "({r}.tok_heading != '' OR {r}.tokens != '')"  # a node in heading_fts
_INDEXED = "EXISTS (SELECT 1 FROM doc_fts_docsize WHERE id = old.pk)"

# The body's index tokens are not stored beside its text (they were 1.5× the source): doc_fts
# is contentless, and a document's body tokens, which FTS5 must be given again to take the
# document out, are read back from the index itself (its 'instance' rows, in order).  A
# trigram index's tokens overlap: the string is its first trigram and each next one's last
# character.
_BODY = {
    "unicode61": "group_concat(term, ' ')",
    "trigram": "group_concat(CASE WHEN offset = 0 THEN term ELSE substr(term, 3) END, '')",
}


def _body(scheme: Scheme) -> str:
    """SQL for the token string doc_fts holds of document old.pk's body."""
    joined = _BODY[scheme.fts_tokenize.split()[0]]
    return (f"(SELECT {joined} FROM (SELECT term, offset FROM doc_fts_terms WHERE doc = old.pk AND col = 'text'"
            " ORDER BY offset))")


def _ddl(scheme: Scheme) -> list[str]:
    tokenize = scheme.fts_tokenize
    doc_del = (f"INSERT INTO doc_fts(doc_fts, rowid, {_DOC_COLS}) SELECT 'delete', old.pk, old.tok_title,"
               f" old.tok_number, old.tok_issuers, {_body(scheme)} WHERE {_INDEXED}")
    # A present document whose title, 文号 or issuers change is indexed again with the body it
    # had (kept in doc_fts_body meanwhile); one that becomes present is indexed by its writer.
    doc_renew = (f"INSERT INTO doc_fts_body(pk, text) SELECT old.pk, {_body(scheme)} WHERE new.present = 1"
                 f" AND {_INDEXED}; {doc_del}; INSERT INTO doc_fts(rowid, {_DOC_COLS}) SELECT new.pk, new.tok_title,"
                 " new.tok_number, new.tok_issuers, text FROM doc_fts_body WHERE pk = old.pk;"
                 " DELETE FROM doc_fts_body WHERE pk = old.pk")
    # A node's own row is all its heading index needs: no read of the document (nor under a
    # cascade).  Only nodes with a heading or a text of their own are in it (~15 %: most
    # clauses have neither, and a row costs the writer as much whatever it holds).
    node_del = (f"INSERT INTO heading_fts(heading_fts, rowid, heading, text) SELECT 'delete', old.id, old.tok_heading,"
                f" old.tokens WHERE {_OWN.format(r='old')}")
    node_ins = (f"INSERT INTO heading_fts(rowid, heading, text) SELECT new.id, new.tok_heading, new.tokens"
                f" WHERE {_OWN.format(r='new')}")
    own_new, own_old = _OWN.format(r="new"), _OWN.format(r="old")
    return [
        f"CREATE VIRTUAL TABLE doc_fts USING fts5({_DOC_COLS}, content='', tokenize='{tokenize}')",
        "CREATE VIRTUAL TABLE doc_fts_terms USING fts5vocab(doc_fts, instance)",
        "CREATE TABLE doc_fts_body(pk INTEGER PRIMARY KEY, text TEXT)",
        "CREATE VIEW heading_fts_content AS SELECT id, tok_heading AS heading, tokens AS text FROM outline_nodes"
        f" WHERE {_OWN.format(r='outline_nodes')}",
        "CREATE VIRTUAL TABLE heading_fts USING fts5(heading, text, content='heading_fts_content', content_rowid='id',"
        f" tokenize='{tokenize}')",
        f"CREATE TRIGGER doc_fts_ad AFTER DELETE ON documents WHEN old.present = 1 BEGIN {doc_del}; END",
        "CREATE TRIGGER doc_fts_au AFTER UPDATE OF tok_title, tok_number, tok_issuers, present ON documents"
        f" WHEN old.present = 1 BEGIN {doc_renew}; END",
        f"CREATE TRIGGER heading_fts_ai AFTER INSERT ON outline_nodes WHEN {own_new} BEGIN {node_ins}; END",
        f"CREATE TRIGGER heading_fts_ad AFTER DELETE ON outline_nodes WHEN {own_old} BEGIN {node_del}; END",
        f"CREATE TRIGGER heading_fts_au AFTER UPDATE OF tok_heading, tokens ON outline_nodes BEGIN {node_del};"
        f" {node_ins}; END",
    ]


def index_body(conn: sqlite3.Connection, pk: int, tokens: DocTokens) -> None:
    """Put a present document that is not in doc_fts into it, with its tokens in hand."""
    conn.execute(f"INSERT INTO doc_fts(rowid, {_DOC_COLS}) SELECT ?, ?, ?, ?, ?"
                 " WHERE NOT EXISTS (SELECT 1 FROM doc_fts_docsize WHERE id = ?)",
                 (pk, tokens.title, tokens.doc_number, tokens.issuers, tokens.text, pk))


def _varints(blob: bytes) -> list[int]:
    """The integers of an FTS5 record (SQLite's varints: 7 bits a byte, the high bit says
    more follow, a 9th byte whole)."""
    values, at = [], 0
    while at < len(blob):
        value = 0
        for i in range(9):
            byte = blob[at]
            at += 1
            if i == 8:
                value = value << 8 | byte
                break
            value = value << 7 | byte & 0x7F
            if byte < 0x80:
                break
        values.append(value)
    return values


def _take_out(conn: sqlite3.Connection, indexed: Callable[[str], list[str]],
              docs: Sequence[tuple[dict, DocTokens]]) -> None:
    """FTS5's 'delete' of documents in doc_fts, given the tokens it indexed: the stored
    title, 文号 and issuers tokens, and the body cut again from its stored text.  A document
    whose tokens FTS5 counted otherwise (``doc_fts_docsize``: a cutter that changed since)
    is left to the triggers, which read its tokens back from the index itself (exact, but
    the whole index is read: ~0.6 s a document on lawref)."""
    sizes = {row["id"]: row["sz"] for row in conn.execute(
        "SELECT id, sz FROM doc_fts_docsize WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps([doc["pk"] for doc, _ in docs]),))}
    rows = []
    for doc, tokens in docs:
        strings = (doc["tok_title"] or "", doc["tok_number"] or "", doc["tok_issuers"] or "", tokens.text)
        if doc["pk"] in sizes and _varints(sizes[doc["pk"]]) == [len(indexed(s)) for s in strings]:
            rows.append((doc["pk"], *strings))
    conn.executemany(f"INSERT INTO doc_fts(doc_fts, rowid, {_DOC_COLS}) VALUES ('delete', ?, ?, ?, ?, ?)", rows)


def unindex(conn: sqlite3.Connection, scheme: Scheme, where: str, params: Sequence) -> list[DocTokens]:
    """Take the present documents matching ``where`` (over documents) out of doc_fts before
    they are deleted or re-indexed: what is left for the triggers to do is then nothing.
    Returns their tokens as cut again."""
    docs = [(doc, tokens) for doc, _, tokens in recut(conn, scheme, f"present = 1 AND {where}", params)]
    _take_out(conn, index_tokens(scheme), docs)
    return [tokens for _, tokens in docs]


_TRIGGERS = ("doc_fts_ai", "doc_fts_ad", "doc_fts_au", "heading_fts_ai", "heading_fts_ad", "heading_fts_au",
             # layout 3's (node_fts, the body indexed a second time)
             "doc_fts_bd", "doc_fts_nodes_au", "node_fts_ai", "node_fts_ad", "node_fts_au")


def _drop(conn: sqlite3.Connection) -> None:
    for name in _TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    conn.execute("DROP TABLE IF EXISTS doc_fts_terms")
    conn.execute("DROP TABLE IF EXISTS doc_fts_body")
    for fts in ("doc_fts", "node_fts", "heading_fts"):  # and the triggers of the layout before store-side tokens
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
    ddl = _ddl(scheme)
    triggers = [sql for sql in ddl if sql.startswith("CREATE TRIGGER")]
    for statement in ddl:
        if statement not in triggers:
            conn.execute(statement)
    fill_tokens(conn, scheme, index_body=index_body)  # before the triggers: the headings' index is built after
    for statement in triggers:
        conn.execute(statement)
    conn.execute("INSERT INTO heading_fts(heading_fts) VALUES ('rebuild')")
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (SCHEME_KEY, scheme_tag(scheme)),
    )
    return scheme
