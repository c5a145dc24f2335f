"""Link rules on small hand-written documents in the genre's usual wording."""

from hypothesis import given, settings
from hypothesis import strategies as st

from gongbao.links import get_citations, get_relations, get_validity, status_as_of
from gongbao.labels import describe
from gongbao.models import DocNumber, Document, Embedded, Line, Notice, OutlineNode, Validity


def doc(*texts: str, **fields) -> Document:
    body = [Line(text, n, n) for n, text in enumerate(texts, start=1)]
    values = dict(
        title="", type=None, doc_number=None, issuers=[], date="2021-01-10", addressee=None,
        signatures=[], body=body, lines=(1, len(texts)),
    )
    values.update(fields)
    return Document(**values)


def relations(document, type_):
    return [r for r in get_relations(document) if r.type == type_]


REPEAL_DECISION = (
    "重庆市人民政府关于废止部分规范性文件的决定",
    "经清理，市政府决定废止下列规范性文件：",
    "1．重庆市人民政府关于加强城市管理的通知（渝府发〔2008〕12号）",
    "2．重庆市人民政府办公厅关于进一步做好",
    "农村公路养护工作的意见（渝府办发〔2009〕100号）",
    "3．《重庆市道路运输管理办法》（重庆市人民政府令第20号） 4．重庆市人民政府关于",
    "印发重庆市节能办法的通知（渝府发 [2010] 7 号）",
    "| 5 | 重庆市人民政府办公厅关于转发市财政局工作意见的通知 | 渝府办发〔2011〕3号 |",
    "本决定自印发之日起施行。",
    "重庆市人民政府",
    "2021年1月10日",
)


def test_repeal_list_items_with_their_numbers_and_titles():
    decision = doc(*REPEAL_DECISION, title=REPEAL_DECISION[0], doc_number=DocNumber("渝府发", 2021, "5"))
    found = [(str(r.target.doc_number), r.target.title, r.effective) for r in relations(decision, "repeals")]
    assert found == [
        ("渝府发〔2008〕12号", "重庆市人民政府关于加强城市管理的通知", "2021-01-10"),
        ("渝府办发〔2009〕100号", "重庆市人民政府办公厅关于进一步做好农村公路养护工作的意见", "2021-01-10"),
        ("重庆市人民政府令第20号", "重庆市道路运输管理办法", "2021-01-10"),
        ("渝府发〔2010〕7号", "重庆市人民政府关于印发重庆市节能办法的通知", "2021-01-10"),
        ("渝府办发〔2011〕3号", "重庆市人民政府办公厅关于转发市财政局工作意见的通知", "2021-01-10"),
    ]
    assert [r.lines for r in relations(decision, "repeals")] == [(3, 3), (4, 5), (6, 6), (6, 7), (8, 8)]
    assert relations(decision, "repeals")[1].evidence == Notice.of("quote", text=(
        "经清理，市政府决定废止下列规范性文件： 重庆市人民政府办公厅关于进一步做好农村公路养护工作的意见（渝府办发〔2009〕100号）"
    ))


def test_the_relations_stage_titles_its_own_mentions_only():
    """A 文号 alone in a repeal list gets its item's title in the relations stage's copy of the
    mentions; the mentions any stage reads next are as the scan found them."""
    from gongbao.links.citations import DocText, find_mentions

    decision = doc(*REPEAL_DECISION, title=REPEAL_DECISION[0], doc_number=DocNumber("渝府发", 2021, "5"))
    source = DocText(decision)
    found = [m.citation.title for m in find_mentions(source, include_own=True)]
    titled = [r.target.title for r in get_relations(decision, source=source) if r.type == "repeals"]
    assert None in found and None not in titled
    assert [m.citation.title for m in find_mentions(source, include_own=True)] == found


def test_repeal_of_several_in_one_sentence():
    measure = doc("本办法自2021年5月1日起施行，原《甲办法》（渝府发〔2001〕1号）和《乙办法》（渝府发〔2002〕2号）同时废止。")
    assert [str(r.target.doc_number) for r in relations(measure, "repeals")] == ["渝府发〔2001〕1号", "渝府发〔2002〕2号"]
    assert {r.effective for r in relations(measure, "repeals")} == {"2021-05-01"}


