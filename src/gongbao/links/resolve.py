"""Resolution: attach every stored citation and relation to a document of the database, and
derive a stored document's status as of a date.

Matching, in order: normalised 文号; exact title (of a document or of a text it embeds);
title compared without spaces and punctuation.  A citation that matches nothing creates a
known-but-absent document (present = 0) with the id ingest will give the real one when its
issue arrives (``store.ids``), so links attach by themselves.  Resolution is idempotent and
re-runs over everything, so absent stubs give way to documents ingested later.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import date, datetime, timezone

from gongbao.docnumber import parse_doc_number
from gongbao.parse.patterns import title_key
from gongbao.links.validity import status_as_of
from gongbao.models import Status, Validity
from gongbao.parse.header import split_organs
from gongbao.parse.patterns import ORGAN_TAIL
from gongbao.store import ids

__all__ = ["resolve_citations", "document_status", "document_statuses", "graph", "issuer_of_prefix", "ISSUER_PREFIXES"]

# 文号 prefixes whose issuer is known; an order prefix "X令" is issued by X.
ISSUER_PREFIXES: dict[str, str] = {
    "国发": "国务院", "国函": "国务院", "国办发": "国务院办公厅", "国办函": "国务院办公厅",
    "中发": "中共中央", "中办发": "中共中央办公厅", "厅字": "中共中央办公厅 国务院办公厅",
    "渝府发": "重庆市人民政府", "渝府": "重庆市人民政府", "渝府办发": "重庆市人民政府办公厅",
    "渝府办": "重庆市人民政府办公厅", "渝府办函": "重庆市人民政府办公厅", "渝办发": "中共重庆市委办公厅 重庆市人民政府办公厅",
    "渝委发": "中共重庆市委", "渝委办发": "中共重庆市委办公厅",
}
_ENDS = ("repeals", "replaces", "revises")


def issuer_of_prefix(prefix: str) -> str | None:
    """The issuer a 文号 prefix names, where the table or the 令 form tells it."""
    if prefix in ISSUER_PREFIXES:
        return ISSUER_PREFIXES[prefix]
    if prefix.endswith("令") and len(prefix) > 2:
        return prefix[:-1]
    return None


def _cursor(conn: sqlite3.Connection) -> sqlite3.Cursor:
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    return cursor


class _Index:
    """Lookup tables over the documents of the database, present ones first."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.by_number: dict[str, str] = {}
        self.by_title: dict[str, str] = {}
        self.by_key: dict[str, str] = {}
        rows = _cursor(conn).execute(
            "SELECT pk, id, doc_number, title FROM documents ORDER BY present DESC, pk"
        ).fetchall()
        for row in rows:
            if row["doc_number"]:
                self.by_number.setdefault(row["doc_number"], row["id"])
            self._add_title(row["title"], row["id"])
        embedded = _cursor(conn).execute(
            "SELECT e.title, d.id FROM embedded e JOIN documents d ON d.pk = e.doc_pk ORDER BY d.pk, e.position"
        ).fetchall()
        for row in embedded:
            self._add_title(row["title"], row["id"])

    def _add_title(self, title: str | None, doc_id: str) -> None:
        if title:
            self.by_title.setdefault(ids.normalize_title(title), doc_id)
            self.by_key.setdefault(title_key(title), doc_id)

    def find(self, doc_number: str | None, title: str | None) -> str | None:
        if doc_number:
            return self.by_number.get(doc_number)
        if title:
            return self.by_title.get(ids.normalize_title(title)) or self.by_key.get(title_key(title))
        return None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _issuer_of_title(title: str | None) -> str | None:
    """甲县人民政府关于加强集镇管理的通知 → 甲县人民政府: the issuer a cited title names."""
    if not title or "关于" not in title:
        return None
    organs = split_organs(title[: title.index("关于")])
    return organs[0] if organs and all(ORGAN_TAIL.search(o) for o in organs) else None


