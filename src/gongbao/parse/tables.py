"""Tables in a document body: markdown pipe tables, HTML tables and tab-separated lines.

PDF extraction breaks tables the way pages break them: the header is printed again on
every page, and a long row is cut in two, its second half starting the next page with an
empty first cell.  ``get_tables`` merges the parts of a table (dropping repeated headers),
re-joins cut rows, keeps every ``<p>`` paragraph of a cell (joined by newlines) and warns
where the columns do not line up.  Rows whose first cell is empty are otherwise kept as
rows of their own (they belong to the row group above; ``parse.tasks`` carries it down).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from gongbao.models import Line, LineSpan, Notice, Table
from gongbao.parse.patterns import ORGAN_TAIL, squeeze_cjk, strip_debris, strip_spaces

__all__ = ["get_tables", "table_line_numbers", "SEQ_HEADERS"]

SEQ_HEADERS = ("序号", "编号", "序")
"""Header names of a numbering first column: an empty cell there continues the row above."""

_MAX_GAP_LINES = 3  # page furniture tolerated between two parts of one table
_MAX_GAP_TEXT = 30  # …if each such line is this short (running header, page number)
_MAX_TITLE = 60
_SENTENCE_END = "。；;！？!?”）)"
_DENSE = 0.8  # a column filled in this share of rows is always filled: an empty cell there is a cut
_PUNCTUATED = 0.6  # a column whose cells end in punctuation this often is written in sentences

_PIPE_SEP = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_PIPE_SPLIT = re.compile(r"(?<!\\)\|")
_PARA = re.compile(r"<p\b[^>]*>(.*?)</p\s*>", re.S | re.I)
_BREAK = re.compile(r"<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")
_BREAK_MARK = "\x00"
_NUMBER = re.compile(r"^[0-9０-９]+[.．、]?$")


def _cell(raw: str) -> str:
    """One cell's text: every <p> paragraph kept, joined by newlines; tags and wrap spaces dropped."""
    raw = _BREAK.sub("\n", raw)
    paragraphs = _PARA.findall(raw) or [raw]
    out = []
    for para in paragraphs:
        for piece in _TAG.sub("", html.unescape(para)).split("\n"):
            piece = strip_debris(piece)
            names = piece.split()
            if not (len(names) > 1 and all(ORGAN_TAIL.search(n) for n in names)):
                piece = squeeze_cjk(piece)  # wrap spaces go; spaces between unit names stay
            if piece:
                out.append(piece)
    return "\n".join(out)


# --- finding the raw parts ----------------------------------------------------------------


@dataclass(slots=True)
class _Part:
    kind: str  # "pipe" | "tab" | "html"
    rows: list[list[str]]
    spans: list[LineSpan]
    start: int  # index in lines of the first row
    end: int  # index in lines after the last row
    header: list[str] | None = None  # pipe tables: the row above |---|


def _kind(text: str, within: str | None = None) -> str | None:
    """"pipe" or "tab" for a table line (``within`` a table of that kind, a looser test):
    a tab table starts with two filled cells, a row needs one; inside a pipe table the outer
    pipes may be missing."""
    stripped = text.strip()
    if (stripped.startswith("|") and stripped.count("|") >= 2) or (within == "pipe" and "|" in stripped):
        return "pipe"
    if "\t" in text.strip("\n") and len([c for c in text.split("\t") if c.strip()]) >= (1 if within else 2):
        return "tab"
    return None


def _html_part(lines: list[Line], i: int) -> _Part | None:
    """An HTML <table>…</table> starting on line i (possibly spread over several lines)."""
    j, chunk = i, []
    while j < len(lines):
        chunk.append(lines[j].text)
        j += 1
        if re.search(r"</table\s*>", lines[j - 1].text, re.I):
            break
    else:
        return None
    parser = _HtmlTable()
    parser.feed("\n".join(chunk))
    if len(parser.grid) < 1:
        return None
    span = (lines[i].first, lines[j - 1].last)
    return _Part("html", parser.grid, [span] * len(parser.grid), i, j)


