"""`gongbao ingest`, `gongbao show`: the database from the command line (`gongbao search`: cli.query)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from gongbao import labels
from gongbao.cli import app
from gongbao.cli.options import DB_OPTION, choice
from gongbao.models import Task
from gongbao.serialize import plain

_DB = DB_OPTION
_FORMAT = typer.Option("text", "--format", help="text or json.")
# soft_wrap: piped output keeps every line whole (no wrapping at 80 columns when not a terminal)
console = Console(highlight=False, soft_wrap=True)
_CITATION_KINDS = {"doc_number": "按文号引用", "title": "按标题引用", "order": "按令号引用"}


def _check_format(fmt: str) -> None:
    choice("--format", fmt, ("text", "json"))


def _print_json(value) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Issue files (PDF, page images, .docx, text) or folders of them; a folder of page images is one issue."),
    db: str = _DB,
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar."),
    fmt: str = _FORMAT,
) -> None:
    """Parse gazette issues (or single documents such as laws) and store them."""
    from gongbao.ingest import ingest_paths

    _check_format(fmt)
    summary = ingest_paths(paths, db, progress=progress and fmt == "text")
    rate = summary.resolution_rate
    if fmt == "json":
        _print_json({
            "files": summary.files, "issues": summary.issues, "added": summary.added, "replaced": summary.replaced,
            "unchanged": summary.unchanged, "documents": summary.documents, "tasks": summary.tasks,
            "warnings": summary.warnings, "bytes": summary.bytes, "seconds": round(summary.seconds, 3),
            "citations": summary.citations, "citations_resolved": summary.citations_resolved,
            "resolution_rate": rate, "failures": [{"path": f.path, "reason": f.reason} for f in summary.failures],
        })
    else:
        mb = summary.bytes / 1e6
        console.print(
            f"{summary.files} files: {summary.added} issues added, {summary.replaced} replaced, "
            f"{summary.unchanged} unchanged, {len(summary.failures)} failed; "
            f"{summary.documents} documents, {summary.tasks} tasks, {summary.warnings} warnings "
            f"({mb:.1f} MB in {summary.seconds:.1f} s) → {escape(str(db))}"
        )
        if summary.citations:
            console.print(f"citations resolved: {summary.citations_resolved}/{summary.citations} ({rate:.0%})")
    for failure in summary.failures:  # on standard error, one line each, in either format
        typer.echo(f"失败：{failure.path}：{' '.join(failure.reason.split())}", err=True)
    if summary.failures:
        raise typer.Exit(1)  # the other files went in; the exit code still tells a script something failed


def _outline_lines(nodes: list[dict], depth: int = 0) -> list[str]:
    out = []
    for node in nodes:
        heading = " ".join(x for x in (node["number"], node["heading"]) if x)
        label = labels.anchor_label(node["anchor"])
        where = f"{label}，#{node['anchor']}" if label.rstrip("、") != node["number"].rstrip("、") else f"#{node['anchor']}"
        out.append(f"{'  ' * depth}{heading}  （{where}）")
        out.extend(_outline_lines(node["children"], depth + 1))
    return out


def _pages(pages: list[int] | None) -> str | None:
    """第3页 / 第3–5页: the pages of the source file the document is printed on."""
    if not pages:
        return None
    return f"第{pages[0]}页" if pages[0] == pages[1] else f"第{pages[0]}–{pages[1]}页"


@app.command()
def show(
    doc: str = typer.Argument(..., help="A document id or 文号 (any written form)."),
    fmt: str = _FORMAT,
    db: str = _DB,
) -> None:
    """Print a stored document: metadata, outline, tables, tasks, links."""
    from gongbao.editing import correction_dict
    from gongbao.search.query import document_status
    from gongbao.store import open_store

    _check_format(fmt)
    with open_store(db, readonly=True) as store:
        document = plain(store.get_document(doc))
        document["status"] = document_status(store, document["id"])
        document["status_label"] = labels.label("status", document["status"])
        document["corrections"] = [correction_dict(c) for c in store.corrections(document["id"])]
    if fmt == "json":
        _print_json(document)
        return
    for label, value in _metadata(document):
        if value:
            console.print(f"[bold]{label}[/]: {escape(str(value))}")
    _print_structure(document)
    _print_links(document)
    if not document["outline"]:
        console.print("\n" + escape(document["text"]))


def _metadata(document: dict) -> list[tuple[str, object]]:
    """The document's elements as (中文 label, value) pairs."""
    issue = document["issue"]
    fields = [
        ("标题", document["title"]), ("发文字号", document["doc_number"]), ("发文机关", "、".join(document["issuers"])),
        ("文种", document["type"]), ("成文日期", document["date"]), ("主送机关", document["addressee"]),
        ("抄送", "、".join(document["cc"] or [])), ("印发", " ".join(x for x in (document["printed_by"], document["printed_date"]) if x)),
        ("效力", document["status_label"]),
        ("来源", f"{issue['series'] or ''} {issue['year'] or ''}年第{issue['issue']}期" if issue["issue"] else issue["source_path"]),
        ("行", f"{document['lines'][0]}–{document['lines'][1]}" if document["lines"] else None),
        ("页", _pages(document.get("pages"))), ("id", document["id"]),
    ]
    return fields


