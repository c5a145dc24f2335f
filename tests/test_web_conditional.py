"""Conditional requests: every public GET answer carries ETag, Last-Modified (SQLite) and
Cache-Control, and a client holding the current answer gets 304 without the work."""

from __future__ import annotations

from email.utils import formatdate

import pytest
from fastapi.testclient import TestClient

from gongbao.store import number_id
from gongbao.web import create_app
from web_issue import build_db

DOC = number_id("示府办发〔2020〕12号")
PUBLIC = ["/", "/issues", "/issues/1", f"/documents/{DOC}", f"/documents/{DOC}.json", "/search?q=粮食",
          "/library", "/tasks", "/tasks.csv", "/units/示例区人民政府办公室", "/feeds/documents.atom",
          "/api/v1/documents", f"/api/v1/documents/{DOC}", "/api/v1/search?q=粮食", "/api/v1/stats",
          "/api/v1/export/documents.jsonl"]


@pytest.fixture(scope="module")
def setup(module_db_target):
    db = build_db(module_db_target)
    return db, TestClient(create_app(db, upload_token="t"))


@pytest.mark.parametrize("path", PUBLIC)
def test_every_public_answer_revalidates_with_304(setup, path):
    _, client = setup
    first = client.get(path)
    assert first.status_code == 200, path
    tag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=60"
    again = client.get(path, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == tag
    # several tags, weak comparison (RFC 9110 §13.1.2)
    assert client.get(path, headers={"If-None-Match": f'"x", W/{tag}'}).status_code == 304
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200


def test_last_modified_and_if_modified_since(setup):
    db, client = setup
    first = client.get("/library")
    if "last-modified" not in first.headers:
        pytest.skip("the engine does not say when it was written (PostgreSQL: ETag only)")
    modified = first.headers["last-modified"]
    assert client.get("/library", headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get("/library", headers={"If-Modified-Since": formatdate(0, usegmt=True)}).status_code == 200
    assert client.get("/library", headers={"If-Modified-Since": "not a date"}).status_code == 200
    # If-None-Match decides when both are sent
    both = {"If-Modified-Since": modified, "If-None-Match": '"other"'}
    assert client.get("/library", headers=both).status_code == 200


def test_etag_differs_by_url_and_errors_carry_none(setup):
    _, client = setup
    assert client.get("/search?q=粮食").headers["etag"] != client.get("/search?q=办法").headers["etag"]
    missing = client.get("/documents/nothing-here")
    assert missing.status_code == 404 and "etag" not in missing.headers


def test_a_write_gives_new_tags(tmp_path):
    from pathlib import Path

    from gongbao.ingest import ingest_paths

    db = build_db(str(tmp_path / "w.db"))
    client = TestClient(create_app(db, upload_token="t"))
    tag = client.get("/").headers["etag"]
    ingest_paths([Path(__file__).resolve().parents[1] / "samples"], Path(db), progress=False)
    fresh = client.get("/", headers={"If-None-Match": tag})
    assert fresh.status_code == 200 and fresh.headers["etag"] != tag


def test_editors_and_credentials_are_not_conditional(setup):
    _, client = setup
    assert "etag" not in client.get("/upload").headers
    assert "etag" not in client.get("/", headers={"Authorization": "Bearer t"}).headers
