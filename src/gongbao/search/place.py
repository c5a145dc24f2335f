"""Where a rule binds, and whose rules a question should be answered from.

A portal belongs to a jurisdiction (``GONGBAO_JURISDICTION``, ``gongbao serve
--jurisdiction``, ``gongbao ask --region``; the demo's is 重庆).  Its own rules and the
nation's rank before other regions' (a Chongqing resident is not answered from Shandong's
regulation when Chongqing's or the national law says it).  Which place a document binds is read
from its title and issuers through the data file ``gongbao/data/jurisdictions.yaml``; a
question that names a region (浙江的…) is answered for that region.

Public: ``NATIONAL``, ``jurisdiction_of(title, issuers)``, ``region_named(text)``, ``strip_place(name)``,
``default_region()``, ``place_factor(doc_place, region)``, ``names_national_issuer(title)``,
``is_known_place(word)``,
``title_without_place(title)``.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

from gongbao.search.thesaurus import shipped_data

NATIONAL = "国家"
OTHER = "其他"  # a place the data file does not list
ENV_VAR = "GONGBAO_JURISDICTION"
OTHER_REGION_FACTOR = 0.45  # score factor for another region's rules
# a title that opens with a place name the data does not know (…省, …市, …自治州, …县)
_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,8}?(?:省|市|自治区|自治州|自治县|县|特别行政区)")


@lru_cache(maxsize=1)
def _data() -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    raw = shipped_data("jurisdictions.yaml")
    names = [(name, region) for region, items in raw["regions"].items() for name in items]
    names.sort(key=lambda pair: -len(pair[0]))  # 重庆市 before 重庆
    return tuple(raw["national"]), tuple(names)


def _region_at_start(text: str) -> str | None:
    national, names = _data()
    if text.startswith(national):
        return NATIONAL
    return next((region for name, region in names if text.startswith(name)), None)


def jurisdiction_of(title: str | None, issuers: list[str] | None = None) -> str:
    """国家, a region's name (重庆, 山东 …), or 其他 for a place the data does not list."""
    return _jurisdiction((title or "").strip(), tuple(issuers or ()))


@lru_cache(maxsize=16384)  # Q&A asks it of every candidate's document, again for each question
def _jurisdiction(title: str, issuers: tuple[str, ...]) -> str:
    found = _region_at_start(title)
    if found:
        return found
    for issuer in issuers:
        found = _region_at_start(issuer.strip())
        if found:
            return found
    return OTHER if _PLACE.match(title) else NATIONAL


def names_national_issuer(title: str) -> bool:
    """Whether a title opens with a national issuer's name (中华人民共和国…, 最高人民法院…)."""
    return _region_at_start(title.strip()) == NATIONAL


@lru_cache(maxsize=1)
def _by_first() -> dict[str, tuple[str, ...]]:
    """The data's place names by their first character, longest first: a name is looked for
    only among those it can start with (Q&A strips every candidate's title, for each question)."""
    out: dict[str, list[str]] = {}
    for place, _ in _data()[1]:
        out.setdefault(place[0], []).append(place)
    return {first: tuple(places) for first, places in out.items()}


def strip_place(name: str) -> str:
    """An organ's name without the places before it (重庆市武隆区人力资源和社会保障局 → 人力资源和社会保障局)."""
    by_first = _by_first()
    stripped = True
    while stripped:
        stripped = False
        for place in by_first.get(name[:1], ()):
            if name.startswith(place) and len(name) > len(place) + 1:
                name, stripped = name[len(place):], True
                break
    return name


def title_without_place(title: str) -> str:
    """A title without the places it opens with, listed or not (重庆市失业保险条例, 郑州市失业保险条例 →
    失业保险条例; 山东省青岛市… → …)."""
    title = strip_place(title)
    while (found := _PLACE.match(title)) and len(title) > found.end() + 1:
        title = title[found.end():]
    return title


def region_named(text: str) -> str | None:
    """The region a question names (浙江的…, 在成都…), if any."""
    _, names = _data()
    return next((region for name, region in names if len(name) >= 2 and name in text), None)


def is_known_place(word: str) -> bool:
    """Whether the data names a place of which ``word`` is (the start of) the name (武隆 → 武隆区)."""
    national, names = _data()
    return any(name.startswith(word) for name, _ in names) or any(n.startswith(word) for n in national)


def default_region() -> str | None:
    return os.environ.get(ENV_VAR) or None


def place_factor(doc_place: str, region: str | None) -> float:
    """1 for the asker's own rules and the nation's (and for anyone when no region is set),
    less for another region's."""
    if region is None or doc_place in (NATIONAL, region):
        return 1.0
    return OTHER_REGION_FACTOR
