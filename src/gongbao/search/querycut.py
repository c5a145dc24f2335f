"""Cutting a query exactly as rjieba cuts it, without loading rjieba's whole dictionary.

Importing rjieba builds its default dictionary (349,045 words): 0.12 s CPU, half of what a
whole `gongbao search` may take.  jieba reads only the frequencies of substrings of the text
it cuts (the word graph, the best route, whether a run of single characters is a word, the
parts a search cut adds) and the dictionary's total frequency.  So a short text is cut by an
empty ``rjieba.Jieba`` given the dictionary words that are substrings of it, and one
placeholder word (a private-use character, never in a query) that carries the rest of the
total: the same graph, route, HMM and result.

The words (with their part-of-speech tags, which the question's names are read by) come from
a small table made once per machine (``words.sqlite`` in gongbao's cache folder:
$GONGBAO_CACHE, else $XDG_CACHE_HOME/gongbao, else ~/.cache/gongbao) out of the dict.txt that
the jieba package ships — the dictionary rjieba carries, checked word by word against
rjieba when the table is made.  Without it (jieba not installed, no writable cache, a
dictionary that differs) the text is cut by rjieba itself, loaded as before.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from functools import lru_cache
from pathlib import Path

from gongbao.lasting import cache_folder

PLACEHOLDER = "\ue000"  # carries the total frequency of the words a text does not hold
TABLE_VERSION = 2  # 2: with each word's part-of-speech tag
SHORT_TEXT = 256  # characters: a longer text (a document at ingest) is cut by rjieba itself
# A cut this way costs ~0.2 ms (the word lookup), loading rjieba ~0.12 s: a process that has cut
# this many texts (a portal worker) loads rjieba, having spent about what loading it costs.
SMALL_CUTS = 600
_small_cuts = 0


def full():
    """rjieba with its whole dictionary (built on first use)."""
    import rjieba

    return rjieba


def _extension():
    """rjieba's compiled module, loaded without its package ``__init__`` (which builds the
    default dictionary); the package, when imported later, uses this same module."""
    if "rjieba.rjieba" in sys.modules:
        return sys.modules["rjieba.rjieba"]
    spec = importlib.util.find_spec("rjieba")
    folder = Path(spec.submodule_search_locations[0])
    path = next(p for p in folder.iterdir()
                if p.name.startswith("rjieba.") and p.name.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)))
    loader = importlib.machinery.ExtensionFileLoader("rjieba.rjieba", str(path))
    module = importlib.util.module_from_spec(importlib.util.spec_from_file_location("rjieba.rjieba", path, loader=loader))
    loader.exec_module(module)
    sys.modules["rjieba.rjieba"] = module
    return module


def _dictionary_file() -> Path | None:
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(spec.submodule_search_locations[0]) / "dict.txt"
    return path if path.is_file() else None


def _read_dictionary(path: Path) -> dict[str, tuple[int, str]]:
    """Word → frequency and part-of-speech tag ('' for none), as rjieba reads a dictionary (a
    repeated word keeps its last)."""
    words = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if parts:
                words[parts[0]] = (int(parts[1]) if len(parts) > 1 else 0, parts[2] if len(parts) > 2 else "")
    return words


def tags_of(words: list[str], tags: frozenset[str]) -> dict[str, str]:
    """word → its part-of-speech tag in jieba's dictionary, for those of ``words`` tagged one of
    ``tags``: looked up in the word table (holding the whole dictionary's tags in a process is
    ~0.05 s of a whole `gongbao ask`), else in the dictionary itself, read once."""
    table = _table()
    found = table.tags(words) if table is not None else _dictionary_tags(words)
    return {word: tag for word, tag in found if tag in tags}


def _dictionary_tags(words: list[str]) -> list[tuple[str, str]]:
    path = _dictionary_file()
    dictionary = _whole_dictionary(path) if path is not None else {}
    return [(w, dictionary[w][1]) for w in words if w in dictionary]


@lru_cache(maxsize=1)
def _whole_dictionary(path: Path) -> dict[str, tuple[int, str]]:
    return _read_dictionary(path)


def _same_as_rjieba(words: dict[str, tuple[int, str]]) -> bool:
    """Whether rjieba holds every word, each with the same frequency (its suggest_freq of a
    word cut as itself is the frequency, or one more)."""
    rjieba = full()
    if not all(rjieba.has_word(w) for w in words):
        return False
    sample = list(words)[::97]
    return all(rjieba.suggest_freq(w) - words[w][0] in (0, 1) for w in sample if rjieba.cut(w, False) == [w])


def _build(target: Path, source: Path) -> None:
    from gongbao.store.wordsql import write_word_table  # the store imports this module: loaded when first needed

    words = _read_dictionary(source)
    if not _same_as_rjieba(words):
        raise ValueError("jieba's dict.txt is not rjieba's dictionary")
    write_word_table(target, words)


@lru_cache(maxsize=1)
def _table():
    """The word table (store.wordsql.WordTable), made on first use; None when it cannot be had."""
    from gongbao.store.wordsql import open_word_table

    source = _dictionary_file()
    if source is None:
        return None
    stat = source.stat()
    target = cache_folder() / f"words-{TABLE_VERSION}-{stat.st_size}-{int(stat.st_mtime)}.sqlite"
    try:
        if not target.exists():
            _build(target, source)
    except (OSError, ValueError):
        return None
    return open_word_table(target)


def _jieba_for(text: str):
    """An rjieba.Jieba that cuts ``text`` as the default one does, or None."""
    table = _table() if PLACEHOLDER not in text else None
    if table is None:
        return None
    found = table.frequencies(list({text[i:j] for i in range(len(text))
                                    for j in range(i + 1, min(len(text), i + table.longest) + 1)}))
    jieba = _extension().Jieba.empty()
    for word, freq in found:
        jieba.add_word(word, freq, None)
    jieba.add_word(PLACEHOLDER, table.total - sum(freq for _, freq in found), None)
    return jieba


def _cutter(text: str):
    """The empty Jieba made for ``text`` when it is short, rjieba is not loaded yet and this
    process has not cut SMALL_CUTS texts so; else rjieba (loaded on first use)."""
    global _small_cuts
    small = None
    if len(text) <= SHORT_TEXT and "rjieba" not in sys.modules and _small_cuts < SMALL_CUTS:
        _small_cuts += 1
        small = _jieba_for(text)
    return small or full()


def frequencies(words: list[str]) -> dict[str, int]:
    """How often jieba's dictionary holds each of ``words`` (the ones it holds)."""
    table = _table()
    if table is not None:
        return dict(table.frequencies(words))
    jieba = full()
    return {w: jieba.suggest_freq(w) for w in words if jieba.cut(w, False) == [w]}


def cut(text: str) -> list[str]:
    """``rjieba.cut(text)``."""
    return _cutter(text).cut(text)


def cut_for_search(text: str) -> list[str]:
    """``rjieba.cut_for_search(text)``."""
    return _cutter(text).cut_for_search(text)
