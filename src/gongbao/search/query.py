"""Full-text search over the store: a user query → ranked documents with clause hits.

Stages, one function each: ``parse_query`` (text → terms, 文号s, operators), ``match_expression``
(terms → an FTS5 MATCH string in which every token is quoted), ``search`` (rank documents with
BM25, 文号 matches first, then the best-matching outline nodes and highlighted snippets).
The CLI (`gongbao search`) and the portal/API call ``search`` and ``facets``, so they answer
the same thing.

Query language: words separated by spaces must all match (AND); ``"…"`` / ``“…”`` is a phrase;
``OR`` (or ``|``) between two terms accepts either; ``-word`` excludes.  A run of Chinese
without spaces (a question, 超标粮食处置) is cut into words that must all match; when nothing
matches, the words of each term are relaxed to any-of, then the terms too (``relaxed``).

Cost is bounded before the engine sees a query: at most ``limits.MAX_QUERY_CHARS`` characters,
repeated terms dropped, then at most ``MAX_QUERY_TERMS`` terms and ``MAX_QUERY_UNITS`` index
tokens (a UsageError in Chinese otherwise: exit 2, HTTP 400); the time the engine may spend
is the store's budget (``Store.budget``).
"""

from __future__ import annotations

import heapq
import html
import importlib
import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from itertools import chain, islice
from typing import Any

from gongbao import limits
from gongbao.docnumber import continues_number, parse_doc_number
from gongbao.errors import UsageError
from gongbao.search.tokenize import highlight_terms, term_units
from gongbao.store.filters import Filters
from gongbao.store.outlines import Outline
from gongbao.store.records import Count, DocText, NodeText
from gongbao.store.sqlite import Store

NUMBER_MATCH_SCORE = 1000.0  # a document whose 文号 is the one asked for ranks above any text match
MAX_CLAUSES = 3
BM25_K1, BM25_B = 1.2, 0.75  # for scoring a document's clauses
SNIPPET_CHARS = 120
SNIPPET_SCAN = 200  # matches considered as the start of the snippet window
SNIPPET_READ = 16  # matches read at a time while the window slides
CLAUSE_SNIPPET_CHARS = 80
STATUS_SCAN = 200  # best matches looked at when filtering by status (the index does not hold status)
TOTAL_CAP = 1000  # text matches counted; beyond, the total says "at least" (counting them all costs more than the page)

_TOKEN = re.compile(r'(-?)(?:"([^"]*)"?|“([^”]*)”?|(\S+))')
_OR = {"OR", "|", "或"}
_AND = {"AND", "&"}
_NOT = {"NOT"}
_NONSPACE = re.compile(r"\S")


@dataclass(slots=True)
class Term:
    text: str
    phrase: bool = False


@dataclass(slots=True)
class ParsedQuery:
    """A query as parsed: ``clauses`` are ANDed, the terms inside one clause ORed."""

    text: str
    clauses: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    doc_numbers: list[str] = field(default_factory=list)  # normalised 文号s the query names


@dataclass(slots=True)
class ClauseHit:
    anchor: str
    heading: str
    snippet: str
    score: float


@dataclass(slots=True)
class SearchHit:
    id: str
    doc_number: str | None
    title: str
    issuers: list[str]
    date: str | None
    type: str | None
    status: str
    score: float
    snippet: str
    clauses: list[ClauseHit]


