"""Cut the normalised lines of an issue into official documents and other parts.

A document starts at its head: any of a red-header banner (…人民政府文件 / …令), stacked
issuer lines, a title, and a 文号 (or 令 number), in the orders GB/T 9704 and gazette
typesetting produce.  It runs until the next head or the next non-document part (政务要闻,
文件检索, masthead fields…).  Text around the documents is classified into articles, and
pieces printed elsewhere (下转 / 上接) are moved back to the document they belong to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongbao.docnumber import number_after, number_line
from gongbao.models import DocNumber, Line, Normalized, TocEntry
from gongbao.parse.patterns import (
    ARTICLE_HEADINGS,
    ATTACHMENT_LABEL,
    NEWS_SECTION,
    ENDS_WITH_DATE,
    FULL_DATE,
    LADDER_START,
    BANNER,
    ORGAN_TAIL,
    PAGE_LEADER_END,
    TITLE_TAIL,
    strip_spaces,
    title_key,
)

_TITLE_MAX = 120
_HEAD_REACH = 4  # lines a head may extend before or after its 文号
_TITLE_LINES = 4  # a title wraps onto at most this many lines
_STACKED_ORGANS = 8  # organ lines a joint red header stacks above its 文件 line
_SHORT_TAIL = 12  # the last line of a wrapped title, when it is all that stands above the 文号
_TABLE_ROW = re.compile(r"^\s*\||\t")
_SENTENCE_MARK = re.compile(r"[。；！？：:，,]")


@dataclass(slots=True)
class Head:
    """Where the parts of a document's head are, as indices into the normalised lines."""

    start: int
    end: int  # exclusive: first index after the head
    banner: int | None = None
    number: int | None = None
    title: list[int] = field(default_factory=list)
    issuer_lines: list[int] = field(default_factory=list)
    doc_number: DocNumber | None = None


@dataclass(slots=True)
class Segment:
    kind: str  # "document" or an article kind
    ranges: list[tuple[int, int]]  # [start, end) index ranges into the normalised lines
    head: Head | None = None
    title: str | None = None

    @property
    def indices(self) -> list[int]:
        return [i for a, b in self.ranges for i in range(a, b)]


def segment_lines(norm: Normalized, listed: Listed | None = None) -> list[Segment]:
    """Documents and articles of an issue, in reading order, with continuations stitched.

    ``listed`` is what the printed TOC tells (``find_listed``): titles of documents that have
    neither banner nor 文号, and the TOC's section labels where the body prints them.
    """
    lines = norm.lines
    listed = listed or Listed()
    heads = _find_heads(lines, listed)
    stops = _article_starts(lines, heads)
    stops.update({i: "other" for i in listed.labels if i not in stops and all(i != h.start for h in heads)})
    segments: list[Segment] = []
    boundaries = sorted({h.start for h in heads} | set(stops) | {len(lines)})
    head_at = {h.start: h for h in heads}
    front_end = boundaries[0] if boundaries else len(lines)
    if front_end > 0:
        segments.extend(_classify_matter(lines, 0, front_end))
    for a, b in zip(boundaries, boundaries[1:]):
        if a in head_at:
            segments.append(Segment("document", [(a, b)], head_at[a]))
        else:
            segments.extend(_classify_matter(lines, a, b, kind=stops[a]))
    _stitch(segments, norm.continuations)
    return _merge_adjacent_articles(segments)


def furthest_line(lines: list[Line], a: int, b: int) -> int:
    """The last source line a range of normalised lines covers (a joined paragraph may reach
    past the furniture lines printed after it)."""
    return max(ln.last for ln in lines[a:b])


def _merge_adjacent_articles(segments: list[Segment]) -> list[Segment]:
    """A part whose heading is repeated on every page (政务要闻) is still one part."""
    out: list[Segment] = []
    for seg in segments:
        prev = out[-1] if out else None
        if prev and seg.kind == prev.kind and seg.kind != "document" and prev.ranges[-1][1] == seg.ranges[0][0]:
            prev.ranges[-1] = (prev.ranges[-1][0], seg.ranges[-1][1])
            continue
        out.append(seg)
    return out


