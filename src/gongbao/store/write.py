"""Writing a parsed issue into the store: one call, run inside the caller's transaction."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from gongbao.models import Document, Issue, Notice, OutlineNode
from gongbao.store import ids
from gongbao.store.fts import NODE_COLUMNS, BodyIndexer, node_index_tokens, node_values
from gongbao.store.read import (issue_bodies, issue_snapshot, pack_by_reference, pack_source, pack_spans,
                              source_text)
from gongbao.store.records import DocTokens


@dataclass(slots=True)
class IngestResult:
    """What ``Store.ingest_issue`` did with one issue."""

    status: str  # "added", "replaced" (a changed file of a stored issue) or "unchanged"
    issue_id: int
    issue_key: str
    revision: int
    documents: int = 0
    tasks: int = 0
    warnings: int = 0
    document_ids: list[str] = field(default_factory=list)


def _plain(value: Notice) -> dict:
    """Warnings are stored as their code and parameters; the Chinese is rendered on reading."""
    if isinstance(value, Notice):
        return value.to_dict()
    raise TypeError(f"{type(value).__name__} is not stored as JSON")


# One encoder for every row (json.dumps with arguments builds one per call: a third of its cost).
_JSON = json.JSONEncoder(ensure_ascii=False, default=_plain)


def _j(value) -> str:
    if type(value) is list and not value:  # most rows' warnings: 300 k a load, 1 µs each saved
        return "[]"
    return _JSON.encode(value)



def _span(lines) -> tuple[int | None, int | None]:
    return (lines[0], lines[1]) if lines else (None, None)


def _series_id(conn: sqlite3.Connection, issue: Issue) -> int | None:
    g = issue.gazette
    if not g.name:
        return None
    conn.execute(
        "INSERT INTO series(name, sponsor, editor) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
        "sponsor = COALESCE(excluded.sponsor, series.sponsor), editor = COALESCE(excluded.editor, series.editor)",
        (g.name, g.sponsor, g.editor),
    )
    return conn.execute("SELECT id FROM series WHERE name = ?", (g.name,)).fetchone()["id"]


# An issue's source as stored: raw_zlib and raw_refs (store.read.pack_by_reference).
PackedSource = tuple[bytes, bytes | None]


def issue_text(issue: Issue, raw: str | bytes | None) -> str:
    """The text ``issue`` was parsed from: what was extracted (PDF, scans, Word), else ``raw``
    (the file's bytes or text)."""
    if issue.source.text is not None:
        return issue.source.text
    if isinstance(raw, bytes):
        return raw.decode(issue.source.encoding or "utf-8", errors="replace")
    return raw or ""


def pack_issue(issue: Issue, text: str) -> PackedSource:
    """The issue's source ``text`` packed as stored: ingest packs it in its parsing processes
    (zlib and the references were 8 % of the writer's CPU)."""
    return pack_by_reference(text, [(doc.text, doc.body_spans) for doc in issue.documents])


def _issue_row(issue: Issue, source: PackedSource, now: str, series_id: int | None) -> dict:
    g, s = issue.gazette, issue.source
    raw_zlib, raw_refs = source
    return {
        "series_id": series_id,
        "year": g.year,
        "issue": g.issue,
        "total_issue": g.total_issue,
        "published": g.published,
        "source_path": s.path,
        "sha256": s.sha256,
        "encoding": s.encoding,
        "size": s.size,
        "line_count": s.line_count,
        "ingested_at": now,
        "raw_text": "",
        "raw_zlib": raw_zlib,
        "raw_refs": raw_refs,
        "warnings": _j(issue.warnings),
        "unassigned": _j([list(span) for span in issue.unassigned]),
    }


def _keep_revision(conn: sqlite3.Connection, issue_id: int, now: str, unindex: Unindexer | None) -> None:
    """Copy the stored issue into issue_revisions, then remove its rows (documents cascade;
    ``unindex`` takes them out of the engine's index first)."""
    old = conn.execute(
        "SELECT revision, sha256, source_path, ingested_at, raw_text, raw_zlib, raw_refs FROM issues WHERE id = ?",
        (issue_id,)).fetchone()
    if old["raw_refs"] is not None:  # its documents are going: the revision keeps the whole text
        old["raw_zlib"] = pack_source(source_text(old, issue_bodies(conn, issue_id)))
    conn.execute(
        "INSERT INTO issue_revisions(issue_id, revision, sha256, source_path, ingested_at, replaced_at, raw_text,"
        " raw_zlib, snapshot) VALUES (:issue_id, :revision, :sha256, :source_path, :ingested_at, :now, :raw_text,"
        " :raw_zlib, :snapshot)",
        {**old, "issue_id": issue_id, "now": now, "snapshot": _j(issue_snapshot(conn, issue_id))},
    )
    if unindex is not None:
        unindex(conn, issue_id)
    conn.execute("DELETE FROM documents WHERE issue_id = ?", (issue_id,))
    for table in ("articles", "toc_entries", "reconciliation", "source_files"):
        conn.execute(f"DELETE FROM {table} WHERE issue_id = ?", (issue_id,))


def _choose_id(conn: sqlite3.Connection, doc: Document, key: str, taken: set[str]) -> tuple[str, int | None]:
    """The document's stable id, and the pk of a known-but-absent row it takes over (if any)."""
    if doc.doc_number is not None:
        candidate = ids.number_id(doc.doc_number)
        row = conn.execute("SELECT pk, present FROM documents WHERE id = ?", (candidate,)).fetchone()
        if candidate not in taken and (row is None or not row["present"]):
            return candidate, row["pk"] if row else None
        base = f"{doc.title}\n{doc.doc_number}"
    else:
        row = conn.execute(
            "SELECT pk, id FROM documents WHERE present = 0 AND doc_number IS NULL AND title = ? LIMIT 1",
            (doc.title,),
        ).fetchone()
        if row and row["id"] not in taken:
            return row["id"], row["pk"]
        base = doc.title
    ordinal = 0
    while (candidate := ids.issue_doc_id(key, base, ordinal)) in taken:
        ordinal += 1
    return candidate, None


def _doc_row(doc: Document, doc_id: str, issue_id: int, position: int, issue: Issue, now: str,
             tokens: DocTokens, body_kept: bool) -> dict:
    dn = doc.doc_number
    first, last = _span(doc.lines)
    year = int(doc.date[:4]) if doc.date and doc.date[:4].isdigit() else issue.gazette.year
    return {
        "id": doc_id,
        "issue_id": issue_id,
        "position": position,
        "key": str(dn) if dn else doc.title,
        "doc_number": str(dn) if dn else None,
        "dn_prefix": dn.prefix if dn else None,
        "dn_year": dn.year if dn else None,
        "dn_serial": dn.serial if dn else None,
        "title": doc.title,
        "type": doc.type,
        "issuers": _j(doc.issuers),
        "date": doc.date,
        "year": year,
        "addressee": doc.addressee,
        "signatures": _j(doc.signatures),
        "cc": _j(doc.cc),
        "history": _history(doc.history),
        "printed_by": doc.printed_by,
        "printed_date": doc.printed_date,
        "public": None if doc.public is None else int(doc.public),
        "section": doc.section,
        "line_first": first,
        "line_last": last,
        "continuations": _j([list(c) for c in doc.continuations]),
        "text": doc.text,
        "body_spans": _j(pack_spans(doc.body_spans)),
        "page_first": doc.pages[0] if doc.pages else None,
        "page_last": doc.pages[1] if doc.pages else None,
        "regions": _j([[page, [round(v, 1) for v in box]] for page, box in doc.regions()]),
        "warnings": _j(doc.warnings),
        "present": 1,
        "created_at": now,
        "tok_title": tokens.title,
        "tok_number": tokens.doc_number,
        "tok_issuers": tokens.issuers,
        "tok_text": tokens.text if body_kept else None,
    }


def _reserve_ids(conn, table: str, n: int) -> list[int]:
    """``n`` new keys of ``table``, so that rows naming each other (a node its parent, a unit
    its task) go in with one batched statement: PostgreSQL takes them from the table's
    sequence; SQLite, whose writer holds the database, counts on from the largest key."""
    if n == 0:
        return []
    reserve = getattr(conn, "reserve_ids", None)
    if reserve is not None:
        return reserve(table, n)
    first = conn.execute(f"SELECT coalesce(max(id), 0) + 1 AS n FROM {table}").fetchone()["n"]
    return list(range(first, first + n))


def _embedded_rows(doc_pk: int, doc: Document) -> list[tuple]:
    return [(doc_pk, i, e.title, e.type, *_span(e.lines), _history(e.history), e.effective)
            for i, e in enumerate(doc.embedded)]


def _history(events: list) -> str:
    return _j([asdict(event) for event in events])


# Takes an issue's documents out of the engine's full-text index before they are deleted: (conn, issue id).
Unindexer = Callable[[Any, int], None]

# Indexes a document's new outline nodes: (conn, doc_pk, [(node id, heading tokens, text tokens)]).
NodeIndexer = Callable[[Any, int, list[tuple[int, str, str | None]]], None]


def _insert_outline(conn: sqlite3.Connection, doc_pk: int, nodes: list[OutlineNode], tokens: DocTokens,
                    index_nodes: NodeIndexer | None, body_kept: bool) -> None:
    """The outline in pre-order; a node's text is a span of the document's where it can be
    (``tokens`` says where), so that it is stored once; ``index_nodes`` indexes the nodes
    from the tokens in hand (else the engine's triggers or its own pass do)."""
    ordered: list[tuple[OutlineNode, int | None, int]] = []  # (node, parent's index, depth)
    stack = [(node, None, 0) for node in reversed(nodes)]
    while stack:
        node, parent, depth = stack.pop()
        ordered.append((node, parent, depth))
        here = len(ordered) - 1
        stack.extend((child, here, depth + 1) for child in reversed(node.children))
    ids = _reserve_ids(conn, "outline_nodes", len(ordered))
    conn.executemany(
        "INSERT INTO outline_nodes(id, doc_pk, parent_id, position, depth, anchor, level, number, ordinal,"
        f" heading, line_first, line_last, warnings, {NODE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(ids[i], doc_pk, None if parent is None else ids[parent], i, depth, node.anchor, node.level, node.number,
          node.ordinal, node.heading, *_span(node.lines), _j(node.warnings), *node_values(place, body_kept))
         for i, ((node, parent, depth), place) in enumerate(zip(ordered, tokens.nodes, strict=True))],
    )
    if index_nodes is not None and ids:
        index_nodes(conn, doc_pk, [(node_id, *node_index_tokens(tokens, place))
                                   for node_id, place in zip(ids, tokens.nodes)])


