"""Fuzzed bytes through the whole read path (extract → parse → links): every input either
parses or is refused with an InputError, never another exception; the line numbers of what
it finds stay inside the file as gongbao.lines numbers it.

GONGBAO_EXAMPLES sets the count (CI: 1,000; the documented long run: 1,000,000).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongbao.errors import InputError
from gongbao.extract.text import decode
from gongbao.lines import split_lines
from gongbao.pipeline import read_issue

EXAMPLES = int(os.environ.get("GONGBAO_EXAMPLES", "1000"))
PIECES = [
    "重庆市人民政府文件", "渝府发〔2021〕1号", "重庆市人民政府关于印发某某办法的通知", "各区县人民政府：",
    "一、总体要求", "第一条 为了规范管理，制定本办法。", "重庆市人民政府", "2021年1月20日", "(下转第9页)",
    "\f", "\v", "\u2028", "\u2029", "\u0085", "\u001e", "\r\n", "\r", "\n", "\t", "\u3000", "\ufeff", "\x00",
    "目 录", "| a | b |", "附件：1. 某某表（略）", "管理" * 50,
]
ENCODINGS = ["utf-8", "gb18030", "utf-16-le", "utf-16-be", "utf-16"]


@st.composite
def files(draw) -> bytes:
    text = "".join(draw(st.lists(st.sampled_from(PIECES) | st.text(max_size=20), max_size=60)))
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):  # damage: bytes cut, inserted or flipped
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.binary(max_size=16)) + data[cut + draw(st.integers(0, 8)):]
    return data


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files())
def test_fuzzed_files_parse_or_are_refused_cleanly(data: bytes) -> None:
    try:
        issue = read_issue(data)
    except InputError:
        return
    count = len(split_lines(decode(data)[0]))
    for doc in issue.documents:
        assert 1 <= doc.lines[0] <= doc.lines[1] <= count
