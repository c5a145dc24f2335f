"""A query is cut exactly as rjieba cuts it, from the dictionary words it holds alone
(search.querycut), and the query commands then never build rjieba's whole dictionary."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import rjieba
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))
from test_cli_query import PROBE  # noqa: E402

from gongbao.ingest import ingest_paths  # noqa: E402
from gongbao.search import querycut  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
pytestmark = pytest.mark.skipif(querycut._dictionary_file() is None, reason="the jieba package (dict.txt) is absent")


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cache")
    saved = os.environ.get("GONGBAO_CACHE")
    os.environ["GONGBAO_CACHE"] = str(folder)
    querycut._table.cache_clear()
    assert querycut._table() is not None
    yield folder
    querycut._table.cache_clear()
    if saved is None:
        del os.environ["GONGBAO_CACHE"]
    else:
        os.environ["GONGBAO_CACHE"] = saved


def _sample_lines() -> list[str]:
    lines = []
    for path in sorted(SAMPLES.glob("*.txt")):
        lines += [line.strip()[:120] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines[::3]


def test_sample_lines_are_cut_as_rjieba_cuts_them(cache):
    lines = _sample_lines()
    assert len(lines) > 300
    for line in lines:
        small = querycut._jieba_for(line)
        assert small.cut(line) == rjieba.cut(line), line
        assert small.cut_for_search(line) == rjieba.cut_for_search(line), line


# Characters of ordinary policy text, so that runs form dictionary words of several lengths.
_CHARS = "粮食重金属超标处置企业贷款逾期银行补偿离婚子女抚养人民政府安全生产监督管理办法条例第一二三十条款规定应当可以不得"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_CHARS + "，。、 0123456789abcAB-", min_size=1, max_size=40))
def test_any_short_text_is_cut_as_rjieba_cuts_it(cache, text):
    small = querycut._jieba_for(text)
    assert small.cut(text) == rjieba.cut(text)
    assert small.cut_for_search(text) == rjieba.cut_for_search(text)


def test_without_the_table_rjieba_itself_cuts(monkeypatch, tmp_path):
    querycut._table.cache_clear()
    monkeypatch.setenv("GONGBAO_CACHE", str(tmp_path / "a-file"))
    (tmp_path / "a-file").write_text("not a folder")
    try:
        assert querycut._table() is None
        assert querycut.cut("粮食重金属超标了怎么办") == rjieba.cut("粮食重金属超标了怎么办")
    finally:
        querycut._table.cache_clear()


def test_a_dictionary_unlike_rjiebas_is_not_used(monkeypatch, tmp_path):
    real = querycut._read_dictionary
    monkeypatch.setattr(querycut, "_read_dictionary", lambda path: {**real(path), "粮食重金属": (99, "")})
    querycut._table.cache_clear()
    monkeypatch.setenv("GONGBAO_CACHE", str(tmp_path))
    try:
        assert querycut._table() is None
        assert not list(tmp_path.iterdir())
    finally:
        querycut._table.cache_clear()


def test_tags_from_the_table_are_the_dictionarys(cache, monkeypatch, tmp_path):
    words = ["韩国", "华为", "老汉", "工资", "重庆", "试用期", "没有这个词"]
    tags = frozenset({"ns", "nz", "nr"})
    from_table = querycut.tags_of(words, tags)
    assert from_table["韩国"] == "ns" and "工资" not in from_table and "没有这个词" not in from_table
    querycut._table.cache_clear()
    monkeypatch.setenv("GONGBAO_CACHE", str(tmp_path / "a-file"))
    (tmp_path / "a-file").write_text("not a folder")
    try:
        assert querycut._table() is None
        assert querycut.tags_of(words, tags) == from_table
    finally:
        querycut._table.cache_clear()


def test_the_placeholder_in_a_text_goes_to_rjieba(cache):
    assert querycut._jieba_for("粮食" + querycut.PLACEHOLDER) is None




@pytest.mark.parametrize("args", [("search", "见义勇为 奖励"), ("search", '"超标粮食"'), ("ask", "粮食重金属超标了怎么办")])
def test_query_commands_answer_the_same_without_rjiebas_dictionary(cache, tmp_path, args):
    db = tmp_path / "q.db"
    ingest_paths([SAMPLES], db, progress=False)
    runs = {}
    for name, folder in (("small", cache), ("rjieba", tmp_path / "none")):
        (tmp_path / "none").write_text("")  # a file: no table can be made there
        # the budget is not what this test asks about: a loaded machine must not fail it
        env = {**os.environ, "GONGBAO_CACHE": str(folder), "GONGBAO_QUERY_SECONDS": "600"}
        out = subprocess.run([sys.executable, "-c", PROBE, *args, "--db", str(db)], capture_output=True, text=True,
                             timeout=120, env=env)
        assert out.returncode == 0, out.stderr
        modules = next(x for x in out.stderr.splitlines() if x.startswith("MODULES ")).split()[1:]
        runs[name] = (out.stdout, "rjieba" in modules)
    assert runs["small"][0] == runs["rjieba"][0] and runs["small"][0].strip()
    assert runs["small"][1] is False and runs["rjieba"][1] is True


def test_a_process_that_cuts_many_texts_loads_rjieba(cache, monkeypatch):
    calls = []
    monkeypatch.setattr(querycut, "_jieba_for", lambda text: calls.append(text))
    monkeypatch.setattr(querycut, "_small_cuts", querycut.SMALL_CUTS - 1)
    monkeypatch.delitem(sys.modules, "rjieba")
    try:
        assert querycut.cut("见义勇为") == rjieba.cut("见义勇为")  # the small way: the stub gives no Jieba
        assert calls == ["见义勇为"]
        querycut.cut("粮食")
        assert calls == ["见义勇为"]  # the limit reached: rjieba itself
    finally:
        sys.modules["rjieba"] = rjieba
