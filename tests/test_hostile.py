"""Hostile input against the portal: every route (read from the app's route table) with
hostile values in every parameter answers without a 5xx; bounded queries; the time budget;
the saturation guard; auth before validation; one shape for 413; keep-alive after errors.

Runs in CI in well under a minute (one small database, in-process client).
"""

from __future__ import annotations

import asyncio
import http.client
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from gongbao.errors import QueryBudgetError, UsageError
from gongbao.ingest import ingest_paths
from gongbao.search.query import parse_query
from gongbao.store import open_store
from gongbao.web import create_app, deps
from gongbao.web.app import discover_routers
from gongbao.web.guard import GuardMiddleware

SAMPLE = Path(__file__).parent.parent / "samples" / "004_8c3e04d8c27f17c2.txt"
TOKEN = "s3cret-token"
SLOW_SQL = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT count(*) FROM c"

HOSTILE = [
    "99999999999999999999", "-99999999999999999999", "922337203685477581", "9223372036854775808", "0", "-1",
    "1e309", "NaN", "abc", "", " ", "²", "١٢", "%00", "\x00", "' OR 1=1 --", "\"unbalanced", "a OR " * 30 + "b",
    "管理" * 700, " ".join(["管理"] * 300), "<script>alert(1)</script>", "../../etc/passwd", "\ud7ff\ufffe",
    "NEAR(a b)", "*", "-", "OR", "渝府办发〔2021〕" * 20,
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "g.db"
    ingest_paths([SAMPLE], path, progress=False)
    return path


@pytest.fixture(scope="module")
def client(db):
    app = create_app(db, upload_token=TOKEN)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _routes(app):
    """Every API route of the app: its own and those of each router module it includes."""
    routes = [*app.routes, *(r for router in discover_routers() for r in router.routes)]
    for route in routes:
        if isinstance(route, APIRoute):
            dependant = route.dependant
            yield route, [p.name for p in dependant.path_params], [p.alias for p in dependant.query_params]


def _url(path: str, names: list[str], value: str | None) -> str:
    for name in names:
        path = path.replace("{" + name + "}", quote(value if value is not None else "1", safe=""))
    return path


def test_every_route_with_hostile_values_answers_without_5xx(client):
    seen, answered = set(), 0
    failures = []
    for route, path_names, query_names in _routes(client.app):
        for method in route.methods - {"HEAD"}:
            seen.add((method, route.path))
            for value in HOSTILE:
                requests = [(_url(route.path, path_names, value), {})] if path_names else []
                base = _url(route.path, path_names, None)
                requests += [(base, {name: value}) for name in query_names]
                for url, params in requests:
                    answer = client.request(method, url, params=params)
                    answered += 1
                    if answer.status_code >= 500:
                        failures.append((method, url[:80], {k: v[:40] for k, v in params.items()}, answer.status_code))
    assert failures == []
    assert len(seen) >= 30 and answered > 1000  # the walk did reach the routes


@pytest.mark.parametrize("url", [
    "/api/v1/documents?year=99999999999999999999", "/api/v1/documents?offset=99999999999999999999",
    "/api/v1/documents?issue_id=99999999999999999999", "/issues?page=922337203685477581",
    "/api/v1/issues/99999999999999999999", "/api/v1/issues/-99999999999999999999",
    "/search?q=x&page=922337203685477581", "/library?year=99999999999999999999",
])
def test_overflowing_integers_are_refused_with_the_parameter_named(client, url):
    answer = client.get(url)
    assert 400 <= answer.status_code < 500
    name = url.split("?")[-1].split("=")[0] if "?" in url else "issue_id"
    if answer.status_code == 422:
        assert name in answer.text


def test_the_issue_page_and_its_source_refuse_an_overflowing_id(client):
    for url in ("/issues/99999999999999999999", "/issues/99999999999999999999/source"):
        assert client.get(url).status_code == 422


def test_query_bounds_are_400_with_a_chinese_message(client):
    for q in ("管理" * 2500, " OR ".join(f"词{i}" for i in range(1000))):
        answer = client.get("/api/v1/search", params={"q": q})
        assert answer.status_code == 400
        assert "上限" in answer.json()["error"]["message"]
    assert client.get("/api/v1/search", params={"q": " ".join(["管理"] * 60)}).status_code == 200


def test_parse_query_dedupes_and_caps_terms():
    parsed = parse_query(" ".join(["管理"] * 80))
    assert [[t.text for t in c] for c in parsed.clauses] == [["管理"]]
    parsed = parse_query("养老 OR 养老 OR 托育 -收费 -收费")
    assert [[t.text for t in c] for c in parsed.clauses] == [["养老", "托育"]] and len(parsed.excluded) == 1
    with pytest.raises(UsageError):
        parse_query(" ".join(f"词{i}" for i in range(40)))
    with pytest.raises(UsageError):
        parse_query("x" * 257)


def test_the_store_stops_a_statement_at_its_time_budget(db):
    with open_store(db, readonly=True) as store:
        started = time.monotonic()
        with pytest.raises(QueryBudgetError), store.budget(0.2):
            store._value(SLOW_SQL)
        assert time.monotonic() - started < 2
        assert store.stats().documents > 0  # the connection is still usable, without a budget


def test_a_request_over_its_time_budget_gets_503_and_the_worker_is_freed(db, monkeypatch):
    monkeypatch.setenv("GONGBAO_QUERY_SECONDS", "0.3")
    app = create_app(db)

    @app.get("/api/v1/slow-test")
    def slow(request):  # noqa: ANN001 — a test route doing one runaway statement
        return {"n": deps.store(request)._value(SLOW_SQL)}

    slow.__annotations__["request"] = __import__("fastapi").Request
    app.router.routes[-1] = APIRoute("/api/v1/slow-test", slow)
    with TestClient(app, raise_server_exceptions=False) as c:
        started = time.monotonic()
        answer = c.get("/api/v1/slow-test")
        assert answer.status_code == 503 and answer.headers["retry-after"]
        assert "时间上限" in answer.json()["error"]["message"]
        assert time.monotonic() - started < 3
        assert c.get("/api/v1/stats").status_code == 200


def test_the_guard_answers_503_with_retry_after_when_saturated(monkeypatch):
    monkeypatch.setenv("GONGBAO_MAX_CONCURRENT", "2")
    release = asyncio.Event()

    async def slow_app(scope, receive, send):
        await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    guard = GuardMiddleware(slow_app)

    async def one(path):
        sent = []

        async def send(message):
            sent.append(message)

        async def receive():
            return {"type": "http.request", "body": b""}

        scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(), "query_string": b"",
                 "headers": [], "scheme": "http", "server": ("t", 80), "root_path": "", "app": None}
        await guard(scope, receive, send)
        return sent[0]["status"], dict(sent[0].get("headers", []))

    async def scenario():
        busy = [asyncio.create_task(one("/api/v1/x")) for _ in range(2)]
        await asyncio.sleep(0.05)
        refused = await one("/api/v1/x")
        release.set()
        done = await asyncio.gather(*busy)
        return refused, done, await one("/api/v1/x")

    # A thread of its own: another test's event loop may still be running in this one.
    with ThreadPoolExecutor(1) as pool:
        refused, done, after = pool.submit(asyncio.run, scenario()).result(30)
    assert refused[0] == 503 and refused[1][b"retry-after"]
    assert [status for status, _ in done] == [200, 200] and after[0] == 200


