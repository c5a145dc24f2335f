"""Parse throughput over the sample issues (run by hand; results go in the README).

    .venv/bin/python bench/parse.py [--repeat N] [FILES...]

Reports MB/s of source text parsed on one core, with and without the body stages, so a
regression in one stage shows.  Target (issue 2): ≥ 5 MB/s.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from gongbao.pipeline import read_issue
from gongbao.parse.normalize import clean_text
from gongbao.parse.segment import segment_lines

ROOT = Path(__file__).resolve().parent.parent


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
    args = parser.parse_args()
    files = args.files or sorted((ROOT / "samples").glob("*.txt"))
    texts = [f.read_bytes() for f in files]
    print(f"{len(files)} files, {sum(map(len, texts)) / 1e6:.2f} MB, repeat {args.repeat}")
    measure("normalise", texts, lambda t: clean_text(t.decode("utf-8")), args.repeat)
    measure("normalise + segment", texts, lambda t: segment_lines(clean_text(t.decode("utf-8"))), args.repeat)
    measure("read_issue (all stages)", texts, read_issue, args.repeat)


if __name__ == "__main__":
    main()
