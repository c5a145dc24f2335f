"""Text files (UTF-8, UTF-16 with BOM, GB18030/GBK): decode and split into lines."""

from __future__ import annotations

import codecs

from gongbao.errors import InputError
from gongbao.lines import split_lines
from gongbao.models import SourceLine

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_MAX_BYTES = 64 * 1024 * 1024


def decode(data: bytes) -> tuple[str, str]:
    """The text of a file and the encoding it was in: UTF-8 (with or without BOM), UTF-16
    with BOM, or GB18030 (which covers GBK and GB2312)."""
    if not data.strip():
        raise InputError("the file is empty")
    if len(data) > _MAX_BYTES:
        raise InputError(f"the file is too large ({len(data) // 1024 // 1024} MB; limit {_MAX_BYTES // 1024 // 1024} MB)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputError(f"the file starts with a {encoding} byte-order mark but does not decode: {exc.reason}") from None
    if b"\x00" in data[:65536]:
        raise InputError("the file is binary (it contains NUL bytes), not the text of a gazette")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise InputError("the file is neither UTF-8 nor GB18030/GBK text")


def text_lines(text: str) -> tuple[SourceLine, ...]:
    """One SourceLine per line of the text (no page: a text file has none)."""
    return tuple(SourceLine(line) for line in split_lines(text))
