"""The TOC-guided pass: what the printed table of contents tells about the body.

Documents printed with neither banner nor 文号 (政策解读, 人大 decisions) are found by the title
the TOC lists, or the metadata block of a policy web page (标题：…) names; the TOC's section labels
printed in the body (区政府办公室文件) are not red headers.
"""

from __future__ import annotations

import re

from gongbao.models import Head, Line, Listed, Segment, TocEntry
from gongbao.parse.heads import number_under
from gongbao.parse.patterns import NEWS_SECTION, article_kind, strip_spaces, title_key


def find_listed(lines: list[Line], segments: list[Segment], entries: list[TocEntry]) -> Listed:
    """Body lines that carry a title the TOC lists but no head has, and section labels.
    Entries of news sections (政务要闻, 政务信息…) name news items, not documents."""
    heads = [seg.head for seg in segments if seg.head]
    named = _named(lines, heads)
    wanted = _wanted(entries) - named
    sections = {title_key(e.section) for e in entries if e.section and e.source == "toc"}
    pages = [_page_titles(lines, seg) - named for seg in segments]
    if not wanted and not sections and not any(pages):
        return Listed()  # no TOC and no web page's metadata block (a single law): nothing to look for
    longest = 2 * max((len(e.title) for e in entries), default=0) + 10
    in_heads = {i for h in heads for i in range(h.start, h.end)}
    red_headers = _red_headers(lines, heads)
    listed = Listed()
    for seg, page in zip(segments, pages):
        if seg.kind not in ("document", "other", "editorial"):
            continue
        indices = _comparable(lines, seg, max(longest, 2 * max(map(len, page), default=0) + 10))
        _read_part(lines, indices, wanted | page, sections, (in_heads, red_headers), listed)
    return listed


def _read_part(lines: list[Line], indices: list[int], here: set[str], sections: set[str],
               taken: tuple[set[int], set[int]], listed: Listed) -> None:
    """Listed titles (keys ``here``) and section labels on the lines ``indices`` of one part;
    ``taken``: the lines of heads (which hold no listed title) and the red headers (no label)."""
    in_heads, red_headers = taken
    firsts = {key[:1] for key in here | sections}
    keys = [_key_if_may(lines[i].text, firsts) for i in indices]
    for k in (k for k, key in enumerate(keys) if key is not None):  # None: no label, no listed title, starts none
        i = indices[k]
        if _is_label(keys[k], lines[i], sections):
            if i not in red_headers:
                listed.labels.add(i)  # a banner-like label above a title: the next pass decides
        elif i not in in_heads:
            _title_at(keys, indices, k, here, listed, lines)


# Each of these is (or NFKC makes it) a character a title key drops, whatever follows it.
_DROPPED_LEAD = "（(《〈【“‘\"'— \t\u3000"


def _key_if_may(text: str, firsts: set[str]) -> str | None:
    """The title key of a line, or None when it cannot start any key of ``firsts``' first
    characters: a line starting (after brackets, quotes, dashes, spaces) with a CJK ideograph
    (U+4E00–U+9FFF) or an ASCII digit starts its key with it (word characters NFKC leaves as
    they are, which compose with nothing).  Most body lines are told so without their key
    (about 2.6 µs a line)."""
    first = text.lstrip(_DROPPED_LEAD)[:1]
    return None if ("\u4e00" <= first <= "\u9fff" or "0" <= first <= "9") and first not in firsts else title_key(text)


def _comparable(lines: list[Line], seg: Segment, most: int) -> list[int]:
    """Lines of the part short enough to be (part of) a title or a label."""
    return [i for i in seg.indices if not lines[i].noise and len(lines[i].text) <= most]


def _is_label(key: str, line: Line, sections: set[str]) -> bool:
    """A line (``key``: its title key) printing a TOC section label (目录 itself labels nothing)."""
    return key in sections and len(key) <= 20 and article_kind(line.text) != "toc"


def _wanted(entries: list[TocEntry]) -> set[str]:
    """Title keys of the TOC's document entries (news sections list news items, not documents)."""
    return {title_key(e.title) for e in entries
            if e.source == "toc" and not (e.section and NEWS_SECTION.search(e.section))}


_PAGE_TITLE = re.compile(r"^标题[:：](?P<title>\S.*)$")
_PAGE_FIELDS = ("索引号", "发文字号", "发文机关", "成文日期", "发布日期")
_PAGE_FIELD = re.compile(rf"^(?:{'|'.join(_PAGE_FIELDS)})[:：]")
_PAGE_FIELD_FIRST = "".join({field[0] for field in _PAGE_FIELDS})  # a line holding one starts with one of these


def _page_titles(lines: list[Line], seg: Segment) -> set[str]:
    """Title keys the metadata block of a policy web page (标　　题：… beside 发文字号：…) names in a
    part that is no document: its document, headless, is then in that part (one with a head,
    such as a 令 whose block names the 条例 it promulgates, is a document of its own already)."""
    if seg.kind == "document":
        return set()
    fields = (lines[i].text for i in seg.indices if lines[i].text.lstrip()[:1] in _PAGE_FIELD_FIRST and not lines[i].noise)
    if sum(bool(_PAGE_FIELD.match(strip_spaces(t))) for t in fields) < 2:
        return set()
    texts = [strip_spaces(lines[i].text) for i in seg.indices if not lines[i].noise]
    return {title_key(m.group("title")) for t in texts if (m := _PAGE_TITLE.match(t))}


def _red_headers(lines: list[Line], heads: list[Head]) -> set[int]:
    """Banners with their 文号 right under them: red headers, whatever the TOC calls its sections."""
    return {h.banner for h in heads if h.banner is not None and h.number is not None and number_under(lines, h.banner)}


def _named(lines: list[Line], heads: list[Head]) -> set[str]:
    """Title keys the heads already found carry (with and without their stacked issuer lines)."""
    named = {title_key("".join(lines[i].text for i in h.title)) for h in heads}
    return named | {title_key("".join(lines[i].text for i in [*h.issuer_lines, *h.title])) for h in heads}


def _title_at(keys: list[str | None], indices: list[int], k: int, wanted: set[str], listed: Listed, lines: list[Line]) -> None:
    """A listed title on line indices[k] (``keys``: the title keys of those lines, None where not
    made yet), alone or wrapped onto the next line."""
    i = indices[k]
    if keys[k] in wanted:
        listed.titles[i] = i + 1
    elif k + 1 < len(indices) and keys[k] + (keys[k + 1] or title_key(lines[indices[k + 1]].text)) in wanted:
        listed.titles[i] = indices[k + 1] + 1
