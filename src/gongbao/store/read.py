"""Reading the store back: documents, outlines and tasks as the records of store/records.py;
rows of other tables as JSON-ready dicts (the shapes are documented in docs/store.md)."""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Mapping
from typing import Any

from gongbao.docnumber import parse_doc_number
from gongbao.errors import StoreError
from gongbao.labels import labelled
from gongbao.serialize import plain
from gongbao.models import (Article, Attachment, Citation, Deadline, DocNumber, Finding, Line, Notice, TocEntry, Validity,
                            VersionEvent)
from gongbao.store.kept import KeptByPk
from gongbao.store.records import (DocSummary, IssueRef, RevisionInfo, StatusView, StoredCitation, StoredDocument,
                                   StoredEmbedded, StoredIssue, StoredNode, StoredRelation, StoredTable, StoredTask)

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
            elif name == "body_spans":
                value = unpack_spans(value)
        elif name in _BOOL_COLS and value is not None:
            value = bool(value)
        out[name] = value
    return out


def row_dict(cursor: sqlite3.Cursor, row: tuple) -> Row:
    """Row factory of the SQLite connections: ``decode_row``."""
    return decode_row([d[0] for d in cursor.description], row)


def doc_summary(row: Row, cls: type[DocSummary] = DocSummary, **extra: Any) -> DocSummary:
    """A row of ``DOC_SUMMARY_COLS`` (or the portal's listing columns) as its record."""
    first = row["line_first"]
    return cls(row["id"], row["doc_number"], row["title"], row["type"], row["issuers"], row["date"], row["year"],
               row["section"], bool(row["present"]), row["position"], None if first is None else (first, row["line_last"]),
               row["issue_key"], row["issue_year"], row["issue_number"], row["series"], **extra)


def stored_issue(row: Row, summaries: list[DocSummary], parts: dict[str, list[Row]],
                 revisions: list[RevisionInfo]) -> StoredIssue:
    """An issue's row (the listing's columns, then sponsor, editor, warnings, unassigned) with
    its documents, its parts' rows (articles, toc_entries, reconciliation) and its revisions."""
    listed = [row[k] for k in ("id", "key", "series", "year", "issue", "total_issue", "published", "source_path",
                               "sha256", "encoding", "size", "line_count", "revision", "ingested_at")]
    return StoredIssue(
        *listed, len(summaries), row["sponsor"], row["editor"], _notices(row["warnings"]),
        [(a, b) for a, b in row["unassigned"] or []], summaries,
        [Article(r["kind"], r["title"], _span(r), r["text"]) for r in parts["articles"]],
        [TocEntry(r["title"], r["page"], _span(r), r["section"], parse_doc_number(r["doc_number"]) if r["doc_number"]
                  else None, r["source"]) for r in parts["toc_entries"]],
        [Finding(r["kind"], r["detail"]) for r in parts["reconciliation"]], revisions)


def status_view(stored: str) -> StatusView:
    """A status view as the portal keeps it (JSON of ``serialize.plain``)."""
    data = json.loads(stored)
    return StatusView(data["code"], data["as_of"], [Notice.from_dict(e) for e in data["evidence"]], data["by"],
                      data["since"], data["label"], data["by_id"])


# An outline node's own text: a span of its document's text (text_start, text_end), or its
# own `text` when it is no single span (migration 011).
NODE_TEXT_COLS = "n.text, n.text_start, n.text_end"  # over outline_nodes n


TEXT_CACHE_CHARS = 16_000_000  # characters of document texts a store keeps (DocumentTexts)


class DocumentTexts(KeptByPk[str]):
    """Documents' texts by pk, as a store keeps them until the database changes
    (``Store.kept``), the least recently used going first past TEXT_CACHE_CHARS: Q&A cuts the
    same long laws for its candidate clauses, their articles, items and headings, and
    questions share their laws."""

    def __init__(self) -> None:
        super().__init__(lambda: TEXT_CACHE_CHARS, len)

    def read(self, conn, pks: Iterable[int], given: Mapping[int, str] | None = None) -> dict[int, str]:
        """The texts of the documents ``pks``: those in ``given`` (the caller has them) taken
        from it, the others kept or read in one go."""
        given = given or {}

        def load(chunk: list[int]) -> dict[int, str]:
            marks = ",".join("?" * len(chunk))
            return {r["pk"]: r["text"] or "" for r in conn.execute(f"SELECT pk, text FROM documents WHERE pk IN ({marks})", chunk)}
        return {**self.kept_or_loaded([pk for pk in pks if pk not in given], load),
                **{pk: given[pk] for pk in pks if pk in given}}


