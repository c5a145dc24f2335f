"""Exit codes and error lines of every command: 0 ok, 1 some input failed, 2 usage, 70 only
for a bug; errors are one Chinese line on standard error, never a traceback.

Most cases run ``gongbao.cli.main`` in-process (argv patched) — the same code path as the
console script, minus the interpreter start; a few run the real ``gongbao`` executable.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gongbao.cli import main
from gongbao.ingest import ingest_paths

SAMPLE = Path(__file__).parent.parent / "samples" / "004_8c3e04d8c27f17c2.txt"


def run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["gongbao", *args])
    with pytest.raises(SystemExit) as stop:
        main()
    out, err = capsys.readouterr()
    return stop.value.code, out, err


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "g.db"
    ingest_paths([SAMPLE], path, progress=False)
    return path


def _one_error_line(err: str) -> None:
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert any("\u4e00" <= c <= "\u9fff" for c in err), err  # the line is in Chinese


USAGE = [
    ("unknown command", ["nope"]),
    ("missing argument", ["parse"]),
    ("missing argument", ["ingest"]),
    ("missing argument", ["search"]),
    ("missing argument", ["show"]),
    ("missing argument", ["status"]),
    ("missing argument", ["ask"]),
    ("missing argument", ["qa", "delete"]),
    ("missing argument", ["qa", "import"]),
    ("missing argument", ["qa", "interprets", "a"]),
    ("missing option", ["qa", "add", "-a", "x"]),
    ("unknown option", ["search", "x", "--bogus"]),
    ("--limit 0", ["search", "x", "--limit", "0"]),
    ("--limit 0", ["ask", "x", "--limit", "0"]),
    ("--limit huge", ["search", "x", "--limit", "99999999999999999999"]),
    ("--offset negative", ["search", "x", "--offset", "-1"]),
    ("--year not a number", ["search", "x", "--year", "abc"]),
    ("--workers 0", ["serve", "--workers", "0"]),
    ("--port not a number", ["serve", "--port", "http"]),
    ("--format xml", ["parse", str(SAMPLE), "--format", "xml"]),
    ("--format xml", ["tasks", str(SAMPLE), "--format", "xml"]),
    ("--format xml", ["ingest", str(SAMPLE), "--format", "xml"]),
    ("--format xml", ["search", "x", "--format", "xml"]),
    ("--format xml", ["show", "x", "--format", "xml"]),
    ("--format xml", ["status", "x", "--format", "xml"]),
    ("--format xml", ["graph", "--format", "xml"]),
    ("--format xml", ["ask", "x", "--format", "xml"]),
    ("--format xml", ["qa", "list", "--format", "xml"]),
    ("--format xml", ["qa", "export", "--format", "xml"]),
    ("--format xml", ["export", "--format", "xml"]),
    ("bad date", ["status", "x", "--as-of", "not-a-date"]),
    ("no file and no --db", ["tasks"]),
    ("empty question", ["ask", " "]),
]


@pytest.mark.parametrize(("why", "args"), USAGE, ids=[f"{w}: {' '.join(a[:2])}" for w, a in USAGE])
def test_usage_errors_exit_2_with_one_chinese_line(monkeypatch, capsys, db, why, args):
    needs_db = args[0] in ("search", "show", "status", "graph", "ask", "export") or args[:2] == ["qa", "list"]
    code, out, err = run(monkeypatch, capsys, *args, *(["--db", str(db)] if needs_db else []))
    assert code == 2, (why, out, err)
    _one_error_line(err)


MISSING = [
    ["parse", "/nonexistent"],
    ["tasks", "/nonexistent"],
    ["ingest", "/nonexistent", "--no-progress"],
    ["search", "x", "--db", "/nonexistent/g.db"],
    ["show", "x", "--db", "/nonexistent/g.db"],
    ["status", "x", "--db", "/nonexistent/g.db"],
    ["graph", "--db", "/nonexistent/g.db"],
    ["ask", "问题", "--db", "/nonexistent/g.db"],
    ["qa", "list", "--db", "/nonexistent/g.db"],
    ["qa", "import", "/nonexistent.yaml", "--db", "/nonexistent/g.db"],
    ["export", "--db", "/nonexistent/g.db"],
    ["serve", "--db", "/nonexistent/g.db"],
    ["tasks", "--db", "/nonexistent/g.db"],
]


@pytest.mark.parametrize("args", MISSING, ids=[" ".join(a[:2]) for a in MISSING])
def test_missing_files_exit_1_with_one_chinese_line(monkeypatch, capsys, args):
    code, out, err = run(monkeypatch, capsys, *args)
    assert code == 1, (out, err)
    _one_error_line(err)


def test_a_document_not_found_exits_1(monkeypatch, capsys, db):
    for args in (["show", "没有这个文号"], ["status", "没有这个文号"]):
        code, _, err = run(monkeypatch, capsys, *args, "--db", str(db))
        assert code == 1
        _one_error_line(err)


def test_success_exits_0(monkeypatch, capsys, db):
    for args in (["parse", str(SAMPLE)], ["search", "见义勇为", "--db", str(db)], ["graph", "--db", str(db)],
                 ["--help"]):
        code, out, err = run(monkeypatch, capsys, *args)
        assert (code, err) == (0, ""), (args, err)
        assert out


def test_a_directory_and_an_unreadable_file_fail_as_input(monkeypatch, capsys, tmp_path):
    code, _, err = run(monkeypatch, capsys, "parse", str(tmp_path))
    assert code == 1
    _one_error_line(err)
    locked = tmp_path / "locked.txt"
    locked.write_bytes(SAMPLE.read_bytes())
    locked.chmod(0)
    if os.access(locked, os.R_OK):
        pytest.skip("running as root: permissions do not stop reading")
    for args in (["parse", str(locked)], ["ingest", str(locked), "--no-progress", "--db", str(tmp_path / "g.db")]):
        code, _, err = run(monkeypatch, capsys, *args)
        assert code == 1
        assert "locked.txt" in err


def test_ingest_of_a_missing_path_exits_1_and_says_so_on_stderr(tmp_path):
    """The real executable: the exit code of a partly failed ingest is not lost."""
    good = tmp_path / "good.txt"
    good.write_bytes(SAMPLE.read_bytes())
    exe = Path(sys.executable).with_name("gongbao")
    result = subprocess.run([str(exe), "ingest", "/nonexistent", str(good), "--db", str(tmp_path / "g.db"),
                             "--no-progress"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "/nonexistent" in result.stderr and "/nonexistent" not in result.stdout
    assert "1 issues added" in result.stdout  # the good file still went in


def test_usage_error_from_the_real_executable(tmp_path):
    exe = Path(sys.executable).with_name("gongbao")
    result = subprocess.run([str(exe), "search", "x", "--limit", "0"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    _one_error_line(result.stderr)
    assert "--limit" in result.stderr
