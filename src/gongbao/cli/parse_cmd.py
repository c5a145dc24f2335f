"""``gongbao parse PATH``: parse one issue file and print a summary or the JSON contract."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

import typer

from gongbao.cli import app
from gongbao.errors import InputError
from gongbao.extract import extract
from gongbao.inputs import read_file
from gongbao.labels import describe
from gongbao.models import Issue
from gongbao.pipeline import read_issue
from gongbao.serialize import issue_to_dict


class ParseFormat(str, Enum):
    text = "text"
    json = "json"


def read_issue_file(path: Path) -> Issue:
    """Parse a file, turning file-system problems into one clear InputError."""
    try:
        data = extract(path) if path.is_dir() else read_file(path)  # a folder: the page images of one issue
    except OSError as exc:
        raise InputError(f"{path}：无法读取（{exc.strerror}）") from None
    except InputError as exc:
        raise InputError(f"{path}：{exc}") from None
    try:
        return read_issue(data, str(path))
    except InputError as exc:
        raise InputError(f"{path}：{exc}") from None


@app.command()
def parse(
    path: Path = typer.Argument(..., help="An issue file: PDF (typeset or scanned), page images (PNG/JPEG/TIFF, or a folder of them), Word .docx, or text (UTF-8, GB18030/GBK)."),
    format: ParseFormat = typer.Option(ParseFormat.text, "--format", "-f", help="text summary or the JSON contract."),
    warnings: bool = typer.Option(False, "--warnings", help="List only what needs an editor's eye: warnings, "
                                  "TOC/index findings, unassigned lines, documents without 文号 (one per line, or JSON)."),
) -> None:
    """Parse one gazette issue: its documents, metadata, articles and TOC findings."""
    issue = read_issue_file(path)
    if warnings:
        from gongbao.review import parsed_warnings

        items = parsed_warnings(issue)
        if format is ParseFormat.json:
            typer.echo(json.dumps([{k: v for k, v in i.to_dict().items() if k in _WARNING_KEYS} for i in items],
                                  ensure_ascii=False, indent=1))
        else:
            for i in items:
                where = f"第{i.lines[0]}–{i.lines[1]}行" if i.lines else ""
                typer.echo("\t".join((i.kind_label, i.doc_label or "", where, " ".join(i.detail.split()))))
            typer.echo(f"共 {len(items)} 条")
        return
    if format is ParseFormat.json:
        typer.echo(json.dumps(issue_to_dict(issue), ensure_ascii=False, indent=1))
        return
    typer.echo(format_summary(issue))


_WARNING_KEYS = ("key", "kind", "kind_label", "code", "params", "detail", "doc_label", "lines")


def format_summary(issue: Issue) -> str:
    g = issue.gazette
    out = [
        f"{g.name or '(gazette name not printed)'} {g.year or '?'}年第{g.issue or '?'}期"
        + (f"（总第{g.total_issue}期）" if g.total_issue else "")
        + (f" 出版 {g.published}" if g.published else ""),
        f"{len(issue.documents)} documents, {len(issue.articles)} other parts, {len(issue.toc)} TOC/index entries"
        + (f", encoding {issue.source.encoding}" if issue.source.kind == "text" and issue.source.encoding != "utf-8" else "")
        + (f", {issue.source.kind} of {len(issue.source.pages)} pages" if issue.source.pages else ""),
    ]
    for w in issue.warnings:
        out.append(f"  警告：{describe(w)}")
    for doc in issue.documents:
        number = str(doc.doc_number) if doc.doc_number else "(无文号)"
        pages = "" if not doc.pages else f", page {doc.pages[0]}" if doc.pages[0] == doc.pages[1] else f", pages {doc.pages[0]}-{doc.pages[1]}"
        out.append(f"{number}\t{doc.date or '????-??-??'}\t{doc.title}  [lines {doc.lines[0]}-{doc.lines[1]}{pages}]")
        for w in doc.warnings:
            out.append(f"    警告：{describe(w)}")
    for finding in issue.reconciliation:
        out.append(f"  {finding.kind}: {finding.detail}")
    if issue.unassigned:
        spans = ", ".join(f"{a}-{b}" for a, b in issue.unassigned)
        out.append(f"  unassigned lines: {spans}")
    return "\n".join(out)