# --- heads -------------------------------------------------------------------------------


def _bare(line: Line) -> str:
    return strip_spaces(line.text)


def _is_banner(text: str) -> bool:
    m = BANNER.match(text)
    if not m:
        return False
    organ = strip_spaces(m.group("organ"))
    if m.group("kind") == "文件":
        return bool(ORGAN_TAIL.search(organ)) and len(organ) >= 4
    return bool(ORGAN_TAIL.search(organ)) and m.group("kind") in ("令", "公告")


def is_title(text: str) -> bool:
    """A line that reads as a document title: ends with a 文种, no sentence punctuation."""
    bare = strip_spaces(text)
    if not bare or len(bare) > _TITLE_MAX or re.search(r"[。；！？：:]", bare):
        return False
    if re.match(r"^[（(]?[一二三四五六七八九十\d]+[、．.）)]", bare) or bare.startswith("第"):
        return False
    if _TOC_ENTRY.search(text.strip()) or re.match(r"^\d{1,3}(?![\d年月日号.．、])", bare):
        return False  # a table-of-contents entry with its page number
    return bool(TITLE_TAIL.search(bare)) and len(bare) >= 4


_TITLE_OPENING = re.compile(r"关于|转发|批转|印发|转送")


def _is_issuer_line(text: str) -> bool:
    """Organ names only: a line holding 关于 or 转发 is the first part of a title, whatever it ends with."""
    bare = strip_spaces(text)
    return (
        3 <= len(bare) <= 60
        and bool(ORGAN_TAIL.search(bare))
        and not re.search(r"[，。；：]", bare)
        and not _TITLE_OPENING.search(bare)
    )


def _opens_title(text: str, title: str) -> bool:
    """Is ``text`` the first half of a wrapped title: it holds the 关于 the rest lacks, or the 转发
    before a rest that starts with 关于 (…转发市住房城乡建设委 / 关于…的通知)?"""
    if "关于" in text:
        return "关于" not in title
    return bool(_TITLE_OPENING.search(text)) and title.startswith("关于")


def _content(lines: list[Line], i: int, step: int, limit: int) -> list[int]:
    """Up to ``limit`` indices of non-noise lines from i in direction step."""
    out: list[int] = []
    while 0 <= i < len(lines) and len(out) < limit:
        if not lines[i].noise:
            out.append(i)
        i += step
    return out


def _find_heads(lines: list[Line], listed: Listed) -> list[Head]:
    heads: list[Head] = []
    taken: set[int] = set()
    for i, line in enumerate(lines):
        if line.noise or i in taken:
            continue
        number = number_line(line.text)
        banner = _is_banner(_bare(line)) or _bare(line) in _BANNER_WORDS and _banner_top(lines, i) < i
        if banner and i in listed.labels and not _number_under(lines, i):
            banner = False  # a TOC section label (区政府办公室文件) printed above a title, not a red header
        if number is None and not banner:
            head = _head_from_titled_number(lines, i) or _head_from_title(
                lines, i, listed.titles.get(i), heads[-1].start if heads else 0
            )
            if head is None:
                continue
        elif banner:
            head = _head_from_banner(lines, i)
        else:
            head = _head_from_number(lines, i, number)
        if head is None:
            continue
        if head.banner in listed.labels and not _number_under(lines, head.banner):
            # the line above is the TOC section label printed in the body, not this document's red header
            head.banner = None
            head.start = min(k for k in (*head.title, *head.issuer_lines, head.number) if k is not None)
        if heads and head.start < heads[-1].end:
            continue  # a 文号 inside the head just found (index lists, covering text)
        if heads and head.title and _approved_by(lines, heads[-1], head):
            continue  # the 条例 a 批准 决定 approves, printed after it with its own note
        if heads and head.title and _follows_signature(lines, head.start) and (
            _quoted_between(lines, heads[-1].start, head.start, head.title)
            or _quoted_between(lines, heads[-1].start, head.start, [*head.issuer_lines, *head.title])
        ):
            continue  # a forwarded text (转发) printed with its own 文号 belongs to the covering notice
        heads.append(head)
        taken.update(range(head.start, head.end))
    ends = [h.start for h in heads[1:]] + [len(lines)]
    return [h for h, end in zip(heads, ends) if _has_body(lines, h, end)]


