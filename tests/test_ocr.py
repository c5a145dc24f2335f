"""OCR of scanned pages (gongbao.extract.ocr): a page drawn at 150 dpi, scanned badly (turned,
soft, speckled), must come back line by line with its layout evidence: red banner, large bold
title, rulings of the table, confidences; low confidence becomes a notice; nothing is fetched
from the network; a photo or noise is refused with one Chinese line."""

from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

pytest.importorskip("rapidocr", reason="OCR extra not installed (pip install -e '.[ocr]')")

from gongbao.extract import extract  # noqa: E402
from gongbao.labels import describe  # noqa: E402
from gongbao.extract.ocr import ocr_page, review_notices, skew_angle  # noqa: E402
from gongbao.models import SourceLine  # noqa: E402
from scans import BANNER, BODY, DOC_NUMBER, TABLE, TITLE, degrade, draw_page  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


@pytest.fixture(scope="module")
def colour_scan():
    page, _ = draw_page()
    return ocr_page(degrade(page, seed=11, angle=1.2, colour=True))


def _line(layout, text: str):
    best = max(layout.lines, key=lambda line: similar(line.text, text))
    assert similar(best.text, text) >= 0.9, f"{text!r} not read; lines: {[r.text for r in layout.lines]}"
    return best


@pytest.mark.parametrize("angle", [-1.5, -0.7, 0.0, 0.6, 1.3])
def test_skew_angle_is_found(angle):
    """The scan was turned ``angle`` degrees counter-clockwise: the straightening turn is the opposite."""
    page, _ = draw_page()
    scan = degrade(page, seed=3, angle=angle)
    assert skew_angle(np.asarray(scan)) == pytest.approx(-angle, abs=0.15)


def test_every_line_is_read_from_a_turned_speckled_scan(colour_scan):
    for text in [BANNER, DOC_NUMBER, TITLE, *BODY]:
        _line(colour_scan, text)
    assert all(0 < line.confidence <= 1 for line in colour_scan.lines)


def test_deskewed_lines_are_level_and_do_not_overlap(colour_scan):
    """After deskew a body line's box is about one glyph high: a turned box would span two lines."""
    boxes = [_line(colour_scan, text).bbox for text in BODY]
    for box in boxes:
        assert box[3] - box[1] < 50, box  # 32 px type
    for upper, lower in zip(boxes, boxes[1:]):
        assert upper[3] <= lower[1] + 4


def test_red_banner_large_bold_title(colour_scan):
    banner, number, title = (_line(colour_scan, t) for t in (BANNER, DOC_NUMBER, TITLE))
    body = _line(colour_scan, BODY[1])
    assert banner.red and not number.red and not title.red and not body.red
    assert title.bold and not body.bold
    assert banner.size > title.size > body.size * 1.2
    assert body.size == pytest.approx(32, rel=0.15)


def test_centred_lines_stay_centred(colour_scan):
    width = colour_scan.width
    for text in (BANNER, DOC_NUMBER, TITLE):
        x0, _, x1, _ = _line(colour_scan, text).bbox
        assert abs((x0 + x1) / 2 - width / 2) < 0.02 * width, text


def test_table_borders_become_rulings(colour_scan):
    horizontal = [r for r in colour_scan.rulings if r[1] == r[3] and r[2] - r[0] > 800]
    vertical = [r for r in colour_scan.rulings if r[0] == r[2] and r[3] - r[1] > 150]
    assert len(horizontal) == len(TABLE) + 2  # the red rule under the banner and 4 table borders
    assert len(vertical) == len(TABLE[0]) + 1


def test_a_greyscale_scan_has_no_red():
    page, _ = draw_page()
    layout = ocr_page(degrade(page, seed=5, angle=-0.9))
    assert not any(line.red for line in layout.lines)
    assert _line(layout, BANNER).size > _line(layout, BODY[0]).size * 1.5


def test_low_confidence_lines_become_notices_rendered_in_chinese():
    lines = (
        SourceLine("重庆市人民政府文件", 1, (0, 0, 1, 1), confidence=0.99),
        SourceLine("", 1),
        SourceLine("渝府发〔2020〕l2号", 2, (0, 0, 1, 1), confidence=0.41),
        SourceLine("正文", 2),  # text layer: no confidence, never reported
    )
    notices = review_notices(lines, threshold=0.8)
    assert [n.code for n in notices] == ["low_confidence"]
    assert dict(notices[0].params) == {"page": 2, "line": 3, "confidence": 0.41, "text": "渝府发〔2020〕l2号"}
    text = describe(notices[0])
    assert "第 2 页" in text and "0.41" in text and "渝府发〔2020〕l2号" in text
    assert review_notices(lines, threshold=0.4) == ()


def test_a_page_image_goes_through_extract_with_page_provenance(tmp_path):
    page, _ = draw_page()
    path = tmp_path / "scan.png"
    degrade(page, seed=9, angle=0.8).save(path, dpi=(150, 150))
    extracted = extract(path)
    assert extracted.kind == "image" and [p.ocr for p in extracted.pages] == [True]
    assert extracted.pages[0].width == pytest.approx(595, abs=2)  # A4 in points from the 150 dpi
    title = next(line for line in extracted.lines if similar(line.text, TITLE) > 0.9)
    assert title.page == 1 and "large" in title.style
    assert 150 < title.bbox[1] < 200  # points: drawn at 360 px = 173 pt
    assert any(line.text.startswith("| 1 |") for line in extracted.lines), "table rows"


def _photo(path: Path) -> None:
    rng = np.random.default_rng(1)
    y, x = np.mgrid[0:900, 0:1200]
    pixels = np.stack([x / 1200 * 255, y / 900 * 200, (x + y) % 255], -1).astype(np.uint8)
    Image.fromarray(pixels).save(path)


def _noise(path: Path) -> None:
    Image.fromarray(np.random.default_rng(2).integers(0, 255, (1100, 800), dtype=np.uint8)).save(path)


@pytest.mark.parametrize("make", [_photo, _noise], ids=["photo", "noise"])
def test_an_image_that_is_not_a_document_is_refused_in_one_chinese_line(tmp_path, make):
    path = tmp_path / "picture.png"
    make(path)
    run = subprocess.run(
        [sys.executable, "-m", "gongbao", "parse", str(path)], capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 1
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr
    assert "不像一份公报或公文" in lines[0]


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare(1) to cut the network")
def test_ocr_runs_without_network(tmp_path):
    """The models come from the installed package: OCR works in a process with no network."""
    page, _ = draw_page()
    path = tmp_path / "scan.png"
    degrade(page, seed=2, angle=0.5).save(path)
    code = f"from PIL import Image; from gongbao.extract.ocr import ocr_page; print(ocr_page(Image.open({str(path)!r})).lines[0].text)"
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("unshare -n is not permitted here")
    run = subprocess.run(["unshare", "-n", sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert similar(run.stdout.strip(), BANNER) > 0.9
