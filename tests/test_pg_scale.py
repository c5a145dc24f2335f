"""Ranking at scale on PostgreSQL (store.pgsearch): a query matching more than COMMON documents
is ranked among its words' listed best documents and the matches of its rarer words, not
over every match; the lists are made after a first load and kept by each issue written."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

import gongbao.ingest as ingest
from gongbao.ingest import ingest_paths
from gongbao.search.query import match_expression, parse_query
from gongbao.store import open_store
from gongbao.store import pgsearch
from gongbao.store.filters import Filters
from gongbao.store import postgres as pg

SAMPLES = Path(__file__).parent.parent / "samples"
QUERIES = ["人民政府", "管理 办法", "安全生产 管理", "粮食 安全", "实施 意见 通知"]


@pytest.fixture()
def lists_db(pg_cluster, monkeypatch, request) -> str:
    """The samples in a first load (as a large one: lists made at its end), words in more
    than 3 documents counted common."""
    url = pg_cluster.create_database(f"lists_{request.node.name[:40]}")
    with psycopg.connect(url) as conn:
        if not conn.execute("SELECT count(*) FROM pg_available_extensions WHERE name = 'rum'").fetchone()[0]:
            pytest.skip("the RUM access method is not installed (apt-get install postgresql-15-rum)")
    monkeypatch.setattr(pg, "BULK_MIN_FILES", 2)
    monkeypatch.setattr(pgsearch, "COMMON", 3)
    monkeypatch.setattr(pgsearch, "SAMPLE", 10_000)
    assert not ingest_paths(sorted(SAMPLES.glob("*.txt"))[:2], url, progress=False).failures
    return url


def _every_match(store, expression: str, k: int) -> list[tuple[int, float]]:
    query, params = pg.tsquery(expression)
    rank = f"ts_rank({pg.RANK_WEIGHTS}, x.tsv, {query}, 1)"
    return [(pk, float(r)) for pk, r in store._tuples(
        f"SELECT x.pk, {rank} AS rank FROM doc_search x WHERE x.tsv @@ {query} ORDER BY rank DESC, x.pk LIMIT ?",
        [*params, *params, k])]


def _expressions(store) -> list[str]:
    return [match_expression(parse_query(q), store.scheme, 0) for q in QUERIES]


def test_lists_rank_as_every_match_while_they_hold_every_match(lists_db):
    with open_store(lists_db, readonly=True) as store:
        assert store._value("SELECT count(*) FROM term_common") > 10
        listed = 0
        for expression in _expressions(store):
            listed += store._listed(expression, 10) is not None
            assert store.fts_best(expression, None, 10) == _every_match(store, expression, 10), expression
    assert listed >= 3  # most of these match more than COMMON documents


def test_short_lists_give_matching_documents_of_the_lists_only(lists_db, monkeypatch):
    monkeypatch.setattr(pgsearch, "TOP", 2)
    with open_store(lists_db) as store:
        store.refresh_ranking()
        expression = match_expression(parse_query("人民政府"), store.scheme, 0)
        assert len(store.fts_matching(expression)) > 3
        best = [pk for pk, _ in store.fts_best(expression, None, 10)]
        listed = set(store._column("SELECT pk FROM term_best WHERE term = ANY(?)", [["人民政府", "人民", "政府"]]))
        assert best and set(best) <= listed & set(store.fts_matching(expression))
        # search() hands the store an empty Filters, not None: the lists serve it as well
        assert store.fts_best(expression, Filters(), 10) == store.fts_best(expression, None, 10)


def test_an_issue_written_after_joins_the_lists_it_ranks_high_in(lists_db, monkeypatch):
    with open_store(lists_db, readonly=True) as store:
        before = dict(store._tuples("SELECT term, df FROM term_common"))
    third = sorted(SAMPLES.glob("*.txt"))[2]
    assert ingest_paths([third], lists_db, progress=False).added == 1
    with open_store(lists_db, readonly=True) as store:
        after = dict(store._tuples("SELECT term, df FROM term_common"))
        new = store._column("SELECT d.pk FROM documents d JOIN issues i ON i.id = d.issue_id WHERE i.source_path"
                            " LIKE ? AND d.present = 1", [f"%{third.name}"])
        joined = store._value("SELECT count(*) FROM term_best WHERE pk = ANY(?)", [new])
    assert any(after[t] > before[t] for t in before)  # counted in the words' frequency
    assert joined > 0  # with TOP 300 every new document holding a common word joins its list
