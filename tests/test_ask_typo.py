"""Typing slips of a pinyin keyboard mended against the corpus's words (search.typo); the names a
question holds, which an answering document must hold too."""

from __future__ import annotations

import pytest

from gongbao.search import typo
from gongbao.search.question import understand
from gongbao.search.thesaurus import load_thesaurus

# the corpus of these tests: clause counts of the words it uses
CORPUS = {"仲裁": 1359, "赌场": 7, "宅基地": 218, "低保": 12, "劳动": 5000, "注册": 2076, "资本": 900}


def frequency(word: str) -> int:
    return CORPUS.get(word, 0)


@pytest.mark.parametrize("text, mended", [
    ("现在申请劳动重裁还来得及不", [("重裁", "仲裁")]),  # 重 zhong → 仲 zhong
    ("开堵场抓到要坐多少年牢", [("堵场", "赌场")]),
    ("农村一户人可以有两处宅积地不", [("宅积地", "宅基地")]),  # cut apart by jieba: 宅积 / 地
    ("想申请底保，要带什么材料", [("底保", "低保")]),
])
def test_homophone_slip_mended(text, mended):
    fixed, pairs = typo.repair(text, frequency)
    assert pairs == mended
    assert mended[0][1] in fixed and mended[0][0] not in fixed


def test_word_the_corpus_uses_is_left_alone():
    assert typo.repair("申请劳动重裁", lambda w: 3 if w == "重裁" else frequency(w))[1] == []


def test_variant_the_corpus_lacks_is_not_taken():
    # 抖音 reads like 读音, which this corpus never uses: a name stays a name
    assert typo.repair("怎么注册抖音账号", frequency) == ("怎么注册抖音账号", [])


def test_unit_after_a_number_is_not_a_slip():
    assert typo.repair("我2019年进的一家公司", lambda w: 100 if w == "年金" else 0)[1] == []


def test_kept_words_are_left_alone():
    assert typo.repair("想申请底保", frequency, keep=lambda w: w == "底保")[1] == []


@pytest.mark.parametrize("question, names", [
    ("韩国今年的最低时薪是好多", ["韩国"]),  # a country
    ("华为员工手册规定病假一年可以请好多天", ["华为"]),  # a company (a person's tag, no everyday word)
    ("屋头老汉是特困人员，走了以后救助金给好多", []),  # 老汉: everyday word, though tagged as a name
    ("武隆的金融专员多久换一批", []),  # a place the jurisdiction data knows: ranked by place, not a name
])
def test_names_the_answer_must_hold(question, names):
    assert understand(question, load_thesaurus([])).names == names


def test_question_read_with_its_slips_mended():
    thesaurus = load_thesaurus([])
    q = understand("申请劳动重裁要等好久才出裁决", thesaurus, frequency)
    assert "劳动仲裁" in q.core and not any("重裁" in w for w in q.core)
    assert any("重裁" in w for w in understand("申请劳动重裁要等好久才出裁决", thesaurus).core)  # no corpus: as typed


def test_readings_kept_in_the_cache_folder_are_pypinyins(tmp_path, monkeypatch):
    """A process reads the readings from the cache folder, not from pypinyin (~0.25 s to import):
    the same mapping, in the same order."""
    monkeypatch.setenv("GONGBAO_CACHE", str(tmp_path))
    typo._readings.cache_clear()
    try:
        made = typo._readings()
        assert list(tmp_path.glob("readings-*.pickle"))
        typo._readings.cache_clear()
        kept = typo._readings()
    finally:
        typo._readings.cache_clear()
    fresh = typo._read_readings()
    assert made == kept == fresh and list(kept[1].items()) == list(fresh[1].items())
    assert kept[0]["裁"] == ("cai",) and "仲" in kept[1]["zhong"]
