"""Bounded load test of the portal: N clients for S seconds against 127.0.0.1 only.

    python bench/load.py                      # 20 clients, 60 s, its own server on a copy of samples/
    python bench/load.py --clients 5 --seconds 10
    python bench/load.py --fresh              # searches and document URLs never repeat

It starts `gongbao serve` on a fresh database (the sample issues) on 127.0.0.1 and a free
port, runs the clients — keep-alive connections, a mix of pages, API calls, uploads with the
editor token and hostile requests (over-long and over-complex queries, overflowing integers,
unknown pages) — then stops the server and itself after the given time.  Every answer is
checked against what that kind of request should get (200/201 for the normal ones, 4xx for
the hostile ones); anything else, a 5xx, a reset or a timeout is an error.  It prints, per
route, the count, p50, p95 and maximum time, and the totals (errors, maximum request time).
With ``--fresh`` no search and no document URL repeats (new queries of the corpus's words,
bench/serve.py ``fresh_queries``; a document asked again carries an ignored ``round``
parameter), and the share of answers from the response cache is printed per route.
Nothing but 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).parent))
from serve import fresh_queries  # noqa: E402  (bench/serve.py: the never-repeating queries)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
HOST = "127.0.0.1"
TOKEN = "load-test-token"
QUERIES = ["见义勇为", "养老服务", "超标粮食 处置", "渝府办发〔2021〕26号", "风险补偿 贷款", "教育 OR 医疗", "政府 -废止"]
HOSTILE_QUERIES = ["管理" * 2500, " OR ".join(f"词{i}" for i in range(1000)), " ".join(["管理"] * 2500)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


class Plan:
    """The mix of requests: (weight, route label, make() -> (method, url, body, headers), expected statuses)."""

    def __init__(self, doc_ids: list[str], issue_ids: list[int], upload: bytes, queries=None) -> None:
        """``queries``: an endless iterator of never-repeating queries (``--fresh``); then
        document URLs do not repeat either.  Without it, the few fixed queries above."""
        self.doc_ids, self.issue_ids, self.upload = doc_ids, issue_ids, upload
        self.queries, self.asked, self.lock = queries, itertools.count(1), threading.Lock()
        ok = {200}
        self.kinds = [
            (6, "GET /", lambda: ("GET", "/", None, {}), ok),
            (4, "GET /issues/{id}", lambda: ("GET", f"/issues/{random.choice(self.issue_ids)}", None, {}), ok),
            (10, "GET /documents/{id}", lambda: ("GET", f"/documents/{self._document()}", None, {}), ok),
            (10, "GET /search", lambda: ("GET", "/search?" + urlencode({"q": self._query()}), None, {}), ok),
            (10, "GET /api/v1/search", lambda: ("GET", "/api/v1/search?" + urlencode({"q": self._query()}),
                                                None, {}), ok),
            (6, "GET /api/v1/documents", lambda: ("GET", f"/api/v1/documents?year={random.choice([2020, 2021])}"
                                                  f"&offset={random.randint(0, 20)}", None, {}), ok),
            (4, "GET /api/v1/documents/{id}", lambda: ("GET", f"/api/v1/documents/{self._document()}",
                                                       None, {}), ok),
            (3, "GET /library", lambda: ("GET", "/library", None, {}), ok),
            (3, "GET /tasks", lambda: ("GET", "/tasks", None, {}), ok),
            (3, "GET /feeds/documents.atom", lambda: ("GET", "/feeds/documents.atom", None, {}), ok),
            (3, "GET /qa", lambda: ("GET", "/qa?" + urlencode({"q": "见义勇为奖励多少钱"}), None, {}), ok),
            (2, "GET /api/v1/stats", lambda: ("GET", "/api/v1/stats", None, {}), ok),
            (2, "POST /api/v1/issues", self._upload, {200, 201}),
            (1, "POST /api/v1/issues (no token)", lambda: ("POST", "/api/v1/issues", b"", {}), {401}),
            (4, "GET /api/v1/search (hostile)", lambda: ("GET", "/api/v1/search?" + urlencode(
                {"q": random.choice(HOSTILE_QUERIES)}), None, {}), {400}),
            (3, "GET /search (hostile)", lambda: ("GET", "/search?" + urlencode(
                {"q": random.choice(HOSTILE_QUERIES)}), None, {}), {400}),
            (3, "GET overflowing integers", self._overflow, {422}),
            (2, "GET unknown page", lambda: ("GET", "/documents/" + quote("没有这个" + uuid.uuid4().hex), None, {}),
             {404}),
        ]
        self.weights = [k[0] for k in self.kinds]

    def _query(self) -> str:
        if not self.queries:
            return random.choice(QUERIES)
        with self.lock:  # one generator for all client threads
            return next(self.queries)

    def _document(self) -> str:
        doc = quote(random.choice(self.doc_ids))
        # an ignored parameter makes the URL new, so the response cache misses
        return f"{doc}?round={next(self.asked)}" if self.queries else doc

    def _upload(self):
        data = self.upload
        if random.random() < 0.5:  # a changed file: a real ingest (else the same file: "unchanged")
            data += f"\n（本期完）{uuid.uuid4().hex}\n".encode()
        body, kind = _multipart("upload.txt", data)
        return "POST", "/api/v1/issues", body, {"Authorization": f"Bearer {TOKEN}", "Content-Type": kind}

    def _overflow(self):
        url = random.choice(["/api/v1/documents?year=99999999999999999999", "/api/v1/issues/99999999999999999999",
                             "/issues?page=922337203685477581", "/issues/99999999999999999999/source",
                             "/api/v1/documents?offset=-99999999999999999999"])
        return "GET", url, None, {}

    def pick(self):
        return random.choices(self.kinds, self.weights)[0]


def client(port: int, plan: Plan, stop_at: float, results: list, timeout: float) -> None:
    """Requests until ``stop_at``; each result (route, seconds, status, as expected, from the cache)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    while time.monotonic() < stop_at:
        _, label, make, expected = plan.pick()
        method, url, body, headers = make()
        started = time.perf_counter()
        try:
            conn.request(method, url, body=body, headers=headers)
            answer = conn.getresponse()
            answer.read()
            status, hit = answer.status, answer.getheader("x-cache") == "hit"
            if answer.will_close:
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        except (OSError, http.client.HTTPException) as exc:
            status, hit = f"{type(exc).__name__}", False
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        results.append((label, time.perf_counter() - started, status, status in expected, hit))
    conn.close()


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def report(results: list, seconds: float) -> dict:
    by_route: dict[str, list] = {}
    for label, took, status, good, hit in results:
        by_route.setdefault(label, []).append((took, status, good, hit))
    rows = []
    for label in sorted(by_route):
        items = by_route[label]
        times = [t for t, _, _, _ in items]
        bad = [s for _, s, good, _ in items if not good]
        rows.append({"route": label, "requests": len(items), "errors": len(bad),
                     "cached_pct": round(100 * sum(hit for *_, hit in items) / len(items)),
                     "unexpected": sorted({str(s) for s in bad}), "p50_ms": round(_percentile(times, 50) * 1000, 1),
                     "p95_ms": round(_percentile(times, 95) * 1000, 1), "max_ms": round(max(times) * 1000, 1)})
    total = {"requests": len(results), "errors": sum(r["errors"] for r in rows),
             "max_ms": max((r["max_ms"] for r in rows), default=0.0),
             "p95_ms": round(_percentile([t for _, t, *_ in results], 95) * 1000, 1) if results else 0.0,
             "cached_pct": round(100 * sum(r[-1] for r in results) / max(1, len(results))),
             "requests_per_s": round(len(results) / seconds, 1)}
    return {"routes": rows, "total": total}


