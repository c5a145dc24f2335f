"""Second round of unseen gazettes: kinds the first round (tests/fixtures/unseen/) did not show.

北京/上海 municipal gazettes (规范性文件 numbers, markdown-table and tab TOCs, 文号 under the title,
signature and date on one line), a 深圳 gazette with a 令 and a full 规章, a 自治区 gazette with
附件 bodies as tab and <p> tables, an OCR-scanned county gazette, and a ministry 文告 with a
five-organ 联合发文.  Expectations in tests/fixtures/unseen2/*.expected.json were written by hand
from the fixture text before the parser was read (see the README there).

The comparison is the first round's (tests/unseen_rounds.py loads a copy of tests/test_unseen_gazettes.py
pointed at unseen2/), so matching, field folding and the summary are shared.
Parser bugs are ``xfail(strict=True)`` with their root cause (KNOWN_BUGS); a fix turns them red.

``python tests/test_unseen_gazettes2.py`` prints the recall / precision / field-accuracy table.
"""

from __future__ import annotations


import pytest
import unseen_rounds

compare = unseen_rounds.load("unseen2")
FIXTURES, EXPECTED = compare.FIXTURES, compare.EXPECTED

# --- known parser bugs (root causes in the report; the lead fixes the parser) --------------------

# Root causes measured at parser commit e5cb2c9 (see tests/fixtures/unseen2/README.md); those fixed since are removed.
# root cause → case ids failing because of it (each case xfail(strict=True))
_BUG_CASES: dict[str, list[str]] = {}
KNOWN_BUGS: dict[str, str] = {case: reason for reason, cases in _BUG_CASES.items() for case in cases}
unseen_rounds.add_document_tests(globals(), compare, KNOWN_BUGS)


# --- tests -----------------------------------------------------------------------------------------


def test_fixtures_are_well_formed():
    compare.test_fixtures_are_well_formed()
    assert not set(FIXTURES) & unseen_rounds.earlier_stems("unseen")
    assert all(case.rsplit("-", 1)[0].split("-d")[0] in FIXTURES for case in KNOWN_BUGS)


if __name__ == "__main__":
    unseen_rounds.print_summary(compare)
