"""The pipeline from a file to a linked Issue: the parser, then the links stage.

The parser (``parse``) knows nothing of links; links read what the parser made.  Everything
that turns a file into an Issue for people or the store (CLI, ingest, portal uploads) calls
``read_issue``.
"""

from __future__ import annotations

from gongbao.inputs import cap_titles
from gongbao.links import link_document
from gongbao.models import Extracted, Issue
from gongbao.parse.issue import parse_issue

__all__ = ["read_issue"]


def read_issue(data: str | bytes | Extracted, path: str | None = None) -> Issue:
    """Parse an issue file (or a single document) and link every document it holds."""
    issue = cap_titles(parse_issue(data, path))
    for doc in issue.documents:
        link_document(doc)
        for text in doc.embedded:  # a text a 令 / 公告 / notice issues takes effect when it says
            text.effective = text.effective or doc.validity.effective
    return issue
