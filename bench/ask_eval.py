"""Evaluate 政策问答 (gongbao ask) on the question sets in tests/qa.

    python bench/ask_eval.py                    # development sets (may be tuned on), with misses
    python bench/ask_eval.py --set legacy       # tests/qa/questions.yaml (contaminated: the old
                                                # thesaurus was built from it; development only)
    python bench/ask_eval.py --set heldout      # held-out sets: aggregate numbers only
    python bench/ask_eval.py --set dev3         # development validity questions (round 10)
    python bench/ask_eval.py --sweep            # coverage threshold sweep (development sets only)
    python bench/ask_eval.py --buckets          # where each right clause stands (development sets only)
    python bench/ask_eval.py --db gongbao.db    # an existing database instead of the cached one

The database holds the three sample issues, ../shared/govcn and ../shared/lawref (whichever
of the two is present).  It is built once and cached outside the repository
($GONGBAO_QA_CACHE, default /tmp/gongbao-qa-eval), keyed by a hash of the code that decides
what is stored (parser, links, store, index tokeniser), so a parser change rebuilds it.

A hit is an answer whose clause belongs to the named document (文号, else the normalised
title, else the source file) and whose text — the clause with its items — holds the quote
(whitespace-insensitive), or an answer matching an ``also_ok`` {file, clause}.  Reported:
top-1 and top-3 over answerable questions, the honest no-answer rate over unanswerable ones,
the share of answerable questions wrongly refused, validity accuracy (the named document
found and its status as expected), and ask latency p50/p95.  ``--set heldout`` never prints
a question, an answer or a per-question outcome.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import os
import re
import sys
import time
import unicodedata
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
QA_DIR = REPO / "tests" / "qa"
SHARED = REPO.parent / "shared"
if not (SHARED / "lawref").is_dir() and Path("/work/shared/lawref").is_dir():
    SHARED = Path("/work/shared")  # a worktree under /work/wt/NAME
LAWREF, GOVCN = SHARED / "lawref", SHARED / "govcn"
CACHE = Path(os.environ.get("GONGBAO_QA_CACHE", "/tmp/gongbao-qa-eval"))
SETS = {
    "dev": ["dev_samples_govcn.yaml", "dev_lawref.yaml", "dev2_samples_govcn.yaml", "dev2_lawref.yaml"],
    "dev1": ["dev_samples_govcn.yaml", "dev_lawref.yaml"],  # the first development round (2026-12-06)
    "dev2": ["dev2_samples_govcn.yaml", "dev2_lawref.yaml"],  # the second, written blind 2026-12-07
    "dev3": ["dev3_validity.yaml"],  # validity questions only, written blind 2026-12-07 (round 10)
    "heldout": ["heldout_samples_govcn.yaml", "heldout_lawref.yaml"],
    "legacy": ["questions.yaml"],
}
# code that decides what the database holds: a change to any of it rebuilds the cached database
_STORED_BY = ("parse", "links", "store", "pipeline.py", "ingest.py", "docnumber.py", "dates.py", "models.py",
              "search/tokenize.py", "extract")


# --- question sets --------------------------------------------------------------------------


def _legacy(q: dict, i: int) -> dict:
    """An entry of the old questions.yaml in the shape of the new sets."""
    if q.get("doc") is None:
        scope = "samples-only" if q.get("scope") == "samples" else "lawref"
        return {"id": f"legacy-{i}", "q": q["q"], "kind": "unanswerable", "source": scope}
    answer = {"source": q["source"], "file": q.get("file"), "doc_number": q["doc"], "title": q["doc"],
              "quote": q.get("quote")}
    return {"id": f"legacy-{i}", "q": q["q"], "kind": "answerable", "answer": answer, "source": q["source"]}


def load_set(name: str, qa_dir: Path = QA_DIR) -> list[dict]:
    """The questions of a named set (missing files are skipped), each with ``source``:
    samples | govcn | lawref for answerable ones, the file's scope for the others."""
    out = []
    for file in SETS[name]:
        path = qa_dir / file
        if not path.is_file():
            continue
        items = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
        for i, q in enumerate(items):
            if name == "legacy":
                out.append(_legacy(q, i))
                continue
            q = dict(q)
            q.setdefault("kind", "answerable")
            q["source"] = (q.get("answer") or {}).get("source") or ("lawref" if "lawref" in file else "samples")
            out.append(q)
    return out


