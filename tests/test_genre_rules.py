"""Rules of the genre, one small hand-written text each (invented organs, people and 文号)."""

from __future__ import annotations

from gongbao.pipeline import read_issue


def _docs(text: str):
    return read_issue(text).documents


REPLIES = """某某省公报目录
某某省人民政府办公厅关于同意在甲市开展试点的复函… 3
某某省人民政府办公厅对省人大十届一次会议第12号建议的答复… 5

某某省人民政府办公厅关于同意在甲市开展
供水管网改造试点的复函
某府办函〔2022〕8号

省水利厅：

你厅《关于在甲市开展供水管网改造试点的请示》收悉。经省政府同意，现函复如下：

同意在甲市开展供水管网改造试点，试点期为两年。

某某省人民政府办公厅
2022年3月1日

某某省人民政府办公厅对省人大十届一次会议
第12号建议的答复
某府办函〔2022〕9号

李四等代表：

你们提出的关于加强乡村道路养护的建议收悉，现答复如下：

今年以来，各地加大乡村道路养护投入，养护里程明显增加。

某某省人民政府办公厅
2022年3月5日
"""


def test_reply_and_letter_titles_without_guanyu_are_titles():
    first, second = _docs(REPLIES)
    assert first.title == "某某省人民政府办公厅关于同意在甲市开展供水管网改造试点的复函" and first.type == "函"
    assert second.title == "某某省人民政府办公厅对省人大十届一次会议第12号建议的答复" and second.type == "答复"
    assert second.issuers == ["某某省人民政府办公厅"]


def test_one_organ_or_persons_are_the_addressee():
    first, second = _docs(REPLIES)
    assert first.addressee == "省水利厅"
    assert second.addressee == "李四等代表"


def test_a_toc_line_with_one_ellipsis_before_its_page_stays_apart_from_the_title():
    first, _ = _docs(REPLIES)
    assert first.lines[0] == 5  # the title, not the TOC line above it


WRAPPED_AT_ORGAN = """某某省人民政府办公厅关于支持乙市物流中心
建设有关问题的复函
某府办函〔2022〕11号

乙市人民政府：

你市《关于恳请支持物流中心建设的请示》收悉。经省政府同意，现函复如下：

原则同意你市建设物流中心。

某某省人民政府办公厅
2022年4月2日
"""


def test_a_title_line_holding_guanyu_is_not_an_issuer_line_whatever_it_ends_with():
    (doc,) = _docs(WRAPPED_AT_ORGAN)
    assert doc.title == "某某省人民政府办公厅关于支持乙市物流中心建设有关问题的复函"
    assert doc.issuers == ["某某省人民政府办公厅"]


FORWARDED = """某某市人民政府办公室转发市交通局
关于加强农村公路养护管理意见的通知
某府办函〔2022〕21号

各区县人民政府，市政府有关部门：

市交通局《关于加强农村公路养护管理的意见》已经市政府同意，现转发给你们，请认真贯彻执行。

某某市人民政府办公室
2022年5月6日
"""


def test_a_forwarding_title_wrapped_before_guanyu_keeps_one_issuer():
    (doc,) = _docs(FORWARDED)
    assert doc.title == "某某市人民政府办公室转发市交通局关于加强农村公路养护管理意见的通知"
    assert doc.issuers == ["某某市人民政府办公室"]


PEOPLES_CONGRESS = """某某省人民代表大会常务委员会
公    告
（第9号）

《某某省乡村道路条例》已由某某省第九届人民代表大会常务委员会第五次会议于2022年6月1日通过，现予公布，自2022年9月1日起施行。

某某省人民代表大会常务委员会
2022年6月1日

某某省乡村道路条例

（2022年6月1日某某省第九届人民代表大会常务委员会第五次会议通过）

第一条  为了加强乡村道路管理，制定本条例。

第二条  本条例自2022年9月1日起施行。

某某省人民代表大会常务委员会关于批准
《乙市河道管理条例》的决定

（2022年6月1日某某省第九届人民代表大会常务委员会第五次会议通过）

某某省第九届人民代表大会常务委员会第五次会议审查了乙市人民代表大会常务委员会报请批准的《乙市河道管理条例》，决定予以批准。

乙市河道管理条例

（2022年3月2日乙市第三届人民代表大会常务委员会第八次会议通过  2022年6月1日某某省第九届人民代表大会常务委员会第五次会议批准）

第一条  为了加强河道管理，制定本条例。

某某省人民代表大会常务委员会关于加强乡村道路安全管理
工作的决议

（2022年6月1日某某省第九届人民代表大会常务委员会第五次会议通过）

为了加强乡村道路安全管理，作如下决议：

一、各级人民政府应当加强乡村道路安全管理。
"""


