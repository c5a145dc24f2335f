"""Shared by the later rounds of unseen-gazette tests: a copy of the round-one comparison module
pointed at another fixture folder, and the pytest cases built from it."""

from __future__ import annotations

import functools
import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from gongbao.docnumber import normalize_doc_number
from gongbao.ingest import ingest_paths
from gongbao.links.resolve import document_status
from gongbao.store import open_store

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


# --- issue-level checks the later rounds share (each takes the round's comparison module) -----------


def doc_of(compare: ModuleType, stem: str, number: str) -> dict | None:
    want = normalize_doc_number(number)
    return next((d for d in compare.parsed(stem)["documents"]
                 if d.get("doc_number") and normalize_doc_number(d["doc_number"]) == want), None)


def task_problems(compare: ModuleType, stem: str, gold: dict) -> list[str]:
    doc = doc_of(compare, stem, gold["doc"])
    prefix = compare.fold(gold["text_prefix"])
    task = next((t for t in (doc or {}).get("tasks", []) if compare.fold(t["text"]).startswith(prefix)), None)
    if task is None:
        return [f"row {gold['text_prefix']}… not found"]
    deadline = task.get("deadline") or {}
    got = {f: task[f] for f in ("lead_units", "responsible_units", "partner_units")} | {
        "deadline_raw": deadline.get("raw"), "deadline_kind": deadline.get("kind"), "deadline_iso": deadline.get("iso")}
    return [f"{k}: parser {v!r}, expected {gold[k]!r}" for k, v in got.items() if v != gold[k]]


def toc_problems(compare: ModuleType, stem: str, gold: dict) -> list[str]:
    entries = [e for e in compare.parsed(stem)["toc"] if e["source"] == "toc"]
    hit = next((e for e in entries if compare.fold(e["title"]) == compare.fold(gold["title"])), None)
    if hit is None:
        return [f"TOC entry {gold['title']} not found"]
    return [] if hit["page"] == gold["page"] else [f"page {hit['page']!r}, expected {gold['page']!r}"]


def index_problems(compare: ModuleType, stem: str, gold: dict) -> list[str]:
    entries = [e for e in compare.parsed(stem)["toc"] if e["source"] == "index"]
    hit = next((e for e in entries if e["lines"][0] == gold["line"]), None)
    if hit is None:
        return [f"index row at line {gold['line']} not found"]
    problems = [] if compare.fold(hit["title"]) == compare.fold(gold["title"]) else [f"title {hit['title']!r}"]
    if normalize_doc_number(hit["doc_number"] or "") != normalize_doc_number(gold["doc_number"] or ""):
        problems.append(f"文号 {hit['doc_number']!r}")
    return problems


def article_problems(compare: ModuleType, stem: str, gold: dict) -> list[str]:
    articles = compare.parsed(stem)["articles"]
    if any(a["kind"] == gold["kind"] and a["lines"][0] == gold["first_line"] for a in articles):
        return []
    return [f"no {gold['kind']} article at line {gold['first_line']}: {[(a['kind'], a['lines']) for a in articles]}"]


def inner_toc_problems(compare: ModuleType, stem: str, gold: dict) -> list[str]:
    """A document's own 目录 stays in the document: no article and no document starts inside it, and
    the document runs past it."""
    span = gold["inner_toc"]
    first, last = span["first_line"], span["last_line"]
    issue = compare.parsed(stem)
    starts = [a["lines"][0] for a in issue["articles"]] + [d["lines"][0] for d in issue["documents"]]
    problems = [f"a part starts at line {n}" for n in starts if first <= n <= last]
    doc = doc_of(compare, stem, gold["doc_number"])
    if doc is None or max(b for _, b in [doc["lines"], *doc["continuations"]]) <= last:
        problems.append("the document ends at its own 目录")
    return problems


# --- the cases and fixtures later rounds share -------------------------------------------------


def known_bugs(bug_cases: dict[str, list[str]]) -> dict[str, str]:
    """Case id → the root causes it fails by, joined (``bug_cases``: root cause → case ids)."""
    return {
        case: " + ".join(reason for reason, cases in bug_cases.items() if case in cases)
        for case in {case for cases in bug_cases.values() for case in cases}
    }


