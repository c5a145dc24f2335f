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
from gongbao.web import views
from gongbao.web.deps import memo, store, whole_database


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
# what the search page's facets count, so that a query's counts read nothing
facet_facts = whole_database("facet facts", lambda st: st.facet_facts(), derived=True)
_types = _kept("portal_types")


def filter_choices(request: Request) -> dict:
    return {"years": _years(request), "types": _types(request)}


_whole_ledger = whole_database("task ledger", lambda st: views.ledger_rows(st, views.TaskFilter()))


def ledger(request: Request, f: views.TaskFilter) -> list[dict]:
    """``views.filtered_tasks`` with the store's part of the work (the tasks ``f`` selects by
    unit, document and last due date, with their progress) kept per database version: the
    whole ledger is made when the portal starts, a filtered one at its first request."""
    def rows() -> list:
        if not (f.unit or f.document or f.due_to):
            return _whole_ledger(request)
        return memo(request, f"task ledger\n{f.unit}\n{f.document}\n{f.due_to}",
                    lambda: views.ledger_rows(store(request), f))

    return views.filtered_tasks(store(request), f, rows=rows)
