"""Chinese labels of the codes gongbao stores: one table per concept, used by the portal,
the CLI's text output and the CSV exports (JSON keeps the code, with ``label`` beside it).

The tables are data; ``label(table, code)`` is the one lookup.  Codes without a label come
back as they are, so a new code shows up rather than disappearing.
"""

from __future__ import annotations

import re

from gongbao.models import Notice

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

# Warnings (parse and extraction) and status evidence are stored as a code with parameters
# (models.Notice); these templates are their one rendering in Chinese.
WARNING = {
    "decoded_as": "文件按 {encoding} 编码读取",
    "no_page_numbers": "共 {pages} 页，页眉页脚中未找到页码：目录页码无法与实际页核对",
    "pages_ocr": "{count} 页没有文字层，已用文字识别（OCR）读取（第一处在第 {first} 页）",
    "low_confidence": "第 {page} 页有一行识别置信度低（{confidence}）：请人工核对“{text}”",
    "no_head": "未找到公文版头：全文按一件文件解析",
    "no_title": "未找到标题",
    "no_date": "未找到成文日期",
    "no_issuer": "未找到发文机关",
    "empty_document": "文件没有正文",
    "date_from_note": "成文日期取自标题下的题注",
    "title_cut": "标题过长（{length:,} 个字符），已截取前 {kept} 个字符",
    "table_header_differs": "第 {line} 行：续表表头与第一部分不同",
    "table_cells": "第 {line} 行：{cells} 个单元格，表头为 {columns} 列",
    "numbering_continues": "序号接续上一部分（{number}）",
    "numbering_repeated": "序号 {number} 重复",
    "numbering_restarts": "序号在 {previous} 之后从 1 重新开始",
    "numbering_skips": "序号不连续：应为 {expected}，实为 {found}",
    "text": "{text}",  # a warning stored as a sentence by an older gongbao, no code of its own
}
EVIDENCE = {
    "quote": "{text}",  # a sentence of the document itself, or of the one that repeals or revises it
    "in_force_as_of": "截至 {as_of} 未见废止、失效的记载",
    "unknown_as_of": "截至 {as_of} 未见关于其效力的记载",
    "expired_after": "有效期至 {date}，已届满",
    "takes_effect": "自 {date} 起施行，尚未生效",
    "pending_repeal": "将自 {date} 起废止：{text}",
    "dated_by_issue": "无成文日期：按所载公报 {published} 出版计",
    "corrected": "编辑更正：{reason}（{editor}，{date}）",
    "title": "标题：{title}",  # the document's own title says it (…关于转发X的通知, X（修订）)
    "embedded": "印发的文本：{title}",
    "editor_relation": "编辑更正：{reason}",
}
_NOTICES = WARNING | EVIDENCE

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


def describe(notice: Notice | dict) -> str:
    """A warning or piece of evidence (a ``Notice``, or as stored: ``{"code", "params"}``) as one
    Chinese sentence; a code without a template, or parameters that do not fit it, as the code."""
    code, params = (notice.code, dict(notice.params)) if isinstance(notice, Notice) else (notice["code"], notice.get("params") or {})
    template = _NOTICES.get(code)
    if template is None:
        return code
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return code


def labelled(notice: Notice | dict) -> dict:
    """The JSON form of a notice: its code, its parameters and its Chinese ``label``."""
    stored = notice.to_dict() if isinstance(notice, Notice) else {"code": notice["code"], "params": notice.get("params") or {}}
    return {**stored, "label": describe(notice)}


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
