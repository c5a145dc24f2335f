"""政策问答: answer a plain-Chinese question with the clauses that answer it.

Pipeline, one stage per function:

1. ``understand`` (search.question): frame stripped, intent, weighted terms.
2. ``retrieve``: candidate passages — outline nodes from the store's clause index
   (``Store.fts_nodes``), paragraphs of documents that have no outline, and the paragraphs before
   the first heading of those that have one — for any term.
3. ``rank``: BM25 at passage level over the weighted terms, with the document title and the
   headings above the passage as context, a bonus for passages that carry what was asked for
   (an amount, a time, a unit), and a *coverage*: how much of the question the passage meets.
4. ``ask``: curated answers first (search.curated), then retrieved passages whose coverage
   clears the threshold, each with its answering sentence, document and validity status.

Public: ``ask(store, question, ...)``, ``retrieve``, ``rank`` (a source's status: ``search.validity``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from gongbao.labels import labelled
from gongbao.models import AskResult, Passage, Question
from gongbao.search import querycut
from gongbao.search.question import EVIDENCE, MONEY_ASKED, best_sentence, sentences, understand
from gongbao.search.labels import clause_label
from gongbao.search.laws import laws_meant
from gongbao.search.place import (NATIONAL, default_region, jurisdiction_of, names_national_issuer, place_factor,
                                  region_named, title_without_place)
from gongbao.search.short import short_answer
from gongbao.search.thesaurus import Thesaurus, common_words, load_thesaurus
from gongbao.search.validity import STALE_CODES, named_document, source_status, validity_answer
from gongbao.search.tokenize import get_scheme, index_text, normalize, term_units
from gongbao.store.kept import KeptByPk
from gongbao.store.records import NodeText, Preamble
from gongbao.store.sqlite import Store

# Coverage a passage must reach to be offered as an answer; calibrated on the development sets
# only (bench/ask_eval.py --sweep, docs/qa.md), never on the held-out ones.
MIN_COVERAGE = 0.5
STRONG_MATCH, COVERAGE_SLACK = 6.0, 0.15  # a passage this strong is offered at 0.15 below the threshold
CANDIDATES = 300  # passages fetched from the index before ranking in Python
PREAMBLE_DOCUMENTS = 20  # best-matching documents whose preamble or paragraphs are candidates
CLAUSE_DOCUMENTS = 5  # … and whose clauses holding a question word are candidates too
RETRIEVE_COMMON_SHARE, RETRIEVE_MIN_COMMON = 0.01, 2000  # a term in more passages is not searched for
MIN_PREAMBLE = 20  # characters: shorter lines before the first heading are banners and titles
K1, B = 1.2, 0.75
TITLE_WEIGHT = 0.6  # a question word in the document title scores this much of one in the passage
CONTEXT_WEIGHT = 0.5  # … and in a heading above the passage
COVER_TITLE, COVER_CONTEXT = 0.8, 0.9  # how far such words meet the question (coverage)
COVER_DOCUMENT = 0.5  # … and a word found only elsewhere in the same document
WEAK_WORD = 0.35  # coverage weight of weak question words (see _core_idf)
GLUE = frozenset("能要会不没该想可被让把给得着过都也还就才来去")
TITLE_PRIOR = 0.5  # score factor 1 + this × the share of the question the document's title meets
SENTENCE_FIT = 2.0  # score factor 1 + this × the share of the question the passage's best sentence meets
FIT_WINDOW = 60  # the best passages whose sentences are looked at
INTENT_BONUS = 1.7  # factor for a passage that carries what the question asks for
SANCTION_BONUS = 1.5  # … and for a penalty clause when the question names a sanction but asks for more (罚多少)
DEFINITION_PENALTY = 0.6  # factor for a definition (……是指……) when the question asks for something else
NOT_POLICY_FACTOR = 0.5  # score factor for a text whose title names no 文种 (a case report, a commentary)
AMENDING_FACTOR = 0.5  # … and for a text amending others (修正案, 关于修改…的决定)
IMPLEMENTING_FACTOR = 0.7  # … and for one implementing another candidate's document (…实施办法 under its 条例)
LOCAL_COPY_FACTOR = 0.5  # … and for another region's text on what an own or national candidate rules on
STATUS_WINDOW = 30  # the best passages whose documents' status is looked up to rank them
STALE_FACTOR = 0.3  # score factor for a passage of a repealed or expired document
BEST_WINDOW, BEST_DOCUMENTS = 30, 5  # second pass: all clauses of the first 5 documents of the 30 best passages
SECOND_PASS_WEIGHT = 0.5  # … that hold a question word or a stand-in weighing at least this

_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=8192)  # each candidate is ranked twice a question, and questions share clauses
def _flat(text: str) -> str:
    return _SPACES.sub("", normalize(text))


def _match_expr(term: str, scheme: str | None = None) -> str | None:
    units = term_units(term, scheme=scheme)
    if not units:
        return None
    return units[0] if len(units) == 1 else "(" + " AND ".join(units) + ")"


# --- 2. retrieve ----------------------------------------------------------------------------


def retrieve(store: Store, question: Question, stats: CorpusStats, limit: int = CANDIDATES,
             region: str | None = None) -> list[Passage]:
    """Candidate passages holding any of the question's terms (best by the index first).

    Terms found in very many passages (工作, 企业 over a large corpus) select nothing and cost
    the most, so they are left out of the query (they still count in ranking), unless nothing
    else is left.
    """
    common = max(RETRIEVE_MIN_COMMON, stats.n * RETRIEVE_COMMON_SHARE)
    terms = [t for t in question.terms if stats.df.get(t, 0) <= common]
    if not terms:
        terms = sorted(question.terms, key=lambda t: stats.df.get(t, 0))[:3]
    exprs = [e for e in (_match_expr(t, store.scheme) for t in terms) if e]
    if not exprs:
        return []
    match = " OR ".join(exprs)
    best = store.fts_preambles(match, PREAMBLE_DOCUMENTS)
    outlined = [d.pk for d in best if d.first_node is not None][:CLAUSE_DOCUMENTS]
    outlined += [pk for pk in laws_meant(store, question, region) if pk not in outlined]
    nodes = _with_document_clauses(store, store.fts_nodes(match, limit), outlined, terms)
    passages = clause_passages(store, nodes)
    for d in best:
        passages.extend(paragraphs(d.pk, d.text or "") if d.first_node is None else preamble(d))
    return passages


def _with_document_clauses(store: Store, nodes: list[NodeText], outlined: list[int], terms: list[str]) -> list[NodeText]:
    """``nodes`` and the clauses of the documents ``outlined`` (the best by the index, the laws the
    question means) that use a question word: the clause that answers is often not among the
    index's best clauses, which favour short ones from anywhere."""
    seen = {n.id for n in nodes}
    for _, found in store.clause_candidates(outlined, [normalize(t) for t in terms]).values():
        nodes.extend(n for n in found if n.id not in seen)
        seen.update(n.id for n in found)
    return nodes


