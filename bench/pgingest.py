"""PostgreSQL ingest, phase by phase: wall and CPU (the writer, the parsing processes, the
server) of each phase of one ``ingest_paths`` into an empty database on a throw-away
cluster (tests/pg_cluster.py: fsync off, unix socket), with the load average beside each.

    python bench/pgingest.py PATH... [--log DIR]

Phases: ``rows`` (files parsed and their rows written, up to the last issue), ``indexes``
(the full-text index builds after a first load, and their ANALYZE), ``ranking`` (the common
words' lists), ``links`` (citations resolved), ``rest``.  Within ``rows``: the writer's time
inside ``ingest_issue`` (its statements and their answers) and outside it (waiting for a
parsed issue).  Beside each process's CPU, the time it was ready to run but waited for a core
(/proc/PID/schedstat: the writer's threads, the server's live processes), which is what the
machine's other jobs add to the wall.  The server logs checkpoints, lock waits, autovacuum
runs and statements over a second (``--log`` keeps the log); ``--statements N`` prints the N
statements it spent most on.  Runs whichever gongbao is imported: to compare two versions,
run each with its own ``PYTHONPATH=…/src``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from pg_cluster import Cluster, find_binaries  # noqa: E402

import gongbao  # noqa: E402
from gongbao import ingest  # noqa: E402
from gongbao.store import postgres  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
SERVER_SETTINGS = {"log_checkpoints": "on", "log_lock_waits": "on", "deadlock_timeout": "200ms",
                   "log_autovacuum_min_duration": "0", "log_min_duration_statement": "1000",
                   "log_temp_files": "0"}


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()  # fields from the state on


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def server_cpu(postmaster: int) -> float:
    """The postmaster's CPU, its reaped children's and its live children's, in seconds."""
    fields = _stat(postmaster)
    total = sum(int(v) for v in fields[11:15]) if fields else 0  # utime stime cutime cstime
    for child in _children(postmaster):
        child_fields = _stat(child)
        total += sum(int(v) for v in child_fields[11:13]) if child_fields else 0
    return total / TICK


def _waited(pid: int) -> float:
    """Seconds the threads of ``pid`` spent ready to run but waiting for a core (schedstat)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            total += int((task / "schedstat").read_text().split()[1])
        except (OSError, IndexError):
            pass
    return total / 1e9


def waited(postmaster: int) -> tuple[float, float]:
    """(this process's, the server's live processes') seconds waiting for a core."""
    return _waited(os.getpid()), sum(_waited(child) for child in _children(postmaster))


def workers_cpu() -> float:
    """The parsing processes' CPU: live children of this process, plus those reaped."""
    live = sum(sum(int(v) for v in (_stat(c) or ["0"] * 13)[11:13]) for c in _children(os.getpid())) / TICK
    done = resource.getrusage(resource.RUSAGE_CHILDREN)
    return live + done.ru_utime + done.ru_stime


def writer_cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


class Phases:
    """Marks where each phase starts, with the CPU counters and load at that moment."""

    def __init__(self, postmaster: int) -> None:
        self.postmaster = postmaster
        self.marks: list[tuple] = []
        self.inside = 0.0  # the writer's seconds inside ingest_issue

    def mark(self, name: str) -> None:
        self.marks.append((name, time.perf_counter(), writer_cpu(), workers_cpu(),
                           server_cpu(self.postmaster), os.getloadavg()[0], *waited(self.postmaster)))

    def table(self) -> list[dict]:
        out = []
        for (name, t0, w0, p0, s0, l0, q0, r0), (_, t1, w1, p1, s1, l1, q1, r1) in zip(self.marks, self.marks[1:]):
            out.append({"phase": name, "wall": round(t1 - t0, 1), "writer": round(w1 - w0, 1),
                        "parsing": round(p1 - p0, 1), "server": round(s1 - s0, 1),
                        "writer waiting for a core": round(q1 - q0, 1), "server waiting for a core": round(r1 - r0, 1),
                        "load": f"{l0:.1f}-{l1:.1f}"})
        return out


def instrument(phases: Phases) -> None:
    """Mark the phases where ingest_paths passes them (each wrapper calls the original)."""
    store_issue, build, links = ingest._store, postgres._build_indexes, ingest._resolve_links
    refresh = postgres.PgStore.refresh_ranking

    def timed_store(*args, **kwargs):
        if not phases.marks or phases.marks[-1][0] != "rows":
            phases.mark("rows")
        started = time.perf_counter()
        try:
            return store_issue(*args, **kwargs)
        finally:
            phases.inside += time.perf_counter() - started

    def timed_build(*args, **kwargs):
        phases.mark("indexes" if phases.inside else "open")
        return build(*args, **kwargs)

    def timed_refresh(*args, **kwargs):
        phases.mark("ranking")
        return refresh(*args, **kwargs)

    def timed_links(*args, **kwargs):
        phases.mark("links")
        result = links(*args, **kwargs)
        phases.mark("rest")
        return result

    ingest._store, postgres._build_indexes, ingest._resolve_links = timed_store, timed_build, timed_links
    postgres.PgStore.refresh_ranking = timed_refresh


def print_statements(url: str, n: int) -> None:
    """The statements the server spent most time on (pg_stat_statements), their share."""
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT total_exec_time, calls, query FROM stats.pg_stat_statements"
                            " ORDER BY total_exec_time DESC").fetchall()
    total = sum(r[0] for r in rows)
    for ms, calls, query in rows[:n]:
        print(f"{ms / 1000:8.2f} s {100 * ms / total:5.1f} % {calls:7d} calls  {' '.join(query.split())[:150]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--log", type=Path, help="keep the server's log here")
    parser.add_argument("--statements", type=int, default=0, help="print the N statements the server spent most on")
    args = parser.parse_args()
    cluster = Cluster(find_binaries())
    cluster.start()
    try:
        url = cluster.create_database("ingest")
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            for name, value in SERVER_SETTINGS.items():
                conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
            conn.execute("SELECT pg_reload_conf()")
            if args.statements:
                conn.execute("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'")
        if args.statements:
            cluster.restart()
            with psycopg.connect(url, autocommit=True) as conn:
                # its own schema: a table of another program's in gongbao's is refused at open
                conn.execute("CREATE SCHEMA stats")
                conn.execute("CREATE EXTENSION pg_stat_statements SCHEMA stats")
        postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
        phases = Phases(postmaster)
        instrument(phases)
        phases.mark("start")
        summary = ingest.ingest_paths(args.paths, url, progress=False)
        phases.mark("end")
        with psycopg.connect(url, autocommit=True) as conn:
            size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        rows = phases.table()
        total = phases.marks[-1][1] - phases.marks[0][1]
        print(json.dumps({"gongbao": str(Path(gongbao.__file__).parent), "files": summary.files,
                          "documents": summary.documents, "MB": round(summary.bytes / 1e6, 1),
                          "wall": round(total, 1), "MB/s": round(summary.bytes / 1e6 / total, 3),
                          "writer inside ingest_issue": round(phases.inside, 1),
                          "size MB": round(size / 1e6), "failures": len(summary.failures)}, ensure_ascii=False))
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        if args.statements:
            print_statements(url, args.statements)
    finally:
        if args.log:
            shutil.copy(cluster.folder / "log", args.log)
        cluster.stop()


if __name__ == "__main__":
    main()
