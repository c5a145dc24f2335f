"""Documents' outlines as clause search reads them: per document the nodes' ids, parents,
anchors, numbers, headings and where each node's text lies (a span of the document's text, or
a text of its own), kept by a store until the database changes (``Outlines``), the least
recently used going first past OUTLINE_CACHE_NODES.

A read-only store on a file takes them from ``pack``: every document's nodes in arrays, made
in one pass once per version of the database, kept in gongbao's cache folder and mapped by
every process (``Store.outline_pack``); a writer and PostgreSQL read each document's nodes
aggregated (``read_outlines``).

Search and Q&A look for their words in the outlines of the same few documents over and over
(a law answers many queries): with the outline kept, finding a document's clauses is a few
string searches in Python instead of a statement over every one of its nodes.
"""

from __future__ import annotations

import operator
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from itertools import groupby

from gongbao.models import OutlinePack
from gongbao.store.kept import KeptByPk
from gongbao.store.records import NodeText

OUTLINE_CACHE_NODES = 120_000  # outline nodes a store keeps (about half the nodes of lawref)
_SEP = "\x1f"  # between the headings, anchors and numbers of a document's nodes (none holds it)
_NUMBERS = ("id", "position", "coalesce(parent_id, 0)", "coalesce(text_start, -1)", "coalesce(text_end, -1)")
_TEXTS = ("anchor", "number", "heading")
_COLUMNS = ", ".join(_NUMBERS + _TEXTS)


def cased(word: str) -> bool:
    """Whether ``word`` has ASCII letters (the only ones the store's lower() folds)."""
    return any(c.isascii() and c.isalpha() for c in word)


def ascii_lower(text: str) -> str:
    """``text`` with its ASCII letters lowered, the others as they are: bytes.lower() on its
    UTF-8 (whose multi-byte characters hold no ASCII byte), 30 times as fast as str.translate
    on Chinese text."""
    return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")


def searched(body: str, words: list[str]) -> list[tuple[str, str]]:
    """(word, the text to find it in) — ``body`` with ASCII letters folded for the words that
    have some."""
    folded = ascii_lower(body) if any(map(cased, words)) else body
    return [(word, folded if cased(word) else body) for word in words]


class Outline:
    """One document's outline nodes in document order."""

    __slots__ = ("doc_pk", "ids", "parents", "anchors", "numbers", "headings", "starts", "ends", "own", "_spans",
                 "_headings")

    def __init__(self, doc_pk: int, columns: list, own_texts: dict[int, str]) -> None:
        """From the columns of its nodes in document order (ids, parents, starts, ends — parent 0
        and start/end -1 for none —, anchors, numbers, headings) and the own texts (by node id)
        of the nodes that are no span of the document's text."""
        ids, parents, starts, ends, anchors, numbers, headings = columns
        self.doc_pk, self.ids, self.anchors, self.numbers, self.headings = doc_pk, list(ids), anchors, numbers, headings
        self.parents = [p or None for p in parents]
        self.starts = [None if s < 0 else s for s in starts]
        self.ends = [None if e < 0 else e for e in ends]
        at = {node_id: i for i, node_id in enumerate(self.ids)} if own_texts else {}
        self.own = {at[node_id]: text for node_id, text in own_texts.items() if node_id in at}  # node index → text
        self._spans: tuple[list[int], list[int], list[int]] | None = None
        self._headings: tuple[str, list[int]] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def spans(self) -> tuple[list[int], list[int], list[int]]:
        """(node indexes, starts, ends) of the nodes that are spans of the text, by start."""
        if self._spans is None:
            rows = sorted((s, i) for i, s in enumerate(self.starts) if s is not None)
            self._spans = ([i for _, i in rows], [s for s, _ in rows], [self.ends[i] for _, i in rows])
        return self._spans

    def holding(self, body: str, words: list[str]) -> dict[str, set[int]]:
        """For each of ``words``, the indexes of the nodes whose heading or text holds it whole
        (folded as the store's lower() folds, for the words with ASCII letters)."""
        if self._headings is None:
            self._headings = (_SEP.join(self.headings), _offsets(self.headings))
        blob, offsets = self._headings
        out: dict[str, set[int]] = {word: set() for word in words}
        for word, found in _found(blob, offsets, [w for w in words if _SEP not in w]).items():  # a heading holds no separator
            out[word].update(found)
        for word, found in _holding_own(self.own, words).items():
            out[word].update(found)
        indexes, starts, ends = self.spans()
        if indexes and not all(map(operator.le, ends[:-1], starts[1:])):  # not disjoint, as the writer lays them out
            for word, text in searched(body, words):
                out[word].update(i for i, s, e in zip(indexes, starts, ends) if word in text[s:e])
        elif indexes:
            for word, found in _found(body, starts, words, ends).items():
                out[word].update(indexes[k] for k in found)
        return out

    def node(self, i: int, body: str) -> NodeText:
        """Node ``i`` with its text (cut from ``body`` when it is a span of it)."""
        start = self.starts[i]
        text = body[start : self.ends[i]] if start is not None else self.own.get(i, "")
        return NodeText(self.ids[i], self.doc_pk, self.parents[i], self.anchors[i], self.numbers[i], self.headings[i],
                        text)


