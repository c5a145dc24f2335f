"""Outline nodes found and ranked from the one index of the body (SQLite).

An outline node's text is a run of its document's index tokens (``outline_nodes.fts_first``
and ``fts_count``, store.fts), so the places FTS5 keeps for the documents (the fts5vocab
'instance' rows of ``doc_fts``) say which nodes hold a token; headings and the nodes that are
no span of the body come from the small ``heading_fts``.  Over those counts a node is ranked
as FTS5's bm25() ranked the rows of the node index this replaces (one row per node, heading
and text weighing 1): the node count and mean length over all nodes, a phrase's idf from the
nodes holding it.

The FTS5 expressions read here are the ones search.tokenize makes: double-quoted phrases
(a trailing ``*`` asks for a prefix), AND, OR and parentheses.
"""

from __future__ import annotations

import functools
import heapq
import math
import operator
import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Set
from typing import Protocol

from gongbao.errors import StoreError
from gongbao.models import Counts, Phrase, Runs

K1, B = 1.2, 0.75  # FTS5's bm25() constants
MIN_IDF = 1e-6  # FTS5: an idf at or below zero counts as this
_PREFIX_END = "\U0010ffff"
_LEX = re.compile(r'\s*(?:"((?:[^"]|"")*)"(\*?)|(\()|(\))|(AND|OR)(?![^\s()"]))')

Tokens = Callable[[str], list[str]]


# An expression: a phrase's index, or ("AND" | "OR", [sub-expressions]).
Expr = int | tuple[str, list]


class _Parser:
    def __init__(self, expression: str, tokens: Tokens) -> None:
        self.items: list[tuple] = []
        at = 0
        while at < len(expression.rstrip()):
            m = _LEX.match(expression, at)
            if not m:
                raise StoreError(f"unsupported full-text expression: {expression!r}")
            self.items.append(m.groups())
            at = m.end()
        self.at, self.tokens, self.phrases = 0, tokens, []

    def _peek(self) -> tuple | None:
        return self.items[self.at] if self.at < len(self.items) else None

    def parse(self) -> Expr:
        expr = self._or()
        if self._peek() is not None:
            raise StoreError("unsupported full-text expression")
        return expr

    def _or(self) -> Expr:
        parts = [self._and()]
        while (item := self._peek()) is not None and item[4] == "OR":
            self.at += 1
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else ("OR", parts)

    def _and(self) -> Expr:
        parts = [self._primary()]
        while (item := self._peek()) is not None and item[3] is None and item[4] != "OR":
            if item[4] == "AND":
                self.at += 1
            parts.append(self._primary())
        return parts[0] if len(parts) == 1 else ("AND", parts)

    def _primary(self) -> Expr:
        item = self._peek()
        if item is None or item[3] is not None or item[4] is not None:
            raise StoreError("unsupported full-text expression")
        self.at += 1
        if item[2] is not None:
            expr = self._or()
            if (closing := self._peek()) is None or closing[3] is None:
                raise StoreError("unsupported full-text expression")
            self.at += 1
            return expr
        self.phrases.append(Phrase(tuple(self.tokens(item[0].replace('""', '"'))), item[1] == "*"))
        return len(self.phrases) - 1


def parse(expression: str, tokens: Tokens) -> tuple[Expr, list[Phrase]]:
    """The expression's tree and its phrases (cut and folded by ``tokens``, the index's tokenizer)."""
    parser = _Parser(expression, tokens)
    return parser.parse(), parser.phrases


def _tuples(conn, sql: str, args: list) -> list[tuple]:
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples whatever the connection's row factory
    return cursor.execute(sql, args).fetchall()


def _term(prefix: bool) -> str:
    return "term >= ? AND term < ?" if prefix else "term = ?"


def _args(token: str, prefix: bool) -> list[str]:
    return [token, token + _PREFIX_END] if prefix else [token]


def _vocab(conn, table: str, kind: str = "instance") -> str:
    name = f"{table}_{kind}s"
    conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{name} USING fts5vocab(main, {table}, '{kind}')")
    return f"temp.{name}"


_DOC_SHIFT = 1 << 32  # a place in the bodies as one integer: document pk × this + token ordinal
_ABSENT = -1  # in Runs.sizes: a node of no present document (or no node)

# Plain Python over arrays, not numpy: importing numpy cost a whole `gongbao ask` about 0.1 s,
# more than this takes for the places and nodes a question reads (docs/store.md).


