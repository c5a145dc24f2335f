"""The statements of the portal, the feeds, the exports and the CLI beyond documents and
issues: series, filter choices, feeds, citation rows.  A mixin of ``Store``."""

from __future__ import annotations

from collections.abc import Iterator

from gongbao.store.records import CitationRow, FeedTask, SeriesSummary


class PageQueries:
    """Reads for listings, feeds and exports."""

    def series_summaries(self) -> list[SeriesSummary]:
        """Every series with its issue count and years, the largest first."""
        return [SeriesSummary(**r) for r in self._rows(
            "SELECT s.name, s.sponsor, count(i.id) AS issues, min(i.year) AS first_year, max(i.year) AS last_year"
            " FROM series s LEFT JOIN issues i ON i.series_id = s.id GROUP BY s.id, s.name, s.sponsor"
            " ORDER BY issues DESC, s.name")]

    def years(self) -> list[int]:
        """Years of present documents, newest first."""
        return self._column(
            "SELECT DISTINCT year FROM documents WHERE present = 1 AND year IS NOT NULL ORDER BY year DESC")

    def doc_types(self) -> list[str]:
        """文种 of present documents, the most used first."""
        return self._column("SELECT type FROM documents WHERE present = 1 AND type IS NOT NULL"
                            " GROUP BY type ORDER BY count(*) DESC, type")

    def issue_embedded(self, issue_id: int) -> list[tuple[str, str]]:
        """(document id, title of a text it embeds) for the documents of an issue."""
        return [(r["id"], r["title"]) for r in self._rows(
            "SELECT d.id, e.title FROM embedded e JOIN documents d ON d.pk = e.doc_pk WHERE d.issue_id = ?"
            " ORDER BY d.position, e.position", [issue_id])]

    def issue_id_of_source(self, sha256: str) -> int | None:
        """The issue stored from the file with this hash."""
        return self._value("SELECT id FROM issues WHERE sha256 = ? ORDER BY id LIMIT 1", [sha256])

    def doc_ids(self) -> list[str]:
        """Every document id, present or known-but-absent, in stored order."""
        return self._column("SELECT id FROM documents ORDER BY pk")

    def newest_unit_tasks(self, unit: str, limit: int) -> list[FeedTask]:
        """Tasks of a unit in present documents, most recently ingested first, with its roles."""
        rows = self._rows(
            "SELECT t.id, t.text, t.anchor, t.deadline_raw, d.id AS doc_id, d.title AS doc_title, d.doc_number,"
            " d.created_at, u.role, d.pk FROM task_units u JOIN tasks t ON t.id = u.task_id"
            " JOIN documents d ON d.pk = t.doc_pk WHERE u.unit = ? AND d.present = 1"
            " ORDER BY d.created_at DESC, t.id DESC, u.role", [unit])
        tasks: dict[int, dict] = {}
        for r in rows:
            role = r.pop("role")
            r.pop("pk")
            entry = tasks.setdefault(r["id"], {**r, "roles": []})
            if role not in entry["roles"]:
                entry["roles"].append(role)
        return [FeedTask(**t) for t in list(tasks.values())[:limit]]

    def citation_rows(self) -> Iterator[CitationRow]:
        """Every citation, in document order, with whether the cited document is present."""
        for r in self._rows(
            "SELECT d.id AS source_id, d.doc_number AS source_doc_number, c.text, c.doc_number, c.title, c.kind,"
            " c.anchor, c.line_first, c.line_last, c.target_id, t.present AS target_present FROM citations c"
            " JOIN documents d ON d.pk = c.doc_pk LEFT JOIN documents t ON t.id = c.target_id"
            " ORDER BY d.pk, c.position"
        ):
            yield CitationRow(**{**r, "target_present": bool(r["target_present"])})
