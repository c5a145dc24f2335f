"""Document heads: where each official document starts and what its head holds.

A head is any of a red-header banner (…人民政府文件 / …令 / …公告, its organ lines stacked above
it), stacked issuer lines, a title and a 文号 (or 令 number), in the orders GB/T 9704 and gazette
typesetting produce; or a title the TOC lists, or a title above the note saying when it was
adopted.  ``find_heads`` is the stage; the others are the shapes it recognises.
"""

from __future__ import annotations

import re
from dataclasses import replace

from gongbao.docnumber import may_be_number_line, number_after, number_line
from gongbao.models import DocNumber, Head, Line, Listed
from gongbao.parse.patterns import (
    ENDS_WITH_DATE,
    FULL_DATE,
    LADDER_START,
    BANNER,
    EndPattern,
    ORGAN_TAIL,
    PAGE_LEADER_END,
    TITLE_TAIL,
    article_kind,
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
_TOC_TAIL = EndPattern(PAGE_LEADER_END + r"|\s[（(]\d{1,3}[)）]$", "·…)）", decimal=True)
_TOC_NUMBERED = re.compile(r"\d{1,3}(?![\d年月日号.．、])\s*[\u4e00-\u9fff]")
# compiled once: every line that may be a title or an issuer line reads them
_TITLE_BREAKER = re.compile(r"[。；！？：:]")
_NUMBERED_START = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[、．.）)]")
_PAGE_FIRST = re.compile(r"^\d{1,3}(?![\d年月日号.．、])")
_CLAUSE_MARK = re.compile(r"[，。；：]")


def is_toc_entry(text: str) -> bool:
    """A table-of-contents entry: leaders and a page number at its end, or a number before its title."""
    return bool(_TOC_TAIL.search(text) or _TOC_NUMBERED.match(text))


def may_be_toc_entry(text: str) -> bool:
    """False when ``is_toc_entry(text)`` is False for sure: it starts with no digit (\\d is what
    str.isdecimal accepts) and its last character ends no page."""
    return text[:1].isdecimal() or _TOC_TAIL.may_end(text)


def bare_text(line: Line) -> str:
    return strip_spaces(line.text)


def is_banner(text: str) -> bool:
    m = BANNER.match(text)
    if not m:
        return False
    organ = strip_spaces(m.group("organ"))
    if m.group("kind") == "文件":
        return bool(ORGAN_TAIL.search(organ)) and len(organ) >= 4
    return bool(ORGAN_TAIL.search(organ)) and m.group("kind") in ("令", "公告")


def _short_banner(text: str) -> bool:
    """国务院文件, 水利部文件: a banner whose organ has a short name; it counts only with its 文号
    right under it (a short …文件 line alone is too often a phrase)."""
    m = BANNER.match(text)
    return bool(m) and m.group("kind") == "文件" and bool(ORGAN_TAIL.search(strip_spaces(m.group("organ"))))


def is_title(text: str) -> bool:
    """A line that reads as a document title: ends with a 文种, no sentence punctuation."""
    bare = strip_spaces(text)
    if not 4 <= len(bare) <= _TITLE_MAX or not TITLE_TAIL.search(bare):  # the cheap test first
        return False
    if _TITLE_BREAKER.search(bare):
        return False
    if _NUMBERED_START.match(bare) or bare.startswith("第"):
        return False
    return not (is_toc_entry(text.strip()) or _PAGE_FIRST.match(bare))  # a TOC entry


_TITLE_OPENING = re.compile(r"关于|转发|批转|印发|转送")


def _is_issuer_line(text: str) -> bool:
    """Organ names only: a line holding 关于 or 转发 is the first part of a title, whatever it ends with."""
    bare = strip_spaces(text)
    return (
        3 <= len(bare) <= 60
        and bool(ORGAN_TAIL.search(bare))
        and not _CLAUSE_MARK.search(bare)
        and not _TITLE_OPENING.search(bare)
    )


def _opens_title(text: str, title: str) -> bool:
    """Is ``text`` the first half of a wrapped title: it holds the 关于 the rest lacks, or the 转发
    before a rest that starts with 关于 (…转发市住房城乡建设委 / 关于…的通知)?"""
    if "关于" in text:
        return "关于" not in title
    return bool(_TITLE_OPENING.search(text)) and title.startswith("关于")


