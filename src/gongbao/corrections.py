"""Editors' corrections: which fields may be corrected, the form each value must have, and
how a stored correction stands after the parser has read its issue again.

Pure: the store keeps corrections apart from parser output and writes what this module
decides (``Store.add_correction``, ``Store.reapply_corrections``).  A value is checked and
normalised here once; a wrong one is refused with one Chinese line (``UsageError``).

Fields (English or Chinese names): title 标题, doc_number 文号, issuers 发文机关, date 成文日期,
type 文种, addressee 主送机关, attachments 附件, status 效力状态, relation 关系, and
task.N.lead_units / responsible_units / partner_units / deadline (任务N.牵头单位 …, N counted
from 1 in the document's order).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gongbao import labels
from gongbao.docnumber import parse_doc_number
from gongbao.errors import UsageError

DOC_FIELDS = ("title", "doc_number", "issuers", "date", "type", "addressee", "attachments", "status", "relation")
TASK_FIELDS = ("lead_units", "responsible_units", "partner_units", "deadline")
_ALIASES = {cn: code for code, cn in labels.FIELD.items()} | {"效力": "status", "发文字号": "doc_number", "时限": "deadline"}
_TASK_FIELD = re.compile(r"^(?:task|任务)[.．\s]?(\d+)[.．\s]?(.+)$")
_LIST_SEPARATORS = re.compile(r"[、，,；;\n]+")
_OMITTED = re.compile(r"[（(]略[)）]$")
_REMOVE = ("-", "删除", "remove")
MAX_VALUE = 2000  # characters: a field, not a document


@dataclass(frozen=True, slots=True)
class FieldRef:
    """A correctable field: ``name`` as stored (``task.3.deadline``), its base field, its task."""

    name: str
    base: str
    task: int | None = None  # 1-based position of the task in its document

    @property
    def label(self) -> str:
        own = labels.label("field", self.base)
        return f"任务{self.task} {own}" if self.task else own


def field_ref(name: str) -> FieldRef:
    """The field an editor named, in English or Chinese; a usage error for anything else."""
    text = name.strip()
    base = _ALIASES.get(text, text)
    if base in DOC_FIELDS:
        return FieldRef(base, base)
    m = _TASK_FIELD.match(text)
    if m:
        sub = _ALIASES.get(m.group(2).strip(" ._"), m.group(2).strip(" ._"))
        if sub in TASK_FIELDS and int(m.group(1)) >= 1:
            return FieldRef(f"task.{int(m.group(1))}.{sub}", sub, int(m.group(1)))
    known = "、".join(f"{labels.label('field', f)}（{f}）" for f in DOC_FIELDS)
    raise UsageError(f"没有可更正的字段“{name}”。可更正：{known}，以及 task.N.lead_units/responsible_units/"
                     "partner_units/deadline（任务N的牵头单位、责任单位、配合单位、完成时限）")


def _units(text: str) -> list[str]:
    return [u for u in ("".join(p.split()) for p in _LIST_SEPARATORS.split(text)) if u]


def _issuers(text: str) -> list[str]:
    return [u for u in (p.strip() for p in re.split(r"[、，,；;\n]+|\s{1,}", text)) if u]


def _attachments(text: str) -> list[dict]:
    out = []
    for part in re.split(r"[；;\n]+", text):
        title = part.strip()
        if title:
            omitted = bool(_OMITTED.search(title))
            out.append({"title": _OMITTED.sub("", title).strip(), "omitted": omitted})
    return out


def _status(text: str) -> str:
    code = {v: k for k, v in labels.STATUS.items()}.get(text, text)
    if code not in labels.STATUS:
        allowed = "、".join(f"{v}（{k}）" for k, v in labels.STATUS.items())
        raise UsageError(f"效力状态只能是 {allowed}，不能是“{text}”")
    return code


def _relation(text: str) -> dict:
    """"废止 渝府发〔2020〕1号" / "repeals 《标题》"; a leading "-" or "删除" removes it."""
    words = text.split(None, 1)
    op = "add"
    if words and words[0] in _REMOVE:
        op, words = "remove", words[1].split(None, 1) if len(words) > 1 else []
    elif words and words[0].startswith("-"):
        op, words = "remove", [words[0][1:], *words[1:]]
    types = {v: k for k, v in labels.RELATION.items()}
    if len(words) != 2 or types.get(words[0], words[0]) not in labels.RELATION:
        allowed = "、".join(f"{v}（{k}）" for k, v in labels.RELATION.items())
        raise UsageError(f"关系应写作“类型 对象”，如“废止 渝府发〔2020〕1号”或“废止 《标题》”；类型可为 {allowed}")
    target = words[1].strip()
    number = parse_doc_number(target)
    title = None if number else target.strip("《》 ")
    if not number and not title:
        raise UsageError("关系的对象应是文号或《标题》")
    return {"op": op, "type": types.get(words[0], words[0]), "doc_number": str(number) if number else None,
            "title": title}


def _deadline(text: str) -> dict:
    from gongbao.dates import parse_deadline  # here: every store loads this module, few correct a deadline

    d = parse_deadline(text.strip())
    if d.kind == "unknown":
        raise UsageError(f"“{text}”不是可识别的完成时限（如 2021-12-31、2021年底前、长期坚持）")
    return {"raw": d.raw, "kind": d.kind, "iso": d.iso, "end_iso": d.end_iso}


def _date(text: str) -> str:
    from gongbao.dates import parse_date

    iso = parse_date(text)
    if iso is None:
        raise UsageError(f"“{text}”不是有效日期（应为 YYYY-MM-DD 或 2021年3月5日 这样的真实日期）")
    return iso


def _doc_number(text: str) -> str:
    number = parse_doc_number(text)
    if number is None:
        raise UsageError(f"“{text}”不是可识别的文号（应如 渝府发〔2021〕3号 或 某某令第12号）")
    return str(number)


def _nonempty(text: str) -> str:
    value = " ".join(text.split())
    if not value:
        raise UsageError("更正的值不能为空")
    return value


_PARSERS = {
    "title": _nonempty, "type": _nonempty, "addressee": _nonempty, "doc_number": _doc_number, "date": _date,
    "issuers": _issuers, "attachments": _attachments, "status": _status, "relation": _relation,
    "lead_units": _units, "responsible_units": _units, "partner_units": _units, "deadline": _deadline,
}


def parse_value(ref: FieldRef, text: str) -> Any:
    """The value ``text`` gives ``ref``, normalised (lists split, 文号 and dates normalised)."""
    if len(text) > MAX_VALUE:
        raise UsageError(f"更正的值太长（{len(text)} 字，最多 {MAX_VALUE} 字）")
    value = _PARSERS[ref.base](text)
    if value in ([], ""):
        raise UsageError(f"{ref.label}的更正值不能为空")
    return value


def check_reason(reason: str | None) -> str:
    """Every correction says why."""
    text = " ".join((reason or "").split())
    if not text:
        raise UsageError("请用 --reason 说明更正的理由")
    return text


def slot(ref_name: str, value: Any) -> str:
    """What a newer correction replaces: the same field — for a relation, the same type and target."""
    if ref_name == "relation":
        return f"relation|{value['type']}|{value['doc_number'] or value['title']}"
    return ref_name


def _has_relation(relations: list[dict], value: dict) -> bool:
    return any(r["type"] == value["type"] and (
        (value["doc_number"] and r.get("doc_number") == value["doc_number"])
        or (value["title"] and r.get("title") == value["title"])) for r in relations)


def matches(ref_name: str, value: Any, parser_value: Any) -> bool:
    """Whether the parser's own value already says what the correction says."""
    if ref_name == "relation":
        present = _has_relation(parser_value or [], value)
        return present if value["op"] == "add" else not present
    if ref_name.endswith(".deadline"):
        return bool(parser_value) and parser_value.get("raw") == value.get("raw")
    return parser_value == value


def judge(ref_name: str, value: Any, parser_value: Any, source_changed: bool) -> str:
    """A correction's state after its issue was read again: ``redundant`` when the parser now
    gives the value itself, ``review`` when the document's text changed under it, else ``active``."""
    if matches(ref_name, value, parser_value):
        return "redundant"
    return "review" if source_changed else "active"


def render_value(ref_name: str, value: Any) -> str:
    """A stored value as an editor reads it (lists joined with 、, statuses and relations in Chinese)."""
    if value is None:
        return ""
    base = ref_name.rsplit(".", 1)[-1]
    if base == "status":
        return labels.label("status", value)
    if base == "relation":
        if isinstance(value, list):
            return "；".join(f"{labels.label('relation', r['type'])} {r.get('doc_number') or '《' + (r.get('title') or '') + '》'}"
                            for r in value)
        target = value["doc_number"] or f"《{value['title']}》"
        return f"{'删除 ' if value['op'] == 'remove' else ''}{labels.label('relation', value['type'])} {target}"
    if base == "attachments":
        return "；".join(a["title"] + ("（略）" if a["omitted"] else "") for a in value)
    if base == "deadline":
        return value.get("raw") or ""
    if isinstance(value, list):
        return "、".join(value)
    return str(value)
