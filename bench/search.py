"""Search benchmark: ingest ../shared/lawref + the samples, then time a fixed mixed query set.

    python bench/search.py [--db PATH] [--rounds 3] [--lawref DIR]

Reports, in one run and on the same data and queries: ingest speed (parse + index, MB/s,
and the parse and store shares), index size, gongbao search latency p50/p95/p99 and nDCG@10
on the relevance set — side by side with a plain baseline, bm25s over rjieba words of each
document's title and text (index build time, latency, nDCG@10).  With --db an existing
database is reused (no ingest timing).
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import rjieba

sys.path.insert(0, str(Path(__file__).parent))
from relevance import _targets, load_queries, summarise  # noqa: E402

from gongbao.ingest import ingest_paths  # noqa: E402
from gongbao.search.query import match_expression, parse_query, search  # noqa: E402
from gongbao.search.tokenize import query_words  # noqa: E402
from gongbao.store import Store, open_store  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
# Beyond the relevance set: the shapes of query a portal sees — one common word, a phrase,
# OR, NOT, filters-free 文号s, an unknown word, a long pasted sentence.
EXTRA_QUERIES = [
    "人民政府", "安全生产", "\"法律责任\"", "罚款 OR 拘留", "行政处罚 -刑事", "渝府发〔2021〕1号", "国办发〔2020〕35号",
    "不存在的词语组合xyz", "各级人民政府应当加强对森林防火工作的领导，建立健全政府负总责的森林防火责任制度",
    "第二十条", "重庆市", "2021", "养老服务 补贴", "环境保护 法律责任", "未成年人 网络",
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[index]


def ingest(db: Path, paths: list[Path]) -> dict:
    """Ingest every file as ``gongbao ingest`` does (parsing processes beside the writer),
    with the writer's own CPU time and that of the parsing processes."""
    main, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    summary = ingest_paths(paths, db, progress=False)
    main_after, children_after = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"mb": summary.bytes / 1e6, "seconds": summary.seconds,
            "writer_cpu": main_after.ru_utime + main_after.ru_stime - main.ru_utime - main.ru_stime,
            "parse_cpu": children_after.ru_utime + children_after.ru_stime - children.ru_utime - children.ru_stime}


def time_queries(run, queries: list[str], rounds: int) -> list[float]:
    for q in queries:  # warm-up: caches, jieba's dictionary
        run(q)
    latencies = []
    for _ in range(rounds):
        for q in queries:
            started = time.perf_counter()
            run(q)
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def _ndcg(ranked_keys: list[list[str | None]], entries: list[dict]) -> float:
    rows = []
    for keys, entry in zip(ranked_keys, entries):
        targets, seen, gains = _targets(entry), set(), []
        for key in keys:
            gain = targets.get(key, 0) if key not in seen else 0
            seen.add(key)
            gains.append(gain)
        dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
        idcg = sum(g / math.log2(i + 2) for i, g in enumerate(sorted(targets.values(), reverse=True)[:10]))
        rows.append({"ndcg": dcg / idcg, "recall": len(seen & set(targets)) / len(targets), "top1": bool(gains and gains[0] == 2),
                     "rr": next((1 / (i + 1) for i, g in enumerate(gains) if g == 2), 0.0), "clause": None})
    return summarise(rows)["ndcg"]


def _rank_only(store: Store, query: str) -> list[int]:
    """The ten best document pks by FTS5 BM25: what the baseline computes, for a like-for-like
    timing (search() also counts every match and builds snippets, clause hits and status)."""
    parsed = parse_query(query)
    expression = match_expression(parsed, store.scheme)
    if expression is None:
        return []
    return [pk for pk, _ in store.fts_best(expression, None, 10)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="reuse this ingested database (skips the ingest timing)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--lawref", type=Path, default=ROOT.parent / "shared" / "lawref")
    args = parser.parse_args()
    entries = load_queries()
    queries = [e["q"] for e in entries] + EXTRA_QUERIES
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.db"
        report = {}
        if not args.db:
            paths = [ROOT / "samples"] + ([args.lawref] if args.lawref.is_dir() else [])
            report = ingest(db, paths)
        with open_store(db, readonly=True) as store:
            stats = store.stats()
            raw_mb = store.conn.execute("SELECT sum(size) AS n FROM issues").fetchone()["n"] / 1e6
            ours = time_queries(lambda q: search(store, q, limit=10), queries, args.rounds)
            ranking = time_queries(lambda q: _rank_only(store, q), queries, args.rounds)
            keys = {r["id"]: (r["doc_number"], r["key"]) for r in store.conn.execute(
                "SELECT d.id, d.doc_number, i.key FROM documents d LEFT JOIN issues i ON i.id = d.issue_id")}
            docs = store.conn.execute(
                "SELECT d.id, d.title, d.text FROM documents d WHERE d.present = 1 ORDER BY d.pk").fetchall()

            def key_of(doc_id: str, entry: dict) -> str:
                number, issue_key = keys[doc_id]
                return number if number in _targets(entry) else issue_key

            ours_ndcg = _ndcg([[key_of(h.id, e) for h in search(store, e["q"], limit=10).hits] for e in entries], entries)

        import bm25s

        started = time.perf_counter()
        corpus = [rjieba.cut_for_search(f"{d['title']}\n{d['text']}") for d in docs]
        retriever = bm25s.BM25()
        retriever.index(corpus, show_progress=False)
        base_build = time.perf_counter() - started

        def baseline(q: str) -> list[str]:
            tokens = query_words(q) or rjieba.cut(q)
            k = min(10, len(docs))
            found, _ = retriever.retrieve([tokens], k=k, show_progress=False)
            return [docs[i]["id"] for i in found[0]]

        base = time_queries(baseline, queries, args.rounds)
        base_ndcg = _ndcg([[key_of(i, e) for i in baseline(e["q"])] for e in entries], entries)

    print(f"corpus: {stats.issues} issues, {stats.documents} documents, {stats.outline_nodes} outline nodes, "
          f"{raw_mb:.1f} MB of source text; {len(queries)} queries × {args.rounds} rounds\n")
    if report:
        print(f"ingest: {report['mb']:.1f} MB in {report['seconds']:.1f} s = {report['mb'] / report['seconds']:.2f} MB/s "
              f"(CPU: writer {report['writer_cpu']:.1f} s, parsing processes {report['parse_cpu']:.1f} s)")
    size = os.path.getsize(db) if db.exists() else stats.size_bytes
    print(f"database: {stats.size_bytes / 1e6:.0f} MB (file {size / 1e6:.0f} MB), tokenizer {stats.tokenizer}\n")
    print("| engine | index build | p50 ms | p95 ms | p99 ms | nDCG@10 |")
    print("|---|---|---|---|---|---|")
    print(f"| gongbao (SQLite FTS5, {stats.tokenizer}) | with ingest | {statistics.median(ours):.1f} | "
          f"{percentile(ours, 95):.1f} | {percentile(ours, 99):.1f} | {ours_ndcg:.3f} |")
    print(f"| gongbao ranking only (no total, snippets, clauses, status) | — | {statistics.median(ranking):.1f} | "
          f"{percentile(ranking, 95):.1f} | {percentile(ranking, 99):.1f} | same |")
    print(f"| baseline: bm25s over rjieba words | {base_build:.0f} s | {statistics.median(base):.1f} | "
          f"{percentile(base, 95):.1f} | {percentile(base, 99):.1f} | {base_ndcg:.3f} |")


if __name__ == "__main__":
    main()