_ARTICLE = re.compile(r"^第[一二三四五六七八九十百千零〇\d]+条(?:之[一二三四五六七八九十]+)?$")


def clause_passages(store: Store, nodes: list[NodeText]) -> list[Passage]:
    """One passage per clause: an article (第十五条) with the items and paragraphs under it —
    what answers and what is shown, the lead-in (有下列情形之一的，免征契税：) alone says little —
    and any other node as it is; an item found alone stands for its article."""
    parents = store.nodes_by_id({n.parent_id for n in nodes if n.parent_id is not None})
    clauses: dict[int, NodeText] = {}
    for n in nodes:
        parent = parents.get(n.parent_id)
        if parent is not None and _ARTICLE.match(parent.number or ""):
            n = parent
        clauses.setdefault(n.id, n)
    articles = [n.id for n in clauses.values() if _ARTICLE.match(n.number or "")]
    children = _kept_by_id(store, "qa article children", articles,
                           lambda ids: {pk: tuple(found) for pk, found in store.child_nodes(ids).items()}, ())
    contexts = _kept_by_id(store, "qa clause contexts", {n.parent_id for n in clauses.values() if n.parent_id is not None},
                           lambda ids: _ancestor_headings(store, ids), "")
    out = []
    for n in clauses.values():
        text = "".join([n.text or "", *(c.text or "" for c in children.get(n.id, ()))])
        out.append(Passage(n.doc_pk, n.anchor, n.heading or "", text, context=contexts.get(n.parent_id, ""),
                           node_id=n.id))
    return out


def paragraphs(doc_pk: int, text: str) -> list[Passage]:
    """The paragraphs of a document without an outline, anchored p-1, p-2, … in order."""
    out = []
    for i, line in enumerate((ln for ln in text.splitlines() if ln.strip()), start=1):
        out.append(Passage(doc_pk, f"p-{i}", "", line.strip()))
    return out