def runnable(questions: list[dict], have_lawref: bool) -> list[dict]:
    """The questions this database can be judged on: without lawref its questions are left out,
    and the old set's questions unanswerable over the samples alone always are."""
    return [q for q in questions if (have_lawref or q["source"] != "lawref") and q["source"] != "samples-only"]


# --- the database ---------------------------------------------------------------------------


def code_key() -> str:
    digest = hashlib.sha256()
    root = REPO / "src" / "gongbao"
    for part in _STORED_BY:
        path = root / part
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file() and file.suffix in (".py", ".sql", ".yaml"):
                digest.update(str(file.relative_to(root)).encode() + file.read_bytes())
    return digest.hexdigest()[:12]


def corpora() -> list[Path]:
    return [REPO / "samples"] + [p for p in (GOVCN, LAWREF) if p.is_dir()]


def named_files(questions: list[dict]) -> list[Path]:
    """The lawref files the questions name (their answers and also_ok clauses)."""
    names = {(q.get("answer") or {}).get("file") for q in questions if q["source"] == "lawref"}
    names |= {ok.get("file") for q in questions for ok in q.get("also_ok") or []}
    return sorted(LAWREF / n for n in names if n and (LAWREF / n).is_file())


def cached_db(paths: list[Path] | None = None, cache: Path = CACHE) -> Path:
    """The evaluation database for ``paths`` (default: samples, govcn, lawref), built on first use."""
    from gongbao.ingest import ingest_paths

    paths = paths or corpora()
    name = "-".join(p.name for p in paths) if len(paths) <= 3 else hashlib.sha256(str(paths).encode()).hexdigest()[:8]
    cache.mkdir(parents=True, exist_ok=True)
    db = cache / f"{name}-{code_key()}.db"
    with open(cache / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one builder at a time (a test and a bench run)
        if not db.exists():
            tmp = db.with_suffix(".building")
            for stale in cache.glob(tmp.name + "*"):
                stale.unlink()
            started = time.perf_counter()
            ingest_paths(paths, tmp, progress=False)
            os.replace(tmp, db)
            print(f"built {db} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return db


# --- matching -------------------------------------------------------------------------------


def flat(text: str | None) -> str:
    """Whitespace-insensitive, width-insensitive form of a text (for quotes)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


# An item's printed number ((五), 3.): the store keeps it beside the item's text, not in it, so a
# quote copied with it (（五）法定继承人通过继承承受土地、房屋权属) is matched without it.
_ITEM_NUMBER = re.compile(r"\([一二三四五六七八九十\d]{1,3}\)|(?<![\d.])\d{1,2}\.(?!\d)")


def unnumbered(text: str) -> str:
    return _ITEM_NUMBER.sub("", text)


def title_key(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"[(（]\d{4}[-年.]\d{1,2}[-月.]\d{1,2}日?[)）]$", "", text.strip())  # lawref file dates
    return re.sub(r"[\W_]+", "", text)


def label_key(text: str | None) -> str:
    return re.sub(r"[\s、，,.．]+", "", unicodedata.normalize("NFKC", text or ""))


def file_key(path: str | None) -> str:
    return Path(path).stem if path else ""


def doc_matches(expected: dict, answer: dict) -> bool:
    """Whether the answer's document is the one named: same 文号, same title, or same source file."""
    from gongbao.docnumber import normalize_doc_number

    number = normalize_doc_number(expected.get("doc_number") or "")
    if number and answer.get("doc_number") == number:
        return True
    title = title_key(expected.get("title"))
    if title and title_key(answer.get("title")) == title:
        return True
    return bool(expected.get("file")) and file_key(expected["file"]) == file_key(answer.get("source_file"))


def clause_matches(q: dict, answer: dict) -> bool:
    """A right clause: the named document and the quote in the clause, or an also_ok clause."""
    expected = q.get("answer") or {}
    quote = unnumbered(flat(expected.get("quote")))
    if doc_matches(expected, answer) and quote and quote in unnumbered(flat(answer.get("clause_text") or answer.get("text"))):
        return True
    for ok in q.get("also_ok") or []:
        if file_key(ok.get("file")) and file_key(ok.get("file")) != file_key(answer.get("source_file")):
            if not doc_matches(ok, answer):
                continue
        elif not file_key(ok.get("file")) and not doc_matches(ok, answer):
            continue
        want, got = label_key(ok.get("clause")), label_key(answer.get("label"))
        if want and got and (got == want or got.startswith(want)):
            return True
    return False


class Clauses:
    """Adds what matching needs to an answer: the source file of its document and the text of
    its clause with the items under it (read once per document from the store)."""

    def __init__(self, store) -> None:
        self.store, self.docs = store, {}

    def _doc(self, doc_id: str) -> dict:
        from gongbao.search.curated import clauses_of

        if doc_id not in self.docs:
            texts = {anchor: text for anchor, (_, text) in clauses_of(self.store, doc_id).items()}
            self.docs[doc_id] = {"file": self.store.get_document(doc_id, full=False).issue.source_path,
                                 "texts": texts}
        return self.docs[doc_id]

    def complete(self, answer: dict) -> dict:
        if not answer.get("doc_id"):
            return answer
        doc = self._doc(answer["doc_id"])
        return answer | {"source_file": doc["file"],
                         "clause_text": doc["texts"].get(answer.get("anchor")) or answer.get("text")}


# --- running --------------------------------------------------------------------------------


def _ask(store, q: dict, limit: int, min_coverage: float | None):
    from gongbao.search.ask import MIN_COVERAGE, ask
    from gongbao.search.thesaurus import load_thesaurus

    kwargs = {"limit": limit, "min_coverage": MIN_COVERAGE if min_coverage is None else min_coverage,
              "thesaurus": load_thesaurus([])}  # the shipped thesaurus only, whatever the user has
    kwargs.update(_place_and_time(q))
    return ask(store, q["q"], **kwargs)


def _place_and_time(q: dict) -> dict:
    import inspect

    from gongbao.search.ask import ask

    params = inspect.signature(ask).parameters
    out = {}
    if q.get("as_of"):
        out["as_of"] = str(q["as_of"])
    if "region" in params:
        out["region"] = q.get("asker_region") or "重庆"
    return out


def evaluate(store, questions: list[dict], min_coverage: float | None = None, limit: int = 3) -> dict:
    """Run every question; the metrics and the per-question outcomes (``rows``)."""
    clauses = Clauses(store)
    rows, times = [], []
    for q in questions:
        start = time.perf_counter()
        result = _ask(store, q, limit, min_coverage)
        times.append(time.perf_counter() - start)
        answers = [clauses.complete(a) for a in result.answers]
        row = {"id": q.get("id"), "q": q["q"], "kind": q["kind"], "source": q["source"], "answered": bool(answers),
               "rank": None, "valid": None,
               "got": [f"{a.get('doc_number') or a.get('title')} {a.get('label') or a.get('anchor')}" for a in answers]}
        if q["kind"] == "answerable":
            row["rank"] = next((i + 1 for i, a in enumerate(answers) if clause_matches(q, a)), None)
            row["want"] = "{doc_number} {title} {clause}".format(**{"doc_number": "", "title": "", "clause": "",
                                                                     **(q.get("answer") or {})})
        elif q["kind"] == "validity":
            row["valid"] = _validity_right(q, result, answers)
            row["want"] = f"{(q.get('answer') or {}).get('title')} {q.get('expect_status')}"
        rows.append(row)
    return metrics(rows, times)


BUCKETS = ("first", "2nd-3rd", "clause 4-30", "document top 3, clause not in 30", "document 4-30 only",
           "document not in 30")
RANKED = 30  # answers looked at, without a threshold, to say where the right clause and document stand


def bucket(clause_rank: int | None, doc_rank: int | None) -> str:
    """Where an answerable question's right clause stands in the whole ranked list (no threshold),
    else its right document: one of BUCKETS."""
    if clause_rank is not None:
        return BUCKETS[0] if clause_rank == 1 else BUCKETS[1] if clause_rank <= 3 else BUCKETS[2]
    if doc_rank is None:
        return BUCKETS[5]
    return BUCKETS[3] if doc_rank <= 3 else BUCKETS[4]


def buckets(store, rows: list[dict], questions: list[dict]) -> dict[str, int]:
    """How many answerable questions fall in each bucket, and how many of those whose right clause
    stands in the unthresholded top 3 the threshold refused ("refused in top 3")."""
    clauses = Clauses(store)
    counts = dict.fromkeys([*BUCKETS, "refused in top 3"], 0)
    for q, row in zip(questions, rows):
        if q["kind"] != "answerable":
            continue
        answers = [clauses.complete(a) for a in _ask(store, q, RANKED, 0.0).answers]
        clause_rank = next((i + 1 for i, a in enumerate(answers) if clause_matches(q, a)), None)
        doc_rank = next((i + 1 for i, a in enumerate(answers) if doc_matches(q.get("answer") or {}, a)), None)
        counts[bucket(clause_rank, doc_rank)] += 1
        counts["refused in top 3"] += bool(clause_rank and clause_rank <= 3 and not row["rank"])
    return counts


def _validity_right(q: dict, result, answers: list[dict]) -> bool:
    """The document the question names, with the expected status."""
    validity = getattr(result, "validity", None)
    candidates = [validity] if validity else answers[:1]
    return any(c and doc_matches(q.get("answer") or {}, c) and c.get("status") == q.get("expect_status")
               for c in candidates)


def metrics(rows: list[dict], times: list[float]) -> dict:
    answerable = [r for r in rows if r["kind"] == "answerable"]
    unanswerable = [r for r in rows if r["kind"] == "unanswerable"]
    validity = [r for r in rows if r["kind"] == "validity"]
    n = max(len(answerable), 1)
    times = sorted(times)
    return {
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "validity": len(validity),
        "top1": sum(1 for r in answerable if r["rank"] == 1) / n,
        "top3": sum(1 for r in answerable if r["rank"] and r["rank"] <= 3) / n,
        "no_answer_honest": sum(1 for r in unanswerable if not r["answered"]) / max(len(unanswerable), 1),
        "wrongly_refused": sum(1 for r in answerable if not r["answered"]) / n,
        "validity_accuracy": sum(1 for r in validity if r["valid"]) / max(len(validity), 1),
        "p50_ms": 1000 * times[len(times) // 2] if times else 0.0,
        "p95_ms": 1000 * times[min(len(times) - 1, int(len(times) * 0.95))] if times else 0.0,
        "rows": rows,
    }


def summary_line(m: dict) -> str:
    return (f"answerable {m['answerable']}: top-1 {m['top1']:.3f}  top-3 {m['top3']:.3f}  wrongly refused "
            f"{m['wrongly_refused']:.3f} | unanswerable {m['unanswerable']}: honest no-answer "
            f"{m['no_answer_honest']:.3f} | validity {m['validity']}: accuracy {m['validity_accuracy']:.3f} | "
            f"ask p50 {m['p50_ms']:.1f} ms  p95 {m['p95_ms']:.1f} ms")


def report(m: dict, details: bool) -> None:
    print("all      " + summary_line(m))
    for source in ("samples", "govcn", "lawref"):
        part = [r for r in m["rows"] if r["source"] == source]
        if part:
            print(f"{source:8} " + summary_line(metrics(part, [])).split(" | ask")[0])
    if not details:
        return
    for r in m["rows"]:
        wrong = (r["kind"] == "answerable" and not (r["rank"] and r["rank"] <= 3)) or \
                (r["kind"] == "unanswerable" and r["answered"]) or (r["kind"] == "validity" and not r["valid"])
        if wrong:
            print(f"  MISS {r['id']} [{r['kind']}] {r['q']}\n       want {r.get('want', '-')}\n       got  {r['got']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=sorted(SETS), default="dev")
    parser.add_argument("--db", type=Path, help="evaluate on this database instead of the cached one")
    parser.add_argument("--sweep", action="store_true", help="metrics over a range of coverage thresholds")
    parser.add_argument("--quiet", action="store_true", help="aggregates only (always so for --set heldout)")
    parser.add_argument("--buckets", action="store_true", help="where each right clause stands, no threshold")
    args = parser.parse_args()
    heldout = args.set == "heldout"
    if heldout and (args.sweep or args.buckets):
        parser.error("no sweeps or buckets on the held-out set: it is for reporting only")

    from gongbao.store import open_store

    questions = runnable(load_set(args.set), LAWREF.is_dir())
    if not questions:
        print(f"no questions in set {args.set}", file=sys.stderr)
        return 1
    db = args.db or cached_db()
    print(f"set {args.set}: {len(questions)} questions; database {db}")
    with open_store(db, create=False) as store:
        for cov in ([0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65] if args.sweep else [None]):
            m = evaluate(store, questions, cov)
            if cov is not None:
                print(f"coverage ≥ {cov}: " + summary_line(m))
        if not args.sweep:
            report(m, details=not (heldout or args.quiet))
        if args.buckets:
            print("buckets  " + ", ".join(f"{name} {n}" for name, n in buckets(store, m["rows"], questions).items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
