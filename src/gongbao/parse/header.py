"""The GB/T 9704-2012 elements of one document: ``get_document`` turns a segment into a Document.

版头 (banner, 文号), 标题, 主送机关, 正文, 附件说明, 署名, 成文日期, 此件公开发布, 版记 (抄送,
印发机关 and 印发日期), and the texts a covering notice issues (印发/转发/公布).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongbao.dates import find_dates, parse_date
from gongbao.docnumber import find_doc_numbers
from gongbao.models import (
    Attachment, DocNumber, Document, Embedded, Head, Line, Normalized, Notice, Segment, VersionEvent,
)
from gongbao.parse.patterns import (
    ATTACHMENT_LABEL,
    BANNER,
    CC_LABEL,
    CJK,
    EndPattern,
    FULL_DATE,
    ORGAN_SUFFIX,
    ORGAN_TAIL,
    PUBLIC_MARK,
    TITLE_TAIL,
    TYPE_BASE,
    strip_spaces,
    title_key,
)
from gongbao.parse.heads import is_title, split_titled_number, title_piece
from gongbao.parse.segment import furthest_line

# an organ at the head of a title that has no 关于: a government or a committee, then what it held
_LEADING_ORGAN = re.compile(
    r"^(?P<organ>[\u4e00-\u9fff]{2,20}?(?:人民政府办公厅|人民政府办公室|人民政府|人民代表大会常务委员会|委员会))"
    r"(?=第[一二三四五六七八九十百\d]+次|常务会议|全体会议|\d{4}年)"
)
_RELAYING = re.compile(r"转发|批转|印发|转送")
_ADDRESSEE_HINT = re.compile(r"各|人民政府|部门|单位|委员会|办事处|局|委|厅|[区县市]政府")
# 主送 of one organ (教育部：) or of persons (马万祺副主席：, 周桂英等代表：, 石英代表：)
_ONE_ADDRESSEE = re.compile(
    rf"^(?:[{CJK}、，]{{2,40}}{ORGAN_SUFFIX}"
    rf"|[{CJK}]{{2,4}}(?:等)?(?:代表|委员|副主席|主席|副总理|总理|同志|先生|女士))$"
)
_PRINTED = EndPattern(rf"^(?P<organ>.*?)\s*(?P<date>{FULL_DATE.pattern})\s*印\s*发$", "发")
_OMITTED = re.compile(r"[（(]\s*略\s*[)）]")
# compiled once: a document's head reads each of these (re's own cache costs a lookup a call)
_TITLE_SPACE = re.compile(r"(?<![A-Za-z0-9]) | (?![A-Za-z0-9])")  # a space not between two Latin letters or digits
_QUALIFIER = re.compile(r"[（(].*$")
_END_COLON = re.compile(r"\s*[：:]$")
_COLON_END = re.compile(r"[：:]$")
_CJK_SPACES = re.compile(r"(?<=[^A-Za-z0-9]) +(?=[^A-Za-z0-9])")
_MARKDOWN_START = re.compile(r"^[#>*\-\s]+")
_ITEM_NUMBER = re.compile(r"^\s*(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*[.．、]\s*")
_PERSON_SIGNATURE = re.compile(
    rf"^(?:总理|副总理|市长|省长|区长|县长|州长|主任|局长|厅长|署长|行长|院长|书记|主席|部长)\s*[{CJK}]{{2,4}}$"
)
_SPLIT_ORGANS = re.compile(r"[\s、，,]+")
# a signer of a joint 令: the organ's head by office, then the name (国家卫生健康委员会主任  张立新)
_HEAD_OF_ORGAN = re.compile(rf"^[{CJK}]{{0,20}}?(?:总理|市长|省长|区长|县长|州长|主任|局长|厅长|署长|行长|院长|书记|主席|部长|总局长)$")
_NAME = re.compile(rf"^[{CJK}]{{2,4}}$")


def _signers(text: str) -> list[str]:
    """The signers printed on one line as office and name pairs (…主任 张立新  公安部部长 赵国庆), or []."""
    tokens = text.split()
    pairs = list(zip(tokens[::2], tokens[1::2]))
    if not tokens or len(tokens) % 2 or not all(_HEAD_OF_ORGAN.match(a) and _NAME.match(b) for a, b in pairs):
        return []
    return [f"{office} {name}" for office, name in pairs]
# A new organ name starts where a place or a central organ name starts after an organ suffix.
_GLUED_ORGAN = re.compile(
    rf"(?<=[局委厅办院部署府室会心])(?=(?:中共|中华人民共和国|国家|国务院|中国|[{CJK}]{{1,3}}(?:省|市|自治区|区|县)))"
)


def get_document(norm: Normalized, seg: Segment, alone: bool = False) -> Document:
    """Read the elements of one document out of its segment of normalised lines: one extractor
    per GB/T 9704 element, in the order the elements are printed.  ``alone``: a law or regulation
    printed alone, with no document head: its note is read as such a text prints it (``_note_span``),
    its events are its history, and a date read from it is warned (date_from_note)."""
    lines = norm.lines
    head = seg.head
    assert head is not None
    # the head (banner, 文号, issuer lines, title) is metadata; the body is what follows it
    skip = set(range(head.start, head.end)) | set(head.title) | {i for i in (head.banner, head.number) if i is not None}
    body = _body_lines(lines, seg, skip)
    title_lines = [lines[i] for i in head.title]
    banner, banner_kind = _banner(lines, head)
    title = _title(title_lines, head.doc_number, banner, banner_kind)
    start, end = _note_span(body, alone)
    note = " ".join(ln.text for ln in body[start:end])
    history = read_history(note) if note else []
    addressee, rest = _addressee(body[end:])
    signed = _signed(rest, norm.source, note, history)
    issuers, title = _issuers_and_title(
        _issuers(norm, title_lines, [lines[i] for i in head.issuer_lines], banner, signed.signatures),
        title, "".join(lines[i].text for i in head.issuer_lines), signed)
    tail = rest[signed.at + 1 :] if signed.at is not None else []
    text = "\n".join(line.text for line in body)  # one scan of it rules out the walks that need a mark
    cc, printed_by, printed_date = _imprint(body, text)
    return Document(
        title=title,
        type=_doc_type(title, banner_kind),
        doc_number=head.doc_number or (signed.number if alone else None),  # 中华人民共和国国务院令第656号公布
        issuers=issuers,
        date=signed.date,
        addressee=addressee,
        signatures=signed.signatures,
        body=body,
        lines=(lines[seg.ranges[0][0]].first, furthest_line(lines, *seg.ranges[0])),
        continuations=[(lines[a].first, furthest_line(lines, a, b)) for a, b in seg.ranges[1:]],
        embedded=_embedded(tail, body) or _issued_in_body(title, body),
        attachments=_attachments(body, text),
        cc=cc,
        printed_by=printed_by,
        printed_date=printed_date,
        public=_public(body, text),
        history=history if alone else [],
        warnings=_warnings(title, issuers, signed, bool(seg.indices)) + ([Notice("date_from_note")] if alone and signed.noted else []),
    )


def _warnings(title: str, issuers: list[str], signed: _Signed, has_lines: bool) -> list[Notice]:
    found = {"no_title": bool(title), "no_date": signed.dated, "no_issuer": bool(issuers), "empty_document": has_lines}
    return [Notice(code) for code, ok in found.items() if not ok]


# --- 版头 and 标题 ---------------------------------------------------------------------------


def _banner(lines: list[Line], head: Head) -> tuple[str | None, str | None]:
    """The red header (…文件, …令, …公告) and its kind; a joint one stacks its organs above the word."""
    banner = None
    if head.banner is not None:
        top = head.start if strip_spaces(lines[head.banner].text) in ("令", "公告", "文件") else head.banner
        banner = "".join(strip_spaces(lines[k].text) for k in range(top, head.banner + 1) if not lines[k].noise)
    number = head.doc_number
    if banner is None and number is not None and number.year is None and number.prefix.endswith("令"):
        banner = number.prefix  # 重庆市人民政府令（第341号） on one line: the order header itself
    m = BANNER.match(banner) if banner else None
    return banner, (m.group("kind") if m else None)


def _title(title_lines: list[Line], number: DocNumber | None, banner: str | None, banner_kind: str | None) -> str:
    title = _title_text(title_lines)
    titled = split_titled_number(title)
    if titled and titled[1] == number:
        title = titled[0]  # the 文号 printed in parentheses after the title is not part of it
    if not title and banner_kind in ("令", "公告"):
        title = banner or ""  # an order or announcement has no title of its own: its header names it
    return title


def _issuers_and_title(issuers: list[str], title: str, stacked: str, signed: _Signed) -> tuple[list[str], str]:
    """发文机关, and the title with the stacked or joint issuers it starts with kept apart."""
    if not issuers and signed.noted_organ:
        issuers = signed.noted_organ.split("、")  # 国务院、中央军委发布: joint issuers
    if stacked and _RELAYING.sub("关于", title[:2]).startswith("关于"):
        # stacked issuer lines are the first part of the title; a 、 printed between them stays
        title = ("、" if "、" in stacked else " ").join(issuers) + title
    elif len(issuers) > 1 and title.startswith("".join(issuers)):
        title = " ".join(issuers) + title[len("".join(issuers)) :]  # joint issuers stay apart
    signatures = signed.signatures
    if len(signatures) > len(issuers) and set(issuers) <= set(signatures) and _organs_only(" ".join(signatures)):
        issuers = signatures  # every organ of a joint document signs it (GB/T 9704 7.3.5)
    return issuers, title


# --- body ----------------------------------------------------------------------------------


def _body_lines(lines: list[Line], seg: Segment, skip: set[int]) -> list[Line]:
    """The document's lines in reading order; the halves of a paragraph cut by 下转/上接 joined."""
    out: list[Line] = []
    joins = {a for a, _ in seg.ranges[1:]}
    for a, b in seg.ranges:
        for i in range(a, b):
            line = lines[i]
            if line.noise or i in skip or not line.text:
                continue
            if i in joins and out and out[-1].text[-1:] not in "。；：！？":
                prev = out.pop()
                line = Line(prev.text + line.text, prev.first, prev.last)
            out.append(line)
    return out