def node_texts(conn, rows: list[tuple], texts: DocumentTexts | None = None,
               given: Mapping[int, str] | None = None) -> list[str]:
    """Each outline node's text (``rows``: its doc_pk, then NODE_TEXT_COLS): its span of its document's text, the texts read once per
    document (from ``texts`` when the store keeps them, from ``given`` when the caller has
    them), or its own text when it is no single span."""
    bodies = (texts or DocumentTexts()).read(conn, {pk for pk, _, start, _ in rows if start is not None}, given)
    return [own if start is None else bodies[pk][start:end] for pk, own, start, end in rows]


def _span(row: Row) -> tuple[int, int] | None:
    """line_first/line_last → the models' LineSpan (None for a row without one)."""
    return (row["line_first"], row["line_last"]) if row["line_first"] is not None else None


def _notices(values: list | None) -> list[Notice]:
    return [Notice.from_dict(v) for v in values or []]


def outline_tree(conn: sqlite3.Connection, doc_pk: int, text: str | None = None) -> list[StoredNode]:
    """The outline as nested nodes (each with ``children``), in document order; ``text``, the
    document's text when the caller has read it (else it is read)."""
    rows = conn.execute(
        f"SELECT n.id, n.doc_pk, n.parent_id, n.anchor, n.level, n.number, n.ordinal, n.heading, {NODE_TEXT_COLS},"
        " n.line_first, n.line_last, n.warnings, n.depth FROM outline_nodes n WHERE n.doc_pk = ? ORDER BY n.position",
        (doc_pk,),
    ).fetchall()
    texts = node_texts(conn, [(r["doc_pk"], r["text"], r["text_start"], r["text_end"]) for r in rows],
                       given=None if text is None else {doc_pk: text})
    by_id: dict[int, StoredNode] = {}
    roots: list[StoredNode] = []
    for row, node_text in zip(rows, texts):
        node = StoredNode(level=row["level"], number=row["number"], ordinal=row["ordinal"], heading=row["heading"],
                          text=node_text, anchor=row["anchor"], lines=_span(row), warnings=_notices(row["warnings"]),
                          depth=row["depth"])
        by_id[row["id"]] = node
        parent = by_id.get(row["parent_id"])
        (parent.children if parent else roots).append(node)
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


def document(conn: sqlite3.Connection, pk: int, full: bool = True) -> StoredDocument:
    """One document with its metadata and, when ``full``, its body and everything structured under it."""
    row = conn.execute(
        f"SELECT d.*, i.key AS issue_key, i.year AS issue_year, i.issue AS issue_number, i.total_issue,"
        f" i.published, i.source_path, i.sha256 AS source_sha256, s.name AS series FROM {DOC_FROM} WHERE d.pk = ?",
        (pk,),
    ).fetchone()
    number = None
    if row["doc_number"]:  # the 文号 as its parts, as the parser made it
        number = (DocNumber(row["dn_prefix"], row["dn_year"], row["dn_serial"]) if row["dn_prefix"] is not None
                  else parse_doc_number(row["doc_number"]))
    issue = IssueRef(row["issue_id"], row["issue_key"], row["series"], row["issue_year"], row["issue_number"],
                     row["total_issue"], row["published"], row["source_path"], row["source_sha256"])
    doc = StoredDocument(
        title=row["title"], type=row["type"], doc_number=number, issuers=row["issuers"], date=row["date"],
        addressee=row["addressee"], signatures=row["signatures"], body=[], lines=_span(row),
        continuations=row["continuations"], history=[VersionEvent(**e) for e in row["history"] or []], cc=row["cc"],
        printed_by=row["printed_by"], printed_date=row["printed_date"], public=row["public"],
        pages=(row["page_first"], row["page_last"]) if row["page_first"] is not None else None, section=row["section"],
        warnings=_notices(row["warnings"]), id=row["id"], key=row["key"], position=row["position"], year=row["year"],
        present=row["present"], created_at=row["created_at"], issue=issue,
        page_boxes=[(page, box) for page, box in row["regions"] or []])
    if full:
        _fill(conn, doc, pk, row["text"] or "", row["body_spans"] or [])
    return doc


