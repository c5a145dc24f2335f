"""`gongbao search` and `gongbao ask` as whole processes: what they load, how they fail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gongbao.ingest import ingest_paths

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
# Run the console-script entry, then list what the process imported.
PROBE = """
import sys
from gongbao.cli import main
sys.argv = ["gongbao", *sys.argv[1:]]
try:
    main()
finally:
    print("MODULES " + " ".join(sorted(sys.modules)), file=sys.stderr)
"""
HEAVY = ("typer", "click", "pydantic", "rich", "fastapi", "starlette", "jinja2", "gongbao.parse", "gongbao.dates", "gongbao.pipeline",
         "gongbao.links.citations", "gongbao.links.relations", "gongbao.web",
         "numpy")  # ~0.1 s to import: clauses are ranked in plain Python (store.nodefts)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("q") / "q.db"
    ingest_paths([SAMPLES], path, progress=False)
    return path


def _probe(*args: str, env: dict | None = None) -> tuple[subprocess.CompletedProcess, set[str]]:
    out = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120, env=env)
    line = next(x for x in out.stderr.splitlines() if x.startswith("MODULES "))
    return out, set(line.split()[1:])


@pytest.mark.parametrize("args", [("search", "见义勇为"), ("search", "见义勇为", "--format", "json"),
                                  ("ask", "粮食重金属超标了怎么办")])
def test_query_commands_load_no_cli_framework_web_or_parser(db, args):
    out, modules = _probe(*args, "--db", str(db))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip()
    loaded = sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))
    assert loaded == []


def test_ask_loads_no_html_or_logging(db):
    # 5–7 ms each of a whole `gongbao ask` (round 11): only `gongbao search` unescapes snippets,
    # and only a PostgreSQL pool logs
    out, modules = _probe("ask", "粮食重金属超标了怎么办", "--db", str(db))
    assert out.returncode == 0, out.stderr
    assert "html" not in modules and "logging" not in modules


def test_ask_reads_its_data_from_the_cache_folder_the_second_time(db, tmp_path):
    # no time budget: a machine under load must not make the first, slower run fail
    env = {**os.environ, "GONGBAO_CACHE": str(tmp_path / "cache"), "GONGBAO_QUERY_SECONDS": "600"}
    first, modules = _probe("ask", "粮食重金属超标了怎么办", "--db", str(db), env=env)
    assert first.returncode == 0 and first.stdout, first.stderr
    assert "yaml" in modules  # the thesaurus and the jurisdictions read from YAML, then kept
    again, modules = _probe("ask", "粮食重金属超标了怎么办", "--db", str(db), env=env)
    assert again.returncode == 0 and again.stdout == first.stdout
    assert "yaml" not in modules and "importlib.resources" not in modules


def test_search_text_and_json_agree(db):
    out, _ = _probe("search", "见义勇为", "--db", str(db), "--format", "json", "--limit", "2")
    data = json.loads(out.stdout)
    text, _ = _probe("search", "见义勇为", "--db", str(db), "--limit", "2")
    assert f"共 {data['total']} 件公文" in text.stdout
    assert all(hit["title"] in text.stdout for hit in data["hits"])
    assert "<mark>" not in text.stdout  # snippets are shown as text, not HTML


@pytest.mark.parametrize("args, message", [
    (("search", "x", "--format", "xml"), "--format"),
    (("ask", "  "), "问题是空的"),
    (("search", "x", "--limit", "0"), "--limit"),
])
def test_query_commands_refuse_bad_input_in_one_line(db, args, message):
    out, _ = _probe(*args, "--db", str(db))
    assert out.returncode != 0
    assert message in out.stderr and "Traceback" not in out.stderr


def test_missing_database_is_one_line(tmp_path):
    out, _ = _probe("search", "x", "--db", str(tmp_path / "none.db"))
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert not (tmp_path / "none.db").exists()


def test_status_help_names_the_scan_search_uses():
    # the command line keeps its own copy for --help (importing search.query would slow start-up)
    from gongbao.cli import query as cli_query
    from gongbao.search import query

    assert cli_query.STATUS_SCAN == query.STATUS_SCAN
