"""Rules of the genre, round two on real national and provincial documents: one small
hand-written text each (invented organs, people and 文号; the real documents only showed the
shapes)."""

from __future__ import annotations

from gongbao.pipeline import read_issue


def _docs(text: str):
    return read_issue(text).documents


FORWARDED_WITH_NOTE = """某某省人民政府办公厅转发省林业局
关于加强古树名木保护意见的通知
某府办发〔2001〕7号
各市人民政府，省政府各部门：
省林业局《关于加强古树名木保护的意见》已经省人民政府同意，现转发给你们，请认真贯彻执行。
某某省人民政府办公厅         &sp;
二〇〇一年三月五日
（本文有删减）
关于加强古树名木保护的意见
（省林业局　二〇〇一年二月十日）
一、摸清古树名木资源底数。
各地要组织开展普查，建立档案。
二、落实管护责任。
古树名木所在单位是管护责任人。
"""


def test_an_editors_note_after_the_signature_is_not_the_issued_texts_title():
    (doc,) = _docs(FORWARDED_WITH_NOTE)
    assert [e.title for e in doc.embedded] == ["关于加强古树名木保护的意见"]


def test_an_entity_no_html_knows_is_conversion_debris_not_part_of_the_signature():
    (doc,) = _docs(FORWARDED_WITH_NOTE)
    assert doc.signatures == ["某某省人民政府办公厅"]


PLAN_WITH_YEARS = """某某市人民政府办公室关于印发某某市河湖治理三年行动计划的通知
某府办发〔2021〕30号
各区县人民政府，市政府各部门：
《某某市河湖治理三年行动计划》已经市政府同意，现印发给你们，请认真组织实施。
某某市人民政府办公室
2021年6月1日
（信息公开形式：主动公开）
某某市河湖治理三年行动计划
（2021—2023年）
一、总体要求
到2023年，全市河湖水质明显改善。
"""


def test_the_line_of_years_under_an_issued_texts_title_is_part_of_it():
    (doc,) = _docs(PLAN_WITH_YEARS)
    assert [e.title for e in doc.embedded] == ["某某市河湖治理三年行动计划（2021—2023年）"]


def test_a_labelled_disclosure_form_is_read_as_public():
    (doc,) = _docs(PLAN_WITH_YEARS)
    assert doc.public is True
    withheld = PLAN_WITH_YEARS.replace("（信息公开形式：主动公开）", "（信息公开形式：依申请公开）")
    assert _docs(withheld)[0].public is False


WRAPPED_LIST = """某某县人民政府办公室关于做好秋季防火工作的通知
某府办发〔2020〕41号
各乡镇人民政府，县政府各部门：
请按照附件要求做好秋季防火工作。
附件：1.某某县秋季重点防火区域表

      2.某某县秋季防火重点任务及责任

        单位分解表

      3.某某县防火物资储备点名单
某某县人民政府办公室
2020年9月1日
附件1
某某县秋季重点防火区域表
| 区域 | 责任单位 |
| 北山林区 | 县林业局 |
附件2
某某县秋季防火重点任务及责任单位分解表
| 任务 | 责任单位 |
| 巡山护林 | 各乡镇 |
附件3
某某县防火物资储备点名单
（略）
"""


def test_a_wrapped_item_of_an_attachment_list_and_the_items_after_it_are_kept():
    (doc,) = _docs(WRAPPED_LIST)
    assert [(a.title, a.omitted) for a in doc.attachments] == [
        ("某某县秋季重点防火区域表", False),
        ("某某县秋季防火重点任务及责任单位分解表", False),
        ("某某县防火物资储备点名单", True),
    ]


APPOINTMENTS = """某某市人民代表大会常务委员会关于设立某某湿地日的决定
（2021年5月20日某某市第九届人民代表大会常务委员会第三次会议通过）
为增强全社会湿地保护意识，决定将每年5月20日设立为某某湿地日。
某某市人民代表大会常务委员会任免名单
（2021年5月20日某某市第九届人民代表大会常务委员会第三次会议通过）
任命：
张甲为某某市水务局局长；
免去：
李乙的某某市水务局局长职务。
"""


def test_an_appointment_list_with_its_adoption_note_is_not_a_document():
    docs = _docs(APPOINTMENTS)
    assert [d.title for d in docs] == ["某某市人民代表大会常务委员会关于设立某某湿地日的决定"]
    assert docs[0].lines[1] == 3


