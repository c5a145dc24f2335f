"""``gongbao qa add|list|show|delete|export|import|interprets``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from gongbao.cli import app
from gongbao.cli.options import DB_OPTION, choice
from gongbao.errors import InputError

qa_app = typer.Typer(help="The curated answer base (政策咨询问答库): add, list, export, import answers.",
                     no_args_is_help=True)
app.add_typer(qa_app, name="qa")

_DB = DB_OPTION


def _open(db: str, readonly: bool = False):
    from gongbao.store import open_store

    return open_store(db, create=False, readonly=readonly)


@qa_app.command("add")
def qa_add(
    question: list[str] = typer.Option(..., "--question", "-q", help="A phrasing of the question (repeatable)."),
    answer: str = typer.Option(..., "--answer", "-a", help="The answer text."),
    source: list[str] = typer.Option(None, "--source", "-s",
                                     help="A clause it rests on: DOC#ANCHOR, DOC being an id, 文号 or title (repeatable)."),
    key: str = typer.Option(None, "--key", help="Stable key of the entry (default: from the first phrasing)."),
    note: str = typer.Option(None, "--note", help="A note for editors."),
    db: str = _DB,
) -> None:
    """Add (or replace, by key) a curated answer."""
    from gongbao.search.curated import add_entry, entry_from_dict

    sources = []
    for ref in source or []:
        doc, _, anchor = ref.partition("#")
        sources.append({"doc": doc, "anchor": anchor or None})
    entry = entry_from_dict({"key": key, "questions": question, "answer": answer, "sources": sources, "note": note})
    with _open(db) as store, store.transaction():
        add_entry(store, entry)
    typer.echo(f"saved curated answer {entry.key!r} ({len(entry.questions)} phrasings, {len(entry.sources)} sources)")


@qa_app.command("list")
def qa_list(
    db: str = _DB,
    format: str = typer.Option("text", "--format", help="text or json."),
    as_of: str = typer.Option(None, "--as-of", help="Judge validity as of this ISO date (default today)."),
) -> None:
    """List the curated answers, with a STALE flag where a source is no longer in force."""
    from gongbao.search.curated import entry_view, list_entries

    choice("--format", format, ("text", "json"))
    with _open(db, readonly=True) as store:
        views = [entry_view(store, e, as_of) for e in list_entries(store)]
    if format == "json":
        typer.echo(json.dumps({"entries": views}, ensure_ascii=False, indent=2))
        return
    if not views:
        typer.echo("no curated answers yet; add one with `gongbao qa add -q 问题 -a 答复 -s 文号#anchor`")
    for v in views:
        flag = "  [STALE]" if v["stale"] else ("  [需复核]" if v["review"] else "")
        typer.echo(f"{v['key']}{flag}\n  问：{' / '.join(v['questions'])}\n  答：{v['answer']}")
        for s in v["sources"]:
            where = s["doc_number"] or s["title"] or s["doc"]
            typer.echo(f"  据：{where}{' ' + (s['label'] or s['anchor']) if s['anchor'] else ''}  ({s['status_label']})")
        if v["warning"]:
            typer.echo(f"  ⚠ {v['warning']}")


@qa_app.command("delete")
def qa_delete(key: str = typer.Argument(..., help="Key of the entry."), db: str = _DB) -> None:
    """Delete a curated answer."""
    from gongbao.search.curated import delete_entry

    with _open(db) as store, store.transaction():
        delete_entry(store, key)
    typer.echo(f"deleted {key!r}")


@qa_app.command("export")
def qa_export(
    out: Path = typer.Option(None, "--out", "-o", help="File to write (default: standard output)."),
    format: str = typer.Option(None, "--format", help="yaml or json (default: from --out's suffix, else yaml)."),
    db: str = _DB,
) -> None:
    """Export the curated answers as a YAML or JSON file, for review and sharing."""
    from gongbao.search.curated import dump_entries, list_entries

    fmt = format or ("json" if out is not None and out.suffix.lower() == ".json" else "yaml")
    choice("--format", fmt, ("yaml", "json"))
    with _open(db, readonly=True) as store:
        text = dump_entries(list_entries(store), fmt)
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}")


@qa_app.command("import")
def qa_import(
    file: Path = typer.Argument(..., help="YAML or JSON file of entries (as `gongbao qa export` writes)."),
    db: str = _DB,
) -> None:
    """Import curated answers from a YAML or JSON file (entries with the same key are replaced)."""
    from gongbao.search.curated import import_entries, load_entries

    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"无法读取 {file}：{exc}") from exc
    entries = load_entries(text, str(file))
    with _open(db) as store, store.transaction():
        count = import_entries(store, entries)
    typer.echo(f"imported {count} curated answers from {file}")


@qa_app.command("interprets")
def qa_interprets(
    interpretation: str = typer.Argument(..., help="The interpretation (政策解读): id, 文号 or title."),
    target: str = typer.Argument(..., help="The document it interprets: id, 文号 or title."),
    db: str = _DB,
) -> None:
    """Link a policy interpretation to the document it interprets (shown both ways)."""
    from gongbao.search.interpret import link_interpretation

    with _open(db) as store, store.transaction():
        interp, doc = link_interpretation(store, interpretation, target)
    typer.echo(f"linked: 《{interp.title}》 interprets 《{doc.title}》")
