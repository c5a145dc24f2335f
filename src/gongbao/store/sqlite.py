"""The gongbao database (SQLite): open, ingest an issue, read documents, issues, tasks, units.

``Store`` is the one door to the database for the CLI, the portal and the other stages.
Reads return the records of store/records.py (documents, outlines, tasks) or JSON-ready dicts,
documented in docs/store.md.  A Store
holds one connection: use it from one thread at a time (open one per request or per worker;
WAL lets many readers work beside one writer).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

from gongbao import limits
from gongbao.errors import NotFoundError, QueryBudgetError, StoreError
from gongbao.lasting import kept_file, write_file
from gongbao.lines import split_lines
from gongbao.models import Issue, PageInfo
from gongbao.store import fts, nodeterms, read
from gongbao.store.filters import Filters
from gongbao.store.records import (DocumentPage, IssueRevision, IssueSummary, RevisionInfo, SourceFile, StoreStats,
                                   StoredDocument, StoredIssue, StoredNode, StoredTask, UnitCount)
from gongbao.store.editsql import EditQueries
from gongbao.store.linksql import LinkQueries
from gongbao.store.pagesql import PageQueries
from gongbao.store.portalsql import PortalQueries
from gongbao.store.pgconn import is_url
from gongbao.store.qasql import QAQueries
from gongbao.store.records import DocTokens
from gongbao.store.searchsql import SearchQueries
from gongbao.store.migrate import current_version, latest_version, migrate
from gongbao.store.write import IngestResult, PackedSource, issue_text, pack_issue, write_issue

APPLICATION_ID = 0x47424442  # "GBDB" in the SQLite header marks a gongbao database
BUSY_TIMEOUT_MS = 10_000
PROGRESS_STEPS = 20_000  # SQLite VM steps between two looks at the clock (~1 ms of work)
MERGE_SHARE = 10  # a load adding at least 1/MERGE_SHARE of the indexed documents merges doc_fts after
MERGE_PAGES = 2_000  # of FTS5 segment pages written per merge step (its own transaction)
MERGE_SECONDS = 20.0  # at most spent merging after a load


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@contextmanager
def _sqlite_errors(path: str) -> Iterator[None]:
    """SQLite's errors as one clear StoreError line."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        message = str(exc)
        if "locked" in message or "busy" in message:
            raise StoreError(f"database {path} is locked by another process (another ingest?); try again later") from exc
        if "readonly" in message or "read-only" in message:
            raise StoreError(f"database {path} is read-only: cannot write to it") from exc
        if "unable to open" in message:
            raise StoreError(f"cannot open database {path}: {message}") from exc
        raise StoreError(f"database {path}: {message}") from exc
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} is not a gongbao database ({exc})") from exc


def budget_message(seconds: float) -> str:
    return f"查询超过 {seconds:g} 秒的时间上限，已停止；请缩小检索范围（更具体的词、加筛选条件）后再试"


# the parts of an issue get_issue reads, and their columns
_ISSUE_PARTS = {"articles": "kind, title, text, line_first, line_last",
                "toc_entries": "title, page, section, doc_number, source, line_first, line_last",
                "reconciliation": "kind, detail"}


# What the read-only stores of a process share, by (database file, name): (version, value).
_shared: dict[tuple[str, str], tuple[str, Any]] = {}
_shared_lock = threading.Lock()


def _shared_value(key: tuple[str, str], version: str, compute):
    with _shared_lock:
        held = _shared.get(key)
        if held is None or held[0] != version:
            held = _shared[key] = (version, compute())
        return held[1]


