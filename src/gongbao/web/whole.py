"""What pages derive from the whole database.

The portal's derived tables (store/portalsql.py: every document's listing row and status,
counts, the issue list, filter choices, units) are rebuilt in the database by
``derived.refresh`` once per database version and day, and so shared by every worker
process; each process decodes a whole-database value once per version, and the interpretation
titles are kept per process (``deps.whole_database``): both computed when the portal starts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request

from gongbao.search.interpret import interpretation_titles
from gongbao.web.deps import whole_database


def _kept(name: str) -> Callable[[Request], Any]:
    return whole_database(name, lambda st: st.portal_value(name), derived=True)


interpretations = whole_database("interpretation titles", interpretation_titles)
issues = _kept("issues")
counts = _kept("stats")
units = _kept("units")
series = _kept("series")
_years = _kept("years")
_types = _kept("types")


def filter_choices(request: Request) -> dict:
    return {"years": _years(request), "types": _types(request)}
