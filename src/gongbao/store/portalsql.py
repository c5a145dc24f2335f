"""What the portal's pages need of the whole database, kept in derived tables per database
version, so that every worker process shares them and a page reads only its own rows.

- ``portal_docs``: one compact row per document, present or known-but-absent (the listing
  columns, its place in the listing order, its status as of the day with the evidence as
  pages show it, its title key for the library's title filter), indexed for the library
  (status, rank), feeds (created_at) and look-ups by id.
- ``portal_values``: whole-database values as JSON (counts, the issue list, series, filter
  choices, units).

The tables are derived, never edited: ``refresh_portal`` rebuilds them in one write
transaction when ``portal_fresh`` says the database changed since (the write counter
``generation`` that every write transaction bumps), the schema or this layout moved, or
the day turned (statuses and overdue markers move with the date).  Statuses come from the
caller (``links.resolve`` via the portal's views: resolution is pure, the store writes what
it is given).  A mixin of ``Store``; both engines run the same SQL.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import Any

from gongbao.serialize import plain
from gongbao.store.filters import Filters
from gongbao.store.ids import normalize_title
from gongbao.store.read import DOC_FROM, DOC_SUMMARY_COLS, doc_summary, status_view
from gongbao.store.records import DocumentPage, FeedDoc, IssueSummary, ListedDoc, SeriesSummary, StatusView, StoreStats, UnitCount

LAYOUT = 3  # of the tables below; another layout drops and rebuilds them
STAMP_KEY = "portal_stamp"
_LISTING = ("id, doc_number, title, type, issuers, date, year, section, present, position, line_first, line_last,"
            " issue_key, issue_year, issue_number, series")
_DDL = (
    "CREATE TABLE IF NOT EXISTS portal_docs (pk INTEGER PRIMARY KEY, id TEXT NOT NULL, doc_number TEXT,"
    " title TEXT NOT NULL, type TEXT, issuers TEXT NOT NULL, date TEXT, year INTEGER, section TEXT,"
    " present INTEGER NOT NULL, position INTEGER, line_first INTEGER, line_last INTEGER, issue_id INTEGER,"
    " issue_key TEXT, issue_year INTEGER, issue_number INTEGER, series TEXT, created_at TEXT NOT NULL,"
    " rank INTEGER NOT NULL, listed INTEGER NOT NULL, status TEXT NOT NULL, status_view TEXT NOT NULL,"
    " title_key TEXT NOT NULL)",
    # the library: counts by status read from the index alone, each group's page in order
    "CREATE INDEX IF NOT EXISTS portal_docs_listed ON portal_docs(listed, status, rank)",
    "CREATE INDEX IF NOT EXISTS portal_docs_rank ON portal_docs(rank)",
    # the API's listing of present documents: counted and paged from the index
    "CREATE INDEX IF NOT EXISTS portal_docs_present ON portal_docs(present, rank)",
    "CREATE INDEX IF NOT EXISTS portal_docs_new ON portal_docs(created_at, pk)",
    "CREATE INDEX IF NOT EXISTS portal_docs_id ON portal_docs(id)",
    "CREATE TABLE IF NOT EXISTS portal_values (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
)


class PortalQueries:
    """The portal's derived tables: refreshed per database version, read per page."""

    # --- freshness ------------------------------------------------------------------------

    def _generation(self) -> int:
        return int(self._value("SELECT value FROM meta WHERE key = 'generation'") or 0)

    def _portal_stamp(self, day: str, generation: int) -> str:
        return f"{LAYOUT}:{self.schema_version()}:{generation}:{day}"

    def portal_fresh(self, day: str) -> bool:
        """Whether the derived tables hold the database as it is now, as of ``day``."""
        recorded = self._value("SELECT value FROM meta WHERE key = ?", [STAMP_KEY])
        return recorded == self._portal_stamp(day, self._generation())

    def refresh_portal(self, day: str, statuses: Callable[[Any], Mapping[str, StatusView]]) -> bool:
        """Rebuild the derived tables, unless another process just did; ``statuses(store)``
        gives every document's status view by id (read inside this transaction).  Returns
        whether they were rebuilt."""
        with self.transaction():
            # one refresh at a time: a second process (the worker processes of a server start
            # together) waits here for the first one's commit, then finds the stamp current —
            # PostgreSQL would otherwise let both build, or create the same tables side by side
            self.conn.execute("UPDATE meta SET value = value WHERE key = 'generation'")
            generation = self._generation()
            # the transaction's own commit bumps the counter: the stamp names the value after it
            stamp = self._portal_stamp(day, generation + 1)
            rebuild = self._value("SELECT value FROM meta WHERE key = ?", [STAMP_KEY]) != self._portal_stamp(
                day, generation)
            if rebuild:
                self._fill_portal(statuses(self))
            self.conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE"
                          " SET value = excluded.value", [STAMP_KEY, stamp])
        return rebuild

    def _fill_portal(self, statuses: Mapping[str, StatusView]) -> None:
        # made anew each time: a million rows deleted and inserted under their indexes cost
        # minutes on PostgreSQL (and leave as many dead rows); the indexes are built after
        for table in ("portal_docs", "portal_values"):
            self.conn.execute(f"DROP TABLE IF EXISTS {table}")
        self.conn.execute(_DDL[0])
        self._load_statuses(statuses)
        # the rows as the store lists documents (list_documents' order gives the rank), set-based:
        # only the statuses and title keys come from Python
        self.conn.execute(
            f"INSERT INTO portal_docs(pk, issue_id, created_at, rank, listed, status, status_view, title_key,"
            f" {_LISTING}) SELECT d.pk, d.issue_id, d.created_at,"
            " row_number() OVER (ORDER BY d.date IS NULL, d.date DESC, d.pk) - 1,"
            # listed in the library: present documents, and absent ones something is known of
            " CASE WHEN d.present = 1 OR v.status <> 'unknown' THEN 1 ELSE 0 END, v.status, v.status_view,"
            f" f.title_key, {DOC_SUMMARY_COLS} FROM {DOC_FROM} JOIN portal_fill f ON f.pk = d.pk"
            " JOIN portal_fill_views v ON v.view_key = f.view_key")
        for table in ("portal_fill", "portal_fill_views"):
            self.conn.execute(f"DROP TABLE {table}")
        for statement in _DDL[1:]:
            self.conn.execute(statement)
        values = {
            "stats": asdict(self.stats()), "issues": [asdict(i) for i in self.list_issues()], "years": self.years(),
            "types": self.doc_types(), "series": [asdict(s) for s in self.series_summaries()],
            "units": [asdict(u) for u in self.units()],
        }
        self.conn.executemany("INSERT INTO portal_values(name, value) VALUES (?, ?)",
                          [(k, json.dumps(v, ensure_ascii=False)) for k, v in values.items()])

    def _load_statuses(self, statuses: Mapping[str, StatusView]) -> None:
        """Temporary tables of each document's status and title key for ``_fill_portal``:
        each distinct view (by object: ``views.all_statuses`` shares one among documents of
        the same status inputs) encoded once."""
        self.conn.execute("CREATE TEMP TABLE portal_fill_views (view_key INTEGER PRIMARY KEY, status TEXT NOT NULL,"
                          " status_view TEXT NOT NULL)")
        self.conn.execute("CREATE TEMP TABLE portal_fill (pk INTEGER NOT NULL, view_key INTEGER NOT NULL,"
                          " title_key TEXT NOT NULL)")
        keys: dict[int, int] = {}
        views, docs = [], []
        for pk, doc_id, title in self._tuples("SELECT pk, id, title FROM documents"):
            view = statuses[doc_id]
            key = keys.get(id(view))
            if key is None:
                key = keys[id(view)] = len(views)
                views.append((key, view.code, json.dumps(plain(view), ensure_ascii=False)))
            docs.append((pk, key, normalize_title(title)))
        self._load_rows("portal_fill_views", ("view_key", "status", "status_view"), views)
        self._load_rows("portal_fill", ("pk", "view_key", "title_key"), docs)

    def _load_rows(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if self.engine == "postgresql":  # COPY: one stream instead of a statement per row
            self.conn.copy_rows(table, columns, rows)
        else:
            self.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                                  rows)

    # --- reads ----------------------------------------------------------------------------

    def _portal_value(self, name: str) -> Any:
        """A whole-database value kept by the last refresh, as its JSON reads."""
        value = self._value("SELECT value FROM portal_values WHERE name = ?", [name])
        if value is None:
            raise KeyError(name)
        return json.loads(value)

    def portal_stats(self) -> StoreStats:
        """``stats()`` as of the last refresh."""
        return StoreStats(**self._portal_value("stats"))

    def portal_issues(self) -> list[IssueSummary]:
        """``list_issues()`` as of the last refresh."""
        return [IssueSummary(**issue) for issue in self._portal_value("issues")]

    def portal_series(self) -> list[SeriesSummary]:
        """``series_summaries()`` as of the last refresh."""
        return [SeriesSummary(**series) for series in self._portal_value("series")]

    def portal_units(self) -> list[UnitCount]:
        """``units()`` as of the last refresh."""
        return [UnitCount(**unit) for unit in self._portal_value("units")]

    def portal_years(self) -> list[int]:
        """``years()`` as of the last refresh."""
        return self._portal_value("years")

    def portal_types(self) -> list[str]:
        """``doc_types()`` as of the last refresh."""
        return self._portal_value("types")

    def portal_listing(self, filters: Filters, status: str | None = None, title: str | None = None,
                       limit: int = 100, offset: int = 0, listed: bool = True) -> list[ListedDoc]:
        """Listed documents (``listing_counts``), in the listing order, each with its status as
        kept at the refresh; ``title``: part of the title or 文号; ``listed=False``: the
        documents ``list_documents`` lists, in its order."""
        where, params = _where(filters, status, title, listed)
        return _listed_docs(self._rows(f"SELECT {_LISTING}, status_view FROM portal_docs d WHERE {where}"
                                       " ORDER BY d.rank LIMIT ? OFFSET ?", [*params, int(limit), int(offset)]))

    def portal_documents(self, filters: Filters, limit: int = 50, offset: int = 0) -> DocumentPage:
        """``list_documents`` as of the last refresh, each document with its status: the same
        documents in the same order, counted and read from the compact table (the documents
        table's rows hold their text: counting them read the whole file's pages)."""
        where, params = _where(filters, None, None, listed=False)
        total = self._value(f"SELECT count(*) FROM portal_docs d WHERE {where}", params)
        return DocumentPage(int(total), self.portal_listing(filters, limit=limit, offset=offset, listed=False))

    def listing_counts(self, filters: Filters, title: str | None = None) -> dict[str, int]:
        """How many listed documents (present, or absent with a known status) match, by status."""
        where, params = _where(filters, None, title)
        return {r["status"]: r["n"] for r in self._rows(
            f"SELECT d.status, count(*) AS n FROM portal_docs d WHERE {where} GROUP BY d.status", params)}

    def issuer_documents(self, issuer: str, limit: int = 1000) -> list[ListedDoc]:
        """Present documents whose issuers include exactly ``issuer``, in the listing order,
        each with its status as kept at the refresh."""
        return _listed_docs(self._rows(
            f"SELECT {', '.join('d.' + c.strip() for c in _LISTING.split(','))}, d.status_view FROM document_issuers di"
            " JOIN portal_docs d ON d.pk = di.doc_pk WHERE di.issuer = ? AND d.present = 1 ORDER BY d.rank LIMIT ?",
            [issuer, int(limit)]))

    def portal_status(self, doc_id: str) -> StatusView | None:
        """The status of one document kept at the refresh (None: not stored)."""
        value = self._value("SELECT status_view FROM portal_docs WHERE id = ?", [doc_id])
        return None if value is None else status_view(value)

    def newest_documents(self, limit: int, issuer: str | None = None) -> list[FeedDoc]:
        """Present documents most recently ingested (by ``issuer``, when given)."""
        source, params = "portal_docs d", []
        if issuer:
            source = "document_issuers di JOIN portal_docs d ON d.pk = di.doc_pk"
            params.append(issuer)
        return [FeedDoc(**r) for r in self._rows(
            f"SELECT d.id, d.title, d.doc_number, d.issuers, d.date, d.type, d.created_at FROM {source}"
            f" WHERE d.present = 1{' AND di.issuer = ?' if issuer else ''}"
            " ORDER BY d.created_at DESC, d.pk DESC LIMIT ?", [*params, int(limit)])]


def _listed_docs(rows: list[dict]) -> list[ListedDoc]:
    return [doc_summary(row, ListedDoc, status=status_view(row["status_view"])) for row in rows]


def _where(filters: Filters, status: str | None, title: str | None, listed: bool = True) -> tuple[str, list]:
    """The listing's WHERE over ``portal_docs d`` (its columns carry the names Filters uses)."""
    where, params = Filters.of(filters).sql(series="d.series")
    if listed:
        where += " AND d.listed = 1"
    if status:
        where += " AND d.status = ?"
        params.append(status)
    if title:
        where += " AND (instr(d.title_key, ?) > 0 OR instr(coalesce(d.doc_number, ''), ?) > 0)"
        params += [normalize_title(title)] * 2
    return where, params