def load_runs(conn, tokens: Tokens) -> Runs:
    """The outline nodes' runs and lengths (a node a client wrote by hand without its length
    is counted here)."""
    starts, ends, ids = array("q"), array("q"), array("q")
    for start, end, node in _tuples(conn, f"SELECT doc_pk * {_DOC_SHIFT} + fts_first, doc_pk * {_DOC_SHIFT} + fts_first"
                                          " + fts_count, id FROM outline_nodes WHERE fts_first IS NOT NULL AND fts_count > 0"
                                          " ORDER BY 1", []):
        starts.append(start)
        ends.append(end)
        ids.append(node)
    documents = _tuples(conn, "SELECT max(pk) FROM documents", [])[0][0] or 0
    firsts = array("q", (bisect_left(starts, doc * _DOC_SHIFT) for doc in range(documents + 2)))
    last = _tuples(conn, "SELECT max(id) FROM outline_nodes", [])[0][0] or 0
    sizes, docs = array("q", [_ABSENT]) * (last + 1), array("q", [0]) * (last + 1)
    rows = total = 0
    for node, doc, size, heading, own, shown in _tuples(
            conn, "SELECT n.id, n.doc_pk, n.fts_size, CASE WHEN n.fts_size IS NULL THEN n.tok_heading END,"
                  " CASE WHEN n.fts_size IS NULL THEN n.tokens END, d.present"
                  " FROM outline_nodes n JOIN documents d ON d.pk = n.doc_pk", []):
        size = size if size is not None else len(tokens(heading or "")) + len(tokens(own or ""))
        rows, total = rows + 1, total + size
        if shown:
            sizes[node], docs[node] = size, doc
    return Runs(starts, ends, ids, firsts, sizes, docs, rows, total)


def _body_places(conn, token: str, prefix: bool, docs: list[int] | None) -> list[int]:
    """The places of ``token`` in the documents' bodies (``_DOC_SHIFT`` keys), ascending; only
    in ``docs`` unless None (SQLite drops the others as it reads: only those come to Python)."""
    among = "" if docs is None else f" AND doc IN ({','.join(map(str, docs))})"
    joined = _tuples(conn, f"SELECT group_concat(doc * {_DOC_SHIFT} + offset) FROM {_vocab(conn, 'doc_fts')}"
                           f" WHERE {_term(prefix)} AND col = 'text'{among}", _args(token, prefix))[0][0]
    places = list(map(int, joined.split(","))) if joined else []
    return sorted(places) if prefix else places  # one term's places come in order


def _own_places(conn, token: str, prefix: bool) -> set[tuple[int, str, int]]:
    """(node, column, token ordinal) of ``token`` in headings and in node texts of their own."""
    return set(_tuples(conn, f"SELECT doc, col, offset FROM {_vocab(conn, 'heading_fts')} WHERE {_term(prefix)}",
                       _args(token, prefix)))


def phrase_counts(conn, runs: Runs, phrase: Phrase, docs: list[int] | None = None) -> Counts:
    """The nodes holding ``phrase`` (its tokens in a row, in one column) and how many times:
    those of present documents among ``docs`` unless None."""
    counts: Counts = {}
    if not phrase.tokens:
        return counts
    last = len(phrase.tokens) - 1
    places = _body_places(conn, phrase.tokens[0], phrase.prefix and last == 0, docs)
    for k in range(1, last + 1):
        following = set(_body_places(conn, phrase.tokens[k], phrase.prefix and k == last, docs))
        places = [p for p in places if p + k in following]
    _count_in_runs(runs, places, last, counts)
    own = [_own_places(conn, t, phrase.prefix and k == last) for k, t in enumerate(phrase.tokens)]
    for node, col, offset in own[0]:
        if all((node, col, offset + k) in own[k] for k in range(1, last + 1)):
            counts[node] = counts.get(node, 0) + 1
    return counts


def _count_in_runs(runs: Runs, places: list[int], last: int, counts: Counts) -> None:
    """Add to ``counts`` the nodes whose runs hold each of ``places`` to ``last`` tokens on."""
    starts, ends, ids, firsts = runs.starts, runs.ends, runs.ids, runs.firsts
    for place in places:
        doc = place // _DOC_SHIFT
        at = bisect_right(starts, place, firsts[doc], firsts[doc + 1]) - 1
        if at >= firsts[doc] and place + last < ends[at]:
            node = ids[at]
            counts[node] = counts.get(node, 0) + 1


RESTRICT = 4  # a phrase ANDed with one this many times rarer is looked for in that one's documents only


