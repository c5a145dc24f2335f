"""Resolution: attach every stored citation and relation to a document of the database, and
derive a stored document's status as of a date.

Matching, in order: normalised 文号; exact title (of a document or of a text it embeds);
title compared without spaces and punctuation; a 文号 no document bears, with its title, may name
a text stored without one (``_of_number_year``).  A citation that matches nothing creates a
known-but-absent document (present = 0) with the id ingest will give the real one when its
issue arrives (``store.ids``), so links attach by themselves.  Resolution is idempotent and
re-runs over everything, so absent stubs give way to documents ingested later.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from gongbao.docnumber import parse_doc_number
from gongbao.textforms import title_key
from gongbao.links.validity import status_as_of
from gongbao.labels import labelled
from gongbao.models import FORCE_CHANGES, DocNumber, Notice, Status, Validity
from gongbao.store import ids
from gongbao.store.records import AbsentDoc, LinkInputs, LinkRow, Resolution, StatusRow
from gongbao.store.sqlite import Store

__all__ = ["plan_resolution", "resolve_citations", "document_status", "document_statuses", "graph", "issuer_of_prefix", "ISSUER_PREFIXES"]

# 文号 prefixes whose issuer is known; an order prefix "X令" is issued by X.
ISSUER_PREFIXES: dict[str, str] = {
    "国发": "国务院", "国函": "国务院", "国办发": "国务院办公厅", "国办函": "国务院办公厅",
    "中发": "中共中央", "中办发": "中共中央办公厅", "厅字": "中共中央办公厅 国务院办公厅",
    "渝府发": "重庆市人民政府", "渝府": "重庆市人民政府", "渝府办发": "重庆市人民政府办公厅",
    "渝府办": "重庆市人民政府办公厅", "渝府办函": "重庆市人民政府办公厅", "渝办发": "中共重庆市委办公厅 重庆市人民政府办公厅",
    "渝委发": "中共重庆市委", "渝委办发": "中共重庆市委办公厅",
}


def issuer_of_prefix(prefix: str) -> str | None:
    """The issuer a 文号 prefix names, where the table or the 令 form tells it."""
    if prefix in ISSUER_PREFIXES:
        return ISSUER_PREFIXES[prefix]
    if prefix.endswith("令") and len(prefix) > 2:
        return prefix[:-1]
    return None


class _Index:
    """Lookup tables over the documents of the database, present ones first.  A title may name
    several documents (a text and the one of the same title that later replaced it): each title
    keeps its documents in that order, with their dates."""

    def __init__(self, inputs: LinkInputs) -> None:
        self.by_number: dict[str, str] = {}
        self.by_title: dict[str, list[tuple[str, str | None]]] = {}
        self.by_key: dict[str, list[tuple[str, str | None]]] = {}
        self.dates = dates = {doc.id: doc.date for doc in inputs.documents}
        # texts stored without their 文号 (lawref's interpretations carry none in their text)
        self.unnumbered = {doc.id for doc in inputs.documents if doc.present and not doc.doc_number}
        for doc in inputs.documents:
            if doc.doc_number:
                self.by_number.setdefault(doc.doc_number, doc.id)
            self._add_title(doc.title, doc.id, doc.date)
        for title, doc_id in inputs.embedded:
            self._add_title(title, doc_id, dates.get(doc_id))

    def _add_title(self, title: str | None, doc_id: str, dated: str | None = None) -> None:
        if title:
            for table, key in ((self.by_title, ids.normalize_title(title)), (self.by_key, title_key(title))):
                named = table.setdefault(key, [])
                if all(known != doc_id for known, _ in named):
                    named.append((doc_id, dated))

    def find(self, doc_number: str | None, title: str | None, row: LinkRow | None = None) -> str | None:
        """The document a 文号 or title names.  For a repeal, not the repealing document itself
        nor one dated after it: a text cannot be repealed before it was made, so such a title
        names an older text of the same name (made absent when the database lacks it)."""
        if doc_number:
            return self.by_number.get(doc_number)
        if not title:
            return None
        named = self.by_title.get(ids.normalize_title(title)) or self.by_key.get(title_key(title)) or []
        for doc_id, dated in named:
            if row is None or not _made_after(doc_id, dated, row):
                return doc_id
        return None


def _made_after(doc_id: str, dated: str | None, row: LinkRow) -> bool:
    if FORCE_CHANGES.get(row.kind) != "repealed":
        return False
    return doc_id == row.source or bool(dated and row.source_date and dated > row.source_date)


def _of_number_year(dated: str | None, number: DocNumber) -> bool:
    """Whether a text of this date may bear this 文号: dated in the 文号's year or the next (a
    text dated by when it takes effect: 法释〔2016〕29号 from 2017-01-01), or either unknown."""
    return not dated or number.year is None or int(dated[:4]) - number.year in (0, 1)


def _issuer_of_title(title: str | None) -> str | None:
    """甲县人民政府关于加强集镇管理的通知 → 甲县人民政府: the issuer a cited title names."""
    if not title or "关于" not in title:
        return None
    from gongbao.parse.header import split_organs  # here: statuses (read on every search) need no parser
    from gongbao.parse.patterns import ORGAN_TAIL

    organs = split_organs(title[: title.index("关于")])
    return organs[0] if organs and all(ORGAN_TAIL.search(o) for o in organs) else None


class _Plan:
    """Resolution under way: the index, the records known by title alone, what to write."""

    def __init__(self, inputs: LinkInputs) -> None:
        self.index = _Index(inputs)
        self.title_only = set(inputs.title_only)
        self.out = Resolution()
        self.created: dict[str, AbsentDoc] = {}

    def absent(self, doc_number: str | None, title: str | None, row: LinkRow | None = None) -> str | None:
        """The known-but-absent document a citation names (made if need be); its id."""
        number = parse_doc_number(doc_number) if doc_number else None
        if number is None and not title:
            return None
        titled = self.index.find(None, title, row) if number and title else None
        if titled is not None and titled in self.title_only:
            # the same document was named earlier by its 《title》 alone: it gets its 文号, not a twin
            self._give_number(titled, number)
            return titled
        if titled in self.index.unnumbered and _of_number_year(self.index.dates.get(titled), number):
            return titled  # 《title》（法释〔2016〕29号） of a text stored by its title alone
        doc_id = ids.number_id(number) if number else ids.title_id(title)
        if doc_id not in self.created:
            self._make(doc_id, number, title)
        if number:
            self.index.by_number.setdefault(str(number), doc_id)
        if title:
            self.index._add_title(title, doc_id)
        return doc_id

    def _give_number(self, doc_id: str, number: DocNumber) -> None:
        self.title_only.discard(doc_id)
        made = self.created.get(doc_id)
        if made is None:  # stored before this run: the store updates it
            made = AbsentDoc(doc_id, "", None, None, None, None, "", None)
            self.out.numbered.append((doc_id, made))
        made.doc_number, made.dn_prefix, made.dn_year, made.dn_serial = str(number), number.prefix, number.year, number.serial
        self.index.by_number.setdefault(str(number), doc_id)

    def _make(self, doc_id: str, number: DocNumber | None, title: str | None) -> None:
        issuer = (issuer_of_prefix(number.prefix) if number else None) or _issuer_of_title(title)
        if number is None:
            doc = AbsentDoc(doc_id, title, None, None, None, None, title, issuer)
            self.title_only.add(doc_id)
        else:
            doc = AbsentDoc(doc_id, str(number), str(number), number.prefix, number.year, number.serial,
                            title or str(number), issuer)
        self.created[doc_id] = doc
        self.out.absent.append(doc)


def plan_resolution(inputs: LinkInputs) -> Resolution:
    """Resolve every citation and relation: what to write (targets, absent documents to make).

    Pure: reads only ``inputs`` (``Store.link_inputs``); the store writes the result
    (``Store.write_resolution``).
    """
    plan = _Plan(inputs)
    stats = {"citations": 0, "resolved": 0, "relations": 0}
    # relations first: a repeal list item carries both 文号 and title, so the record it creates
    # is found again by either when the bare 《title》 or 文号 citations are resolved
    for table, rows, targets in (("relations", inputs.relations, plan.out.relation_targets),
                                 ("citations", inputs.citations, plan.out.citation_targets)):
        for row in rows:
            if row.kind == "issues":
                target = None  # an issued text is part of the document that issues it
            else:
                target = plan.index.find(row.number, row.title, row) or plan.absent(row.number, row.title, row)
            if target == row.source:
                target = None  # a document's own embedded text: not a link to another document
            targets.append((target, row.id))
            if table == "citations":
                stats["citations"] += 1
                stats["resolved"] += target is not None
            else:
                stats["relations"] += 1
    plan.out.stats = stats
    return plan.out


def resolve_citations(store: Store) -> dict[str, int]:
    """Resolve every citation and relation of the database; counts of what was done.

    Run inside the caller's transaction (ingest does); creates absent documents as needed.
    """
    resolution = plan_resolution(store.link_inputs())
    created = store.write_resolution(resolution)
    return {**resolution.stats, "absent_created": created}


def _today() -> str:
    return date.today().isoformat()


def document_status(store: Store, doc_id: str, as_of: str | None = None) -> Status | None:
    """Status of the stored document ``doc_id`` (id, or 文号 in any written form) as of ``as_of``.

    None when there is no such document.
    """
    found = store.find_document_id(doc_id)
    return None if found is None else document_statuses(store, [found], as_of)[found]


def document_statuses(store: Store, doc_ids: Iterable[str] | None, as_of: str | None = None) -> dict[str, Status]:
    """Statuses of many stored documents (by id; None: every document) as of ``as_of``; ids
    not stored are left out.  Same result as ``document_status`` for each; documents whose
    status is made of the same inputs share one ``Status`` (a million documents have a few
    hundred thousand kinds): read them, do not change them."""
    as_of = as_of or _today()
    rows, incoming_rows = store.status_inputs(doc_ids)
    incoming: dict[str, list] = {}
    for r in incoming_rows:
        incoming.setdefault(r.target_id, []).append((r.type, r.source, r.effective, r.evidence))
    out: dict[str, Status] = {}
    shared: dict[tuple, Status] = {}
    for row in rows:
        relations = incoming.get(row.id, [])
        # inputs without relations are plain values: the key of a status made before
        key = None if relations else (row.date, row.own_date, row.present,
                                      row.validity and (*row.validity[:3], *row.validity[3]))
        status = shared.get(key) if key else None
        if status is None:
            status = _status_of(row, relations, as_of)
            if key:
                shared[key] = status
        out[row.id] = status
    for doc_id, fix in store.status_corrections(out).items():  # an editor's correction wins
        out[doc_id] = Status(fix.value, as_of, [Notice.of("corrected", reason=fix.reason, editor=fix.editor, date=fix.created_at[:10])])
    return out


def _status_of(row: StatusRow, relations: list, as_of: str) -> Status:
    validity = Validity(*row.validity) if row.validity else Validity()
    status = status_as_of(validity, relations, as_of, present=row.present, issued=row.date)
    if row.own_date is None and row.date and status.code in ("in_force", "not_yet_in_force"):
        status.evidence.insert(0, Notice.of("dated_by_issue", published=row.date))
    return status


def graph(store: Store, as_of: str | None = None) -> dict[str, list[dict]]:
    """The whole link graph: nodes (every document, present or absent, with its status) and
    edges (every resolved relation between two different documents)."""
    docs = store.all_doc_refs()
    statuses = document_statuses(store, [d.id for d in docs], as_of)
    nodes = [{"id": d.id, "doc_number": d.doc_number, "title": d.title, "present": d.present,
              "status": statuses[d.id].code} for d in docs]
    edges = [{"source": e.source, "target": e.target, "type": e.type,
              "evidence": labelled(e.evidence) if e.evidence else None, "effective": e.effective} for e in store.edges()]
    return {"nodes": nodes, "edges": edges}