@dataclass(slots=True)
class SearchResult:
    query: str
    total: int
    hits: list[SearchHit]
    offset: int = 0
    limit: int = 10
    relaxed: bool = False  # nothing matched every word; these match some of them
    total_capped: bool = False  # more documents match than ``total``: it is a lower bound (TOTAL_CAP)

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape: ``{"query", "total", "hits": [...]}`` (plus paging)."""
        return {
            "query": self.query,
            "total": self.total,
            "offset": self.offset,
            "limit": self.limit,
            "relaxed": self.relaxed,
            "total_capped": self.total_capped,
            "hits": [asdict(hit) for hit in self.hits],
        }


# --- parsing ----------------------------------------------------------------------------


def _number_at(tokens: list[tuple[str, str, str]], i: int) -> tuple[str, int] | None:
    """The 文号 that bare tokens i… spell (written with spaces before the year or the serial,
    as in 渝府办发 〔2021〕 12号) and how many tokens it takes."""
    best = None
    for j in range(i, min(i + 3, len(tokens))):
        negate, phrase, word = tokens[j]
        if negate or phrase or (j > i and not continues_number(word)):
            break
        number = parse_doc_number("".join(t[2] for t in tokens[i : j + 1]))
        if number is not None:
            best = (str(number), j - i + 1)
    return best


def parse_query(text: str) -> ParsedQuery:
    """Split a user query into 文号s, AND-ed clauses of OR-ed terms, and excluded terms
    (each once); UsageError when it is longer or has more terms than the limits allow."""
    parsed = ParsedQuery(text=text or "")
    most = int(limits.MAX_QUERY_CHARS.value())
    if len(parsed.text) > most:
        raise UsageError(f"检索式过长：{len(parsed.text)} 个字符，上限为 {most} 个；请精简检索词")
    tokens = []
    for match in _TOKEN.finditer(parsed.text):
        negate, quoted, curly, bare = match.groups()
        phrase = "phrase" if quoted is not None or curly is not None else ""
        word = quoted if quoted is not None else curly if curly is not None else bare
        if word and word.strip():
            tokens.append((negate, phrase, word.strip()))
    pending_or = pending_not = False
    i = 0
    while i < len(tokens):
        negate, phrase, word = tokens[i]
        number = _number_at(tokens, i)
        if number:
            parsed.doc_numbers.append(number[0])
            i += number[1]
            continue
        i += 1
        if not phrase and not negate:
            if word in _OR:
                pending_or = bool(parsed.clauses)
                continue
            if word in _AND:
                continue
            if word in _NOT:
                pending_not = True
                continue
        term = Term(word, bool(phrase))
        if negate or pending_not:
            parsed.excluded.append(term)
        elif pending_or:
            parsed.clauses[-1].append(term)
        else:
            parsed.clauses.append([term])
        pending_or = pending_not = False
    return _bounded(parsed)


def _unique(items: list) -> list:
    return list({repr(item): item for item in items}.values())


def _bounded(parsed: ParsedQuery) -> ParsedQuery:
    """The query with repeated terms, clauses, exclusions and 文号s dropped (管理 管理 … asks
    for 管理 once); UsageError when more terms remain than ``MAX_QUERY_TERMS``."""
    parsed.clauses = _unique([_unique(clause) for clause in parsed.clauses])
    parsed.excluded = _unique(parsed.excluded)
    parsed.doc_numbers = _unique(parsed.doc_numbers)
    count = sum(map(len, parsed.clauses)) + len(parsed.excluded) + len(parsed.doc_numbers)
    most = int(limits.MAX_QUERY_TERMS.value())
    if count > most:
        raise UsageError(f"检索词过多：{count} 个，上限为 {most} 个；请减少检索词")
    return parsed


# --- FTS5 expressions -------------------------------------------------------------------


def _term_expr(term: Term, scheme: str, relax: bool, spent: list[int]) -> str | None:
    """The expression of one term; ``spent`` counts the index tokens used so far."""
    units = term_units(term.text, term.phrase, scheme)
    if not term.phrase:
        units = list(dict.fromkeys(units))  # order kept; a phrase keeps its repeats (they are its words)
    if not units:
        return None
    spent[0] += len(units)
    most = int(limits.MAX_QUERY_UNITS.value())
    if spent[0] > most:
        raise UsageError(f"检索式过于复杂：切分后超过 {most} 个词元；请减少或缩短检索词")
    joiner = " OR " if relax and not term.phrase else " AND "
    return "(" + joiner.join(units) + ")"


def match_expression(parsed: ParsedQuery, scheme: str, level: int = 0) -> str | None:
    """The FTS5 MATCH string for a parsed query, or None when nothing is left to match.

    ``level`` 0 is strict; 1 relaxes the words inside each term to any-of; 2 also relaxes the
    terms to any-of.  Every token comes quoted from ``term_units``: user text never reaches
    FTS5 as syntax.
    """
    clauses, spent = [], [0]
    for clause in parsed.clauses:
        alternatives = [e for t in clause if (e := _term_expr(t, scheme, level >= 1, spent))]
        if alternatives:
            clauses.append("(" + " OR ".join(alternatives) + ")")
    clauses += [e for n in parsed.doc_numbers if (e := _term_expr(Term(n, True), scheme, False, spent))]
    if not clauses:
        return None
    expression = (" OR " if level >= 2 else " AND ").join(clauses)
    excluded = [e for t in parsed.excluded if (e := _term_expr(t, scheme, False, spent))]
    if excluded:
        expression = f"({expression}) NOT ({' OR '.join(excluded)})"
    return expression


# --- snippets ---------------------------------------------------------------------------


def _highlight_words(parsed: ParsedQuery) -> list[str]:
    """The strings marked in snippets and counted in clauses, longest first; lone characters
    only when the query has nothing longer (they would match nearly every clause)."""
    words = {w for clause in parsed.clauses for t in clause for w in highlight_terms(t.text, t.phrase)}
    words.update(parsed.doc_numbers)
    return sorted((w for w in words if w), key=len, reverse=True)


@lru_cache(maxsize=64)
def _word_pattern(words: tuple[str, ...]) -> re.Pattern | None:
    """One alternation of the words (longest first, as given); case folding only when a word
    has cased letters: without it the scan is twice as fast."""
    if not words:
        return None
    folding = re.IGNORECASE if any(w.lower() != w.upper() for w in words) else 0
    return re.compile("|".join(re.escape(w) for w in words), folding)


def _read(matches: Iterator[tuple[int, int, str]], hits: list[tuple[int, int, str]], k: int) -> bool:
    """Whether ``hits[k]`` exists, reading the next few matches into ``hits`` when needed."""
    if k == len(hits):
        hits.extend(islice(matches, SNIPPET_READ))
    return k < len(hits)


def _window_start(text: str, pattern: re.Pattern, wanted: int, width: int) -> int:
    """Where the window holding the most distinct query words starts (a little before a match;
    the first such on ties), among the first SNIPPET_SCAN matches.  Matches are read only as
    far as the window slides (a window with every word ends the scan), and words hold no
    whitespace, so they match the raw text as they match it flattened."""
    if pattern.flags & re.IGNORECASE:
        matches = ((m.start(), m.end(), m.group().lower()) for m in pattern.finditer(text))
    else:
        matches = ((m.start(), m.end(), m.group()) for m in pattern.finditer(text))
    hits: list[tuple[int, int, str]] = []
    best, start, right = -1, 0, 0
    counts: dict[str, int] = {}  # the words of hits[i:right], the window slid over them
    for i in range(SNIPPET_SCAN):
        if i == len(hits) and not _read(matches, hits, i):
            break
        lo = max(0, hits[i][0] - width // 4)
        while right == i or ((right < len(hits) or _read(matches, hits, right)) and hits[right][1] <= lo + width):
            counts[hits[right][2]] = counts.get(hits[right][2], 0) + 1
            right += 1
        if len(counts) > best:
            best, start = len(counts), lo
        if best == wanted:
            break
        counts[hits[i][2]] -= 1
        if not counts[hits[i][2]]:
            del counts[hits[i][2]]
    return start


def _present(text: str, words: list[str], pattern: re.Pattern) -> int:
    """How many distinct words a window can hold at most: those ``text`` holds (all of them
    when case is folded), so that the window's scan ends once it finds them together."""
    return len(words) if pattern.flags & re.IGNORECASE else sum(word in text for word in words)


