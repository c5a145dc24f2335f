"""Third round of unseen gazettes: the extraction noise real PDFs produce.

Page breaks with running headers inside titles and addressee lines, two-column pages extracted
side by side or interleaved, documents continued elsewhere (（下转第9页）/（上接第3页）, 下接/转第/接第,
inline, a continuation printed after three other documents), PDF→markdown debris (every line a
heading, **第X条**, `- ` bullets before 文号 lines, `> ` quotes, <br>, HTML tables, entities, autolinks),
letter-spaced and wrapped titles, 文号 split over two lines or written with [ ] ( ) 【】 ［］ and
stray spaces, a GB18030 file and a UTF-8 file with BOM and CRLF line ends.  Expectations in
tests/fixtures/unseen3/*.expected.json were written by hand from the fixture text before the
parser was read (see the README there); an expected ``encoding`` is the codec the file was written in.

The comparison is the first round's: this module loads a third copy of tests/test_unseen_gazettes.py
and points its fixture tables at unseen3/, so matching, field folding and the summary are shared.
Parser bugs are ``xfail(strict=True)`` with their root cause (KNOWN_BUGS); a fix turns them red.

``python tests/test_unseen_gazettes3.py`` prints the recall / precision / field-accuracy table.
"""

from __future__ import annotations

import codecs
import importlib.util
import json
from pathlib import Path

import pytest

_FIRST_ROUND = Path(__file__).with_name("test_unseen_gazettes.py")
_spec = importlib.util.spec_from_file_location("unseen_compare_round3", _FIRST_ROUND)
compare = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare)

# the copy's functions read these module globals at call time: point them at the third round
compare.FIXTURE_DIR = compare.ROOT / "tests" / "fixtures" / "unseen3"
compare.FIXTURES = sorted(p.stem for p in compare.FIXTURE_DIR.glob("*.txt"))
compare.EXPECTED = {
    stem: json.loads((compare.FIXTURE_DIR / f"{stem}.expected.json").read_text(encoding="utf-8"))
    for stem in compare.FIXTURES
}
# source lines for the blank-line checks, decoded with the codec the fixture was written in
compare.SOURCE = {
    stem: (compare.FIXTURE_DIR / f"{stem}.txt")
    .read_bytes()
    .decode(compare.EXPECTED[stem].get("encoding", "utf-8"))
    .split("\n")
    for stem in compare.FIXTURES
}
FIXTURES, EXPECTED = compare.FIXTURES, compare.EXPECTED

# --- known parser bugs (root causes in the report; the lead fixes the parser) --------------------

