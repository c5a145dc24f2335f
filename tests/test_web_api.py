"""The JSON API through the real app: on the hand-made issue (exact answers) and on a
database made by ingesting samples/ (search identical to the CLI, uploads)."""

from __future__ import annotations

from dataclasses import replace
import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from gongbao.cli import app as cli
from gongbao.ingest import ingest_paths
from gongbao.store import number_id, open_store
from gongbao.web import create_app
from web_issue import build_db

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
TOKEN = "api-test-token"
DOC = number_id("示府办发〔2020〕12号")
OTHER = number_id("示府发〔2019〕3号")


@pytest.fixture(scope="module")
def hand(module_db_target):
    db = build_db(module_db_target)
    return TestClient(create_app(db, upload_token=TOKEN))


@pytest.fixture(scope="module")
def samples_db(module_db_target) -> str:
    db = module_db_target  # each engine (tests/conftest.py)
    summary = ingest_paths([SAMPLES], db, progress=False)
    assert not summary.failures
    return db


@pytest.fixture(scope="module")
def real(samples_db):
    return TestClient(create_app(samples_db, upload_token=TOKEN))


# --- on the hand-made issue --------------------------------------------------------------


def test_document_by_id_and_by_any_written_doc_number(hand):
    for ref in (DOC, "示府办发〔2020〕12号", "示府办发[2020]12号", "示府办发（2020）12号"):
        r = hand.get(f"/api/v1/documents/{ref}")
        assert r.status_code == 200, ref
        assert r.json()["id"] == DOC
    doc = hand.get(f"/api/v1/documents/{DOC}").json()
    assert doc["title"] == "示例区人民政府办公室关于印发<script>alert(1)</script>管理办法的通知"
    assert doc["addressee"] == "各镇人民政府，区政府各部门"
    assert doc["attachments"] == [{"title": "示例表格", "omitted": True, "lines": [16, 16]}]
    assert doc["status"]["code"] == "expired"
    assert doc["validity"]["expires"] == "2022-02-28"


def test_unknown_document_is_json_404(hand):
    r = hand.get("/api/v1/documents/示府办发〔2099〕1号")
    assert r.status_code == 404
    assert "没有找到公文" in r.json()["error"]["message"]


def test_document_parts(hand):
    outline = hand.get(f"/api/v1/documents/{DOC}/outline").json()
    assert [(n["number"], n["anchor"], n["lines"]) for n in outline] == [
        ("第一条", "art-1", [10, 10]), ("第二条", "art-2", [11, 11]), ("第三条", "art-3", [12, 12])]
    tables = hand.get(f"/api/v1/documents/{DOC}/tables").json()
    assert tables[0]["header"] == ["任务", "牵头单位", "完成时限"]
    tasks = hand.get(f"/api/v1/documents/{DOC}/tasks").json()
    assert [(t["text"], t["lead_units"], t["deadline"]["iso"], t["overdue"]) for t in tasks] == [
        ("建立台账", ["区发展改革委"], "2020-12-31", True)]
    cites = hand.get(f"/api/v1/documents/{DOC}/citations").json()
    out = {c["doc_number"]: c for c in cites["outgoing"]}
    assert out["示府发〔2019〕3号"]["present"] is True and out["示府发〔2019〕3号"]["target_id"] == OTHER
    assert out["国办发〔2019〕5号"]["present"] is False  # known but absent
    incoming = hand.get(f"/api/v1/documents/{OTHER}/citations").json()["incoming"]
    assert [c["source_id"] for c in incoming] == [DOC]


def test_document_list_filters_and_paging(hand):
    page = hand.get("/api/v1/documents", params={"limit": 1}).json()
    assert page["total"] == 2 and len(page["items"]) == 1
    assert hand.get("/api/v1/documents", params={"type": "意见"}).json()["items"][0]["id"] == OTHER
    assert hand.get("/api/v1/documents", params={"year": 2019}).json()["total"] == 1
    assert hand.get("/api/v1/documents", params={"doc_number": "示府发[2019]3号"}).json()["items"][0]["id"] == OTHER
    assert hand.get("/api/v1/documents", params={"limit": 0}).status_code == 422


def test_issues_tasks_units_stats(hand):
    issues = hand.get("/api/v1/issues").json()
    assert issues["items"][0]["label"] == "示例区人民政府公报 2020年第2期（总第50期）"
    issue = hand.get("/api/v1/issues/1").json()
    assert [d["id"] for d in issue["documents"]] == [DOC, OTHER]
    assert issue["reconciliation"][0]["kind"] == "missing_in_body"
    assert hand.get("/api/v1/tasks", params={"overdue": True}).json()["total"] == 1
    assert hand.get("/api/v1/tasks", params={"due_to": "2020-06-30"}).json()["total"] == 0
    units = {u["name"]: u for u in hand.get("/api/v1/units").json()}
    assert units["区发展改革委"]["lead"] == 1 and units["示例区人民政府"]["documents"] == 1
    unit = hand.get("/api/v1/units/区发展改革委").json()
    assert unit["tasks"][0]["role"] == "lead"
    stats = hand.get("/api/v1/stats").json()
    assert (stats["issues"], stats["documents"], stats["tasks"]) == (1, 2, 1)


def test_bulk_exports_through_the_api(hand):
    r = hand.get("/api/v1/export/citations.jsonl")
    rows = [json.loads(line) for line in r.text.splitlines()]
    assert {row["doc_number"] for row in rows} == {"示府发〔2019〕3号", "国办发〔2019〕5号"}
    r = hand.get("/api/v1/export/documents.csv")
    docs = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert {d["id"] for d in docs} >= {DOC, OTHER}
    assert hand.get("/api/v1/export/secrets.csv").status_code == 404


