"""Page images (PNG, JPEG, TIFF, pages of a PDF without text) → PageLayout through OCR.

The OCR engine is ``gongbao.extract.ocr.ocr_page(image) -> PageLayout``: it takes a PIL
image (RGB) and returns the page's runs with boxes in the image's pixels (origin top-left),
page number 1.  ``ocr_layout`` renumbers the page and scales the boxes to points.  When the
engine is not installed, a clear Chinese error says so.
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Iterator

from gongbao.errors import InputError
from gongbao.models import PageLayout, PageLine

A4_WIDTH = 595.0  # points: page images without a resolution are taken to be A4 pages
_MIN_SIDE = 300  # pixels: smaller images are icons or photos' thumbnails, not pages


def ocr_layout(image, number: int, points_per_pixel: float) -> PageLayout:
    """The layout OCR reads from a page image, in points, as page ``number``."""
    engine = _engine()
    layout = engine.ocr_page(image.convert("RGB") if image.mode != "RGB" else image)
    k = points_per_pixel

    def scaled(line: PageLine) -> PageLine:
        x0, y0, x1, y1 = line.bbox
        return PageLine(line.text, number, (x0 * k, y0 * k, x1 * k, y1 * k),
                        line.size * k if line.size else None, line.bold, line.red, line.confidence)

    return PageLayout(
        number, layout.width * k, layout.height * k, tuple(scaled(line) for line in layout.lines),
        tuple((a * k, b * k, c * k, d * k) for a, b, c, d in layout.rulings), False,
    )


def _engine():
    try:
        return importlib.import_module("gongbao.extract.ocr")
    except ImportError:
        raise InputError("这是没有文字层的扫描件，需要文字识别（OCR），但本机未安装 OCR 组件：请安装 gongbao 的 OCR 依赖后再导入") from None


def read_images(blobs: list[bytes]) -> Iterator[PageLayout]:
    """Each page of the images in order (a multi-page TIFF gives several), read by OCR."""
    from PIL import Image, UnidentifiedImageError

    number = 0
    for blob in blobs:
        try:
            image = Image.open(io.BytesIO(blob))
            frames = getattr(image, "n_frames", 1)
        except (UnidentifiedImageError, OSError, ValueError):
            raise InputError("图片文件已损坏或格式无法识别：请重新扫描或导出为 PNG、JPEG、TIFF") from None
        for frame in range(frames):
            number += 1
            yield _frame_layout(image, frame, number)
        image.close()


def _frame_layout(image, frame: int, number: int) -> PageLayout:
    try:
        image.seek(frame)
        image.load()
    except (OSError, ValueError, EOFError):
        raise InputError(f"图片第 {number} 页已损坏或不完整：请重新扫描后再导入") from None
    if min(image.size) < _MIN_SIDE:
        raise InputError(f"图片只有 {image.size[0]}×{image.size[1]} 像素，不像扫描的文件页：请提供清晰的整页扫描（建议 150–300 dpi）")
    dpi = image.info.get("dpi")
    k = 72 / float(dpi[0]) if dpi and dpi[0] and float(dpi[0]) > 50 else A4_WIDTH / image.size[0]
    return ocr_layout(image, number, k)