def _holding_own(own: dict[int, str], words: list[str]) -> dict[str, list[int]]:
    """For each of ``words``, which of the nodes' own texts (node index → text) hold it."""
    out: dict[str, list[int]] = {word: [] for word in words}
    folding = [cased(word) for word in words]
    for i, text in own.items():
        folded = ascii_lower(text) if any(folding) else text
        for word, fold in zip(words, folding):
            if word in (folded if fold else text):
                out[word].append(i)
    return out


def _offsets(parts: list[str]) -> list[int]:
    """Where each of ``parts`` starts in ``_SEP.join(parts)``."""
    out, at = [], 0
    for part in parts:
        out.append(at)
        at += len(part) + 1
    return out


def _found(text: str, starts: list[int], words: list[str], ends: list[int] | None = None) -> dict[str, set[int]]:
    """For each of ``words``, which of the disjoint parts of ``text`` (beginning at ``starts``,
    sorted, and ending at ``ends`` or where the next begins) hold it whole: its occurrences
    placed by bisection, the search going on from the next part once a part holds the word."""
    out: dict[str, set[int]] = {}
    for word, searched_text in searched(text, words):
        held = out.setdefault(word, set())
        at = searched_text.find(word)
        while at >= 0:
            k = bisect_right(starts, at) - 1
            if k >= 0 and at + len(word) <= (ends[k] if ends is not None else len(text) if k + 1 == len(starts)
                                             else starts[k + 1] - 1):
                held.add(k)
                at = searched_text.find(word, starts[k + 1]) if k + 1 < len(starts) else -1
            else:
                at = searched_text.find(word, at + 1)
    return out


class Outlines(KeptByPk[Outline]):
    """Outlines by document pk (``Outline``), as a store keeps them until the database changes."""

    def __init__(self) -> None:
        super().__init__(lambda: OUTLINE_CACHE_NODES, len)

    def read(self, load: Callable[[list[int]], dict[int, Outline]], pks: Iterable[int]) -> dict[int, Outline]:
        """The outlines of the documents ``pks``, those not kept by ``load`` (``unpacked`` from
        a store's ``OutlinePack``, else ``read_outlines``)."""
        return self.kept_or_loaded(pks, load)