class _HtmlTable(HTMLParser):
    """Rows of an HTML table; a rowspan cell's text is repeated in the rows it spans."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.grid: list[list[str]] = []
        self._pending: dict[int, tuple[str, int]] = {}  # column → (text, rows left)
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._spans = (1, 1)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._fill_pending()
            a = dict(attrs)
            self._spans = (_int(a.get("rowspan")), _int(a.get("colspan")))
            self._cell = []
        elif tag in ("p", "br") and self._cell is not None:
            self._cell.append(_BREAK_MARK)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            text = _cell("".join(self._cell).replace("\n", " ").replace(_BREAK_MARK, "<br>"))
            rows, cols = self._spans
            for _ in range(cols):
                if rows > 1:
                    self._pending[len(self._row)] = (text, rows - 1)
                self._row.append(text)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._fill_pending(final=True)
            if any(self._row):
                self.grid.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _fill_pending(self, final: bool = False) -> None:
        assert self._row is not None
        while len(self._row) in self._pending or (final and any(c >= len(self._row) for c in self._pending)):
            col = len(self._row)
            if col not in self._pending:
                self._row.append("")
                continue
            text, left = self._pending.pop(col)
            if left > 1:
                self._pending[col] = (text, left - 1)
            self._row.append(text)


def _int(value: str | None) -> int:
    return int(value) if value and value.strip().isdigit() and 0 < int(value) < 100 else 1


def _split(kind: str, text: str) -> list[str]:
    if kind == "tab":
        return [_cell(c) for c in strip_debris_keep_tabs(text).split("\t")]
    inner = text.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [_cell(c.replace("\\|", "|")) for c in _PIPE_SPLIT.split(inner)]


def strip_debris_keep_tabs(text: str) -> str:
    """Leading markdown debris off a tab-separated line, keeping the empty first cell."""
    return re.sub(r"^(?:#+ |> |- )", "", text.rstrip("\n"))


def _parts(lines: list[Line]) -> list[_Part]:
    """The table parts of a body; a table starts on a line holding a pipe, a tab or an HTML
    <table>, so a body without any of these is not read line by line (str's search for each:
    far faster than a pattern's class, tried at every character)."""
    text = "".join(ln.text for ln in lines)
    return _scan_parts(lines) if "|" in text or "\t" in text or "<" in text else []


def _scan_parts(lines: list[Line]) -> list[_Part]:
    parts: list[_Part] = []
    i = 0
    while i < len(lines):
        if "<" in lines[i].text and re.search(r"<table\b", lines[i].text, re.I):
            part = _html_part(lines, i)
            if part:
                parts.append(part)
                i = part.end
                continue
        kind = _kind(lines[i].text)
        if kind is None and "|" in lines[i].text and i + 1 < len(lines) and _PIPE_SEP.match(lines[i + 1].text.strip()):
            kind = "pipe"  # "序号 | 任务" over "---|---": a pipe table without outer pipes
        if kind is None:
            i += 1
            continue
        j = i
        rows: list[list[str]] = []
        spans: list[LineSpan] = []
        header: list[str] | None = None
        while j < len(lines) and (j == i or _kind(lines[j].text, within=kind) == kind or getattr(lines[j], "noise", False)):
            line = lines[j]
            j += 1
            if getattr(line, "noise", False):
                continue
            if kind == "pipe" and _PIPE_SEP.match(line.text.strip()):
                if rows and header is None:
                    header = rows.pop()
                    spans.pop()
                continue
            rows.append(_split(kind, line.text))
            spans.append((line.first, line.last))
        if rows:  # a part of one row only continues a table (get_tables)
            parts.append(_Part(kind, rows, spans, i, j, header))
        i = j
    return parts


# --- assembling tables --------------------------------------------------------------------


def _key(cells: list[str]) -> tuple[str, ...]:
    return tuple(strip_spaces(c) for c in cells if c.strip())


def _gap_is_furniture(lines: list[Line], start: int, end: int) -> bool:
    gap = [ln for ln in lines[start:end] if ln.text.strip() and not getattr(ln, "noise", False)]
    return len(gap) <= _MAX_GAP_LINES and all(len(ln.text.strip()) <= _MAX_GAP_TEXT for ln in gap)


def _title(lines: list[Line], start: int) -> str | None:
    for line in reversed(lines[max(0, start - 3) : start]):
        text = squeeze_cjk(strip_debris(line.text))
        if not text or getattr(line, "noise", False):
            continue
        if len(text) <= _MAX_TITLE and text[-1] not in "。；：:，":
            return text
        return None
    return None


def _join(a: str, b: str) -> str:
    """The two halves of a cell cut by a page break: 市水利 + 局、… → 市水利局、…"""
    if not a or a == b:
        return a or b
    if not b:
        return a
    return a + ("\n" if a[-1] in _SENTENCE_END else "") + b


def _punctuated(rows: list[list[str]], col: int) -> bool:
    cells = [r[col] for r in rows if col < len(r) and r[col]]
    return bool(cells) and sum(c[-1] in _SENTENCE_END for c in cells) / len(cells) >= _PUNCTUATED


def _continues(prev: list[str], row: _Row, punctuated: set[int], dense: set[int], seq: bool) -> bool:
    """Is ``row`` the second half of ``prev`` (cut by a page break) rather than a row of its own?
    It is when its first cell is empty (or repeats the group) and a column written in
    sentences has a cell left unfinished in ``prev``; in a 序号 table, when its 序号 is empty
    and it opens a page or leaves empty a cell of a column that is always filled (a complete
    row under a merged 序号 cell is a sub-row of its own; a group column is empty by design)."""
    cells = row.cells
    if not cells or not prev or (cells[0] and cells[0] != prev[0]):
        return False
    width = min(len(prev), len(cells))
    if seq and not cells[0] and (row.page_start or any(prev[c] and not cells[c] for c in dense if c < width)):
        return True
    return any(
        prev[c] and cells[c] and cells[c] != prev[c] and prev[c][-1] not in _SENTENCE_END
        for c in punctuated
        if c < width
    )


@dataclass(slots=True)
class _Row:
    cells: list[str]
    span: LineSpan
    page_start: bool  # first row after a header printed again: a new page begins


def _rows(parts: list[_Part], header: list[str], warnings: list[Notice]) -> list[_Row]:
    """The data rows of all parts, repeated headers dropped, cells aligned to the header."""
    rows: list[_Row] = []
    page_start = False
    for n, part in enumerate(parts):
        pairs = list(zip(part.rows, part.spans, strict=True))
        if n == 0 and parts[0].header is None:
            pairs = pairs[1:]
        if n > 0:
            page_start = True
            if part.header is not None and _key(part.header) != _key(header):
                warnings.append(Notice.of("table_header_differs", line=part.spans[0][0]))
        for cells, span in pairs:
            if _key(cells) == _key(header):
                page_start = True  # the header printed again at the top of a page is not a row
                continue
            rows.append(_Row(cells, span, page_start))
            page_start = False
    width = len(header)
    rows = _mend_cut_rows(rows, width)
    sparse_first = any(not r.cells[0] for r in rows if r.cells)
    for i, row in enumerate(rows):
        cells = row.cells
        if len(cells) > width and not any(cells[width:]):
            cells = cells[:width]
        if len(cells) != width:
            warnings.append(Notice.of("table_cells", line=row.span[0], cells=len(cells), columns=width))
            if len(cells) < width:
                pad = [""] * (width - len(cells))
                cells = pad + cells if sparse_first and i else cells + pad
        row.cells = cells
    return rows


def _mend_cut_rows(rows: list[_Row], width: int) -> list[_Row]:
    """A row cut inside a cell by a page break: its first part is short of cells, the part on
    the next page starts with the rest of that cell (| 3 | …实现行政村全 | / | 覆盖 | 区城市管理局 | …)."""
    out: list[_Row] = []
    for row in rows:
        prev = out[-1] if out else None
        if (
            prev is not None
            and row.page_start
            and len(prev.cells) < width
            and len(row.cells) < width
            and len(prev.cells) + len(row.cells) - 1 == width
        ):
            prev.cells = prev.cells[:-1] + [_join(prev.cells[-1], row.cells[0])] + row.cells[1:]
            prev.span = (prev.span[0], row.span[1])
            continue
        out.append(row)
    return out


def _rejoin(rows: list[_Row], header: list[str]) -> list[_Row]:
    """Rows cut by a page break put back together."""
    cells = [r.cells for r in rows]
    seq = bool(header) and (
        header[0] in SEQ_HEADERS or sum(bool(_NUMBER.match(c[0])) for c in cells if c and c[0]) > len(cells) / 2
    )
    punctuated = {c for c in range(1, len(header)) if _punctuated(cells, c)}
    dense = {c for c in range(1, len(header)) if sum(bool(r[c]) for r in cells if c < len(r)) >= _DENSE * len(cells)}
    merged: list[_Row] = []
    for row in rows:
        if merged and _continues(merged[-1].cells, row, punctuated, dense, seq):
            prev = merged[-1]
            prev.cells = [_join(a, b) for a, b in zip(prev.cells, row.cells, strict=False)] + prev.cells[len(row.cells) :]
            prev.span = (prev.span[0], row.span[1])
            continue
        merged.append(row)
    return merged


def _assemble(lines: list[Line], parts: list[_Part]) -> Table:
    first = parts[0]
    header = first.header if first.header is not None else first.rows[0]
    warnings: list[Notice] = []
    rows = _rejoin(_rows(parts, header, warnings), header)
    return Table(
        header=header,
        rows=[r.cells for r in rows],
        lines=(lines[first.start].first, max(lines[first.start].last, *(s[1] for p in parts for s in p.spans))),
        title=_title(lines, first.start),
        warnings=warnings,
        row_lines=[r.span for r in rows],
        page_starts=[i for i, r in enumerate(rows) if r.page_start],
    )


def get_tables(lines: list[Line]) -> list[Table]:
    """Every table of a body, its parts across page breaks merged, cut rows re-joined."""
    groups: list[list[_Part]] = []
    for part in _parts(lines):
        if groups:
            last = groups[-1][-1]
            head = groups[-1][0]
            head_key = _key(head.header if head.header is not None else head.rows[0])
            repeats = bool(part.rows) and _key(part.header if part.header is not None else part.rows[0]) == head_key
            if part.kind == last.kind and (repeats or _numbered_on(last, part)) and _gap_is_furniture(
                    lines, last.end, part.start):
                groups[-1].append(part)
                continue
        if len(part.rows) + (part.header is not None) >= 2:
            groups.append([part])
    return [_assemble(lines, group) for group in groups]


def _numbered_on(last: _Part, part: _Part) -> bool:
    """Does a part without a header of its own go on with the rows above it after a page break:
    as many cells, and its first row numbered next (5 → 6)?"""
    if part.header is not None or not last.rows or len(part.rows[0]) != len(last.rows[-1]):
        return False
    before, first = last.rows[-1][0].strip(" .．、"), part.rows[0][0].strip(" .．、")
    return before.isdigit() and first.isdigit() and int(first) == int(before) + 1


def table_line_numbers(tables: list[Table]) -> set[int]:
    """Source line numbers covered by tables (rows, repeated headers and page furniture between)."""
    return {n for table in tables for n in range(table.lines[0], table.lines[1] + 1)}