def _flat(text: str, start: int, width: int, backwards: bool = False) -> tuple[str, int]:
    """At least ``width`` characters of ``text`` with whitespace runs as one space, read from
    ``start`` on (or back from the end), and the raw offset where the reading stopped: only
    the window is flattened, never the whole text."""
    span = 2 * width
    while True:
        end = max(0, len(text) - span) if backwards else min(len(text), start + span)
        part = " ".join((text[end:] if backwards else text[start:end]).split())
        if len(part) >= width or end in (0, len(text)):
            return part, end
        span *= 2


def _window(text: str, start: int, width: int) -> tuple[str, bool, bool]:
    """(the window from ``start`` — the last full one near the end of the text —, whether
    text comes before it, whether text comes after it)."""
    part, stop = _flat(text, start, width)
    if len(part) < width and start:
        part, begin = _flat(text, start, width, backwards=True)
        return part[-width:], len(part) > width or _NONSPACE.search(text, 0, begin) is not None, False
    before = _NONSPACE.search(text, 0, start) is not None
    return part[:width], before, len(part) > width or _NONSPACE.search(text, stop) is not None


def snippet(text: str, words: list[str], width: int = SNIPPET_CHARS) -> str:
    """The window of ``text`` holding the most distinct query words, whitespace runs as one
    space, HTML-escaped, with each occurrence wrapped in ``<mark>…</mark>`` (the only markup
    in it).  Only the window is flattened and marked, whatever the length of the text."""
    pattern = _word_pattern(tuple(words))
    # a text no longer than the window is all of it, wherever the window would start
    start = _window_start(text, pattern, _present(text, words, pattern), width) if pattern and len(text) > width else 0
    window, more_before, more_after = _window(text, start, width)
    if not window:
        return ""
    out = ["…" if more_before else ""]
    cursor = 0
    for hit in pattern.finditer(window) if pattern else ():
        out.append(html.escape(window[cursor:hit.start()]))
        out.append(f"<mark>{html.escape(hit.group())}</mark>")
        cursor = hit.end()
    out.append(html.escape(window[cursor:]))
    out.append("…" if more_after else "")
    return "".join(out).replace("</mark><mark>", "")


