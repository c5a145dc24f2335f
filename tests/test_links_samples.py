"""Links and validity on real sample documents.

The documents are built here from slices of the sample files (one ``Line`` per non-empty
source line), so these tests do not depend on the issue parser.  Every expectation was read
by hand from samples/*.txt.
"""

from pathlib import Path

import pytest

from gongbao.docnumber import parse_doc_number
from gongbao.links import get_citations, get_relations, get_validity, status_as_of
from gongbao.models import DocNumber, Document, Embedded, Line, Notice

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def sample_doc(name: str, *ranges: tuple[int, int], **fields) -> Document:
    source = (SAMPLES / name).read_text(encoding="utf-8").split("\n")
    body = [
        Line(source[n - 1].strip(), n, n)
        for first, last in ranges
        for n in range(first, last + 1)
        if source[n - 1].strip()
    ]
    values = dict(
        title="", type=None, doc_number=None, issuers=[], date=None, addressee=None,
        signatures=[], body=body, lines=(ranges[0][0], ranges[-1][1]),
    )
    values.update(fields)
    return Document(**values)


def by_type(relations, type_):
    return [r for r in relations if r.type == type_]


@pytest.fixture(scope="module")
def grain():
    """重庆市超标粮食处置管理办法(试行), covering notice 渝府办发〔2020〕142号 (issue 2021-3)."""
    return sample_doc(
        "001_d623b5fea1a4ae50.txt", (429, 534),
        title="重庆市人民政府办公厅关于印发重庆市超标粮食处置管理办法(试行)的通知",
        doc_number=parse_doc_number("渝府办发〔2020〕142号"), date="2020-12-31",
        embedded=[Embedded("重庆市超标粮食处置管理办法(试行)", "办法", (441, 533))],
    )


def test_grain_repeal_clause(grain):
    [repeal] = by_type(get_relations(grain), "repeals")
    assert repeal.target.doc_number == DocNumber("渝府办发", 2015, "208")
    assert repeal.target.title == "重庆市人民政府办公厅关于印发重庆市超标粮食处理管理工作的通知"
    assert repeal.lines == (533, 533)
    assert repeal.evidence.get("text") == "《重庆市人民政府办公厅关于印发重庆市超标粮食处理管理工作的通知》（渝府办发〔2015〕208号）同时废止。"
    assert repeal.effective == "2020-12-31"  # 自印发之日起试行, 成文日期 2020年12月31日


def test_grain_issues_its_measures_and_is_a_trial(grain):
    [issued] = by_type(get_relations(grain), "issues")
    assert issued.target.title == "重庆市超标粮食处置管理办法(试行)"
    assert issued.lines == (435, 435)
    validity = get_validity(grain)
    assert (validity.effective, validity.expires, validity.trial) == ("2020-12-31", None, True)


def test_grain_citations(grain):
    cited = [(c.kind, c.title, c.doc_number and str(c.doc_number)) for c in get_citations(grain)]
    assert cited == [
        ("title", "中华人民共和国食品安全法", None),
        ("title", "粮食流通管理条例", None),
        ("title", "粮食质量安全监管办法", None),
        ("title", "粮食流通管理条例", None),
        ("title", "粮食质量安全监管办法", None),
        ("doc_number", "重庆市人民政府办公厅关于印发重庆市超标粮食处理管理工作的通知", "渝府办发〔2015〕208号"),
    ]
    implements = by_type(get_relations(grain), "implements")
    assert [r.target.title for r in implements] == ["中华人民共和国食品安全法", "粮食流通管理条例", "粮食质量安全监管办法"]


@pytest.fixture(scope="module")
def audit():
    """重庆市人民政府令第340号: 重庆市内部审计工作办法."""
    return sample_doc(
        "001_d623b5fea1a4ae50.txt", (70, 339),
        title="重庆市内部审计工作办法", type="令",
        doc_number=DocNumber("重庆市人民政府令", None, "340"), date="2021-01-16",
        embedded=[Embedded("重庆市内部审计工作办法", "办法", (80, 339))],
    )


