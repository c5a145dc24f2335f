"""Ingest into PostgreSQL: an issue's rows go in by COPY, table by table (store.pgwrite); a
first ingest into an empty database builds the full-text indexes after the rows; the RUM
index is migration 014 of the one list, GIN where the server or the role has no RUM."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import psycopg
import pytest

import gongbao.ingest as ingest
from gongbao.ingest import ingest_paths
from gongbao.search.query import search
from gongbao.store import open_store
from gongbao.store import postgres as pg
from gongbao.store.migrate import latest_version
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