def content_lines(lines: list[Line], i: int, step: int, limit: int) -> list[int]:
    """Up to ``limit`` indices of non-noise lines from i in direction step."""
    out: list[int] = []
    while 0 <= i < len(lines) and len(out) < limit:
        if not lines[i].noise:
            out.append(i)
        i += step
    return out


def find_heads(lines: list[Line], listed: Listed, known: dict[int, Head | None] | None = None) -> list[Head]:
    """The head of every document, in reading order (a head needs a body under it).

    ``known`` (filled in when given) keeps the head each line reads as where ``listed`` says
    nothing about it: the TOC-guided pass reads again only the lines the TOC lists or labels."""
    heads: list[Head] = []
    taken: set[int] = set()
    for i, line in enumerate(lines):
        if line.noise or i in taken:
            continue
        ends = line.text.rstrip()[-1:] in _HEAD_ENDS or i in listed.titles  # the last character without spaces
        if not ends and not may_be_number_line(line.text):
            continue  # banners and titles end in one of _HEAD_ENDS, a 文号 line holds its mark: most lines neither
        head = _head_at(lines, i, listed, heads[-1].start if heads else 0, known, ends)
        if head is None or heads and _inside_previous(lines, heads[-1], head):
            continue
        heads.append(head)
        taken.update(range(head.start, head.end))
    next_starts = [h.start for h in heads[1:]] + [len(lines)]
    return [h for h, end in zip(heads, next_starts) if _has_body(lines, h, end)]


def _head_at(
    lines: list[Line], i: int, listed: Listed, previous: int, known: dict[int, Head | None] | None, ends: bool
) -> Head | None:
    """The head that line i starts or holds: a 文号, a banner, or a title (``ends``: the line ends
    as a banner or a title can)."""
    if known is None or i in listed.labels or i in listed.titles:
        head = _head_read(lines, i, listed, previous, ends)
    else:  # what listed says of other lines, and previous, matter only for a listed title
        if i not in known:
            known[i] = _head_read(lines, i, listed, previous, ends)
        found = known[i]
        head = None if found is None else replace(found, title=list(found.title), issuer_lines=list(found.issuer_lines))
    if head is not None and head.banner in listed.labels and not number_under(lines, head.banner):
        # the line above is the TOC section label printed in the body, not this document's red header
        head.banner = None
        head.start = min(k for k in (*head.title, *head.issuer_lines, head.number) if k is not None)
    return head


_HEAD_ENDS = TITLE_TAIL.last | BANNER.last | frozenset(")）")


def _head_read(lines: list[Line], i: int, listed: Listed, previous: int, ends: bool) -> Head | None:
    """The head line i (``ends``: as a banner or a title can, else it may be a 文号 line) starts
    or holds as its own lines and the lines around it tell."""
    line = lines[i]
    number = number_line(line.text)
    if number is None and not ends:
        return None
    bare = bare_text(line)
    banner = (
        is_banner(bare)
        or bare in _BANNER_WORDS and _banner_top(lines, i) < i
        or _short_banner(bare) and number_under(lines, i)
    )
    if banner and i in listed.labels and not number_under(lines, i):
        banner = False  # a TOC section label (区政府办公室文件) printed above a title, not a red header
    if banner:
        head = _head_from_banner(lines, i)
    elif number is not None:
        head = _head_from_number(lines, i, number)
    else:
        head = _head_from_titled_number(lines, i) or _head_from_title(lines, i, listed.titles.get(i), previous)
    return head


def _inside_previous(lines: list[Line], previous: Head, head: Head) -> bool:
    """Does this head belong to the document before it: a 文号 inside its head (index lists,
    covering text), the 条例 a 批准 决定 approves, or a forwarded text (转发) printed with its own
    文号 right after the covering notice's signature?"""
    if head.start < previous.end:
        return True
    if not head.title:
        return False
    if _approved_by(lines, previous, head):
        return True
    return _follows_signature(lines, head.start) and (
        _quoted_between(lines, previous.start, head.start, head.title)
        or _quoted_between(lines, previous.start, head.start, [*head.issuer_lines, *head.title])
    )


_BODY_MARK = re.compile(r"[。；！？]|[：:]$")


def _has_body(lines: list[Line], head: Head, end: int) -> bool:
    """A document has text under its head before the next one: a sentence, or an addressee.
    Index rows and TOC entries that look like heads have none."""
    return any(_BODY_MARK.search(lines[j].text.strip()) for j in content_lines(lines, head.end, 1, 12) if j < end)


