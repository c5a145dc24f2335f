"""Latency of 政策问答 in process: every question of a development set asked in one process, as a
portal worker asks them (the store open, the thesaurus loaded once), for several rounds.

    python bench/ask_speed.py --db DB                  # dev sets, 3 rounds: p50 / p95 / p99 ms
    python bench/ask_speed.py --db DB --dump out.json  # and every answer, to compare two versions
    python bench/ask_speed.py --db DB --profile 30     # cProfile of the first round, 30 lines
    python bench/ask_speed.py --db DB --every 4        # every 4th question only (quicker)

The first round pays for what a process computes once per database version; the figures of the
rounds after it are what a warm worker gives.  Wall and CPU (process time) per question; the
machine's 1-minute load average is printed beside them.  Development sets only (bench/ask_eval.py
--set dev): the held-out set is for accuracy reports.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ask_eval  # noqa: E402  (the question sets and how the evaluator asks them)


def _percentiles(times: list[float]) -> str:
    times = sorted(times)
    at = lambda q: 1000 * times[min(len(times) - 1, int(len(times) * q))]  # noqa: E731
    return f"p50 {at(0.5):6.1f}  p95 {at(0.95):6.1f}  p99 {at(0.99):6.1f} ms"


def run(store, questions: list[dict], rounds: int, profile: int) -> tuple[list[dict], list[list[tuple[float, float]]]]:
    answers, per_round = [], []
    for r in range(rounds):
        times = []
        profiler = cProfile.Profile() if profile and r == 0 else None
        for q in questions:
            wall, cpu = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            result = ask_eval._ask(store, q, 3, None)
            if profiler:
                profiler.disable()
            times.append((time.perf_counter() - wall, time.process_time() - cpu))
            if r == 0:
                answers.append({"id": q.get("id"), "q": q["q"], "result": result.to_json()})
        per_round.append(times)
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(profile)
    return answers, per_round


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="database (default: the evaluator's cached one)")
    parser.add_argument("--set", default="dev", choices=[s for s in ask_eval.SETS if s != "heldout"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dump", type=Path, help="write every answer of the first round as JSON here")
    parser.add_argument("--profile", type=int, default=0, help="print this many lines of a profile of round 1")
    parser.add_argument("--every", type=int, default=1, help="every n-th question only (a quicker run)")
    args = parser.parse_args()

    from gongbao.store import open_store

    questions = ask_eval.runnable(ask_eval.load_set(args.set), ask_eval.LAWREF.is_dir())[:: args.every]
    db = args.db or ask_eval.cached_db()
    with open_store(db, create=False, readonly=True) as store:
        answers, per_round = run(store, questions, args.rounds, args.profile)
    print(f"set {args.set}: {len(questions)} questions; database {db}; load {os.getloadavg()[0]:.1f}")
    for r, times in enumerate(per_round, 1):
        print(f"round {r}: wall {_percentiles([t[0] for t in times])} | cpu {_percentiles([t[1] for t in times])}")
    if args.dump:
        args.dump.write_text(json.dumps(answers, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
