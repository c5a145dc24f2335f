"""Plain-data views of the models: the JSON contract of ``gongbao parse --format json``.

Field names are a public contract (README, issue 2); absent values are null or [], never invented.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from gongbao.labels import labelled
from gongbao.models import DocNumber, Document, Issue, Notice


def doc_number_parts(number: DocNumber | None) -> dict[str, Any] | None:
    if number is None:
        return None
    return {"prefix": number.prefix, "year": number.year, "serial": number.serial}


def plain(value: Any) -> Any:
    """A model value as JSON reads it, by the rule the API's models are made by
    (``gongbao.web.schemas.derived``): a dataclass as an object of its fields, a 文号 as its
    normalised text, a tuple (a line span) as an array, a notice (warning, evidence) as its code,
    parameters and Chinese label; a stored record (``store.records``) lists its fields in the
    order of its ``JSON_FIELDS``."""
    cls = value.__class__
    kind = _KINDS.get(cls)
    if kind is None:
        kind = _KINDS[cls] = _kind(cls)
    if kind is _AS_IS:
        return value
    if kind is _LIST:
        return [v if v.__class__ in _LEAVES else plain(v) for v in value]
    if kind is _DICT:
        return {k: v if v.__class__ in _LEAVES else plain(v) for k, v in value.items()}
    if kind is _NUMBER:
        return str(value)
    if kind is _NOTICE:
        return labelled(value)
    out = {}
    for key, attribute in kind:
        v = getattr(value, attribute)
        out[key] = v if v.__class__ in _LEAVES else plain(v)
    return out


# How ``plain`` shows each class of value, decided once per class (a document holds thousands
# of values, and the API and every page of a document convert one): the markers below, or a
# dataclass's (key, attribute) pairs.
_AS_IS, _LIST, _DICT, _NUMBER, _NOTICE = (object() for _ in range(5))
_KINDS: dict[type, Any] = {}
_LEAVES = frozenset({str, int, float, bool, type(None)})  # shown as they are, without a call


def _kind(cls: type) -> Any:
    if issubclass(cls, DocNumber):
        return _NUMBER
    if issubclass(cls, Notice):
        return _NOTICE
    if dataclasses.is_dataclass(cls):
        return _pairs(getattr(cls, "JSON_FIELDS", None) or [f.name for f in dataclasses.fields(cls)])
    if issubclass(cls, (list, tuple)):
        return _LIST
    if issubclass(cls, dict):
        return _DICT
    return _AS_IS


def _pairs(names: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """(key, attribute) of each named field; ``"name:attribute"`` shows an attribute under another name."""
    out = []
    for name in names:
        key, _, attribute = name.partition(":")
        out.append((key, attribute or key))
    return tuple(out)


def plain_fields(value: Any, names: Iterable[str]) -> dict[str, Any]:
    """The named fields of a dataclass as JSON reads them (a stored record's ``JSON_FIELDS``,
    or the fields of the model it extends); ``"name:attribute"`` shows an attribute under
    another name."""
    return {key: plain(getattr(value, attribute)) for key, attribute in _pairs(names)}


def plain_as(value: Any, cls: type) -> dict[str, Any]:
    """A stored record as the model ``cls`` it extends reads in JSON (without the stored ids)."""
    return plain_fields(value, [f.name for f in dataclasses.fields(cls)])


def document_to_dict(doc: Document) -> dict[str, Any]:
    return {
        "doc_number": str(doc.doc_number) if doc.doc_number else None,
        "doc_number_parts": doc_number_parts(doc.doc_number),
        "title": doc.title,
        "issuers": doc.issuers,
        "type": doc.type,
        "date": doc.date,
        "addressee": doc.addressee,
        "signatures": doc.signatures,
        "embedded": plain(doc.embedded),
        "history": plain(doc.history),
        "attachments": plain(doc.attachments),
        "cc": doc.cc,
        "printed_by": doc.printed_by,
        "printed_date": doc.printed_date,
        "public": doc.public,
        "section": doc.section,
        "lines": list(doc.lines),
        "continuations": [list(c) for c in doc.continuations],
        "pages": list(doc.pages) if doc.pages else None,
        "regions": [{"page": page, "bbox": list(box)} for page, box in doc.regions()],
        "line_pages": [
            {"lines": [line.first, line.last], "page": line.page, "bbox": list(line.bbox) if line.bbox else None}
            for line in doc.body if line.page is not None
        ],
        "text": doc.text,
        "outline": plain(doc.outline),
        "tables": plain(doc.tables),
        "tasks": plain(doc.tasks),
        "citations": plain(doc.citations),
        "relations": plain(doc.relations),
        "validity": plain(doc.validity),
        "warnings": plain(doc.warnings),
    }


def issue_to_dict(issue: Issue) -> dict[str, Any]:
    return {
        "gazette": plain(issue.gazette),
        "documents": [document_to_dict(d) for d in issue.documents],
        "articles": [{"kind": a.kind, "title": a.title, "lines": list(a.lines)} for a in issue.articles],
        "toc": plain(issue.toc),
        "reconciliation": plain(issue.reconciliation),
        "unassigned": plain(issue.unassigned),
        "source": {k: v for k, v in plain(issue.source).items() if k != "text"},
        "warnings": plain(issue.warnings),
    }