def _absent(conn: sqlite3.Connection, index: _Index, doc_number: str | None, title: str | None) -> str | None:
    """Create the known-but-absent document a citation names; its id."""
    number = parse_doc_number(doc_number) if doc_number else None
    if number is None and not title:
        return None
    titled = index.find(None, title) if number and title else None
    if titled is not None and not conn.execute(
        "SELECT 1 FROM documents WHERE id = ? AND present = 0 AND doc_number IS NULL", (titled,)
    ).fetchone():
        titled = None  # only a record known by its title alone takes the 文号
    if titled is not None:
        # the same document was named earlier by its 《title》 alone: it gets its 文号, not a twin
        conn.execute(
            "UPDATE documents SET doc_number = ?, dn_prefix = ?, dn_year = ?, dn_serial = ?, year = ?"
            " WHERE id = ? AND present = 0 AND doc_number IS NULL",
            (str(number), number.prefix, number.year, number.serial, number.year, titled),
        )
        index.by_number.setdefault(str(number), titled)
        return titled
    doc_id = ids.number_id(number) if number else ids.title_id(title)
    issuer = (issuer_of_prefix(number.prefix) if number else None) or _issuer_of_title(title)
    cursor = conn.execute(
        "INSERT OR IGNORE INTO documents(id, key, doc_number, dn_prefix, dn_year, dn_serial, title, issuers, year,"
        " present, created_at) VALUES (?,?,?,?,?,?,?,?,?,0,?)",
        (doc_id, str(number) if number else title, str(number) if number else None,
         number.prefix if number else None, number.year if number else None, number.serial if number else None,
         title or str(number), json.dumps([issuer] if issuer else [], ensure_ascii=False), number.year if number else None, _now()),
    )
    if issuer and cursor.rowcount == 1:
        conn.execute("INSERT OR IGNORE INTO document_issuers(doc_pk, issuer, position) VALUES (?, ?, 0)",
                     (cursor.lastrowid, issuer))
    if number:
        index.by_number.setdefault(str(number), doc_id)
    if title:
        index._add_title(title, doc_id)
    return doc_id


def resolve_citations(conn: sqlite3.Connection) -> dict[str, int]:
    """Resolve every citation and relation of the database; counts of what was done.

    Run inside the caller's transaction (ingest does); creates absent documents as needed.
    """
    index = _Index(conn)
    stats = {"citations": 0, "resolved": 0, "absent_created": 0, "relations": 0}
    absent = "SELECT count(*) FROM documents WHERE present = 0"
    before = _cursor(conn).execute(absent).fetchone()[0]
    # relations first: a repeal list item carries both 文号 and title, so the record it creates
    # is found again by either when the bare 《title》 or 文号 citations are resolved
    for table, number_col, title_col, kind_col in (("relations", "target_doc_number", "target_title", "type"),
                                                   ("citations", "doc_number", "title", "kind")):
        rows = _cursor(conn).execute(
            f"SELECT x.id, x.{number_col} AS number, x.{title_col} AS title, x.{kind_col} AS kind, d.id AS source"
            f" FROM {table} x JOIN documents d ON d.pk = x.doc_pk"
        ).fetchall()
        updates = []
        for row in rows:
            if row["kind"] == "issues":
                target = None  # an issued text is part of the document that issues it
            else:
                target = index.find(row["number"], row["title"]) or _absent(conn, index, row["number"], row["title"])
            if target == row["source"]:
                target = None  # a document's own embedded text: not a link to another document
            updates.append((target, row["id"]))
            if table == "citations":
                stats["citations"] += 1
                stats["resolved"] += target is not None
            else:
                stats["relations"] += 1
        conn.executemany(f"UPDATE {table} SET target_id = ? WHERE id = ?", updates)
    stats["absent_created"] = _cursor(conn).execute(absent).fetchone()[0] - before
    return stats


def _today() -> str:
    return date.today().isoformat()