# Root causes measured at parser commit 8ef4d48 (see tests/fixtures/unseen3/README.md).
# root cause → case ids failing because of it (each case xfail(strict=True))
_R1_SPLIT_NUMBER = (
    "normalize._continues refuses to join a 文号 cut after its year bracket (綦江府发〔2021〕 / 12号): the "
    "rest '12号' is a short standalone line (len < 8, no clause mark) and nothing recognises a line ending "
    "in 〔YYYY〕; segment._number_of sees neither half as a 文号 (no 号 / no prefix), so _title_after of the "
    "banner takes both halves as title pieces (a title '綦江府发〔2021〕12号重庆市…的通知', no 文号) or, with a "
    "3-line title out of its 4-line reach, finds no head at all and the document is lost into the TOC"
)
_R2_TABLE_ROW_NUMBER = (
    "segment._number_of accepts a tab-separated table row as a 文号 line: strip_spaces removes the tab, and "
    "parse_doc_number (whole-string form, no MAX_PREFIX cap, tab = wrap debris) makes the title cell the prefix "
    "('小型水利工程管护办法的通知\\t綦江府办发〔2017〕41号' → prefix 小型水利工程管护办法的通知綦江府办发); the "
    "second half of a repeal-list row cut by a page break becomes a document and takes the 决定's signature"
)
_R3_PAIRING = (
    "normalize._extract_continuations pairs each 下转 with the first unused 上接 after it, ignoring the page "
    "numbers both print: （下转第9页） (p.3) takes the （上接第6页） of a later document's own page turn, so each "
    "document gets the other's continuation and the other's signature date (上接第M页 must pair with the 下转 "
    "printed on page M)"
)
_R4_LABEL_BANNER = (
    "segment._is_banner reads a TOC/body section label '区政府办公室文件' as a red-header banner (organ with "
    "ORGAN_TAIL + 文件), and _title_after then accepts TOC entries with dot leaders and page numbers as title "
    "pieces (title_piece does not refuse _TOC_ENTRY lines) until the joined text ends in a 文种: the next "
    "document's title line ends the 'title', its 文号 line falls inside that head and is dropped; in the body "
    "the label becomes the document's first line"
)
_R5_MD_ANCHOR_LINK = (
    "normalize._MD_LINK strips only links to http/mailto/ftp targets: TOC entries '- [title](#p2)' keep "
    "'](#p2)', are joined into one paragraph (nothing closes a line ending in ')'), and _continues glues the "
    "令 banner '遂宁市人民政府令' after the blank line onto it (a banner is no _starts_element); the 令 and its "
    "规章 become an editorial"
)
_R6_RELAY_TITLE = (
    "header.get_document prepends stacked issuer lines to the title only when it starts with 关于; a title "
    "printed as '遂宁市人民政府办公室' / '转发…的通知' keeps the organ as issuer but loses it from the title"
)
_R7_TWO_COLUMN_DATE = (
    "header._signature_index / ENDS_WITH_DATE need the 成文日期 alone at the end of a short line: in a "
    "two-column page extracted side by side (pdftotext -layout) the signature and date stand in the right "
    "column after left-column text ('70平方米的小户型为主。   2021年9月10日'), so no date is found"
)
_R8_CONT_VARIANTS = (
    "normalize._CONT_DOWN/_CONT_UP know 下转/下接/转下 and 上接/上转/接上 only: （转第11页） and （接第9页） stay "
    "in the text, the piece is never stitched and the 办法's last sentence stays at the end of the file"
)
_R9_NOISE_SPAN = (
    "a paragraph joined across a page footer/header keeps first..last (77..80) but its noise lines (78, 79) "
    "are emitted after it; when a segment range ends right after them (next head, or a stitched 上接 piece), "
    "issue._unassigned and header's Document.lines use lines[b-1].last = 79: line 80 is reported unassigned"
)
_BUG_CASES: dict[str, list[str]] = {
    _R1_SPLIT_NUMBER: [
        "qj_2021_07-recall",
        *[f"qj_2021_07-d0-{f}" for f in ("doc_number", "title", "issuers", "type", "date", "first_line", "addressee", "embedded")],
        "tl_2021_09-d0-doc_number",
        "tl_2021_09-d0-title",
    ],
    _R2_TABLE_ROW_NUMBER: ["qj_2021_07-precision", "qj_2021_07-d2-date"],
    _R3_PAIRING: ["fl_2021_05-d0-date", "fl_2021_05-d2-date", "fl_2021_05-d0-continuations", "fl_2021_05-d2-continuations"],
    _R4_LABEL_BANNER: [
        "fl_2021_05-recall",
        "fl_2021_05-precision",
        *[f"fl_2021_05-d0-{f}" for f in ("doc_number", "title", "issuers", "type", "first_line", "addressee")],
        "fl_2021_05-d3-first_line",
    ],
    _R5_MD_ANCHOR_LINK: [
        "sn_2021_04-recall",
        *[f"sn_2021_04-d0-{f}" for f in ("doc_number", "title", "issuers", "type", "date", "first_line", "embedded")],
    ],
    _R6_RELAY_TITLE: ["sn_2021_04-d2-title"],
    _R7_TWO_COLUMN_DATE: ["dz_2021_10-d0-date", "dz_2021_10-d2-date"],
    _R8_CONT_VARIANTS: ["fl_2021_05-d3-continuations"],
    _R9_NOISE_SPAN: ["fl_2021_05-text"],
}
KNOWN_BUGS: dict[str, str] = {case: reason for reason, cases in _BUG_CASES.items() for case in cases}


