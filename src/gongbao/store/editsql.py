"""The statements of editors' work: corrections (kept apart from parser output and applied
again after every ingest of their issue), review decisions and task progress reports.
A mixin of ``Store``; what a correction's state becomes is decided by ``gongbao.corrections``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

from gongbao.corrections import FieldRef, field_ref, judge, slot
from gongbao.docnumber import parse_doc_number
from gongbao.errors import NotFoundError
from gongbao.models import Notice
from gongbao.store.read import tasks_of
from gongbao.store.records import CorrectionRecord, EditedDoc, ProgressRecord, ReviewDecision, StoredTask

_DOC_COLUMNS = ("title", "type", "addressee", "date", "doc_number")
_LIVE = "state != 'superseded'"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _j(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _hash(text: str | None) -> str:
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()


def _marks(values: list) -> str:
    return ",".join("?" * len(values))


class EditQueries:
    """Corrections, review decisions and task progress."""

    # --- corrections ----------------------------------------------------------------------

    def add_correction(self, doc_ref: str, ref: FieldRef, value: Any, reason: str, editor: str) -> CorrectionRecord:
        """Store a correction of a present document and apply it at once; an older correction
        of the same field (relation: same type and target) is superseded.  NotFoundError for a
        document or task that does not exist (nothing is written then)."""
        with self.transaction():
            doc = self._present_doc(doc_ref)
            parser_value = self._parser_value(doc.pk, doc.id, ref)
            key = slot(ref.name, value)
            now = _now()
            self.conn.execute(
                f"UPDATE corrections SET state = 'superseded', state_at = ? WHERE doc_id = ? AND slot = ? AND {_LIVE}",
                (now, doc.id, key))
            cid = self._insert("corrections", {
                "doc_id": doc.id, "issue_key": doc.issue_key, "field": ref.name, "slot": key, "value": _j(value),
                "parser_value": _j(parser_value), "source_hash": _hash(doc.text), "reason": reason,
                "editor": editor, "created_at": now,
                "state": judge(ref.name, value, parser_value, False), "state_at": now,
            })
            self._write_field(doc.pk, ref, value, reason)
        return self.corrections(ids=[cid])[0]

    def _present_doc(self, doc_ref: str) -> EditedDoc:
        pk = self.find_document_pk(doc_ref)
        found = [] if pk is None else self._edited_docs("d.pk = ?", [pk])
        if not found:
            raise NotFoundError(f"数据库中没有文件“{doc_ref}”（可用文件 id、文号或标题）")
        return found[0]

    def _edited_docs(self, where: str, params: list) -> list[EditedDoc]:
        """Present documents as a correction reads them (``where`` over ``documents d``)."""
        return [EditedDoc(**row) for row in self._rows(
            "SELECT d.pk, d.id, d.text, i.key AS issue_key FROM documents d LEFT JOIN issues i ON i.id = d.issue_id"
            f" WHERE d.present = 1 AND {where}", params)]

    def _parser_value(self, pk: int, doc_id: str, ref: FieldRef) -> Any:
        """The parser's value of the field: the stored one, or — when a live correction of the
        field has overwritten it — the parser value that correction recorded."""
        earlier = self._rows(
            f"SELECT parser_value FROM corrections WHERE doc_id = ? AND field = ? AND {_LIVE} ORDER BY id DESC LIMIT 1",
            [doc_id, ref.name])
        if earlier and ref.base != "relation":
            return json.loads(earlier[0]["parser_value"])
        return self._field_value(pk, ref)

    def _task_id(self, pk: int, ref: FieldRef) -> int:
        task_id = self._value("SELECT id FROM tasks WHERE doc_pk = ? AND position = ?", [pk, ref.task - 1])
        if task_id is None:
            raise NotFoundError(f"该文件没有第 {ref.task} 项任务")
        return task_id

    def _field_value(self, pk: int, ref: FieldRef) -> Any:
        """The field's value as stored now (before any correction of it is applied)."""
        if ref.task is not None:
            row = self._rows(f"SELECT lead_units, responsible_units, partner_units, deadline_raw, deadline_kind,"
                             f" deadline_iso, deadline_end_iso FROM tasks WHERE id = ?", [self._task_id(pk, ref)])[0]
            if ref.base == "deadline":
                return None if row["deadline_raw"] is None else {
                    "raw": row["deadline_raw"], "kind": row["deadline_kind"], "iso": row["deadline_iso"],
                    "end_iso": row["deadline_end_iso"]}
            return row[ref.base]
        if ref.base in _DOC_COLUMNS or ref.base == "issuers":
            return self._rows(f"SELECT {ref.base} FROM documents WHERE pk = ?", [pk])[0][ref.base]
        if ref.base == "attachments":
            return [{"title": r["title"], "omitted": bool(r["omitted"])} for r in self._rows(
                "SELECT title, omitted FROM attachments WHERE doc_pk = ? ORDER BY position", [pk])]
        if ref.base == "relation":
            return [{"type": r["type"], "doc_number": r["target_doc_number"], "title": r["target_title"]}
                    for r in self._rows("SELECT type, target_doc_number, target_title FROM relations"
                                        " WHERE doc_pk = ? AND target_kind != 'editor' ORDER BY position", [pk])]
        return None  # status: derived when read, overlaid by the correction

    def _write_field(self, pk: int, ref: FieldRef, value: Any, reason: str) -> None:
        """Put a corrected value where the parser's was (status is overlaid when read)."""
        if ref.task is not None:
            self._write_task_field(self._task_id(pk, ref), ref.base, value)
        elif ref.base == "doc_number":
            number = parse_doc_number(value)
            self.conn.execute("UPDATE documents SET doc_number = ?, dn_prefix = ?, dn_year = ?, dn_serial = ?, key = ?"
                              " WHERE pk = ?", (value, number.prefix, number.year, number.serial, value, pk))
        elif ref.base == "date":
            self.conn.execute("UPDATE documents SET date = ?, year = ? WHERE pk = ?", (value, int(value[:4]), pk))
        elif ref.base in _DOC_COLUMNS:
            self.conn.execute(f"UPDATE documents SET {ref.base} = ? WHERE pk = ?", (value, pk))
        elif ref.base == "issuers":
            self.conn.execute("UPDATE documents SET issuers = ? WHERE pk = ?", (_j(value), pk))
            self.conn.execute("DELETE FROM document_issuers WHERE doc_pk = ?", (pk,))
            self.conn.executemany("INSERT INTO document_issuers(doc_pk, issuer, position) VALUES (?, ?, ?)"
                                  " ON CONFLICT DO NOTHING", [(pk, name, i) for i, name in enumerate(value)])
        elif ref.base == "attachments":
            self.conn.execute("DELETE FROM attachments WHERE doc_pk = ?", (pk,))
            self.conn.executemany("INSERT INTO attachments(doc_pk, position, title, omitted) VALUES (?, ?, ?, ?)",
                                  [(pk, i, a["title"], int(a["omitted"])) for i, a in enumerate(value)])
        elif ref.base == "relation":
            self._write_relation(pk, value, reason)
        if ref.task is None and ref.base in ("title", "doc_number", "issuers"):
            self._index_document(pk)  # the index finds the document by its corrected name

    def _write_relation(self, pk: int, value: dict, reason: str) -> None:
        target = value["doc_number"] or value["title"]
        self.conn.execute(
            "DELETE FROM relations WHERE doc_pk = ? AND type = ? AND (target_doc_number = ? OR target_title = ?)",
            (pk, value["type"], target, target))
        if value["op"] == "add":
            position = self._value("SELECT coalesce(max(position), -1) + 1 FROM relations WHERE doc_pk = ?", [pk])
            text = value["doc_number"] or f"《{value['title']}》"
            self.conn.execute(
                "INSERT INTO relations(doc_pk, position, type, target_text, target_doc_number, target_title,"
                " target_kind, evidence) VALUES (?, ?, ?, ?, ?, ?, 'editor', ?)",
                (pk, position, value["type"], text, value["doc_number"], value["title"],
                 json.dumps(Notice.of("editor_relation", reason=reason).to_dict(), ensure_ascii=False)))

    def _write_task_field(self, task_id: int, base: str, value: Any) -> None:
        if base == "deadline":
            self.conn.execute("UPDATE tasks SET deadline_raw = ?, deadline_kind = ?, deadline_iso = ?,"
                              " deadline_end_iso = ? WHERE id = ?",
                              (value["raw"], value["kind"], value["iso"], value["end_iso"], task_id))
            return
        role = base.removesuffix("_units")
        self.conn.execute(f"UPDATE tasks SET {base} = ? WHERE id = ?", (_j(value), task_id))
        self.conn.execute("DELETE FROM task_units WHERE task_id = ? AND role = ?", (task_id, role))
        self.conn.executemany("INSERT INTO task_units(task_id, unit, role) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                              [(task_id, unit, role) for unit in value])

    def reapply_corrections(self, issue_key: str, doc_ids: Iterable[str]) -> dict[str, int]:
        """After an ingest wrote the issue ``issue_key`` again (inside its transaction): apply
        every live correction of its documents over the parser's new values, and record for
        each whether it is now redundant or needs review.  Counts by state."""
        wanted = list(doc_ids)
        counts: dict[str, int] = {}
        live = self._rows(f"SELECT id, doc_id, field, value, source_hash, reason FROM corrections"
                          f" WHERE issue_key = ? AND {_LIVE} ORDER BY id", [issue_key])
        if not live:  # most issues: their documents' texts are not read back
            return counts
        docs = {d.id: d for d in self._edited_docs(f"d.id IN ({_marks(wanted)})", wanted)} if wanted else {}
        now = _now()
        for row in live:
            doc = docs.get(row["doc_id"])
            ref = field_ref(row["field"])
            try:
                if doc is None:
                    raise NotFoundError("重新收录后找不到该文件")
                parser_value = self._field_value(doc.pk, ref)
            except NotFoundError as exc:
                self.conn.execute("UPDATE corrections SET state = 'review', state_at = ?, state_note = ? WHERE id = ?",
                                  (now, str(exc), row["id"]))
                counts["review"] = counts.get("review", 0) + 1
                continue
            value = json.loads(row["value"])
            changed = _hash(doc.text) != row["source_hash"]
            state = judge(ref.name, value, parser_value, changed)
            note = "原文在更正后有改动，请复核" if state == "review" else None
            self.conn.execute("UPDATE corrections SET parser_value = ?, state = ?, state_at = ?, state_note = ?"
                              " WHERE id = ?", (_j(parser_value), state, now, note, row["id"]))
            self._write_field(doc.pk, ref, value, row["reason"])
            counts[state] = counts.get(state, 0) + 1
        return counts

    def corrections(self, doc_ref: str | None = None, states: Iterable[str] | None = None,
                    ids: Iterable[int] | None = None, issue_key: str | None = None) -> list[CorrectionRecord]:
        """Corrections, oldest first: of one document (by id, 文号 or title), in some states,
        by id, or of one issue."""
        clauses, params = ["1 = 1"], []
        if doc_ref is not None:
            pk = self.find_document_pk(doc_ref)
            if pk is None:
                raise NotFoundError(f"数据库中没有文件“{doc_ref}”")
            clauses.append("c.doc_id = (SELECT id FROM documents WHERE pk = ?)")
            params.append(pk)
        for column, values in (("c.state", states), ("c.id", ids)):
            if values is not None:
                values = list(values)
                clauses.append(f"{column} IN ({_marks(values)})" if values else "1 = 0")
                params += values
        if issue_key is not None:
            clauses.append("c.issue_key = ?")
            params.append(issue_key)
        rows = self._rows(
            "SELECT c.id, c.doc_id, d.doc_number, d.title AS doc_title, c.field, c.value, c.parser_value, c.reason,"
            " c.editor, c.created_at, c.state, c.state_at, c.state_note FROM corrections c"
            f" LEFT JOIN documents d ON d.id = c.doc_id WHERE {' AND '.join(clauses)} ORDER BY c.id", params)
        for r in rows:
            r["value"] = json.loads(r["value"])
            r["parser_value"] = json.loads(r["parser_value"]) if r["parser_value"] is not None else None
        return [CorrectionRecord(**r) for r in rows]

    def set_correction_state(self, correction_id: int, state: str, note: str) -> None:
        """An editor's decision on a correction flagged for review: back in force, or withdrawn."""
        with self.transaction():
            self.conn.execute("UPDATE corrections SET state = ?, state_at = ?, state_note = ? WHERE id = ?",
                              (state, _now(), note, correction_id))

    def status_corrections(self, doc_ids: Iterable[str]) -> dict[str, CorrectionRecord]:
        """The live status correction of each of ``doc_ids`` that has one."""
        wanted = set(doc_ids)
        ids = self._column(f"SELECT id FROM corrections WHERE field = 'status' AND {_LIVE}")  # few: editors make them
        return {c.doc_id: c for c in self.corrections(ids=ids) if c.doc_id in wanted} if ids and wanted else {}

    # --- review decisions -------------------------------------------------------------------

    def review_decisions(self, issue_key: str) -> dict[str, ReviewDecision]:
        """The latest decision on each review item of an issue."""
        out = {}
        for r in self._rows("SELECT item_key, decision, reason, editor, decided_at FROM review_decisions"
                            " WHERE issue_key = ? ORDER BY id", [issue_key]):
            out[r["item_key"]] = ReviewDecision(**r)
        return out

    def add_review_decision(self, issue_key: str, item_key: str, decision: str, reason: str | None,
                            editor: str) -> ReviewDecision:
        with self.transaction():
            self._insert("review_decisions", {"issue_key": issue_key, "item_key": item_key, "decision": decision,
                                              "reason": reason, "editor": editor, "decided_at": _now()})
        return self.review_decisions(issue_key)[item_key]

    def open_review_counts(self) -> dict[str, int]:
        """Review decisions recorded per issue key (the open count is derived with the items)."""
        return {r["issue_key"]: r["n"] for r in self._rows(
            "SELECT issue_key, count(DISTINCT item_key) AS n FROM review_decisions GROUP BY issue_key")}

    # --- task progress ----------------------------------------------------------------------

    def task_ref(self, doc_ref: str, number: int) -> StoredTask:
        """Task ``number`` (1-based) of a present document."""
        doc = self._present_doc(doc_ref)
        found = tasks_of(self.conn, "t.doc_pk = ? AND t.position = ?", (doc.pk, number - 1))
        if not found:
            raise NotFoundError(f"该文件没有第 {number} 项任务")
        return found[0]

    def add_progress(self, doc_id: str, position: int, task_text: str, unit: str, state: str, note: str,
                     recorded_by: str, done_on: str | None = None, new_deadline: str | None = None) -> ProgressRecord:
        with self.transaction():
            pid = self._insert("task_progress", {
                "doc_id": doc_id, "task_position": position, "task_text": task_text, "unit": unit, "state": state,
                "done_on": done_on, "new_deadline": new_deadline, "note": note, "recorded_by": recorded_by,
                "recorded_at": _now()})
        return self.progress(ids=[pid])[0]

    def progress(self, doc_id: str | None = None, ids: Iterable[int] | None = None) -> list[ProgressRecord]:
        """Progress reports, oldest first (of one document, or by id; all when neither)."""
        clauses, params = ["1 = 1"], []
        if doc_id is not None:
            clauses.append("doc_id = ?")
            params.append(doc_id)
        if ids is not None:
            ids = list(ids)
            clauses.append(f"id IN ({_marks(ids)})" if ids else "1 = 0")
            params += ids
        return [ProgressRecord(**r) for r in self._rows(
            "SELECT id, doc_id, task_position, task_text, unit, state, done_on, new_deadline, note, recorded_by,"
            f" recorded_at FROM task_progress WHERE {' AND '.join(clauses)} ORDER BY id", params)]
