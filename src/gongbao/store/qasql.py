"""The statements of the Q&A base: curated entries and editor-made interpretation links, and
the document look-ups interpretation finding needs.  A mixin of ``Store``."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from gongbao.models import CuratedEntry
from gongbao.store.read import NODE_TEXT_COLS, node_texts
from gongbao.store.records import DocProfile, DocRef

_DOC_COLS = "d.pk, d.id, d.doc_number, d.title, d.present, d.date"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class QAQueries:
    """Curated answers (search.curated) and interpretations (search.interpret)."""

    # --- curated entries -----------------------------------------------------------------

    def add_qa_entry(self, entry: CuratedEntry) -> None:
        """Insert the entry, or replace the one with the same key (keeping when it was made)."""
        now = _now()
        old = self._rows("SELECT id, created_at FROM qa_entries WHERE key = ?", [entry.key])
        if old:
            self.conn.execute("DELETE FROM qa_entries WHERE id = ?", (old[0]["id"],))
        created = old[0]["created_at"] if old else now
        entry_id = self._insert("qa_entries", {"key": entry.key, "answer": entry.answer, "note": entry.note,
                                               "created_at": created, "updated_at": now})
        self.conn.executemany("INSERT INTO qa_phrasings(entry_id, position, question) VALUES (?, ?, ?)",
                              [(entry_id, i, q) for i, q in enumerate(entry.questions)])
        self.conn.executemany(
            "INSERT INTO qa_sources(entry_id, position, doc_ref, anchor, clause_text) VALUES (?, ?, ?, ?, ?)",
            [(entry_id, i, s["doc"], s.get("anchor"), s.get("clause_text")) for i, s in enumerate(entry.sources)])

    def delete_qa_entry(self, key: str) -> bool:
        """Delete the entry with ``key``; whether there was one."""
        return self.conn.execute("DELETE FROM qa_entries WHERE key = ?", (key,)).rowcount > 0

    def qa_entries(self) -> list[CuratedEntry]:
        """Every curated entry, by key."""
        phrasings: dict[int, list[str]] = {}
        for row in self._rows("SELECT entry_id, question FROM qa_phrasings ORDER BY entry_id, position"):
            phrasings.setdefault(row["entry_id"], []).append(row["question"])
        sources: dict[int, list[dict]] = {}
        for row in self._rows("SELECT entry_id, doc_ref, anchor, clause_text FROM qa_sources ORDER BY entry_id, position"):
            source = {"doc": row["doc_ref"], "anchor": row["anchor"]}
            if row["clause_text"] is not None:
                source["clause_text"] = row["clause_text"]
            sources.setdefault(row["entry_id"], []).append(source)
        return [CuratedEntry(row["key"], phrasings.get(row["id"], []), row["answer"], sources.get(row["id"], []),
                             row["note"])
                for row in self._rows("SELECT id, key, answer, note FROM qa_entries ORDER BY key")]

    # --- thesaurus mining (search.mine) ----------------------------------------------------

    def organ_names(self) -> list[str]:
        """Every distinct issuer name of the present documents."""
        names: set[str] = set()
        for value in self._column("SELECT DISTINCT issuers FROM documents WHERE present = 1"):
            names.update(json.loads(value or "[]"))
        return sorted(names)

    def present_texts(self) -> list[str]:
        """The body text of every present document."""
        return self._column("SELECT text FROM documents WHERE present = 1")

    def definition_texts(self) -> list[str]:
        """The clauses that define a term (本条例所称…是指…)."""
        texts = node_texts(self.conn, self._tuples(
            f"SELECT n.doc_pk, {NODE_TEXT_COLS} FROM outline_nodes n JOIN documents d ON d.pk = n.doc_pk"
            " WHERE instr(d.text, '所称') > 0 AND instr(d.text, '是指') > 0 ORDER BY n.id", []))
        return [text for text in texts if "所称" in text and "是指" in text]

    # --- document-level retrieval (search.laws) -----------------------------------------------

    def doc_profiles(self) -> list[DocProfile]:
        """``DocProfile`` of every present document with an outline, by pk."""
        headings: dict[int, list[str]] = {}
        for pk, heading in self._tuples("SELECT doc_pk, heading FROM outline_nodes WHERE level IN ('part', 'chapter',"
                                        " 'section') AND heading != '' ORDER BY doc_pk, position"):
            headings.setdefault(pk, []).append(heading)
        rows = self._tuples(f"SELECT n.doc_pk, {NODE_TEXT_COLS} FROM outline_nodes n JOIN (SELECT doc_pk, min(position)"
                            " AS first FROM outline_nodes WHERE level = 'article' GROUP BY doc_pk) f"
                            " ON f.doc_pk = n.doc_pk AND f.first = n.position ORDER BY n.doc_pk")
        first = dict(zip((row[0] for row in rows), node_texts(self.conn, rows)))
        return [DocProfile(pk, title, json.loads(issuers or "[]"), opening, headings.get(pk, []), first.get(pk, ""))
                for pk, title, issuers, opening in self._tuples(
                    "SELECT d.pk, d.title, d.issuers, substr(d.text, 1, 16) FROM documents d WHERE d.present = 1"
                    " AND EXISTS (SELECT 1 FROM outline_nodes n WHERE n.doc_pk = d.pk) ORDER BY d.pk")]

    # --- interpretations -----------------------------------------------------------------

    def doc_ref(self, pk: int) -> DocRef | None:
        rows = self._rows(f"SELECT {_DOC_COLS} FROM documents d WHERE d.pk = ?", [pk])
        return DocRef(**rows[0]) if rows else None

    def present_doc_refs(self, title_like: str | None = None) -> list[DocRef]:
        """Present documents (whose title holds ``title_like``, when given), by pk."""
        if title_like is None:
            rows = self._rows(f"SELECT {_DOC_COLS} FROM documents d WHERE d.present = 1 ORDER BY d.pk")
        else:
            rows = self._rows(f"SELECT {_DOC_COLS} FROM documents d WHERE d.present = 1 AND instr(d.title, ?) > 0"
                              " ORDER BY d.pk", [title_like])
        return [DocRef(**r) for r in rows]

    def embedded_titles(self, doc_pk: int) -> list[str]:
        """Titles of the texts a document embeds (印发的办法 …)."""
        return self._column("SELECT title FROM embedded WHERE doc_pk = ? ORDER BY position", [doc_pk])

    def embedded_titles_by_doc(self) -> dict[int, list[str]]:
        """``embedded_titles`` of every document at once, by pk."""
        out: dict[int, list[str]] = {}
        for row in self._rows("SELECT doc_pk, title FROM embedded WHERE title IS NOT NULL ORDER BY doc_pk, position"):
            out.setdefault(row["doc_pk"], []).append(row["title"])
        return out

    def documents_titled(self, title: str) -> list[DocRef]:
        """Every document with exactly this title or holding a text of this title (the 令 that
        promulgates a 办法), present ones first, then those of the title (a title-only stub too: a
        text known only because another cited or repealed it)."""
        return [DocRef(**r) for r in self._rows(
            f"SELECT {_DOC_COLS} FROM documents d WHERE d.title = ? OR d.pk IN (SELECT doc_pk FROM embedded WHERE title = ?)"
            " ORDER BY d.present DESC, d.title = ? DESC, d.pk", [title, title, title])]

    def documents_numbered(self, ending: str) -> list[DocRef]:
        """Every document whose 文号 ends in ``ending`` (令第10号: the orders of every organ that
        numbered one so), present ones first."""
        return [DocRef(**r) for r in self._rows(
            f"SELECT {_DOC_COLS} FROM documents d WHERE d.doc_number LIKE ? ORDER BY d.present DESC, d.pk",
            ["%" + ending])]

    def related(self, doc_pk: int, relation: str, incoming: bool) -> list[DocRef]:
        """Documents ``doc_pk`` has a ``relation`` to (or, ``incoming``, that have one to it)."""
        if incoming:
            sql = (f"SELECT {_DOC_COLS} FROM relations r JOIN documents d ON d.pk = r.doc_pk"
                   " WHERE r.target_id = (SELECT id FROM documents WHERE pk = ?) AND r.type = ? ORDER BY r.id")
        else:
            sql = (f"SELECT {_DOC_COLS} FROM relations r JOIN documents d ON d.id = r.target_id"
                   " WHERE r.doc_pk = ? AND r.type = ? ORDER BY r.id")
        return [DocRef(**r) for r in self._rows(sql, [doc_pk, relation])]

    def interpretation_links(self) -> list[tuple[str, str]]:
        """Editor-made links: (interpretation reference, interpreted document reference)."""
        return [(r["interpretation_ref"], r["target_ref"])
                for r in self._rows("SELECT interpretation_ref, target_ref FROM qa_interpretations")]

    def add_interpretation_link(self, interpretation_id: str, target_id: str) -> None:
        self.conn.execute(
            "INSERT INTO qa_interpretations(interpretation_ref, target_ref, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (interpretation_id, target_id, _now()),
        )
