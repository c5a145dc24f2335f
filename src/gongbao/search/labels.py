"""Clause labels as printed: 第二十五条, 第九条（一）, 二、（五）, 第3段 — never art-25.

A clause's label is the printed numbers of the outline from the article it sits in (or, in
documents numbered 一、（一）1., from the top) down to it.

Public: ``chain_label(numbers)``, ``anchor_label(anchor, outline)``, ``clause_label(store, passage)``.
"""

from __future__ import annotations

import re

from gongbao.models import Passage
from gongbao.store.sqlite import Store

_ARTICLE = re.compile(r"^第.+条$")
_PARAGRAPH = re.compile(r"^(pre|p)-(\d+)$")


def chain_label(numbers: list[str]) -> str:
    """The label of a clause from the printed numbers of it and its ancestors, top first."""
    numbers = [n.strip() for n in numbers if n and n.strip()]
    articles = [i for i, n in enumerate(numbers) if _ARTICLE.match(n)]
    if articles:
        numbers = numbers[articles[-1]:]
    return "".join(numbers)


def _paragraph(anchor: str) -> str | None:
    match = _PARAGRAPH.match(anchor or "")
    if not match:
        return None
    return ("正文前第{}段" if match.group(1) == "pre" else "第{}段").format(match.group(2))


def anchor_label(anchor: str | None, outline: list[dict]) -> str | None:
    """The printed label of ``anchor`` in a document's outline tree (nodes with anchor, number,
    children), or None when the outline has no such anchor."""
    if not anchor:
        return None
    paragraph = _paragraph(anchor)
    if paragraph:
        return paragraph
    stack = [(node, [node.get("number") or ""]) for node in outline]
    while stack:
        node, numbers = stack.pop()
        if node.get("anchor") == anchor:
            return chain_label(numbers)
        stack.extend((child, numbers + [child.get("number") or ""]) for child in node.get("children") or [])
    return None


def clause_label(store: Store, passage: Passage) -> str:
    """The printed label of a retrieved passage (its outline node and the nodes above it)."""
    paragraph = _paragraph(passage.anchor)
    if paragraph or passage.node_id is None:
        return paragraph or passage.anchor
    numbers, node_id = [], passage.node_id
    while node_id is not None:
        node = store.nodes_by_id([node_id]).get(node_id)
        if node is None:
            break
        numbers.append(node.number)
        if _ARTICLE.match(node.number or ""):
            break
        node_id = node.parent_id
    return chain_label(list(reversed(numbers))) or passage.anchor
