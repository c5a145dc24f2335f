"""Portal load test (run by hand; the numbers go in docs/portal.md).

    .venv/bin/python bench/serve.py [--clients 20] [--requests 3000] [--seconds 60] [--workers 2]

Builds (once) a database of ../shared/lawref + samples/ with the ingest library, starts
`gongbao serve` on a free localhost port, and drives it with a bounded number of concurrent
keep-alive clients over a fixed, seeded mix of document pages, search pages and API calls.
Reports throughput and p50/p95/p99 latency per kind of request.  Target (issue 6): p95 ≤ 100 ms
for document and search pages at 20 concurrent clients.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
LAWREF = ROOT.parent / "shared" / "lawref"
DEFAULT_DB = ROOT / "build" / "bench-serve.db"
QUERIES = ["见义勇为", "超标粮食 处置", "养老服务", "风险补偿 贷款", "行政许可", "渝府办发〔2021〕2号", "安全生产",
           "环境保护 法律责任", "未成年人", "税收征收管理", "食品安全 标准", "“突发事件”", "消费者 权益", "土地管理",
           "公租房 -养老", "劳动合同 解除", "政务服务 一网通办", "农村 产权 抵押", "道路交通安全", "知识产权"]
MIX = (("document page", 0.35), ("search page", 0.30), ("api document", 0.15), ("api search", 0.15), ("api tasks", 0.05))


def build_db(db: Path) -> None:
    from gongbao.ingest import ingest_paths

    if not LAWREF.is_dir():
        sys.exit(f"skipped: {LAWREF} not found (the benchmark needs the reference laws)")
    db.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    summary = ingest_paths([LAWREF, ROOT / "samples"], db, progress=True)
    print(f"built {db}: {summary.documents} documents from {summary.files} files in {time.perf_counter() - started:.0f} s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, workers: int) -> subprocess.Popen:
    cmd = [sys.executable, "-c", "from gongbao.cli import main; main()",
           "serve", "--db", str(db), "--port", str(port), "--workers", str(workers)]
    # its own process group, so that stopping it stops its worker processes too
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            if proc.poll() is not None:
                sys.exit(f"server failed: {proc.stderr.read().decode()}")
            time.sleep(0.2)
    proc.kill()
    sys.exit("server did not start in 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read()


def workload(port: int, n: int, seed: int, mix=MIX, zipf: float = 1.0) -> list[tuple[str, str]]:
    """A fixed, seeded list of (kind, path) over every document of the database and over
    queries that are the fixed ones above or 2–4 characters cut from random titles.

    Documents and queries are drawn with Zipf weights (rank r has weight 1/r^zipf, the usual
    model of web traffic: a few popular pages, a long tail); ``zipf=0`` draws uniformly, so
    that nearly every request misses the portal's response cache."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    ids, titles, offset = [], [], 0
    while True:
        status, body = get(conn, f"/api/v1/documents?limit=500&offset={offset}")
        items = json.loads(body)["items"]
        ids += [d["id"] for d in items]
        titles += [d["title"] for d in items]
        offset += 500
        if len(items) < 500:
            break
    conn.close()
    rng = random.Random(seed)
    queries = list(QUERIES)
    for title in rng.sample(titles, min(400, len(titles))):
        core = title.split("关于")[-1]
        width = rng.randint(2, 4)
        if len(core) > width:
            start = rng.randrange(len(core) - width)
            queries.append(core[start:start + width])
    rng.shuffle(ids)
    rng.shuffle(queries)
    doc_weights = [1 / (r + 1) ** zipf for r in range(len(ids))]
    query_weights = [1 / (r + 1) ** zipf for r in range(len(queries))]
    kinds, weights = zip(*mix)
    out = []
    for kind in rng.choices(kinds, weights, k=n):
        q = quote(rng.choices(queries, query_weights)[0])
        doc = rng.choices(ids, doc_weights)[0]
        path = {"document page": f"/documents/{doc}", "search page": f"/search?q={q}",
                "api document": f"/api/v1/documents/{doc}", "api search": f"/api/v1/search?q={q}",
                "api tasks": "/api/v1/tasks?limit=50"}[kind]
        out.append((kind, path))
    return out


def drive(port: int, jobs: list[tuple[str, str]], clients: int, seconds: float) -> tuple[dict, float, int]:
    lock = threading.Lock()
    it = iter(jobs)
    results: dict[str, list[float]] = {}
    errors = 0
    stop_at = time.monotonic() + seconds

    def client() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop_at:
            with lock:
                job = next(it, None)
            if job is None:
                break
            kind, path = job
            t0 = time.perf_counter()
            try:
                status, _ = get(conn, path)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            elapsed = time.perf_counter() - t0
            with lock:
                if status != 200:
                    errors += 1
                results.setdefault(kind, []).append(elapsed)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, time.perf_counter() - started, errors


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="database to serve (built if missing)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=3000, help="requests in the run (bounded count)")
    parser.add_argument("--seconds", type=float, default=90, help="stop after this long (bounded time)")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--zipf", type=float, default=1.0, help="popularity skew; 0 = uniform (cold cache)")
    parser.add_argument("--only", choices=[k for k, _ in MIX], help="drive one kind of request only")
    args = parser.parse_args()
    if not args.db.exists():
        build_db(args.db)
    port = free_port()
    server = start_server(args.db, port, args.workers)
    try:
        mix = [(k, w) for k, w in MIX if not args.only or k == args.only]
        jobs = workload(port, args.requests, args.seed, mix, args.zipf)
        # warm-up on other requests than the measured ones: imports, connections, SQLite pages
        drive(port, workload(port, 200, args.seed + 1, mix, args.zipf), args.clients, 30)
        results, elapsed, errors = drive(port, jobs, args.clients, args.seconds)
    finally:
        stop_server(server)
    total = sum(len(v) for v in results.values())
    size = args.db.stat().st_size / 1e6
    print(f"database {args.db.name} ({size:.0f} MB); server workers {args.workers}; {args.clients} concurrent clients; "
          f"cpus {os.cpu_count()}; zipf {args.zipf}; load average before {os.getloadavg()[0]:.1f}")
    print(f"{total} requests in {elapsed:.1f} s = {total / elapsed:.0f} req/s; non-200: {errors}")
    print(f"{'kind':<16}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'mean ms':>9}")
    everything = []
    for kind, _ in MIX:
        values = results.get(kind, [])
        everything += values
        if values:
            print(f"{kind:<16}{len(values):>6}{pct(values, 50):>9.1f}{pct(values, 95):>9.1f}{pct(values, 99):>9.1f}"
                  f"{statistics.mean(values) * 1000:>9.1f}")
    print(f"{'all':<16}{len(everything):>6}{pct(everything, 50):>9.1f}{pct(everything, 95):>9.1f}"
          f"{pct(everything, 99):>9.1f}{statistics.mean(everything) * 1000:>9.1f}")


if __name__ == "__main__":
    main()
