"""What the pages and the API show, assembled from the store: one function per view.

Everything here reads through ``gongbao.store`` (the document dicts of ``Store.get_document``)
plus a few parameterised cross-document queries (who cites whom, facets of a listing) that
only the portal needs.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from gongbao import labels
from gongbao.errors import InputError, NotFoundError
from gongbao.export import body_blocks
from gongbao.editing import correction_dict
from gongbao.followup import reports_by_task, standing
from gongbao.labels import RELATION, STATUS
from gongbao.models import Notice, Validity
from gongbao.links.resolve import document_status, document_statuses
from gongbao.search.interpret import InterpretationTitles, interpretations_of
from gongbao.serialize import plain
from gongbao.store import Filters, Store
from gongbao.store.records import CitingDoc, ListedDoc, StatusView, StoredTask
from gongbao.web.params import form_year



def today() -> str:
    return dt.date.today().isoformat()


def issue_label(issue: dict[str, Any] | None) -> str:
    """重庆市人民政府公报 2021年第3期（总第885期）, or the file name for single texts."""
    if not issue:
        return ""
    series = issue.get("series") or issue.get("gazette") or ""
    if issue.get("year") and issue.get("issue"):
        label = f"{series} {issue['year']}年第{issue['issue']}期"
        if issue.get("total_issue"):
            label += f"（总第{issue['total_issue']}期）"
        return label.strip()
    path = issue.get("source_path") or issue.get("key") or ""
    return series or path.replace("\\", "/").split("/")[-1] or f"第 {issue.get('id')} 号来源"


def _status_view(status, by, as_of: str) -> StatusView:
    """A status (links.resolve) as the portal shows it, ``by`` the repealing/revising document."""
    return StatusView(status.code, status.as_of or as_of, list(status.evidence),
                      (by.doc_number or by.title) if by else status.by, status.since,
                      STATUS.get(status.code, status.code), by.id if by else None)


def status_of(st: Store, doc_id: str, validity: Validity | None = None, as_of: str | None = None) -> StatusView:
    """The validity status of a stored document as of today (or ``as_of``), with its evidence
    and the document that repealed or revised it."""
    as_of = as_of or today()
    status = document_status(st, doc_id, as_of)
    if status is None:
        return StatusView("unknown", as_of, [Notice.of("quote", text=t) for t in (validity.evidence if validity else [])],
                          label=STATUS["unknown"])
    by = st.doc_refs_by_id([status.by]).get(status.by) if status.by else None
    return _status_view(status, by, as_of)


def kept_status(st: Store, doc_id: str, validity: Validity | None = None) -> StatusView:
    """``status_of`` as the portal's derived tables keep it for today (store/portalsql.py;
    the routes bring them up to date first, deps.portal); computed when not kept."""
    return st.portal_status(doc_id) or status_of(st, doc_id, validity)


def citations_out(st: Store, doc: dict) -> list[dict]:
    """Citations and typed relations of ``doc``, each marked present or known-but-absent."""
    relations = doc.get("relations") or []
    citations = doc.get("citations") or []
    known = st.doc_refs_by_id([c.get("target_id") for c in citations] + [r.get("target_id") for r in relations])
    typed: dict[str, str] = {}
    for r in relations:
        if r.get("type") and r["type"] != "cites":
            typed.setdefault(r.get("target_id") or r.get("target_text"), r["type"])
    out = [_relation_out(r, known.get(r.get("target_id") or "")) for r in relations if r.get("type") != "cites"]
    seen = {r.get("target_id") or r.get("target_text") for r in relations if r.get("type") != "cites"}
    for c in citations:
        key = c.get("target_id") or c.get("text")
        if key not in seen:
            seen.add(key)
            out.append(_citation_out(c, known.get(c.get("target_id") or ""), typed.get(key, "cites")))
    return out


def _target(target, row: dict, number_key: str, title_key: str) -> dict:
    """What the portal shows of a cited document: its 文号 and title (as cited, else as stored), present or not."""
    return {"doc_number": row.get(number_key) or (target and target.doc_number),
            "title": row.get(title_key) or (target and target.title), "target_id": row.get("target_id"),
            "present": bool(target and target.present), "anchor": row.get("anchor")}


def _relation_out(r: dict, target) -> dict:
    return {
        "text": r.get("target_text") or "", **_target(target, r, "target_doc_number", "target_title"),
        "kind": r.get("target_kind"), "relation": r["type"], "relation_label": RELATION.get(r["type"], r["type"]),
        "evidence": r.get("evidence"),
        # the text a covering notice 印发 is part of the notice itself, not a document apart
        "own": r["type"] == "issues" and not r.get("target_id"),
    }


def _citation_out(c: dict, target, relation: str) -> dict:
    return {
        "text": c.get("text") or "", **_target(target, c, "doc_number", "title"), "kind": c.get("kind"),
        "relation": relation, "relation_label": RELATION.get(relation), "evidence": None, "own": False,
    }


def citations_in(st: Store, doc_id: str) -> list[dict]:
    """Documents that cite or relate to ``doc_id``, one entry per citing document and relation."""
    best: dict[str, CitingDoc] = {}
    for c in st.citing(doc_id):
        current = best.get(c.source_id)
        # a typed relation (废止, 印发 …) says more than a bare citation from the same document
        if current is None or (current.relation == "cites" and c.relation != "cites"):
            best[c.source_id] = c
    return [{**asdict(c), "relation_label": RELATION.get(c.relation, c.relation)} for c in best.values()]


def overdue(task: StoredTask, as_of: str | None = None) -> bool:
    """A task is overdue when its (last) deadline date has passed."""
    last = task.due()
    return bool(last) and last < (as_of or today())


def task_view(task: StoredTask, as_of: str | None = None, reports: dict | None = None) -> dict:
    """A task for the pages; with ``reports`` (``followup.reports_by_task``) its progress, and
    overdue as 督查 counts it (a done task never is, a postponed one by its new deadline)."""
    view = {**plain(task), "document_id": task.doc_id, "document_title": task.doc_title, "overdue": overdue(task, as_of)}
    if reports is not None:
        view["number"] = task.position + 1
        view["progress"] = standing(task, reports.get((task.doc_id, task.position), []), as_of or today())
        view["overdue"] = view["progress"]["overdue"]
    return view


def document_view(st, ref: str, titles: InterpretationTitles | None = None) -> dict:
    """Everything the document page shows (``titles``: the portal's ``interpretation_titles``)."""
    try:
        record = st.get_document(ref)
    except NotFoundError:
        raise NotFoundError(f"没有找到公文：{ref}") from None
    doc = plain(record)
    issue = doc.get("issue") or {}
    return {
        **doc,
        "issue": {**issue, "label": issue_label(issue)} if issue.get("id") else None,
        "status": plain(kept_status(st, record.id, record.validity)),
        "validity": doc.get("validity") or {},
        "body_html": body_html(body_blocks(doc)),
        "outline_html": outline_html(doc.get("outline") or []),
        "tasks": _task_views(st, record),
        "corrections": [correction_dict(c) for c in st.corrections(doc["id"])] if doc.get("present") else [],
        "citations_out": citations_out(st, doc),
        "citations_in": citations_in(st, doc["id"]),
        "interpretations": interpretations_of(st, doc["id"], titles),
        "lines": doc.get("lines") or [None, None],
    }


def _task_views(st, record) -> list[dict]:
    """A document's tasks with their progress (its reports read once, not once per task)."""
    if not record.tasks:
        return []
    reports = reports_by_task(st, record.id)
    return [task_view(t, reports=reports) for t in record.tasks]


def _lead(block) -> tuple[str, str]:
    """(bold part, rest) of a body line: a heading's number and heading words go bold, so a
    run-in heading such as （一）深化改革。全面承接… keeps the rest of its text plain."""
    stripped = block.text.lstrip()
    if not block.number or not stripped.startswith(block.number):
        return "", block.text
    cut = len(block.number)
    if block.heading:
        pos = stripped.find(block.heading, cut)
        if 0 <= pos - cut <= 2:
            cut = pos + len(block.heading)
    return stripped[:cut], stripped[cut:].lstrip()


_SPECIAL = re.compile("[&<>\"']")  # what html.escape(quote=True) replaces


def _esc(text) -> str:
    # a law's page escapes ~500 texts, nearly all without a character to escape: a scan for
    # one is a third of html.escape's five replaces
    text = str(text)
    return html.escape(text, quote=True) if _SPECIAL.search(text) else text


def _table_html(table: dict, number: int) -> str:
    out = [f'<div class="table-wrap" id="table-{number}"><table>']
    if table.get("title"):
        out.append(f"<caption>{_esc(table['title'])}</caption>")
    if table.get("header"):
        out.append("<thead><tr>" + "".join(f'<th scope="col">{_esc(h)}</th>' for h in table["header"]) + "</tr></thead>")
    out.append("<tbody>")
    for row in table.get("rows") or []:
        out.append("<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in row) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def _short(text: str, width: int = 16) -> str:
    return text if len(text) <= width + 2 else text[:width] + "…"


def outline_html(nodes: list[dict]) -> Markup:
    """The outline sidebar: nested lists of links to the anchors (hot loop, as body_html)."""
    if not nodes:
        return Markup("")
    out = ["<ul>"]
    for n in nodes:
        words = _short(n.get("heading") or n.get("text") or "")
        out.append(f'<li><a href="#{_esc(n["anchor"])}">{_esc(n["number"])} '
                   f'<span class="muted">{_esc(words)}</span></a>{outline_html(n.get("children") or [])}</li>')
    out.append("</ul>")
    return Markup("".join(out))


def body_html(blocks) -> Markup:
    """The document body as HTML: one <p> per line, the outline anchors as ids on the lines
    where their nodes start, tables as tables.  Built here rather than in the template
    because it is the hot loop of the document page; every text goes through _esc()."""
    out = []
    tables = 0
    for block in blocks:
        if block.table is not None:
            tables += 1
            out.append(_table_html(block.table, tables))
            continue
        anchors = block.anchors
        out.extend(f'<span id="{_esc(extra)}" class="node"></span>' for extra in anchors[1:])
        lead, text = _lead(block)
        lead_html = f"<b>{_esc(lead)}</b>" if lead else ""
        if anchors:
            css = "node node-head" if block.depth is not None and block.heading else "node"
            anchor = _esc(anchors[0])
            out.append(f'<p id="{anchor}" class="{css}">{lead_html}{_esc(text)}'
                       f'<a class="anchor no-print" href="#{anchor}" aria-label="本节链接">#</a></p>')
        else:
            out.append(f"<p>{lead_html}{_esc(text)}</p>")
    return Markup("\n".join(out))


# --- listings ----------------------------------------------------------------------------


class Paging:
    """Page ``number`` (1-based) of ``total`` items, ``size`` per page."""

    def __init__(self, number: int, size: int, total: int) -> None:
        self.size = size
        self.total = total
        self.pages = max(1, -(-total // size))
        self.number = min(max(1, number), self.pages)
        self.offset = (self.number - 1) * size


@dataclass(slots=True)
class TaskFilter:
    unit: str | None = None
    document: str | None = None
    due_from: str | None = None  # ISO, inclusive: deadline (or a range's last day) on or after
    due_to: str | None = None
    overdue: bool = False
    state: str | None = None  # progress: open, in_progress, postponed, done, overdue

    def query(self) -> str:
        pairs = [(k, v) for k, v in (("unit", self.unit), ("document", self.document), ("due_from", self.due_from),
                                     ("due_to", self.due_to), ("state", self.state)) if v]
        if self.overdue:
            pairs.append(("overdue", "1"))
        return urlencode(pairs)


def _iso(value: str | None, name: str) -> str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise InputError(f"{name} 应为日期，如 2021-06-30：{value}") from None


def ledger_rows(st, f: TaskFilter, as_of: str | None = None) -> list[tuple[StoredTask, dict]]:
    """The tasks the store selects by ``f``'s unit, document and last due date, each with its
    view (``task_view`` with its progress); ``filtered_tasks`` applies the rest of ``f``."""
    reports = reports_by_task(st)
    rows = st.tasks(unit=f.unit, due_before=_iso(f.due_to, "时限止"), doc=f.document)
    return [(task, task_view(task, as_of or today(), reports)) for task in rows]


def filtered_tasks(st, f: TaskFilter, as_of: str | None = None,
                   rows: Callable[[], list[tuple[StoredTask, dict]]] | None = None) -> list[dict]:
    """Tasks matching the ledger's filters, each with its overdue flag; ``rows``: the
    ``ledger_rows`` of ``f`` when the caller keeps them."""
    due_from = _iso(f.due_from, "时限起")
    out = []
    for task, view in rows() if rows is not None else ledger_rows(st, f, as_of):
        if due_from:
            last = task.due()
            if not last or last < due_from:
                continue
        if f.overdue and not view["overdue"]:
            continue
        if f.state and (view["progress"]["state"] != f.state if f.state != "overdue" else not view["overdue"]):
            continue
        out.append(view)
    return out


def unit_documents(st, name: str) -> list[ListedDoc]:
    """Documents whose issuers include exactly ``name``, with their statuses."""
    return st.issuer_documents(name)


def unit_tasks(st, name: str) -> list[dict]:
    """Tasks naming exactly ``name`` as lead, responsible or partner unit, with that role."""
    out = []
    reports = reports_by_task(st)
    for task in st.tasks(unit=name):
        role = next((r for r, key in (("lead", "lead_units"), ("responsible", "responsible_units"),
                                      ("partner", "partner_units")) if name in getattr(task, key)), None)
        if role:
            out.append({**task_view(task, reports=reports), "role": role})
    return out


LIBRARY_GROUPS = [
    ("in_force", "现行有效"), ("repealed", "已废止"), ("expired", "失效"),
    ("not_yet_in_force", "尚未生效"), ("revised", "已被修订"), ("unknown", "未知"),
]
_CORE_GROUPS = {"in_force", "repealed", "expired", "unknown"}


def all_statuses(st, as_of: str | None = None) -> dict[str, StatusView]:
    """The status (with evidence) of every document, present or known-but-absent, by id, read
    in bulk (the same as ``status_of`` for each); the portal keeps it per database version."""
    as_of = as_of or today()
    statuses = document_statuses(st, None, as_of)
    by = st.doc_refs_by_id(s.by for s in statuses.values() if s.by)
    views: dict[int, StatusView] = {}  # by the status object, which documents of the same inputs share
    out = {}
    for doc_id, s in statuses.items():
        view = views.get(id(s))
        if view is None:
            view = views[id(s)] = _status_view(s, by.get(s.by) if s.by else None, as_of)
        out[doc_id] = view
    return out


LIBRARY_PAGE = 100


def library_groups(st, f: dict, page: int = 1) -> list[dict]:
    """Documents grouped by status (现行有效 / 已废止 / 失效 / 未知 …), each with its evidence,
    read from the portal's derived tables (store/portalsql.py).

    Each group shows its first ``LIBRARY_PAGE`` documents; with a status filter, the one
    group is paged."""
    filters = Filters(issuer=f.get("issuer"), year=form_year(f.get("year")), type=f.get("type"), present=None)
    counts = st.listing_counts(filters, f.get("q"))
    wanted = f.get("status")
    out = []
    for code, label in LIBRARY_GROUPS:
        total = counts.get(code, 0)
        if (wanted and wanted != code) or not (total or code in _CORE_GROUPS):
            continue
        paging = Paging(page if wanted else 1, LIBRARY_PAGE, total)
        documents = st.portal_listing(filters, code, f.get("q"), LIBRARY_PAGE, paging.offset) if total else []
        out.append({"code": code, "label": label, "total": total, "paging": paging, "documents": documents,
                    "html": document_items_html(documents)})
    return out


def document_items_html(documents: list[ListedDoc], evidence: bool = True) -> Markup:
    """Entries of a list of documents (a library group, a unit's documents): title, status
    badge, 文号 · issuers · date · 文种, and the status's evidence with ``evidence`` (as the
    macros badge and doc_meta render them).  Built here because such a list holds hundreds of
    entries (the hot loop, as body_html); every text goes through _esc()."""
    out = []
    for d in documents:
        code = d.status.code or "unknown"
        meta = " · ".join(x for x in (d.doc_number, "、".join(d.issuers or []), d.date, d.type) if x)
        shown = "".join(f"<li>{_esc(labels.describe(e))}</li>" for e in d.status.evidence) if evidence else ""
        out.append(
            f'<li><a href="/documents/{_esc(d.id)}">{_esc(d.title)}</a> '
            f'<span class="badge {_esc(code)}">{_esc(STATUS.get(code, code))}</span>'
            + ("" if d.present else ' <span class="badge absent">未收录全文</span>')
            + f'<br><span class="meta">{_esc(meta)}</span>'
            + (f'<ul class="evidence">{shown}</ul>' if shown else "") + "</li>")
    return Markup("\n".join(out))
