"""The 政策问答 page and API through the real app (TestClient)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from test_ask_store import GRAIN_ENTRY, db  # noqa: F401  (the hand-made database fixture)

from gongbao.search.curated import add_entry, entry_from_dict
from gongbao.store import open_store
from gongbao.web import create_app


@pytest.fixture()
def client(db):  # noqa: F811
    with TestClient(create_app(db)) as c:
        yield c


def test_api_ask_answers_like_the_cli(client):
    response = client.get("/api/v1/ask", params={"q": "企业贷款逾期后银行能拿到多少补偿"})
    assert response.status_code == 200
    data = response.json()
    assert data["question"] == "企业贷款逾期后银行能拿到多少补偿"
    top = data["answers"][0]
    assert (top["doc_number"], top["anchor"], top["source"]) == ("测区府发〔2014〕35号", "s-2", "retrieved")
    assert "5:5" in top["sentence"]


def test_api_ask_without_answer_and_bad_input(client):
    assert client.get("/api/v1/ask", params={"q": "明天会不会下雨"}).json()["answers"] == []
    assert client.get("/api/v1/ask").status_code == 422
    assert client.get("/api/v1/ask", params={"q": "粮食", "limit": 0}).status_code == 422


def test_page_shows_answer_with_clause_link(client):
    page = client.get("/qa", params={"q": "企业贷款逾期后银行能拿到多少补偿"})
    assert page.status_code == 200
    assert "<mark>对合作银行发放给中小企业的贷款发生损失的，由风险补偿基金与银行按5:5的比例分担本金损失。</mark>" in page.text
    assert '#s-2">测试区人民政府关于开展中小企业风险补偿贷款的意见</a>' in page.text


def test_page_says_when_nothing_answers_and_escapes_the_question(client):
    page = client.get("/qa", params={"q": "<script>alert(1)</script>下雨吗"})
    assert page.status_code == 200
    assert "没有找到能回答" in page.text
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text


def test_page_without_question_offers_examples(client):
    page = client.get("/qa")
    assert page.status_code == 200 and "考上大学有补助吗" in page.text


def test_curated_answer_on_page_and_api(db, client):  # noqa: F811
    with open_store(db) as store, store.transaction():
        add_entry(store, entry_from_dict(GRAIN_ENTRY))
    page = client.get("/qa", params={"q": "超标粮食怎么处置"})
    assert "编辑答复" in page.text and GRAIN_ENTRY["answer"] in page.text
    entries = client.get("/api/v1/qa").json()["entries"]
    assert entries[0]["key"] == "grain" and entries[0]["stale"] is False
