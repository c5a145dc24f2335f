"""Seventh round of unseen gazettes: national and legislative sources, replies and a full city issue.

国务院公报 sections (国务院令, joint 国务院、中央军委 批复, 国办 印发 / 函), a provincial 政府公报 (江西),
a ministry gazette (水利部 部令 and 公告), a provincial 人大常委会公报 (公告 + 条例 with its history),
a collection of 答复 / 复函 to deputies, members and organs, and a city issue with a 预案 that has its
own 目录, a shifted task table, a 版记 with a 抄送 list and a 文件检索 index after the last document.
Texts and answers (tests/fixtures/unseen7/, README there) were written by hand by a teammate who had
not read the parser.

Documents are compared with round one's logic (tests/unseen_rounds.py); the deeper elements each
expected document prints (signatures, 公开, last line, TOC section, 施行日期, citations) and the
issue-level ones (tasks, repeals, TOC, 文件检索, articles, a document's own 目录) are checked here.
Parser bugs left are ``xfail(strict=True)`` with their root cause (KNOWN_BUGS); a fix turns them red.

``python tests/test_unseen_gazettes7.py`` prints the tables.
"""

from __future__ import annotations


import pytest
import unseen_rounds


compare = unseen_rounds.load("unseen7")
FIXTURES, EXPECTED = compare.FIXTURES, compare.EXPECTED

# root cause → case ids failing because of it (each case xfail(strict=True), its causes joined)
# Root causes measured before any fix for this round (parser at dabfa1e), by cases lost.
_BUG_CASES: dict[str, list[str]] = {}  # W4, W13, W18 fixed since
KNOWN_BUGS = unseen_rounds.known_bugs(_BUG_CASES)
unseen_rounds.add_document_tests(globals(), compare, KNOWN_BUGS)

DEEPER_FIELDS = ("signatures", "public", "last_line", "section", "effective", "citations")


# --- the deeper elements of one document --------------------------------------------------------------


def deeper_ok(gold: dict, doc: dict, field: str) -> tuple[bool, object, object]:
    return unseen_rounds.deeper_ok(compare, gold, doc, field)


unseen_rounds.add_deeper_tests(globals(), compare, KNOWN_BUGS, DEEPER_FIELDS, deeper_ok)


# --- issue level ----------------------------------------------------------------------------------------


task_problems, toc_problems, index_problems, article_problems, inner_toc_problems = unseen_rounds.shared_checks(compare)


_ISSUE_CHECKS = {"tasks": ("t", task_problems), "toc": ("c", toc_problems), "index": ("x", index_problems),
                 "articles": ("a", article_problems)}


unseen_rounds.add_issue_tests(globals(), compare, KNOWN_BUGS, _ISSUE_CHECKS)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    yield from unseen_rounds.ingested(tmp_path_factory.mktemp("unseen7"), compare)


@pytest.mark.parametrize(("stem", "i"), unseen_rounds.entry_cases(compare, KNOWN_BUGS, "repealed", "r"))
def test_repealed(db, stem, i):
    gold = EXPECTED[stem]["repealed"][i]
    assert not unseen_rounds.repeal_problems(db, gold), f"{stem} {gold['doc_number']}: {unseen_rounds.repeal_problems(db, gold)}"


def test_fixtures_are_new_and_known_bugs_name_cases():
    assert not set(FIXTURES) & unseen_rounds.earlier_stems(*(f"unseen{n}" for n in ("", 2, 3, 4, 5, 6)))
    assert all(case.rsplit("-", 1)[0].rsplit("-", 1)[0] in FIXTURES or case.rsplit("-", 1)[0] in FIXTURES
               for case in KNOWN_BUGS)


# --- the table for the report --------------------------------------------------------------------------


def _issue_checks(store, stem: str) -> list[list[str]]:
    checks = [fn(stem, gold) for key, (_, fn) in _ISSUE_CHECKS.items() for gold in EXPECTED[stem].get(key, [])]
    checks += [unseen_rounds.repeal_problems(store, gold) for gold in EXPECTED[stem].get("repealed", [])]
    return checks + [inner_toc_problems(stem, gold) for gold in EXPECTED[stem]["documents"] if "inner_toc" in gold]


def main(tmp: str) -> None:
    unseen_rounds.print_deeper_table(compare, tmp, DEEPER_FIELDS, deeper_ok, _issue_checks)


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        main(tmp)
