"""Regular expressions whose code is kept in the cache folder (gongbao.keptre): the pattern built
from kept code is the one re.compile makes, and a missing or damaged file only costs compiling."""

from __future__ import annotations

import re

import pytest

from gongbao import keptre

PATTERNS = [
    (r"[\u3400-\u9fff]+|[0-9A-Za-z]+", 0),
    (r"(?P<prefix>[\u3400-\u9fff\s]*?)\s*[〔\[(（]\s*(?P<year>\d{4})\s*[〕\])）]\s*第?\s*(?P<serial>\d+)\s*号", re.S),
    (r"(?<=[\u4e00-\u9fff])不(?=[，,。？?！!]|$)", 0),
    (r"abc|ABC(?i:x)", re.I | re.M),
]


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGBAO_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(keptre, "_kept", None)
    monkeypatch.setattr(keptre, "_new", [])
    monkeypatch.setattr(keptre.atexit, "register", lambda f: None)  # written by the test, not at exit
    return tmp_path / "cache"


def test_a_pattern_from_kept_code_is_the_one_re_compiles(fresh, monkeypatch):
    for pattern, flags in PATTERNS:
        assert keptre.compile(pattern, flags) == re.compile(pattern, flags)
    keptre._write()
    monkeypatch.setattr(keptre, "_kept", None)  # the next process: every pattern read from the file
    monkeypatch.setattr(keptre, "_made", lambda *a: pytest.fail("compiled again"))
    for pattern, flags in PATTERNS:
        got = keptre.compile(pattern, flags)
        assert got == re.compile(pattern, flags) and got.groupindex == re.compile(pattern, flags).groupindex
    assert keptre.compile(PATTERNS[1][0], re.S).match("渝府办发〔2020〕142号").group("serial") == "142"


def test_a_damaged_file_only_costs_compiling(fresh, monkeypatch):
    keptre.compile(*PATTERNS[0])
    keptre._write()
    for path in fresh.glob("regexes-*"):
        path.write_bytes(b"not kept code")
    monkeypatch.setattr(keptre, "_kept", None)
    assert keptre.compile(*PATTERNS[0]) == re.compile(*PATTERNS[0])


def test_the_query_paths_patterns_are_kept():
    import gongbao.docnumber
    import gongbao.search.question
    import gongbao.search.tokenize  # noqa: F401

    assert (gongbao.docnumber._WHOLE_BRACKETED.pattern, re.S) in keptre._kept
    assert (gongbao.search.tokenize._RUN.pattern, 0) in keptre._kept
    assert (gongbao.search.question.SANCTION.pattern, 0) in keptre._kept
