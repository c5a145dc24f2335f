"""Search on hand-made documents: query language, 文号 first, clauses, snippets, safety."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))
from store_fixtures import grain_doc, hero_doc, make_issue  # noqa: E402

from gongbao.models import Document, Line  # noqa: E402
from gongbao.search.query import facets, parse_query, search, snippet  # noqa: E402
from gongbao.search.tokenize import DEFAULT_SCHEME, SCHEMES  # noqa: E402
from gongbao.store import Store, open_store  # noqa: E402
from gongbao.store.records import StatusView  # noqa: E402


def _plain(title: str, text: str, issuer: str, date: str, doc_type: str = "通知") -> Document:
    return Document(title=title, type=doc_type, doc_number=None, issuers=[issuer], date=date, addressee=None,
                    signatures=[], body=[Line(text, 5, 5)], lines=(4, 6))


def _build(path: Path, scheme: str) -> Store:
    s = open_store(path, tokenizer=scheme)
    s.ingest_issue(make_issue([grain_doc(), hero_doc()], raw="a"), raw="a")
    s.ingest_issue(make_issue([
        _plain("关于做好防汛工作的通知", "各单位要做好防汛抗旱工作，<script>alert(1)</script>确保安全度汛。", "重庆市水利局", "2019-05-01"),
        _plain("关于粮食收购工作的意见", "做好秋粮收购，保障农民利益。", "重庆市粮食局", "2019-09-01", "意见"),
    ], raw="b", number=4), raw="b")
    return s


@pytest.fixture(scope="module")
def store(module_db_target):
    """The default scheme: the one shipped (the others are compared in bench/relevance.py),
    on each engine (tests/conftest.py)."""
    with _build(module_db_target, DEFAULT_SCHEME) as s:
        yield s


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_every_scheme_answers_plain_and_hostile_queries(tmp_path, scheme):
    with _build(tmp_path / "g.db", scheme) as s:
        assert search(s, "见义勇为").hits[0].title == "重庆市见义勇为人员奖励和保护条例"
        assert search(s, "渝府办发[2021]12号").hits[0].doc_number == "渝府办发〔2021〕12号"
        for query in ('"', "-", "OR", "粮*", "NEAR(a b)", "a:b", "^x", "'", "(((", "\\", "粮", "a"):
            search(s, query)


def _titles(result) -> list[str]:
    return [h.title for h in result.hits]


def test_natural_question_finds_the_clause(store):
    result = search(store, "粮食重金属超标了怎么办")
    assert result.hits[0].doc_number == "渝府办发〔2021〕12号"
    assert result.hits[0].clauses[0].anchor == "art-2"
    assert "<mark>" in result.hits[0].clauses[0].snippet


def test_words_of_a_term_and_space_are_and(store):
    assert _titles(search(store, "见义勇为")) == ["重庆市见义勇为人员奖励和保护条例"]
    result = search(store, "超标粮食 处置")
    assert result.hits[0].doc_number == "渝府办发〔2021〕12号" and not result.relaxed
    assert search(store, "防汛 见义勇为").total == 0 or search(store, "防汛 见义勇为").relaxed


@pytest.mark.parametrize("written", ["渝府办发〔2021〕12号", "渝府办发[2021]12号", "渝府办发（2021）12号", "渝府办发 〔2021〕 12号"])
def test_docnumber_in_any_written_form_comes_first(store, written):
    hit = search(store, written).hits[0]
    assert hit.doc_number == "渝府办发〔2021〕12号"


def test_cited_docnumber_finds_the_citing_document(store):
    hit = search(store, "渝府办发[2014]7号").hits[0]
    assert hit.doc_number == "渝府办发〔2021〕12号"
    assert hit.clauses and hit.clauses[0].anchor == "art-3"


def test_or_not_phrase(store):
    assert set(_titles(search(store, "见义勇为 OR 防汛"))) == {"重庆市见义勇为人员奖励和保护条例", "关于做好防汛工作的通知"}
    both = set(_titles(search(store, "粮食")))
    assert "关于粮食收购工作的意见" in both
    assert "关于粮食收购工作的意见" not in _titles(search(store, "粮食 -收购"))
    assert "关于粮食收购工作的意见" not in _titles(search(store, "粮食 NOT 收购"))
    if store.scheme != "words":  # the words index keeps no adjacency (docs/search.md)
        assert search(store, '"粮食超标"').total == 0
    assert search(store, '"超标粮食"').hits[0].doc_number == "渝府办发〔2021〕12号"


def test_filters_combine_with_text(store):
    assert _titles(search(store, "粮食", {"type": "意见"})) == ["关于粮食收购工作的意见"]
    assert _titles(search(store, "粮食", {"year": 2019})) == ["关于粮食收购工作的意见"]
    assert _titles(search(store, "粮食", {"issuer": "办公厅"})) == ["重庆市人民政府办公厅关于印发重庆市超标粮食处置办法的通知"]
    assert search(store, "粮食", {"issuer": "不存在的机关"}).total == 0


def test_paging_and_json_shape(store):
    first, second = search(store, "粮食", limit=1), search(store, "粮食", limit=1, offset=1)
    assert first.total == second.total == 2 and first.hits[0].id != second.hits[0].id
    data = first.to_json()
    assert set(data) >= {"query", "total", "hits"}
    assert set(data["hits"][0]) >= {"doc_number", "title", "issuers", "date", "type", "status", "score", "snippet", "clauses"}
    for clause in data["hits"][0]["clauses"]:
        assert set(clause) >= {"anchor", "heading", "snippet"}


def test_relaxed_when_no_document_has_every_word(store):
    result = search(store, "见义勇为防汛")
    assert result.relaxed and result.total >= 2


def test_snippets_escape_gazette_text(store):
    hit = search(store, "防汛").hits[0]
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet


def test_facets_count_matches(store):
    counts = facets(store, "粮食")
    assert {r.value: r.count for r in counts["year"]} == {2021: 1, 2019: 1}
    assert {r.value for r in counts["issuer"]} == {"重庆市人民政府办公厅", "重庆市粮食局"}
    assert sum(r.count for r in counts["status"]) == 2


def test_statuses_are_read_from_the_portal_tables_while_fresh(db_target):
    """Hits, the status filter and the status facet read the status the portal's derived
    tables keep for today (here one no rule gives), and work it out again once a write has
    made the tables stale."""
    with _build(db_target, DEFAULT_SCHEME) as s:
        worked_out = {h.id: h.status for h in search(s, "粮食").hits}
        assert "revised" not in worked_out.values()
        today = date.today().isoformat()
        s.refresh_portal(today, lambda _: {i: StatusView("revised", today) for i in s.doc_ids()})
        assert [(h.id, h.status) for h in search(s, "粮食").hits] == [(i, "revised") for i in worked_out]
        assert [h.id for h in search(s, "粮食", status="revised").hits] == list(worked_out)
        assert search(s, "粮食", status="in_force").total == 0
        assert [(r.value, r.count) for r in facets(s, "粮食")["status"]] == [("revised", 2)]
        s.ingest_issue(make_issue([_plain("关于防汛的通知", "做好防汛。", "重庆市水利局", "2020-05-01")], raw="c",
                                  number=5), raw="c")
        assert {h.id: h.status for h in search(s, "粮食").hits} == worked_out


def test_parse_query():
    parsed = parse_query('超标粮食 "定向 销售" 见义勇为 OR 防汛 -收购 渝府办发[2021]12号')
    assert [[t.text for t in c] for c in parsed.clauses] == [["超标粮食"], ["定向 销售"], ["见义勇为", "防汛"]]
    assert parsed.clauses[1][0].phrase and [t.text for t in parsed.excluded] == ["收购"]
    assert parsed.doc_numbers == ["渝府办发〔2021〕12号"]


def test_snippet_window_and_marks():
    text = "甲" * 300 + "见义勇为" + "乙" * 300
    out = snippet(text, ["见义勇为"], width=60)
    assert "<mark>见义勇为</mark>" in out and out.startswith("…") and out.endswith("…")
    assert len(out) < 120


def test_snippet_flattens_the_window_and_picks_the_window_with_most_words():
    text = "第一条\n　　" + "甲" * 5000 + "粮食" + "乙" * 500 + "粮食\n　　超标" + "丙" * 40
    out = snippet(text, ["粮食", "超标"], width=30)
    assert "<mark>粮食</mark> <mark>超标</mark>" in out  # the two words together, "\n　　" as one space
    assert out.startswith("…") and out.endswith("…") and "\n" not in out
    tail = snippet("甲" * 200 + "见义勇为", ["见义勇为"], width=30)  # near the end: the last full window
    assert tail.endswith("<mark>见义勇为</mark>") and tail.startswith("…") and len(tail.replace("<mark>", "").replace("</mark>", "")) == 31
    assert snippet("  短文  ", [], width=30) == "短文"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="粮食超标处置甲乙PDFpdf \n", max_size=300),
       st.lists(st.sampled_from(["粮食", "超标", "处置", "食超", "甲", "pdf", "标处"]), min_size=1, max_size=4, unique=True))
def test_a_window_scan_ending_once_the_words_held_are_together_picks_the_window_of_a_whole_scan(text, words):
    """The scan for the snippet's window ends once a window holds every query word the text
    holds: the window a scan looking for every query word picks."""
    from unittest.mock import patch

    import gongbao.search.query as query

    words = sorted(words, key=len, reverse=True)
    early = snippet(text, words, width=20)
    with patch.object(query, "_present", lambda text, words, pattern: len(words)):
        assert snippet(text, words, width=20) == early


def test_totals_beyond_the_cap_are_a_lower_bound(store, monkeypatch):
    import gongbao.search.query as query

    assert not search(store, "粮食").total_capped
    monkeypatch.setattr(query, "TOTAL_CAP", 1)
    result = search(store, "粮食")
    assert result.total == 1 and result.total_capped and result.to_json()["total_capped"] is True


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list('粮食见义勇为"“”()（）*^:-+ OR AND NOT NEAR{}[]〔〕\'%_;\\/号发渝府0123abc \t\n')), max_size=40)
       | st.text(max_size=40))
def test_any_input_is_safe(tmp_path_factory, query):
    store = _SAFE_STORE.setdefault("s", _safe_store(tmp_path_factory))
    result = search(store, query, limit=5)
    assert result.total >= len(result.hits)
    facets(store, query)


_SAFE_STORE: dict = {}


def _safe_store(tmp_path_factory):
    s = open_store(tmp_path_factory.mktemp("safe") / "g.db")
    s.ingest_issue(make_issue([grain_doc(), hero_doc()]))
    return s


def test_injection_attempts_leave_the_database_intact(store):
    for query in ("'; DROP TABLE documents; --", '" OR 1=1 --', "粮食') OR ('1'='1", "doc_fts MATCH '*'"):
        search(store, query)
    assert store.stats().documents == 4


def test_known_but_absent_documents_are_not_hits_until_they_arrive(tmp_path):
    from gongbao.store import number_id, open_store

    with open_store(tmp_path / "g.db") as s:
        s.ingest_issue(make_issue([hero_doc()], raw="a", number=1), raw="a")
        with s.transaction():
            s.conn.execute(
                "INSERT INTO documents(id, key, doc_number, title, present, created_at) VALUES (?, ?, ?, ?, 0, 'now')",
                (number_id("渝府办发〔2021〕12号"), "渝府办发〔2021〕12号", "渝府办发〔2021〕12号", "超标粮食处置办法"),
            )
        assert search(s, "超标粮食").total == 0
        assert search(s, "渝府办发〔2021〕12号").total == 0
        s.ingest_issue(make_issue([grain_doc()], raw="b", number=2), raw="b")
        assert search(s, "超标粮食").hits[0].doc_number == "渝府办发〔2021〕12号"
        assert search(s, "超标粮食").total == 1


@pytest.mark.parametrize("words", [["粮食"], ["超标", "处置"], ["见义勇为", "奖励"], ["条"], ["xyz", "粮食"]])
def test_clause_candidates_are_the_nodes_holding_a_word(store, words):
    """Words are found in the documents' texts and placed in the node spans: the same nodes
    as asking each node's heading and text, in document order, with every document's count."""
    pks = store._column("SELECT pk FROM documents ORDER BY pk")
    found = store.clause_candidates(pks, words)
    for pk in pks:
        ids = store._column("SELECT id FROM outline_nodes WHERE doc_pk = ? ORDER BY position", [pk])
        nodes = store.nodes_by_id(ids)
        holding = [nodes[i] for i in ids
                   if any(w in nodes[i].heading.lower() or w in nodes[i].text.lower() for w in words)]
        assert found[pk] == (len(ids), holding)
    assert any(found[pk][1] for pk in pks)


@pytest.mark.parametrize("words", [["粮食"], ["超标", "处置"], ["见义勇为", "奖励"], ["条"], ["xyz", "粮食"]])
def test_clause_holders_are_the_nodes_holding_each_word(store, words):
    """Per word, the nodes whose heading or text holds it; their union is the candidates."""
    pks = store._column("SELECT pk FROM documents ORDER BY pk")
    held = store.clause_holders(pks, words)
    for pk in pks:
        outline, _, by_word = held[pk]
        nodes = store.nodes_by_id(outline.ids)
        for word in words:
            assert sorted(by_word[word]) == [i for i, node_id in enumerate(outline.ids)
                                             if word in nodes[node_id].heading.lower() or word in nodes[node_id].text.lower()]
    assert any(held[pk][2][word] for pk in pks for word in words)


@pytest.mark.parametrize("query", ["粮食", "超标 处置", "见义勇为 奖励", "粮食重金属超标了怎么办", "定点 收购 存放"])
def test_clause_hits_from_the_stores_nodes_equal_those_counted_in_the_lowered_nodes(store, query, monkeypatch):
    """Clause hits scored from the nodes the store found holding each word are those scored
    by counting every word in every candidate node's lowered text."""
    import gongbao.search.query as q

    fast = search(store, query).to_json()
    monkeypatch.setattr(q, "_folds_alike", lambda word: False)
    assert search(store, query).to_json() == fast
    assert any(hit["clauses"] for hit in fast["hits"])