_ADDRESSEE = re.compile(r"^.{0,80}[：:]$")


def preamble(doc: Preamble) -> list[Passage]:
    """The paragraphs before the first heading of a document with an outline (what it is for,
    what a term means), anchored pre-1, pre-2, …; title and addressee lines left out."""
    title = _flat(doc.title or "")
    out = []
    for line, span in zip((doc.text or "").split("\n"), doc.body_spans or []):
        if not span or span[0] >= doc.first_node:
            break
        text = line.strip()
        if len(text) < MIN_PREAMBLE or _flat(text) in title or _ADDRESSEE.match(text):
            continue
        out.append(Passage(doc.pk, f"pre-{len(out) + 1}", "", text))
    return out


KEPT_CLAUSE_PARTS = 8192  # articles' children and parents' headings kept, each (questions share their laws)


def _kept_by_id(store: Store, name: str, ids, read, missing_value) -> dict:
    """id → ``read(ids not kept)``'s value (``missing_value`` where it has none), kept until the
    database changes (the least recently used going past KEPT_CLAUSE_PARTS), for every read-only
    store of the process (a worker's threads share their laws too)."""
    def load(missing: list[int]) -> dict:
        found = read(missing)
        return {i: found.get(i, missing_value) for i in missing}

    return store.kept(name, _clause_parts, shared=True).kept_or_loaded(ids, load)


def _clause_parts() -> KeptByPk:
    return KeptByPk(lambda: KEPT_CLAUSE_PARTS, lambda _: 1)


def _ancestor_headings(store: Store, parent_ids: list[int]) -> dict[int, str]:
    """parent id → the headings from the top of the outline down to that parent."""
    wanted = set(parent_ids)
    nodes: dict[int, NodeText] = {}
    frontier = set(wanted)
    while frontier:
        found = store.nodes_by_id(frontier)
        nodes.update(found)
        frontier = {n.parent_id for n in found.values() if n.parent_id is not None and n.parent_id not in nodes}
    out = {}
    for pid in wanted:
        chain, cur = [], nodes.get(pid)
        while cur is not None:
            chain.append(cur.heading or "")
            cur = nodes.get(cur.parent_id)
        out[pid] = " ".join(reversed(chain))
    return out


# --- 3. rank --------------------------------------------------------------------------------


@dataclass(slots=True)
class CorpusStats:
    n: int
    avg_len: float
    df: dict[str, int]

    def idf(self, term: str) -> float:
        df = self.df.get(term, 0)
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))


def _document_frequency(store: Store, term: str) -> int:
    """How many passages hold ``term``: read from the index's vocabulary, as the rarest of the
    term's index tokens (exact for one token, an upper bound for more)."""
    scheme = get_scheme(store.scheme)
    if scheme.index is None:  # raw-text schemes (trigram): count the matches
        expr = _match_expr(term, store.scheme)
        return store.fts_node_count(expr) if expr else 0
    tokens = set(index_text(term, store.scheme).split())
    if not tokens:
        return 0
    return min(store.fts_node_frequency(token) for token in tokens)


KEPT_FREQUENCIES = 50_000  # words whose frequencies are written back to the cache folder


def corpus_stats(store: Store, terms: list[str]) -> CorpusStats:
    n, avg_len = store.node_sizes()
    # kept until the database changes, by the store and in the cache folder: a server asks
    # about the same words again, and so does the next `gongbao ask`
    known = store.kept("qa term frequencies", dict, lasting=True)
    new = [term for term in terms if term not in known]
    frequency = _frequency_of(store)
    counts = {term: frequency(term) for term in terms}
    if new and len(known) <= KEPT_FREQUENCIES:
        store.keep_again("qa term frequencies")
    return CorpusStats(max(n, 1), avg_len or 100.0, counts)


def _frequency_of(store: Store):
    """word → in how many passages the corpus uses it, kept with ``corpus_stats``'s (written back
    with them)."""
    known = store.kept("qa term frequencies", dict, lasting=True)

    def frequency(term: str) -> int:
        if term not in known:
            known[term] = _document_frequency(store, term)
        return known[term]
    return frequency