WEB_PAGES = """索 引 号：000099999/2003-00017
主题分类：农业、林业、水利\\水利
发文机关：某某省人民政府
成文日期：2003年05月06日
标　　题：某某省人民政府关于加强小型水库管理的通知
发文字号：某政发〔2003〕17号
发布日期：2003年05月09日

某某省人民政府关于加强小型水库管理的通知
某政发〔2003〕17号
各市、县人民政府，省政府各部门：
小型水库点多面广，安全责任重大。现就加强管理通知如下：
一、落实管护责任。每座水库都要明确管护人员。
某某省人民政府
二〇〇三年五月六日
扫一扫在手机打开当前页

索 引 号：000099999/2006-00230
主题分类：其他
发文机关：某某省人民政府办公厅
成文日期：2006年08月01日
标　　题：某某省人民政府办公厅对省十届人大四次会议第321号建议的答复
发文字号：
发布日期：2006年08月03日

某某省人民政府办公厅对省十届人大四次会议
第321号建议的答复
王五等代表：
你们提出的关于加快山区公路建设的建议收悉，现答复如下：
省交通厅将把山区公路建设列入明年计划，逐步加以解决。
某某省人民政府办公厅
二〇〇六年八月一日
扫一扫在手机打开当前页
"""


def test_a_web_pages_metadata_block_and_furniture_belong_to_no_document():
    first, reply = _docs(WEB_PAGES)
    assert first.lines == (9, 15)
    assert reply.lines == (26, 32)


def test_a_headless_document_is_found_by_the_title_its_pages_metadata_block_names():
    titles = [d.title for d in _docs(WEB_PAGES)]
    assert titles == ["某某省人民政府关于加强小型水库管理的通知", "某某省人民政府办公厅对省十届人大四次会议第321号建议的答复"]
    reply = _docs(WEB_PAGES)[1]
    assert (reply.type, reply.addressee, reply.date, reply.issuers) == ("答复", "王五等代表", "2006-08-01", ["某某省人民政府办公厅"])


LAW_FILE = """# 某某市古树名木保护条例

2001年3月2日 某某市第十一届人民代表大会常务委员会第二十次会议通过

2010年6月4日 某某市第十三届人民代表大会常务委员会第十八次会议《关于修改<某某市古树名木保护条例>的决定》第一次修正

2019年9月26日 某某市第五届人民代表大会常务委员会第十二次会议修订

<!-- INFO END -->

## 第一章 总则

第一条 为了保护古树名木，制定本条例。

第二条 本条例自2020年1月1日起施行。
"""


def test_a_law_file_keeps_its_jurisdiction_the_date_of_its_version_and_its_history():
    (doc,) = _docs(LAW_FILE)
    assert doc.issuers == ["某某市人民代表大会常务委员会"]
    assert doc.date == "2019-09-26"  # the version the text is: its last revision
    assert [(e.date, e.event) for e in doc.history] == [
        ("2001-03-02", "通过"), ("2010-06-04", "修正"), ("2019-09-26", "修订")]
    assert doc.validity.effective == "2020-01-01"  # 施行日期, a field of its own


ORDER_NOTES = {
    "2020年5月6日 某某部令第12号公布": (["某某部"], "2020-05-06"),
    "1990年4月1日 国务院、中央军委发布": (["国务院", "中央军委"], "1990-04-01"),
    "2003年7月1日 国务院批准　2003年7月20日 某某局令第3号发布": (["某某局"], "2003-07-20"),
    "2008年1月9日 某某市人民政府第二十次常务会议通过": (["某某市人民政府"], "2008-01-09"),
}


def test_the_issuer_of_a_regulation_is_read_from_its_promulgation_note():
    for note, (issuers, date) in ORDER_NOTES.items():
        (doc,) = _docs(f"# 某某管理办法\n\n{note}\n\n<!-- INFO END -->\n\n第一条 为了加强管理，制定本办法。\n")
        assert (doc.issuers, doc.date) == (issuers, date), note


PROMULGATED_WITH_NOTE = """某某市人民代表大会常务委员会
公　　告
（第5号）
《某某市湿地保护条例》已由某某市第九届人民代表大会常务委员会第八次会议于2021年6月30日修订通过，现予公布，自2021年10月1日起施行。
某某市人民代表大会常务委员会
2021年7月5日
某某市湿地保护条例
（2012年3月1日某某市第七届人民代表大会常务委员会第五次会议通过　根据2016年8月2日某某市第八届人民代表大会常务委员会
第九次会议《关于修改〈某某市湿地保护条例〉的决定》修正
2021年6月30日某某市第九届人民代表大会常务委员会第八次会议修订）
第一条 为了保护湿地，制定本条例。
第二条 本条例自2021年10月1日起施行。
"""


