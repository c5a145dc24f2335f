"""Task follow-up (督查): responsible units report progress on their tasks; the ledger shows
where each task stands, what is overdue as of a date, and exports CSV and iCalendar.

States reported: 已办结 ``done`` (with the day and a note), 进行中 ``in_progress`` (note),
延期 ``postponed`` (new deadline and reason).  A task's standing is its latest report;
without one it is ``open``.  Overdue: not done, and its deadline — the latest postponement's,
else the task's own (a range's last day) — is before the as-of date.  Every report is kept.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from gongbao import labels
from gongbao.dates import parse_date
from gongbao.errors import UsageError
from gongbao.store import Store
from gongbao.serialize import plain
from gongbao.store.records import ProgressRecord, StoredTask

STATES = ("done", "in_progress", "postponed")
FILTERS = ("open", "in_progress", "postponed", "done", "overdue")  # what the ledger filters by
_BY_LABEL = {labels.PROGRESS[code]: code for code in STATES} | {"办结": "done", "完成": "done"}
MAX_NOTE = 2000
EDITOR_UNIT = "（编辑）"


def check_date(text: str | None, what: str) -> str | None:
    """An ISO date from what a user typed (2021-03-05, 2021年3月5日); one Chinese error otherwise."""
    if text is None or not text.strip():
        return None
    iso = parse_date(text)
    if iso is None:
        raise UsageError(f"{what}“{text}”不是有效日期（应为 YYYY-MM-DD 这样的真实日期）")
    return iso


def as_of_date(text: str | None) -> str:
    """The as-of date (today when not given)."""
    return check_date(text, "--as-of") or date.today().isoformat()


def state_code(text: str) -> str:
    code = _BY_LABEL.get(text.strip(), text.strip())
    if code not in STATES:
        raise UsageError(f"进展状态只能是 已办结（done）、进行中（in_progress）、延期（postponed），不能是“{text}”")
    return code


def _same_unit(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


def report(store: Store, doc: str, number: int, state: str, note: str, unit: str | None = None,
           done_on: str | None = None, new_deadline: str | None = None, by: str | None = None,
           editor: bool = False) -> ProgressRecord:
    """Record progress on task ``number`` (1-based) of document ``doc`` by ``unit``.

    A unit may report only on tasks assigned to it (牵头, 责任 or 配合); an editor may report
    for any of them, or without a unit.  Wrong values: one Chinese error, nothing stored."""
    code = state_code(state)
    text = " ".join((note or "").split())
    if not text:
        raise UsageError("请写明进展说明（--note）" if code != "postponed" else "请写明延期理由（--note）")
    if len(text) > MAX_NOTE:
        raise UsageError(f"进展说明太长（最多 {MAX_NOTE} 字）")
    done = check_date(done_on, "办结日期")
    deadline = check_date(new_deadline, "新的完成时限")
    if code == "done" and done is None:
        raise UsageError("已办结需写明办结日期（--date）")
    if code == "postponed" and deadline is None:
        raise UsageError("延期需写明新的完成时限（--new-deadline）")
    if code != "done":
        done = None
    if code != "postponed":
        deadline = None
    task = store.task_ref(doc, number)
    if unit:
        assigned = [u for u in task.units() if _same_unit(u, unit)]
        if not assigned:
            raise UsageError(f"任务 {number} 未分配给“{unit}”（本任务的单位：{'、'.join(task.units()) or '无'}），不能由其报送进展")
        unit = assigned[0]
    elif not editor:
        raise UsageError("请用 --unit 写明报送进展的单位")
    return store.add_progress(task.doc_id, task.position, task.text, unit or EDITOR_UNIT, code, text,
                              by or unit or EDITOR_UNIT, done_on=done, new_deadline=deadline)


def standing(task: StoredTask, reports: list[ProgressRecord], as_of: str) -> dict[str, Any]:
    """Where a stored task stands as of ``as_of``: state (with label), deadline in force,
    overdue, the latest report and the history."""
    due = task.due()
    for r in reports:
        if r.state == "postponed" and r.new_deadline:
            due = r.new_deadline
    state = reports[-1].state if reports else "open"
    overdue = state != "done" and due is not None and due < as_of
    last = reports[-1] if reports else None
    return {
        "state": state, "state_label": labels.label("progress", state), "due": due, "overdue": overdue,
        "overdue_label": labels.PROGRESS["overdue"] if overdue else "",
        "done_on": last.done_on if last and last.state == "done" else None,
        "note": last.note if last else None, "history": [progress_dict(r) for r in reports],
    }


def reports_by_task(store: Store, doc_id: str | None = None) -> dict[tuple[str, int], list[ProgressRecord]]:
    """Progress reports grouped by task (document id, position), oldest first."""
    out: dict[tuple[str, int], list[ProgressRecord]] = {}
    for r in store.progress(doc_id):
        out.setdefault((r.doc_id, r.task_position), []).append(r)
    return out


def ledger(store: Store, unit: str | None = None, state: str | None = None, as_of: str | None = None,
           doc: str | None = None) -> list[dict]:
    """The tasks (of a unit, a document) with their standing, filtered by state
    (open / in_progress / postponed / done / overdue)."""
    if state is not None and state not in FILTERS:
        allowed = "、".join(f"{labels.PROGRESS[f]}（{f}）" if f in labels.PROGRESS else f for f in FILTERS)
        raise UsageError(f"--state 只能是 {allowed}，不能是“{state}”")
    day = as_of or date.today().isoformat()
    reports = reports_by_task(store)
    out = []
    for task in store.tasks(unit=unit, doc=doc):
        row = {**plain(task), "number": task.position + 1,
               "progress": standing(task, reports.get((task.doc_id, task.position), []), day)}
        p = row["progress"]
        if state is None or (state == "overdue" and p["overdue"]) or p["state"] == state:
            out.append(row)
    return out


def progress_dict(r: ProgressRecord) -> dict[str, Any]:
    return {
        "id": r.id, "doc_id": r.doc_id, "task": r.task_position + 1, "task_text": r.task_text, "unit": r.unit,
        "state": r.state, "state_label": labels.label("progress", r.state), "done_on": r.done_on,
        "new_deadline": r.new_deadline, "note": r.note, "recorded_by": r.recorded_by, "recorded_at": r.recorded_at,
    }


def ledger_ics(rows: list[dict], name: str = "gongbao 任务台账") -> bytes:
    """The tasks' deadlines as an iCalendar file: one all-day event per task with a deadline
    (the one in force after postponements), its units, state and source in the description."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//gongbao//任务台账//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = datetime.now(timezone.utc)
    for row in rows:
        due = row["progress"]["due"]
        if not due:
            continue
        p = row["progress"]
        units = "、".join(row["lead_units"] + row["responsible_units"] + row["partner_units"])
        event = Event()
        event.add("uid", f"{row['doc_id']}-{row['number']}@gongbao")
        event.add("dtstamp", stamp)
        event.add("dtstart", date.fromisoformat(due))
        event.add("summary", f"[{p['state_label']}{'·' + p['overdue_label'] if p['overdue'] else ''}] {row['text'][:60]}")
        event.add("description", "\n".join(x for x in (
            row["text"], f"单位：{units}" if units else "", f"文件：{row['doc_number'] or row['doc_title']}",
            f"完成时限：{(row.get('deadline') or {}).get('raw') or due}", f"进展：{p['note']}" if p["note"] else "") if x))
        event.add("categories", [p["state_label"]])
        cal.add_component(event)
    return cal.to_ical()


LEDGER_CSV_COLUMNS = ("文件", "文号", "任务序号", "任务", "牵头单位", "责任单位", "配合单位", "完成时限", "现行时限",
                      "进展", "是否逾期", "办结日期", "进展说明", "文件id")


def ledger_csv_rows(rows: list[dict]) -> list[list[str]]:
    """The ledger as CSV rows under ``LEDGER_CSV_COLUMNS`` (Chinese headers and states)."""
    out = []
    for row in rows:
        p = row["progress"]
        out.append([
            row["doc_title"], row["doc_number"] or "", str(row["number"]), row["text"], "、".join(row["lead_units"]),
            "、".join(row["responsible_units"]), "、".join(row["partner_units"]),
            (row.get("deadline") or {}).get("raw") or "", p["due"] or "", p["state_label"], "是" if p["overdue"] else "否",
            p["done_on"] or "", p["note"] or "", row["doc_id"],
        ])
    return out
