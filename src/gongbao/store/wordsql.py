"""The word table of search.querycut: jieba's dictionary as a small SQLite file in gongbao's
cache folder (not the gongbao database), made once per machine and read by every query
command.  Kept here because the store owns every statement."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Mapping
from pathlib import Path

_CHUNK = 500  # words per statement


class WordTable:
    """Word → frequency and part-of-speech tag, read-only; ``total`` and ``longest`` as the
    dictionary has them."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        meta = dict(self.conn.execute("SELECT key, value FROM meta"))
        self.total, self.longest = meta["total"], meta["longest"]

    def frequencies(self, words: list[str]) -> list[tuple[str, int]]:
        """(word, frequency) of those of ``words`` the dictionary holds."""
        return self._column("freq", words)

    def tags(self, words: list[str]) -> list[tuple[str, str]]:
        """(word, part-of-speech tag) of those of ``words`` the dictionary holds with a tag."""
        return [(word, tag) for word, tag in self._column("tag", words) if tag]

    def _column(self, column: str, words: list[str]) -> list[tuple[str, object]]:
        found = []
        for start in range(0, len(words), _CHUNK):
            chunk = words[start : start + _CHUNK]
            found += self.conn.execute(f"SELECT word, {column} FROM words WHERE word IN ({','.join('?' * len(chunk))})",
                                       chunk).fetchall()
        return found


def write_word_table(target: Path, words: Mapping[str, tuple[int, str]]) -> None:
    """Write the table (word → frequency, tag or '') at ``target`` whole (a file beside it, then renamed: another process
    making it at the same time does no harm)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        conn = sqlite3.connect(partial)
        try:
            conn.execute("CREATE TABLE words (word TEXT PRIMARY KEY, freq INTEGER NOT NULL, tag TEXT NOT NULL) WITHOUT ROWID")
            conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)")
            conn.executemany("INSERT INTO words VALUES (?, ?, ?)", ((w, f, t) for w, (f, t) in words.items()))
            conn.executemany("INSERT INTO meta VALUES (?, ?)", [("total", sum(f for f, _ in words.values())),
                                                                ("longest", max(map(len, words)))])
            conn.commit()
        finally:
            conn.close()
    except sqlite3.Error as exc:  # a full disk, say: the caller cuts with rjieba itself
        raise OSError(f"word table not written: {exc}") from exc
    os.replace(partial, target)


def open_word_table(path: Path) -> WordTable | None:
    """The table at ``path``, or None when it cannot be read."""
    try:
        return WordTable(path)
    except (sqlite3.Error, KeyError):
        return None