# --- status -----------------------------------------------------------------------------


def _links_function(name: str):
    """``gongbao.links.resolve.<name>`` when the links stage is installed."""
    try:
        module = importlib.import_module("gongbao.links.resolve")
    except ImportError:
        return None
    return getattr(module, name, None)


def _code(status: Any) -> str:
    code = getattr(status, "code", status)
    return code if isinstance(code, str) else "unknown"


def document_status(store: Store, doc_id: str) -> str:
    """A stored document's validity status code, "unknown" when it cannot be told."""
    function = _links_function("document_status")
    return "unknown" if function is None else _code(function(store, doc_id))


def document_statuses(store: Store, doc_ids: list[str]) -> dict[str, str]:
    """Status codes of many documents at once (one bulk pass in the links stage when it has
    one, else one call per document)."""
    bulk = _links_function("document_statuses")
    if bulk is not None:
        found = bulk(store, doc_ids)
        return {doc_id: _code(found.get(doc_id)) for doc_id in doc_ids}
    return {doc_id: document_status(store, doc_id) for doc_id in doc_ids}


def statuses_by_pk(store: Store, pks: list[int]) -> dict[int, str]:
    """Status codes of documents by pk: as the portal's derived tables keep them for today
    (one indexed read), else worked out from the links (a database no portal has refreshed
    today; the command line opens it read-only)."""
    stored = store.stored_statuses(pks, date.today().isoformat())
    if stored is not None:
        return stored
    ids = {pk: ref.id for pk, ref in store.doc_refs(pks).items()}
    codes = document_statuses(store, list(ids.values()))
    return {pk: codes[doc_id] for pk, doc_id in ids.items()}


# --- search -----------------------------------------------------------------------------


def _split_by_title(words: list[str], title: str) -> tuple[list[str], list[str]]:
    """(query words the document's title holds, the others), words folded to lower case.
    Title words say which document; the others say which clause."""
    folded_title = title.lower()
    folded = [w.lower() for w in words]
    return [w for w in folded if w in folded_title], [w for w in folded if w not in folded_title]


def _clause_words(words: list[str], title: str) -> list[str]:
    in_title, folded = _split_by_title(words, title)
    return folded or in_title


def _clauses(holders: tuple[Outline, str, dict[str, set[int]]], title: str, text_length: int,
             words: list[str]) -> list[ClauseHit]:
    """The document's outline nodes that hold the query best: most distinct query words first,
    then a BM25 over the document's own nodes.  Words of the title are left out where others
    remain (风险补偿贷款 有效期 asks for the 有效期 clause of the 风险补偿贷款 document).

    Scored here rather than through the index: a document's nodes are few, and counting a
    handful of words in them is far cheaper than FTS5 phrase lookups on common bigrams.
    Only the nodes that can be among the best (``_least_distinct``) are cut and counted.
    """
    folded = _clause_words(words, title)
    outline, body, _ = holders
    total = len(outline)
    if not folded or not total:
        return []
    floor = max(text_length / total, 1.0)  # the nodes share out the document's text
    holding = _holding(holders, folded)
    distinct = Counter(chain.from_iterable(holding))  # node → how many of the words it holds
    idf = [math.log(1 + (total - len(nodes) + 0.5) / (len(nodes) + 0.5)) for nodes in holding]
    least = _least_distinct(list(distinct.values()), MAX_CLAUSES)
    scored = []
    for i in sorted(i for i, held in distinct.items() if held >= least):  # the others rank below
        node = outline.node(i, body)
        text = _node_text(node).lower()
        norm = BM25_K1 * (1 - BM25_B + BM25_B * len(text) / floor)
        counts = [text.count(w) for w in folded]
        score = sum(idf[k] * c * (BM25_K1 + 1) / (c + norm) for k, c in enumerate(counts) if c)
        scored.append((distinct[i], score, node))
    hits = []
    for _, score, node in heapq.nsmallest(MAX_CLAUSES, scored, key=lambda item: (-item[0], -item[1])):
        label = " ".join(part for part in (node.number, node.heading) if part)
        hits.append(ClauseHit(node.anchor, label, snippet(node.text or node.heading, words, CLAUSE_SNIPPET_CHARS),
                              round(score, 4)))
    return hits


