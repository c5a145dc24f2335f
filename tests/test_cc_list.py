"""抄送 is a list of organs from parse to JSON, store, CLI and portal — and a database written when
it was one "，"-joined string is migrated to the list in place (both engines)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from store_fixtures import grain_doc, hero_doc, make_issue  # noqa: E402

from fastapi.testclient import TestClient  # noqa: E402

from gongbao.store import open_store  # noqa: E402
from gongbao.serialize import plain  # noqa: E402
from gongbao.store.migrate import migrations, statements  # noqa: E402
from gongbao.store.postgres import migration_sql  # noqa: E402
from gongbao.web import create_app  # noqa: E402

CC = ["市委办公室", "市人大常委会办公室", "市政协办公室"]


def _ingest(target: str) -> tuple[str, str]:
    with open_store(target) as store:
        result = store.ingest_issue(make_issue([replace(grain_doc(), cc=CC), hero_doc()]))
    return result.document_ids[0], result.document_ids[1]


def test_cc_is_stored_and_read_as_a_list(db_target):
    with_cc, without = _ingest(db_target)
    with open_store(db_target, readonly=True) as store:
        assert plain(store.get_document(with_cc))["cc"] == CC
        assert plain(store.get_document(without))["cc"] == []


OLD_ROWS = {1: "，".join(CC), 2: None, 3: ""}  # as gongbao wrote 抄送 before the migration: joined, or none


def _cc_migration() -> Path:
    return next(m.path for m in migrations() if m.path.name.endswith("_cc_list.sql"))


def test_the_cc_migration_splits_what_older_databases_hold_sqlite():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE documents (pk INTEGER PRIMARY KEY, cc TEXT)")
    conn.executemany("INSERT INTO documents(pk, cc) VALUES (?, ?)", OLD_ROWS.items())
    for statement in statements(_cc_migration().read_text(encoding="utf-8")):
        conn.execute(statement)
    got = {pk: json.loads(cc) for pk, cc in conn.execute("SELECT pk, cc FROM documents")}
    assert got == {1: CC, 2: [], 3: []}


def test_the_cc_migration_splits_what_older_databases_hold_postgresql(pg_cluster):
    """The PostgreSQL text of the migration, on a table of the old shape in a schema of its own."""
    url = pg_cluster.create_database("cc_migration")
    with open_store(url) as store, store.conn.pinned():
        store.conn.execute("CREATE SCHEMA old_shape")
        store.conn.execute("SET search_path TO old_shape")
        store.conn.execute("CREATE TABLE documents (pk BIGINT PRIMARY KEY, cc TEXT)")
        for pk, cc in OLD_ROWS.items():
            store.conn.execute("INSERT INTO documents(pk, cc) VALUES (?, ?)", (pk, cc))
        store.conn.execute(migration_sql(_cc_migration()))
        # the store's connection decodes a cc column as JSON: a value that is no JSON would fail here
        got = {r["pk"]: r["cc"] for r in store.conn.execute("SELECT pk, cc FROM documents").fetchall()}
        store.conn.execute("RESET search_path")
    assert got == {1: CC, 2: [], 3: []}


def test_cc_through_api_page_and_cli(tmp_path):
    db = str(tmp_path / "g.db")
    with_cc, _ = _ingest(db)
    client = TestClient(create_app(db))
    assert client.get(f"/api/v1/documents/{with_cc}").json()["cc"] == CC
    assert "<dd>市委办公室、市人大常委会办公室、市政协办公室</dd>" in client.get(f"/documents/{with_cc}").text
    shown = subprocess.run([sys.executable, "-m", "gongbao", "show", with_cc, "--db", db], capture_output=True, text=True)
    assert "抄送: 市委办公室、市人大常委会办公室、市政协办公室" in shown.stdout, shown.stderr
