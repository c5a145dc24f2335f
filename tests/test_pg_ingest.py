"""Ingest into PostgreSQL: an issue's rows go in by COPY, table by table (store.pgwrite); a
first ingest into an empty database builds the full-text indexes after the rows; the RUM
index is migration 014 of the one list, GIN where the server or the role has no RUM."""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from pathlib import Path

import psycopg
import pytest

import gongbao.ingest as ingest
from gongbao.ingest import ingest_paths
from gongbao.pipeline import read_issue
from gongbao.search.query import search
from gongbao.search.tokenize import get_scheme
from gongbao.store import open_store
from gongbao.store import postgres as pg
from gongbao.store.migrate import latest_version
from gongbao.store.pgconn import PgConn
from gongbao.store.pgwrite import batched

SAMPLES = Path(__file__).parent.parent / "samples"
QUERIES = ["粮食", "安全生产", "人民政府", "管理办法 实施"]


def _indexes(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        return {r[0] for r in conn.execute("SELECT indexname FROM pg_indexes WHERE tablename IN"
                                           " ('doc_search', 'node_search') AND indexname NOT LIKE '%pkey'")}


def _rum_available(url: str) -> bool:
    with psycopg.connect(url) as conn:
        return bool(conn.execute("SELECT count(*) FROM pg_available_extensions WHERE name = 'rum'").fetchone()[0])


def _documents(target) -> dict[str, dict]:
    """Every document as read back, without the time it was written."""
    out = {}
    with open_store(target, readonly=True) as store:
        for item in store.list_documents(limit=1000).items:
            doc = dataclasses.asdict(store.get_document(item.id))
            doc.pop("created_at")
            doc["issue"].pop("ingested_at", None)
            out[item.id] = doc
    return out


def _hits(target) -> dict[str, list[str]]:
    with open_store(target, readonly=True) as store:
        return {q: [h.id for h in search(store, q, limit=10).hits] for q in QUERIES}


def test_issues_written_by_copy_read_back_as_sqlite_stores_them(pg_cluster, tmp_path):
    lite, server = tmp_path / "lite.db", pg_cluster.create_database("copy_same")
    for target in (lite, server):
        assert not ingest_paths([SAMPLES], target, progress=False).failures
    written = _documents(server)
    assert len(written) > 20 and written == _documents(lite)


def test_waiting_rows_are_sent_before_a_statement_that_names_their_table(pg_cluster):
    url = pg_cluster.create_database("copy_batch")
    with open_store(url) as store, store.transaction():
        with batched(store.conn) as conn:
            conn.executemany("INSERT INTO series(name) VALUES (?)", [("甲刊",), ("乙刊",)])
            assert conn.batches  # waiting: nothing read them yet
            assert conn.execute("SELECT count(*) AS n FROM issues").fetchone()["n"] == 0
            assert conn.batches  # a statement on another table leaves them waiting
            assert conn.execute("SELECT count(*) AS n FROM series").fetchone()["n"] == 2
            assert not conn.batches
            conn.execute("INSERT INTO meta(key, value) VALUES (?, ?)", ("note", "1"))
        assert store._value("SELECT value FROM meta WHERE key = 'note'") == "1"  # sent at the end


def test_batched_rows_keep_every_value_as_given(pg_cluster):
    url = pg_cluster.create_database("copy_values")
    awkward = ['引号"与\\反斜杠\n换行', "", None, "\u3000全角空格", "'单引号'"]
    with open_store(url) as store, store.transaction():
        with batched(store.conn) as conn:
            conn.executemany("INSERT INTO series(name, sponsor, editor) VALUES (?, ?, ?)",
                             [(f"刊{i}", text, text) for i, text in enumerate(awkward)])
            issue = conn.execute("INSERT INTO issues(key, sha256, size, line_count, ingested_at, raw_text)"
                                 " VALUES (:key, :sha, :size, :lines, :at, :raw)",
                                 {"key": "k", "sha": "0" * 64, "size": 2 ** 40, "lines": 0, "at": "t",
                                  "raw": awkward[0]}).lastrowid
            conn.execute("INSERT INTO source_files(issue_id, kind, sha256, size, pages, data) VALUES (?, ?, ?, ?, ?, ?)",
                         (issue, "pdf", "0" * 64, 3, "[]", b"\x00\xff%PDF"))
        assert store._column("SELECT sponsor FROM series ORDER BY name") == awkward
        assert store._value("SELECT size FROM issues") == 2 ** 40
        assert store._value("SELECT raw_text FROM issues") == awkward[0]
        assert bytes(store._value("SELECT data FROM source_files")) == b"\x00\xff%PDF"


def test_a_failed_issue_leaves_none_of_its_rows(pg_cluster):
    url = pg_cluster.create_database("copy_fail")
    with open_store(url) as store:
        with pytest.raises(RuntimeError), store.transaction():
            with batched(store.conn) as conn:
                conn.executemany("INSERT INTO series(name) VALUES (?)", [("丙刊",)])
                conn.flush()
                raise RuntimeError("the writer failed after sending")
        assert store._value("SELECT count(*) FROM series") == 0


def test_a_first_ingest_builds_the_full_text_indexes_after_the_rows(pg_cluster, monkeypatch, tmp_path):
    plain, bulk = pg_cluster.create_database("bulk_plain"), pg_cluster.create_database("bulk_first")
    assert not ingest_paths([SAMPLES], plain, progress=False).failures  # 3 files: indexes kept row by row
    monkeypatch.setattr(pg, "BULK_MIN_FILES", 2)
    real, seen = ingest._store, []

    def store(store, path, *args):
        seen.append(_indexes(bulk))
        return real(store, path, *args)

    monkeypatch.setattr(ingest, "_store", store)
    assert not ingest_paths([SAMPLES], bulk, progress=False).failures
    assert seen and all(found == set() for found in seen)  # none while the rows went in
    assert _indexes(bulk) == _indexes(plain) and len(_indexes(bulk)) == 2
    assert _hits(bulk) == _hits(plain)
    for path in sorted(SAMPLES.glob("*.txt"))[:2]:  # revised issues into a database that is not empty
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8") + "\n（本期有勘误）\n", encoding="utf-8")
    seen.clear()
    assert ingest_paths([tmp_path], bulk, progress=False).replaced == 2
    assert seen == [_indexes(plain)] * 2  # kept row by row: nothing was dropped


def test_a_bulk_load_stopped_half_way_gets_its_indexes_back(pg_cluster, monkeypatch):
    url = pg_cluster.create_database("bulk_stopped")
    monkeypatch.setattr(pg, "BULK_MIN_FILES", 2)
    real, calls = ingest._store, []

    def interrupted(store, path, *args):
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(store, path, *args)

    monkeypatch.setattr(ingest, "_store", interrupted)
    with pytest.raises(KeyboardInterrupt):
        ingest_paths(sorted(SAMPLES.glob("*.txt")), url, progress=False)
    assert len(_indexes(url)) == 2  # built on the way out
    with psycopg.connect(url, autocommit=True) as conn:  # a writer killed outright builds nothing
        for name in _indexes(url):
            conn.execute(f"DROP INDEX {name}")
    with open_store(url, readonly=True):
        assert _indexes(url) == set()
    with open_store(url):  # the next store opened for writing builds them
        assert len(_indexes(url)) == 2


def test_the_rum_index_is_a_migration_of_the_one_list(pg_cluster):
    url = pg_cluster.create_database("rum_migration")
    if not _rum_available(url):
        pytest.skip("the RUM access method is not installed (apt-get install postgresql-15-rum): GIN only")
    with open_store(url) as store:
        assert store.rum and store.schema_version() == latest_version()
    with psycopg.connect(url, autocommit=True) as conn:  # the database as gongbao left it before 014
        conn.execute("DROP EXTENSION rum CASCADE")
        conn.execute("CREATE INDEX doc_search_tsv ON doc_search USING gin (tsv)")
        conn.execute("DELETE FROM gongbao_schema WHERE version >= 14")
    assert _indexes(url) == {"doc_search_tsv", "node_search_tsv"}
    with open_store(url) as store:
        assert store.rum and store.schema_version() == latest_version()
    assert _indexes(url) == {"doc_search_rum", "node_search_tsv"}


def _as_pdf(issue, data: bytes):
    """The issue as if it had been read from a PDF file of ``data`` (its text extracted)."""
    text = issue.source.text or data.decode("utf-8")
    source = dataclasses.replace(issue.source, kind="pdf", sha256=hashlib.sha256(data).hexdigest(), text=text)
    return dataclasses.replace(issue, source=source)


def test_a_replaced_issue_keeps_only_its_new_source_file(db_target):
    target = db_target
    path = SAMPLES / "004_8c3e04d8c27f17c2.txt"
    text = path.read_bytes()
    first, second = text + b"%PDF-1", text + b"%PDF-2"  # stand-ins for two printings' bytes
    with open_store(target) as store:
        added = store.ingest_issue(_as_pdf(read_issue(text, str(path)), first), raw=first)
        assert store.source_file(added.issue_id, with_data=True).data == first
        replaced = store.ingest_issue(_as_pdf(read_issue(text, str(path)), second), raw=second)
        assert (replaced.status, replaced.issue_id) == ("replaced", added.issue_id)
        assert store.source_file(added.issue_id, with_data=True).data == second
        as_text = read_issue(text + "\n（本期有勘误）\n".encode(), str(path))
        assert store.ingest_issue(as_text).status == "replaced"
        assert store.source_file(added.issue_id) is None  # read from text now: no file kept


def test_a_new_issue_sends_its_begin_with_its_first_statement_and_deletes_nothing(pg_cluster, monkeypatch):
    url = pg_cluster.create_database("round_trips")
    sent: list[str] = []
    real = PgConn.execute

    def execute(self, sql, *args, **kwargs):
        sent.append(sql.split(None, 1)[0].upper())
        return real(self, sql, *args, **kwargs)

    paths = sorted(SAMPLES.glob("*.txt"))
    with open_store(url) as store:
        store.ingest_issue(read_issue(paths[0].read_bytes(), str(paths[0])))
        monkeypatch.setattr(PgConn, "execute", execute)
        assert store.ingest_issue(read_issue(paths[1].read_bytes(), str(paths[1]))).status == "added"
    assert sent and "BEGIN" not in sent and "DELETE" not in sent
    with open_store(url, readonly=True) as store:
        assert len(store.list_issues()) == 2


def test_the_full_text_indexes_are_built_at_the_same_time(pg_cluster, monkeypatch):
    url = pg_cluster.create_database("bulk_together")
    with open_store(url) as store:
        store.ingest_issue(read_issue(sorted(SAMPLES.glob("*.txt"))[0].read_bytes(), "s.txt"))
    with psycopg.connect(url, autocommit=True) as conn:
        for name in _indexes(url):
            conn.execute(f"DROP INDEX {name}")
    both = threading.Barrier(2, timeout=30)  # a build waits here until the other has started
    real = PgConn.execute

    def execute(self, sql, *args, **kwargs):
        if sql.startswith("CREATE INDEX"):
            both.wait()
        return real(self, sql, *args, **kwargs)

    monkeypatch.setattr(PgConn, "execute", execute)
    with open_store(url):  # opened for writing: it builds what is missing
        pass
    assert len(_indexes(url)) == 2


def test_documents_are_indexed_from_the_tokens_in_hand_and_their_body_tokens_not_stored(pg_cluster):
    url = pg_cluster.create_database("body_in_hand")
    with open_store(url) as store:
        for path in sorted(SAMPLES.glob("*.txt")):
            store.ingest_issue(read_issue(path.read_bytes(), str(path)))
    index = "SELECT pk, tsv::text FROM doc_search ORDER BY pk"
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM documents WHERE tok_text IS NOT NULL").fetchone()[0] == 0
        written = conn.execute(index).fetchall()
    with open_store(url) as store, store.transaction():  # cut again from the texts, indexed from the stored tokens
        pg._reindex_all(store.conn, get_scheme(store.scheme))
    with psycopg.connect(url) as conn:
        assert len(written) > 20 and conn.execute(index).fetchall() == written
