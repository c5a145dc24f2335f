"""Hand-made issues for the store and search tests (no parser needed)."""

from __future__ import annotations

import hashlib

from gongbao.models import (
    Citation, Deadline, DocNumber, Document, Gazette, Issue, Line, Notice, OutlineNode, Relation, SourceInfo, Table, Task,
    Validity,
)


def node(anchor: str, number: str, heading: str, text: str, lines: tuple[int, int], level: str = "article",
         children: list | None = None) -> OutlineNode:
    return OutlineNode(level=level, number=number, ordinal=None, heading=heading, text=text, anchor=anchor,
                       lines=lines, children=children or [])


def grain_doc(serial: str = "12", extra: str = "") -> Document:
    body_text = [
        "第一条 为加强超标粮食处置管理，保障粮食质量安全，制定本办法。",
        "第二条 重金属超标粮食应当定点收购、专库存放、定向销售。" + extra,
        "第三条 本办法自2021年3月1日起施行，原《重庆市超标粮食处置办法》（渝府办发〔2014〕7号）同时废止。",
    ]
    body = [Line(t, 20 + i, 20 + i) for i, t in enumerate(body_text)]
    outline = [
        node("art-1", "第一条", "", body_text[0][4:], (20, 20)),
        node("art-2", "第二条", "", body_text[1][4:], (21, 21)),
        node("art-3", "第三条", "", body_text[2][4:], (22, 22)),
    ]
    cited = Citation(text="《重庆市超标粮食处置办法》（渝府办发〔2014〕7号）", doc_number=DocNumber("渝府办发", 2014, "7"),
                     title="重庆市超标粮食处置办法", kind="doc_number", lines=(22, 22), anchor="art-3")
    return Document(
        title="重庆市人民政府办公厅关于印发重庆市超标粮食处置办法的通知",
        type="通知",
        doc_number=DocNumber("渝府办发", 2021, serial),
        issuers=["重庆市人民政府办公厅"],
        date="2021-02-03",
        addressee="各区县（自治县）人民政府，市政府各部门",
        signatures=["重庆市人民政府办公厅"],
        body=body,
        lines=(15, 30),
        outline=outline,
        tables=[Table(header=["任务", "牵头单位"], rows=[["建立台账", "市粮食局"]], lines=(25, 27), title="任务分工")],
        tasks=[
            Task(text="建立超标粮食台账", lead_units=["市粮食局"], responsible_units=["各区县政府"], partner_units=["市财政局"],
                 deadline=Deadline("2021年6月底前", "date", "2021-06-30"), lines=(26, 26), anchor="art-2", source="table"),
            Task(text="长期坚持定向销售", lead_units=["市商务委"], responsible_units=[], partner_units=[],
                 deadline=Deadline("长期坚持", "ongoing"), lines=(21, 21), anchor="art-2"),
        ],
        citations=[cited],
        relations=[Relation(type="repeals", target=cited, evidence=Notice.of("quote", text=body_text[2]), lines=(22, 22), anchor="art-3",
                            effective="2021-03-01")],
        validity=Validity(effective="2021-03-01", evidence=["本办法自2021年3月1日起施行"]),
        printed_by="重庆市人民政府办公厅",
        printed_date="2021-02-05",
        public=True,
        section="市政府办公厅文件",
    )


def hero_doc() -> Document:
    text = ["第一章 总则", "第一条 为了弘扬社会正气，鼓励见义勇为行为，保护见义勇为人员的合法权益，制定本条例。",
            "第二条 本条例所称见义勇为，是指不负有法定职责的公民挺身而出的行为。"]
    body = [Line(t, 40 + i, 40 + i) for i, t in enumerate(text)]
    chapter = node("ch-1", "第一章", "总则", "", (40, 42), level="chapter", children=[
        node("art-1", "第一条", "", text[1][4:], (41, 41)),
        node("art-2", "第二条", "", text[2][4:], (42, 42)),
    ])
    return Document(title="重庆市见义勇为人员奖励和保护条例", type="条例", doc_number=None, issuers=["重庆市人民代表大会常务委员会"],
                    date="2020-07-30", addressee=None, signatures=[], body=body, lines=(38, 45), outline=[chapter])


def make_issue(documents: list[Document], raw: str = "raw text", path: str = "issue.txt", name: str | None = "重庆市人民政府公报",
               year: int | None = 2021, number: int | None = 3) -> Issue:
    data = raw.encode("utf-8")
    return Issue(
        gazette=Gazette(name=name, year=year, issue=number, total_issue=885 if number else None, published="2021-02-15"),
        documents=documents,
        articles=[],
        toc=[],
        reconciliation=[],
        unassigned=[],
        source=SourceInfo(path=path, sha256=hashlib.sha256(data).hexdigest(), encoding="utf-8", size=len(data),
                          line_count=raw.count("\n") + 1),
    )
