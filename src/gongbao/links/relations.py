"""Relations: typed links from a document to the documents it issues, forwards, revises,
replaces, repeals, implements or merely cites — each with the sentence that says so.

Sentence rules are data (``RULES``): a keyword pattern and where the cited mention must sit
relative to it.  Repeal decisions that list the repealed documents (numbered items, rows of
a table, items broken over several lines by two-column extraction) are read as lists.
Every mention gets one relation, the strongest one found (``PRIORITY``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Literal

from gongbao.dates import find_dates
from gongbao.links.citations import DocText, Mention, find_mentions, repair_title
from gongbao.parse.patterns import find_from_words, title_key, word_starts
from gongbao.links.validity import get_validity
from gongbao.models import Citation, Document, Notice, Relation, RelationType, Validity

__all__ = ["get_relations", "RULES", "PRIORITY"]

Where = Literal["before", "after", "sentence", "clause_after"]


@dataclass(frozen=True, slots=True)
class Rule:
    """A relation ``type`` holds for mentions sitting ``where`` relative to ``keyword``.

    before: the mention ends right before the keyword (only brackets, 文件, 同时 … between,
            or a conjunction and another such mention);
    after: the mention follows the keyword in the same sentence;
    sentence: anywhere in the sentence (the keyword marks the whole sentence);
    clause_after: the keyword precedes the mention within its clause (up to ，；：).
    """

    type: RelationType
    keyword: re.Pattern[str]
    where: Where
    words: tuple[str, ...]  # every keyword match holds one: a sentence holding none is not searched
    own: bool = False  # may target the document's own embedded texts


RULES: tuple[Rule, ...] = (
    Rule("repeals", re.compile(r"(?:同时|一并|予以|即行|自行|相应)?(?:废止|停止执行|不再执行|失效)"), "before",
         ("废止", "停止执行", "不再执行", "失效")),
    Rule("repeals", re.compile(r"决定[^。；]{0,20}?(?:废止|宣布失效)|宣布(?:废止|失效)|现(?:予以?)?废止"), "after",
         ("废止", "失效")),
    Rule("replaces", re.compile(r"代替|替代|取代"), "after", ("代替", "替代", "取代")),
    Rule("revises", re.compile(r"进行了?修订|予以修订|修订后的|修正后的"), "sentence", ("修订", "修正后的")),
    Rule("forwards", re.compile(r"转发给你们|现予转发|现将[^。]{0,120}转发"), "sentence", ("转发",), own=True),
    Rule("issues", re.compile(r"印发给你们|现予印发|现予(?:公布|发布)|印发给各|现印发(?:施行|实施)|予以印发"), "sentence",
         ("印发", "现予"), own=True),
    Rule("implements", re.compile(r"根据|依据|依照|按照|遵照|贯彻|落实|结合"), "clause_after",
         ("根据", "依据", "依照", "按照", "遵照", "贯彻", "落实", "结合")),
)
PRIORITY: tuple[RelationType, ...] = (
    "repeals", "replaces", "revises", "forwards", "issues", "implements", "interprets", "cites",
)
_EFFECTIVE_TYPES = {"repeals", "replaces", "revises", "forwards", "issues"}

_BEFORE_GAP = re.compile(r"[\s）)\]】」”\"]*(?:等?(?:[0-9一二三四五六七八九十]+件)?(?:规范性)?文件)?\s*$")
_CONJUNCTION_GAP = re.compile(r"[\s）)\]】」”\"]*(?:[、，,]|和|及|以及|与)\s*$")
_CLAUSE_BREAK = re.compile(r"[，,；;：:。]")
_OWN_DATE = re.compile(r"自(?P<when>[^，。；]{4,20}?)起(?:废止|失效|停止执行)")

# Repeal-list headers: 废止…下列 / 下列…废止 / a heading over the list (二、对2部规章予以废止).
# Written as alternatives that each start with a literal word: matched only where one of
# _LIST_HEADER_WORDS starts (patterns.find_from_words).
_REPEAL_WORDS, _LIST_WORDS, _DECLARE_WORDS = ("废止", "失效", "停止执行"), ("下列", "以下", "如下"), ("予以", "宣布")
_LIST_HEADER = re.compile("|".join(
    [rf"{word}[^。\n]{{0,30}}?(?:下列|以下|如下|目录|清单|名单)" for word in _REPEAL_WORDS]
    + [rf"{word}[^。\n]{{0,30}}?(?:废止|失效|停止执行)" for word in _LIST_WORDS]
    + [rf"{word}(?:废止|失效)[：:]?$" for word in _DECLARE_WORDS]
), re.M)
_LIST_HEADER_WORDS = (*_REPEAL_WORDS, *_LIST_WORDS, *_DECLARE_WORDS)
_HEADER_TAIL = 24  # "…规范性文件（共12件）：" — what may follow the keyword on a list's header line
_ITEM = re.compile(r"(?:^|(?<=[\s；;。，,：:）)]))(?:[0-9]{1,3}|[一二三四五六七八九十]{1,3})\s*[．.、]\s*|^\s*[（(][0-9]{1,3}[)）]\s*", re.M)
_YUAN = re.compile(
    r"原(?P<title>[^，。；,;《》（）()\s]{4,60}?)(?:等?文件)?(?:同时|一并)?(?:予以)?(?:废止|停止执行|不再执行)"
)
_COLON = re.compile(r"[：:]")
_CLOSE_ONE = re.compile(r"[）)]?")
_CLOSERS = re.compile(r"[\s）)\]】|]*")
_CELL = re.compile(r"[|\t]")
_ITEM_NUMBER = re.compile(r"^[\s：:；;，,]*(?:(?:[0-9]{1,3}|[一二三四五六七八九十]{1,3})\s*[．.、]|[（(][0-9]{1,3}[)）])\s*")
_TITLE_CLEAN = re.compile(r"^[\s|《（(]+|[\s|》（(]+$")
_FORWARDED_TITLE = re.compile(r"关于转发(?P<title>.{4,}?)的通知$")
_REVISED_TITLE = re.compile(r"[（(]\s*(?:[0-9]{4}\s*年\s*)?修[订正](?:稿|版)?\s*[)）]|修订稿|修订版")


def _rule_mentions(rule: Rule, sentence: str, offset: int, mentions: list[Mention]) -> list[Mention]:
    """The mentions (of one sentence starting at ``offset``) that ``rule`` relates."""
    chosen: list[Mention] = []
    for k in rule.keyword.finditer(sentence):
        kstart, kend = offset + k.start(), offset + k.end()
        if rule.where == "sentence":
            return list(mentions)
        if rule.where == "after":
            chosen += [m for m in mentions if m.start >= kend]
        elif rule.where == "before":
            boundary = kstart
            for m in reversed([m for m in mentions if m.end <= kstart]):
                gap = sentence[m.end - offset : boundary - offset]
                pattern = _BEFORE_GAP if boundary == kstart else _CONJUNCTION_GAP
                if not pattern.fullmatch(gap):
                    break
                chosen.append(m)
                boundary = m.start
        elif rule.where == "clause_after":
            for m in mentions:
                between = sentence[kend - offset : m.start - offset]
                if m.start >= kend and not _CLAUSE_BREAK.search(_strip_mentions(between, mentions, kend)):
                    chosen.append(m)
    return chosen


def _strip_mentions(between: str, mentions: list[Mention], offset: int) -> str:
    """``between`` with the text of mentions blanked, so their punctuation does not count."""
    chars = list(between)
    for m in mentions:
        for i in range(max(m.start, offset), min(m.end, offset + len(between))):
            chars[i - offset] = " "
    return "".join(chars)


def _effective(doc: Document, sentence: str, fallback: str | None) -> str | None:
    m = _OWN_DATE.search(sentence)
    if m:
        year = int(doc.date[:4]) if doc.date else None
        dates = find_dates(m["when"], context_year=year)
        if dates and dates[0][0].iso:
            return dates[0][0].iso
    return fallback


def _relation(source: DocText, type_: RelationType, target: Citation, evidence: tuple[int, int], effective,
              lead: str = ""):
    """A relation whose evidence is the text of ``evidence`` (after ``lead``, a list's header)."""
    start, end = evidence
    lines = source.lines(start, end)
    text = source.text[start:end].strip()
    text = lead + repair_title(text) if lead else text
    date = _effective(source.doc, text, effective) if type_ in _EFFECTIVE_TYPES else None
    return Relation(type_, target, Notice.of("quote", text=text), lines, source.anchor(lines), date)


def _list_items(source: DocText, mentions: list[Mention]) -> list[tuple[Mention, tuple[int, int], str, str]]:
    """Mentions in repeal lists: (mention, item span, title read from the item, the list's header).

    The list starts right after its header — on the header's own line when normalisation
    joined the items to it, else on the next lines — and ends where ``_list_end`` says."""
    text = source.text
    if not any(word in text for word in _REPEAL_WORDS):
        return []  # every header holds one (three laws in four hold none): eight searches saved
    found = []
    for header in find_from_words(_LIST_HEADER, text, _LIST_HEADER_WORDS):
        line_end = text.find("\n", header.end())
        line_end = len(text) if line_end < 0 else line_end
        tail = text[header.end() : line_end]
        joined = any(header.end() <= m.start < line_end for m in mentions)
        if len(tail) > _HEADER_TAIL and not joined:
            continue  # not a header: the sentence goes on about something else
        region_end = max(line_end, _list_end(text, line_end + 1))
        opening = max(text.rfind(c, 0, header.start()) for c in "。；;\n") + 1
        colon = _COLON.search(text, header.end(), min(line_end, header.end() + _HEADER_TAIL))
        lead_end = line_end if not joined else colon.end() if colon else header.end()
        lead = repair_title(text[opening:lead_end]) + " "
        boundaries = [m.end() for m in _ITEM.finditer(text, header.end(), region_end)]
        for mention in mentions:
            if not header.end() <= mention.start < region_end:
                continue
            previous = [b for b in boundaries if b <= mention.start]
            previous += [_skip_closers(text, m.end) for m in mentions if header.end() <= m.end <= mention.start]
            item_start = max(previous, default=header.end())
            title = mention.citation.title or _item_title(text[item_start : mention.start])
            item_end = _CLOSE_ONE.match(text, mention.end).end()
            found.append((mention, (item_start, item_end), title, lead))
    return found


def _skip_closers(text: str, pos: int) -> int:
    """Past the closing brackets and spaces (line breaks included) that end a list item."""
    return _CLOSERS.match(text, pos).end()


def _list_end(text: str, start: int) -> int:
    """End of a list beginning at ``start``: two lines in a row that are neither items nor hold a 文号."""
    quiet = 0
    pos = start
    end = start
    while pos < len(text) and quiet < 2:
        stop = text.find("\n", pos)
        stop = len(text) if stop < 0 else stop
        line = text[pos:stop]
        if _ITEM.match(line) or "号" in line or line.strip().startswith("|") or "\t" in line:
            quiet, end = 0, stop
        elif line.strip():
            quiet += 1
        pos = stop + 1
    return end


def _item_title(text: str) -> str | None:
    cells = [c for c in _CELL.split(text) if c.strip() and not c.strip().isdigit()]
    title = repair_title(_TITLE_CLEAN.sub("", _ITEM_NUMBER.sub("", cells[-1] if cells else text)))
    return title or None


def _revision_target(doc: Document, repealed: list[Citation]) -> Citation | None:
    """A document whose title marks a revised edition revises the edition it replaces: a
    repealed document of the same base title, else that base title (the measure's own
    embedded title first, then the document's)."""
    bases = [
        _REVISED_TITLE.sub("", title)
        for title in [*(e.title for e in doc.embedded), doc.title]
        if title and _REVISED_TITLE.search(title)
    ]
    for base in bases:
        for citation in repealed:
            if citation.title and title_key(base) in title_key(citation.title):
                return citation
    return Citation(bases[0], None, bases[0], "title", doc.lines) if bases else None


def get_relations(doc: Document, validity: Validity | None = None, source: DocText | None = None) -> list[Relation]:
    """Every relation ``doc`` states, one per cited mention, plus those of its title and embedded texts.

    ``validity`` (``get_validity(doc)``, computed when not given) dates the relations that
    take effect with the document; ``source``: its DocText when the caller has it already."""
    source = source or DocText(doc)
    validity = validity or get_validity(doc)
    effective = validity.effective or doc.date
    mentions = find_mentions(source, include_own=True)
    own_keys = {title_key(t) for t in [doc.title, *(e.title for e in doc.embedded)] if t}
    best = _Strongest(source, effective)
    starts = [m.start for m in mentions]  # mentions come in text order
    marked = [*starts, *word_starts(source.text, ("原",))]  # 原: what _YUAN starts with
    for span in source.sentences_at(marked):  # a sentence with neither says nothing of a mention
        inside = mentions[bisect.bisect_left(starts, span[0]) : bisect.bisect_right(starts, span[1])]
        _offer_sentence(best, source, span, [m for m in inside if m.end <= span[1]], own_keys)
    for mention, span, title, lead in _list_items(source, mentions):
        if title and not mention.citation.title:
            mention.citation.title = title
        best.offer(mention, "repeals", span, lead)
    for mention in mentions:  # mentions that straddle a sentence break
        if not _is_own(mention, own_keys):
            best.offer(mention, "cites", (mention.start, mention.end))
    relations = best.relations()
    relations += _embedded_issues(source, relations, effective)
    relations += _forwarded_by_title(doc, relations, effective)
    revised = _revision_target(doc, [r.target for r in relations if r.type == "repeals"])
    if revised is not None:
        relations.append(Relation("revises", revised, Notice.of("title", title=doc.title), doc.lines, None, effective))
    return relations


class _Strongest:
    """One relation per mention (by where it starts): the first of ``PRIORITY`` offered for it."""

    def __init__(self, source: DocText, effective: str | None) -> None:
        self.source, self.effective = source, effective
        self.best: dict[int, tuple[int, Relation]] = {}

    def offer(self, mention: Mention, type_: RelationType, evidence: tuple[int, int], lead: str = "") -> None:
        rank = PRIORITY.index(type_)
        if mention.start not in self.best or rank < self.best[mention.start][0]:
            relation = _relation(self.source, type_, mention.citation, evidence, self.effective, lead)
            self.best[mention.start] = (rank, relation)

    def relations(self) -> list[Relation]:
        return [self.best[start][1] for start in sorted(self.best)]


def _offer_sentence(best: _Strongest, source: DocText, span: tuple[int, int], inside: list[Mention],
                    own_keys: set[str]) -> None:
    """What one sentence says of the mentions inside it: by the rules, else that it cites them.
    A rule's pattern is searched only in a sentence holding one of its words (str's search)."""
    start, end = span
    sentence = source.text[start:end]
    for rule in RULES if inside else ():
        if not any(word in sentence for word in rule.words):
            continue
        for mention in _rule_mentions(rule, sentence, start, inside):
            if rule.own or not _is_own(mention, own_keys):
                best.offer(mention, rule.type, span)
    for mention in inside:
        if not _is_own(mention, own_keys):
            best.offer(mention, "cites", span)
    for mention in _unbracketed_repeals(source, start, end, inside):
        best.offer(mention, "repeals", span)


def _unbracketed_repeals(source: DocText, start: int, end: int, inside: list[Mention]) -> list[Mention]:
    """"原重庆市城市绿化管理办法同时停止执行": a repealed title written without 《》 or 文号."""
    found: list[Mention] = []
    if source.text.find("原", start, end) < 0:
        return found  # what _YUAN starts with: most sentences lack it
    for m in _YUAN.finditer(source.text, start, end):
        if any(m.start() <= mention.start < m.end() for mention in inside):
            continue
        title = repair_title(m["title"])
        lines = source.lines(m.start("title"), m.end("title"))
        citation = Citation(m["title"], None, title, "title", lines, source.anchor(lines))
        found.append(Mention(citation, m.start("title"), m.end("title")))
    return found


def _is_own(mention: Mention, own_keys: set[str]) -> bool:
    citation = mention.citation
    return citation.doc_number is None and title_key(citation.title or "") in own_keys


def _forwarded_by_title(doc: Document, relations: list[Relation], effective: str | None) -> list[Relation]:
    """"关于转发X的通知" forwards X even when no sentence names it."""
    m = _FORWARDED_TITLE.search(repair_title(doc.title or ""))
    if m is None or any(r.type == "forwards" for r in relations):
        return []
    title = m["title"].strip("《》")
    target = Citation(title, None, title, "title", doc.lines)
    return [Relation("forwards", target, Notice.of("title", title=doc.title), doc.lines, None, effective)]


def _embedded_issues(source: DocText, relations: list[Relation], effective: str | None) -> list[Relation]:
    """An ``issues`` relation for every embedded text the covering sentence did not name."""
    named = {title_key(r.target.title or "") for r in relations if r.type in ("issues", "forwards")}
    added = []
    for embedded in source.doc.embedded:
        if title_key(embedded.title) in named:
            continue
        target = Citation(embedded.title, None, embedded.title, "title", embedded.lines)
        added.append(Relation("issues", target, Notice.of("embedded", title=embedded.title), embedded.lines, None, effective))
    return added