def rank(question: Question, passages: list[Passage], docs: dict[int, dict], stats: CorpusStats,
         kept: dict[int, tuple[float, float]] | None = None) -> list[Passage]:
    """Score and order passages: weighted BM25, title and heading context, intent, coverage,
    the document's title (a prior) and how much of the question one sentence meets.

    Each question word counts once, through the best of its stand-ins (itself, its parts, its
    thesaurus relations) in the passage; ``docs`` maps doc pk → {"title", "terms"}, terms being
    the question terms the document uses anywhere (``document_terms``).  ``kept``: each
    passage's score before the title prior and its coverage by ``id``, from an earlier call for
    the same question and documents (``ask`` ranks its candidates twice).
    """
    kept = {} if kept is None else kept
    core_idf = {c: _core_idf(c, question, stats) * question.focus.get(c, 1.0) for c in question.core}
    total = sum(core_idf.values()) or 1.0
    weights = {term: (normalize(term), weight, weight * stats.idf(term)) for term, weight in question.terms.items()}
    titles = {pk: _flat(doc.get("title") or "") for pk, doc in docs.items()}
    prior = {pk: 1.0 + TITLE_PRIOR * _share(question, weights, core_idf, title) / total for pk, title in titles.items()}
    contexts: dict[str, str] = {}
    bodies = {}
    for p in passages:
        body = bodies[id(p)] = _flat(p.heading + p.text)
        if p.context not in contexts:
            contexts[p.context] = _flat(p.context)
        if id(p) not in kept:
            gain, credit = _matches(question, weights, body, contexts[p.context], titles.get(p.doc_pk, ""),
                                    docs.get(p.doc_pk, {}).get("terms", set()), stats.avg_len)
            kept[id(p)] = (sum(gain.values()) * _kind_factor(question, p, body),
                           sum(core_idf[c] * credit.get(c, 0.0) for c in core_idf) / total)
        base, p.coverage = kept[id(p)]
        p.score = base * prior.get(p.doc_pk, 1.0)
    passages.sort(key=_key)
    # the words asked about stand together in the sentence that answers (only the best are
    # looked at sentence by sentence: it costs the most)
    for p in passages[:FIT_WINDOW]:
        fit = max((_share(question, weights, core_idf, s) for s in sentences(bodies[id(p)])), default=0.0) / total
        p.score *= 1 + SENTENCE_FIT * fit
    passages[:FIT_WINDOW] = sorted(passages[:FIT_WINDOW], key=_key)
    return passages


def _key(p: Passage) -> tuple:
    return -(p.score * p.coverage**2), p.doc_pk, p.anchor


def _matches(question: Question, weights: dict, body: str, context: str, title: str, whole: set[str],
             avg_len: float) -> tuple[dict[str, float], dict[str, float]]:
    """Per question word: the best score any of its stand-ins earns in a passage (BM25 in the
    passage, less in a heading above it or the title) and how far the passage meets it."""
    length = len(body) or 1
    norm = K1 * (1 - B + B * length / avg_len)
    gain: dict[str, float] = {}
    credit: dict[str, float] = {}
    for term, (t, weight, value) in weights.items():
        tf = body.count(t)
        if tf:
            value, where = value * tf * (K1 + 1) / (tf + norm), 1.0
        elif t in context:
            value, where = value * CONTEXT_WEIGHT, COVER_CONTEXT
        elif t in title:
            value, where = value * TITLE_WEIGHT, COVER_TITLE
        elif term in whole:
            value, where = 0.0, COVER_DOCUMENT
        else:
            continue
        # a related word or a part of a word meets the question less than the word itself
        met = math.sqrt(weight) * where
        for core in question.groups.get(term, (term,)):
            if value > gain.get(core, -1.0):
                gain[core] = value
            if met > credit.get(core, 0.0):
                credit[core] = met
    return gain, credit


def _share(question: Question, weights: dict, core_idf: dict, text: str) -> float:
    """The idf weight of the question's words ``text`` meets through any stand-in (over the
    title: the document prior — a question about 行政复议 is first about 行政复议法)."""
    met: set[str] = set()
    for term, (t, _, _) in weights.items():
        if t in text:
            met.update(question.groups.get(term, (term,)))
    return sum(core_idf.get(c, 0.0) for c in met)


