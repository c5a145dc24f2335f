"""Links between documents: citations, typed relations, validity and status.

Pure functions over a ``models.Document``; resolution against the database and the status
of stored documents live in ``links.resolve``.
"""

from gongbao.links.citations import get_citations
from gongbao.links.relations import get_relations
from gongbao.links.validity import get_validity, status_as_of
from gongbao.models import Document

__all__ = ["get_citations", "get_relations", "get_validity", "status_as_of", "link_document"]


def link_document(doc: Document) -> Document:
    """The links stage of the parser: fill ``citations``, ``relations`` and ``validity`` of ``doc``."""
    doc.citations = get_citations(doc)
    doc.validity = get_validity(doc)
    doc.relations = get_relations(doc, doc.validity)
    return doc