def test_uploads_check_the_token_before_the_body(client):
    for url in ("/api/v1/issues", "/upload"):
        assert client.post(url).status_code == 401  # no token, no file: 401, not 422
        assert client.post(url, data={"x": "y"}).status_code == 401
    assert client.post("/api/v1/issues", headers={"Authorization": "Bearer wrong"}).status_code == 403
    missing = client.post("/api/v1/issues", headers={"Authorization": f"Bearer {TOKEN}"})
    assert missing.status_code == 422 and "file" in missing.json()["error"]["message"]


def test_413_has_one_shape_however_the_body_comes(db):
    app = create_app(db, upload_token=TOKEN, max_upload_bytes=1024)
    boundary = "gongbao-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
            f"Content-Type: text/plain\r\n\r\n").encode() + "公报".encode() * 2000 + f"\r\n--{boundary}--\r\n".encode()
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": f"multipart/form-data; boundary={boundary}"}
    with TestClient(app, raise_server_exceptions=False) as c:
        declared = c.post("/api/v1/issues", content=body, headers=headers)

        def chunks():  # no Content-Length: the limit is found while the body streams in
            yield body[:512]
            yield body[512:]

        streamed = c.post("/api/v1/issues", content=chunks(), headers=headers)
    assert declared.status_code == streamed.status_code == 413
    assert declared.headers["content-type"] == streamed.headers["content-type"] == "application/json"
    assert declared.json()["error"]["status"] == 413


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_keep_alive_survives_errors_on_a_real_server(db):
    import uvicorn

    app = create_app(db)

    def boom():
        raise RuntimeError("a bug")

    app.add_api_route("/api/v1/boom-test", boom)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(100):
            if server.started:
                break
            time.sleep(0.05)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        statuses = []
        for path in ("/api/v1/boom-test", "/api/v1/issues/99999999999999999999", "/api/v1/documents?year=x", "/nope",
                     "/api/v1/stats"):
            conn.request("GET", path)
            answer = conn.getresponse()
            answer.read()
            statuses.append(answer.status)
            assert not answer.will_close, path
            if path == "/api/v1/boom-test":
                sock = conn.sock
            assert conn.sock is sock  # the same connection all along
        assert statuses == [500, 422, 422, 404, 200]
        conn.close()
    finally:
        server.should_exit = True
        thread.join(10)


def test_each_engine_stops_a_statement_at_its_time_budget(db_target):
    """SQLite through its progress handler, PostgreSQL through statement_timeout; the
    connection (a pooled one on PostgreSQL) is usable afterwards, without the limit."""
    with open_store(db_target) as store:
        started = time.monotonic()
        with pytest.raises(QueryBudgetError), store.budget(0.2):
            store._value(SLOW_SQL)
        assert time.monotonic() - started < 3
        assert store.stats().documents == 0
        with store.budget(5):
            assert store._value("SELECT 1") == 1
