"""Conditional requests and the response cache: every read-only GET answer is a function of
the database version, the day, gongbao's version and the URL, so its ETag is known before
anything is computed.

The database changes only by ingest and editors' writes, and every commit writes its file
or its write-ahead log; the version holds their sizes and modification times (PostgreSQL:
its write counter), and today's date (statuses and overdue markers move with it).
``CacheMiddleware`` answers ``If-None-Match`` / ``If-Modified-Since`` with 304 before
routing, in every worker process alike, and puts ETag, Last-Modified and Cache-Control on
every 200 GET answer.  Routes also keep rendered answers (``deps.cached``) in a per-process
store, least recently used entries going first, and — when ``$GONGBAO_PAGE_CACHE`` names a
directory (``gongbao serve`` makes one for its worker processes) — in files there that every
worker process reads (``SharedPages``); a hit is answered before routing too.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import os
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from typing import Any

from fastapi import Response

from gongbao import __version__

Entry = tuple[bytes, str]  # body, content type

# The directory of the page files shared by the worker processes (SharedPages); unset: none.
SHARED_ENV = "GONGBAO_PAGE_CACHE"
SHARED_MAX_BYTES = 512 * 1024 * 1024  # then the older half goes (a whole lawref portal is ~0.5 GB)

# Public pages may be kept by browsers and shared caches for a minute, then revalidated
# (a cheap 304 while the database is unchanged): a new ingest shows within a minute.
PUBLIC_CACHE = b"public, max-age=60"
# Answers that depend on who asks (editors' tokens) or that change the database.
_PRIVATE_PREFIXES = ("/upload", "/static/")


# PostgreSQL: how long a process trusts the write counter it last read.  Reading it is a
# round trip to the server, and every request needs the version (in the event loop, for the
# conditional answer); a write made through this process is seen at once (forget_version),
# one made elsewhere within this time.
VERSION_SECONDS = 1.0
_versions: dict[str, tuple[float, tuple]] = {}


def db_version(db_path) -> tuple:
    from gongbao.store.pgconn import is_url

    if is_url(str(db_path)):
        return _server_version(str(db_path))
    wal = _files(str(db_path))
    stamp: list = []
    for p in wal:
        try:
            st = os.stat(p)
        except OSError:
            st = None
        # an empty log is no change: the first reader creates one, the last one's close removes it
        stamp += [st.st_mtime_ns, st.st_size] if st and st.st_size else [None, None]
    return (*stamp, datetime.date.today().isoformat())


@functools.lru_cache(maxsize=64)
def _files(db_path: str) -> tuple[str, str]:
    return db_path, db_path + "-wal"


def _server_version(url: str) -> tuple:
    from gongbao.store.pgconn import generation

    now = time.monotonic()
    seen = _versions.get(url)
    if seen is not None and now - seen[0] < VERSION_SECONDS:
        return seen[1]
    counter = generation(url)
    day = datetime.date.today().isoformat()
    if counter is None:  # the server cannot be reached: a version nothing was kept under
        return (None, day, now)
    _versions[url] = (now, (counter, day))
    return (counter, day)


def forget_version(db_path) -> None:
    """After a write through this process: its next request reads the version anew."""
    _versions.pop(str(db_path), None)


def last_modified(version: tuple) -> float | None:
    """When the answers of this database version last changed (seconds since the epoch): the
    later of the last write and the start of today (statuses move with the date); None when
    the engine does not say when it was written (PostgreSQL: the ETag alone serves)."""
    stamps = [v for v in version[:-1:2] if isinstance(v, int)] if len(version) > 2 else []
    if not stamps:
        return None
    midnight = time.mktime(datetime.date.fromisoformat(version[-1]).timetuple())
    return max(max(stamps) / 1e9, midnight)


def request_key(db_path, scope) -> tuple:
    return (db_version(db_path), __version__, scope["path"], scope.get("query_string", b""))


def etag(key: tuple) -> str:
    """An entity tag for a GET answer: the same in every worker process, new when the
    database, the day or gongbao changes, so browsers revalidate with a cheap 304."""
    return '"' + hashlib.sha1(repr(key).encode()).hexdigest()[:20] + '"'


def _header(scope, name: bytes) -> bytes | None:
    return next((v for k, v in scope.get("headers", []) if k == name), None)


def conditional(scope) -> bool:
    """Whether this request's answer is a function of the URL and the database alone: a GET
    without credentials, outside the editors' upload page and the static files."""
    if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
        return False
    if scope["path"].startswith(_PRIVATE_PREFIXES):
        return False
    return _header(scope, b"authorization") is None and _header(scope, b"x-gongbao-token") is None


def not_modified(scope, tag: bytes, modified: float | None) -> bool:
    """RFC 9110 §13.1: If-None-Match decides when sent; else If-Modified-Since."""
    match = _header(scope, b"if-none-match")
    if match is not None:
        return match.strip() == b"*" or tag in [t.strip().removeprefix(b"W/") for t in match.split(b",")]
    since = _header(scope, b"if-modified-since")
    if since is None or modified is None:
        return False
    try:
        return int(modified) <= parsedate_to_datetime(since.decode("latin-1")).timestamp()
    except (TypeError, ValueError):
        return False


def validators(key: tuple) -> list[tuple[bytes, bytes]]:
    """ETag, Last-Modified (when known) and Cache-Control of an answer under ``key``."""
    headers = [(b"etag", etag(key).encode()), (b"cache-control", PUBLIC_CACHE)]
    modified = last_modified(key[0])
    if modified is not None:
        headers.append((b"last-modified", formatdate(modified, usegmt=True).encode()))
    return headers


