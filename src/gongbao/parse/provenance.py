"""Page provenance: each normalised line takes the page, box and layout evidence of the
source lines it was made from (``gongbao.extract`` keeps them per source line)."""

from __future__ import annotations

from collections.abc import Sequence
import re
from dataclasses import replace

from gongbao.models import Finding, LineSpan, Normalized, PageInfo, SourceLine

_DIGITS = re.compile(r"\d{1,4}")
_DOWN = re.compile(r"下\s*[转接]\s*第?\s*(\d+)\s*页|转\s*第\s*(\d+)\s*页")


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


def page_findings(norm: Normalized, matches, pages: Sequence[PageInfo]) -> list[Finding]:
    """What the printed page numbers say against the real pages: a TOC or 文件检索 entry whose
    page is not where its document starts, a 下转第N页 whose rest is not on printed page N."""
    printed = {p.number: p.printed for p in pages if p.printed is not None}
    if not printed:
        return []
    physical: dict[int, int] = {}
    for number, mark in sorted(printed.items()):
        physical.setdefault(mark, number)
    findings = []
    for entry, doc, ratio in matches:
        m = _DIGITS.search(entry.page or "")
        if doc is None or doc.pages is None or m is None or ratio < 0.8:
            continue
        want = int(m.group(0))
        if want not in physical or physical[want] != doc.pages[0]:
            findings.append(Finding("page_differs", f"{entry.source} gives page {want} for {entry.title}; it starts on page "
                                    f"{printed.get(doc.pages[0], '?')} (PDF page {doc.pages[0]}) [line {entry.lines[0]}]"))
    for down, up in norm.continuations:
        first = norm.lines[down]
        m = _DOWN.search(" ".join(norm.source[first.first - 1 : first.last]))
        page = norm.lines[up].page
        if m and page is not None and printed.get(page) is not None and printed[page] != int(m.group(1) or m.group(2)):
            findings.append(Finding("continuation_page_differs", f"下转第{m.group(1) or m.group(2)}页, but the rest is on page "
                                    f"{printed[page]} (PDF page {page}) [line {first.first}]"))
    return findings
