"""The relevance set's gazette queries against the samples: the expected document comes first.

The whole set (with ../shared/lawref) and the scheme comparison are in bench/relevance.py;
this guards the part that runs in seconds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gongbao.ingest import ingest_paths
from gongbao.search.query import search
from gongbao.search.tokenize import query_words
from gongbao.store import open_store

ROOT = Path(__file__).resolve().parents[1]
QUERIES = [q for q in yaml.safe_load((ROOT / "tests/relevance/queries.yaml").read_text(encoding="utf-8"))
           if "doc_number" in q and "file" not in q]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("relevance") / "g.db"
    ingest_paths([ROOT / "samples"], path, progress=False)
    with open_store(path, readonly=True) as s:
        yield s


def test_the_set_is_large_and_well_formed():
    every = yaml.safe_load((ROOT / "tests/relevance/queries.yaml").read_text(encoding="utf-8"))
    assert len(every) >= 60
    assert all(q["kind"] in {"keyword", "question", "docnumber", "phrase"} for q in every)
    assert sum(q["kind"] == "question" for q in every) >= 10


def test_expected_gazette_document_first(store):
    misses = []
    for entry in QUERIES:
        hits = search(store, entry["q"], limit=3).hits
        if not hits or hits[0].doc_number != entry["doc_number"]:
            misses.append((entry["q"], hits[0].doc_number if hits else None))
    assert len(misses) <= len(QUERIES) // 10, misses


def test_expected_clause_among_clause_hits(store):
    with_anchor = [q for q in QUERIES if "anchor" in q]
    found = 0
    for entry in with_anchor:
        hits = [h for h in search(store, entry["q"], limit=5).hits if h.doc_number == entry["doc_number"]]
        anchors = [c.anchor for h in hits for c in h.clauses]
        found += any(a == entry["anchor"] or a.startswith(entry["anchor"] + ".") for a in anchors)
    assert found >= len(with_anchor) * 0.6


def test_question_frames_are_cut_before_segmentation():
    words = query_words("重庆森林防火期是什么时候")
    assert "重庆" in words and "森林" in words
    assert not any("是" in w or "时候" in w for w in words)
    assert query_words("粮食重金属超标了怎么办") == ["粮食", "重金属", "超标"]
