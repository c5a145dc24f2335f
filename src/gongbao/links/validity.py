"""Validity: what a document says about its own force, and its status as of a date.

``get_validity`` reads the clauses a document uses about itself — "本办法自2021年3月1日起
施行", "自印发之日起试行", "有效期2年", "有效期至2022年12月31日" — and its title (试行,
暂行).  ``status_as_of`` combines that with what other documents say about it (repeals,
replaces, revises) into one status code with its evidence.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING

from gongbao.models import FORCE_CHANGES, Document, Notice, Status, StatusCode, Validity

if TYPE_CHECKING:
    from gongbao.links.citations import DocText

__all__ = ["get_validity", "status_as_of", "Incoming"]

Incoming = tuple[str, str | None, str | None, Notice | None]
"""(relation type, source document key, effective ISO date or None, the relation's evidence)."""

# "… 自 <when> 起施行" where <when> is a date or the day of issue/publication
_TAKES_EFFECT = r"起\s*(?:(?P<after>[0-9一二两三四五六七八九十]{1,3})\s*日后\s*)?(?:正式)?(?:开始)?(?P<verb>施行|执行|试行|生效|实施)"
_EFFECTIVE = re.compile(rf"(?:自|从|于)?\s*(?P<when>[^，。；,;自从于]{{2,30}}?)\s*{_TAKES_EFFECT}")
# the end of every _EFFECTIVE match: starting with a literal it is found fast, where _EFFECTIVE
# (its optional start) is tried at every character, so it runs only in a sentence holding this
_EFFECTIVE_END = re.compile(_TAKES_EFFECT)
_ISSUE_DAY = re.compile(r"(?:印发|发布|公布|下发|签发|颁布|发文|通过|批准)之日")  # 通过: 人大 decisions and resolutions
# the clause must be about this document: 本办法 / 本意见 …, or a 令 that 现予公布
_SELF = re.compile(r"本[\u4e00-\u9fff]{1,8}|现予(?:公布|发布|印发)")
_PERIOD = re.compile(r"(?:有效期|试行期)(?:为|是)?\s*(?P<n>[0-9一二两三四五六七八九十]{1,3})\s*(?P<unit>年|个月)")
_UNTIL = re.compile(r"有效期(?:至|到|截至|截止(?:到|至)?)")
# "本政策执行期限为2021年1月1日至2022年12月31日": the period the document runs, its end the expiry
_TERM = re.compile(r"(?:执行|实施|试行|试点|有效)(?:期限|期间)(?:为|是|自|从)?[^，。；,;]{0,24}?(?:至|到)")
# a plan for one year (2021年全市安全生产与自然灾害防治工作要点, 国务院2019年立法工作计划): done with its
# year; a span of years (2021—2025年) or a second year in the title is not one year's
_YEAR_PLAN = re.compile(r"((?:19|20)\d\d)\s*年度?[^\d年]*?(?:工作)?(?:要点|计划|安排)》?(?:的通知)?$")
_YEAR_ANY = re.compile(r"(?:19|20)\d\d")
_TRIAL_TITLE = re.compile(r"试行|暂行")
_CN = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2, "十": 10}


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN[tens] if tens else 1) * 10 + (_CN[ones] if ones else 0)
    return _CN.get(text, 0)