def test_the_text_a_notice_promulgates_carries_its_history_and_effective_date():
    (doc,) = _docs(PROMULGATED_WITH_NOTE)
    (text,) = doc.embedded
    assert text.title == "某某市湿地保护条例"
    assert [(e.date, e.event) for e in text.history] == [
        ("2012-03-01", "通过"), ("2016-08-02", "修正"), ("2021-06-30", "修订")]
    assert text.effective == "2021-10-01"


ORDER_TOC = """某某省人民政府公报

目  录

【省政府令】
某某省人民政府令（第55号） ………………………………………………… 2
  某某省河道采砂管理办法 ………………………………………………… 2
某某省人民政府令（第56号）
  某某省水库大坝安全管理办法 ……………………………………………… 6

某某省人民政府令

第55号

《某某省河道采砂管理办法》已经省人民政府常务会议通过，现予公布，自2021年3月1日起施行。

省长  赵六

2021年1月20日

某某省河道采砂管理办法

第一条 为了加强河道采砂管理，制定本办法。

某某省人民政府令

第56号

《某某省水库大坝安全管理办法》已经省人民政府常务会议通过，现予公布，自2021年4月1日起施行。

省长  赵六

2021年2月3日

某某省水库大坝安全管理办法

第一条 为了保障水库大坝安全，制定本办法。
"""


def test_an_order_header_in_the_toc_is_an_entry_of_its_own_named_with_its_number():
    issue = read_issue(ORDER_TOC)
    entries = [(e.title, e.page, str(e.doc_number) if e.doc_number else None) for e in issue.toc]
    assert entries == [
        ("某某省人民政府令（第55号）", "2", "某某省人民政府令第55号"),
        ("某某省河道采砂管理办法", "2", None),
        ("某某省人民政府令（第56号）", None, "某某省人民政府令第56号"),  # printed without its page
        ("某某省水库大坝安全管理办法", "6", None),
    ]
    assert [d.section for d in issue.documents] == ["省政府令", "省政府令"]


JOINT_ORDER = """某某部公报

目  录

部门规章

中华人民共和国某某部　中华人民共和国某甲部令
  （第3号） ………………………………………………………………………… 1

部门规章

中华人民共和国某某部

中华人民共和国某甲部

令

第 3 号

《某某设施安全管理办法》已经某某部部务会议审议通过，并经某甲部同意，现予公布，自2022年1月1日起施行。

2021年10月8日

某某设施安全管理办法

第一条 为了加强某某设施安全管理，制定本办法。
"""


def test_a_joint_orders_organs_stacked_above_its_word_are_its_header():
    issue = read_issue(JOINT_ORDER)
    (doc,) = issue.documents
    assert doc.title.replace(" ", "") == "中华人民共和国某某部中华人民共和国某甲部令"  # joint organs kept apart by a space
    assert str(doc.doc_number) == "中华人民共和国某某部中华人民共和国某甲部令第3号"
    assert doc.issuers == ["中华人民共和国某某部", "中华人民共和国某甲部"]
    assert doc.section == "部门规章"  # its TOC entry wraps before its number: no section label


ANNOUNCEMENT = """某某市人民代表大会常务委员会

公      告

（第8号）

《某某市养犬管理条例》已由某某市人民代表大会常务委员会第十次会议于2021年5月6日通过，现予公布，自2021年8月1日起施行。

某某市人民代表大会常务委员会

2021年5月10日

某某市养犬管理条例

第一条 为了规范养犬行为，制定本条例。
"""


def test_an_announcement_number_under_its_header_takes_the_headers_organ_and_kind():
    (doc,) = _docs(ANNOUNCEMENT)
    assert str(doc.doc_number) == "某某市人民代表大会常务委员会公告第8号"
    assert doc.title == "某某市人民代表大会常务委员会公告"


SHIFTED_TASKS = """某某市人民政府办公室关于印发某某市节水行动任务分工方案的通知
某府办发〔2021〕9号
各区县人民政府，市政府各部门：
现将《某某市节水行动任务分工方案》印发给你们，请认真贯彻落实。
某某市人民政府办公室
2021年3月1日
某某市节水行动任务分工方案
| 序号 | 工作任务 | 牵头单位 | 责任单位 | 完成时限 |
|---|---|---|---|---|
| 1 | 建设节水型机关，年内全部达标。 | 市水利局 | 市机关事务局 | 2021年12月底前 |
| 2 |  | 推广农业高效节水灌溉技术。 | 市农业农村委 | 市水利局、市财政局 | 2021年10月底前 |
| 3 | 开展节水宣传进社区活动（市水利局牵头）。 |  | 各区县人民政府 | 持续推进 |
| 4 | 实施城镇供水管网漏损治理。 | 市住房城乡建委（牵头）、市水利局、市财政局 | 2022年6月底前 |  |

·7·                                  某某市人民政府公报  2021年第5期

| 5 | 建立节水考核评价制度。 | 市水利局 | 市统计局 | 2021年9月底前 |
"""


