"""Regular expressions compiled once per Python and gongbao, not once per process.

``re.compile`` turns a pattern into the matcher's code in pure Python, and a class of Chinese
characters ([\\u3400-\\u9fff]) is set up character by character: the patterns the query path
compiles as it imports (文号, question frames, tokens) cost a whole `gongbao ask` about 20 ms
of its 0.25 s CPU.  ``compile`` keeps the code ``re`` would make in gongbao's cache folder
(gongbao.lasting), per version of Python's matcher, and builds the pattern from it; what it
cannot keep or read is compiled by ``re`` as usual.  The pattern is the one ``re.compile`` gives.

Public: ``compile(pattern, flags=0)`` (as ``keptre.compile`` where ``re.compile`` would be).
"""

from __future__ import annotations

import atexit
import re
import sys

import _sre

from gongbao.lasting import kept_file, write_file

_OWNER = f"re {sys.version} {_sre.MAGIC} {_sre.CODESIZE}"  # what the code depends on
_kept: dict[tuple[str, int], tuple] | None = None
_new: list[tuple[str, int]] = []


def compile(pattern: str, flags: int = 0) -> re.Pattern:  # noqa: A001 — re.compile's name, on purpose
    """``re.compile(pattern, flags)``, its code from the cache folder when kept there."""
    global _kept
    if _kept is None:
        _kept = kept_file("regexes", _OWNER, "", dict)
    key = (pattern, int(flags))
    made = _kept.get(key)
    if made is None:
        try:
            made = _kept[key] = _made(pattern, int(flags))
        except Exception:  # noqa: BLE001 — another Python's internals: re does it as usual
            return re.compile(pattern, flags)
        if not _new:
            atexit.register(_write)
        _new.append(key)
    return _sre.compile(pattern, *made)


def _made(pattern: str, flags: int) -> tuple:
    """What re._compiler.compile hands _sre.compile for ``pattern``, less the pattern itself."""
    from re import _compiler, _parser

    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]  # plain ints: its opcodes refuse pickling
    groupindex = parsed.state.groupdict
    indexgroup = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return flags | parsed.state.flags, code, parsed.state.groups - 1, dict(groupindex), tuple(indexgroup)


def _write() -> None:
    write_file("regexes", _OWNER, "", _kept)
