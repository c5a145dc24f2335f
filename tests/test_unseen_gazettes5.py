"""Fifth round of unseen gazettes: the documents AND the issue around them.

Five invented issues (a 市 gazette whose TOC disagrees with its body three ways; a county issue with
卷首语, 政务要闻, 大事记 and a 文件检索 index giving a wrong 文号; a TOC with page numbers on the left plus
an English CONTENTS; 印发 notices with embedded 办法/方案 and 附件 (略) and a masthead on the last lines;
a TOC carrying 文号 in parentheses, one of them wrong, under a cover with a Chinese-numeral date).
Expectations in tests/fixtures/unseen5/*.expected.json were written by hand from the fixture text
before the parser was read (see the README there).

Documents are compared with round one's logic (tests/unseen_rounds.py). The issue level is checked
here: gazette metadata, printed TOC entries, the article kind at a line, each expected reconciliation
finding, and no finding about a document whose TOC/index entry agrees with it.
Parser bugs are ``xfail(strict=True)`` with their root cause (KNOWN_BUGS); a fix turns them red.

``python tests/test_unseen_gazettes5.py`` prints the recall / precision / field-accuracy table.
"""

from __future__ import annotations

import pytest
import unseen_rounds

compare = unseen_rounds.load("unseen5")
FIXTURES, EXPECTED, fold = compare.FIXTURES, compare.EXPECTED, compare.fold
GAZETTE_FIELDS = ["name", "year", "issue", "total_issue", "published"]

# --- known parser bugs (root causes in the README; the lead fixes the parser) ----------------------

# Root causes measured at parser commit 6b00a45, by cases lost (smallest inputs in the README).
# root cause → case ids failing because of it (each case xfail(strict=True))
_BUG_CASES: dict[str, list[str]] = {}  # the issue-level root causes found at 6b00a45 are fixed; see the README
KNOWN_BUGS: dict[str, str] = {case: reason for reason, cases in _BUG_CASES.items() for case in cases}
unseen_rounds.add_document_tests(globals(), compare, KNOWN_BUGS)


def _cases(part: str, ids=None) -> list:
    """One case per fixture and item of its expected ``part`` (a list), or per name in ``ids``."""
    cases = []
    for stem in FIXTURES:
        for key in ids if ids is not None else range(len(EXPECTED[stem].get(part, []))):
            case_id = f"{stem}-{part}-{key}"
            cases.append(pytest.param(stem, key, id=case_id, marks=unseen_rounds.marks(KNOWN_BUGS, case_id)))
    return cases


# --- tests -----------------------------------------------------------------------------------------


def test_fixtures_are_well_formed():
    compare.test_fixtures_are_well_formed()
    assert not set(FIXTURES) & unseen_rounds.earlier_stems("unseen", "unseen2", "unseen3", "unseen4")
    assert all(case.split("-")[0] in FIXTURES for case in KNOWN_BUGS)
    for stem in FIXTURES:
        for art in EXPECTED[stem]["articles"]:
            assert compare.SOURCE[stem][art["first_line"] - 1].strip(), (stem, art)


@pytest.mark.parametrize("stem", unseen_rounds.fixture_cases(compare, KNOWN_BUGS, "text"))
def test_no_text_lost(stem):
    assert compare.parsed(stem)["unassigned"] == [], stem


@pytest.mark.parametrize(("stem", "field"), _cases("gazette", GAZETTE_FIELDS))
def test_gazette_field(stem, field):
    gold = EXPECTED[stem]["gazette"]
    got = compare.parsed(stem)["gazette"].get(field)
    accepted = compare.accepted(gold, field)
    if field == "name":
        got, accepted = fold(got), [fold(x) for x in accepted]
    assert got in accepted, f"{stem} gazette {field}: parser {got!r}, expected {gold[field]!r}"


@pytest.mark.parametrize(("stem", "i"), _cases("toc"))
def test_toc_entry(stem, i):
    """A printed TOC entry (Chinese or English) is read with its page; a 文号 in parentheses after
    the title may stay with it."""
    want = EXPECTED[stem]["toc"][i]
    entries = compare.parsed(stem)["toc"]
    title = fold(want["title"])
    hits = [e for e in entries if fold(e["title"]) == title or fold(e["title"]).startswith(title + "（")]
    assert any(str(e["page"]) == want["page"] for e in hits), (
        f"{stem}: no TOC entry {want}; entries {[(e['title'], e['page']) for e in entries]}")


@pytest.mark.parametrize(("stem", "i"), _cases("articles"))
def test_article_kind(stem, i):
    want = EXPECTED[stem]["articles"][i]
    kinds = want["kind"] if isinstance(want["kind"], list) else [want["kind"]]
    line = want["first_line"]
    articles = compare.parsed(stem)["articles"]
    at = [a["kind"] for a in articles if a["lines"][0] <= line <= a["lines"][1]]
    assert set(at) & set(kinds), f"{stem} line {line}: articles there {at}, expected {kinds}"


@pytest.mark.parametrize(("stem", "i"), _cases("reconciliation"))
def test_reconciliation_finding(stem, i):
    want = EXPECTED[stem]["reconciliation"][i]
    findings = compare.parsed(stem)["reconciliation"]
    assert any(f["kind"] == want["kind"] and fold(want["about"]) in fold(f["detail"]) for f in findings), (
        f"{stem}: no {want}; findings {findings}")


@pytest.mark.parametrize(("stem", "i"), _cases("agree"))
def test_no_finding_about_agreeing_document(stem, i):
    about = fold(EXPECTED[stem]["agree"][i])
    wrong = [f for f in compare.parsed(stem)["reconciliation"] if about in fold(f["detail"])]
    assert not wrong, f"{stem}: findings about {about}, which agrees with its TOC/index entry: {wrong}"


if __name__ == "__main__":
    unseen_rounds.print_summary(compare)
