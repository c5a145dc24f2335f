"""Warnings as codes: the sentences an older gongbao stored (English from the parser, Chinese from
extraction and input bounds) become ``{"code", "params"}`` as ``models.Notice`` stores them, and
review decisions taken on them keep their item (its key is now made from the code and parameters).
A sentence that fits no code is kept as ``{"code": "text", "params": {"text": …}}``.

Run by ``store.migrate`` on SQLite and PostgreSQL alike: ``upgrade`` gets a function that runs one
statement (``?`` placeholders) and returns its rows as tuples.
"""

from __future__ import annotations

import json
import re

from gongbao.store.ids import review_key, warning_finding

_NUMBER = r"(\d[\d,]*)"
# (old sentence, code, names of its numbered groups; numeric ones are stored as int)
_SENTENCES = [
    (r"decoded as (\S+)", "decoded_as", ("encoding",)),
    (r"no document head found: parsed as a single document", "no_head", ()),
    (r"no title found", "no_title", ()),
    (r"no signature date \(成文日期\) found", "no_date", ()),
    (r"no issuer found", "no_issuer", ()),
    (r"empty document", "empty_document", ()),
    (r"date taken from the note under the title", "date_from_note", ()),
    (rf"line {_NUMBER}: header differs from the first part", "table_header_differs", ("line",)),
    (rf"line {_NUMBER}: {_NUMBER} cells for {_NUMBER} columns", "table_cells", ("line", "cells", "columns")),
    (rf"numbering continues from the previous section \({_NUMBER}\)", "numbering_continues", ("number",)),
    (rf"number {_NUMBER} repeated", "numbering_repeated", ("number",)),
    (rf"numbering restarts at 1 after {_NUMBER}", "numbering_restarts", ("previous",)),
    (rf"numbering skips: expected {_NUMBER}, found {_NUMBER}", "numbering_skips", ("expected", "found")),
    (rf"标题过长（{_NUMBER} 个字符），已截取前 {_NUMBER} 个字符", "title_cut", ("length", "kept")),
    (rf"共 {_NUMBER} 页，页眉页脚中未找到页码：目录页码无法与实际页核对", "no_page_numbers", ("pages",)),
    (rf"{_NUMBER} 页没有文字层，已用文字识别（OCR）读取（第一处在第 {_NUMBER} 页）", "pages_ocr", ("count", "first")),
    (rf"第 {_NUMBER} 页有一行识别置信度低（([\d.]+)）：请人工核对“(.*)”", "low_confidence", ("page", "confidence", "text")),
]
_COMPILED = [(re.compile(pattern, re.S), code, names) for pattern, code, names in _SENTENCES]
_NUMERIC = {"line", "cells", "columns", "number", "previous", "expected", "found", "length", "kept", "pages", "count",
            "first", "page"}


def _value(name: str, text: str):
    if name in _NUMERIC:
        return int(text.replace(",", ""))
    return float(text) if name == "confidence" else text


def notice(sentence) -> dict:
    """One stored warning as code and parameters (one already so is kept)."""
    if isinstance(sentence, dict):
        return sentence
    for pattern, code, names in _COMPILED:
        m = pattern.fullmatch(sentence)
        if m:
            return {"code": code, "params": {name: _value(name, v) for name, v in zip(names, m.groups())}}
    return {"code": "text", "params": {"text": sentence}}


def _rewrite(execute, table: str, key: str) -> None:
    for pk, stored in execute(f"SELECT {key}, warnings FROM {table} WHERE warnings <> '[]'"):
        new = [notice(w) for w in json.loads(stored)]
        execute(f"UPDATE {table} SET warnings = ? WHERE {key} = ?", (json.dumps(new, ensure_ascii=False), pk))


def _old_kind(kind: str, sentence: str) -> str:
    return ("low_confidence" if "置信度" in sentence else "warning") if kind == "issue" else "document_warning"


def _new_kind(kind: str, warning: dict) -> str:
    return ("low_confidence" if warning["code"] == "low_confidence" else "warning") if kind == "issue" else "document_warning"


def _review_keys(execute) -> dict[tuple[str, str], str]:
    """(issue key, old item key) → new item key, for every warning still stored as a sentence."""
    rows = [("issue", key, None, stored) for key, stored in
            execute("SELECT key, warnings FROM issues WHERE warnings <> '[]'")]
    rows += [("document", key, doc_id, stored) for key, doc_id, stored in execute(
        "SELECT i.key, d.id, d.warnings FROM documents d JOIN issues i ON i.id = d.issue_id WHERE d.warnings <> '[]'")]
    moved = {}
    for kind, issue_key, doc_id, stored in rows:
        for sentence in json.loads(stored):
            if isinstance(sentence, str):
                warning = notice(sentence)
                old = review_key(_old_kind(kind, sentence), doc_id, sentence)
                moved[(issue_key, old)] = review_key(_new_kind(kind, warning), doc_id, warning_finding(warning["code"], warning["params"]))
    return moved


def upgrade(execute) -> None:
    for (issue_key, old), new in _review_keys(execute).items():
        execute("UPDATE review_decisions SET item_key = ? WHERE issue_key = ? AND item_key = ?", (new, issue_key, old))
    for table, key in (("issues", "id"), ("documents", "pk"), ("outline_nodes", "id"), ("doc_tables", "id")):
        _rewrite(execute, table, key)
