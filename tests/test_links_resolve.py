"""Resolution across the database, stored status and the `status` / `graph` commands.

Goes through the issue parser and the store: the three sample issues are ingested into a
temporary database, with the links stage applied to every document.
"""

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongbao.cli import app
from gongbao.serialize import plain
from gongbao.links import link_document
from gongbao.links.resolve import document_status, graph, issuer_of_prefix, resolve_citations
from gongbao.pipeline import read_issue
from gongbao.store import Store, ids, open_store
from gongbao.store.migrate import migrations
from store_fixtures import grain_doc, hero_doc, make_issue

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _ingest(store: Store, raw: bytes, path: str) -> None:
    issue = read_issue(raw, path)
    for doc in issue.documents:
        link_document(doc)
    store.ingest_issue(issue, raw=raw)


@pytest.fixture(scope="module")
def db(module_db_target):
    path = module_db_target  # each engine (tests/conftest.py)
    with open_store(path) as store:
        for sample in sorted(SAMPLES.glob("*.txt")):
            _ingest(store, sample.read_bytes(), str(sample))
        with store.transaction():
            stats = resolve_citations(store)
    return path, stats


def _id(store, number):
    return store.conn.execute("SELECT id FROM documents WHERE doc_number = ? ORDER BY present DESC", (number,)).fetchone()["id"]


def test_every_citation_resolves_to_a_present_or_absent_document(db):
    path, stats = db
    assert stats["citations"] > 0 and stats["resolved"] == stats["citations"]
    with open_store(path, readonly=True) as store:
        absent = store.conn.execute(
            "SELECT id, title, issuers, present FROM documents WHERE doc_number = ?", ("国发〔2013〕41号",)
        ).fetchone()
        assert absent["present"] == 0 and absent["id"] == ids.number_id("国发〔2013〕41号")
        assert absent["title"] == "国务院关于化解产能严重过剩矛盾的指导意见"
        assert absent["issuers"] == ["国务院"]  # the store decodes JSON columns


def test_resolution_is_idempotent(db):
    path, stats = db
    with open_store(path) as store:
        with store.transaction():
            again = resolve_citations(store)
    assert again["absent_created"] == 0 and again["resolved"] == stats["resolved"]


def test_repealed_absent_documents_get_their_status(db):
    path, _ = db
    with open_store(path, readonly=True) as store:
        grain = _id(store, "渝府办发〔2020〕142号")
        status = document_status(store, "渝府办发(2015)208号", "2021-06-01")
        assert (status.code, status.by, status.since) == ("repealed", grain, "2020-12-31")
        assert "同时废止" in status.evidence[0].get("text")
        # known only as cited, but repealed from a later day: in force till then, the repeal said
        before = document_status(store, "渝府办发〔2015〕208号", "2020-12-30")
        assert before.code == "in_force" and before.evidence[-1].code == "pending_repeal"
        order = document_status(store, "重庆市人民政府令第10号", "2021-03-01")
        assert (order.code, order.since) == ("repealed", "2021-03-01")
        before = document_status(store, "重庆市人民政府令第10号", "2021-02-28")
        assert before.code == "in_force" and before.evidence[-1].get("date") == "2021-03-01"


def test_present_documents_status(db):
    path, _ = db
    with open_store(path, readonly=True) as store:
        assert document_status(store, "永川府发〔2014〕35号", "2015-06-01").code == "in_force"
        expired = document_status(store, "永川府发〔2014〕35号", "2021-06-01")
        assert (expired.code, expired.since) == ("expired", "2016-10-31")
        assert document_status(store, "重庆市人民政府令第340号", "2021-02-01").code == "not_yet_in_force"
        assert document_status(store, "no such document", "2021-02-01") is None