_ADOPTED = re.compile(r"^[（(]\s*(?:19|20)\d\d\s*年[^()（）]{0,200}[)）]$")  # （2021年3月31日…通过）
_THIS_DOCUMENT = re.compile(r"[（(]\s*此\s*件")


def _signed_line(bare: str) -> bool:
    """A signature date at the end, or the note under a signature (（此件公开发布）)."""
    return bool(ENDS_WITH_DATE.search(bare) or _THIS_DOCUMENT.match(bare))


def _follows_signature(lines: list[Line], i: int) -> bool:
    """Is line i right after a signature date: the text a covering notice issues, not a new document?"""
    return any(
        _signed_line(strip_spaces(lines[j].text)) and len(lines[j].text) < 60
        for j in content_lines(lines, i - 1, -1, 2)
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
    neighbours = content_lines(lines, i - 1, -1, 1) + content_lines(lines, i + 1, 1, 1)
    if any(split_titled_number(lines[j].text) for j in neighbours):
        return None
    return Head(start=i, end=i + 1, title=[i], doc_number=found[1])


def _head_from_title(lines: list[Line], i: int, listed_end: int | None, previous: int) -> Head | None:
    """A document with neither banner nor 文号: a title the TOC lists, or one followed by the
    line saying when it was adopted (人大常委会 decisions, 规章 printed without their 令).

    Right after a signature such a title is the text the covering document issues, unless the
    TOC lists it and the covering document never names it.  A part that is no document
    (任免名单, 文件检索) is not one even when the TOC lists it or a 通过 note follows it."""
    if listed_end is not None:
        if article_kind(lines[i].text) is not None:
            return None
        title = list(range(i, listed_end))
        if not _quoted_between(lines, previous, i, title):
            return Head(start=i, end=title[-1] + 1, title=title)
    elif is_title(lines[i].text):
        after = content_lines(lines, i + 1, 1, 1)
        if not after or not _ADOPTED.match(strip_spaces(lines[after[0]].text)) or article_kind(lines[i].text):
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
    above = content_lines(lines, title[0] - 1, -1, 1)
    if not above or lines[title[0]].first - lines[above[0]].last != 1:
        return title
    text, rest = bare_text(lines[above[0]]), "".join(bare_text(lines[k]) for k in title)
    if title_piece(text) and _opens_title(text, rest) and is_title(text + rest):
        return [above[0], *title]
    return title


def _quoted_between(lines: list[Line], start: int, end: int, title: list[int]) -> bool:
    key = title_key("".join(lines[i].text for i in title))
    quoted = "".join(lines[j].text for j in range(start, end))
    return any(title_key(q) == key for q in re.findall(r"《([^《》]{2,100})》", quoted))


def title_piece(text: str) -> bool:
    """A line that can be part of a title set on several lines: short, no sentence marks."""
    bare = strip_spaces(text)
    return (
        0 < len(bare) <= 60
        and not _SENTENCE_MARK.search(bare)
        and not (bare[0] in "（(" and bare[-1] in "）)")
        and not FULL_DATE.search(bare)
        and not _signed_line(bare)
        and not is_banner(bare)
        and not is_toc_entry(text.strip())
    )


def _title_after(lines: list[Line], i: int) -> list[int]:
    """The title below a 文号 or banner: one line, or up to four wrapped lines ending in a 文种."""
    after = content_lines(lines, i + 1, 1, _TITLE_LINES)
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
    before = content_lines(lines, i - 1, -1, 2 * _HEAD_REACH)
    title = _last_title_lines(lines, before)
    if not title:
        return [], []
    issuers: list[int] = []
    for j in before[len(title) :] if len(title) > 1 else before[1:]:
        text = lines[j].text
        if is_banner(bare_text(lines[j])):
            break
        if _is_issuer_line(text) and not is_title(text):
            issuers.insert(0, j)
            continue
        if not issuers and _first_half(lines, j, title):
            title.insert(0, j)  # the first half of a title wrapped onto two lines
            continue
        break
    return title, issuers


def _last_title_lines(lines: list[Line], before: list[int]) -> list[int]:
    """The title line right above a 文号, or the last two or three lines of a title whose last
    line is only its 文种 (国务院关于…改革的 / 意见)."""
    if not before:
        return []
    if is_title(lines[before[0]].text):
        return [before[0]]
    for n in (2, 3):
        pieces = before[:n][::-1]
        if (
            len(pieces) == n
            and len(bare_text(lines[pieces[-1]])) <= _SHORT_TAIL
            and all(title_piece(lines[k].text) and not LADDER_START.match(lines[k].text) for k in pieces)
            and is_title("".join(lines[k].text for k in pieces))
        ):
            return pieces
    return []


def _first_half(lines: list[Line], j: int, title: list[int]) -> bool:
    """Is line j the first half of the wrapped title below it: it holds the 关于 (or 转发) the
    rest lacks, and together they read as a title?"""
    text = lines[j].text
    return (
        title[0] - j <= 2
        and len(title) < _TITLE_LINES
        and title_piece(text)
        and _opens_title(strip_spaces(text), "".join(bare_text(lines[k]) for k in title))
        and not _TABLE_ROW.search(text)
        and is_title("".join(lines[k].text for k in [j, *title]))
    )


def _head_from_number(lines: list[Line], i: int, number: DocNumber | None) -> Head | None:
    head = Head(start=i, end=i + 1, number=i, doc_number=number)
    before = content_lines(lines, i - 1, -1, 1)
    if before and is_banner(bare_text(lines[before[0]])):
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
        if not title and bare_text(lines[i])[:1] in "（(":
            return None  # （粤府〔2016〕65号） under a list item: the end of a citation, not a head
        if not title:
            keep = number is not None and (number.year is not None or number.prefix.endswith("令"))
            return head if keep else None
        head.title = title
        head.issuer_lines = issuers
        head.start = min([*title, *issuers])
        banner = content_lines(lines, head.start - 1, -1, 1)
        if banner and is_banner(bare_text(lines[banner[0]])):
            head.banner = banner[0]
            head.start = banner[0]
    return head


# the word of a red header printed alone under its stacked organ lines (…常务委员会 / 公  告)
_BANNER_WORDS = ("文件", "公告", "令")


def _banner_top(lines: list[Line], i: int) -> int:
    """A joint red header is stacked: organ lines printed right above the …文件 line are part
    of it (中共某某省委办公厅 / 某某省人民政府办公厅文件)."""
    top = i
    for j in content_lines(lines, i - 1, -1, _STACKED_ORGANS):
        if lines[top].first - lines[j].last > 2 or not _is_issuer_line(lines[j].text):  # one blank line between
            break
        top = j
    return top


def number_under(lines: list[Line], i: int) -> bool:
    """Is the 文号 printed right under this line, as under a red header (GB/T 9704 7.2.2)?"""
    return any(number_line(lines[j].text) is not None for j in content_lines(lines, i + 1, 1, 1))


_URGENCY = re.compile(r"^(?:特急|加急|急件|平急|特提|密件|秘密|机密)(?:[★☆·\s]*\S{0,6})?$")


def _marks_top(lines: list[Line], i: int) -> int:
    """Organ names, a 纪要 header or an urgency mark printed right above a 文号 (without a …文件
    banner) belong to the document that 文号 starts."""
    top = i
    for j in content_lines(lines, i - 1, -1, _STACKED_ORGANS):
        text = bare_text(lines[j])
        if lines[top].first - lines[j].last > 2 or not (
            _is_issuer_line(lines[j].text) or _URGENCY.match(text) or text.endswith("纪要") and len(text) <= 40
        ):
            break
        top = j
    return top


def _head_from_banner(lines: list[Line], i: int) -> Head | None:
    after = content_lines(lines, i + 1, 1, 3)
    for j in after[:2]:
        number = number_line(lines[j].text)
        if number is None:
            continue
        if not number.prefix:  # 令 banner + 第340号, 公告 banner + 2021年第5号 / （第85号）
            prefix = "".join(bare_text(lines[k]) for k in range(_banner_top(lines, i), i + 1) if not lines[k].noise)
            number = DocNumber(prefix=prefix, year=number.year, serial=number.serial)
        head = _head_from_number(lines, j, number)
        if head is not None:
            head.banner = i
            head.start = _banner_top(lines, i)
            if bare_text(lines[i]) in _BANNER_WORDS:  # the organ lines stacked above 令 are the header
                head.title = [k for k in head.title if not head.start <= k <= i]
                head.issuer_lines = [k for k in head.issuer_lines if not head.start <= k <= i]
            return head
    title = _title_after(lines, i)
    if not title:
        return None
    return Head(start=_banner_top(lines, i), end=title[-1] + 1, banner=i, title=title)