def _print_structure(document: dict) -> None:
    """Outline, tables and tasks, each line whole."""
    if document["outline"]:
        console.print("\n[bold]目录[/]")
        for line in _outline_lines(document["outline"]):
            console.print(escape(line))
    for table in document["tables"]:
        grid = Table(title=table["title"], show_lines=False)
        for column in table["header"]:
            grid.add_column(escape(column))
        for row in table["rows"]:
            grid.add_row(*(escape(cell) for cell in row))
        console.print(grid)
    if document["tasks"]:
        console.print(f"\n[bold]任务[/] ({len(document['tasks'])})")
        for task in document["tasks"]:
            units = "、".join(task["lead_units"] + task["responsible_units"])
            deadline = task["deadline"]["raw"] if task["deadline"] else ""
            console.print(f"- {escape(task['text'])} [dim]{escape(units)} {escape(deadline)}[/]")


def _evidence(relation: dict) -> str:
    return relation["evidence"]["label"] if relation["evidence"] else relation["target_text"]


def _print_links(document: dict) -> None:
    """Citations and relations (labels in Chinese), then the editors' corrections."""
    for label, key, said in (("引用", "citations", lambda c: c["text"]), ("关系", "relations", _evidence)):
        if document[key]:
            console.print(f"\n[bold]{label}[/] ({len(document[key])})")
            for item in document[key]:
                kind = labels.label("relation", item["type"]) if "type" in item else _CITATION_KINDS.get(item["kind"], item["kind"])
                where = f"（{labels.anchor_label(item['anchor'])}）" if item.get("anchor") else ""
                console.print(f"- 〔{kind}〕{escape(said(item))}{escape(where)}")
    if document["corrections"]:
        console.print(f"\n[bold]更正记录[/] ({len(document['corrections'])})")
        for c in document["corrections"]:
            console.print(escape(f"- {c['field_label']}：{c['parser_text'] or '（空）'} → {c['value_text']}（{c['state_label']}；"
                                 f"{c['editor']} {c['created_at']}，理由：{c['reason']}）"))


def stored_tasks(db: str, unit: str | None = None, due_before: str | None = None,
                 overdue_as_of: str | None = None) -> list[tuple[str, Task]]:
    """(document label, task) for the stored tasks that pass the filters (``gongbao tasks --db``)."""
    from gongbao.store import open_store

    with open_store(db, readonly=True) as store:
        rows = store.tasks(unit=unit, due_before=due_before, overdue_as_of=overdue_as_of)
    return [(task.doc_number or task.doc_title, task if task.lines else replace(task, lines=(0, 0))) for task in rows]


@app.command()
def migrate(
    source: str = typer.Option(..., "--from", help="The database to copy: a SQLite file (sqlite:///path) or postgresql://…"),
    target: str = typer.Option(..., "--to", help="An empty database to copy into: sqlite:///path or postgresql://…"),
) -> None:
    """Copy a whole database to another engine (SQLite ⇄ PostgreSQL), verified by row counts
    and checksums of every table."""
    from gongbao.store import open_store
    from gongbao.store.pgconn import safe_url
    from gongbao.store.transfer import copy_database

    def location(value: str) -> str:
        return value[len("sqlite:///"):] if value.startswith("sqlite:///") else value

    with open_store(location(source), create=False, readonly=True) as src, open_store(location(target)) as dst:
        copied = copy_database(src, dst)
    for table in copied:
        typer.echo(f"{table.table}\t{table.rows} rows\tsha256 {table.checksum[:16]}")
    typer.echo(f"copied {safe_url(source)} → {safe_url(target)}: {sum(t.rows for t in copied)} rows in "
               f"{len(copied)} tables, counts and checksums verified")