def _title_text(title_lines: list[Line]) -> str:
    text = " ".join(ln.text for ln in title_lines)
    return _TITLE_SPACE.sub("", text).strip()


def _doc_type(title: str, banner_kind: str | None) -> str | None:
    if banner_kind == "令" and (not title or title.endswith("令")):
        return "令"
    return _type_of(title)


def _type_of(title: str) -> str | None:
    """The 文种 a title ends with, as its base type (实施意见 → 意见), without （试行）."""
    m = TITLE_TAIL.search(strip_spaces(title))
    if not m:
        return None
    word = _QUALIFIER.sub("", m.group(0))
    return TYPE_BASE.get(word, word)


# --- 主送机关 --------------------------------------------------------------------------------


# a line ending in a colon that is no 主送: an article (第一条…下列纠纷：), a preamble's last words
# (…现解释如下：, …作出如下补充安排：, …会议决定：), a note glued to the text under it (2020年12月23日…通过为…：)
_NO_ADDRESSEE = re.compile(rf"^(?:第[一二三四五六七八九十百零〇\d]+条|{FULL_DATE.pattern})|如下[^，。；]{{0,8}}[：:]$|决定[：:]$")


def _addressee(lines: list[Line]) -> tuple[str | None, list[Line]]:
    for k, line in enumerate(lines[:2]):
        text = line.text.strip()
        named = _END_COLON.sub("", strip_spaces(text))
        if _COLON_END.search(text) and len(text) <= 120 and (_ADDRESSEE_HINT.search(text) or _ONE_ADDRESSEE.match(named)):
            if "。" in text or text.startswith(("根据", "为", "按照")) or _NO_ADDRESSEE.search(text):
                return None, lines
            text = _CJK_SPACES.sub("", text)
            return _END_COLON.sub("", text), lines[:k] + lines[k + 1 :]
    return None, lines