class SharedPages:
    """Answers kept as files that every worker process reads: one directory per database
    version (``v<hash>``), one file per URL (``<hash>``: the content type, a newline, the
    body), written to a temporary name and renamed, so a reader sees a whole file or none.
    The first process to write under a new version removes the other versions' directories;
    past ``max_bytes`` written in the version, a process removes the older half of them."""

    def __init__(self, root: str | Path, max_bytes: int = SHARED_MAX_BYTES) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes
        self.current: Path | None = None
        self.written = 0

    @staticmethod
    def _name(key: tuple) -> tuple[str, str]:
        return ("v" + hashlib.sha1(repr(key[:2]).encode()).hexdigest()[:16],
                hashlib.sha1(repr(key).encode()).hexdigest()[:32])

    def get(self, key: tuple) -> Entry | None:
        folder, name = self._name(key)
        try:
            data = (self.root / folder / name).read_bytes()
        except OSError:
            return None
        media, _, body = data.partition(b"\n")
        return body, media.decode("latin-1")

    def put(self, key: tuple, entry: Entry) -> None:
        folder, name = self._name(key)
        directory = self.root / folder
        try:
            if directory != self.current:
                self._enter(directory)
            tmp = directory / f".{name}.{os.getpid()}.{threading.get_ident()}"
            tmp.write_bytes(entry[1].encode("latin-1") + b"\n" + entry[0])
            os.replace(tmp, directory / name)
        except OSError:
            return  # a cache: a full disk or a removed directory costs only the next miss
        self.written += len(entry[0])
        if self.written > self.max_bytes:
            self._trim(directory)

    def _enter(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for other in self.root.iterdir():
            if other.name.startswith("v") and other != directory:
                shutil.rmtree(other, ignore_errors=True)
        self.current, self.written = directory, 0

    def _trim(self, directory: Path) -> None:
        files = sorted(directory.iterdir(), key=lambda f: f.stat().st_mtime_ns if f.exists() else 0)
        for f in files[: len(files) // 2]:
            f.unlink(missing_ok=True)
        self.written = 0


class ResponseCache:
    def __init__(self, db_path, size: int = 1024, shared: str | Path | None = None) -> None:
        self.db_path = db_path
        self.size = size
        self.lock = threading.Lock()
        self.entries: OrderedDict[tuple, Entry] = OrderedDict()
        self.values: OrderedDict[tuple, Any] = OrderedDict()
        shared = shared or os.environ.get(SHARED_ENV)
        self.shared = SharedPages(shared) if shared else None

    def lookup(self, key: tuple) -> Entry | None:
        with self.lock:
            hit = self.entries.get(key)
            if hit is not None:
                self.entries.move_to_end(key)
                return hit
        hit = self.shared.get(key) if self.shared else None
        if hit is not None:
            self._keep(key, hit)
        return hit

    def _keep(self, key: tuple, entry: Entry) -> None:
        with self.lock:
            self.entries[key] = entry
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def answer(self, scope, make: Callable[[], Response]) -> Response:
        """The cached answer to the request of ``scope``, else ``make()`` (kept when a 200)."""
        key = request_key(self.db_path, scope)
        hit = self.lookup(key)
        if hit is not None:
            return Response(hit[0], media_type=hit[1], headers={"X-Cache": "hit"})
        response = make()
        body = getattr(response, "body", None)
        # not kept when an ingest committed while it was being made
        if response.status_code == 200 and isinstance(body, bytes) and db_version(self.db_path) == key[0]:
            entry = (body, response.headers.get("content-type", "text/html; charset=utf-8"))
            self._keep(key, entry)
            if self.shared:
                self.shared.put(key, entry)
        return response

    def memo(self, db_path, name: str, make: Callable[[], Any]) -> Any:
        version = db_version(db_path)
        key = (version, name)
        with self.lock:
            if key in self.values:
                self.values.move_to_end(key)
                return self.values[key]
        value = make()
        with self.lock:
            # every value kept is of one version (each new one drops the others'): the first tells
            if self.values and next(iter(self.values))[0] != version:
                self.values.clear()
            self.values[key] = value
            while len(self.values) > self.size:
                self.values.popitem(last=False)
        return value


class CacheMiddleware:
    """Conditional GET for every public answer, and answers kept by ``ResponseCache``, both
    before routing (pure ASGI: no trip to a worker thread)."""

    def __init__(self, app, cache: ResponseCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope, receive, send):
        if not conditional(scope):
            try:
                await self.app(scope, receive, send)
            finally:
                if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD"):
                    forget_version(self.cache.db_path)  # it may have written (uploads, editors)
            return
        key = request_key(self.cache.db_path, scope)
        headers = validators(key)
        if not_modified(scope, headers[0][1], last_modified(key[0])):
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        hit = self.cache.lookup(key) if scope["method"] == "GET" else None
        if hit is not None:
            body, media = hit
            headers += [(b"x-cache", b"hit"), (b"content-type", media.encode("latin-1")),
                        (b"content-length", str(len(body)).encode())]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return

        async def with_validators(message):
            if message["type"] == "http.response.start" and message["status"] == 200:
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in headers if h[0] not in names)]
            await send(message)

        await self.app(scope, receive, with_validators)
