"""`gongbao correct`, `gongbao corrections`: editors' corrections from the command line."""

from __future__ import annotations

from pathlib import Path

import typer

from gongbao.cli import app
from gongbao.cli.db_cmd import _DB, _FORMAT, _check_format, _print_json


@app.command()
def correct(
    doc: str = typer.Argument(..., help="The document: id, 文号 (any written form) or title."),
    field: str = typer.Argument(..., help="title 标题, doc_number 文号, issuers 发文机关, date 成文日期, type 文种, "
                                          "addressee 主送机关, attachments 附件, status 效力状态, relation 关系, "
                                          "task.N.lead_units|responsible_units|partner_units|deadline."),
    value: str = typer.Argument(..., help="The right value (lists separated by 、 or ；; relation: '废止 文号' or "
                                          "'删除 废止 文号')."),
    reason: str = typer.Option(None, "--reason", help="Why (required): what the source says."),
    editor: str = typer.Option(None, "--editor", help="Who corrects (default $GONGBAO_EDITOR or the login name)."),
    fmt: str = _FORMAT,
    db: str = _DB,
) -> None:
    """Correct a field the parser read wrongly; the correction survives every later ingest."""
    from gongbao.editing import correct as run_correct, correction_dict
    from gongbao.store import open_store

    _check_format(fmt)
    with open_store(db, create=False) as store:
        record = correction_dict(run_correct(store, doc, field, value, reason, editor))
    if fmt == "json":
        _print_json(record)
        return
    was = record["parser_text"] or "（空）"
    typer.echo(f"已更正 {record['doc_number'] or record['title']} 的{record['field_label']}：{was} → "
               f"{record['value_text']}（{record['state_label']}；更正 #{record['id']}，{record['editor']}）")


@app.command()
def corrections(
    doc: str = typer.Argument(None, help="Only this document (id, 文号 or title)."),
    state: str = typer.Option(None, "--state", help="Only corrections in this state: active, redundant, review, superseded."),
    fmt: str = _FORMAT,
    db: str = _DB,
) -> None:
    """List editors' corrections with who, when, why and their state (history included)."""
    from gongbao.cli.options import choice
    from gongbao.editing import correction_dict
    from gongbao.store import open_store

    _check_format(fmt)
    states = [choice("--state", state, ("active", "redundant", "review", "superseded"))] if state else None
    with open_store(db, readonly=True) as store:
        rows = [correction_dict(c) for c in store.corrections(doc, states=states)]
    if fmt == "json":
        _print_json(rows)
        return
    if not rows:
        typer.echo("（没有更正）")
        return
    for r in rows:
        typer.echo(f"#{r['id']}\t{r['created_at']}\t{r['editor']}\t{r['doc_number'] or r['title']}\t{r['field_label']}"
                   f"\t{r['parser_text'] or '（空）'} → {r['value_text']}\t{r['state_label']}\t理由：{r['reason']}"
                   + (f"\t{r['state_note']}" if r["state_note"] else ""))


@app.command()
def review(
    issue: str = typer.Argument(None, help="The issue (id or key, as `gongbao review` lists them); none: open items per issue."),
    item: str = typer.Argument(None, help="An item's key (or its first 4+ characters) to decide on."),
    accept: bool = typer.Option(False, "--accept", help="Accept the item (the parser's reading stands)."),
    dismiss: bool = typer.Option(False, "--dismiss", help="Dismiss the item (needs --reason)."),
    field: str = typer.Option(None, "--field", help="Correct this field of the item's document (with --value, --reason)."),
    value: str = typer.Option(None, "--value", help="The corrected value."),
    reason: str = typer.Option(None, "--reason", help="Why."),
    editor: str = typer.Option(None, "--editor", help="Who decides (default $GONGBAO_EDITOR or the login name)."),
    show_all: bool = typer.Option(False, "--all", help="List decided items too."),
    fmt: str = _FORMAT,
    db: str = _DB,
) -> None:
    """The review queue: an issue's warnings, findings, unassigned lines, documents without 文号,
    unsure fields; accept, correct or dismiss each."""
    _check_format(fmt)
    if issue is None:
        _review_counts(db, fmt)
    elif item is not None:
        _review_decide(db, fmt, _issue_ref(issue), item, accept, dismiss, field, value, reason, editor)
    else:
        _review_list(db, fmt, _issue_ref(issue), show_all)


def _review_counts(db: str, fmt: str) -> None:
    from gongbao.review import open_counts
    from gongbao.store import open_store

    with open_store(db, readonly=True) as store:
        counts = open_counts(store)
        rows = [{"id": i.id, "key": i.key, "open": counts.get(i.id, 0)} for i in store.list_issues()]
    if fmt == "json":
        _print_json(rows)
        return
    for r in rows:
        typer.echo(f"{r['id']}\t{r['key']}\t待处理 {r['open']} 项")


def _review_decide(db: str, fmt: str, issue: int | str, item: str, accept: bool, dismiss: bool, field: str | None,
                   value: str | None, reason: str | None, editor: str | None) -> None:
    from gongbao.editing import default_editor
    from gongbao.errors import UsageError
    from gongbao.review import decide
    from gongbao.store import open_store

    action = "accept" if accept else "dismiss" if dismiss else "correct" if field else None
    if action is None or (accept + dismiss + bool(field)) > 1:
        raise UsageError("请选择一种处理：--accept、--dismiss 或 --field/--value（更正）")
    with open_store(db, create=False) as store:
        decided = decide(store, issue, item, action, reason, editor or default_editor(),
                         (field, value or "") if field else None)
    if fmt == "json":
        _print_json(decided.to_dict())
    else:
        typer.echo(f"{decided.key}\t{decided.decision_label}\t{decided.kind_label}\t{decided.detail}")


def _review_list(db: str, fmt: str, issue: int | str, show_all: bool) -> None:
    from gongbao.review import review_items
    from gongbao.store import open_store

    with open_store(db, readonly=True) as store:
        found, items = review_items(store, issue, include_decided=show_all)
    if fmt == "json":
        _print_json({"issue": found.key, "open": sum(i.decision == "open" for i in items),
                     "items": [i.to_dict() for i in items]})
        return
    for i in items:
        where = f"第{i.lines[0]}–{i.lines[1]}行" if i.lines else ""
        typer.echo("\t".join([i.key, i.decision_label, i.kind_label, i.doc_label or "", where, i.detail]))
    typer.echo(f"{found.key}：待处理 {sum(i.decision == 'open' for i in items)} 项")


def _issue_ref(text: str) -> int | str:
    return int(text) if text.isdigit() else text