_BODY_MARK = re.compile(r"[。；！？]|[：:]$")


def _has_body(lines: list[Line], head: Head, end: int) -> bool:
    """A document has text under its head before the next one: a sentence, or an addressee.
    Index rows and TOC entries that look like heads have none."""
    return any(_BODY_MARK.search(lines[j].text.strip()) for j in _content(lines, head.end, 1, 12) if j < end)


_ADOPTED = re.compile(r"^[（(]\s*(?:19|20)\d\d\s*年[^()（）]{0,200}[)）]$")  # （2021年3月31日…通过）
_SIGNED = re.compile(ENDS_WITH_DATE.pattern + r"|^[（(]\s*此\s*件")


def _follows_signature(lines: list[Line], i: int) -> bool:
    """Is line i right after a signature date: the text a covering notice issues, not a new document?"""
    return any(
        _SIGNED.search(strip_spaces(lines[j].text)) and len(lines[j].text) < 60
        for j in _content(lines, i - 1, -1, 2)
    )


def split_titled_number(text: str) -> tuple[str, DocNumber] | None:
    """重庆市人民政府关于…的通知（渝府发〔2021〕1号） → (title, 文号)."""
    found = number_after(text)
    if found is None or found[1].year is None or not is_title(found[0]):
        return None
    return found


def _head_from_titled_number(lines: list[Line], i: int) -> Head | None:
    """A title printed with its 文号 in parentheses after it, as some gazettes do.  Lines of
    that shape in a row are an index (文件检索), not documents."""
    found = split_titled_number(lines[i].text)
    if found is None:
        return None
    neighbours = _content(lines, i - 1, -1, 1) + _content(lines, i + 1, 1, 1)
    if any(split_titled_number(lines[j].text) for j in neighbours):
        return None
    return Head(start=i, end=i + 1, title=[i], doc_number=found[1])


def _head_from_title(lines: list[Line], i: int, listed_end: int | None, previous: int) -> Head | None:
    """A document with neither banner nor 文号: a title the TOC lists, or one followed by the
    line saying when it was adopted (人大常委会 decisions, 规章 printed without their 令).

    Right after a signature such a title is the text the covering document issues, unless the
    TOC lists it and the covering document never names it."""
    if listed_end is not None:
        title = list(range(i, listed_end))
        if not _quoted_between(lines, previous, i, title):
            return Head(start=i, end=title[-1] + 1, title=title)
    elif is_title(lines[i].text):
        after = _content(lines, i + 1, 1, 1)
        if not after or not _ADOPTED.match(strip_spaces(lines[after[0]].text)):
            return None
        title = _with_first_half(lines, [i])
    else:
        return None
    if _follows_signature(lines, title[0]):
        return None
    return Head(start=title[0], end=title[-1] + 1, title=title)


def _approved_by(lines: list[Line], previous: Head, head: Head) -> bool:
    """Is ``head`` the text the previous document's title says it approves (关于批准《…》的决定)?"""
    said = "".join(lines[i].text for i in previous.title)
    key = title_key("".join(lines[i].text for i in head.title))
    return "批准" in said and any(title_key(q) == key for q in re.findall(r"《([^《》]{2,100})》", said))