def test_graph_edges(db):
    path, _ = db
    with open_store(path, readonly=True) as store:
        data = graph(store, "2021-06-01")
        grain, old = _id(store, "渝府办发〔2020〕142号"), _id(store, "渝府办发〔2015〕208号")
    repeal = [e for e in data["edges"] if e["type"] == "repeals" and e["source"] == grain]
    assert [(e["target"], e["effective"]) for e in repeal] == [(old, "2020-12-31")]
    nodes = {n["id"]: n for n in data["nodes"]}
    assert (nodes[old]["present"], nodes[old]["status"]) == (False, "repealed")
    assert all(e["source"] != e["target"] for e in data["edges"])
    assert {e["type"] for e in data["edges"]} <= {"cites", "issues", "forwards", "revises", "replaces", "repeals", "implements"}


def test_absent_document_is_taken_over_when_its_issue_arrives(db_target):
    path = db_target
    text = (SAMPLES / "004_8c3e04d8c27f17c2.txt").read_bytes()
    cited = ids.number_id("渝府办发〔2019〕110号")
    later = (
        "重庆市人民政府办公厅关于印发重庆市社区居家养老服务全覆盖实施方案的通知\n\n渝府办发〔2019〕110号\n\n"
        "各区县（自治县）人民政府，市政府各部门，有关单位：\n\n"
        "《重庆市社区居家养老服务全覆盖实施方案》已经市政府同意，现印发给你们，请认真贯彻执行。\n\n"
        "重庆市人民政府办公厅\n\n2019年6月20日\n"
    ).encode("utf-8")
    with open_store(path) as store:
        _ingest(store, text, "004.txt")
        with store.transaction():
            resolve_citations(store)
        assert store.conn.execute("SELECT present FROM documents WHERE id = ?", (cited,)).fetchone()["present"] == 0
        _ingest(store, later, "later.txt")
        with store.transaction():
            resolve_citations(store)
        row = store.conn.execute("SELECT present, date FROM documents WHERE id = ?", (cited,)).fetchone()
        assert (row["present"], row["date"]) == (1, "2019-06-20")
        targets = store.conn.execute("SELECT DISTINCT target_id FROM citations WHERE doc_number = ?", ("渝府办发〔2019〕110号",))
        assert [r["target_id"] for r in targets] == [cited]


def test_issuer_from_prefix():
    assert issuer_of_prefix("国办发") == "国务院办公厅"
    assert issuer_of_prefix("重庆市人民政府令") == "重庆市人民政府"
    assert issuer_of_prefix("武隆府办发") is None


runner = CliRunner()


