"""The review queue of an issue: everything the parser was unsure of, as a list an editor
works through — accept, correct, or dismiss with a reason.

Items: the issue's warnings (low OCR confidence among them), the TOC / 文件检索
reconciliation findings, unassigned line ranges, documents without 文号, each document's
warnings (fields the parser was unsure of), and corrections flagged for review after a
re-ingest.  An item's key is stable across re-ingests as long as the finding is the same
(for a warning: its code and parameters, not its wording), so a decision holds until the
parser says something new.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from gongbao import labels
from gongbao.errors import NotFoundError, UsageError
from gongbao.store import Store
from gongbao.labels import labelled
from gongbao.models import Issue
from gongbao.store.records import StoredIssue
from gongbao.store.ids import review_key, warning_finding

DECISIONS = ("accepted", "corrected", "dismissed")
_ACTIONS = {"accept": "accepted", "dismiss": "dismissed", "correct": "corrected",
            "确认": "accepted", "驳回": "dismissed", "更正": "corrected"}


@dataclass(slots=True)
class ReviewItem:
    key: str
    kind: str
    kind_label: str
    detail: str
    doc_id: str | None = None
    doc_label: str | None = None
    lines: list[int] | None = None
    correction_id: int | None = None
    decision: str = "open"
    decision_label: str = labels.REVIEW_DECISION["open"]
    reason: str | None = None
    editor: str | None = None
    decided_at: str | None = None
    code: str | None = None  # a warning's code (labels.WARNING)
    params: dict | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def _item(kind: str, detail: str, doc_id: str | None = None, **extra) -> ReviewItem:
    return ReviewItem(review_key(kind, doc_id, detail), kind, labels.label("review_kind", kind), detail, doc_id, **extra)


def _warning_item(kind: str, warning: dict, doc_id: str | None = None, **extra) -> ReviewItem:
    """``warning`` as read (code, params, label)."""
    finding = warning_finding(warning["code"], warning.get("params") or {})
    return ReviewItem(review_key(kind, doc_id, finding), kind, labels.label("review_kind", kind),
                      warning["label"], doc_id, code=warning["code"], params=warning.get("params") or {}, **extra)


def _warning_kind(warning: dict) -> str:
    """``warning`` as read (labelled)."""
    return "low_confidence" if warning["code"] == "low_confidence" else "warning"


def _issue_items(issue: Issue | StoredIssue) -> list[ReviewItem]:
    """The issue's own items: its warnings, reconciliation findings and unassigned lines
    (parsed or stored, the same fields)."""
    read = [labelled(w) for w in issue.warnings]
    items = [_warning_item(_warning_kind(w), w) for w in read]
    items += [_item("reconciliation", f"{labels.label('reconciliation', f.kind)}：{f.detail}")
              for f in issue.reconciliation]
    items += [_item("unassigned", f"第 {a}–{b} 行不属于任何文件或文章", lines=[a, b]) for a, b in issue.unassigned]
    return items


def _document_items(store: Store, issue: StoredIssue) -> list[ReviewItem]:
    items = []
    for summary in issue.summaries:
        doc = store.get_document(summary.id, full=False)
        label = str(doc.doc_number or doc.title)
        lines = list(doc.lines) if doc.lines else None
        if not doc.doc_number:
            items.append(_item("no_doc_number", f"《{doc.title}》没有识别出文号", doc.id, doc_label=label, lines=lines))
        items += [_warning_item("document_warning", labelled(w), doc.id, doc_label=label, lines=lines)
                  for w in doc.warnings]
    for c in store.corrections(states=["review"], issue_key=issue.key):
        items.append(_item("correction_review", f"更正 #{c.id}（{c.field}）：{c.state_note or ''}", c.doc_id,
                           doc_label=c.doc_number or c.doc_title, correction_id=c.id))
    return items


def parsed_warnings(issue: Issue) -> list[ReviewItem]:
    """The review items of a parsed ``models.Issue`` (before it is stored): what
    ``gongbao parse --warnings`` lists."""
    items = _issue_items(issue)
    for doc in issue.documents:
        label = str(doc.doc_number) if doc.doc_number else doc.title
        if doc.doc_number is None:
            items.append(_item("no_doc_number", f"《{doc.title}》没有识别出文号", None, doc_label=label, lines=list(doc.lines)))
        items += [_warning_item("document_warning", labels.labelled(w), None, doc_label=label, lines=list(doc.lines))
                  for w in doc.warnings]
    return items


def review_items(store: Store, issue_ref: int | str,
                 include_decided: bool = False) -> tuple[StoredIssue, list[ReviewItem]]:
    """(the issue, its review items) — open ones only unless ``include_decided``."""
    issue = store.get_issue(issue_ref)
    decisions = store.review_decisions(issue.key)
    items = []
    for item in _issue_items(issue) + _document_items(store, issue):
        d = decisions.get(item.key)
        if d is not None:
            item.decision, item.reason, item.editor, item.decided_at = d.decision, d.reason, d.editor, d.decided_at
            item.decision_label = labels.label("review_decision", d.decision)
        if include_decided or item.decision == "open":
            items.append(item)
    return issue, items


def open_counts(store: Store) -> dict[int, int]:
    """Open review items per issue id."""
    return {i.id: len(review_items(store, i.id)[1]) for i in store.list_issues()}


def decide(store: Store, issue_ref: int | str, item_key: str, action: str, reason: str | None, editor: str,
           correction: tuple[str, str] | None = None) -> ReviewItem:
    """Accept, dismiss (with a reason) or correct (``correction`` = (field, value), with a
    reason) one open item.  A correction-review item accepted puts its correction back in
    force; dismissed, withdraws it."""
    decision = _ACTIONS.get(action)
    if decision is None:
        raise UsageError(f"审核操作只能是 accept（确认）、correct（更正）、dismiss（驳回），不能是“{action}”")
    why = " ".join((reason or "").split())
    if decision != "accepted" and not why:
        raise UsageError("驳回或更正时请写明理由（--reason）")
    issue, items = review_items(store, issue_ref, include_decided=True)
    item = next((i for i in items if i.key == item_key or i.key.startswith(item_key) and len(item_key) >= 4), None)
    if item is None:
        raise NotFoundError(f"本期没有审核项“{item_key}”")
    if decision == "corrected":
        if correction is None or item.doc_id is None:
            raise UsageError("更正需给出字段和值（--field、--value），且审核项须属于某一文件")
        from gongbao.editing import correct

        correct(store, item.doc_id, correction[0], correction[1], why, editor)
    if item.correction_id is not None and decision != "corrected":
        store.set_correction_state(item.correction_id, "active" if decision == "accepted" else "superseded",
                                   f"审核{labels.label('review_decision', decision)}：{why or editor}")
    d = store.add_review_decision(issue.key, item.key, decision, why or None, editor)
    item.decision, item.reason, item.editor, item.decided_at = d.decision, d.reason, d.editor, d.decided_at
    item.decision_label = labels.label("review_decision", d.decision)
    return item
