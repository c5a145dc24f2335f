"""发文字号 (文号): parse every written form into a ``models.DocNumber`` and find them in text.

A 文号 is ``prefix〔year〕serial号`` (渝府办发〔2021〕26号); a government order is
``prefix第serial号`` with a prefix ending in 令 (重庆市人民政府令第340号) and no year.

Decisions (see docs/links.md):
- Any bracket pair 〔〕 [] () （） 【】 ［］ 〈〉 ﹝﹞ <> around the year, mixed pairs included
  (OCR mixes them); spaces and line breaks anywhere are wrap debris and dropped.
- Full-width digits become ASCII.  The serial is stored without leading zeros
  (国科发火字〔1996〕061号 → serial "61") so that equal 文号 compare equal as values; the
  printed form stays in the citation text.
- ``parse_doc_number("第340号")`` gives prefix "" (an order number whose 令 line is
  elsewhere), and "〔2020〕38号" gives prefix "" too; ``find_doc_numbers`` reports neither
  in running text (bare 第N号 is far too common, and a 文号 without prefix cannot be
  resolved).
- In running text the prefix is the CJK run right before the bracket, cut after the last
  function word (根据, 按照, 对, 和, 的 …) and capped at ``MAX_PREFIX`` characters.  One wrap
  space inside the prefix is bridged when the piece before it is short and starts right
  after an opening bracket or punctuation: "(武 隆府发(2020)11号)".
"""

from __future__ import annotations

import re

from gongbao import keptre
from gongbao.models import DocNumber

__all__ = [
    "parse_doc_number", "find_doc_numbers", "normalize_doc_number", "MAX_PREFIX",
    "number_line", "number_after", "ends_with_number", "cut_after_year", "continues_number",
]

MAX_PREFIX = 10
MAX_ORDER_PREFIX = 20  # 中华人民共和国国家发展和改革委员会令
MIN_YEAR, MAX_YEAR = 1949, 2100
_LOOK_BACK = 4 * MAX_PREFIX  # enough to find the last function word before a prefix

_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_OPEN = "〔[(（【［〈﹝<"
_CLOSE = "〕])）】］〉﹞>"
_CJK = r"\u3400-\u9fff"

# Words that end the text before a 文号 and never occur inside a prefix.  Longer words first
# so that 按照 is cut as a whole.  Characters that real prefixes use (经 in 渝经信发, 自 in
# 自然资规, 发, 办, 政, 府, 字, 令 …) are deliberately absent; 和 is a stop except in 共和国.
_STOP_WORDS = (
    "根据", "依据", "依照", "按照", "参照", "对照", "遵照", "印发", "转发", "贯彻", "落实",
    "执行", "文件", "精神", "规定", "要求", "通知", "意见", "办法", "关于", "结合", "通过",
    "做好", "加强", "严格", "实施", "详见", "附件", "废止", "修订", "代替", "替代", "同时",
    "参考", "参阅", "查阅", "学习", "遵循", "下发", "发布", "出台", "制定", "颁布", "单位", "部门",
    "各",
    "的", "对", "以", "与", "及", "并", "或", "为", "于", "在", "将", "是", "把", "向",
    "即", "见", "等", "了", "按", "据", "由", "从", "被", "原", "请", "如", "若", "其",
)
_STOP_RE = keptre.compile("|".join([*map(re.escape, _STOP_WORDS), "(?<!共)和(?!国)"]))

