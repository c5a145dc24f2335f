"""Input bounds (gongbao.inputs, gongbao.limits): special files refused before reading, file
size, line length and title length limits (configurable), NUL bytes anywhere, UTF-16 without
a byte-order mark — each a clear Chinese reason, the good files of a run still stored."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gongbao.errors import InputError
from gongbao.extract.text import decode
from gongbao.ingest import ingest_paths
from gongbao.inputs import read_file
from gongbao.labels import describe
from gongbao.pipeline import read_issue
from gongbao.store import open_store

SAMPLE = Path(__file__).parent.parent / "samples" / "004_8c3e04d8c27f17c2.txt"


def test_devices_and_fifos_are_refused_before_reading(tmp_path):
    with pytest.raises(InputError, match="字符设备"):
        read_file("/dev/zero")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="FIFO"):
        read_file(fifo)  # no writer: reading would block for ever
    good = tmp_path / "good.txt"
    good.write_bytes(SAMPLE.read_bytes())
    summary = ingest_paths(["/dev/zero", fifo, good], tmp_path / "g.db", progress=False)
    assert summary.added == 1
    assert sorted(f.path for f in summary.failures) == sorted(["/dev/zero", str(fifo)])


def test_file_size_limit_is_configurable(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_bytes(SAMPLE.read_bytes())
    monkeypatch.setenv("GONGBAO_MAX_FILE_BYTES", "1000")
    with pytest.raises(InputError, match="GONGBAO_MAX_FILE_BYTES"):
        read_file(path)
    monkeypatch.setenv("GONGBAO_MAX_FILE_BYTES", str(path.stat().st_size))
    assert read_file(path) == SAMPLE.read_bytes()


def test_an_over_long_line_is_refused_with_its_number(monkeypatch):
    text = "重庆市人民政府公报\n第二行\n" + "管理" * 15_000 + "\n"
    with pytest.raises(InputError, match="第 3 行过长"):
        decode(text.encode("utf-8"))
    monkeypatch.setenv("GONGBAO_MAX_LINE_CHARS", "40000")
    assert decode(text.encode("utf-8"))[0] == text


def test_a_nul_anywhere_is_refused():
    text = SAMPLE.read_text(encoding="utf-8")
    late = (text * 3)[:100_000] + "\x00" + "尾部"
    with pytest.raises(InputError, match="NUL"):
        decode(late.encode("utf-8"))


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(encoding):
    text = SAMPLE.read_text(encoding="utf-8")
    decoded, used = decode(text.encode(encoding))
    assert decoded == text and used == encoding
    assert read_issue(text.encode(encoding)).documents


def test_random_binary_with_nuls_is_still_binary():
    data = bytes(range(256)) * 400
    with pytest.raises(InputError, match="binary"):
        decode(data)


def test_an_over_long_title_is_cut_with_a_warning(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGBAO_MAX_TITLE_CHARS", "30")
    issue = read_issue(SAMPLE.read_bytes(), str(SAMPLE))
    assert issue.documents
    assert all(len(doc.title) <= 31 for doc in issue.documents)
    cut = [doc for doc in issue.documents if doc.title.endswith("…")]
    assert cut and all(any(w.code == "title_cut" and w.get("kept") == 30 for w in doc.warnings) for doc in cut)
    assert describe(next(w for w in cut[0].warnings if w.code == "title_cut")).startswith("标题过长（")


def test_a_run_on_line_does_not_become_a_huge_stored_title(tmp_path):
    """A 15,000-character line (under the line limit) is not stored as a 15,000-character title."""
    path = tmp_path / "runon.txt"
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    lines.insert(12, "重庆市武隆区人民政府关于" + "加强管理" * 3700 + "的通知")
    path.write_text("\n".join(lines), encoding="utf-8")
    summary = ingest_paths([path], tmp_path / "g.db", progress=False)
    assert summary.failures == []
    with open_store(tmp_path / "g.db", readonly=True) as store:
        longest = max(len(d.title) for d in store.list_documents(limit=500).items)
    assert longest <= 501