def _insert_tasks(conn: sqlite3.Connection, doc_pk: int, doc: Document) -> None:
    ids = _reserve_ids(conn, "tasks", len(doc.tasks))
    rows, units = [], []
    for i, (task, task_id) in enumerate(zip(doc.tasks, ids)):
        d = task.deadline
        rows.append((task_id, doc_pk, i, task.anchor, task.text, _j(task.lead_units), _j(task.responsible_units),
                     _j(task.partner_units), d.raw if d else None, d.kind if d else None, d.iso if d else None,
                     d.end_iso if d else None, task.source, *_span(task.lines), task.group))
        units += [(task_id, u, "lead") for u in task.lead_units]
        units += [(task_id, u, "responsible") for u in task.responsible_units]
        units += [(task_id, u, "partner") for u in task.partner_units]
    conn.executemany(
        "INSERT INTO tasks(id, doc_pk, position, anchor, text, lead_units, responsible_units, partner_units,"
        " deadline_raw, deadline_kind, deadline_iso, deadline_end_iso, source, line_first, line_last, task_group)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    conn.executemany("INSERT INTO task_units(task_id, unit, role) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", units)


def _insert_children(conn: sqlite3.Connection, doc_pk: int, doc: Document, tokens: DocTokens,
                     index_nodes: NodeIndexer | None, body_kept: bool) -> None:
    conn.executemany(
        "INSERT INTO document_issuers(doc_pk, issuer, position) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        [(doc_pk, issuer, i) for i, issuer in enumerate(doc.issuers)],
    )
    _insert_outline(conn, doc_pk, doc.outline, tokens, index_nodes, body_kept)
    conn.executemany(
        "INSERT INTO doc_tables(doc_pk, position, title, header, rows, line_first, line_last, warnings, row_lines,"
        " page_starts) VALUES (?,?,?,?,?,?,?,?,?,?)",
        [
            (doc_pk, i, t.title, _j(t.header), _j(t.rows), *_span(t.lines), _j(t.warnings),
             _j([list(span) for span in t.row_lines]), _j(t.page_starts))
            for i, t in enumerate(doc.tables)
        ],
    )
    _insert_tasks(conn, doc_pk, doc)
    conn.executemany(
        "INSERT INTO citations(doc_pk, position, text, doc_number, dn_prefix, dn_year, dn_serial, title, kind,"
        " anchor, line_first, line_last) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (doc_pk, i, c.text, str(c.doc_number) if c.doc_number else None,
             c.doc_number.prefix if c.doc_number else None, c.doc_number.year if c.doc_number else None,
             c.doc_number.serial if c.doc_number else None, c.title, c.kind, c.anchor, *_span(c.lines))
            for i, c in enumerate(doc.citations)
        ],
    )
    conn.executemany(
        "INSERT INTO relations(doc_pk, position, type, target_text, target_doc_number, target_title, target_kind,"
        " evidence, anchor, line_first, line_last, effective) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (doc_pk, i, r.type, r.target.text, str(r.target.doc_number) if r.target.doc_number else None,
             r.target.title, r.target.kind, _j(r.evidence), r.anchor, *_span(r.lines), r.effective)
            for i, r in enumerate(doc.relations)
        ],
    )
    v = doc.validity
    conn.execute(
        "INSERT INTO validity(doc_pk, effective, expires, trial, evidence) VALUES (?,?,?,?,?)",
        (doc_pk, v.effective, v.expires, int(v.trial), _j(v.evidence)),
    )
    conn.executemany(
        "INSERT INTO attachments(doc_pk, position, title, omitted, line_first, line_last) VALUES (?,?,?,?,?,?)",
        [(doc_pk, i, a.title, int(a.omitted), *_span(a.lines)) for i, a in enumerate(doc.attachments)],
    )
    conn.executemany(
        "INSERT INTO embedded(doc_pk, position, title, type, line_first, line_last, history, effective)"
        " VALUES (?,?,?,?,?,?,?,?)",
        _embedded_rows(doc_pk, doc),
    )


