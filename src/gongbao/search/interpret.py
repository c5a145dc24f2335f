"""Policy interpretations (政策解读): which document explains which, both ways.

A document interprets another when its title names it (关于《…》的政策解读, 《…》政策解读,
解读《…》, ……办法政策解读), when the link resolver recorded an ``interprets`` relation, or
when an editor linked them (``gongbao qa interprets``).  The named policy is found by its
title, by the title of a text it issues (印发《…》的通知), or by its 文号.

Public: ``interpretation_target(title)``, ``interpretations_of(conn, doc_id)``,
``link_interpretation(conn, interpretation_ref, target_ref)``, ``find_document(conn, ref)``.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timezone

from gongbao.errors import NotFoundError
from gongbao.parse.patterns import title_key
from gongbao.search.ask import fetch_rows

# Title shapes of an interpretation; group "t" is the title of the policy it interprets.
_POLICY_TYPES = "办法|条例|规定|意见|方案|通知|决定|细则|规划|措施|要点|规则|通告|公告|纲要|计划|指南|标准|制度"
TITLE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^(?:关于)?《(?P<t>[^《》]+)》(?:的)?(?:政策)?(?:文件)?解读(?:材料)?$"),
    re.compile(r"^(?:图解|一图读懂|政策)?[:：]?解读《(?P<t>[^《》]+)》$"),
    re.compile(rf"^(?:关于)?(?P<t>[^《》]+?(?:{_POLICY_TYPES}))(?:（[^）]*）)?的?政策解读$"),
)
_ISSUED = re.compile(r"印发《?(?P<t>[^《》]+?)》?的通知$")


def interpretation_target(title: str) -> str | None:
    """The title of the policy an interpretation's title names, or None if it is not one."""
    clean = re.sub(r"\s+", "", title or "")
    for pattern in TITLE_PATTERNS:
        m = pattern.match(clean)
        if m:
            return m.group("t")
    return None



_DOC_COLS = "d.pk, d.id, d.doc_number, d.title, d.date"


def find_document(conn: sqlite3.Connection, ref: str) -> dict | None:
    """A document by id, 文号 (any written form) or title: {pk, id, doc_number, title, date}."""
    from gongbao.store.read import resolve_doc_pk

    pk = resolve_doc_pk(conn, ref)
    if pk is None:
        key = title_key(ref)
        for row in fetch_rows(conn, f"SELECT {_DOC_COLS} FROM documents d WHERE d.present = 1"):
            if title_key(row["title"]) == key:
                return row
        return None
    rows = fetch_rows(conn, f"SELECT {_DOC_COLS} FROM documents d WHERE d.pk = ?", (pk,))
    return rows[0] if rows else None


def _policy_keys(conn: sqlite3.Connection, doc: dict) -> set[str]:
    """The title keys under which a document may be named: its title, the texts it issues."""
    keys = {title_key(doc["title"])}
    m = _ISSUED.search(re.sub(r"\s+", "", doc["title"]))
    if m:
        keys.add(title_key(m.group("t")))
    for row in fetch_rows(conn, "SELECT title FROM embedded WHERE doc_pk = ?", (doc["pk"],)):
        keys.add(title_key(row["title"]))
    return keys


def _link(doc: dict, direction: str, origin: str) -> dict:
    return {"id": doc["id"], "doc_number": doc["doc_number"], "title": doc["title"], "date": doc["date"],
            "direction": direction, "origin": origin}


def interpretations_of(conn: sqlite3.Connection, doc_id: str) -> list[dict]:
    """Interpretation links of a document, both ways.

    Each item: {id, doc_number, title, date, direction, origin} where direction is
    "interprets" (this document interprets that one) or "interpreted_by", and origin is
    "title", "relation" or "editor".  For the portal's document page and for answers.
    """
    me = find_document(conn, doc_id)
    if me is None:
        return []
    out: dict[tuple[str, str], dict] = {}

    def add(doc: dict | None, direction: str, origin: str) -> None:
        if doc is not None and doc["id"] != me["id"]:
            out.setdefault((doc["id"], direction), _link(doc, direction, origin))

    target = interpretation_target(me["title"])
    if target:
        key = title_key(target)
        for row in fetch_rows(conn, f"SELECT {_DOC_COLS} FROM documents d WHERE d.present = 1 AND d.pk != ?", (me["pk"],)):
            if key in _policy_keys(conn, row):
                add(row, "interprets", "title")
    my_keys = _policy_keys(conn, me)
    for row in fetch_rows(conn, f"SELECT {_DOC_COLS} FROM documents d WHERE d.present = 1 AND d.title LIKE '%解读%'"):
        named = interpretation_target(row["title"])
        if named and title_key(named) in my_keys:
            add(row, "interpreted_by", "title")
    for row in fetch_rows(conn, f"SELECT {_DOC_COLS} FROM relations r JOIN documents d ON d.id = r.target_id"
                           " WHERE r.doc_pk = ? AND r.type = 'interprets'", (me["pk"],)):
        add(row, "interprets", "relation")
    for row in fetch_rows(conn, f"SELECT {_DOC_COLS} FROM relations r JOIN documents d ON d.pk = r.doc_pk"
                           " WHERE r.target_id = ? AND r.type = 'interprets'", (me["id"],)):
        add(row, "interpreted_by", "relation")
    for row in fetch_rows(conn, "SELECT interpretation_ref, target_ref FROM qa_interpretations"):
        interp, target_doc = find_document(conn, row["interpretation_ref"]), find_document(conn, row["target_ref"])
        if interp and interp["id"] == me["id"]:
            add(target_doc, "interprets", "editor")
        elif target_doc and target_doc["id"] == me["id"]:
            add(interp, "interpreted_by", "editor")
    return list(out.values())


def link_interpretation(conn: sqlite3.Connection, interpretation_ref: str, target_ref: str) -> tuple[dict, dict]:
    """Record that one document interprets another (both must be in the database)."""
    interp, target = find_document(conn, interpretation_ref), find_document(conn, target_ref)
    if interp is None:
        raise NotFoundError(f"no document {interpretation_ref!r} in the database")
    if target is None:
        raise NotFoundError(f"no document {target_ref!r} in the database")
    conn.execute(
        "INSERT OR IGNORE INTO qa_interpretations(interpretation_ref, target_ref, created_at) VALUES (?, ?, ?)",
        (interp["id"], target["id"], datetime.now(timezone.utc).isoformat(timespec="seconds")),
    )
    return interp, target