_YEAR = r"(?P<year>[0-9](?:[ \t]?[0-9]){3})"
_SERIAL = r"(?P<serial>[0-9](?:[ \t]?[0-9])*)"
_BRACKETED = keptre.compile(
    rf"[{re.escape(_OPEN)}]\s*{_YEAR}\s*[{re.escape(_CLOSE)}]\s*第?\s*{_SERIAL}\s*号"
)
_ORDER = keptre.compile(rf"令\s*第\s*{_SERIAL}\s*号")
_WHOLE_BRACKETED = keptre.compile(rf"(?P<prefix>[{_CJK}\s]*?)\s*{_BRACKETED.pattern}", re.S)
_WHOLE_ORDER = keptre.compile(rf"(?P<prefix>(?:[{_CJK}\s]*令)?)\s*第\s*{_SERIAL}\s*号", re.S)
_CJK_CHAR = keptre.compile(rf"[{_CJK}]")
_DATE_DIGITS = "0123456789〇○零一二三四五六七八九十"
_OUTER = {"(": ")", "（": "）", "[": "]", "【": "】", "［": "］"}


def _ascii_digits(text: str) -> str:
    """``text`` with full-width digits made ASCII (same length, so spans stay valid)."""
    return text.translate(_FULLWIDTH) if any(d in text for d in "０１２３４５６７８９") else text


def _unspaced(text: str) -> str:
    return "".join(text.split())  # every \s removed (str.split: the same characters, faster)


def _serial(text: str) -> str:
    return _unspaced(text).lstrip("0") or "0"


def _make(prefix: str, year: str | None, serial: str) -> DocNumber | None:
    if year is None:
        return DocNumber(prefix, None, _serial(serial))
    value = int(_unspaced(year))
    if not MIN_YEAR <= value <= MAX_YEAR:
        return None
    return DocNumber(prefix, value, _serial(serial))


def parse_doc_number(text: str) -> DocNumber | None:
    """The 文号 that ``text`` (trimmed, optionally in one pair of parentheses) consists of."""
    s = _ascii_digits(text).strip()
    if len(s) > 2 and s[0] in _OUTER and s[-1] == _OUTER[s[0]]:
        s = s[1:-1].strip()
    m = _WHOLE_BRACKETED.fullmatch(s)
    if m:
        return _make(_unspaced(m["prefix"]), m["year"], m["serial"])
    m = _WHOLE_ORDER.fullmatch(s)
    if m:
        return _make(_unspaced(m["prefix"]), None, m["serial"])
    return None


def normalize_doc_number(text: str) -> str | None:
    """The normalised printed form of the 文号 ``text`` is, or None."""
    number = parse_doc_number(text)
    return None if number is None else str(number)


def _run_before(text: str, end: int) -> int:
    """Start of the run of CJK characters ending at ``end`` (looking back a bounded way)."""
    start = end
    while start > 0 and end - start < _LOOK_BACK and "\u3400" <= text[start - 1] <= "\u9fff":  # _CJK, without a call a character
        start -= 1
    return start


def _gap_before(text: str, end: int) -> int:
    """Start of the wrap gap (spaces, at most one line break) ending at ``end``."""
    start = end
    newline = False
    while start > 0 and text[start - 1] in " \t\u3000\n":
        if text[start - 1] == "\n":
            if newline:
                break
            newline = True
        start -= 1
    return start


def _prefix_before(text: str, end: int) -> tuple[str, int]:
    """The 文号 prefix ending (after a wrap gap) at ``end`` and where it starts."""
    stop = _gap_before(text, end)
    start = _run_before(text, stop)
    prefix = text[start:stop]
    if prefix:
        # bridge one wrap space inside the prefix: "(武 隆府发" / "(渝府 办发"
        gap = _gap_before(text, start)
        if gap < start:
            piece = _run_before(text, gap)
            opener = piece == 0 or not _CJK_CHAR.match(text, piece - 1)
            if 0 < gap - piece <= 3 and opener and gap - piece + len(prefix) <= MAX_PREFIX:
                prefix = text[piece:gap] + prefix
                start = piece
    cut = 0
    for m in _STOP_RE.finditer(prefix):
        cut = m.end()
    if not cut and prefix[:1] in "年月日" and start > 0 and text[start - 1] in _DATE_DIGITS:
        cut = 1  # …2019年10月22日国务院令第722号: the date's 日 is not part of the prefix
    limit = MAX_ORDER_PREFIX if prefix.endswith("令") else MAX_PREFIX
    if len(prefix) - cut > limit:
        cut = len(prefix) - limit
    if cut:
        # advance ``start`` past the cut, counting only CJK characters (not bridged spaces)
        kept = 0
        pos = start
        while kept < cut:
            if _CJK_CHAR.match(text, pos):
                kept += 1
            pos += 1
        while text[pos] in " \t\u3000\n":
            pos += 1
        start = pos
        prefix = prefix[cut:]
    if not prefix:
        start = end
    return prefix, start


