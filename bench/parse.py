"""Parse throughput over the sample issues and ../shared/lawref (run by hand; results go in the README).

    .venv/bin/python bench/parse.py [--repeat N] [--lawref DIR] [--lawref-step K] [FILES...]

Reports MB/s of source text parsed on one core (CPU time of this process), with and without
the body stages, so a regression in one stage shows; then ``read_issue`` over every K-th law
of lawref (every law by default; left out, with a note, when the folder is absent), and the
machine's 1-minute load average.  Target (issue 13): ≥ 8 MB/s on both.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from gongbao.pipeline import read_issue
from gongbao.parse.normalize import clean_text
from gongbao.parse.segment import segment_lines

ROOT = Path(__file__).resolve().parent.parent
# ../shared/lawref beside the repository (or beside the folder of worktrees)
LAWREF = next((p for p in (ROOT.parent / "shared" / "lawref", ROOT.parents[1] / "shared" / "lawref") if p.is_dir()),
              ROOT.parent / "shared" / "lawref")


def measure(label: str, texts: list[bytes], fn, repeat: int) -> None:
    size = sum(len(t) for t in texts) * repeat
    start = time.process_time()  # CPU time: fair when other processes share the cores
    for _ in range(repeat):
        for t in texts:
            fn(t)
    elapsed = time.process_time() - start
    print(f"{label:<34} {size / 1e6:7.2f} MB in {elapsed:6.2f} s = {size / 1e6 / elapsed:6.2f} MB/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lawref", type=Path, default=LAWREF)
    parser.add_argument("--lawref-step", type=int, default=1, help="parse every K-th law only")
    args = parser.parse_args()
    files = args.files or sorted((ROOT / "samples").glob("*.txt"))
    texts = [f.read_bytes() for f in files]
    print(f"{len(files)} files, {sum(map(len, texts)) / 1e6:.2f} MB, repeat {args.repeat}")
    measure("normalise", texts, lambda t: clean_text(t.decode("utf-8")), args.repeat)
    measure("normalise + segment", texts, lambda t: segment_lines(clean_text(t.decode("utf-8"))), args.repeat)
    measure("read_issue (all stages)", texts, read_issue, args.repeat)
    if args.lawref.is_dir():
        laws = sorted(p for p in args.lawref.rglob("*.md") if p.name != "README.md")[:: args.lawref_step]
        measure(f"lawref: read_issue, {len(laws)} laws", [p.read_bytes() for p in laws], read_issue, 1)
    else:
        print(f"note: {args.lawref} not found; lawref left out")
    print(f"load average (1 min): {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