def test_openapi_documents_every_endpoint_and_field(hand):
    spec = hand.get("/openapi.json").json()
    for path in ("/api/v1/issues", "/api/v1/documents", "/api/v1/documents/{ref}", "/api/v1/documents/{ref}/outline",
                 "/api/v1/documents/{ref}/tables", "/api/v1/documents/{ref}/tasks", "/api/v1/documents/{ref}/citations",
                 "/api/v1/search", "/api/v1/tasks", "/api/v1/units", "/api/v1/stats", "/feeds/documents.atom"):
        assert path in spec["paths"], path
    fields = spec["components"]["schemas"]["DocumentDetail"]["properties"]
    assert fields["addressee"]["description"] == "主送机关"
    hit = spec["components"]["schemas"]["SearchHit"]["properties"]
    assert set(hit) >= {"doc_number", "title", "issuers", "date", "type", "status", "score", "snippet", "clauses"}


# --- on the samples ----------------------------------------------------------------------


@pytest.mark.parametrize("query", ["超标粮食 处置", "见义勇为", "渝府办发[2021]2号", "养老 -公租房"])
def test_search_api_answers_exactly_like_the_cli(real, samples_db, query):
    api = real.get("/api/v1/search", params={"q": query, "limit": 5}).json()
    out = CliRunner().invoke(cli, ["search", query, "--format", "json", "--limit", "5", "--db", str(samples_db)])
    assert out.exit_code == 0, out.output
    assert api == json.loads(out.stdout)
    assert api["total"] > 0


def test_search_page_links_clause_hits_to_anchors(real):
    html = real.get("/search", params={"q": "超标粮食 处置"}).text
    doc = real.get("/api/v1/search", params={"q": "超标粮食 处置"}).json()["hits"][0]
    assert doc["clauses"], "the grain measures have matching articles"
    assert f'href="/documents/{doc["id"]}#{doc["clauses"][0]["anchor"]}"' in html
    assert "<mark>" in html


def test_search_page_without_results_says_so_and_suggests(real):
    html = real.get("/search", params={"q": "见义勇为 火星殖民"}).text
    # relaxed or empty: either way the page says the whole query was not found
    assert "没有找到" in html or "只包含其中一部分词" in html
    html = real.get("/search", params={"q": "zzzqqq"}).text
    assert "没有找到与“zzzqqq”相符的公文" in html and "建议" in html


def test_search_facets_filter(real):
    html = real.get("/search", params={"q": "养老", "year": "2020"}).text
    assert "已筛选：年份 2020" in html
    assert "年份应为 1–9999 的数字" in real.get("/search", params={"q": "养老", "year": "abc"}).text


def test_upload_ingests_an_issue_and_is_idempotent(tmp_path):
    db = tmp_path / "up.db"
    client = TestClient(create_app(db, upload_token=TOKEN))
    sample = SAMPLES / "004_8c3e04d8c27f17c2.txt"
    headers = {"Authorization": f"Bearer {TOKEN}"}
    build_db(db)  # start from the hand-made issue, and let the portal cache its home page
    assert "<b>2</b>件公文" in client.get("/").text
    assert client.get("/").headers.get("x-cache") == "hit"
    r = client.post("/api/v1/issues", files={"file": (sample.name, sample.read_bytes(), "text/plain")}, headers=headers)
    assert r.status_code == 201, r.text
    # the cached pages are not served once the database has changed
    home = client.get("/")
    assert home.headers.get("x-cache") is None and "<b>2</b>件公文" not in home.text
    body = r.json()
    assert body["status"] == "added" and body["documents"] > 5
    issue = client.get(body["issue_url"])
    assert "重庆市武隆区人民政府公报" in issue.text
    again = client.post("/api/v1/issues", files={"file": (sample.name, sample.read_bytes(), "text/plain")}, headers=headers)
    assert again.status_code == 200 and again.json()["status"] == "unchanged"


def test_bad_upload_is_refused_and_the_database_unchanged(db_target):
    db = build_db(db_target)
    client = TestClient(create_app(db, upload_token=TOKEN))
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with open_store(db, readonly=True) as st:
        before = replace(st.stats(), size_bytes=0)
    r = client.post("/api/v1/issues", files={"file": ("issue.txt", b"\x00\x01binary" * 50, "text/plain")}, headers=headers)
    assert r.status_code == 422
    assert "binary" in r.json()["error"]["message"]
    # a truncated PDF: refused as bad input (400) or as a file that cannot be read (422)
    assert client.post("/api/v1/issues", files={"file": ("issue.pdf", b"%PDF-1.4", "application/pdf")},
                       headers=headers).status_code in (400, 422)
    assert client.post("/api/v1/issues", files={"file": ("empty.txt", b"  \n", "text/plain")},
                       headers=headers).status_code == 400
    with open_store(db, readonly=True) as st:
        assert replace(st.stats(), size_bytes=0) == before


def test_upload_form_needs_the_token(tmp_path):
    client = TestClient(create_app(tmp_path / "f.db", upload_token=TOKEN))
    sample = SAMPLES / "004_8c3e04d8c27f17c2.txt"
    r = client.post("/upload", files={"file": (sample.name, sample.read_bytes(), "text/plain")}, data={"token": ""})
    assert r.status_code == 401
    r = client.post("/upload", files={"file": (sample.name, sample.read_bytes(), "text/plain")}, data={"token": TOKEN})
    assert r.status_code == 201 and "已收录" in r.text and "查看这一期" in r.text


def test_every_sample_document_page_renders(real):
    docs = real.get("/api/v1/documents", params={"limit": 500}).json()["items"]
    assert len(docs) > 20
    for doc in docs:
        r = real.get(doc["url"])
        assert r.status_code == 200, doc["url"]
        assert "Traceback" not in r.text
