"""The scale curve: ingest rate, database size, search and portal latency as a corpus grows,
on SQLite and on PostgreSQL, side by side in one run (numbers in docs/scale.md).

    python bench/scale.py CORPUS_DIR --sizes 10000,30000,100000 [--engines sqlite,postgresql]

CORPUS_DIR is made by bench/gencorpus.py.  For each engine one database grows through the
sizes (the files of each step are ingested into what the step before stored, as an archive
grows); at each size: ingest rate of that step (MB/s of source, documents/s), database size,
search p50/p95 (the relevance queries and title fragments, 3 rounds, through ``search``),
and the portal (``gongbao serve --workers 2``, 20 clients for 20 s, uniform over documents
and queries, so the response cache rarely helps): p95 and requests/s.  PostgreSQL runs on
a throw-away cluster started here (Debian's binaries), fsync off like the tests: the
numbers are the engine's, not the disk's.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from relevance import load_queries  # noqa: E402
from serve import drive, free_port, pct, start_server, stop_server, workload  # noqa: E402

from gongbao.ingest import ingest_paths  # noqa: E402
from gongbao.search.query import search  # noqa: E402
from gongbao.store import open_store  # noqa: E402


def documents_in(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("### "))


def steps(corpus: Path, sizes: list[int]) -> list[tuple[int, list[Path]]]:
    """(size, files to add to reach it) for each size."""
    files, out, count, i = sorted(corpus.glob("*.txt")), [], 0, 0
    for size in sizes:
        batch = []
        while count < size and i < len(files):
            batch.append(files[i])
            count += documents_in(files[i])
            i += 1
        out.append((count, batch))
    return out


def search_times(target: str, seed: int) -> tuple[float, float]:
    with open_store(target, readonly=True) as store:
        titles = [d["title"] for d in store.list_documents(limit=2000)["items"]]
        rng = random.Random(seed)
        queries = [e["q"] for e in load_queries()]
        queries += [t.split("关于")[-1][:rng.randint(4, 8)] for t in rng.sample(titles, min(60, len(titles)))]
        times = []
        for _ in range(3):
            for q in queries:
                start = time.perf_counter()
                search(store, q, limit=10)
                times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def portal(target: str, seconds: float) -> tuple[float, float, int]:
    port = free_port()
    server = start_server(target, port, 2)
    try:
        drive(port, workload(port, 200, 7, zipf=0.0), 20, 10)  # warm-up
        results, elapsed, errors = drive(port, workload(port, 20000, 8, zipf=0.0), 20, seconds)
    finally:
        stop_server(server)
    latencies = [v for values in results.values() for v in values]
    return pct(latencies, 95), len(latencies) / elapsed, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--portal-seconds", type=float, default=20)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    cluster = None
    targets = {}
    work = Path(tempfile.mkdtemp(prefix="gongbao-scale-"))
    for engine in args.engines.split(","):
        if engine == "sqlite":
            targets[engine] = str(work / "scale.db")
        else:
            from pg_cluster import Cluster, find_binaries

            cluster = cluster or Cluster(find_binaries())
            if not (cluster.folder / "data").exists():
                cluster.start()
            targets[engine] = cluster.create_database("scale")
    print("| engine | documents | step ingest MB/s | docs/s | DB size MB | search p50 | search p95 |"
          " portal p95 | portal req/s | errors | load |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    try:
        for engine, target in targets.items():
            for size, batch in steps(args.corpus, sizes):
                summary = ingest_paths(batch, target, progress=False)
                with open_store(target, readonly=True) as store:
                    mb = store.size_bytes() / 1e6
                p50, p95 = search_times(target, size)
                portal_p95, rate, errors = portal(target, args.portal_seconds)
                print(f"| {engine} | {size} | {summary.bytes / 1e6 / summary.seconds:.2f} |"
                      f" {summary.documents / summary.seconds:.0f} | {mb:.0f} | {p50:.1f} ms | {p95:.1f} ms |"
                      f" {portal_p95:.0f} ms | {rate:.0f} | {errors} | {os.getloadavg()[0]:.1f} |", flush=True)
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
