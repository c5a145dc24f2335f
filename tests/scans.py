"""Scans made at test time: pages drawn or rendered, then degraded as a scanner degrades them.

``degrade`` turns a clean page into what a flatbed scan of a printed page looks like: a slight
turn (±0.5–1.5°), a soft focus, speckle (dust and toner dots) and a grey paper, all from a
fixed seed so a failure reproduces.  ``scan_pages`` renders a typeset PDF at 150 dpi and
degrades every page; ``image_pdf``, ``multipage_tiff`` and ``page_folder`` package the pages as
an office receives scans.  ``draw_page`` sets a small gazette page directly (red banner,
centred 文号, bold title, body, a ruled table) for the OCR unit tests.
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

DPI = 150
A4 = (1240, 1754)  # pixels at 150 dpi
_FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto")


def cjk_font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """Noto Serif CJK (fonts-noto-cjk, installed by .ci/run) at ``size`` pixels."""
    name = "NotoSerifCJK-Bold.ttc" if bold else "NotoSerifCJK-Regular.ttc"
    for folder in _FONT_DIRS:
        path = Path(folder) / name
        if path.exists():
            return ImageFont.truetype(str(path), size, index=2)  # index 2: the SC (简体) face
    raise FileNotFoundError(f"{name}: install Debian's fonts-noto-cjk")


def degrade(page: Image.Image, seed: int, angle: float | None = None, colour: bool = False) -> Image.Image:
    """A scan of ``page`` (greyscale unless ``colour``): turned, softened, speckled, on
    slightly grey paper."""
    rng = random.Random(seed)
    if angle is None:
        angle = rng.choice((-1, 1)) * rng.uniform(0.5, 1.5)
    mode = "RGB" if colour else "L"
    white = (255, 255, 255) if colour else 255
    turned = page.convert(mode).rotate(angle, resample=Image.BICUBIC, fillcolor=white)
    pixels = np.asarray(turned.filter(ImageFilter.GaussianBlur(0.6))).astype(np.int16)
    noise = np.random.default_rng(seed)
    grain = noise.normal(0, 6, pixels.shape[:2]).astype(np.int16)
    pixels = pixels - 12 + (grain[..., None] if colour else grain)  # paper tone and grain
    dots = noise.random(pixels.shape[:2]) < 0.002  # speckle
    pixels[dots] = noise.integers(0, 120, int(dots.sum()))[:, None] if colour else noise.integers(0, 120, int(dots.sum()))
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8), mode)


def scan_pages(pdf: bytes, seed: int = 7) -> Iterator[Image.Image]:
    """Every page of a typeset PDF rendered at 150 dpi and degraded, one page at a time."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            page = document[index]
            image = page.render(scale=DPI / 72, grayscale=True).to_pil()
            page.close()
            yield degrade(image, seed * 1000 + index)
    finally:
        document.close()


def scanned_folder(pdf: Path, seed: int = 7) -> Path:
    """The PDF's pages scanned (``scan_pages``) as PNG files, cached under the system temp
    folder beside the PDF, keyed by the PDF's and this file's content."""
    key = hashlib.sha256(pdf.read_bytes() + Path(__file__).read_bytes() + str(seed).encode()).hexdigest()[:16]
    folder = pdf.parent / f"{pdf.stem}-scan-{key}"
    if not folder.exists():
        partial = folder.with_name(f"{folder.name}.{os.getpid()}.part")
        shutil.rmtree(partial, ignore_errors=True)
        page_folder(scan_pages(pdf.read_bytes(), seed), partial)
        partial.rename(folder)
    return folder


def image_pdf(pages: Iterable[Image.Image]) -> bytes:
    """An image-only PDF (no text layer), 150 dpi, as a scanner writes it."""
    pages = list(pages)
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=DPI)
    return out.getvalue()


def multipage_tiff(pages: Iterable[Image.Image]) -> bytes:
    pages = list(pages)
    out = io.BytesIO()
    pages[0].save(out, "TIFF", save_all=True, append_images=pages[1:], dpi=(DPI, DPI), compression="tiff_deflate")
    return out.getvalue()


def page_folder(pages: Iterable[Image.Image], folder: Path) -> Path:
    """One PNG per page, named in page order, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, page in enumerate(pages, 1):
        page.save(folder / f"page-{number:03d}.png", dpi=(DPI, DPI), compress_level=1)  # speckle does not compress
    return folder


# --- a page drawn directly, for the OCR unit tests ---------------------------------------------

BANNER = "重庆市人民政府文件"
DOC_NUMBER = "渝府发〔2020〕12号"
TITLE = "重庆市人民政府关于加强政务公开工作的通知"
BODY = [
    "各区县（自治县）人民政府，市政府各部门，有关单位：",
    "为深入贯彻落实国务院办公厅关于全面推进政务公开工作的",
    "意见，进一步提升政务公开质量，现就有关事项通知如下。",
    "一、明确公开重点。围绕市场准入、财政预算、重大项目",
    "建设等领域，依法依规做好信息公开工作。",
]
TABLE = [["序号", "任务", "责任单位"], ["1", "梳理公开目录", "市政府办公厅"], ["2", "完善解读机制", "市发展改革委"]]


def draw_page() -> tuple[Image.Image, dict]:
    """A gazette page in colour at 150 dpi, and where things were drawn (pixels)."""
    page = Image.new("RGB", A4, "white")
    draw = ImageDraw.Draw(page)
    where: dict = {}
    banner = cjk_font(64, bold=True)
    width = draw.textlength(BANNER, font=banner)
    draw.text(((A4[0] - width) / 2, 150), BANNER, font=banner, fill=(220, 20, 30))
    where["banner"] = (150, 150 + 64)
    draw.line((120, 300, A4[0] - 120, 300), fill=(220, 20, 30), width=3)
    body = cjk_font(32)
    width = draw.textlength(DOC_NUMBER, font=body)
    draw.text(((A4[0] - width) / 2, 240), DOC_NUMBER, font=body, fill=0)
    title = cjk_font(44, bold=True)
    width = draw.textlength(TITLE, font=title)
    draw.text(((A4[0] - width) / 2, 360), TITLE, font=title, fill=0)
    y = 470
    for n, line in enumerate(BODY):
        draw.text((150 if n == 0 else 214, y), line, font=body, fill=0)
        y += 56
    where["table_top"] = y + 30
    _draw_table(draw, body, 150, y + 30)
    return page, where


def _draw_table(draw: ImageDraw.ImageDraw, font, left: int, top: int) -> None:
    widths, height = (120, 420, 400), 64
    right = left + sum(widths)
    for r in range(len(TABLE) + 1):
        draw.line((left, top + r * height, right, top + r * height), fill=0, width=2)
    x = left
    for w in (0, *widths):
        x += w
        draw.line((x, top, x, top + len(TABLE) * height), fill=0, width=2)
    for r, row in enumerate(TABLE):
        x = left
        for w, cell in zip(widths, row):
            draw.text((x + 14, top + r * height + 14), cell, font=font, fill=0)
            x += w
