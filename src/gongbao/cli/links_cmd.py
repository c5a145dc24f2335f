"""`gongbao status` and `gongbao graph`: validity and the link graph of the database."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer

from gongbao import labels
from gongbao.cli import app
from gongbao.dates import parse_date
from gongbao.cli.options import DB_OPTION, choice
from gongbao.errors import NotFoundError, UsageError

_DB = DB_OPTION
LABELS = labels.STATUS


def _as_of(value: str | None) -> str:
    if value is None:
        return date.today().isoformat()
    iso = parse_date(value)
    if iso is None:
        raise UsageError(f"--as-of 不是日期：{value!r}（应写作 2021-03-01 或 2021年3月1日）")
    return iso


def _open(db: str):
    from gongbao.store import open_store

    return open_store(db, create=False, readonly=True)


@app.command()
def status(
    doc: str = typer.Argument(..., help="Document id, 文号 (any written form) or title."),
    as_of: str = typer.Option(None, "--as-of", help="Judge validity as of this date (default today)."),
    fmt: str = typer.Option("text", "--format", help="text or json."),
    db: str = _DB,
) -> None:
    """Is a document in force? Its status as of a date, with the evidence."""
    from gongbao.links.resolve import document_status

    choice("--format", fmt, ("text", "json"))
    day = _as_of(as_of)
    with _open(db) as store:
        found = document_status(store, doc, day)
        if found is None:
            raise NotFoundError(f"数据库 {db} 中没有公文 {doc!r}")
        by = None
        if found.by:
            ref = store.doc_refs_by_id([found.by]).get(found.by)
            by = {"doc_number": ref.doc_number, "title": ref.title} if ref else None
    result = {"document": doc, "code": found.code, "label": LABELS[found.code], "as_of": found.as_of,
              "since": found.since, "by": found.by, "by_document": by, "evidence": [labels.labelled(e) for e in found.evidence]}
    if fmt == "json":
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{doc}：{LABELS[found.code]}（截至 {found.as_of}）")
    if found.since:
        typer.echo(f"  自：{found.since}")
    if by:
        typer.echo(f"  依据：{by.get('doc_number') or ''} {by.get('title') or ''}".rstrip())
    for notice in found.evidence:
        typer.echo(f"  证据：{labels.describe(notice)}")


def _dot(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@app.command()
def graph(
    fmt: str = typer.Option("json", "--format", help="json or dot."),
    as_of: str = typer.Option(None, "--as-of", help="Statuses as of this date (default today)."),
    db: str = _DB,
) -> None:
    """Export the whole link graph (documents and their typed relations)."""
    from gongbao.links.resolve import graph as link_graph

    choice("--format", fmt, ("json", "dot"))
    with _open(db) as store:
        data = link_graph(store, _as_of(as_of))
    if fmt == "json":
        typer.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    lines = ["digraph gongbao {", "  node [shape=box, fontname=\"sans-serif\"];"]
    for node in data["nodes"]:
        label = f"{node['doc_number'] or ''}\n{node['title'][:30]}\n{LABELS[node['status']]}"
        style = "" if node["present"] else ", style=dashed"
        lines.append(f"  {_dot(node['id'])} [label={_dot(label)}{style}];")
    for edge in data["edges"]:
        lines.append(f"  {_dot(edge['source'])} -> {_dot(edge['target'])} [label={_dot(labels.label('relation', edge['type']))}];")
    lines.append("}")
    typer.echo("\n".join(lines))