def _insert_issue_parts(conn: sqlite3.Connection, issue_id: int, issue: Issue) -> None:
    conn.executemany(
        "INSERT INTO articles(issue_id, position, kind, title, text, line_first, line_last) VALUES (?,?,?,?,?,?,?)",
        [(issue_id, i, a.kind, a.title, a.text, *_span(a.lines)) for i, a in enumerate(issue.articles)],
    )
    conn.executemany(
        "INSERT INTO toc_entries(issue_id, position, title, page, section, doc_number, source, line_first, line_last)"
        " VALUES (?,?,?,?,?,?,?,?,?)",
        [
            (issue_id, i, t.title, t.page, t.section, str(t.doc_number) if t.doc_number else None, t.source, *_span(t.lines))
            for i, t in enumerate(issue.toc)
        ],
    )
    conn.executemany(
        "INSERT INTO reconciliation(issue_id, position, kind, detail) VALUES (?,?,?,?)",
        [(issue_id, i, f.kind, f.detail) for i, f in enumerate(issue.reconciliation)],
    )


def _write_source_file(conn: sqlite3.Connection, issue_id: int, issue: Issue, original: bytes | None) -> None:
    """The original file of an issue not read from text (PDF, scans, Word), with its pages."""
    s = issue.source
    if s.kind == "text":
        return
    pages = [{"number": p.number, "width": round(p.width, 1), "height": round(p.height, 1), "printed": p.printed,
              "ocr": p.ocr} for p in s.pages]
    conn.execute("INSERT INTO source_files(issue_id, kind, sha256, size, pages, data) VALUES (?, ?, ?, ?, ?, ?)",
                 (issue_id, s.kind, s.sha256, s.size, _j(pages), original))


