"""EndPattern: the last characters it declares are the ones its matches can end in.

A pattern that rules a line out by its last character must never rule out a line it matches:
strings generated from each pattern must end in a declared character, and the gated search
must agree with the plain regular expression on them and on real sample lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongbao.parse import header, heads, normalize, patterns
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
