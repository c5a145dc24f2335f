"""The printed table of contents (目录) and document index (文件检索), and where they disagree
with the documents found in the body — the list a gazette editor checks before printing."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from gongbao.docnumber import ends_with_number, find_doc_numbers, number_after
from gongbao.models import DocNumber, Document, Finding, Line, Segment, TocEntry
from gongbao.parse.patterns import BANNER, CJK_CHAR, FULL_DATE, TITLE_TAIL, article_kind, strip_spaces, title_key

# page first ("4 标题") or last ("标题·····(1)", "标题 ······4", "标题3")
_PAGE_FIRST = re.compile(r"^(?P<page>\d{1,3})\s*(?P<title>\D.*)$")
_PAGE_LAST = re.compile(r"^(?P<title>.*?)\s*[·…．.\-—]*\s*[（(]?(?P<page>\d{1,3})[)）]?$")
_LEADERS = re.compile(r"[·…．.\-—]{2,}")
_SECTION = re.compile(r"^【\s*(?P<name>.+?)\s*】$")
_ENGLISH_ENTRY = re.compile(r"^(?P<title>[A-Z].{10,}?)\s*\((?P<page>\d{1,3})\)$")
_CAPTION = re.compile(r"^(?:封面|封二|封三|封底|插页)\s")

_SIMILAR = 0.8


def get_toc(lines: list[Line], segments: list[Segment]) -> list[TocEntry]:
    """Entries of the printed table of contents and of the 文件检索 index, in print order."""
    entries: list[TocEntry] = []
    for seg in segments:
        if seg.kind not in ("toc", "index"):
            continue
        section: str | None = None
        pending: list[Line] = []
        english: list[Line] = []  # an English entry wrapped over lines
        for n, i in enumerate(seg.indices):
            line = lines[i]
            text = _cells_as_text(line.text.strip())
            if line.noise or not text:
                continue
            if not CJK_CHAR.search(text):
                english = _english(english, line, section, seg.kind, entries)
                continue
            bare = strip_spaces(text)
            m = _SECTION.match(bare)
            header = BANNER.match(bare) and not _numbered_below(lines, seg.indices[n + 1 : n + 2])
            if m or header or article_kind(text) or _bare_label(bare, line, pending):
                section = m.group("name") if m else bare
                pending = []
                continue
            if _CAPTION.match(text) or set(text) <= set("-:| "):
                continue
            pending = _read_entry(pending, line, text, section, seg.kind, entries)
    return entries


_NUMBER_FIRST = re.compile(r"^[（(]\s*(?:(?:19|20)\d\d\s*年\s*)?第\s*\d+\s*号\s*[)）]")


def _numbered_below(lines: list[Line], below: list[int]) -> bool:
    """Is the next line an order's number in parentheses (（第9号） …… 1): then the line above is
    the first half of that order's entry, not a section label."""
    return bool(below) and bool(_NUMBER_FIRST.match(lines[below[0]].text.strip()))


def _read_entry(pending: list[Line], line: Line, text: str, section: str | None, kind: str,
                entries: list[TocEntry]) -> list[Line]:
    """The entry this line ends (with the lines pending above it) added to ``entries``; what stays
    pending: a line that may be the first half of a wrapped title."""
    row = line.text.lstrip().startswith("|") or "\t" in line.text
    if row:  # a table row (pipes or tabs) is a whole entry or none
        pending = []
    if len(pending) == 1 and kind == "toc":
        title, number = _number_after(_clean(pending[0].text))
        if number is not None and _HEADER.search(title):
            # an order's header printed without its page, over the text it promulgates
            entries.append(TocEntry(_clean(pending[0].text), None, (pending[0].first, pending[0].last), section, number))
            pending = []
    entry = _entry(pending + [line], section, kind)
    if entry is None and pending:
        entry = _entry([line], section, kind)  # what was pending was no title's first half
    if entry is not None:
        entries.append(entry)
        return []
    # a line with leaders that is no entry is debris; anything else may be wrapped
    wrapped = not _LEADERS.search(text) and not row
    return (pending + [line])[-2:] if wrapped else []


_LABEL_MAX = 8  # a section label printed bare (部令, 公告, 规范性文件) is a short line


