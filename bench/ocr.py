"""OCR path: speed and fidelity on the three samples, typeset, printed and scanned badly.

    .venv/bin/python bench/ocr.py [--speed-pages N] [--workers 2]

Each sample is typeset by tests/pdf_fixtures.py (Chromium), rendered at 150 dpi in grey,
turned ±0.5–1.5°, softened and speckled (tests/scans.py, fixed seeds).  Reported per sample:

- speed, on the first N pages: pages/s of ``ocr_page`` run in-process as gongbao runs it (all
  cores to onnxruntime), and of the same pages in a pool of worker processes of one thread
  each (the peer: what a parallel reader would get); CPU seconds per page (own + children);
- fidelity on all pages, through the product path (a folder of page images → ``extract`` →
  layout → parser; the engine's answers come from the tests' OCR cache, computed where
  missing — they are what the engine returns): docF1 against the goldens, and the share of
  golden documents whose core fields (文号, title, issuers, date, type) are all right.
Targets (issue #10): OCR ≥ 1 page/s on 2 cores; docF1 ≥ 0.98, core fields ≥ 0.95 per sample.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import ocr_cache  # noqa: E402
import pytest  # noqa: E402
import test_golden_issues as golden  # noqa: E402
from pdf_fixtures import typeset_pdf  # noqa: E402
from PIL import Image  # noqa: E402
from scans import DPI, scanned_folder  # noqa: E402

from gongbao.extract import extract, ocr  # noqa: E402
from gongbao.pipeline import read_issue  # noqa: E402
from gongbao.serialize import issue_to_dict  # noqa: E402


def cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def sequential(pngs: list[Path]) -> tuple[float, float]:
    """Pages/s and CPU s/page of in-process OCR, as gongbao reads a scan today."""
    ocr._engine()  # model loading is once per process, not per page
    wall, used = time.perf_counter(), cpu()
    for png in pngs:
        with Image.open(png) as image:
            ocr.ocr_page(image.convert("RGB"))
    wall, used = time.perf_counter() - wall, cpu() - used
    return len(pngs) / wall, used / len(pngs)


def pooled(pngs: list[Path], workers: int) -> tuple[float, float]:
    """Pages/s and CPU s/page of OCR in ``workers`` processes (answers go to a fresh cache of
    the bench's own: OCR is measured, not the cache)."""
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["GONGBAO_TEST_OCR_CACHE"] = tmp  # read by the worker processes
        wall, used = time.perf_counter(), cpu()
        ocr_cache.prewarm([(str(p), None) for p in pngs], workers)
        wall, used = time.perf_counter() - wall, cpu() - used
        del os.environ["GONGBAO_TEST_OCR_CACHE"]
    return len(pngs) / wall, used / len(pngs)


def fidelity(stem: str, folder: Path) -> tuple[float, float, list[str]]:
    """docF1, share of documents with all core fields right, and what went wrong."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ocr, "_engine", ocr_cache.cached_engine)
        issue = issue_to_dict(read_issue(extract(folder), str(folder)))
    gold_docs = golden.GOLDEN[stem]["documents"]
    got = issue["documents"]
    keys = {golden.doc_key(d) for d in gold_docs}
    titles = {golden.fold_title(d["title"]) for d in gold_docs}
    matched = [d for d in got if golden.doc_key(d) in keys or golden.fold_title(d.get("title")) in titles]
    found, correct, wrong = 0, 0, []
    for gold in gold_docs:
        doc = golden.match(got, gold)
        if doc is None:
            wrong.append(f"{golden.label(gold)}: not found")
            continue
        found += 1
        bad = [f for f in golden.CORE_FIELDS if not _right(stem, gold, doc, f)]
        correct += not bad
        if bad:
            wrong.append(f"{golden.label(gold)}: {', '.join(bad)} (got {doc.get('doc_number')} / {doc.get('title')})")
    recall = found / len(gold_docs)
    precision = len(matched) / len(got) if got else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, correct / len(gold_docs), wrong


def _right(stem: str, gold: dict, doc: dict, field: str) -> bool:
    try:
        golden._check_field(stem, gold, doc, field)
    except AssertionError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed-pages", type=int, default=10, help="pages per sample timed")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(f"OCR bench: {DPI} dpi, turned ±0.5–1.5°, blurred, speckled; {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}")
    print(f"{'sample':<8}{'pages':>6}{'in-proc p/s':>13}{'cpu s/p':>9}{'pool p/s':>10}{'cpu s/p':>9}"
          f"{'docF1':>8}{'core':>7}")
    for stem in golden.STEMS:
        pdf = typeset_pdf(golden.ROOT / golden.GOLDEN[stem]["source"])
        if pdf is None:
            sys.exit("chromium 未安装：无法排印样刊（apt-get install chromium fonts-noto-cjk）")
        folder = scanned_folder(pdf)
        pngs = sorted(folder.glob("*.png"))
        seq_rate, seq_cpu = sequential(pngs[: args.speed_pages])
        pool_rate, pool_cpu = pooled(pngs[: args.speed_pages], args.workers)
        f1, core, wrong = fidelity(stem, folder)
        print(f"{stem[:3]:<8}{len(pngs):>6}{seq_rate:>13.2f}{seq_cpu:>9.2f}{pool_rate:>10.2f}{pool_cpu:>9.2f}"
              f"{f1:>8.3f}{core:>7.3f}")
        for line in wrong:
            print(f"        {line}")


if __name__ == "__main__":
    main()
