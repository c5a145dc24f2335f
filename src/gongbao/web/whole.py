"""What pages derive from the whole database: kept per database version, computed when the
portal starts (``deps.warm_up``), shared by the routes that need them."""

from __future__ import annotations

from gongbao.search.interpret import interpretation_titles
from gongbao.web import views
from gongbao.web.deps import whole_database

statuses = whole_database("statuses", views.all_statuses)
interpretations = whole_database("interpretation titles", interpretation_titles)
filter_choices = whole_database("filter choices", lambda st: {"years": st.years(), "types": st.doc_types()})
issues = whole_database("issues", lambda st: st.list_issues())
counts = whole_database("stats", lambda st: st.stats())
