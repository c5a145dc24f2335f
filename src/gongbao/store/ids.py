"""Stable document ids: the same document gets the same id on every ingest, in every database.

- ``n…``: from the normalised 文号 (``str(DocNumber)``) — the usual case, and the id a
  known-but-absent document cited by 文号 gets, so links attach when its issue arrives.
- ``i…``: a document without 文号 (laws, reprints, notices), from its issue key and title.
- ``t…``: a document known only by a cited 《title》 (present = 0), from the title.

A 文号 printed in two issues (a municipal document reprinted in a district gazette) names
one document: the first issue ingested owns the ``n…`` id, the reprint gets the ``i…`` id
of its own issue.  Ids are 17 characters: a letter and 16 hex digits of SHA-1.
"""

from __future__ import annotations

import hashlib
import json
import re

from gongbao.models import DocNumber, Gazette, SourceInfo

_SPACE = re.compile(r"\s+")


def _digest(kind: str, text: str) -> str:
    return kind + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def normalize_title(title: str) -> str:
    """Title as compared for identity: wrap spaces removed."""
    return _SPACE.sub("", title)


def number_id(doc_number: DocNumber | str) -> str:
    return _digest("n", str(doc_number))


def issue_doc_id(issue_key: str, title: str, ordinal: int = 0) -> str:
    suffix = f"\n{ordinal}" if ordinal else ""
    return _digest("i", f"{issue_key}\n{normalize_title(title)}{suffix}")


def title_id(title: str) -> str:
    return _digest("t", normalize_title(title))


def issue_key(gazette: Gazette, source: SourceInfo) -> str:
    """What makes two files the same issue: series, year and number; else the file's name
    with its folder (single texts such as laws: stable wherever the collection is mounted)."""
    if gazette.name and gazette.year and gazette.issue:
        return f"{gazette.name}|{gazette.year}|{gazette.issue}"
    if source.path:
        name = "/".join(source.path.replace("\\", "/").rstrip("/").split("/")[-2:])
        return f"file:{name}"
    return f"sha256:{source.sha256}"


def review_key(kind: str, doc_id: str | None, finding: str) -> str:
    """The stable key of a review item (``gongbao.review``): its kind, document and finding."""
    return hashlib.sha1(f"{kind}\n{doc_id or ''}\n{finding}".encode("utf-8")).hexdigest()[:12]


def warning_finding(code: str, params: dict) -> str:
    """What a warning's review key is made of: its code and parameters, not its wording."""
    return json.dumps([code, params], ensure_ascii=False, sort_keys=True)