def find_doc_numbers(text: str) -> list[tuple[DocNumber, int, int]]:
    """Every 文号 and order number in running ``text`` with its (start, end) character span."""
    if "号" not in text:
        return []  # both shapes end in 号: str's search, far faster than re's for the brackets' class
    s = _ascii_digits(text)
    found: list[tuple[DocNumber, int, int]] = []
    for m in _BRACKETED.finditer(s):
        prefix, start = _prefix_before(s, m.start())
        if not prefix:
            continue  # "〔2020〕38号" alone names nothing that can be resolved
        number = _make(prefix, m["year"], m["serial"])
        if number is not None:
            found.append((number, start, m.end()))
    for m in _ORDER.finditer(s):
        prefix, start = _prefix_before(s, m.start() + 1)
        if prefix:
            found.append((_make(prefix, None, m["serial"]), start, m.end()))
    found.sort(key=lambda item: item[1])
    return found


# --- the line-level recogniser: what every parser stage (and the query parser) asks ---------
#
# Lines of a gazette hold a 文号 in a few shapes only; they are recognised here and nowhere
# else.  A line that IS a 文号 (under a red header), a line that ENDS with one in parentheses
# (a title or TOC entry), a line that ends with one (so is complete), a 文号 cut after its
# year by a wrap, and a query word that continues one.

_TABLE_ROW = keptre.compile(r"^\s*\||\t")
_SIGNER = keptre.compile(r"\s*签\s*发\s*人\s*[:：].*$")  # 上行文: 文号 and 签发人 on one line
_ORDER_IN_PARENS = keptre.compile(r"[（(]\s*(第\s*[0-9０-９]+\s*号)\s*[)）]$")
_ORDER_ALONE = keptre.compile(r"^第\s*[0-9０-９一二三四五六七八九十百千零〇]+\s*号$")  # 第340号 under a 令 banner
# what a scan leaves of a 文号 line: 某政办发(2021)18 / 某府发〔2O21〕3号
_SCANNED = keptre.compile(
    rf"^(?P<prefix>[\u4e00-\u9fff]{{2,12}})[{re.escape(_OPEN)}]"
    r"(?P<year>(?:19|20)(?:[0-9]O|O[0-9]|[0-9]o|o[0-9])|(?:19|20)[0-9]{2})"
    rf"[{re.escape(_CLOSE)}](?P<serial>[0-9]{{1,4}})(?:号)?$"
)
# 2021年第5号, …公告2021年第5号, …常务委员会公告第85号
_ANNOUNCEMENT = keptre.compile(r"^(?P<prefix>\S*?)(?:(?P<year>(?:19|20)\d\d)\s*年\s*)?第\s*(?P<serial>\d{1,4})\s*号$")
_YEAR_IN_BRACKETS = rf"[{re.escape(_OPEN)}]\s*(?:19|20)\d\d\s*[{re.escape(_CLOSE)}]"
_AFTER = keptre.compile(rf"[（(]\s*(?P<number>[^（()）]{{2,30}}?(?:{_YEAR_IN_BRACKETS}\s*\d+|令\s*第?\s*\d+)\s*号)\s*[)）]$")
_ENDS = keptre.compile(
    rf"{_YEAR_IN_BRACKETS}\s*\d+\s*号[)）]?$"
    r"|^第\s*\d+\s*号$|^(?:19|20)\d\d\s*年\s*第\s*\d+\s*号$|令\s*[（(]?\s*第\s*\d+\s*号\s*[)）]?$"
)
_HEADER_NUMBER = keptre.compile(r"(?<=令|告)\s*[（(]\s*(?P<inner>(?:(?:19|20)\d\d\s*年\s*)?第\s*\d{1,4}\s*号)\s*[)）]$")
_YEAR_END = keptre.compile(rf"{_YEAR_IN_BRACKETS}$")
_SERIAL_START = keptre.compile(r"^\s*第?\s*\d{1,4}\s*号")


