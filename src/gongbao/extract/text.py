"""Text files (UTF-8, UTF-16 with BOM, GB18030/GBK): decode and split into lines."""

from __future__ import annotations

import codecs

from gongbao.errors import InputError
from gongbao.inputs import check_text
from gongbao.lines import split_lines
from gongbao.models import SourceLine

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_MAX_BYTES = 64 * 1024 * 1024


def decode(data: bytes) -> tuple[str, str]:
    """The text of a file and the encoding it was in: UTF-8 (with or without BOM), UTF-16
    (with BOM, or without one when its NUL bytes say so), or GB18030 (which covers GBK and
    GB2312).  The text is checked by ``gongbao.inputs.check_text`` (no NUL, no over-long line)."""
    if not data or data.isspace():  # data.strip() would copy the whole file
        raise InputError("the file is empty")
    if len(data) > _MAX_BYTES:
        raise InputError(f"the file is too large ({len(data) // 1024 // 1024} MB; limit {_MAX_BYTES // 1024 // 1024} MB)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return check_text(data.decode(encoding)), encoding
            except UnicodeDecodeError as exc:
                raise InputError(f"the file starts with a {encoding} byte-order mark but does not decode: {exc.reason}") from None
    if b"\x00" in data:
        wide = _utf16_without_bom(data)
        if wide is None:
            raise InputError("the file is binary (it contains NUL bytes), not the text of a gazette")
        return check_text(wide[0]), wide[1]
    for encoding in ("utf-8", "gb18030"):
        try:
            return check_text(data.decode(encoding)), encoding
        except UnicodeDecodeError:
            continue
    raise InputError("the file is neither UTF-8 nor GB18030/GBK text")


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) when ``data`` is UTF-16 without a byte-order mark: its NULs (the high
    bytes of ASCII characters: line breaks, digits) all on one side of the byte pairs, and it
    decodes to text.  None for anything else (a binary file)."""
    sample = data[:65536]
    if len(data) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if even + odd < 4 or min(even, odd) * 4 > max(even, odd):  # CJK like U+4E00 puts a few NULs on the other side
        return None
    encoding = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return (text, encoding) if "\n" in text and "\x00" not in text else None


_BLANK = SourceLine("")  # immutable: the blank lines (half the lines of many files) share one


def text_lines(text: str) -> tuple[SourceLine, ...]:
    """One SourceLine per line of the text (no page: a text file has none)."""
    return tuple(SourceLine(line) if line else _BLANK for line in split_lines(text))
