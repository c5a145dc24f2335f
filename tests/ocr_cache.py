"""The OCR engine's answers cached for the tests, so the slow step runs once per image.

What the neural networks read from a page is deterministic: the same pixels, the same engine
settings (``gongbao.extract.ocr._engine``) and the same rapidocr/onnxruntime give the same
boxes, texts and scores.  ``cached_engine`` stands in for that engine and keeps its answers
under the system temp folder, keyed by all of these; everything around it — deskew, the
evidence read from the pixels, rulings, the scan and PDF readers, layout, the parser — runs
for real in every test.  ``prewarm`` fills the cache for many pages in two worker processes
(CI has two cores).
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import version
from multiprocessing import get_context
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from gongbao.extract import ocr

CACHE = Path(os.environ.get("GONGBAO_TEST_OCR_CACHE") or Path(tempfile.gettempdir()) / "gongbao-test-artifacts" / "ocr")
_REAL_ENGINE = ocr._engine
_SETTINGS = (inspect.getsource(_REAL_ENGINE) + version("rapidocr") + version("onnxruntime")).encode()


def _read(rgb: np.ndarray) -> SimpleNamespace:
    path = CACHE / f"{hashlib.sha256(rgb.tobytes() + repr(rgb.shape).encode() + _SETTINGS).hexdigest()[:32]}.json"
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
    else:
        result = _REAL_ENGINE()(rgb)
        boxes = [] if result.boxes is None else np.asarray(result.boxes).tolist()
        data = {"boxes": boxes, "txts": list(result.txts or ()), "scores": [float(s) for s in result.scores or ()]}
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        partial.replace(path)
    return SimpleNamespace(boxes=data["boxes"] or None, txts=tuple(data["txts"]), scores=tuple(data["scores"]))


def cached_engine():
    """Drop-in for ``gongbao.extract.ocr._engine``: the engine, answering from the cache."""
    return _read


def _warm(job: tuple[str, int | None]) -> None:
    """One page: a PNG file, or (PDF, page index) rendered as gongbao.extract.pdf renders it.
    A marker keyed by the page's pixels and the OCR code says it was done: no second pass."""
    image = _page_image(*job)
    code = Path(ocr.__file__).read_bytes() + _SETTINGS
    marker = CACHE / f"page-{hashlib.sha256(image.tobytes() + code).hexdigest()[:32]}.done"
    if not marker.exists():
        ocr.ocr_page(image)
        CACHE.mkdir(parents=True, exist_ok=True)
        marker.touch()


def _page_image(source: str, page: int | None):
    from PIL import Image

    if page is None:
        with Image.open(source) as image:
            return image.convert("RGB")
    import pypdfium2 as pdfium

    from gongbao.extract.pdf import OCR_DPI

    document = pdfium.PdfDocument(source)
    rendered = document[page].render(scale=OCR_DPI / 72).to_pil()
    document.close()
    return rendered.convert("RGB")


def _worker() -> None:
    os.environ["GONGBAO_OCR_THREADS"] = "1"  # two processes of one thread each beat one of two
    ocr._engine = cached_engine


def prewarm(jobs: list[tuple[str, int | None]], workers: int = 2) -> None:
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=_worker) as pool:
        list(pool.map(_warm, jobs))
