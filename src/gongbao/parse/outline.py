"""Outline of a document body: its heading hierarchy as nested ``OutlineNode``s.

Two families of headings exist in the genre.  The *structural* ones of rules and
measures (第X编 / 第X章 / 第X节 / 第X条) have a fixed hierarchy; the *administrative
ladder* of plans and opinions (一、 → （一） → 1. → （1） → ① → 一是) is relative: a
document may start at （一） or at 1., and the same form may sit under different parents.
Both are declared in ``LEVELS``; a heading closes every open heading that is not one of
its allowed parents, which yields the nesting without a nest of conditions.

Public: ``parse_outline(lines, tables=None)``.  Helpers shared by the other body stages:
``cn_number``, ``iter_nodes``, ``node_at``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from gongbao.models import Line, Notice, OutlineNode, Table
from gongbao.parse.patterns import squeeze_cjk, strip_debris
from gongbao.parse.tables import get_tables, table_line_numbers

__all__ = ["LEVELS", "Level", "parse_outline", "cn_number", "iter_nodes", "node_at", "line_anchors"]

# --- numbers ------------------------------------------------------------------------------

_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2, "○": 0}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN_NUM = "〇零一二三四五六七八九十百千两○"


@lru_cache(maxsize=4096)  # a body numbers its headings with a few hundred distinct strings
def cn_number(text: str) -> int | None:
    """一 → 1, 十八 → 18, 四十五 → 45, 一百零五 → 105, ２３ → 23; None if not a number."""
    text = unicodedata.normalize("NFKC", text).strip()
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for char in text:
        if char in _CN_DIGIT:
            digit = _CN_DIGIT[char]
        elif char in _CN_UNIT:
            total += (1 if digit is None else digit) * _CN_UNIT[char]
            digit = None
        else:
            return None
    total += digit or 0
    return total or None


def _circled(text: str) -> int | None:
    return ord(text) - 0x2460 + 1 if "①" <= text <= "⑳" else None


# --- text helpers -------------------------------------------------------------------------

# --- levels as data -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Level:
    """One heading level: how its number is written, valued and anchored, and what may contain it."""

    name: str
    number: str  # regex at the start of a line; group "n" is the number
    ordinal: Callable[[str], int | None]
    anchor: str  # anchor prefix; "" for ladder levels nested under another node
    parents: tuple[str, ...]  # levels this one may sit under (closest open one wins)
    structural: bool  # 编章节条: number must follow its sequence to be trusted without a gap
    title_only: bool = False  # the rest of the line is the heading (章节编), not body text
    global_anchor: bool = False  # anchor not prefixed by the parent's (条 numbered through)


_N_CN = rf"[{_CN_NUM}]+"
_N_AR = r"[0-9０-９]{1,2}"
_STRUCT = ("part", "chapter", "section", "article")
_GAP = r"[ \u3000]*"

LEVELS: tuple[Level, ...] = (
    Level("part", rf"第{_GAP}(?P<n>{_N_CN}|\d+){_GAP}(?:编|部分)", cn_number, "pt-", (), True, title_only=True),
    Level("chapter", rf"第{_GAP}(?P<n>{_N_CN}|\d+){_GAP}章", cn_number, "ch-", ("part",), True, title_only=True),
    Level("section", rf"第{_GAP}(?P<n>{_N_CN}|\d+){_GAP}节", cn_number, "sec-", ("chapter",), True, title_only=True),
    Level(
        "article", rf"第{_GAP}(?P<n>{_N_CN}|\d+){_GAP}条", cn_number, "art-", ("part", "chapter", "section"), True,
        global_anchor=True,
    ),
    Level("l1", rf"(?P<n>{_N_CN})[、．.](?![0-9])", cn_number, "s-", _STRUCT, False),
    Level("l2", rf"[（(]{_GAP}(?P<n>{_N_CN}){_GAP}[）)]", cn_number, "s-", (*_STRUCT, "l1"), False),
    Level("l3", rf"(?P<n>{_N_AR})(?:[.．、](?![0-9０-９])|{_GAP}[）)](?![0-9０-９]))", cn_number, "s-",
          (*_STRUCT, "l1", "l2"), False),
    Level("l4", rf"[（(]{_GAP}(?P<n>{_N_AR}){_GAP}[）)]", cn_number, "s-", (*_STRUCT, "l1", "l2", "l3"), False),
    Level("l5", r"(?P<n>[①-⑳])", _circled, "s-", (*_STRUCT, "l1", "l2", "l3", "l4"), False),
    Level("enum", r"(?P<n>[一二三四五六七八九十]{1,2})是(?=[^，。；：、\s])", cn_number, "s-",
          (*_STRUCT, "l1", "l2", "l3", "l4", "l5"), False),
)
_BY_NAME = {level.name: level for level in LEVELS}
_STARTS = set(_CN_NUM + "第（(①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳0123456789０１２３４５６７８９")  # how a heading can begin
# All levels in one pattern, one named alternative each (group "n" of level k renamed "n{k}"):
# the first alternative that matches is the level a loop over the levels would find first, in
# one call instead of up to ten.  In LEVELS' order but the article's first: the four 第X
# alternatives exclude one another (the number is followed by one mark), and the article's is
# the one most such lines match (a law's 条 read without three failed tries, each backtracking
# through the number).
_HEADING = re.compile("|".join(
    rf"(?P<h{k}>{level.number.replace('(?P<n>', f'(?P<n{k}>')}[ \u3000]*)"
    for k, level in sorted(enumerate(LEVELS), key=lambda item: item[1].name != "article")))

_LEVEL_OF = {f"h{k}": (level, f"n{k}") for k, level in enumerate(LEVELS)}  # _HEADING's group → level, number group

_CLOSER = re.compile(r"^附\s*件\s*[0-9０-９一二三四五六七八九十]*\s*(?:[：:]|$)")
_NUMBER_LIST = re.compile(rf"[{_CN_NUM}]+[、，]")  # 一、二级: numbers listed, not a heading
_SECTIONAL = ("l1", "l2")  # ladder levels that may head a group of articles
_LADDER = tuple(level.name for level in LEVELS if not level.structural)
_REFERENCE_NEXT = re.compile(r"[项款目](?:规定|所列|所称|、|和|或|至|中|第)|条(?:规定|第|、)")
_TEXT_STARTS = ("part", "chapter", "section", "article", "l1")  # may open a text after 附件
# what follows 第X条 in a reference to it (第五条规定的…, 第五条第二款, 第五条、第六条, 第五条至…)
_ARTICLE_REFERENCE = re.compile(r"规定|第|中(?:的|规定|所)|[、，,（(和或及至之的所项款]")
_TERMINATOR = re.compile("[。：:！？]")
_LIST_END = "；;，,、"
_SENTENCE_END = "。；;！？!?"
_MAX_HEADING = 30  # a heading longer than this shares its line with body text, or is body text
_MAX_TITLE = 40


@dataclass(slots=True)
class _Candidate:
    level: Level
    number: str
    ordinal: int | None
    heading: str
    text: str
    separated: bool  # something (space, punctuation) between the number and the rest


def _split_heading(level: Level, rest: str) -> tuple[str, str]:
    """（一）小额意外。参保对象… → ("小额意外", "参保对象…"); long or list-like → ("", rest)."""
    if level.name == "article":
        return "", rest
    if level.title_only:
        return squeeze_cjk(rest), ""
    found = _TERMINATOR.search(rest)
    cut = found.start() if found else -1
    if cut >= 0:
        head, tail = rest[:cut], rest[cut + 1 :].strip()
        # "（一）强化工作措施，深化专项整治三年行动。" alone on its line is a heading, commas and
        # all; followed by more text, a comma means the first sentence is already body text
        if 0 < len(head) <= _MAX_HEADING and not any(ch in head for ch in ("；;" if not tail else "，,；;")):
            return squeeze_cjk(head), tail
        return "", rest
    if len(rest) <= _MAX_TITLE and rest[-1:] not in _LIST_END and "，" not in rest:
        return squeeze_cjk(rest), ""
    return "", rest


def _candidate(clean: str) -> _Candidate | None:
    """The heading a line (debris stripped, starting with one of ``_STARTS``) starts with, if any."""
    m = _HEADING.match(clean)
    if not m:
        return None
    level, n = _LEVEL_OF[m.lastgroup]
    end = m.end()
    rest = clean[end:].strip()
    if level.structural:
        if level.title_only and len(rest) > _MAX_TITLE and any(ch in rest for ch in "。，；"):
            return None  # "第三章规定的……" wrapped to the start of a line: a reference
    elif (
        level.name == "l1" and _NUMBER_LIST.match(rest)  # "一、二级企业": a list of numbers, not a heading
        or _REFERENCE_NEXT.match(rest)  # "（二）项规定的…": a wrapped reference to an item, not a heading
        or not rest and level.name in ("l5", "enum")
    ):
        return None
    heading, body = _split_heading(level, rest)
    return _Candidate(level, m.group(0).strip(), level.ordinal(m.group(n)), heading, body, end > m.end(n) + 1)


# --- building the tree --------------------------------------------------------------------


@dataclass(slots=True)
class _Open:
    node: OutlineNode
    pieces: list[str]
    last: int


def _anchor(level: Level, ordinal: int | None, parent: OutlineNode | None) -> str:
    n = "x" if ordinal is None else str(ordinal)
    if parent is None or level.global_anchor:
        return f"{level.anchor}{n}"
    if not level.structural:
        return f"{parent.anchor}.{n}"
    return f"{parent.anchor}.{level.anchor}{n}"


def _expected(ordinal: int | None, previous: int | None, through: int | None) -> Notice | None:
    """A warning when the number does not follow its predecessor under the same parent
    (``previous``); ``through`` is the last number of this level anywhere before."""
    if ordinal is None:
        return None
    want = 1 if previous is None else previous + 1
    if ordinal == want:
        return None
    if previous is None and through is not None and ordinal == through + 1:
        return Notice.of("numbering_continues", number=ordinal)
    if previous is not None and ordinal == previous:
        return Notice.of("numbering_repeated", number=ordinal)
    if previous is not None and ordinal == 1:
        return Notice.of("numbering_restarts", previous=previous)
    return Notice.of("numbering_skips", expected=want, found=ordinal)


def parse_outline(lines: list[Line], tables: list[Table] | None = None) -> list[OutlineNode]:
    """The heading tree of a body (or of one embedded text); table rows are never headings.

    ``tables`` are the body's tables (``parse.tables.get_tables``); when not given they are
    found here.  Text before the first heading belongs to no node.
    """
    in_table = table_line_numbers(get_tables(lines) if tables is None else tables)
    tree = _Tree()
    for line in lines:
        if getattr(line, "noise", False):
            continue
        if line.first in in_table:
            tree.extend(line)
            continue
        clean = strip_debris(line.text)
        if clean[:1] == "附" and _CLOSER.match(clean):
            tree.close(0)  # 附件: what follows is an attachment, outside the body's outline
            tree.attachments = True
        else:
            tree.read(line, clean)
    tree.close(0)
    return tree.roots


class _Tree:
    """The outline being built, line by line: the open headings and the numbering seen so far."""

    def __init__(self) -> None:
        self.roots: list[OutlineNode] = []
        self.stack: list[_Open] = []
        self.anchors: dict[str, int] = {}  # anchor → how many times it was wanted
        self.last_article: int | None = None
        self.last_seen: dict[tuple[int, str], int | None] = {}  # (id(parent) or 0, level) → last ordinal
        self.through: dict[str, int | None] = {}  # level → last ordinal, whatever the parent
        self.attachments = False  # after 附件：, numbered lines list attachments until a new text begins
        self.sectional: set[str] = set()  # ladder levels that head groups of articles in this text (一、合同的订立)
        self.reopened: set[tuple[int, str]] = set()  # (article, level) lists interrupted by a paragraph

    def close(self, upto: int) -> None:
        stack = self.stack
        while len(stack) > upto:
            done = stack.pop()
            node = done.node
            node.text = "\n".join(filter(None, done.pieces))
            first = node.lines[0]
            last = done.last if done.last > first else first
            node.lines = (first, last)
            if stack and stack[-1].last < last:
                stack[-1].last = last

    def extend(self, line: Line) -> None:
        """A table row: part of the open heading's span, never a heading or its text."""
        if self.stack:
            self.stack[-1].last = max(self.stack[-1].last, line.last)

    def read(self, line: Line, clean: str) -> None:
        """A line of text (``clean``: debris stripped): a heading, or text under the open one."""
        cand = self._heading(clean) if clean[:1] in _STARTS else None  # most lines start as no heading does
        if cand is None:
            self._body(line, clean)
        else:
            self._open(cand, line)

    def _heading(self, clean: str) -> _Candidate | None:
        cand = _candidate(clean)
        if cand is not None and self.attachments:
            self.attachments = cand.level.name not in _TEXT_STARTS
            cand = None if self.attachments else cand
        if cand is not None and cand.level.name == "article" and not cand.separated and not self._next_article(cand):
            return None  # "第五条规定的…" wrapped to a line start: a reference, not an article
        return cand

    def _next_article(self, cand: _Candidate) -> bool:
        """May an article number not set apart from its text (normalisation joins 第五条 为了… when
        the line is long) open an article?  The next number or 1 may; so may a later number
        (a source that skips one, a 编 of a code starting at 第一千零四十条) unless what follows
        reads as a reference (第五条规定的…, 第五条第二款…)."""
        last = self.last_article
        if cand.ordinal in (1, 1 if last is None else last + 1):
            return True
        ahead = cand.ordinal is not None and (last is None or cand.ordinal > last)
        return ahead and not _ARTICLE_REFERENCE.match(cand.text)

    def _body(self, line: Line, clean: str) -> None:
        if not self.stack:
            return
        top = self.stack[-1]
        if _item_closed(self.stack):
            self.close(len(self.stack) - 1)
            top = self.stack[-1]
            # a paragraph (款) of the article: the list after it may start again at 1
            self.reopened.update((id(top.node), name) for name in _LADDER)
        top.pieces.append(clean)
        if line.last > top.last:
            top.last = line.last

    def _open(self, cand: _Candidate, line: Line) -> None:
        level, stack = cand.level, self.stack
        depth = len(stack)
        while depth and not _may_hold(stack, depth - 1, level, self.sectional):
            depth -= 1
        if depth < len(stack):
            self.close(depth)
        parent = stack[-1].node if stack else None
        if level.name == "article" and parent is not None and parent.level in _SECTIONAL:
            self.sectional.add(parent.level)
        problem = self._numbering(cand, parent)
        base = _anchor(level, cand.ordinal, parent)
        count = self.anchors[base] = self.anchors.get(base, 0) + 1  # the same number again: s-1, s-1_2, s-1_3
        node = OutlineNode(  # positional: keywords cost a third of the call (a node per article of a law)
            level.name, cand.number, cand.ordinal, cand.heading, "", base if count == 1 else f"{base}_{count}",
            (line.first, line.last), [], [problem] if problem else [],
        )
        (parent.children if parent else self.roots).append(node)
        stack.append(_Open(node, [cand.text], line.last))

    def _numbering(self, cand: _Candidate, parent: OutlineNode | None) -> Notice | None:
        """Record the heading's number; a warning when it does not follow the sequence."""
        level = cand.level
        if parent is None and cand.ordinal == 1 and self.roots:
            self.last_article, self.last_seen, self.through = None, {}, {}  # a top-level 1 again: the next text
        key = (id(parent) if parent else 0, level.name)
        previous = self.last_article if level.name == "article" else self.last_seen.get(key)
        if key in self.reopened:
            self.reopened.discard(key)
            previous = None if cand.ordinal == 1 else previous
        problem = _expected(cand.ordinal, previous, self.through.get(level.name))
        if level.name == "article":
            self.last_article = cand.ordinal
        self.last_seen[key] = self.through[level.name] = cand.ordinal
        return problem