def test_decision_that_repeals_documents_named_after_the_keyword():
    decision = doc("市政府决定废止《重庆市甲管理办法》（渝府发〔2005〕3号）等2件规范性文件，自2021年2月1日起废止。")
    [repeal] = relations(decision, "repeals")
    assert (repeal.target.title, repeal.effective) == ("重庆市甲管理办法", "2021-02-01")


def test_repeal_without_brackets_after_yuan():
    measure = doc("本办法自2021年3月1日起施行，原重庆市城市绿化管理办法同时停止执行。")
    [repeal] = relations(measure, "repeals")
    assert (repeal.target.kind, repeal.target.title) == ("title", "重庆市城市绿化管理办法")


def test_amend_or_repeal_in_general_is_not_a_repeal():
    text = doc("认真落实《优化营商环境条例》《重庆市政务服务管理办法》，及时修订或废止不符合最新改革精神的规定。")
    assert relations(text, "repeals") == []
    assert [r.target.title for r in relations(text, "implements")] == ["优化营商环境条例", "重庆市政务服务管理办法"]


def test_forwards_and_replaces():
    notice = doc(
        "现将《国务院办公厅关于加强疫苗管理的意见》（国办发〔2020〕35号）转发给你们，请结合实际认真贯彻执行。",
        title="重庆市人民政府办公厅关于转发国务院办公厅关于加强疫苗管理的意见的通知",
    )
    [forward] = relations(notice, "forwards")
    assert forward.target.doc_number == DocNumber("国办发", 2020, "35")
    measure = doc("本规定代替《重庆市甲规定》（渝府发〔2010〕9号）。")
    [replace] = relations(measure, "replaces")
    assert replace.target.doc_number == DocNumber("渝府发", 2010, "9")


def test_revision_named_in_the_text():
    text = doc("市政府对《重庆市乙办法》（渝府发〔2012〕8号）进行了修订，现印发给你们。")
    [revision] = relations(text, "revises")
    assert revision.target.doc_number == DocNumber("渝府发", 2012, "8")


def test_plain_citations_are_cites_and_not_self():
    text = doc(
        "请各单位参考渝府发〔2019〕3号文件。本通知（渝府办发〔2021〕9号）由市政府办公厅负责解释。",
        doc_number=DocNumber("渝府办发", 2021, "9"),
    )
    assert [str(c.doc_number) for c in get_citations(text)] == ["渝府发〔2019〕3号"]
    [cites] = get_relations(text)
    assert (cites.type, cites.evidence) == ("cites", Notice.of("quote", text="请各单位参考渝府发〔2019〕3号文件。"))


def test_titles_wrapped_with_spaces_are_repaired():
    text = doc("根据《国务院关于加快 发展养老服务业的若干意见》 （国发〔2013〕 35号）精神")
    [citation] = get_citations(text)
    assert (citation.title, str(citation.doc_number)) == ("国务院关于加快发展养老服务业的若干意见", "国发〔2013〕35号")


def test_anchor_is_the_deepest_outline_node():
    article = OutlineNode("article", "第二条", 2, "", "", "art-2", (2, 3))
    chapter = OutlineNode("chapter", "第一章", 1, "总则", "", "ch-1", (1, 3), children=[article])
    text = doc("第一章 总则", "第二条 根据", "《重庆市丙条例》制定本办法。", outline=[chapter])
    [citation] = get_citations(text)
    assert (citation.lines, citation.anchor) == ((3, 3), "art-2")