def _with_first_half(lines: list[Line], title: list[int]) -> list[int]:
    """The title with the line above it when that line is its first half (…关于… / …工作的决议)."""
    above = _content(lines, title[0] - 1, -1, 1)
    if not above or lines[title[0]].first - lines[above[0]].last != 1:
        return title
    text, rest = _bare(lines[above[0]]), "".join(_bare(lines[k]) for k in title)
    if title_piece(text) and _opens_title(text, rest) and is_title(text + rest):
        return [above[0], *title]
    return title


def _quoted_between(lines: list[Line], start: int, end: int, title: list[int]) -> bool:
    key = title_key("".join(lines[i].text for i in title))
    quoted = "".join(lines[j].text for j in range(start, end))
    return any(title_key(q) == key for q in re.findall(r"《([^《》]{2,100})》", quoted))


@dataclass(slots=True)
class Listed:
    """What the printed TOC says about the body: title lines of documents without banner or
    文号 (first index → index after the last), and lines that print a TOC section label."""

    titles: dict[int, int] = field(default_factory=dict)
    labels: set[int] = field(default_factory=set)


def find_listed(lines: list[Line], segments: list[Segment], entries: list[TocEntry]) -> Listed:
    """Body lines that carry a title the TOC lists but no head has, and section labels.
    Entries of news sections (政务要闻, 政务信息…) name news items, not documents."""
    heads = [seg.head for seg in segments if seg.head]
    named = {title_key("".join(lines[i].text for i in h.title)) for h in heads}
    named |= {title_key("".join(lines[i].text for i in [*h.issuer_lines, *h.title])) for h in heads}
    in_heads = {i for h in heads for i in range(h.start, h.end)}
    # a banner with its 文号 right under it is a red header, whatever the TOC calls its section
    red_headers = {h.banner for h in heads if h.banner is not None and h.number is not None and _number_under(lines, h.banner)}
    documents = [e for e in entries if e.source == "toc" and not (e.section and NEWS_SECTION.search(e.section))]
    wanted = {title_key(e.title) for e in documents} - named
    sections = {title_key(e.section) for e in entries if e.section and e.source == "toc"}
    longest = 2 * max((len(e.title) for e in entries), default=0) + 10
    listed = Listed()
    for seg in segments:
        if seg.kind not in ("document", "other", "editorial"):
            continue
        # only lines short enough to be (part of) a title or a label are compared
        indices = [i for i in seg.indices if not lines[i].noise and len(lines[i].text) <= longest]
        for k, i in enumerate(indices):
            one = title_key(lines[i].text)
            if one in sections and len(one) <= 20 and article_kind(lines[i].text) != "toc":  # 目录 labels nothing
                if i not in red_headers:
                    listed.labels.add(i)  # a banner-like label above a title: the next pass decides
            elif i in in_heads:
                continue
            elif one in wanted:
                listed.titles[i] = i + 1
            elif k + 1 < len(indices) and one + title_key(lines[indices[k + 1]].text) in wanted:
                listed.titles[i] = indices[k + 1] + 1
    return listed


def title_piece(text: str) -> bool:
    """A line that can be part of a title set on several lines: short, no sentence marks."""
    bare = strip_spaces(text)
    return (
        0 < len(bare) <= 60
        and not _SENTENCE_MARK.search(bare)
        and not (bare[0] in "（(" and bare[-1] in "）)")
        and not FULL_DATE.search(bare)
        and not _SIGNED.search(bare)
        and not _is_banner(bare)
        and not _TOC_ENTRY.search(text.strip())
    )


def _title_after(lines: list[Line], i: int) -> list[int]:
    """The title below a 文号 or banner: one line, or up to four wrapped lines ending in a 文种."""
    after = _content(lines, i + 1, 1, _TITLE_LINES)
    block: list[int] = []
    for j in after:
        text = lines[j].text
        if is_title(text) and not block:
            return [j]
        if not title_piece(text) or number_line(lines[j].text) is not None:
            return []
        block.append(j)
        if len(block) > 1 and is_title("".join(lines[k].text for k in block)):
            return block
    return []


