"""Reading the store back as plain JSON-ready dicts (the shapes are documented in docs/store.md)."""

from __future__ import annotations

import json
import sqlite3
import zlib
from typing import Any

from gongbao.docnumber import parse_doc_number
from gongbao.labels import labelled
from gongbao.serialize import plain
from gongbao.models import Deadline
from gongbao.store.records import StoredTask

Row = dict[str, Any]

_JSON_COLS = {
    "issuers", "cc", "history", "signatures", "continuations", "body_spans", "warnings", "unassigned", "header", "rows",
    "lead_units", "responsible_units", "partner_units", "row_lines", "page_starts", "regions",
}
_BOOL_COLS = {"present", "public", "omitted", "trial"}

DOC_SUMMARY_COLS = (
    "d.id, d.doc_number, d.title, d.type, d.issuers, d.date, d.year, d.section, d.present, d.position,"
    " d.line_first, d.line_last, i.key AS issue_key, i.year AS issue_year, i.issue AS issue_number, s.name AS series"
)
DOC_FROM = "documents d LEFT JOIN issues i ON i.id = d.issue_id LEFT JOIN series s ON s.id = i.series_id"


def decode_row(names: list[str], row) -> Row:
    """Column name → value, JSON columns decoded, flags as bools (either engine's row)."""
    out = {}
    for name, value in zip(names, row):
        if name in _JSON_COLS and isinstance(value, str):
            value = json.loads(value)
            if name == "warnings":  # stored as code and parameters; read with the Chinese label beside
                value = [labelled(w) for w in value]
        elif name in _BOOL_COLS and value is not None:
            value = bool(value)
        out[name] = value
    return out


def row_dict(cursor: sqlite3.Cursor, row: tuple) -> Row:
    """Row factory of the SQLite connections: ``decode_row``."""
    return decode_row([d[0] for d in cursor.description], row)


def _lines(row: Row) -> None:
    """line_first/line_last → lines: [first, last] (the models' LineSpan)."""
    first, last = row.pop("line_first", None), row.pop("line_last", None)
    row["lines"] = [first, last] if first is not None else None


def _children(conn: sqlite3.Connection, sql: str, pk: int) -> list[Row]:
    rows = conn.execute(sql, (pk,)).fetchall()
    for row in rows:
        _lines(row)
    return rows


# An outline node's own text: a span of its document's text (text_start, text_end), or its
# own `text` when it is no single span (migration 011).
NODE_TEXT_COLS = "n.text, n.text_start, n.text_end"  # over outline_nodes n
_CHUNK = 500  # keys per statement (well under SQLite's bound-parameter limit)


def node_texts(conn, rows: list[Row]) -> list[Row]:
    """Put each outline node row's text in place (rows with doc_pk and NODE_TEXT_COLS): the
    spans are cut from their documents' texts, read once per document."""
    wanted = sorted({r["doc_pk"] for r in rows if r["text_start"] is not None})
    bodies: dict[int, str] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        for r in conn.execute(f"SELECT pk, text FROM documents WHERE pk IN ({','.join('?' * len(chunk))})", chunk):
            bodies[r["pk"]] = r["text"] or ""
    for r in rows:
        first, last = r.pop("text_start"), r.pop("text_end")
        if first is not None:
            r["text"] = bodies[r["doc_pk"]][first:last]
    return rows


def outline_tree(conn: sqlite3.Connection, doc_pk: int) -> list[Row]:
    """The outline as nested nodes (each with ``children``), in document order."""
    rows = node_texts(conn, _children(
        conn,
        f"SELECT n.id, n.doc_pk, n.parent_id, n.anchor, n.level, n.number, n.ordinal, n.heading, {NODE_TEXT_COLS},"
        " n.line_first, n.line_last, n.warnings, n.depth FROM outline_nodes n WHERE n.doc_pk = ? ORDER BY n.position",
        doc_pk,
    ))
    by_id, roots = {}, []
    for row in rows:
        row["children"] = []
        by_id[row["id"]] = row
        parent = by_id.get(row.pop("parent_id"))
        (parent["children"] if parent else roots).append(row)
    for row in rows:
        del row["id"], row["doc_pk"]
    return roots


def resolve_doc_pk(conn: sqlite3.Connection, ref: str) -> int | None:
    """A document's pk from its id, its 文号 in any written form or its title (present documents first)."""
    ref = ref.strip()
    row = conn.execute("SELECT pk FROM documents WHERE id = ?", (ref,)).fetchone()
    if row:
        return row["pk"]
    number = parse_doc_number(ref)
    key = str(number) if number else ref
    row = conn.execute(
        "SELECT d.pk FROM documents d LEFT JOIN issues i ON i.id = d.issue_id WHERE d.doc_number = ?"
        " ORDER BY d.present DESC, i.ingested_at, d.pk LIMIT 1",
        (key,),
    ).fetchone()
    if row is None and number is None:  # a title, as printed (with or without 《》)
        row = conn.execute(
            "SELECT pk FROM documents WHERE title = ? ORDER BY present DESC, pk LIMIT 1", (ref.strip("《》 "),)
        ).fetchone()
    return row["pk"] if row else None