def test_validity_forms():
    assert get_validity(doc("本通告自发布之日起施行。", date="2020-06-23")).effective == "2020-06-23"
    until = get_validity(doc("本办法自2019年1月1日起施行，有效期至2023年12月31日。"))
    assert (until.effective, until.expires) == ("2019-01-01", "2023-12-31")
    months = get_validity(doc("本方案自2020年3月1日起试行，试行期6个月。"))
    assert (months.expires, months.trial) == ("2020-08-31", True)
    leap = get_validity(doc("本意见自2020年2月29日起执行，有效期两年。"))
    assert leap.expires == "2022-02-28"
    assert get_validity(doc("拥有有效期内高新技术企业60家以上。")) == Validity()
    assert get_validity(doc("正文", title="重庆市丁暂行办法")).trial is True
    later = get_validity(doc("本规定自公布之日起30日后施行。", date="2021-01-10"))
    assert later.effective == "2021-02-09"
    other = get_validity(doc("各单位自2021年1月1日起执行新标准。"))
    assert other.effective is None
    # a term the document gives itself, from … to …; a term of something else says nothing
    term = get_validity(doc("本政策执行期限为2021年1月1日至2022年12月31日。"))
    assert term.expires == "2022-12-31" and term.evidence
    issued = get_validity(doc("本通知实施期限自印发之日起至2023年12月31日止。"))
    assert issued.expires == "2023-12-31"
    assert get_validity(doc("整改期限为2021年1月1日至3月31日。")).expires is None
    assert get_validity(doc("本办法执行期间，国家另有规定的，从其规定。")).expires is None


def test_validity_of_a_plan_for_one_year():
    plan = get_validity(doc("正文", title="重庆市人民政府关于印发2021年全市安全生产与自然灾害防治工作要点的通知"))
    assert plan.expires == "2021-12-31" and plan.evidence
    embedded = doc("正文", title="重庆市人民政府关于印发工作要点的通知")
    embedded.embedded = [Embedded("2019年全市农村工作要点", "要点", (1, 1))]
    assert get_validity(embedded).expires == "2019-12-31"
    # a span of years, or a plan with its own term, is not one year's
    assert get_validity(doc("正文", title="重庆市2021—2025年行动计划")).expires is None
    assert get_validity(doc("正文", title="关于做好2020年至2021年冬季工作的安排")).expires is None
    own = get_validity(doc("本要点有效期至2022年6月30日。", title="2021年全市工作要点"))
    assert own.expires == "2022-06-30"
    assert status_as_of(plan, [], "2026-01-01", issued="2021-01-05").code == "expired"


def test_status_precedence():
    validity = Validity(effective="2015-01-01", expires="2016-12-31", evidence=["本办法自2015年1月1日起施行，有效期2年。"])
    repeal = ("repeals", "doc-9", "2016-06-01", Notice.of("quote", text="原《X》同时废止。"))
    assert status_as_of(validity, [repeal], "2016-07-01").code == "repealed"
    assert status_as_of(validity, [repeal], "2016-05-01").code == "in_force"
    assert status_as_of(validity, [], "2017-01-01").code == "expired"
    assert status_as_of(validity, [], "2014-12-31").code == "not_yet_in_force"
    revised = status_as_of(validity, [("revises", "doc-10", "2016-03-01", Notice.of("quote", text="修订"))], "2016-04-01")
    assert (revised.code, revised.by) == ("revised", "doc-10")
    present = status_as_of(Validity(), [], "2021-01-01", issued="2020-05-09")
    assert present.code == "in_force"
    assert present.evidence == [Notice.of("in_force_as_of", as_of="2021-01-01")]
    assert describe(present.evidence[0]) == "截至 2021-01-01 未见废止、失效的记载"
    absent = status_as_of(Validity(), [], "2021-01-01", present=False)
    assert absent.code == "unknown" and absent.evidence


def test_forwarding_notice_named_by_its_title_only():
    notice = doc("请遵照执行。", title="重庆市人民政府办公厅关于转发市财政局关于加强专项资金管理意见的通知")
    [forward] = relations(notice, "forwards")
    assert forward.target.title == "市财政局关于加强专项资金管理意见"


def test_repeal_list_needs_a_header_line_that_ends_in_the_list():
    text = doc(
        "各单位要及时修订或废止以下情形的规定，并将清理结果于每年底报送市政府，不得拖延或者遗漏任何一件文件。",
        "1．重庆市人民政府关于加强城市管理的通知（渝府发〔2008〕12号）要继续执行。",
    )
    assert relations(text, "repeals") == []


_GENRE = st.sampled_from(
    ["《", "》", "（", "）", "(", ")", "〔2020〕", "[2019]", "号", "第12号", "令", "渝府发", "根据", "同时废止",
     "废止下列文件：", "\n1．", "、", "，", "。", "印发给你们", "转发", "有效期2年", "自2021年3月1日起施行", "本办法", " "]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_GENRE, st.text(max_size=6)), max_size=40))
