"""SQLite beside PostgreSQL on the same database: ranking quality and search time.

    python bench/engines.py --sqlite REL.db [--pg postgresql://…]

REL.db is an ingested database (samples + ../shared/lawref, as bench/relevance.py builds it).
It is copied into PostgreSQL (``gongbao migrate``'s copy, verified; an empty database given
with --pg, else one on a throw-away cluster started here from Debian's binaries), then every
query of the relevance set (tests/relevance/queries.yaml) runs through ``search`` on both:
nDCG@10, recall@10, top-1, MRR, clause@3, and search time p50/p95 (3 rounds, with the load).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from relevance import evaluate, load_queries, summarise  # noqa: E402

from gongbao.search.query import search  # noqa: E402
from gongbao.store import Store  # noqa: E402
from gongbao.store.transfer import copy_database  # noqa: E402


def timings(store: Store, queries: list[str], rounds: int = 3) -> dict:
    times = []
    for _ in range(rounds):
        for q in queries:
            start = time.perf_counter()
            search(store, q, limit=10)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"p50_ms": statistics.median(times), "p95_ms": times[int(len(times) * 0.95) - 1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sqlite", required=True, help="an ingested SQLite database (read only)")
    parser.add_argument("--pg", help="an empty PostgreSQL database to copy into (default: a throw-away cluster)")
    args = parser.parse_args()
    cluster = None
    if args.pg is None:
        from pg_cluster import Cluster, find_binaries

        cluster = Cluster(find_binaries())
        cluster.start()
        args.pg = cluster.create_database("bench")
    try:
        entries = load_queries()
        with Store.open(args.sqlite, readonly=True) as lite, Store.open(args.pg) as pg:
            start = time.perf_counter()
            copy_database(lite, pg)
            print(f"copied into PostgreSQL in {time.perf_counter() - start:.0f} s", file=sys.stderr)
            print("| engine | nDCG@10 | recall@10 | top-1 | MRR | clause@3 | search p50 | search p95 |")
            print("|---|---|---|---|---|---|---|---|")
            for name, store in (("SQLite FTS5 BM25", lite), ("PostgreSQL tsvector ts_rank", pg)):
                m = summarise(evaluate(store, entries))
                t = timings(store, [e["q"] for e in entries])
                print(f"| {name} | {m['ndcg']:.3f} | {m['recall']:.3f} | {m['top1']:.3f} | {m['mrr']:.3f} |"
                      f" {m['clause']:.3f} | {t['p50_ms']:.1f} ms | {t['p95_ms']:.1f} ms |")
            print(f"\n{len(entries)} queries; load average {os.getloadavg()[0]:.2f} (2 cores)")
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
