"""Repair what PDF extraction does to gazette text: the first stage, ``clean_text``.

Guarantees (tested):

1. Every output line records the span of input lines it was made from; spans are in input
   order, never overlap, and every non-blank input line is covered by exactly one output line.
2. Markdown and HTML debris is gone: heading marks, ``**bold**``, bullets, ``> `` quotes,
   ``<b>``/``<sup>``/``<br>``/``<p>`` tags (``<p>`` kept inside table rows, where it separates
   cell paragraphs), autolinks; HTML entities are decoded.
3. Letter-spaced words are joined (重 庆 市 民 政 局 → 重庆市民政局); spaces left by line wraps
   inside running Chinese text are removed; spaces in short lines (slogans, names, joint
   signatures) are kept, since they separate things.
4. Half-width punctuation inside Chinese text becomes full-width (, : ; ( ) → ，：；（）).
5. A paragraph cut by a page or column break is one line again, also across running headers,
   page numbers and romanised banners inserted between the halves (those are kept as
   ``noise`` lines so that nothing is lost).
6. 下转第N页 / 上接第N页 markers are removed from the text and reported as pairs in
   ``Normalized.continuations`` for the segmenter to stitch.
7. Idempotent line by line: cleaning a cleaned line changes nothing.  Re-cleaning the rendered
   output keeps the same lines, except where a cut paragraph's second half was a short
   fragment: that boundary is not visible any more in the output (measured on the samples).
8. Zero-width characters (U+200B, U+200C, U+200D, U+2060, U+FEFF) are gone: a line holding
   only them is blank.  Typographic spaces (U+2000–U+200A, U+202F, U+205F) are spaces.
"""

from __future__ import annotations

import html
import re
from collections import Counter

from gongbao.docnumber import cut_after_year, ends_with_number
from gongbao.lines import split_lines
from gongbao.models import Line, Normalized
from gongbao.parse.patterns import (
    BANNER,
    CJK,
    CJK_PUNCT,
    ENDS_WITH_DATE,
    EndPattern,
    FULL_DATE,
    LADDER_START,
    ORGAN_TAIL,
    PAGE_LEADER_END,
    TERMINAL,
    TITLE_TAIL,
)

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_QUOTE = re.compile(r"^\s*(?:>\s*)+")
_MD_BULLET = re.compile(r"^\s*[-*+•]\s+(?=\S)")
_MD_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)\s]*\)")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>")
_SUP = re.compile(r"<sup>\s*([0-9+\-]+)\s*</sup>", re.I)
_SUP_MAP = str.maketrans("0123456789+-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻")
_INLINE_TAGS = re.compile(r"</?(?:b|i|u|em|strong|span|font|sup|sub|small|big|div|center)(?:\s[^>]*)?>", re.I)
_HTML_COMMENT = re.compile(r"<!--.*?-->")
_BR = re.compile(r"<br\s*/?>", re.I)
_P_TAGS = re.compile(r"</?p(?:\s[^>]*)?>", re.I)
_UNKNOWN_ENTITY = re.compile(r"&[A-Za-z]{2,8};")  # left by unescape: no HTML knows it (&sp;), conversion debris

_CONT_DOWN = re.compile(r"[（(]\s*(?:下\s*[转接]|转\s*下|转)\s*第?\s*(\d+)\s*页\s*[)）]")
_CONT_UP = re.compile(r"[（(]\s*(?:上\s*[接转]|接\s*上|接)\s*第?\s*(\d+)\s*页\s*[)）]")

