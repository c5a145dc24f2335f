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
numbers are the engine's, not the disk's.  ``rank`` says how PostgreSQL ranked: ``RUM`` (the
RUM index's order, its best RERANK ranked by ts_rank) or ``GIN`` (ts_rank over every match).

    python bench/scale.py --measure [--sqlite DB] [--pg postgresql://…] [--no-portal]

measures databases as they are (no ingest): search and portal at their size (search only
with ``--no-portal``).  ``--pg`` and
``--sqlite`` also name the databases a run grows (instead of new ones).
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
        titles = [d.title for d in store.list_documents(limit=2000).items]
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


def sample_documents(target: str, n: int, seed: int) -> tuple[list[str], list[str]]:
    """(ids, titles) of about ``n`` documents spread over the whole database: pages of the
    list at random offsets (reading every id of a million-document database through the API
    would take longer than the run)."""
    rng = random.Random(seed)
    ids, titles = [], []
    with open_store(target, readonly=True) as store:
        total = store.list_documents(limit=0).total
        for _ in range(max(1, n // 100)):
            for d in store.list_documents(limit=100, offset=rng.randrange(max(1, total - 100))).items:
                ids.append(d.id)
                titles.append(d.title)
    return ids, titles


def warm_up(target: str) -> float:
    """Seconds to bring the portal's derived tables up to date (done once per database
    version by the first server process; timed here, before the server starts)."""
    from gongbao.web.derived import refresh

    start = time.perf_counter()
    with open_store(target, readonly=True) as store:
        refresh(target, store)
    return time.perf_counter() - start


def portal(target: str, seconds: float) -> tuple[float, float, int]:
    port = free_port()
    docs = sample_documents(target, 4000, 9)
    server = start_server(target, port, 2, wait=600)  # its warm-up reads the whole database
    try:
        drive(port, workload(port, 200, 7, zipf=0.0, docs=docs), 20, 10)  # warm-up
        results, elapsed, errors = drive(port, workload(port, 20000, 8, zipf=0.0, docs=docs), 20, seconds)
    finally:
        stop_server(server)
    latencies = [v for values in results.values() for v in values]
    return pct(latencies, 95), len(latencies) / elapsed, errors


def rank_kind(target: str) -> str:
    with open_store(target, readonly=True) as store:
        return "FTS5" if store.engine == "sqlite" else ("RUM" if store.rum else "GIN")


def row(engine: str, target: str, size: int, seconds: float | None, ingest: str) -> str:
    """One row of the table: ``ingest`` (its MB/s and docs/s cells), then size, search, portal
    (not measured when ``seconds`` is None)."""
    with open_store(target, readonly=True) as store:
        mb = store.size_bytes() / 1e6
    p50, p95 = search_times(target, size)
    cells = f"| {engine} | {rank_kind(target)} | {size} | {ingest} | {mb:.0f} | {p50:.1f} ms | {p95:.1f} ms |"
    if seconds is None:
        return f"{cells} – | – | – | {os.getloadavg()[0]:.1f} |"
    print(f"search measured, load {os.getloadavg()[0]:.1f}; portal warm-up {warm_up(target):.0f} s", file=sys.stderr)
    try:
        portal_p95, rate, errors = portal(target, seconds)
    except SystemExit as exc:  # the server did not come up: the row says so
        return f"{cells} {exc} | – | – | {os.getloadavg()[0]:.1f} |"
    return f"{cells} {portal_p95:.0f} ms | {rate:.0f} | {errors} | {os.getloadavg()[0]:.1f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, nargs="?")
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--portal-seconds", type=float, default=20)
    parser.add_argument("--sqlite", help="the SQLite database (default: a new one in a temporary folder)")
    parser.add_argument("--pg", help="the PostgreSQL database (default: one on a throw-away cluster)")
    parser.add_argument("--measure", action="store_true", help="no ingest: measure the databases as they are")
    parser.add_argument("--no-portal", action="store_true", help="search only (the portal's warm-up reads the whole database)")
    args = parser.parse_args()
    if not args.measure and args.corpus is None:
        parser.error("give CORPUS_DIR, or --measure")
    engines = [e for e in args.engines.split(",") if not args.measure or (args.sqlite if e == "sqlite" else args.pg)]
    cluster = None
    targets = {}
    work = Path(tempfile.mkdtemp(prefix="gongbao-scale-"))
    for engine in engines:
        if engine == "sqlite":
            targets[engine] = args.sqlite or str(work / "scale.db")
        elif args.pg:
            targets[engine] = args.pg
        else:
            from pg_cluster import Cluster, find_binaries

            cluster = cluster or Cluster(find_binaries())
            if not (cluster.folder / "data").exists():
                cluster.start()
            targets[engine] = cluster.create_database("scale")
    print("| engine | rank | documents | step ingest MB/s | docs/s | DB size MB | search p50 | search p95 |"
          " portal p95 | portal req/s | errors | load |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    try:
        for engine, target in targets.items():
            if args.measure:
                with open_store(target, readonly=True) as store:
                    size = store.list_documents(limit=0).total
                print(row(engine, target, size, None if args.no_portal else args.portal_seconds, "– | –"), flush=True)
                continue
            for size, batch in steps(args.corpus, [int(n) for n in args.sizes.split(",")]):
                summary = ingest_paths(batch, target, progress=False)
                ingest = f"{summary.bytes / 1e6 / summary.seconds:.2f} | {summary.documents / summary.seconds:.0f}"
                print(row(engine, target, size, None if args.no_portal else args.portal_seconds, ingest), flush=True)
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