def test_audit_repeals_order_10(audit):
    [repeal] = by_type(get_relations(audit), "repeals")
    assert repeal.target.doc_number == DocNumber("重庆市人民政府令", None, "10")
    assert repeal.target.kind == "order"
    assert repeal.target.title == "重庆市内部审计工作办法"
    assert repeal.evidence == Notice.of("quote", text="《重庆市内部审计工作办法》(重庆市人民政府令第10号)同时废止。")
    assert (repeal.lines, repeal.effective) == ((339, 339), "2021-03-01")


def test_audit_validity_and_status(audit):
    validity = get_validity(audit)
    assert validity.effective == "2021-03-01" and not validity.trial
    assert status_as_of(validity, [], "2021-02-01", issued=audit.date).code == "not_yet_in_force"
    assert status_as_of(validity, [], "2021-03-01", issued=audit.date).code == "in_force"
    [repeal] = by_type(get_relations(audit), "repeals")
    incoming = [("repeals", "order-340", repeal.effective, repeal.evidence)]
    old = status_as_of(get_validity(sample_doc("001_d623b5fea1a4ae50.txt", (72, 72))), incoming, "2021-06-01", present=False)
    assert (old.code, old.by, old.since) == ("repealed", "order-340", "2021-03-01")
    assert old.evidence == [repeal.evidence]
    before = status_as_of(get_validity(sample_doc("001_d623b5fea1a4ae50.txt", (72, 72))), incoming, "2021-02-28", present=False)
    # repealed only from 2021-03-01: in force the day before, the coming repeal its evidence
    assert before.code == "in_force" and before.evidence[-1].code == "pending_repeal"


@pytest.fixture(scope="module")
def sme_loans():
    """永川府发〔2014〕35号: 关于开展中小企业风险补偿贷款的意见."""
    return sample_doc(
        "000_3749d94f9519a7ed.txt", (777, 821),
        title="重庆市永川区人民政府关于开展中小企业风险补偿贷款的意见", type="意见",
        doc_number=parse_doc_number("永川府发〔2014〕35号"), date="2014-11-04",
    )


def test_sme_two_year_validity(sme_loans):
    validity = get_validity(sme_loans)
    assert (validity.effective, validity.expires, validity.trial) == ("2014-11-01", "2016-10-31", False)
    assert validity.evidence == ["（十）本意见从2014年11月1日起执行，有效期2年。"]
    assert status_as_of(validity, [], "2016-10-31").code == "in_force"
    expired = status_as_of(validity, [], "2016-11-01")
    assert (expired.code, expired.since) == ("expired", "2016-10-31")
    assert "有效期2年" in expired.evidence[0].get("text")


def test_sme_cites_the_size_standard(sme_loans):
    [citation] = get_citations(sme_loans)
    assert citation.title == "中小企业划型标准规定"
    assert citation.doc_number == DocNumber("工信部联企业", 2011, "300")
    assert citation.lines == (809, 811)


@pytest.mark.parametrize(
    "name, ranges, number, title, embedded, issued_title, lines",
    [
        ("000_3749d94f9519a7ed.txt", [(576, 586)], "渝府办发〔2014〕138号", "重庆市人民政府办公厅关于印发重庆市社会救助家庭经济状况信息核查认定办法的通知",
         "重庆市社会救助家庭经济状况信息核查认定办法", "重庆市社会救助家庭经济状况信息核查认定办法", (582, 582)),
        ("001_d623b5fea1a4ae50.txt", [(341, 355)], "渝府发〔2021〕1号", "重庆市人民政府关于印发2021年全市安全生产与自然灾害防治工作要点的通知",
         "2021年全市安全生产与自然灾害防治工作要点", "2021年全市安全生产与自然灾害防治工作要点", (347, 347)),
        ("004_8c3e04d8c27f17c2.txt", [(139, 149)], "武隆府办发〔2020〕36号", "重庆市武隆区人民政府办公室关于印发武隆区社区居家养老服务全覆盖实施方案的通知",
         "武隆区社区居家养老服务全覆盖实施方案", "武隆区社区居家养老服务全覆盖实施方案", (145, 145)),
        ("004_8c3e04d8c27f17c2.txt", [(183, 193)], "武隆府办发〔2020〕38号", "重庆市武隆区人民政府办公室关于印发2020年水利部定点扶贫武隆区目标任务分解工作方案的通知",
         "2020年水利部定点扶贫武隆区目标任务分解工作方案", "2020年水利部定点扶贫武隆区目标任务分解工作方案", (189, 189)),
    ],
)
def test_covering_notices_issue_their_texts(name, ranges, number, title, embedded, issued_title, lines):
    doc = sample_doc(
        name, *ranges, title=title, doc_number=parse_doc_number(number), embedded=[Embedded(embedded, None, ranges[-1])]
    )
    [issued] = by_type(get_relations(doc), "issues")
    assert (issued.target.title, issued.lines) == (issued_title, lines)
    assert issued.evidence.code == "quote" and "印发给你们" in issued.evidence.get("text")
    assert get_citations(doc) == []  # the issued text is the document's own, not a citation


