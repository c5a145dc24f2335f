"""What every route module shares: the templates, ``render``, the store of a request.

A router module (``gongbao.web.routes_*``) renders a page with
``render(request, "name.html", {...})`` — the template extends ``base.html`` — and reads the
database through ``store(request)``, opened per thread and reused across requests.
"""

from __future__ import annotations

import html
import os
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.templating import Jinja2Templates
from jinja2 import FileSystemBytecodeCache
from markupsafe import Markup, escape

from gongbao.lasting import cache_folder

from gongbao.labels import STATUS

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

# Search snippets come as escaped text with <mark>…</mark> around matches (search.query).
_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)



class _CompiledTemplates(FileSystemBytecodeCache):
    """Compiled templates kept in gongbao's cache folder (Jinja checks each against its
    template's source): a worker's first page of a kind loads them instead of compiling
    (10–40 ms a template); a folder that cannot be read or written costs only the compile."""

    def __init__(self) -> None:
        super().__init__(str(cache_folder() / "templates"))

    def load_bytecode(self, bucket) -> None:
        self.directory = str(cache_folder() / "templates")  # the folder as configured now
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError):
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
# The templates ship with the package: no stat() of every template file on every render.
templates.env.auto_reload = False
templates.env.bytecode_cache = _CompiledTemplates()


def highlight(snippet: str | None) -> Markup:
    """A search snippet as safe HTML: every text part is unescaped and escaped again, so only
    our own <mark> tags survive, whatever the snippet holds."""
    if not snippet:
        return Markup("")
    out: list[str] = []
    pos = 0
    for m in _MARK.finditer(snippet):
        out.append(str(escape(html.unescape(snippet[pos : m.start()]))))
        out.append(f"<mark>{escape(html.unescape(m.group(1)))}</mark>")
        pos = m.end()
    out.append(str(escape(html.unescape(snippet[pos:]))))
    return Markup("".join(out))


def status_label(code: str | None) -> str:
    return STATUS.get(code or "unknown", code or STATUS["unknown"])


templates.env.filters["highlight"] = highlight
templates.env.filters["status_label"] = status_label


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200):
    """Render a page template; ``request`` and the app's nav state are always available."""
    return templates.TemplateResponse(request, name, context or {}, status_code=status_code)


_local = threading.local()


def store(request: Request):
    """A read-only Store on the app's database, one per worker thread (``thread_store``).

    The request's time budget (``limits.QUERY_SECONDS`` from its first look at the store)
    is set on it: the engine stops any statement still running past it (web/guard.py answers)."""
    from gongbao import limits

    st = thread_store(str(request.app.state.db_path))
    deadline = getattr(request.state, "deadline", None)
    if deadline is None:
        deadline = request.state.deadline = time.monotonic() + limits.QUERY_SECONDS.value()
    st.set_deadline(deadline)
    request.state.store = st
    return st


def thread_store(db_path: str):
    """A read-only Store on ``db_path`` for this thread, opened once and reused across requests
    (a SQLite connection serves one thread at a time; WAL lets these readers run beside an
    upload's writer)."""
    from gongbao.store import open_store

    cache: dict[str, Any] = getattr(_local, "stores", None) or {}
    _local.stores = cache
    st = cache.get(db_path)
    if st is not None and st.broken():
        st.close()  # its server went away: a fresh connection once it is back
        st = None
    if st is None:
        st = open_store(db_path, readonly=True)
        st.pack_outlines = True
        cache[db_path] = st
    return st


def portal(request: Request):
    """The request's store, the portal's derived tables (store/portalsql.py) brought up to
    date first: looked at once per database version in each process, rebuilt by the first
    process that finds them stale (web/derived.py)."""
    from gongbao.web.derived import refresh

    st = store(request)
    memo(request, "portal tables", lambda: refresh(request.app.state.db_path, st))
    return st


def prepare_database(db_path) -> None:
    """Upgrade an existing database made by an older gongbao once, before readers open it,
    and bring the portal's derived tables up to date (web/derived.py)."""
    from gongbao.store import open_store
    from gongbao.web.derived import refresh

    if _exists(db_path):
        with open_store(db_path) as st:
            refresh(db_path, st)


def cached(request: Request, make: Callable[[], Response]) -> Response:
    """This GET request's answer from the response cache (gongbao.web.cache), else ``make()``."""
    # first: opening the first reader may create the write-ahead log, and a refresh of the
    # derived tables writes; either changes the database version the answer is kept under
    portal(request)
    return request.app.state.cache.answer(request.scope, make)


def memo(request: Request, name: str, make: Callable[[], Any]) -> Any:
    """A whole-database value (every document's status, a query's facets) until the database changes."""
    store(request)
    return request.app.state.cache.memo(request.app.state.db_path, name, make)


_WHOLE_DATABASE: dict[str, Callable[[Any], Any]] = {}


def whole_database(name: str, compute: Callable[[Any], Any], derived: bool = False) -> Callable[[Request], Any]:
    """Register a value pages derive from the whole database, ``compute(store)``; returns its
    getter.  Kept per database version (``memo``) and computed when the portal starts
    (``warm_up``), so that no visitor waits for it; ``derived``: read from the portal's
    derived tables, brought up to date first (``portal``)."""
    _WHOLE_DATABASE[name] = compute
    opened = portal if derived else store
    return lambda request: memo(request, name, lambda: compute(opened(request)))


def warm_up(app) -> None:
    """Before serving: compute the registered whole-database values, compile the templates and
    load the word cutter's dictionary."""
    from gongbao.search import querycut
    from gongbao.store import open_store

    # A server cuts a query per search: rjieba's whole dictionary once (~0.12 s) rather than
    # each of its first SMALL_CUTS queries' words looked up in the word table (~1 ms a search)
    querycut.full()

    db_path = app.state.db_path
    if not _exists(db_path):
        return
    # kept open: closing the last reader could remove the write-ahead log, which would change
    # the database version the values are kept under
    app.state.warm_store = st = open_store(db_path, readonly=True)
    from gongbao.web.derived import refresh

    refresh(db_path, st)
    # every document's outline in arrays, as clause search reads them: made once per database
    # version (≈ 0.6 s on lawref) before the first search, not in it
    st.pack_outlines = True
    st.outline_pack()
    for name, compute in _WHOLE_DATABASE.items():
        app.state.cache.memo(db_path, name, lambda compute=compute: compute(st))
    for name in templates.env.list_templates(filter_func=lambda n: n.endswith(".html")):
        templates.env.get_template(name)


async def warm_thread(app) -> None:
    """Before serving: a worker thread started with its store open (``thread_store``), as the
    first request finds it; that request would otherwise also wait for the event loop's thread
    machinery to load (~12 ms) and the store to open (~2 ms)."""
    if _exists(app.state.db_path):
        await run_in_threadpool(thread_store, str(app.state.db_path))


def _exists(db_path) -> bool:
    """Whether the database is there to open (a server, or a file)."""
    from gongbao.store.pgconn import is_url

    return is_url(str(db_path)) or Path(db_path).is_file()
