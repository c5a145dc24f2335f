"""Eighth round of unseen gazettes: national web pages, provinces, joint rules, a city 人大, a district.

State Council documents as gov.cn web pages 1987–2012 (a page header block, 转发 wrapped before 关于, a
joint 批复, an 答复 without 关于, a 国务院令), a 国务院公报 of 1994, two 省政府公报 (青海: 令 with 办法 and a
shifted task table; 山西: embedded titles that differ from the quoted ones, 答复 without 关于 to one person),
a ministry gazette with joint 令 / 公告 / 规范性文件 (卫健委), a 市人大常委会公报 (条例 with its history, a
repealing 决定 with a table, a 任免名单 that is no document) and a district gazette (附件 list over several
lines, a 预案 with its own 目录, wrapped 抄送, 文件检索 after the last document).
Texts and answers (tests/fixtures/unseen8/, README there) were written by hand by a teammate who had
not read the parser.

Documents are compared with round one's logic (tests/unseen_rounds.py); the deeper elements each
expected document prints (signatures, 公开, last line, TOC section, 施行日期, citations, the history of an
embedded 条例) and the issue-level ones (tasks, repeals, TOC, 文件检索, articles, a document's own 目录,
parts that are no document, validity periods) are checked here.
Parser bugs left are ``xfail(strict=True)`` with their root cause (KNOWN_BUGS); a fix turns them red.

``python tests/test_unseen_gazettes8.py`` prints the tables.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import unseen_rounds

from gongbao.links.resolve import document_status

compare = unseen_rounds.load("unseen8")
FIXTURES, EXPECTED = compare.FIXTURES, compare.EXPECTED

# root cause → case ids failing because of it (each case xfail(strict=True), its causes joined)
# Root causes measured before any fix for this round (parser at aa227f2), by cases lost.
_BUG_CASES: dict[str, list[str]] = {
    "U4 an announcement number printed alone under a joint title (2021年第3号) is read as 〔2021〕3号 without "
    "the issuers and 公告": ["wjw_2021_04-d2-doc_number"],
    "U13 法规 repealed by a 决定 that lists them in a table, without 文号, are not stored as repealed":
        [f"hzrd_2020_06-r{i}" for i in range(5)],
    "U14 a joint 令 cited as 卫生部、公安部令第41号 in a repeal is not stored: the 、-joined organs are not read as one "
    "order prefix": ["wjw_2021_04-r0"],
}
KNOWN_BUGS = unseen_rounds.known_bugs(_BUG_CASES)
unseen_rounds.add_document_tests(globals(), compare, KNOWN_BUGS)

DEEPER_FIELDS = ("signatures", "public", "last_line", "section", "effective", "citations", "history")


# --- the deeper elements of one document --------------------------------------------------------------


def _history(doc: dict) -> list[dict]:
    """The dated events (通过, 批准, 修正, 修订, …) of the texts a document embeds, as expected."""
    return [{"title": e.get("title"), "history": e.get("history") or [], "effective": e.get("effective")}
            for e in doc.get("embedded") or []]


def deeper_ok(gold: dict, doc: dict, field: str) -> tuple[bool, object, object]:
    """(right?, what the parser gave, what was expected) for one deeper element."""
    if field == "history":
        want = [{"title": e["title"], "history": e["history"], "effective": e.get("effective")}
                for e in gold["embedded"] if "history" in e]
        got = [e for e in _history(doc) if any(compare.fold(e["title"]) == compare.fold(w["title"]) for w in want)]
        return [(compare.fold(e["title"]), e["history"], e["effective"]) for e in got] == [
            (compare.fold(w["title"]), w["history"], w["effective"]) for w in want], got, want
    return unseen_rounds.deeper_ok(compare, gold, doc, field)


def _has(gold: dict, field: str) -> bool:
    if field == "history":
        return any("history" in e for e in gold.get("embedded") or [])
    return field in gold


unseen_rounds.add_deeper_tests(globals(), compare, KNOWN_BUGS, DEEPER_FIELDS, deeper_ok, _has)


# --- issue level ----------------------------------------------------------------------------------------


task_problems, toc_problems, index_problems, article_problems, inner_toc_problems = unseen_rounds.shared_checks(compare)


def non_document_problems(stem: str, gold: dict) -> list[str]:
    """A part that is no document (a 任免名单) starts no document and is in none."""
    first, last = gold["first_line"], gold["last_line"]
    spans = [span for d in compare.parsed(stem)["documents"] for span in [d["lines"], *d["continuations"]]]
    return [f"a document spans lines {a}–{b}" for a, b in spans if a <= last and b >= first]


def expires_problems(store, gold: dict) -> list[str]:
    """In force on the last day of its validity period, expired the day after, since that last day."""
    after = (date.fromisoformat(gold["date"]) + timedelta(days=1)).isoformat()
    before, expired = document_status(store, gold["doc_number"], gold["date"]), document_status(store, gold["doc_number"], after)
    if before is None:
        return [f"{gold['doc_number']} not in the database"]
    got = (before.code, expired.code, expired.since)
    return [] if got == ("in_force", "expired", gold["date"]) else [f"statuses {got!r}"]


_ISSUE_CHECKS = {"tasks": ("t", task_problems), "toc": ("c", toc_problems), "index": ("x", index_problems),
                 "articles": ("a", article_problems), "non_documents": ("n", non_document_problems)}
_STORE_CHECKS = {"repealed": ("r", unseen_rounds.repeal_problems), "expires": ("e", expires_problems)}


unseen_rounds.add_issue_tests(globals(), compare, KNOWN_BUGS, _ISSUE_CHECKS)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    yield from unseen_rounds.ingested(tmp_path_factory.mktemp("unseen8"), compare)


@pytest.mark.parametrize(("stem", "key", "i"), unseen_rounds.check_cases(compare, KNOWN_BUGS, _STORE_CHECKS))
def test_stored_status(db, stem, key, i):
    gold = EXPECTED[stem][key][i]
    problems = _STORE_CHECKS[key][1](db, gold)
    assert not problems, f"{stem} {key} {i}: {problems}"


def test_fixtures_are_new_and_known_bugs_name_cases():
    assert not set(FIXTURES) & unseen_rounds.earlier_stems(*(f"unseen{n}" for n in ("", 2, 3, 4, 5, 6, 7)))
    assert all(case.rsplit("-", 1)[0].rsplit("-", 1)[0] in FIXTURES or case.rsplit("-", 1)[0] in FIXTURES
               for case in KNOWN_BUGS)


# --- the table for the report --------------------------------------------------------------------------


def _issue_checks(store, stem: str) -> list[list[str]]:
    checks = [fn(stem, gold) for key, (_, fn) in _ISSUE_CHECKS.items() for gold in EXPECTED[stem].get(key, [])]
    checks += [fn(store, gold) for key, (_, fn) in _STORE_CHECKS.items() for gold in EXPECTED[stem].get(key, [])]
    return checks + [inner_toc_problems(stem, gold) for gold in EXPECTED[stem]["documents"] if "inner_toc" in gold]


def main(tmp: str) -> None:
    unseen_rounds.print_deeper_table(compare, tmp, DEEPER_FIELDS, deeper_ok, _issue_checks, _has)


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        main(tmp)
