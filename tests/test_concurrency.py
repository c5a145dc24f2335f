"""Concurrency: two first ingests into one new database, and ingest while searching.

Separate processes, as two operators (or an upload and a cron job) would run them.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from gongbao.ingest import ingest_paths
from gongbao.search.query import search
from gongbao.store import open_store

SAMPLES = Path(__file__).parent.parent / "samples"
PAIRS = 20


def _ingest(args):
    path, db = args
    summary = ingest_paths([path], db, progress=False)
    return [f.reason for f in summary.failures], summary.added + summary.unchanged


def test_two_first_ingests_into_a_new_database_both_succeed(tmp_path):
    sample, other = sorted(SAMPLES.glob("*.txt"), key=lambda p: p.stat().st_size)[:2]
    jobs = []
    for i in range(PAIRS):
        db = tmp_path / f"new{i}.db"
        jobs += [(str(sample), str(db)), (str(other), str(db))]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as pool:
        results = pool.map(_ingest, jobs, chunksize=1)
    failures = [reasons for reasons, _ in results if reasons]
    assert failures == []
    assert all(count == 1 for _, count in results)
    for i in range(PAIRS):
        with open_store(tmp_path / f"new{i}.db", readonly=True) as store:
            assert store.stats().issues == 2


def _search_loop(db, rounds, out):
    found = 0
    for _ in range(rounds):
        with open_store(db, readonly=True) as store:
            found += search(store, "见义勇为").total >= 1
    out.put(found)


def test_ingest_while_searching(tmp_path):
    db = tmp_path / "g.db"
    files = sorted(SAMPLES.glob("*.txt"))
    ingest_paths(files[-1:], db, progress=False)  # the 见义勇为 issue is there before the readers start
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    readers = [ctx.Process(target=_search_loop, args=(db, 40, out)) for _ in range(2)]
    for reader in readers:
        reader.start()
    summary = ingest_paths(files[:-1], db, progress=False)
    for reader in readers:
        reader.join(120)
    assert [reader.exitcode for reader in readers] == [0, 0]
    assert [out.get(timeout=5), out.get(timeout=5)] == [40, 40]
    assert summary.failures == [] and summary.added == len(files) - 1