def _node_text(node: NodeText) -> str:
    """What a clause word is counted in: the node's heading and text."""
    return f"{node.heading} {node.text}"


def _holding(holders: tuple[Outline, str, dict[str, set[int]]], folded: list[str]) -> list[set[int]]:
    """For each folded word, the nodes whose heading and text, lowered, hold it: the nodes the
    store found holding it (``Store.clause_holders``) when every word is found by lower() where
    the store's folding of ASCII letters finds it, else counted in the lowered texts of the
    nodes the store found holding any word."""
    outline, body, held = holders
    if all(map(_folds_alike, folded)):
        return [held[w] for w in folded]
    candidates = sorted(set().union(*held.values()))
    texts = _lowered([_node_text(outline.node(i, body)) for i in candidates])
    return [{i for i, text in zip(candidates, texts) if w in text} for w in folded]


def _folds_alike(word: str) -> bool:
    """Whether lower() finds ``word`` (lowered) in a text just where the store's folding, of
    ASCII letters only, finds it: no character of it is what lower() makes of another
    character (k of the Kelvin sign, i of İ, any cased letter beyond ASCII) or whitespace
    (which would join a heading to its text)."""
    return all(ch not in "ik" and not ch.isspace() if ch.isascii() else ch.lower() == ch == ch.upper() != "\u0307"
               for ch in word)


def _lowered(texts: list[str]) -> list[str]:
    """``[t.lower() for t in texts]``, lowered in one call (one string joined by NULs, which
    lower() keeps and no node holds)."""
    lowered = "\0".join(texts).lower().split("\0")
    return lowered if len(lowered) == len(texts) else [t.lower() for t in texts]


def _least_distinct(distinct: list[int], wanted: int) -> int:
    """The fewest distinct words a node may hold and still be among the ``wanted`` best (nodes
    rank by distinct words first): the count of the ``wanted``-th most, 0 when fewer."""
    return heapq.nlargest(wanted, distinct)[-1] if wanted and len(distinct) >= wanted else 0


def _hit(holders: tuple[Outline, str, dict[str, set[int]]], doc: DocText, score: float, words: list[str],
         status: str) -> SearchHit:
    return SearchHit(
        id=doc.id,
        doc_number=doc.doc_number,
        title=doc.title,
        issuers=doc.issuers,
        date=doc.date,
        type=doc.type,
        status=status,
        score=round(score, 4),
        snippet=snippet(doc.text or doc.title, words),
        clauses=_clauses(holders, doc.title, len(doc.text), words),
    )


def _in_status(store: Store, ranked: list[tuple[int, float]], status: str | None,
               result: SearchResult) -> tuple[list[tuple[int, float]], dict[int, str]]:
    """(the ranked matches in ``status``, all when None; status codes by pk) — the total of
    ``result`` then counts those, and is capped when more matched than were looked at."""
    if status is None:
        page = ranked[result.offset :]
        return ranked, statuses_by_pk(store, [pk for pk, _ in page])
    statuses = statuses_by_pk(store, [pk for pk, _ in ranked])
    ranked = [(pk, score) for pk, score in ranked if statuses.get(pk, "unknown") == status]
    result.total_capped = result.total > STATUS_SCAN
    result.total = len(ranked)
    return ranked, statuses


