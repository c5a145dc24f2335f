"""Every answer of the portal, the API and ``gongbao … --format json`` on one database,
written to files, so that two versions of the code can be compared byte for byte (a change
of the store's return types must not move one byte of what users get).

    python bench/outputs_same.py --db samples.db --out /tmp/after
    PYTHONPATH=/path/to/other/src python bench/outputs_same.py --db samples.db --out /tmp/before
    python bench/outputs_same.py --compare /tmp/before /tmp/after

Without ``--db`` a fresh database of samples/ is made.  The database is copied before each
run (the portal writes its derived tables), so both runs start from the same bytes.  Every
route the database gives a value for is read: each issue, document, unit and table, the
library by status, search and Q&A on a few questions, the feeds and the exports.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ("通知", "安全生产", "2021", "人民政府办公厅 印发")
QUESTIONS = ("安全生产责任由谁负责？", "征收补偿标准是什么")


def _urls(st) -> list[str]:
    """Every route of the portal and the API with the values the database holds."""
    issues = [i.id for i in st.list_issues()]
    docs = [row.id for row in plain_items(st)]
    units = [u.name for u in st.units()][:40]
    urls = ["/", "/issues", "/issues?page=2", "/tasks", "/tasks.csv", "/tasks.ics", "/library", "/api", "/qa",
            "/feeds/documents.atom", "/api/v1/issues", "/api/v1/issues?limit=2&offset=1", "/api/v1/documents",
            "/api/v1/documents?limit=500", "/api/v1/documents?year=2021&limit=5&offset=2", "/api/v1/tasks",
            "/api/v1/tasks?overdue=true", "/api/v1/units", "/api/v1/stats", "/api/v1/qa", "/openapi.json"]
    for status in ("in_force", "repealed", "unknown", "expired"):
        urls += [f"/library?status={status}", f"/library?status={status}&page=2"]
    urls += [f"/library?q={quote(q)}" for q in QUERIES]
    urls += [f"/library?type={quote(t)}" for t in st.doc_types()[:5]]
    for iid in issues:
        urls += [f"/issues/{iid}", f"/issues/{iid}/source", f"/api/v1/issues/{iid}", f"/api/v1/documents?issue_id={iid}"]
    for did in docs:
        urls += [f"/documents/{did}", f"/api/v1/documents/{did}", f"/documents/{did}.json", f"/documents/{did}.md"]
        urls += [f"/api/v1/documents/{did}/{part}" for part in ("outline", "tables", "tasks", "citations")]
    for name in units:
        urls += [f"/units/{quote(name)}", f"/api/v1/units/{quote(name)}", f"/feeds/issuers/{quote(name)}.atom",
                 f"/feeds/units/{quote(name)}/tasks.atom", f"/api/v1/documents?issuer={quote(name)}"]
    urls += [f"/search?q={quote(q)}" for q in QUERIES] + [f"/api/v1/search?q={quote(q)}" for q in QUERIES]
    urls += [f"/api/v1/ask?q={quote(q)}" for q in QUESTIONS]
    urls += [f"/api/v1/export/{t}.{f}" for t in ("documents", "tasks", "citations") for f in ("jsonl", "csv")]
    for dn in {d.doc_number for d in plain_items(st) if d.doc_number}:
        urls.append(f"/api/v1/documents?doc_number={quote(str(dn))}")
    return urls


def plain_items(st):
    """Every stored document (present and absent), as metadata."""
    return [st.get_document(i, full=False) for i in st.doc_ids()]


def _commands(st) -> list[list[str]]:
    """``gongbao`` commands with JSON output on the database."""
    commands = [["ledger", "--format", "json", "--as-of", "2022-01-01"], ["tasks", "--format", "json"],
                ["graph", "--as-of", "2022-01-01"], ["corrections", "--format", "json"]]
    for iid in [i.id for i in st.list_issues()]:
        commands.append(["review", str(iid), "--all", "--format", "json"])
    for did in st.doc_ids()[:25]:
        commands += [["show", did, "--format", "json"], ["status", did, "--as-of", "2022-01-01", "--format", "json"]]
    commands += [["search", q, "--format", "json"] for q in QUERIES]
    commands += [["ask", q, "--format", "json"] for q in QUESTIONS]
    return commands


def _name(text: str) -> str:
    safe = "".join(c if c.isalnum() and c.isascii() else "_" for c in text)[:60]
    return f"{safe}-{hashlib.sha1(text.encode()).hexdigest()[:8]}"


def record(db: Path, out: Path) -> int:
    from fastapi.testclient import TestClient

    from gongbao.store import open_store
    from gongbao.web import create_app

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "db.sqlite"
        shutil.copyfile(db, copy)
        with open_store(str(copy)) as st:
            urls, commands = _urls(st), _commands(st)
        client = TestClient(create_app(copy, upload_token="t"))
        urls += [f"/issues/{u.split('/')[2]}/review?all=true" for u in urls if u.count("/") == 2
                 and u.startswith("/issues/") and u.split("/")[2].isdigit()]
        for url in urls:
            answer = client.get(url, headers={"Authorization": "Bearer t"})
            (out / f"web-{_name(url)}").write_bytes(f"{url}\n{answer.status_code}\n".encode() + answer.content)
        for args in commands:
            done = subprocess.run([sys.executable, "-m", "gongbao", *args, "--db", str(copy)], capture_output=True)
            (out / f"cli-{_name(' '.join(args))}").write_bytes(
                f"{' '.join(args)}\n{done.returncode}\n".encode() + done.stdout + done.stderr)
    print(f"{len(urls)} routes, {len(commands)} commands → {out}")
    return 0


# the clock of the run, not the database: an iCalendar's DTSTAMP, the <updated> of a feed
# with no entries
_NOW = (re.compile(rb"DTSTAMP:\d{8}T\d{6}Z"), re.compile(rb"(</title><id>[^<]*</id>(?:<link [^>]*/>)*<updated>)[^<]*(</updated>)"))


def _stable(data: bytes) -> bytes:
    return _NOW[1].sub(rb"\1now\2", _NOW[0].sub(b"DTSTAMP:now", data))


def _same(a: Path, b: Path) -> bool:
    return a.is_file() and b.is_file() and _stable(a.read_bytes()) == _stable(b.read_bytes())


def compare(before: Path, after: Path) -> int:
    names = sorted({p.name for p in before.iterdir()} | {p.name for p in after.iterdir()})
    differ = [n for n in names if not _same(before / n, after / n)]
    for name in differ:
        print("differs:", name)
    print(f"{len(names) - len(differ)} of {len(names)} outputs byte-identical (the run's clock aside)")
    return 1 if differ else 0


def _samples_db(path: Path) -> None:
    """samples/ ingested, with an editor's correction (the editors' views have something to show)."""
    gongbao = [sys.executable, "-m", "gongbao"]
    subprocess.run([*gongbao, "ingest", str(ROOT / "samples"), "--db", str(path)], check=True, capture_output=True)
    from gongbao.store import open_store

    with open_store(str(path)) as st:
        first = st.doc_ids()[0]
    subprocess.run([*gongbao, "correct", first, "title", "更正后的标题", "--reason", "原文如此", "--editor", "bench",
                    "--db", str(path)], check=True, capture_output=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="the database (default: samples/ ingested afresh)")
    parser.add_argument("--out", type=Path, help="write every output here")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args(argv)
    if args.compare:
        return compare(*args.compare)
    if not args.out:
        parser.error("--out or --compare")
    if args.db:
        return record(args.db, args.out)
    with tempfile.TemporaryDirectory() as tmp:
        _samples_db(Path(tmp) / "samples.db")
        return record(Path(tmp) / "samples.db", args.out)


if __name__ == "__main__":
    sys.exit(main())