_CJKISH = f"{CJK}{CJK_PUNCT}"
# Both read a line whose spaces are single " " already (``_fix_spaces``): written space first, so
# that re jumps from space to space instead of trying a lookbehind at every character.
_SPACE_IN_CJK = re.compile(f" (?<=[{_CJKISH}] )(?=[{_CJKISH}])")
_SPACE_CJK_DIGIT = re.compile(f" (?:(?<=[{CJK}] )(?=[0-9%])|(?<=[0-9%] )(?=[{CJK}]))")
_SINGLE_CJK_RUN = re.compile(f"(?<![^ ])[{CJK}](?: [{CJK}])+(?![^ ])")
_ROMANISED = re.compile(r"^[A-Z][A-Z ]{7,}$")
_PAGE_NUMBER = re.compile(r"^[-—·•\s]*\d{1,3}[-—·•\s]*$")
_LABEL_START = re.compile(f"^[{CJK} ]{{1,12}}[:：]")
_OPENERS = re.compile(f"^(?:附\\s*件|抄\\s*送|印\\s*发|各[{CJK}]|[（(]\\s*此\\s*件|[（(]?\\s*[上下][转接]第)")
# Lines that end with a date (ENDS_WITH_DATE; also 2022.03.04, as an index row prints it) or a
# printed page number are complete (and those that end with a 文号: ``docnumber.ends_with_number``),
# and so is a note on a line of its own (2020年12月23日 …会议通过: no sentence after the date).
# Four patterns, each tried only on a line its last character allows (one alternation was
# tried in full on every line ending in ）).
_ENDS_IN_PAGE = EndPattern(PAGE_LEADER_END, "·…)）", decimal=True)
_ENDS_IN_NUMBER = EndPattern("\\d{5,}$|(?:19|20)\\d\\d[.．/-][01]?\\d[.．/-][0-3]?\\d$", "", decimal=True)
_NOTE_ALONE = EndPattern(f"^{FULL_DATE.pattern}[^，。；]*(?:通过|公布|发布|批准|施行)$", "过布准行")


def _ends_closed(line: str) -> bool:
    return bool(ENDS_WITH_DATE.search(line) or _ENDS_IN_PAGE.search(line) or _ENDS_IN_NUMBER.search(line)
                or _NOTE_ALONE.match(line))


# A short line ending in a bare number is a table-of-contents entry with its page.
_TOC_PAGE_END = EndPattern(f"[{CJK}]\\s*[（(]?\\d{{1,3}}[)）]?$", ")）", decimal=True)

_RULE_CHARS = "-=_*|: \t"
_ANY_HALF_MARK = re.compile(r"[,:;?!()\"]")
_SPACES = re.compile(r"[ \u3000\u00a0]+")
_PROSE_MARK = re.compile(r"[，。；]")
_PROSE_OR_LIST_MARK = re.compile(r"[，。；、]")
_CLAUSE_MARK = re.compile(r"[，。；：、]")
_SENTENCE_END = re.compile(r"[。；！？]")
_DATE_START = re.compile(FULL_DATE.pattern)
_BARE_LABEL = re.compile(r"^[^\s：:，。]{1,8}[：:]$")
_ONE_CHAR_LABEL = re.compile(r"^[^\s：:]：")
_CJK_ONE = re.compile(f"[{CJK}]")
_CJKISH_ONE = re.compile(f"[{_CJKISH}]")
_ASCII_QUOTES = re.compile(f"\"([^\"]*[{CJK}][^\"]*)\"")

# Zero-width characters print nothing (lawref prints U+200B lines around a 司法解释's title
# block, which would otherwise stand between the title and its 文号 as a line of text); the
# typographic spaces (EN SPACE … HAIR SPACE, NARROW NO-BREAK, MEDIUM MATHEMATICAL) are a space:
# lawref's 民法典 prints 第四章  肖 像 权 with U+2002, which no later step reads as one.
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
_TYPOGRAPHIC_SPACES = "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f"
_UNUSUAL = re.compile(f"[{_INVISIBLE}{_TYPOGRAPHIC_SPACES}]")  # one scan of the text for any of them
_VISIBLE_FORM = dict.fromkeys(map(ord, _INVISIBLE)) | dict.fromkeys(map(ord, _TYPOGRAPHIC_SPACES), " ")

# Long lines are running text: a space between two Chinese characters there is a wrap.
_RUNNING_TEXT = 30


