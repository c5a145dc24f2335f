"""The command line as people expect: documents by title, Chinese text output, piped output
complete (no cut at 80 columns), invalid dates refused, search by status, warnings listed."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest

from gongbao.editing import correct
from gongbao.export import export_database
from gongbao.store import open_store
from editor_fixtures import ISSUE, ingest, write_issue

RIVER_TITLE = "汀州市人民政府关于加强河道管理的通知"


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "gongbao", *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("people")
    path = ingest(folder, ISSUE.replace("开展专项整治。", "开展专项整治，" + "清理河道两岸违法建筑和堆放物，" * 6 + "。"))
    with open_store(path) as store:
        correct(store, "汀府办发〔2022〕11号", "status", "已废止", "已被新通知废止", "王编辑")
    return str(path)


def test_status_and_show_by_title_in_chinese(db):
    out = _cli("status", RIVER_TITLE, "--as-of", "2023-01-01", "--db", db)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"{RIVER_TITLE}：现行有效（截至 2023-01-01）") and "证据：截至 2023-01-01 未见废止" in out.stdout
    shown = _cli("show", f"《{RIVER_TITLE}》", "--db", db)
    assert "效力: 现行有效" in shown.stdout and "〔废止〕" in shown.stdout and "in_force" not in shown.stdout
    data = json.loads(_cli("show", RIVER_TITLE, "--format", "json", "--db", db).stdout)
    assert (data["status"], data["status_label"]) == ("in_force", "现行有效")


def test_piped_output_is_complete(db):
    shown = _cli("show", RIVER_TITLE, "--db", db).stdout
    assert "清理河道两岸违法建筑和堆放物，" * 6 in shown  # one line, not wrapped at 80 columns
    tasks = _cli("tasks", "--db", db).stdout.splitlines()
    assert tasks[0].split("\t")[:4] == ["文档", "锚点", "出处", "任务"]
    assert any("清理河道两岸违法建筑和堆放物，" * 6 in line for line in tasks) and "…" not in "".join(tasks)


@pytest.mark.parametrize("args", [
    ("status", RIVER_TITLE, "--as-of", "foo"), ("status", RIVER_TITLE, "--as-of", "2021-02-30"),
    ("tasks", "--overdue", "--as-of", "2021-02-30"), ("tasks", "--due-before", "yesterday"),
    ("ledger", "--as-of", "2021-13-01"), ("search", "河道", "--status", "abolished"),
])
def test_invalid_dates_and_choices_are_refused(db, args):
    out = _cli(*args, "--db", db)
    assert out.returncode == 2 and out.stderr.startswith(("错误", "用法错误")) and out.stdout == ""


def test_search_by_status(db):
    repealed = json.loads(_cli("search", "防火", "--status", "已废止", "--format", "json", "--db", db).stdout)
    assert [h["doc_number"] for h in repealed["hits"]] == ["汀府办发〔2022〕11号"]
    assert json.loads(_cli("search", "防火", "--status", "in_force", "--format", "json", "--db", db).stdout)["hits"] == []
    text = _cli("search", "河道", "--db", db).stdout
    assert "现行有效" in text and text.startswith("共 ")


def test_parse_warnings(tmp_path):
    path = write_issue(tmp_path, ISSUE.replace("汀州市人民政府办公室\n2022年3月5日", "汀州市人民政府办公室"))
    listed = json.loads(_cli("parse", str(path), "--warnings", "--format", "json").stdout)
    assert [(w["kind"], w["code"], w["doc_label"]) for w in listed] == [("document_warning", "no_date", "汀府办发〔2022〕11号")]
    assert listed[0]["detail"] == "未找到成文日期"
    text = _cli("parse", str(path), "--warnings").stdout
    assert text.splitlines()[0].startswith("文件警告\t汀府办发〔2022〕11号") and "共 1 条" in text


def test_export_has_a_status_column(db, tmp_path):
    export_database(db, tmp_path, "csv")
    with (tmp_path / "documents.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = {r["doc_number"]: r for r in csv.DictReader(fh)}
    assert rows["汀府办发〔2022〕11号"]["status_label"] == "已废止"
    assert rows["汀府发〔2022〕7号"]["status"] == "in_force"