def _fill(conn: sqlite3.Connection, doc: StoredDocument, pk: int, text: str, spans: list) -> None:
    """A stored document's body and parts: outline, tables, tasks, attachments, embedded texts,
    citations, relations, validity."""
    doc.body = [Line(line, first, last) for line, (first, last) in zip(text.split("\n"), spans)]
    doc.outline = outline_tree(conn, pk, text)  # the text in hand: not read a second time
    rows = lambda sql: conn.execute(sql, (pk,)).fetchall()  # noqa: E731
    doc.tables = [StoredTable(header=r["header"], rows=r["rows"], lines=_span(r), title=r["title"],
                              warnings=_notices(r["warnings"]), row_lines=r["row_lines"] or [],
                              page_starts=r["page_starts"] or [])
                  for r in rows("SELECT title, header, rows, row_lines, page_starts, line_first, line_last, warnings"
                                " FROM doc_tables WHERE doc_pk = ? ORDER BY position")]
    doc.tasks = tasks_of(conn, "t.doc_pk = ?", (pk,))
    doc.attachments = [Attachment(r["title"], r["omitted"], _span(r)) for r in rows(
        "SELECT title, omitted, line_first, line_last FROM attachments WHERE doc_pk = ? ORDER BY position")]
    doc.embedded = [StoredEmbedded(r["title"], r["type"], _span(r), [VersionEvent(**e) for e in r["history"] or []],
                                   r["effective"]) for r in rows(
        "SELECT title, type, line_first, line_last, history, effective FROM embedded WHERE doc_pk = ? ORDER BY position")]
    doc.citations = [StoredCitation(r["text"], _number(r["doc_number"]), r["title"], r["kind"], _span(r), r["anchor"],
                                    r["target_id"]) for r in rows(
        "SELECT text, doc_number, title, kind, anchor, line_first, line_last, target_id FROM citations"
        " WHERE doc_pk = ? ORDER BY position")]
    doc.relations = [StoredRelation(
        r["type"], Citation(r["target_text"], _number(r["target_doc_number"]), r["target_title"], r["target_kind"],
                            _span(r), r["anchor"]),
        Notice.from_dict(json.loads(r["evidence"])) if r["evidence"] else None, _span(r), r["anchor"], r["effective"],
        r["target_id"]) for r in rows(
        "SELECT type, target_text, target_doc_number, target_title, target_kind, target_id, evidence, anchor,"
        " line_first, line_last, effective FROM relations WHERE doc_pk = ? ORDER BY position")]
    validity = conn.execute("SELECT effective, expires, trial, evidence FROM validity WHERE doc_pk = ?", (pk,)).fetchone()
    if validity:  # evidence: the sentences the document says it in
        doc.validity = Validity(validity["effective"], validity["expires"], validity["trial"],
                                json.loads(validity["evidence"]))


def _number(text: str | None) -> DocNumber | None:
    """A stored 文号 (normalised text) as its value object."""
    return parse_doc_number(text) if text else None


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


Bodies = list[tuple[str, list[list[int]]]]  # an issue's documents' texts and body line spans, in order


def pack_source(text: str) -> bytes:
    """An issue's source text as stored (migration 012): zlib of its UTF-8, about a quarter of
    the text's size for Chinese; an issue's documents keep their own texts in the clear."""
    return zlib.compress(text.encode("utf-8"), 6)


def pack_by_reference(text: str, bodies: Bodies) -> tuple[bytes, bytes | None]:
    """An issue's source as stored since migration 022: ``raw_zlib`` (``pack_source``) and
    ``raw_refs``.  A source line that a document's body line came from, with characters
    inserted (the spaces, ``##`` marks and indents the parser took out), is stored as that
    body line's reference: its text left empty in ``raw_zlib``, and ``raw_refs`` holds zlib of
    the JSON ``[crc32 of the whole text, [per document, per body line: 0 (not referenced) or
    [at, inserted, at, inserted, …] (the characters inserted before the body line's character
    ``at``)]]``.  18.3 → 3.4 MB on lawref + samples: the documents keep the text in the clear,
    so the source was for the most part a second copy.  ``raw_refs`` is None when no line is
    referenced (the text is then whole, as an older gongbao stored it)."""
    lines = text.split("\n")
    taken: set[int] = set()
    docs: list[list] = []
    for body, spans in bodies:
        refs: list = []
        for line, (first, last) in zip(body.split("\n"), spans):
            inserted = None
            if first == last and line and first is not None and 0 < first <= len(lines) and first not in taken:
                inserted = _inserted(lines[first - 1], line)
            if inserted is None:
                refs.append(0)
                continue
            taken.add(first)
            lines[first - 1] = ""
            refs.append(inserted)
        docs.append(refs)
    packed = pack_source("\n".join(lines))
    if not taken:
        return packed, None
    refs_json = json.dumps([zlib.crc32(text.encode("utf-8")), docs], ensure_ascii=False, separators=(",", ":"))
    return packed, zlib.compress(refs_json.encode("utf-8"), 6)


