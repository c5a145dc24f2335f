"""Page provenance: each normalised line takes the page, box and layout evidence of the
source lines it was made from (``gongbao.extract`` keeps them per source line)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from gongbao.models import LineSpan, Normalized, SourceLine


def place_lines(norm: Normalized, sources: Sequence[SourceLine]) -> Normalized:
    """``norm`` with page, box and style on every line whose source lines have a page."""
    if not any(s.page is not None or s.style for s in sources[:200]) and not any(s.page for s in sources[-50:]):
        return norm  # a text file: nothing to place
    norm.lines = [_placed(line, sources) for line in norm.lines]
    return norm


def _placed(line, sources: Sequence[SourceLine]):
    parts = [s for s in sources[line.first - 1 : line.last] if s.text]
    if not parts:
        return line
    first = parts[0]
    boxes = [s.bbox for s in parts if s.bbox is not None and s.page == first.page]
    bbox = (
        (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        if boxes else None
    )
    return replace(line, page=first.page, bbox=bbox, style=first.style)


def page_range(lines: Sequence, span: LineSpan) -> tuple[int, int] | None:
    """First and last page of the lines inside ``span`` (None when the source has no pages)."""
    pages = [line.page for line in lines if line.page is not None and span[0] <= line.first and line.last <= span[1]]
    return (min(pages), max(pages)) if pages else None
