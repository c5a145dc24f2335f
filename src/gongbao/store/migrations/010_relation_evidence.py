"""Relation evidence as a code: the text an older gongbao stored in ``relations.evidence`` becomes
``{"code", "params"}`` as ``models.Notice`` stores it — the document's own title (``title``), the
title of a text it prints (``embedded``), an editor's reason (``editor_relation``), else the
sentence that says it (``quote``).  Run by ``store.migrate`` on either engine.
"""

from __future__ import annotations

import json

_EDITOR = "编辑更正："


def _notice(evidence: str, own_title: str | None, target_title: str | None, kind: str | None) -> dict:
    if kind == "editor" and evidence.startswith(_EDITOR):
        return {"code": "editor_relation", "params": {"reason": evidence[len(_EDITOR):]}}
    if evidence == own_title:
        return {"code": "title", "params": {"title": evidence}}
    if evidence == target_title:
        return {"code": "embedded", "params": {"title": evidence}}
    return {"code": "quote", "params": {"text": evidence}}


def _coded(evidence: str) -> bool:
    try:
        return isinstance(json.loads(evidence), dict)
    except ValueError:
        return False


def upgrade(execute) -> None:
    rows = execute("SELECT r.id, r.evidence, d.title, r.target_title, r.target_kind FROM relations r"
                   " JOIN documents d ON d.pk = r.doc_pk WHERE r.evidence IS NOT NULL")
    for rid, evidence, own_title, target_title, kind in rows:
        if _coded(evidence):
            continue  # written by this version already (a database put back to an older schema number)
        execute("UPDATE relations SET evidence = ? WHERE id = ?",
                (json.dumps(_notice(evidence, own_title, target_title, kind), ensure_ascii=False), rid))