def document_status(conn: sqlite3.Connection, doc_id: str, as_of: str | None = None) -> Status | None:
    """Status of the stored document ``doc_id`` (id, or 文号 in any written form) as of ``as_of``.

    None when there is no such document.
    """
    cursor = _cursor(conn)
    row = cursor.execute("SELECT id FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None:
        number = parse_doc_number(doc_id)
        if number is not None:
            row = cursor.execute(
                "SELECT id FROM documents WHERE doc_number = ? ORDER BY present DESC, pk LIMIT 1", (str(number),)
            ).fetchone()
    if row is None:
        return None
    return document_statuses(conn, [row["id"]], as_of)[row["id"]]


_STATUS_CHUNK = 500  # ids per statement (well under SQLite's bound-parameter limit)


def document_statuses(conn: sqlite3.Connection, doc_ids: Iterable[str], as_of: str | None = None) -> dict[str, Status]:
    """Statuses of many stored documents (by id) as of ``as_of``, three queries per 500 ids
    instead of three per document; ids not stored are left out.  Same result as
    ``document_status`` for each."""
    as_of = as_of or _today()
    cursor = _cursor(conn)
    wanted = list(dict.fromkeys(doc_ids))
    out: dict[str, Status] = {}
    for start in range(0, len(wanted), _STATUS_CHUNK):
        chunk = wanted[start : start + _STATUS_CHUNK]
        marks = ",".join("?" * len(chunk))
        # a document without 成文日期 counts from the publication of its gazette issue
        rows = cursor.execute(
            "SELECT d.id, coalesce(d.date, i.published) AS date, d.date AS own_date, d.present,"
            " v.effective, v.expires, v.trial, v.evidence, v.doc_pk AS has_validity FROM documents d"
            " LEFT JOIN issues i ON i.id = d.issue_id LEFT JOIN validity v ON v.doc_pk = d.pk"
            f" WHERE d.id IN ({marks})",
            chunk,
        ).fetchall()
        incoming: dict[str, list] = {}
        for r in cursor.execute(
            "SELECT r.target_id, r.type, d.id AS source, r.effective, r.evidence FROM relations r"
            " JOIN documents d ON d.pk = r.doc_pk"
            f" WHERE r.target_id IN ({marks}) AND d.id != r.target_id AND r.type IN ({','.join('?' * len(_ENDS))})"
            " ORDER BY r.id",
            (*chunk, *_ENDS),
        ).fetchall():
            incoming.setdefault(r["target_id"], []).append((r["type"], r["source"], r["effective"], r["evidence"]))
        for row in rows:
            validity = Validity()
            if row["has_validity"] is not None:
                validity = Validity(row["effective"], row["expires"], bool(row["trial"]), json.loads(row["evidence"] or "[]"))
            status = status_as_of(validity, incoming.get(row["id"], []), as_of,
                                  present=bool(row["present"]), issued=row["date"])
            if row["own_date"] is None and row["date"] and status.code in ("in_force", "not_yet_in_force"):
                status.evidence.insert(0, f"no 成文日期: dated by its gazette issue, published {row['date']}")
            out[row["id"]] = status
    return out


def graph(conn: sqlite3.Connection, as_of: str | None = None) -> dict[str, list[dict]]:
    """The whole link graph: nodes (every document, present or absent, with its status) and
    edges (every resolved relation between two different documents)."""
    cursor = _cursor(conn)
    rows = cursor.execute("SELECT id, doc_number, title, present FROM documents ORDER BY pk").fetchall()
    statuses = document_statuses(conn, [r["id"] for r in rows], as_of)
    nodes = [
        {"id": r["id"], "doc_number": r["doc_number"], "title": r["title"], "present": bool(r["present"]),
         "status": statuses[r["id"]].code}
        for r in rows
    ]
    edges = [
        {"source": r["source"], "target": r["target_id"], "type": r["type"], "evidence": r["evidence"],
         "effective": r["effective"]}
        for r in cursor.execute(
            "SELECT d.id AS source, r.target_id, r.type, r.evidence, r.effective FROM relations r"
            " JOIN documents d ON d.pk = r.doc_pk WHERE r.target_id IS NOT NULL AND r.target_id != d.id"
            " ORDER BY d.pk, r.position"
        ).fetchall()
    ]
    return {"nodes": nodes, "edges": edges}
