"""Links between documents: citations, typed relations, validity and status.

Pure functions over a ``models.Document``; resolution against the database lives in
``links.resolve``.
"""

from gongbao.links.citations import get_citations
from gongbao.links.relations import get_relations
from gongbao.links.validity import get_validity, status_as_of

__all__ = ["get_citations", "get_relations", "get_validity", "status_as_of"]