def write_issue(conn: sqlite3.Connection, issue: Issue, source: PackedSource, now: str, tokens: list[DocTokens],
                original: bytes | None = None, index_nodes: NodeIndexer | None = None,
                index_body: BodyIndexer | None = None, unindex: Unindexer | None = None) -> IngestResult:
    """Store ``issue`` (its source packed by ``pack_issue``), replacing an older revision of the
    same issue; ``tokens`` are its documents' index tokens (store.fts.pretokenise); ``original`` is the
    file's bytes when it was not a text file; ``index_nodes`` indexes each document's outline
    nodes as they go in; ``index_body`` indexes each document from its tokens in hand (its
    body's token string is then not stored); ``unindex`` takes a replaced revision's
    documents out of the index before they are deleted."""
    key = ids.issue_key(issue.gazette, issue.source)
    existing = conn.execute("SELECT id, sha256, revision FROM issues WHERE key = ?", (key,)).fetchone()
    if existing and existing["sha256"] == issue.source.sha256:
        return IngestResult("unchanged", existing["id"], key, existing["revision"])
    row = _issue_row(issue, source, now, _series_id(conn, issue))
    if existing:
        issue_id, revision, status = existing["id"], existing["revision"] + 1, "replaced"
        _keep_revision(conn, issue_id, now, unindex)
        assignments = ", ".join(f"{col} = :{col}" for col in row)
        conn.execute(f"UPDATE issues SET {assignments}, revision = :revision WHERE id = :id",
                     {**row, "revision": revision, "id": issue_id})
    else:
        revision, status = 1, "added"
        cols = ", ".join(row)
        issue_id = conn.execute(
            f"INSERT INTO issues(key, {cols}) VALUES (:key, {', '.join(':' + c for c in row)})", {**row, "key": key}
        ).lastrowid
    _insert_issue_parts(conn, issue_id, issue)
    _write_source_file(conn, issue_id, issue, original)
    result = IngestResult(status, issue_id, key, revision, warnings=len(issue.warnings))
    taken: set[str] = set()
    for position, (doc, doc_tokens) in enumerate(zip(issue.documents, tokens, strict=True)):
        doc_id, stub_pk = _choose_id(conn, doc, key, taken)
        taken.add(doc_id)
        values = _doc_row(doc, doc_id, issue_id, position, issue, now, doc_tokens, body_kept=index_body is None)
        if stub_pk is None:
            cols = ", ".join(values)
            doc_pk = conn.execute(
                f"INSERT INTO documents({cols}) VALUES ({', '.join(':' + c for c in values)})", values
            ).lastrowid
        else:
            doc_pk = stub_pk
            assignments = ", ".join(f"{col} = :{col}" for col in values if col != "created_at")
            conn.execute(f"UPDATE documents SET {assignments} WHERE pk = :pk", {**values, "pk": doc_pk})
            conn.execute("DELETE FROM document_issuers WHERE doc_pk = ?", (doc_pk,))
            conn.execute("DELETE FROM validity WHERE doc_pk = ?", (doc_pk,))
        if index_body is not None:
            index_body(conn, doc_pk, doc_tokens)
        _insert_children(conn, doc_pk, doc, doc_tokens, index_nodes, index_body is None)
        result.documents += 1
        result.tasks += len(doc.tasks)
        result.warnings += len(doc.warnings)
        result.document_ids.append(doc_id)
    return result
