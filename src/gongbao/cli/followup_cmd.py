"""`gongbao progress`, `gongbao ledger`: task follow-up (督查) from the command line."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import typer

from gongbao.cli import app
from gongbao.cli.db_cmd import _DB
from gongbao.cli.options import choice


@app.command()
def progress(
    doc: str = typer.Argument(..., help="The document: id, 文号 or title."),
    task: int = typer.Argument(..., min=1, help="The task's number in the document (1 = first; see `gongbao ledger`)."),
    state: str = typer.Option(..., "--state", help="已办结 (done), 进行中 (in_progress) or 延期 (postponed)."),
    note: str = typer.Option(None, "--note", help="What was done / why it is late (required)."),
    unit: str = typer.Option(None, "--unit", help="The reporting unit: one the task is assigned to."),
    done_on: str = typer.Option(None, "--date", help="已办结: the day it was done (YYYY-MM-DD)."),
    new_deadline: str = typer.Option(None, "--new-deadline", help="延期: the new deadline (YYYY-MM-DD)."),
    by: str = typer.Option(None, "--by", help="Who reports (default: the unit)."),
    editor: bool = typer.Option(False, "--editor", help="Report as an editor (any unit of the task, or none)."),
    fmt: str = typer.Option("text", "--format", help="text or json."),
    db: str = _DB,
) -> None:
    """Record progress on a task: 已办结 with date and note, 进行中 with note, 延期 with new deadline and reason."""
    from gongbao.followup import progress_dict, report
    from gongbao.store import open_store

    choice("--format", fmt, ("text", "json"))
    with open_store(db, create=False) as store:
        record = progress_dict(report(store, doc, task, state, note, unit=unit, done_on=done_on,
                                      new_deadline=new_deadline, by=by, editor=editor))
    if fmt == "json":
        typer.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
    extra = record["done_on"] or record["new_deadline"] or ""
    typer.echo(f"已记录：任务 {record['task']}（{record['task_text'][:40]}）{record['state_label']} {extra}"
               f"——{record['unit']}：{record['note']}（记录 #{record['id']}）")


@app.command()
def ledger(
    unit: str = typer.Option(None, "--unit", help="Only tasks of this unit (part of its name, any role)."),
    state: str = typer.Option(None, "--state", help="open, in_progress, postponed, done or overdue."),
    as_of: str = typer.Option(None, "--as-of", help="The date overdue is judged on (YYYY-MM-DD; default today)."),
    doc: str = typer.Option(None, "--doc", help="Only tasks of this document (id, 文号 or title)."),
    fmt: str = typer.Option("text", "--format", help="text, tsv, csv, json or ics (iCalendar: deadlines as events)."),
    out: Path = typer.Option(None, "--out", help="Write to this file instead of standard output."),
    db: str = _DB,
) -> None:
    """The 任务台账: every task with its units, deadline in force, progress and overdue marker."""
    from gongbao.followup import LEDGER_CSV_COLUMNS, as_of_date, ledger as run_ledger, ledger_csv_rows, ledger_ics
    from gongbao.store import open_store

    choice("--format", fmt, ("text", "tsv", "csv", "json", "ics"))
    day = as_of_date(as_of)
    with open_store(db, readonly=True) as store:
        rows = run_ledger(store, unit=unit, state=state, as_of=day, doc=doc)
    if fmt == "ics":
        data = ledger_ics(rows)
    elif fmt == "json":
        data = json.dumps({"as_of": day, "tasks": rows}, ensure_ascii=False, indent=1).encode()
    else:
        buffer = io.StringIO()
        delimiter = "," if fmt == "csv" else "\t"
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
        writer.writerow(LEDGER_CSV_COLUMNS)
        writer.writerows([[" ".join(c.split()) for c in row] for row in ledger_csv_rows(rows)])
        text = buffer.getvalue()
        if fmt == "text":
            overdue = sum(r["progress"]["overdue"] for r in rows)
            text += f"共 {len(rows)} 项任务，截至 {day} 已逾期 {overdue} 项\n"
        data = (("\ufeff" if fmt == "csv" and out else "") + text).encode()
    if out:
        out.write_bytes(data)
        typer.echo(f"已写入 {out}（{len(rows)} 项任务）")
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
