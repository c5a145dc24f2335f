"""The review queue: items from warnings, documents, corrections flagged after a re-ingest;
accept / correct / dismiss; decisions hold across re-ingests; the CLI."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys

import pytest

from gongbao.editing import correct
from gongbao.serialize import plain
from gongbao.errors import NotFoundError, UsageError
from gongbao.review import decide, open_counts, review_items
from gongbao.store import open_store
from gongbao.store.migrate import migrations
from editor_fixtures import ISSUE, ingest

FIRE = "汀府办发〔2022〕11号"
UNDATED = ISSUE.replace("汀州市人民政府办公室\n2022年3月5日", "汀州市人民政府办公室")


def _items(store):
    return review_items(store, store.list_issues()[0].id)[1]


def test_items_and_decisions(tmp_path):
    db = ingest(tmp_path, UNDATED)
    with open_store(db) as store:
        items = _items(store)
        [undated] = [i for i in items if i.kind == "document_warning"]
        assert undated.kind_label == "文件警告" and undated.doc_label == FIRE
        issue_id = store.list_issues()[0].id
        before = open_counts(store)[issue_id]
        with pytest.raises(UsageError, match="理由"):
            decide(store, issue_id, undated.key, "dismiss", "", "王编辑")
        decided = decide(store, issue_id, undated.key, "correct", "落款日期见原件", "王编辑", ("date", "2022-03-05"))
        assert decided.decision_label == "已更正" and plain(store.get_document(FIRE))["date"] == "2022-03-05"
        assert open_counts(store)[issue_id] == before - 1
        with pytest.raises(NotFoundError):
            decide(store, issue_id, "ffffffff", "accept", None, "王编辑")
    # the same finding after a re-ingest keeps its decision
    ingest(tmp_path, UNDATED.replace("现就有关事项通知如下。", "现就有关事项通知如下：")) 
    with open_store(db) as store:
        assert all(i.kind != "document_warning" for i in _items(store))


def test_correction_flagged_for_review_is_an_item(tmp_path):
    db = ingest(tmp_path)
    with open_store(db) as store:
        correct(store, FIRE, "type", "通报", "文种", "王编辑")
    ingest(tmp_path, ISSUE.replace("春季是火灾高发期", "春季干燥，是火灾高发期"))
    with open_store(db) as store:
        [item] = [i for i in _items(store) if i.kind == "correction_review"]
        decide(store, store.list_issues()[0].id, item.key, "accept", None, "王编辑")
        [c] = store.corrections(FIRE)
        assert c.state == "active" and "已确认" in c.state_note


def test_cli_review(tmp_path):
    db = ingest(tmp_path, UNDATED)
    cli = [sys.executable, "-m", "gongbao", "review"]
    listing = subprocess.run([*cli, "--db", str(db)], capture_output=True, text=True)
    assert listing.returncode == 0 and "待处理" in listing.stdout
    items = json.loads(subprocess.run([*cli, "1", "--format", "json", "--db", str(db)], capture_output=True,
                                      text=True).stdout)["items"]
    key = next(i["key"] for i in items if i["kind"] == "document_warning")
    done = subprocess.run([*cli, "1", key[:6], "--dismiss", "--reason", "原件无落款日期", "--db", str(db)],
                          capture_output=True, text=True)
    assert done.returncode == 0 and "已驳回" in done.stdout, done.stderr
    both = subprocess.run([*cli, "1", key, "--dismiss", "--accept", "--db", str(db)], capture_output=True, text=True)
    assert both.returncode == 2 and "请选择一种处理" in both.stderr


_BEFORE_CODES = next(m.version for m in migrations() if m.name.endswith("_warning_codes")) - 1


def test_warnings_stored_as_sentences_are_migrated_to_codes(tmp_path):
    """A database written before warnings were codes (English sentences, a decision
    keyed on the sentence) is upgraded in place: codes and parameters, the decision kept."""
    db = ingest(tmp_path, UNDATED)
    with open_store(db, readonly=True) as store:
        fire = plain(store.get_document(FIRE, full=False))["id"]
    sentence = "no signature date (成文日期) found"
    old_key = hashlib.sha1(f"document_warning\n{fire}\n{sentence}".encode("utf-8")).hexdigest()[:12]
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE documents SET warnings = ? WHERE id = ?", (json.dumps([sentence]), fire))
        conn.execute("UPDATE outline_nodes SET warnings = ? WHERE id = (SELECT min(n.id) FROM outline_nodes n"
                     " JOIN documents d ON d.pk = n.doc_pk WHERE d.id = ?)",
                     (json.dumps(["numbering skips: expected 2, found 3", "别的说法"], ensure_ascii=False), fire))
        issue_key = conn.execute("SELECT key FROM issues").fetchone()[0]
        conn.execute("INSERT INTO review_decisions(issue_key, item_key, decision, reason, editor, decided_at)"
                     " VALUES (?, ?, 'dismissed', '原件无落款日期', '王编辑', '2026-12-01T00:00:00')", (issue_key, old_key))
        conn.execute(f"PRAGMA user_version = {_BEFORE_CODES}")
    conn.close()
    with open_store(db) as store:
        doc = plain(store.get_document(FIRE, full=True))
        assert doc["warnings"] == [{"code": "no_date", "params": {}, "label": "未找到成文日期"}]
        node = next(n for n in doc["outline"] if n["warnings"])
        assert [(w["code"], w["params"], w["label"]) for w in node["warnings"]] == [
            ("numbering_skips", {"expected": 2, "found": 3}, "序号不连续：应为 2，实为 3"),
            ("text", {"text": "别的说法"}, "别的说法")]
        issue_id = store.list_issues()[0].id
        assert all(i.code != "no_date" for i in review_items(store, issue_id)[1])  # still dismissed
        [decided] = [i for i in review_items(store, issue_id, include_decided=True)[1] if i.code == "no_date"]
        assert (decided.decision, decided.reason) == ("dismissed", "原件无落款日期")


LAW = ("汀州市养犬管理条例\n\n第一章　总则\n\n第一条　为了规范养犬行为，保障公民健康和人身安全，制定本条例。\n\n"
       "第二条　本市行政区域内的养犬活动适用本条例。\n")


def test_issue_warnings_are_items_parsed_stored_and_on_the_issue_page(tmp_path):
    # a text without a gazette head (a single law) carries an issue-level warning (a Notice):
    # the queue, `parse --warnings` and the issue page once failed on it
    from fastapi.testclient import TestClient
    from gongbao.pipeline import read_issue
    from gongbao.review import parsed_warnings
    from gongbao.web import create_app
    [parsed] = [i for i in parsed_warnings(read_issue(LAW)) if i.kind == "warning"]
    assert parsed.code == "no_head" and parsed.detail == "未找到公文版头：全文按一件文件解析"
    db = ingest(tmp_path, LAW)
    with open_store(db) as store:
        issue_id = store.list_issues()[0].id
        assert [i.code for i in _items(store) if i.kind == "warning"] == ["no_head"]
    page = TestClient(create_app(db)).get(f"/issues/{issue_id}")
    assert page.status_code == 200 and "养犬管理条例" in page.text
