"""Page images → PageLayout through OCR: ``ocr_page``.

RapidOCR (PP-OCR detection and recognition models, run by onnxruntime) reads the text; the
models ship inside the ``rapidocr`` wheel and are loaded from there by path, so nothing is
fetched at run time.  Around it, what a scan needs and a text layer gives for free:

1. the page is deskewed: the skew angle is the one whose horizontal ink profile is sharpest
   (text lines then fall into clean rows), searched coarse to fine on a small copy;
2. each detected line becomes a run (``PageLine``) with its box in the image's pixels, the
   recogniser's confidence, its ink height as ``size``, and ``red``/``bold`` read from the
   pixels inside the box (红头 banners are red ink; titles are set in heavier type);
3. drawn table borders are found by morphology (long thin strokes) and returned as rulings,
   so ruled tables become rows as they do from a PDF.

Lines whose confidence is under ``MIN_CONFIDENCE`` are kept (an editor reviews them):
``review_notices`` turns them into ``low_confidence`` notices.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import cv2
import numpy as np
import rapidocr

from gongbao.models import Notice, PageLayout, PageLine, SourceLine

MIN_CONFIDENCE = float(os.environ.get("GONGBAO_OCR_MIN_CONFIDENCE", "0.8"))
"""Lines read with a lower confidence are reported for review (``low_confidence``)."""

_DET_SIDE = 960  # pixels: detection runs on a copy whose long side is at most this (speed)
_DROP_SCORE = 0.5  # below this a "line" is noise the recogniser made words of: dropped
_WORDY = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")  # a run without one is a rule or a blot read as "_"
_MAX_SKEW = 4.0  # degrees searched either way; a page turned further is not a slight skew



@functools.cache
def _engine():
    """One RapidOCR per process, on the models inside the rapidocr package (no download)."""
    models = Path(rapidocr.__file__).parent / "models"
    threads = int(os.environ.get("GONGBAO_OCR_THREADS") or os.cpu_count() or 1)
    return rapidocr.RapidOCR(params={
        "Global.use_cls": False,  # pages are upright; deskew handles the slight turn
        "Global.log_level": "error",
        "Global.text_score": _DROP_SCORE,
        "Global.max_side_len": 4000,
        "Det.model_path": str(models / "PP-OCRv6_det_small.onnx"),
        "Det.limit_type": "max",
        "Det.limit_side_len": _DET_SIDE,
        "Rec.model_path": str(models / "PP-OCRv6_rec_small.onnx"),
        "Rec.rec_batch_num": 1,  # measured fastest: lines differ in width, batches pad
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    })


def ocr_page(image) -> PageLayout:
    """What OCR reads on one page image (PIL, any mode): runs and rulings in the image's
    pixels, origin top-left, as page 1 (``scan.ocr_layout`` numbers and scales it)."""
    rgb = np.asarray(image.convert("RGB"))
    angle = skew_angle(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY))
    if abs(angle) >= 0.05:
        rgb = _rotate(rgb, angle)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    ink = grey < _ink_level(grey)
    strokes = _long_strokes(ink)
    text_ink = ink & ~strokes[0] & ~strokes[1]
    result = _engine()(rgb)
    measured = [
        _run(box, text, float(score), rgb, text_ink)
        for box, text, score in zip(_boxes(result), result.txts or (), result.scores or ())
        if _WORDY.search(text)
    ]
    runs = _weigh(measured)
    height, width = grey.shape
    return PageLayout(1, float(width), float(height), tuple(runs), tuple(_rulings(strokes, runs)), False)


def _boxes(result):
    return () if result.boxes is None else result.boxes


def review_notices(lines: tuple[SourceLine, ...], threshold: float = MIN_CONFIDENCE) -> tuple[Notice, ...]:
    """One ``low_confidence`` notice per line OCR read with less than ``threshold`` confidence."""
    return tuple(
        Notice("low_confidence", (
            ("page", line.page or 0), ("line", n), ("confidence", round(line.confidence, 2)),
            ("text", line.text[:40]),
        ))
        for n, line in enumerate(lines, 1)
        if line.confidence is not None and line.confidence < threshold and line.text.strip()
    )


# --- deskew -------------------------------------------------------------------------------


def skew_angle(grey: np.ndarray) -> float:
    """The turn in degrees (counter-clockwise positive) that straightens the page: the one
    after which the rows of ink are sharpest, searched on a copy about 800 pixels wide."""
    scale = min(1.0, 800 / grey.shape[1])
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = (small < _ink_level(small)).astype(np.float32)
    if ink.mean() < 0.002:  # blank page: nothing to straighten
        return 0.0
    best = 0.0
    for step, span in ((0.5, _MAX_SKEW), (0.1, 0.5), (0.02, 0.1)):
        candidates = np.arange(best - span, best + span + step / 2, step)
        best = float(max(candidates, key=lambda a: _sharpness(ink, a)))
    return round(best, 2)


def _sharpness(ink: np.ndarray, angle: float) -> float:
    turned = _rotate(ink, angle, border=0)
    profile = turned.sum(axis=1)
    return float(np.square(np.diff(profile)).sum())


def _rotate(pixels: np.ndarray, angle: float, border=255) -> np.ndarray:
    """``pixels`` turned ``angle`` degrees counter-clockwise about the centre."""
    height, width = pixels.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    fill = (border,) * 3 if pixels.ndim == 3 else border
    return cv2.warpAffine(pixels, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=fill)


# --- per-line evidence ------------------------------------------------------------------------


def _ink_level(grey: np.ndarray) -> int:
    """Grey level under which a pixel is ink: Otsu's threshold, kept in a sane range."""
    level, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return int(min(max(level, 90), 200))


