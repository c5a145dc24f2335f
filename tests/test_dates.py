"""The one date module: dates, ranges and deadlines in every written form of the genre."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongbao.dates import find_dates, parse_date, parse_deadline
from gongbao.models import Deadline


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2021年5月25日", "2021-05-25"),
        ("2021 年 5 月 25 日", "2021-05-25"),
        ("  2021年05月05日。", "2021-05-05"),
        ("（2021年1月4日）", "2021-01-04"),
        ("２０２１年５月２５日", "2021-05-25"),
        ("二〇二〇年七月十日", "2020-07-10"),
        ("二零二零年七月十日", "2020-07-10"),
        ("二○二○年十二月二十一日", "2020-12-21"),
        ("二O二O年十一月三十日", "2020-11-30"),
        ("二〇二一年一月三日", "2021-01-03"),
        ("2021.05.25", "2021-05-25"),
        ("2021-05-25", "2021-05-25"),
        ("2021/5/25", "2021-05-25"),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_parse_date_context_year():
    assert parse_date("5月25日", context_year=2021) == "2021-05-25"
    assert parse_date("5月25日") is None


@pytest.mark.parametrize(
    "text", ["", "2021年2月30日", "2021年13月1日", "2021/5-25", "2021年5月", "二〇二〇年七月十日起施行", "文号"]
)
def test_parse_date_rejects(text):
    assert parse_date(text) is None


def _dates(text, year=None):
    return [(d, text[a:b]) for d, a, b in find_dates(text, context_year=year)]


def test_find_ranges():
    assert _dates("会议于11月3日至5日召开", 2014) == [
        (Deadline("11月3日至5日", "range", "2014-11-03", "2014-11-05"), "11月3日至5日")
    ]
    assert _dates("2014年11月18日至2015年1月31日") == [
        (Deadline("2014年11月18日至2015年1月31日", "range", "2014-11-18", "2015-01-31"),
         "2014年11月18日至2015年1月31日")
    ]
    [(found, _)] = _dates("2019年10月16日—12月19日,市审计局根据")
    assert (found.kind, found.iso, found.end_iso) == ("range", "2019-10-16", "2019-12-19")
    [(found, _)] = _dates("2020年6月-9月开展专项行动")
    assert (found.kind, found.iso, found.end_iso) == ("range", "2020-06-01", "2020-09-30")
    [(found, _)] = _dates("2021年11月1日-2021年12月31日")
    assert (found.iso, found.end_iso) == ("2021-11-01", "2021-12-31")
    [(found, _)] = _dates("12月20日至1月10日", 2020)
    assert (found.iso, found.end_iso) == ("2020-12-20", "2021-01-10")


def test_find_inherits_year_from_earlier_mentions():
    text = "（2014年10月16日至11月30日）。确保于2014年11月15日前停产，11月30日前完成依法取缔工作"
    found = _dates(text)
    assert [(d.kind, d.iso, d.end_iso, raw) for d, raw in found] == [
        ("range", "2014-10-16", "2014-11-30", "2014年10月16日至11月30日"),
        ("date", "2014-11-15", None, "2014年11月15日"),
        ("date", "2014-11-30", None, "11月30日"),
    ]


def test_find_keeps_spans_and_skips_non_dates():
    text = "本意见从2014年11月1日起执行，有效期2年。2013—2018年度，共计14个月，2月30日"
    found = find_dates(text)
    assert [(d.iso, text[a:b]) for d, a, b in found] == [("2014-11-01", "2014年11月1日")]


@pytest.mark.parametrize(
    "text, kind, iso",
    [
        ("2021年12月31日", "date", "2021-12-31"),
        ("2021年6月25日18:00", "date", "2021-06-25"),
        ("2021年6月25日18：00前", "date", "2021-06-25"),
        ("12月31日前", "date", "2021-12-31"),
        ("2021年4月30日前", "date", "2021-04-30"),
        ("2019年9月底", "period_end", "2019-09-30"),
        ("2020年2月底前", "period_end", "2020-02-29"),
        ("2021年底", "period_end", "2021-12-31"),
        ("2021年底前", "period_end", "2021-12-31"),
        ("年内", "period_end", "2021-12-31"),
        ("年底前", "period_end", "2021-12-31"),
        ("2021年6月", "period_end", "2021-06-30"),
        ("上半年", "period_end", "2021-06-30"),
        ("2022年下半年", "period_end", "2022-12-31"),
        ("第三季度", "period_end", "2021-09-30"),
        ("2021年一季度", "period_end", "2021-03-31"),
        ("2021年4月底前", "period_end", "2021-04-30"),
        ("9月底前", "period_end", "2021-09-30"),
        ("2020年10月中旬", "period_end", "2020-10-20"),
        ("2021年", "period_end", "2021-12-31"),
        ("每月20日前", "recurring", None),
        ("每季度", "recurring", None),
        ("每年", "recurring", None),
        ("每半年", "recurring", None),
        ("每周五", "recurring", None),
        ("持续推进", "ongoing", None),
        ("持续开展", "ongoing", None),
        ("长期坚持", "ongoing", None),
        ("长期", "ongoing", None),
        ("常态化推进", "ongoing", None),
        ("按时序推进", "ongoing", None),
        ("立即启动", "unknown", None),
        ("", "unknown", None),
    ],
)
def test_parse_deadline(text, kind, iso):
    found = parse_deadline(text, context_year=2021)
    assert (found.raw, found.kind, found.iso) == (text, kind, iso)


def test_deadline_year_ranges_and_starts():
    assert parse_deadline("2021—2022年") == Deadline("2021—2022年", "range", "2021-01-01", "2022-12-31")
    assert parse_deadline("2021年-2023年").end_iso == "2023-12-31"
    assert parse_deadline("2021年起持续推进").kind == "ongoing"
    assert parse_deadline("2021年度").iso == "2021-12-31"


def test_deadline_range_and_first_mention():
    assert parse_deadline("2020年6月-9月") == Deadline("2020年6月-9月", "range", "2020-06-01", "2020-09-30")
    assert parse_deadline("2021年6月底前完成，12月31日前全面完成").iso == "2021-06-30"
    assert parse_deadline("2021年底前完成，长期坚持").kind == "period_end"


def test_deadline_without_year_has_no_iso():
    assert parse_deadline("12月31日前") == Deadline("12月31日前", "date", None)
    assert parse_deadline("2019年9月底").iso == "2019-09-30"


@given(st.text(max_size=100), st.none() | st.integers(1900, 2100))
def test_never_fails(text, year):
    found = parse_deadline(text, context_year=year)
    assert found.raw == text
    for date, start, end in find_dates(text, context_year=year):
        assert 0 <= start < end <= len(text)


@given(st.dates())
def test_iso_round_trip(day):
    if 1900 <= day.year <= 2100:
        assert parse_date(f"{day.year}年{day.month}月{day.day}日") == day.isoformat()
        assert parse_date(day.isoformat()) == day.isoformat()


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["2021年", "3月", "5日", " ", "14:30", "14：30", "14时", "30分", "9点", "至", "-"]), max_size=8))
def test_a_time_of_day_ends_a_fragment_only_in_one_of_its_last_characters(pieces):
    # dates._parts strips a trailing time only from a fragment ending in one of _TIME_LAST
    from gongbao import dates

    text = "".join(pieces)
    if text[-1:] not in dates._TIME_LAST:
        assert dates._TIME_END.sub("", text) == text, text