def document(conn: sqlite3.Connection, pk: int, full: bool = True) -> Row:
    """One document with its metadata and, when ``full``, everything structured under it."""
    doc = conn.execute(
        f"SELECT d.*, i.key AS issue_key, i.year AS issue_year, i.issue AS issue_number, i.total_issue,"
        f" i.published, i.source_path, i.sha256 AS source_sha256, s.name AS series FROM {DOC_FROM} WHERE d.pk = ?",
        (pk,),
    ).fetchone()
    _lines(doc)
    # the shapes of `gongbao parse --format json`: 文号 parts as one object, regions as {page, bbox}
    parts = {"prefix": doc.pop("dn_prefix"), "year": doc.pop("dn_year"), "serial": doc.pop("dn_serial")}
    doc["doc_number_parts"] = parts if doc["doc_number"] else None
    doc["regions"] = [{"page": page, "bbox": box} for page, box in doc.get("regions") or []]
    first, last = doc.pop("page_first", None), doc.pop("page_last", None)
    doc["pages"] = [first, last] if first is not None else None  # physical pages of the source PDF or scans
    doc["issue"] = {
        "id": doc.pop("issue_id"),
        "key": doc.pop("issue_key"),
        "series": doc.pop("series"),
        "year": doc.pop("issue_year"),
        "issue": doc.pop("issue_number"),
        "total_issue": doc.pop("total_issue"),
        "published": doc.pop("published"),
        "source_path": doc.pop("source_path"),
        "sha256": doc.pop("source_sha256"),
    }
    if not full:
        for col in ("text", "body_spans"):
            doc.pop(col)
    else:
        doc["outline"] = outline_tree(conn, pk)
        doc["tables"] = _children(
            conn,
            "SELECT title, header, rows, row_lines, page_starts, line_first, line_last, warnings FROM doc_tables"
            " WHERE doc_pk = ? ORDER BY position",
            pk,
        )
        doc["tasks"] = tasks_of(conn, "t.doc_pk = ?", (pk,))
        doc["attachments"] = _children(
            conn, "SELECT title, omitted, line_first, line_last FROM attachments WHERE doc_pk = ? ORDER BY position", pk
        )
        doc["embedded"] = _children(
            conn, "SELECT title, type, line_first, line_last, history, effective FROM embedded WHERE doc_pk = ?"
            " ORDER BY position", pk
        )
        doc["citations"] = _children(
            conn,
            "SELECT text, doc_number, title, kind, anchor, line_first, line_last, target_id FROM citations"
            " WHERE doc_pk = ? ORDER BY position",
            pk,
        )
        doc["relations"] = _children(
            conn,
            "SELECT type, target_text, target_doc_number, target_title, target_kind, target_id, evidence, anchor,"
            " line_first, line_last, effective FROM relations WHERE doc_pk = ? ORDER BY position",
            pk,
        )
        for relation in doc["relations"]:  # stored as code and parameters
            relation["evidence"] = labelled(json.loads(relation["evidence"])) if relation["evidence"] else None
        validity = conn.execute("SELECT effective, expires, trial, evidence FROM validity WHERE doc_pk = ?", (pk,)).fetchone()
        if validity:
            validity["evidence"] = json.loads(validity["evidence"])  # the sentences the document says it in
        doc["validity"] = validity or {"effective": None, "expires": None, "trial": False, "evidence": []}
    del doc["pk"]
    return doc


TASK_SELECT = (
    "SELECT t.id, t.position, d.id AS doc_id, d.doc_number, d.title AS doc_title, t.anchor, t.text, t.lead_units,"
    " t.responsible_units, t.partner_units, t.deadline_raw, t.deadline_kind, t.deadline_iso, t.deadline_end_iso,"
    " t.source, t.task_group AS \"group\", t.line_first, t.line_last FROM tasks t JOIN documents d ON d.pk = t.doc_pk"
)


def tasks_of(conn: sqlite3.Connection, where: str, params: tuple, limit: int | None = None) -> list[StoredTask]:
    # ordered by the task's own column (the same order): the plan then starts from the tasks,
    # not from a scan of every document
    sql = f"{TASK_SELECT} WHERE {where} ORDER BY t.doc_pk, t.position"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [_task(row) for row in conn.execute(sql, params).fetchall()]


def _task(row: Row) -> StoredTask:
    raw = row["deadline_raw"]
    deadline = Deadline(raw, row["deadline_kind"], row["deadline_iso"], row["deadline_end_iso"]) if raw is not None else None
    first, last = row["line_first"], row["line_last"]
    return StoredTask(
        text=row["text"], lead_units=row["lead_units"], responsible_units=row["responsible_units"],
        partner_units=row["partner_units"], deadline=deadline, lines=(first, last) if first is not None else None,
        anchor=row["anchor"], source=row["source"], group=row["group"], id=row["id"], position=row["position"],
        doc_id=row["doc_id"], doc_number=row["doc_number"], doc_title=row["doc_title"])


def issue_snapshot(conn: sqlite3.Connection, issue_id: int) -> Row:
    """The issue as stored now (its documents in full), kept when a revision replaces it."""
    pks = [r["pk"] for r in conn.execute("SELECT pk FROM documents WHERE issue_id = ? ORDER BY position", (issue_id,))]
    parts = {
        table: conn.execute(f"SELECT * FROM {table} WHERE issue_id = ? ORDER BY position", (issue_id,)).fetchall()
        for table in ("articles", "toc_entries", "reconciliation")
    }
    return {"documents": [plain(document(conn, pk)) for pk in pks], **parts}


def pack_source(text: str) -> bytes:
    """An issue's source text as stored (migration 012): zlib of its UTF-8, about a quarter of
    the text's size for Chinese; an issue's documents keep their own texts in the clear."""
    return zlib.compress(text.encode("utf-8"), 6)


def source_text(row: Row) -> str:
    """The source text of an ``issues`` or ``issue_revisions`` row (raw_zlib, raw_text)."""
    packed = row["raw_zlib"]
    return row["raw_text"] if packed is None else zlib.decompress(packed).decode("utf-8")
