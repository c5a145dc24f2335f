"""End to end in headless Chromium against a live server on the samples database:
search, open a document, jump to an anchor, follow a citation, download the tasks CSV,
upload an issue with and without the token."""

from __future__ import annotations

import csv
import re

import httpx
from conftest import TOKEN
from web_issue import RAW


def test_search_open_document_and_jump_to_a_clause(page, live_server, artifacts):
    page.goto(live_server + "/")
    page.fill("input[name=q]", "超标粮食 处置")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/search\?q="))
    assert "检索结果" in page.title()
    first = page.locator("ol.hits > li").first
    assert "粮食" in first.locator(".hit-title").inner_text()
    assert first.locator("mark").count() > 0
    clause = first.locator("ul.clauses a").first
    clause.click()
    page.wait_for_url(re.compile(r"/documents/n[0-9a-f]{16}#"))
    anchor = page.evaluate("location.hash.slice(1)")
    target = page.locator(f"[id='{anchor}']")
    assert target.is_visible()
    # the browser scrolled the clause into view
    assert page.evaluate(f"document.getElementById('{anchor}').getBoundingClientRect().top") < 900
    assert page.locator("h1.doc-title").inner_text() in page.title()
    page.screenshot(path=str(artifacts / "document.png"), full_page=False)
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=str(artifacts / "document-375.png"), full_page=False)
    # nothing is wider than a phone screen except inside scrollable table wrappers
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_outline_sidebar_links_jump_to_anchors(page, live_server):
    docs = httpx.get(f"{live_server}/api/v1/search", params={"q": "超标粮食 处置"}).json()["hits"]
    page.goto(f"{live_server}/documents/{docs[0]['id']}")
    link = page.locator("nav.outline-nav a").nth(2)
    href = link.get_attribute("href")
    link.click()
    assert page.evaluate("location.hash") == "#" + href.split("#")[1]
    assert page.locator(f"[id='{href.split('#')[1]}']").is_visible()


def _document_with_present_citation(base: str) -> tuple[str, dict]:
    for doc in httpx.get(f"{base}/api/v1/documents", params={"limit": 500}).json()["items"]:
        cites = httpx.get(f"{base}/api/v1/documents/{doc['id']}/citations").json()["outgoing"]
        for c in cites:
            if c["present"] and c["target_id"]:
                return doc["id"], c
    raise AssertionError("no resolved citation between two documents held")


def test_follow_a_citation(page, live_server):
    doc_id, citation = _document_with_present_citation(live_server)
    target = httpx.get(f"{live_server}/api/v1/documents/{citation['target_id']}").json()
    page.goto(f"{live_server}/documents/{doc_id}")
    page.click(f"#citations a[href='/documents/{citation['target_id']}']")
    page.wait_for_url(f"{live_server}/documents/{citation['target_id']}")
    assert page.locator("h1.doc-title").inner_text() == target["title"]
    # and the cited document lists the citing one among 被引用
    assert page.locator(f"#citations a[href^='/documents/{doc_id}']").count() >= 1


def test_download_the_tasks_csv(page, live_server):
    page.goto(live_server + "/tasks")
    assert page.title().startswith("任务台账")
    with page.expect_download() as info:
        page.click("text=下载 CSV")
    path = info.value.path()
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and set(rows[0]) >= {"text", "lead_units", "deadline_raw", "overdue", "doc_id"}
    total = int(re.search(r"共 (\d+) 项任务", page.inner_text("main")).group(1))
    assert len(rows) == total


def test_upload_without_or_with_a_wrong_token_is_refused_then_with_it_ingests(page, live_server, tmp_path):
    # the hand-made issue is in the database already: upload it as the next number
    issue = tmp_path / "script_issue.txt"
    issue.write_text(RAW.replace("2020年第2期（总第50期）", "2020年第3期（总第51期）"), encoding="utf-8")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    page.goto(live_server + "/upload")
    page.set_input_files("input[name=file]", str(issue))
    page.click("main form button[type=submit]")
    assert "需要编辑令牌" in page.inner_text("main")
    assert "401" in page.title()

    page.goto(live_server + "/upload")
    page.set_input_files("input[name=file]", str(issue))
    page.fill("input[name=token]", "not-the-token")
    page.click("main form button[type=submit]")
    assert "编辑令牌不正确" in page.inner_text("main")
    assert "403" in page.title()

    page.goto(live_server + "/upload")
    page.set_input_files("input[name=file]", str(issue))
    page.fill("input[name=token]", TOKEN)
    page.click("main form button[type=submit]")
    assert "已收录" in page.inner_text("main")
    page.click("text=查看这一期")
    page.click("text=管理办法的通知")
    assert page.locator("h1.doc-title").inner_text() == "示例区人民政府办公室关于印发<script>alert(1)</script>管理办法的通知"
    assert dialogs == []  # the <script> in the gazette text stayed text


def test_pages_work_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/search?q=见义勇为")
    assert page.locator("ol.hits > li").count() >= 1
    page.click("ol.hits > li a.hit-title >> nth=0")
    assert page.locator("dl.card").is_visible()
    context.close()
