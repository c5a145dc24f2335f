"""From pages of positioned runs to the lines the parser reads: ``arrange``.

Engine-neutral: the runs may come from a PDF text layer, from OCR or from anything else that
fills ``PageLayout``.  What it does, page after page:

1. running headers and footers (gazette name, issue, page number) are recognised by their
   place (top or bottom band of the page) and their repetition across pages, kept out of the
   text, and their page numbers give the printed → physical page map;
2. ruled tables (a grid of drawn rulings) become ``| a | b |`` rows, a wrapped cell one cell;
   a table that goes on over the page break simply continues in the flow;
3. two-column stretches are read column by column, the rest top to bottom;
4. runs on one baseline become a row, and rows the page wrapped become one paragraph again
   (a paragraph begins indented, or after a wider gap, or with a change of type);
5. each line keeps its page, its box and its layout evidence (red, bold, large, centred, right).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import median

from gongbao.models import BBox, Notice, PageInfo, PageLayout, PageLine, SourceLine

_BAND = 0.085  # top and bottom share of the page where running headers and footers sit
_PAGE_NO = re.compile(r"^[\s\-—–·•・第]*(\d{1,4})[\s\-—–·•・页]*$")
_NUMBER = re.compile(r"\d{1,4}")
_LEADER_END = re.compile(r"(?:[.·…．]{2,}|…)\s*[（(]?\d{1,4}[)）]?$")
_TERMINAL = "。！？；：…”』」）)"
_TOL = 2.0  # points: rulings closer than this are one line


@dataclass(slots=True)
class _Row:
    """Runs on one baseline of one column, or one row of a ruled table (``cells`` set)."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    size: float
    bold: bool
    red: bool
    confidence: float | None
    col: tuple[float, float]  # left and right edge of the column the row stands in
    cells: list[str] | None = None
    style: set[str] = field(default_factory=set)


def arrange(layouts: Sequence[PageLayout]) -> tuple[tuple[SourceLine, ...], tuple[PageInfo, ...], tuple[Notice, ...]]:
    """The parser's lines (paragraphs and table rows, blank lines between), the pages with
    their printed numbers, and what was noticed on the way."""
    furniture = _furniture(layouts)
    printed = _printed_numbers(layouts, furniture)
    body = _body_size(layouts, furniture)
    frame = _frame(layouts, furniture)
    rows: list[_Row] = []
    for layout in layouts:
        runs = [run for run in layout.lines if id(run) not in furniture]
        rows.extend(_page_rows(layout, runs, body, frame))
    pages = tuple(
        PageInfo(layout.number, layout.width, layout.height, printed.get(layout.number), not layout.has_text_layer)
        for layout in layouts
    )
    notices = _notices(layouts, printed)
    return _paragraphs(rows, body), pages, notices


# --- running headers and footers --------------------------------------------------------


def _band(run: PageLine, layout: PageLayout) -> str | None:
    if run.bbox[3] <= layout.height * _BAND:
        return "top"
    if run.bbox[1] >= layout.height * (1 - _BAND):
        return "bottom"
    return None


def _furniture_key(run: PageLine) -> str:
    return _NUMBER.sub("#", run.text.replace(" ", "").replace("\u3000", ""))


def _furniture(layouts: Sequence[PageLayout]) -> set[int]:
    """ids of the runs that are page furniture: in the top or bottom band and printed on at
    least two pages (digits aside), or a page number alone; never large type (a banner)."""
    body = median([run.size for layout in layouts for run in layout.lines if run.size] or [10.0])
    seen: Counter[tuple[str, str]] = Counter()
    candidates: list[tuple[int, str, str]] = []
    for layout in layouts:
        keys = set()
        for run in layout.lines:
            band = _band(run, layout)
            if band and (run.size or body) <= body * 1.25:
                key = _furniture_key(run)
                candidates.append((id(run), band, key))
                keys.add((band, key))
        seen.update(keys)
    repeated = 2 if len(layouts) > 1 else 10**9
    return {
        rid for rid, band, key in candidates
        if seen[(band, key)] >= repeated or _PAGE_NO.match(key.replace("#", "1"))
    }