def _marks(case_id: str) -> list:
    reason = KNOWN_BUGS.get(case_id)
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


def _fixture_cases(measure: str):
    return [pytest.param(stem, id=f"{stem}-{measure}", marks=_marks(f"{stem}-{measure}")) for stem in FIXTURES]


def _field_cases():
    for stem in FIXTURES:
        for g, gold in enumerate(EXPECTED[stem]["documents"]):
            for field in compare.CORE_FIELDS + [f for f in compare.OPTIONAL_FIELDS if f in gold]:
                case_id = f"{stem}-d{g}-{field}"
                yield pytest.param(stem, g, field, id=case_id, marks=_marks(case_id))


# --- tests -----------------------------------------------------------------------------------------


def test_fixtures_are_well_formed():
    compare.test_fixtures_are_well_formed()
    earlier = {p.stem for d in ("unseen", "unseen2") for p in (compare.ROOT / "tests" / "fixtures" / d).glob("*.txt")}
    assert not set(FIXTURES) & earlier
    assert all(case.rsplit("-", 1)[0].split("-d")[0] in FIXTURES for case in KNOWN_BUGS)
    # the encoded fixtures really are what they claim: no UTF-8 decode, or a BOM and CRLF ends
    raw = {stem: (compare.FIXTURE_DIR / f"{stem}.txt").read_bytes() for stem in FIXTURES}
    encoded = {stem: EXPECTED[stem]["encoding"] for stem in FIXTURES if "encoding" in EXPECTED[stem]}
    assert sorted(encoded.values()) == ["gb18030", "utf-8-sig"]
    for stem, encoding in encoded.items():
        if encoding == "gb18030":
            with pytest.raises(UnicodeDecodeError):
                raw[stem].decode("utf-8")
        else:
            assert raw[stem].startswith(codecs.BOM_UTF8) and raw[stem].count(b"\r\n") == raw[stem].count(b"\n")


@pytest.mark.parametrize("stem", [s for s in FIXTURES if "encoding" in EXPECTED[s]])
def test_source_encoding(stem):
    got = compare.parsed(stem)["source"]["encoding"]
    assert codecs.lookup(got).name == codecs.lookup(EXPECTED[stem]["encoding"]).name, (stem, got)


def _continuation_cases():
    for stem in FIXTURES:
        for g, gold in enumerate(EXPECTED[stem]["documents"]):
            if "continuation_starts" in gold:
                case_id = f"{stem}-d{g}-continuations"
                yield pytest.param(stem, g, id=case_id, marks=_marks(case_id))


@pytest.mark.parametrize(("stem", "g"), list(_continuation_cases()))
def test_continuations(stem, g):
    """Pieces printed elsewhere (上接…) are stitched to their document: first line of each piece."""
    gold = EXPECTED[stem]["documents"][g]
    got = [span[0] for span in compare.found(stem, g)["continuations"]]
    assert got == gold["continuation_starts"], f"{stem} document {compare.label(gold)}: {got}"


@pytest.mark.parametrize("stem", _fixture_cases("text"))
def test_no_text_lost(stem):
    """Every line of these fixtures is in a document or an article: nothing is left unassigned."""
    assert compare.parsed(stem)["unassigned"] == [], stem


@pytest.mark.parametrize("stem", _fixture_cases("recall"))
def test_recall(stem):
    compare.test_recall(stem)


@pytest.mark.parametrize("stem", _fixture_cases("precision"))
def test_precision(stem):
    compare.test_precision(stem)


@pytest.mark.parametrize(("stem", "g", "field"), list(_field_cases()))
def test_document_field(stem, g, field):
    compare.test_document_field(stem, g, field)


if __name__ == "__main__":
    print(f"{'fixture':14} {'docs':>4} {'found':>5} {'recall':>6} {'precision':>9} {'core':>5} {'all':>5} {'docs-right':>10}")
    for stem, n, count, r, p, c, a, ok in compare.summary():
        print(f"{stem:14} {n:4d} {count:5d} {r:6.2f} {p:9.2f} {c:5.2f} {a:5.2f} {ok:7d}/{n}")