def clean_text(text: str) -> Normalized:
    """Normalise the text of a gazette issue (or one document) into logical lines."""
    source = split_lines(text)  # numbered as the store and the portal number them
    cleaned = [_clean_line(raw) if raw else "" for raw in _visible(source, text)]  # blank lines are half of many files
    repeated = _repeated_short_lines(cleaned)
    running = {c for c in repeated if "公报" in c}  # the gazette's name and issue at the top of pages
    lines: list[Line] = []
    pending_noise: list[Line] = []
    i = 0
    n = len(cleaned)
    while i < n:
        cur = cleaned[i]
        if not cur:
            i += 1
            continue
        first = last = i + 1
        if _is_table_row(cur):
            lines.append(Line(cur, first, last))
            i += 1
            continue
        j = i + 1
        piece = cur  # the physical line last joined: only it can have been cut
        # both tests below answer no at once when what was joined and its last piece are closed
        while cur[-1] not in TERMINAL or piece[-1] not in TERMINAL:
            nxt, noise, gap = _next_content(cleaned, j, repeated)
            if nxt is None or not (_inside_parenthesis(cur, cleaned[nxt]) or _continues(piece, cleaned[nxt], gap)):
                break
            piece = cleaned[nxt]
            pending_noise.extend(Line(cleaned[k], k + 1, k + 1, True) for k in noise)
            cur = _join(cur, cleaned[nxt])
            last = nxt + 1
            j = nxt + 1
        # page furniture wherever it stands: page numbers, romanised banners, running headers
        noise = first == last and (_is_furniture(cur) or bool(running) and cur in running)
        lines.append(Line(cur, first, last, noise))
        if pending_noise:
            lines.extend(pending_noise)
            pending_noise = []
        i = j
    lines, continuations = _extract_continuations(lines)
    return Normalized(lines=lines, source=source, continuations=continuations)


def _visible(source: list[str], text: str) -> list[str]:
    """The source lines without zero-width characters, typographic spaces as " " (rare: one
    search of the whole text first is far cheaper than one per line)."""
    if not _UNUSUAL.search(text):
        return source
    return [raw.translate(_VISIBLE_FORM) for raw in source]


def render(normalized: Normalized) -> str:
    """The text of the logical lines (noise dropped), one paragraph per line, blank between."""
    return "\n\n".join(line.text for line in normalized.lines if not line.noise)


# --- one line ----------------------------------------------------------------------------


# What any step of _clean_line below reads (a mark, a space, a debris or table character): a line
# without any of these is only stripped — most lines of running text.
_NEEDS_CLEANING = re.compile(r'[\r\t|<&\]*_#>+•=\- \u3000\u00a0,:;?!()"]')


def _clean_line(raw: str) -> str:
    return _repair_line(raw) if _NEEDS_CLEANING.search(raw) else raw.strip()


def _repair_line(raw: str) -> str:
    line = raw.replace("\r", "").rstrip()
    if not line:
        return ""  # blank lines are half of many files
    table_row = _is_table_row(line)
    if "<" in line:  # HTML debris is rare: only then pay for the tag patterns
        line = _HTML_COMMENT.sub("", line)
        line = _AUTOLINK.sub(lambda m: m.group(1), line)
        line = _SUP.sub(lambda m: m.group(1).translate(_SUP_MAP), line)
        line = _BR.sub(" ", _INLINE_TAGS.sub("", line))
        if not table_row:
            line = _P_TAGS.sub(" ", line)
    if "&" in line:
        line = _UNKNOWN_ENTITY.sub(" ", html.unescape(line))
    if "](" in line:
        line = _MD_LINK.sub(lambda m: m.group(1), line)
    if "*" in line or "_" in line:
        line = _MD_BOLD.sub(lambda m: m.group(1) or m.group(2), line).replace("**", "")
    line = line.lstrip(" ")  # a row's leading spaces too: "  #\t重" must lose its mark now, not on a second cleaning
    while line[:1] in "#>-*+•" and line.strip():  # nested marks: "> - ### 标题"
        stripped = _MD_BULLET.sub("", _MD_QUOTE.sub("", _MD_HEADING.sub("", line))).lstrip(" ")
        if stripped == line:
            break
        line = stripped
    if table_row:
        line = line.rstrip().lstrip(" ")  # trailing empty cells were already lost to the extraction
        return line if _is_table_row(line) else _clean_line(line)  # debris was all that made it a row
    line = line.strip()
    if not line.strip(_RULE_CHARS):  # markdown rules and table separators
        return ""
    if not _ANY_HALF_MARK.search(line):
        return _fix_spaces(line)  # most lines: no mark to convert (respacing makes none)
    spaced = _fix_spaces(line)
    marked = _fix_punctuation(spaced)
    return spaced if marked == spaced else _fix_spaces(marked)  # idempotent: only a converted mark gives it more to do


