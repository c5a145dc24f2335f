"""Ingest of real files (the samples) through the parser, and the CLI commands on the result."""

from __future__ import annotations

import copyreg
import hashlib
import json
import pickle
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongbao.cli import app
from gongbao.ingest import ingest_paths
from gongbao.store import open_store

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
LAWREF = ROOT.parent / "shared" / "lawref"


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("ingest") / "g.db"
    summary = ingest_paths([SAMPLES], path, progress=False)
    return path, summary


def test_samples_go_in_and_a_second_run_changes_nothing(sample_db):
    path, summary = sample_db
    assert (summary.files, summary.added, summary.failures) == (3, 3, [])
    assert summary.documents >= 25
    with open_store(path, readonly=True) as store:
        before = store.stats()
        issues = {(i.series, i.year, i.issue) for i in store.list_issues()}
    assert ("重庆市人民政府公报", 2021, 3) in issues and ("重庆市武隆区人民政府公报", 2020, 4) in issues
    again = ingest_paths([SAMPLES], path, progress=False)
    assert (again.unchanged, again.added, again.replaced) == (3, 0, 0)
    with open_store(path, readonly=True) as store:
        assert store.stats() == before


def test_changed_file_replaces_its_issue_and_bad_files_are_reported(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    source = SAMPLES / "004_8c3e04d8c27f17c2.txt"
    shutil.copy(source, folder / "wulong.txt")
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 20)
    db = tmp_path / "g.db"
    first = ingest_paths([folder, tmp_path / "missing.txt"], db, progress=False)
    assert first.added == 1
    failed = {Path(f.path).name for f in first.failures}
    assert failed == {"empty.txt", "binary.txt", "missing.txt"}
    assert all(f.reason for f in first.failures)
    (folder / "wulong.txt").write_text(source.read_text(encoding="utf-8") + "\n（本期完）\n", encoding="utf-8")
    second = ingest_paths([folder / "wulong.txt"], db, progress=False)
    assert second.replaced == 1
    with open_store(db, readonly=True) as store:
        issue = store.list_issues()[0]
        assert issue.revision == 2
        assert store.issue_source(issue.id, revision=1) == source.read_text(encoding="utf-8")
        assert store.issue_source(issue.id).endswith("（本期完）\n")


def _run(*args: str):
    result = CliRunner().invoke(app, list(args))
    return result


def test_cli_search_show_json(sample_db):
    path, _ = sample_db
    result = _run("search", "武隆府发[2020]14号", "--db", str(path), "--format", "json", "--limit", "3")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["hits"][0]["doc_number"] == "武隆府发〔2020〕14号"
    assert "见义勇为" in data["hits"][0]["title"]
    shown = json.loads(_run("show", "武隆府发（2020）14号", "--db", str(path), "--format", "json").output)
    assert shown["doc_number"] == "武隆府发〔2020〕14号" and shown["issue"]["year"] == 2020
    text = _run("search", "见义勇为", "--db", str(path))
    assert text.exit_code == 0 and "陈永灿" in text.output


def test_cli_errors_are_one_line(tmp_path):
    not_db = tmp_path / "x.db"
    not_db.write_text("not a database " * 200)
    import subprocess
    import sys

    out = subprocess.run([str(Path(sys.executable).with_name("gongbao")), "search", "x", "--db", str(not_db)],
                         capture_output=True, text=True)
    assert out.returncode != 0 and "not a gongbao database" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.lawref
@pytest.mark.skipif(not LAWREF.is_dir(), reason="../shared/lawref is absent")
def test_laws_are_single_document_issues(tmp_path):
    laws = [LAWREF / "宪法" / "宪法.md", LAWREF / "刑法" / "刑法.md"]
    db = tmp_path / "g.db"
    summary = ingest_paths(laws, db, progress=False)
    assert (summary.added, summary.documents) == (2, 2)
    with open_store(db, readonly=True) as store:
        titles = {d.title for d in store.list_documents(limit=10).items}
    assert titles == {"中华人民共和国宪法", "中华人民共和国刑法"}


def test_tasks_from_the_database_match_tasks_from_the_file(sample_db):
    path, _ = sample_db
    issue_file = SAMPLES / "001_d623b5fea1a4ae50.txt"
    labels = {t["document"] for t in json.loads(_run("tasks", str(issue_file), "--format", "json").output)}
    assert labels
    for args in (["--overdue", "--as-of", "2021-06-01"], ["--unit", "水利局"], ["--due-before", "2021-03-31"]):
        from_db = _run("tasks", "--db", str(path), "--format", "json", *args)
        file_args = ["--overdue-as-of", "2021-06-01"] if args[0] == "--overdue" else args
        from_file = _run("tasks", str(issue_file), "--format", "json", *file_args)
        assert from_db.exit_code == 0 and from_file.exit_code == 0, from_db.output + from_file.output
        db_texts = sorted(t["text"] for t in json.loads(from_db.output) if t["document"] in labels)
        file_texts = sorted(t["text"] for t in json.loads(from_file.output))
        assert db_texts == file_texts