def _title_before(lines: list[Line], i: int) -> tuple[list[int], list[int]]:
    """Title lines and stacked issuer lines printed above a 文号."""
    before = _content(lines, i - 1, -1, 2 * _HEAD_REACH)
    if not before:
        return [], []
    title = [before[0]]
    if not is_title(lines[before[0]].text):
        # 国务院关于…改革的 / 意见 : a title whose last line is only its 文种
        for n in (2, 3):
            pieces = before[:n][::-1]
            if (
                len(pieces) == n
                and len(_bare(lines[pieces[-1]])) <= _SHORT_TAIL
                and all(title_piece(lines[k].text) and not LADDER_START.match(lines[k].text) for k in pieces)
                and is_title("".join(lines[k].text for k in pieces))
            ):
                title = pieces
                break
        else:
            return [], []
    issuers: list[int] = []
    for j in before[len(title) :] if len(title) > 1 else before[1:]:
        text = lines[j].text
        if _is_banner(_bare(lines[j])):
            break
        if _is_issuer_line(text) and not is_title(text):
            issuers.insert(0, j)
            continue
        # the first half of a wrapped title holds its 关于; a title that has it is complete
        wrapped = (
            title[0] - j <= 2
            and not issuers
            and title_piece(text)
            and _opens_title(strip_spaces(text), "".join(_bare(lines[k]) for k in title))
            and not _TABLE_ROW.search(text)
        )
        if wrapped and len(title) < _TITLE_LINES and is_title("".join(lines[k].text for k in [j, *title])):
            title.insert(0, j)  # the first half of a title wrapped onto two lines
            continue
        break
    return title, issuers


def _head_from_number(lines: list[Line], i: int, number: DocNumber | None) -> Head | None:
    head = Head(start=i, end=i + 1, number=i, doc_number=number)
    before = _content(lines, i - 1, -1, 1)
    if before and _is_banner(_bare(lines[before[0]])):
        head.banner = before[0]
        head.start = before[0]
    title = _title_after(lines, i)
    if title:
        head.title = title
        head.end = title[-1] + 1
        if head.banner is None:
            head.start = _marks_top(lines, i)
    elif head.banner is None:
        title, issuers = _title_before(lines, i)
        if not title and _bare(lines[i])[:1] in "（(":
            return None  # （粤府〔2016〕65号） under a list item: the end of a citation, not a head
        if not title:
            keep = number is not None and (number.year is not None or number.prefix.endswith("令"))
            return head if keep else None
        head.title = title
        head.issuer_lines = issuers
        head.start = min([*title, *issuers])
        banner = _content(lines, head.start - 1, -1, 1)
        if banner and _is_banner(_bare(lines[banner[0]])):
            head.banner = banner[0]
            head.start = banner[0]
    return head


# the word of a red header printed alone under its stacked organ lines (…常务委员会 / 公  告)
_BANNER_WORDS = ("文件", "公告", "令")


def _banner_top(lines: list[Line], i: int) -> int:
    """A joint red header is stacked: organ lines printed right above the …文件 line are part
    of it (中共某某省委办公厅 / 某某省人民政府办公厅文件)."""
    top = i
    for j in _content(lines, i - 1, -1, _STACKED_ORGANS):
        if lines[top].first - lines[j].last != 1 or not _is_issuer_line(lines[j].text):
            break
        top = j
    return top


def _number_under(lines: list[Line], i: int) -> bool:
    """Is the 文号 printed right under this line, as under a red header (GB/T 9704 7.2.2)?"""
    return any(number_line(lines[j].text) is not None for j in _content(lines, i + 1, 1, 1))


_URGENCY = re.compile(r"^(?:特急|加急|急件|平急|特提|密件|秘密|机密)(?:[★☆·\s]*\S{0,6})?$")


