"""The statements search and Q&A need: full-text matches, ranked documents, clause texts,
facet counts.  A mixin of ``Store``; the ``fts_*`` methods are the engine's full-text index
(FTS5 here; store.postgres overrides them), the others are plain SQL both engines run.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from gongbao.models import OutlinePack, Phrase
from gongbao.store import fts
from gongbao.store.filters import ANY, Filters
from gongbao.store.nodeterms import FRESH
from gongbao.store.outlines import Outline, Outlines, pack, read_outlines, unpacked
from gongbao.store.read import NODE_TEXT_COLS, DocumentTexts, node_texts
from gongbao.store.records import Count, DocRef, DocText, NodeText, Preamble

if TYPE_CHECKING:
    from collections.abc import Callable

    from gongbao.models import Counts, Runs

_NO_FACTS = (None, None, (), None)  # a document without facet values
KEPT_PHRASES = 4096  # phrases whose nodes a store keeps (a few kB each: a common word's are not kept)

# bm25() column weights: title and 文号 above issuers above body text.
DOC_WEIGHTS = {"title": 8.0, "doc_number": 8.0, "issuers": 2.0, "text": 1.0}
_DOC_JOIN = " LEFT JOIN issues i ON i.id = d.issue_id LEFT JOIN series s ON s.id = i.series_id"
SQL_INT_MAX = 2**63 - 1
_CHUNK = 500  # ids per statement (well under SQLite's bound-parameter limit)


def _chunks(values: list) -> Iterable[list]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _marks(values: list) -> str:
    return ",".join("?" * len(values))


def index_filter(filters: Filters | None) -> tuple[str | None, list]:
    """The WHERE fragment for documents found through the index, or None when only the index
    is needed.  The index holds present documents only, so `present` is not asked of each row
    (it sits behind the long text)."""
    chosen = Filters.of(filters)
    if chosen.present is False:
        return "1 = 0", []
    where, params = replace(chosen, present=None).sql()
    return (None, []) if where == ANY else (where, params)


_NODE_COLS = f"n.id, n.doc_pk, n.parent_id, n.anchor, n.number, n.heading, {NODE_TEXT_COLS}"


class SearchQueries:
    """Reads for search (search.query) and Q&A (search.ask)."""

    GROUP_CONCAT = "group_concat"  # the engine's string aggregate (PostgreSQL: string_agg)
    # Outlines from ``outline_pack``: the portal's stores (made at its start). A one-shot command
    # reads a few documents' outlines, cheaper than loading the pack (20-50 ms) or making it.
    pack_outlines = False

    # --- full-text index (engine-specific) -----------------------------------------------

    def fts_matching(self, expression: str, filters: Filters | None = None, limit: int | None = None) -> list[int]:
        """Every document matching the FTS5 ``expression`` (and ``filters``), by pk; at most
        ``limit`` of them when given."""
        where, params = index_filter(filters)
        limit = -1 if limit is None else limit  # SQLite: a negative LIMIT is none
        if where is None:
            return self._column("SELECT rowid FROM doc_fts WHERE doc_fts MATCH ? LIMIT ?", [expression, limit])
        return self._column(f"SELECT d.pk FROM doc_fts JOIN documents d ON d.pk = doc_fts.rowid{_DOC_JOIN}"
                            f" WHERE doc_fts MATCH ? AND {where} LIMIT ?", [expression, *params, limit])

    def fts_best(self, expression: str, filters: Filters | None, k: int) -> list[tuple[int, float]]:
        """The ``k`` best matches as (pk, BM25 score), best first."""
        where, params = index_filter(filters)
        rank = f"bm25(doc_fts, {', '.join(str(w) for w in DOC_WEIGHTS.values())})"
        if where is None:
            sql = f"SELECT rowid, {rank} AS rank FROM doc_fts WHERE doc_fts MATCH ? ORDER BY rank LIMIT ?"
            args = [expression, k]
        else:
            sql = (f"SELECT d.pk, {rank} AS rank FROM doc_fts JOIN documents d ON d.pk = doc_fts.rowid{_DOC_JOIN}"
                   f" WHERE doc_fts MATCH ? AND {where} ORDER BY rank LIMIT ?")
            args = [expression, *params, k]
        return [(pk, -score) for pk, score in self._tuples(sql, args)]

    def fts_nodes(self, expression: str, limit: int) -> list[NodeText]:
        """Outline nodes of present documents matching ``expression``, best first (ranked by
        store.nodefts from the documents' index)."""
        from gongbao.store import nodefts

        ids = nodefts.best_nodes(self.conn, expression, self._index_tokens(), self._runs(), self, limit)
        found = self.nodes_by_id(ids)
        return [found[i] for i in ids if i in found]

    def fts_preambles(self, expression: str, limit: int) -> list[Preamble]:
        """Present documents matching ``expression``, best first, with their body and where
        their outline starts."""
        rows = self.conn.execute(
            "SELECT d.pk, d.title, d.text, d.body_spans, (SELECT min(n.line_first) FROM outline_nodes n"
            " WHERE n.doc_pk = d.pk) AS first_node FROM doc_fts JOIN documents d ON d.pk = doc_fts.rowid"
            " WHERE doc_fts MATCH ? AND d.present = 1 ORDER BY doc_fts.rank LIMIT ?",
            (expression, limit),
        ).fetchall()
        return [Preamble(**r) for r in rows]

    def fts_node_count(self, expression: str) -> int:
        """How many outline nodes match ``expression``."""
        from gongbao.store import nodefts

        return len(nodefts.matching(self.conn, expression, self._index_tokens(), self._runs(), self)[2])

    def fts_node_frequency(self, token: str) -> int:
        """How many outline nodes hold the index token ``token`` (0 when the index makes no
        such single token of it)."""
        indexed = self._index_tokens()(token)
        if indexed != [token]:
            return 0
        return self._phrase_node_frequency(Phrase((token,), False))

    # nodefts.Known: what the store keeps of the phrases it has counted

    def _phrase_node_counts(self, phrase: Phrase, within: Phrase | None = None,
                           docs: Callable[[], list[int]] | None = None, keep: bool = True) -> Counts:
        """The outline nodes holding ``phrase`` and how many times (with ``within``: in
        ``docs()`` only, the documents of the nodes holding ``within``); the last KEPT_PHRASES
        kept until the database changes (questions share their words), unless not ``keep``."""
        known = self.kept("node phrase counts", dict)
        key = (phrase, within)
        if key in known:
            known[key] = known.pop(key)  # the most recently used last
            return known[key]
        from gongbao.store.nodefts import phrase_counts

        counts = phrase_counts(self.conn, self._runs(), phrase, docs() if docs else None)
        if keep:
            known[key] = counts
            while len(known) > KEPT_PHRASES:
                del known[next(iter(known))]
        return counts

    def _phrase_node_frequency(self, phrase: Phrase) -> int:
        """How many outline nodes hold ``phrase``: a token's as the writer counted them
        (store.nodeterms), else counted once and kept until the database changes (also in the
        cache folder: a common word costs a read of all its places in the bodies)."""
        if len(phrase.tokens) == 1 and not phrase.prefix:
            fresh, nodes = self._tuples("SELECT (SELECT 1 FROM meta WHERE key = ?),"
                                        " (SELECT nodes FROM node_terms WHERE term = ?)", [FRESH, phrase.tokens[0]])[0]
            if fresh:
                return nodes or 0
        known = self.kept("node phrase frequencies", dict, lasting=True)
        if phrase not in known:
            # a common word's counts are not kept: asked for its frequency, it is searched
            # for in a rarer word's documents only (nodefts.RESTRICT), and they are big
            known[phrase] = len(self._phrase_node_counts(phrase, keep=False))
            self.keep_again("node phrase frequencies")
        return known[phrase]

    def _runs(self) -> Runs:
        """Where the outline nodes lie in the index, kept until the database changes."""
        from gongbao.store.nodefts import load_runs

        return self.kept("node runs", lambda: load_runs(self.conn, self._index_tokens()), lasting=True)

    def _index_tokens(self):
        return fts.index_tokens(fts.get_scheme(self.scheme))

    # --- plain reads ---------------------------------------------------------------------

    def number_matches(self, doc_numbers: list[str], filters: Filters | None = None) -> list[int]:
        """Documents (and ``filters``) whose 文号 is one of ``doc_numbers``, by pk."""
        if not doc_numbers:
            return []
        where, params = Filters.of(filters).sql()
        return self._column(f"SELECT d.pk FROM documents d{_DOC_JOIN} WHERE d.doc_number IN ({_marks(doc_numbers)})"
                            f" AND {where} ORDER BY d.pk", [*doc_numbers, *params])

    def doc_texts(self, pks: list[int], text: bool = True) -> dict[int, DocText]:
        """Documents by pk with what a hit or an answer shows and their text (empty when not
        ``text``: an answer needs only the rest, and a law's text is long; the texts kept by
        the store, ``document_texts``)."""
        out = {}
        for chunk in _chunks(list(dict.fromkeys(pks))):
            rows = self._rows(f"SELECT pk, id, doc_number, title, issuers, date, type FROM documents WHERE pk IN"
                              f" ({_marks(chunk)})", chunk)
            bodies = self.document_texts().read(self.conn, [row["pk"] for row in rows]) if text else {}
            for row in rows:
                out[row["pk"]] = DocText(**row, text=bodies.get(row["pk"], ""))
        return out

    def doc_refs(self, pks: Iterable[int]) -> dict[int, DocRef]:
        """Documents by pk, as named in lists."""
        out = {}
        for chunk in _chunks(list(dict.fromkeys(pks))):
            for row in self.conn.execute(
                f"SELECT pk, id, doc_number, title, present, date FROM documents WHERE pk IN ({_marks(chunk)})", chunk
            ):
                out[row["pk"]] = DocRef(**row)
        return out

    def clause_candidates(self, doc_pks: list[int], words: list[str],
                          texts: Mapping[int, str] | None = None) -> dict[int, tuple[int, list[NodeText]]]:
        """For each document: (how many outline nodes it has, its nodes whose heading or text
        holds any of ``words`` (folded to lower case), in document order)."""
        out: dict[int, tuple[int, list[NodeText]]] = {pk: (0, []) for pk in doc_pks}
        if not doc_pks or not words:
            return out
        for pk, (outline, body, held) in self.clause_holders(doc_pks, words, texts).items():
            out[pk] = (len(outline), [outline.node(i, body) for i in sorted(set().union(*held.values()))])
        return out

    def clause_holders(self, doc_pks: list[int], words: list[str],
                       texts: Mapping[int, str] | None = None) -> dict[int, tuple[Outline, str, dict[str, set[int]]]]:
        """For each document: its outline, its text, and for each of ``words`` (folded to lower
        case) the indexes of its outline nodes whose heading or text holds it.

        The documents' outlines are kept by the store (``outlines``); a node's text is mostly
        a span of its document's text, so the words are found once in each document's text
        (``texts`` when the caller has them) and the occurrences placed in the spans."""
        outlines = self.outlines(doc_pks)
        bodies = self.document_texts().read(self.conn, [pk for pk, outline in outlines.items() if outline.spans()[0]], texts)
        return {pk: (outline, bodies.get(pk) or "", outline.holding(bodies.get(pk) or "", words))
                for pk, outline in outlines.items()}

    def outlines(self, doc_pks: list[int]) -> dict[int, Outline]:
        """The outlines of documents by pk, kept until the database changes (store/outlines.py)."""
        packed = self.outline_pack() if self.pack_outlines else None
        load = (partial(unpacked, packed) if packed is not None
                else partial(read_outlines, self._tuples, self.GROUP_CONCAT))
        return self.kept("outlines", Outlines, shared=True).read(load, doc_pks)

    def outline_pack(self) -> OutlinePack | None:
        """Every document's outline in arrays (store/outlines.py ``pack``), kept per version of the
        database file in gongbao's cache folder and shared by the process's readers; None for a
        writer (it reads inside its transactions) or a database in no file (PostgreSQL, memory)."""
        if not self.readonly:
            return None
        with self.past_budget():  # made once per version, whatever the query: outside a request's budget
            if self.file_version() is None:
                return None
            with self.snapshot():  # the version it is kept under and what it is read from: one state
                return self.kept("outline pack", lambda: pack(self._tuples), lasting=True, shared=True)

    def document_texts(self) -> DocumentTexts:
        """The documents' texts this store keeps until the database changes (one per process)."""
        return self.kept("document texts", DocumentTexts, shared=True)

    def nodes_by_id(self, ids: Iterable[int]) -> dict[int, NodeText]:
        out = {}
        for chunk in _chunks(list(dict.fromkeys(ids))):
            out.update((n.id, n) for n in self._nodes(f"SELECT {_NODE_COLS} FROM outline_nodes n WHERE n.id IN"
                                                      f" ({_marks(chunk)})", chunk))
        return out

    def child_nodes(self, parent_ids: Iterable[int]) -> dict[int, list[NodeText]]:
        """parent id → its direct children, in document order."""
        nodes = []
        for chunk in _chunks(list(dict.fromkeys(parent_ids))):
            # no index on parent_id: a node's children lie between it and the next node of its
            # depth or above (pre-order), read by the (doc_pk, position) index
            nodes += self._nodes(f"SELECT {_NODE_COLS} FROM outline_nodes p JOIN outline_nodes n ON n.doc_pk = p.doc_pk"
                               " AND n.position > p.position AND n.position < coalesce((SELECT m.position FROM"
                               " outline_nodes m WHERE m.doc_pk = p.doc_pk AND m.position > p.position AND m.depth <="
                               f" p.depth ORDER BY m.position LIMIT 1), {SQL_INT_MAX}) WHERE p.id IN ({_marks(chunk)})"
                               " AND n.parent_id = p.id ORDER BY n.doc_pk, n.position", chunk)
        out: dict[int, list[NodeText]] = {}
        for n in nodes:
            out.setdefault(n.parent_id, []).append(n)
        return out

    def _nodes(self, sql: str, params: list) -> list[NodeText]:
        """The outline nodes a statement selects (``_NODE_COLS``), each with its text (cut from
        its document's text, kept by the store, when it is a span of it); rows as plain tuples."""
        rows = self._tuples(sql, params)
        texts = node_texts(self.conn, [row[1:2] + row[6:] for row in rows], self.document_texts())
        return [NodeText(*row[:6], text) for row, text in zip(rows, texts)]

    def node_sizes(self) -> tuple[int, float]:
        """(outline nodes, their average length in characters), kept until the database changes
        (it costs a scan)."""
        def compute() -> tuple[int, float]:
            row = self._rows("SELECT count(*) AS n, avg(length(heading) + CASE WHEN text_start IS NULL THEN length(text)"
                             " ELSE text_end - text_start END) AS avg_len FROM outline_nodes")[0]
            return int(row["n"] or 0), float(row["avg_len"] or 0.0)

        return self.kept("node sizes", compute, lasting=True)

    def stored_statuses(self, pks: list[int], day: str) -> dict[int, str] | None:
        """Status codes of the documents ``pks`` as the portal's derived tables keep them for
        ``day`` (store/portalsql.py), or None when those tables are stale or absent."""
        if not self.portal_fresh(day):
            return None
        out: dict[int, str] = {}
        for chunk in _chunks(list(dict.fromkeys(pks))):
            out.update(self._tuples(f"SELECT pk, status FROM portal_docs WHERE pk IN ({_marks(chunk)})", chunk))
        return out

    def facet_counts(self, pks: list[int]) -> dict[str, list[Count]]:
        """Counts of the documents ``pks`` by issuer, year and 文种, most frequent first."""
        counts: dict[str, dict] = {"issuer": {}, "year": {}, "type": {}}
        for chunk in _chunks(list(dict.fromkeys(pks))):
            for row in self._tuples(f"SELECT year, type FROM documents WHERE pk IN ({_marks(chunk)})", chunk):
                for name, value in zip(("year", "type"), row):
                    if value is not None:
                        counts[name][value] = counts[name].get(value, 0) + 1
            for (issuer,) in self._tuples(f"SELECT issuer FROM document_issuers WHERE doc_pk IN ({_marks(chunk)})", chunk):
                counts["issuer"][issuer] = counts["issuer"].get(issuer, 0) + 1
        return _most_first(counts)

    def facet_facts(self, pks: list[int] | None = None) -> dict[int, tuple]:
        """(year, 文种, distinct issuers, status) of the documents ``pks`` (every one when None)
        as the portal's derived tables keep them, by pk: what search facets count."""
        sql = "SELECT pk, year, type, issuers, status FROM portal_docs"
        rows = self._tuples(sql) if pks is None else [
            row for chunk in _chunks(list(dict.fromkeys(pks)))
            for row in self._tuples(f"{sql} WHERE pk IN ({_marks(chunk)})", chunk)]
        # documents of the same year, 文种, issuers and status share one tuple: a worker keeps
        # every document's (lawref + samples: 575 → 260 bytes a document; 0.26 GB at 1 M)
        shared: dict[tuple, tuple] = {}
        out = {}
        for pk, *values in rows:
            key = tuple(values)
            fact = shared.get(key)
            if fact is None:
                year, doc_type, issuers, status = values
                fact = shared[key] = (year, doc_type, frozenset(json.loads(issuers)), status)
            out[pk] = fact
        return out

    def stored_facet_counts(self, pks: list[int], day: str,
                            facts: Mapping[int, tuple] | None = None) -> dict[str, list[Count]] | None:
        """``facet_counts`` and the counts by status as the portal's derived tables keep them
        for ``day`` (one read of their compact rows), or None when those tables are stale or
        absent; ``facts``: ``facet_facts()`` of every document as the caller keeps it for
        ``day`` (then nothing is read)."""
        if facts is None:
            if not self.portal_fresh(day):
                return None
            facts = self.facet_facts(pks)
        counts: dict[str, dict] = {"issuer": {}, "year": {}, "type": {}, "status": {}}
        # documents sharing their facts share one tuple (``facet_facts``): counted by tuple
        # first, each tuple's values then added once (1,000 matches hold a few hundred tuples)
        shared = Counter(facts.get(pk) or _NO_FACTS for pk in dict.fromkeys(pks))
        for (year, doc_type, issuers, status), n in shared.items():
            for name, value in (("year", year), ("type", doc_type), ("status", status),
                                *(("issuer", issuer) for issuer in issuers)):
                if value is not None:
                    counts[name][value] = counts[name].get(value, 0) + n
        return _most_first(counts)


def _most_first(counts: dict[str, dict]) -> dict[str, list[Count]]:
    """Each facet's values with their counts, most frequent first (then by value)."""
    return {name: [Count(v, n) for v, n in sorted(found.items(), key=lambda kv: (-kv[1], str(kv[0])))]
            for name, found in counts.items()}
