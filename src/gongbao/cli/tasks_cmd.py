"""``gongbao tasks PATH``: the tasks an issue assigns, filtered by unit and deadline.

Filtering is ``gongbao.parse.tasks.filter_tasks``; rendering is ``render_tasks`` so that a
database mode can list stored tasks the same way.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable
from datetime import date
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table as RichTable

from gongbao import labels
from gongbao.cli import app
from gongbao.cli.parse_cmd import read_issue_file
from gongbao.errors import UsageError
from gongbao.models import Issue, Task
from gongbao.parse.tasks import filter_tasks
from gongbao.serialize import plain_as

__all__ = ["TaskFormat", "issue_tasks", "render_tasks"]

CSV_COLUMNS = (
    "document", "anchor", "source", "group", "text", "lead_units", "responsible_units", "partner_units",
    "deadline", "deadline_kind", "deadline_iso", "first_line", "last_line",
)


class TaskFormat(str, Enum):
    table = "table"
    tsv = "tsv"
    csv = "csv"
    json = "json"


def issue_tasks(
    issue: Issue, unit: str | None = None, due_before: str | None = None, overdue_as_of: str | None = None
) -> list[tuple[str, Task]]:
    """(document label, task) for every task of the issue that passes the filters."""
    rows = []
    for doc in issue.documents:
        label = str(doc.doc_number) if doc.doc_number else doc.title
        rows.extend((label, task) for task in filter_tasks(doc.tasks, unit, due_before, overdue_as_of))
    return rows


def _units(units: list[str]) -> str:
    return "、".join(units)


def _tsv(rows: list[tuple[str, Task]]) -> str:
    """Not a terminal: one complete line per task, tab-separated, nothing cut."""
    lines = ["\t".join(("文档", "锚点", "出处", "任务", "牵头", "责任", "配合", "时限", "时限日期", "行"))]
    for label, t in rows:
        d = t.deadline
        lines.append("\t".join(" ".join(str(x).split()) for x in (
            label, t.anchor or "", labels.anchor_label(t.anchor), t.text, _units(t.lead_units),
            _units(t.responsible_units), _units(t.partner_units), d.raw if d else "", (d.end_iso or d.iso or "") if d else "",
            f"{t.lines[0]}-{t.lines[1]}")))
    return "\n".join(lines)


def render_tasks(rows: Iterable[tuple[str, Task]], fmt: TaskFormat) -> str:
    """The tasks as an aligned table, CSV (one row per task) or a JSON list."""
    rows = list(rows)
    if fmt is TaskFormat.json:
        return json.dumps(
            [{"document": label, **plain_as(task, Task)} for label, task in rows],  # a stored task without its ids
            ensure_ascii=False,
            indent=1,
        )
    if fmt is TaskFormat.csv:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for label, t in rows:
            d = t.deadline
            writer.writerow([
                label, t.anchor or "", t.source, t.group or "", t.text, _units(t.lead_units),
                _units(t.responsible_units), _units(t.partner_units), d.raw if d else "", d.kind if d else "",
                (d.iso or "") if d else "", t.lines[0], t.lines[1],
            ])
        return out.getvalue().rstrip("\n")
    if not rows:
        return "（没有任务）"
    if fmt is TaskFormat.tsv:
        return _tsv(rows)
    table = RichTable(show_lines=False, box=None, pad_edge=False)
    for name in ("文档", "锚点", "任务", "牵头", "责任", "配合", "时限", "行"):
        table.add_column(name, overflow="fold")
    for label, t in rows:
        text = t.text.replace("\n", " ")
        deadline = "" if t.deadline is None else t.deadline.raw + (f" ({t.deadline.iso})" if t.deadline.iso else "")
        table.add_row(
            label, t.anchor or "", text, _units(t.lead_units), _units(t.responsible_units),
            _units(t.partner_units), deadline, f"{t.lines[0]}-{t.lines[1]}",
        )
    console = Console(width=240, record=True, file=io.StringIO(), color_system=None)
    console.print(table)
    return "\n".join(line.rstrip() for line in console.export_text().splitlines()).rstrip("\n") + (
        f"\n共 {len(rows)} 项任务"
    )


@app.command()
def tasks(
    path: Path | None = typer.Argument(None, help="An issue file (text of a gazette issue or of one document)."),
    db: str | None = typer.Option(None, "--db", help="List the tasks stored in this database instead of a file."),
    overdue: bool = typer.Option(False, "--overdue", help="Only tasks past their deadline (as of --as-of, default today)."),
    as_of: str | None = typer.Option(None, "--as-of", help="The date --overdue is judged on (YYYY-MM-DD)."),
    unit: str | None = typer.Option(None, "--unit", help="Only tasks naming this unit (substring, any role)."),
    due_before: str | None = typer.Option(None, "--due-before", help="Only tasks due on or before DATE."),
    overdue_as_of: str | None = typer.Option(
        None, "--overdue-as-of", help="Only tasks whose deadline is before DATE (ongoing tasks never are)."
    ),
    format: TaskFormat = typer.Option(TaskFormat.table, "--format", "-f",
                                      help="table (tab-separated when not a terminal), tsv, csv or json."),
) -> None:
    """List the tasks an issue assigns (or, with --db, all stored tasks): text, units, deadline."""
    from gongbao.followup import check_date

    as_of, due_before = check_date(as_of, "--as-of"), check_date(due_before, "--due-before")
    overdue_as_of = check_date(overdue_as_of, "--overdue-as-of")
    if format is TaskFormat.table and not sys.stdout.isatty():
        format = TaskFormat.tsv
    if overdue:
        overdue_as_of = overdue_as_of or as_of or date.today().isoformat()
    if db is not None:
        from gongbao.cli.db_cmd import stored_tasks

        typer.echo(render_tasks(stored_tasks(db, unit, due_before, overdue_as_of), format))
        return
    if path is None:
        raise UsageError("请给出一个公报文件，或用 --db 指定数据库")
    issue = read_issue_file(path)
    typer.echo(render_tasks(issue_tasks(issue, unit, due_before, overdue_as_of), format))
