"""The store on hand-made issues: ingest, ids, revisions, reads, errors, atomicity."""

from __future__ import annotations

from dataclasses import replace
import os
import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from store_fixtures import grain_doc, hero_doc, make_issue  # noqa: E402

from gongbao.errors import NotFoundError, StoreError  # noqa: E402
from gongbao.models import Document, Task  # noqa: E402
from gongbao.serialize import plain  # noqa: E402
from gongbao.store import Store, number_id, open_store  # noqa: E402
from gongbao.store.records import StoreStats  # noqa: E402
from gongbao.store import write as store_write  # noqa: E402
from gongbao.store.migrate import current_version, latest_version, migrate  # noqa: E402
from gongbao.store.sqlite import APPLICATION_ID  # noqa: E402


@pytest.fixture
def db(db_target):
    """An empty database on each engine (tests/conftest.py)."""
    with open_store(db_target) as store:
        yield store


def _counts(store) -> StoreStats:
    """The store's counts without its size on disk (which a server engine may move)."""
    return replace(store.stats(), size_bytes=0)


def test_ingest_and_read_back_by_any_written_docnumber(db):
    result = db.ingest_issue(make_issue([grain_doc(), hero_doc()]), raw="源文本")
    assert (result.status, result.documents, result.tasks) == ("added", 2, 2)
    for ref in ("渝府办发〔2021〕12号", "渝府办发[2021]12号", "渝府办发（2021）12号", result.document_ids[0]):
        doc = plain(db.get_document(ref))
        assert doc["title"] == "重庆市人民政府办公厅关于印发重庆市超标粮食处置办法的通知"
    assert doc["doc_number"] == "渝府办发〔2021〕12号" and doc["doc_number_parts"] == {"prefix": "渝府办发", "year": 2021, "serial": "12"}
    assert doc["issuers"] == ["重庆市人民政府办公厅"] and doc["public"] is True
    assert doc["issue"]["series"] == "重庆市人民政府公报" and doc["issue"]["year"] == 2021
    assert [n["anchor"] for n in doc["outline"]] == ["art-1", "art-2", "art-3"]
    assert doc["outline"][1]["lines"] == [21, 21]
    assert doc["tables"][0]["rows"] == [["建立台账", "市粮食局"]]
    assert doc["tasks"][0]["deadline"]["iso"] == "2021-06-30"
    assert doc["citations"][0]["doc_number"] == "渝府办发〔2014〕7号"
    assert doc["relations"][0]["type"] == "repeals" and doc["relations"][0]["effective"] == "2021-03-01"
    assert doc["validity"]["effective"] == "2021-03-01"
    assert doc["body_spans"][0] == [20, 20]
    hero = plain(db.get_document(result.document_ids[1]))
    assert hero["outline"][0]["anchor"] == "ch-1"
    assert [c["anchor"] for c in hero["outline"][0]["children"]] == ["art-1", "art-2"]


def test_a_stored_document_is_the_parsed_document_plus_its_ids(db):
    """The record is models.Document (the parser's shape: 文号 as a value object, body lines with
    their source lines, typed parts) plus what the store adds; its JSON has no index tokens."""
    issue = make_issue([grain_doc(), hero_doc()])
    result = db.ingest_issue(issue, raw="源文本")
    parsed, stored = issue.documents[0], db.get_document(result.document_ids[0])
    assert isinstance(stored, Document) and stored.id == result.document_ids[0] and stored.present
    assert stored.doc_number == parsed.doc_number and stored.text == parsed.text
    assert [(line.first, line.last) for line in stored.body] == [(line.first, line.last) for line in parsed.body]
    assert [n.anchor for n in stored.outline] == [n.anchor for n in parsed.outline] and stored.outline[0].depth == 0
    assert stored.tables[0].rows == parsed.tables[0].rows and stored.tasks[0].text == parsed.tasks[0].text
    assert stored.citations[0].doc_number == parsed.citations[0].doc_number
    assert stored.relations[0].type == parsed.relations[0].type and stored.relations[0].target.title
    assert stored.validity == parsed.validity and stored.issue.series == "重庆市人民政府公报"
    summary = db.get_document(result.document_ids[0], full=False)
    assert summary.title == parsed.title and summary.body == [] and summary.outline == []
    assert not any(key.startswith("tok_") for key in plain(stored))


