"""Every speed figure of gongbao beside its peers, in one run (issue 13).

    python bench/all.py [--rounds 3] [--only parse,ingest,search,cli,portal] [--lawref DIR]
                        [--db DB] [--seconds 60] [--clients 20] [--workers 2]
    make bench

Corpus: samples/ and ../shared/lawref (left out, with a note, when absent).  Each measure
runs ``--rounds`` times; the table gives the median, the ratio to the peer measured in the
same run, and the machine's 1-minute load average at that moment (this machine is shared:
a figure taken at load 6 on 2 cores is not one taken at load 1).

- parse: ``pipeline.read_issue`` over every file, CPU seconds of this process (one core),
  beside rjieba alone over the same text and one regular-expression pass (文号 shape).
- ingest: ``ingest_paths`` into a new database (wall, parsing processes beside the writer
  as ``gongbao ingest`` runs them), beside tantivy over the same rjieba tokens (one
  process, text stored) and SQLite FTS5 trigram (text stored, no parsing); sizes on disk.
- search: ``search.query.search`` (snippets, clause hits, statuses) over the relevance set
  and the portal's query shapes, p50/p95 per round; tantivy (with a snippet per hit) and
  bm25s over the same tokens of the same documents; nDCG@10 of each on tests/relevance.
- cli: ``gongbao search`` and ``gongbao ask`` as whole processes beside a one-shot tantivy
  script (open the index, tokenise, search, print).
- portal: ``gongbao serve`` on 127.0.0.1: first every route once per distinct URL with one
  client (nothing cached), then ``--clients`` keep-alive clients for ``--seconds`` over a
  mix of pages and API calls, twice, each on a server of its own: drawn uniformly over the
  documents and 420 queries (URLs repeat: the response cache answers most of them), and
  never repeating (new queries of the corpus's words, every document once per round); the
  share of answers from the response cache beside req/s and p95.  Bounded in count and time.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).parent))
import serve as portal  # noqa: E402  (bench/serve.py: server start/stop, workload, clients)
from relevance import load_queries  # noqa: E402
from search import EXTRA_QUERIES, _ndcg, percentile  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ("parse", "ingest", "search", "cli", "portal")
CLI_QUERIES = ["超标粮食 处置", "行政处罚 法律责任", "渝府办发〔2020〕142号", "养老服务", "食品安全 标准"]
ASK_QUESTIONS = ["粮食重金属超标了怎么办", "见义勇为人员有哪些奖励", "公租房申请条件是什么"]
DOC_NUMBER_SHAPE = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\d{1,4}号")

rows: list[tuple[str, str, str, str, str]] = []  # section, measure, gongbao, peer, ratio


def load() -> float:
    return os.getloadavg()[0]


def fig(values: list[float], fmt: str = "{:.2f}") -> str:
    """Median of the rounds, with the load average at which they were taken."""
    return fmt.format(statistics.median(values))


def record(section: str, measure: str, ours: list[float], ours_load: list[float], peer: str = "",
           theirs: list[float] | None = None, theirs_load: list[float] | None = None,
           fmt: str = "{:.2f}", higher_is_better: bool = False) -> None:
    ours_s = f"{fig(ours, fmt)} (load {statistics.median(ours_load):.1f})"
    peer_s = ratio = ""
    if theirs:
        peer_s = f"{peer} {fig(theirs, fmt)} (load {statistics.median(theirs_load):.1f})"
        a, b = statistics.median(ours), statistics.median(theirs)
        if a and b:
            ratio = f"{(b / a if higher_is_better else a / b):.2f}× the peer's time"
    rows.append((section, measure, ours_s, peer_s, ratio))
    print(f"  {measure}: {ours_s}" + (f"  | {peer_s}  | {ratio}" if peer_s else ""), flush=True)


def corpus_files(lawref: Path | None) -> list[Path]:
    files = sorted((ROOT / "samples").glob("*.txt"))
    if lawref:
        files += sorted(p for p in lawref.rglob("*.md") if p.name != "README.md" and not p.name.startswith("."))
    return files


def cpu_seconds(fn, texts: list[bytes]) -> float:
    started = time.process_time()
    for t in texts:
        fn(t)
    return time.process_time() - started


# -- parse -------------------------------------------------------------------------------

def bench_parse(files: list[Path], rounds: int) -> None:
    import rjieba

    from gongbao.pipeline import read_issue

    texts = [f.read_bytes() for f in files]
    mb = sum(map(len, texts)) / 1e6
    print(f"parse: {len(texts)} files, {mb:.1f} MB, CPU of one process", flush=True)
    runs = {"gongbao": ([], []), "rjieba": ([], []), "regex": ([], [])}
    fns = {"gongbao": read_issue, "rjieba": lambda t: rjieba.cut(t.decode("utf-8")),
           "regex": lambda t: DOC_NUMBER_SHAPE.findall(t.decode("utf-8"))}
    for _ in range(rounds):
        for name, fn in fns.items():
            seconds = cpu_seconds(fn, texts)
            runs[name][0].append(mb / seconds)
            runs[name][1].append(load())
    record("parse", "parse MB/s (CPU, one core)", *runs["gongbao"], "rjieba alone", *runs["rjieba"],
           higher_is_better=True)
    record("parse", "parse MB/s vs one regex pass", *runs["gongbao"], "regex pass", *runs["regex"],
           higher_is_better=True)


# -- ingest ------------------------------------------------------------------------------

def tokens(text: str) -> str:
    from gongbao.search.tokenize import index_text

    return index_text(text)


def tantivy_index(path: Path, docs) -> None:
    """Index (key, title, text) triples with tantivy over gongbao's own tokens (whitespace-split)."""
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("key", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name="whitespace")
    builder.add_text_field("body", stored=True, tokenizer_name="whitespace")
    path.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(builder.build(), path=str(path))
    writer = index.writer()
    for key, title, text in docs:
        writer.add_document(tantivy.Document(key=key, title=tokens(title), body=tokens(text)))
    writer.commit()
    writer.wait_merging_threads()