def test_links_never_fail_on_genre_noise(parts):
    lines = "".join(parts).split("\n")
    document = doc(*lines, title="".join(parts)[:30])
    citations = get_citations(document)
    for relation in get_relations(document):
        assert relation.lines[0] <= relation.lines[1]
    assert all(1 <= c.lines[0] <= c.lines[1] <= len(lines) for c in citations)
    get_validity(document)


def test_the_document_naming_itself_is_not_a_citation():
    notice = doc("各经营业主要自觉遵守本《通告》的规定，违反此《通告》的依法处理。")
    assert get_citations(notice) == []


def test_repeal_decision_with_annexed_tables():
    decision = doc(
        "经清理，市政府决定对3件市政府规范性文件予以废止，对1件市政府规范性文件宣布失效。",
        "本决定自公布之日起施行。",
        "附件：1．决定废止的市政府规范性文件目录",
        "2．决定宣布失效的市政府规范性文件目录",
        "重庆市人民政府",
        "2020年12月31日",
        "附件1",
        "决定废止的市政府规范性文件目录",
        "| 序号 | 文件名称 | 文号 |",
        "| --- | --- | --- |",
        "| 1 | 重庆市人民政府关于加强 矿产资源管理的通知 | 渝府发〔2005〕1号 |",
        "| 2 | 重庆市人民政府办公厅关于印发重庆市",
        "城市照明管理办法的通知 | 渝府办发〔2006〕22号 |",
        "3\t重庆市人民政府关于水资源费征收的通知\t渝府〔2007〕3号",
        "附件2",
        "决定宣布失效的市政府规范性文件目录",
        "1．重庆市人民政府关于做好2008年春运工作的通知（渝府发〔2008〕2号）",
        date="2020-12-31",
    )
    found = [(str(r.target.doc_number), r.target.title, r.effective) for r in relations(decision, "repeals")]
    assert found == [
        ("渝府发〔2005〕1号", "重庆市人民政府关于加强矿产资源管理的通知", "2020-12-31"),
        ("渝府办发〔2006〕22号", "重庆市人民政府办公厅关于印发重庆市城市照明管理办法的通知", "2020-12-31"),
        ("渝府〔2007〕3号", "重庆市人民政府关于水资源费征收的通知", "2020-12-31"),
        ("渝府发〔2008〕2号", "重庆市人民政府关于做好2008年春运工作的通知", "2020-12-31"),
    ]


def test_repeal_list_joined_to_its_header_by_normalisation():
    decision = doc(
        "市政府决定废止下列规范性文件：1．重庆市人民政府关于加强城市管理的通知（渝府发〔2008〕12号）；"
        "2．重庆市人民政府办公厅关于农村公路养护的意见（渝府办发〔2009〕100号）；3.重庆市节能办法（渝府令第20号）。",
        "本决定自2021年2月1日起施行。",
    )
    found = [(str(r.target.doc_number), r.target.title, r.effective) for r in relations(decision, "repeals")]
    assert found == [
        ("渝府发〔2008〕12号", "重庆市人民政府关于加强城市管理的通知", "2021-02-01"),
        ("渝府办发〔2009〕100号", "重庆市人民政府办公厅关于农村公路养护的意见", "2021-02-01"),
        ("渝府令第20号", "重庆市节能办法", "2021-02-01"),
    ]


def test_two_column_list_keeps_every_number():
    decision = doc(
        "决定宣布失效以下规范性文件：",
        "1．重庆市人民政府关于加强 4．重庆市人民政府关于规范",
        "城市管理的通知（渝府发〔2008〕12号） 行政事业性收费的通知（渝府发〔2009〕3号）",
        "2．重庆市人民政府关于春运的通知（渝府发〔2008〕2号） 5．重庆市人民政府关于防汛的通知（渝府发〔2009〕8号）",
        "重庆市人民政府",
        "2021年1月10日",
    )
    numbers = sorted(str(r.target.doc_number) for r in relations(decision, "repeals"))
    assert numbers == ["渝府发〔2008〕12号", "渝府发〔2008〕2号", "渝府发〔2009〕3号", "渝府发〔2009〕8号"]
