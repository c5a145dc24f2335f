"""Policy interpretations (政策解读): which document explains which, both ways.

A document interprets another when its title names it (关于《…》的政策解读, 《…》政策解读,
解读《…》, ……办法政策解读), when the link resolver recorded an ``interprets`` relation, or
when an editor linked them (``gongbao qa interprets``).  The named policy is found by its
title, by the title of a text it issues (印发《…》的通知), or by its 文号.

Public: ``interpretation_target(title)``, ``interpretations_of(store, doc_id)``,
``link_interpretation(store, interpretation_ref, target_ref)``, ``find_document(store, ref)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongbao.errors import NotFoundError
from gongbao.textforms import title_key
from gongbao.store.records import DocRef
from gongbao.store.sqlite import Store

# Title shapes of an interpretation; group "t" is the title of the policy it interprets.
_POLICY_TYPES = "办法|条例|规定|意见|方案|通知|决定|细则|规划|措施|要点|规则|通告|公告|纲要|计划|指南|标准|制度"
TITLE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^(?:关于)?《(?P<t>[^《》]+)》(?:的)?(?:政策)?(?:文件)?解读(?:材料)?$"),
    re.compile(r"^(?:图解|一图读懂|政策)?[:：]?解读《(?P<t>[^《》]+)》$"),
    re.compile(rf"^(?:关于)?(?P<t>[^《》]+?(?:{_POLICY_TYPES}))(?:（[^）]*）)?的?政策解读$"),
)
_ISSUED = re.compile(r"印发《?(?P<t>[^《》]+?)》?的通知$")


def interpretation_target(title: str) -> str | None:
    """The title of the policy an interpretation's title names, or None if it is not one."""
    clean = re.sub(r"\s+", "", title or "")
    for pattern in TITLE_PATTERNS:
        m = pattern.match(clean)
        if m:
            return m.group("t")
    return None



def find_document(store: Store, ref: str) -> DocRef | None:
    """A document by id, 文号 (any written form) or title."""
    pk = store.find_document_pk(ref)
    if pk is not None:
        return store.doc_ref(pk)
    key = title_key(ref)
    return next((doc for doc in store.present_doc_refs() if title_key(doc.title) == key), None)


def _policy_keys(doc: DocRef, embedded: list[str]) -> set[str]:
    """The title keys under which a document may be named: its title, the texts it issues."""
    keys = {title_key(doc.title)}
    m = _ISSUED.search(re.sub(r"\s+", "", doc.title))
    if m:
        keys.add(title_key(m.group("t")))
    keys.update(title_key(title) for title in embedded)
    return keys


@dataclass(frozen=True, slots=True)
class InterpretationTitles:
    """What finding interpretations by title needs of the whole database, computed once per
    database version (a page then looks up instead of reading every document)."""

    named_by: dict[str, list[DocRef]]  # title key → present documents that may be named so, by pk
    naming: dict[str, list[DocRef]]  # title key → present interpretations naming it, by pk


def interpretation_titles(store: Store) -> InterpretationTitles:
    embedded = store.embedded_titles_by_doc()
    named_by: dict[str, list[DocRef]] = {}
    for doc in store.present_doc_refs():
        for key in _policy_keys(doc, embedded.get(doc.pk, [])):
            named_by.setdefault(key, []).append(doc)
    return InterpretationTitles(named_by, interpretations_naming(store))


def interpretations_naming(store: Store) -> dict[str, list[DocRef]]:
    """title key → present interpretations naming it (``InterpretationTitles.naming``): the
    few documents whose title holds 解读, all that a document that is no interpretation needs."""
    naming: dict[str, list[DocRef]] = {}
    for doc in store.present_doc_refs(title_like="解读"):
        named = interpretation_target(doc.title)
        if named:
            naming.setdefault(title_key(named), []).append(doc)
    return naming


def _link(doc: DocRef, direction: str, origin: str) -> dict:
    return {"id": doc.id, "doc_number": doc.doc_number, "title": doc.title, "date": doc.date,
            "direction": direction, "origin": origin}


def interpretations_of(store: Store, doc_id: str, titles: InterpretationTitles | None = None) -> list[dict]:
    """Interpretation links of a document, both ways.

    Each item: {id, doc_number, title, date, direction, origin} where direction is
    "interprets" (this document interprets that one) or "interpreted_by", and origin is
    "title", "relation" or "editor".  For the portal's document page and for answers.
    ``titles``: ``interpretation_titles(store)`` when the caller keeps it (else the store
    keeps it until the database changes).
    """
    me = find_document(store, doc_id)
    if me is None:
        return []
    out: dict[tuple[str, str], dict] = {}

    def add(doc: DocRef | None, direction: str, origin: str) -> None:
        if doc is not None and doc.id != me.id:
            out.setdefault((doc.id, direction), _link(doc, direction, origin))

    target = interpretation_target(me.title)
    if target:
        titles = titles or store.kept("interpretation titles", lambda: interpretation_titles(store), lasting=True)
        for doc in titles.named_by.get(title_key(target), []):
            if doc.pk != me.pk:
                add(doc, "interprets", "title")
    # the whole title index is read only for an interpretation: one process asking once
    # (`gongbao ask`) reads the small index of interpretations alone
    by_key = titles.naming if titles else store.kept("interpretations naming", lambda: interpretations_naming(store),
                                                     lasting=True)
    my_keys = _policy_keys(me, store.embedded_titles(me.pk))
    naming = {doc.pk: doc for key in my_keys for doc in by_key.get(key, [])}
    for pk in sorted(naming):
        add(naming[pk], "interpreted_by", "title")
    for doc in store.related(me.pk, "interprets", incoming=False):
        add(doc, "interprets", "relation")
    for doc in store.related(me.pk, "interprets", incoming=True):
        add(doc, "interpreted_by", "relation")
    for interpretation_ref, target_ref in store.interpretation_links():
        interp, target_doc = find_document(store, interpretation_ref), find_document(store, target_ref)
        if interp and interp.id == me.id:
            add(target_doc, "interprets", "editor")
        elif target_doc and target_doc.id == me.id:
            add(interp, "interpreted_by", "editor")
    return list(out.values())


def link_interpretation(store: Store, interpretation_ref: str, target_ref: str) -> tuple[DocRef, DocRef]:
    """Record that one document interprets another (both must be in the database)."""
    interp, target = find_document(store, interpretation_ref), find_document(store, target_ref)
    if interp is None:
        raise NotFoundError(f"no document {interpretation_ref!r} in the database")
    if target is None:
        raise NotFoundError(f"no document {target_ref!r} in the database")
    store.add_interpretation_link(interp.id, target.id)
    return interp, target