def test_ids_are_stable_and_documented_forms(db, tmp_path):
    first = db.ingest_issue(make_issue([grain_doc(), hero_doc()]))
    assert first.document_ids[0] == number_id("渝府办发〔2021〕12号")
    assert first.document_ids[0].startswith("n") and first.document_ids[1].startswith("i")
    with open_store(tmp_path / "other.db") as other:
        again = other.ingest_issue(make_issue([grain_doc(), hero_doc()]))
    assert again.document_ids == first.document_ids


def test_same_file_twice_changes_nothing(db):
    issue = make_issue([grain_doc()], raw="v1")
    db.ingest_issue(issue)
    before = _counts(db)
    assert db.ingest_issue(issue).status == "unchanged"
    assert _counts(db) == before
    assert db.has_source(issue.source.sha256)


def test_changed_file_replaces_issue_and_keeps_previous_revision(db):
    db.ingest_issue(make_issue([grain_doc(), hero_doc()], raw="v1"), raw="v1")
    result = db.ingest_issue(make_issue([grain_doc(extra="（修订）")], raw="v2"), raw="v2")
    assert (result.status, result.revision) == ("replaced", 2)
    assert db.stats().documents == 1
    assert "（修订）" in plain(db.get_document("渝府办发〔2021〕12号"))["text"]
    issue = db.get_issue(result.issue_id)
    assert [r.revision for r in issue.revisions] == [1] and issue.revision == 2
    old = db.get_revision(result.issue_id, 1)
    assert old.raw_text == "v1" and old.revision == 1
    assert [d["title"] for d in old.snapshot["documents"]][1] == "重庆市见义勇为人员奖励和保护条例"
    assert db.issue_source(result.issue_id) == "v2"
    assert db.issue_source(result.issue_id, revision=1) == "v1"


def test_known_but_absent_document_is_taken_over_with_its_id(db):
    stub_id = number_id("渝府办发〔2021〕12号")
    with db.transaction():
        db.conn.execute("INSERT INTO documents(id, key, doc_number, title, present, created_at) VALUES (?, ?, ?, ?, 0, 'now')",
                     (stub_id, "渝府办发〔2021〕12号", "渝府办发〔2021〕12号", "超标粮食处置办法"))
    pk = db.conn.execute("SELECT pk FROM documents WHERE id = ?", (stub_id,)).fetchone()["pk"]
    db.ingest_issue(make_issue([grain_doc()]))
    row = db.conn.execute("SELECT pk, present, title FROM documents WHERE id = ?", (stub_id,)).fetchone()
    assert row["pk"] == pk and row["present"] is True and row["title"].endswith("的通知")


def test_reprinted_docnumber_in_another_issue_gets_its_own_id(db):
    a = db.ingest_issue(make_issue([grain_doc()], raw="a", number=3))
    b = db.ingest_issue(make_issue([grain_doc()], raw="b", name="重庆市永川区人民政府公报", number=11))
    assert a.document_ids[0] != b.document_ids[0] and b.document_ids[0].startswith("i")
    assert plain(db.get_document("渝府办发〔2021〕12号"))["id"] == a.document_ids[0]


def test_list_filters_tasks_units_stats(db):
    db.ingest_issue(make_issue([grain_doc(), hero_doc()]))
    assert db.list_documents({"issuer": "人民代表大会"}).total == 1
    assert db.list_documents({"type": "通知", "year": 2021}).items[0].doc_number == "渝府办发〔2021〕12号"
    assert db.list_documents({"year": 1999}).total == 0
    assert db.list_documents(limit=1, offset=1).total == 2
    with pytest.raises(ValueError):
        db.list_documents({"colour": "red"})
    assert [t.text for t in db.tasks(unit="粮食局")] == ["建立超标粮食台账"]
    task = db.tasks(unit="粮食局")[0]  # a parsed Task plus what the store adds, in the JSON of docs/store.md
    assert isinstance(task, Task) and task.doc_id and task.doc_number == "渝府办发〔2021〕12号"
    assert list(plain(task)) == ["id", "position", "doc_id", "doc_number", "doc_title", "anchor", "text", "lead_units",
                                 "responsible_units", "partner_units", "source", "group", "lines", "deadline"]
    assert plain(task)["deadline"] == {"raw": task.deadline.raw, "kind": task.deadline.kind, "iso": task.deadline.iso,
                                       "end_iso": task.deadline.end_iso}
    assert db.tasks(overdue_as_of="2021-06-30") == []
    assert len(db.tasks(overdue_as_of="2021-07-01")) == 1
    assert len(db.tasks(due_before="2021-12-31")) == 1
    assert len(db.tasks(doc="渝府办发〔2021〕12号")) == 2
    units = {u.name: u for u in db.units()}
    assert units["市粮食局"].lead == 1 and units["市财政局"].partner == 1
    assert units["重庆市人民政府办公厅"].documents == 1
    stats = db.stats()
    assert (stats.issues, stats.documents, stats.tasks, stats.outline_nodes) == (1, 2, 2, 6)


