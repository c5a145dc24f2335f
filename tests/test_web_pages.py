"""Portal pages through the real app on a hand-made issue (tests/web_issue.py)."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from gongbao.store import number_id
from gongbao.web import create_app
from web_issue import build_db

DOC = number_id("示府办发〔2020〕12号")
OTHER = number_id("示府发〔2019〕3号")


@pytest.fixture(scope="module")
def client(module_db_target):
    db = build_db(module_db_target)  # each engine (tests/conftest.py)
    return TestClient(create_app(db, upload_token="t"))


def test_gazette_text_is_escaped_everywhere(client):
    for path in (f"/documents/{DOC}", "/", "/issues/1", "/issues/1/source", "/library", "/tasks",
                 "/units/示例区人民政府办公室"):
        html = client.get(path).text
        assert "<script>alert(1)" not in html, path
    page = client.get(f"/documents/{DOC}").text
    assert "印发&lt;script&gt;alert(1)&lt;/script&gt;管理办法" in page
    assert "<title>示例区人民政府办公室关于印发&lt;script&gt;" in page


def test_document_page_shows_the_gbt9704_elements(client):
    html = client.get(f"/documents/{DOC}").text
    for label, value in (("发文机关", "示例区人民政府办公室"), ("发文字号", "示府办发〔2020〕12号"), ("成文日期", "2020-02-10"),
                         ("主送机关", "各镇人民政府，区政府各部门"), ("公开属性", "此件公开发布")):
        assert f"<dt>{label}</dt>" in html
        assert value in html
    assert '<a href="/issues/1/source#L6">原文第 6–18 行</a>' in html
    assert '<a href="/issues/1">示例区人民政府公报 2020年第2期（总第50期）</a>' in html


def test_every_outline_node_is_an_anchor_and_tables_are_tables(client):
    html = client.get(f"/documents/{DOC}").text
    for anchor in ("art-1", "art-2", "art-3"):
        assert f'id="{anchor}"' in html
        assert f'<li><a href="#{anchor}">' in html  # outline sidebar
    assert '<th scope="col">牵头单位</th>' in html
    assert "<td>区发展改革委</td>" in html
    # the table replaces its source lines instead of repeating them as text
    assert "| 建立台账 |" not in html


def test_attachments_tasks_and_citations(client):
    html = client.get(f"/documents/{DOC}").text
    assert "示例表格" in html and "略（未刊登）" in html
    assert "已逾期" in html  # deadline 2020-12-31 has passed
    assert '<a href="/units/%E5%8C%BA%E5%8F%91%E5%B1%95%E6%94%B9%E9%9D%A9%E5%A7%94">区发展改革委</a>' in html
    assert "国务院办公厅关于示例的通知" in html and "未收录" in html


def test_unknown_document_is_a_404_page(client):
    r = client.get("/documents/n0000000000000000")
    assert r.status_code == 404
    assert "没有找到公文" in r.text


def test_issue_page_sets_toc_beside_documents_with_findings(client):
    html = client.get("/issues/1").text
    assert f'<a href="/documents/{OTHER}">示例区人民政府关于加强示例工作的意见</a>' in html
    assert "示例区人民政府关于不存在文件的通知" in html and "正文未找到" in html
    assert "正文缺失" in html


def test_source_page_numbers_every_line(client):
    html = client.get("/issues/1/source").text
    assert '<li id="L7"><a href="#L7">7</a><span>示府办发〔2020〕12号</span></li>' in html


def test_unit_page_lists_documents_and_tasks(client):
    html = client.get("/units/区发展改革委").text
    assert "建立台账" in html and "牵头" in html and "已逾期 1 项" in html
    html = client.get("/units/示例区人民政府").text
    assert "示例区人民政府关于加强示例工作的意见" in html
    # the office is another unit: its notice is not the government's
    assert "管理办法的通知" not in html


def test_tasks_ledger_filters_and_csv(client):
    assert "建立台账" in client.get("/tasks?overdue=1").text
    assert "没有符合条件的任务" in client.get("/tasks?due_from=2021-01-01").text
    assert "没有符合条件的任务" in client.get("/tasks?unit=市教委").text
    r = client.get("/tasks.csv?unit=区发展改革委")
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [(row["text"], row["lead_units"], row["deadline_iso"], row["overdue"]) for row in rows] == [
        ("建立台账", "区发展改革委", "2020-12-31", "True")]


def test_bad_date_filter_is_a_clear_400(client):
    r = client.get("/tasks?due_from=yesterday")
    assert r.status_code == 400 and "日期" in r.text
    for _ in range(2):  # the second time too: a bad filter is never kept as a ledger
        r = client.get("/tasks?due_to=tomorrow")
        assert r.status_code == 400 and "时限止" in r.text


def test_library_groups_documents_by_status(client):
    html = client.get("/library").text
    # the 2-year trial measures of 2020 have run out; the evidence is the document's own words
    expired = html.split('id="g-expired"')[1].split("</section>")[0]
    assert "管理办法的通知" in expired
    assert "本办法自2020年3月1日起施行，有效期2年。" in expired and "有效期至 2022-02-28，已届满" in expired
    for label in ("现行有效", "已废止", "失效", "未知"):
        assert f"{label}（" in html
    assert "示例区人民政府关于加强示例工作的意见" in html
    assert "加强示例" not in client.get("/library?q=不存在的标题").text.split("<h2")[1]


def test_document_exports(client):
    md = client.get(f"/documents/{DOC}.md")
    assert md.headers["content-type"].startswith("text/markdown")
    assert md.text.startswith("# 示例区人民政府办公室关于印发<script>")
    assert "- 发文字号：示府办发〔2020〕12号" in md.text
    assert "| 建立台账 | 区发展改革委 | 2020年12月31日 |" in md.text
    assert "**第二条** 超标粮食应当在收购后及时处置" in md.text
    txt = client.get(f"/documents/{DOC}.txt").text
    assert "第三条 本办法自2020年3月1日起施行，有效期2年。" in txt
    data = client.get(f"/documents/{DOC}.json").json()
    assert data["id"] == DOC and data["outline"][1]["anchor"] == "art-2"
    assert client.get(f"/documents/{DOC}.pdf").status_code == 404


def test_home_counts(client):
    html = client.get("/").text
    assert "<b>2</b>件公文" in html and "示例区人民政府公报" in html


def test_atom_feeds(client):
    r = client.get("/feeds/documents.atom")
    assert r.headers["content-type"].startswith("application/atom+xml")
    assert "&lt;script&gt;" in r.text and "<script>" not in r.text
    assert r.text.count("<entry>") == 2
    assert client.get("/feeds/issuers/示例区人民政府.atom").text.count("<entry>") == 1
    assert "建立台账" in client.get("/feeds/units/区发展改革委/tasks.atom").text


def test_repeated_pages_come_from_the_cache_with_the_same_headers(client):
    first = client.get(f"/documents/{OTHER}")
    again = client.get(f"/documents/{OTHER}")
    assert again.headers.get("x-cache") == "hit" and again.text == first.text
    assert again.headers["content-type"] == first.headers["content-type"]
    assert "default-src 'self'" in again.headers["content-security-policy"]


def test_known_but_absent_document_has_a_page(client):
    absent = number_id("国办发〔2019〕5号")
    html = client.get(f"/documents/{absent}").text
    assert "未收录这件公文的全文" in html
    assert "国办发〔2019〕5号" in html
    # the citing document is listed among 被引用
    assert f'<a href="/documents/{DOC}' in html.split('id="citations"')[1]


def test_cached_answers_carry_an_etag_and_revalidate_with_304(client):
    first = client.get(f"/documents/{DOC}.md")
    tag = first.headers["etag"]
    again = client.get(f"/documents/{DOC}.md", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert client.get(f"/documents/{DOC}.md", headers={"If-None-Match": '"other"'}).status_code == 200


def test_search_page_status_facet_filters(client):
    html = client.get("/search", params={"q": "粮食"}).text
    assert "失效</a> <small>1</small>" in html  # the status facet of the one matching document
    assert "管理办法的通知" in client.get("/search", params={"q": "粮食", "status": "expired"}).text
    assert "没有找到" in client.get("/search", params={"q": "粮食", "status": "in_force"}).text