def test_task_units_are_read_by_what_the_cells_hold_wherever_the_row_shifted():
    (doc,) = _docs(SHIFTED_TASKS)
    rows = {t.text[:7]: (t.lead_units, t.responsible_units, t.deadline.raw if t.deadline else None) for t in doc.tasks}
    assert rows == {
        "建设节水型机关": (["市水利局"], ["市机关事务局"], "2021年12月底前"),
        "推广农业高效节": (["市农业农村委"], ["市水利局", "市财政局"], "2021年10月底前"),  # shifted right
        "开展节水宣传进": (["市水利局"], ["各区县人民政府"], "持续推进"),  # the lead named in the task
        "实施城镇供水管": (["市住房城乡建委"], ["市水利局", "市财政局"], "2022年6月底前"),  # shifted left
        "建立节水考核评": (["市水利局"], ["市统计局"], "2021年9月底前"),  # after the page break, no header
    }


REPEALING_RULES = """某某部令

第 20 号

《某某部关于修改和废止部分规章的决定》已经部务会议审议通过，现予公布，自公布之日起施行。

部长  钱七
2022年6月1日

某某部关于修改和废止部分规章的决定

一、对1部规章作出修改

将《某某设施管理办法》（2010年3月1日某某部令第12号发布）第五条修改为：“……”。

二、对2部规章予以废止

（一）《某某部关于加强某某工作的规定》（2012年4月5日某某部令第15号发布）。

（二）《某某检测管理规定》（2001年8月9日某某部令第3号发布，2008年7月1日某某部令第9号修改）。
"""


def test_rules_listed_under_a_repeal_heading_are_repealed_by_their_order_numbers():
    (doc,) = _docs(REPEALING_RULES)
    repealed = {str(r.target.doc_number) for r in doc.relations if r.type == "repeals" and r.target.doc_number}
    assert {"某某部令第15号", "某某部令第3号"} <= repealed
    assert "某某部令第12号" not in repealed  # amended, not repealed


INDEX_AFTER = """某某区人民政府公报

目    录

区政府文件
某某区人民政府关于同意某某街道设立社区的批复 …………………………… 1

文件检索 ……………………………………………………………………… 3

某某区人民政府关于同意某某街道设立社区的批复
某区府函〔2022〕5号
某某街道办事处：
你街道《关于设立某某社区的请示》收悉。经研究，同意设立某某社区。
某某区人民政府
2022年2月8日

文件检索

文号  标题  成文日期

某区府发〔2022〕2号  某某区人民政府关于表彰2021年度先进集体的决定  2022.01.20

某区府办发〔2022〕3号  某某区人民政府办公室关于调整某某工作领导小组成员的

通知  2022.01.28

某区府函〔2022〕5号  某某区人民政府关于同意某某街道设立社区的批复  2022.02.08
"""


def test_an_index_after_the_last_document_with_dotted_dates_is_read_row_by_row():
    issue = read_issue(INDEX_AFTER)
    (doc,) = issue.documents
    assert doc.lines[1] == 15  # the index is not part of the last document
    rows = [(str(e.doc_number), e.title) for e in issue.toc if e.source == "index"]
    assert rows == [
        ("某区府发〔2022〕2号", "某某区人民政府关于表彰2021年度先进集体的决定"),
        ("某区府办发〔2022〕3号", "某某区人民政府办公室关于调整某某工作领导小组成员的通知"),
        ("某区府函〔2022〕5号", "某某区人民政府关于同意某某街道设立社区的批复"),
    ]
    assert ("文件检索", "3") in [(e.title, e.page) for e in issue.toc if e.source == "toc"]
    assert not [f for f in issue.reconciliation if "文件检索" in f.detail]


def test_two_signers_of_a_joint_order_on_one_line_are_two_signatures():
    text = JOINT_ORDER.replace("2021年10月8日", "某某部部长  王甲        某甲部部长  李乙\n2021年10月8日")
    (doc,) = read_issue(text).documents
    assert doc.signatures == ["某某部部长 王甲", "某甲部部长 李乙"]
