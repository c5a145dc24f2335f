"""Second round of unseen gazettes: kinds the first round (tests/fixtures/unseen/) did not show.

北京/上海 municipal gazettes (规范性文件 numbers, markdown-table and tab TOCs, 文号 under the title,
signature and date on one line), a 深圳 gazette with a 令 and a full 规章, a 自治区 gazette with
附件 bodies as tab and <p> tables, an OCR-scanned county gazette, and a ministry 文告 with a
five-organ 联合发文.  Expectations in tests/fixtures/unseen2/*.expected.json were written by hand
from the fixture text before the parser was read (see the README there).

The comparison is the first round's: this module loads a second copy of tests/test_unseen_gazettes.py
and points its fixture tables at unseen2/, so matching, field folding and the summary are shared.
Parser bugs are ``xfail(strict=True)`` with their root cause (KNOWN_BUGS); a fix turns them red.

``python tests/test_unseen_gazettes2.py`` prints the recall / precision / field-accuracy table.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

_FIRST_ROUND = Path(__file__).with_name("test_unseen_gazettes.py")
_spec = importlib.util.spec_from_file_location("unseen_compare_round2", _FIRST_ROUND)
compare = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare)

# the copy's functions read these module globals at call time: point them at the second round
compare.FIXTURE_DIR = compare.ROOT / "tests" / "fixtures" / "unseen2"
compare.FIXTURES = sorted(p.stem for p in compare.FIXTURE_DIR.glob("*.txt"))
compare.EXPECTED = {
    stem: json.loads((compare.FIXTURE_DIR / f"{stem}.expected.json").read_text(encoding="utf-8"))
    for stem in compare.FIXTURES
}
compare.SOURCE = {
    stem: (compare.FIXTURE_DIR / f"{stem}.txt").read_text(encoding="utf-8").split("\n") for stem in compare.FIXTURES
}
FIXTURES, EXPECTED = compare.FIXTURES, compare.EXPECTED

# --- known parser bugs (root causes in the report; the lead fixes the parser) --------------------

# Root causes measured at parser commit e5cb2c9 (see tests/fixtures/unseen2/README.md); those fixed since are removed.
# root cause → case ids failing because of it (each case xfail(strict=True))
_BUG_CASES: dict[str, list[str]] = {}
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
    assert not set(FIXTURES) & {p.stem for p in (compare.ROOT / "tests" / "fixtures" / "unseen").glob("*.txt")}
    assert all(case.rsplit("-", 1)[0].split("-d")[0] in FIXTURES for case in KNOWN_BUGS)


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