def _kind_factor(question: Question, p: Passage, body: str) -> float:
    """×INTENT_BONUS for a clause of the kind the question asks for (a penalty clause: one that
    names a penalty or sits under 法律责任), ×DEFINITION_PENALTY for a definition not asked for.
    ``body`` is the passage's heading and text, normalised."""
    factor = 1.0
    if question.intent and (EVIDENCE[question.intent].search(body)
                            or question.intent == "penalty" and "法律责任" in p.context):
        factor *= INTENT_BONUS
    if question.sanction and question.intent != "penalty" and (EVIDENCE["penalty"].search(body)
                                                               or "法律责任" in p.context):
        factor *= SANCTION_BONUS
    if question.intent != "definition" and EVIDENCE["definition_only"].search(body):
        factor *= DEFINITION_PENALTY
    return factor


def _core_idf(core: str, question: Question, stats: CorpusStats) -> float:
    """How much a question word weighs in coverage.

    Its idf — but no more than the rarest word standing for it that the corpus uses, since
    people ask in words (上小学, 辞退) that the texts say otherwise (入学, 解除劳动合同).  Weak
    evidence weighs less: a single character (吃, 找), and a word the corpus never uses that
    jieba glued to a function character (能要, 不签, 要系) or, outside its dictionary, glued from
    two characters (带狗儿 → 带狗, 上海市区养狗 → 区养, 遭罚: a miscut, not a word of the question; a
    name of three or more — 周和建, 拼多多 — still weighs fully).
    """
    weight = stats.idf(core)
    stand_ins = [stats.idf(t) for t in question.terms if core in question.groups.get(t, ()) and t != core
                 and stats.df.get(t, 0)]
    if stand_ins:
        return min(weight, max(stand_ins))
    if len(core) == 1 or (not stats.df.get(core, 0) and (core in common_words() or any(ch in GLUE for ch in core)
                                                         or len(core) == 2 and not querycut.frequencies([core]))):
        weight *= WEAK_WORD
    return weight


# --- status ---------------------------------------------------------------------------------


def status_fields(status: dict) -> dict:
    """The status keys of an answer: code, label, evidence and, for a stale source, a warning."""
    warning = None
    if status["stale"]:
        warning = f"注意：该依据文件{status['label']}，以下内容可能已不适用，请以现行规定为准。"
    return {"status": status["code"], "status_label": status["label"], "status_evidence": status["evidence"],
            "warning": warning}


# --- 4. ask ---------------------------------------------------------------------------------


def document_terms(store: Store, terms: list[str], pks: set[int]) -> dict[int, set[str]]:
    """For each of the documents ``pks``, which of ``terms`` it uses anywhere (title or text)."""
    out: dict[int, set[str]] = {pk: set() for pk in pks}
    for term in terms:
        for pk in pks & _documents_using(store, term):
            out[pk].add(term)
    return out


KEPT_TERM_DOCUMENTS = 500_000  # documents kept over all terms (about 25 MB at most)


def _documents_using(store: Store, term: str) -> frozenset[int]:
    """The documents using ``term`` anywhere, kept by the store until the database changes
    (each question asks it twice per word, and questions share their words)."""
    known = store.kept("qa documents using a term", dict)
    if term not in known:
        if sum(map(len, known.values())) > KEPT_TERM_DOCUMENTS:
            known.clear()
        expr = _match_expr(term, store.scheme)
        known[term] = frozenset(store.fts_matching(expr)) if expr else frozenset()
    return known[term]


def ask(
    store: Store,
    question: str,
    limit: int = 5,
    thesaurus: Thesaurus | None = None,
    as_of: str | None = None,
    min_coverage: float = MIN_COVERAGE,
    region: str | None = None,
) -> AskResult:
    """The answers to ``question``: curated ones first, then the best passages that answer,
    for the jurisdiction ``region`` (default $GONGBAO_JURISDICTION; a region the question
    names wins) as in force on ``as_of`` (default today). Its reads see one state of the
    database, whatever an upload writes meanwhile."""
    with store.snapshot():
        return _ask(store, question, limit, thesaurus, as_of, min_coverage, region)