def test_missing_document_and_issue(db):
    with pytest.raises(NotFoundError):
        db.get_document("渝府发〔2030〕1号")
    with pytest.raises(NotFoundError):
        db.get_issue(99)


def test_not_a_gongbao_database(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("hello, this is not sqlite at all " * 100)
    with pytest.raises(StoreError, match="not a gongbao database"):
        open_store(text)
    foreign = tmp_path / "other.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a gongbao database"):
        open_store(foreign)
    with pytest.raises(StoreError, match="no database"):
        open_store(tmp_path / "absent.db", create=False)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_file(tmp_path):
    path = tmp_path / "g.db"
    open_store(path).close()
    path.chmod(0o444)
    with pytest.raises(StoreError, match="read-only"):
        open_store(path)


def test_readonly_store_refuses_writes(tmp_path):
    path = tmp_path / "g.db"
    open_store(path).close()
    with open_store(path, readonly=True) as store:
        assert store.stats().documents == 0
        with pytest.raises(StoreError, match="read-only"):
            store.ingest_issue(make_issue([grain_doc()]))


def test_interrupt_mid_ingest_rolls_back(db, monkeypatch):
    db.ingest_issue(make_issue([hero_doc()], raw="v1"), raw="v1")
    before = _counts(db)
    real = store_write._insert_children

    def interrupted(conn, pk, doc, tokens, *index):
        real(conn, pk, doc, tokens, *index)
        raise KeyboardInterrupt

    monkeypatch.setattr(store_write, "_insert_children", interrupted)
    with pytest.raises(KeyboardInterrupt):
        db.ingest_issue(make_issue([grain_doc(), hero_doc()], raw="v2"), raw="v2")
    assert _counts(db) == before
    assert db.issue_source(1) == "v1"
    assert db.fts_matching('"粮食"') == []


def test_second_writer_waits_then_fails_cleanly(tmp_path):
    path = tmp_path / "g.db"
    with open_store(path) as first, open_store(path) as second:
        second.conn.execute("PRAGMA busy_timeout = 50")
        with first.transaction():
            with pytest.raises(StoreError, match="locked"):
                second.ingest_issue(make_issue([grain_doc()]))
        assert second.ingest_issue(make_issue([grain_doc()])).status == "added"


def test_migrations_upgrade_in_place(tmp_path):
    path = tmp_path / "g.db"
    open_store(path).close()
    folder = tmp_path / "migrations"
    folder.mkdir()
    shipped = Path(__file__).parents[1] / "src/gongbao/store/migrations"
    for source in [*shipped.glob("*.sql"), *shipped.glob("*.py")]:
        (folder / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "999_extra.sql").write_text("ALTER TABLE documents ADD COLUMN extra TEXT;", encoding="utf-8")
    conn = sqlite3.connect(path)
    before = current_version(conn)
    assert migrate(conn, folder) == [999]
    assert migrate(conn, folder) == []
    assert current_version(conn) == 999 > before
    conn.close()
    with pytest.raises(StoreError, match="newer gongbao"):
        open_store(path)


def test_tokenizer_switch_rebuilds_index(tmp_path):
    path = tmp_path / "g.db"
    with open_store(path) as store:
        store.ingest_issue(make_issue([grain_doc(), hero_doc()]))
    with open_store(path, tokenizer="words") as store:
        assert store.stats().tokenizer == "words"
        n = store.conn.execute("SELECT count(*) AS n FROM doc_fts WHERE doc_fts MATCH '\"见义勇为\"'").fetchone()["n"]
        assert n == 1
    with open_store(path, readonly=True) as store:
        assert store.scheme == "words"


def test_a_reader_upgrades_an_older_database(tmp_path):
    folder = tmp_path / "v1"
    folder.mkdir()
    first = Path(__file__).parents[1] / "src/gongbao/store/migrations/001_init.sql"
    (folder / first.name).write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    assert migrate(conn, folder) == [1]  # a database made when the schema was version 1
    conn.close()
    with open_store(path, readonly=True) as store:
        assert store.stats().schema_version == latest_version() > 1