def _run(box, text: str, score: float, rgb: np.ndarray, ink: np.ndarray) -> tuple[PageLine, float]:
    """The run and its ink density (ink share of the glyph band, for ``_weigh``)."""
    quad = np.asarray(box, dtype=np.float32)
    x0, y0 = np.floor(quad.min(axis=0)).astype(int)
    x1, y1 = np.ceil(quad.max(axis=0)).astype(int)
    x0, y0 = max(x0, 0), max(y0, 0)
    mask = ink[y0:y1, x0:x1]
    profile = mask.sum(axis=1)
    # rows carrying a fair share of the line's ink: the tips of brackets and quotes do not count
    rows = np.flatnonzero(profile >= max(1, 0.25 * profile.max(initial=0)))
    glyph = (rows[-1] - rows[0] + 1) if rows.size else (y1 - y0)
    density = float(mask[rows[0]:rows[-1] + 1].mean()) if rows.size else 0.0
    run = PageLine(
        text.strip(), 1, (float(x0), float(y0), float(x1), float(y1)), float(glyph),
        False, _is_red(rgb[y0:y1, x0:x1], mask), round(score, 3),
    )
    return run, density


def _is_red(crop: np.ndarray, mask: np.ndarray) -> bool:
    """Red ink: most of the line's ink pixels are clearly red (a 红头 banner, a red 文号 rule)."""
    pixels = crop.reshape(-1, 3).astype(np.int16)
    red = (pixels[:, 0] > 120) & (pixels[:, 0] - pixels[:, 1:].max(axis=1) > 60)
    inkish = mask.reshape(-1) | red
    count = int(inkish.sum())
    return count > 20 and int(red.sum()) > 0.5 * count


def _weigh(measured: list[tuple[PageLine, float]]) -> list[PageLine]:
    """Page-level evidence: bold where a line's ink is much denser than the page's usual
    (strokes of 小标宋 and 黑体 titles are half again as thick as 仿宋 body text or more), and
    sizes within measuring noise (±12 %) of the page's usual size set to it, so that a line
    with brackets is not taken for a change of type."""
    if not measured:
        return []
    usual = float(np.median([d for _, d in measured]))
    body = float(np.median([r.size for r, _ in measured]))
    return [
        PageLine(r.text, r.page, r.bbox, body if abs(r.size - body) <= 0.12 * body else r.size,
                 usual > 0 and d > 1.5 * usual, r.red, r.confidence)
        for r, d in measured
    ]


# --- rulings ----------------------------------------------------------------------------------


def _long_strokes(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ink of long thin horizontal strokes and of long thin vertical ones (rules, borders)."""
    height, width = ink.shape
    mask = ink.astype(np.uint8)
    return tuple(
        cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel)).astype(bool)
        for kernel in ((max(40, width // 25), 1), (1, max(40, height // 40)))
    )


def _rulings(strokes: tuple[np.ndarray, np.ndarray], runs: list[PageLine]) -> list[tuple[float, float, float, float]]:
    """The long strokes as segments, less those that lie in a line of text (strokes of big type)."""
    out = []
    for mask, horizontal in zip(strokes, (True, False)):
        count, _, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
        for x, y, w, h, _area in stats[1:count].tolist():
            if horizontal:
                segment = (float(x), y + h / 2, float(x + w), y + h / 2)
            else:
                segment = (x + w / 2, float(y), x + w / 2, float(y + h))
            if not any(_inside(segment, run.bbox) for run in runs):
                out.append(segment)
    return out


def _inside(segment, box) -> bool:
    """Most of the segment lies within the box (a stroke of a character, not a border)."""
    x0, y0 = max(segment[0], box[0]), max(segment[1], box[1])
    x1, y1 = min(segment[2], box[2]), min(segment[3], box[3])
    if x1 < x0 or y1 < y0:
        return False
    length = max(segment[2] - segment[0], segment[3] - segment[1])
    return max(x1 - x0, y1 - y0) >= 0.8 * length
