"""Extraction: any gazette file → the lines the parser reads, each tied to its page and box.

``extract`` is the one public entry.  Stages: ``detect`` (kind from the first bytes) → one
reader per kind: ``text`` (decode), ``pdf`` (pdfium text layer, OCR for pages without one),
``scan`` (page images through OCR), ``docx`` (python-docx) → ``layout.arrange`` (reading
order, running headers and footers, tables, paragraphs re-joined) for the paged kinds.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from gongbao.errors import InputError
from gongbao.extract.detect import detect_kind
from gongbao.extract.text import decode, text_lines  # light, and read for every text file: imported once
from gongbao.inputs import read_file
from gongbao.models import Extracted, Notice

MAX_PAGES = 1000  # an issue longer than this is not one issue: refused before reading a page
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


def extract(source: bytes | str | os.PathLike, *, max_pages: int = MAX_PAGES) -> Extracted:
    """Read a file's bytes, a path (a folder of page images is one issue) or a text (``str``)."""
    if isinstance(source, str):
        raw = source.encode("utf-8")
        return Extracted("text", text_lines(source), (), hashlib.sha256(raw).hexdigest(), len(raw), "utf-8")
    if isinstance(source, os.PathLike):
        path = Path(source)
        if path.is_dir():
            return _image_folder(path, max_pages)
        source = read_file(path)  # a regular file within the size limit (gongbao.inputs)
    return _from_bytes(source, max_pages)


def _from_bytes(data: bytes, max_pages: int) -> Extracted:
    digest, size = hashlib.sha256(data).hexdigest(), len(data)
    kind = detect_kind(data)
    if kind == "text":
        text, encoding = decode(data)
        return Extracted("text", text_lines(text), (), digest, size, encoding)
    if kind == "docx":
        from gongbao.extract.docx import read_docx

        return Extracted("docx", read_docx(data), (), digest, size)
    if kind == "pdf":
        from gongbao.extract.pdf import open_pdf, read_pdf

        pdf = open_pdf(data, max_pages)
        try:
            return _paged("pdf", list(read_pdf(pdf)), digest, size)
        finally:
            pdf.close()
    from gongbao.extract.scan import read_images

    return _paged("image", _limited(read_images([data]), max_pages), digest, size)


def _image_folder(path: Path, max_pages: int) -> Extracted:
    """A folder of page images, in name order, is one issue; its identity is the hash of the
    images' hashes in that order."""
    files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
    if not files:
        raise InputError(f"{path}：文件夹里没有 PNG、JPEG 或 TIFF 页面图片")
    if len(files) > max_pages:
        raise InputError(f"{path}：共 {len(files)} 页图片，超过单期上限 {max_pages} 页：请按期拆分")
    blobs = [p.read_bytes() for p in files]
    for p, blob in zip(files, blobs):
        if detect_kind(blob) != "image":
            raise InputError(f"{p.name} 不是 PNG、JPEG 或 TIFF 图片")
    from gongbao.extract.scan import read_images

    digest = hashlib.sha256("".join(hashlib.sha256(b).hexdigest() for b in blobs).encode()).hexdigest()
    return _paged("image", _limited(read_images(blobs), max_pages), digest, sum(map(len, blobs)))


def _limited(layouts, max_pages: int) -> list:
    out = []
    for layout in layouts:
        if len(out) >= max_pages:
            raise InputError(f"图片超过单期上限 {max_pages} 页：请按期拆分后再导入")
        out.append(layout)
    return out


def _paged(kind, layouts: list, digest: str, size: int) -> Extracted:
    from gongbao.extract.layout import arrange

    lines, pages, notices = arrange(layouts)
    if not any(line.text for line in lines):
        raise InputError("文件中没有识别出任何文字：这不像一份公报或公文（如是照片或空白页，请提供清晰的扫描件）")
    ocr_pages = [p.number for p in pages if p.ocr]
    if ocr_pages and kind == "pdf":
        notices += (Notice("pages_ocr", (("count", len(ocr_pages)), ("first", ocr_pages[0]))),)
    if ocr_pages:
        from gongbao.extract.ocr import review_notices

        notices += review_notices(lines)
    return Extracted(kind, lines, pages, digest, size, None, notices)
