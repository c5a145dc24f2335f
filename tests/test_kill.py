"""kill -9 of an ingest: the parsing processes die with it (no orphans), the database stays
consistent, and ingesting again stores every file exactly.

Each round starts `gongbao ingest` on 10 files (enough for parsing processes), kills it with
SIGKILL once its workers run, then checks.  GONGBAO_KILLS sets the number of rounds (CI: 3;
the long run in the README: 32).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gongbao.ingest import ingest_paths
from gongbao.store import open_store

SAMPLES = Path(__file__).parent.parent / "samples"
KILLS = int(os.environ.get("GONGBAO_KILLS", "3"))
FILES = 10

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists() or (os.cpu_count() or 1) < 2,
                                reason="needs Linux /proc and 2+ cores (parsing processes)")


def _children(pid: int) -> set[int]:
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.add(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("kill") / "in"
    root.mkdir()
    samples = sorted(SAMPLES.glob("*.txt"))
    for i in range(FILES):
        text = samples[i % len(samples)].read_text(encoding="utf-8")
        # a distinct issue per file: its own issue number in the masthead line
        (root / f"issue{i:02d}.txt").write_text(text.replace("2020年第4期", f"2020年第{40 + i}期", 1)
                                                .replace("2021年第3期", f"2021年第{40 + i}期", 1)
                                                + f"\n（本期完）{i}\n", encoding="utf-8")
    return root


def _counts(db: Path) -> dict:
    with open_store(db, readonly=True) as store:
        stats = store.stats()
    return {k: getattr(stats, k) for k in ("issues", "documents", "tasks", "citations")}


def test_kill_9_leaves_no_orphans_and_a_consistent_database(folder, tmp_path):
    ingest_paths([folder], tmp_path / "clean.db", progress=False)
    clean = _counts(tmp_path / "clean.db")
    exe = Path(sys.executable).with_name("gongbao")
    rng = random.Random(16)
    for round_ in range(KILLS):
        db = tmp_path / f"k{round_}.db"
        proc = subprocess.Popen([str(exe), "ingest", str(folder), "--db", str(db), "--no-progress"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        workers: set[int] = set()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            workers |= _children(proc.pid)
            if len(workers) >= 2:
                break
            time.sleep(0.01)
        if proc.poll() is not None:
            pytest.fail("the ingest ended before its parsing processes were seen")
        time.sleep(rng.uniform(0.0, 0.8))  # somewhere in the run
        workers |= _children(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        gone_by = time.monotonic() + 10
        while time.monotonic() < gone_by and any(_alive(w) for w in workers):
            time.sleep(0.05)
        assert [w for w in workers if _alive(w)] == [], f"round {round_}: orphaned parsing processes"
        if db.exists():
            conn = sqlite3.connect(db)
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            conn.close()
        again = ingest_paths([folder], db, progress=False)
        assert again.failures == []
        assert _counts(db) == clean  # re-ingest after the kill is exact