def test_cli_ingest_reports_bad_files_with_a_nonzero_exit_but_keeps_the_good_ones(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "good.txt").write_bytes((Path(__file__).parent.parent / "samples" / "004_8c3e04d8c27f17c2.txt").read_bytes())
    db = tmp_path / "g.db"
    result = _run("ingest", str(folder), "--db", str(db), "--no-progress")
    assert result.exit_code == 1
    assert "empty.txt" in result.output and "the file is empty" in result.output
    assert _run("show", "武隆府发〔2020〕14号", "--db", str(db)).exit_code == 0


def test_a_parsed_issue_crosses_to_the_writer_whole_by_constructor_calls():
    from multiprocessing.reduction import ForkingPickler

    from gongbao.ingest import _prepare, send_by_constructor
    from gongbao.models import Document, OutlineNode
    from gongbao.store.records import NodeTokens

    path = sorted(SAMPLES.glob("*.txt"))[0]
    prepared = _prepare(path.read_bytes(), path, "words")
    assert prepared[0].documents and prepared[1][0].nodes
    before = ForkingPickler.dumps(prepared)
    send_by_constructor()
    for cls in (Document, OutlineNode, NodeTokens):
        assert cls in copyreg.dispatch_table
    after = ForkingPickler.dumps(prepared)
    assert len(after) < len(before)  # field names are no longer written per object
    assert pickle.loads(after) == pickle.loads(before) == prepared


def test_the_source_is_packed_where_the_file_is_parsed_and_the_writer_stores_it(tmp_path, monkeypatch):
    from gongbao import ingest
    from gongbao.store import sqlite

    path = sorted(SAMPLES.glob("*.txt"))[0]
    data = path.read_bytes()
    prepared = ingest._prepare(data, path, "words")
    summary = ingest.IngestSummary()

    def unwanted(*args):
        raise AssertionError("the writer packed the source again")

    monkeypatch.setattr(sqlite, "pack_issue", unwanted)
    with open_store(tmp_path / "g.db") as store:
        ingest._store(store, path, data, prepared, summary)
        assert (summary.added, summary.failures) == (1, [])
        assert store.issue_source(store.list_issues()[0].key) == data.decode("utf-8")


def test_issues_are_committed_in_batches_and_a_failing_one_rolls_back_alone(tmp_path, monkeypatch):
    from gongbao import ingest
    from gongbao.store import fts
    from gongbao.pipeline import read_issue

    db = tmp_path / "g.db"
    files = sorted(SAMPLES.glob("*.txt"))
    issues = [read_issue(f.read_bytes(), str(f)) for f in files]
    with open_store(db) as store:
        with store.batch():
            store.ingest_issue(issues[0], raw=files[0].read_bytes())
            before = store.conn.execute("SELECT count(*) AS n FROM doc_fts WHERE doc_fts MATCH '政府'").fetchone()["n"]
            broken = fts.pretokenise(issues[1], store.scheme)[:1]  # tokens for one document of several
            with pytest.raises(Exception):
                store.ingest_issue(issues[1], raw=files[1].read_bytes(), tokens=broken)
            assert store.conn.in_transaction  # the batch goes on without the failed issue
            after = store.conn.execute("SELECT count(*) AS n FROM doc_fts WHERE doc_fts MATCH '政府'").fetchone()["n"]
            assert after == before
        assert len(store.list_issues()) == 1
        assert store.has_source(hashlib.sha256(files[0].read_bytes()).hexdigest())
        store.conn.execute("INSERT INTO doc_fts(doc_fts, rank) VALUES ('integrity-check', 1)")  # raises if not
    # ingest commits every BATCH_SECONDS: with 0, each issue is its own batch; an interruption
    # after the second loses only the batch being written
    monkeypatch.setattr(ingest, "BATCH_SECONDS", 0.0)
    calls = []

    def stop_at_third(store, path, data, prepared, summary):
        calls.append(path)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real_store(store, path, data, prepared, summary)

    real_store = ingest._store
    monkeypatch.setattr(ingest, "_store", stop_at_third)
    db2 = tmp_path / "g2.db"
    with pytest.raises(KeyboardInterrupt):
        ingest_paths(files, db2, progress=False)
    with open_store(db2, readonly=True) as store:
        assert len(store.list_issues()) == 2
