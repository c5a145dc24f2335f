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

import pytest
import unseen_rounds

compare = unseen_rounds.load("unseen3")
FIXTURES, EXPECTED = compare.FIXTURES, compare.EXPECTED

# --- known parser bugs (root causes in the report; the lead fixes the parser) --------------------

# Root causes measured at parser commit 8ef4d48 (see tests/fixtures/unseen3/README.md).
# root cause → case ids failing because of it (each case xfail(strict=True))
_BUG_CASES: dict[str, list[str]] = {}  # root causes found at 8ef4d48 are fixed; see the fixtures' README
KNOWN_BUGS: dict[str, str] = {case: reason for reason, cases in _BUG_CASES.items() for case in cases}
unseen_rounds.add_document_tests(globals(), compare, KNOWN_BUGS)


# --- tests -----------------------------------------------------------------------------------------


def test_fixtures_are_well_formed():
    compare.test_fixtures_are_well_formed()
    assert not set(FIXTURES) & unseen_rounds.earlier_stems("unseen", "unseen2")
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
                yield pytest.param(stem, g, id=case_id, marks=unseen_rounds.marks(KNOWN_BUGS, case_id))


@pytest.mark.parametrize(("stem", "g"), list(_continuation_cases()))
def test_continuations(stem, g):
    """Pieces printed elsewhere (上接…) are stitched to their document: first line of each piece."""
    gold = EXPECTED[stem]["documents"][g]
    got = [span[0] for span in compare.found(stem, g)["continuations"]]
    assert got == gold["continuation_starts"], f"{stem} document {compare.label(gold)}: {got}"


@pytest.mark.parametrize("stem", unseen_rounds.fixture_cases(compare, KNOWN_BUGS, "text"))
def test_no_text_lost(stem):
    """Every line of these fixtures is in a document or an article: nothing is left unassigned."""
    assert compare.parsed(stem)["unassigned"] == [], stem


if __name__ == "__main__":
    unseen_rounds.print_summary(compare)
