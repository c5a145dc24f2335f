"""The goldens of the three samples through a printed gazette: each sample typeset as PDF by
Chromium (tests/pdf_fixtures.py), read back through the text layer, parsed.  Every golden
document must be found with its 文号, title, issuers, date and type as through the text.
Line-number fields do not apply (the PDF's lines are its own); pages must.
"""

from __future__ import annotations

import functools

import pytest

import test_golden_issues as golden
from pdf_fixtures import typeset_pdf

from gongbao.pipeline import read_issue
from gongbao.serialize import issue_to_dict

FIELDS = ["doc_number", "doc_number_parts", "title", "issuers", "type", "date"]


@functools.cache
def parsed_pdf(stem: str) -> dict:
    pdf = typeset_pdf(golden.ROOT / golden.GOLDEN[stem]["source"])
    if pdf is None:
        pytest.skip("chromium is not installed: the printed gazettes cannot be typeset")
    return issue_to_dict(read_issue(pdf.read_bytes(), str(pdf)))


def find(stem: str, gold: dict) -> dict:
    found = golden.match(parsed_pdf(stem)["documents"], gold)
    if found is None:
        pytest.fail(f"{stem}: document {golden.label(gold)} not found through the PDF")
    return found


@pytest.mark.parametrize("stem,index,field", list(golden.document_cases(FIELDS)))
def test_document_field_through_pdf(stem: str, index: int, field: str) -> None:
    gold = golden.GOLDEN[stem]["documents"][index]
    golden._check_field(stem, gold, find(stem, gold), field)


@pytest.mark.parametrize("stem", golden.STEMS)
def test_no_extra_documents_and_pages(stem: str) -> None:
    issue = parsed_pdf(stem)
    assert len(issue["documents"]) == len(golden.GOLDEN[stem]["documents"])
    pages = [d["pages"] for d in issue["documents"]]
    assert all(p and 1 <= p[0] <= p[1] for p in pages), pages
    firsts = [p[0] for p in pages]
    assert firsts == sorted(firsts)  # documents follow each other through the pages


@functools.cache
def extracted(stem: str):
    from gongbao.extract import extract

    pdf = typeset_pdf(golden.ROOT / golden.GOLDEN[stem]["source"])
    if pdf is None:
        pytest.skip("chromium is not installed: the printed gazettes cannot be typeset")
    return extract(pdf)


@pytest.mark.parametrize("stem", golden.STEMS)
def test_running_header_and_page_numbers_are_furniture(stem: str) -> None:
    pages = extracted(stem).pages
    assert [p.printed for p in pages] == [p.number for p in pages]  # footers print — n — from page 1
    texts = [line.text for line in extracted(stem).lines if line.text]
    assert not [t for t in texts if t.strip("— ").isdigit() and len(t.strip("— ")) <= 3]  # a year may stand alone
    name = parsed_pdf(stem)["gazette"]["name"]
    assert sum(1 for t in texts if t.replace(" ", "") == name) <= 1  # the masthead, not a header per page


def test_two_column_news_read_column_by_column() -> None:
    texts = [line.text for line in extracted("000_3749d94f9519a7ed").lines if line.text]
    left, right = texts.index("封底 中国移动公司永川分公司"), texts.index("联谊单位：中国移动重庆公司永川分公司")
    assert left < right and texts[left - 3].startswith("封面")


def test_table_across_pages_is_one_run_of_rows() -> None:
    lines = extracted("001_d623b5fea1a4ae50").lines
    first = next(k for k, line in enumerate(lines) if line.text.startswith("| 重点任务"))
    rows = []
    while lines[first + len(rows)].text.startswith("|"):  # no line between the rows, over the pages
        rows.append(lines[first + len(rows)])
    source = (golden.ROOT / golden.GOLDEN["001_d623b5fea1a4ae50"]["source"]).read_text(encoding="utf-8")
    printed = [t for t in source.split("\n") if t.strip()]
    start = next(k for k, t in enumerate(printed) if t.startswith("重点任务\t"))
    count = next(k for k in range(start, len(printed)) if printed[k].count("\t") < 2) - start
    assert len({row.page for row in rows}) >= 2 and len(rows) == count
    assert all(row.text.count("|") == 6 for row in rows)  # five cells each, wrapped cells kept whole