def _restricted(conn, expr: Expr, phrases: list[Phrase]) -> dict[int, int]:
    """Phrases of an AND of phrases far more frequent than its rarest → that rarest one: only
    the documents of the nodes holding it can hold a node matching the AND."""
    if isinstance(expr, int):
        return {}
    op, parts = expr
    if op == "OR" or not all(isinstance(p, int) for p in parts):
        return {i: rarest for part in parts for i, rarest in _restricted(conn, part, phrases).items()}
    places = {p: _places(conn, phrases[p]) for p in parts}
    rarest = min(parts, key=lambda p: (places[p], p))
    return {p: rarest for p in parts if places[p] > RESTRICT * max(places[rarest], 1)}


def _places(conn, phrase: Phrase) -> int:
    """How many places in the documents hold the phrase's rarest token (fts5vocab 'row': no
    place is read)."""
    if phrase.prefix or not phrase.tokens:
        return 1 << 62
    vocab = _vocab(conn, "doc_fts", "row")
    return min((_tuples(conn, f"SELECT cnt FROM {vocab} WHERE term = ?", [t]) or [(0,)])[0][0] for t in phrase.tokens)


def _matched(expr: Expr, held: list[Counts]) -> tuple[Set[int], dict[int, Set[int]]]:
    """(which nodes match ``expr``, phrase → the matching nodes it is scored in), of the nodes
    ``held`` (each phrase's): FTS5 counts no place of a phrase under an AND a node fails."""
    if isinstance(expr, int):
        found = held[expr].keys()
        return found, {expr: found}
    op, parts = expr
    results = [_matched(part, held) for part in parts]
    scored = {i: s for _, c in results for i, s in c.items()}
    if op == "OR":
        return set().union(*(m for m, _ in results)), scored
    found = functools.reduce(operator.and_, (m for m, _ in results))
    return found, {i: s & found for i, s in scored.items()}


def _documents(runs: Runs, nodes: Counts) -> list[int]:
    """The documents of ``nodes`` (those of present documents), ascending."""
    return sorted({runs.docs[node] for node in nodes if runs.sizes[node] != _ABSENT})


class Known(Protocol):
    """What a reader keeps of the phrases it has counted (the store, per database version)."""

    def _phrase_node_counts(self, phrase: Phrase, within: Phrase | None = None,
                           docs: Callable[[], list[int]] | None = None, keep: bool = True) -> Counts:
        """The nodes holding ``phrase`` (``phrase_counts``); with ``within``: in ``docs()``
        only, the documents of the nodes holding ``within``; kept for the next call unless
        not ``keep``."""

    def _phrase_node_frequency(self, phrase: Phrase) -> int:
        """How many nodes hold ``phrase``."""


def matching(conn, expression: str, tokens: Tokens, runs: Runs, known: Known
             ) -> tuple[list[int], list[Counts], Set[int], dict[int, Set[int]]]:
    """(each phrase's node frequency, each phrase's counts, the nodes matching ``expression``,
    phrase → the matching nodes it is scored in).  A phrase ANDed with a far rarer one is
    counted in that one's documents only."""
    expr, phrases = parse(expression, tokens)
    restricted = _restricted(conn, expr, phrases)
    counts = [known._phrase_node_counts(p) if i not in restricted else None for i, p in enumerate(phrases)]
    for i, rarest in restricted.items():
        counts[i] = known._phrase_node_counts(phrases[i], phrases[rarest], lambda: _documents(runs, counts[rarest]))
    found, scored = _matched(expr, counts)
    frequencies = [known._phrase_node_frequency(p) if i in restricted else len(counts[i])
                   for i, p in enumerate(phrases)]
    return frequencies, counts, found, scored


def best_nodes(conn, expression: str, tokens: Tokens, runs: Runs, known: Known, limit: int) -> list[int]:
    """Ids of the ``limit`` best nodes of present documents matching ``expression`` by bm25(),
    best first (equal scores in id order)."""
    frequencies, counts, _, scored = matching(conn, expression, tokens, runs, known)
    rows = max(runs.rows, 1)
    avgdl = runs.tokens / rows if runs.tokens else 1.0
    sizes = runs.sizes
    scores: dict[int, float] = {}  # every matching node is scored in a phrase
    for i, these in enumerate(counts):  # phrase by phrase, as bm25() adds them up
        idf = max(math.log((rows - frequencies[i] + 0.5) / (frequencies[i] + 0.5)), 0.0) or MIN_IDF
        for node in scored[i]:
            if (size := sizes[node]) == _ABSENT:
                continue
            freq = float(these[node])
            scores[node] = scores.get(node, 0.0) + idf * ((freq * (K1 + 1.0)) / (freq + K1 * (1 - B + B * size / avgdl)))
    return [node for _, node in heapq.nsmallest(limit, ((-score, node) for node, score in scores.items()))]