# --- 署名 and 成文日期 ------------------------------------------------------------------------

_COLUMN_DATE = re.compile(rf"[。！；]\s+(?P<date>{FULL_DATE.pattern})$")
_TRAILING_DATE = re.compile(rf"(?P<date>{FULL_DATE.pattern})\s*$")
_COLUMN_GAP_DATE = re.compile(rf"\S[ \u3000]{{4,}}(?P<date>{FULL_DATE.pattern})\s*$")  # in the raw line
_DATE_ONLY = re.compile(rf"^{FULL_DATE.pattern}$")
_SIGNED_LINE = re.compile(rf"^(?P<organ>[^。；，]*?)\s*(?P<date>{FULL_DATE.pattern})$")
_INLINE_SIGNED = re.compile(rf"[。！]\s*(?P<organ>[^。；，]{{4,80}}?)\s*(?P<date>{FULL_DATE.pattern})$")


@dataclass(slots=True)
class _Signed:
    """署名 and 成文日期 as read: where the signature date stands in the body (None: not found)."""

    at: int | None = None
    signatures: list[str] = field(default_factory=list)
    date: str | None = None
    noted_organ: str | None = None  # the organ an adoption note under the title names
    dated: bool = False
    noted: bool = False  # the date is the note's: no signature dates the text
    number: DocNumber | None = None  # the 令 number the note names


