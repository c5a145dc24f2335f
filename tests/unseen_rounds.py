"""Shared by the later rounds of unseen-gazette tests: a copy of the round-one comparison module
pointed at another fixture folder, and the pytest cases built from it."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

FIRST_ROUND = Path(__file__).with_name("test_unseen_gazettes.py")


def load(folder: str) -> ModuleType:
    """The round-one module with its fixture tables read from tests/fixtures/<folder>/; its
    functions read these globals at call time, so matching, folding and the summary are shared.
    A fixture's expected file may name the ``encoding`` its text is written in."""
    spec = importlib.util.spec_from_file_location(f"unseen_compare_{folder}", FIRST_ROUND)
    compare = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(compare)
    compare.FIXTURE_DIR = compare.ROOT / "tests" / "fixtures" / folder
    compare.FIXTURES = sorted(p.stem for p in compare.FIXTURE_DIR.glob("*.txt"))
    compare.EXPECTED = {
        stem: json.loads((compare.FIXTURE_DIR / f"{stem}.expected.json").read_text(encoding="utf-8"))
        for stem in compare.FIXTURES
    }
    compare.SOURCE = {
        stem: (compare.FIXTURE_DIR / f"{stem}.txt")
        .read_bytes()
        .decode(compare.EXPECTED[stem].get("encoding", "utf-8"))
        .split("\n")
        for stem in compare.FIXTURES
    }
    return compare


def marks(known_bugs: dict[str, str], case_id: str) -> list:
    reason = known_bugs.get(case_id)
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


def fixture_cases(compare: ModuleType, known_bugs: dict[str, str], measure: str) -> list:
    return [
        pytest.param(stem, id=f"{stem}-{measure}", marks=marks(known_bugs, f"{stem}-{measure}"))
        for stem in compare.FIXTURES
    ]


def field_cases(compare: ModuleType, known_bugs: dict[str, str]) -> list:
    cases = []
    for stem in compare.FIXTURES:
        for g, gold in enumerate(compare.EXPECTED[stem]["documents"]):
            for field in compare.CORE_FIELDS + [f for f in compare.OPTIONAL_FIELDS if f in gold]:
                case_id = f"{stem}-d{g}-{field}"
                cases.append(pytest.param(stem, g, field, id=case_id, marks=marks(known_bugs, case_id)))
    return cases


def earlier_stems(*folders: str) -> set[str]:
    root = FIRST_ROUND.parent / "fixtures"
    return {p.stem for folder in folders for p in (root / folder).glob("*.txt")}


def print_summary(compare: ModuleType) -> None:
    print(f"{'fixture':14} {'docs':>4} {'found':>5} {'recall':>6} {'precision':>9} {'core':>5} {'all':>5} {'docs-right':>10}")
    for stem, n, count, r, p, c, a, ok in compare.summary():
        print(f"{stem:14} {n:4d} {count:5d} {r:6.2f} {p:9.2f} {c:5.2f} {a:5.2f} {ok:7d}/{n}")


def add_document_tests(namespace: dict, compare: ModuleType, known_bugs: dict[str, str]) -> None:
    """Define the round's document tests (recall, precision, every field of every document) in the
    calling test module, so each round states only what it checks beyond them."""

    @pytest.mark.parametrize("stem", fixture_cases(compare, known_bugs, "recall"))
    def test_recall(stem):
        compare.test_recall(stem)

    @pytest.mark.parametrize("stem", fixture_cases(compare, known_bugs, "precision"))
    def test_precision(stem):
        compare.test_precision(stem)

    @pytest.mark.parametrize(("stem", "g", "field"), field_cases(compare, known_bugs))
    def test_document_field(stem, g, field):
        compare.test_document_field(stem, g, field)

    namespace.update(test_recall=test_recall, test_precision=test_precision, test_document_field=test_document_field)
