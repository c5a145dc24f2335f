"""The curated answer base (政策咨询问答库): editors' answers, served first, never silently stale.

An entry has a key, several phrasings of the question, the answer text and the clauses it
rests on (a document by id, 文号 or title, and an anchor).  A question that matches one of
the phrasings gets the entry before any retrieved passage.  Whenever an entry is shown its
sources are resolved afresh: if one belongs to a repealed, expired or revised document the
entry is flagged stale.  Entries travel as YAML or JSON files:

    entries:
      - key: grain-heavy-metal
        questions: [粮食重金属超标了怎么办, 超标粮食怎么处置]
        answer: 超标粮食实行召回制度和分类处置……
        sources: [{doc: 渝府办发〔2020〕142号, anchor: art-17}]

Public: ``CuratedEntry``, ``add_entry``, ``delete_entry``, ``list_entries``, ``dump_entries``,
``load_entries``, ``import_entries``, ``entry_view``, ``curated_answers``.
"""

from __future__ import annotations

import json
import re

from gongbao.errors import InputError, NotFoundError
from gongbao.search.interpret import find_document
from gongbao.search.labels import chain_label
from gongbao.models import CuratedEntry, Question
from gongbao.search.question import understand
from gongbao.search.thesaurus import Thesaurus
from gongbao.search.validity import source_status
from gongbao.store.records import StoredNode
from gongbao.store.sqlite import Store

# How alike a question and a phrasing must be (share of their words that meet) to serve the entry.
MIN_SIMILARITY = 0.7


_KEY_DROP = re.compile(r"[^\w\u4e00-\u9fff-]+")


def make_key(question: str) -> str:
    return _KEY_DROP.sub("", question)[:40] or "entry"


def entry_from_dict(data: object, where: str = "entry") -> CuratedEntry:
    """Validate one entry of a file; bad input is an InputError naming what is wrong."""
    if not isinstance(data, dict):
        raise InputError(f"{where}: an entry is a mapping with questions, answer and sources")
    questions = data.get("questions") or ([data["question"]] if data.get("question") else [])
    if isinstance(questions, str):
        questions = [questions]
    questions = [str(q).strip() for q in questions if str(q).strip()]
    answer = str(data.get("answer") or "").strip()
    if not questions:
        raise InputError(f"{where}: at least one question phrasing is needed")
    if not answer:
        raise InputError(f"{where}: the answer text is empty")
    sources = []
    for i, src in enumerate(data.get("sources") or []):
        if isinstance(src, str):
            src = {"doc": src}
        if not isinstance(src, dict) or not str(src.get("doc") or "").strip():
            raise InputError(f"{where}: source {i + 1} needs a doc (id, 文号 or title)")
        anchor = src.get("anchor")
        source = {"doc": str(src["doc"]).strip(), "anchor": str(anchor).strip() if anchor else None}
        if src.get("clause_text"):
            source["clause_text"] = str(src["clause_text"])
        sources.append(source)
    key = str(data.get("key") or make_key(questions[0])).strip()
    return CuratedEntry(key, questions, answer, sources, data.get("note"))


def add_entry(store: Store, entry: CuratedEntry) -> None:
    """Insert the entry, or replace the one with the same key, after checking that every source
    document and clause exists (InputError, in Chinese, and nothing written, if one does not).
    Each source keeps its clause's text, to flag the answer when that text later changes."""
    store.add_qa_entry(CuratedEntry(entry.key, entry.questions, entry.answer,
                                    [_checked(store, s) for s in entry.sources], entry.note))


def clauses_of(store: Store, doc_id: str) -> dict[str, tuple[str, str]]:
    """anchor → (printed label, text of the clause with the items under it) for a document."""
    out: dict[str, tuple[str, str]] = {}

    def walk(nodes: list[StoredNode], numbers: list[str]) -> str:
        whole = ""
        for node in nodes:
            chain = numbers + [node.number or ""]
            text = (node.heading or "") + (node.text or "") + walk(node.children, chain)
            out[node.anchor] = (chain_label(chain) or node.anchor, text)
            whole += text
        return whole

    walk(store.document_outline(doc_id), [])
    return out


def _checked(store: Store, source: dict) -> dict:
    doc = find_document(store, source["doc"])
    if doc is None:
        raise InputError(f"依据文件不存在：数据库中没有“{source['doc']}”（可用文件id、文号或标题）")
    anchor = source.get("anchor")
    if not anchor:
        return {"doc": source["doc"], "anchor": None}
    clauses = clauses_of(store, doc.id)
    by_label = {_flat(label): a for a, (label, _) in clauses.items()}
    anchor = anchor if anchor in clauses else by_label.get(_flat(anchor))
    if anchor is None:
        raise InputError(f"《{doc.title}》中没有条款“{source['anchor']}”（可写 第二十五条、二、（五） 或 art-25）")
    return {"doc": source["doc"], "anchor": anchor, "clause_text": clauses[anchor][1]}


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def delete_entry(store: Store, key: str) -> None:
    if not store.delete_qa_entry(key):
        raise NotFoundError(f"no curated answer with key {key!r}")


