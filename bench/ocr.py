"""OCR path: speed and fidelity on the three samples, typeset, printed and scanned badly.

    .venv/bin/python bench/ocr.py [--sequential-pages N] [--workers 2] [--clean]

Each sample is typeset by tests/pdf_fixtures.py (Chromium), rendered at 150 dpi in grey,
turned ±0.5–1.5°, softened and speckled (tests/scans.py, fixed seeds; ``--clean`` skips the
damage).  Reported per sample:

- speed: pages/s of ``ocr_page`` run in-process as gongbao runs it (first N pages, all cores
  to onnxruntime), and of the same OCR over all pages in a pool of worker processes of one
  thread each (the peer: what a parallel reader would get); CPU seconds per page;
- fidelity, through the product path (a folder of page images → ``extract`` → layout → parser,
  OCR answered from the results just computed): docF1 against the goldens, and the share of
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
from scans import DPI, page_folder, scan_pages  # noqa: E402

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
    """Pages/s and CPU s/page of OCR in ``workers`` processes (results go to the bench's own
    OCR cache, empty at the start: OCR is measured, not the cache)."""
    wall, used = time.perf_counter(), cpu()
    ocr_cache.prewarm([(str(p), None) for p in pngs], workers)
    wall, used = time.perf_counter() - wall, cpu() - used
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
    parser.add_argument("--sequential-pages", type=int, default=8, help="pages per sample timed in-process")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clean", action="store_true", help="no turn, blur or speckle")
    args = parser.parse_args()
    print(f"OCR bench: {DPI} dpi, {'clean' if args.clean else 'turned ±0.5–1.5°, blurred, speckled'}, "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print(f"{'sample':<8}{'pages':>6}{'in-proc p/s':>13}{'cpu s/p':>9}{'pool p/s':>10}{'cpu s/p':>9}"
          f"{'docF1':>8}{'core':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        ocr_cache.CACHE = Path(tmp) / "ocr"
        os.environ["GONGBAO_TEST_OCR_CACHE"] = str(ocr_cache.CACHE)  # the worker processes read it too
        for stem in golden.STEMS:
            pdf = typeset_pdf(golden.ROOT / golden.GOLDEN[stem]["source"])
            if pdf is None:
                sys.exit("chromium 未安装：无法排印样刊（apt-get install chromium fonts-noto-cjk）")
            pages = scan_pages(pdf.read_bytes())
            if args.clean:
                import pypdfium2 as pdfium

                doc = pdfium.PdfDocument(pdf.read_bytes())
                pages = (doc[i].render(scale=DPI / 72, grayscale=True).to_pil() for i in range(len(doc)))
            folder = page_folder(pages, Path(tmp) / stem)
            pngs = sorted(folder.glob("*.png"))
            seq_rate, seq_cpu = sequential(pngs[: args.sequential_pages])
            pool_rate, pool_cpu = pooled(pngs, args.workers)
            f1, core, wrong = fidelity(stem, folder)
            print(f"{stem[:3]:<8}{len(pngs):>6}{seq_rate:>13.2f}{seq_cpu:>9.2f}{pool_rate:>10.2f}{pool_cpu:>9.2f}"
                  f"{f1:>8.3f}{core:>7.3f}")
            for line in wrong:
                print(f"        {line}")


if __name__ == "__main__":
    main()
