"""文号 parsing and finding, over the written forms seen in gazettes."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongbao.docnumber import (
    may_be_number_line,
    continues_number,
    cut_after_year,
    ends_with_number,
    find_doc_numbers,
    normalize_doc_number,
    number_after,
    number_line,
    parse_doc_number,
)
from gongbao.models import DocNumber


@pytest.mark.parametrize(
    "text, expected",
    [
        ("渝府办发〔2021〕26号", DocNumber("渝府办发", 2021, "26")),
        ("渝府办发[2021]26号", DocNumber("渝府办发", 2021, "26")),
        ("渝府办发(2021)26号", DocNumber("渝府办发", 2021, "26")),
        ("渝府办发（2021）26号", DocNumber("渝府办发", 2021, "26")),
        ("渝府办发【2021】26号", DocNumber("渝府办发", 2021, "26")),
        ("渝府办发［2021］26号", DocNumber("渝府办发", 2021, "26")),
        ("渝府办发〈2021〉26号", DocNumber("渝府办发", 2021, "26")),
        ("渝府办发﹝2021﹞26号", DocNumber("渝府办发", 2021, "26")),
        ("渝府办发〔2021)26号", DocNumber("渝府办发", 2021, "26")),
        ("  武隆府办发〔2020〕39 号 ", DocNumber("武隆府办发", 2020, "39")),
        ("渝府办发〔2014〕\n117号", DocNumber("渝府办发", 2014, "117")),
        ("武 隆府发(2020)11号", DocNumber("武隆府发", 2020, "11")),
        ("渝府发【２０１４】３号", DocNumber("渝府发", 2014, "3")),
        ("（渝府发〔2013〕52号）", DocNumber("渝府发", 2013, "52")),
        ("国科发火字〔1996〕061号", DocNumber("国科发火字", 1996, "61")),
        ("工信部联企业〔2011〕300号", DocNumber("工信部联企业", 2011, "300")),
        ("京政发〔2020〕第3号", DocNumber("京政发", 2020, "3")),
        ("重庆市人民政府令第329号", DocNumber("重庆市人民政府令", None, "329")),
        ("国务院令 第649号", DocNumber("国务院令", None, "649")),
        ("第340号", DocNumber("", None, "340")),
        ("〔2020〕38号", DocNumber("", 2020, "38")),
    ],
)
def test_parse_written_forms(text, expected):
    assert parse_doc_number(text) == expected


@pytest.mark.parametrize(
    "text", ["", "渝府发", "渝府发〔1900〕3号", "渝府发〔2021〕号", "2021年3月1日", "第三条", "abc〔2021〕3号"]
)
def test_parse_rejects(text):
    assert parse_doc_number(text) is None


def test_printed_forms():
    assert str(parse_doc_number("渝府办发(2021)026号")) == "渝府办发〔2021〕26号"
    assert str(parse_doc_number("重庆市人民政府令第340号")) == "重庆市人民政府令第340号"
    assert normalize_doc_number("永川府发[2014]35号") == "永川府发〔2014〕35号"
    assert normalize_doc_number("not one") is None


def _found(text):
    return [(str(d), text[a:b]) for d, a, b in find_doc_numbers(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("的意见》（国办发〔2013〕47号）精神", [("国办发〔2013〕47号", "国办发〔2013〕47号")]),
        ("(渝办发〔2011〕223号)", [("渝办发〔2011〕223号", "渝办发〔2011〕223号")]),
        ("三年工作方案(2018—2020年)》(财 务函〔2018〕106号)、《2020年工作方案》(财务基函〔2020〕17号)要",
         [("财务函〔2018〕106号", "财 务函〔2018〕106号"), ("财务基函〔2020〕17号", "财务基函〔2020〕17号")]),
        ("的通报(武 隆府发(2020)11号)", [("武隆府发〔2020〕11号", "武 隆府发(2020)11号")]),
        ("的通知》(渝府 办发〔2019〕110号)要求", [("渝府办发〔2019〕110号", "渝府 办发〔2019〕110号")]),
        ("工作的通知(武隆府办发 (2020)49号)", [("武隆府办发〔2020〕49号", "武隆府办发 (2020)49号")]),
        ("有关单位要严格按照国办发〔2014〕18 号文件", [("国办发〔2014〕18号", "国办发〔2014〕18 号")]),
        ("加强对国发〔2013〕41号和渝府办发〔2014〕68 号的落实",
         [("国发〔2013〕41号", "国发〔2013〕41号"), ("渝府办发〔2014〕68号", "渝府办发〔2014〕68 号")]),
        ("的通知》（渝府办发〔2014〕\n117号）精神", [("渝府办发〔2014〕117号", "渝府办发〔2014〕\n117号")]),
        ("的通知 渝府办发〔2014〕128号", [("渝府办发〔2014〕128号", "渝府办发〔2014〕128号")]),
        ("《社会救助暂行办法》（国务院令 第649号）", [("国务院令第649号", "国务院令 第649号")]),
        ("《重庆市内部审计工作办法》(重庆市人民政府令第10号)同时废止",
         [("重庆市人民政府令第10号", "重庆市人民政府令第10号")]),
        ("根据中华人民共和国主席令第12号", [("中华人民共和国主席令第12号", "中华人民共和国主席令第12号")]),
        ("依据人社部发〔2014〕40号、川办函〔2019〕5号、沪府发〔2018〕1号",
         [("人社部发〔2014〕40号", "人社部发〔2014〕40号"), ("川办函〔2019〕5号", "川办函〔2019〕5号"),
          ("沪府发〔2018〕1号", "沪府发〔2018〕1号")]),
        ("原渝经信发〔2016〕9号同时废止", [("渝经信发〔2016〕9号", "渝经信发〔2016〕9号")]),
        ("根据京政发〔2020〕3号和沪府规〔2019〕1号精神",
         [("京政发〔2020〕3号", "京政发〔2020〕3号"), ("沪府规〔2019〕1号", "沪府规〔2019〕1号")]),
        ("按照粤府办〔2020〕5号、国办发明电〔2020〕1号要求",
         [("粤府办〔2020〕5号", "粤府办〔2020〕5号"), ("国办发明电〔2020〕1号", "国办发明电〔2020〕1号")]),
        ("落实自然资规〔2019〕2号文件", [("自然资规〔2019〕2号", "自然资规〔2019〕2号")]),
        ("见苏政办发〔2020〕第12号", [("苏政办发〔2020〕12号", "苏政办发〔2020〕第12号")]),
        ("关于进一步做好渝府发〔2019〕3号文件落实工作", [("渝府发〔2019〕3号", "渝府发〔2019〕3号")]),
        ("请各单位参考渝府发〔2019〕3号", [("渝府发〔2019〕3号", "渝府发〔2019〕3号")]),
        ("经研究，国务院令第588号公布", [("国务院令第588号", "国务院令第588号")]),
        ("的通知（\n〔2020〕38号）", []),
        ("２０２０年共有第3号公告，〔1900〕3号不是文号", []),
    ],
)
def test_find_in_running_text(text, expected):
    assert _found(text) == expected


def test_find_spans_are_of_the_original_text():
    text = "见渝府发〔２０１４〕３号。"
    [(number, start, end)] = find_doc_numbers(text)
    assert number == DocNumber("渝府发", 2014, "3")
    assert text[start:end] == "渝府发〔２０１４〕３号"


_PREFIX = st.text(alphabet="渝府办发国京政沪粤川函财预人社部字委武隆永川", min_size=1, max_size=8)


@given(prefix=_PREFIX, year=st.integers(1949, 2100), serial=st.integers(0, 99999))
def test_round_trip(prefix, year, serial):
    number = DocNumber(prefix, year, str(serial))
    assert parse_doc_number(str(number)) == number
    assert str(parse_doc_number(str(number))) == str(number)
    assert [d for d, _, _ in find_doc_numbers(f"（{number}）")] == [number]


@given(prefix=_PREFIX, serial=st.integers(1, 9999))
def test_round_trip_orders(prefix, serial):
    number = DocNumber(prefix + "令", None, str(serial))
    assert parse_doc_number(str(number)) == number


@given(st.text(max_size=200))
def test_find_never_crashes(text):
    for number, start, end in find_doc_numbers(text):
        assert 0 <= start < end <= len(text)
        assert text[end - 1] == "号"


# --- the line-level recogniser every stage calls -------------------------------------------



@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("甲府办发〔2020〕7号", "甲府办发〔2020〕7号"),
        ("甲 府 发 〔 2019 〕 12 号    签发人：李某", "甲府发〔2019〕12号"),
        ("乙政办发(201O)5", "乙政办发〔2010〕5号"),
        ("第15号", "第15号"),
        ("丙省人民政府令（第8号）", "丙省人民政府令第8号"),
        ("2020年第3号", "〔2020〕3号"),
        ("丙省财政厅公告2020年第3号", "丙省财政厅公告〔2020〕3号"),
    ],
)
def test_number_line_reads_every_shape_of_a_number_line(line, expected):
    assert str(number_line(line)) == expected
    assert may_be_number_line(line)


@given(st.text(st.sampled_from(list("甲府发办令公告第年号签人：〔〕()（）[]2O01 "))))
def test_the_number_line_gate_never_rules_out_a_number_line(line):
    assert number_line(line) is None or may_be_number_line(line), line


@pytest.mark.parametrize("line", ["| 1 | 甲府发〔2020〕7号 | 关于某事的通知 |", "根据甲府发〔2020〕7号文件精神，现通知如下。", "第三条"])
def test_number_line_rejects_table_cells_sentences_and_articles(line):
    assert number_line(line) is None


def test_number_after_splits_a_title_from_its_number():
    assert number_after("甲市人民政府关于某事的通知（甲府发〔2020〕7号）") == (
        "甲市人民政府关于某事的通知",
        parse_doc_number("甲府发〔2020〕7号"),
    )
    title, number = number_after("某某办法（甲市人民政府令第18号）")
    assert title == "某某办法" and str(number) == "甲市人民政府令第18号"
    assert number_after("关于某事的通知") is None


def test_line_ends_and_cuts():
    assert ends_with_number("甲府发〔2020〕7号") and ends_with_number("甲市人民政府令（第18号）")
    assert not ends_with_number("甲府发〔2020〕7号文件要求")
    assert cut_after_year("甲府发〔2020〕", "7号") and not cut_after_year("甲府发", "7号")
    assert continues_number("〔2020〕") and continues_number("7号") and not continues_number("通知")
