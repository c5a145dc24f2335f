"""Tables: the 2021 政务服务 task table of sample 001 (hand-read), pipe/HTML/tab forms, properties."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongbao.labels import describe
from gongbao.models import Line, Notice
from gongbao.parse.tables import get_tables, table_line_numbers

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def lines(*texts: str) -> list[Line]:
    return [Line(t, n, n) for n, t in enumerate(texts, 1)]


@pytest.fixture(scope="module")
def services_table():
    src = next(SAMPLES.glob("001_*.txt")).read_text(encoding="utf-8").split("\n")
    a = src.index("附件：2021年重庆市政务服务工作任务分解")
    b = next(i for i in range(a, len(src)) if src[i].startswith("重庆市人民政府办公厅 关于印发重庆市市级高新"))
    tables = get_tables([Line(src[i], i + 1, i + 1) for i in range(a, b) if src[i].strip()])
    assert len(tables) == 1
    return tables[0]


# (source line of the row, start of 具体工作, 牵头单位, 完成时限), read off the sample; the row
# cut at "社会投资小型低 / 风险建设项目" (lines 739-740) is one row
SERVICE_ROWS = [
    (682, "全面承接落实国务院决定取", "市政府职转办、市司法局", "持续推进"),
    (683, "严格控制新设行政许可事项", "市政府职转办、市司法局", "持续推进"),
    (684, "健全全市政务服务事项清单", "市政府职转办、市司法局", "持续推进"),
    (685, "优化全市政务服务事项管理", "市政府职转办、市政府电子政务中心", "2021年6月30日"),
    (686, "对标“开发区事开发区办”", "市政府职转办", "2021年12月31日"),
    (687, "梳理重庆经开区、万州经开", "市政府职转办", "2021年10月31日"),
    (688, "立足企业需求，提高重庆自", "市政府职转办、市商务委", "2021年12月31日"),
    (689, "逐项梳理行政备案事项，规", "市政府职转办、市司法局", "2021年12月31日"),
    (690, "深化减证便民，推广证明事", "市司法局、市发展改革委、市市场监管局", "2021年6月30日"),
    (691, "抓住营商环境创新试点城市", "市发展改革委", "持续推进"),
    (692, "紧密衔接国家《营商环境创", "市级有关部门", "持续推进"),
    (693, "加强营商环境创新试点工作", "市发展改革委", "持续推进"),
    (696, "推动出台《重庆市优化营商", "市发展改革委", "2021年12月31日"),
    (697, "建立营商环境创新试点工作", "市发展改革委", "持续推进"),
    (698, "优化“渝快办”平台技术架", "市政府电子政务中心", "持续推进"),
    (699, "推动市级部门政务服务业务", "市政府电子政务中心", "2021年12月31日"),
    (700, "开展常态化巡查，建立问题", "市政府电子政务中心", "持续推进"),
    (701, "开展“渝快办”平台使用体", "市政府电子政务中心", "2021年12月31日"),
    (702, "加强乡镇（街道）公共服务", "各区县政府", "2021年12月31日"),
    (703, "加强窗口工作人员业务培训", "各区县政府", "持续推进"),
    (704, "积极推进区县依申请类事项", "各区县政府", "持续推进"),
    (705, "区县政务服务中心综合窗口", "各区县政府", "2021年12月31日"),
    (706, "推进高频政务服务事项办理", "各区县政府", "持续推进"),
    (707, "拓宽“7×24”小时自助", "各区县政府", "持续推进"),
    (710, "坚持传统服务方式与智能化", "市级有关部门", "持续推进"),
    (711, "加快推进高频公证服务事项", "市司法局、市政府电子政务中心", "2021年12月31日"),
    (712, "推进城市水电气讯利用“渝", "市政府电子政务中心", "2021年12月31日"),
    (713, "梳理发布第三批“跨区县通", "市政府职转办", "2021年6月30日"),
    (714, "深化第一批、第二批“跨区", "市政府职转办、市政府电子政务中心", "2021年12月31日"),
    (715, "建立“跨区县通办”全流程", "市政府职转办", "持续推进"),
    (716, "按国家要求推进74项高频", "市政府职转办、市政府电子政务中心", "2021年12月31日"),
    (717, "2021年4月底前推出第", "市政府职转办", "按时序推进"),
    (718, "建立川渝两地政务信息资源", "市大数据发展局、市政府电子政务中心", "2021年12月31日"),
    (719, "积极梳理存量，对已发布的", "市政府职转办、市政府电子政务中心", "2021年12月31日"),
    (722, "有序扩大增量，在区县已梳", "市政府职转办、市政府电子政务中心", "2021年12月31日"),
    (723, "优化“一件事一次办”系统", "市政府电子政务中心", "2021年12月31日"),
    (724, "立足“一网通办”“全程网", "市政府职转办、市政府电子政务中心", "2021年12月31日"),
    (725, "市级部门行政许可事项“全", "市级有关部门", "2021年12月31日"),
    (726, "区县行政许可事项“全程网", "各区县政府", "2021年12月31日"),
    (727, "国家政务服务平台、“渝快", "市政府职转办、市政府电子政务中心", "2021年12月31日"),
    (728, "建立用户材料证照库，优化", "市政府电子政务中心", "2021年12月31日"),
    (729, "加快推进电子证照场景化应", "市政府电子政务中心", "2021年12月31日"),
    (730, "建成电子签名和电子印章支", "市政府电子政务中心", "2021年12月31日"),
    (731, "加快推进证明类材料在线申", "市政府职转办、市司法局、市政府电子政务中心", "2021年12月31日"),
    (732, "调整发布本区县行政权力事", "各区县政府", "2021年3月31日"),
    (733, "市级部门依申请类事项实际", "市级有关部门", "2021年12月31日"),
    (736, "区县依申请类事项实际办理", "各区县政府", "2021年12月31日"),
    (737, "实现“好差评”主动评价数", "市级有关部门、各区县政府", "2021年12月31日"),
    (738, "鼓励支持通过银行、邮政网", "各区县政府", "持续推进"),
    (739, "探索工程建设项目技术审查", "市住房城乡建设委", "持续推进"),
    (741, "巩固重庆自贸试验区“证照", "市市场监管局、市政府职转办、市司法局、市商务委", "2021年12月31日"),
    (742, "动态调整中介服务事项清单", "市政府职转办、市司法局", "2021年4月30日"),
    (743, "涉及行政许可的中介服务事", "市公共资源交易监管局、市政府职转办", "2021年12月31日"),
    (746, "其他行政管理类别涉及的中", "市公共资源交易监管局、市司法局", "持续推进"),
    (747, "清理取缔行业主管部门自建", "市级有关部门", "2021年12月31日"),
    (748, "推行中介市场准入“零门槛", "市公共资源交易监管局", "2021年12月31日"),
    (749, "提高网上中介超市与“渝快", "市政府电子政务中心、市公共资源交易中心", "2021年12月31日"),
    (750, "定期统计发布、反馈各区县", "市公共资源交易监管局", "持续推进"),
    (751, "出台《重庆市社会信用条例", "市发展改革委", "2021年12月31日"),
    (752, "在生态环境、科研诚信等领", "市生态环境局、市科技局等市级有关部门", "2021年12月31日"),
    (753, "开展重点领域突出问题专项", "市文明办、市发展改革委", "持续推进"),
    (754, "加强“双公示”数据归集,", "市级有关部门", "2021年12月31日"),
    (755, "创新“信易贷”等“信易+", "市发展改革委", "2021年12月31日"),
    (756, "支持綦江区积极探索对招商", "綦江区政府", "2021年12月31日"),
    (759, "支持铜梁区积极探索“免证", "铜梁区政府", "2021年12月31日"),
    (760, "支持合川区积极探索围绕自", "合川区政府", "2021年12月31日"),
    (761, "支持重庆高新区积极探索无", "重庆高新区管委会", "2021年12月31日"),
    (762, "鼓励其他区县结合实际，积", "各区县政府", "持续推进"),
    (763, "建立激励容错机制，对试点", "各区县政府", "2021年12月31日"),
]


def test_services_table_every_row(services_table):
    t = services_table
    assert t.header == ["重点任务", "具体工作", "牵头单位", "配合单位", "完成时限"]
    assert t.title == "2021年重庆市政务服务工作任务分解"
    assert t.lines == (681, 763)
    assert len(t.rows) == len(SERVICE_ROWS) == 69
    got = [(span[0], row[1][:12], row[2], row[4]) for row, span in zip(t.rows, t.row_lines, strict=True)]
    assert got == SERVICE_ROWS
    assert all(len(row) == 5 for row in t.rows)
    assert not [r for r in t.rows if r[1] == "具体工作"]  # the header repeated on 6 pages is gone
    assert [t.row_lines[i][0] for i in t.page_starts] == [696, 710, 722, 736, 746, 759]


def test_services_table_row_cut_by_page_break_is_joined(services_table):
    t = services_table
    i = [span[0] for span in t.row_lines].index(739)
    row = t.rows[i]
    assert t.row_lines[i] == (739, 740)
    assert row[0] == "(十一) 深化工程建设项目审批制度改革"
    assert "社会投资小型低风险建设项目全流程23天办结" in row[1]
    assert row[1].endswith("探索推进“智慧工地”建设。")
    assert row[2] == "市住房城乡建设委"
    assert "市人民防空办、市水利局、市经济信息委" in row[3]
    assert row[4] == "持续推进"


def test_services_table_groups(services_table):
    groups = [(span[0], row[0]) for row, span in zip(services_table.rows, services_table.row_lines, strict=True) if row[0]]
    assert [g[0] for g in groups] == [
        682, 690, 696, 698, 702, 711, 713, 716, 719, 722, 724, 732, 736, 739, 741, 742, 746, 751, 756, 759,
    ]
    assert dict(groups)[746] == "(十三) 推进网上中介超市规范运行"  # wrap spaces inside the cell repaired
    assert dict(groups)[702] == "(四) 提升基层政务服务能力"
    # 具体工作 of the rows without a group cell: the group above continues, the row stays a row
    assert services_table.rows[1][:2] == ["", "严格控制新设行政许可事项。"]


def test_pipe_table_with_p_cells_split_over_two_pages():
    t, = get_tables(
        lines(
            "表1 任务分工",
            "| 序号 | 工作任务 | 责任单位 | 完成时限 |",
            "|---|:---|---|---|",
            "| 1 | <p>建立机制。</p><p>完善制度。</p> | 区发展改革委 | 2021年6月底前 |",
            "| 2 | 推进改革。 | 区司法局、区财政局 | 持续推进 |",
            "— 12 —",
            "| 序号 | 工作任务 | 责任单位 | 完成时限 |",
            "| --- | --- | --- | --- |",
            "| 3 | 开展培训 | 区人力社保局 | 每季度 |",
            "| | 和考核。 | | |",
        )
    )
    assert t.title == "表1 任务分工"
    assert t.header == ["序号", "工作任务", "责任单位", "完成时限"]
    assert t.rows == [
        ["1", "建立机制。\n完善制度。", "区发展改革委", "2021年6月底前"],
        ["2", "推进改革。", "区司法局、区财政局", "持续推进"],
        ["3", "开展培训和考核。", "区人力社保局", "每季度"],
    ]
    assert t.row_lines == [(4, 4), (5, 5), (9, 10)]
    assert t.lines == (2, 10)
    assert not t.warnings


def test_pipe_table_without_outer_pipes():
    t, = get_tables(lines("标题", "序号 | 工作任务 | 责任单位", "---|---|---", "1 | 甲。 | 区农委", "2 | 乙。 | 区林业局", "正文"))
    assert (t.title, t.header, t.rows, t.lines) == (
        "标题", ["序号", "工作任务", "责任单位"], [["1", "甲。", "区农委"], ["2", "乙。", "区林业局"]], (2, 5),
    )


def test_html_table_with_rowspan_and_paragraphs():
    t, = get_tables(
        lines(
            "<table><tr><th>重点任务</th><th>工作措施</th><th>牵头单位</th></tr>",
            '<tr><td rowspan="2">（一）优化服务</td><td><p>简化流程。</p><p>压缩时限。</p></td><td>区政务服务中心</td></tr>',
            "<tr><td>推行网办。</td><td>区大数据局</td></tr></table>",
        )
    )
    assert t.header == ["重点任务", "工作措施", "牵头单位"]
    assert t.rows == [
        ["（一）优化服务", "简化流程。\n压缩时限。", "区政务服务中心"],
        ["（一）优化服务", "推行网办。", "区大数据局"],
    ]
    assert t.lines == (1, 3)


def test_column_mismatch_warns_and_pads():
    t, = get_tables(lines("任务\t牵头单位\t完成时限", "甲任务。\t区农委\t2021年底", "乙任务。\t区林业局"))
    assert t.rows[1] == ["乙任务。", "区林业局", ""]
    assert t.warnings == [Notice.of("table_cells", line=3, cells=2, columns=3)]
    assert describe(t.warnings[0]) == "第 3 行：2 个单元格，表头为 3 列"


def test_group_rows_stay_rows_but_seq_rows_continue():
    grouped, = get_tables(lines("重点任务\t具体工作\t牵头单位", "（一）改革\t取消事项。\t区司法局", "\t下放事项。\t区财政局"))
    assert len(grouped.rows) == 2
    numbered, = get_tables(
        lines("序号\t工作任务\t责任单位", "1\t取消事项\t区司法局", "序号\t工作任务\t责任单位", "\t和下放事项\t")
    )
    assert numbered.rows == [["1", "取消事项和下放事项", "区司法局"]]  # the top of the next page
    # a complete row under a merged 序号 cell is a row of its own
    sub, = get_tables(lines("序号\t工作任务\t责任单位", "1\t取消事项\t区司法局", "\t下放事项\t区财政局"))
    assert sub.rows == [["1", "取消事项", "区司法局"], ["", "下放事项", "区财政局"]]
    # …also when a group column is empty on the sub-rows, as it is by design
    grouped_seq, = get_tables(
        lines(
            "序号\t重点任务\t具体措施\t责任单位",
            "1\t（一）改革\t取消事项。\t区司法局",
            "\t\t下放事项。\t区财政局",
            "2\t（二）服务\t优化政务服务流\t区政务服务中心",
            "\t\t程。\t",
        )
    )
    assert [r[2] for r in grouped_seq.rows] == ["取消事项。", "下放事项。", "优化政务服务流程。"]


def test_single_tab_line_and_toc_are_not_tables():
    assert get_tables(lines("重庆市内部审计工作办法·····\t(1)", "正文第一段。")) == []
    assert table_line_numbers(get_tables(lines("甲\t乙", "1\t2", "正文"))) == {1, 2}


_cells = st.lists(st.sampled_from(["", " ", "甲。", "区农委", "<p>a</p><p>b</p>", "序号", "|", "<td>", "---"]), max_size=5)
_line = st.one_of(
    _cells.map("\t".join),
    _cells.map(lambda c: "| " + " | ".join(c) + " |"),
    st.sampled_from(["|---|---|", "---|---", "a | b", "<table><tr><td>1</td></tr></table>", "<table><tr><td rowspan=3>x",
                     "</table>", "正文。"]),
    st.text(max_size=10),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_line, max_size=20))
def test_never_crashes_and_rows_stay_inside(texts):
    src = lines(*texts)
    for table in get_tables(src):
        assert len(table.rows) == len(table.row_lines)
        for first, last in [table.lines, *table.row_lines]:
            assert 1 <= first <= last <= len(src)


def test_row_cut_inside_a_cell_by_a_page_break_is_mended() -> None:
    from gongbao.models import Line
    from gongbao.parse.tables import get_tables

    texts = [
        "| 序号 | 工作任务 | 牵头单位 | 责任单位 | 完成时限 |",
        "|---|---|---|---|---|",
        "| 1 | 新改建农村卫生厕所 | 区农业农村委 | 各镇街 | 2025年12月底 |",
        "| 2 | 建立农村生活垃圾收运处置体系，实现行政村全 |",
        "— 5 —",
        "| 序号 | 工作任务 | 牵头单位 | 责任单位 | 完成时限 |",
        "|---|---|---|---|---|",
        "| 覆盖 | 区城市管理局 | 各镇街 | 2022年6月底 |",
    ]
    lines = [Line(t, n, n) for n, t in enumerate(texts, start=1)]
    (table,) = get_tables(lines)
    assert table.rows[-1] == ["2", "建立农村生活垃圾收运处置体系，实现行政村全覆盖", "区城市管理局", "各镇街", "2022年6月底"]
    assert table.row_lines[-1] == (4, 8)
