"""gongbao ask over a small hand-made database: ranking, no-answer, curated answers, staleness,
interpretations, and the CLI commands.  The documents are built with the shared models (not
the parser) so that these tests pin Q&A behaviour alone."""

from __future__ import annotations

import hashlib
import json
import sys
import types

import pytest
from typer.testing import CliRunner

from gongbao.cli import app
from gongbao.docnumber import parse_doc_number
from gongbao.errors import InputError, NotFoundError
from gongbao.links import link_document
from gongbao.links.resolve import resolve_citations
from gongbao.models import Document, Embedded, Gazette, Issue, Line, Notice, OutlineNode, SourceInfo, Status
from gongbao.search.ask import ask
from gongbao.search.curated import (
    add_entry, dump_entries, entry_from_dict, entry_view, import_entries, list_entries, load_entries,
)
from gongbao.search.interpret import interpretations_of, link_interpretation
from gongbao.store import open_store

GRAIN = [
    ("art-3", "第三条", "超标粮食是指重金属、真菌毒素、农药残留等有毒有害物质含量超过国家食品安全标准的稻谷、小麦等原粮。"),
    ("art-16", "第十六条", "政策性粮食收储企业收购入库的政策性粮食超过国家食品安全标准，其超标粮食处置费用自行承担。"),
    ("art-17", "第十七条", "对超标粮食实行召回制度和分类处置。召回的粮食符合饲料安全标准的，可用作饲料原料；"
                           "不符合食品和饲料安全标准的，应当用作其他工业原料。"),
    ("art-20", "第二十条", "企业销售超标粮食应按照规定程序出库，并在出库前3个工作日内向所在地粮食行政管理部门报告。"),
]
LOANS = [
    ("s-1", "一", "设立风险补偿基金", "区政府从区产业发展基金中划拨部分风险补偿专项资金，专项用于补偿合作银行的中小企业贷款损失。"),
    ("s-2", "二", "对贷款损失进行风险补偿", "对合作银行发放给中小企业的贷款发生损失的，由风险补偿基金与银行按5:5的比例分担本金损失。"),
    ("s-3", "三", "成立工作小组", "工作小组下设办公室，办公室设在区财政局，负责统筹协调中小企业风险补偿贷款工作。"),
]


def _doc(title, number, date, nodes, first_line, preamble=()):
    body = [Line(title, first_line, first_line)] + [Line(t, first_line + 1 + i, first_line + 1 + i) for i, t in enumerate(preamble)]
    outline, line = [], first_line + 1 + len(preamble)
    for node in nodes:
        if len(node) == 3:
            anchor, number_text, text = node
            heading, level = "", "article"
            body.append(Line(f"{number_text} {text}", line, line))
        else:
            anchor, number_text, heading, text = node
            level = "l1"
            body.append(Line(f"{number_text}、{heading}。{text}", line, line))
        outline.append(OutlineNode(level, number_text, None, heading, text, anchor, (line, line)))
        line += 1
    if not nodes:
        body = [Line(t, line + i, line + i) for i, t in enumerate(date[1])]
        date = date[0]
        line += len(body)
    return Document(
        title=title, type=None, doc_number=parse_doc_number(number) if number else None, issuers=["测试市人民政府"],
        date=date, addressee=None, signatures=[], body=body, lines=(first_line, line), outline=outline,
    )


def _issue(documents, key="测试"):
    sha = hashlib.sha256(key.encode()).hexdigest()
    return Issue(
        gazette=Gazette(name=f"{key}政府公报", year=2021, issue=1), documents=documents, articles=[], toc=[],
        reconciliation=[], unassigned=[], source=SourceInfo(f"{key}.txt", sha, "utf-8", 100, 100),
    )


@pytest.fixture()
def db(db_target):
    path = db_target  # each engine (tests/conftest.py)
    docs = [
        _doc("测试市人民政府办公厅关于印发测试市超标粮食处置管理办法（试行）的通知", "测府办发〔2020〕142号", "2020-12-31",
             GRAIN, 10),
        _doc("测试区人民政府关于开展中小企业风险补偿贷款的意见", "测区府发〔2014〕35号", "2014-11-04", LOANS, 40,
             preamble=["各镇人民政府、街道办事处，区政府各部门，有关单位：",
                       "风险补偿贷款是指区政府设立风险补偿基金、由合作银行放大比例向中小企业发放的贷款。"]),
        _doc("关于《测试市超标粮食处置管理办法（试行）》的政策解读", None, "2021-01-05",
             [("s-1", "一", "出台背景", "为防止超标粮食流入口粮市场，制定本办法。")], 60),
        _doc("测试区人民政府关于授予某某见义勇为先进分子称号的决定", "测区府发〔2020〕14号",
             ("2020-06-23", ["为表彰先进，区政府决定授予某某“见义勇为先进分子”称号，奖励人民币10000元。",
                             "希望全区广大干部群众以某某同志为榜样。"]), [], 80),
    ]
    with open_store(path) as store:
        store.ingest_issue(_issue(docs))
    return path


@pytest.fixture()
def st(db):
    store = open_store(db)
    yield store
    store.close()


def test_answer_is_the_clause_with_the_sentence(st):
    result = ask(st, "企业贷款逾期后银行能拿到多少补偿")
    top = result.answers[0]
    assert (top["doc_number"], top["anchor"], top["source"]) == ("测区府发〔2014〕35号", "s-2", "retrieved")
    assert "5:5" in top["sentence"] and top["sentence"] in top["text"]
    assert top["title"] == "测试区人民政府关于开展中小企业风险补偿贷款的意见"
    assert top["date"] == "2014-11-04" and top["issuers"] == ["测试市人民政府"]
    assert top["status"] in ("in_force", "unknown") and top["warning"] is None


@pytest.mark.parametrize(
    ("question", "anchor"),
    [
        ("什么是超标粮食", "art-3"),
        ("召回的超标粮食能做饲料吗", "art-17"),
        ("超标粮食的处置费用谁出", "art-16"),
        ("卖超标粮食出库前几天要报告", "art-20"),
        ("风险补偿贷款工作小组办公室设在哪里", "s-3"),
    ],
)
def test_passage_level_ranking(st, question, anchor):
    assert ask(st, question).answers[0]["anchor"] == anchor


def test_an_article_s_children_are_read_once_per_database(st, monkeypatch):
    # a worker's questions share their laws: the second asking reads no article's children again
    first = ask(st, "召回的超标粮食能做饲料吗")
    calls, child_nodes = [], type(st).child_nodes
    monkeypatch.setattr(type(st), "child_nodes", lambda self, ids: calls.append(list(ids)) or child_nodes(self, ids))
    again = ask(st, "召回的超标粮食能做饲料吗")
    assert again.answers == first.answers and first.answers and calls == []


def test_text_before_the_first_heading_is_a_passage(st):
    top = ask(st, "什么是风险补偿贷款").answers[0]
    assert (top["doc_number"], top["anchor"]) == ("测区府发〔2014〕35号", "pre-1")
    assert top["sentence"].startswith("风险补偿贷款是指")


def test_document_without_outline_answers_by_paragraph(st):
    top = ask(st, "见义勇为奖励多少钱").answers[0]
    assert top["doc_number"] == "测区府发〔2020〕14号" and top["anchor"] == "p-1"
    assert "10000元" in top["sentence"]


@pytest.mark.parametrize("question", ["明天会不会下雨", "哪家火锅最好吃", "怎么注册抖音账号", "   "])
def test_nothing_answers_unrelated_questions(st, question):
    assert ask(st, question).answers == []


def test_a_thing_the_question_names_must_be_in_the_answering_document(st):
    # the same words as a question the grain rules answer, but about Korea's: they never name it
    assert ask(st, "召回的超标粮食能做饲料吗").answers
    assert ask(st, "韩国召回的超标粮食能做饲料吗").answers == []


def test_a_question_asking_a_time_is_answered_only_by_a_clause_stating_one(st):
    # 三、 names the office and where it sits, not when it was set up: no answer, not that clause
    assert ask(st, "工作小组办公室什么时候成立的").answers == []
    assert ask(st, "超标粮食出库前几天要报告").answers[0]["anchor"] == "art-20"  # 出库前3个工作日内


def test_a_question_asking_for_money_is_answered_only_by_a_clause_stating_a_sum(st):
    # 第十六条 says who bears the cost of handling, not how much it is
    assert ask(st, "超标粮食处置费用由谁承担").answers[0]["anchor"] == "art-16"
    assert ask(st, "超标粮食处置费用要交多少钱").answers == []
    assert ask(st, "贷款损失风险补偿基金和银行各分担百分之几").answers == []  # 5:5, no percentage stated
    assert ask(st, "见义勇为先进分子奖励多少钱").answers[0]["anchor"] == "p-1"  # 人民币10000元


def test_limit(st):
    assert len(ask(st, "超标粮食", limit=2).answers) == 2


def _repealed_resolver(monkeypatch, repealed_numbers):
    """Install a stand-in for the link resolver that says which documents are repealed."""
    module = types.ModuleType("gongbao.links.resolve")

    def document_status(store, doc_id, as_of):
        code = "repealed" if store.doc_refs_by_id([doc_id])[doc_id].doc_number in repealed_numbers else "in_force"
        return Status(code=code, as_of=as_of, evidence=[Notice.of("quote", text="测试依据")])

    module.document_status = document_status
    monkeypatch.setitem(sys.modules, "gongbao.links.resolve", module)


def test_repealed_source_is_warned(st, monkeypatch):
    _repealed_resolver(monkeypatch, {"测区府发〔2014〕35号"})
    top = ask(st, "企业贷款逾期后银行能拿到多少补偿").answers[0]
    assert top["status"] == "repealed" and top["status_label"] == "已废止"
    assert "已废止" in top["warning"] and [e["label"] for e in top["status_evidence"]] == ["测试依据"]


def test_validity_question_names_a_law_by_its_short_name(st):
    law = _doc("中华人民共和国测试法", None, "2019-01-01", [("art-1", "第一条", "为了测试，制定本法。")], 90)
    st.ingest_issue(_issue([law], key="法律"))
    result = ask(st, "测试法现在还管用不")
    assert result.intent == "validity" and result.validity["title"] == "中华人民共和国测试法"
    # the year a question names is the 文号's or the date's
    assert ask(st, "2014年那个中小企业风险补偿贷款的文件还有效没").validity["doc_number"] == "测区府发〔2014〕35号"



def test_validity_question_names_a_repealed_text_known_only_by_its_successor(st):
    # a bare name that is only a stub counts when another text decided its status (not when it
    # is merely cited), and a place before the name stays part of it
    new = _doc("重庆市遗体和器官捐献条例", None, "2016-03-31",
               [("art-1", "第一条", "为了规范遗体和器官捐献，制定本条例。"),
                ("art-50", "第五十条", "本条例自2016年5月1日起施行。《重庆市遗体捐献条例》同时废止。")], 120)
    national = _doc("遗体捐献条例", None, "2010-01-01", [("art-1", "第一条", "为了规范遗体捐献，制定本条例。")], 140)
    for doc in (new, national):
        link_document(doc)
    st.ingest_issue(_issue([new, national], key="条例"))
    with st.transaction():
        resolve_citations(st)
    result = ask(st, "我想捐遗体，重庆市遗体捐献条例现在还有效不")
    assert result.validity["title"] == "重庆市遗体捐献条例" and result.validity["status"] == "repealed"



def test_validity_question_reaches_the_text_an_order_promulgates_and_its_predecessor(st, db):
    # a 令 is stored under its 令's title, the 办法 it promulgates as its embedded text; the old 办法
    # of the same name is known only as the 令 number it repeals
    order = _doc("测试市人民政府令", "测试市人民政府令第340号", "2021-01-16",
                 [("art-1", "第一条", "为了规范内部审计工作，制定本办法。"),
                  ("art-45", "第四十五条", "本办法自2021年3月1日起施行。《测试市内部审计工作办法》（测试市人民政府令第10号）同时废止。")],
                 150)
    order.embedded = [Embedded("测试市内部审计工作办法", "办法", (151, 152))]
    link_document(order)
    st.ingest_issue(_issue([order], key="令"))
    with st.transaction():
        resolve_citations(st)
    new = ask(st, "2021年新出的那个测试市内部审计工作办法现在还管用不").validity
    assert (new["doc_number"], new["status"]) == ("测试市人民政府令第340号", "in_force")
    # by its 令 number without the organ's name, on a day before the repeal took effect
    old = ask(st, "那时候单位审计还是按市政府令第10号的内部审计办法来吗", as_of="2020-10-15").validity
    assert (old["doc_number"], old["status"]) == ("测试市人民政府令第10号", "in_force")
    assert [e["code"] for e in old["evidence"]] == ["in_force_as_of", "pending_repeal"]
    assert ask(st, "测试市人民政府令第10号还有效吗").validity["status"] == "repealed"
    # the command line says why under the status line
    shown = runner.invoke(app, ["ask", "测试市人民政府令第10号还有效吗", "--db", str(db), "--as-of", "2020-10-15"]).output
    assert "效力：测试市人民政府令第10号 《测试市内部审计工作办法》 现行有效\n  截至 2020-10-15 未见废止" in shown
    assert "\n  将自 2021-03-01 起废止：" in shown


def test_a_question_reads_one_state_while_an_upload_replaces_its_issue(db, monkeypatch):
    # the portal answers while an editor uploads: the issue replaced between the question's
    # first reads and its later ones gave its documents new keys, and the later reads lost them
    import gongbao.search.ask as ask_module

    retrieve = ask_module.retrieve
    with open_store(db) as reader, open_store(db) as writer:
        def retrieve_then_replace(*args, **kwargs):
            found = retrieve(*args, **kwargs)
            loans = _doc("测试区人民政府关于开展中小企业风险补偿贷款的意见", "测区府发〔2014〕35号", "2014-11-04",
                         LOANS[:1], 40)
            issue = _issue([loans])
            issue.source.sha256 = hashlib.sha256("改过的一期".encode()).hexdigest()
            assert writer.ingest_issue(issue, raw="改过的一期").status == "replaced"
            return found

        monkeypatch.setattr(ask_module, "retrieve", retrieve_then_replace)
        top = ask(reader, "企业贷款逾期后银行能拿到多少补偿").answers[0]
        assert (top["doc_number"], top["anchor"]) == ("测区府发〔2014〕35号", "s-2") and "5:5" in top["sentence"]
        monkeypatch.setattr(ask_module, "retrieve", retrieve)
        # the next question sees the upload
        assert all(a["anchor"] != "s-2" for a in ask(reader, "企业贷款逾期后银行能拿到多少补偿").answers)


GRAIN_ENTRY = {
    "key": "grain",
    "questions": ["超标粮食怎么处置", "粮食重金属超标了怎么办"],
    "answer": "超标粮食实行召回制度和分类处置：符合饲料安全标准的用作饲料原料，否则用作其他工业原料。",
    "sources": [{"doc": "测府办发[2020]142号", "anchor": "art-17"}],
}


def test_curated_answer_is_served_first(st):
    add_entry(st, entry_from_dict(GRAIN_ENTRY))
    answers = ask(st, "粮食重金属超标怎么办").answers
    assert answers[0]["source"] == "curated" and answers[0]["key"] == "grain"
    assert answers[0]["doc_number"] == "测府办发〔2020〕142号" and answers[0]["anchor"] == "art-17"
    assert answers[1]["source"] == "retrieved"
    assert ask(st, "企业贷款逾期后银行能拿到多少补偿").answers[0]["source"] == "retrieved"


def test_curated_answer_goes_stale_when_its_source_is_repealed(st, monkeypatch):
    add_entry(st, entry_from_dict(GRAIN_ENTRY))
    _repealed_resolver(monkeypatch, set())
    assert entry_view(st, list_entries(st)[0])["stale"] is False
    _repealed_resolver(monkeypatch, {"测府办发〔2020〕142号"})
    view = entry_view(st, list_entries(st)[0])
    assert view["stale"] is True and "测府办发〔2020〕142号" in view["warning"]
    curated = ask(st, "超标粮食怎么处置").answers[0]
    assert curated["source"] == "curated" and curated["stale"] is True and curated["status"] == "repealed"


def test_curated_source_not_in_database_is_refused_by_add_and_flagged_on_import(st):
    entry = entry_from_dict(GRAIN_ENTRY | {"sources": [{"doc": "某府发〔2099〕1号"}]})
    with pytest.raises(InputError, match="依据文件不存在"):
        add_entry(st, entry)
    with pytest.raises(InputError, match="没有条款"):
        add_entry(st, entry_from_dict(GRAIN_ENTRY | {"sources": [{"doc": "测府办发[2020]142号", "anchor": "art-99"}]}))
    assert list_entries(st) == []
    import_entries(st, [entry])  # a shared base may name texts this database lacks: kept, flagged
    view = entry_view(st, list_entries(st)[0])
    source = view["sources"][0]
    assert source["found"] is False and source["status_label"] == "不在数据库中" and view["review"] is True


def test_curated_anchor_by_printed_label_and_flagged_when_its_clause_changes(st):
    add_entry(st, entry_from_dict(GRAIN_ENTRY | {"sources": [{"doc": "测府办发[2020]142号", "anchor": "第十七条"}]}))
    entry = list_entries(st)[0]
    assert entry.sources[0]["anchor"] == "art-17" and entry.sources[0]["clause_text"].startswith("对超标粮食实行召回制度")
    view = entry_view(st, entry)
    assert view["review"] is False and view["sources"][0]["label"] == "第十七条"
    st.conn.execute("UPDATE outline_nodes SET text = '对超标粮食一律销毁。', text_start = NULL, text_end = NULL"
                    " WHERE anchor = 'art-17'")  # the node's own text, no longer a span of its document's
    view = entry_view(st, list_entries(st)[0])
    assert view["review"] is True and "第十七条的内容已变化" in view["warning"]
    st.conn.execute("UPDATE outline_nodes SET anchor = 'art-170' WHERE anchor = 'art-17'")  # re-parsed differently
    assert "已不存在" in entry_view(st, list_entries(st)[0])["warning"]


def test_export_import_round_trip(st):
    add_entry(st, entry_from_dict(GRAIN_ENTRY))
    for fmt in ("yaml", "json"):
        text = dump_entries(list_entries(st), fmt)
        st.conn.execute("DELETE FROM qa_entries")
        assert import_entries(st, load_entries(text)) == 1
        source = list_entries(st)[0].to_dict()["sources"][0]
        assert (source["doc"], source["anchor"]) == ("测府办发[2020]142号", "art-17")
        assert source["clause_text"].startswith("对超标粮食实行召回制度")


@pytest.mark.parametrize(
    "text",
    ["entries: 5", "entries:\n  - questions: [问]\n", "entries:\n  - answer: 答\n", "entries:\n  - {questions: [问], answer: 答, sources: [{anchor: art-1}]}\n",
     "[1, 2", "entries:\n  - {key: a, questions: [问], answer: 答}\n  - {key: a, questions: [问], answer: 答}\n"],
)
def test_bad_import_is_a_clear_error(st, text):
    with pytest.raises(InputError):
        import_entries(st, load_entries(text))


def test_interpretation_found_from_its_title_both_ways(st):
    grain_id = st.conn.execute("SELECT id FROM documents WHERE doc_number = '测府办发〔2020〕142号'").fetchone()["id"]
    links = interpretations_of(st, grain_id)
    assert [(l["title"], l["direction"], l["origin"]) for l in links] == [
        ("关于《测试市超标粮食处置管理办法（试行）》的政策解读", "interpreted_by", "title")]
    back = interpretations_of(st, links[0]["id"])
    assert [(l["doc_number"], l["direction"]) for l in back] == [("测府办发〔2020〕142号", "interprets")]
    top = ask(st, "超标粮食的处置费用谁出").answers[0]
    assert top["interpretations"][0]["direction"] == "interpreted_by"


def test_editor_links_an_interpretation(st):
    loans = "测区府发〔2014〕35号"
    link_interpretation(st, "测区府发〔2020〕14号", loans)
    loans_id = st.conn.execute("SELECT id FROM documents WHERE doc_number = ?", (loans,)).fetchone()["id"]
    assert [(l["doc_number"], l["direction"], l["origin"]) for l in interpretations_of(st, loans_id)] == [
        ("测区府发〔2020〕14号", "interpreted_by", "editor")]
    with pytest.raises(NotFoundError):
        link_interpretation(st, "不存在的文件", loans)


# --- the CLI ---------------------------------------------------------------------------------

runner = CliRunner()


def test_cli_ask_json(db):
    result = runner.invoke(app, ["ask", "企业贷款逾期后银行能拿到多少补偿", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["question"] == "企业贷款逾期后银行能拿到多少补偿"
    top = data["answers"][0]
    assert {"doc_number", "title", "anchor", "text", "sentence", "score", "status", "source"} <= set(top)
    assert top["anchor"] == "s-2"


def test_cli_ask_text_marks_sentence_and_says_when_nothing_answers(db):
    out = runner.invoke(app, ["ask", "企业贷款逾期后银行能拿到多少补偿", "--db", str(db)]).output
    assert "【对合作银行发放给中小企业的贷款发生损失的，由风险补偿基金与银行按5:5的比例分担本金损失。】" in out
    assert "》 二  (score" in out and "#s-2" not in out  # the clause as printed
    none = runner.invoke(app, ["ask", "明天会不会下雨", "--db", str(db)])
    assert none.exit_code == 0 and "没有找到" in none.output


def test_cli_qa_add_list_export_import(db, tmp_path):
    add = runner.invoke(app, ["qa", "add", "--db", str(db), "-q", "超标粮食怎么处置", "-q", "粮食重金属超标了怎么办",
                              "-a", "实行召回制度和分类处置。", "-s", "测府办发〔2020〕142号#art-17", "--key", "grain"])
    assert add.exit_code == 0, add.output
    listed = runner.invoke(app, ["qa", "list", "--db", str(db)]).output
    assert "grain" in listed and "超标粮食怎么处置" in listed and "第十七条" in listed and "art-17" not in listed
    out = tmp_path / "base.json"
    assert runner.invoke(app, ["qa", "export", "--db", str(db), "--out", str(out)]).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [(s["doc"], s["anchor"]) for s in data["entries"][0]["sources"]] == [("测府办发〔2020〕142号", "art-17")]
    missing = runner.invoke(app, ["qa", "add", "--db", str(db), "-q", "问", "-a", "答", "-s", "测府办发〔2020〕142号#第九十九条"])
    assert missing.exit_code == 1 and "没有条款" in str(missing.exception)  # gongbao.cli.main prints it, no traceback
    assert runner.invoke(app, ["qa", "delete", "grain", "--db", str(db)]).exit_code == 0
    assert "no curated answers" in runner.invoke(app, ["qa", "list", "--db", str(db)]).output
    assert runner.invoke(app, ["qa", "import", str(out), "--db", str(db)]).exit_code == 0
    asked = json.loads(runner.invoke(app, ["ask", "超标粮食怎么处置", "--db", str(db), "--format", "json"]).output)
    assert asked["answers"][0]["source"] == "curated"


def test_a_law_held_twice_answers_once_and_from_its_version_in_force(db):
    old = [("art-5", "第五条", "养犬人每户只能饲养一条犬。")]
    new = [("art-5", "第五条", "养犬人每户只能饲养一条犬，不得饲养烈性犬和大型犬。")]
    with open_store(db) as store:
        for key, date, nodes in (("养犬甲", "2015-01-01", old), ("养犬乙", "2015-01-01", old),
                                 ("养犬丙", "2022-01-01", new)):
            store.ingest_issue(_issue([_doc("测试市养犬管理条例", None, date, nodes, 10)], key=key))
        answers = ask(store, "养犬人每户能饲养几条犬", as_of="2023-01-01").answers
        assert [a["date"] for a in answers] == ["2022-01-01", "2015-01-01"]  # the 2015 text once, after
        assert [a["date"] for a in ask(store, "养犬人每户能饲养几条犬", as_of="2020-01-01").answers] == ["2015-01-01"]


def test_the_miner_reads_definitions_and_organs_from_a_store(db_target):
    from gongbao.search.mine import mine

    doc = _doc("测试市劳动报酬支付办法", "测府发〔2021〕1号", "2021-01-01", [
        ("art-2", "第二条", "本办法所称劳动报酬，是指工资、奖金和津贴。"),
        ("art-3", "第三条", "本办法所称童工，是指未满十六周岁的未成年人。"),
        ("art-9", "第九条", "市人力资源和社会保障局负责本办法的实施。"),
    ], 10)
    with open_store(db_target) as store:
        store.ingest_issue(_issue([doc], key="挖掘"))
        groups = mine(store)["groups"]
    assert {"source": "abbreviation", "words": ["人社局", "人力资源和社会保障局", "人力资源社会保障局"]} in groups
    assert {"source": "definition", "words": ["劳动报酬", "奖金", "工资", "津贴"]} in groups
    assert {"source": "definition", "words": ["童工", "未成年人"]} in groups
