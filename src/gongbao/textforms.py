"""Normal forms of text that the parser, the links and the query path share: NFKC by a fast
path for gazette text, and the key titles are compared by.  Kept apart from parse.patterns so
that the query commands do not compile the parser's patterns."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Full-width ASCII forms and the ideographic space: each one's NFKC is one ASCII character
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")
_HALF_WIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "}


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, fast for gazette text: the full-width marks
    (（）：，) that leave nearly every line not normalised send normalize down its slow path
    (≈ 15 µs a line); replaced first (str.translate with a dict is slower), the rest is nearly
    always normalised already, which a quick check tells."""
    for mark in set(_FULL_WIDTH.findall(text)):
        text = text.replace(mark, _HALF_WIDTH[mark])
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


_KEY_DROP = re.compile(r"[\s\W_]+")


@lru_cache(maxsize=4096)  # the same titles are keyed again and again (a mention for every rule of
def title_key(title: str) -> str:  # its sentence, each TOC entry by both passes): 932 calls, 251 titles an issue
    """A comparison key for titles: no spaces, no punctuation, half-width letters and digits."""
    return _KEY_DROP.sub("", nfkc(title))