def _signed(rest: list[Line], source: list[str], note: str, history: list[VersionEvent]) -> _Signed:
    """The signature at the end, else the adoption note under the title (``note``, its ``history``):
    the note names the organ and the 令 number either way."""
    organ, noted, number = read_note(note, history) if note else (None, None, None)
    at = _signature_index(rest, source)
    if at is not None:
        signatures, date = _signature(rest, at)
        return _Signed(at, signatures, date, organ, dated=True, number=number)
    if note:
        # （2021年2月3日…常务会议通过 2021年2月10日…令第231号公布）under the title; a 司法解释:
        # 2021年5月31日 最高人民法院审判委员会第1840次会议通过 on a line, 2021年6月3日 施行 on the next
        return _Signed(None, [], noted, organ, dated=True, noted=noted is not None, number=number)
    return _Signed()


_NOTE_START = re.compile(rf"^[（(]?{FULL_DATE.pattern}")
_SENTENCE_MARK = re.compile(r"[，。]")


def is_note_line(text: str, strict: bool = True) -> bool:
    """A line of the adoption note printed with a title: it starts with a date (2021年5月31日 …会议通过,
    （2021年2月3日…通过）), or it is all in parentheses with a date and an event (（最高人民法院审判委员会
    第1193次会议…通过 2002年3月15日…公告公布）).  ``strict`` (where a body may begin instead): a line
    out of parentheses also names an event and is no sentence (2021年3月5日，市政府召开… is text)."""
    bare = strip_spaces(text)
    bracketed = bare[:1] in "（("
    if _NOTE_START.match(bare) and not _DATE_ONLY.match(bare):  # a date alone is the 成文日期 itself
        return not strict or bracketed or (bool(_EVENT.search(bare)) and not _SENTENCE_MARK.search(bare))
    return bracketed and bare[-1:] in "）)" and bool(FULL_DATE.search(bare)) and bool(_EVENT.search(bare))


def _note_span(body: list[Line], alone: bool) -> tuple[int, int]:
    """Where the adoption note the body starts with stands (start = end: none).  A text printed
    ``alone`` may print it below a part's name or its title's last line (# 中华人民共和国民法典 /
    人格权编 / 2020年5月28日 …通过), and any line that starts with a date is part of it."""
    start = 0
    if alone:
        top = body[: _TITLE_PIECES + 1]
        start = next((k for k, ln in enumerate(top) if is_note_line(ln.text, strict=k > 0)), 0)
        if not all(title_piece(ln.text) for ln in body[:start]):
            start = 0
    end = start
    while end < min(len(body), start + MAX_NOTE_LINES) and (
            is_note_line(body[end].text, strict=not alone) or alone and end > start and _NOTE_GOES_ON.match(body[end].text)):
        end += 1
    return (start, end) if end > start else (0, 0)