def entry_cases(compare: ModuleType, known_bugs: dict[str, str], key: str, tag: str) -> list:
    """A case (stem, i) for the i-th expected entry under ``key`` of every fixture, id ``stem-{tag}{i}``."""
    return [pytest.param(stem, i, id=f"{stem}-{tag}{i}", marks=marks(known_bugs, f"{stem}-{tag}{i}"))
            for stem in compare.FIXTURES for i in range(len(compare.EXPECTED[stem].get(key, [])))]


def check_cases(compare: ModuleType, known_bugs: dict[str, str], checks: dict) -> list:
    """A case (stem, key, i) for every expected entry of each key of ``checks`` (key → (tag, check))."""
    return [pytest.param(stem, key, i, id=f"{stem}-{tag}{i}", marks=marks(known_bugs, f"{stem}-{tag}{i}"))
            for key, (tag, _) in checks.items() for stem in compare.FIXTURES
            for i in range(len(compare.EXPECTED[stem].get(key, [])))]


def add_issue_tests(namespace: dict, compare: ModuleType, known_bugs: dict[str, str], checks: dict) -> None:
    """Define the round's issue-level tests in the calling module: every entry of ``checks``
    (key → (tag, check(stem, gold))) and every document's own 目录."""

    @pytest.mark.parametrize(("stem", "key", "i"), check_cases(compare, known_bugs, checks))
    def test_issue_element(stem, key, i):
        gold = compare.EXPECTED[stem][key][i]
        problems = checks[key][1](stem, gold)
        assert not problems, f"{stem} {key} {i}: {problems}"

    own_toc = [pytest.param(stem, g, id=f"{stem}-d{g}-inner_toc", marks=marks(known_bugs, f"{stem}-d{g}-inner_toc"))
               for stem in compare.FIXTURES for g, gold in enumerate(compare.EXPECTED[stem]["documents"])
               if "inner_toc" in gold]

    @pytest.mark.parametrize(("stem", "g"), own_toc)
    def test_own_toc_stays_in_its_document(stem, g):
        problems = inner_toc_problems(compare, stem, compare.EXPECTED[stem]["documents"][g])
        assert not problems, problems

    namespace.update(test_issue_element=test_issue_element, test_own_toc_stays_in_its_document=test_own_toc_stays_in_its_document)


def ingested(folder: Path, compare: ModuleType) -> Iterator:
    """The round's fixtures ingested into a database in ``folder``, open for reading (a fixture's body)."""
    path = folder / "gongbao.db"
    ingest_paths([compare.FIXTURE_DIR / f"{stem}.txt" for stem in compare.FIXTURES], path, progress=False)
    with open_store(path, readonly=True) as store:
        yield store


def citation_found(compare: ModuleType, doc: dict, want: dict) -> bool:
    """Whether ``doc`` cites what ``want`` names: by 文号 (with a matching title when both give
    one), else by its title alone."""
    number = want.get("doc_number")
    if number is None:  # a text cited by its title only
        return any(compare.fold(c.get("title")) == compare.fold(want["title"]) for c in doc.get("citations") or [])
    return any(
        c.get("doc_number") and normalize_doc_number(c["doc_number"]) == normalize_doc_number(number)
        and (c.get("title") is None or want.get("title") is None or compare.fold(c["title"]) == compare.fold(want["title"]))
        for c in doc.get("citations") or []
    )


def deeper_ok(compare: ModuleType, gold: dict, doc: dict, field: str) -> tuple[bool, object, object]:
    """(right?, what the parser gave, what was expected) for one deeper element the rounds share."""
    want = gold[field]
    if field == "signatures":
        got = [" ".join(s.split()) for s in doc.get("signatures") or []]
        return got == want, got, want
    if field == "last_line":
        spans = [doc["lines"], *doc.get("continuations", [])]
        got = max(last for _, last in spans)
        return got == want, got, want
    if field == "effective":
        got = (doc.get("validity") or {}).get("effective")
        return got == want, got, want
    if field == "citations":
        missing = [c.get("doc_number") or c["title"] for c in want if not citation_found(compare, doc, c)]
        return not missing, missing, []
    got = doc.get(field)
    return got == want, got, want


