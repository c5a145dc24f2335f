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
import functools
import http.client
import json
import os
import random
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
LAWREF = ROOT.parent / "shared" / "lawref"
DEFAULT_DB = ROOT / "build" / "bench-serve.db"
QUERIES = ["见义勇为", "超标粮食 处置", "养老服务", "风险补偿 贷款", "行政许可", "渝府办发〔2021〕2号", "安全生产",
           "环境保护 法律责任", "未成年人", "税收征收管理", "食品安全 标准", "“突发事件”", "消费者 权益", "土地管理",
           "公租房 -养老", "劳动合同 解除", "政务服务 一网通办", "农村 产权 抵押", "道路交通安全", "知识产权"]
MIX = (("document page", 0.35), ("search page", 0.30), ("api document", 0.15), ("api search", 0.15), ("api tasks", 0.05))
# The never-repeating mix (fresh_workload): the same shares, a page of the document listing
# (offsets varied) in place of the one task-ledger URL.
FRESH_MIX = (("document page", 0.35), ("search page", 0.30), ("api document", 0.15), ("api search", 0.15),
             ("api list", 0.05))


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


def start_server(db, port: int, workers: int, wait: float = 60) -> subprocess.Popen:
    """``gongbao serve`` on 127.0.0.1:port; its log goes to a file (``proc.log_path``): a pipe
    nobody reads would stall the server once it filled."""
    cmd = [sys.executable, "-c", "from gongbao.cli import main; main()",
           "serve", "--db", str(db), "--port", str(port), "--workers", str(workers)]
    log = tempfile.NamedTemporaryFile(prefix="gongbao-serve-", suffix=".log", delete=False)
    # its own process group, so that stopping it stops its worker processes too
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log, cwd=ROOT, start_new_session=True)
    log.close()
    proc.log_path = log.name
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            if proc.poll() is not None:
                sys.exit(f"server failed: {Path(log.name).read_text()[-2000:]}")
            time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)  # its workers too
    sys.exit(f"server did not start in {wait:.0f} s")