def test_covering_notice_without_embedded_record_still_issues():
    doc = sample_doc("001_d623b5fea1a4ae50.txt", (341, 355), title="重庆市人民政府关于印发2021年全市安全生产与自然灾害防治工作要点的通知")
    [issued] = by_type(get_relations(doc), "issues")
    assert issued.target.title == "2021年全市安全生产与自然灾害防治工作要点"


def test_wulong_elderly_care_cites_the_municipal_plan():
    doc = sample_doc(
        "004_8c3e04d8c27f17c2.txt", (139, 181), (238, 250),
        title="重庆市武隆区人民政府办公室关于印发武隆区社区居家养老服务全覆盖实施方案的通知",
        doc_number=DocNumber("武隆府办发", 2020, "36"), date="2020-05-09",
        embedded=[Embedded("武隆区社区居家养老服务全覆盖实施方案", "方案", (149, 250))],
    )
    numbered = [c for c in get_citations(doc) if c.doc_number]
    assert [(str(c.doc_number), c.title, c.lines) for c in numbered] == [
        ("渝府办发〔2019〕110号", "重庆市人民政府办公厅关于印发重庆市社区居家养老服务全覆盖实施方案的通知", (151, 151))
    ]
    [implements] = by_type(get_relations(doc), "implements")
    assert implements.target == numbered[0]
    validity = get_validity(doc)
    assert validity.effective == "2020-06-10"  # 本实施方案自2020年6月10日起施行 (continued on p.6)
    assert status_as_of(validity, [], "2020-06-01", issued=doc.date).code == "not_yet_in_force"


def test_wulong_water_ministry_plan_cites_three_documents():
    doc = sample_doc(
        "004_8c3e04d8c27f17c2.txt", (183, 234),
        title="重庆市武隆区人民政府办公室关于印发2020年水利部定点扶贫武隆区目标任务分解工作方案的通知",
        doc_number=DocNumber("武隆府办发", 2020, "38"), date="2020-05-20",
        embedded=[Embedded("2020年水利部定点扶贫武隆区目标任务分解工作方案", "方案", (193, 234))],
    )
    cited = [(str(c.doc_number), c.title) for c in get_citations(doc)]
    assert cited == [
        ("财务函〔2018〕106号", "水利部定点扶贫重庆市武隆区三年工作方案(2018—2020年)"),
        ("财务基函〔2020〕17号", "2020年水利部定点扶贫武隆区工作方案"),
        ("武隆委办发〔2018〕156号", "武隆区水利部定点扶贫三年工作实施方案(2018-2020年)"),
    ]
    assert [r.target.doc_number for r in by_type(get_relations(doc), "implements")] == [
        DocNumber("财务函", 2018, "106"), DocNumber("财务基函", 2020, "17"), DocNumber("武隆委办发", 2018, "156")
    ]


def test_high_tech_zone_measures_revise_and_repeal_the_2017_edition():
    doc = sample_doc(
        "001_d623b5fea1a4ae50.txt", (765, 877),
        title="重庆市人民政府办公厅关于印发重庆市市级高新技术产业开发区认定和管理办法(修订)的通知",
        doc_number=parse_doc_number("渝府办发〔2021〕2号"), date="2021-01-12",
        embedded=[Embedded("重庆市市级高新技术产业开发区认定和管理办法(修订)", "办法", (777, 876))],
    )
    relations = get_relations(doc)
    [repeal] = by_type(relations, "repeals")
    assert repeal.target.doc_number == DocNumber("渝府办发", 2017, "156")
    [revises] = by_type(relations, "revises")
    assert revises.target == repeal.target