def _fix_spaces(line: str) -> str:
    other = "\u3000" in line or "\u00a0" in line  # str's own search: several times faster than a pattern's
    if not other and " " not in line:
        return line
    if other or "  " in line:  # single plain spaces (most lines) are what _SPACES leaves
        line = _SPACES.sub(" ", line)
    if len(line.replace(" ", "")) > _RUNNING_TEXT or _PROSE_MARK.search(line):
        # every (now single) space a letter-spaced run holds is between two Chinese characters,
        # so removed here as well: the run need not be joined first
        line = _SPACE_IN_CJK.sub("", line)
        return _SPACE_CJK_DIGIT.sub("", line) if " " in line else line  # spaces are all " " by now
    return _SINGLE_CJK_RUN.sub(lambda m: m.group(0).replace(" ", ""), line)


_HALF_PARENS = re.compile(r"\(([^()（）]{0,200})\)")


def _full_parens(m: re.Match[str]) -> str:
    """( ) around or beside Chinese text are full-width; (2) at a line start is a number label."""
    inner = m.group(1)
    before = m.string[m.start() - 1] if m.start() else ""
    after = m.string[m.end() : m.end() + 4].lstrip()[:1]
    if (
        _CJK_ONE.search(inner)
        or before and _CJKISH_ONE.match(before)
        or after and _CJKISH_ONE.match(after)
    ):
        return f"（{inner}）"
    return m.group(0)


_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_HALF_MARK = re.compile(f"[{''.join(_HALF_TO_FULL)}]")
# One pattern a mark, its full-width form a literal replacement: no Python callback per mark (a
# mark converted makes the next one's lookbehind Chinese a pass earlier; _until_stable's result
# is the same, conversions only ever enable others).  The mark first: re jumps to it.
_HALF_PUNCT = tuple(
    (half, re.compile(f"{re.escape(half)}(?<=[{_CJKISH}]{re.escape(half)})(?![0-9/])"), full)
    for half, full in _HALF_TO_FULL.items()
)


def _fix_punctuation(line: str) -> str:
    if not _ANY_HALF_MARK.search(line):
        return line
    def parens_then_punct(text: str) -> str:
        # each feeds the other: "重,()" needs its ， before the ( ) beside it count as Chinese
        if "(" in text:
            text = _HALF_PARENS.sub(_full_parens, text)
        for half, pattern, full in _HALF_PUNCT:
            if half in text:
                text = pattern.sub(full, text)
        return text

    # each pass only where its mark is (the quotes make no mark the others read)
    if '"' in line:
        line = _until_stable(lambda t: _ASCII_QUOTES.sub(r"“\1”", t), line)
    if "(" in line or _HALF_MARK.search(line):
        line = _until_stable(parens_then_punct, line)
    return line


def _until_stable(step, line: str) -> str:
    """Apply a rewrite until nothing changes: nested or adjacent marks convert one by one,
    each seeing the one before it converted (what makes cleaning idempotent)."""
    while True:
        converted = step(line)
        if converted == line:
            return line
        line = converted


# --- joining lines -----------------------------------------------------------------------


def _is_table_row(line: str) -> bool:
    # a tab, or a | after leading whitespace (^\s*\||\t without a regex call: str.lstrip strips
    # the characters \s matches)
    return "\t" in line or "|" in line and line.lstrip()[:1] == "|"


def _repeated_short_lines(cleaned: list[str]) -> set[str]:
    counts = Counter(c for c in cleaned if c and len(c) <= 20)
    return {c for c, k in counts.items() if k >= 2}


def _is_furniture(line: str) -> bool:
    """A page number or a romanised banner; the first or last character rules most lines out
    before either pattern runs (\\d is what str.isdecimal accepts)."""
    if "A" <= line[:1] <= "Z":
        return bool(_ROMANISED.match(line))
    last = line[-1:]
    return bool(last) and (last.isdecimal() or last in "-—·•" or last.isspace()) and bool(_PAGE_NUMBER.match(line))


