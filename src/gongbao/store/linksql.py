"""The statements of the links stage: what citation resolution reads and writes, what a
document's status is derived from, and the link graph.  A mixin of ``Store``; the
resolution itself (links.resolve) is pure and returns a ``Resolution`` for the store to write.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timezone

from gongbao.labels import describe
from gongbao.models import FORCE_CHANGES, Notice
from gongbao.store.records import CitingDoc, DocRef, Edge, Incoming, LinkInputs, LinkRow, Resolution, StatusRow

_CHUNK = 500  # ids per statement (well under SQLite's bound-parameter limit)
ENDS = tuple(FORCE_CHANGES)  # relations that end or change the target's force (models: one table)


def _marks(values: list) -> str:
    return ",".join("?" * len(values))


class LinkQueries:
    """Reads and writes of citation resolution (links.resolve) and the link pages."""

    def link_inputs(self) -> LinkInputs:
        """Everything resolution reads, documents present first."""
        documents = [DocRef(**r) for r in self._rows(
            "SELECT pk, id, doc_number, title, present, date FROM documents ORDER BY present DESC, pk")]
        embedded = [(r["title"], r["id"]) for r in self._rows(
            "SELECT e.title, d.id FROM embedded e JOIN documents d ON d.pk = e.doc_pk ORDER BY d.pk, e.position")]
        links = {}
        for table, number, title, kind in (("relations", "target_doc_number", "target_title", "type"),
                                           ("citations", "doc_number", "title", "kind")):
            links[table] = [LinkRow(**r) for r in self._rows(
                f"SELECT x.id, x.{number} AS number, x.{title} AS title, x.{kind} AS kind, d.id AS source, d.date AS source_date"
                f" FROM {table} x JOIN documents d ON d.pk = x.doc_pk ORDER BY x.id")]
        title_only = set(self._column("SELECT id FROM documents WHERE present = 0 AND doc_number IS NULL"))
        return LinkInputs(documents, embedded, links["relations"], links["citations"], title_only)

    def write_resolution(self, resolution: Resolution) -> int:
        """Write what resolution decided (inside the caller's transaction); how many absent
        documents were made."""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        for doc_id, n in resolution.numbered:
            self.conn.execute(
                "UPDATE documents SET doc_number = ?, dn_prefix = ?, dn_year = ?, dn_serial = ?, year = ?"
                " WHERE id = ? AND present = 0 AND doc_number IS NULL",
                (n.doc_number, n.dn_prefix, n.dn_year, n.dn_serial, n.dn_year, doc_id),
            )
        created = 0
        for doc in resolution.absent:
            pk = self._insert("documents", {
                "id": doc.id, "key": doc.key, "doc_number": doc.doc_number, "dn_prefix": doc.dn_prefix,
                "dn_year": doc.dn_year, "dn_serial": doc.dn_serial, "title": doc.title,
                "issuers": json.dumps([doc.issuer] if doc.issuer else [], ensure_ascii=False), "cc": "[]",
                "year": doc.dn_year, "present": 0, "created_at": now,
            }, ignore_conflict=True)
            created += pk is not None
            if doc.issuer and pk is not None:
                self.conn.execute("INSERT INTO document_issuers(doc_pk, issuer, position) VALUES (?, ?, 0)"
                                  " ON CONFLICT DO NOTHING", (pk, doc.issuer))
        self.conn.executemany("UPDATE relations SET target_id = ? WHERE id = ?", resolution.relation_targets)
        self.conn.executemany("UPDATE citations SET target_id = ? WHERE id = ?", resolution.citation_targets)
        return created

    def find_document_id(self, ref: str) -> str | None:
        """A document's id from its id or its 文号 in any written form (present ones first)."""
        pk = self.find_document_pk(ref)
        return None if pk is None else self._value("SELECT id FROM documents WHERE pk = ?", [pk])

    def status_inputs(self, doc_ids: Iterable[str] | None) -> tuple[list[StatusRow], list[Incoming]]:
        """What the statuses of ``doc_ids`` (None: every document, in one pass) are derived
        from: their dates and validity, and the repealing, replacing and revising relations
        pointing at them (in stored order)."""
        if doc_ids is None:
            return self._status_rows("", []), self._incoming("", [])
        wanted = list(dict.fromkeys(doc_ids))
        rows, incoming = [], []
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            rows += self._status_rows(f" WHERE d.id IN ({_marks(chunk)})", chunk)
            incoming += self._incoming(f" AND r.target_id IN ({_marks(chunk)})", chunk)
        return rows, incoming

    def _status_rows(self, where: str, params: list) -> list[StatusRow]:
        rows = []
        # a document without 成文日期 counts from the publication of its gazette issue
        for r in self._rows(
            "SELECT d.id, coalesce(d.date, i.published) AS date, d.date AS own_date, d.present,"
            " v.effective, v.expires, v.trial, v.evidence, v.doc_pk AS has_validity FROM documents d"
            f" LEFT JOIN issues i ON i.id = d.issue_id LEFT JOIN validity v ON v.doc_pk = d.pk{where}", params,
        ):
            validity = None
            if r["has_validity"] is not None:
                validity = (r["effective"], r["expires"], bool(r["trial"]), json.loads(r["evidence"] or "[]"))
            rows.append(StatusRow(r["id"], r["date"], r["own_date"], bool(r["present"]), validity))
        return rows

    def _incoming(self, where: str, params: list) -> list[Incoming]:
        return [Incoming(**{**r, "evidence": _notice(r["evidence"])}) for r in self._rows(
            "SELECT r.target_id, r.type, d.id AS source, r.effective, r.evidence FROM relations r"
            f" JOIN documents d ON d.pk = r.doc_pk WHERE d.id != r.target_id AND r.type IN ({_marks(ENDS)}){where}"
            " ORDER BY r.id", [*ENDS, *params])]

    def all_doc_refs(self) -> list[DocRef]:
        """Every document, present or known-but-absent, by pk."""
        return [DocRef(**r) for r in self._rows(
            "SELECT pk, id, doc_number, title, present, date FROM documents ORDER BY pk")]

    def doc_refs_by_id(self, ids: Iterable[str]) -> dict[str, DocRef]:
        wanted = [i for i in dict.fromkeys(ids) if i]
        out = {}
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            for r in self._rows(f"SELECT pk, id, doc_number, title, present, date FROM documents"
                                f" WHERE id IN ({_marks(chunk)})", chunk):
                out[r["id"]] = DocRef(**r)
        return out

    def edges(self) -> list[Edge]:
        """Every resolved relation between two different documents, in document order."""
        return [Edge(**{**r, "evidence": _notice(r["evidence"])}) for r in self._rows(
            "SELECT d.id AS source, r.target_id AS target, r.type, r.evidence, r.effective FROM relations r"
            " JOIN documents d ON d.pk = r.doc_pk WHERE r.target_id IS NOT NULL AND r.target_id != d.id"
            " ORDER BY d.pk, r.position")]

    def citing(self, doc_id: str) -> list[CitingDoc]:
        """Present documents citing or relating to ``doc_id``: citations, then relations."""
        rows = self._rows(
            "SELECT d.id AS source_id, d.title AS source_title, d.doc_number AS source_doc_number,"
            " 'cites' AS relation, c.anchor, c.text, 0 AS coded FROM citations c JOIN documents d ON d.pk = c.doc_pk"
            " WHERE c.target_id = ? AND d.present = 1"
            " UNION ALL"
            " SELECT d.id, d.title, d.doc_number, r.type, r.anchor, r.evidence, 1 FROM relations r"
            " JOIN documents d ON d.pk = r.doc_pk WHERE r.target_id = ? AND d.present = 1",
            [doc_id, doc_id])
        return [_citing(r) for r in rows]


def _notice(stored: str | None) -> Notice | None:
    """A relation's evidence as stored (JSON of its code and parameters)."""
    return Notice.from_dict(json.loads(stored)) if stored else None


def _citing(row: dict) -> CitingDoc:
    """A citing row; a relation's evidence, stored as code and parameters, as its Chinese sentence."""
    coded = row.pop("coded")
    if coded and row["text"]:
        row["text"] = describe(json.loads(row["text"]))
    return CitingDoc(**row)