def _ask(store: Store, question: str, limit: int, thesaurus: Thesaurus | None, as_of: str | None,
         min_coverage: float, region: str | None) -> AskResult:
    from gongbao.search.curated import curated_answers

    thesaurus = thesaurus or load_thesaurus()
    q = understand(question, thesaurus, _frequency_of(store))
    as_of = as_of or date.today().isoformat()
    region = region_named(q.text) or region or default_region()
    result = AskResult(question=question.strip(), intent=q.intent, terms=list(q.core), region=region, as_of=as_of)
    if not q.terms:
        return result
    result.answers.extend(curated_answers(store, q, thesaurus, as_of=as_of))
    stats = corpus_stats(store, list(q.terms))
    candidates = retrieve(store, q, stats, region=region)
    if not candidates:
        return result
    docs = store.doc_texts(list({p.doc_pk for p in candidates}), text=False)
    if q.intent == "validity":
        result.validity = _validity(store, q, candidates, docs, as_of)
    scores: dict[int, tuple[float, float]] = {}  # what the second ranking takes from the first
    ranked = _ranked(store, q, candidates, docs, stats, region, as_of, scores)
    # the clause that answers is often missing from the index's candidates of the documents that
    # rank first (a long law's article beaten by short clauses from anywhere): add all of theirs
    more = _clauses_of_best(store, q, ranked, {p.node_id for p in candidates if p.node_id})
    if more:
        docs.update(store.doc_texts([pk for pk in {p.doc_pk for p in more} if pk not in docs], text=False))
        ranked = _ranked(store, q, candidates + more, docs, stats, region, as_of, scores)
    # a text the corpus holds twice (the same title and date: two sources of one law) answers once
    seen: set[tuple[str, str | None, str]] = set()
    for p in ranked:
        if len(result.answers) >= limit:
            break
        clause = (docs[p.doc_pk].title or str(p.doc_pk), docs[p.doc_pk].date, p.anchor)
        if clause in seen or not _offered(store, q, p, min_coverage):
            continue
        seen.add(clause)
        result.answers.append(_answer(store, q, p, docs[p.doc_pk], as_of))
    return result


def _ranked(store: Store, q: Question, candidates: list[Passage], docs: dict, stats: CorpusStats,
            region: str | None, as_of: str, scores: dict[int, tuple[float, float]]) -> list[Passage]:
    terms = document_terms(store, list(q.terms), set(docs))
    ranked = rank(q, candidates, {pk: {"title": d.title, "terms": terms[pk]} for pk, d in docs.items()}, stats, scores)
    return place_and_time(store, ranked, docs, region, as_of)


def _clauses_of_best(store: Store, q: Question, ranked: list[Passage], seen: set[int]) -> list[Passage]:
    """Every clause using a question word (or a stand-in) of the documents whose passages rank
    first, that the candidates lack."""
    best: list[int] = []
    for p in ranked[:BEST_WINDOW]:
        if p.doc_pk not in best:
            best.append(p.doc_pk)
    words = [normalize(t) for t, w in q.terms.items() if w >= SECOND_PASS_WEIGHT and len(t) > 1]
    nodes = [n for _, found in store.clause_candidates(best[:BEST_DOCUMENTS], words).values()
             for n in found if n.id not in seen]
    return [p for p in clause_passages(store, nodes) if p.node_id not in seen]


def _offered(store: Store, q: Question, p: Passage, min_coverage: float) -> bool:
    """Whether a ranked passage is offered as an answer: it meets enough of the question, states
    the kind of figure asked for, and its document names every thing the question names."""
    return _answers(p, min_coverage) and _states_asked(q, p) and _names_all(store, q, p.doc_pk)


def _names_all(store: Store, q: Question, doc_pk: int) -> bool:
    """Whether the document names every thing the question names (韩国, 华为, 雅思) — itself or a
    stand-in: a text that never names it does not answer (Korea's minimum wage is not in ours)."""
    return all(any(doc_pk in _documents_using(store, t) for t, cores in q.groups.items() if n in cores)
               for n in q.names)


# What a clause must state to answer a question asking for a time: a period, a date or how often
# (每年召开一次; 期间, 时间 alone state none); one meeting every word of 多久核查一次 without any does
# not answer it.  A question
# asking for a sum of money or a rate (MONEY_ASKED: 起步价多少钱, 百分之几) is answered only by a clause
# stating one.  (Any amount asked for, stated as an amount or a period, gained honest no-answers on
# dev2 but lost an answer on dev1: not required.)
FIGURE_ASKED = {"time": ("time_stated",)}


def _states_asked(q: Question, p: Passage) -> bool:
    kinds = (*FIGURE_ASKED.get(q.intent or "", ()), *(("money",) if MONEY_ASKED.search(q.text) else ()))
    if not kinds:
        return True
    body = _flat(p.heading + p.text)
    return any(EVIDENCE[kind].search(body) for kind in kinds)