# a line of a note that goes on without a date of its own (…会议通过 / 浙江省…常务委员会…会议批准)
_NOTE_GOES_ON = re.compile(r"^[^，。；：]*(?:通过|批准|公布|发布|施行|修正|修订)$")


_TITLE_PIECES = 2  # lines of a title (or a part's name) that may stand between it and its note
MAX_NOTE_LINES = 20  # a law amended many times prints one note line per amendment


def _signature_index(lines: list[Line], source: list[str]) -> int | None:
    for k, line in enumerate(lines):
        text = line.text.strip()
        if not text.endswith("日") and not source[line.last - 1].rstrip().endswith("日"):
            continue  # every shape below ends with the date's 日
        if _DATE_ONLY.match(text):
            return k
        m = _SIGNED_LINE.match(text) or _INLINE_SIGNED.search(text)
        if m and (_organs_only(m.group("organ")) or _PERSON_SIGNATURE.match(strip_spaces(m.group("organ")))):
            return k
        if _COLUMN_DATE.search(text) or _COLUMN_GAP_DATE.search(source[line.last - 1]):
            return k  # two columns side by side: the signature date beside the last sentence
    return None


def _organs_only(text: str) -> bool:
    parts = [p for p in _SPLIT_ORGANS.split(text.strip()) if p]
    return bool(parts) and all(ORGAN_TAIL.search(p) for p in parts)


def _signature(lines: list[Line], k: int) -> tuple[list[str], str | None]:
    text = lines[k].text.strip()
    m = _SIGNED_LINE.match(text) or _INLINE_SIGNED.search(text) or _COLUMN_DATE.search(text)
    if m is None:
        m = _TRAILING_DATE.search(text)  # beside the other column's text
    date = parse_date(m.group("date") if m else text)
    signatures: list[str] = []
    organ = (m.groupdict().get("organ") or "").strip() if m else ""
    if _PERSON_SIGNATURE.match(strip_spaces(organ)):
        signatures = [re.sub(r"\s+", " ", organ)]  # 市长 张三
    elif organ:
        signatures = split_organs(organ)
    else:  # the date stands alone (or beside the last sentence): the signature is above it
        for line in reversed(lines[max(0, k - 3) : k]):
            candidate = line.text.strip()
            if _organs_only(candidate) and len(candidate) <= 80:
                signatures = split_organs(candidate) + signatures
            elif _PERSON_SIGNATURE.match(strip_spaces(candidate)) or _PERSON_SIGNATURE.match(candidate):
                signatures.insert(0, candidate)
            elif _signers(candidate):
                signatures = _signers(candidate) + signatures
            else:
                break
    return signatures, date


_SESSION = re.compile(r"第[一二三四五六七八九十]+届")
_ADOPTED_BY = re.compile(
    r"(?<![\u4e00-\u9fff])(?P<organ>[\u4e00-\u9fff]{0,10}?"
    r"(?:人民代表大会常务委员会|人民代表大会|国务院|人民政府|最高人民法院|最高人民检察院))"
    r"\s*(?:第[一二三四五六七八九十百零〇\d]+(?:次|(?=会议))|审判委员会|检察委员会|常务会议|令|发布|公布)"
)


def read_note(text: str, events: list[VersionEvent] | None = None) -> tuple[str | None, str | None, DocNumber | None]:
    """(organ, date, 令 number) of an adoption note: 2021年2月3日某省人民政府第76次常务会议通过
    2021年2月10日某省人民政府令第231号公布.  The date is that of the version the text is: its
    last 公布 / 发布 or revision (修正 / 修订 / 修改), else the first date.  The organ keeps its
    place (重庆市第五届人民代表大会常务委员会 → 重庆市人民代表大会常务委员会).  ``events``: the
    note's ``read_history`` when the caller has it already."""
    undated = _SESSION.sub("", FULL_DATE.sub(" ", text))
    m = _ADOPTED_BY.search(undated)
    events = read_history(text) if events is None else events
    versions = [e.date for e in events if e.event in _VERSIONED]
    dates = [] if versions else find_dates(text)  # the first date only dates a note with no version
    date = versions[-1] if versions else (dates[0][0].iso if dates else None)
    numbers = find_doc_numbers(text)
    number = numbers[0][0] if numbers else None
    return (m.group("organ") if m else _note_organ(undated)), date, number


