"""Task follow-up (督查): progress reports by the units a task is assigned to, the deadline in
force after a postponement, overdue as of a date, history, CSV and iCalendar."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from icalendar import Calendar

from gongbao.errors import NotFoundError, UsageError
from gongbao.export import export_database
from gongbao.followup import ledger, ledger_ics, report
from gongbao.store import open_store
from editor_fixtures import ISSUE, ingest

RIVER = "汀府发〔2022〕7号"
FIRE = "汀府办发〔2022〕11号"


@pytest.fixture()
def db(tmp_path):
    return ingest(tmp_path)


def _standing(store, doc, number, as_of):
    [row] = [r for r in ledger(store, doc=doc, as_of=as_of) if r["number"] == number]
    return row["progress"]


def test_done_postponed_and_overdue(db):
    with open_store(db) as store:
        assert _standing(store, FIRE, 1, "2022-05-01")["overdue"]  # due 2022-04-30, nothing reported
        report(store, FIRE, 1, "延期", "等待省里统一部署", unit="市应急局", new_deadline="2022-06-30")
        p = _standing(store, FIRE, 1, "2022-05-01")
        assert (p["state"], p["state_label"], p["due"], p["overdue"]) == ("postponed", "延期", "2022-06-30", False)
        assert _standing(store, FIRE, 1, "2022-07-01")["overdue"]
        report(store, FIRE, 1, "已办结", "排查隐患 132 处，已整改", unit="各区人民政府", done_on="2022-06-20")
        p = _standing(store, FIRE, 1, "2022-07-01")
        assert (p["state_label"], p["done_on"], p["overdue"]) == ("已办结", "2022-06-20", False)
        assert [h["state"] for h in p["history"]] == ["postponed", "done"]
        assert [r["number"] for r in ledger(store, state="overdue", as_of="2022-07-01")] == [1]  # the river task
        assert [r["doc_number"] for r in ledger(store, state="done")] == [FIRE]
        assert _standing(store, FIRE, 2, "2030-01-01")["overdue"] is False  # 长期坚持 has no deadline


def test_progress_survives_reingest(tmp_path):
    db = ingest(tmp_path)
    with open_store(db) as store:
        report(store, RIVER, 1, "进行中", "已完成摸底", unit="市水务局")
    ingest(tmp_path, ISSUE.replace("现就有关事项通知如下。", "现就河道有关事项通知如下。"))
    with open_store(db) as store:
        assert _standing(store, RIVER, 1, "2022-05-01")["state"] == "in_progress"


@pytest.mark.parametrize("kwargs, error, words", [
    ({"state": "进行中", "note": "x", "unit": "市财政局"}, UsageError, "未分配给"),
    ({"state": "进行中", "note": "x"}, UsageError, "--unit"),
    ({"state": "已办结", "note": "x", "unit": "市水务局"}, UsageError, "办结日期"),
    ({"state": "已办结", "note": "x", "unit": "市水务局", "done_on": "2022-02-30"}, UsageError, "不是有效日期"),
    ({"state": "延期", "note": "x", "unit": "市水务局"}, UsageError, "新的完成时限"),
    ({"state": "完成了吧", "note": "x", "unit": "市水务局"}, UsageError, "进展状态"),
    ({"state": "进行中", "note": " ", "unit": "市水务局"}, UsageError, "进展说明"),
])
def test_bad_reports_change_nothing(db, kwargs, error, words):
    with open_store(db) as store:
        with pytest.raises(error, match=words):
            report(store, RIVER, 1, **kwargs)
        with pytest.raises(NotFoundError, match="第 5 项任务"):
            report(store, RIVER, 5, "进行中", "x", unit="市水务局")
        assert store.progress() == []


def test_editor_may_report_without_a_unit(db):
    with open_store(db) as store:
        record = report(store, RIVER, 1, "进行中", "督查办电话核实", editor=True, by="督查办")
    assert (record.unit, record.recorded_by) == ("（编辑）", "督查办")


def test_ics_has_one_event_per_deadline(db):
    with open_store(db) as store:
        report(store, FIRE, 1, "延期", "等待部署", unit="市应急局", new_deadline="2022-06-30")
        cal = Calendar.from_ical(ledger_ics(ledger(store, as_of="2022-05-01")))
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert len(events) == 2  # the 长期坚持 task has no date
    fire = next(e for uid, e in events.items() if uid.endswith("-1@gongbao") and "隐患" in str(e["summary"]))
    assert fire.decoded("dtstart").isoformat() == "2022-06-30" and "延期" in str(fire["summary"])
    assert "市应急局" in str(fire["description"])


def test_exports_and_cli(db, tmp_path):
    cli = [sys.executable, "-m", "gongbao"]
    done = subprocess.run([*cli, "progress", RIVER, "1", "--state", "已办结", "--date", "2022-05-20", "--note", "整治完成",
                           "--unit", "市水务局", "--db", str(db)], capture_output=True, text=True)
    assert done.returncode == 0 and "已办结" in done.stdout, done.stderr
    wrong = subprocess.run([*cli, "progress", RIVER, "1", "--state", "进行中", "--note", "x", "--unit", "市林业局",
                            "--db", str(db)], capture_output=True, text=True)
    assert wrong.returncode == 2 and "未分配给" in wrong.stderr
    tsv = subprocess.run([*cli, "ledger", "--as-of", "2022-07-01", "--db", str(db)], capture_output=True, text=True)
    rows = [line.split("\t") for line in tsv.stdout.splitlines()]
    assert rows[0][:4] == ["文件", "文号", "任务序号", "任务"] and "已办结" in rows[1] and "…" not in tsv.stdout
    bad = subprocess.run([*cli, "ledger", "--as-of", "foo", "--db", str(db)], capture_output=True, text=True)
    assert bad.returncode == 2 and "不是有效日期" in bad.stderr
    written = export_database(db, tmp_path / "out", "jsonl")
    progress = [json.loads(x) for x in (tmp_path / "out" / "progress.jsonl").read_text(encoding="utf-8").splitlines()]
    assert progress[0]["state_label"] == "已办结" and progress[0]["unit"] == "市水务局"
    assert any(p.endswith("progress.jsonl") for p in written)
