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