def _may_hold(stack: list[_Open], i: int, level: Level, sectional: set[str]) -> bool:
    """May the open heading ``stack[i]`` contain a new heading of ``level``?

    The table of parents decides, with one twist read from the text itself: 一、 may head a
    group of articles (judicial interpretations: 一、合同的订立 / 第一条…) or be an item inside
    one (第五条 下列房产免纳房产税：一、…).  Once it has held articles, it is never an item."""
    holder = stack[i].node.level
    if level.name == "article" and holder in _SECTIONAL:
        return not any(s.node.level == "article" for s in stack[:i])
    if holder == "article" and level.name in sectional:
        return False
    return holder in level.parents


def _item_closed(stack: list[_Open]) -> bool:
    """Inside an article, a finished item (…；/…。) hands the next paragraph back to the article."""
    top = stack[-1]
    if _BY_NAME[top.node.level].structural or len(stack) < 2 or stack[-2].node.level != "article":
        return False
    tail = next((p for p in reversed(top.pieces) if p), "")
    return tail[-1:] in _SENTENCE_END or (not tail and bool(top.node.heading))


# --- walking the tree ---------------------------------------------------------------------


def iter_nodes(nodes: list[OutlineNode]) -> Iterator[OutlineNode]:
    """Every node, depth first, in source order (a stack of iterators: a generator per level
    would pass every node up through each level above it)."""
    stack = [iter(nodes)]
    while stack:
        for node in stack[-1]:
            yield node
            if node.children:
                stack.append(iter(node.children))
                break
        else:
            stack.pop()


def line_anchors(nodes: list[OutlineNode]) -> dict[int, str]:
    """Source line → anchor of the deepest node whose span holds it (children paint over parents)."""
    out: dict[int, str] = {}
    for node in iter_nodes(nodes):
        for n in range(node.lines[0], node.lines[1] + 1):
            out[n] = node.anchor
    return out


def node_at(nodes: list[OutlineNode], line_no: int) -> OutlineNode | None:
    """The deepest node whose span holds source line ``line_no``."""
    for node in nodes:
        if node.lines[0] <= line_no <= node.lines[1]:
            return node_at(node.children, line_no) or node
    return None
