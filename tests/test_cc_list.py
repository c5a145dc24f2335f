"""抄送 is a list of organs from parse to JSON, store, CLI and portal — and a database written when
it was one "，"-joined string is migrated to the list in place (both engines)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from store_fixtures import grain_doc, hero_doc, make_issue  # noqa: E402

from fastapi.testclient import TestClient  # noqa: E402

from gongbao.store import Store  # noqa: E402
from gongbao.web import create_app  # noqa: E402

CC = ["市委办公室", "市人大常委会办公室", "市政协办公室"]


def _ingest(target: str) -> tuple[str, str]:
    with Store.open(target) as store:
        result = store.ingest_issue(make_issue([replace(grain_doc(), cc=CC), hero_doc()]))
    return result.document_ids[0], result.document_ids[1]


def test_cc_is_stored_and_read_as_a_list(db_target):
    with_cc, without = _ingest(db_target)
    with Store.open(db_target, readonly=True) as store:
        assert store.get_document(with_cc)["cc"] == CC
        assert store.get_document(without)["cc"] == []


# columns the migrations after 007 add: a database of version 6 has none of them
_LATER_COLUMNS = (("documents", "history"), ("embedded", "history"), ("embedded", "effective"))


def _as_an_older_gongbao_wrote_it(store: Store, rows: dict[str, str | None]) -> None:
    """The rows' 抄送 as a database of schema version 6 held it (one "，"-joined text, NULL for
    none), that schema, and its version put back to 6."""
    for doc_id, text in rows.items():
        store.conn.execute("UPDATE documents SET cc = ? WHERE id = ?", (text, doc_id))
    for table, column in _LATER_COLUMNS:
        store.conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    if store.engine == "postgresql":  # autocommit
        store.conn.execute("DELETE FROM gongbao_schema WHERE version >= 7")
    else:
        store.conn.execute("PRAGMA user_version = 6")
        store.conn.commit()


def test_an_older_database_gets_its_cc_split_into_organs(db_target):
    with_cc, without = _ingest(db_target)
    with Store.open(db_target) as store:
        _as_an_older_gongbao_wrote_it(store, {with_cc: "，".join(CC), without: None})
    with Store.open(db_target) as store:  # opening for writing applies the pending migrations
        assert store.get_document(with_cc)["cc"] == CC
        assert store.get_document(without)["cc"] == []
        assert store.get_document(with_cc)["history"] == []  # 008: none known for older rows


def test_cc_through_api_page_and_cli(tmp_path):
    db = str(tmp_path / "g.db")
    with_cc, _ = _ingest(db)
    client = TestClient(create_app(db))
    assert client.get(f"/api/v1/documents/{with_cc}").json()["cc"] == CC
    assert "<dd>市委办公室、市人大常委会办公室、市政协办公室</dd>" in client.get(f"/documents/{with_cc}").text
    shown = subprocess.run([sys.executable, "-m", "gongbao", "show", with_cc, "--db", db], capture_output=True, text=True)
    assert "抄送: 市委办公室、市人大常委会办公室、市政协办公室" in shown.stdout, shown.stderr
