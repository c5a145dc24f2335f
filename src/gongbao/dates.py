"""Dates and deadlines, the one date module of gongbao.

Three public functions, from strict to forgiving:

- ``parse_date(text)``: the ISO date that ``text`` is (2021年5月25日, 二〇二〇年七月十日,
  2021.05.25, 2021-05-25, 2021/5/25, "5月25日" with ``context_year``), else None.
- ``find_dates(text)``: every date and date range in running text, with character spans.
  Dates without a year take the year of the last dated mention before them (or
  ``context_year``); range ends take year and month from the start.
- ``parse_deadline(text)``: never fails; classifies a deadline as written in task tables
  (date, period_end, recurring, ongoing, range, unknown) and gives its ISO date where it
  has one.  The earliest date-like expression in the text decides.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from gongbao.models import Deadline

__all__ = ["parse_date", "find_dates", "parse_deadline"]

_FULLWIDTH = dict(zip("０１２３４５６７８９．／－：", "0123456789./-:"))
_FULLWIDTH_CHAR = re.compile("[０-９．／－：]")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "O": 0, "Ο": 0, "o": 0, "元": 1}

_S = r"[ \t\u3000]*"
_YEAR = r"(?<![0-9])(?:[0-9]{4}|[〇零○OΟ0-9一二三四五六七八九]{4})"
_NUM = r"(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3}|元(?=[ \t\u3000]*月))"  # 元月 = January
_TIME = rf"(?:{_S}(?:[0-9]{{1,2}}[:：][0-9]{{2}}|[0-9]{{1,2}}[时点](?:[0-9]{{1,2}}分)?))?"
_CONN = rf"{_S}(?:至|到|—+|–|-|~|～|－){_S}"

# a day with its month, optionally its year; or an all-numeric date
_DAY = rf"(?:{_YEAR}{_S}年{_S})?(?<![0-9]){_NUM}{_S}月{_S}{_NUM}{_S}日"
_NUMERIC = "(?<![0-9.])(?:" + "|".join(
    rf"[0-9]{{4}}{sep}[0-9]{{1,2}}{sep}[0-9]{{1,2}}" for sep in (r"\.", "-", "/")
) + ")(?![0-9])"
_DAY_END = rf"(?:(?:{_YEAR}{_S}年{_S})?{_NUM}{_S}月{_S})?{_NUM}{_S}日"
_MONTH = rf"(?:{_YEAR}{_S}年{_S})?(?<![0-9]){_NUM}{_S}月(?!{_S}{_NUM}{_S}日)"

_FIND = re.compile(
    # the lookahead lets the engine skip, cheaply, the many positions where no numeral starts
    rf"(?=[0-9〇零○OΟ一二三四五六七八九十])"
    rf"(?:(?P<a>{_DAY}|{_NUMERIC}){_TIME}(?:{_CONN}(?P<b>{_DAY_END}|{_NUMERIC}){_TIME})?"
    rf"|(?P<ma>{_MONTH}){_CONN}(?P<mb>{_MONTH}))"
)
_TIME_END = re.compile(rf"{_TIME}$")
_TIME_LAST = "0123456789时点分"  # what each of _TIME's forms ends with
_TIME_AT = re.compile(_TIME)
_PARTS = re.compile(
    rf"(?:(?P<y>{_YEAR}){_S}年{_S})?(?:(?P<m>{_NUM}){_S}月{_S})?(?:(?P<d>{_NUM}){_S}日)?"
    rf"|(?P<ny>[0-9]{{4}})[./-](?P<nm>[0-9]{{1,2}})[./-](?P<nd>[0-9]{{1,2}})"
)

# deadline vocabularies, as data: pattern → kind (checked after dates and period ends)
_RECURRING = re.compile(r"每(?:个|一)?(?:工作日|月|季度|季|半年|年度|年|周|星期|旬|日|天)")
_ONGOING = re.compile(r"持续推进|持续开展|持续|长期坚持|长期|常态化|按时序推进|按序时推进|常年|动态调整")
_PERIOD_SUFFIX = {"上旬": 10, "中旬": 20}
_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
_HALF_END = {"上半年": (6, 30), "下半年": (12, 31)}
_PERIODS = re.compile(
    rf"(?=[0-9〇零○OΟ一二三四五六七八九十第上下年])"
    rf"(?:(?P<y>{_YEAR}){_S}年{_S})?(?:"
    rf"(?P<m>{_NUM}){_S}月{_S}(?P<ms>底|末|上旬|中旬|下旬|份)?"
    rf"|第?(?P<q>[一二三四1-4]){_S}季度"
    rf"|(?P<h>上半年|下半年)"
    rf"|(?P<yw>年底|年末|年内)"
    rf"|(?P<ys>底|末|内|前)?)"
    rf"(?!{_S}(?:起|开始|以来))"  # 2021年起 is a start, not a deadline
)
_YEAR_RANGE = re.compile(rf"(?P<y1>{_YEAR}){_S}年?{_CONN}(?P<y2>{_YEAR}){_S}年")


def _ascii(text: str) -> str:
    """Full-width digits and separators made ASCII (same length, so spans stay valid): one
    str.replace per mark the text holds (str.translate looks every character up in a dict,
    about 50 ns each, and most texts hold a ：)."""
    for mark in set(_FULLWIDTH_CHAR.findall(text)):
        text = text.replace(mark, _FULLWIDTH[mark])
    return text


def _cn_int(text: str) -> int:
    text = text.replace(" ", "")
    if text.isdigit() and text.isascii():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    value = 0
    for char in text:
        value = value * 10 + (int(char) if char.isdigit() else _CN_DIGITS[char])
    return value


def _iso(year: int | None, month: int, day: int) -> str | None:
    if year is None:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _last_day(year: int | None, month: int) -> int:
    return calendar.monthrange(year or 2001, month)[1] if 1 <= month <= 12 else 0


def _parts(fragment: str) -> tuple[int | None, int | None, int | None]:
    text = fragment.strip()
    if text[-1:] in _TIME_LAST:  # only then can a time of day end it (most end in 日)
        text = _TIME_END.sub("", text)
    m = _PARTS.fullmatch(text)
    if m is None:
        return None, None, None
    if m["ny"]:
        return int(m["ny"]), int(m["nm"]), int(m["nd"])
    year, month, day = m.group("y", "m", "d")  # written out: a generator made the tuple at twice the cost
    return _cn_int(year) if year else None, _cn_int(month) if month else None, _cn_int(day) if day else None


_Found = tuple[Deadline, int, int]  # a date or range and its character span


def _valid_year(year: int | None) -> bool:
    return year is None or 1900 <= year <= 2100


def find_dates(text: str, *, context_year: int | None = None) -> list[_Found]:
    """Every date ("date") and date range ("range") in ``text`` with its character span.

    A date without its year takes the year of the date before it (or ``context_year``)."""
    s = _ascii(text)
    year = context_year
    found: list[_Found] = []
    for m in _FIND.finditer(s):
        read = _month_range(m, text, year) if m["ma"] else _day(m, s, text, year)
        if read is not None:
            item, year = read
            found.append(item)
    return found


def _month_range(m: re.Match[str], text: str, year: int | None) -> tuple[_Found, int | None] | None:
    """2021年3月至5月: from the first day of one month to the last of the other."""
    y1, m1, _ = _parts(m["ma"])
    y2, m2, _ = _parts(m["mb"])
    y1 = y1 or year
    y2 = y2 or y1
    if not (_valid_year(y1) and m1 and m2 and 1 <= m1 <= 12 and 1 <= m2 <= 12):
        return None
    if y1 is not None and y2 == y1 and m2 < m1:
        y2 = y1 + 1
    start, end = _iso(y1, m1, 1), _iso(y2, m2, _last_day(y2, m2))
    return (Deadline(text[m.start() : m.end()], "range", start, end), m.start(), m.end()), y2 or year


def _day(m: re.Match[str], s: str, text: str, year: int | None) -> tuple[_Found, int | None] | None:
    """A day (with a time of day after it, kept in the raw text), or a range of days."""
    y1, m1, d1 = _parts(m["a"])
    if not _valid_year(y1) or m1 is None or d1 is None:
        return None
    y1 = y1 or year
    start = _iso(y1, m1, d1)
    if y1 is not None and start is None:
        return None  # 2月30日: not a date
    ranged = _day_range(m, text, y1, m1, start) if m["b"] else None
    if ranged is not None:
        return ranged
    a_end = m.start("a") + len(m["a"])
    time = _TIME_AT.match(s, a_end)
    stop = time.end() if time else a_end
    return (Deadline(text[m.start() : stop], "date", start), m.start(), stop), y1


def _day_range(m: re.Match[str], text: str, y1: int | None, m1: int, start: str | None) -> tuple[_Found, int | None] | None:
    y2, m2, d2 = _parts(m["b"])
    explicit = y2 is not None
    y2, m2 = y2 or y1, m2 or m1
    end = _iso(y2, m2, d2) if d2 else None
    if end and start and end < start and not explicit and y2 is not None:
        end = _iso(y2 + 1, m2, d2)  # 12月20日至1月10日 runs into the next year
    if end is None and y1 is not None:
        return None
    return (Deadline(text[m.start() : m.end()], "range", start, end), m.start(), m.end()), int(end[:4]) if end else y1


def parse_date(text: str, *, context_year: int | None = None) -> str | None:
    """The ISO date ``text`` consists of (surrounding spaces, brackets and 。 ignored)."""
    s = text.strip().strip("()（）[]【】。. ")
    dates = find_dates(s, context_year=context_year)
    if len(dates) == 1:
        found, start, end = dates[0]
        if found.kind == "date" and start == 0 and end == len(s):
            return found.iso
    return None


def _period_end(m: re.Match[str], context_year: int | None) -> str | None:
    year = _cn_int(m["y"]) if m["y"] else context_year
    if m["m"]:
        month = _cn_int(m["m"])
        if not 1 <= month <= 12:
            return None
        day = _PERIOD_SUFFIX.get(m["ms"] or "", _last_day(year, month))
        return _iso(year, month, day)
    if m["q"]:
        return _iso(year, *_QUARTER_END[_cn_int(m["q"]) if m["q"].isdigit() else _CN_DIGITS[m["q"]]])
    if m["h"]:
        return _iso(year, *_HALF_END[m["h"]])
    return _iso(year, 12, 31)  # 2021年底, 年内, 2021年


def _periods(text: str, context_year: int | None) -> list[tuple[Deadline, int, int]]:
    found = []
    for m in _YEAR_RANGE.finditer(text):
        first, last = _cn_int(m["y1"]), _cn_int(m["y2"])
        if _valid_year(first) and _valid_year(last) and first <= last:
            found.append((Deadline(m[0], "range", f"{first}-01-01", f"{last}-12-31"), m.start(), m.end()))
    for m in _PERIODS.finditer(text):
        if not (m["y"] or m["m"] or m["q"] or m["h"] or m["yw"]):
            continue
        found.append((Deadline(m[0], "period_end", _period_end(m, context_year)), m.start(), m.end()))
    return found


_DIGIT = re.compile("[0-9]")


def _may_date(text: str) -> bool:
    """False when neither find_dates nor _periods can find anything in ``text`` (made ASCII):
    each of their forms holds 年, 月, 日, 季 or an ASCII digit.  Most cells and unit lists hold
    none, and both patterns try every numeral of a text (a deadline cell cost 9 µs)."""
    return "年" in text or "月" in text or "日" in text or "季" in text or _DIGIT.search(text) is not None


def parse_deadline(text: str, *, context_year: int | None = None) -> Deadline:
    """Classify the deadline ``text`` (kept as ``raw``); never fails."""
    raw = text
    s = _ascii(text).strip()
    if _RECURRING.search(s):
        return Deadline(raw, "recurring")
    candidates = find_dates(s, context_year=context_year) + _periods(s, context_year) if _may_date(s) else []
    if candidates:
        found, _, _ = min(candidates, key=lambda c: (c[1], c[1] - c[2]))
        return Deadline(raw, found.kind, found.iso, found.end_iso)
    if _ONGOING.search(s):
        return Deadline(raw, "ongoing")
    return Deadline(raw, "unknown")
