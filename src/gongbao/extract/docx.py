"""Word (.docx) files through python-docx: paragraphs and tables in document order, the
document's own styles (headings, alignment, bold, red, type size) kept as layout evidence.
A .docx has no fixed pages, so its lines carry no page or box.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from gongbao.errors import InputError
from gongbao.models import SourceLine

_BODY_PT = 16.0  # 三号, the body size of 公文 (GB/T 9704): larger type is a title


def read_docx(data: bytes) -> tuple[SourceLine, ...]:
    """The document's paragraphs (blank line between) and table rows as ``| a | b |``."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise InputError(f"Word 文件已损坏，无法打开（{type(exc).__name__}）：请在 Word 中重新保存为 .docx 后再导入") from None
    out: list[SourceLine] = []
    for line in _blocks(document):
        if line.text:
            out.extend((line, SourceLine("")))
    return tuple(out[:-1])


def _blocks(document) -> Iterator[SourceLine]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield _paragraph(Paragraph(child, document))
        elif tag == "tbl":
            yield from _table(Table(child, document))


def _paragraph(paragraph) -> SourceLine:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    style: set[str] = set()
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    if name.lower().startswith(("heading", "title")) or "标题" in name:
        style.add("heading")
    if paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER:
        style.add("centred")
    elif paragraph.alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        style.add("right")
    runs = [run for run in paragraph.runs if run.text.strip()]
    if runs and all(run.bold for run in runs):
        style.add("bold")
    if runs and all(_red(run) for run in runs):
        style.add("red")
    sizes = [run.font.size.pt for run in runs if run.font.size is not None]
    if sizes and max(sizes) >= _BODY_PT * 1.25:
        style.add("large")
    return SourceLine(paragraph.text.strip(), style=frozenset(style))


def _red(run) -> bool:
    try:
        rgb = run.font.color.rgb if run.font.color is not None and run.font.color.type is not None else None
    except (AttributeError, ValueError):
        return False
    return rgb is not None and rgb[0] > 150 and rgb[0] - max(rgb[1], rgb[2]) > 80


def _table(table) -> Iterator[SourceLine]:
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is listed once per grid column it spans
                continue
            seen.add(id(cell._tc))
            cells.append("".join(p.text.strip() for p in cell.paragraphs).replace("|", "｜"))
        if any(cells):
            yield SourceLine("| " + " | ".join(cells) + " |")