def _english(english: list[Line], line: Line, section: str | None, kind: str, entries: list[TocEntry]) -> list[Line]:
    """An English TOC entry (over up to two lines) added to ``entries``; what stays pending."""
    whole = " ".join(ln.text.strip() for ln in english + [line])
    m = _ENGLISH_ENTRY.match(_LEADERS.sub(" ", whole).strip())
    if m and kind == "toc":
        span = ((english or [line])[0].first, line.last)
        entries.append(TocEntry(m.group("title").strip(), m.group("page"), span, section, source="toc_en"))
        return []
    return (english + [line])[-2:] if re.match(r"^[A-Z\"'(]", whole) and len(whole) > 10 else []


def _bare_label(bare: str, line: Line, pending: list[Line]) -> bool:
    """A short line with no page, no leaders and nothing pending above it: a TOC section label."""
    return not pending and len(bare) <= _LABEL_MAX and not re.search(r"\d|[·…．.]{2,}", bare) and "\t" not in line.text


def _cells_as_text(text: str) -> str:
    """A markdown table row of a TOC read as a line of text: | 栏目 | 标题 | 4 | → 标题 4.
    Of several cells the one that reads as a title is the title; a number is the page."""
    if not text.startswith("|"):
        return text
    cells = [c.strip() for c in text.strip("|").split("|") if c.strip()]
    titled = [c for c in cells if _titled(c)]
    if titled:
        pages = [c for c in cells if re.fullmatch(r"[（(]?\d{1,3}[)）]?", c)]
        return "  ".join([max(titled, key=len), *pages[-1:]])
    return "  ".join(cells)


def _entry(parts: list[Line], section: str | None, kind: str) -> TocEntry | None:
    text = "".join(strip_spaces(_cells_as_text(p.text)) for p in parts)
    span = (parts[0].first, parts[-1].last)
    if kind == "index":
        found = find_doc_numbers(text)
        if not found:
            return None
        number, start, end = found[-1]
        title = re.sub(r"[（(\[［【]\s*$", "", text[:start]).strip()
        if len(title) < 6:  # 文号 first: 文号 | 标题 | 成文日期
            title = re.sub(rf"^[)）\]］】\s]*|{FULL_DATE.pattern}$|[\d\-./]{{8,10}}$", "", text[end:]).strip()
        if not TITLE_TAIL.search(title):
            return None
        return TocEntry(title, None, span, section, number, source="index")
    text = _LEADERS.sub(" ", text).strip()
    m = _PAGE_FIRST.match(text)
    if not m:
        m = _PAGE_LAST.match(text)
    title, page = (m.group("title"), m.group("page")) if m else (text, None)
    printed = _clean(title)
    title, number = _number_after(printed)
    if not _titled(title) and not (m and article_kind(title)):
        return None  # an entry names a document, or a part that is none (文件检索 …… 18)
    if number is not None and _HEADER.search(title):
        title = printed  # 中华人民共和国国务院令（第158号）: an order's header is named with its number
    if m:
        return TocEntry(title, page, span, section, number)
    if len(parts) == 1 and _LEADERS.search(parts[0].text):
        return TocEntry(title, None, span, section, number)  # dot leaders, page lost
    return None


_HEADER = re.compile(r"(?:令|公告)$")


def _number_after(title: str) -> tuple[str, DocNumber | None]:
    """关于…的通知（宁府办发〔2021〕44号） / …办法（宁川市人民政府令第18号）: the entry's 文号 apart."""
    return number_after(title) or (title, None)


def _titled(text: str) -> bool:
    bare = _clean(text)
    return len(bare) >= 6 and bool(TITLE_TAIL.search(bare) or bare.endswith("目录") or ends_with_number(bare))


def _clean(text: str) -> str:
    return strip_spaces(_LEADERS.sub("", text)).strip("·…．.-— ")


# --- reconciliation --------------------------------------------------------------------------


def _names(doc: Document) -> list[str]:
    """What a TOC may call a document: its title, a text it issues, or (for a 令) its number."""
    return [doc.title] + [e.title for e in doc.embedded] + ([str(doc.doc_number)] if doc.doc_number else [])


Match = tuple[TocEntry, "Document | None", float]


