"""Tokenisation for full-text search, at index time and at query time, in one place.

SQLite's FTS5 cannot call a Python tokenizer, so text is tokenised here, once, and the store
keeps it as space-separated tokens that FTS5 (``unicode61``, which then only splits on the
spaces) and PostgreSQL (``to_tsvector('simple', …)``) index (store.fts).  A *scheme* says how index
text is cut and how a query term becomes FTS5 expressions; the schemes below were compared
on the relevance set (bench/relevance.py, docs/search.md) and ``DEFAULT_SCHEME`` won.

Query terms become *units*: FTS5 expressions, each already quoted, that the query builder
joins with AND (or OR when relaxing).  Every token is double-quoted, so no user input is
ever read as FTS5 syntax.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass

from gongbao import keptre
from gongbao.textforms import nfkc
from gongbao.search import querycut

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A run is what a token can be made of: Chinese characters, or letters and digits.
_RUN = keptre.compile(rf"[{_CJK}]+|[0-9A-Za-z]+")
_IS_CJK = keptre.compile(rf"[{_CJK}]")
_MEANINGFUL = keptre.compile(rf"[{_CJK}0-9A-Za-z]")

# Words that carry the frame of a question or plain function, not what it is about; dropped
# from queries (never from the index).  Single characters are only dropped when jieba cut
# them out as words of their own.
STOPWORDS = frozenset(
    """
    的 了 吗 呢 吧 啊 呀 么 嘛 和 与 及 或 是 在 有 被 把 将 对 给 让 就 都 也 还 又 这 那 其
    怎么办 怎么 怎样 怎么样 如何 是否 有没有 有无 能否 能不能 可不可以 可以 要不要 需要 应该
    什么 是什么 哪些 哪个 哪里 哪儿 多少 多少钱 多久 多长 多大 几 谁 为什么 何时 什么时候 请问 我 我们 你 你们 他 他们 她
    一下 一些 相关 关于 规定 问题 情况 办理
    从 中 向 于 以 为 等 之 所 而 则 由 按 到 后 时
    """.split()
)

# Multi-character question frames are cut out of a run *before* segmentation, so that jieba
# does not glue them to content words (防火期是什么时候 → 防火期 | …).
QUESTION_FRAMES = (
    "是什么时候", "什么时候", "是什么", "怎么办", "怎么样", "怎么", "怎样", "如何", "是否", "有没有", "能不能",
    "可不可以", "要不要", "多少钱", "多少", "多长时间", "多久", "多长", "多大", "为什么", "哪些", "哪个", "请问",
)
_FRAME = keptre.compile("|".join(QUESTION_FRAMES))


def normalize(text: str) -> str:
    """Full-width letters and digits to ASCII, lower case: the form both sides are cut from
    (NFKC, by its fast path for gazette text: Q&A normalises every candidate clause)."""
    return nfkc(text).lower()


def runs(text: str) -> list[str]:
    return _RUN.findall(normalize(text))


def _bigrams(run: str) -> list[str]:
    if len(run) < 2 or not _IS_CJK.match(run):
        return [run]
    return list(map(operator.add, run[:-1], run[1:]))


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _phrase(tokens: list[str]) -> str:
    return _quote(" ".join(tokens))


def query_words(term: str) -> list[str]:
    """The words of a query term (jieba), question frames and function words removed."""
    words = []
    for run in runs(term):
        if not _IS_CJK.match(run):
            words.append(run)
            continue
        for piece in _FRAME.split(run):
            words.extend(w for w in querycut.cut(piece) if w and w not in STOPWORDS)
    return words


# --- schemes ----------------------------------------------------------------------------


def _index_words(text: str) -> str:
    return " ".join(querycut.cut_for_search(normalize(text)))


def _index_bigrams(text: str) -> str:
    out = []
    for run in runs(text):
        if len(run) > 1 and _IS_CJK.match(run):
            out.append(" ".join(map(operator.add, run[:-1], run[1:])))
        else:
            out.append(run)
    return " ".join(out)


def _index_words_bigrams(text: str) -> str:
    return _index_words(text) + " " + _index_bigrams(text)


def _units_words(term: str, phrase: bool) -> list[str]:
    # jieba's search cut puts the parts of a long word at the same place as the word, so
    # adjacency is not reliable: a phrase is all of its words.
    if phrase:
        return [_quote(w) for w in querycut.cut(normalize(term)) if _MEANINGFUL.search(w)]
    return [_quote(w) for w in query_words(term)]


def _bigram_unit(text: str) -> list[str]:
    units = []
    for run in runs(text):
        if len(run) == 1 and _IS_CJK.match(run):
            units.append(_quote(run) + "*")  # a lone character: any bigram starting with it
        else:
            units.append(_phrase(_bigrams(run)))
    return units


def _units_bigrams(term: str, phrase: bool) -> list[str]:
    return _bigram_unit(term)


def _units_bigrams_words(term: str, phrase: bool) -> list[str]:
    if phrase:
        return _bigram_unit(term)
    return [u for w in query_words(term) for u in _bigram_unit(w)]


def _units_words_bigrams(term: str, phrase: bool) -> list[str]:
    # Either the word as jieba cut it in the text, or its characters in a row.
    if phrase:
        return _bigram_unit(term)
    units = []
    for word in query_words(term):
        forms = list(dict.fromkeys([_quote(word), *_bigram_unit(word)]))
        units.append(forms[0] if len(forms) == 1 else f"({' OR '.join(forms)})")
    return units


def _units_trigram(term: str, phrase: bool) -> list[str]:
    # The trigram tokenizer only matches substrings of three characters or more, so shorter
    # words cannot be asked for; a term made only of short words is asked for as a whole.
    if phrase:
        whole = "".join(runs(term))
        return [_quote(whole)] if len(whole) >= 3 else []
    units = [_quote(w) for w in query_words(term) if len(w) >= 3]
    if not units:
        whole = "".join(runs(term))
        units = [_quote(whole)] if len(whole) >= 3 else []
    return units


@dataclass(frozen=True, slots=True)
class Scheme:
    """How text is indexed and how a query term is asked for."""

    name: str
    version: int
    fts_tokenize: str  # the FTS5 tokenize= option
    index: Callable[[str], str] | None  # None: FTS5 gets the raw text
    units: Callable[[str, bool], list[str]]
    description: str


_UNICODE61 = "unicode61 remove_diacritics 0"

SCHEMES: dict[str, Scheme] = {
    s.name: s
    for s in (
        Scheme(
            "words", 1, _UNICODE61, _index_words, _units_words,
            "rjieba search-cut words; query words ANDed; a phrase is its words ANDed (no adjacency)",
        ),
        Scheme("bigrams", 1, _UNICODE61, _index_bigrams, _units_bigrams, "character bigrams; each query run as one phrase"),
        Scheme(
            "bigrams_words",
            1,
            _UNICODE61,
            _index_bigrams,
            _units_bigrams_words,
            "character bigrams in the index; query cut into rjieba words, each word a bigram phrase",
        ),
        Scheme(
            "words_bigrams", 1, _UNICODE61, _index_words_bigrams, _units_words_bigrams,
            "both rjieba words and bigrams in the index; a query word matches as a word or as a bigram phrase",
        ),
        Scheme(
            "trigram", 1, "trigram", None, _units_trigram,
            "FTS5 trigram tokenizer; query words of 3+ characters as substrings",
        ),
    )
}
DEFAULT_SCHEME = "words"


def get_scheme(name: str | None) -> Scheme:
    try:
        return SCHEMES[name or DEFAULT_SCHEME]
    except KeyError:
        raise ValueError(f"unknown tokenizer scheme {name!r}; known: {', '.join(SCHEMES)}") from None


def index_text(text: str | None, scheme: str | None = None) -> str:
    """What the index is given for ``text`` under ``scheme`` (the stored token string)."""
    if not text:
        return ""
    s = get_scheme(scheme)
    return s.index(text) if s.index else text


def term_units(term: str, phrase: bool = False, scheme: str | None = None) -> list[str]:
    """FTS5 expressions (quoted) that together ask for one user term or quoted phrase."""
    return get_scheme(scheme).units(term, phrase)


def highlight_terms(term: str, phrase: bool = False) -> list[str]:
    """The strings to mark in snippets for a term: its words, or the phrase itself."""
    if phrase:
        return runs(term)  # the phrase matches across punctuation; its runs are what is printed
    return [w for w in query_words(term) if w]
