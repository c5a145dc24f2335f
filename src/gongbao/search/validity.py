"""Validity questions ("2017年那个文件现在还有效吗", "渝府发〔2014〕3号还管用不"): the document the
question names, its status on the question's date, by which decision and since when.

Public: ``named_document(store, question, passages)``, ``validity_answer(store, doc, as_of)``.
"""

from __future__ import annotations

import re
from datetime import date

from gongbao.docnumber import find_doc_numbers
from gongbao.labels import STATUS, labelled
from gongbao.models import Passage, Question
from gongbao.search.place import is_known_place
from gongbao.search.tokenize import normalize
from gongbao.store.sqlite import Store

_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
# words of a validity question that say nothing about which document it is
_VALIDITY_WORDS = frozenset("文件 规定 通知 办法 条例 意见 有效 现在 还 那个 这个 年 的 失效 废止 作废 管用 执行".split())


def named_document(store: Store, question: Question, passages: list[Passage], docs: dict) -> int | None:
    """The pk of the document a validity question names: by its 文号, else by its name (婚姻法:
    a law known only because another text repealed it counts), else by a name close to a found
    text's title (a slip or a shortening: 化装品…条例, 重庆公共场所控烟条例), else the candidate
    document whose title meets most of the question's words (of the year it names, if any)."""
    for number, _, _ in find_doc_numbers(question.text):
        pk = store.find_document_pk(str(number))
        if pk is not None:
            return pk
    pk = _by_name(store, question.text)
    if pk is None:
        pk = _by_order_serial(store, question.text)
    if pk is not None:
        return pk
    candidates = _candidates(store, passages, docs)
    pk = _by_close_name(question.text, candidates)
    if pk is not None:
        return pk
    year = _YEAR.search(question.text)
    words = [w for w in question.core if w not in _VALIDITY_WORDS]
    best, best_score = None, 0.0
    for pk, doc in candidates.items():
        if year and not _of_year(doc, year.group(1)):
            continue
        title = normalize(doc.title or "")
        score = sum(len(w) for w in words if w in title) / (sum(len(w) for w in words) or 1)
        if score > best_score:
            best, best_score = pk, score
    return best if best_score >= 0.5 else None


# a name ending in the 文种 of a law or rule (婚姻法, 民法通则, 失业保险条例)
_NAME_END = re.compile(r"(?:法|法典|通则|条例|条列|办法|规定|细则)(?=[^\u4e00-\u9fff]|现在|还|是|已|有|废|失|作|过|生|管|能|用|$)")
_NATIONAL_PREFIX = "中华人民共和国"
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+$")
_ORDER_SERIAL = re.compile(r"令第([0-9〇零一二三四五六七八九十百]+)号")


def _names(text: str):
    """Each (run, start) of a name the question may call a text by: the run of Chinese characters
    that ends in a 文种 word, and each start in it, longest first, never right after a place (重庆市
    特种设备安全监察条例 is not the nation's 特种设备安全监察条例)."""
    for m in _NAME_END.finditer(text):
        run_start = m.end() - len(_HAN_RUN.search(text[: m.end()]).group())
        for start in range(max(run_start, m.end() - 30), m.end() - 2):
            if start == run_start or not _after_place(text, start):
                yield text[start:m.end()], start


def _after_place(text: str, start: int) -> bool:
    return any(is_known_place(text[start - k:start]) for k in (2, 3, 4) if start >= k)


def _by_name(store: Store, text: str) -> int | None:
    """A document the question calls by its title, or by a law's short name (婚姻法 for
    中华人民共和国婚姻法): the longest name before a 文种 ending that is a title. A bare name
    must be a present document's title or a text whose status another text decided (《合同法》
    cited in passing leaves a title-only stub; a stub that another text repealed is what is asked
    about). Of several texts with the title, the one whose 令 number the question gives."""
    for name, _ in _names(text):
        for title, any_stub in ((_NATIONAL_PREFIX + name, True), (name, False)):
            refs = [ref for ref in store.documents_titled(title) if any_stub or ref.present or _decided(store, ref.pk)]
            if refs:
                return _pick(refs, text).pk
    return None


def _decided(store: Store, pk: int) -> bool:
    return any(store.related(pk, relation, incoming=True) for relation in ("repeals", "revises"))


def _pick(refs: list, text: str):
    """Of several texts of one name (an old 办法 and the new one of the same title), the one whose
    令 number the question gives, else one dated in the year it names, else the first not of
    another year."""
    serials = set(_ORDER_SERIAL.findall(text))
    for ref in refs:
        found = _ORDER_SERIAL.search(ref.doc_number or "")
        if found and found.group(1) in serials:
            return ref
    year = _YEAR.search(text)
    if not year:
        return refs[0]
    fits = [ref for ref in refs if _of_year(ref, year.group(1))]
    return next((ref for ref in fits if ref.date), (fits or refs)[0])