def _markdown(summary: dict, clients: int, seconds: float) -> str:
    t = summary["total"]
    lines = [f"{clients} clients, {seconds:g} s: {t['requests']} requests ({t['requests_per_s']}/s), "
             f"**{t['errors']} errors**, p95 {t['p95_ms']} ms, slowest request {t['max_ms']} ms, "
             f"{t['cached_pct']} % from the response cache", "",
             "| route | requests | errors | p50 ms | p95 ms | max ms | cached % |", "|---|---:|---:|---:|---:|---:|---:|"]
    for r in summary["routes"]:
        lines.append(f"| {r['route']} | {r['requests']} | {r['errors']}"
                     f"{' ' + ','.join(r['unexpected']) if r['unexpected'] else ''} | {r['p50_ms']} | {r['p95_ms']} "
                     f"| {r['max_ms']} | {r['cached_pct']} |")
    return "\n".join(lines)


def _start_server(db: Path, port: int, env: dict) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("gongbao")
    # its log to a file beside the database: a pipe nobody reads would stall the server once full
    log = open(db.with_suffix(".log"), "wb")
    server = subprocess.Popen([str(exe), "serve", "--db", str(db), "--host", HOST, "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
    log.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"server did not start: {db.with_suffix('.log').read_text()[-500:]}")
            time.sleep(0.2)
    server.kill()
    raise SystemExit("server did not start within 60 s")


def _json(port: int, path: str):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", path)
    data = json.loads(conn.getresponse().read())
    conn.close()
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--timeout", type=float, default=30.0, help="per request")
    parser.add_argument("--json", type=Path, help="also write the summary here")
    parser.add_argument("--fresh", action="store_true", help="searches and document URLs that never repeat")
    args = parser.parse_args()
    if not (1 <= args.clients <= 200 and 0 < args.seconds <= 3600):
        parser.error("--clients 1..200, --seconds up to 3600")
    with tempfile.TemporaryDirectory(prefix="gongbao-load-") as tmp:
        db = Path(tmp) / "load.db"
        exe = Path(sys.executable).with_name("gongbao")
        subprocess.run([str(exe), "ingest", str(SAMPLES), "--db", str(db), "--no-progress"], check=True,
                       stdout=subprocess.DEVNULL)
        port = _free_port()
        env = {**os.environ, "GONGBAO_UPLOAD_TOKEN": TOKEN}
        server = _start_server(db, port, env)
        try:
            doc_ids = [d["id"] for d in _json(port, "/api/v1/documents?limit=200")["items"]]
            issue_ids = [i["id"] for i in _json(port, "/api/v1/issues")["items"]]
            queries = None
            if args.fresh:
                titles = [d["title"] for d in _json(port, "/api/v1/documents?limit=200")["items"]]
                queries = fresh_queries(titles, random.Random(1))
            plan = Plan(doc_ids, issue_ids, sorted(SAMPLES.glob("*.txt"))[-1].read_bytes(), queries)
            results: list = []
            stop_at = time.monotonic() + args.seconds
            threads = [threading.Thread(target=client, args=(port, plan, stop_at, results, args.timeout))
                       for _ in range(args.clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(args.seconds + args.timeout + 10)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
            logged = list(dict.fromkeys(db.with_suffix(".log").read_text(errors="replace").splitlines()))
    summary = report(results, args.seconds)
    print(_markdown(summary, args.clients, args.seconds))
    if logged:
        print(f"\nserver log ({len(logged)} distinct lines):", *logged[:20], sep="\n  ")
    if args.json:
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    sys.exit(1 if summary["total"]["errors"] else 0)


if __name__ == "__main__":
    main()