def _is_header_like(line: str, repeated: set[str]) -> bool:
    """A running header, page number or romanised banner that can sit inside a paragraph."""
    if _is_furniture(line):
        return True
    return line in repeated and not _CLAUSE_MARK.search(line) and not ORGAN_TAIL.search(line)


def _next_content(cleaned: list[str], j: int, repeated: set[str]) -> tuple[int | None, list[int], bool]:
    """Index of the next content line after j, the header-like lines skipped, and whether a gap
    (blank line or skipped header) separates it."""
    noise: list[int] = []
    gap = False
    while j < len(cleaned):
        c = cleaned[j]
        if not c:
            gap = True
        elif _is_header_like(c, repeated) and len(noise) < 3:
            noise.append(j)
            gap = True
        else:
            return j, noise, gap
        j += 1
        if j - (noise[0] if noise else j) > 12:
            break
    return None, [], gap


def _starts_element(line: str) -> bool:
    """Does this line open something of its own (heading, label, item, 文号, date…)?"""
    return bool(
        LADDER_START.match(line)
        or _LABEL_START.match(line)
        or _is_table_row(line)
        or _OPENERS.match(line)
        or BANNER.match(line.replace(" ", ""))
        or _DATE_START.match(line)  # 1993年10月31日 第八届…通过: a note under a title
        or len(line) < 40 and (_ends_closed(line) or ends_with_number(line))
    )


def _is_heading_only(line: str) -> bool:
    """A numbered heading with no sentence after it: 一、总体要求 / 第二章 监测."""
    m = LADDER_START.match(line)
    return bool(m) and not _CLAUSE_MARK.search(line, m.end())


def _inside_parenthesis(cur: str, b: str) -> bool:
    """Is a parenthesis (or 《, “) still open at the end of what was joined so far, and b its rest?
    （2021年3月26日…常务委员会 / 第二十八次会议通过 … / …施行）"""
    if cur[-1] in TERMINAL or len(cur) >= 300:
        return False  # the cheap tests first
    opened = (
        cur.count("（") + cur.count("(") > cur.count("）") + cur.count(")")
        or cur.count("《") > cur.count("》")
        or cur.count("“") > cur.count("”")
    )
    return opened and not _starts_element(b) and not _is_table_row(b)


def _continued_later(a: str) -> bool:
    """Does this line hold a 下转第N页 marker?"""
    return "页" in a and bool(_CONT_DOWN.search(a))


def _closed(a: str) -> bool:
    """Can nothing follow this line in the same paragraph?"""
    bare = a.replace(" ", "")
    end = a[-1]
    return bool(
        end in TERMINAL
        or _is_table_row(a)
        or a.isascii()
        or (end in _CLOSING_ENDS or end.isdecimal()) and _closed_by_end(a, bare)
        or len(bare) < _RUNNING_TEXT and _LABEL_START.match(a)
        or " " in a and len(bare) < _RUNNING_TEXT and not _PROSE_MARK.search(a)
    )


# Every character str.isspace accepts (tests/test_patterns.py checks)
_WHITESPACE = " \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
# What a line that _closed_by_end finds closed can end in: a space too (``bare`` ends otherwise
# than ``a``, and ends_with_number's \s* before a closing bracket)
_CLOSING_ENDS = frozenset("）)】号" + _WHITESPACE).union(
    BANNER.ends, ENDS_WITH_DATE.ends, _ENDS_IN_PAGE.ends, _ENDS_IN_NUMBER.ends, _TOC_PAGE_END.ends,
    TITLE_TAIL.ends, ORGAN_TAIL.ends, _NOTE_ALONE.ends,
)


