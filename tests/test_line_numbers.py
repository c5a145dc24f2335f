"""One line numbering (gongbao.lines.split_lines) for parser, store and portal: with form
feeds, U+2028, U+0085, U+001E, \\v, CRLF and lone CR in a file, "原文第 N–M 行" on a
document's page points at that document's own text in the source view."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gongbao.ingest import ingest_paths
from gongbao.serialize import plain
from gongbao.lines import split_lines
from gongbao.store import open_store
from gongbao.web import create_app

SAMPLE = Path(__file__).parent.parent / "samples" / "004_8c3e04d8c27f17c2.txt"
ODD = ["\f", "\u2028", "\u0085", "\u001e", "\v", "\u2029", "\x1c"]


def test_split_lines_breaks_only_at_newlines():
    text = "一\r\n二\r三\n四\f仍是四\u2028仍是四\u0085\u001e\v\u2029\x1c\x1d\n五\n"
    assert split_lines(text) == ["一", "二", "三", "四\f仍是四\u2028仍是四\u0085\u001e\v\u2029\x1c\x1d", "五"]
    assert split_lines("") == [""] and split_lines("a") == ["a"] and split_lines("a\n\n") == ["a", ""]


def _odd_copy(tmp_path: Path) -> Path:
    """The sample with odd breaks: a form feed opening each 40th line (pdftotext's page break),
    the other characters inside lines, CRLF and lone CR endings in stretches."""
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    out = []
    for i, line in enumerate(lines):
        if i % 40 == 39:
            line = "\f" + line
        elif i % 23 == 5 and len(line) > 4:
            line = line[:2] + ODD[i % len(ODD)] + line[2:]
        out.append(line)
    text = ""
    for i, line in enumerate(out):
        text += line + ("\r\n" if 100 <= i < 200 else "\r" if 300 <= i < 320 else "\n")
    path = tmp_path / "odd" / "issue.txt"
    path.parent.mkdir()
    path.write_bytes(text.encode("utf-8"))
    return path


def _flat(text: str) -> str:
    return re.sub(r"[\s\u2028\u2029\u0085\x1c-\x1e·#]+", "", text)


@pytest.fixture(scope="module")
def odd_db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lines")
    path = _odd_copy(tmp)
    db = tmp / "g.db"
    summary = ingest_paths([path], db, progress=False)
    assert summary.failures == [] and summary.documents >= 5
    return db


def test_each_documents_lines_hold_its_title_in_the_stored_source(odd_db):
    with open_store(odd_db, readonly=True) as store:
        issue = store.list_issues()[0]
        source = store.source_lines(issue.id)
        docs = store.get_issue(issue.id).summaries
        checked = 0
        for doc in docs:
            first, last = doc.lines
            span = _flat("".join(source[first - 1 : last]))
            assert _flat(doc.title)[:12] in span, (doc.title, first, last)
            # The exact start: the first line is the document's own head (its banner, number or title).
            full = plain(store.get_document(doc.id))
            text = _flat(full["text"])
            opening = _flat(" ".join([*full["issuers"], full["doc_number"] or "", full["title"]])) + text[:300]
            head = _flat(source[first - 1])
            assert head and head[:6] in opening, (doc.title, first, source[first - 1])
            checked += 1
        assert checked >= 5


def test_the_portal_source_view_numbers_lines_as_the_parser(odd_db):
    app = create_app(odd_db)
    with TestClient(app) as client, open_store(odd_db, readonly=True) as store:
        issue = store.list_issues()[0]
        doc = store.get_issue(issue.id).summaries[1]
        page = client.get(f"/documents/{doc.id}").text
        first, last = (int(x) for x in re.search(r"原文第 (\d+)–(\d+) 行", page).groups())
        assert (first, last) == doc.lines
        source = client.get(f"/issues/{issue.id}/source").text
        shown = dict(re.findall(r'<li id="L(\d+)"><a href="#L\d+">\d+</a><span>(.*?)</span></li>', source, re.S))
        assert len(shown) == len(store.source_lines(issue.id))
        span = _flat(html.unescape("".join(shown[str(n)] for n in range(first, last + 1))))
        assert _flat(doc.title)[:12] in span