def test_words_are_found_by_lower_where_the_stores_folding_finds_them():
    from gongbao.search.query import _folds_alike

    assert all(map(_folds_alike, ["粮食", "pdf", "2021", "第一条", "co2"]))
    assert not any(map(_folds_alike, ["k", "ii", "αβ", "é", "a b", "ⅰ"]))


def test_a_clause_word_lower_finds_beyond_the_stores_folding_is_counted_in_the_nodes(tmp_path):
    """lower() makes k of the Kelvin sign: a clause word holding k is looked for in the
    lowered texts of the candidate nodes, not taken from what the store's folding found."""
    from gongbao.search.query import _holding

    with open_store(tmp_path / "g.db") as s:
        s.ingest_issue(make_issue([grain_doc(extra="存放温度低于5\u212a。")]))
        (pk,) = s._column("SELECT pk FROM documents")
        holders = s.clause_holders([pk], ["5k", "定向"])[pk]
        outline = holders[0]
        assert not holders[2]["5k"] and [outline.anchors[i] for i in holders[2]["定向"]] == ["art-2"]
        assert [[outline.anchors[i] for i in nodes] for nodes in _holding(holders, ["5k", "定向"])] == [["art-2"], ["art-2"]]


def test_clause_candidates_read_an_outline_whose_heading_holds_their_separator(tmp_path):
    """Outlines are read aggregated per document (store/outlines.py); a heading holding the
    separator of that read is read row by row, and an ASCII word matches folded."""
    from gongbao.store import open_store

    with open_store(tmp_path / "g.db") as s:
        s.ingest_issue(make_issue([grain_doc()]))
        with s.transaction():
            s.conn.execute("UPDATE outline_nodes SET heading = 'PDF\x1f附件' WHERE anchor = 'art-2'")
        (pk,) = s._column("SELECT pk FROM documents")
        total, found = s.clause_candidates([pk], ["pdf"])[pk]
        assert total == 3 and [(n.anchor, n.heading) for n in found] == [("art-2", "PDF\x1f附件")]
        assert [n.anchor for n in s.clause_candidates([pk], ["定向销售"])[pk][1]] == ["art-2"]


