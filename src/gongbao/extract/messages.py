"""Extraction notices in Chinese: one sentence per code, parameters filled in."""

from __future__ import annotations

from gongbao.models import Notice

_TEMPLATES = {
    "no_page_numbers": "共 {pages} 页，页眉页脚中未找到页码：目录页码无法与实际页核对",
    "pages_ocr": "{count} 页没有文字层，已用文字识别（OCR）读取（第一处在第 {first} 页）",
    "low_confidence": "第 {page} 页有一行识别置信度低（{confidence}）：请人工核对“{text}”",
}


def describe(notice: Notice) -> str:
    """The notice as one Chinese sentence (the code itself when it has no template)."""
    template = _TEMPLATES.get(notice.code)
    if template is None:
        return notice.code
    try:
        return template.format(**dict(notice.params))
    except (KeyError, IndexError):
        return notice.code