def match_entries(documents: list[Document], entries: list[TocEntry]) -> list[Match]:
    """Each TOC / index entry with the document it names (by 文号, else by title) and how
    similar the titles are (1.0 = the same after removing spaces and punctuation).

    Exact matches are made first; a near match only takes a document no entry of the same
    list names exactly, so two similar titles are not both given to one document."""
    if not entries:
        return []  # no TOC (a law printed alone): the documents' title keys are not needed
    keyed = [(doc, {title_key(n) for n in _names(doc)}) for doc in documents]
    found: dict[int, tuple[Document | None, float]] = {}
    taken: dict[str, set[int]] = {}
    for k, entry in enumerate(entries):
        doc, ratio = _exact(entry, keyed)
        if doc is not None:
            found[k] = (doc, ratio)
            taken.setdefault(entry.source, set()).add(id(doc))
    for k, entry in enumerate(entries):
        if k not in found:
            free = [(d, keys) for d, keys in keyed if id(d) not in taken.get(entry.source, set())]
            found[k] = _nearest(entry, free)
    return [(entry, *found[k]) for k, entry in enumerate(entries)]


def _exact(entry: TocEntry, keyed: list[tuple[Document, set[str]]]) -> tuple[Document | None, float]:
    key = title_key(entry.title)
    if entry.doc_number is not None:
        for doc, keys in keyed:
            if doc.doc_number == entry.doc_number:
                return doc, 1.0 if key in keys else 0.99
    for doc, keys in keyed:
        if key in keys:
            return doc, 1.0
    return None, 0.0


def _nearest(entry: TocEntry, keyed: list[tuple[Document, set[str]]]) -> tuple[Document | None, float]:
    best: tuple[Document | None, float] = (None, 0.0)
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(title_key(entry.title))
    for doc, keys in keyed:
        for other in keys:
            matcher.set_seq1(other)
            if matcher.real_quick_ratio() > best[1] and matcher.quick_ratio() > best[1]:
                ratio = matcher.ratio()
                if ratio > best[1]:
                    best = (doc, ratio)
    return best


def _english_differs(entries: list[TocEntry]) -> list[Finding]:
    """The English table of contents should list the same pages as the Chinese one."""
    chinese = {e.page for e in entries if e.source == "toc" and e.page}
    english = {e.page for e in entries if e.source == "toc_en" and e.page}
    if not chinese or not english or chinese == english:
        return []
    only_cn = sorted(chinese - english, key=int)
    only_en = sorted(english - chinese, key=int)
    detail = "; ".join(
        part for part in (
            f"pages only in the Chinese TOC: {', '.join(only_cn)}" if only_cn else "",
            f"pages only in the English TOC: {', '.join(only_en)}" if only_en else "",
        ) if part
    )
    return [Finding("english_toc_differs", detail)]


def assign_sections(matches: list[Match]) -> None:
    """Each document takes the section (市政府文件, 部门文件…) its TOC entry is printed under."""
    for entry, doc, ratio in matches:
        if entry.source == "toc" and entry.section and doc is not None and ratio >= _SIMILAR and doc.section is None:
            doc.section = entry.section


def _names_a_document(entry: TocEntry) -> bool:
    """Not a list (…目录) or a part that is no document (文件检索)."""
    return not entry.title.endswith("目录") and not article_kind(entry.title)


def reconcile(documents: list[Document], matches: list[Match]) -> list[Finding]:
    """Where the printed TOC and index disagree with the documents found in the body."""
    findings = _english_differs([e for e, _, _ in matches])
    for source in ("toc", "index"):
        listed = [(e, d, r) for e, d, r in matches if e.source == source and _names_a_document(e)]
        if not listed:
            continue
        matched: set[int] = set()
        for entry, doc, ratio in listed:
            if doc is None or ratio < _SIMILAR:
                findings.append(Finding("missing_in_body", f"{source} entry not found in the body: {entry.title}"
                                        + (f" ({entry.doc_number})" if entry.doc_number else "")
                                        + f" [line {entry.lines[0]}]"))
                continue
            matched.add(id(doc))
            label = str(doc.doc_number) if doc.doc_number else doc.title
            if ratio < 1.0 and entry.doc_number is None:
                findings.append(Finding("title_differs", f"{label}: {source} reads {entry.title}; body reads {doc.title}"))
            if entry.doc_number is not None and doc.doc_number is not None and entry.doc_number != doc.doc_number:
                findings.append(Finding("doc_number_differs", f"{doc.title}: {source} gives {entry.doc_number}, body {doc.doc_number}"))
        for doc in documents:
            if id(doc) not in matched:
                label = f"{doc.doc_number} {doc.title}" if doc.doc_number else doc.title
                findings.append(Finding(f"missing_in_{source}", f"document not listed in the {source}: {label}"))
    return findings
