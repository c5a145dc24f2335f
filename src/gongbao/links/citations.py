"""Citations: every mention of another document by 《title》, by 文号, by order number, or both.

A 《title》 directly followed by a 文号 in brackets — 《…》（渝府办发〔2014〕117号） — is ONE
citation carrying both.  Mentions of the document itself (its own 文号, its own title or the
titles of the texts it embeds) are not citations.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from itertools import accumulate

from gongbao.docnumber import find_doc_numbers
from gongbao.models import Citation, DocNumber, Document, LineSpan, OutlineNode
from gongbao.parse.patterns import title_key

__all__ = ["get_citations", "find_mentions", "DocText", "Mention", "repair_title"]

_TITLE = re.compile(r"《([^《》]{1,150})》")
# what may sit between 》 and the 文号 that belongs to it: spaces, an opening bracket
_SELF_MARKS = "本此"
_PAIR_GAP = re.compile(r"\s*[（(［\[]?\s*")
_CLOSE_AFTER = re.compile(r"\s*[）)］\]]")
_CJK = r"\u3400-\u9fff\u3000-\u303f\uff00-\uffef《》〈〉"
_WRAP_SPACE = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_SENTENCE_MARKS = "。！？；!?;"  # a sentence ends after one of these, or before a line break
_SENTENCE_BREAK = re.compile(r"[。！？；!?;\n]")


def repair_title(title: str) -> str:
    """A title with the spaces and line breaks that wraps put next to CJK text removed."""
    return _WRAP_SPACE.sub("", title.strip())


@dataclass(slots=True)
class Mention:
    """A citation and where it sits in ``DocText.text``."""

    citation: Citation
    start: int
    end: int


class DocText:
    """The text of a document with maps from character offsets to source lines and anchors.
    Its sentences and its 文号 are found once, for all the link rules that read them."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.text
        self._numbers: list[tuple[DocNumber, int, int]] | None = None
        self._mentions: list[Mention] | None = None
        self._starts = list(accumulate((len(line.text) + 1 for line in doc.body[:-1]), initial=0))

    def lines(self, start: int, end: int) -> LineSpan:
        """Source lines covered by the characters ``start``..``end`` (exclusive)."""
        if not self.doc.body:
            return self.doc.lines
        first = self.doc.body[max(0, bisect.bisect_right(self._starts, start) - 1)]
        last = self.doc.body[max(0, bisect.bisect_right(self._starts, max(start, end - 1)) - 1)]
        return (first.first, last.last)

    def sentences_at(self, positions: list[int]) -> list[tuple[int, int]]:
        """(start, end) of the sentences holding a character at one of ``positions``, in text
        order: a rule that needs a mark (起, 原, a citation) found by one scan of the whole text
        reads only those.  A sentence is text up to 。！？； or a line break, not only spaces."""
        return sorted({span for position in positions if (span := self._sentence_around(position))})

    def _sentence_around(self, position: int) -> tuple[int, int] | None:
        text = self.text
        line_start = text.rfind("\n", 0, position) + 1  # the search back stays inside the line
        start = max(text.rfind(mark, line_start, position) for mark in _SENTENCE_MARKS) + 1
        start = max(start, line_start)
        if start >= len(text) or text[start] in _SENTENCE_MARKS or text[start] == "\n":
            return None  # a mark or a line break of its own, after another mark: no sentence
        after = _SENTENCE_BREAK.search(text, position)
        end = len(text) if after is None else after.start() + (after.group() != "\n")
        return (start, end) if position < end and text[start:end].strip() else None

    def numbers(self) -> list[tuple[DocNumber, int, int]]:
        """Every 文号 and order number of the text with its span (``docnumber.find_doc_numbers``)."""
        if self._numbers is None:
            self._numbers = find_doc_numbers(self.text)
        return self._numbers

    def anchor(self, lines: LineSpan) -> str | None:
        """Anchor of the deepest outline node whose lines contain ``lines``."""
        return _deepest(self.doc.outline, lines)


def _deepest(nodes: list[OutlineNode], lines: LineSpan) -> str | None:
    for node in nodes:
        if node.lines[0] <= lines[0] and lines[1] <= node.lines[1]:
            return _deepest(node.children, lines) or node.anchor
    return None


def _own_titles(doc: Document) -> set[str]:
    return {title_key(t) for t in [doc.title, *(e.title for e in doc.embedded)] if t}


def find_mentions(source: DocText, *, include_own: bool = False) -> list[Mention]:
    """Every citation of ``source`` with its character span, in text order.

    The one scan's mentions are kept in ``source``; each call hands out copies, so that a stage
    may change its own (the relations stage gives a listed mention its item's title) and no
    other stage sees it, whatever order they run in.  ``include_own`` keeps mentions of the
    document's own title and embedded texts (the covering sentence "现将《X》印发给你们" names
    what the document issues)."""
    if source._mentions is None:
        source._mentions = _all_mentions(source)
    own = set() if include_own else _own_titles(source.doc)
    return [
        Mention(replace(mention.citation), mention.start, mention.end)
        for mention in source._mentions
        if not (own and mention.citation.doc_number is None and title_key(mention.citation.title or "") in own)
    ]


def _all_mentions(source: DocText) -> list[Mention]:
    """``find_mentions`` with ``include_own``: every mention but those of the document's own 文号."""
    doc, text = source.doc, source.text
    numbers = source.numbers()
    by_start = {start: (number, end) for number, start, end in numbers}
    paired: set[int] = set()
    found: list[Mention] = []
    for m in _TITLE.finditer(text):
        if m.start() > 0 and text[m.start() - 1] in _SELF_MARKS:
            continue  # 本《通告》: the document speaking of itself
        gap = _PAIR_GAP.match(text, m.end())
        number, end = by_start.get(gap.end(), (None, m.end()))
        if number is not None:
            paired.add(gap.end())
            close = _CLOSE_AFTER.match(text, end)
            if close and text[m.end() : gap.end()].strip():
                end = close.end()
        kind = "title" if number is None else ("order" if number.year is None else "doc_number")
        found.append(_mention(source, m.start(), end, number, repair_title(m[1]), kind))
    for number, start, end in numbers:
        if start not in paired:
            kind = "order" if number.year is None else "doc_number"
            found.append(_mention(source, start, end, number, None, kind))
    found = [
        mention
        for mention in found
        if not (doc.doc_number is not None and mention.citation.doc_number == doc.doc_number)
    ]
    found.sort(key=lambda mention: mention.start)
    return found


def _mention(source: DocText, start: int, end: int, number, title, kind) -> Mention:
    lines = source.lines(start, end)
    citation = Citation(
        text=source.text[start:end],
        doc_number=number,
        title=title,
        kind=kind,
        lines=lines,
        anchor=source.anchor(lines),
    )
    return Mention(citation, start, end)


def get_citations(doc: Document, source: DocText | None = None) -> list[Citation]:
    """Every citation of ``doc`` (《title》, 文号, order number, or title with 文号), in text order.
    ``source``: the DocText of ``doc`` when the caller has it already."""
    return [mention.citation for mention in find_mentions(source or DocText(doc))]
