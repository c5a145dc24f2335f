"""A 司法解释 (or an 安排 of the 最高人民法院) prints its title above its 文号: the issuer line(s),
the title wrapped over one to three lines, then 法释〔…〕N号, then the text.  lawref's copies set
that block between lines holding only a zero-width space (U+200B).  The title must be read, not
lost to a document cut at the 文号 (session 10: 11 of lawref/司法解释 came out untitled).

The texts below were written by hand in the genre's shape (invented matters and numbers), and so
were the expected titles, 文号 and issuers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gongbao.parse.heads import is_title
from gongbao.parse.normalize import clean_text
from gongbao.pipeline import read_issue

ZW = "\u200b"

# lawref's layout: a markdown title and the adoption note above <!-- INFO END -->, then the block
# as the 公报 prints it, set off by zero-width-space lines; joint issuers on one line.
JOINT_INTERPRETATION = "\n\n".join([
    "# 最高人民法院、最高人民检察院关于办理妨害文物管理刑事案件适用法律若干问题的解释（二）",
    "2031年2月3日最高人民法院审判委员会第2101次会议、2031年2月10日最高人民检察院第十六届检察委员会第五次会议通过",
    "2031年4月1日 施行",
    "<!-- INFO END -->",
    ZW,
    "最高人民法院 最高人民检察院",
    "关于办理妨害文物管理刑事案件",
    "适用法律若干问题的解释（二）",
    ZW,
    "法释〔2031〕6号",
    ZW,
    "为依法惩治妨害文物管理犯罪，根据《中华人民共和国刑法》的有关规定，现就办理此类刑事案件适用法律的若干问题解释如下：",
    "第一条 盗掘古文化遗址、古墓葬三次以上的，应当认定为“情节严重”。",
    "第二条 本解释自2031年4月1日起施行。",
])

# two texts as a 公报 issue prints them one after the other: an 安排 under its one issuer line,
# and a part-numbered 规定 whose title is one line.
ARRANGEMENT_AND_RULES = "\n".join([
    "最高人民法院",
    "关于内地与澳门特别行政区法院就海事案件",
    "相互协助调查取证的安排",
    "法释〔2031〕3号",
    "根据《中华人民共和国澳门特别行政区基本法》第九十三条的规定，经最高人民法院与澳门特别行政区协商，现就海事案件相互协助调查取证作出如下安排：",
    "第一条 双方法院相互委托调查取证，通过各自指定的联络机关进行。",
    "第二条 本安排自2031年3月1日起施行。",
    "最高人民法院关于审理海上货物运输纠纷案件若干问题的规定（一）",
    "法释〔2031〕4号",
    "为正确审理海上货物运输纠纷案件，根据《中华人民共和国海商法》等法律的规定，结合审判实践，制定本规定。",
    "第一条 承运人的责任期间，依照海商法第四十六条的规定确定。",
    "第二条 本规定自2031年3月15日起施行。",
])


def _heads(text: str) -> list[tuple[str, str, list[str]]]:
    return [(d.title, str(d.doc_number), d.issuers) for d in read_issue(text).documents]


def test_joint_interpretation_between_zero_width_lines_keeps_its_title() -> None:
    assert _heads(JOINT_INTERPRETATION) == [(
        "最高人民法院 最高人民检察院关于办理妨害文物管理刑事案件适用法律若干问题的解释（二）",
        "法释〔2031〕6号",
        ["最高人民法院", "最高人民检察院"],
    )]
    (doc,) = read_issue(JOINT_INTERPRETATION).documents
    assert doc.type == "解释"
    assert doc.body[0].text.startswith("为依法惩治妨害文物管理犯罪")  # no blank line of U+200B before the text


def test_arrangement_and_part_numbered_rules_printed_in_a_row() -> None:
    assert _heads(ARRANGEMENT_AND_RULES) == [
        ("最高人民法院关于内地与澳门特别行政区法院就海事案件相互协助调查取证的安排", "法释〔2031〕3号", ["最高人民法院"]),
        ("最高人民法院关于审理海上货物运输纠纷案件若干问题的规定（一）", "法释〔2031〕4号", ["最高人民法院"]),
    ]
    assert [d.type for d in read_issue(ARRANGEMENT_AND_RULES).documents] == ["安排", "规定"]


@pytest.mark.parametrize("mark", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
def test_zero_width_characters_are_blank(mark: str) -> None:
    lines = clean_text(f"第一条{mark}本规定\n{mark}\n{mark * 3}\n第二条 施行").lines
    assert [ln.text for ln in lines] == ["第一条本规定", "第二条 施行"]
    assert [(ln.first, ln.last) for ln in lines] == [(1, 1), (4, 4)]


@pytest.mark.parametrize("title, titled", [
    ("关于内地与香港特别行政区法院相互执行仲裁裁决的补充安排", True),
    ("适用法律若干问题的解释（二）", True),
    ("确定罪名的补充规定（十一）", True),
    ("适用法律若干问题的解释（2）", False),  # a part is numbered in Chinese numerals
    ("一、工作安排", False),  # a numbered heading of a body stays no title
    ("各地要统筹安排", False),  # 安排 as a verb
])
def test_arrangements_and_numbered_parts_end_a_title(title: str, titled: bool) -> None:
    assert is_title(title) is titled


def test_a_line_wrapped_after_the_verb_arrange_is_joined() -> None:
    """安排 ends a title only as …的安排: a paragraph wrapped after the verb stays one line."""
    text = "设区的市、县人民政府财政部门根据本地区年度工作计划安排\n\n的项目和有关定额，核定所需经费。"
    assert [ln.text for ln in clean_text(text).lines] == [
        "设区的市、县人民政府财政部门根据本地区年度工作计划安排的项目和有关定额，核定所需经费。"]


LAWREF_INTERPRETATIONS = Path(__file__).resolve().parents[1].parent / "shared" / "lawref" / "司法解释"


@pytest.mark.lawref
@pytest.mark.skipif(not LAWREF_INTERPRETATIONS.is_dir(), reason="../shared/lawref is absent")
def test_no_lawref_interpretation_parses_without_a_title() -> None:
    files = sorted(LAWREF_INTERPRETATIONS.glob("*.md"))
    assert len(files) > 400
    untitled = [p.name for p in files if any(not d.title for d in read_issue(p.read_bytes(), p.name).documents)]
    assert untitled == []