def test_a_congress_announcement_header_on_three_lines_is_one_head_with_its_number():
    first, *_ = _docs(PEOPLES_CONGRESS)
    assert str(first.doc_number) == "某某省人民代表大会常务委员会公告第9号"
    assert first.title == "某某省人民代表大会常务委员会公告"
    assert [e.title for e in first.embedded] == ["某某省乡村道路条例"]


def test_the_regulation_an_approval_decision_approves_is_its_embedded_text_not_a_document():
    docs = _docs(PEOPLES_CONGRESS)
    assert [d.title for d in docs][1:] == [
        "某某省人民代表大会常务委员会关于批准《乙市河道管理条例》的决定",
        "某某省人民代表大会常务委员会关于加强乡村道路安全管理工作的决议",
    ]
    assert [e.title for e in docs[1].embedded] == ["乙市河道管理条例"]


def test_a_title_wrapped_above_its_adoption_note_keeps_its_first_half_and_issuer():
    resolution = _docs(PEOPLES_CONGRESS)[-1]
    assert resolution.issuers == ["某某省人民代表大会常务委员会"]


CITY_NOTICE = """某某市人民政府办公室文件

某府办发〔2022〕30号

某某市人民政府办公室关于印发某某市防汛应急预案的通知

各区县人民政府，市政府有关部门：

《某某市防汛应急预案》已经市政府同意，现印发给你们。依据《防汛条例》（2005年7月15日中华人民共和国国务院令第441号）执行。

附件：1.某某市防汛应急预案
      2.防汛重点单位名单

某某市人民政府办公室
2022年5月10日

（此件依申请公开）

附件1

某某市防汛应急预案

目    录

1  总则
  1.1  编制目的
2  应急响应

1  总则

1.1  编制目的

为做好防汛工作，保障人民群众生命财产安全，制定本预案。

2  应急响应

汛情发生后，市防汛指挥部按规定启动响应。

附件2

防汛重点单位名单

（略）

抄送：市委办公室，市人大常委会办公室，
      市政协办公室，某某军分区。

某某市人民政府办公室                2022年5月11日印发
"""


def test_a_plans_own_contents_stays_in_its_document_with_the_imprint_after_it():
    (doc,) = _docs(CITY_NOTICE)
    assert doc.cc == ["市委办公室", "市人大常委会办公室", "市政协办公室", "某某军分区"]
    assert (doc.printed_by, doc.printed_date) == ("某某市人民政府办公室", "2022-05-11")
    assert doc.lines[1] == CITY_NOTICE.count("\n")


def test_attachments_printed_in_full_or_only_as_a_heading_over_omitted():
    (doc,) = _docs(CITY_NOTICE)
    assert [(a.title, a.omitted) for a in doc.attachments] == [("某某市防汛应急预案", False), ("防汛重点单位名单", True)]


def test_published_on_request_only_is_not_public():
    (doc,) = _docs(CITY_NOTICE)
    assert doc.public is False


def test_an_order_number_after_a_date_does_not_take_the_dates_day():
    (doc,) = _docs(CITY_NOTICE)
    assert "中华人民共和国国务院令第441号" in [str(c.doc_number) for c in doc.citations]


ORDER = """中华人民共和国国务院令

第901号

《某某管理条例》已经2022年4月1日国务院第9次常务会议通过，现予公布，自2022年7月1日起施行。

总理  王某

2022年4月8日

某某管理条例

第一条  为了加强某某管理，制定本条例。
"""


def test_an_order_signed_by_the_premier():
    (doc,) = _docs(ORDER)
    assert str(doc.doc_number) == "中华人民共和国国务院令第901号"
    assert doc.signatures == ["总理 王某"] and doc.date == "2022-04-08"


LAW = """某某市河道管理条例

2001年3月2日 某某市第一届人民代表大会常务委员会第八次会议通过

2005年7月1日 某某市第二届人民代表大会常务委员会第三次会议修正  2018年9月28日某某市第五届人民代表大会常务委员会第五次会议修订

第一条 为了加强河道管理，制定本条例。

第二条 本条例自2019年1月1日起施行。
"""


