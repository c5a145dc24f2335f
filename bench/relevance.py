"""Compare tokenisation schemes on the hand-written relevance set (tests/relevance/queries.yaml).

    python bench/relevance.py [--db PATH] [--schemes words,bigrams,...] [--lawref DIR]

Ingests the samples and ../shared/lawref once (or reuses --db), then for each scheme copies
the database, rebuilds the full-text index with that scheme and runs every query through
``gongbao.search.query.search``.  Reports nDCG@10, recall@10, top-1, MRR and clause@3 (the
expected clause, or a node inside it, among the clause hits of the expected document), overall and by query kind,
as a markdown table.
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

from gongbao.ingest import ingest_paths
from gongbao.search.query import search
from gongbao.search.tokenize import DEFAULT_SCHEME, SCHEMES
from gongbao.store import Store, open_store

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "tests" / "relevance" / "queries.yaml"
K = 10


def _file_key(path: str) -> str:
    """The issue key ingest gives a single-text file: its folder and name."""
    return "file:" + "/".join(path.split("/")[-2:])


def load_queries(path: Path = QUERIES) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _keys(value: str | list[str]) -> list[str]:
    """A target (or a list of equally good ones): a 文号, or a file under lawref."""
    values = value if isinstance(value, list) else [value]
    return [_file_key(v) if v.endswith(".md") else v for v in values]


def _targets(entry: dict) -> dict[str, int]:
    """key → gain: the expected documents gain 2, the `also` ones 1."""
    gains = {key: 1 for key in _keys(entry.get("also", []))}
    for field in ("doc_number", "file"):
        gains.update({key: 2 for key in _keys(entry.get(field, []))})
    return gains


def _within(anchor: str, expected: str | None) -> bool:
    """The expected clause, or a node inside it (art-27.3 is item 3 of art-27)."""
    return bool(expected) and (anchor == expected or anchor.startswith(expected + "."))


def evaluate(store: Store, queries: list[dict]) -> list[dict]:
    keys = {r["id"]: (r["doc_number"], r["key"]) for r in store.conn.execute(
        "SELECT d.id, d.doc_number, i.key FROM documents d LEFT JOIN issues i ON i.id = d.issue_id")}
    rows = []
    for entry in queries:
        targets = _targets(entry)
        result = search(store, entry["q"], limit=K)
        gains, seen, first, clause_ok = [], set(), None, False
        for rank, hit in enumerate(result.hits, 1):
            number, issue_key = keys[hit.id]
            key = number if number in targets else issue_key if issue_key in targets else None
            gain = targets[key] if key and key not in seen else 0
            if key:
                seen.add(key)
            if gain == 2 and first is None:
                first = rank
                clause_ok = any(_within(c.anchor, entry.get("anchor")) for c in hit.clauses)
            gains.append(gain)
        dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
        ideal = sorted(targets.values(), reverse=True)[:K]
        idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
        rows.append({
            "q": entry["q"], "kind": entry["kind"], "ndcg": dcg / idcg, "recall": len(seen) / len(targets),
            "top1": first == 1, "rr": 1 / first if first else 0.0,
            "clause": clause_ok if entry.get("anchor") else None, "first": first,
        })
    return rows


def summarise(rows: list[dict]) -> dict:
    clause = [r["clause"] for r in rows if r["clause"] is not None]
    n = len(rows)
    return {
        "n": n,
        "ndcg": sum(r["ndcg"] for r in rows) / n,
        "recall": sum(r["recall"] for r in rows) / n,
        "top1": sum(r["top1"] for r in rows) / n,
        "mrr": sum(r["rr"] for r in rows) / n,
        "clause": sum(clause) / len(clause) if clause else float("nan"),
    }


def build(db: Path, lawref: Path | None) -> None:
    paths = [ROOT / "samples"] + ([lawref] if lawref and lawref.is_dir() else [])
    summary = ingest_paths(paths, db, progress=True)
    print(f"ingested {summary.documents} documents ({summary.bytes / 1e6:.1f} MB) in {summary.seconds:.0f} s",
          file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="an ingested database to reuse (it is copied, not changed)")
    parser.add_argument("--schemes", default=",".join(SCHEMES))
    parser.add_argument("--lawref", type=Path, default=ROOT.parent / "shared" / "lawref")
    parser.add_argument("--verbose", action="store_true", help="print every query whose expected document is not first")
    args = parser.parse_args()
    queries = load_queries()
    with tempfile.TemporaryDirectory() as tmp:
        base = args.db or Path(tmp) / "base.db"
        if not args.db:
            build(base, args.lawref)
        lines = ["| scheme | nDCG@10 | recall@10 | top-1 | MRR | clause@3 | index build s |", "|---|---|---|---|---|---|---|"]
        kinds: dict[str, dict[str, float]] = {}
        for name in args.schemes.split(","):
            copy = Path(tmp) / f"{name}.db"
            shutil.copy(base, copy)
            started = time.perf_counter()
            with open_store(copy, tokenizer=name) as store:
                built = time.perf_counter() - started
                rows = evaluate(store, queries)
            s = summarise(rows)
            mark = " (default)" if name == DEFAULT_SCHEME else ""
            lines.append(f"| {name}{mark} | {s['ndcg']:.3f} | {s['recall']:.3f} | {s['top1']:.3f} | {s['mrr']:.3f} "
                         f"| {s['clause']:.3f} | {built:.0f} |")
            for kind in sorted({r["kind"] for r in rows}):
                kinds.setdefault(kind, {})[name] = summarise([r for r in rows if r["kind"] == kind])["ndcg"]
            if args.verbose:
                for r in rows:
                    if not r["top1"] or r["clause"] is False:
                        print(f"  [{name}] {r['q']}: first at {r['first']}, clause {r['clause']}", file=sys.stderr)
            copy.unlink()
        names = args.schemes.split(",")
        lines += ["", "nDCG@10 by query kind:", "", "| kind | n | " + " | ".join(names) + " |",
                  "|---|---|" + "---|" * len(names)]
        for kind, by_scheme in kinds.items():
            n = sum(1 for q in queries if q["kind"] == kind)
            lines.append(f"| {kind} | {n} | " + " | ".join(f"{by_scheme[s]:.3f}" for s in names) + " |")
        print(f"{len(queries)} queries\n")
        print("\n".join(lines))


if __name__ == "__main__":
    main()