def test_a_readers_outlines_come_from_the_pack_and_equal_the_tables(tmp_path, monkeypatch):
    """A read-only store reads outlines from the one pack of the database version (kept in the
    cache folder), not from outline_nodes per document; they equal the aggregated read,
    a heading holding the separator, a node's own text and a document without nodes included."""
    from gongbao.store import open_store
    from gongbao.store import sqlite as sqlite_store
    from gongbao.store.outlines import read_outlines

    monkeypatch.setenv("GONGBAO_CACHE", str(tmp_path / "cache"))
    db = tmp_path / "g.db"
    with open_store(db) as s:
        s.ingest_issue(make_issue([grain_doc(), hero_doc()]))
        with s.transaction():
            s.conn.execute("UPDATE outline_nodes SET heading = 'PDF\x1f附件' WHERE anchor = 'art-2'")
            s.conn.execute("UPDATE outline_nodes SET text_start = NULL, text_end = NULL, text = '自有文字'"
                           " WHERE anchor = 'art-3'")
        pks = s._column("SELECT pk FROM documents ORDER BY pk")
        expected = read_outlines(s._tuples, "group_concat", pks + [10**6])
    with open_store(db, readonly=True) as one_shot:  # a command's store reads per document
        assert one_shot.outlines(pks)[pks[0]].headings[1] == "PDF\x1f附件"
        assert not list((tmp_path / "cache").glob("outline-pack-*.pickle"))
    with open_store(db, readonly=True) as r:
        r.pack_outlines = True
        monkeypatch.setattr(sqlite_store, "PROGRESS_STEPS", 1)  # the clock looked at every step
        with r.budget(0):  # made outside the request's budget, spent before it starts
            r.outline_pack()
        statements = []
        r.conn.set_trace_callback(statements.append)
        got = r.outlines(pks + [10**6])
        r.conn.set_trace_callback(None)
        assert not [sql for sql in statements if "outline_nodes" in sql]
        assert list((tmp_path / "cache").glob("outline-pack-*.pickle"))
        slots = ("doc_pk", "ids", "parents", "anchors", "numbers", "headings", "starts", "ends", "own")
        assert {pk: [getattr(o, a) for a in slots] for pk, o in got.items()} == \
            {pk: [getattr(o, a) for a in slots] for pk, o in expected.items()}
        grain = got[pks[0]]
        assert grain.headings[1] == "PDF\x1f附件" and list(grain.own.values()) == ["自有文字"]
        assert len(got[10**6]) == 0
        total, found = r.clause_candidates([pks[0]], ["pdf", "自有"])[pks[0]]
        assert total == 3 and [n.anchor for n in found] == ["art-2", "art-3"]


def test_the_stores_folding_lowers_ascii_letters_only():
    from gongbao.store.outlines import ascii_lower

    assert ascii_lower("PDF附件ⅠΣ\u212aÉ Co2") == "pdf附件ⅠΣ\u212aÉ co2"
