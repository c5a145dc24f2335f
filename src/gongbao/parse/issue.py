"""``parse_issue``: the one public entry of the parser, from the bytes of a file to an Issue.

Stages: extract (decode, PDF, scans, Word) → normalize.clean_text → segment.segment_lines → header.get_document per
document → body structure (outline, tables, tasks) → toc.get_toc / toc.reconcile.  Links
(citations, relations, validity) are the next stage: ``gongbao.pipeline.read_issue``.
"""

from __future__ import annotations

import re
from itertools import islice

from gongbao.dates import parse_date
from gongbao.errors import InputError
from gongbao.extract import extract
from gongbao.models import Article, Document, Extracted, Gazette, Head, Issue, Line, Normalized, Notice, Segment, SourceInfo
from gongbao.parse.header import MAX_NOTE_LINES, get_document, is_note_line, read_history, read_note
from gongbao.parse.outline import parse_outline
from gongbao.parse.tables import get_tables
from gongbao.parse.tasks import get_tasks
from gongbao.parse.normalize import clean_text
from gongbao.parse.provenance import page_findings, page_range, place_lines
from gongbao.parse.patterns import CJK_CHAR, FULL_DATE, strip_spaces
from gongbao.parse.listed import find_listed
from gongbao.parse.segment import furthest_line, segment_lines
from gongbao.parse.toc import assign_sections, get_toc, match_entries, reconcile

_CONTROL_BYTES = bytes(range(0x09)) + bytes(range(0x0B, 0x20))  # the control characters but \t and \n


def _control_count(text: str) -> int:
    """How many control characters (but \t and \n) the first 64 K characters hold, counted in
    their Latin-1 bytes (every other character dropped, each control character one byte): a
    tenth of the time a pattern's class takes, tried at every character."""
    head = text[:65536].encode("latin-1", "ignore")
    return len(head) - len(head.translate(None, _CONTROL_BYTES))


def parse_issue(data: str | bytes | Extracted, path: str | None = None) -> Issue:
    """Parse a gazette issue (or a single document) into an Issue: the text of it, the bytes
    of any file ``gongbao.extract`` reads (text, PDF, scans, .docx), or what it extracted."""
    extracted = data if isinstance(data, Extracted) else extract(data)
    text = extracted.text
    warnings: list[Notice] = []
    if extracted.encoding not in (None, "utf-8"):
        warnings.append(Notice.of("decoded_as", encoding=extracted.encoding))
    warnings.extend(extracted.notices)
    if not text or text.isspace():  # text.strip() would copy the whole text
        raise InputError("the file is empty")
    if sum(1 for _ in islice(CJK_CHAR.finditer(text), 10)) < 10:
        raise InputError("no Chinese text found: this does not look like a gazette issue or an official document")
    if _control_count(text) > 100:
        raise InputError("the file is mostly control characters, not text")

    norm = place_lines(clean_text(text), extracted.lines)
    known: dict[int, Head | None] = {}  # heads read line by line: the second pass reuses them
    segments = segment_lines(norm, known=known)
    toc = get_toc(norm.lines, segments)
    listed = find_listed(norm.lines, segments, toc)
    if listed.titles or listed.labels:  # what the TOC tells about documents without banner or 文号
        segments = segment_lines(norm, listed, known)
        toc = get_toc(norm.lines, segments)
    single = not any(seg.kind == "document" for seg in segments)
    if single:
        segments = [_single_document(norm)]
        warnings.append(Notice("no_head"))
    documents = [_document(norm, seg, single) for seg in segments if seg.kind == "document"]
    if documents and documents[0].date is None:
        _read_note_above(documents[0], norm, segments)
    articles = [_article(norm, seg) for seg in segments if seg.kind != "document"]
    matches = match_entries(documents, toc)
    assign_sections(matches)
    gazette = _gazette(norm, segments)
    source = SourceInfo(
        path=path,
        sha256=extracted.sha256,
        encoding=extracted.encoding or "",  # a PDF, scan or .docx has no text encoding
        size=extracted.size,
        line_count=len(norm.source),
        kind=extracted.kind,
        pages=extracted.pages,
        text=None if extracted.kind == "text" else text,
    )
    return Issue(
        gazette=gazette,
        documents=documents,
        articles=articles,
        toc=toc,
        reconciliation=reconcile(documents, matches) + page_findings(norm, matches, extracted.pages),
        unassigned=_unassigned(norm, segments),
        source=source,
        warnings=warnings,
    )


