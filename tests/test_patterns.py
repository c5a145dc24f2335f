"""EndPattern: the last characters it declares are the ones its matches can end in.

A pattern that rules a line out by its last character must never rule out a line it matches:
strings generated from each pattern must end in a declared character, and the gated search
must agree with the plain regular expression on them and on real sample lines."""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongbao.links import relations, validity
from gongbao.parse import header, heads, matter, normalize, patterns
from gongbao.parse.patterns import EndPattern

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
END_PATTERNS = {  # each once, under the name of the module that defines it
    f"{module.__name__}.{name}": value
    for module in (header, normalize, heads, patterns)
    for name, value in vars(module).items()
    if isinstance(value, EndPattern)
}
END_PATTERNS = {name: value for value, name in {v: k for k, v in END_PATTERNS.items()}.items()}


def test_the_gated_patterns_are_found():
    assert {"gongbao.parse.patterns.TITLE_TAIL", "gongbao.parse.patterns.BANNER"} <= set(END_PATTERNS)


@pytest.mark.parametrize("name", sorted(END_PATTERNS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_matches_end_in_a_declared_character(name, data):
    pattern = END_PATTERNS[name]
    text = data.draw(st.from_regex(pattern.regex))
    assert pattern.regex.search(text)
    assert pattern.search(text) is not None, f"{name} rules out {text!r}, which it matches"


@pytest.mark.parametrize("name", sorted(END_PATTERNS))
def test_same_answers_as_the_plain_pattern_on_the_samples(name):
    pattern = END_PATTERNS[name]
    lines = [ln.strip() for f in sorted(SAMPLES.glob("*.txt")) for ln in f.read_text(encoding="utf-8").splitlines()]
    lines += [ln.replace(" ", "") for ln in lines] + ["", "\n", "国务院文件\n"]
    for line in lines:
        assert bool(pattern.search(line)) == bool(pattern.regex.search(line)), line
        assert bool(pattern.match(line)) == bool(pattern.regex.match(line)), line


# --- the other speed gates: each must agree with the test it skips --------------------------


_SAMPLE_LINES = [ln.strip() for f in sorted(SAMPLES.glob("*.txt")) for ln in f.read_text(encoding="utf-8").splitlines()]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_masthead_gate_never_rules_out_a_masthead_line(data):
    text = data.draw(st.from_regex(matter._MASTHEAD_WORD))
    assert matter._MASTHEAD_MARK.search(text), text
    assert matter._is_masthead(data.draw(st.from_regex(_MASTHEAD_LINE)))


# the masthead line as one pattern searched everywhere, as it was before it was split in two
_MASTHEAD_LINE = re.compile(
    r"公报$|^[（(]?(?:月刊|双月刊|半月刊|季刊|旬刊|周刊)[)）]?$|第\s*\d+\s*期|总第\s*\d+\s*期|出版|"
    r"^[^\s：:]{2,10}\s*[：:]|^[A-Z][A-Z '\-.,()0-9]+$|^\d{4}$|内部资料|免费交流|赠阅"
)


def test_masthead_gate_on_the_samples():
    for line in _SAMPLE_LINES:
        assert matter._is_masthead(line) == bool(_MASTHEAD_LINE.search(line)), line


def test_head_ends_cover_what_a_head_line_ends_with():
    # a banner, a title, a title with its 文号 in brackets: the gate in heads._head_read
    assert patterns.TITLE_TAIL.last | patterns.BANNER.last <= heads._HEAD_ENDS
    assert {")", "）"} <= heads._HEAD_ENDS


# the repeal-list header as it was written before (grouped): the split form must find the same
_LIST_HEADER_GROUPED = re.compile(
    r"(?:废止|失效|停止执行)[^。\n]{0,30}?(?:下列|以下|如下|目录|清单|名单)"
    r"|(?:下列|以下|如下)[^。\n]{0,30}?(?:废止|失效|停止执行)"
    r"|(?m:(?:予以|宣布)(?:废止|失效)[：:]?$)"
)
_WORDS = ["废止", "失效", "停止执行", "下列", "以下", "如下", "目录", "清单", "名单", "予以", "宣布", "：", "。", "\n",
          "规章", "文件", "的", "同时"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=30))
def test_list_header_finds_what_the_grouped_pattern_found(words):
    text = "".join(words)
    spans = [m.span() for m in relations._LIST_HEADER.finditer(text)]
    assert spans == [m.span() for m in _LIST_HEADER_GROUPED.finditer(text)], text


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=30))
def test_list_headers_found_from_their_words_are_what_finditer_finds(words):
    # relations reads the headers where a word of _LIST_HEADER_WORDS starts (patterns.find_from_words)
    text = "".join(words)
    found = [m.span() for m in patterns.find_from_words(relations._LIST_HEADER, text, relations._LIST_HEADER_WORDS)]
    assert found == [m.span() for m in relations._LIST_HEADER.finditer(text)], text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["起", "有效期", "试行期", "有效", "期", "试行", "自", "。", "\n"]), max_size=30))
