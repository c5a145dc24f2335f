"""Links between documents: citations, typed relations, validity and status.

Pure functions over a ``models.Document``; resolution against the database and the status
of stored documents live in ``links.resolve``.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gongbao.models import Document

__all__ = ["get_citations", "get_relations", "get_validity", "status_as_of", "link_document"]
# The rule modules compile many patterns: loaded on first use, so that reading statuses
# (links.resolve, on every search) does not pay for the citation and relation rules.
_RULES = {"get_citations": "citations", "get_relations": "relations", "get_validity": "validity",
          "status_as_of": "validity"}


def __getattr__(name: str):
    if name in _RULES:
        return getattr(import_module(f"gongbao.links.{_RULES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def link_document(doc: Document) -> Document:
    """The links stage of the parser: fill ``citations``, ``relations`` and ``validity`` of ``doc``."""
    DocText, get_citations, get_validity, get_relations = _stages()
    source = DocText(doc)  # one text, one sentence split and one 文号 scan for the three stages
    doc.citations = get_citations(doc, source)
    doc.validity = get_validity(doc, source)
    doc.relations = get_relations(doc, doc.validity, source)
    return doc


@cache  # an import statement run again costs 6-15 µs (importlib's fromlist in Python): once, not per document
def _stages():
    from gongbao.links.citations import DocText, get_citations
    from gongbao.links.relations import get_relations
    from gongbao.links.validity import get_validity

    return DocText, get_citations, get_validity, get_relations
