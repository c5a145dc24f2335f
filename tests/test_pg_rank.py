"""PostgreSQL ranking from the index: with the RUM access method the best matches come out of
the index in its order and only those are ranked by ts_rank; without it (a server without
the extension, or a role that may not create it) a GIN index and ts_rank over every match.
Both must give the same best documents when fewer than RERANK match."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongbao.ingest import ingest_paths
from gongbao.search.query import match_expression, parse_query, search
from gongbao.store import open_store
from gongbao.store import postgres as pg
from gongbao.store.pgconn import TABLE_ORDER

SAMPLES = Path(__file__).parent.parent / "samples"
QUERIES = ["粮食", "安全生产", "养老服务", "行政许可 实施", "人民政府", "管理办法", "第一条"]


def _rum_available(url: str) -> bool:
    import psycopg

    with psycopg.connect(url) as conn:
        return bool(conn.execute("SELECT count(*) FROM pg_available_extensions WHERE name = 'rum'").fetchone()[0])


@pytest.fixture(scope="module")
def samples_db(pg_cluster) -> str:
    url = pg_cluster.create_database("rank_samples")
    if not _rum_available(url):
        pytest.skip("the RUM access method is not installed (apt-get install postgresql-15-rum): GIN only")
    assert not ingest_paths([SAMPLES], url, progress=False).failures
    return url


def _best(store) -> dict[str, list[tuple[int, float]]]:
    out = {}
    for q in QUERIES:
        expression = match_expression(parse_query(q), store.scheme)
        out[q] = store.fts_best(expression, None, 10)
    return out


def _hits(store) -> dict[str, list[str]]:
    return {q: [h.id for h in search(store, q, limit=10).hits] for q in QUERIES}


def test_rum_ranking_gives_the_best_matches_that_ts_rank_over_every_match_gives(samples_db):
    import psycopg

    with open_store(samples_db) as store:
        assert store.rum
        rum_best, rum_hits = _best(store), _hits(store)
    assert sum(len(v) for v in rum_best.values()) > 20  # the queries find documents
    with psycopg.connect(samples_db, autocommit=True) as conn:  # the index of a server without RUM
        conn.execute("DROP INDEX doc_search_rum")
        conn.execute("CREATE INDEX doc_search_tsv ON doc_search USING gin (tsv)")
    with open_store(samples_db, readonly=True) as store:
        assert not store.rum
        gin_best, gin_hits = _best(store), _hits(store)
    for q in QUERIES:
        assert [pk for pk, _ in rum_best[q]] == [pk for pk, _ in gin_best[q]], q
        assert [round(r, 5) for _, r in rum_best[q]] == [round(r, 5) for _, r in gin_best[q]], q
    assert rum_hits == gin_hits
    with open_store(samples_db) as store:  # opened for writing again: the RUM index comes back
        assert store.rum


def test_only_the_rerank_best_in_the_index_order_are_ranked(samples_db, monkeypatch):
    monkeypatch.setattr(pg, "RERANK", 3)
    with open_store(samples_db, readonly=True) as store:
        expression = match_expression(parse_query("人民政府"), store.scheme)
        assert len(store.fts_matching(expression)) > 3
        best = store.fts_best(expression, None, 2)
        candidates = store.fts_best(expression, None, 3)
    assert len(best) == 2 and len(candidates) == 3
    ranks = [r for _, r in candidates]
    assert ranks == sorted(ranks, reverse=True) and best == candidates[:2]


def test_a_role_that_may_not_create_the_extension_keeps_gin_and_searches(pg_cluster):
    import psycopg

    pg_cluster.password_role("reader_rank", "secret-rank")
    with psycopg.connect(pg_cluster.url("postgres"), autocommit=True) as conn:
        conn.execute('CREATE DATABASE "rank_plain" OWNER reader_rank')
    url = f"postgresql://reader_rank:secret-rank@/rank_plain?host={pg_cluster.folder}"
    assert not ingest_paths([SAMPLES], url, progress=False).failures
    with open_store(url) as store:
        assert not store.rum
        hits = search(store, "粮食", limit=5).hits
    assert hits and all("粮食" in (h.title + h.snippet) for h in hits)


def _plan(url: str, sent: str, params) -> str:
    """The plan of a statement as the server got it: after its leading settings (SET LOCAL …;),
    in one transaction, with its parameters when it had them."""
    import re

    import psycopg

    settings, statement = re.match(r"((?:SET LOCAL [^;]*; )*)(.*)", sent, re.DOTALL).groups()
    with psycopg.connect(url) as conn:
        for setting in filter(None, settings.split("; ")):
            conn.execute(setting)
        return "\n".join(row[0] for row in conn.execute(f"EXPLAIN {statement}", params))


def test_the_full_text_reads_of_a_small_database_use_its_indexes(samples_db, monkeypatch):
    """With a few thousand documents the planner read and matched every stored tsvector
    (a sequential scan, or a bitmap scan sorted by the RUM distance) rather than the index
    (docs/scale.md): every full-text read search sends is planned on the index."""
    import psycopg

    from gongbao.store import pgsearch

    sent = []
    execute = psycopg.Cursor.execute

    def spy(cursor, query, params=None, **kwargs):
        sent.append((str(query), params))
        return execute(cursor, query, params, **kwargs)

    with open_store(samples_db) as store:
        monkeypatch.setattr(pgsearch, "COMMON", 5)  # common words' lists on this small database
        with store.transaction():
            assert store.refresh_ranking()
        try:
            monkeypatch.setattr(psycopg.Cursor, "execute", spy)
            for q in [*QUERIES, "企业贷款逾期后银行能拿到多少补偿", "粮食 安全 生产 管理 办法 实施"]:
                search(store, q, limit=10)
            monkeypatch.setattr(psycopg.Cursor, "execute", execute)
        finally:
            monkeypatch.setattr(pgsearch, "COMMON", 2000)
            with store.transaction():
                store.refresh_ranking()  # the lists emptied again for the other tests
    reads = [(text, params) for text, params in sent if "doc_search" in text and "<=>" in text]
    assert reads and any("term_best" in text for text, _ in reads)  # both kinds of ranked read
    for text, params in [(t, p) for t, p in sent if "doc_search" in t]:
        plan = _plan(samples_db, text, params)
        if TABLE_ORDER in text:  # the first matches read from the table's first rows, by one process
            assert "Seq Scan on doc_search" in plan and "Gather" not in plan, plan
            continue
        assert "Seq Scan on doc_search" not in plan, (text, plan)
        if "<=>" in text:
            assert "Index Scan using doc_search_rum" in plan and "Bitmap Heap Scan on doc_search" not in plan, plan


def test_a_search_asks_no_catalogue_query(samples_db, monkeypatch):
    """The catalogue query that tells a gongbao database from another program's runs when a
    store is opened, not on every search (each asks the schema version: ``portal_fresh``)."""
    import psycopg

    sent = []
    execute = psycopg.Cursor.execute

    def spy(cursor, query, params=None, **kwargs):
        sent.append(str(query))
        return execute(cursor, query, params, **kwargs)

    with open_store(samples_db, readonly=True) as store:
        monkeypatch.setattr(psycopg.Cursor, "execute", spy)
        hits = search(store, "粮食", limit=5).hits
        version = store.schema_version()
    assert hits and version == store.schema_version()
    assert sent and not [q for q in sent if "information_schema" in q]


def test_the_first_matches_read_from_the_table_are_those_the_index_gives(samples_db, monkeypatch):
    """A capped match list (the total of a search) of a word in most documents is read from
    the table's first rows instead of the index, which reads every match before giving the
    first: the same documents in the same order (the rows' stored order) — after a row is
    updated in place (HOT: the index keeps its first place, the table its new one) the same
    number of matches, which is what a search's capped total takes."""
    import psycopg

    from gongbao.store import pgsearch

    with psycopg.connect(samples_db, autocommit=True) as conn:
        conn.execute("ANALYZE doc_search")
        n = conn.execute("SELECT count(*) FROM doc_search").fetchone()[0]
    limit = n // 10
    with open_store(samples_db) as store:
        monkeypatch.setattr(pgsearch, "COMMON", 5)  # common words' lists on this small database
        try:
            with store.transaction():
                assert store.refresh_ranking()
            dense, rare = (store._value(f"SELECT term FROM term_common ORDER BY df {order}, term LIMIT 1")
                           for order in ("DESC", "ASC"))
            for word, answered in ((dense, True), (rare, False)):
                expression = match_expression(parse_query(word), store.scheme)
                probe = store._column(*pgsearch.first_matches(*pg.tsquery(expression), False, limit))
                match, args = store._documents_matching(expression, None)
                indexed = store._column(f"SELECT x.pk FROM {match} LIMIT ?", [*args, limit])
                assert (len(probe) == limit) is answered, (word, probe)
                assert store.fts_matching(expression, None, limit) == indexed
                assert probe == indexed or not answered
            with psycopg.connect(samples_db, autocommit=True) as conn:
                conn.execute("UPDATE doc_search SET tsv = tsv WHERE pk IN (SELECT pk FROM doc_search ORDER BY pk LIMIT 5)")
            expression = match_expression(parse_query(dense), store.scheme)
            kept = store.fts_matching(expression, None, limit)
            assert len(kept) == limit and set(kept) <= set(store.fts_matching(expression))
        finally:
            monkeypatch.setattr(pgsearch, "COMMON", 2000)
            with store.transaction():
                store.refresh_ranking()  # the lists emptied again for the other tests


def test_a_snapshot_plans_its_full_text_reads_on_the_index_and_leaves_no_setting_behind(samples_db):
    # ask and search read inside one REPEATABLE READ transaction: the settings that keep the
    # planner on the index apply to each full-text read and are undone after it (a later read of
    # the same transaction, e.g. one in table order, must plan as usual)
    with open_store(samples_db) as store, store.snapshot():
        assert search(store, "粮食", limit=5).hits
        assert [store._value(f"SHOW {name}") for name in ("enable_seqscan", "enable_bitmapscan", "enable_indexscan")] \
            == ["on", "on", "on"]
        assert store._value("SHOW transaction_isolation") == "repeatable read"