def _answers(p: Passage, min_coverage: float) -> bool:
    """Whether a passage meets enough of the question to be offered: its coverage clears the
    threshold, or nearly does with a strong match (a long question told with a story)."""
    if p.score <= 0:
        return False
    strong = p.score * p.coverage**2 >= STRONG_MATCH and p.coverage >= min_coverage - COVERAGE_SLACK
    return p.coverage >= min_coverage or strong


def place_and_time(store: Store, ranked: list[Passage], docs: dict, region: str | None, as_of: str) -> list[Passage]:
    """Re-rank for the asker: another region's rules weigh less than their own and the nation's,
    a text implementing another candidate's document less than that document;
    a text issued after ``as_of`` is left out; a repealed or expired one weighs little (it is
    shown only with its status and what replaced it)."""
    implementing = _implementing(docs)
    places = {pk: jurisdiction_of(doc.title, doc.issuers) for pk, doc in docs.items()}
    copies = _local_copies(docs, places, region)
    older = _older_versions(docs, as_of)
    factors = {pk: place_factor(places[pk], region) * _genre_factor(doc)
               * (IMPLEMENTING_FACTOR if pk in implementing else 1.0) * (LOCAL_COPY_FACTOR if pk in copies else 1.0)
               * (STALE_FACTOR if pk in older else 1.0)
               for pk, doc in docs.items()}
    kept = []
    for p in ranked:
        doc = docs[p.doc_pk]
        if doc.date and doc.date > as_of:
            continue
        p.score *= factors[p.doc_pk]
        kept.append(p)
    kept.sort(key=lambda p: -(p.score * p.coverage**2))
    head = kept[:STATUS_WINDOW]
    statuses = _statuses(store, {docs[p.doc_pk].id for p in head}, as_of)
    for p in head:
        if statuses.get(docs[p.doc_pk].id) in ("repealed", "expired"):
            p.score *= STALE_FACTOR
    head.sort(key=lambda p: (-(p.score * p.coverage**2), p.doc_pk, p.anchor))
    return head + kept[STATUS_WINDOW:]


# The last word of a policy text's title: its 文种 (the gazette's, laws' and courts'); a part or
# an edition may follow: 解释（一）, 宪法修正案（2018年）.  (Not the parser's table: asking loads no parser.)
_POLICY_TITLE = re.compile(
    r"(?:决议|决定|命令|令|公报|公告|通告|意见|通知|通报|报告|请示|批复|议案|函|纪要|办法|规定|细则|方案|要点|规划|计划"
    r"|规则|条例|准则|标准|目录|清单|名单|名录|表|指引|措施|解读|解释|答复|预案|法|法典|修正案|安排|解答|守则|章程|纲要|规范)"
    r"(?:[（(][^（）()]{1,8}[)）])?$")


# A text that amends others (刑法修正案（十一）, 关于修改《…》等二十七件…的决定): it holds a clause as an
# instruction (将第三百零三条修改为：…) beside the amended text the corpus holds as in force.
_AMENDING_TITLE = re.compile(r"修正案(?:[（(][^（）()]{1,8}[)）])?$|关于修改.+的决定$")


# An implementing text names what it implements (企业职工带薪年休假实施办法, 北京市实施《中华人民共和国
# 消费者权益保护法》办法); the implemented law or regulation is known by its title less 中华人民共和国 and 文种.
_IMPLEMENTS = re.compile(r"实施(?:办法|细则|条例|规定|规则)|实施《")
_IMPLEMENTED = re.compile(r"^(?:中华人民共和国)?(.{4,}?)(?:法|条例|规定)$")


def _implementing(docs: dict) -> set[int]:
    """The candidates' documents that implement another of them (a ministry's or a city's rules
    under the law or regulation that also answers: the asker is answered from the higher text)."""
    implemented = {}
    for pk, doc in docs.items():
        found = _IMPLEMENTED.match(_flat(doc.title or ""))
        if found and "实施" not in found.group(1):
            implemented[pk] = found.group(1)
    out = set()
    for pk, doc in docs.items():
        title = _flat(doc.title or "")
        if _IMPLEMENTS.search(title) and any(name in title for other, name in implemented.items() if other != pk):
            out.add(pk)
    return out


