"""The parser on gazettes of other districts, provinces and years than the three samples.

Each fixture in tests/fixtures/unseen/ imitates the PDF-extracted text of a different kind of
gazette (国务院公报, a provincial gazette, a city gazette, a 人大常委会 gazette, a county gazette
with markdown/HTML debris).  Its ``<name>.expected.json`` was written by hand from the fixture
text: the ordered official documents with 文号, title, issuers, 文种, 成文日期, first line and,
where printed, addressee, embedded texts, attachments, 抄送 and 印发.

Cases that fail because of a parser bug are marked ``xfail(strict=True)`` with the root cause
(see KNOWN_BUGS); a fix turns them red so that the mark is removed.  Expectations are never
weakened to make a case pass.

``python tests/test_unseen_gazettes.py`` prints the recall / precision / field-accuracy table.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest

from gongbao.pipeline import read_issue
from gongbao.serialize import issue_to_dict

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_DIR = ROOT / "tests" / "fixtures" / "unseen"
FIXTURES = sorted(p.stem for p in FIXTURE_DIR.glob("*.txt"))
EXPECTED = {
    stem: json.loads((FIXTURE_DIR / f"{stem}.expected.json").read_text(encoding="utf-8")) for stem in FIXTURES
}
SOURCE = {stem: (FIXTURE_DIR / f"{stem}.txt").read_text(encoding="utf-8").split("\n") for stem in FIXTURES}

# Fields judged on unseen gazettes, then the ones compared where the fixture prints them.
CORE_FIELDS = ["doc_number", "title", "issuers", "type", "date"]
OPTIONAL_FIELDS = ["first_line", "addressee", "embedded", "attachments", "cc", "printed_by", "printed_date"]
_HEAD_SLACK = 4  # a parser document starting this many lines into the expected head still is that document

# --- comparison forms ----------------------------------------------------------------------------

_WIDTH = str.maketrans({
    "(": "（", ")": "）", ",": "，", ":": "：", ";": "；", "[": "〔", "]": "〕", "\"": "”", "“": "”",
    "!": "！", "?": "？",
})


def fold(text: str | None) -> str | None:
    """Whitespace removed, punctuation widths (and quote directions) folded."""
    if text is None:
        return None
    return re.sub(r"\s+", "", text).translate(_WIDTH).rstrip("。：")


def _organ_list(value: str | list | None) -> list[str]:
    items = re.split(r"[，,、]", value) if isinstance(value, str) else value or []
    return [fold(x) for x in items if fold(x)]


def accepted(gold: dict, field: str) -> list:
    return [gold[field], *gold.get("alternatives", {}).get(field, [])]


def label(gold: dict) -> str:
    return gold.get("doc_number") or gold.get("title") or "?"


# --- parser output, once per fixture ---------------------------------------------------------------


@functools.cache
def parsed(stem: str) -> dict:
    path = FIXTURE_DIR / f"{stem}.txt"
    return issue_to_dict(read_issue(path.read_bytes(), str(path)))


def _blank(stem: str, first: int, last: int) -> bool:
    return all(not SOURCE[stem][n - 1].strip() for n in range(first, last + 1))


def _same(stem: str, gold: dict, doc: dict, how: str) -> bool:
    if how == "doc_number":
        return gold["doc_number"] is not None and fold(doc.get("doc_number")) in [
            fold(x) for x in accepted(gold, "doc_number")
        ]
    if how == "title":
        return fold(doc.get("title")) in [fold(t) for t in accepted(gold, "title")]
    start = (doc.get("lines") or [0])[0]  # where the head is: a document with a garbled title is still found
    first = gold["first_line"]
    return first <= start <= first + _HEAD_SLACK or start < first and _blank(stem, start, first - 1)


@functools.cache
def matching(stem: str) -> tuple[tuple[int | None, ...], int]:
    """One-to-one pairing of expected documents with parser documents: by 文号, then by title,
    then by where the head stands.  Returns (parser index per expected document, parser count)."""
    docs = parsed(stem)["documents"]
    gold_docs = EXPECTED[stem]["documents"]
    pairs: list[int | None] = [None] * len(gold_docs)
    used: set[int] = set()
    for how in ("doc_number", "title", "position"):
        for g, gold in enumerate(gold_docs):
            if pairs[g] is not None:
                continue
            k = next((k for k, d in enumerate(docs) if k not in used and _same(stem, gold, d, how)), None)
            if k is not None:
                pairs[g] = k
                used.add(k)
    return tuple(pairs), len(docs)


def found(stem: str, g: int) -> dict:
    pairs, _ = matching(stem)
    gold = EXPECTED[stem]["documents"][g]
    if pairs[g] is None:
        titles = [d.get("title") for d in parsed(stem)["documents"]]
        pytest.fail(f"{stem}: document {label(gold)} not found; parser documents: {titles}")
    return parsed(stem)["documents"][pairs[g]]


def field_ok(stem: str, gold: dict, doc: dict, field: str) -> tuple[bool, object, object]:
    """(equal?, what the parser gave, what was expected) for one field of one document."""
    if field == "doc_number":
        got = doc.get("doc_number")
        return fold(got) in [fold(x) for x in accepted(gold, field)], got, gold[field]
    if field == "title":
        got = doc.get("title")
        return fold(got) in [fold(x) for x in accepted(gold, field)], got, gold[field]
    if field == "issuers":
        got = doc.get("issuers") or []
        return [fold(x) for x in got] in [[fold(x) for x in alt] for alt in accepted(gold, field)], got, gold[field]
    if field in ("type", "date", "printed_date"):
        return doc.get(field) == gold[field], doc.get(field), gold[field]
    if field in ("addressee", "printed_by"):
        return fold(doc.get(field)) == fold(gold[field]), doc.get(field), gold[field]
    if field == "cc":  # a list of organs; early rounds wrote it as one string joined by ，
        return _organ_list(doc.get(field)) == _organ_list(gold[field]), doc.get(field), gold[field]
    if field == "first_line":
        start = (doc.get("lines") or [None])[0]
        ok = start is not None and start <= gold[field] and _blank(stem, start, gold[field] - 1)
        return ok, start, gold[field]
    if field == "embedded":
        got = [(fold(e.get("title")), e.get("type")) for e in doc.get("embedded") or []]
        want = [(fold(e["title"]), e["type"]) for e in gold[field]]
        return got == want, got, want
    if field == "attachments":
        got = [(fold(a.get("title")), a.get("omitted")) for a in doc.get("attachments") or []]
        want = [(fold(a["title"]), a["omitted"]) for a in gold[field]]
        return got == want, got, want
    raise AssertionError(field)


# --- known parser bugs (root causes written up in the report; the lead fixes the parser) ---------

# Root causes as of parser commit fc8ade0 (each reason names the rule responsible).
# root cause → case ids of parser bugs still open (each case xfail(strict=True)); none at present
_BUG_CASES: dict[str, list[str]] = {}
KNOWN_BUGS: dict[str, str] = {case: reason for reason, cases in _BUG_CASES.items() for case in cases}


def _mark(case_id: str) -> list:
    reason = KNOWN_BUGS.get(case_id)
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


def _field_cases():
    for stem in FIXTURES:
        for g, gold in enumerate(EXPECTED[stem]["documents"]):
            for field in CORE_FIELDS + [f for f in OPTIONAL_FIELDS if f in gold]:
                case_id = f"{stem}-d{g}-{field}"
                yield pytest.param(stem, g, field, id=case_id, marks=_mark(case_id))


def _fixture_cases(measure: str):
    for stem in FIXTURES:
        case_id = f"{stem}-{measure}"
        yield pytest.param(stem, id=case_id, marks=_mark(case_id))


# --- tests -----------------------------------------------------------------------------------------


def test_fixtures_are_well_formed():
    assert len(FIXTURES) >= 5
    for stem in FIXTURES:
        n = len([ln for ln in SOURCE[stem] if ln.strip()])
        assert n >= 30 and 60 <= len(SOURCE[stem]) <= 250, stem
        for gold in EXPECTED[stem]["documents"]:
            assert all(f in gold for f in CORE_FIELDS + ["first_line"]), (stem, label(gold))
            assert SOURCE[stem][gold["first_line"] - 1].strip(), (stem, label(gold), "first_line is blank")


def recall(stem: str) -> float:
    pairs, _ = matching(stem)
    return sum(p is not None for p in pairs) / len(pairs)


def precision(stem: str) -> float:
    pairs, count = matching(stem)
    return sum(p is not None for p in pairs) / count if count else 0.0


@pytest.mark.parametrize("stem", list(_fixture_cases("recall")))
def test_recall(stem):
    pairs, _ = matching(stem)
    missing = [label(g) for g, p in zip(EXPECTED[stem]["documents"], pairs) if p is None]
    assert recall(stem) >= 0.98, f"{stem}: recall {recall(stem):.2f}, missing {missing}"


@pytest.mark.parametrize("stem", list(_fixture_cases("precision")))
def test_precision(stem):
    pairs, _ = matching(stem)
    docs = parsed(stem)["documents"]
    extra = [(d.get("doc_number"), d.get("title"), d.get("lines")) for k, d in enumerate(docs) if k not in pairs]
    assert precision(stem) >= 0.98, f"{stem}: precision {precision(stem):.2f}, extra documents {extra}"


@pytest.mark.parametrize(("stem", "g", "field"), list(_field_cases()))
def test_document_field(stem, g, field):
    gold = EXPECTED[stem]["documents"][g]
    doc = found(stem, g)
    ok, got, want = field_ok(stem, gold, doc, field)
    assert ok, f"{stem} document {g} {label(gold)} [{field}]: parser {got!r}, expected {want!r}"


# --- the table for the report ----------------------------------------------------------------------


def summary() -> list[tuple[str, int, int, float, float, float, float, int]]:
    """Per fixture: expected and parser document counts, recall, precision, accuracy of the five
    judged fields, of all compared fields (a document not found counts as all its fields wrong),
    and how many documents have all five judged fields right."""
    rows = []
    for stem in FIXTURES:
        pairs, count = matching(stem)
        core = every = core_ok = every_ok = docs_ok = 0
        for gold, p in zip(EXPECTED[stem]["documents"], pairs):
            doc = parsed(stem)["documents"][p] if p is not None else None
            doc_ok = doc is not None
            for field in CORE_FIELDS + [f for f in OPTIONAL_FIELDS if f in gold]:
                ok = doc is not None and field_ok(stem, gold, doc, field)[0]
                every, every_ok = every + 1, every_ok + ok
                if field in CORE_FIELDS:
                    core, core_ok = core + 1, core_ok + ok
                    doc_ok = doc_ok and ok
            docs_ok += doc_ok
        rows.append((stem, len(pairs), count, recall(stem), precision(stem), core_ok / core, every_ok / every, docs_ok))
    return rows


if __name__ == "__main__":
    print(f"{'fixture':14} {'docs':>4} {'found':>5} {'recall':>6} {'precision':>9} {'core':>5} {'all':>5} {'docs-right':>10}")
    for stem, n, count, r, p, c, a, ok in summary():
        print(f"{stem:14} {n:4d} {count:5d} {r:6.2f} {p:9.2f} {c:5.2f} {a:5.2f} {ok:7d}/{n}")
