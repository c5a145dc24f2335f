"""PDF files through pdfium (pypdfium2): the text layer of each page as positioned runs, its
drawn rulings (table borders), and, for a page without a usable text layer, the rendered
page handed to OCR (``scan.ocr_layout``).  Pages are read one at a time and closed: a long
PDF never holds more than one page (or one page image) in memory.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from gongbao.errors import InputError
from gongbao.extract.scan import ocr_layout
from gongbao.models import BBox, PageLayout, PageLine

OCR_DPI = 200  # scans are read at this resolution
_MIN_TEXT_CHARS = 20  # fewer characters than this on a page: its text layer is not usable
_BOLD_FONT = re.compile(r"bold|heavy|black|hei|xbs|xiaobiaosong|小标宋|黑体|medium", re.I)
_NO_PAGES = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+0\b|/Count\s+0\b[^>]*?/Type\s*/Pages\b")
_EMPTY = "PDF 文件没有任何页面：请检查导出是否完整"
_CONTROL = {"\r", "\n", "\x02", "\ufffe", "\x00"}


def open_pdf(data: bytes, max_pages: int) -> pdfium.PdfDocument:
    """The PDF, or one clear refusal: encrypted, damaged, empty or too long."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InputError("PDF 文件已加密（需要密码）：请提供未加密的 PDF，或先用密码打开后另存一份") from None
        if _NO_PAGES.search(data[-65536:]) or _NO_PAGES.search(data[:65536]):
            raise InputError(_EMPTY) from None
        raise InputError("PDF 文件已损坏或不完整，无法打开：请重新导出或重新下载后再导入") from None
    pages = len(pdf)
    if pages == 0:
        pdf.close()
        raise InputError(_EMPTY)
    if pages > max_pages:
        pdf.close()
        raise InputError(f"PDF 共 {pages} 页，超过单期上限 {max_pages} 页：请按期拆分后再导入")
    return pdf


def read_pdf(pdf: pdfium.PdfDocument) -> Iterator[PageLayout]:
    """Each page's layout, in page order: from the text layer, or from OCR of the rendered page."""
    for index in range(len(pdf)):
        page = pdf[index]
        try:
            layout = _text_layout(page, index + 1)
            if layout is None:
                image = page.render(scale=OCR_DPI / 72).to_pil()
                layout = ocr_layout(image, index + 1, 72 / OCR_DPI)
                image.close()
        except pdfium.PdfiumError:
            raise InputError(f"PDF 第 {index + 1} 页已损坏，无法读取：请重新导出后再导入") from None
        finally:
            page.close()
        yield layout


def _text_layout(page: pdfium.PdfPage, number: int) -> PageLayout | None:
    width, height = page.get_size()
    rulings = _rulings(page, height)
    textpage = page.get_textpage()
    try:
        runs = _runs(textpage, number, height, [r for r in rulings if abs(r[2] - r[0]) <= 2])
    finally:
        textpage.close()
    if sum(len(r.text.strip()) for r in runs) < _MIN_TEXT_CHARS:
        return None
    return PageLayout(number, width, height, tuple(runs), tuple(rulings), True)


def _rulings(page: pdfium.PdfPage, height: float) -> list[BBox]:
    """Thin drawn rectangles and lines (table borders, rules), top-left origin."""
    out = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH]):
        left, bottom, right, top = obj.get_bounds()
        if min(right - left, top - bottom) <= 2.5 and max(right - left, top - bottom) > 3:
            out.append((left, height - top, right, height - bottom))
    return out


class _Run:
    """Characters gathered into one run."""

    __slots__ = ("chars", "x0", "y0", "x1", "y1", "size", "red", "bold")

    def __init__(self, ch: str, box: BBox, size: float, red: bool, bold: bool):
        self.chars = [ch]
        self.x0, self.y0, self.x1, self.y1 = box
        self.size, self.red, self.bold = size, red, bold

    def takes(self, box: BBox, size: float, red: bool, verticals: list[BBox]) -> bool:
        centre = (box[1] + box[3]) / 2
        if not self.y0 - 0.3 * self.size <= centre <= self.y1 + 0.3 * self.size or red != self.red:
            return False
        gap = box[0] - self.x1
        if gap > 1.2 * max(size, self.size) or gap < -2 * size:
            return False
        return not any(self.x1 - 1 <= v[0] <= box[0] + 1 and v[1] <= centre <= v[3] for v in verticals)

    def add(self, ch: str, box: BBox) -> None:
        self.chars.append(ch)
        self.x1 = max(self.x1, box[2])
        self.y0, self.y1 = min(self.y0, box[1]), max(self.y1, box[3])

    def line(self, number: int) -> PageLine | None:
        text = "".join(self.chars).strip()
        if not text:
            return None
        box = (round(self.x0, 1), round(self.y0, 1), round(self.x1, 1), round(self.y1, 1))
        return PageLine(text, number, box, round(self.size, 1), self.bold, self.red)


def _runs(textpage: pdfium.PdfTextPage, number: int, height: float, verticals: list[BBox]) -> list[PageLine]:
    runs: list[_Run] = []
    colour = [ctypes.c_uint() for _ in range(4)]
    fonts: dict[int, bool] = {}
    current: _Run | None = None
    for i in range(textpage.count_chars()):
        ch = chr(raw.FPDFText_GetUnicode(textpage, i))
        if ch in _CONTROL:
            continue
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        size = top - bottom
        if size <= 0.5:  # a space pdfium generated between words: it has no box
            if ch.isspace() and current is not None:
                current.chars.append(" ")
            continue
        box = (left, height - top, right, height - bottom)
        raw.FPDFText_GetFillColor(textpage, i, *colour)
        r, g, b = colour[0].value, colour[1].value, colour[2].value
        red = r > 150 and r - max(g, b) > 80
        if current is not None and current.takes(box, size, red, verticals):
            current.add(ch, box)
            continue
        current = _Run(ch, box, size, red, _bold(textpage, i, fonts))
        runs.append(current)
    return [line for run in runs if (line := run.line(number)) is not None]


def _bold(textpage: pdfium.PdfTextPage, index: int, fonts: dict[int, bool]) -> bool:
    """Bold by the font's weight or name (小标宋 and 黑体 are the title faces of 公文)."""
    if raw.FPDFText_GetFontWeight(textpage, index) >= 600:
        return True
    obj = raw.FPDFText_GetTextObject(textpage, index)
    font = raw.FPDFTextObj_GetFont(obj) if obj else None
    key = ctypes.cast(font, ctypes.c_void_p).value or 0 if font else 0
    if key not in fonts:
        buf = ctypes.create_string_buffer(128)
        size = raw.FPDFFont_GetBaseFontName(font, buf, 128) if font else 0
        fonts[key] = bool(size and _BOLD_FONT.search(buf.value.decode("latin-1", "replace")))
    return fonts[key]