def _document(norm: Normalized, seg: Segment, single: bool = False) -> Document:
    """One document with its body structured."""
    doc = get_document(norm, seg, alone=single)
    if single and doc.type is None:  # a law or regulation printed alone: 文种 from the end of its title
        m = _LAW_TYPE.search(strip_spaces(doc.title))
        doc.type = m.group(1) if m else None
    year = int(doc.date[:4]) if doc.date else doc.doc_number.year if doc.doc_number else None
    doc.pages = page_range(norm.lines, doc.lines)
    doc.tables = get_tables(doc.body)
    doc.outline = parse_outline(doc.body, doc.tables)
    doc.tasks = get_tasks(doc.body, doc.outline, doc.tables, context_year=year)
    return doc


_LAW_TYPE = re.compile(r"(法|条例|规定|解释|决定|办法|规则|细则|准则|意见|通知|批复|答复)$")


def _read_note_above(doc: Document, norm: Normalized, segments: list[Segment]) -> None:
    """The adoption note printed above the first document's head, outside every document (lawref
    prints a 司法解释's note between its # title and the title block of the 公报 text): the
    document's date and history when nothing under its title dates it."""
    head = next(seg.head for seg in segments if seg.kind == "document")
    above = norm.lines[: head.start]  # type: ignore[union-attr]
    n = len(above)
    while n > max(0, len(above) - MAX_NOTE_LINES) and is_note_line(above[n - 1].text):
        n -= 1
    note = " ".join(ln.text for ln in above[n:])
    history = read_history(note)
    date = read_note(note, history)[1] if note else None
    if date:
        doc.date, doc.history = date, history
        doc.warnings = [w for w in doc.warnings if w.code != "no_date"] + [Notice("date_from_note")]


def _single_document(norm: Normalized) -> Segment:
    """A file with no document head: its first title-like line is the title."""
    lines = norm.lines
    title_at = next((i for i, ln in enumerate(lines[:10]) if not ln.noise and ln.text.strip()), 0)
    return Segment("document", [(0, len(lines))], Head(start=0, end=title_at + 1, title=[title_at]))


def _article(norm: Normalized, seg: Segment) -> Article:
    lines = [norm.lines[i] for i in seg.indices]
    first = lines[0].first if lines else 0
    last = max((ln.last for ln in lines), default=0)
    text = "\n".join(ln.text for ln in lines if not ln.noise)
    return Article(kind=seg.kind, title=seg.title, lines=(first, last), text=text)  # type: ignore[arg-type]


def _unassigned(norm: Normalized, segments: list[Segment]) -> list[tuple[int, int]]:
    """Spans of non-blank source lines no segment covers (only the gaps between covered spans are read)."""
    covered = sorted(
        (norm.lines[a].first, furthest_line(norm.lines, a, b)) for seg in segments for a, b in seg.ranges if b > a
    )
    end = len(norm.source) + 1
    spans: list[tuple[int, int]] = []
    n = 1  # the first line not known to be covered
    for first, last in [*covered, (end, end)]:
        for k in range(n, first):
            if norm.source[k - 1].strip():
                _add_line(spans, k)
        n = max(n, last + 1)
    return spans


def _add_line(spans: list[tuple[int, int]], n: int) -> None:
    """Line n into the spans: the last span grows when n follows it."""
    if spans and spans[-1][1] == n - 1:
        spans[-1] = (spans[-1][0], n)
    else:
        spans.append((n, n))


# --- masthead --------------------------------------------------------------------------------

