"""Documents' outlines as clause search reads them: per document the nodes' ids, positions,
parents, anchors, numbers, headings and where each node's text lies (a span of the document's
text, or a text of its own), kept by a store until the database changes (``Outlines``), the
least recently used going first past OUTLINE_CACHE_NODES.

Search and Q&A look for their words in the outlines of the same few documents over and over
(a law answers many queries): with the outline kept, finding a document's clauses is a few
string searches in Python instead of a statement over every one of its nodes.
"""

from __future__ import annotations

import operator
from bisect import bisect_right
from collections.abc import Callable, Iterable

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

    def __init__(self, doc_pk: int, columns: list[list], own_texts: dict[int, str]) -> None:
        """From the columns of its nodes (ids, positions, parents, starts, ends — parent 0 and
        start/end -1 for none —, anchors, numbers, headings), in any order, and the own texts
        (by node id) of the nodes that are no span of the document's text."""
        rows = sorted(zip(*columns), key=operator.itemgetter(1))
        ids, _, parents, starts, ends, anchors, numbers, headings = (list(c) for c in zip(*rows)) if rows else [[]] * 8
        self.doc_pk, self.ids, self.anchors, self.numbers, self.headings = doc_pk, ids, anchors, numbers, headings
        self.parents = [p or None for p in parents]
        self.starts = [None if s < 0 else s for s in starts]
        self.ends = [None if e < 0 else e for e in ends]
        at = {node_id: i for i, node_id in enumerate(ids)} if own_texts else {}
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

    def read(self, tuples: Callable[[str, list], list[tuple]], agg: str, pks: Iterable[int]) -> dict[int, Outline]:
        """The outlines of the documents ``pks`` (those not kept read by one statement per
        chunk: its values aggregated per document, the own texts by a second); ``tuples`` runs
        a statement, ``agg`` is the engine's string aggregate."""
        return self.kept_or_loaded(pks, lambda chunk: self._load(tuples, agg, chunk))

    def _load(self, tuples: Callable[[str, list], list[tuple]], agg: str, pks: list[int]) -> dict[int, Outline]:
        marks = ",".join("?" * len(pks))
        own: dict[int, dict[int, str]] = {}
        for doc_pk, node_id, text in tuples(f"SELECT doc_pk, id, text FROM outline_nodes WHERE doc_pk IN ({marks})"
                                            " AND text_start IS NULL AND text <> ''", pks):
            own.setdefault(doc_pk, {})[node_id] = text
        numbers = ", ".join(f"{agg}(CAST({c} AS TEXT), ',')" for c in _NUMBERS)
        texts = ", ".join(f"{agg}({c}, '{_SEP}')" for c in _TEXTS)
        out = {pk: Outline(pk, [[]] * 8, {}) for pk in pks}
        for doc_pk, count, *columns in tuples(f"SELECT doc_pk, count(*), {numbers}, {texts} FROM outline_nodes"
                                              f" WHERE doc_pk IN ({marks}) GROUP BY doc_pk", pks):
            split = [list(map(int, c.split(","))) for c in columns[:5]] + [c.split(_SEP) for c in columns[5:]]
            if any(len(c) != count for c in split):  # a value holding the separator: read row by row
                split = [list(c) for c in zip(*tuples(f"SELECT {_COLUMNS} FROM outline_nodes WHERE doc_pk = ?", [doc_pk]))]
            out[doc_pk] = Outline(doc_pk, split, own.get(doc_pk, {}))
        return out
