"""What kind of file this is, from its first bytes (never its name): the first extract stage.

Files gongbao cannot read are refused here with one Chinese line saying what the file is
and what to do: old binary Word (.doc) and WPS files, ZIP archives that are not .docx,
images in formats a scanner does not write.
"""

from __future__ import annotations

import io
import zipfile

from gongbao.errors import InputError
from gongbao.models import SourceKind

_IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: .doc, .wps, .xls, .ppt
_OTHER_IMAGES = {b"GIF8": "GIF", b"BM": "BMP", b"RIFF": "RIFF/WebP"}
_PDF_WINDOW = 1024  # PDF readers accept the header anywhere in the first KiB


def detect_kind(data: bytes) -> SourceKind:
    """The kind of the file: "pdf", "image", "docx" or "text"; refuses what cannot be read."""
    head = data[:16]
    if b"%PDF-" in data[:_PDF_WINDOW]:
        return "pdf"
    if head.startswith(_IMAGES):
        return "image"
    if head.startswith(_OLE):
        raise InputError("这是旧版 Word（.doc）或 WPS 文件，无法直接读取：请用 Word 或 WPS 另存为 .docx 或 PDF 后再导入")
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head.startswith(b"{\\rtf"):
        raise InputError("这是 RTF 文件，无法直接读取：请另存为 .docx 或 PDF 后再导入")
    for magic, name in _OTHER_IMAGES.items():
        if head.startswith(magic) and (magic != b"RIFF" or data[8:12] == b"WEBP"):
            raise InputError(f"这是 {name} 图片，不是扫描页：请提供 PNG、JPEG 或 TIFF 格式的扫描页，或 PDF")
    return "text"


def is_page_image(path) -> bool:
    """Is the file at ``path`` a PNG, JPEG or TIFF image (by its first bytes)?"""
    try:
        with open(path, "rb") as fh:
            return fh.read(16).startswith(_IMAGES)
    except OSError:
        return False


def _zip_kind(data: bytes) -> SourceKind:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError("这是损坏或不完整的 ZIP/Word 文件，无法打开：请重新导出或重新下载后再导入") from None
    if "word/document.xml" in names:
        return "docx"
    raise InputError("这是 ZIP 压缩包，不是 Word（.docx）文档：请解压后导入其中的文件")