def stop_server(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def server_log(proc: subprocess.Popen) -> list[str]:
    """The distinct lines the stopped server logged (its log file is then removed)."""
    path = Path(proc.log_path)
    lines = path.read_text(errors="replace").splitlines() if path.exists() else []
    path.unlink(missing_ok=True)
    return list(dict.fromkeys(line for line in lines if line.strip()))


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read()


def documents(port: int) -> tuple[list[str], list[str]]:
    """Every document's id and title, from the API's listing."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    ids, titles, offset = [], [], 0
    while offset is not None:
        status, body = get(conn, f"/api/v1/documents?limit=500&offset={offset}")
        for _ in range(5):  # a busy machine can spend the server's time budget (503): asked again
            if status != 503:
                break
            time.sleep(1)
            status, body = get(conn, f"/api/v1/documents?limit=500&offset={offset}")
        if status != 200:
            sys.exit(f"listing the documents answered {status}: {body[:200]!r}")
        items = json.loads(body)["items"]
        ids += [d["id"] for d in items]
        titles += [d["title"] for d in items]
        offset = offset + 500 if len(items) == 500 else None
    conn.close()
    return ids, titles


def workload(port: int, n: int, seed: int, mix=MIX, zipf: float = 1.0,
             docs: tuple[list[str], list[str]] | None = None) -> list[tuple[str, str]]:
    """A fixed, seeded list of (kind, path) over every document of the database (or the
    (ids, titles) ``docs`` given: a sample of a large one) and over queries that are the
    fixed ones above or 2–4 characters cut from random titles.

    Documents and queries are drawn with Zipf weights (rank r has weight 1/r^zipf, the usual
    model of web traffic: a few popular pages, a long tail); ``zipf=0`` draws uniformly, so
    that nearly every request misses the portal's response cache."""
    ids, titles = (list(docs[0]), list(docs[1])) if docs else documents(port)
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


def fresh_queries(titles: list[str], rng: random.Random):
    """Queries that never repeat, made of the corpus's own words: one to three words (jieba,
    function words dropped, as a query is cut) of random titles, so common words come as
    often as they do in titles; a query already made is drawn again."""
    from gongbao.search.tokenize import query_words

    words = [ws for ws in (query_words(t) for t in titles) if ws]
    seen: set[str] = set()
    while True:
        picked = [rng.choice(rng.choice(words)) for _ in range(rng.choices((1, 2, 3), (3, 5, 2))[0])]
        query = " ".join(dict.fromkeys(picked))
        if query not in seen:
            seen.add(query)
            yield query


def fresh_workload(port: int, n: int, seed: int, mix=FRESH_MIX) -> list[tuple[str, str]]:
    """A seeded list of ``n`` (kind, path) in which no path repeats: every search a new query
    (``fresh_queries``; one in ten asks its second page), the documents in shuffled rounds
    over all of them.  A document asked again in a later round carries an ignored parameter
    (``?round=2``) so that its URL is new: the response cache misses as it would on a corpus
    too large to repeat within the run (what the store keeps per process may still hit)."""
    ids, titles = documents(port)
    rng = random.Random(seed)
    queries = fresh_queries(titles, rng)
    rounds: dict[str, tuple[int, list]] = {}  # per kind: the round number and what is left of it

    def cycle(kind: str, items: list) -> tuple[object, int]:
        number, left = rounds.get(kind, (0, []))
        if not left:
            number, left = number + 1, rng.sample(items, len(items))
        rounds[kind] = (number, left)
        return left.pop(), number

    def document(kind: str) -> str:
        doc, number = cycle(kind, ids)
        return quote(doc) + (f"?round={number}" if number > 1 else "")

    def search() -> str:
        page = "&page=2" if rng.random() < 0.1 else ""
        return f"?q={quote(next(queries))}{page}"

    def listing() -> str:
        offset, number = cycle("api list", range(len(ids)))
        return f"/api/v1/documents?limit=20&offset={offset}" + (f"&round={number}" if number > 1 else "")

    paths = {"document page": lambda: f"/documents/{document('document page')}",
             "api document": lambda: f"/api/v1/documents/{document('api document')}",
             "search page": lambda: f"/search{search()}",
             "api search": lambda: f"/api/v1/search{search().replace('&page=2', '&offset=10')}",
             "api list": listing}
    kinds, weights = zip(*mix)
    return [(kind, paths[kind]()) for kind in rng.choices(kinds, weights, k=n)]


def drive(port: int, jobs: list[tuple[str, str]], clients: int, seconds: float,
          statuses: dict | None = None, cache_hits: dict | None = None) -> tuple[dict, float, int]:
    """The Python client: ``clients`` threads with keep-alive connections over ``jobs``.
    Returns latencies (s) per kind, the wall time and the count of non-200 answers; the
    answers by (kind, status) go into ``statuses`` when given (0: a socket error), the
    answers from the response cache by kind into ``cache_hits``."""
    lock = threading.Lock()
    it = iter(jobs)
    results: dict[str, list[float]] = {}
    tally = statuses if statuses is not None else {}
    cache_hits = cache_hits if cache_hits is not None else {}
    stop_at = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop_at:
            with lock:
                job = next(it, None)
            if job is None:
                break
            kind, path = job
            t0 = time.perf_counter()
            hit = False
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                status, hit = response.status, response.getheader("x-cache") == "hit"
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            elapsed = time.perf_counter() - t0
            with lock:
                tally[(kind, status)] = tally.get((kind, status), 0) + 1
                cache_hits[kind] = cache_hits.get(kind, 0) + hit
                results.setdefault(kind, []).append(elapsed)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    errors = sum(n for (_, status), n in tally.items() if status != 200)
    return results, time.perf_counter() - started, errors


@dataclass
class Run:
    """One loaded run: per kind n/p50/p95/p99/mean (ms) and the answers from the response
    cache (hits), answers by (kind, status), wall seconds, and the CPU seconds the client
    itself spent (it shares the machine)."""

    kinds: dict[str, dict[str, float]]
    statuses: dict[tuple[str, int], int]
    elapsed: float
    client_cpu: float
    client: str

    @property
    def requests(self) -> int:
        return sum(int(k["n"]) for k in self.kinds.values())

    @property
    def errors(self) -> int:
        return sum(n for (_, status), n in self.statuses.items() if status != 200)

    def error_lines(self) -> list[str]:
        return [f"{kind}: {n} × {status or 'socket error'}"
                for (kind, status), n in sorted(self.statuses.items()) if status != 200]


def summary(values: list[float]) -> dict[str, float]:
    return {"n": len(values), "p50": pct(values, 50), "p95": pct(values, 95), "p99": pct(values, 99),
            "mean": statistics.mean(values) * 1000}


def drive_wrk(port: int, jobs: list[tuple[str, str]], clients: int, seconds: float) -> Run:
    """The C client: wrk (Debian package ``wrk``) with bench/wrk_mix.lua, one connection per
    thread, walking ``jobs`` in order; it logs every answer's kind, status and time."""
    with tempfile.TemporaryDirectory(prefix="gongbao-wrk-") as tmp:
        jobs_file = Path(tmp) / "jobs"
        jobs_file.write_text("".join(f"{kind}\t{path}\n" for kind, path in jobs), encoding="utf-8")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = subprocess.run(["wrk", "-t", str(clients), "-c", str(clients), "-d", f"{seconds:g}s", "--timeout", "30s",
                              "-s", str(ROOT / "bench" / "wrk_mix.lua"), f"http://127.0.0.1:{port}",
                              "--", str(jobs_file), str(clients), str(Path(tmp) / "answers")],
                             capture_output=True, text=True, check=True).stdout
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        results: dict[str, list[float]] = {}
        statuses: dict[tuple[str, int], int] = {}
        hits: dict[str, int] = {}
        for answers in Path(tmp).glob("answers.*"):
            for line in answers.read_text(encoding="utf-8").splitlines():
                kind, status, ms, hit = line.split("\t")
                results.setdefault(kind, []).append(float(ms) / 1000)
                statuses[(kind, int(status))] = statuses.get((kind, int(status)), 0) + 1
                hits[kind] = hits.get(kind, 0) + int(hit)
    data = json.loads(next(line for line in out.splitlines() if line.startswith("{")))
    lost = sum(data["socket_errors"].values())
    if lost:
        statuses[("socket errors", 0)] = lost
    return Run({k: {**summary(v), "hits": hits.get(k, 0)} for k, v in results.items()}, statuses, data["duration_s"],
               after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, "wrk")


def run_load(port: int, jobs: list[tuple[str, str]], clients: int, seconds: float, client: str = "auto") -> Run:
    """Drive the server with wrk when it is installed (``client`` auto or wrk), else Python."""
    if client == "wrk" or (client == "auto" and shutil.which("wrk")):
        return drive_wrk(port, jobs, clients, seconds)
    statuses: dict = {}
    hits: dict = {}
    cpu = time.process_time()
    results, elapsed, _ = drive(port, jobs, clients, seconds, statuses, hits)
    return Run({k: {**summary(v), "hits": hits.get(k, 0)} for k, v in results.items()}, statuses, elapsed,
               time.process_time() - cpu, "python")


def server_cpu(proc: subprocess.Popen) -> float:
    """CPU seconds used so far by the server and its worker processes (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == proc.pid:  # process group: the server and its workers
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def server_rss(proc: subprocess.Popen) -> list[float]:
    """Resident memory (MB) of each process of the server's group (Linux /proc), largest first:
    what the worker processes keep (response cache, kept texts and outlines, whole-database values)."""
    out = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            stat = (status.parent / "stat").read_text().rsplit(")", 1)[1].split()
            if int(stat[2]) == proc.pid:
                rss = next(line for line in status.read_text().splitlines() if line.startswith("VmRSS:"))
                out.append(int(rss.split()[1]) / 1024)
        except (OSError, StopIteration):
            continue
    return sorted(out, reverse=True)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(DEFAULT_DB),
                        help="database to serve: a SQLite file (built if missing) or a postgresql:// URL")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=3000, help="requests in the run (bounded count)")
    parser.add_argument("--seconds", type=float, default=90, help="stop after this long (bounded time)")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--zipf", type=float, default=1.0, help="popularity skew; 0 = uniform (cold cache)")
    parser.add_argument("--fresh", action="store_true",
                        help="the never-repeating mix (fresh_workload: no URL twice) instead of --zipf's")
    parser.add_argument("--only", choices=sorted({k for k, _ in MIX + FRESH_MIX}), help="drive one kind of request only")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto",
                        help="load generator: wrk (C, Debian package) when installed, else Python threads")
    args = parser.parse_args()
    local = not args.db.startswith(("postgresql:", "postgres:"))
    if local and not Path(args.db).exists():
        build_db(Path(args.db))
    port = free_port()
    server = start_server(args.db, port, args.workers)
    try:
        mix = [(k, w) for k, w in (FRESH_MIX if args.fresh else MIX) if not args.only or k == args.only]
        make = functools.partial(fresh_workload, mix=mix) if args.fresh else functools.partial(
            workload, mix=mix, zipf=args.zipf)
        jobs = make(port, args.requests, args.seed)
        # warm-up on other requests than the measured ones: imports, connections, SQLite pages
        drive(port, make(port, 200, args.seed + 1), args.clients, 30)
        load_before = os.getloadavg()[0]
        cpu_before = server_cpu(server)
        run = run_load(port, jobs, args.clients, args.seconds, args.client)
        cpu = server_cpu(server) - cpu_before
        rss = server_rss(server)
    finally:
        stop_server(server)
        log = server_log(server)
    size = f" ({Path(args.db).stat().st_size / 1e6:.0f} MB)" if local else ""
    print(f"database {args.db if not local else Path(args.db).name}{size}; server workers {args.workers}; "
          f"{args.clients} concurrent clients ({run.client}); cpus {os.cpu_count()}; "
          f"{'never-repeating' if args.fresh else f'zipf {args.zipf}'}; "
          f"load average before {load_before:.1f}, after {os.getloadavg()[0]:.1f}")
    print(f"{run.requests} requests in {run.elapsed:.1f} s = {run.requests / run.elapsed:.0f} req/s; "
          f"CPU s: server {cpu:.1f}, client {run.client_cpu:.1f}; non-200: {run.errors}; "
          f"from the response cache: {sum(k['hits'] for k in run.kinds.values()) / max(1, run.requests):.0%}")
    print("resident MB per server process after the run: " + ", ".join(f"{mb:.0f}" for mb in rss))
    for line in run.error_lines():
        print(f"  {line}")
    if log:
        print(f"server log: {len(log)} lines, e.g. {log[:3]}")
    print(f"{'kind':<16}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'mean ms':>9}{'cached':>8}")
    for kind, k in run.kinds.items():
        print(f"{kind:<16}{int(k['n']):>6}{k['p50']:>9.1f}{k['p95']:>9.1f}{k['p99']:>9.1f}{k['mean']:>9.1f}"
              f"{k['hits'] / k['n']:>8.0%}")


if __name__ == "__main__":
    main()
