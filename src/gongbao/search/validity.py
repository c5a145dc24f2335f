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
from gongbao.search.tokenize import normalize
from gongbao.store.sqlite import Store

_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
# words of a validity question that say nothing about which document it is
_VALIDITY_WORDS = frozenset("文件 规定 通知 办法 条例 意见 有效 现在 还 那个 这个 年 的 失效 废止 作废 管用 执行".split())


def named_document(store: Store, question: Question, passages: list[Passage], docs: dict) -> int | None:
    """The pk of the document a validity question names: by its 文号, else by its name (婚姻法:
    a law known only because another text repealed it counts), else the candidate document whose
    title meets most of the question's words (of the year it names, if any)."""
    for number, _, _ in find_doc_numbers(question.text):
        pk = store.find_document_pk(str(number))
        if pk is not None:
            return pk
    pk = _by_name(store, question.text)
    if pk is not None:
        return pk
    year = _YEAR.search(question.text)
    words = [w for w in question.core if w not in _VALIDITY_WORDS]
    best, best_score = None, 0.0
    for pk, doc in _candidates(store, passages, docs).items():
        if year and not _of_year(doc, year.group(1)):
            continue
        title = normalize(doc.title or "")
        score = sum(len(w) for w in words if w in title) / (sum(len(w) for w in words) or 1)
        if score > best_score:
            best, best_score = pk, score
    return best if best_score >= 0.5 else None


# a name ending in the 文种 of a law or rule (婚姻法, 民法通则, 失业保险条例)
_NAME_END = re.compile(r"(?:法|法典|通则|条例|办法|规定|细则)(?=[^\u4e00-\u9fff]|现在|还|是|已|有|废|失|作|过|生|$)")
_NATIONAL_PREFIX = "中华人民共和国"


def _by_name(store: Store, text: str) -> int | None:
    """A document the question calls by its title, or by a law's short name (婚姻法 for
    中华人民共和国婚姻法): the longest name before a 文种 ending that is a title. A bare name
    must be a present document's title (《合同法》 cited in passing leaves a title-only stub)."""
    for m in _NAME_END.finditer(text):
        for start in range(max(0, m.end() - 30), m.end() - 2):
            name = text[start:m.end()].strip("《》")
            if len(name) < 3 or not re.fullmatch(r"[\u4e00-\u9fff]+", name):
                continue
            pk = store.find_document_pk(_NATIONAL_PREFIX + name)
            if pk is None:
                pk = store.find_document_pk(name)
                pk = pk if pk is not None and store.doc_ref(pk).present else None
            if pk is not None:
                return pk
    return None


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
