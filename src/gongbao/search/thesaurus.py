"""The policy thesaurus: groups of words that answer for one another in a question.

Shipped as data (``gongbao/data/thesaurus.yaml``); users add groups of their own with a file
of the same format, named by ``--thesaurus``, else by the ``GONGBAO_THESAURUS`` environment
variable, else found at ``$XDG_CONFIG_HOME/gongbao/thesaurus.yaml`` (~/.config/…).  A word
expands to the other words of every group it is in, one hop only.

Public: ``load_thesaurus(paths=None)`` → ``Thesaurus``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from gongbao.errors import InputError
from gongbao.search.tokenize import normalize

ENV_VAR = "GONGBAO_THESAURUS"


@dataclass(slots=True)
class Thesaurus:
    """word → the set of words that may stand in for it (the word itself excluded)."""

    related: dict[str, set[str]] = field(default_factory=dict)

    def add_group(self, words: list[str]) -> None:
        clean = [normalize(w).strip() for w in words if isinstance(w, str) and w.strip()]
        for word in clean:
            self.related.setdefault(word, set()).update(w for w in clean if w != word)

    def expand(self, word: str) -> set[str]:
        return self.related.get(normalize(word), set())

    def words_in(self, text: str) -> list[str]:
        """Thesaurus words that occur in ``text``, longest first, none inside a longer one found."""
        text = normalize(text)
        found: list[str] = []
        for word in sorted(self.related, key=len, reverse=True):
            if word in text and not any(word in longer for longer in found):
                found.append(word)
        return found


def _groups(data: object, origin: str) -> list[list[str]]:
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list) or not all(isinstance(g, list) for g in groups):
        raise InputError(f"{origin}: a thesaurus is a YAML mapping with 'groups', a list of word lists")
    return groups


def _read(path: Path) -> list[list[str]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read thesaurus {path}: {exc.strerror or exc}") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(f"thesaurus {path} is not valid YAML: {str(exc).splitlines()[0]}") from exc
    return _groups(data, str(path))


def user_thesaurus_path() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config) / "gongbao" / "thesaurus.yaml"


def load_thesaurus(paths: list[str | Path] | None = None) -> Thesaurus:
    """The shipped thesaurus plus the user's files: ``paths`` if given (``[]``: none), else
    $GONGBAO_THESAURUS, else the user's config file when it exists."""
    shipped = resources.files("gongbao") / "data" / "thesaurus.yaml"
    thesaurus = Thesaurus()
    for group in _groups(yaml.safe_load(shipped.read_text(encoding="utf-8")), "shipped thesaurus"):
        thesaurus.add_group(group)
    extra = list(paths) if paths is not None else []
    if paths is None:
        if os.environ.get(ENV_VAR):
            extra = [os.environ[ENV_VAR]]
        elif user_thesaurus_path().is_file():
            extra = [user_thesaurus_path()]
    for path in extra:
        for group in _read(Path(path)):
            thesaurus.add_group(group)
    return thesaurus