def test_word_starts_are_where_an_alternation_of_the_words_matches(words):
    # validity reads sentences at the places of its expiry words, which cannot overlap
    text = "".join(words)
    alternation = re.compile("|".join(validity._EXPIRY_WORDS))
    assert patterns.word_starts(text, validity._EXPIRY_WORDS) == [m.start() for m in alternation.finditer(text)], text


def test_nfkc_is_unicode_nfkc():
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        for text in (char, f"（{char}\u0301", f"Ａ{char}２"):
            assert patterns.nfkc(text) == unicodedata.normalize("NFKC", text), hex(code)
    for line in _SAMPLE_LINES:
        assert patterns.nfkc(line) == unicodedata.normalize("NFKC", line)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_effective_clause_gate_never_rules_out_a_match(data):
    text = data.draw(st.from_regex(validity._EFFECTIVE))
    assert validity._EFFECTIVE_END.search(text), text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_heading_word_gate_never_rules_out_a_heading(data):
    _, pattern = data.draw(st.sampled_from(patterns.ARTICLE_HEADINGS))
    text = data.draw(st.from_regex(pattern)).split("\n")[0]
    bare = patterns.strip_spaces(text)
    full = patterns._HEADINGS.match(bare)
    kind = patterns.ARTICLE_HEADINGS[int(full.lastgroup[1:])][0] if full else None
    assert patterns.bare_article_kind(bare) == kind, text


def test_heading_word_gate_on_the_samples():
    for line in [*_SAMPLE_LINES, "2021年主要文件目录", "区政府文件目录", "人事任免", "文 件 检 索"]:
        bare = patterns.strip_spaces(line)
        full = patterns._HEADINGS.match(bare)
        assert patterns.bare_article_kind(bare) == (patterns.ARTICLE_HEADINGS[int(full.lastgroup[1:])][0] if full else None)


_CLEANING_MARKS = set('\r\t|<&]*_#>+•=- \u3000\u00a0,:;?!()"')


@settings(max_examples=500, deadline=None)
@given(st.text(st.characters(blacklist_characters=_CLEANING_MARKS, blacklist_categories=("Cs",))))
def test_a_line_without_cleaning_marks_is_only_stripped(raw):
    assert not normalize._NEEDS_CLEANING.search(raw)
    assert normalize._repair_line(raw) == raw.strip()


def test_cleaning_gate_on_the_samples():
    for f in sorted(SAMPLES.glob("*.txt")):
        for raw in f.read_text(encoding="utf-8").split("\n"):
            assert normalize._clean_line(raw) == normalize._repair_line(raw), raw


_ALL_SENTENCES = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")  # every sentence, as one scan finds them


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("甲乙 \u3000\t\n\x1c。；!?;，")), max_size=30))
def test_the_sentence_around_a_character_is_the_one_a_whole_scan_finds(text):
    from types import SimpleNamespace

    from gongbao.links.citations import DocText

    source = DocText(SimpleNamespace(text=text, body=[]))
    spans = [(m.start(), m.end()) for m in _ALL_SENTENCES.finditer(text) if m[0].strip()]
    for position in range(len(text) + 1):
        assert source.sentences_at([position]) == [(a, b) for a, b in spans if a <= position < b], position
    assert source.sentences_at(list(range(len(text)))) == spans


# --- the line-kind gate of parse.matter -------------------------------------------------------

