"""Every parse output, field by field, of one build against another (speed work must change none).

    .venv/bin/python bench/parse_same.py dump OUT [--lawref-step K] [FILES...]
    .venv/bin/python bench/parse_same.py compare OUT_A OUT_B

``dump`` runs ``pipeline.read_issue`` over the samples, ../shared/govcn, every text fixture of
tests/fixtures and every K-th law of ../shared/lawref (every law by default) and writes, per
file, the JSON of ``gongbao parse --format json`` plus every dataclass field of the Issue (so a
field the JSON leaves out is compared too), or the exception it raised.  Run it once with the
build before the change (``PYTHONPATH=/path/to/old/src``) and once after, then ``compare``: it
prints each file whose output differs and the first differing field, and exits 1 if any does.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parents[1] / "shared") if p.is_dir()), ROOT.parent / "shared").resolve()  # files given are resolved too


def inputs(lawref_step: int) -> list[Path]:
    files = sorted((ROOT / "samples").glob("*.txt"))
    files += sorted(p for p in (SHARED / "govcn").glob("*.txt"))
    files += sorted(p for ext in ("txt", "md") for p in (ROOT / "tests" / "fixtures").rglob(f"*.{ext}")
                    if p.name != "README.md")
    laws = sorted(p for p in (SHARED / "lawref").rglob("*.md") if p.name != "README.md")
    return files + laws[::lawref_step]


def relative(path: Path) -> Path:
    """The file's path inside the repository or the shared folder: the same in every worktree."""
    return path.relative_to(SHARED) if path.is_relative_to(SHARED) else path.relative_to(ROOT)


def output(path: Path) -> object:
    from gongbao.pipeline import read_issue
    from gongbao.serialize import issue_to_dict, plain

    try:
        issue = read_issue(path.read_bytes(), str(relative(path)))  # source.path is part of the output
    except Exception as exc:  # noqa: BLE001 — an exception is an output to compare too
        return {"exception": f"{type(exc).__name__}: {exc}"}
    return {"json": issue_to_dict(issue), "fields": plain(issue)}


def key(path: Path) -> str:
    return hashlib.sha1(str(relative(path)).encode()).hexdigest()[:16] + ".json.gz"


def _sorted(value: object) -> object:
    """A set (a field plain() leaves as it is) in a stable order."""
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    raise TypeError(f"{type(value).__name__} is not JSON")


def dump(out: Path, files: list[Path]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    index = {}
    for path in files:
        name = key(path)
        index[name] = str(path)
        with gzip.open(out / name, "wt", encoding="utf-8") as f:
            json.dump(output(path), f, ensure_ascii=False, sort_keys=True, default=_sorted)
    (out / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=0), encoding="utf-8")
    print(f"{len(files)} outputs in {out}")


def first_difference(a: object, b: object, where: str = "") -> str | None:
    if type(a) is not type(b):
        return f"{where}: {type(a).__name__} ≠ {type(b).__name__}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{where}.{k}: only in {'B' if k not in a else 'A'}"
            found = first_difference(a[k], b[k], f"{where}.{k}")
            if found:
                return found
        return None
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f"{where}[{i}]")
            if found:
                return found
        return f"{where}: {len(a)} ≠ {len(b)} items" if len(a) != len(b) else None
    return None if a == b else f"{where}: {str(a)[:120]!r} ≠ {str(b)[:120]!r}"


def compare(a: Path, b: Path) -> int:
    index = json.loads((a / "index.json").read_text(encoding="utf-8"))
    differing = 0
    for name, path in index.items():
        if not (b / name).exists():
            print(f"{path}: missing in {b}")
            differing += 1
            continue
        left, right = (gzip.decompress((d / name).read_bytes()) for d in (a, b))
        found = None if left == right else first_difference(json.loads(left), json.loads(right))
        if found:
            differing += 1
            print(f"{path}: {found}")
    print(f"{len(index)} files compared, {differing} differ")
    return 1 if differing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("files", nargs="*", type=Path)
    d.add_argument("--lawref-step", type=int, default=1)
    c = sub.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.out, [p.resolve() for p in args.files] or inputs(args.lawref_step))
        return 0
    return compare(args.a, args.b)


if __name__ == "__main__":
    sys.exit(main())