def read_outlines(tuples: Callable[[str, list], list[tuple]], agg: str, pks: list[int]) -> dict[int, Outline]:
    """The outlines of the documents ``pks`` read by one statement (its values aggregated per
    document) and their own texts by a second; ``tuples`` runs a statement, ``agg`` is the
    engine's string aggregate."""
    marks = ",".join("?" * len(pks))
    own = _own_texts(tuples, f"doc_pk IN ({marks}) AND ", pks)
    numbers = ", ".join(f"{agg}(CAST({c} AS TEXT), ',')" for c in _NUMBERS)
    texts = ", ".join(f"{agg}({c}, '{_SEP}')" for c in _TEXTS)
    out = {pk: Outline(pk, [[]] * 7, {}) for pk in pks}
    for doc_pk, count, *columns in tuples(f"SELECT doc_pk, count(*), {numbers}, {texts} FROM outline_nodes"
                                          f" WHERE doc_pk IN ({marks}) GROUP BY doc_pk", pks):
        split = [list(map(int, c.split(","))) for c in columns[:5]] + [c.split(_SEP) for c in columns[5:]]
        if any(len(c) != count for c in split):  # a value holding the separator: read row by row
            split = [list(c) for c in zip(*tuples(f"SELECT {_COLUMNS} FROM outline_nodes WHERE doc_pk = ?", [doc_pk]))]
        rows = sorted(zip(*split), key=operator.itemgetter(1))  # by position, which the aggregate does not keep
        ordered = [list(c) for c in zip(*rows)]
        out[doc_pk] = Outline(doc_pk, ordered[:1] + ordered[2:], own.get(doc_pk, {}))
    return out


def _own_texts(tuples: Callable[[str, list], list[tuple]], where: str, params: list) -> dict[int, dict[int, str]]:
    """Document pk → node id → the own text of each node (chosen by ``where``) that is no span of
    its document's text."""
    own: dict[int, dict[int, str]] = {}
    for doc_pk, node_id, text in tuples(f"SELECT doc_pk, id, text FROM outline_nodes WHERE {where}text_start IS NULL"
                                        " AND text <> ''", params):
        own.setdefault(doc_pk, {})[node_id] = text
    return own


def pack(tuples: Callable[[str, list], list[tuple]]) -> OutlinePack:
    """Every document's outline, read in one pass in document order."""
    docs, firsts = array("q"), array("q")
    columns = [array("q") for _ in range(4)]  # ids, parents, starts, ends
    texts = []
    rows = tuples(f"SELECT doc_pk, {_COLUMNS} FROM outline_nodes ORDER BY doc_pk, position", [])
    for doc_pk, group in groupby(rows, key=operator.itemgetter(0)):
        nodes = list(group)
        docs.append(doc_pk)
        firsts.append(len(columns[0]))
        for column, k in zip(columns, (1, 3, 4, 5)):  # position (2) is the order itself
            column.extend(row[k] for row in nodes)
        texts.append(tuple(_joined([row[k] for row in nodes]) for k in (6, 7, 8)))
    firsts.append(len(columns[0]))
    return OutlinePack(docs, firsts, *columns, tuple(texts), _own_texts(tuples, "", []))


def _joined(values: list[str]) -> str | tuple[str, ...]:
    """``values`` joined by the separator, or as they are when one holds it."""
    joined = _SEP.join(values)
    return joined if joined.count(_SEP) == len(values) - 1 else tuple(values)


def unpacked(outlines: OutlinePack, pks: list[int]) -> dict[int, Outline]:
    """The outlines of the documents ``pks`` from ``pack``'s arrays."""
    out = {}
    for pk in pks:
        k = bisect_left(outlines.docs, pk)
        if k == len(outlines.docs) or outlines.docs[k] != pk:
            out[pk] = Outline(pk, [[]] * 7, {})
            continue
        first, end = outlines.firsts[k], outlines.firsts[k + 1]
        texts = [t.split(_SEP) if isinstance(t, str) else list(t) for t in outlines.texts[k]]
        numbers = [c[first:end] for c in (outlines.ids, outlines.parents, outlines.starts, outlines.ends)]
        out[pk] = Outline(pk, numbers + texts, outlines.own.get(pk, {}))
    return out