# What a law, regulation or rules are about: the title less 中华人民共和国, places and 文种
# (中华人民共和国未成年人保护法, 上海市未成年人保护条例 → 未成年人保护).
_SUBJECT = re.compile(r"^(?:中华人民共和国)?(.{3,}?)(?:实施)?(?:若干)?(?:法|条例|规定|办法|细则|规则)$")


def _local_copies(docs: dict, places: dict[int, str], region: str | None) -> set[int]:
    """The candidates' documents of another region that rule on what a candidate of the asker's
    own region or the nation's rules on (郑州市失业保险条例 beside 重庆市失业保险条例, 上海市未成年人保护条例
    beside the national law): another region's copy of the asker's own rule answers the asker least."""
    if region is None:
        return set()
    subjects = {}
    for pk, doc in docs.items():
        found = _SUBJECT.match(title_without_place(_flat(doc.title or "")))
        if found:
            subjects[pk] = found.group(1)
    home = {subject for pk, subject in subjects.items() if places[pk] in (NATIONAL, region)}
    return {pk for pk, subject in subjects.items() if subject in home and places[pk] not in (NATIONAL, region)}


def _older_versions(docs: dict, as_of: str) -> set[int]:
    """The candidates' laws, regulations and rules of which a later version is a candidate too
    (烈士褒扬条例 of 2019 and of 2024: the same title, the later date on or before ``as_of``): the
    version in force answers, an earlier one weighs as a repealed text."""
    latest: dict[str, str] = {}
    for doc in docs.values():
        title = _flat(doc.title or "")
        if doc.date and doc.date <= as_of and _SUBJECT.match(title_without_place(title)):
            latest[title] = max(latest.get(title, ""), doc.date)
    return {pk for pk, doc in docs.items() if doc.date and doc.date < latest.get(_flat(doc.title or ""), "")}


def _genre_factor(doc) -> float:
    """1 for a policy text (a 文种 was read, its title ends in one or opens with a national
    issuer's name), less for anything else the corpus holds (a case report, a guide): a citizen
    is answered from the rules; less too for a text amending others (answered from the amended)."""
    title = _flat(doc.title or "")
    if _AMENDING_TITLE.search(title):
        return AMENDING_FACTOR
    if doc.type or _POLICY_TITLE.search(title) or names_national_issuer(title):
        return 1.0
    return NOT_POLICY_FACTOR


def _statuses(store: Store, doc_ids: set[str], as_of: str) -> dict[str, str]:
    try:
        from gongbao.links.resolve import document_statuses
    except ImportError:
        return {}
    return {doc_id: status.code for doc_id, status in document_statuses(store, doc_ids, as_of).items()}


def _answer(store: Store, q: Question, p: Passage, doc, as_of: str) -> dict:
    from gongbao.search.interpret import interpretations_of

    text = (p.heading + "。" + p.text) if p.heading and p.text else (p.heading or p.text)
    sentence = best_sentence(q, p.text) or best_sentence(q, text) or text
    status = source_status(store, doc.id, as_of)
    return {
        "source": "retrieved",
        "doc_id": doc.id,
        "doc_number": doc.doc_number,
        "title": doc.title,
        "issuers": doc.issuers,
        "date": doc.date,
        "jurisdiction": jurisdiction_of(doc.title, doc.issuers),
        "anchor": p.anchor,
        "label": clause_label(store, p),
        "heading": p.heading,
        "text": text,
        "sentence": sentence,
        "short": short_answer(q.intent, sentence),
        "score": round(p.score * p.coverage**2, 3),
        "coverage": round(p.coverage, 3),
        **status_fields(status),
        "replaced_by": replaced_by(store, status),
        "interpretations": interpretations_of(store, doc.id),
    }


def replaced_by(store: Store, status: dict) -> dict | None:
    """The document that repealed or revised a source ({doc_id, doc_number, title}), if known."""
    if not status.get("by"):
        return None
    from gongbao.search.interpret import find_document

    doc = find_document(store, status["by"])
    if doc is None:
        return {"doc_id": None, "doc_number": None, "title": status["by"]}
    return {"doc_id": doc.id, "doc_number": doc.doc_number, "title": doc.title}


def _validity(store: Store, q: Question, candidates: list[Passage], docs: dict, as_of: str) -> dict | None:
    pk = named_document(store, q, candidates, docs)
    if pk is None:
        return None
    doc = docs.get(pk) or store.doc_texts([pk])[pk]
    status = source_status(store, doc.id, as_of)
    return validity_answer(doc, status, replaced_by(store, status))