def file_docs(files: list[Path]):
    for f in files:
        text = f.read_text(encoding="utf-8")
        yield str(f), text.split("\n", 1)[0], text


def trigram_index(db: Path, files: list[Path]) -> None:
    conn = sqlite3.connect(db)
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(path, title, body, tokenize='trigram')")
    with conn:
        conn.executemany("INSERT INTO t VALUES (?, ?, ?)", file_docs(files))
    conn.close()


def size_mb(path: Path) -> float:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6


def bench_ingest(files: list[Path], paths: list[Path], tmp: Path, rounds: int) -> Path:
    from gongbao.ingest import ingest_paths

    mb = sum(f.stat().st_size for f in files) / 1e6
    print(f"ingest: {mb:.1f} MB", flush=True)
    speed = {k: ([], []) for k in ("gongbao", "tantivy", "trigram")}
    sizes = {}
    db = tmp / "ingest-0.db"
    for n in range(rounds):
        for name in speed:
            target = tmp / f"{name}-{n}" if name == "tantivy" else tmp / f"{name}-{n}.db"
            started = time.perf_counter()
            if name == "gongbao":
                ingest_paths(paths, target, progress=False)
            elif name == "tantivy":
                tantivy_index(target, file_docs(files))
            else:
                trigram_index(target, files)
            speed[name][0].append(mb / (time.perf_counter() - started))
            speed[name][1].append(load())
            sizes[name] = size_mb(target)
            if name == "gongbao" and n == 0:
                db = target
            elif target.is_dir():
                shutil.rmtree(target)
            else:
                for p in target.parent.glob(target.name + "*"):
                    p.unlink()
    record("ingest", "ingest MB/s (wall, 2 cores)", *speed["gongbao"], "tantivy", *speed["tantivy"],
           higher_is_better=True)
    record("ingest", "ingest MB/s vs FTS5 trigram", *speed["gongbao"], "FTS5 trigram", *speed["trigram"],
           higher_is_better=True)
    print(f"  sizes on disk: gongbao {sizes['gongbao']:.0f} MB, tantivy {sizes['tantivy']:.0f} MB, "
          f"FTS5 trigram {sizes['trigram']:.0f} MB (source {mb:.0f} MB)", flush=True)
    rows.append(("ingest", "size on disk MB", f"{sizes['gongbao']:.0f} (source {mb:.1f})",
                 f"tantivy {sizes['tantivy']:.0f}; FTS5 trigram {sizes['trigram']:.0f}",
                 f"{sizes['gongbao'] / mb:.2f}× the source"))
    return db