_VERSIONED = ("公布", "发布", "修正", "修订", "修改")  # events that make a version of the text


# the organs whose 令 promulgated the text (国家市场监督管理总局令第56号公布), or that are printed
# right before 发布 / 公布 (1985年10月24日 国务院、中央军委发布); joint organs keep their 、
_ISSUED_BY = (re.compile(rf"(?<![{CJK}])(?P<organ>[{CJK}、]{{2,60}}?)令\s*第"),
              re.compile(rf"(?<![{CJK}])(?P<organ>[{CJK}、]{{2,40}}?)\s*(?:发布|公布)"))


def _note_organ(undated: str) -> str | None:
    """The organ of a note no session or meeting names."""
    for pattern in _ISSUED_BY:
        m = pattern.search(undated)
        if m and all(ORGAN_TAIL.search(o) for o in m.group("organ").split("、")):
            return m.group("organ")
    return None


_EVENT = re.compile(r"通过|批准|公布|发布|修正|修订|修改|施行")
# 根据…通过、…批准的《…决定》修正: the dates of the amending decision date the amendment
_QUOTED = re.compile(r"《[^《》]*》")
_AMENDED_BY = re.compile(r"根据(?P<span>.*?》[^《》]{0,20}?)(?P<verb>修正|修订)", re.S)


def read_history(text: str) -> list[VersionEvent]:
    """The dated events of a note under a law's title, in print order: each date takes the first
    event word printed after it (before the next date); in a 根据…的《…决定》修正 clause the first
    date takes the clause's 修正 / 修订 (the other dates in it keep their own, 批准)."""
    dates = [(d.iso, start, end) for d, start, end in find_dates(text) if d.kind == "date" and d.iso]
    unquoted = _QUOTED.sub(lambda m: " " * len(m.group()), text)  # 《关于修改…的决定》 names no event
    events: dict[int, str] = {}
    for k, (_, _, end) in enumerate(dates):
        m = _EVENT.search(unquoted, end, dates[k + 1][1] if k + 1 < len(dates) else len(text))
        if m:
            events[k] = m.group()
    for m in _AMENDED_BY.finditer(text):
        first = next((k for k, (_, start, _) in enumerate(dates) if m.start("span") <= start < m.end("span")), None)
        if first is not None:
            events[first] = m.group("verb")
    return [VersionEvent(dates[k][0], event) for k, event in sorted(events.items())]


def split_organs(text: str) -> list[str]:
    """重庆市民政局 重庆市财政局 / 重庆市民政局重庆市财政局 → each organ."""
    out: list[str] = []
    for part in _SPLIT_ORGANS.split(text.strip()):
        if part:
            out.extend(p for p in _GLUED_ORGAN.split(part) if p)
    return out


# --- 发文机关 --------------------------------------------------------------------------------


def _issuers(
    norm: Normalized, title_lines: list[Line], issuer_lines: list[Line], banner: str | None, signatures: list[str]
) -> list[str]:
    if issuer_lines:
        return [o for ln in issuer_lines for o in split_organs(ln.text)]
    raw_title = " ".join(
        norm.source[n - 1].strip() for ln in title_lines for n in range(ln.first, ln.last + 1)
    )
    raw_title = _MARKDOWN_START.sub("", raw_title).replace("**", "")
    about = raw_title.find("关于")
    if about > 0:
        # 国务院办公厅转发国家发展改革委关于…: the issuer is who forwards, not whose text it is
        organs = split_organs(_RELAYING.split(raw_title[:about])[0])
        if organs and all(ORGAN_TAIL.search(o) for o in organs):
            return organs
    if banner:
        m = BANNER.match(banner)
        if m:
            return split_organs(m.group("organ"))
    organs = [s for s in signatures if ORGAN_TAIL.search(s)]
    if organs:
        return organs
    m = _LEADING_ORGAN.match(strip_spaces(raw_title))
    return [m.group("organ")] if m else []  # 云门市人民政府第三十二次常务会议纪要