_NAME = re.compile(r"^(?P<name>[\u4e00-\u9fff]{2,30}(?:公报|政报|文告))(?=$|[（(]|\d)")
_YEAR_ISSUE = re.compile(r"(?P<year>(?:19|20)\d\d)\s*年?\s*第\s*(?P<issue>\d{1,3})\s*期")
_ISSUE = re.compile(r"(?<!总)第\s*(?P<issue>\d{1,3})\s*期")
_TOTAL = re.compile(r"总\s*第\s*(?P<total>\d{1,5})\s*期")
_YEAR_LINE = re.compile(r"^(?P<year>(?:19|20)\d\d)$")
_PUBLISHED = re.compile(rf"(?P<date>{FULL_DATE.pattern})\s*出版|出版日期\s*[：:]\s*(?P<date2>{FULL_DATE.pattern})")
_PUBLISHED_EN = re.compile(r"Published on (?P<month>[A-Z][a-z]+)\.? (?P<day>\d{1,2}), (?P<year>\d{4})")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
_LABEL = re.compile(r"^(?P<label>主管主办|主办单位|主办|编辑出版|编辑单位|编辑|出版单位|出版)[：:](?P<value>.+)$")


def _gazette(norm: Normalized, segments: list[Segment]) -> Gazette:
    """Gazette name, year, issue, total issue, publication date from the masthead and cover."""
    gazette = Gazette()
    front = _matter_lines(norm, segments)
    for line in front:
        text = line.text.strip()
        bare = strip_spaces(text)
        _read_number(gazette, bare)
        _read_published(gazette, text, bare)
        _read_label(gazette, bare)
    if gazette.published is None and gazette.issue is not None:
        # a date standing alone on the cover, near the issue number, is the publication date
        alone = [ln for ln in front[:30] if FULL_DATE.fullmatch(strip_spaces(ln.text))]
        if alone:
            gazette.published = parse_date(alone[0].text)
    if gazette.year is None and gazette.published:
        gazette.year = int(gazette.published[:4])
    return gazette


def _read_number(gazette: Gazette, bare: str) -> None:
    """Name, year, issue and total issue (the first of each the cover prints)."""
    m = _NAME.match(bare)
    if m and gazette.name is None:
        gazette.name = m.group("name")
    m = _YEAR_ISSUE.search(bare)
    if m and gazette.issue is None:
        gazette.year, gazette.issue = int(m.group("year")), int(m.group("issue"))
    elif gazette.issue is None and (m := _ISSUE.search(bare)):
        gazette.issue = int(m.group("issue"))
    m = _YEAR_LINE.match(bare)
    if m and gazette.year is None:
        gazette.year = int(m.group("year"))
    m = _TOTAL.search(bare)
    if m and gazette.total_issue is None:
        gazette.total_issue = int(m.group("total"))


def _read_published(gazette: Gazette, text: str, bare: str) -> None:
    """The publication date: …出版, 出版日期：…, a date beside the issue number, Published on …"""
    if gazette.published is not None:
        return
    m = _PUBLISHED.search(bare)
    if m:
        gazette.published = parse_date(m.group("date") or m.group("date2"))
    elif _YEAR_ISSUE.search(bare) and (dated := FULL_DATE.search(bare)):
        gazette.published = parse_date(dated.group(0))  # 2021年第6期（总第486期） 2021年3月20日
    elif (m := _PUBLISHED_EN.search(text)) and m.group("month") in _MONTHS:
        month = _MONTHS.index(m.group("month")) + 1
        gazette.published = f"{m.group('year')}-{month:02d}-{int(m.group('day')):02d}"


def _read_label(gazette: Gazette, bare: str) -> None:
    """主办 (sponsor) and 编辑 (editor) masthead labels."""
    m = _LABEL.match(bare)
    if not m:
        return
    value = m.group("value").strip()
    if m.group("label").endswith(("主办", "主办单位")) and gazette.sponsor is None:
        gazette.sponsor = value
    elif gazette.editor is None and "主办" not in m.group("label"):
        gazette.editor = value


def _matter_lines(norm: Normalized, segments: list[Segment]) -> list[Line]:
    """Lines outside documents, front first (where the masthead usually is)."""
    out: list[Line] = []
    for seg in segments:
        if seg.kind in ("masthead", "toc", "other", "editorial"):
            out.extend(norm.lines[i] for i in seg.indices)
    return out