def test_status_command(db):
    path, _ = db
    result = runner.invoke(app, ["status", "渝府办发〔2015〕208号", "--as-of", "2021-06-01", "--format", "json", "--db", str(path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["code"], data["label"], data["since"]) == ("repealed", "已废止", "2020-12-31")
    assert data["by_document"]["doc_number"] == "渝府办发〔2020〕142号"
    text = runner.invoke(app, ["status", "永川府发〔2014〕35号", "--as-of", "2016年11月1日", "--db", str(path)])
    assert text.exit_code == 0 and "：失效（截至 2016-11-01）" in text.output and "有效期2年" in text.output


def test_status_command_errors(db, tmp_path):
    path, _ = db
    missing = runner.invoke(app, ["status", "渝府发〔1999〕1号", "--db", str(path)])
    assert missing.exit_code != 0
    bad_date = runner.invoke(app, ["status", "永川府发〔2014〕35号", "--as-of", "someday", "--db", str(path)])
    assert bad_date.exit_code != 0
    no_db = runner.invoke(app, ["graph", "--db", str(tmp_path / "none.db")])
    assert no_db.exit_code != 0


def test_graph_command(db):
    path, _ = db
    result = runner.invoke(app, ["graph", "--db", str(path), "--as-of", "2021-06-01"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"nodes", "edges"}
    assert set(data["nodes"][0]) == {"id", "doc_number", "title", "present", "status"}
    assert set(data["edges"][0]) == {"source", "target", "type", "evidence", "effective"}
    dot = runner.invoke(app, ["graph", "--db", str(path), "--format", "dot"])
    assert dot.exit_code == 0 and dot.output.startswith("digraph gongbao {") and "废止" in dot.output


DECISION = """重庆市人民政府文件

渝府发〔2021〕5号

重庆市人民政府关于废止一批规范性文件的决定

各区县（自治县）人民政府，市政府各部门，有关单位：

经清理，市政府决定废止下列规范性文件：

1．重庆市人民政府关于加强城市管理的通知（渝府发〔2008〕12号）

2．重庆市人民政府办公厅关于进一步做好农村公路养护工作的意见（渝府办发〔2009〕100号）

3．重庆市人民政府关于印发重庆市节能办法的通知（渝府发〔2010〕7号）

本决定自公布之日起施行。

重庆市人民政府

2021年1月20日
"""


def test_repeal_decision_end_to_end(db_target):
    path = db_target
    with open_store(path) as store:
        _ingest(store, DECISION.encode("utf-8"), "decision.txt")
        with store.transaction():
            resolve_citations(store)
    for number in ("渝府发〔2008〕12号", "渝府办发〔2009〕100号", "渝府发〔2010〕7号"):
        result = runner.invoke(app, ["status", number, "--as-of", "2021-06-01", "--format", "json", "--db", str(path)])
        data = json.loads(result.output)
        assert (data["code"], data["since"]) == ("repealed", "2021-01-20"), number
        assert data["by_document"]["doc_number"] == "渝府发〔2021〕5号"
        evidence = data["evidence"][0]
        assert evidence["code"] == "quote" and evidence["label"] == evidence["params"]["text"]
        assert evidence["label"].startswith("经清理，市政府决定废止下列规范性文件：") and number in evidence["label"]


def test_relation_evidence_stored_as_text_is_migrated_to_codes(tmp_path):
    """A database written when relation evidence was plain text is upgraded in place: the sentence
    becomes a quote, the document's own title a title, an editor's reason an editor_relation."""
    path = tmp_path / "g.db"
    with open_store(path) as store:
        store.ingest_issue(make_issue([grain_doc(), hero_doc()]))
    conn = sqlite3.connect(path)
    with conn:
        [(rid, doc_pk)] = conn.execute("SELECT id, doc_pk FROM relations WHERE type = 'repeals'").fetchall()
        own = conn.execute("SELECT title FROM documents WHERE pk = ?", (doc_pk,)).fetchone()[0]
        conn.execute("UPDATE relations SET evidence = ? WHERE id = ?", ("原办法同时废止。", rid))
        conn.execute("INSERT INTO relations(doc_pk, position, type, target_text, target_title, target_kind, evidence)"
                     " VALUES (?, 9, 'revises', '旧办法', '旧办法', 'title', ?)", (doc_pk, own))
        conn.execute("INSERT INTO relations(doc_pk, position, type, target_text, target_title, target_kind, evidence)"
                     " VALUES (?, 10, 'repeals', '《别的办法》', '别的办法', 'editor', '编辑更正：见原件')", (doc_pk,))
        conn.execute(f"PRAGMA user_version = {_BEFORE_EVIDENCE_CODES}")
    conn.close()
    with open_store(path) as store:
        doc = next(d for d in (plain(store.get_document(i.id)) for i in store.get_issue(1).summaries) if d["relations"])
        got = {(r["type"], r["evidence"]["code"]): r["evidence"]["label"] for r in doc["relations"]}
    assert got[("repeals", "quote")] == "原办法同时废止。"
    assert got[("revises", "title")] == f"标题：{own}"
    assert got[("repeals", "editor_relation")] == "编辑更正：见原件"


_BEFORE_EVIDENCE_CODES = next(m.version for m in migrations() if m.name.endswith("_relation_evidence")) - 1


def test_relation_evidence_migration_on_both_engines(db_target):
    """The same upgrade on SQLite and PostgreSQL: a sentence stored as text becomes a quote, a
    relation already stored as a code is left as it is."""
    with open_store(db_target) as store:
        store.ingest_issue(make_issue([grain_doc(), hero_doc()]))
        store.conn.execute("UPDATE relations SET evidence = ? WHERE type = 'repeals'", ("原办法同时废止。",))
        if store.engine == "postgresql":  # autocommit
            store.conn.execute("DELETE FROM gongbao_schema WHERE version > ?", (_BEFORE_EVIDENCE_CODES,))
        else:
            store.conn.execute(f"PRAGMA user_version = {_BEFORE_EVIDENCE_CODES}")
            store.conn.commit()
    with open_store(db_target) as store:
        doc = next(d for d in (plain(store.get_document(i.id)) for i in store.get_issue(1).summaries) if d["relations"])
    evidence = {r["type"]: r["evidence"] for r in doc["relations"]}
    assert evidence["repeals"] == {"code": "quote", "params": {"text": "原办法同时废止。"}, "label": "原办法同时废止。"}
    assert all(not e["params"].get("text", "").startswith("{") for e in evidence.values() if e)  # none wrapped twice


def test_a_repeal_names_the_older_text_of_a_title_not_a_later_one():
    """A regulation dated 2019 repeals 《…办法》 of 2004; the database holds only the 2024 text of
    the same title: the repeal goes to an absent older text, while a plain citation of the
    title still reaches the 2024 text, and a text never repeals itself."""
    from gongbao.links.resolve import plan_resolution
    from gongbao.store.records import DocRef, LinkInputs, LinkRow

    title = "甲市实施《中华人民共和国乙法》办法"
    inputs = LinkInputs(
        documents=[DocRef(1, "i-2024", None, title, True, "2024-07-26"),
                   DocRef(2, "i-2019", None, "甲市丙条例", True, "2019-07-26")],
        embedded=[],
        relations=[LinkRow(1, None, title, "repeals", "i-2019", "2019-07-26"),
                   LinkRow(2, None, title, "repeals", "i-2024", "2024-07-26")],
        citations=[LinkRow(3, None, title, "cites", "i-2019", "2019-07-26")],
        title_only=set(),
    )
    out = plan_resolution(inputs)
    (older, _), (own, _) = out.relation_targets
    assert older not in ("i-2024", "i-2019", None)
    assert [doc.id for doc in out.absent] == [older]
    assert own == older  # the 2024 text repeals the older one of its name, not itself
    assert out.citation_targets == [("i-2024", 3)]


def test_a_text_stored_without_its_doc_number_is_found_by_title_and_number():
    """An interpretation's text carries no 文号 (lawref's): the newer one of the same title that
    repeals 《…解释》（法释〔2016〕29号） repeals that stored text, not a new absent twin; a 文号 of
    another year names another text, and a text with a 文号 of its own is never taken for it."""
    from gongbao.links.resolve import plan_resolution
    from gongbao.store.records import DocRef, LinkInputs, LinkRow

    title = "最高人民法院关于审理甲案件适用法律若干问题的解释"
    inputs = LinkInputs(
        documents=[DocRef(1, "i-2016", None, title, True, "2017-01-01"),
                   DocRef(2, "i-2023", "法释〔2023〕7号", title, True, "2023-08-15")],
        embedded=[],
        relations=[LinkRow(1, "法释〔2016〕29号", title, "repeals", "i-2023", "2023-08-15"),
                   LinkRow(2, "法释〔2013〕15号", title, "repeals", "i-2016", "2017-01-01")],
        citations=[],
        title_only=set(),
    )
    out = plan_resolution(inputs)
    (newer, _), (older, _) = out.relation_targets
    assert newer == "i-2016"
    assert older not in ("i-2016", "i-2023") and [doc.id for doc in out.absent] == [older]
