"""SQLite beside PostgreSQL on the same database: ingest rate, size, ranking quality, search time.

    python bench/engines.py --sqlite REL.db [--pg postgresql://…]
    python bench/engines.py --ingest [--lawref DIR] [--pg postgresql://…]

With --ingest, the samples and ../shared/lawref are ingested into both engines with
``gongbao ingest``'s library (parsing processes beside the writer), each timed (wall) with
the load beside it and its size on disk, and the comparison below runs on those databases.

REL.db is an ingested database (samples + ../shared/lawref, as bench/relevance.py builds it).
It is copied into PostgreSQL (``gongbao migrate``'s copy, verified; an empty database given
with --pg, else one on a throw-away cluster started here from Debian's binaries), then every
query of the relevance set (tests/relevance/queries.yaml) runs through ``search`` on both:
nDCG@10, recall@10, top-1, MRR, clause@3, and search time p50/p95 (3 rounds, with the load).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from relevance import evaluate, load_queries, summarise  # noqa: E402

from gongbao.search.query import search  # noqa: E402
from gongbao.store import Store, open_store  # noqa: E402
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


def ingest_both(sqlite: str, pg: str, lawref: Path) -> None:
    """Ingest samples + lawref into a new SQLite file and into ``pg``: rate, documents, size, load."""
    from gongbao.ingest import collect_files, ingest_paths

    paths = [ROOT / "samples"] + ([lawref] if lawref.is_dir() else [])
    mb = sum(f.stat().st_size for f in collect_files(paths)[0]) / 1e6
    print("| engine | ingest MB/s (wall) | seconds | documents | size MB (source MB) | load avg |")
    print("|---|---|---|---|---|---|")
    for name, target in (("SQLite", sqlite), ("PostgreSQL", pg)):
        start = time.perf_counter()
        summary = ingest_paths(paths, target, progress=False)
        seconds = time.perf_counter() - start
        with open_store(target, readonly=True) as store:
            size = store.size_bytes() / 1e6
        print(f"| {name} | {mb / seconds:.2f} | {seconds:.0f} | {summary.documents} | {size:.0f} ({mb:.1f}) |"
              f" {os.getloadavg()[0]:.1f} |", flush=True)
    print("\nSQLite file by table (MB):", ", ".join(f"{name} {size / 1e6:.1f}" for name, size in sqlite_tables(sqlite)))
    print()


def sqlite_tables(path: str, top: int = 8) -> list[tuple[str, int]]:
    """The largest tables and indexes of a SQLite file (its dbstat table), bytes each."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT name, sum(pgsize) AS size FROM dbstat GROUP BY name ORDER BY size DESC LIMIT ?",
                            (top,)).fetchall()
    except sqlite3.OperationalError:  # a SQLite built without dbstat
        return []
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sqlite", help="an ingested SQLite database (read only)")
    parser.add_argument("--pg", help="an empty PostgreSQL database to copy into (default: a throw-away cluster)")
    parser.add_argument("--ingest", action="store_true", help="ingest the corpus into both engines (timed)")
    parser.add_argument("--lawref", type=Path, default=ROOT.parent / "shared" / "lawref")
    args = parser.parse_args()
    if not args.sqlite and not args.ingest:
        parser.error("give --sqlite DB or --ingest")
    cluster = None
    if args.pg is None:
        from pg_cluster import Cluster, find_binaries

        cluster = Cluster(find_binaries())
        cluster.start()
        args.pg = cluster.create_database("bench")
    try:
        entries = load_queries()
        if args.ingest:
            args.sqlite = str(Path(tempfile.mkdtemp(prefix="gongbao-bench-")) / "ingest.db")
            ingest_both(args.sqlite, args.pg, args.lawref)
        with open_store(args.sqlite, readonly=True) as lite, open_store(args.pg) as pg:
            if not args.ingest:
                start = time.perf_counter()
                copy_database(lite, pg)
                print(f"copied into PostgreSQL in {time.perf_counter() - start:.0f} s", file=sys.stderr)
            print("| engine | nDCG@10 | recall@10 | top-1 | MRR | clause@3 | search p50 | search p95 |")
            print("|---|---|---|---|---|---|---|---|")
            ranked = "RUM (common words: their lists), best 200 by ts_rank" if pg.rum else "GIN, ts_rank"
            for name, store in (("SQLite FTS5 BM25", lite), (f"PostgreSQL {ranked}", pg)):
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
