"""Tasks: the 2021 政务服务 task table and the household-services opinion (hand-read golden),
the 永川 quality plan's trailing unit lists, inline forms, unit lists, filters, properties."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gongbao.errors import InputError
from gongbao.models import Deadline, Line, Task
from gongbao.parse.outline import parse_outline
from gongbao.parse.tables import get_tables
from gongbao.parse.tasks import filter_tasks, get_tasks, is_unit, split_units

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = json.loads((ROOT / "tests" / "golden" / "structure.json").read_text(encoding="utf-8"))


def source(name: str) -> list[str]:
    return (ROOT / name).read_text(encoding="utf-8").split("\n")


def span(src: list[str], first: int, last: int) -> list[Line]:
    return [Line(src[n - 1], n, n) for n in range(first, last + 1) if src[n - 1].strip()]


def lines(*texts: str) -> list[Line]:
    return [Line(t, n, n) for n, t in enumerate(texts, 1)]


def tasks_of(body: list[Line], year: int | None = None) -> list[Task]:
    tables = get_tables(body)
    return get_tasks(body, parse_outline(body, tables), tables, context_year=year)


def fold(text: str | None) -> str | None:
    return None if text is None else "".join(text.split()).replace("(", "（").replace(")", "）")


# --- 2021年重庆市政务服务工作任务分解 (渝府办发〔2021〕2号, sample 001) -----------------------------


@pytest.fixture(scope="module")
def service_tasks():
    gold = GOLDEN["task_table"]
    src = source(gold["source"])
    first = src.index(f"附件：{gold['attachment']}") + 1
    return tasks_of(span(src, first, gold["rows"][-1]["lines"][1]), year=2021)


def test_every_row_of_the_services_task_table(service_tasks):
    gold = GOLDEN["task_table"]
    assert all(t.source == "table" for t in service_tasks)
    assert len(service_tasks) == gold["row_count"] == 69
    for task, row in zip(service_tasks, gold["rows"], strict=True):
        assert list(task.lines) == row["lines"]
        assert fold(task.text).startswith(fold(row["text_prefix"]))
        assert [fold(u) for u in task.lead_units] == [fold(u) for u in row["lead_units"]]
        assert [fold(u) for u in task.partner_units] == [fold(u) for u in row["partner_units"]]
        assert task.responsible_units == []
        assert fold(task.group) in [fold(k) for k in (row["key_task"], *row.get("key_task_alt", []))]
        assert task.deadline is not None and task.deadline.raw == row["deadline"]
        assert task.deadline.kind in (row["deadline_kind"], *row.get("deadline_kind_alt", []))
        assert task.deadline.iso == row["deadline_iso"]


def test_services_table_unlabelled_row_at_a_page_top(service_tasks):
    # the table repeats the label of a continuing group on each new page (696, 722, 736, 746,
    # 759); row 710, first on its page, has none: it opens （五）, whose label is printed on 711
    by_line = {t.lines[0]: t for t in service_tasks}
    assert fold(by_line[710].group) == "（五）进一步优化公共服务"
    assert fold(by_line[707].group) == fold(by_line[702].group) == "（四）提升基层政务服务能力"
    assert fold(by_line[712].group) == "（五）进一步优化公共服务"


def test_group_carried_down_when_labels_are_not_repeated_on_pages():
    found = tasks_of(
        lines(
            "重点任务\t具体工作\t牵头单位",
            "（一）改革\t取消事项。\t区司法局",
            "重点任务\t具体工作\t牵头单位",
            "\t下放事项。\t区财政局",
            "（二）服务\t优化服务。\t区政务服务中心",
        )
    )
    assert [t.group for t in found] == ["（一）改革", "（一）改革", "（二）服务"]


def test_services_table_deadline_kinds(service_tasks):
    kinds = {t.deadline.raw: t.deadline.kind for t in service_tasks if t.deadline}
    assert kinds == {
        "持续推进": "ongoing",
        "按时序推进": "ongoing",
        "2021年6月30日": "date",
        "2021年12月31日": "date",
        "2021年10月31日": "date",
        "2021年3月31日": "date",
        "2021年4月30日": "date",
    }


# --- 重庆市人民政府办公厅关于进一步鼓励发展家庭服务业的意见 (渝府办发〔2014〕133号, sample 000) ---------


def test_household_services_inline_assignments():
    gold = GOLDEN["household_services"]
    src = source(gold["source"])
    start = gold["tasks"][0]["heading_line"]
    found = tasks_of(span(src, start, gold["tasks"][-1]["lines"][1]), year=2014)
    assert len(found) == len(gold["tasks"]) == 8
    for n, (task, want) in enumerate(zip(found, gold["tasks"], strict=True), 1):
        assert task.source == "inline"
        assert task.anchor == f"s-{n}"
        assert list(task.lines) == want["lines"]
        assert fold(task.text).startswith(fold(want["text_prefix"]))
        assert task.lead_units == want["lead_units"]
        assert task.responsible_units == want["responsible_units"]
        assert task.partner_units == want["partner_units"]
        assert task.deadline is None and want["deadline"] is None
    assert found[0].text.endswith("努力满足广大市民的家庭服务消费需求。")  # the page-broken paragraph, whole


# --- 永川区贯彻实施质量发展纲要2014年行动计划工作方案 (永川府办发〔2014〕98号): (n) …。(区农委) ------------


def test_quality_plan_trailing_unit_lists():
    src = source("samples/" + next(p.name for p in (ROOT / "samples").glob("000_*.txt")))
    first = src.index("### 一、指导思想") + 1
    found = tasks_of(span(src, first, first + 150))
    assert len(found) == 42  # items (1)…(42), each closed by its units in parentheses
    assert all(t.lead_units == [] and t.partner_units == [] and t.responsible_units for t in found)
    by_line = {t.lines[0]: t for t in found}
    second = by_line[src.index("(2) 深入开展农产品质量安全专项整治。(区农委)") + 1]
    assert (second.text, second.responsible_units, second.anchor) == ("深入开展农产品质量安全专项整治。", ["区农委"], "s-3.1.1.2")
    wrapped = found[17]  # "(18) 加强公路水运工程质量监督行政执法检" / "查。（区交通局、区水务局）"
    assert wrapped.text == "加强公路水运工程质量监督行政执法检查。"
    assert wrapped.responsible_units == ["区交通局", "区水务局"]
    assert wrapped.lines[1] == wrapped.lines[0] + 2
    assert found[27].responsible_units == ["区质监局", "相关镇政府及办事处", "园区管委会"]
    assert found[37].responsible_units == ["区质监局及有关部门"]


# --- inline forms, by hand --------------------------------------------------------------------


def test_keyed_assignment_with_deadline_and_responsible_units():
    (task,) = tasks_of(
        lines("（一）推进就业。实施就业优先政策，扩大就业。（牵头单位：区人力社保局；责任单位：区财政局、各镇街；完成时限：2021年6月底前）"),
        year=2021,
    )
    assert task.text == "推进就业。实施就业优先政策，扩大就业。"
    assert (task.lead_units, task.responsible_units) == (["区人力社保局"], ["区财政局", "各镇街"])
    assert task.deadline == Deadline("2021年6月底前", "period_end", "2021-06-30")
    assert task.anchor == "s-1"


def test_verb_assignment_and_open_keyed_line():
    found = tasks_of(
        lines(
            "一、深化改革",
            "全面推行告知承诺制（市司法局牵头，市级有关部门配合）。",
            "建立督查机制。",
            "牵头单位：市政府督查办",
        )
    )
    assert [(t.text, t.lead_units, t.partner_units) for t in found] == [
        ("全面推行告知承诺制", ["市司法局"], ["市级有关部门"]),
        ("建立督查机制。", ["市政府督查办"], []),
    ]
    assert [t.lines for t in found] == [(2, 2), (3, 4)]


def test_more_verbs_and_unit_endings():
    found = tasks_of(
        lines(
            "（1）推进课后服务（市教委牵头负责，各区县按职责分工负责）。",
            "（2）开展排查。（市教委、各区县、各镇街）",
            "时间：2021年5月20日",
            "地点：市政府第一会议室",
        )
    )
    assert [(t.lead_units, t.responsible_units) for t in found] == [
        (["市教委"], ["各区县"]),
        ([], ["市教委", "各区县", "各镇街"]),
    ]


def test_parentheses_that_are_not_unit_lists():
    found = tasks_of(
        lines(
            "依法成立的审计对象（以下统称单位）开展工作。",
            "根据《指导意见》（国办发〔2010〕43号）制定本办法（试行）。",
            "2014—2017年（计划）培训10万名。",
            "区县（自治县）人民政府负责。",
            "力争实现主城各区有3个以上、其余区县(自治县)",
        )
    )
    assert found == []


def test_trailing_list_with_a_deadline():
    (task,) = tasks_of(lines("（3）完成河道整治。（区水利局、区生态环境局，2021年底前）"), year=2021)
    assert task.responsible_units == ["区水利局", "区生态环境局"]
    assert task.deadline is not None and (task.deadline.kind, task.deadline.iso) == ("period_end", "2021-12-31")


def test_split_units():
    assert split_units("区住房城乡建 委、区农委") == ["区住房城乡建委", "区农委"]
    assert split_units("区农委 区食药监分局，区林业局;区教委") == ["区农委", "区食药监分局", "区林业局", "区教委"]
    assert split_units("市级 有关部门、两江新区 重庆高新区") == ["市级有关部门", "两江新区", "重庆高新区"]
    assert split_units("市交通局，各区县政府") == ["市交通局", "各区县政府"]
    assert split_units("") == []
    assert [is_unit(u) for u in ("区农委", "委", "试行", "以下简称市级高新区", "团市委", "重庆市人民政府令第10号")] == [
        True, False, False, False, True, False,
    ]


# --- filters --------------------------------------------------------------------------------


def _task(units: list[str], deadline: Deadline | None) -> Task:
    return Task("任务", units, [], ["市级有关部门"], deadline, (1, 1))


def test_filter_tasks():
    june = _task(["市司法局"], Deadline("2021年6月30日", "date", "2021-06-30"))
    dec = _task(["市政府职转办"], Deadline("2021年12月31日", "date", "2021-12-31"))
    ongoing = _task(["市司法局"], Deadline("持续推进", "ongoing"))
    tasks = [june, dec, ongoing]
    assert filter_tasks(tasks, unit="司法") == [june, ongoing]
    assert filter_tasks(tasks, unit="有关部门") == tasks  # partner units count too
    assert filter_tasks(tasks, due_before="2021-06-30") == [june]  # on or before
    assert filter_tasks(tasks, due_before="2021年7月1日") == [june]
    assert filter_tasks(tasks, overdue_as_of="2021-07-01") == [june]
    assert filter_tasks(tasks, overdue_as_of="2021-06-30") == []
    assert filter_tasks(tasks, unit="职转办", due_before="2022-01-01") == [dec]
    with pytest.raises(InputError):
        filter_tasks(tasks, due_before="next week")


# --- properties -----------------------------------------------------------------------------

_PIECES = ["（牵头单位：", "区农委", "、", "；配合部门：", "）", "(区林业局)", "一、", "（二）", "3.", "\t", "|",
           "2021年6月底前", "牵头", "配合", "，", "。", " ", "完成时限：", "（", "第一条"]
_texts = st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=6)), max_size=8).map("".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(_texts, max_size=20), st.one_of(st.none(), st.integers(1990, 2030)))
@example(["||（牵头单位：", "（牵头单位：|牵头"], None)  # a unit cell of the mark alone gave the unit ''
def test_never_crashes_and_task_lines_stay_inside(texts, year):
    src = lines(*texts)
    for task in tasks_of(src, year):
        assert 1 <= task.lines[0] <= task.lines[1] <= len(src)
        assert all(u.strip() for u in (*task.lead_units, *task.responsible_units, *task.partner_units))


def test_assignment_broken_by_wraps():
    (first, second) = tasks_of(
        lines(
            "- (二)建立健全劳务经纪人服务体系。健全工作机制。(牵头部门:区人力",
            "社保局;责任部门:区委组织部、区农业农村委、 各乡镇〔街道〕)",
            "(四)提高服务质量。规范服务内容。(责任单 位:区民政局、区商务委,各街道 办事处、乡镇人民政府)",
        )
    )
    assert (first.lead_units, first.responsible_units) == (["区人力社保局"], ["区委组织部", "区农业农村委", "各乡镇〔街道〕"])
    assert first.lines == (1, 2) and first.text == "建立健全劳务经纪人服务体系。健全工作机制。"
    assert second.responsible_units == ["区民政局", "区商务委", "各街道办事处", "乡镇人民政府"]


# --- the CLI ----------------------------------------------------------------------------------


def _issue_with(tasks: list[Task]):
    from gongbao.models import Document, Gazette, Issue, SourceInfo
    from gongbao.docnumber import parse_doc_number

    doc = Document("重庆市人民政府办公厅关于印发要点的通知", "通知", parse_doc_number("渝府办发〔2021〕2号"), [], None,
                   None, [], [], (1, 9), tasks=tasks)
    return Issue(Gazette(), [doc], [], [], [], [], SourceInfo(None, "", "utf-8", 0, 0))


def test_cli_rendering_on_a_hand_built_issue():
    from gongbao.cli.tasks_cmd import TaskFormat, issue_tasks, render_tasks

    june = Task("建立机制。", ["市司法局"], [], ["市级有关部门"], Deadline("2021年6月30日", "date", "2021-06-30"), (3, 3),
                anchor="s-1", source="table", group="（一）改革")
    ongoing = Task("持续改革。", ["市政府职转办"], ["各区县政府"], [], Deadline("持续推进", "ongoing"), (4, 5))
    issue = _issue_with([june, ongoing])
    assert issue_tasks(issue, unit="职转办") == [("渝府办发〔2021〕2号", ongoing)]
    assert issue_tasks(issue, due_before="2021-12-31") == [("渝府办发〔2021〕2号", june)]
    rows = issue_tasks(issue)
    csv_text = render_tasks(rows, TaskFormat.csv).splitlines()
    assert csv_text[0].startswith("document,anchor,source,group,text,lead_units")
    assert csv_text[1] == "渝府办发〔2021〕2号,s-1,table,（一）改革,建立机制。,市司法局,,市级有关部门,2021年6月30日,date,2021-06-30,3,3"
    data = json.loads(render_tasks(rows, TaskFormat.json))
    assert [(d["document"], d["group"], d["deadline"]["kind"]) for d in data] == [
        ("渝府办发〔2021〕2号", "（一）改革", "date"), ("渝府办发〔2021〕2号", None, "ongoing"),
    ]
    table = render_tasks(rows, TaskFormat.table)
    assert "持续改革。" in table and "2021-06-30" in table and table.endswith("共 2 项任务")
    assert render_tasks([], TaskFormat.table) == "（没有任务）"


def test_cli_on_the_sample_issue():
    from typer.testing import CliRunner

    from gongbao.cli import app

    sample = str(next((ROOT / "samples").glob("001_*.txt")))
    result = CliRunner().invoke(app, ["tasks", sample, "--unit", "司法局", "--due-before", "2021-06-30", "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = result.output.strip().splitlines()[1:]
    # read off the table: 司法局 named and due by 2021-06-30 → the rows at lines 690 and 742
    assert [r.rsplit(",", 2)[1] for r in rows] == ["690", "742"]
    bad = CliRunner().invoke(app, ["tasks", sample, "--due-before", "tomorrow"])
    assert bad.exit_code != 0


def test_pipe_task_table_with_two_line_header_and_lead_marks():
    found = tasks_of(
        lines(
            "| 序号 | 工作任务 | 责任单位 | | 完成时限 |",
            "|---|---|---|---|---|",
            "| | | 牵头单位 | 配合单位 | |",
            "| 1 | <p>建立机制。</p><p>完善制度。</p> | 区发展改革委 | 区财政局<br>区审计局 | 2021年6月底前 |",
            "| 2 | 推进改革。 | | 区司法局（牵头）、区财政局 | 每季度 |",
        ),
        year=2021,
    )
    assert [(t.text, t.lead_units, t.partner_units, t.deadline.kind) for t in found] == [
        ("建立机制。\n完善制度。", ["区发展改革委"], ["区财政局", "区审计局"], "period_end"),
        ("推进改革。", ["区司法局"], ["区财政局"], "recurring"),
    ]
    assert found[0].deadline.iso == "2021-06-30" and found[0].lines == (4, 4)


def test_responsible_column_with_a_lead_mark_and_role_phrases():
    found = tasks_of(
        lines(
            "工作任务\t责任单位\t完成时限",
            "推进改革。\t区司法局（牵头）、区财政局\t2021年12月底前",
            "（五）加强督查。（责任单位：各区县政府，市级有关部门按职责分工负责）",
        ),
        year=2021,
    )
    assert [(t.lead_units, t.responsible_units) for t in found] == [
        (["区司法局"], ["区财政局"]),
        ([], ["各区县政府", "市级有关部门"]),
    ]


def test_task_table_whose_task_column_is_named_for_its_subject() -> None:
    from gongbao.models import Table
    from gongbao.parse.tasks import get_tasks

    table = Table(
        header=["序号", "民生实事", "牵头单位", "完成时限"],
        rows=[["1", "新增城镇就业2.5万人", "市人力资源社会保障局", "2021年12月底"]],
        lines=(10, 11),
    )
    (task,) = get_tasks([], [], [table], context_year=2021)
    assert (task.text, task.lead_units, task.deadline.iso) == ("新增城镇就业2.5万人", ["市人力资源社会保障局"], "2021-12-31")
