"""Typing slips of a pinyin keyboard in a question: 劳动仲栽 → 劳动仲裁, 开堵场 → 开赌场, 宅积地 → 宅基地.

People type questions with a pinyin input method, and its slips are homophones: a word the
dictionary does not know (仲栽) whose one character, swapped for another read the same way
(栽 → 裁, both zai), makes a word it knows well (仲裁).  The dictionary is jieba's (the one
questions are cut with, ``querycut.frequencies``); the readings are pypinyin's (MIT, its data
inside the wheel), tones ignored, since input methods ignore them too.

Public: ``repair(text, corpus_frequency, keep)`` → the text with its slips mended, and the pairs mended.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from gongbao.lasting import kept_file
from gongbao.search import querycut

MIN_FREQUENCY = 20  # how often jieba's dictionary must hold the mended word (身分证 23, 低保 40)
MIN_CORPUS = 3  # … and in how many clauses the corpus must use it
MAX_LENGTH = 4  # longer unknown words are names, not slips
# characters that glue onto a word when jieba cuts a question (能签, 想换, 才行): such a word
# is two words, not a slip
GLUE = frozenset("能要会不没该想可被让把给得着过都也还就才来去的了吗呢啊吧么")
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")


@lru_cache(maxsize=1)
def _readings() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """character → its usual reading without tone, and reading → the characters usually read so
    (the common block of CJK ideographs); kept in gongbao's cache folder per version of
    pypinyin's data files (importing pypinyin is ~0.25 s, most of a whole `gongbao ask` that
    mends a slip)."""
    spec = importlib.util.find_spec("pypinyin")
    try:
        folder = Path(spec.submodule_search_locations[0])
        stats = [(folder / name).stat() for name in ("pinyin_dict.py", "phonetic_symbol.py")]
    except (AttributeError, TypeError, OSError):  # not installed as a folder: read it each time
        return _read_readings()
    version = "|".join(f"{st.st_size}:{st.st_mtime_ns}" for st in stats)
    return kept_file("readings", str(folder.resolve()), version, _read_readings)


def _read_readings() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    from pypinyin.phonetic_symbol import phonetic_symbol
    from pypinyin.pinyin_dict import pinyin_dict

    toneless = str.maketrans({mark: plain[0] for mark, plain in phonetic_symbol.items() if len(mark) == 1})
    of_char: dict[str, tuple[str, ...]] = {}
    chars: dict[str, list[str]] = {}
    for code, readings in pinyin_dict.items():
        if 0x4E00 <= code <= 0x9FFF:
            char, usual = chr(code), readings.split(",", 1)[0].translate(toneless)
            of_char[char] = (usual,)
            chars.setdefault(usual, []).append(char)
    return of_char, {r: tuple(cs) for r, cs in chars.items()}


def _homophone_variants(word: str) -> list[str]:
    """``word`` with one character swapped for another read as that character usually is."""
    of_char, chars = _readings()
    out = []
    for i, ch in enumerate(word):
        for reading in of_char.get(ch, ()):
            out.extend(word[:i] + other + word[i + 1:] for other in chars[reading] if other != ch)
    return out


def repair(text: str, corpus_frequency: Callable[[str], int],
           keep: Callable[[str], bool] = lambda word: False) -> tuple[str, list[tuple[str, str]]]:
    """``text`` with each word that neither jieba's dictionary nor the corpus knows — alone, or
    with the word after it when jieba cut a slip apart (宅积 / 地) — replaced by its homophone
    variant (one character swapped) that the corpus uses and the dictionary holds most often.
    ``corpus_frequency(word)``: in how many clauses the corpus uses it; ``keep(word)``: leave it
    alone (a thesaurus word)."""
    words = querycut.cut(text)
    spans = [w for w in words if _HAN.match(w)]
    freq = querycut.frequencies(list(set(spans) | {a + b for a, b in zip(spans, spans[1:])}))
    mended: list[tuple[str, str]] = []
    for i, word in enumerate(words):
        if i and words[i - 1][-1:].isdigit():  # 2019年进的: a unit after a number, not a slip
            continue
        if not (2 <= len(word) <= MAX_LENGTH and _HAN.match(word) and not freq.get(word)
                and not any(ch in GLUE for ch in word) and not keep(word) and not corpus_frequency(word)):
            continue
        tries = [word] + ([word + words[i + 1]] if i + 1 < len(words) and _HAN.match(words[i + 1]) else [])
        best = _best_variant([w for w in tries if len(w) <= MAX_LENGTH], corpus_frequency)
        if best is not None:
            mended.append(best)
    for slip, word in mended:
        text = text.replace(slip, word)
    return text, mended


def _best_variant(tries: list[str], corpus_frequency: Callable[[str], int]) -> tuple[str, str] | None:
    """(slip, word) for the variant of any of ``tries`` the dictionary holds most often, of those
    the corpus uses."""
    candidates = {v: w for w in tries for v in _homophone_variants(w)}
    found = querycut.frequencies(list(candidates))
    for word, _ in sorted(found.items(), key=lambda item: (-item[1], item[0])):
        if found[word] < MIN_FREQUENCY:
            break
        if corpus_frequency(word) >= MIN_CORPUS:
            return candidates[word], word
    return None