def _marks_top(lines: list[Line], i: int) -> int:
    """Organ names, a 纪要 header or an urgency mark printed right above a 文号 (without a …文件
    banner) belong to the document that 文号 starts."""
    top = i
    for j in _content(lines, i - 1, -1, _STACKED_ORGANS):
        text = _bare(lines[j])
        if lines[top].first - lines[j].last > 2 or not (
            _is_issuer_line(lines[j].text) or _URGENCY.match(text) or text.endswith("纪要") and len(text) <= 40
        ):
            break
        top = j
    return top


def _head_from_banner(lines: list[Line], i: int) -> Head | None:
    after = _content(lines, i + 1, 1, 3)
    for j in after[:2]:
        number = number_line(lines[j].text)
        if number is None:
            continue
        if not number.prefix:  # 令 banner + 第340号, 公告 banner + 2021年第5号 / （第85号）
            prefix = "".join(_bare(lines[k]) for k in range(_banner_top(lines, i), i + 1) if not lines[k].noise)
            number = DocNumber(prefix=prefix, year=number.year, serial=number.serial)
        head = _head_from_number(lines, j, number)
        if head is not None:
            head.banner = i
            head.start = _banner_top(lines, i)
            return head
    title = _title_after(lines, i)
    if not title:
        return None
    return Head(start=_banner_top(lines, i), end=title[-1] + 1, banner=i, title=title)


# --- where documents end -------------------------------------------------------------------


def article_kind(text: str) -> str | None:
    bare = strip_spaces(text)
    for kind, pattern in ARTICLE_HEADINGS:
        if pattern.match(bare):
            return kind
    return None


def _article_starts(lines: list[Line], heads: list[Head]) -> dict[int, str]:
    """Indices after the first document where a non-document part begins."""
    if not heads:
        return {}
    starts: dict[int, str] = {}
    in_head = {i for h in heads for i in range(h.start, h.end)}
    for i in range(heads[0].end, len(lines)):
        if i in in_head or lines[i].noise:
            continue
        kind = article_kind(lines[i].text)
        if kind in ("index", "toc") and _annexed(lines, i):
            continue  # a list a document carries (废止的规范性文件目录), not the gazette's index
        if kind == "toc" and _own_contents(lines, i):
            continue  # a regulation's or a plan's own 目录
        if kind in ("news", "index", "editorial", "toc", "other") or kind == "masthead" and _masthead_run(lines, i):
            starts[i] = kind
    return starts


_CHAPTER = re.compile(r"^第[一二三四五六七八九十百零〇\d]+[章编]")
_SECTION_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\s+\S")  # 1  总则 / 1.1  编制目的
_OWN_ENTRY = 20  # a heading of a document's own 目录 is short


def _own_contents(lines: list[Line], i: int) -> bool:
    """A 目录 that lists a document's own chapters or numbered sections (第一章 总则, 1 总则,
    1.1 编制目的) without page numbers, not the gazette's table of contents."""
    following = _content(lines, i + 1, 1, 2)
    return bool(following) and all(
        _CHAPTER.match(_bare(lines[j]))
        or _SECTION_NUMBER.match(lines[j].text.strip())
        and len(_bare(lines[j])) <= _OWN_ENTRY
        and not re.search(PAGE_LEADER_END, lines[j].text)
        for j in following
    )
_ANNEX_LIST = re.compile(r"废止|失效|保留|修改|清理|继续有效|宣布")


def _annexed(lines: list[Line], i: int) -> bool:
    """Is this list heading part of a document: an attachment, or a list of what it repeals?"""
    if _ANNEX_LIST.search(lines[i].text):
        return True
    before = _content(lines, i - 1, -1, 1)
    return bool(before) and bool(ATTACHMENT_LABEL.match(strip_spaces(lines[before[0]].text)))


def _masthead_run(lines: list[Line], i: int) -> bool:
    """A masthead block: several 'label：value' lines in a row (主管单位, 主办单位, 地址…)."""
    run = _content(lines, i, 1, 3)
    return sum(bool(re.match(r"^[^\s：:]{2,8}\s*[：:]", lines[j].text)) for j in run) >= 2


# --- non-document parts --------------------------------------------------------------------

