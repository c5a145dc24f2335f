"""Line numbers: the one definition the parser, the store and the portal's source view share.

A line ends at ``\\r\\n``, ``\\n`` or a lone ``\\r`` — nothing else.  Every other character that
Unicode or ``str.splitlines`` treats as a break (form feed ``\\f`` from pdftotext's page breaks,
``\\v``, U+001C–U+001E, U+0085, U+2028, U+2029) stays inside its line, so that "原文第 N 行" is
line N in an editor, in ``grep -n`` and in ``sed -n Np`` as well as in the portal.
"""

from __future__ import annotations

import re

_BREAK = re.compile(r"\r\n|\n|\r")
# Characters kept inside a line that the portal shows as a visible mark, not as a break.
INLINE_BREAKS = "\f\v\x1c\x1d\x1e\x85\u2028\u2029"


def split_lines(text: str) -> list[str]:
    """The physical lines of ``text``; line N is ``split_lines(text)[N - 1]``.  A break at the
    very end does not open another line (an editor shows none)."""
    lines = _BREAK.split(text) if "\r" in text else text.split("\n")  # the same lines; split is faster
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines
