"""Document-level retrieval of the law a question means (search.laws): a text's profile — its
title and short names, a book's name, its chapter headings and first article — reaches the law
whose clauses must be candidates, even when another text uses the question's words more."""

from __future__ import annotations

import pytest

from gongbao.models import Document, Line, OutlineNode
from gongbao.search import ask as ask_module
from gongbao.search.ask import corpus_stats, retrieve
from gongbao.search.laws import laws_meant, short_forms
from gongbao.search.question import understand
from gongbao.search.thesaurus import load_thesaurus
from gongbao.store import open_store
from test_ask_store import _issue


def _law(title, opening, chapters, issuers=("全国人民代表大会常务委员会",)):
    """A law with chapters (heading, [(article number, text)]) and an opening line before them."""
    body, outline, line = [Line(title, 1, 1), Line(opening, 2, 2)], [], 3
    for c, (heading, articles) in enumerate(chapters, start=1):
        body.append(Line(f"第{c}章 {heading}", line, line))
        chapter = OutlineNode("chapter", f"第{c}章", c, heading, "", f"ch-{c}", (line, line))
        line += 1
        for number, text in articles:
            body.append(Line(f"{number} {text}", line, line))
            chapter.children.append(OutlineNode("article", number, None, "", text, f"art-{line}", (line, line)))
            line += 1
        outline.append(chapter)
    return Document(title=title, type=None, doc_number=None, issuers=list(issuers), date="2021-01-01",
                    addressee=None, signatures=[], body=body, lines=(1, line), outline=outline)


HEARING = _law("中华人民共和国行政处罚法", "总则", [
    ("总则", [("第一条", "为了规范行政处罚的设定和实施，保障和监督行政机关有效实施行政管理，制定本法。")]),
    ("听证程序", [("第二条", "当事人要求听证的，行政机关应当组织听证。当事人不承担行政机关组织听证的费用。")]),
])
CONSUMERS = _law("中华人民共和国消费者权益保护法", "总则", [
    ("总则", [("第一条", "为保护消费者的合法权益，维护社会经济秩序，制定本法。")]),
    ("经营者的义务", [("第二条", "经营者提供商品或者服务有欺诈行为的，应当按照消费者的要求增加赔偿其受到的损失。")]),
])
CONTRACTS = _law("中华人民共和国民法典", "合同编", [
    ("一般规定", [("第一条", "本编调整因合同产生的民事关系。"), ("第二条", "定金的数额由当事人约定；但是，不得超过主合同标的额的百分之二十。")]),
])
# a police rule that uses the question's words more often than the law does, in its articles
POLICE = _law("公安机关办理案件程序规定", "总则", [
    ("总则", [("第一条", "为了规范公安机关办理案件程序，制定本规定。")]),
    ("处罚决定", [("第二条", "罚款数额较大的，公安机关告知当事人有要求听证的权利；当事人要求听证的，听证费用、罚款听证另行通知。")]),
], issuers=("公安部",))
ELSEWHERE = _law("测试市行政处罚听证程序条例", "总则", [
    ("听证程序", [("第一条", "为了规范本市行政处罚听证程序，制定本条例。")]),
], issuers=("测试市人民代表大会常务委员会",))

CHONGQING = _law("重庆市物业管理条例", "总则", [
    ("总则", [("第一条", "为了规范物业管理活动，结合重庆市实际，制定本条例。")]),
], issuers=("重庆市人民代表大会常务委员会",))


@pytest.fixture()
def st(db_target):
    with open_store(db_target) as store:
        store.ingest_issue(_issue([HEARING, CONSUMERS, CONTRACTS, POLICE, ELSEWHERE, CHONGQING], key="法律"))
    store = open_store(db_target)
    yield store
    store.close()


def _titles(store, pks):
    return [store.doc_ref(pk).title for pk in pks]


def _question(store, text):
    return understand(text, load_thesaurus([]), lambda word: 1)


def test_short_forms_by_generic_rules():
    assert short_forms("中华人民共和国消费者权益保护法")[:2] == ["消费者权益保护法", "消保法"]
    assert short_forms("中华人民共和国劳动法") == ["劳动法"]
    assert short_forms("重庆市物业管理条例")[0] == "物业管理条例"


@pytest.mark.parametrize(("question", "law"), [
    ("被罚了一笔款，可不可以要求听证", "中华人民共和国行政处罚法"),  # a chapter heading: 听证程序
    ("消保法规定欺诈要赔多少", "中华人民共和国消费者权益保护法"),  # a short name
    ("合同编里定金最多多少", "中华人民共和国民法典"),  # a book's name
])
def test_the_law_a_question_means(st, question, law):
    assert law in _titles(st, laws_meant(st, _question(st, question), None))


def test_another_regions_law_is_not_meant(st):
    question = _question(st, "被罚了一笔款，可不可以要求听证")
    assert "测试市行政处罚听证程序条例" in _titles(st, laws_meant(st, question, None))
    assert "测试市行政处罚听证程序条例" not in _titles(st, laws_meant(st, question, "重庆"))


def test_a_place_word_means_no_law(st):
    """重庆 in a question says where the asker is, not which law: a city's text is not meant for
    the place in its title."""
    assert laws_meant(st, _question(st, "重庆市好不好"), None) == []
    assert "重庆市物业管理条例" in _titles(st, laws_meant(st, _question(st, "重庆市物业管理好不好"), None))


def test_a_words_profile_counts_are_kept(st):
    """A word's counts over the profiles are kept for the next question (each look-up scans them
    all), and are what a scan of the profiles gives."""
    laws_meant(st, _question(st, "可不可以要求听证"), None)
    kept = st.kept("qa law profile hits", dict)
    pks, _, starts, joined = st.kept("qa law profiles", None, lasting=True)
    texts = joined.split("\x00")
    assert kept["听证"] == {i: text.count("听证") for i, text in enumerate(texts) if "听证" in text}


def test_the_meant_laws_clauses_are_candidates(st, monkeypatch):
    """With no clause from the index and none from the best documents, the clause that answers
    still comes from the law the question means."""
    monkeypatch.setattr(ask_module, "CLAUSE_DOCUMENTS", 0)
    question = _question(st, "被罚了一笔款，可不可以要求听证")
    passages = retrieve(st, question, corpus_stats(st, list(question.terms)), limit=0, region="重庆")
    assert any("不承担行政机关组织听证的费用" in p.text for p in passages)