# --- what follows the signature --------------------------------------------------------------


def _public(body: list[Line], text: str) -> bool | None:
    """此件公开发布 → True, 此件不公开 / 依申请公开 → False, nothing printed → None (``text``: the
    body's lines joined, where one scan rules out most bodies)."""
    if "此" not in text and "信" not in text:  # PUBLIC_MARK holds one (str's search: far faster than a pattern's)
        return None
    for line in body:
        m = PUBLIC_MARK.match(strip_spaces(line.text)) if line.text.lstrip()[:1] in "（(" else None  # its opening bracket
        if m:
            return m.group("withheld") is None
    return None


# an editor's note after the signature (（本文有删减）, （有删节）): not the title of an issued text
_EDITORS_NOTE = re.compile(r"^[（(](?:本文|此件|全文)?有删[减节][)）]$")
# the line of years or of its status printed under an issued text's title: （2020—2022年）, （试行）
_TITLE_QUALIFIER = re.compile(
    r"^[（(](?:(?:19|20)\d\d\s*[—\-–－~～至]+\s*(?:19|20)?\d\d\s*年?|试行|暂行|修订|(?:19|20)\d\d\s*年修订)[)）]$"
)


def _embedded(tail: list[Line], body: list[Line]) -> list[Embedded]:
    """The text a covering notice issues: a title (on up to three lines, with the line of its
    years under it) right after the signature block."""
    lines = [ln for ln in tail[:6]
             if not PUBLIC_MARK.match(strip_spaces(ln.text)) and not _EDITORS_NOTE.match(strip_spaces(ln.text))]
    for n in range(1, 4):
        parts = lines[:n]
        if len(parts) < n or any(ATTACHMENT_LABEL.match(p.text.strip()) for p in parts):
            break
        if n > 1 and not all(title_piece(p.text) for p in parts):
            break
        title = _title_text(parts)
        if is_title(title):
            if len(lines) > n and _TITLE_QUALIFIER.match(strip_spaces(lines[n].text)):
                title += strip_spaces(lines[n].text)
                n += 1
            return [Embedded(title=title, type=_type_of(title), lines=(parts[0].first, body[-1].last),
                             history=read_history(_note_under(lines[n:])))]
    return []


_HISTORY_NOTE = re.compile(rf"^[（(]{FULL_DATE.pattern}")  # （2004年6月25日…通过　…批准）
_NOTE_LINES = 6


def _note_under(lines: list[Line]) -> str:
    """The note in parentheses under a title (over lines that begin with a date each; a paragraph
    may follow its closing parenthesis on the last one), or ""."""
    if not lines or not _HISTORY_NOTE.match(strip_spaces(lines[0].text)):
        return ""
    note = ""
    for line in lines[:_NOTE_LINES]:
        note += line.text.strip()
        closed = re.search(r"[)）]", note)
        if closed:
            return note[: closed.end()]
    return ""


_ISSUED = re.compile(r"(?:印发|转发|批准|公布|发布)《(?P<title>[^《》]{2,100})》")


def _issued_in_body(title: str, body: list[Line]) -> list[Embedded]:
    """The text a title says it issues or approves (关于批准《…条例》的决定), where its title is printed
    alone in the body (not right after a signature: a 决定 dated by its note has none)."""
    m = _ISSUED.search(title)
    if m is None:
        return []
    key = title_key(m.group("title"))
    for k, line in enumerate(body):
        if is_title(line.text) and title_key(line.text) == key:  # the cheap test first: most lines are no title
            return [Embedded(title=line.text.strip(), type=_type_of(line.text), lines=(line.first, body[-1].last))]
    return []


