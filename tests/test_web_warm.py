"""What the portal computes once per database version: the same as computed per request."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gongbao.ingest import ingest_paths
from gongbao.search.interpret import interpretation_titles, interpretations_of
from gongbao.store import open_store
from gongbao.web import create_app, views

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("warm") / "w.db"
    ingest_paths([SAMPLES], path, progress=False)
    return path


def test_bulk_statuses_equal_one_by_one(db):
    with open_store(db, readonly=True) as st:
        bulk = views.all_statuses(st, "2026-12-06")
        ids = st.doc_ids()
        assert set(bulk) == set(ids)
        assert all(bulk[i] == views.status_of(st, i, None, "2026-12-06") for i in ids)
        assert any(s.code != "unknown" for s in bulk.values())


def _traced(monkeypatch) -> list[str]:
    """The statements every store the portal opens runs, from now on."""
    import gongbao.store

    statements: list[str] = []
    opened = gongbao.store.open_store

    def traced(*args, **kwargs):
        st = opened(*args, **kwargs)
        st.conn.set_trace_callback(statements.append)
        return st

    monkeypatch.setattr(gongbao.store, "open_store", traced)
    return statements


def test_home_page_from_the_start_values_reads_no_table(db, monkeypatch):
    statements = _traced(monkeypatch)
    app = create_app(db)
    with TestClient(app) as client:
        client.get("/")
        app.state.cache.entries.clear()
        statements.clear()
        page = client.get("/")
    assert page.status_code == 200 and "最新收录的公文" in page.text
    assert not [s for s in statements if "FROM" in s and "meta" not in s], statements


def test_search_page_facets_counted_from_the_start_values(db, monkeypatch):
    # every document's facet values are read once when the portal starts, not per query
    from gongbao.search.query import facets

    statements = _traced(monkeypatch)
    with TestClient(create_app(db)) as client:
        statements.clear()
        page = client.get("/search?q=通知")
    assert page.status_code == 200 and "发文机关" in page.text
    assert not [s for s in statements if "issuers, status FROM portal_docs" in s], statements
    with open_store(db, readonly=True) as st:
        everything = st.facet_facts()
        assert facets(st, "通知", facts=everything) == facets(st, "通知")
        # documents of the same facet values share one tuple (a worker keeps every document's)
        alike: dict[tuple, set[int]] = {}
        for fact in everything.values():
            alike.setdefault(fact, set()).add(id(fact))
        assert len(alike) < len(everything) and all(len(ids) == 1 for ids in alike.values())


def test_a_started_portal_cuts_queries_with_rjieba_loaded(db):
    # a server cuts a query per search: the dictionary is loaded at its start, not each
    # query's words looked up in the word table (a fresh process, as a worker is)
    code = ("import sys; from fastapi.testclient import TestClient; from gongbao.web import create_app\n"
            f"with TestClient(create_app({str(db)!r})): print('rjieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split()[-1] == "True"


def test_interpretation_index_gives_what_a_scan_gives(db):
    with open_store(db, readonly=True) as st:
        titles = interpretation_titles(st)
        for doc_id in st.doc_ids():
            assert interpretations_of(st, doc_id, titles) == interpretations_of(st, doc_id)


def test_start_computes_the_shared_values_before_any_request(db):
    app = create_app(db)
    with TestClient(app) as client:  # runs the start-up hooks
        names = {key[1] for key in app.state.cache.values}
        assert {"interpretation titles", "issues", "stats", "series", "home sources", "task ledger"} <= names
        with open_store(db, readonly=True) as st:  # the derived tables, shared by the worker processes
            assert st.portal_fresh(views.today())
        assert client.get("/library").status_code == 200
        assert {key[1] for key in app.state.cache.values} >= names


def test_start_prepares_every_route_before_the_first_visitor(db, monkeypatch):
    """FastAPI prepares a route's request handling when a request first meets it; the start
    makes one request that meets them all, so no visitor pays for it."""
    from fastapi import routing

    context = getattr(routing, "_EffectiveRouteContext", None)
    if context is None:
        pytest.skip("this FastAPI prepares its routes when they are added")
    prepared: list = []
    original = context.from_api_route.__func__
    monkeypatch.setattr(context, "from_api_route",
                        classmethod(lambda cls, **kw: prepared.append(kw) or original(cls, **kw)))
    app = create_app(db)
    with TestClient(app) as client:
        at_start = len(prepared)
        for url in ("/", "/api/v1/stats", "/tasks", "/search?q=通知"):
            assert client.get(url).status_code == 200
    assert at_start > 0 and len(prepared) == at_start


def test_start_opens_a_worker_thread_and_its_store_before_the_first_visitor(db, monkeypatch):
    """The first request runs in a worker thread the start made, its store already open."""
    import gongbao.store

    opened: list[bool] = []
    original = gongbao.store.open_store

    def counted(*args, **kwargs):
        opened.append(bool(kwargs.get("readonly")))
        return original(*args, **kwargs)

    monkeypatch.setattr(gongbao.store, "open_store", counted)
    with TestClient(create_app(db)) as client:
        at_start = len(opened)
        assert client.get("/").status_code == 200
        assert client.get("/api/v1/stats").status_code == 200
    assert at_start and len(opened) == at_start


@pytest.mark.parametrize("query", ["通知", "管理 办法", "人民政府", "实施意见 -通知", "渝府办发〔2021〕12号"])
def test_facets_from_the_derived_tables_equal_those_counted_from_the_documents(db, query, monkeypatch):
    from gongbao.search.query import facets
    from gongbao.store import Store
    from gongbao.web.deps import prepare_database

    prepare_database(db)
    with open_store(db, readonly=True) as st:
        assert st.portal_fresh(views.today())
        kept = facets(st, query)
        monkeypatch.setattr(Store, "stored_facet_counts", lambda self, pks, day, facts=None: None)
        assert facets(st, query) == kept
    assert kept["status"] and kept["issuer"] and kept["year"]


@pytest.mark.parametrize("params", [{}, {"overdue": True}, {"due_to": "2021-12-31"}, {"due_from": "2021-06-01"},
                                    {"unit": "区县政府"}, {"unit": "市", "due_from": "2021-01-01", "overdue": True}])
def test_task_ledger_kept_per_version_equals_one_computed_now(db, params):
    app = create_app(db)
    with TestClient(app) as client:
        answer = client.get("/api/v1/tasks", params={**params, "limit": 1000}).json()
        again = client.get("/api/v1/tasks", params={**params, "limit": 1000, "offset": 0}).json()
    f = views.TaskFilter(**params)
    with open_store(db, readonly=True) as st:
        expected = views.filtered_tasks(st, f)
    assert answer["total"] == len(expected) == again["total"]
    assert [(t["doc_id"], t["position"], t["overdue"]) for t in answer["items"]] == \
        [(t["doc_id"], t["position"], t["overdue"]) for t in expected]


# --- the portal's derived tables (store/portalsql.py) ---------------------------------------

def _library_by_hand(st, day: str, f: dict) -> dict[str, list[str]]:
    """The library's groups computed from the whole listing and every status, as pages did
    before the derived tables: the ids per status code, in the listing order."""
    from gongbao.store import Filters, open_store
    from gongbao.store.ids import normalize_title

    statuses = views.all_statuses(st, day)
    items = st.list_documents(Filters(issuer=f.get("issuer"), type=f.get("type"), present=None), limit=10**6).items
    groups: dict[str, list[str]] = {}
    for d in items:
        needle = normalize_title(f.get("q") or "")
        if needle and needle not in normalize_title(d.title) and needle not in (d.doc_number or ""):
            continue
        code = statuses[d.id].code
        if d.present or code != "unknown":
            groups.setdefault(code, []).append(d.id)
    return groups


@pytest.mark.parametrize("f", [{}, {"q": "办法"}, {"issuer": "重庆市人民政府"}, {"type": "通知"}])
def test_library_from_derived_tables_equals_the_whole_listing(db, f):
    from gongbao.web.derived import refresh

    day = views.today()
    with open_store(db, readonly=True) as st:
        refresh(db, st)
        expected = _library_by_hand(st, day, f)
        groups = views.library_groups(st, f, 1)
        statuses = views.all_statuses(st, day)
    assert any(expected.values())
    for g in groups:
        assert g["total"] == len(expected.get(g["code"], []))
        assert [d.id for d in g["documents"]] == expected.get(g["code"], [])[: views.LIBRARY_PAGE]
        assert all(d.status == statuses[d.id] for d in g["documents"])


@pytest.mark.parametrize("f, offset", [
    ({}, 0), ({}, 7), ({"series": "重庆市人民政府公报"}, 0), ({"series": "重庆市武隆区人民政府公报", "type": "通知"}, 1),
    ({"issuer": "重庆"}, 3), ({"year": 2020, "date_from": "2020-03-01"}, 0), ({"present": None}, 5),
    ({"present": False}, 0), ({"date_to": "2020-12-31", "type": "意见"}, 0), ({"series": "没有这一种"}, 0)])
def test_api_listing_from_derived_tables_equals_list_documents(db, f, offset):
    from gongbao.store import Filters
    from gongbao.store.records import DocSummary
    from gongbao.web.derived import refresh

    with open_store(db, readonly=True) as st:
        refresh(db, st)
        expected = st.list_documents(Filters(**f), limit=10, offset=offset)
        got = st.portal_documents(Filters(**f), limit=10, offset=offset)
        statuses = views.all_statuses(st, views.today())
    assert got.total == expected.total and (got.total > 0) == (f.get("series") != "没有这一种")
    fields = [f.name for f in dataclasses.fields(DocSummary)]
    assert [DocSummary(**{k: getattr(d, k) for k in fields}) for d in got.items] == expected.items
    assert [d.status for d in got.items] == [statuses[d.id] for d in expected.items]


def test_derived_tables_go_stale_on_a_write_and_on_a_new_day(tmp_path):
    from web_issue import build_db

    db = build_db(str(tmp_path / "d.db"))
    day = views.today()
    statuses = lambda s: views.all_statuses(s, day)  # noqa: E731
    with open_store(db) as st:
        assert not st.portal_fresh(day)
        assert st.refresh_portal(day, statuses)
        assert st.portal_fresh(day) and not st.portal_fresh("2099-01-01")
        # a second process finding them fresh inside its transaction does not rebuild
        assert not st.refresh_portal(day, statuses) and st.portal_fresh(day)
        before = st.portal_stats().documents
        ingest_paths([SAMPLES], Path(db), progress=False)
        assert not st.portal_fresh(day)
        st.refresh_portal(day, statuses)
        assert st.portal_stats().documents > before
        # the feed reads the rebuilt rows: every present document, the latest ingested first
        newest = st.newest_documents(1000)
        assert {d.id for d in newest} == {d.id for d in st.list_documents(limit=1000).items}
        assert [d.created_at for d in newest] == sorted((d.created_at for d in newest), reverse=True)


def test_an_upload_shows_on_every_page_that_lists(tmp_path):
    from web_issue import build_db

    db = build_db(str(tmp_path / "u.db"))
    client = TestClient(create_app(db, upload_token="t"))
    assert "渝府办发" not in client.get("/library").text
    sample = next(SAMPLES.glob("*.txt"))
    answer = client.post("/api/v1/issues", files={"file": (sample.name, sample.read_bytes(), "text/plain")},
                         headers={"Authorization": "Bearer t"})
    assert answer.status_code == 201
    with open_store(db, readonly=True) as st:
        newest = st.list_documents(limit=1).items[0]
    for path in ("/library", "/", "/feeds/documents.atom"):
        assert newest.title[:12] in client.get(path).text.replace("&#34;", '"'), path


def test_worker_processes_starting_together_refresh_the_derived_tables_once(db_target):
    """``gongbao serve --workers N`` starts N processes that each find the derived tables
    stale (a database fresh from ingest or migrate has none): the second waits for the
    first's commit and finds them current, instead of creating the same tables beside it."""
    import threading

    ingest_paths([SAMPLES / "004_8c3e04d8c27f17c2.txt"], db_target, progress=False)
    day = views.today()
    inside = threading.Event()
    results: dict[str, object] = {}

    def slow_statuses(st):
        inside.set()  # the first refresh is inside its transaction, its tables not committed
        threading.Event().wait(0.5)
        return views.all_statuses(st, day)

    def refresh(name, statuses):
        try:
            with open_store(db_target) as writer:
                results[name] = writer.refresh_portal(day, statuses)
        except Exception as exc:  # noqa: BLE001 - the failure is the finding
            results[name] = exc

    first = threading.Thread(target=refresh, args=("first", slow_statuses))
    first.start()
    assert inside.wait(30)
    refresh("second", lambda st: views.all_statuses(st, day))
    first.join()
    assert results == {"first": True, "second": False}
    with open_store(db_target, readonly=True) as st:
        assert st.portal_fresh(day)
