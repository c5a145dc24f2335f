"""Editors and 督查 in the portal: correction form, review queue page, task progress with unit
tokens, ledger filters by progress, CSV and iCalendar."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from gongbao.store import open_store
from gongbao.web.app import create_app
from editor_fixtures import ISSUE, ingest

RIVER = "汀府发〔2022〕7号"


@pytest.fixture()
def site(tmp_path, monkeypatch):
    config = tmp_path / "gongbao.toml"
    config.write_text('[portal.unit_tokens]\n"市水务局" = "water-token"\n"市林业局" = "forest-token"\n', encoding="utf-8")
    monkeypatch.setenv("GONGBAO_CONFIG", str(config))
    db = ingest(tmp_path, ISSUE.replace("汀州市人民政府办公室\n2022年3月5日", "汀州市人民政府办公室"))
    with open_store(db) as st:
        doc_id = st.find_document_id(RIVER)
    return TestClient(create_app(db, upload_token="editor-token")), doc_id


def test_correction_form(site):
    client, doc_id = site
    url = f"/documents/{doc_id}/corrections"
    assert client.post(url, data={"field": "成文日期", "value": "2022-03-02", "reason": "落款"}).status_code == 401
    assert client.post(url, data={"field": "成文日期", "value": "2022-03-02", "reason": "落款",
                                  "token": "water-token"}).status_code == 403
    bad = client.post(url, data={"field": "成文日期", "value": "2022-02-30", "reason": "落款", "token": "editor-token"})
    assert bad.status_code == 400 and "不是有效日期" in bad.text
    ok = client.post(url, data={"field": "成文日期", "value": "2022-03-02", "reason": "落款为3月2日",
                                "editor": "王编辑", "token": "editor-token"}, follow_redirects=False)
    assert ok.status_code == 303
    page = client.get(f"/documents/{doc_id}").text
    assert "2022-03-02" in page and "更正记录（1）" in page and "落款为3月2日" in page and "王编辑" in page


def test_review_page_and_count(site):
    client, _ = site
    issue = client.get("/issues/1").text
    assert "审核队列：待处理" in issue
    page = client.get("/issues/1/review")
    assert page.status_code == 200 and "文件警告" in page.text
    key = page.text.split('id="item-')[1].split('"')[0]
    before = int(page.text.split('id="review-open">')[1].split("<")[0])
    done = client.post(f"/issues/1/review/{key}", data={"action": "dismiss", "reason": "原件如此",
                                                         "token": "editor-token"}, follow_redirects=False)
    assert done.status_code == 303
    after = int(client.get("/issues/1/review").text.split('id="review-open">')[1].split("<")[0])
    assert after == before - 1


def test_progress_with_unit_tokens(site):
    client, doc_id = site
    url = f"/tasks/{doc_id}/1/progress"
    form = {"state": "done", "done_on": "2022-05-01", "note": "整治完成", "unit": "市水务局"}
    assert client.post(url, data=form).status_code == 401
    wrong_unit = client.post(url, data={**form, "token": "forest-token"})
    assert wrong_unit.status_code == 403 and "市林业局" in wrong_unit.text
    not_assigned = client.post(url, data={**form, "unit": "市林业局", "token": "forest-token"})
    assert not_assigned.status_code == 400 and "未分配给" in not_assigned.text
    assert client.post(url, data={**form, "token": "water-token"}, follow_redirects=False).status_code == 303
    page = client.get(f"/tasks/{doc_id}/1").text
    assert "已办结" in page and "整治完成" in page and "市水务局" in page
    assert "整治完成" in client.get("/tasks?state=done").text
    document = client.get(f"/documents/{doc_id}").text  # its task table shows each task's own progress
    assert document.count("整治完成") == 1 and "progress-done" in document
    assert "整治完成" not in client.get("/tasks?state=overdue").text
    assert client.get("/tasks?state=bogus").status_code == 400
    ics = client.get("/tasks.ics?state=done")
    assert ics.headers["content-type"].startswith("text/calendar") and ics.text.count("BEGIN:VEVENT") == 1
    csv_text = client.get("/tasks.csv").content.decode("utf-8-sig")
    assert "progress_label" in csv_text.splitlines()[0] and "已办结" in csv_text


SINGLE = """汀州市河道管理办法

第一条 为了加强河道管理，制定本办法。
第二条 本办法自2022年5月1日起施行。
"""


def test_single_documents_are_not_issues(tmp_path):
    from gongbao.ingest import ingest_paths

    db = ingest(tmp_path)
    law = tmp_path / "laws" / "hedao.txt"
    law.parent.mkdir()
    law.write_text(SINGLE, encoding="utf-8")
    assert not ingest_paths([law], db, progress=False).failures
    client = TestClient(create_app(db))
    home = client.get("/").text
    assert "<b>1</b>期公报" in home and "其中单行文件 1 件" in home
    issues = client.get("/issues").text
    assert "汀州市人民政府公报" in issues and "hedao.txt" not in issues
    assert "汀州市河道管理办法" in client.get("/search?q=河道管理办法").text