# -- search ------------------------------------------------------------------------------

def present_docs(db: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    docs = conn.execute("SELECT id, coalesce(title, '') || ' ' || coalesce(doc_number, ''), coalesce(text, '') "
                        "FROM documents WHERE present = 1 ORDER BY pk").fetchall()
    conn.close()
    return docs


def doc_keys(db: Path) -> dict[str, tuple[str | None, str | None]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    keys = {r[0]: (r[1], r[2]) for r in conn.execute(
        "SELECT d.id, d.doc_number, i.key FROM documents d LEFT JOIN issues i ON i.id = d.issue_id")}
    conn.close()
    return keys


class Tantivy:
    """A tantivy searcher over gongbao's tokens: all query words must match (as gongbao's
    default), best 10 with a snippet of the body each."""

    def __init__(self, path: Path) -> None:
        import tantivy

        self.tantivy = tantivy
        self.index = tantivy.Index.open(str(path))
        self.searcher = self.index.searcher()

    def __call__(self, q: str) -> list[str]:
        from gongbao.search.tokenize import query_words

        words = query_words(q)
        if not words:
            return []
        expression = " AND ".join('"' + w.replace('"', "") + '"' for w in words)
        query = self.index.parse_query(expression, ["title", "body"], field_boosts={"title": 8.0})
        hits = self.searcher.search(query, 10).hits
        snippets = self.tantivy.SnippetGenerator.create(self.searcher, query, self.index.schema, "body")
        out = []
        for _, address in hits:
            doc = self.searcher.doc(address)
            snippets.snippet_from_doc(doc).to_html()
            out.append(doc["key"][0])
        return out


def time_queries(run, queries: list[str]) -> list[float]:
    latencies = []
    for q in queries:
        started = time.perf_counter()
        run(q)
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def bench_search(db: Path, tmp: Path, rounds: int) -> Path:
    import bm25s

    from gongbao.search.query import search
    from gongbao.search.tokenize import query_words
    from gongbao.store import open_store

    entries = load_queries()
    queries = [e["q"] for e in entries] + EXTRA_QUERIES
    docs = present_docs(db)
    print(f"search: {len(docs)} documents, {len(queries)} queries", flush=True)
    tv_path = tmp / "tantivy-docs"
    tantivy_index(tv_path, docs)
    corpus = [tokens(f"{title}\n{text}").split() for _, title, text in docs]
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)

    def bm25(q: str) -> list[str]:
        words = query_words(q)
        if not words:
            return []
        found, _ = retriever.retrieve([words], k=min(10, len(docs)), show_progress=False)
        return [docs[i][0] for i in found[0]]

    keys = doc_keys(db)
    with open_store(db, readonly=True) as store:
        engines = {"gongbao": lambda q: [h.id for h in search(store, q, limit=10).hits],
                   "tantivy": Tantivy(tv_path), "bm25s": bm25}
        p50 = {k: ([], []) for k in engines}
        p95 = {k: ([], []) for k in engines}
        for name, run in engines.items():
            time_queries(run, queries)  # warm-up: page cache, jieba's dictionary
        for _ in range(rounds):
            for name, run in engines.items():
                latencies = time_queries(run, queries)
                p50[name][0].append(statistics.median(latencies))
                p95[name][0].append(percentile(latencies, 95))
                p50[name][1].append(load())
                p95[name][1].append(load())

        def key_of(doc_id: str, entry: dict) -> str | None:
            from relevance import _targets

            number, issue_key = keys[doc_id]
            return number if number in _targets(entry) else issue_key

        ndcg = {name: _ndcg([[key_of(i, e) for i in run(e["q"])] for e in entries], entries)
                for name, run in engines.items()}
    for peer in ("tantivy", "bm25s"):
        record("search", f"search p95 ms vs {peer}", *p95["gongbao"], peer, *p95[peer])
    record("search", "search p50 ms vs tantivy", *p50["gongbao"], "tantivy", *p50["tantivy"])
    rows.append(("search", "nDCG@10 (tests/relevance)", f"{ndcg['gongbao']:.3f}",
                 f"tantivy {ndcg['tantivy']:.3f}; bm25s {ndcg['bm25s']:.3f}", ""))
    print(f"  nDCG@10: gongbao {ndcg['gongbao']:.3f}, tantivy {ndcg['tantivy']:.3f}, bm25s {ndcg['bm25s']:.3f}")
    return tv_path


# -- cli ---------------------------------------------------------------------------------

TANTIVY_ONE_SHOT = """
import sys, tantivy, rjieba
index = tantivy.Index.open(sys.argv[1])
words = [w for w in rjieba.cut_for_search(sys.argv[2]) if w.strip()]
query = index.parse_query(" AND ".join('"' + w.replace('"', '') + '"' for w in words), ["title", "body"])
searcher = index.searcher()
snippets = tantivy.SnippetGenerator.create(searcher, query, index.schema, "body")
for score, address in searcher.search(query, 10).hits:
    doc = searcher.doc(address)
    print(score, doc["key"][0], snippets.snippet_from_doc(doc).to_html()[:80])
"""


# As installed by pip, a package's modules are compiled once to bytecode; a shell whose
# environment forbids writing bytecode (PYTHONDONTWRITEBYTECODE) would compile every module
# of every process again, which no user pays.
CLI_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def wall(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one whole process."""
    before = os.times()
    started = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=CLI_ENV)
    elapsed = time.perf_counter() - started
    after = os.times()
    return elapsed, after.children_user + after.children_system - before.children_user - before.children_system


def bench_cli(db: Path, tv_path: Path, rounds: int) -> None:
    gongbao = [sys.executable, "-m", "gongbao"]
    print("cli: whole processes, seconds (wall, then CPU)", flush=True)
    for command in (["search", "养老"], ["ask", ASK_QUESTIONS[0]]):  # warm-up: page cache, bytecode
        wall(gongbao + command + ["--db", str(db)])
    runs = {k: ([], [], []) for k in ("search", "ask", "tantivy")}  # wall, load, CPU

    def timed(name: str, cmd: list[str]) -> None:
        elapsed, cpu = wall(cmd)
        runs[name][0].append(elapsed)
        runs[name][1].append(load())
        runs[name][2].append(cpu)

    for _ in range(rounds):
        for q in CLI_QUERIES:
            timed("search", gongbao + ["search", q, "--db", str(db)])
            timed("tantivy", [sys.executable, "-c", TANTIVY_ONE_SHOT, str(tv_path), q])
        for q in ASK_QUESTIONS:
            timed("ask", gongbao + ["ask", q, "--db", str(db)])
    for name in ("search", "ask"):
        record("cli", f"`gongbao {name}` s", *runs[name][:2], "one-shot tantivy", *runs["tantivy"][:2], fmt="{:.3f}")
        record("cli", f"`gongbao {name}` CPU s", runs[name][2], runs[name][1], "one-shot tantivy",
               runs["tantivy"][2], runs["tantivy"][1], fmt="{:.3f}")


# -- portal ------------------------------------------------------------------------------

def route_urls(port: int, n: int) -> dict[str, list[str]]:
    """Up to ``n`` distinct URLs per route, so that no answer comes from a cache."""
    import http.client
    import json

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    docs = json.loads(portal.get(conn, f"/api/v1/documents?limit={n}&offset=7")[1])["items"]
    issues = json.loads(portal.get(conn, f"/api/v1/issues?limit={n}")[1])["items"]
    units = json.loads(portal.get(conn, "/api/v1/units")[1])
    units = [u["name"] for u in (units if isinstance(units, list) else units.get("items", []))][:n]
    conn.close()
    ids = [d["id"] for d in docs]
    queries = [quote(q) for q in portal.QUERIES[:n]]
    statuses = ["in_force", "repealed", "expired", "unknown"]
    return {
        "/": ["/"],
        "/issues": ["/issues"] + [f"/issues?page={k}" for k in range(2, 4)],
        "/issues/{id}": [f"/issues/{i['id']}" for i in issues],
        "/documents/{id}": [f"/documents/{i}" for i in ids],
        "/documents/{id}.json": [f"/documents/{i}.json" for i in ids],
        "/search": [f"/search?q={q}" for q in queries],
        "/library": ["/library"] + [f"/library?status={s}" for s in statuses] + [f"/library?q={q}" for q in queries[:5]],
        "/units/{name}": [f"/units/{quote(u)}" for u in units],
        "/tasks": ["/tasks"] + [f"/tasks?overdue=1", "/tasks?page=2"],
        "/api/v1/documents/{id}": [f"/api/v1/documents/{i}" for i in ids],
        "/api/v1/search": [f"/api/v1/search?q={q}" for q in queries],
        "/api/v1/stats": ["/api/v1/stats"],
        "/feeds/documents.atom": ["/feeds/documents.atom"],
    }


def sweep(port: int, urls: dict[str, list[str]]) -> dict[str, tuple[list[float], int]]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    out = {}
    for route, paths in urls.items():
        times, errors = [], 0
        for path in paths:
            started = time.perf_counter()
            status, _ = portal.get(conn, path)
            times.append((time.perf_counter() - started) * 1000)
            errors += status != 200
        out[route] = (times, errors)
    conn.close()
    return out


class Loaded:
    """The loaded runs of one mix: req/s, the share of answers from the response cache, the
    CPU of server and client and the p95 per kind, each with the load it was taken at."""

    def __init__(self, name: str) -> None:
        self.name, self.errors = name, 0
        self.figures: dict[str, tuple[list[float], list[float]]] = {}

    def add(self, measure: str, value: float) -> None:
        values, loads = self.figures.setdefault(measure, ([], []))
        values.append(value)
        loads.append(load())

    def run(self, db, workers: int, make_jobs, clients: int, seconds: float, client: str, n: int) -> None:
        """One loaded run on a server of its own (its response cache empty)."""
        port = portal.free_port()
        server = portal.start_server(db, port, workers)
        try:
            jobs = make_jobs(port)
            server_before = portal.server_cpu(server)
            run = portal.run_load(port, jobs, clients, seconds, client)
            server_cpu = portal.server_cpu(server) - server_before
            rss = portal.server_rss(server)
        finally:
            portal.stop_server(server)
            log = portal.server_log(server)
        self.errors += run.errors
        for line in run.error_lines() + [f"server log: {line}" for line in log[:5]]:
            print(f"  {self.name}, round {n}: {line}")
        hits = sum(k["hits"] for k in run.kinds.values())
        print(f"  {self.name}, round {n}: answers from the response cache: {hits / max(1, run.requests):.0%} ("
              + ", ".join(f"{kind} {k['hits'] / k['n']:.0%}" for kind, k in run.kinds.items()) + ")", flush=True)
        self.add(f"req/s, {clients} clients ({run.client})", run.requests / run.elapsed)
        self.add("% of answers from the response cache", 100 * hits / max(1, run.requests))
        self.add("CPU s of the server per loaded run", server_cpu)
        self.add("CPU s of the client per loaded run", run.client_cpu)
        self.add("largest server process MB after the run", rss[0] if rss else 0.0)
        # the server's CPU ms per answer: less moved by the machine's load than req/s
        self.add("server CPU ms per answer under load", server_cpu * 1000 / max(1, run.requests))
        for kind, k in run.kinds.items():
            self.add(f"p95 ms under load: {kind}", k["p95"])

    def record(self) -> None:
        for measure, (values, loads) in self.figures.items():
            record("portal", f"{self.name}: {measure}", values, loads,
                   fmt="{:.2f}" if "per answer" in measure else "{:.0f}" if "req/s" in measure else "{:.1f}")


def bench_portal(db, rounds: int, clients: int, seconds: float, workers: int, client: str = "auto") -> None:
    """Per round: the uncached sweep, then two loaded runs, each on a fresh server: uniform over
    documents and queries (URLs repeat, the response cache answers more and more of them) and
    never repeating (bench/serve.py fresh_workload: no URL twice)."""
    print(f"portal: {workers} server workers, {clients} clients × {seconds:.0f} s; uniform, then never-repeating",
          flush=True)
    per_route: dict[str, tuple[list[float], list[float]]] = {}
    sweep_errors = 0
    mixes = [(Loaded("uniform"), lambda port, n: portal.workload(port, int(seconds * 2000), 100 + n, zipf=0.0)),
             (Loaded("never-repeating"), lambda port, n: portal.fresh_workload(port, int(seconds * 2000), 200 + n))]
    for n in range(rounds):
        port = portal.free_port()
        server = portal.start_server(db, port, workers)
        try:
            for route, (times, errors) in sweep(port, route_urls(port, 12)).items():
                per_route.setdefault(route, ([], []))
                per_route[route][0].append(statistics.median(times))
                per_route[route][1].append(load())
                sweep_errors += errors
                if errors:
                    print(f"  sweep {route}: {errors} non-200")
        finally:
            portal.stop_server(server)
            portal.server_log(server)
        for mix, make in mixes:
            mix.run(db, workers, functools.partial(make, n=n), clients, seconds, client, n + 1)
    for route, (values, route_loads) in per_route.items():
        record("portal", f"uncached p50 ms {route}", values, route_loads, fmt="{:.1f}")
    for mix, _ in mixes:
        mix.record()
    errors_all = sweep_errors + sum(mix.errors for mix, _ in mixes)
    rows.append(("portal", "errors (non-200)", str(errors_all), "", ""))
    print(f"  errors (non-200): {errors_all}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated: " + ",".join(SECTIONS))
    parser.add_argument("--lawref", type=Path, default=ROOT.parent / "shared" / "lawref")
    parser.add_argument("--db", type=Path, help="an ingested database for search/cli/portal (skips building one)")
    parser.add_argument("--seconds", type=float, default=60, help="portal: length of each loaded run")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="portal: server worker processes")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto",
                        help="portal: load generator (wrk when installed, else Python threads)")
    args = parser.parse_args()
    only = set(args.only.split(","))
    lawref = args.lawref if args.lawref.is_dir() else None
    if lawref is None:
        print(f"note: {args.lawref} not found; samples only", flush=True)
    paths = [ROOT / "samples"] + ([lawref] if lawref else [])
    files = corpus_files(lawref)
    import gongbao

    print(f"gongbao from {Path(gongbao.__file__).parent}; {os.cpu_count()} cores; {args.rounds} rounds; "
          f"load {load():.1f} at start", flush=True)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if "parse" in only:
            bench_parse(files, args.rounds)
        db = args.db
        if "ingest" in only:
            db = bench_ingest(files, paths, tmp, args.rounds) if not args.db else db
        if db is None and only & {"search", "cli", "portal"}:
            from gongbao.ingest import ingest_paths

            db = tmp / "bench.db"
            ingest_paths(paths, db, progress=False)
        tv_path = None
        if only & {"search", "cli"}:
            tv_path = bench_search(db, tmp, args.rounds)
        if "cli" in only:
            bench_cli(db, tv_path, args.rounds)
        if "portal" in only:
            bench_portal(db, args.rounds, args.clients, args.seconds, args.workers, args.client)
    print(f"\n| area | measure | gongbao (median of {args.rounds}) | peer, same run | ratio |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
