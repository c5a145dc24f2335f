"""成文日期 from the adoption note a text prints with its title, where no signature dates it.

Session 11 survey (bench/parse_warnings.py over ../shared): 89 of lawref's 439 司法解释 warned
no_date.  Their notes stand where the signature-and-date reading never looked: on lines of their
own under a 文号 (2021年5月31日 最高人民法院审判委员会第1840次会议通过 / 2021年6月3日 施行), above
the title block a 公报 prints (lawref keeps the note between its # title and that block), in
parentheses that start with the organ, or under a part's name (民法典's 人格权编).  The lines
below are real lines of those genres (short quotes); the expected values were read by hand.
"""

from __future__ import annotations

from gongbao.parse.normalize import clean_text
from gongbao.pipeline import read_issue

REPLY = "\n\n".join([
    "# 最高人民法院关于知识产权侵权诉讼中被告以原告滥用权利为由请求赔偿合理开支问题的批复",
    "法释〔2021〕11号",
    "2021年5月31日 最高人民法院审判委员会第1840次会议通过",
    "2021年6月3日 施行",
    "<!-- INFO END -->",
    "上海市高级人民法院：",
    "你院《关于知识产权侵权诉讼中被告以原告滥用权利为由请求赔偿合理开支问题的请示》收悉。经研究，批复如下：",
    "在知识产权侵权诉讼中，被告提交证据证明原告的起诉构成法律规定的滥用权利损害其合法权益，依法请求原告赔偿其因该诉讼所支付的合理的律师费、交通费、食宿费等开支的，人民法院依法予以支持。",
])


def test_note_lines_under_the_number_date_a_reply_and_its_addressee_follows_them() -> None:
    (doc,) = read_issue(REPLY).documents
    assert (doc.type, doc.date, doc.addressee) == ("批复", "2021-05-31", "上海市高级人民法院")
    assert doc.warnings == []  # under its head, as a 决定 dated by （…通过） under its title


NOTE_ABOVE = "\n\n".join([
    "# 最高人民法院关于审理破坏森林资源刑事案件适用法律若干问题的解释",
    "2023年6月19日 最高人民法院审判委员会第1891次会议通过",
    "2023年8月15日 施行",
    "<!-- INFO END -->",
    "最高人民法院",
    "关于审理破坏森林资源刑事案件适用法律若干问题的解释",
    "法释〔2023〕8号",
    "为依法惩治破坏森林资源犯罪，保护生态环境，根据《中华人民共和国刑法》、《中华人民共和国刑事诉讼法》等法律的有关规定，现就办理此类刑事案件适用法律的若干问题解释如下：",
    "第一条 违反土地管理法规，非法占用林地，改变被占用林地用途，具有下列情形之一的，应当认定为刑法第三百四十二条规定的造成林地“毁坏”：",
])


def test_note_above_the_title_block_dates_the_first_document() -> None:
    (doc,) = read_issue(NOTE_ABOVE).documents
    assert (str(doc.doc_number), doc.date) == ("法释〔2023〕8号", "2023-06-19")
    assert [w.code for w in doc.warnings] == ["date_from_note"]


def test_parenthesised_note_that_starts_with_the_organ() -> None:
    text = "\n\n".join([
        "# 最高人民法院、最高人民检察院关于执行《中华人民共和国刑法》确定罪名的补充规定",
        "<!-- INFO END -->",
        "（最高人民法院审判委员会第1193次会议、最高人民检察院第九届检察委员会第100次会议通过 "
        "2002年3月15日最高人民法院、最高人民检察院公告公布 自2002年3月26日起施行）",
        "为正确理解、执行《中华人民共和国刑法》，统一认定罪名，现对最高人民法院、最高人民检察院关于执行刑法确定罪名的规定作如下补充、修改：",
    ])
    (doc,) = read_issue(text).documents
    assert doc.date == "2002-03-15"  # the 公布 makes the version, not the 施行


def test_note_under_a_part_name() -> None:
    text = "\n\n".join([
        "# 中华人民共和国民法典",
        "# 人格权编",
        "2020年5月28日 第十三届全国人民代表大会第三次会议通过",
        "2021年1月1日 施行",
        "<!-- INFO END -->",
        "## 第一章 一般规定",
        "第九百八十九条 本编调整因人格权的享有和保护产生的民事关系。",
    ])
    (doc,) = read_issue(text).documents
    assert (doc.date, doc.issuers) == ("2020-05-28", ["全国人民代表大会"])


def test_a_text_that_starts_with_a_date_is_no_note() -> None:
    """Under a gazette document's head a dated first sentence is text: no date is made of it."""
    text = "\n".join([
        "重庆市某某区人民政府办公室文件",
        "某府办发〔2021〕12号",
        "重庆市某某区人民政府办公室关于某项工作情况的通报",
        "2021年3月5日，区政府召开专题会议研究某项工作，现将有关情况通报如下。",
        "一、基本情况。全区共检查单位120家。",
    ])
    (doc,) = read_issue(text).documents
    assert doc.date is None and [w.code for w in doc.warnings] == ["no_date"]


def test_a_note_on_its_own_line_is_not_joined_to_the_text_under_it() -> None:
    """lawref prints the note, then <!-- INFO END -->, then the text: the note (no sentence mark,
    ending in its event) ends its paragraph; joined, it was read as the 主送 of 25 texts."""
    text = "\n\n".join([
        "2020年12月23日 最高人民法院审判委员会第1823次会议通过",
        "<!-- INFO END -->",
        "为了正确审理商标纠纷案件，根据《中华人民共和国民法典》《中华人民共和国商标法》《中华人民共和国民事诉讼法》等法律的规定，就适用法律若干问题解释如下：",
    ])
    note, preamble = clean_text(text).lines
    assert note.text == "2020年12月23日最高人民法院审判委员会第1823次会议通过"
    assert preamble.text.startswith("为了正确审理商标纠纷案件")
