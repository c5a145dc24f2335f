"""The response cache: rendered answers of read-only GET requests, reused until the database
changes.

The database changes only by ingest, and every commit writes its file or its write-ahead
log; the key holds their sizes and modification times, and today's date (statuses and
overdue markers move with it).  Routes fill the cache (``deps.cached``); a hit is answered
by ``CacheMiddleware`` before routing, without a trip to a worker thread, and a browser
that sends the answer's ETag back gets 304.  Least recently used entries go first.
"""

from __future__ import annotations

import datetime
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import Response

Entry = tuple[bytes, str]  # body, content type


def db_version(db_path) -> tuple:
    from gongbao.store.pgconn import generation, is_url

    if is_url(db_path):
        return (generation(db_path), datetime.date.today().isoformat())
    path = Path(db_path)
    stamp: list = []
    for p in (path, path.with_name(path.name + "-wal")):
        try:
            st = p.stat()
            stamp += [st.st_mtime_ns, st.st_size]
        except OSError:
            stamp += [None, None]
    return (*stamp, datetime.date.today().isoformat())


def request_key(db_path, scope) -> tuple:
    return (db_version(db_path), scope["path"], scope.get("query_string", b""))


def etag(key: tuple) -> str:
    """An entity tag for a cached answer: the same in every worker process, new when the
    database (or the day) changes, so browsers revalidate with a cheap 304."""
    return '"' + hashlib.sha1(repr(key).encode()).hexdigest()[:20] + '"'


def _if_none_match(scope) -> bytes | None:
    return next((v for k, v in scope.get("headers", []) if k == b"if-none-match"), None)


class ResponseCache:
    def __init__(self, db_path, size: int = 1024) -> None:
        self.db_path = db_path
        self.size = size
        self.lock = threading.Lock()
        self.entries: OrderedDict[tuple, Entry] = OrderedDict()
        self.values: OrderedDict[tuple, Any] = OrderedDict()

    def lookup(self, key: tuple) -> Entry | None:
        with self.lock:
            hit = self.entries.get(key)
            if hit is not None:
                self.entries.move_to_end(key)
            return hit

    def answer(self, scope, make: Callable[[], Response]) -> Response:
        """The cached answer to the request of ``scope``, else ``make()`` (kept when a 200)."""
        key = request_key(self.db_path, scope)
        hit = self.lookup(key)
        if hit is not None:
            return Response(hit[0], media_type=hit[1], headers={"X-Cache": "hit", "ETag": etag(key)})
        response = make()
        body = getattr(response, "body", None)
        # not kept when an ingest committed while it was being made
        if response.status_code == 200 and isinstance(body, bytes) and db_version(self.db_path) == key[0]:
            with self.lock:
                self.entries[key] = (body, response.headers.get("content-type", "text/html; charset=utf-8"))
                while len(self.entries) > self.size:
                    self.entries.popitem(last=False)
            response.headers["ETag"] = etag(key)
            response.headers["Cache-Control"] = "no-cache"
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
            for old in [k for k in self.values if k[0] != version]:
                del self.values[old]
            self.values[key] = value
            while len(self.values) > self.size:
                self.values.popitem(last=False)
        return value


class CacheMiddleware:
    """Answer GET requests whose response is cached, before routing (pure ASGI)."""

    def __init__(self, app, cache: ResponseCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["method"] == "GET":
            key = request_key(self.cache.db_path, scope)
            hit = self.cache.lookup(key)
            if hit is not None:
                body, media = hit
                tag = etag(key).encode()
                headers = [(b"etag", tag), (b"cache-control", b"no-cache"), (b"x-cache", b"hit")]
                if _if_none_match(scope) == tag:
                    await send({"type": "http.response.start", "status": 304, "headers": headers})
                    await send({"type": "http.response.body", "body": b""})
                    return
                headers += [(b"content-type", media.encode("latin-1")), (b"content-length", str(len(body)).encode())]
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