_KIND_PATTERNS = [p for _, p in patterns.ARTICLE_HEADINGS] + [matter._MASTHEAD_START, matter._MASTHEAD_WORD,
                                                               heads._TOC_TAIL.regex, heads._TOC_NUMBERED]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_kind_gate_never_rules_out_a_marked_line(data):
    """A line any of the kind tests reads as more than prose is let through by may_be_marked."""
    text = data.draw(st.from_regex(data.draw(st.sampled_from(_KIND_PATTERNS)))).split("\n")[0].strip()
    text += data.draw(st.sampled_from(["", "，本条例所称的事项，依照有关规定办理，并向社会公布实施情况。"]))
    bare = patterns.strip_spaces(text)
    if not matter.may_be_marked(text, bare):
        assert matter._marked_kind(text, bare) == matter._plain_kind(bare), text


def test_kind_gate_on_the_samples():
    for line in [*_SAMPLE_LINES, "2021年主要文件目录", "区政府文件目录", "人事任免", "CONTENTS", "1998", "【政务要闻】"]:
        text = line.strip()
        bare = patterns.strip_spaces(text)
        if not matter.may_be_marked(text, bare):
            assert matter._marked_kind(text, bare) == matter._plain_kind(bare), text


# --- normalisation patterns written mark first ------------------------------------------------

_CJKISH = f"[{normalize._CJKISH}]"


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("甲乙，（ 1%a,;:?!/")), max_size=20))
def test_mark_first_patterns_find_what_the_lookbehind_ones_found(text):
    """The space- and mark-first forms of _SPACE_IN_CJK, _SPACE_CJK_DIGIT and _HALF_PUNCT change
    a line (spaces single, as _fix_spaces leaves them) as the lookbehind-first forms did."""
    text = re.sub(" +", " ", text)
    cjk = f"[{patterns.CJK}]"
    before = {
        normalize._SPACE_IN_CJK: re.compile(f"(?<={_CJKISH})[ \u3000\u00a0]+(?={_CJKISH})"),
        normalize._SPACE_CJK_DIGIT: re.compile(f"(?<={cjk})[ \u00a0]+(?=[0-9%])|(?<=[0-9%])[ \u00a0]+(?={cjk})"),
    } | {now: re.compile(f"(?<={_CJKISH}){re.escape(half)}(?![0-9/])") for half, now, _ in normalize._HALF_PUNCT}
    for now, then in before.items():
        assert now.sub("#", text) == then.sub("#", text), (now.pattern, text)


def _fix_punctuation_then(line: str) -> str:
    """_fix_punctuation as it was before the marks were converted one pattern a mark: all five in
    one pattern, each through a Python callback."""
    half_punct = re.compile(f"(?<={_CJKISH})[,:;?!](?![0-9/])")

    def parens_then_punct(text: str) -> str:
        if "(" in text:
            text = normalize._HALF_PARENS.sub(normalize._full_parens, text)
        return half_punct.sub(lambda m: normalize._HALF_TO_FULL[m.group(0)], text)

    if '"' in line:
        line = normalize._until_stable(lambda t: normalize._ASCII_QUOTES.sub(r"“\1”", t), line)
    return normalize._until_stable(parens_then_punct, line)


@settings(max_examples=1000, deadline=None)
@given(st.text(st.sampled_from(list("甲乙，（）() 1a,;:?!/\"")), max_size=24))
def test_marks_converted_one_pattern_a_mark_as_by_one_pattern(text):
    """A mark converted makes the next mark's lookbehind Chinese within the same pass now, a pass
    earlier than before: the line _fix_punctuation returns is the same."""
    assert normalize._fix_punctuation(text) == _fix_punctuation_then(text), text


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("甲乙丙 \u3000\u00a0a1%，。")), max_size=40))
def test_fixing_spaces_twice_changes_nothing(text):
    """_repair_line fixes the spaces of a line a second time only after a mark was converted."""
    once = normalize._fix_spaces(text.strip())
    assert normalize._fix_spaces(once) == once


# --- leader-first patterns ---------------------------------------------------------------------

# PAGE_LEADER_END as it was written before it was written leader first
_PAGE_LEADER_END_THEN = re.compile(r"(?:[·…．.\-—]{2,}|…)\s*[（(]?\d{1,3}[)）]?$|[·…]{3,}$")


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("·…．.-—甲 （(1２)）\n")), max_size=16))
def test_leader_first_page_end_matches_where_the_alternation_did(text):
    assert ((m := re.search(patterns.PAGE_LEADER_END, text)) and m.span()) == (
        (m := _PAGE_LEADER_END_THEN.search(text)) and m.span()), text


