"""The PDF text-layer path: speed, memory and fidelity on the samples typeset as gazettes.

    .venv/bin/python bench/extract.py [--long 500]

Needs Chromium and fonts-noto-cjk (the samples are typeset by tests/pdf_fixtures.py).
Reports, on one core (CPU time):
- pages/s of ``gongbao.extract`` on the three typeset issues (target ≥ 20 pages/s), beside
  pdfminer.six's layout analysis of the same files when it is installed (``pip install
  pdfminer.six``; the peer, measured in the same run);
- the peak memory of extracting one long PDF (the typeset issues repeated to ``--long``
  pages): pages are read one at a time, so it must stay far below the file's page count
  times a page's cost;
- fidelity per sample against the hand-written goldens (tests/golden): docF1 (documents found,
  paired by 文号 else title) and core fields (文号, title, issuers, date, type of each golden
  document, as the golden tests compare them).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from pdf_fixtures import typeset_pdf  # noqa: E402

from gongbao.extract import extract  # noqa: E402
from gongbao.pipeline import read_issue  # noqa: E402
from gongbao.serialize import issue_to_dict  # noqa: E402

CORE = ("doc_number", "title", "issuers", "date", "type")


def _squash(text) -> str:
    import re

    return re.sub(r"\s+", "", str(text or "")).translate(str.maketrans("(),:;[]", "（），：；〔〕"))


def _key(doc: dict) -> str:
    return f"no:{_squash(doc['doc_number'])}" if doc.get("doc_number") else f"title:{_squash(doc.get('title'))}"


def _field_ok(gold: dict, doc: dict, field: str) -> bool:
    if field == "issuers":
        want = [gold["issuers"], *gold.get("alternatives", {}).get("issuers", [])]
        return [_squash(x) for x in doc.get("issuers") or []] in [[_squash(x) for x in alt] for alt in want]
    if field == "title":
        return _squash(doc.get("title")) in [_squash(t) for t in [gold["title"], *gold.get("alternatives", {}).get("title", [])]]
    if field == "doc_number":
        return _squash(doc.get("doc_number")) == _squash(gold.get("doc_number"))
    return doc.get(field) == gold.get(field)


def fidelity(stem: str, pdf: Path) -> tuple[float, float]:
    gold = json.loads((ROOT / "tests" / "golden" / f"{stem}.json").read_text(encoding="utf-8"))["documents"]
    docs = issue_to_dict(read_issue(pdf.read_bytes(), str(pdf)))["documents"]
    by_key = {_key(d): d for d in docs}
    by_title = {_squash(d.get("title")): d for d in docs}
    found = [by_key.get(_key(g)) or by_title.get(_squash(g["title"])) for g in gold]
    hits = sum(1 for f in found if f is not None)
    precision, recall = hits / max(len(docs), 1), hits / max(len(gold), 1)
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    checks = [_field_ok(g, f, field) if f is not None else False for g, f in zip(gold, found) for field in CORE]
    return f1, sum(checks) / max(len(checks), 1)


def _cpu(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def speed(pdfs: list[Path], repeat: int) -> None:
    import pypdfium2 as pdfium

    pages = sum(len(pdfium.PdfDocument(p)) for p in pdfs) * repeat
    seconds = _cpu(lambda: [extract(p) for _ in range(repeat) for p in pdfs])
    print(f"gongbao.extract (pdfium)      {pages:5d} pages in {seconds:6.2f} s CPU = {pages / seconds:6.1f} pages/s")
    try:
        from pdfminer.high_level import extract_pages
    except ImportError:
        print("pdfminer.six                  not installed (pip install pdfminer.six to measure the peer)")
        return
    seconds = _cpu(lambda: [list(extract_pages(p)) for _ in range(repeat) for p in pdfs])
    print(f"pdfminer.six extract_pages    {pages:5d} pages in {seconds:6.2f} s CPU = {pages / seconds:6.1f} pages/s")


def long_pdf(pdfs: list[Path], pages: int) -> bytes:
    import pypdfium2 as pdfium

    out = pdfium.PdfDocument.new()
    while len(out) < pages:
        for p in pdfs:
            src = pdfium.PdfDocument(p)
            take = min(len(src), pages - len(out))
            out.import_pages(src, list(range(take)))
            if len(out) >= pages:
                break
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def memory(pdfs: list[Path], pages: int) -> None:
    data = long_pdf(pdfs, pages)
    seconds = _cpu(lambda: extract(data))
    tracemalloc.start()  # traced apart: tracing slows Python several times over
    extracted = extract(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"long PDF: {len(extracted.pages)} pages ({len(data) / 1e6:.1f} MB) in {seconds:.1f} s CPU "
          f"= {len(extracted.pages) / seconds:.1f} pages/s; peak Python memory {peak / 1e6:.1f} MB "
          f"({peak / len(extracted.pages) / 1e3:.1f} kB per page: text and boxes, never a page image)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--long", type=int, default=500, help="pages of the long PDF for the memory check")
    args = parser.parse_args()
    samples = sorted((ROOT / "samples").glob("*.txt"))
    pdfs = [typeset_pdf(s) for s in samples]
    if None in pdfs:
        sys.exit("chromium and fonts-noto-cjk are needed to typeset the samples")
    speed(pdfs, args.repeat)
    memory(pdfs, args.long)
    for sample, pdf in zip(samples, pdfs):
        f1, core = fidelity(sample.stem, pdf)
        print(f"{sample.stem}  docF1 {f1:.3f}  core fields {core:.3f}")


if __name__ == "__main__":
    main()