def test_a_law_keeps_its_jurisdiction_and_the_date_of_the_version_it_is():
    (doc,) = _docs(LAW)
    assert doc.issuers == ["某某市人民代表大会常务委员会"]
    assert doc.date == "2018-09-28"
    assert doc.type == "条例"


JOINT_STACKED = """某某省人民政府办公厅、某某军区政治部
关于做好退役军人安置工作的通知
某府办发〔2022〕40号

各市人民政府，省政府各部门：

为做好退役军人安置工作，现就有关事项通知如下。

附件：1.某某部门关于安置计划的报告
2.安置单位名单

某某省人民政府办公厅
2022年7月1日

附件1

关于安置计划的
报告

经研究，提出安置计划如下。

附件2

安置单位名单

（略）
"""


def test_stacked_joint_issuers_printed_with_a_dunhao_keep_it_in_the_title():
    (doc,) = _docs(JOINT_STACKED)
    assert doc.title == "某某省人民政府办公厅、某某军区政治部关于做好退役军人安置工作的通知"
    assert doc.issuers == ["某某省人民政府办公厅", "某某军区政治部"]


def test_an_attachment_under_its_numbered_heading_is_printed_even_when_its_title_is_printed_differently():
    (doc,) = _docs(JOINT_STACKED)
    assert [a.omitted for a in doc.attachments] == [False, True]


INDEX_AFTER_LAST = CITY_NOTICE + """
文件检索

文  号\t标    题\t成文日期
某府办发〔2022〕29号\t某某市人民政府办公室关于做好防汛准备工作的通知\t2022年5月2日
某府办发〔2022〕30号\t某某市人民政府办公室关于印发某某市防汛应急预案的通知\t2022年5月10日
"""


def test_an_index_after_the_last_document_is_apart_and_its_header_row_is_no_entry():
    issue = read_issue(INDEX_AFTER_LAST)
    (doc,) = issue.documents
    assert doc.lines[1] < INDEX_AFTER_LAST.split("\n").index("文件检索") + 1
    rows = [(str(e.doc_number), e.title) for e in issue.toc if e.source == "index"]
    assert rows == [("某府办发〔2022〕29号", "某某市人民政府办公室关于做好防汛准备工作的通知"),
                    ("某府办发〔2022〕30号", "某某市人民政府办公室关于印发某某市防汛应急预案的通知")]


MINISTRY_TOC = """某某部公报

目    次

部令

某某管理规定（中华人民共和国某某部令第5号） ………… 1

公告

中华人民共和国某某部公告（2022年第3号） ………… 4

中华人民共和国某某部令

第 5 号

《某某管理规定》已经2022年3月1日部务会议审议通过，现予公布，自2022年6月1日起施行。

部长  张某
2022年3月8日

某某管理规定

第一条  为了加强某某管理，制定本规定。

中华人民共和国某某部公告

2022年第3号

根据《某某管理规定》，现将有关事项公告如下。

中华人民共和国某某部
2022年3月20日
"""


def test_a_contents_titled_muci_with_bare_section_labels_and_header_entries():
    issue = read_issue(MINISTRY_TOC)
    assert [(str(d.doc_number), d.section) for d in issue.documents] == [
        ("中华人民共和国某某部令第5号", "部令"), ("中华人民共和国某某部公告〔2022〕3号", "公告")]


def test_a_short_organ_banner_with_its_number_under_it_starts_a_document():
    text = MINISTRY_TOC + """
某某部文件

某建设〔2022〕18号

某某部关于印发《某某验收办法》的通知

部机关各司局，部直属各单位：

现将《某某验收办法》印发给你们，请遵照执行。

某某部
2022年4月1日
"""
    docs = read_issue(text).documents
    assert str(docs[-1].doc_number) == "某建设〔2022〕18号"
    assert docs[-1].lines[0] == text.split("\n").index("某某部文件") + 1


def test_a_resolution_in_force_from_its_adoption():
    resolution = _docs(PEOPLES_CONGRESS.replace("一、各级人民政府应当加强乡村道路安全管理。",
                                                "一、各级人民政府应当加强乡村道路安全管理。\n\n本决议自通过之日起施行。"))[-1]
    assert resolution.date == "2022-06-01" and resolution.validity.effective == "2022-06-01"
