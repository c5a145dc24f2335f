"""Plain-data views of the models: the JSON contract of ``gongbao parse --format json``.

Field names are a public contract (README, issue 2); absent values are null or [], never invented.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from gongbao.models import Citation, Deadline, DocNumber, Document, Issue, OutlineNode, Relation, Task


def doc_number_parts(number: DocNumber | None) -> dict[str, Any] | None:
    if number is None:
        return None
    return {"prefix": number.prefix, "year": number.year, "serial": number.serial}


def deadline_to_dict(deadline: Deadline | None) -> dict[str, Any] | None:
    return None if deadline is None else asdict(deadline)


def outline_to_dict(node: OutlineNode) -> dict[str, Any]:
    return {
        "level": node.level,
        "number": node.number,
        "ordinal": node.ordinal,
        "heading": node.heading,
        "text": node.text,
        "anchor": node.anchor,
        "lines": list(node.lines),
        "children": [outline_to_dict(c) for c in node.children],
        "warnings": node.warnings,
    }


def task_to_dict(task: Task) -> dict[str, Any]:
    return {
        "text": task.text,
        "group": task.group,
        "anchor": task.anchor,
        "lead_units": task.lead_units,
        "responsible_units": task.responsible_units,
        "partner_units": task.partner_units,
        "deadline": deadline_to_dict(task.deadline),
        "lines": list(task.lines),
        "source": task.source,
    }


def citation_to_dict(citation: Citation) -> dict[str, Any]:
    return {
        "text": citation.text,
        "kind": citation.kind,
        "doc_number": str(citation.doc_number) if citation.doc_number else None,
        "title": citation.title,
        "anchor": citation.anchor,
        "lines": list(citation.lines),
    }


def relation_to_dict(relation: Relation) -> dict[str, Any]:
    return {
        "type": relation.type,
        "target": citation_to_dict(relation.target),
        "evidence": relation.evidence,
        "anchor": relation.anchor,
        "effective": relation.effective,
        "lines": list(relation.lines),
    }


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
        "embedded": [{"title": e.title, "type": e.type, "lines": list(e.lines)} for e in doc.embedded],
        "attachments": [{"title": a.title, "omitted": a.omitted, "lines": list(a.lines)} for a in doc.attachments],
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
        "outline": [outline_to_dict(n) for n in doc.outline],
        "tables": [
            {"title": t.title, "header": t.header, "rows": t.rows, "lines": list(t.lines),
             "row_lines": [list(r) for r in t.row_lines], "warnings": t.warnings}
            for t in doc.tables
        ],
        "tasks": [task_to_dict(t) for t in doc.tasks],
        "citations": [citation_to_dict(c) for c in doc.citations],
        "relations": [relation_to_dict(r) for r in doc.relations],
        "validity": asdict(doc.validity),
        "warnings": doc.warnings,
    }


def issue_to_dict(issue: Issue) -> dict[str, Any]:
    g = issue.gazette
    return {
        "gazette": {
            "name": g.name,
            "year": g.year,
            "issue": g.issue,
            "total_issue": g.total_issue,
            "published": g.published,
            "sponsor": g.sponsor,
            "editor": g.editor,
        },
        "documents": [document_to_dict(d) for d in issue.documents],
        "articles": [{"kind": a.kind, "title": a.title, "lines": list(a.lines)} for a in issue.articles],
        "toc": [
            {"title": e.title, "page": e.page, "section": e.section, "source": e.source,
             "doc_number": str(e.doc_number) if e.doc_number else None, "lines": list(e.lines)}
            for e in issue.toc
        ],
        "reconciliation": [{"kind": f.kind, "detail": f.detail} for f in issue.reconciliation],
        "unassigned": [list(u) for u in issue.unassigned],
        "source": {k: v for k, v in asdict(issue.source).items() if k != "text"},
        "warnings": issue.warnings,
    }