def test_leader_first_page_end_on_the_samples():
    for line in _SAMPLE_LINES:
        assert bool(re.search(patterns.PAGE_LEADER_END, line)) == bool(_PAGE_LEADER_END_THEN.search(line)), line


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("·…．.-—甲日年月 （(12０)）2022\n")), max_size=24))
def test_the_three_closing_ends_answer_as_their_alternation(text):
    """normalize._ends_closed: three gated patterns for one alternation searched everywhere."""
    then = re.compile(f"{patterns.ENDS_WITH_DATE.pattern}|{_PAGE_LEADER_END_THEN.pattern}"
                      r"|\d{5,}$|(?:19|20)\d\d[.．/-][01]?\d[.．/-][0-3]?\d$")
    assert normalize._ends_closed(text) == bool(then.search(text)), text


@pytest.mark.parametrize("rule", relations.RULES, ids=lambda rule: rule.keyword.pattern[:12])
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_relation_keyword_holds_one_of_its_rule_words(rule, data):
    """get_relations searches a sentence for a rule only when the sentence holds one of its words."""
    found = rule.keyword.search(data.draw(st.from_regex(rule.keyword)))
    assert any(word in found.group() for word in rule.words), found.group()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_heading_without_its_words_starts_with_a_declared_character(data):
    """bare_article_kind rules a line without 目录 / 任免 out by its first character."""
    text = data.draw(st.from_regex(patterns._HEADINGS_WITHOUT_WORDS))
    m = patterns._HEADINGS_WITHOUT_WORDS.match(text)
    if m:
        assert text[:1] in patterns._HEADING_FIRSTS, text
        assert patterns.bare_article_kind(text) is not None, text


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("（(《〈【“‘\"'— \t\u3000")), max_size=3),
       st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF) | st.sampled_from(list("0123456789")),
       st.text(st.sampled_from(list("\u0301\u20e3\u3099\ufe00 　（）ＡＢ①㈠™ﬁ甲，。")), max_size=6))
def test_a_key_starts_with_the_ideograph_or_digit_its_line_starts_with(lead, first, rest):
    """listed._key_if_may skips a line by its first character after brackets, quotes, dashes and
    spaces when that is a CJK ideograph or an ASCII digit."""
    from gongbao.parse import listed

    text = lead + first + rest
    assert patterns.title_key(text)[:1] == first
    assert listed._key_if_may(text, {first}) == patterns.title_key(text)
    assert listed._key_if_may(text, set()) is None


# --- _closed: the tests the last character decides, only for a line that may end so --------------

def test_whitespace_is_what_str_isspace_accepts():
    assert set(normalize._WHITESPACE) == {c for c in map(chr, range(0x110000)) if c.isspace()}


def _closed_then(a: str) -> bool:
    """normalize._closed as it was before its last-character gate."""
    bare = a.replace(" ", "")
    return bool(
        a[-1] in patterns.TERMINAL
        or a[0] in "（(" and a[-1] in "）)"
        or a[0] == "【" and a[-1] == "】"
        or normalize._is_table_row(a)
        or a.isascii()
        or patterns.BANNER.match(bare)
        or normalize._ends_closed(a)
        or normalize.ends_with_number(a)
        or len(bare) < 50 and normalize._TOC_PAGE_END.search(a)
        or patterns.TITLE_TAIL.search(bare)
        or patterns.ORGAN_TAIL.search(bare) and len(bare) < 40
        or normalize._LABEL_START.match(a) and len(bare) < normalize._RUNNING_TEXT
        or " " in a and len(bare) < normalize._RUNNING_TEXT and not normalize._PROSE_MARK.search(a)
    )


_CLOSING = ["渝府发〔2021〕", "12号", "令第3号", "（第5号）", "国务院", "办公厅", "文件", "关于", "的通知", "规定（试行）",
            "2021年3月1日", "印发", "……12", "（3）", "2022.03.04", "【要闻】", "各区县：", "１２", "甲乙", "，", "。",
            " ", "\u3000", "\xa0", "\t", "|", "(", ")", "a", "9"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_CLOSING), min_size=1, max_size=6).map("".join))
def test_closed_by_its_last_character_as_by_every_test(text):
    assert normalize._closed(text) == _closed_then(text), text


def test_closed_on_the_sample_lines():
    for path in sorted((Path(__file__).parent.parent / "samples").glob("*.txt")):
        for line in normalize.clean_text(path.read_text(encoding="utf-8")).lines:
            assert normalize._closed(line.text) == _closed_then(line.text), line.text
