"""The goldens of the three samples through scans: each sample typeset as a printed gazette
(tests/pdf_fixtures.py), rendered at 150 dpi in grey, turned ±0.5–1.5°, softened and speckled
(tests/scans.py), then handed to gongbao as an office receives scans — 000 as a folder of PNG
pages, 001 as one multi-page TIFF, 004 as an image-only PDF — and read through OCR, layout and
the parser.  Every golden document must be found with its 文号, title, issuers, date and type.

The OCR engine's networks run once per page image and engine version (tests/ocr_cache.py: two
worker processes, answers kept under the system temp folder); everything around them runs as in
the product.
"""

from __future__ import annotations

import pytest

pytest.importorskip("rapidocr", reason="OCR extra not installed (pip install -e '.[ocr]')")

import ocr_cache  # noqa: E402
import test_golden_issues as golden  # noqa: E402
from pdf_fixtures import typeset_pdf  # noqa: E402
from PIL import Image  # noqa: E402
from scans import image_pdf, multipage_tiff, scanned_folder  # noqa: E402

from gongbao.extract import ocr  # noqa: E402
from gongbao.extract.detect import detect_kind  # noqa: E402
from gongbao.pipeline import read_issue  # noqa: E402
from gongbao.serialize import issue_to_dict  # noqa: E402

FIELDS = ["doc_number", "doc_number_parts", "title", "issuers", "type", "date"]
FORMS = dict(zip(golden.STEMS, ["folder", "tiff", "pdf"]))


def _package(stem: str, folder, base) -> tuple[object, list]:
    """The scan in its form, and the OCR jobs that read exactly what gongbao will read."""
    pngs = sorted(folder.glob("*.png"))
    form = FORMS[stem]
    if form == "folder":
        return folder, [(str(p), None) for p in pngs]
    pages = [Image.open(p) for p in pngs]
    target = base / f"{stem}.{'tif' if form == 'tiff' else 'pdf'}"
    target.write_bytes(multipage_tiff(pages) if form == "tiff" else image_pdf(pages))
    for page in pages:
        page.close()
    if form == "tiff":
        return target, [(str(p), None) for p in pngs]
    return target, [(str(target), i) for i in range(len(pngs))]


@pytest.fixture(scope="module")
def scanned(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("scans")
    sources, jobs = {}, []
    for stem in golden.STEMS:
        pdf = typeset_pdf(golden.ROOT / golden.GOLDEN[stem]["source"])
        if pdf is None:
            pytest.skip("chromium is not installed: the printed gazettes cannot be typeset")
        folder = scanned_folder(pdf)
        sources[stem], more = _package(stem, folder, base)
        jobs += more
    ocr_cache.prewarm(jobs)
    parsed = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ocr, "_engine", ocr_cache.cached_engine)
        for stem, source in sources.items():
            data = source if source.is_dir() else source.read_bytes()
            if not source.is_dir():
                assert detect_kind(data) == ("pdf" if FORMS[stem] == "pdf" else "image")
            from gongbao.extract import extract

            parsed[stem] = issue_to_dict(read_issue(extract(source) if source.is_dir() else data, str(source)))
    return parsed


def find(issue: dict, stem: str, gold: dict) -> dict:
    found = golden.match(issue["documents"], gold)
    if found is None:
        pytest.fail(f"{stem}: document {golden.label(gold)} not found through OCR ({FORMS[stem]})")
    return found


@pytest.mark.parametrize("stem,index,field", list(golden.document_cases(FIELDS)))
def test_document_field_through_ocr(scanned, stem: str, index: int, field: str) -> None:
    gold = golden.GOLDEN[stem]["documents"][index]
    golden._check_field(stem, gold, find(scanned[stem], stem, gold), field)


@pytest.mark.parametrize("stem", golden.STEMS, ids=[s[:3] for s in golden.STEMS])
def test_every_document_and_no_other_through_ocr(scanned, stem: str) -> None:
    issue = scanned[stem]
    want = [golden.doc_key(d) for d in golden.GOLDEN[stem]["documents"]]
    got = [golden.doc_key(d) for d in issue["documents"]]
    assert len(got) == len(want), f"{stem}: {got}"
    pages = [d["pages"] for d in issue["documents"]]
    assert all(p and 1 <= p[0] <= p[1] for p in pages), pages
    assert [p[0] for p in pages] == sorted(p[0] for p in pages)
