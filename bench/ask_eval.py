"""Evaluate 政策问答 (gongbao ask) on the hand-written question set tests/qa/questions.yaml.

    python bench/ask_eval.py                      # samples only, fresh temporary database
    python bench/ask_eval.py --lawref             # + the law files the question set names
    python bench/ask_eval.py --db gongbao.db      # an existing database (e.g. all of lawref)
    python bench/ask_eval.py --sweep              # coverage threshold sweep (calibration)
    python bench/ask_eval.py --check-anchors      # does each quote sit in the expected clause?

Reports top-1 and top-3 accuracy over answerable questions (the expected document and clause
among the first 1 / 3 answers), the honest-no-answer rate over the questions the database
cannot answer, and the share of answerable questions wrongly left unanswered.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = REPO / "tests" / "qa" / "questions.yaml"
LAWREF = REPO.parent / "shared" / "lawref"


def load_questions(path: Path = QUESTIONS) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]


def select(questions: list[dict], lawref: bool) -> list[dict]:
    """The questions a database of the samples (and, with ``lawref``, the law files) can be judged on."""
    out = []
    for q in questions:
        if q["doc"] is None:
            if lawref and q.get("scope") == "samples":
                continue
            out.append(q)
        elif q["source"] == "samples" or lawref:
            out.append(q)
    return out


def build_db(path: Path, questions: list[dict], lawref: bool) -> None:
    """Ingest the samples (and the law files the questions name) into a new database."""
    from gongbao.pipeline import read_issue
    from gongbao.store import Store

    files = sorted((REPO / "samples").glob("*.txt"))
    if lawref:
        files += sorted({LAWREF / q["file"] for q in questions if q.get("file")})
    with Store.open(path) as store:
        for file in files:
            data = file.read_bytes()
            store.ingest_issue(read_issue(data, path=str(file)), data)


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text or ""))


def doc_matches(expected: str, answer: dict) -> bool:
    from gongbao.docnumber import normalize_doc_number

    number = normalize_doc_number(expected)
    if number and answer.get("doc_number") == number:
        return True
    return bool(answer.get("title")) and _key(answer["title"]) == _key(expected)


def hit(q: dict, answer: dict) -> bool:
    anchors = q["anchor"] if isinstance(q["anchor"], list) else [q["anchor"]]
    if not doc_matches(q["doc"], answer):
        return False
    return anchors == [None] or answer.get("anchor") in anchors


def evaluate(store, questions: list[dict], min_coverage: float | None = None, limit: int = 3) -> dict:
    """Run every question; return the metrics and the per-question outcomes."""
    from gongbao.search.ask import MIN_COVERAGE, ask
    from gongbao.search.thesaurus import load_thesaurus

    thesaurus = load_thesaurus([])
    cov = MIN_COVERAGE if min_coverage is None else min_coverage
    rows, times = [], []
    for q in questions:
        start = time.perf_counter()
        answers = ask(store, q["q"], limit=limit, thesaurus=thesaurus, min_coverage=cov).answers
        times.append(time.perf_counter() - start)
        rank = next((i + 1 for i, a in enumerate(answers) if q["doc"] and hit(q, a)), None)
        rows.append({"q": q["q"], "expected": q["doc"] and f"{q['doc']}#{q['anchor']}", "rank": rank,
                     "answered": bool(answers), "got": [f"{a.get('doc_number') or a.get('title')}#{a.get('anchor')}"
                                                        for a in answers]})
    answerable = [r for r, q in zip(rows, questions) if q["doc"]]
    unanswerable = [r for r, q in zip(rows, questions) if not q["doc"]]
    n = max(len(answerable), 1)
    times.sort()
    return {
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "top1": sum(1 for r in answerable if r["rank"] == 1) / n,
        "top3": sum(1 for r in answerable if r["rank"] and r["rank"] <= 3) / n,
        "no_answer_honest": sum(1 for r in unanswerable if not r["answered"]) / max(len(unanswerable), 1),
        "answerable_unanswered": sum(1 for r in answerable if not r["answered"]) / n,
        "p50_ms": 1000 * times[len(times) // 2] if times else 0.0,
        "p95_ms": 1000 * times[int(len(times) * 0.95)] if times else 0.0,
        "rows": rows,
    }


def check_anchors(conn, questions: list[dict]) -> list[str]:
    """Questions whose quote is not in the expected clause (to catch slips in the set)."""
    from gongbao.store.read import resolve_doc_pk

    problems = []
    for q in questions:
        if not q["doc"] or not q.get("quote"):
            continue
        pk = resolve_doc_pk(conn, q["doc"])
        if pk is None:
            row = conn.execute("SELECT pk FROM documents WHERE title = ?", (q["doc"],)).fetchone()
            pk = row and row["pk"]
        if pk is None:
            problems.append(f"{q['q']}: document {q['doc']} not in the database")
            continue
        quote = _key(q["quote"])
        nodes = conn.execute("SELECT anchor, heading, text FROM outline_nodes WHERE doc_pk = ?", (pk,)).fetchall()
        where = [n["anchor"] for n in nodes if quote in _key(n["heading"] + n["text"])]
        anchors = q["anchor"] if isinstance(q["anchor"], list) else [q["anchor"]]
        if not where and quote in _key(conn.execute("SELECT text FROM documents WHERE pk = ?", (pk,)).fetchone()["text"]):
            where = [a for a in anchors if a is None or a.startswith(("p-", "pre-"))]  # outside the outline
        if anchors != [None] and not set(where) & set(anchors):
            problems.append(f"{q['q']}: expected {anchors}, quote found in {where or 'no clause'}")
    return problems


def _keep_fts_order() -> None:
    """Baseline for the comparison in docs/qa.md: passages in FTS5 rank order (coverage and
    the no-answer threshold still applied), i.e. without Q&A's own passage ranking."""
    from gongbao.search import ask as ask_module

    rank = ask_module.rank

    def fts_order(question, passages, docs, stats):
        order = {id(p): i for i, p in enumerate(passages)}
        return sorted(rank(question, passages, docs, stats), key=lambda p: order[id(p)])

    ask_module.rank = fts_order


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="evaluate on this database instead of a fresh one")
    parser.add_argument("--lawref", action="store_true", help="also ingest and ask the law-file questions")
    parser.add_argument("--sweep", action="store_true", help="report metrics over a range of coverage thresholds")
    parser.add_argument("--check-anchors", action="store_true", help="check the set's anchors against the quotes")
    parser.add_argument("--misses", action="store_true", help="list the questions not answered in the top 3")
    parser.add_argument("--fts-order", action="store_true",
                        help="baseline: keep the index's own BM25 order (FTS5 rank) instead of re-ranking passages")
    args = parser.parse_args()

    from gongbao.store import Store

    if args.fts_order:
        _keep_fts_order()
    if args.lawref and not LAWREF.is_dir():
        print(f"{LAWREF} not found: law questions skipped", file=sys.stderr)
        args.lawref = False
    questions = select(load_questions(), args.lawref)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "ask.db"
            start = time.perf_counter()
            build_db(db, questions, args.lawref)
            print(f"built {db.name} in {time.perf_counter() - start:.1f}s")
        with Store.open(db, create=False) as store:
            if args.check_anchors:
                for line in check_anchors(store.conn, questions):
                    print(line)
                return 0
            thresholds = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7] if args.sweep else [None]
            for cov in thresholds:
                m = evaluate(store, questions, cov)
                label = f"coverage ≥ {cov}" if cov is not None else "default threshold"
                print(f"{label}: answerable {m['answerable']}  top-1 {m['top1']:.3f}  top-3 {m['top3']:.3f}  "
                      f"unanswered {m['answerable_unanswered']:.3f} | unanswerable {m['unanswerable']}  "
                      f"honest no-answer {m['no_answer_honest']:.3f} | p50 {m['p50_ms']:.1f} ms  p95 {m['p95_ms']:.1f} ms")
            if args.misses:
                for r in m["rows"]:
                    if (r["expected"] and not (r["rank"] and r["rank"] <= 3)) or (not r["expected"] and r["answered"]):
                        print(f"  MISS {r['q']}  want {r['expected']}  got {r['got']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