class Store(SearchQueries, QAQueries, LinkQueries, PageQueries, PortalQueries, EditQueries):
    """A gongbao database (SQLite; ``PgStore`` is the PostgreSQL one).  Open with
    ``gongbao.store.open_store(target)``; use as a context manager to close."""

    engine = "sqlite"
    _batched = False  # inside batch(): transactions are savepoints

    def __init__(self, conn, path: str, readonly: bool, scheme: str) -> None:
        self.conn = conn
        self.path = path
        self.readonly = readonly
        self.scheme = scheme  # the tokenisation scheme of the full-text index
        self._cache: dict[tuple, Any] = {}
        self._deadline: float | None = None
        self._node_terms: nodeterms.Counts = []  # issues' counts not yet in node_terms (summed at commit)

    # --- opening ------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike = "gongbao.db", create: bool = True, readonly: bool = False,
             tokenizer: str | None = None) -> Store:
        """Open (and, if ``create``, make or upgrade) the SQLite database at ``path``
        (``gongbao.store.open_store`` opens a PostgreSQL URL or a file).

        ``tokenizer`` picks the full-text scheme for a new database, or re-indexes an
        existing one with it; by default an existing database keeps its own.
        Raises StoreError for a missing file (create=False), a file that is not gongbao's,
        a database that is locked, read-only, or made by a newer gongbao.
        """
        name = os.fspath(path)
        if is_url(name):  # the engine is picked by store.engine.open_store
            raise StoreError(f"{name.split(':', 1)[0]}: a server URL; open it with gongbao.store.open_store")
        memory = name == ":memory:"
        target = Path(name)
        if not memory:
            if target.is_dir():
                raise StoreError(f"{name} is a folder, not a database file")
            if not target.exists() and (readonly or not create):
                raise StoreError(f"no database at {name} (run `gongbao ingest` first)")
            if target.exists() and not readonly and not os.access(target, os.W_OK):
                raise StoreError(f"database {name} is read-only: cannot write to it")
            if readonly and os.access(target, os.W_OK) and cls._outdated(target):
                cls.open(target).close()  # a reader of an older database upgrades it first, if it may
        mode = "ro" if readonly else "rwc"
        uri = "file::memory:" if memory else f"file:{quote(str(target.resolve()))}?mode={mode}"
        with _sqlite_errors(name):
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                                   check_same_thread=False)
        try:
            with _sqlite_errors(name):
                scheme = cls._prepare(conn, name, readonly, tokenizer)
        except BaseException:
            conn.close()
            raise
        return cls(conn, name, readonly, scheme)

    @staticmethod
    def _outdated(target: Path) -> bool:
        """Whether the gongbao database at ``target`` has an older schema or full-text index
        layout than this code."""
        try:
            conn = sqlite3.connect(f"file:{quote(str(target.resolve()))}?mode=ro", uri=True)
            try:
                if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                    return False
                if current_version(conn) < latest_version():
                    return True
                recorded = conn.execute("SELECT value FROM meta WHERE key = ?", (fts.SCHEME_KEY,)).fetchone()
                return recorded is not None and recorded[0] != fts.scheme_tag(fts.get_scheme(recorded[0].split(":")[0]))
            finally:
                conn.close()
        except sqlite3.Error:
            return False  # not a database: _prepare says so

    @staticmethod
    def _prepare(conn: sqlite3.Connection, name: str, readonly: bool, tokenizer: str | None) -> str:
        conn.row_factory = read.row_dict
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        app_id = conn.execute("PRAGMA application_id").fetchone()["application_id"]
        if app_id != APPLICATION_ID:
            has_tables = conn.execute("SELECT count(*) AS n FROM sqlite_master").fetchone()["n"]
            if app_id or has_tables:
                raise StoreError(f"{name} is not a gongbao database")
            if readonly:
                raise StoreError(f"{name} is an empty database, not a gongbao one")
            # Text in UTF-16: a Chinese character takes 2 bytes, not UTF-8's 3 (the texts are most
            # of the file).  Big-endian, so that text sorts by code point as in UTF-8 (but for
            # characters beyond U+FFFF).  Only a new file can be given it; an older one keeps UTF-8.
            conn.execute("PRAGMA encoding = 'UTF-16be'")
            # Pages freed (the index's segments merged after a load) given back to the disk by
            # ``incremental_vacuum`` rather than left in the file; also only for a new file.
            conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        version, latest = current_version(conn), latest_version()
        if version > latest:
            raise StoreError(f"{name} was made by a newer gongbao (schema {version}, this one knows {latest})")
        if readonly:
            if version < latest:
                raise StoreError(f"{name} has an older schema ({version} < {latest}); open it for writing once to upgrade")
            recorded = fts.recorded_scheme(conn)
            scheme = fts.get_scheme(recorded.split(":")[0] if recorded else tokenizer)
        else:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA cache_size = -65536")  # 64 MB: FTS5 segment merges reuse many pages
            conn.execute("PRAGMA synchronous = NORMAL")
            migrate(conn)
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('application', 'gongbao')")
                recorded = fts.recorded_scheme(conn)
                scheme = fts.ensure_index(conn, tokenizer)
                nodeterms.refresh(conn, scheme)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            if recorded not in (None, fts.scheme_tag(scheme)):
                conn.execute("VACUUM")  # the older index's pages (and columns emptied) given back to the disk
        return scheme.name

    def close(self) -> None:
        self.conn.close()

    def broken(self) -> bool:
        """Whether the connection is lost (a database server that went away)."""
        return False

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- time budget (engine-neutral API; each engine stops its own statements) --------

    def set_deadline(self, deadline: float | None) -> None:
        """Stop any statement still running at ``deadline`` (a ``time.monotonic()`` value);
        None lifts the limit.  SQLite: a progress handler looks at the clock every
        PROGRESS_STEPS steps and interrupts the statement (the connection stays usable).
        A PostgreSQL store sets ``statement_timeout`` to the time left before each statement."""
        self._deadline = deadline
        if self.engine != "sqlite":
            return  # another engine reads time_left() before each statement
        if deadline is None:
            self.conn.set_progress_handler(None, 0)
        else:
            self.conn.set_progress_handler(self._past_deadline, PROGRESS_STEPS)

    def time_left(self) -> float | None:
        """Seconds before the deadline (None: no deadline), for engines that take a timeout."""
        return None if self._deadline is None else max(0.0, self._deadline - time.monotonic())

    def _past_deadline(self) -> bool:
        return self._deadline is not None and time.monotonic() >= self._deadline

    def over_budget(self, exc: BaseException) -> bool:
        """Whether ``exc`` is this engine stopping a statement at the deadline."""
        return isinstance(exc, sqlite3.OperationalError) and "interrupted" in str(exc) and self._past_deadline()

    @contextmanager
    def budget(self, seconds: float | None = None) -> Iterator[Store]:
        """Statements inside may take ``seconds`` in all (default ``limits.QUERY_SECONDS``);
        past that the engine stops them and QueryBudgetError is raised."""
        seconds = limits.QUERY_SECONDS.value() if seconds is None else seconds
        previous = self._deadline
        self.set_deadline(time.monotonic() + seconds)
        try:
            yield self
        except sqlite3.OperationalError as exc:
            if self.over_budget(exc):
                raise QueryBudgetError(budget_message(seconds)) from None
            raise
        finally:
            self.set_deadline(previous)

    # --- statements (the query mixins run theirs through these) -----------------------

    def _rows(self, sql: str, params: list | tuple = ()) -> list[dict]:
        return self.conn.execute(sql, params).fetchall()

    def _tuples(self, sql: str, params: list | tuple = ()) -> list[tuple]:
        cursor = self.conn.cursor()
        cursor.row_factory = None  # plain tuples: cheaper where many rows come back
        return cursor.execute(sql, params).fetchall()

    def _column(self, sql: str, params: list | tuple = ()) -> list:
        return [row[0] for row in self._tuples(sql, params)]

    def _value(self, sql: str, params: list | tuple = ()):
        row = self._tuples(sql, params)
        return row[0][0] if row else None

    def _insert(self, table: str, values: Mapping[str, Any], ignore_conflict: bool = False) -> int | None:
        """Insert one row; its key (None when ``ignore_conflict`` and the row existed)."""
        cols = ", ".join(values)
        conflict = " ON CONFLICT DO NOTHING" if ignore_conflict else ""
        key = "pk" if table == "documents" else "id"
        return self._value(f"INSERT INTO {table}({cols}) VALUES ({', '.join('?' * len(values))}){conflict}"
                           f" RETURNING {key}", list(values.values()))

    def _version(self) -> tuple:
        """Changes when the database does (by this connection or another): for caches."""
        return (self._value("PRAGMA data_version"), self.conn.total_changes)

    def kept(self, name: str, compute, lasting: bool = False, shared: bool = False):
        """``compute()``, kept by this store until the database changes (for what readers
        derive from the whole database: an index of titles, sizes); ``lasting``: kept in
        gongbao's cache folder as well, for the next process that opens this version of the
        database (gongbao.lasting: a whole `gongbao ask` would spend most of its time on it);
        ``shared``: one value for every read-only store of this process on this version of the
        file, for thread-safe caches filled as requests come (the portal's threads each hold a
        store: each kept its own texts and outlines, up to 40 copies a worker)."""
        shared = shared and self.readonly
        version = self.file_version() if lasting or shared else None
        if version is None:
            return self._cached(name, compute)
        if lasting:
            compute = partial(kept_file, name.replace(" ", "-"), os.path.realpath(self.path), version,
                              partial(self._past_budget, compute))
        if shared:
            return _shared_value((os.path.realpath(self.path), name), version, compute)
        return self._cached(name, compute)

    def _past_budget(self, compute):
        """``compute()`` with no deadline: a value kept for every later process is built whole
        (stopped at the query's budget it saved nothing, and under load every `gongbao ask` on a
        new database version began it again and was stopped again)."""
        with self.past_budget():
            return compute()

    @contextmanager
    def past_budget(self) -> Iterator[None]:
        """Statements inside run with no deadline: for what is made once per database version,
        whatever query first needs it."""
        previous = self._deadline
        self.set_deadline(None)
        try:
            yield
        finally:
            self.set_deadline(previous)

    def keep_again(self, name: str) -> None:
        """Write what ``kept(name, …, lasting=True)`` returned to its file again, once the
        caller has added to it (a mapping filled as questions come)."""
        version = self.file_version()
        key = (name, self._version())
        if version is not None and key in self._cache:
            write_file(name.replace(" ", "-"), os.path.realpath(self.path), version, self._cache[key])

    def file_version(self) -> str | None:
        """Changes with every write to the database by any process: its write counter and the
        identity, size and modification time of the file and its write-ahead log (None: a
        database in memory or on a server)."""
        if self.engine != "sqlite" or self.path == ":memory:":
            return None
        parts = [str(self._value("SELECT value FROM meta WHERE key = 'generation'"))]
        for name in (self.path, self.path + "-wal"):
            try:
                st = os.stat(name)
            except OSError:
                parts.append("-")
                continue
            parts.append(f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}")
        return " ".join(parts)

    def _cached(self, name: str, compute):
        """``compute()``, kept until the database changes."""
        key = (name, self._version())
        if key not in self._cache:
            self._cache = {k: v for k, v in self._cache.items() if k[1] == key[1]}
            self._cache[key] = compute()
        return self._cache[key]

    @contextmanager
    def snapshot(self) -> Iterator[Store]:
        """Reads that see one state of the database, whatever a writer commits meanwhile (a
        question's several reads while an upload replaces the issue they read: WAL keeps the
        state of the first read for the rest). Inside a transaction already: that one."""
        if self.conn.in_transaction:
            yield self
            return
        with _sqlite_errors(self.path):
            self.conn.execute("BEGIN")
        try:
            yield self
        finally:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """One write transaction (taken at once: a second writer waits, then fails cleanly).

        Anything raised inside — including KeyboardInterrupt — rolls it back.
        """
        if self.readonly:
            raise StoreError(f"database {self.path} was opened read-only")
        if self._batched:
            with self._savepoint():
                yield self
            return
        with _sqlite_errors(self.path):
            self.conn.execute("BEGIN IMMEDIATE")
        try:
            with _sqlite_errors(self.path):
                yield self
                if nodeterms.is_fresh(self.conn):  # else the outline nodes changed uncounted: all are counted again
                    nodeterms.add(self.conn, nodeterms.total(self._node_terms))
                # the write counter (as PostgreSQL's): what is derived from the data knows it is stale
                self.conn.execute("INSERT INTO meta(key, value) VALUES ('generation', '1') ON CONFLICT (key)"
                                  " DO UPDATE SET value = CAST(value AS INTEGER) + 1")
                self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        finally:
            self._node_terms = []

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        """A transaction inside a batch: what is raised inside rolls back this one only."""
        with _sqlite_errors(self.path):
            self.conn.execute("SAVEPOINT one")
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK TO one")
                self.conn.execute("RELEASE one")
                raise
            self.conn.execute("RELEASE one")

    @contextmanager
    def batch(self) -> Iterator[Store]:
        """One transaction for many: each ``transaction()`` inside is a savepoint of it (it
        still rolls back alone), committed together at the end.  Ingest stores its issues so:
        FTS5 writes its pending segments and SQLite its pages once per batch, not per issue."""
        with self.transaction():
            self._batched = True
            try:
                yield self
            finally:
                self._batched = False

    # --- writing ------------------------------------------------------------------------

    def ingest_issue(self, issue: Issue, raw: str | bytes | None = None, tokens: list[DocTokens] | None = None,
                     source: PackedSource | None = None) -> IngestResult:
        """Store a parsed issue in one transaction; ``raw`` is its source text (read from
        ``issue.source.path`` when not given).  Same file again → "unchanged"; a changed
        file of a stored issue → "replaced", the older revision kept in issue_revisions.
        ``tokens``: ``fts.pretokenise(issue, store.scheme)``, and ``source``:
        ``write.pack_issue(issue, write.issue_text(issue, raw))``, when made elsewhere
        (ingest makes them in its parsing processes); made here otherwise."""
        if raw is None and issue.source.path and os.path.isfile(issue.source.path):
            raw = Path(issue.source.path).read_bytes()
        original = raw if isinstance(raw, bytes) and issue.source.kind != "text" else None
        if source is None:
            source = pack_issue(issue, issue_text(issue, raw))
        if tokens is None:
            tokens = fts.pretokenise(issue, self.scheme)
        with self.transaction():
            counted = self._counts_node_terms()
            counts: nodeterms.Counts = []
            with self._issue_writer() as conn:
                result = write_issue(conn, issue, source, _now(), tokens, original, **self._writer_hooks(counts))
            if result.status != "unchanged":  # editors' corrections win over the parser's new values
                self.reapply_corrections(result.issue_key, result.document_ids)
                self._index_issue(result.issue_id)
            if counted:  # the issue's own node changes took the mark away: they are counted
                self._node_terms += counts
                nodeterms.mark_fresh(self.conn)
            return result

    @contextmanager
    def bulk_load(self, files: int) -> Iterator[None]:
        """Around an ingest of ``files`` files (PostgreSQL builds its indexes after a first
        load).  SQLite's FTS5 index is kept as the rows go in, a segment per batch that
        automerge only partly merges: after a load that added at least a tenth of the
        documents it holds, its segments are merged into one, so that a search reads one
        b-tree per term."""
        before = self._indexed()
        yield
        added = self._indexed() - before
        if added > 0 and added * MERGE_SHARE >= before + added:
            self._merge_index(MERGE_SECONDS)

    def _indexed(self) -> int:
        return self._value("SELECT count(*) FROM doc_fts_docsize")

    def _merge_index(self, seconds: float) -> None:
        """Merge doc_fts's segments (FTS5 'merge' across levels, MERGE_PAGES pages a step,
        each step a transaction of its own: another writer waits one step at most) until one
        is left or ``seconds`` have passed (a step that changes nothing found nothing to
        merge), then give the pages freed back to the disk."""
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            with self.transaction():
                changes = self.conn.total_changes
                self.conn.execute("INSERT INTO doc_fts(doc_fts, rank) VALUES ('merge', ?)", (-MERGE_PAGES,))
                merged = self.conn.total_changes - changes >= 2
            if not merged:
                break
        # The merged segments' pages, freed, are given back to the disk (a file made before
        # auto_vacuum keeps them for its next writes).  A script: Python's execute would run
        # one step of the pragma, freeing one page.
        self.conn.executescript("PRAGMA incremental_vacuum;")

    @contextmanager
    def _issue_writer(self) -> Iterator[sqlite3.Connection]:
        """The connection an issue is written with (the triggers index what goes in)."""
        yield self.conn

    def _counts_node_terms(self) -> bool:
        """Whether an issue written now is counted into node_terms (store.nodeterms): only
        while the table holds every node so far."""
        return nodeterms.is_fresh(self.conn)

    def _writer_hooks(self, counts: nodeterms.Counts) -> dict:
        """What ``write_issue`` is given to index with: the triggers index the outline nodes
        (each is its own row there); doc_fts, which keeps no copy of the token strings to read,
        is given the tokens in hand; the nodes going in and out are counted into ``counts``."""
        scheme = fts.get_scheme(self.scheme)

        def index_body(conn, pk: int, tokens: DocTokens) -> None:
            fts.index_body(conn, pk, tokens)
            counts.append((1, tokens.node_terms))

        def unindex(conn, issue_id: int) -> None:
            # a replaced issue's documents leave doc_fts with their tokens cut again from the
            # stored texts, once for the issue (the delete trigger would read each one's tokens
            # back from the whole index), and their nodes leave the counts
            counts.extend((-1, tokens.node_terms) for tokens in fts.unindex(conn, scheme, "issue_id = ?", [issue_id]))

        return {"index_body": index_body, "unindex": unindex}

    def _index_issue(self, issue_id: int) -> None:
        """Index the issue's texts (SQLite: the full-text triggers did it)."""

    def _index_document(self, pk: int) -> None:
        """Index a document again after an edit of its title, 文号 or issuers: cut them again
        (the triggers of SQLite's index follow the token columns)."""
        counted = nodeterms.is_fresh(self.conn)
        fts.fill_tokens(self.conn, fts.get_scheme(self.scheme), "pk = ?", [pk], fts.index_body)
        if counted:  # its nodes are cut again as they were: their counts stand
            nodeterms.mark_fresh(self.conn)

    def has_source(self, sha256: str) -> bool:
        """Whether a file with this hash is stored already (ingest skips it without parsing)."""
        return self.conn.execute("SELECT 1 FROM issues WHERE sha256 = ? LIMIT 1", (sha256,)).fetchone() is not None

    # --- reading ------------------------------------------------------------------------

    def find_document_pk(self, ref: str) -> int | None:
        """A document's pk from its id or its 文号 in any written form (present ones first)."""
        return read.resolve_doc_pk(self.conn, ref)

    def document_pk(self, ref: str) -> int:
        pk = self.find_document_pk(ref)
        if pk is None:
            raise NotFoundError(f"no document {ref!r} in the database")
        return pk

    def get_document(self, ref: str, full: bool = True) -> StoredDocument:
        """A document by id or by 文号 in any written form (NotFoundError if absent); without
        ``full``, its metadata only.  ``serialize.plain`` gives its JSON (docs/store.md)."""
        return read.document(self.conn, self.document_pk(ref), full=full)

    def document_outline(self, ref: str) -> list[StoredNode]:
        return read.outline_tree(self.conn, self.document_pk(ref))

    def list_documents(self, filters: Filters | Mapping[str, Any] | None = None, limit: int = 50,
                       offset: int = 0) -> DocumentPage:
        """How many documents match, and this page of their summaries, newest first."""
        where, params = Filters.of(filters).sql()
        total = self.conn.execute(f"SELECT count(*) AS n FROM {read.DOC_FROM} WHERE {where}", params).fetchone()["n"]
        items = self.conn.execute(
            f"SELECT {read.DOC_SUMMARY_COLS} FROM {read.DOC_FROM} WHERE {where}"
            " ORDER BY d.date IS NULL, d.date DESC, d.pk LIMIT ? OFFSET ?",
            [*params, int(limit), int(offset)],
        ).fetchall()
        return DocumentPage(total, [read.doc_summary(row) for row in items])

    def list_issues(self) -> list[IssueSummary]:
        """Every stored issue (without its raw text), newest first, with its document count."""
        return [IssueSummary(**row) for row in self.conn.execute(
            "SELECT i.id, i.key, s.name AS series, i.year, i.issue, i.total_issue, i.published, i.source_path,"
            " i.sha256, i.encoding, i.size, i.line_count, i.revision, i.ingested_at,"
            " (SELECT count(*) FROM documents d WHERE d.issue_id = i.id) AS documents"
            " FROM issues i LEFT JOIN series s ON s.id = i.series_id"
            " ORDER BY i.year IS NULL, i.year DESC, i.issue DESC, i.id DESC"
        ).fetchall()]

    def _issue_id(self, ref: int | str) -> int:
        """An issue's id from its id or key (NotFoundError if there is none)."""
        column = "id" if isinstance(ref, int) or str(ref).isdigit() else "key"
        found = self._value(f"SELECT id FROM issues WHERE {column} = ?", [int(ref) if column == "id" else ref])
        if found is None:
            raise NotFoundError(f"no issue {ref!r} in the database")
        return found

    def get_issue(self, ref: int | str) -> StoredIssue:
        """One issue by id or key: metadata, documents, articles, contents, reconciliation."""
        iid = self._issue_id(ref)
        issue = self.conn.execute(
            "SELECT i.id, i.key, s.name AS series, i.year, i.issue, i.total_issue, i.published, i.source_path, i.sha256,"
            " i.encoding, i.size, i.line_count, i.revision, i.ingested_at, s.sponsor, s.editor, i.warnings, i.unassigned"
            " FROM issues i LEFT JOIN series s ON s.id = i.series_id WHERE i.id = ?", (iid,)).fetchone()
        summaries = [read.doc_summary(row) for row in self.conn.execute(
            f"SELECT {read.DOC_SUMMARY_COLS} FROM {read.DOC_FROM} WHERE d.issue_id = ? ORDER BY d.position", (iid,))]
        parts = {table: self.conn.execute(f"SELECT {cols} FROM {table} WHERE issue_id = ? ORDER BY position",
                                          (iid,)).fetchall() for table, cols in _ISSUE_PARTS.items()}
        revisions = [RevisionInfo(**row) for row in self.conn.execute(
            "SELECT revision, sha256, source_path, ingested_at, replaced_at FROM issue_revisions"
            " WHERE issue_id = ? ORDER BY revision", (iid,))]
        return read.stored_issue(issue, summaries, parts, revisions)

    def issue_source(self, ref: int | str, revision: int | None = None) -> str:
        """The raw source text of an issue (its current revision, or an older one)."""
        iid = self._issue_id(ref)
        if revision is None:
            row = self.conn.execute("SELECT raw_text, raw_zlib, raw_refs FROM issues WHERE id = ?", (iid,)).fetchone()
            return read.source_text(row, None if row["raw_refs"] is None else read.issue_bodies(self.conn, iid))
        row = self.conn.execute(
            "SELECT raw_text, raw_zlib FROM issue_revisions WHERE issue_id = ? AND revision = ?", (iid, revision)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"issue {ref!r} has no stored revision {revision}")
        return read.source_text(row)

    def source_lines(self, ref: int | str, revision: int | None = None) -> list[str]:
        """The issue's source as numbered lines (line N at N - 1), as the parser numbered them."""
        return split_lines(self.issue_source(ref, revision))

    def source_file(self, ref: int | str, with_data: bool = False) -> SourceFile | None:
        """The original file of an issue read from PDF, scans or Word (its bytes with
        ``with_data``); None for an issue read from text."""
        iid = self._issue_id(ref)
        cols = "kind, sha256, size, pages" + (", data" if with_data else "")
        row = self.conn.execute(f"SELECT {cols} FROM source_files WHERE issue_id = ?", (iid,)).fetchone()
        if row is None:
            return None
        pages = tuple(PageInfo(**page) for page in json.loads(row["pages"]))
        return SourceFile(row["kind"], row["sha256"], row["size"], pages, row.get("data"))

    def get_revision(self, ref: int | str, revision: int) -> IssueRevision:
        """An older revision of an issue: its raw text and the snapshot of what was stored."""
        iid = self._issue_id(ref)
        row = self.conn.execute(
            "SELECT revision, sha256, source_path, ingested_at, replaced_at, raw_text, raw_zlib, snapshot"
            " FROM issue_revisions WHERE issue_id = ? AND revision = ?",
            (iid, revision),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"issue {ref!r} has no stored revision {revision}")
        return IssueRevision(row["revision"], row["sha256"], row["source_path"], row["ingested_at"], row["replaced_at"],
                             read.source_text(row), json.loads(row["snapshot"]))

    def tasks(self, unit: str | None = None, due_before: str | None = None, overdue_as_of: str | None = None,
              doc: str | None = None, limit: int | None = None) -> list[StoredTask]:
        """Tasks of present documents.  ``unit``: a lead/responsible/partner unit (or part of its
        name); ``due_before``: deadline on or before this ISO date; ``overdue_as_of``: the
        deadline (a range's last day) has passed on that date; ``doc``: id or 文号."""
        clauses, params = ["d.present = 1"], []
        if unit:
            clauses.append("EXISTS (SELECT 1 FROM task_units u WHERE u.task_id = t.id AND instr(u.unit, ?) > 0)")
            params.append("".join(unit.split()))
        # A range is due on its last day, as in gongbao.parse.tasks.filter_tasks.
        if due_before:
            clauses.append("COALESCE(t.deadline_end_iso, t.deadline_iso) <= ?")
            params.append(due_before)
        if overdue_as_of:
            clauses.append("COALESCE(t.deadline_end_iso, t.deadline_iso) < ?")
            params.append(overdue_as_of)
        if doc:
            clauses.append("t.doc_pk = ?")
            params.append(self.document_pk(doc))
        return read.tasks_of(self.conn, " AND ".join(clauses), tuple(params), limit)

    def units(self) -> list[UnitCount]:
        """Every unit named by a task or as an issuer, with its task counts by role and its documents."""
        tasks = {row["name"]: row for row in self.conn.execute(
            "SELECT unit AS name, count(DISTINCT task_id) AS tasks,"
            " sum(CASE WHEN role = 'lead' THEN 1 ELSE 0 END) AS lead,"
            " sum(CASE WHEN role = 'responsible' THEN 1 ELSE 0 END) AS responsible,"
            " sum(CASE WHEN role = 'partner' THEN 1 ELSE 0 END) AS partner"
            " FROM task_units GROUP BY unit"
        )}
        documents = {row["name"]: row["n"] for row in self.conn.execute(
            "SELECT issuer AS name, count(*) AS n FROM document_issuers di JOIN documents d ON d.pk = di.doc_pk"
            " WHERE d.present = 1 GROUP BY issuer"
        )}
        none = {"tasks": 0, "lead": 0, "responsible": 0, "partner": 0}
        units = [UnitCount(name, documents.get(name, 0), *(int(tasks.get(name, none)[k]) for k in none))
                 for name in tasks.keys() | documents.keys()]
        return sorted(units, key=lambda u: (-(u.tasks + u.documents), u.name))

    # --- copying between engines (store.transfer) ---------------------------------------

    def has_table(self, table: str) -> bool:
        return bool(self._value("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", [table]))

    def table_columns(self, table: str) -> list[str]:
        """The table's columns, in the order the schema made them."""
        return [r["name"] for r in self._rows(f"PRAGMA table_info({table})")]

    def raw_rows(self, sql: str, params: list | tuple = ()) -> list[tuple]:
        """Rows as stored (JSON as text, flags as integers): for copying."""
        return self._tuples(sql, params)

    def after_copy(self, tables: list[str]) -> None:
        """Once rows were copied in with their keys: their texts cut and indexed (the triggers
        index the headings) and their nodes' tokens counted."""
        scheme = fts.get_scheme(self.scheme)
        fts.fill_tokens(self.conn, scheme, "present = 1", index_body=fts.index_body)
        nodeterms.refresh(self.conn, scheme)

    def schema_version(self) -> int:
        return current_version(self.conn)

    def size_bytes(self) -> int:
        """The database's size on disk (with its write-ahead log)."""
        if self.path == ":memory:":
            return 0
        return sum(os.path.getsize(p) for p in (self.path, self.path + "-wal") if os.path.exists(p))

    def stats(self) -> StoreStats:
        """Counts of everything stored, the schema version, the full-text scheme, the size on disk."""
        count = lambda sql: self.conn.execute(sql).fetchone()["n"]  # noqa: E731
        return StoreStats(
            series=count("SELECT count(*) AS n FROM series"),
            issues=count("SELECT count(*) AS n FROM issues"),
            documents=count("SELECT count(*) AS n FROM documents WHERE present = 1"),
            absent_documents=count("SELECT count(*) AS n FROM documents WHERE present = 0"),
            outline_nodes=count("SELECT count(*) AS n FROM outline_nodes"),
            tables=count("SELECT count(*) AS n FROM doc_tables"),
            tasks=count("SELECT count(*) AS n FROM tasks"),
            citations=count("SELECT count(*) AS n FROM citations"),
            citations_resolved=count("SELECT count(*) AS n FROM citations WHERE target_id IS NOT NULL"),
            relations=count("SELECT count(*) AS n FROM relations"),
            revisions=count("SELECT count(*) AS n FROM issue_revisions"),
            schema_version=self.schema_version(),
            tokenizer=self.scheme,
            size_bytes=self.size_bytes(),
        )