def _add_period(start: str, count: int, unit: str) -> str:
    """The last day of a period of ``count`` years or months beginning on ``start``."""
    day = date.fromisoformat(start)
    months = day.month - 1 + count * (12 if unit == "年" else 1)
    year, month = day.year + months // 12, months % 12 + 1
    try:
        after = date(year, month, day.day)
    except ValueError:  # 2月29日 + 1年, 1月31日 + 1个月: the period ends with that month
        after = date(year + month // 12, month % 12 + 1, 1)
    return (after - timedelta(days=1)).isoformat()


def _context_year(doc: Document) -> int | None:
    return int(doc.date[:4]) if doc.date else None


# what a sentence on the document's force holds: a 起 that _EFFECTIVE_END matches from (one 起 in
# six of a law's: 起草, 起诉… say nothing of it), or the words every expiry pattern holds (_PERIOD,
# _UNTIL, _TERM)
_EXPIRY_WORDS = ("有效期", "试行期", "执行期", "实施期", "试点期")


def get_validity(doc: Document, source: DocText | None = None) -> Validity:
    """Effective date, expiry and trial status that ``doc`` states about itself (``source``: its
    DocText when the caller has it already)."""
    from gongbao.links.citations import DocText  # here: reading statuses needs status_as_of only
    from gongbao.parse.patterns import find_from_words, word_starts

    source = source or DocText(doc)
    validity = Validity()
    titles = [doc.title, *(e.title for e in doc.embedded)]
    validity.trial = any(_TRIAL_TITLE.search(t or "") for t in titles)
    year = _context_year(doc)
    marks = [m.start() for m in find_from_words(_EFFECTIVE_END, source.text, ("起",))]
    for start, end in source.sentences_at(marks + word_starts(source.text, _EXPIRY_WORDS)):
        sentence = source.text[start:end]  # most sentences say nothing about force: not read
        if validity.effective is None and "起" in sentence:
            _record_effective(validity, sentence, doc, year)
        if validity.expires is None and _record_expiry(validity, sentence, doc, year):
            if sentence.strip() not in validity.evidence:
                validity.evidence.append(sentence.strip())
    if validity.expires is None:
        _record_year_plan(validity, titles)
    return validity


def _record_year_plan(validity: Validity, titles: list[str | None]) -> None:
    """A one-year plan's expiry: the last day of its year, the title as evidence."""
    for title in titles:
        plan = _YEAR_PLAN.search(title or "")
        if plan and len(_YEAR_ANY.findall(title)) == 1:
            validity.expires = f"{plan.group(1)}-12-31"
            validity.evidence.append(title)
            return


def _record_effective(validity: Validity, sentence: str, doc: Document, year: int | None) -> None:
    """"本办法自2021年3月1日起施行" (about this document): its effective date, and the sentence as evidence."""
    m = _EFFECTIVE.search(sentence) if _EFFECTIVE_END.search(sentence) else None
    if not m or not _SELF.search(sentence[: m.end()]):
        return
    from gongbao.dates import find_dates  # here: a reader asking statuses (status_as_of) never needs it

    when = m["when"]
    if _ISSUE_DAY.search(when):
        validity.effective = doc.date or doc.printed_date
    else:
        dates = find_dates(when, context_year=year)
        validity.effective = dates[0][0].iso if dates else None
    if validity.effective and m["after"]:  # 自公布之日起30日后施行
        later = date.fromisoformat(validity.effective) + timedelta(days=_number(m["after"]))
        validity.effective = later.isoformat()
    validity.trial = validity.trial or m["verb"] == "试行"
    if validity.effective:
        validity.evidence.append(sentence.strip())


def _record_expiry(validity: Validity, sentence: str, doc: Document, year: int | None) -> bool:
    m = _PERIOD.search(sentence)
    if m:
        start = validity.effective or doc.date
        if start:
            validity.expires = _add_period(start, _number(m["n"]), m["unit"])
            return True
    m = _UNTIL.search(sentence) or _term_end(sentence)
    if m:
        from gongbao.dates import find_dates

        dates = find_dates(sentence[m.end() :], context_year=year)
        if dates and dates[0][0].iso:
            found = dates[0][0]
            validity.expires = found.end_iso or found.iso
            return True
    return False


def _term_end(sentence: str) -> re.Match | None:
    """"执行期限为A至B" up to its 至, when the term is the document's own (本政策…)."""
    term = _TERM.search(sentence)
    return term if term and _SELF.search(sentence[: term.start()]) else None


_ENDS = tuple(t for t, code in FORCE_CHANGES.items() if code == "repealed")
_REVISES = tuple(t for t, code in FORCE_CHANGES.items() if code == "revised")


def status_as_of(
    validity: Validity,
    incoming: list[Incoming],
    as_of: str,
    *,
    present: bool = True,
    issued: str | None = None,
) -> Status:
    """Status of a document as of ``as_of`` (ISO) from its validity and incoming relations.

    ``present`` says whether the document itself is known (not only cited); ``issued`` is its
    成文日期 (used when it states no effective date).  Precedence: repealed/replaced > not yet in force > expired > revised >
    in force (present documents) > unknown (cited-only documents with nothing said).
    Evidence is a list of notices (code and parameters; ``labels.describe`` renders them).
    """
    ended = _first_change(incoming, _ENDS, as_of, "repealed")
    if ended:
        return ended
    quotes = [Notice.of("quote", text=sentence) for sentence in validity.evidence]
    start = validity.effective or issued
    if start and start > as_of:
        return Status("not_yet_in_force", as_of, [*quotes, Notice.of("takes_effect", date=start)], since=start)
    if validity.expires and validity.expires < as_of:
        return Status("expired", as_of, [*quotes, Notice.of("expired_after", date=validity.expires)],
                      since=validity.expires)
    revised = _first_change(incoming, _REVISES, as_of, "revised")
    if revised:
        return revised
    pending = [_pending(r) for r in incoming if r[0] in _ENDS and r[2] and r[2] > as_of]
    # a text another repeals only from a later day was in force till then, though known only as cited
    if pending or (present and (start or validity.evidence)):
        return Status("in_force", as_of, [*quotes, Notice.of("in_force_as_of", as_of=as_of), *pending], since=start)
    return Status("unknown", as_of, [Notice.of("unknown_as_of", as_of=as_of), *pending])


def _first_change(incoming: list[Incoming], types: tuple[str, ...], as_of: str, code: StatusCode) -> Status | None:
    """The earliest incoming relation of ``types`` in effect by ``as_of``, as a status of ``code``."""
    changes = sorted((r for r in incoming if r[0] in types and (r[2] is None or r[2] <= as_of)), key=lambda r: r[2] or "")
    if not changes:
        return None
    _, by, since, evidence = changes[0]
    return Status(code, as_of, [evidence] if evidence else [], by=by, since=since)


def _pending(relation: Incoming) -> Notice:
    """A repeal dated after ``as_of``: when, and what says so."""
    evidence = relation[3]
    said = (evidence.get("text") or evidence.get("title") or "") if evidence else ""
    return Notice.of("pending_repeal", date=relation[2], text=said)
