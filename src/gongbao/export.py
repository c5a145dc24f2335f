"""Exports: one document as Markdown or plain text, the whole database as JSONL or CSV.

Documents come as the store returns them (``Store.get_document``: JSON-ready dicts, see
docs/store.md).  ``body_blocks`` is the one place where a document's body lines, outline
anchors and tables are merged into reading order; the portal's document page and the
Markdown export both use it.
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from gongbao import labels
from gongbao.errors import InputError
from gongbao.serialize import plain
from typing import Any

Doc = dict[str, Any]

FORMATS = ("jsonl", "csv")

# GB/T 9704 elements in the order a reader expects them: (label, attribute)
METADATA_FIELDS = (
    ("发文机关", "issuers"),
    ("发文字号", "doc_number"),
    ("成文日期", "date"),
    ("文种", "type"),
    ("主送机关", "addressee"),
    ("抄送", "cc"),
    ("印发机关", "printed_by"),
    ("印发日期", "printed_date"),
    ("公开属性", "public"),
)


@dataclass(slots=True)
class Block:
    """A paragraph of the body (with the outline anchors that start on it) or a whole table."""

    text: str = ""
    anchors: list[str] = field(default_factory=list)
    depth: int | None = None  # outline depth when the paragraph is a heading line
    number: str | None = None  # the heading's number as printed (第十八条, 一、…)
    heading: str = ""  # the heading's words, empty for a 条 that starts straight with text
    table: Doc | None = None
    lines: list[int] | None = None


def _flatten(nodes: list[Doc], depth: int = 0):
    for node in nodes:
        yield node, depth
        yield from _flatten(node.get("children") or [], depth + 1)


def _first(item: Doc) -> int:
    return item["lines"][0] if item.get("lines") else 0


def body_lines(doc: Doc) -> list[tuple[str, list[int] | None]]:
    """(text, [first, last]) for each line of the stored body."""
    texts = doc.get("text", "").split("\n") if doc.get("text") else []
    spans = doc.get("body_spans") or []
    return [(text, spans[i] if i < len(spans) else None) for i, text in enumerate(texts)]


def body_blocks(doc: Doc) -> list[Block]:
    """The body in reading order; a table replaces the body lines it was parsed from."""
    nodes = sorted(_flatten(doc.get("outline") or []), key=lambda nd: _first(nd[0]))
    tables = sorted(doc.get("tables") or [], key=_first)
    emitted: set[int] = set()
    blocks: list[Block] = []
    ni = 0
    for text, span in body_lines(doc):
        table = _table_at(tables, span)
        if table is None:
            block = Block(text=text, lines=span)
            ni = _take_nodes(block, nodes, ni)
            blocks.append(block)
        elif id(table) not in emitted:
            emitted.add(id(table))
            blocks.append(Block(table=table, lines=table["lines"]))
    blocks.extend(Block(table=t, lines=t.get("lines")) for t in tables if id(t) not in emitted)
    if ni < len(nodes) and blocks:
        # nodes that start after the last body line still need a target on the page
        blocks[-1].anchors.extend(node["anchor"] for node, _ in nodes[ni:])
    return blocks


def _table_at(tables: list[Doc], span: list[int] | None) -> Doc | None:
    """The table a body line was parsed into, if any."""
    first = span[0] if span else None
    if not first or not tables:  # most documents have no table: no search per line
        return None
    return next((t for t in tables if t.get("lines") and t["lines"][0] <= first <= t["lines"][1]), None)


def _take_nodes(block: Block, nodes: list[tuple[Doc, int]], ni: int) -> int:
    """Anchor on ``block`` the outline nodes from ``nodes[ni]`` that start by its last line; the
    first whose number the text begins with makes it a heading.  The index of the next node."""
    last = block.lines[1] if block.lines else None
    while ni < len(nodes) and last is not None and _first(nodes[ni][0]) <= last:
        node, depth = nodes[ni]
        block.anchors.append(node["anchor"])
        if block.depth is None and node.get("number") and block.text.lstrip().startswith(node["number"]):
            block.depth, block.number, block.heading = depth, node["number"], node.get("heading") or ""
        ni += 1
    return ni


def _value(doc: Doc, attr: str) -> str | None:
    value = doc.get(attr)
    if attr == "public":
        return {True: "此件公开发布", False: "不公开"}.get(value)
    if isinstance(value, list):
        return "、".join(value) or None
    return str(value) if value else None


def _metadata(doc: Doc, status: str | None, source: str | None) -> list[str]:
    """The GB/T 9704 elements a document has, then its status and source, as 标签：值 lines."""
    pairs = [(label, _value(doc, attr)) for label, attr in METADATA_FIELDS]
    pairs += [("效力状态", status), ("出处", source)]
    return [f"{label}：{value}" for label, value in pairs if value]


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def document_markdown(doc: Doc, *, status: str | None = None, source: str | None = None) -> str:
    """The document as Markdown: title, GB/T 9704 elements, body with headings and tables."""
    out = [f"# {doc['title']}", "", *(f"- {line}" for line in _metadata(doc, status, source)), ""]
    for block in body_blocks(doc):
        if block.table is not None:
            t = block.table
            header, rows = t.get("header") or [], t.get("rows") or []
            width = max([len(header), *(len(r) for r in rows)] or [1]) or 1
            header = (header + [""] * width)[:width]
            if t.get("title"):
                out += [f"**{t['title']}**", ""]
            out.append("| " + " | ".join(_md_cell(h) for h in header) + " |")
            out.append("|" + " --- |" * width)
            out += ["| " + " | ".join(_md_cell(c) for c in (row + [""] * width)[:width]) + " |" for row in rows]
            out.append("")
        elif block.depth is not None and block.heading:
            out += [f"{'#' * min(block.depth + 2, 6)} {block.text.strip()}", ""]
        elif block.number:
            out += [f"**{block.number}**{block.text.strip()[len(block.number):]}", ""]
        else:
            out += [block.text, ""]
    if doc.get("attachments"):
        out += ["## 附件", ""]
        out += [f"- {a['title']}{'（略）' if a.get('omitted') else ''}" for a in doc["attachments"]]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def document_text(doc: Doc, *, status: str | None = None, source: str | None = None) -> str:
    """The document as plain text: title, the elements one per line, then the body as printed."""
    out = [doc["title"], "", *_metadata(doc, status, source), "", doc.get("text", "")]
    return "\n".join(out).rstrip() + "\n"


# --- bulk export -------------------------------------------------------------------------

TABLES = ("documents", "tasks", "citations", "corrections", "progress")

# CSV columns per table; JSONL carries the same fields (documents in full, nested).
CSV_COLUMNS = {
    "documents": ("id", "doc_number", "title", "type", "issuers", "date", "status", "status_label", "addressee", "cc",
                  "printed_by",
                  "printed_date", "public", "section", "present", "issue_id", "issue_key", "source_path",
                  "line_first", "line_last", "effective", "expires", "text"),
    "tasks": ("id", "doc_id", "doc_number", "doc_title", "text", "lead_units", "responsible_units", "partner_units",
              "deadline_raw", "deadline_kind", "deadline_iso", "deadline_end_iso", "overdue", "progress_state",
              "progress_label", "due_in_force", "progress_note", "anchor", "line_first", "line_last"),
    "citations": ("source_id", "source_doc_number", "text", "doc_number", "title", "kind", "anchor", "line_first",
                  "line_last", "target_id", "target_present"),
    # editors' work, kept apart from parser output: every correction and progress report (history)
    "corrections": ("id", "doc_id", "doc_number", "title", "field", "field_label", "parser_text", "value_text", "reason",
                    "editor", "created_at", "state", "state_label", "state_note"),
    "progress": ("id", "doc_id", "task", "task_text", "unit", "state", "state_label", "done_on", "new_deadline",
                 "note", "recorded_by", "recorded_at"),
}


def _flat(row: Doc) -> Doc:
    """A row for CSV: lists joined with "；", spans split, deadline spread into columns."""
    out = dict(row)
    if out.get("lines"):
        out["line_first"], out["line_last"] = out["lines"][0], out["lines"][1]
    deadline = out.get("deadline")
    if isinstance(deadline, dict):
        out.update({"deadline_raw": deadline.get("raw"), "deadline_kind": deadline.get("kind"),
                    "deadline_iso": deadline.get("iso"), "deadline_end_iso": deadline.get("end_iso")})
    issue = out.get("issue")
    if isinstance(issue, dict):
        out.update({"issue_id": issue.get("id"), "issue_key": issue.get("key"), "source_path": issue.get("source_path")})
    progress = out.get("progress")
    if isinstance(progress, dict):
        out.update({"progress_state": progress["state"], "progress_label": progress["state_label"],
                    "due_in_force": progress["due"], "progress_note": progress["note"]})
    validity = out.get("validity")
    if isinstance(validity, dict):
        out.update({"effective": validity.get("effective"), "expires": validity.get("expires")})
    return {k: "；".join(map(str, v)) if isinstance(v, list) else v for k, v in out.items()}


def iter_rows(store, table: str, as_of: str | None = None):
    """Every row of ``table`` (one of TABLES) as a JSON-ready dict."""
    if table == "documents":
        from gongbao.links.resolve import document_statuses

        ids = store.doc_ids()
        statuses = document_statuses(store, ids, as_of)
        for doc_id in ids:
            code = statuses[doc_id].code
            yield {**plain(store.get_document(doc_id)), "status": code, "status_label": labels.label("status", code)}
    elif table == "tasks":
        from gongbao.followup import ledger

        for task in ledger(store, as_of=as_of):  # overdue as 督查 counts it: done tasks never are
            yield {**task, "overdue": task["progress"]["overdue"]}
    elif table == "citations":
        for row in store.citation_rows():
            yield asdict(row)
    elif table == "corrections":
        from gongbao.editing import correction_dict

        yield from (correction_dict(c) for c in store.corrections())
    elif table == "progress":
        from gongbao.followup import progress_dict

        yield from (progress_dict(p) for p in store.progress())
    else:
        raise InputError(f"unknown table {table!r}: choose one of {', '.join(TABLES)}")


def jsonl_lines(rows):
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"


def csv_lines(rows, table: str):
    """CSV text, a line at a time (header first), for streaming."""
    columns = CSV_COLUMNS[table]
    buffer = _LineBuffer()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    yield buffer.take()
    for row in rows:
        writer.writerow(_flat(row))
        yield buffer.take()


class _LineBuffer:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def take(self) -> str:
        text, self.parts = "".join(self.parts), []
        return text


def tasks_csv(tasks: list[Doc]) -> str:
    """The tasks ledger as CSV text."""
    return "".join(csv_lines(tasks, "tasks"))


def export_database(db_path, out_dir, fmt: str = "jsonl") -> dict[str, int]:
    """Write documents, tasks, citations, corrections and progress reports of the database into ``out_dir`` as JSONL or CSV.

    Returns {path: rows written}.
    """
    from gongbao.store import Store, open_store

    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}: choose jsonl or csv")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    with open_store(db_path, readonly=True) as store:
        for table in TABLES:
            path = out / f"{table}.{fmt}"
            rows = list(iter_rows(store, table))
            lines = csv_lines(rows, table) if fmt == "csv" else jsonl_lines(rows)
            # utf-8-sig for CSV so that spreadsheet programs read the Chinese correctly
            with path.open("w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as fh:
                fh.writelines(lines)
            written[str(path)] = len(rows)
    return written