def _attachments(body: list[Line], text: str) -> list[Attachment]:
    if "附" not in text:  # the label's first character (str's search: far faster than a pattern's)
        return []
    out: list[Attachment] = []
    for k, line in enumerate(body):
        text = line.text.strip()
        m = ATTACHMENT_LABEL.match(text) if text[:1] == "附" else None  # the label's first character
        if not m or not text[m.end():].strip():
            continue
        items, end = _listed_items(text[m.end():], body, k)
        later = [strip_spaces(ln.text) for ln in body[end:]]
        for n, (raw, first, last) in enumerate(items, 1):
            title = _ITEM_NUMBER.sub("", raw).strip()
            marked = bool(_OMITTED.search(title))
            title = _OMITTED.sub("", title).strip()
            title = re.sub(r"(?<=[^A-Za-z0-9]) (?=[^A-Za-z0-9])", "", title)
            heading = f"附件{n}" if len(items) > 1 else "附件"
            printed = _printed(title, later) or _printed(heading, later, exact=True)
            out.append(Attachment(title=title, omitted=marked or not printed, lines=(first, last)))
        break
    return out


def _listed_items(first: str, body: list[Line], k: int) -> tuple[list[tuple[str, int, int]], int]:
    """The items of the 附件 list on body[k] (text, first and last source line), and the index of
    the body line after the list.  A numbered list goes on over the lines numbered after it; a
    line without a number continues the item above when the next item follows it (a wrapped
    title, not the signature under the list)."""
    items = [(first, body[k].first, body[k].last)]
    if not _ITEM_NUMBER.match(first):
        return items, k + 1
    end = k + 1
    while end < len(body):
        text = body[end].text
        if _ITEM_NUMBER.match(text) and len(text) < 80:
            items.append((text, body[end].first, body[end].last))
        elif title_piece(text) and end + 1 < len(body) and _ITEM_NUMBER.match(body[end + 1].text):
            items[-1] = (items[-1][0] + text.strip(), items[-1][1], body[end].last)
        else:
            break
        end += 1
    return items, end


_ATTACHMENT_HEADING = re.compile(r"^附件\s*[0-9０-９]*$")


def _printed(title: str, later: list[str], exact: bool = False) -> bool:
    """Is the attachment printed in full: a later line is its title (or starts with it, glued to
    its first paragraph; ``exact``: is its 附件N heading, whatever title is printed under it) and
    what follows, up to the next 附件 heading, is not just （略）?"""
    key = strip_spaces(title)
    start = next((k for k, text in enumerate(later) if key and (text == key if exact else text.startswith(key))), None)
    if start is None or start + 1 >= len(later) or _ATTACHMENT_HEADING.match(later[start + 1]):
        return False
    for text in later[start + 1 :]:
        if _ATTACHMENT_HEADING.match(text):
            break
        if _OMITTED.fullmatch(text):
            return False
    return True


def _imprint(body: list[Line], text: str) -> tuple[list[str], str | None, str | None]:
    """版记: 抄送 (a list of organs, like issuers) and 印发机关 / 印发日期 (their labels hold 抄 or 印)."""
    if "抄" not in text and "印" not in text:
        return [], None, None
    cc: list[str] = []
    printed_by = printed_date = None
    for k, line in enumerate(body):
        text = line.text.strip()
        m = CC_LABEL.match(text) if text[:1] == "抄" else None  # the label's first character
        if m:
            cc = _cc_list(text[m.end():], body[k + 1 :])
            continue
        m = _PRINTED.match(text)
        if m and m.group("organ").strip():
            printed_by = m.group("organ").strip()
            printed_date = parse_date(m.group("date"))
        elif m and k and _organs_only(body[k - 1].text):  # the office on the line above its date
            printed_by = body[k - 1].text.strip()
            printed_date = parse_date(m.group("date"))
    return cc, printed_by, printed_date


_CC_SEPARATORS = re.compile(r"\s*[，,、；;]\s*")


def _cc_list(text: str, following: list[Line]) -> list[str]:
    """The organs after 抄送：, also when the list wraps (a line ending in ，/、 goes on below)."""
    for line in following:
        if not re.search(r"[，,、]$", text.strip()):
            break
        text += line.text.strip()
    return [o for o in _CC_SEPARATORS.split(re.sub(r"[。.]$", "", text.strip())) if o]
