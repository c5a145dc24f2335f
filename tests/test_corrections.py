"""Editors' corrections: validation, storage apart from parser output, survival across
re-ingest, redundant and review states, status and relation corrections, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from gongbao.editing import correct, correction_dict
from gongbao.serialize import plain
from gongbao.errors import NotFoundError, UsageError
from gongbao.links.resolve import document_status
from gongbao.store import open_store
from editor_fixtures import ISSUE, ingest

RIVER = "汀府发〔2022〕7号"
FIRE = "汀府办发〔2022〕11号"


@pytest.fixture()
def db(tmp_path, db_target):
    return ingest(tmp_path, db=db_target)


def test_correction_is_applied_and_kept_apart(db):
    with open_store(db) as store:
        record = correct(store, RIVER, "title", "汀州市人民政府关于加强河道和湖泊管理的通知", "原文标题有“和湖泊”", "王编辑")
        doc = plain(store.get_document(RIVER))
    assert doc["title"] == "汀州市人民政府关于加强河道和湖泊管理的通知"
    assert record.parser_value == "汀州市人民政府关于加强河道管理的通知"
    assert (record.editor, record.reason, record.state) == ("王编辑", "原文标题有“和湖泊”", "active")
    assert record.created_at[:4].isdigit()


def test_correction_wins_over_every_later_ingest(tmp_path, db_target):
    db = ingest(tmp_path, db=db_target)
    with open_store(db) as store:
        correct(store, FIRE, "date", "2022年3月6日", "落款日期印刷有误，见原件", "王编辑")
        correct(store, FIRE, "task.1.deadline", "2022年5月31日前", "督查办通知延后", "王编辑")
    # the other document changes: the issue is re-ingested, the correction stays in force
    ingest(tmp_path, ISSUE.replace("现就有关事项通知如下。", "现就河道管理有关事项通知如下。"), db=db)
    with open_store(db) as store:
        doc = plain(store.get_document(FIRE))
        assert store.get_issue(doc["issue"]["id"]).revision == 2
        assert doc["date"] == "2022-03-06"
        assert doc["tasks"][0]["deadline"]["iso"] == "2022-05-31"
        assert [c.state for c in store.corrections(FIRE)] == ["active", "active"]


def test_redundant_when_the_parser_reads_the_value_itself(tmp_path, db_target):
    db = ingest(tmp_path, db=db_target)
    with open_store(db) as store:
        correct(store, FIRE, "date", "2022-03-06", "落款日期", "王编辑")
    ingest(tmp_path, ISSUE.replace("2022年3月5日", "2022年3月6日"), db=db)
    with open_store(db) as store:
        [c] = store.corrections(FIRE)
        assert c.state == "redundant" and c.parser_value == "2022-03-06"
        assert plain(store.get_document(FIRE))["date"] == "2022-03-06"


def test_flagged_for_review_when_the_source_changed_under_it(tmp_path, db_target):
    db = ingest(tmp_path, db=db_target)
    with open_store(db) as store:
        correct(store, FIRE, "addressee", "各区人民政府", "主送机关只有各区", "王编辑")
    ingest(tmp_path, ISSUE.replace("春季是火灾高发期", "春季干燥，是火灾高发期"), db=db)
    with open_store(db) as store:
        [c] = store.corrections(FIRE)
        assert c.state == "review" and c.state_note
        assert plain(store.get_document(FIRE))["addressee"] == "各区人民政府"  # still applied until an editor decides


def test_a_document_gone_from_the_issue_leaves_its_correction_for_review(tmp_path, db_target):
    db = ingest(tmp_path, db=db_target)
    with open_store(db) as store:
        correct(store, FIRE, "type", "通报", "文种", "王编辑")
    ingest(tmp_path, ISSUE[: ISSUE.index("汀州市人民政府办公室关于做好春季防火工作的通知")], db=db)
    with open_store(db) as store:
        [c] = store.corrections(states=["review"])
        assert "找不到" in c.state_note


def test_newer_correction_supersedes_and_history_is_kept(db):
    with open_store(db) as store:
        correct(store, RIVER, "type", "决定", "第一次", "甲")
        correct(store, RIVER, "type", "意见", "第二次", "乙")
        history = store.corrections(RIVER)
        assert [(c.value, c.state) for c in history] == [("决定", "superseded"), ("意见", "active")]
        assert history[1].parser_value == "通知"  # the parser's value, not the first correction's
        assert plain(store.get_document(RIVER))["type"] == "意见"


def test_status_and_relation_corrections(db):
    with open_store(db) as store:
        assert document_status(store, RIVER).code == "in_force"
        correct(store, RIVER, "status", "已废止", "已被2023年新规定废止", "王编辑")
        status = document_status(store, RIVER)
        assert status.code == "repealed" and status.evidence[0].get("reason") == "已被2023年新规定废止"
        correct(store, FIRE, "relation", "废止 汀府办发〔2019〕2号", "正文第三段", "王编辑")
        assert document_status(store, "汀府办发〔2019〕2号").code == "repealed"
        relations = plain(store.get_document(FIRE))["relations"]
        assert [r["target_doc_number"] for r in relations] == ["汀府办发〔2019〕2号"]
        correct(store, RIVER, "relation", "删除 废止 汀府发〔2015〕3号", "该句不是废止", "王编辑")
        assert plain(store.get_document(RIVER))["relations"] == []


def test_task_units_correction(db):
    with open_store(db) as store:
        correct(store, RIVER, "任务1.配合单位", "市生态环境局、市农业农村委", "原文两个配合单位", "王编辑")
        assert [t.partner_units for t in store.tasks(unit="市农业农村委")] == [["市生态环境局", "市农业农村委"]]


@pytest.mark.parametrize("doc, field, value, reason, error, words", [
    ("汀府发〔2099〕1号", "title", "x", "r", NotFoundError, "没有文件"),
    (RIVER, "colour", "red", "r", UsageError, "没有可更正的字段"),
    (RIVER, "date", "2021-02-30", "r", UsageError, "不是有效日期"),
    (RIVER, "doc_number", "第三号文件", "r", UsageError, "不是可识别的文号"),
    (RIVER, "status", "作废", "r", UsageError, "效力状态只能是"),
    (RIVER, "title", "新标题", "  ", UsageError, "理由"),
    (RIVER, "task.9.deadline", "2022年底前", "r", NotFoundError, "第 9 项任务"),
    (RIVER, "relation", "废止", "r", UsageError, "关系应写作"),
])
def test_bad_corrections_change_nothing(db, doc, field, value, reason, error, words):
    with open_store(db) as store:
        before = plain(store.get_document(RIVER))
        with pytest.raises(error, match=words):
            correct(store, doc, field, value, reason, "王编辑")
        assert store.corrections() == [] and plain(store.get_document(RIVER)) == before


def _cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "gongbao", *args], capture_output=True, text=True, env=env)


def test_cli_correct_and_list(db):
    ok = _cli("correct", RIVER, "文号", "汀府发[2022]8号", "--reason", "文号印错", "--editor", "王编辑", "--db", str(db))
    assert ok.returncode == 0, ok.stderr
    assert "文号" in ok.stdout and "汀府发〔2022〕8号" in ok.stdout
    listed = json.loads(_cli("corrections", "--format", "json", "--db", str(db)).stdout)
    assert listed[0]["field_label"] == "文号" and listed[0]["state"] == "active" and listed[0]["state_label"] == "生效中"
    shown = _cli("show", "汀府发〔2022〕8号", "--format", "json", "--db", str(db))
    assert json.loads(shown.stdout)["doc_number"] == "汀府发〔2022〕8号"
    bad = _cli("correct", RIVER, "date", "2021-02-30", "--reason", "x", "--db", str(db))
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "不是有效日期" in bad.stderr
    missing = _cli("correct", "没有这个文件", "title", "x", "--reason", "x", "--db", str(db))
    assert missing.returncode == 1 and "没有文件" in missing.stderr


def test_correction_dict_has_labels_beside_codes(db):
    with open_store(db) as store:
        out = correction_dict(correct(store, RIVER, "status", "repealed", "理由", "王编辑"))
    assert (out["value"], out["value_text"], out["field_label"]) == ("repealed", "已废止", "效力状态")