def search(store: Store, query: str, filters: Filters | Mapping[str, Any] | None = None, limit: int = 10,
           offset: int = 0, status: str | None = None) -> SearchResult:
    """Documents matching ``query`` (and ``filters``), best first, with clause hits and snippets.

    ``status``: only documents in that status among the STATUS_SCAN best matches (the index
    does not hold status); ``total`` counts those, ``total_capped`` says more matched. Its
    reads see one state of the database, whatever an upload writes meanwhile."""
    with store.snapshot():
        return _search(store, query, filters, limit, offset, status)


def _search(store: Store, query: str, filters: Filters | Mapping[str, Any] | None, limit: int, offset: int,
            status: str | None) -> SearchResult:
    limit, offset = max(0, int(limit)), max(0, int(offset))
    parsed = parse_query(query)
    filters = Filters.of(filters)
    exact = store.number_matches(parsed.doc_numbers, filters)
    result = SearchResult(query=query, total=0, hits=[], offset=offset, limit=limit)
    matching: set[int] = set()
    expression, level = None, 0
    for level in range(3):
        expression = match_expression(parsed, store.scheme, level)
        if expression is None:
            break
        found = _matching(store, expression, filters, TOTAL_CAP + 1)
        matching = set(found[:TOTAL_CAP]) - set(exact)
        result.total_capped = len(found) > TOTAL_CAP
        if matching or exact:
            break
    result.relaxed = level > 0 and bool(matching)
    result.total = len(exact) + len(matching)
    words = _highlight_words(parsed)
    scan = offset + limit if status is None else STATUS_SCAN
    ranked = [(pk, NUMBER_MATCH_SCORE) for pk in exact]
    if matching and len(ranked) < scan:
        best = store.fts_best(expression, filters, scan + len(exact))
        ranked += [(pk, score) for pk, score in best if pk not in exact]
    ranked, statuses = _in_status(store, ranked[:scan], status, result)
    ranked = ranked[offset : offset + limit]
    docs = store.doc_texts([pk for pk, _ in ranked])
    clause_words = sorted({w for doc in docs.values() for w in _clause_words(words, doc.title)})
    holders = store.clause_holders(list(docs), clause_words, {pk: doc.text for pk, doc in docs.items()})
    result.hits = [_hit(holders[pk], docs[pk], score, words, statuses.get(pk, "unknown")) for pk, score in ranked]
    return result


KEPT_MATCHES = 64  # queries whose matching documents a store keeps


def _matching(store: Store, expression: str, filters: Filters, limit: int | None) -> list[int]:
    """``store.fts_matching``, kept for the last queries until the database changes: the
    portal's search page asks it for the total and again for the facets."""
    kept = store.kept("search matches", dict)
    key = (expression, repr(filters), limit)
    if key not in kept:
        if len(kept) >= KEPT_MATCHES:
            del kept[next(iter(kept))]
        kept[key] = store.fts_matching(expression, filters, limit)
    return kept[key]


def facets(store: Store, query: str, filters: Filters | Mapping[str, Any] | None = None,
           most: int | None = None, facts: Mapping[int, tuple] | None = None) -> dict[str, list[Count]]:
    """Counts of every matching document by issuer, year, type and status (the status kept
    per database version: ``statuses_by_pk``); no ranking, as counts have no order.  Empty
    when more than ``most`` documents match: counting them costs more than the page.
    ``facts``: every document's ``store.facet_facts()`` for today, when the caller keeps them."""
    parsed = parse_query(query)
    filters = Filters.of(filters)
    matching = store.number_matches(parsed.doc_numbers, filters)
    for level in range(3):
        expression = match_expression(parsed, store.scheme, level)
        if expression is None:
            break
        found = _matching(store, expression, filters, None if most is None else most + 1)
        if found or matching:
            matching = list(dict.fromkeys(matching + found))
            break
    if not matching or (most is not None and len(matching) > most):
        return {"issuer": [], "year": [], "type": [], "status": []}
    stored = store.stored_facet_counts(matching, date.today().isoformat(), facts)
    if stored is not None:
        return stored
    out = store.facet_counts(matching)
    statuses: dict[str, int] = {}
    for code in statuses_by_pk(store, matching).values():
        statuses[code] = statuses.get(code, 0) + 1
    out["status"] = [Count(k, v) for k, v in sorted(statuses.items(), key=lambda kv: (-kv[1], kv[0]))]
    return out
