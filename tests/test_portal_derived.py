"""The portal's derived tables (store/portalsql.py) on both engines: every document's status
worked out in one pass and the rows made set-based in SQL give what the listing and the
statuses computed one document at a time give."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from gongbao.ingest import ingest_paths
from gongbao.links.resolve import document_status, document_statuses
from gongbao.store import Filters, open_store
from gongbao.store.records import DocSummary
from gongbao.web import views

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
DAY = "2026-12-06"


@pytest.fixture(scope="module")
def db(module_db_target) -> str:
    ingest_paths([SAMPLES], module_db_target, progress=False)
    return module_db_target


def test_every_status_in_one_pass_equals_one_by_one(db):
    with open_store(db, readonly=True) as st:
        ids = st.doc_ids()
        every = document_statuses(st, None, DAY)
        assert sorted(every) == sorted(ids)
        assert all(every[i] == document_status(st, i, DAY) for i in ids)
        codes = {s.code for s in every.values()}
        assert {"in_force", "repealed", "unknown"} <= codes, codes
        # documents of the same inputs share one status: fewer objects than documents
        assert len({id(s) for s in every.values()}) < len(ids)


def _summary(doc) -> tuple:
    return tuple(getattr(doc, f.name) for f in fields(DocSummary))


@pytest.mark.parametrize("title", [None, "办法"])
def test_derived_rows_are_the_listing_with_each_status(db, title):
    from gongbao.store.ids import normalize_title
    from gongbao.web.derived import refresh

    with open_store(db, readonly=True) as st:
        refresh(db, st)
        day = views.today()
        listing = st.list_documents(Filters(present=None), limit=10**6).items
        expected = []
        for d in listing:
            if title and title not in normalize_title(d.title) and title not in (d.doc_number or ""):
                continue
            status = views.status_of(st, d.id, None, day)
            if d.present or status.code != "unknown":  # absent documents nothing is known of are not listed
                expected.append((_summary(d), status))
        kept = st.portal_listing(Filters(present=None), title=title, limit=10**6)
    assert expected and (title or any(not s[0][8] for s in expected))  # absent ones among them
    assert [(_summary(d), d.status) for d in kept] == expected
