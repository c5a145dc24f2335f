"""Exports: body_blocks, a document as Markdown/text, the database as JSONL/CSV (CLI)."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from gongbao.cli import app as cli
from gongbao.serialize import plain
from gongbao.errors import InputError
from gongbao.export import body_blocks, document_markdown, document_text, export_database
from gongbao.store import number_id, open_store
from web_issue import build_db

DOC = number_id("示府办发〔2020〕12号")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_db(tmp_path_factory.mktemp("export") / "e.db")


@pytest.fixture(scope="module")
def doc(db):
    with open_store(db, readonly=True) as st:
        return plain(st.get_document(DOC))


def test_body_blocks_put_anchors_on_their_lines_and_tables_in_place(doc):
    blocks = body_blocks(doc)
    by_anchor = {a: b for b in blocks for a in b.anchors}
    assert by_anchor["art-2"].text.startswith("第二条 超标粮食")
    assert by_anchor["art-2"].number == "第二条"
    tables = [b for b in blocks if b.table is not None]
    assert len(tables) == 1 and tables[0].lines == [14, 15]
    texts = [b.text for b in blocks if b.table is None]
    assert "| 建立台账 | 区发展改革委 | 2020年12月31日 |" not in texts  # replaced by the table
    assert texts[-1] == "附件：示例表格（略）"  # reading order kept after the table


def test_markdown_and_text(doc):
    md = document_markdown(doc, status="失效")
    assert md.splitlines()[0] == f"# {doc['title']}"
    assert "- 发文机关：示例区人民政府办公室" in md and "- 效力状态：失效" in md
    assert "| 任务 | 牵头单位 | 完成时限 |\n| --- | --- | --- |\n| 建立台账 | 区发展改革委 | 2020年12月31日 |" in md
    assert "## 附件\n\n- 示例表格（略）" in md
    txt = document_text(doc)
    assert txt.startswith(doc["title"] + "\n\n发文机关：示例区人民政府办公室\n发文字号：示府办发〔2020〕12号")
    assert "第一条 为了规范粮食处置工作，制定本办法。" in txt


def test_export_database_jsonl(db, tmp_path):
    written = export_database(db, tmp_path / "out", "jsonl")
    counts = {name.rsplit("/", 1)[-1]: n for name, n in written.items()}
    # two documents held + one known-but-absent (国办发〔2019〕5号) created by resolution
    assert counts == {"documents.jsonl": 3, "tasks.jsonl": 1, "citations.jsonl": 2, "corrections.jsonl": 0,
                      "progress.jsonl": 0}
    docs = [json.loads(line) for line in (tmp_path / "out" / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    full = next(d for d in docs if d["id"] == DOC)
    assert full["outline"][0]["anchor"] == "art-1" and full["tables"][0]["rows"] == [["建立台账", "区发展改革委", "2020年12月31日"]]
    absent = next(d for d in docs if not d["present"])
    assert absent["doc_number"] == "国办发〔2019〕5号"


def test_export_cli_csv(db, tmp_path):
    out = tmp_path / "csv"
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "tasks.csv\t1 rows" in result.output
    with (out / "tasks.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["doc_id"] == DOC and rows[0]["lead_units"] == "区发展改革委" and rows[0]["overdue"] == "True"
    with (out / "citations.csv").open(encoding="utf-8-sig", newline="") as fh:
        cites = {r["doc_number"]: r for r in csv.DictReader(fh)}
    assert cites["示府发〔2019〕3号"]["target_present"] == "True"
    assert cites["国办发〔2019〕5号"]["target_present"] == "False"


def test_export_refuses_unknown_format_and_missing_db(db, tmp_path):
    with pytest.raises(InputError):
        export_database(db, tmp_path / "x", "xml")
    result = CliRunner().invoke(cli, ["export", "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0


def test_serve_refuses_a_missing_database(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0
    assert "不存在" in str(result.exception)
