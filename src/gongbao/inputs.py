"""Input bounds: what a file must be before gongbao reads it, and what its text may hold.

- Only regular files are read; a device (/dev/zero), a FIFO or a socket is refused before a
  byte is read (opened without blocking, then checked on the open descriptor, so a file
  swapped for a FIFO between the check and the open cannot hang the reader).
- At most ``limits.MAX_FILE_BYTES`` are read, in one bounded read (a file that grows while
  being read is cut off there and refused, not read to the end).
- A text may have no NUL character and no line longer than ``limits.MAX_LINE_CHARS``.
- A title longer than ``limits.MAX_TITLE_CHARS`` is cut there, with a warning.
Every refusal is one InputError in Chinese naming the limit and its environment variable.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from gongbao import limits
from gongbao.errors import InputError
from gongbao.lines import split_lines
from gongbao.models import Issue, Notice

_KINDS = {stat.S_IFCHR: "字符设备", stat.S_IFBLK: "块设备", stat.S_IFIFO: "命名管道（FIFO）", stat.S_IFSOCK: "套接字"}


def read_file(path: str | os.PathLike) -> bytes:
    """The bytes of the regular file at ``path``, at most ``MAX_FILE_BYTES`` of them."""
    most = int(limits.MAX_FILE_BYTES.value())
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InputError("文件不存在") from None
    except IsADirectoryError:
        raise InputError("这是文件夹，不是文件") from None
    except OSError as exc:
        raise InputError(f"无法读取（{exc.strerror or exc}）") from None
    with os.fdopen(fd, "rb", buffering=0) as fh:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError("这是文件夹，不是文件")
        if not stat.S_ISREG(info.st_mode):
            kind = _KINDS.get(stat.S_IFMT(info.st_mode), "特殊文件")
            raise InputError(f"这是{kind}，不是普通文件，拒绝读取")
        if info.st_size > most:
            raise InputError(_too_large(info.st_size, most))
        chunks, size = [], 0
        while size <= most:
            chunk = fh.read(min(1 << 20, most + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    if size > most:
        raise InputError(_too_large(size, most))
    return b"".join(chunks)


def _too_large(size: int, most: int) -> str:
    return f"文件过大：{size:,} 字节，上限为 {most:,} 字节（环境变量 GONGBAO_MAX_FILE_BYTES）"


def check_text(text: str) -> str:
    """``text`` when it holds no NUL and no over-long line; InputError naming the line otherwise."""
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise InputError(f"第 {line} 行含 NUL 字符：这是二进制文件，不是公报文本")
    most = int(limits.MAX_LINE_CHARS.value())
    lines = split_lines(text) if len(text) > most else []  # no line can be longer than the whole text
    if lines and max(map(len, lines)) > most:  # the loop below only to name the line
        for number, line in enumerate(lines, start=1):
            if len(line) > most:
                raise InputError(f"第 {number} 行过长：{len(line):,} 个字符，上限为 {most:,} 个"
                                 "（环境变量 GONGBAO_MAX_LINE_CHARS）")
    return text


def cap_titles(issue: Issue) -> Issue:
    """Titles cut at ``MAX_TITLE_CHARS`` (a run-on line mistaken for a title), each with a warning."""
    most = int(limits.MAX_TITLE_CHARS.value())
    for doc in issue.documents:
        if len(doc.title) > most:
            doc.warnings.append(Notice.of("title_cut", length=len(doc.title), kept=most))
            doc.title = doc.title[:most] + "…"
    return issue
