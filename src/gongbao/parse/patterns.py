"""Vocabulary of the genre shared by the parser stages, declared once as data.

Everything here describes official documents in general (GB/T 9704-2012, 党政机关公文处理工作
条例), never one gazette.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from gongbao.textforms import nfkc, title_key  # re-exported: the stages read them here

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = "\u3000-\u303f\uff00-\uffef\u2018-\u201f\u2026\u2014\u00b7"
CJK_CHAR = re.compile(f"[{CJK}]")


class EndPattern:
    """A pattern whose every match ends the text (each alternative ends in ``$``), with the
    characters such a match can end in.  ``re`` tries a search at every position of a line, and
    most lines are ruled out by their last character alone, so that is looked at first.
    (tests/test_patterns.py checks the declared characters against strings the pattern matches.)"""

    __slots__ = ("regex", "pattern", "last", "ends", "decimal")

    def __init__(self, pattern: str, last: str, decimal: bool = False) -> None:
        self.regex = re.compile(pattern)
        self.pattern = pattern
        self.last = frozenset(last)
        self.ends = self.last | {"\n"}  # $ also matches before a final \n
        self.decimal = decimal  # a match may end in \d: any character str.isdecimal accepts

    def may_end(self, text: str) -> bool:
        """False when no match can end ``text`` (its last character rules it out)."""
        end = text[-1:]
        return end in self.ends or self.decimal and end.isdecimal()

    # search and match test the last character themselves: a call to may_end costs as much as
    # the test (they run on every line, several times)
    def search(self, text: str) -> re.Match[str] | None:
        end = text[-1:]
        return self.regex.search(text) if end in self.ends or self.decimal and end.isdecimal() else None

    def match(self, text: str) -> re.Match[str] | None:
        end = text[-1:]
        return self.regex.match(text) if end in self.ends or self.decimal and end.isdecimal() else None

# A line that ends with one of these ends a sentence (so is not cut by a page break).
TERMINAL = "。！？；：!?;:…」』”"

# 文种: the kinds of document named by the last word of a title (党政机关公文处理工作条例 第八条,
# plus the texts that notices commonly issue).  Longest first so that 实施意见 wins over 意见.
DOC_TYPES = (
    "实施意见", "指导意见", "实施方案", "工作方案", "实施细则", "实施办法", "管理办法", "工作要点",
    "决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复",
    "议案", "函", "纪要", "办法", "规定", "细则", "方案", "要点", "规划", "计划", "规则", "条例",
    "准则", "标准", "目录", "清单", "名单", "名录", "一览表", "汇总表", "统计表", "分解表", "计划表", "明细表",
    "指引", "措施", "政策解读", "解读", "解释", "答复", "预案", "令",
)
# The 文种 a title reports: the base type, not the qualified one (实施意见 → 意见).
TYPE_BASE = {
    "实施意见": "意见", "指导意见": "意见", "实施方案": "方案", "工作方案": "方案",
    "实施细则": "细则", "实施办法": "办法", "管理办法": "办法", "工作要点": "要点",
    "政策解读": "解读",
}
# 安排 (the 最高人民法院's arrangements with Hong Kong and Macao) ends a title only as …的安排 or
# …的补充安排: as a verb it ends many a wrapped line of running text (…年度计划安排 / 的项目…).
# A part number after the 文种 is a 司法解释's (…若干问题的解释（二）).
TITLE_TAIL = EndPattern(
    r"(?:" + "|".join(DOC_TYPES) + r"|(?<=的)安排|(?<=的补充)安排)"
    r"(?:[（(](?:试行|暂行|修订|修订稿|草案|征求意见稿|(?:19|20)\d\d\s*[—\-–－~～至]\s*(?:19|20)\d\d\s*年?"
    r"|[一二三四五六七八九十]{1,3})[)）])?$",
    "".join(t[-1] for t in DOC_TYPES) + "排)）",
)

# Organ names end in one of these (longest first).
ORGAN_SUFFIXES = (
    "人民政府办公厅", "人民政府办公室", "人民代表大会常务委员会", "人民政府", "办公厅", "办公室", "委员会",
    "管理委员会", "常委会", "监督管理局", "管理局", "总局", "分局", "局", "委", "厅", "部", "署", "院",
    "办", "中心", "政府", "公司", "协会", "联合会", "总工会", "工会", "团委", "妇联", "科协", "党委",
    "街道", "银保监局", "证监局", "法院", "检察院", "队", "站", "所",
)
ORGAN_SUFFIX = "(?:" + "|".join(sorted(ORGAN_SUFFIXES, key=len, reverse=True)) + ")"
ORGAN_TAIL = EndPattern(ORGAN_SUFFIX + "$", "".join(s[-1] for s in ORGAN_SUFFIXES))

# A red-header banner (版头): 发文机关标志 = organ name(s) + 文件, or an order header + 令.
BANNER = EndPattern(rf"^(?P<organ>[{CJK}（）()、 ]{{2,60}}?)(?P<kind>文件|令|公告|通告)$", "件令告")

# 一、 （一） 1. （1） ① 第X条 第X章 — the start of a numbered element of the body.
LADDER_START = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇0-9]+[编章节条款]"
    r"|[一二三四五六七八九十百]+[、．.]"
    r"|[（(][一二三四五六七八九十百]+[)）]"
    r"|\d{1,3}[、．.](?!\d)"
    r"|[（(]\d{1,3}[)）]"
    r"|[①-⑳])"
)

# Dates written in full, Arabic or Chinese numerals, with optional spaces (wraps).
_NUM = "0-9０-９"
_CN_DIGIT = "〇○零OＯ一二三四五六七八九"
# A year may mix Arabic and Chinese digits and a letter O, as OCR leaves it (二0二一, 2O21).
FULL_DATE = re.compile(
    rf"[12１２一二](?:\s*[{_NUM}{_CN_DIGIT}]){{3}}\s*年\s*(?:[{_NUM}一二三四五六七八九十]{{1,3}}|元)\s*月"
    rf"\s*[{_NUM}一二三四五六七八九十]{{1,3}}\s*日"
)
# A line that ends in a date (signature date) or in a printing date (…2021年3月6日印发).
ENDS_WITH_DATE = EndPattern(rf"{FULL_DATE.pattern}(?:\s*印\s*发)?$", "日发")

# A TOC entry's end: leaders (or one ellipsis) and the page, 标题……（3） / 标题… 13 / 标题·····4.
# Written with the leader character first, the one class every match starts with, so that re
# jumps from leader to leader instead of trying both alternatives at every character (5× faster
# on lines ending in ）; tests/test_patterns.py holds it to (?:[·…．.\-—]{2,}|…)\s*[（(]?\d{1,3}[)）]?$|[·…]{3,}$).
PAGE_LEADER_END = r"[·…．.\-—](?:(?:[·…．.\-—]+|(?<=…))\s*[（(]?\d{1,3}[)）]?$|(?<=[·…])[·…]{2,}$)"

# Labels of the 版记 and closing elements.
CC_LABEL = re.compile(r"^抄\s*送[:：]\s*")
# 此件公开发布 / 主动公开 (public) or 不公开 / 依申请公开 (not published of its own accord), also
# under a label (（信息公开形式：主动公开）)
PUBLIC_MARK = re.compile(
    r"^[（(]\s*(?:此\s*件\s*|信息公开(?:形式|选项|方式|属性)[:：])(?:公\s*开\s*发\s*布|主\s*动\s*公\s*开|(?P<withheld>不\s*公\s*开|依\s*申\s*请\s*公\s*开))[^)）]*[)）]$"
)
ATTACHMENT_LABEL = re.compile(r"^附\s*件\s*(?:[0-9０-９]+\s*)?(?:[:：]\s*|$)")

# TOC sections whose entries are news items, not documents.
NEWS_SECTION = re.compile(r"要闻|政务信息|动态|大事记|简讯|新闻|图片|信息选登")

# Gazette parts that are not official documents, by their headings.
ARTICLE_HEADINGS = (
    ("toc", re.compile(r"^(?:目\s*[录次]|本\s*期\s*目\s*[录次]|CONTENTS)$", re.I)),
    ("index", re.compile(r"^文\s*件\s*检\s*索$")),
    ("index", re.compile(r"^(?:.{0,40}主要文件目录|.{0,30}文件目录)$")),
    ("news", re.compile(r"^(?:政\s*务\s*要\s*闻|政\s*务\s*动\s*态|工\s*作\s*动\s*态|大\s*事\s*记|政\s*务\s*信\s*息)$")),
    ("editorial", re.compile(r"^(?:卷\s*首\s*语|编\s*者\s*按|本\s*刊\s*评\s*论)$")),
    ("other", re.compile(r"^.{0,30}(?:任免工作人员|人事任免|任免名单)$")),
    # a policy web page: its metadata block (索引号：…) and the furniture under the text
    ("other", re.compile(r"^(?:扫一扫在手机打开当前页|我要纠错|打印本页|关闭窗口)$|^索引号[:：]")),
    ("masthead", re.compile(r"^(?:编\s*辑\s*委\s*员\s*会|主\s*管\s*单\s*位|主\s*办\s*单\s*位|编\s*辑\s*出\s*版)\s*[:：]?")),
)


# Words without which a heading whose pattern holds one cannot match: such a pattern tries every
# start of a long line (.{0,40}主要文件目录), so it is tried only on lines that hold the word.
_HEADING_WORDS = ("目录", "任免")
_HEADING_WORD = re.compile("|".join(_HEADING_WORDS))


def _headings(words: bool) -> re.Pattern[str]:
    """The headings in one pattern, one named alternative each in the table's order: the first
    that matches wins, as it would testing them one by one (one call instead of seven).  Without
    ``words``: the headings that need one of ``_HEADING_WORDS`` never match."""
    return re.compile("|".join(
        f"(?P<h{n}>(?{'i' if p.flags & re.I else ''}:{p.pattern}))"
        if words or not any(w in p.pattern for w in _HEADING_WORDS) else f"(?P<h{n}>(?!))"
        for n, (_, p) in enumerate(ARTICLE_HEADINGS)))


_HEADINGS = _headings(True)
_HEADINGS_WITHOUT_WORDS = _headings(False)
# What a match of _HEADINGS_WITHOUT_WORDS starts with (目录, 文件检索, 政务要闻, 卷首语, 主办单位…;
# CONTENTS in either case): most lines are ruled out by their first character.
_HEADING_FIRSTS = frozenset("目本Cc文政工大卷编扫我打关索主")


def article_kind(text: str) -> str | None:
    """The kind of non-document part a heading line opens (None: not such a heading)."""
    if "目" not in text and "任" not in text and text.lstrip()[:1] not in _HEADING_FIRSTS:
        return None  # what bare_article_kind rules out first, told before the spaces are stripped
    return bare_article_kind(strip_spaces(text))


def bare_article_kind(bare: str) -> str | None:
    """``article_kind`` of a line whose spaces are stripped already."""
    if _HEADING_WORD.search(bare):
        m = _HEADINGS.match(bare)
    elif bare[:1] in _HEADING_FIRSTS:
        m = _HEADINGS_WITHOUT_WORDS.match(bare)
    else:
        return None
    return ARTICLE_HEADINGS[int(m.lastgroup[1:])][0] if m else None


def strip_spaces(text: str) -> str:
    # str.split() splits on exactly the characters re's \s matches, several times faster
    return "".join(text.split())


# --- text helpers the body stages share (outline, tables, tasks) -----------------------------

_DEBRIS_HEAD = re.compile(r"^(?:\s|#+|>|[-*+•·](?=\s)|</?(?:b|strong|p)>)+")
_DEBRIS_ANY = re.compile(r"\*\*|__|</?(?:b|strong|em|i|u|sup|sub)>")
_CJK_GAP = re.compile(rf"(?<=[{CJK}（）《》“”、，：；])[ \u3000]+(?=[{CJK}（）《》“”、，：；])")


def strip_debris(text: str) -> str:
    """Remove markdown/HTML debris PDF extraction leaves: ``#``, ``>``, ``- ``, ``**``, ``<b>``."""
    first = text[:1]
    if first in "#>-*+•·<" or first.isspace():  # what _DEBRIS_HEAD can start with
        text = _DEBRIS_HEAD.sub("", text)
    if "*" in text or "_" in text or "<" in text:  # what _DEBRIS_ANY can start with
        text = _DEBRIS_ANY.sub("", text)
    return text.strip()


def squeeze_cjk(text: str) -> str:
    """Drop spaces between CJK characters (wraps, letter spacing): 总 则 → 总则."""
    return (_CJK_GAP.sub("", text) if " " in text or "\u3000" in text else text).strip()


# --- scanning a whole text for a few words ---------------------------------------------------
# re searches for a set of first characters (a class, or alternatives of words) by testing the
# set at every character, about 60 instructions each; str.find runs through the text for one
# word many times faster.  Used where a stage scans a document's whole text.


def word_starts(text: str, words: Iterable[str]) -> list[int]:
    """Every place where one of ``words`` occurs in ``text``, in text order."""
    found: list[int] = []
    for word in words:
        at = text.find(word)
        while at >= 0:
            found.append(at)
            at = text.find(word, at + 1)
    return sorted(found)


def find_from_words(pattern: re.Pattern[str], text: str, words: Iterable[str]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern whose every match starts with one of ``words``:
    matched only where one of them starts (after the previous match, as finditer goes on)."""
    end = 0
    for at in word_starts(text, words):
        if at >= end and (m := pattern.match(text, at)):
            end = m.end()
            yield m
