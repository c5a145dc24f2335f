"""Chinese labels of the codes gongbao stores: one table per concept, used by the portal,
the CLI's text output and the CSV exports (JSON keeps the code, with ``label`` beside it).

The tables are data; ``label(table, code)`` is the one lookup.  Codes without a label come
back as they are, so a new code shows up rather than disappearing.
"""

from __future__ import annotations

import re

STATUS = {
    "in_force": "现行有效", "repealed": "已废止", "expired": "失效", "not_yet_in_force": "尚未生效",
    "revised": "已被修订", "unknown": "未知",
}
RELATION = {
    "cites": "引用", "issues": "印发", "forwards": "转发", "revises": "修订", "replaces": "代替",
    "repeals": "废止", "implements": "贯彻·根据", "interprets": "解读",
}
FIELD = {
    "title": "标题", "doc_number": "文号", "issuers": "发文机关", "date": "成文日期", "type": "文种",
    "addressee": "主送机关", "attachments": "附件", "status": "效力状态", "relation": "关系",
    "lead_units": "牵头单位", "responsible_units": "责任单位", "partner_units": "配合单位", "deadline": "完成时限",
}
CORRECTION_STATE = {
    "active": "生效中", "redundant": "已多余（解析结果已相同）", "review": "待复核（原文已变）",
    "superseded": "已被新更正取代",
}
PROGRESS = {"done": "已办结", "in_progress": "进行中", "postponed": "延期", "overdue": "已逾期", "open": "未报告"}
REVIEW_KIND = {
    "warning": "解析警告", "low_confidence": "识别置信度低", "reconciliation": "目录/检索核对", "unassigned": "未归属的行",
    "no_doc_number": "无文号", "document_warning": "文件警告", "correction_review": "更正待复核",
}
REVIEW_DECISION = {"open": "待处理", "accepted": "已确认", "corrected": "已更正", "dismissed": "已驳回"}
RECONCILIATION = {
    "missing_in_body": "目录有、正文未找到", "missing_in_toc": "正文有、目录未列", "missing_in_index": "正文有、文件检索未列",
    "title_differs": "标题与目录不一致", "doc_number_differs": "文号与目录不一致", "english_toc_differs": "英文目录不一致",
    "page_differs": "页码与目录不一致", "continuation_page_differs": "转页页码不一致",
}
SOURCE_KIND = {"issue": "公报", "document": "单行文件"}

_TABLES = {
    "status": STATUS, "relation": RELATION, "field": FIELD, "correction_state": CORRECTION_STATE,
    "progress": PROGRESS, "review_kind": REVIEW_KIND, "review_decision": REVIEW_DECISION, "source_kind": SOURCE_KIND,
    "reconciliation": RECONCILIATION,
}

# The links stage still writes its status notes as English sentences; until they are codes
# with parameters (the parser's area), this is the one place that renders them in Chinese.
_EVIDENCE = [
    (re.compile(r"^no repeal or expiry found as of (\S+)$"), r"截至 \1 未见废止、失效的记载"),
    (re.compile(r"^nothing known about its force as of (\S+)$"), r"截至 \1 未见关于其效力的记载"),
    (re.compile(r"^expired after (\S+)$"), r"有效期至 \1，已届满"),
    (re.compile(r"^takes effect on (\S+)$"), r"自 \1 起施行，尚未生效"),
    (re.compile(r"^(?:repeals|replaces) from (\S+): (.*)$", re.S), r"将自 \1 起废止：\2"),
    (re.compile(r"^revises from (\S+): (.*)$", re.S), r"将自 \1 起修订：\2"),
    (re.compile(r"^no 成文日期: dated by its gazette issue, published (\S+)$"), r"无成文日期：按所载公报 \1 出版计"),
]

_DIGITS = "零一二三四五六七八九"
_LEVEL_WORDS = {"pt": "编", "ch": "章", "sec": "节", "art": "条"}
_PART = re.compile(r"^(pt|ch|sec|art|s)-(\d+)(?:_\d+)?$")
# below a 条 the numbers are 款/项; below an s- (一、) heading, （一） then 1. then （1）
_SUB_FORMS = ("（{cn}）", "{n}.", "（{n}）", "{n})")


def label(table: str, code: str | None) -> str:
    """The Chinese label of ``code`` in ``table`` (the code itself when it has none)."""
    if code is None:
        return ""
    return _TABLES[table].get(code, code)


def evidence_label(note: str) -> str:
    """A status note in Chinese (notes already in Chinese, such as quoted sentences, as they are)."""
    for pattern, chinese in _EVIDENCE:
        if pattern.match(note):
            return pattern.sub(chinese, note)
    return note


def chinese_number(n: int) -> str:
    """25 → 二十五, 10 → 十, 105 → 一百零五 (the numerals 条 and 章 are printed with)."""
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        return _DIGITS[hundreds] + "百"
    if rest < 10:
        return _DIGITS[hundreds] + "百零" + _DIGITS[rest]
    return _DIGITS[hundreds] + "百" + ("一" if rest < 20 else "") + chinese_number(rest)


def _sub(numbers: list[str], after_article: bool) -> str:
    if after_article:
        return "".join(f"第{chinese_number(int(n))}项" for n in numbers if n.isdigit())
    out = []
    for depth, n in enumerate(numbers):
        if not n.split("_")[0].isdigit():
            return ""
        value = int(n.split("_")[0])
        out.append(chinese_number(value) + "、" if depth == 0 else
                   _SUB_FORMS[min(depth - 1, len(_SUB_FORMS) - 1)].format(cn=chinese_number(value), n=value))
    return "".join(out).rstrip("、")


def anchor_label(anchor: str | None) -> str:
    """An outline anchor as a reader cites it: art-25 → 第二十五条, pt-1.ch-2 → 第一编第二章,
    art-16.3 → 第十六条第三项, s-2.3 → 二、（三）; anything else as it is."""
    if not anchor:
        return ""
    out, parts = [], anchor.split(".")
    for i, part in enumerate(parts):
        m = _PART.match(part)
        if m is None:
            rest = _sub(parts[i:], after_article=bool(out) and out[-1].endswith("条"))
            return "".join(out) + rest if rest else anchor
        level, value = m.group(1), int(m.group(2))
        if level == "s":
            rest = _sub([m.group(2), *parts[i + 1:]], after_article=False)
            return "".join(out) + rest if rest else anchor
        out.append(f"第{chinese_number(value)}{_LEVEL_WORDS[level]}")
    return "".join(out)
