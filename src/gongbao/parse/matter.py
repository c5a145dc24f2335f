"""Non-document parts of an issue: where they begin after a document, and what kind they are
(toc, index, news, editorial, masthead, other)."""

from __future__ import annotations

import re

from gongbao.models import Head, Line, Segment
from gongbao.parse.heads import bare_text, content_lines, is_toc_entry, may_be_toc_entry
from gongbao.parse.patterns import ATTACHMENT_LABEL, PAGE_LEADER_END, article_kind, bare_article_kind, strip_spaces


def article_starts(lines: list[Line], heads: list[Head]) -> dict[int, str]:
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
    following = content_lines(lines, i + 1, 1, 2)
    return bool(following) and all(
        _CHAPTER.match(bare_text(lines[j]))
        or _SECTION_NUMBER.match(lines[j].text.strip())
        and len(bare_text(lines[j])) <= _OWN_ENTRY
        and not re.search(PAGE_LEADER_END, lines[j].text)
        for j in following
    )
_ANNEX_LIST = re.compile(r"废止|失效|保留|修改|清理|继续有效|宣布")


def _annexed(lines: list[Line], i: int) -> bool:
    """Is this list heading part of a document: an attachment, or a list of what it repeals?"""
    if _ANNEX_LIST.search(lines[i].text):
        return True
    before = content_lines(lines, i - 1, -1, 1)
    return bool(before) and bool(ATTACHMENT_LABEL.match(strip_spaces(lines[before[0]].text)))


def _masthead_run(lines: list[Line], i: int) -> bool:
    """A masthead block: several 'label：value' lines in a row (主管单位, 主办单位, 地址…)."""
    run = content_lines(lines, i, 1, 3)
    return sum(bool(re.match(r"^[^\s：:]{2,8}\s*[：:]", lines[j].text)) for j in run) >= 2


# A masthead line, in two parts: what a line starts with (月刊, 主办单位：…, the romanised name, the
# year) is matched at its start only; the words it may hold anywhere are searched for only when
# one of their characters is in the line.
_PERIODICITY = ("月刊", "双月刊", "半月刊", "季刊", "旬刊", "周刊")
_MASTHEAD_START = re.compile(
    rf"[（(]?(?:{'|'.join(_PERIODICITY)})[)）]?$|[^\s：:]{{2,10}}\s*[：:]|[A-Z][A-Z '\-.,()0-9]+$|\d{{4}}$"
)
_MASTHEAD_WORD = re.compile(r"公报$|第\s*\d+\s*期|总第\s*\d+\s*期|出版|内部资料|免费交流|赠阅")
_MASTHEAD_MARK = re.compile(r"[报期版资流阅]")  # a character each of _MASTHEAD_WORD's words holds


def _is_masthead(text: str) -> bool:
    """A masthead line: the costly unanchored search only where its words may be."""
    return bool(_MASTHEAD_START.match(text) or _MASTHEAD_MARK.search(text) and _MASTHEAD_WORD.search(text))


# What a line must start with or hold to be more than prose or a short line: the first two
# characters of the headings (patterns.ARTICLE_HEADINGS) and of _MASTHEAD_START's periodicity, a
# romanised start (CONTENTS, the masthead's name) or 【, the words the other headings hold,
# _MASTHEAD_WORD, a label's colon within _MASTHEAD_START's reach; TOC entries: may_be_toc_entry.
_KIND_PREFIX = frozenset((
    "目录", "目次", "本期", "文件", "政务", "工作", "大事", "卷首", "编者", "本刊", "扫一", "我要", "打印", "关闭", "索引",
    "编辑", "主管", "主办", *(p[:2] for p in _PERIODICITY), *(f"{b}{p[0]}" for p in _PERIODICITY for b in "（("),
))
_KIND_FIRST = frozenset("【ABCDEFGHIJKLMNOPQRSTUVWXYZc")
_KIND_MARK = re.compile(rf"目录|任免|{_MASTHEAD_WORD.pattern}")


def _line_kind(line: Line) -> str:
    if line.noise:
        return "short"  # furniture belongs to the part it is printed in
    text = line.text.strip()
    bare = strip_spaces(text)
    return _marked_kind(text, bare) if may_be_marked(text, bare) else _plain_kind(bare)


def may_be_marked(text: str, bare: str) -> bool:
    """False when ``_marked_kind`` is ``_plain_kind`` for sure (most lines of a law or a notice)."""
    return (
        bare[:2] in _KIND_PREFIX or bare[:1] in _KIND_FIRST or "：" in bare[2:11] or ":" in bare[2:11]
        or may_be_toc_entry(text) or bool(_KIND_MARK.search(bare))
    )


def _marked_kind(text: str, bare: str) -> str:
    """The kind of a line (stripped, and ``bare``: without spaces): a part's heading, a TOC entry,
    a masthead line, or else prose or a short line."""
    heading = bare_article_kind(bare)
    if heading:
        return heading
    if is_toc_entry(text) or bare[:1] == "【" and re.match(r"^【.*】$", bare):
        return "toc"
    if _is_masthead(text):
        return "masthead"
    return _plain_kind(bare)


def _plain_kind(bare: str) -> str:
    return "prose" if len(bare) >= 40 and ("。" in bare or "，" in bare) else "short"


def classify_matter(lines: list[Line], a: int, b: int, kind: str | None = None) -> list[Segment]:
    """Split a stretch of non-document lines into articles by the kind of their lines."""
    if kind in ("news", "index", "editorial", "other"):
        return [Segment(kind, [(a, b)], title=strip_spaces(lines[a].text))]
    kinds = [_line_kind(lines[i]) for i in range(a, b)]
    for offset, k in enumerate(kinds):
        # a heading followed by entries is a section label of the table of contents
        if k in ("news", "index", "editorial") and [x for x in kinds[offset + 1 : offset + 3] if x != "short"][:1] == ["toc"]:
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

