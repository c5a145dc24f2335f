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


def _kept(method: str) -> Callable[[Request], Any]:
    """The store's ``method`` (a ``portal_*`` reader), once per process and database version
    (kept under the value's name: ``portal_issues`` → ``issues``)."""
    return whole_database(method.removeprefix("portal_"), lambda st: getattr(st, method)(), derived=True)


interpretations = whole_database("interpretation titles", interpretation_titles)
issues = _kept("portal_issues")
counts = _kept("portal_stats")
units = _kept("portal_units")
series = _kept("portal_series")
_years = _kept("portal_years")
_types = _kept("portal_types")


def filter_choices(request: Request) -> dict:
    return {"years": _years(request), "types": _types(request)}