def _by_order_serial(store: Store, text: str) -> int | None:
    """A text called by its 令 number without the organ's full name (市政府令第10号的内部审计办法):
    of the orders so numbered, the one whose title shares most two-character words with the
    question, at least two."""
    best, best_shared = None, 1
    pairs = _pairs(text)
    for serial in _ORDER_SERIAL.findall(text):
        for ref in store.documents_numbered(f"令第{serial}号"):
            shared = len(pairs & _pairs(ref.title or ""))
            if shared > best_shared:
                best, best_shared = ref.pk, shared
    return best


def _pairs(text: str) -> set[str]:
    return set(map(str.__add__, text[:-1], text[1:]))


# A title character the question leaves out costs less than one it changes or adds: people
# shorten names (控烟 for 控制吸烟), they rarely lengthen them.
_LEFT_OUT, _CHANGED, _ADDED = 0.5, 1.0, 1.5
_CLOSE = 0.25  # the most a name may differ from a title, per title character …
_CLOSE_MOST = 2.0  # … and in all: two slips


def _by_close_name(text: str, candidates: dict) -> int | None:
    """The candidate whose title (without 中华人民共和国) the question's name is closest to, within
    a quarter of a slip per title character and two in all."""
    best, best_cost = None, _CLOSE
    runs = {name for name, start in _names(text) if start == 0 or not _HAN_RUN.search(text[:start])}
    for pk, doc in candidates.items():
        title = (doc.title or "").removeprefix(_NATIONAL_PREFIX)
        if len(title) < 4:
            continue
        for run in runs:
            cost = _suffix_distance(title, run)
            if cost <= _CLOSE_MOST and cost / len(title) < best_cost:
                best, best_cost = pk, cost / len(title)
    return best


def _suffix_distance(title: str, run: str) -> float:
    """How far ``title`` is from the end of ``run`` (whatever of ``run`` comes before is free)."""
    previous = [0.0] * (len(run) + 1)
    for i, t in enumerate(title, 1):
        current = [i * _LEFT_OUT] + [0.0] * len(run)
        for j, r in enumerate(run, 1):
            current[j] = min(previous[j - 1] + (0.0 if t == r else _CHANGED), previous[j] + _LEFT_OUT,
                             current[j - 1] + _ADDED)
        previous = current
    return previous[-1]


def _candidates(store: Store, passages: list[Passage], docs: dict) -> dict:
    """The documents of the passages found, and the texts those repealed or revised (a text known
    only by its successor's 同时废止 has no passage of its own, and is often the one asked about:
    2017年那个办法还有效吗)."""
    out = {pk: docs[pk] for pk in dict.fromkeys(p.doc_pk for p in passages) if pk in docs}
    for pk in list(out):
        for relation in ("repeals", "revises"):
            for ref in store.related(pk, relation, incoming=False):
                out.setdefault(ref.pk, ref)
    return out


def _of_year(doc, year: str) -> bool:
    """Whether a document is of the year a question names: dated then, numbered then (〔2017〕),
    or of no known year."""
    number_year = _YEAR_IN_NUMBER.search(doc.doc_number or "")
    if not doc.date and not number_year:
        return True
    return (doc.date or "").startswith(year) or bool(number_year and number_year.group(1) == year)


_YEAR_IN_NUMBER = re.compile(r"[〔\[（(]((?:19|20)\d\d)[〕\]）)]")


def validity_answer(doc, status: dict, replaced_by: dict | None) -> dict:
    """What a validity question is answered with."""
    return {
        "doc_id": doc.id, "doc_number": doc.doc_number, "title": doc.title, "date": doc.date,
        "status": status["code"], "status_label": status["label"], "since": status.get("since"),
        "by": replaced_by, "evidence": status["evidence"],
    }


STALE_CODES = frozenset({"repealed", "expired", "revised"})


def source_status(store: Store, doc_id: str, as_of: str | None = None) -> dict:
    """A document's validity status {code, label, evidence} as of a date (default today).

    The one place Q&A learns whether a source is still in force: the link resolver's answer
    when it is installed, else "unknown".
    """
    from gongbao.links.resolve import document_status  # links import the store; imported when used

    status = document_status(store, doc_id, as_of or date.today().isoformat())
    code = status.code if status is not None else "unknown"
    return {"code": code, "label": STATUS.get(code, code), "evidence": [labelled(e) for e in status.evidence] if status else [],
            "stale": code in STALE_CODES, "by": status.by if status else None,
            "since": status.since if status else None}
