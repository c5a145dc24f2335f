"""What the portal computes once per database version: the same as computed per request."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gongbao.ingest import ingest_paths
from gongbao.search.interpret import interpretation_titles, interpretations_of
from gongbao.store import Store
from gongbao.web import create_app, views

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("warm") / "w.db"
    ingest_paths([SAMPLES], path, progress=False)
    return path


def test_bulk_statuses_equal_one_by_one(db):
    with Store.open(db, readonly=True) as st:
        bulk = views.all_statuses(st, "2026-12-06")
        ids = st.doc_ids()
        assert set(bulk) == set(ids)
        assert all(bulk[i] == views.status_of(st, i, None, "2026-12-06") for i in ids)
        assert any(s["code"] != "unknown" for s in bulk.values())


def test_interpretation_index_gives_what_a_scan_gives(db):
    with Store.open(db, readonly=True) as st:
        titles = interpretation_titles(st)
        for doc_id in st.doc_ids():
            assert interpretations_of(st, doc_id, titles) == interpretations_of(st, doc_id)


def test_start_computes_the_shared_values_before_any_request(db):
    app = create_app(db)
    with TestClient(app) as client:  # runs the start-up hooks
        names = {key[1] for key in app.state.cache.values}
        assert {"statuses", "interpretation titles", "filter choices"} <= names
        assert client.get("/library").status_code == 200
        assert {key[1] for key in app.state.cache.values} >= names