def _closed_by_end(a: str, bare: str) -> bool:
    """The tests of _closed that the line's last character decides (one of _CLOSING_ENDS or a
    digit): most open lines end in neither, and skip these ten calls."""
    return bool(
        a[0] in "（(" and a[-1] in "）)"  # a parenthesised note: （…会议通过） （此件公开发布）
        or a[0] == "【" and a[-1] == "】"  # a section label
        or BANNER.match(bare)
        or _ends_closed(a)
        or ends_with_number(a)
        or len(bare) < 50 and _TOC_PAGE_END.search(a)
        or TITLE_TAIL.search(bare)
        or len(bare) < 40 and ORGAN_TAIL.search(bare)  # the length first: most lines are longer
    )


def _fragment(b: str, gap: bool) -> bool:
    """Is b a piece that cannot stand alone: a sentence end of three characters or less, a
    one-character label, or (with no blank line between) a bare label (…各直属 / 机构：)?"""
    first_sentence = _SENTENCE_END.split(b, maxsplit=1)
    return (
        len(first_sentence) > 1 and len(first_sentence[0]) <= 3
        or bool(_ONE_CHAR_LABEL.match(b))
        or bool(_BARE_LABEL.match(b)) and not gap
    )


def _continues(a: str, b: str, gap: bool) -> bool:
    """Is b the rest of the paragraph a was cut from?"""
    if not a or a[-1] in TERMINAL:
        return False  # closed (a 文号 cut after its year never ends in a terminal mark): most lines
    if cut_after_year(a, b):
        return True
    if _continued_later(a) or _closed(a):
        return False  # a 下转 line is stitched later, across the pages in between
    if _is_table_row(b) or b.isascii():
        return False
    return _reads_on(a, b, gap)


def _reads_on(a: str, b: str, gap: bool) -> bool:
    """After an open line ``a``, is ``b`` (text, not a table row) more of its paragraph?"""
    if _fragment(b, gap):
        return True
    if a[-1] in "，、":
        return True  # a comma cannot end a paragraph
    if _starts_element(b) or _is_heading_only(a):
        return False
    if len(b) < 8 and not _PROSE_OR_LIST_MARK.search(b) or ORGAN_TAIL.search(b) and len(b) < 40:
        return False  # a short standalone line is a heading, a name or a signature
    bare = a.replace(" ", "")
    if gap:
        return len(bare) >= 15  # across a blank line only a paragraph that filled its line is cut
    return len(bare) >= 8 or a[-1] in "，、"


def _join(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and b[0].isascii() and a[-1].isalnum() and b[0].isalnum():
        return f"{a} {b}"
    return _fix_spaces(_fix_punctuation(a + b))  # marks that pair across the cut convert now


# --- 下转 / 上接 ---------------------------------------------------------------------------


def _extract_continuations(lines: list[Line]) -> tuple[list[Line], list[tuple[int, int]]]:
    downs: list[tuple[int, int]] = []  # (line index, page it continues on)
    ups: list[tuple[int, int]] = []  # (line index, page it continues from)
    out: list[Line] = []
    for idx, line in enumerate(lines):
        text = line.text
        if "页" not in text:  # both markers end in 页
            out.append(line)
            continue
        down = _CONT_DOWN.search(text)
        up = _CONT_UP.search(text)
        if down:
            downs.append((idx, int(down.group(1))))
        if up:
            ups.append((idx, int(up.group(1))))
        if down or up:
            text = _clean_line(_CONT_UP.sub("", _CONT_DOWN.sub("", text)))
            furniture = not text or _is_furniture(text)  # a marker alone, or with a page number
            line = Line(text, line.first, line.last, line.noise or furniture)
        out.append(line)
    return out, _pair(downs, ups)


def _pair(downs: list[tuple[int, int]], ups: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pair each 上接 (from page s) with a 下转 (to page t) printed before it, t > s.  Pieces
    are printed in page order, so among the candidates the one continued on the earliest page
    comes first (A 下转第9页 … B 下接第7页 … 上接第6页 is B's rest, 上接第3页 A's)."""
    pairs: list[tuple[int, int]] = []
    free = list(downs)
    for up, source in ups:
        candidates = [d for d in free if d[0] < up and d[1] > source] or [d for d in free if d[0] < up]
        if not candidates:
            continue
        down = min(candidates, key=lambda d: (d[1], -d[0]))
        free.remove(down)
        pairs.append((down[0], up))
    return sorted(pairs)


