"""Fourth round of unseen gazettes: genres and eras rounds one to three did not show.

Joint Party–government documents (中共…市委 / …人民政府 red headers stacked, 江委办发 文号, two organs on
the title's first line), gazettes of 1998 and 2005 (文号 as 【1998】, （1998）第31号, [2005]; dates in
Chinese numerals; 批转 and 转发 chains; titles without 关于), 地方性法规 and 规章 (人大公告 + 条例 with an
in-body 目录, a 规章 printed without its 令, 省政府公告 第5号), 通报 with long name lists, 会议纪要 with a
文号, documents without addressee, without 署名, without any date, long 附件 whose headings and bare
lines ending in 办法 must not start documents, a 办法 listing repealed 文号 on lines of their own, an
issue without table of contents and a file that is one document without masthead.  Expectations in
tests/fixtures/unseen4/*.expected.json were written by hand from the fixture text before the parser
was read (see the README there).

The comparison is the first round's: this module loads a fourth copy of tests/test_unseen_gazettes.py
and points its fixture tables at unseen4/, so matching, field folding and the summary are shared.
Parser bugs are ``xfail(strict=True)`` with their root cause (KNOWN_BUGS); a fix turns them red.

``python tests/test_unseen_gazettes4.py`` prints the recall / precision / field-accuracy table.
"""

from __future__ import annotations


import pytest
import unseen_rounds

compare = unseen_rounds.load("unseen4")
FIXTURES, EXPECTED = compare.FIXTURES, compare.EXPECTED

# --- known parser bugs (root causes in the README; the lead fixes the parser) ----------------------

# Root causes measured at parser commit 3c48eb3 (see tests/fixtures/unseen4/README.md), by documents lost.
# root cause → case ids failing because of it (each case xfail(strict=True))
_BUG_CASES: dict[str, list[str]] = {}  # root causes found at 3c48eb3 are fixed; see the fixtures' README
KNOWN_BUGS: dict[str, str] = {case: reason for reason, cases in _BUG_CASES.items() for case in cases}
unseen_rounds.add_document_tests(globals(), compare, KNOWN_BUGS)


# --- tests -----------------------------------------------------------------------------------------


def test_fixtures_are_well_formed():
    compare.test_fixtures_are_well_formed()
    assert not set(FIXTURES) & unseen_rounds.earlier_stems("unseen", "unseen2", "unseen3")
    assert all(case.rsplit("-", 1)[0].split("-d")[0] in FIXTURES for case in KNOWN_BUGS)


def _end_cases():
    for stem in FIXTURES:
        for g, gold in enumerate(EXPECTED[stem]["documents"]):
            if "last_line" in gold:
                case_id = f"{stem}-d{g}-last_line"
                yield pytest.param(stem, g, id=case_id, marks=unseen_rounds.marks(KNOWN_BUGS, case_id))


@pytest.mark.parametrize(("stem", "g"), list(_end_cases()))
def test_document_end(stem, g):
    """A document ends at its last line: an in-body 目录, a 纪要 header, the next document's
    issuer lines or a personnel list do not belong to it, nor does it stop short of its text."""
    gold = EXPECTED[stem]["documents"][g]
    got = compare.found(stem, g)["lines"][1]
    want = gold["last_line"]
    assert got == want, f"{stem} document {compare.label(gold)}: ends at {got}, expected {want}"


@pytest.mark.parametrize("stem", unseen_rounds.fixture_cases(compare, KNOWN_BUGS, "text"))
def test_no_text_lost(stem):
    """Every line of these fixtures is in a document or an article: nothing is left unassigned."""
    assert compare.parsed(stem)["unassigned"] == [], stem


if __name__ == "__main__":
    unseen_rounds.print_summary(compare)