def list_entries(store: Store) -> list[CuratedEntry]:
    return store.qa_entries()


def dump_entries(entries: list[CuratedEntry], fmt: str = "yaml") -> str:
    import yaml  # here, not at import: `gongbao ask` loads this module and never needs it

    data = {"entries": [e.to_dict() for e in entries]}
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def load_entries(text: str, origin: str = "input") -> list[CuratedEntry]:
    """Entries from YAML or JSON text (JSON is YAML, so one reader serves both)."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(f"{origin} is neither valid YAML nor JSON: {str(exc).splitlines()[0]}") from exc
    items = data.get("entries") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise InputError(f"{origin}: expected a list of entries (or a mapping with 'entries')")
    return [entry_from_dict(item, f"{origin}: entry {i + 1}") for i, item in enumerate(items)]


def import_entries(store: Store, entries: list[CuratedEntry]) -> int:
    keys = [e.key for e in entries]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise InputError(f"duplicate keys in input: {', '.join(dupes)}")
    for entry in entries:
        store.add_qa_entry(entry)  # a shared base may name texts this database lacks: kept, flagged
    return len(entries)


# --- matching and showing --------------------------------------------------------------------


def similarity(question: Question, phrasing: Question) -> float:
    """Share of the two questions' content words that meet (directly or through the thesaurus)."""
    if not question.core or not phrasing.core:
        return 0.0
    if question.intent and phrasing.intent and question.intent != phrasing.intent:
        return 0.0
    met = sum(1 for w in question.core if w in phrasing.terms) + sum(1 for w in phrasing.core if w in question.terms)
    return met / (len(question.core) + len(phrasing.core))


def _resolve(store: Store, source: dict, as_of: str | None) -> dict:
    """A source resolved afresh, with the reasons (if any) its answer needs an editor's review."""
    doc = find_document(store, source["doc"])
    anchor = source.get("anchor")
    out = {"doc": source["doc"], "anchor": anchor, "label": anchor, "found": doc is not None, "reasons": []}
    if doc is None:
        out.update(doc_id=None, doc_number=None, title=None, status="unknown", status_label="不在数据库中", stale=False,
                   reasons=["依据文件不在数据库中"])
        return out
    status = source_status(store, doc.id, as_of)
    out.update(doc_id=doc.id, doc_number=doc.doc_number, title=doc.title, status=status["code"],
               status_label=status["label"], stale=status["stale"])
    if status["stale"]:
        out["reasons"].append(f"依据文件{status['label']}" + (f"（自 {status['since']} 起）" if status.get("since") else ""))
    if anchor:
        clauses = clauses_of(store, doc.id)
        if anchor not in clauses:
            out["reasons"].append(f"依据条款 {anchor} 已不存在（文件已重新解析或修改）")
        else:
            out["label"] = clauses[anchor][0]
            if source.get("clause_text") and _flat(source["clause_text"]) != _flat(clauses[anchor][1]):
                out["reasons"].append(f"依据条款{out['label']}的内容已变化")
    return out


def entry_view(store: Store, entry: CuratedEntry, as_of: str | None = None) -> dict:
    """An entry with its sources resolved and its stale flag, as shown everywhere."""
    sources = [_resolve(store, s, as_of) for s in entry.sources]
    stale = [s for s in sources if s["stale"]]
    reasons = [f"{s['doc_number'] or s['title'] or s['doc']}：{r}" for s in sources for r in s["reasons"]]
    view = entry.to_dict() | {"sources": sources, "stale": bool(stale), "review": bool(reasons), "reasons": reasons}
    view["warning"] = ("注意：本答复需编辑复核——" + "；".join(reasons) + "。") if reasons else None
    return view


def curated_answers(store: Store, question: Question, thesaurus: Thesaurus,
                    as_of: str | None = None, min_similarity: float = MIN_SIMILARITY) -> list[dict]:
    """Curated entries matching ``question``, best first, as answers marked source=curated."""
    scored = []
    for entry in list_entries(store):
        best = max(similarity(question, understand(p, thesaurus)) for p in entry.questions)
        if best >= min_similarity:
            scored.append((best, entry))
    scored.sort(key=lambda pair: -pair[0])
    answers = []
    for score, entry in scored:
        view = entry_view(store, entry, as_of)
        first = next((s for s in view["sources"] if s["found"]), view["sources"][0] if view["sources"] else {})
        codes = [s["status"] for s in view["sources"]]
        status = next((c for c in codes if c in ("repealed", "expired", "revised")), codes[0] if codes else "unknown")
        answers.append({
            "source": "curated",
            "key": entry.key,
            "doc_id": first.get("doc_id"),
            "doc_number": first.get("doc_number"),
            "title": first.get("title"),
            "anchor": first.get("anchor"),
            "text": entry.answer,
            "sentence": entry.answer,
            "score": round(score, 3),
            "status": status,
            "stale": view["stale"],
            "warning": view["warning"],
            "sources": view["sources"],
        })
    return answers