def _printed_numbers(layouts: Sequence[PageLayout], furniture: set[int]) -> dict[int, int]:
    """Physical page → printed page number: the number in the furniture that keeps a constant
    offset to the physical page on most pages (years and issue numbers do not)."""
    candidates: dict[int, set[int]] = {}
    for layout in layouts:
        numbers = {
            int(m.group(0))
            for run in layout.lines if id(run) in furniture
            for m in _NUMBER.finditer(run.text)
        }
        candidates[layout.number] = {n for n in numbers if n < 1900 or n > 2100}
    offsets = Counter(n - page for page, numbers in candidates.items() for n in numbers)
    if not offsets:
        return {}
    offset, votes = offsets.most_common(1)[0]
    if votes < max(1, len(layouts) // 3):
        return {}
    return {page: page + offset for page, numbers in candidates.items() if page + offset in numbers}


def _notices(layouts: Sequence[PageLayout], printed: dict[int, int]) -> tuple[Notice, ...]:
    out = []
    if len(layouts) > 2 and not printed:
        out.append(Notice("no_page_numbers", (("pages", len(layouts)),)))
    return tuple(out)


def _body_size(layouts: Sequence[PageLayout], furniture: set[int]) -> float:
    """The type size most characters are set in (weighted by length)."""
    sizes: Counter[float] = Counter()
    for layout in layouts:
        for run in layout.lines:
            if run.size and id(run) not in furniture:
                sizes[round(run.size, 0)] += len(run.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


# --- one page: tables, columns, rows -------------------------------------------------------


def _frame(layouts: Sequence[PageLayout], furniture: set[int]) -> tuple[float, float] | None:
    """The text frame of the pages (left and right margin), the median over the pages: a
    page of short lines is measured against it, not against its own lines."""
    lefts, rights = [], []
    for layout in layouts:
        runs = [run for run in layout.lines if id(run) not in furniture]
        if runs:
            lefts.append(min(r.bbox[0] for r in runs))
            rights.append(max(r.bbox[2] for r in runs))
    return (median(lefts), median(rights)) if lefts else None


def _page_rows(layout: PageLayout, runs: list[PageLine], body: float, frame: tuple[float, float] | None) -> list[_Row]:
    tables = _grids(layout.rulings)
    table_rows: list[_Row] = []
    free = runs
    for xs, ys in tables:
        inside, free = _split_inside(free, xs, ys)
        table_rows.extend(_table_rows(layout.number, xs, ys, inside, body))
    flow = _reading_order(free, frame)
    rows = _merge_baselines(layout.number, flow, body)
    # a table's rows take their place in the flow by their top edge
    return _interleave(rows, table_rows)


def _interleave(rows: list[_Row], table_rows: list[_Row]) -> list[_Row]:
    if not table_rows:
        return rows
    out: list[_Row] = []
    pending = sorted(table_rows, key=lambda r: r.y0)
    for row in rows:
        while pending and pending[0].y0 < row.y0:
            out.append(pending.pop(0))
        out.append(row)
    return out + pending


def _reading_order(runs: list[PageLine], frame: tuple[float, float] | None) -> list[tuple[PageLine, tuple[float, float]]]:
    """Runs in reading order, each with the column it stands in: two-column stretches (runs
    side by side on several baselines) column by column, everything else top to bottom."""
    if not runs:
        return []
    left = min([r.bbox[0] for r in runs] + ([frame[0]] if frame else []))
    right = max([r.bbox[2] for r in runs] + ([frame[1]] if frame else []))
    mid = (left + right) / 2
    slack = (right - left) * 0.02
    ordered = sorted(runs, key=lambda r: (r.bbox[1], r.bbox[0]))
    out: list[tuple[PageLine, tuple[float, float]]] = []
    stretch: list[PageLine] = []
    for run in ordered + [None]:
        spans = run is None or (run.bbox[0] < mid - slack and run.bbox[2] > mid + slack)
        if not spans:
            stretch.append(run)
            continue
        out.extend(_stretch_order(stretch, left, mid, right))
        stretch = []
        if run is not None:
            out.append((run, (left, right)))
    return out


def _stretch_order(runs: list[PageLine], left: float, mid: float, right: float):
    """A stretch of runs none of which crosses the middle: two columns when left and right
    runs share at least three baselines and the left ones are full-width column text."""
    lefts = [r for r in runs if r.bbox[2] <= mid]
    rights = [r for r in runs if r.bbox[2] > mid]
    paired = sum(1 for a in lefts if any(_same_baseline(a, b) for b in rights))
    wide = [r for r in lefts if r.bbox[2] - r.bbox[0] > (mid - left) * 0.6]
    if paired >= 3 and len(wide) >= 2:
        return [(r, (left, mid)) for r in lefts] + [(r, (mid, right)) for r in rights]
    return [(r, (left, right)) for r in runs]


def _same_baseline(a: PageLine, b: PageLine) -> bool:
    top, bottom = max(a.bbox[1], b.bbox[1]), min(a.bbox[3], b.bbox[3])
    return bottom - top > 0.5 * min(a.bbox[3] - a.bbox[1], b.bbox[3] - b.bbox[1])


def _merge_baselines(page: int, flow: list[tuple[PageLine, tuple[float, float]]], body: float) -> list[_Row]:
    """Consecutive runs of one column on one baseline become one row, left to right."""
    groups: list[list[tuple[PageLine, tuple[float, float]]]] = []
    for item in flow:
        last = groups[-1][-1] if groups else None
        if last and last[1] == item[1] and _same_baseline(last[0], item[0]):
            groups[-1].append(item)
        else:
            groups.append([item])
    return [_row(page, sorted((run for run, _ in group), key=lambda r: r.bbox[0]), group[0][1], body) for group in groups]


def _row(page: int, runs: list[PageLine], col: tuple[float, float], body: float) -> _Row:
    size = max((r.size or body) for r in runs)
    text = runs[0].text
    for prev, run in zip(runs, runs[1:]):
        gap = run.bbox[0] - prev.bbox[2]
        text += (" " if gap > 0.8 * size else "") + run.text
    confidences = [r.confidence for r in runs if r.confidence is not None]
    return _Row(
        page, min(r.bbox[0] for r in runs), min(r.bbox[1] for r in runs), max(r.bbox[2] for r in runs),
        max(r.bbox[3] for r in runs), text.strip(), size, all(r.bold for r in runs), all(r.red for r in runs),
        min(confidences) if confidences else None, col,
    )


# --- ruled tables --------------------------------------------------------------------------


def _merge_close(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _TOL:
            out.append(v)
    return out


def _grids(rulings: Sequence[BBox]) -> list[tuple[list[float], list[float]]]:
    """Tables drawn on the page: groups of crossing rulings → (column edges, row edges)."""
    hs = [r for r in rulings if abs(r[3] - r[1]) <= _TOL and r[2] - r[0] > 5]
    vs = [r for r in rulings if abs(r[2] - r[0]) <= _TOL and r[3] - r[1] > 3]
    if len(hs) < 2 or len(vs) < 2:
        return []
    segments = hs + vs
    parent = list(range(len(segments)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(segments):
        for j in range(i + 1, len(segments)):
            if _touch(a, segments[j]):
                parent[find(i)] = find(j)
    groups: dict[int, list[BBox]] = {}
    for i, seg in enumerate(segments):
        groups.setdefault(find(i), []).append(seg)
    return [grid for group in groups.values() if (grid := _grid(group))]


def _touch(a: BBox, b: BBox) -> bool:
    return a[0] - _TOL <= b[2] and b[0] - _TOL <= a[2] and a[1] - _TOL <= b[3] and b[1] - _TOL <= a[3]


def _grid(group: list[BBox]) -> tuple[list[float], list[float]] | None:
    xs = _merge_close([(s[0] + s[2]) / 2 for s in group if abs(s[2] - s[0]) <= _TOL])
    ys = _merge_close([(s[1] + s[3]) / 2 for s in group if abs(s[3] - s[1]) <= _TOL])
    if len(xs) < 2 or len(ys) < 2:
        return None
    return xs, ys


def _split_inside(runs: list[PageLine], xs: list[float], ys: list[float]) -> tuple[list[PageLine], list[PageLine]]:
    inside, outside = [], []
    for run in runs:
        cx, cy = (run.bbox[0] + run.bbox[2]) / 2, (run.bbox[1] + run.bbox[3]) / 2
        (inside if xs[0] <= cx <= xs[-1] and ys[0] <= cy <= ys[-1] else outside).append(run)
    return inside, outside


def _index(edges: list[float], value: float) -> int:
    for i in range(len(edges) - 1):
        if value < edges[i + 1]:
            return i
    return len(edges) - 2


def _table_rows(page: int, xs: list[float], ys: list[float], runs: list[PageLine], body: float) -> list[_Row]:
    """One row per band between horizontal rulings; a cell's runs (a wrapped cell) joined."""
    cells: dict[tuple[int, int], list[PageLine]] = {}
    for run in runs:
        row = _index(ys, (run.bbox[1] + run.bbox[3]) / 2)
        col = _index(xs, run.bbox[0] + 1)
        cells.setdefault((row, col), []).append(run)
    out = []
    for r in range(len(ys) - 1):
        texts = [_cell_text(cells.get((r, c), [])) for c in range(len(xs) - 1)]
        members = [run for c in range(len(xs) - 1) for run in cells.get((r, c), [])]
        if not members:
            continue
        row = _row(page, sorted(members, key=lambda m: m.bbox[0]), (xs[0], xs[-1]), body)
        row.x0, row.y0, row.x1, row.y1 = xs[0], ys[r], xs[-1], ys[r + 1]
        row.cells = texts
        row.text = "| " + " | ".join(texts) + " |"
        out.append(row)
    return out


def _cell_text(runs: list[PageLine]) -> str:
    ordered = sorted(runs, key=lambda r: (round(r.bbox[1]), r.bbox[0]))
    return "".join(r.text.strip() for r in ordered).replace("|", "｜")


# --- paragraphs ----------------------------------------------------------------------------


def _paragraphs(rows: list[_Row], body: float) -> tuple[SourceLine, ...]:
    """Rows the page wrapped joined into paragraphs; a blank line between paragraphs."""
    for row in rows:
        row.style = _style(row, body)
    out: list[SourceLine] = []
    para: list[_Row] = []
    for row in rows:
        if para and _continues(para[-1], row, body):
            para.append(row)
            continue
        if para:
            out.append(_line(para))
            if not (para[-1].cells is not None and row.cells is not None):  # table rows stay together
                out.append(SourceLine("", para[-1].page))
        para = [row]
    if para:
        out.append(_line(para))
    return tuple(out)


def _style(row: _Row, body: float) -> set[str]:
    style = set()
    if row.red:
        style.add("red")
    if row.bold:
        style.add("bold")
    if row.size >= body * 1.25:
        style.add("large")
    if row.cells is not None:
        return style
    left, right = row.col
    width = right - left
    centre = (row.x0 + row.x1) / 2
    short = row.x1 - row.x0 < width * 0.85
    if short and row.x0 > left + 1.5 * row.size and abs(centre - (left + right) / 2) < max(width * 0.04, row.size):
        style.add("centred")
    elif row.x1 >= right - 1.5 * row.size and row.x0 > left + width * 0.4:
        style.add("right")
    return style


def _continues(prev: _Row, row: _Row, body: float) -> bool:
    """Is ``row`` the rest of the paragraph the page wrapped after ``prev``?"""
    if prev.cells is not None or row.cells is not None or not prev.text:
        return False
    if abs(prev.size - row.size) > 0.1 * body or prev.red != row.red or prev.bold != row.bold:
        return False
    if "centred" in prev.style:
        return _title_goes_on(prev, row)
    if prev.style & {"right"} or row.style & {"centred", "right"}:
        return False
    return _wrapped(prev, row)


def _title_goes_on(prev: _Row, row: _Row) -> bool:
    """A title set over two centred lines (in title type: a 文号 under a banner is not one)."""
    title = {"large", "bold"} & prev.style and {"large", "bold"} & row.style
    return bool(title) and "centred" in row.style and prev.text[-1] not in _TERMINAL and _near(prev, row, 1.0)


def _wrapped(prev: _Row, row: _Row) -> bool:
    """prev runs to the right edge of its column and row starts flush left (a paragraph
    begins indented), on the next baseline or at the top of the next column or page."""
    if prev.text[-1] in "。！？" and prev.x1 < prev.col[1] - 1.5 * prev.size or _LEADER_END.search(prev.text):
        return False
    full = prev.x1 >= prev.col[1] - 1.5 * prev.size
    flush = row.x0 <= row.col[0] + 0.8 * row.size
    return full and flush and (row.page != prev.page or row.col != prev.col or _near(prev, row, 1.0))


def _near(prev: _Row, row: _Row, lines: float) -> bool:
    """Is row at most ``lines`` type sizes of leading below prev (same page and column)?"""
    if row.page != prev.page or row.col != prev.col:
        return False
    return -0.2 * prev.size <= row.y0 - prev.y1 <= lines * prev.size


def _line(para: list[_Row]) -> SourceLine:
    first = para[0]
    text = first.text
    for row in para[1:]:
        joint = " " if text[-1:].isascii() and text[-1:].isalnum() and row.text[:1].isascii() and row.text[:1].isalnum() else ""
        text += joint + row.text
    same_page = [r for r in para if r.page == first.page]
    bbox = (
        round(min(r.x0 for r in same_page), 1), round(min(r.y0 for r in same_page), 1),
        round(max(r.x1 for r in same_page), 1), round(max(r.y1 for r in same_page), 1),
    )
    confidences = [r.confidence for r in para if r.confidence is not None]
    return SourceLine(text, first.page, bbox, frozenset(first.style), min(confidences) if confidences else None)
