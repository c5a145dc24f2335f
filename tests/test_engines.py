"""Both engines: copying a database between them (gongbao migrate), and the faults of a
server database — a wrong URL, a server that is down or restarts, another program's
database, a newer gongbao's — each one clear line, never a traceback."""

from __future__ import annotations

from dataclasses import replace
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
from store_fixtures import grain_doc, hero_doc, make_issue  # noqa: E402

from gongbao.cli import app  # noqa: E402
from gongbao.errors import StoreError  # noqa: E402
from gongbao.ingest import ingest_paths  # noqa: E402
from gongbao.search.query import search  # noqa: E402
from gongbao.store import Store, open_store  # noqa: E402
from gongbao.store.records import StoreStats  # noqa: E402
from gongbao.web import create_app  # noqa: E402

SAMPLES = Path(__file__).parent.parent / "samples"
runner = CliRunner()


def _counts(store: Store) -> StoreStats:
    return replace(store.stats(), size_bytes=0)


def test_migrate_sqlite_to_postgresql_and_back(pg_cluster, tmp_path):
    first = tmp_path / "first.db"
    assert not ingest_paths([SAMPLES], first, progress=False).failures
    server = pg_cluster.create_database("migrated")
    out = runner.invoke(app, ["migrate", "--from", f"sqlite:///{first}", "--to", server])
    assert out.exit_code == 0, out.output
    assert "counts and checksums verified" in out.output
    back = tmp_path / "back.db"
    assert runner.invoke(app, ["migrate", "--from", server, "--to", f"sqlite:///{back}"]).exit_code == 0
    with open_store(first, readonly=True) as a, open_store(server, readonly=True) as b, open_store(back, readonly=True) as c:
        assert _counts(a) == _counts(b) == _counts(c)
        for query in ("超标粮食", "见义勇为", "渝府办发〔2020〕142号"):
            ids = [[h.id for h in search(s, query).hits] for s in (a, b, c)]
            assert ids[0] == ids[2] and set(ids[0]) == set(ids[1]), query
    # the copy is a working database: new issues get fresh keys after the copied ones
    with open_store(server) as b:
        assert b.ingest_issue(make_issue([hero_doc()], raw="new", number=99)).status == "added"


def test_migrate_refuses_a_database_that_is_not_empty(pg_cluster, tmp_path):
    server = pg_cluster.create_database("full")
    with open_store(server) as s:
        s.ingest_issue(make_issue([grain_doc()]))
    first = tmp_path / "g.db"
    with open_store(first) as s:
        s.ingest_issue(make_issue([hero_doc()]))
    out = runner.invoke(app, ["migrate", "--from", str(first), "--to", server])
    assert out.exit_code == 1 and "不是空的" in str(out.exception)


@pytest.mark.parametrize("url, words", [
    ("postgresql://gongbao@/none?host=/nonexistent-socket-dir", "服务器未运行或不可达"),
    ("postgresql://gongbao@no-such-host.invalid:5432/x", "服务器未运行或不可达"),
])
def test_unreachable_server_is_one_clear_line(url, words):
    with pytest.raises(StoreError, match=words):
        open_store(url)


def test_missing_database_on_a_running_server(pg_cluster):
    with pytest.raises(StoreError, match="没有数据库"):
        open_store(pg_cluster.url("never_created"))


def test_another_programs_database_and_a_newer_gongbaos(pg_cluster):
    import psycopg

    other = pg_cluster.create_database("other_program")
    with psycopg.connect(other, autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id int)")
    with pytest.raises(StoreError, match="不是 gongbao 数据库"):
        open_store(other)
    newer = pg_cluster.create_database("newer")
    open_store(newer).close()
    with psycopg.connect(newer, autocommit=True) as conn:
        conn.execute("INSERT INTO gongbao_schema(version, applied_at) VALUES (999, 'later')")
    with pytest.raises(StoreError, match="更新版本"):
        open_store(newer, readonly=True)


