"""Parse warnings counted by code and by source, from a dump of ``bench/parse_same.py``.

    .venv/bin/python bench/parse_same.py dump OUT
    .venv/bin/python bench/parse_warnings.py OUT [--code no_date --show 20]

Sources: the sample issues; ../shared/govcn by decade of each document's 成文日期; ../shared/lawref
by its folder (法律 by branch, 行政法规, 司法解释, DLC = 地方性法规 …).  Every warning list of the
output is counted (issue, document, outline, table) under the document that holds it.  A table in
markdown goes to stdout; ``--code C --show N`` also lists the first N documents that warn C.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path


def group(path: str, doc: dict) -> str:
    parts = Path(path).parts
    if parts[0] == "lawref":
        return f"lawref/{parts[1]}" if len(parts) > 2 else "lawref"
    if parts[0] == "govcn":
        date = doc.get("date") or ""
        return f"govcn/{date[:3]}0s" if date else "govcn/undated"
    return parts[0]  # samples, tests


def codes(value: object) -> list[str]:
    """Every warning code under ``value`` (the lists called ``warnings``, at any depth)."""
    if isinstance(value, dict):
        found = [w["code"] for w in value.get("warnings") or [] if isinstance(w, dict) and "code" in w]
        return found + [c for k, v in value.items() if k != "warnings" for c in codes(v)]
    if isinstance(value, list):
        return [c for v in value for c in codes(v)]
    return []


def survey(out: Path, show_code: str | None, show: int) -> None:
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    table: dict[str, Counter] = defaultdict(Counter)
    docs: Counter = Counter()
    shown: list[str] = []
    for name, _ in index.items():
        data = json.loads(gzip.decompress((out / name).read_bytes()))
        if "json" not in data:
            continue  # an exception: parse_same compares those
        issue = data["json"]
        path = issue["source"]["path"]
        first = issue["documents"][0] if issue["documents"] else {}
        table[group(path, first)].update(c for w in issue["warnings"] for c in [w["code"]])
        for doc in issue["documents"]:
            where = group(path, doc)
            docs[where] += 1
            found = codes(doc)
            table[where].update(found)
            if show_code in found and len(shown) < show:
                shown.append(f"{path}: {doc['title'][:60]}")
    columns = sorted({c for counts in table.values() for c in counts}, key=lambda c: -sum(t[c] for t in table.values()))
    print("| source | documents | " + " | ".join(columns) + " |")
    print("|---|---:|" + "---:|" * len(columns))
    for where in sorted(table):
        print(f"| {where} | {docs[where]} | " + " | ".join(str(table[where][c] or "") for c in columns) + " |")
    total = Counter()
    for counts in table.values():
        total.update(counts)
    print(f"| all | {sum(docs.values())} | " + " | ".join(str(total[c]) for c in columns) + " |")
    for line in shown:
        print(line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--code")
    parser.add_argument("--show", type=int, default=20)
    args = parser.parse_args()
    survey(args.out, args.code, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
