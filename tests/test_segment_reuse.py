"""The TOC-guided segmentation pass reuses the heads the first pass read (``known``): it must
give exactly what reading every line again gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongbao.extract import extract
from gongbao.parse.listed import find_listed
from gongbao.parse.normalize import clean_text
from gongbao.parse.segment import segment_lines
from gongbao.parse.toc import get_toc

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "samples").glob("*.txt")) + sorted((ROOT / "tests" / "fixtures").rglob("*.txt"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_guided_pass_with_known_heads_equals_a_fresh_pass(path):
    norm = clean_text(extract(path.read_bytes()).text)
    known = {}
    segments = segment_lines(norm, known=known)
    assert known, "the first pass records the heads it read"
    listed = find_listed(norm.lines, segments, get_toc(norm.lines, segments))
    assert segment_lines(norm, listed, known) == segment_lines(norm, listed)


def test_some_file_is_guided_by_its_toc():
    """At least one input exercises the reuse (its TOC lists titles or labels)."""
    guided = 0
    for path in FILES:
        norm = clean_text(extract(path.read_bytes()).text)
        segments = segment_lines(norm)
        listed = find_listed(norm.lines, segments, get_toc(norm.lines, segments))
        guided += bool(listed.titles or listed.labels)
    assert guided