_NUMBER_LINE_MARK = keptre.compile(f"[号签{re.escape(_OPEN)}]")


def may_be_number_line(text: str) -> bool:
    """False when ``number_line(text)`` is None for sure, read in one scan: every shape it reads
    holds a 号 or, scanned, a year in brackets; a 签发人 beside it is cut off first."""
    return bool(_NUMBER_LINE_MARK.search(text))


def number_line(text: str) -> DocNumber | None:
    """The 文号 a whole line consists of: 渝府发〔2021〕1号 (also with 签发人 beside it, or as a
    scan leaves it), an order number (…令第340号, 第340号, 令（第340号）) or an announcement
    number (2021年第5号).  A table row holding a 文号 is a cell of a list, not a 文号 line."""
    if ("\t" in text or "|" in text) and _TABLE_ROW.search(text):
        return None
    unsigned = _SIGNER.sub("", text.strip()) if "签" in text else text.strip()
    bare = _unspaced(unsigned)
    if len(bare) > 40:
        return None
    m = _SCANNED.match(bare)
    if m:
        return DocNumber(m["prefix"], int(m["year"].replace("O", "0").replace("o", "0")), _serial(m["serial"]))
    if "号" not in bare:
        return None
    unsigned = _ORDER_IN_PARENS.sub(r"\1", unsigned)
    number = parse_doc_number(unsigned)
    if number is not None and (
        number.year is not None or _ORDER_ALONE.match(_unspaced(unsigned)) or number.prefix.endswith("令")
    ):
        return number
    m = _ANNOUNCEMENT.match(bare)
    if m and (m["year"] and not m["prefix"] or m["prefix"].endswith("公告")):
        return DocNumber(prefix=m["prefix"], year=int(m["year"]) if m["year"] else None, serial=_serial(m["serial"]))
    return None


def number_after(text: str) -> tuple[str, DocNumber] | None:
    """A line that ends with its 文号 or order number in parentheses, split:
    关于…的通知（渝府发〔2021〕1号） → (关于…的通知, 渝府发〔2021〕1号)."""
    stripped = text.strip()
    if stripped[-1:] not in ")）":
        return None  # both shapes end in a closing parenthesis
    m = _AFTER.search(stripped)
    if m:
        number = parse_doc_number(m["number"])
        return None if number is None else (stripped[: m.start()].strip(), number)
    # an order or announcement header with its number in parentheses: …国务院令（第761号）,
    # …水利部公告（2022年第12号）: the header is the title, header + number the 文号
    m = _HEADER_NUMBER.search(stripped)
    if not m:
        return None
    header = stripped[: m.start()].strip()
    number = number_line(header + m["inner"])
    return None if number is None else (header, number)


def ends_with_number(text: str) -> bool:
    """Does the line end with a 文号 or order number (so nothing of its paragraph follows)?"""
    return "号" in text and bool(_ENDS.search(text))  # every shape ends in 号


def cut_after_year(before: str, after: str) -> bool:
    """Is this a 文号 cut by a wrap after its year: 渝府发〔2021〕 / 12号?"""
    return bool(_SERIAL_START.match(after) and _YEAR_END.search(before))  # the anchored test first: cheap


def continues_number(word: str) -> bool:
    """Can this word continue a 文号 written with spaces (渝府办发 〔2021〕 12号)?"""
    return bool(word) and (word[0] in _OPEN or word[0].isdigit())