def print_deeper_table(compare: ModuleType, tmp: str, fields: tuple[str, ...], deeper_ok, issue_checks,
                       has=lambda gold, field: field in gold) -> None:
    """The report of a round: round one's summary, then per fixture the deeper elements right
    (``deeper_ok``) and the issue-level checks passed (``issue_checks(store, stem)``: problem lists)."""
    print_summary(compare)
    print(f"\n{'fixture':14} " + " ".join(f"{f:>10}" for f in fields) + f" {'issue':>8}")
    path = f"{tmp}/gongbao.db"
    ingest_paths([compare.FIXTURE_DIR / f"{stem}.txt" for stem in compare.FIXTURES], path, progress=False)
    total = right = 0
    with open_store(path, readonly=True) as store:
        for stem in compare.FIXTURES:
            pairs, _ = compare.matching(stem)
            cells = []
            for field in fields:
                golds = [(g, p) for g, p in zip(compare.EXPECTED[stem]["documents"], pairs) if has(g, field)]
                ok = sum(p is not None and deeper_ok(g, compare.parsed(stem)["documents"][p], field)[0] for g, p in golds)
                total, right = total + len(golds), right + ok
                cells.append(f"{ok}/{len(golds)}" if golds else "-")
            checks = issue_checks(store, stem)
            ok = sum(not c for c in checks)
            total, right = total + len(checks), right + ok
            print(f"{stem:14} " + " ".join(f"{c:>10}" for c in cells) + f" {f'{ok}/{len(checks)}' if checks else '-':>8}")
    print(f"deeper elements and issue-level checks right: {right}/{total} = {right / total:.2f}")


def stored_id(store, gold: dict) -> str | None:
    """The stored document a repeal names: by its 文号, or by its title when it has none."""
    if gold["doc_number"]:
        return store.find_document_id(gold["doc_number"])
    row = store.conn.execute("SELECT id FROM documents WHERE title = ? ORDER BY present", (gold["title"],)).fetchone()
    return row["id"] if row else None


def repeal_problems(store, gold: dict) -> list[str]:
    name = gold["doc_number"] or gold["title"]
    found = stored_id(store, gold)
    status = None if found is None else document_status(store, found, gold["since"])
    if status is None:
        return [f"{name} not in the database"]
    ref = store.doc_refs_by_id([status.by]).get(status.by)
    problems = [f"status {status.code}, expected repealed"] if status.code != "repealed" else []
    if normalize_doc_number((ref and ref.doc_number) or "") != normalize_doc_number(gold["by"]):
        problems.append(f"repealed by {ref and ref.doc_number!r}, expected {gold['by']!r}")
    return problems


def add_deeper_tests(namespace: dict, compare: ModuleType, known_bugs: dict[str, str], fields: tuple[str, ...],
                     deeper_ok, has=lambda gold, field: field in gold) -> None:
    """Define ``test_deeper_element`` in the calling module: each of ``fields`` an expected document
    ``has``, judged by the round's ``deeper_ok(gold, doc, field) -> (ok, got, want)``."""
    cases = [pytest.param(stem, g, field, id=f"{stem}-d{g}-{field}", marks=marks(known_bugs, f"{stem}-d{g}-{field}"))
             for stem in compare.FIXTURES for g, gold in enumerate(compare.EXPECTED[stem]["documents"])
             for field in fields if has(gold, field)]

    @pytest.mark.parametrize(("stem", "g", "field"), cases)
    def test_deeper_element(stem, g, field):
        gold = compare.EXPECTED[stem]["documents"][g]
        ok, got, want = deeper_ok(gold, compare.found(stem, g), field)
        assert ok, f"{stem} {compare.label(gold)} {field}: parser {got!r}, expected {want!r}"

    namespace.update(test_deeper_element=test_deeper_element)


def shared_checks(compare: ModuleType) -> tuple:
    """The issue-level checks (task, toc, index, article, inner_toc problems) bound to a round."""
    return tuple(functools.partial(check, compare)
                 for check in (task_problems, toc_problems, index_problems, article_problems, inner_toc_problems))
