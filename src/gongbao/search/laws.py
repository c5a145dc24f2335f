"""Which laws a question means: document-level retrieval over what each text says it is about.

The index's best clauses are short ones from anywhere; a question about 维修基金 or 合同编 is
first about the law that governs it, whose clauses must be candidates even when a small text
matches the question's words better.  A text's *profile* is what it says it is about: its title
less 中华人民共和国 and its place, the short forms of that title (generic abbreviation rules:
消费者权益保护法 → 消保法), the start of its text (a book of the 民法典: 合同编), the headings of its
parts, chapters and sections, and its first article (its purpose or scope).  The profiles of
every text with an outline are kept per database version.

Public: ``laws_meant(store, question, region)``.
"""

from __future__ import annotations

import math
from bisect import bisect_right

from gongbao.models import Question
from gongbao.search import querycut
from gongbao.search.place import is_known_place, jurisdiction_of, place_factor, title_without_place
from gongbao.search.tokenize import normalize
from gongbao.store.records import DocProfile

LAWS_MEANT = 3  # texts of the asker's region or the nation whose profile meets the question most
# a question word weighing less (a stand-in, a narrative word) is not looked for, nor a place (重庆
# is in the titles of many a city's notice: place is ranked by place, search.place)
PROFILE_WEIGHT = 0.5
K1, B = 1.2, 0.75
_NATIONAL_PREFIX = "中华人民共和国"
_SEPARATOR = "\x00"


def short_forms(title: str) -> list[str]:
    """A law's short names by generic rules: the title less 中华人民共和国 (劳动法), and, for a
    name of three words or more before 法/条例, the first characters of its first and last words
    and of its first two words (消费者权益保护法 → 消保法, 消权法; 道路交通安全法 → 道安法, 道交法)."""
    core = title_without_place(normalize(title)).removeprefix(_NATIONAL_PREFIX)
    out = [core]
    for ending in ("法", "条例"):
        if core.endswith(ending) and len(core) > len(ending) + 3:
            words = querycut.cut(core[: -len(ending)])
            if len(words) >= 2 and all(len(w) >= 2 for w in words):
                out += [words[0][0] + words[-1][0] + ending, words[0][0] + words[1][0] + ending]
            break
    return list(dict.fromkeys(out))


def _profile_text(profile: DocProfile) -> str:
    opening = profile.opening.split("\n", 1)[0].strip()
    parts = [*short_forms(profile.title), opening if len(opening) <= 8 else "", *profile.headings,
             profile.first_article]
    return normalize(" ".join(p for p in parts if p)).replace(" ", "")


def _profiles(store) -> tuple[list[int], list[str], list[int], str]:
    """(pks, jurisdictions, where each profile starts, every profile joined): one string, so
    that a word is looked for with one ``str.find`` over all of them."""
    pks, places, starts, texts, at = [], [], [], [], 0
    for profile in store.doc_profiles():
        text = _profile_text(profile)
        pks.append(profile.pk)
        places.append(jurisdiction_of(profile.title, profile.issuers))
        starts.append(at)
        texts.append(text)
        at += len(text) + 1
    return pks, places, starts, _SEPARATOR.join(texts)


KEPT_PROFILE_HITS = 200_000  # (word, profile) counts kept over all words


def _profiles_holding(store, word: str, starts: list[int], joined: str) -> dict[int, int]:
    """profile index → how often it holds ``word``; kept by the store until the database changes
    (each look-up scans every profile, and questions share their words)."""
    known = store.kept("qa law profile hits", dict)
    if word not in known:
        if sum(map(len, known.values())) > KEPT_PROFILE_HITS:
            known.clear()
        found: dict[int, int] = {}
        i = joined.find(word)
        while i >= 0:
            at = bisect_right(starts, i) - 1
            found[at] = found.get(at, 0) + 1
            i = joined.find(word, i + 1)
        known[word] = found
    return known[word]


def laws_meant(store, question: Question, region: str | None) -> list[int]:
    """The pks of the texts of the asker's region or the nation whose profiles meet the
    question's words most (BM25 over the profiles, each question word counted once through its
    best stand-in), best first."""
    pks, places, starts, joined = store.kept("qa law profiles", lambda: _profiles(store), lasting=True)
    if not pks:
        return []
    avg = len(joined) / len(pks)
    ends = [*starts[1:], len(joined) + 1]
    best: dict[int, dict[str, float]] = {}
    for term, weight in question.terms.items():
        word = normalize(term)
        if weight < PROFILE_WEIGHT or len(word) < 2 or is_known_place(word):
            continue
        found = _profiles_holding(store, word, starts, joined)
        if not found:
            continue
        idf = math.log(1 + (len(pks) - len(found) + 0.5) / (len(found) + 0.5))
        for at, tf in found.items():
            length = ends[at] - starts[at] - 1
            value = weight * idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / avg))
            cores = best.setdefault(at, {})
            for core in question.groups.get(term, (term,)):
                cores[core] = max(cores.get(core, 0.0), value)
    ranked = sorted(best, key=lambda at: (-sum(best[at].values()), pks[at]))
    return [pks[at] for at in ranked if place_factor(places[at], region) == 1.0][:LAWS_MEANT]