_TOC_ENTRY = re.compile(
    PAGE_LEADER_END + r"|\s[（(]\d{1,3}[)）]$|^\d{1,3}(?![\d年月日号.．、])\s*[\u4e00-\u9fff]"
)
_MASTHEAD_LINE = re.compile(
    r"公报$|^[（(]?(?:月刊|双月刊|半月刊|季刊|旬刊|周刊)[)）]?$|第\s*\d+\s*期|总第\s*\d+\s*期|出版|"
    r"^[^\s：:]{2,10}\s*[：:]|^[A-Z][A-Z '\-.,()0-9]+$|^\d{4}$|内部资料|免费交流|赠阅"
)


def _line_kind(line: Line) -> str:
    if line.noise:
        return "short"  # furniture belongs to the part it is printed in
    text = line.text.strip()
    bare = strip_spaces(text)
    heading = article_kind(text)
    if heading:
        return heading
    if _TOC_ENTRY.search(text) or re.match(r"^【.*】$", bare):
        return "toc"
    if _MASTHEAD_LINE.search(text):
        return "masthead"
    if len(bare) >= 40 and re.search(r"[。，]", bare):
        return "prose"
    return "short"


def _classify_matter(lines: list[Line], a: int, b: int, kind: str | None = None) -> list[Segment]:
    """Split a stretch of non-document lines into articles by the kind of their lines."""
    if kind in ("news", "index", "editorial", "other"):
        return [Segment(kind, [(a, b)], title=strip_spaces(lines[a].text))]
    kinds = [_line_kind(lines[i]) for i in range(a, b)]
    for offset, k in enumerate(kinds):
        # a heading followed by entries is a section label of the table of contents
        following = [x for x in kinds[offset + 1 : offset + 3] if x != "short"]
        if k in ("news", "index", "editorial") and following[:1] == ["toc"]:
            kinds[offset] = "toc"
    # prose and short lines take the kind of the part they are in
    runs: list[list] = []
    for offset, k in enumerate(kinds):
        i = a + offset
        if k == "prose":
            k = "editorial"
        if k == "short":
            k = runs[-1][0] if runs else "other"
        if runs and runs[-1][0] == k:
            runs[-1][2] = i + 1
        else:
            runs.append([k, i, i + 1])
    out: list[Segment] = []
    for k, s, e in runs:
        title = next((strip_spaces(lines[i].text) for i in range(s, e) if not lines[i].noise), None)
        out.append(Segment(k, [(s, e)], title=title))
    return _merge_short_runs(out, lines)


def _merge_short_runs(segments: list[Segment], lines: list[Line]) -> list[Segment]:
    """One stray line before an editorial is its title; neighbours of one kind are one part."""
    merged: list[Segment] = []
    for seg in segments:
        (s, e), = seg.ranges
        if seg.kind == "editorial" and merged and merged[-1].kind == "other":
            stray = merged.pop()
            seg = Segment("editorial", [(stray.ranges[0][0], e)], title=stray.title)
        if merged and merged[-1].kind == seg.kind:
            merged[-1].ranges[0] = (merged[-1].ranges[0][0], e)
            continue
        merged.append(seg)
    return merged


# --- 下转 / 上接 -----------------------------------------------------------------------------


def _stitch(segments: list[Segment], pairs: list[tuple[int, int]]) -> None:
    """Move each piece that starts at a 上接 line to the document its 下转 line is in."""
    for down, up in pairs:
        source = _segment_of(segments, down)
        target = _segment_of(segments, up)
        if source is None or target is None or source is target or source.kind != "document":
            continue
        for r, (a, b) in enumerate(target.ranges):
            if a <= up < b:
                source.ranges.append((up, b))
                if up > a:
                    target.ranges[r] = (a, up)
                else:
                    target.ranges.pop(r)
                break


def _segment_of(segments: list[Segment], index: int) -> Segment | None:
    for seg in segments:
        if any(a <= index < b for a, b in seg.ranges):
            return seg
    return None