def test_cli_errors_on_postgresql_are_one_line(pg_cluster):
    from subprocess import run

    gongbao = Path(sys.executable).with_name("gongbao")
    for command in (["search", "粮食"], ["status", "渝府办发〔2021〕12号"]):
        result = run([str(gongbao), *command, "--db", "postgresql://gongbao@/x?host=/nonexistent-socket-dir"],
                     capture_output=True, text=True)
        assert result.returncode == 1
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert "无法连接 PostgreSQL" in result.stderr


def test_a_server_that_refuses_the_password_is_one_clear_line(pg_cluster):
    import psycopg
    from subprocess import run

    pg_cluster.password_role("clerk", "right-secret")
    psycopg.connect(f"postgresql://clerk:right-secret@/postgres?host={pg_cluster.folder}").close()
    wrong = f"postgresql://clerk:wrong-secret@/postgres?host={pg_cluster.folder}"
    with pytest.raises(StoreError, match="拒绝登录"):
        open_store(wrong)
    gongbao = Path(sys.executable).with_name("gongbao")
    result = run([str(gongbao), "search", "粮食", "--db", wrong], capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "拒绝登录" in result.stderr and "wrong-secret" not in result.stderr


def test_server_restart_portal_answers_503_then_recovers(pg_cluster):
    server = pg_cluster.create_database("restarts")
    with open_store(server) as s:
        s.ingest_issue(make_issue([grain_doc()]))
    client = TestClient(create_app(server))
    assert client.get("/api/v1/search", params={"q": "粮食"}).status_code == 200
    pg_cluster.restart()
    codes = [client.get("/api/v1/search", params={"q": f"粮食 {i}"}).status_code for i in range(3)]
    assert set(codes) <= {200, 503} and codes[-1] == 200


def test_server_restart_during_ingest_fails_that_issue_and_a_rerun_stores_it(pg_cluster, monkeypatch):
    from gongbao.store import open_store, write

    server = pg_cluster.create_database("restart_ingest")
    with open_store(server) as s:
        s.ingest_issue(make_issue([hero_doc()], raw="one", number=1))
        real = write.write_issue

        def restarted(conn, *args, **kwargs):
            real(conn, *args, **kwargs)
            pg_cluster.restart()  # the server goes away before the issue is committed
            return real(conn, *args, **kwargs)

        monkeypatch.setattr("gongbao.store.sqlite.write_issue", restarted)
        with pytest.raises(StoreError):
            s.ingest_issue(make_issue([grain_doc()], raw="two", number=2))
        monkeypatch.undo()
        assert s.stats().issues == 1  # nothing of the second issue was kept
        assert s.ingest_issue(make_issue([grain_doc()], raw="two", number=2)).status == "added"
        assert s.stats().issues == 2


def test_server_restart_in_the_middle_of_an_ingest_run_fails_one_issue_and_a_rerun_completes(pg_cluster, monkeypatch):
    import gongbao.ingest as ingest

    server = pg_cluster.create_database("restart_run")
    files = sorted(SAMPLES.glob("*.txt"))
    real, calls = ingest._store, []

    def store_then_restart(store, path, *args):
        calls.append(path.name)
        if len(calls) == 2:  # the server goes away while the run is between two issues
            pg_cluster.restart()
        return real(store, path, *args)

    monkeypatch.setattr(ingest, "_store", store_then_restart)
    first = ingest_paths(files, server, progress=False)
    monkeypatch.undo()
    assert [Path(f.path).name for f in first.failures] == [files[1].name]  # that issue only, one clear line
    assert "PostgreSQL" in first.failures[0].reason and "\n" not in first.failures[0].reason
    assert first.added == 2
    again = ingest_paths(files, server, progress=False)
    assert not again.failures and again.added == 1 and again.unchanged == 2
    clean = pg_cluster.create_database("restart_run_clean")
    ingest_paths(files, clean, progress=False)
    with open_store(server, readonly=True) as s, open_store(clean, readonly=True) as c:
        assert _counts(s) == _counts(c)
