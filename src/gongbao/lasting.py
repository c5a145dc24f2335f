"""What one process computes and the next would compute again, kept in gongbao's cache folder.

A whole `gongbao ask` is mostly start-up: the shipped thesaurus read from YAML, and what a
reader derives from the whole database (the outline's average node length, the index of
titles that interpretation links are found by).  Each is made once per version of what it is
made from and kept as a pickle in gongbao's cache folder ($GONGBAO_CACHE, else
$XDG_CACHE_HOME/gongbao, else ~/.cache/gongbao), named by a hash of its inputs and of
gongbao's own code, so a changed file, database or gongbao is a miss, never a stale answer.
A cache that cannot be read or written costs only the time to compute the value again; a file
not written for 30 days is removed when another is first written.  What a value gives out of band
(``pickle.PickleBuffer``: the node runs' arrays) is mapped from the file when read, not copied.

Public: ``cache_folder()``, ``kept_file(kind, owner, version, compute)``, ``write_file``, ``code_version()``.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import pickle
import struct
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
FORMAT = 2  # of the files: a change makes every kept file a miss


def cache_folder() -> Path:
    if os.environ.get("GONGBAO_CACHE"):
        return Path(os.environ["GONGBAO_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "gongbao"


@lru_cache(maxsize=1)
def code_version() -> str:
    """Changes with any file of the installed gongbao package (name, size, modification time)."""
    digest = hashlib.sha256(str(FORMAT).encode())
    root = Path(__file__).resolve().parent
    stack = [root]
    while stack:
        for entry in sorted(os.scandir(stack.pop()), key=lambda e: e.name):
            if entry.is_dir():
                if entry.name != "__pycache__":
                    stack.append(Path(entry.path))
            elif entry.name.endswith((".py", ".yaml", ".sql")):
                st = entry.stat()
                digest.update(f"{entry.path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _digest(text: str | bytes) -> str:
    return hashlib.sha256(text if isinstance(text, bytes) else text.encode()).hexdigest()[:20]


def _path(kind: str, owner: str, version: bytes | str) -> Path:
    # the owner and gongbao's code in the prefix: a file replaces only its own older versions
    return cache_folder() / f"{kind}-{_digest(owner + code_version())}-{_digest(version)}.pickle"


def kept_file(kind: str, owner: str, version: bytes | str, compute: Callable[[], T]) -> T:
    """``compute()``, kept in a file for ``owner`` (what it is derived from: a database, a set
    of files) at ``version`` (everything the value depends on); the owner's files of other
    versions are removed when a new one is written."""
    try:
        return _load(_path(kind, owner, version))
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001 — a damaged or foreign file is a miss, never an error
        pass
    value = compute()
    write_file(kind, owner, version, value)
    return value


def write_file(kind: str, owner: str, version: bytes | str, value: object) -> None:
    """Keep ``value`` in the file of ``kept_file(kind, owner, version, …)`` (again, when it has
    grown: a mapping a process adds to as it goes)."""
    path = _path(kind, owner, version)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        _dump(value, tmp)
        new = not path.exists()
        os.replace(tmp, path)
        if new:  # not on each rewrite of a growing mapping: listing a big folder cost more than the write
            _prune(path)
    except (OSError, pickle.PicklingError):
        pass


# A file: the pickle's length and how many buffers follow it, each buffer's length, the pickle,
# then the buffers, each at a multiple of 8 bytes.  The buffers are what a value gives out of
# band (pickle.PickleBuffer: a big array) and they come back mapped from the file, not copied.
_HEAD = struct.Struct("<QQ")


def _dump(value: object, path: Path) -> None:
    buffers: list[pickle.PickleBuffer] = []
    data = pickle.dumps(value, protocol=5, buffer_callback=buffers.append)
    raws = [b.raw() for b in buffers]
    with open(path, "wb") as out:
        out.write(_HEAD.pack(len(data), len(raws)) + struct.pack(f"<{len(raws)}Q", *(r.nbytes for r in raws)))
        out.write(data)
        for raw in raws:
            out.write(bytes(-out.tell() % 8))
            out.write(raw)


def _load(path: Path) -> object:
    with open(path, "rb") as file:
        view = memoryview(mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ))
    size, count = _HEAD.unpack_from(view)
    lengths = struct.unpack_from(f"<{count}Q", view, _HEAD.size)
    at = _HEAD.size + 8 * count + size
    data, buffers = view[at - size:at], []
    for length in lengths:
        at += -at % 8
        buffers.append(view[at:at + length])
        at += length
    if at > len(view):
        raise ValueError("a kept file cut short")
    return pickle.loads(data, buffers=buffers)


STALE_DAYS = 30


def _prune(path: Path) -> None:
    """After ``path`` is first written: its owner's other versions go, and so does every file of
    the folder not written for STALE_DAYS: the values of databases, thesauri and gongbao versions
    that are gone would otherwise stay for ever (one still in use costs only its computing again)."""
    prefix = path.name.rsplit("-", 1)[0] + "-"
    stale = time.time() - STALE_DAYS * 86400
    with os.scandir(path.parent) as entries:
        for entry in entries:
            if entry.name == path.name or not entry.is_file(follow_symlinks=False):
                continue
            if entry.name.startswith(prefix) and entry.name.endswith(".pickle") or entry.stat().st_mtime < stale:
                Path(entry.path).unlink(missing_ok=True)