def _inserted(source: str, line: str) -> list | None:
    """``source`` as ``line`` with characters inserted: ``[at, inserted, …]`` (each run of
    inserted characters before ``line[at]``, ``at == len(line)`` after its end), taking each
    of ``line``'s characters at its first place left in ``source``; None when ``line`` is not
    so found in ``source``, or when more characters are inserted than it has (the line is
    then stored as it is)."""
    if source.endswith(line):  # most lines: the same, or an indent taken off
        return [0, source[:-len(line)]] if len(source) > len(line) else []
    out: list = []
    i = j = extra = 0
    while j < len(line):
        same = _common(source, i, line, j)
        i, j = i + same, j + same
        if j == len(line):
            break
        at = source.find(line[j], i)
        if at < 0:
            return None
        out += [j, source[i:at]]
        extra += at - i
        i = at
    if i < len(source):
        out += [len(line), source[i:]]
        extra += len(source) - i
    return out if extra <= len(line) else None


def _common(a: str, i: int, b: str, j: int) -> int:
    """How many characters ``a[i:]`` and ``b[j:]`` have in common at their start (compared in
    slices, doubling then halving: a Python loop over the characters cost 4 times as much)."""
    most = min(len(a) - i, len(b) - j)
    step = 1
    while step <= most and a[i:i + step] == b[j:j + step]:
        step *= 2
    low, high = step // 2, min(step, most + 1)  # a[i:i+low] is common; a[i:i+high] is not (or beyond)
    while high - low > 1:
        mid = (low + high) // 2
        if a[i:i + mid] == b[j:j + mid]:
            low = mid
        else:
            high = mid
    return low


def pack_spans(spans: list[list[int]]) -> list[list[int]]:
    """A document's body line spans ([first, last] source lines of each line of its text) as
    stored (migration 020): a run of lines one source line each, every one ``step`` lines after
    the one before (a law's paragraphs, blank lines between them), is one ``[-count, step]``;
    other spans are kept as they are (8.0 → 0.2 MB on lawref + samples)."""
    out: list[list[int]] = []
    last = None
    for first, end in spans:
        step = None if last is None else first - last
        if first == end and step is not None and step > 0:
            if out[-1][0] < 0 and out[-1][1] == step:
                out[-1][0] -= 1
            else:
                out.append([-1, step])
        else:
            out.append([first, end])
        last = end
    return out


def unpack_spans(stored: list[list[int]]) -> list[list[int]]:
    """The spans ``pack_spans`` stored (a list of plain spans, as an older gongbao stored
    them, is read as it is)."""
    out: list[list[int]] = []
    for first, end in stored:
        if first >= 0:
            out.append([first, end])
            continue
        for _ in range(-first):
            line = out[-1][1] + end
            out.append([line, line])
    return out


def source_text(row: Row, bodies: Bodies | None = None) -> str:
    """The source text of an ``issues`` or ``issue_revisions`` row (raw_zlib, raw_text, and
    raw_refs: then ``bodies``, its documents' texts and body line spans, are needed)."""
    packed = row["raw_zlib"]
    if packed is None:
        return row["raw_text"]
    text = zlib.decompress(packed).decode("utf-8")
    refs = row.get("raw_refs")
    if refs is None:
        return text
    crc, docs = json.loads(zlib.decompress(refs))
    lines = text.split("\n")
    for (body, spans), doc_refs in zip(bodies or (), docs):
        for line, (first, _), inserted in zip(body.split("\n"), spans, doc_refs):
            if inserted != 0:
                lines[first - 1] = _with_inserted(line, inserted)
    text = "\n".join(lines)
    if len(docs) != len(bodies or ()) or zlib.crc32(text.encode("utf-8")) != crc:
        raise StoreError("这一期的原文无法复原：它的文件正文已在 gongbao 之外被改动或删除")
    return text


def _with_inserted(line: str, inserted: list) -> str:
    parts, at = [], 0
    for k in range(0, len(inserted), 2):
        to = inserted[k]
        parts += [line[at:to], inserted[k + 1]]
        at = to
    parts.append(line[at:])
    return "".join(parts)


def issue_bodies(conn, issue_id: int) -> Bodies:
    """The texts and body line spans of an issue's documents, in order (``source_text``)."""
    return [(r["text"] or "", r["body_spans"] or []) for r in conn.execute(
        "SELECT text, body_spans FROM documents WHERE issue_id = ? ORDER BY position", (issue_id,)).fetchall()]
