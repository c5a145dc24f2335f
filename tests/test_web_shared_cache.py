"""The rendered answers the worker processes share (web/cache.py ``SharedPages``): an answer
made in one process is served by another, never once the database has changed."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from gongbao.ingest import ingest_paths
from gongbao.store import number_id
from gongbao.web import create_app
from gongbao.web.cache import SHARED_ENV
from web_issue import build_db

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "004_8c3e04d8c27f17c2.txt"
DOC = number_id("示府办发〔2020〕12号")


def test_an_answer_made_by_one_worker_is_served_by_the_other(tmp_path, monkeypatch):
    db = build_db(tmp_path / "s.db")
    pages = tmp_path / "pages"
    monkeypatch.setenv(SHARED_ENV, str(pages))
    one, two = TestClient(create_app(db)), TestClient(create_app(db))  # two worker processes
    for path in (f"/documents/{DOC}", f"/api/v1/documents/{DOC}", "/search?q=粮食"):
        made = one.get(path)
        assert made.status_code == 200 and made.headers.get("x-cache") is None
        served = two.get(path)
        assert served.headers.get("x-cache") == "hit", path
        assert served.content == made.content
        assert served.headers["content-type"] == made.headers["content-type"]
        assert served.headers["etag"] == made.headers["etag"]
    [version] = [p for p in pages.iterdir() if p.is_dir()]

    ingest_paths([SAMPLE], db, progress=False)  # a new database version
    fresh = two.get(f"/documents/{DOC}")
    assert fresh.status_code == 200 and fresh.headers.get("x-cache") is None
    assert not version.exists()  # the first answer of the new version removed the old ones
    assert one.get(f"/documents/{DOC}").headers.get("x-cache") == "hit"


def test_without_the_directory_nothing_is_shared(tmp_path, monkeypatch):
    db = build_db(tmp_path / "s.db")
    monkeypatch.delenv(SHARED_ENV, raising=False)
    one, two = TestClient(create_app(db)), TestClient(create_app(db))
    one.get(f"/documents/{DOC}")
    assert two.get(f"/documents/{DOC}").headers.get("x-cache") is None
