"""A small hand-made gazette issue for the portal tests: two documents, one of them with
``<script>`` in its title and body (escaping), an outline, a task table, an overdue task, an
omitted attachment, a citation of the other document and one of a document not held.

Built as ``models.Issue`` directly (not parsed) so that the portal tests check the portal.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from gongbao.models import (
    Attachment, Citation, Deadline, DocNumber, Document, Gazette, Issue, Line, OutlineNode, SourceInfo,
    Table, Task, TocEntry, Finding, Validity,
)

RAW = """\
# 示例区人民政府公报
2020年第2期（总第50期）
目录
示例区人民政府办公室关于印发<script>alert(1)</script>管理办法的通知
示例区人民政府关于加强示例工作的意见
示例区人民政府办公室关于印发<script>alert(1)</script>管理办法的通知
示府办发〔2020〕12号
各镇人民政府，区政府各部门：
现将《<script>alert(1)</script>管理办法》印发给你们，请认真贯彻执行。根据《示例区人民政府关于加强示例工作的意见》（示府发〔2019〕3号）和《国务院办公厅关于示例的通知》（国办发〔2019〕5号）制定。
第一条 为了规范粮食处置工作，制定本办法。
第二条 超标粮食应当在收购后及时处置，不得流入口粮市场。
第三条 本办法自2020年3月1日起施行，有效期2年。
任务分工表
| 任务 | 牵头单位 | 完成时限 |
| 建立台账 | 区发展改革委 | 2020年12月31日 |
附件：示例表格（略）
示例区人民政府办公室
2020年2月10日
示例区人民政府关于加强示例工作的意见
示府发〔2019〕3号
各镇人民政府：
一、总体要求
加强示例工作，提高见义勇为奖励水平。
示例区人民政府
2019年5月6日
"""

SOURCE_NAME = "web_fixture_issue.txt"


def _lines(first: int, last: int) -> list[Line]:
    raw = RAW.splitlines()
    return [Line(raw[n - 1], n, n) for n in range(first, last + 1)]


def xss_issue(path: str = SOURCE_NAME) -> Issue:
    data = RAW.encode("utf-8")
    script_title = "示例区人民政府办公室关于印发<script>alert(1)</script>管理办法的通知"
    cited = Citation("《示例区人民政府关于加强示例工作的意见》（示府发〔2019〕3号）", DocNumber("示府发", 2019, "3"),
                     "示例区人民政府关于加强示例工作的意见", "doc_number", (9, 9))
    absent = Citation("《国务院办公厅关于示例的通知》（国办发〔2019〕5号）", DocNumber("国办发", 2019, "5"),
                      "国务院办公厅关于示例的通知", "doc_number", (9, 9))
    doc_a = Document(
        title=script_title, type="通知", doc_number=DocNumber("示府办发", 2020, "12"),
        issuers=["示例区人民政府办公室"], date="2020-02-10", addressee="各镇人民政府，区政府各部门",
        signatures=["示例区人民政府办公室"], body=_lines(8, 16), lines=(6, 18),
        attachments=[Attachment("示例表格", True, (16, 16))], public=True, section="区政府办公室文件",
        outline=[
            OutlineNode("article", "第一条", 1, "", "为了规范粮食处置工作，制定本办法。", "art-1", (10, 10)),
            OutlineNode("article", "第二条", 2, "", "超标粮食应当在收购后及时处置，不得流入口粮市场。", "art-2", (11, 11)),
            OutlineNode("article", "第三条", 3, "", "本办法自2020年3月1日起施行，有效期2年。", "art-3", (12, 12)),
        ],
        tables=[Table(["任务", "牵头单位", "完成时限"], [["建立台账", "区发展改革委", "2020年12月31日"]], (14, 15),
                      title="任务分工表")],
        tasks=[Task("建立台账", ["区发展改革委"], [], [], Deadline("2020年12月31日", "date", "2020-12-31"), (15, 15),
                    source="table")],
        citations=[cited, absent],
        validity=Validity(effective="2020-03-01", expires="2022-02-28",
                          evidence=["本办法自2020年3月1日起施行，有效期2年。"]),
    )
    doc_b = Document(
        title="示例区人民政府关于加强示例工作的意见", type="意见", doc_number=DocNumber("示府发", 2019, "3"),
        issuers=["示例区人民政府"], date="2019-05-06", addressee="各镇人民政府", signatures=["示例区人民政府"],
        body=_lines(21, 23), lines=(19, 25),
        outline=[OutlineNode("l1", "一", 1, "总体要求", "加强示例工作，提高见义勇为奖励水平。", "s-1", (22, 23))],
    )
    return Issue(
        gazette=Gazette(name="示例区人民政府公报", year=2020, issue=2, total_issue=50),
        documents=[doc_a, doc_b], articles=[],
        toc=[TocEntry(script_title, "1", (4, 4)), TocEntry(doc_b.title, "5", (5, 5)),
             TocEntry("示例区人民政府关于不存在文件的通知", "9", (5, 5))],
        reconciliation=[Finding("missing_in_body", "目录中的“示例区人民政府关于不存在文件的通知”在正文中未找到")],
        unassigned=[],
        source=SourceInfo(path, hashlib.sha256(data).hexdigest(), "utf-8", len(data), len(RAW.splitlines())),
    )


def build_db(db_path: Path) -> Path:
    """A database holding just the hand-made issue, its citations resolved as ingest does."""
    from gongbao.links.resolve import resolve_citations
    from gongbao.store import open_store

    with open_store(db_path) as store:
        store.ingest_issue(xss_issue(), RAW)
        with store.transaction():
            resolve_citations(store)
    return db_path
