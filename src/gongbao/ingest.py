"""Ingest: files and folders of gazette issues (or single documents) → the database.

``ingest_paths`` is the one public stage: it finds the files, skips those already stored
(same sha256), parses the others, stores each issue in its own transaction, and reports
what happened.  A file that cannot be parsed is reported and skipped; the rest still go in.
"""

from __future__ import annotations

import copyreg
import ctypes
import dataclasses
import functools
import hashlib
import importlib
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable
from contextlib import ExitStack
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from gongbao import models
from gongbao.errors import InputError
from gongbao.extract.detect import is_page_image
from gongbao.inputs import read_file
from gongbao.models import Issue
from gongbao.store.pgconn import ServerGoneError
from gongbao.store import Store, fts, open_store
from gongbao.store import records
from gongbao.store.records import DocTokens
from gongbao.store.write import PackedSource, issue_text, pack_issue

MAX_WORKERS = 4  # parsing processes beside the writer
BATCH_SECONDS = 2.0  # of writing per commit (one flush of the full-text index)
PARALLEL_MIN_FILES = 8  # fewer files: starting the processes costs more than it saves
PARENT_POLL_SECONDS = 1.0
_PR_SET_PDEATHSIG = 1  # prctl option (linux/prctl.h)


@dataclass(slots=True)
class Failure:
    path: str
    reason: str


@dataclass(slots=True)
class IngestSummary:
    files: int = 0
    added: int = 0  # issues new to the database
    replaced: int = 0  # changed files of stored issues (previous revision kept)
    unchanged: int = 0
    documents: int = 0
    tasks: int = 0
    warnings: int = 0
    bytes: int = 0  # of the files parsed and stored
    seconds: float = 0.0
    failures: list[Failure] = field(default_factory=list)
    citations: int = 0  # in the whole database after ingest
    citations_resolved: int = 0

    @property
    def issues(self) -> int:
        return self.added + self.replaced

    @property
    def resolution_rate(self) -> float | None:
        return self.citations_resolved / self.citations if self.citations else None


def _wanted(path: Path, root: Path) -> bool:
    """A file of the folder: not hidden, not the folder's README (which describes it)."""
    hidden = any(part.startswith(".") for part in path.relative_to(root).parts)
    return path.is_file() and not hidden and path.name.lower() not in ("readme.md", "readme.txt")


def _folder_units(root: Path) -> list[Path]:
    """The files of a folder (any kind: the content decides), except that the page images
    of one folder are one issue, named by their folder."""
    units: list[Path] = []
    image_dirs: set[Path] = set()
    for path in sorted(p for p in root.rglob("*") if _wanted(p, root)):
        if is_page_image(path):
            if path.parent not in image_dirs:
                image_dirs.add(path.parent)
                units.append(path.parent)
        else:
            units.append(path)
    return units


def collect_files(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[Failure]]:
    """The files named and the files inside folders, in a stable order; a folder of page
    images is one issue."""
    files, failures = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(_folder_units(path))
        elif path.exists():
            files.append(path)  # a regular file, or a special one refused by read_file with its reason
        else:
            failures.append(Failure(str(path), "文件或文件夹不存在"))
    return files, failures


def _parse(data: bytes | None, path: Path):
    from gongbao.extract import extract
    from gongbao.pipeline import read_issue

    return read_issue(extract(path) if data is None else data, str(path))


def _prepare(data: bytes | None, path: Path, scheme: str) -> tuple[Issue | None, list[DocTokens],
                                                                  PackedSource | None, str | None]:
    """Parse a file, cut its texts for the index and pack its source as stored (in a worker
    process when there are many files, so that the writer only stores them): (issue, tokens,
    packed source, None), or (None, [], None, why it failed)."""
    try:
        issue = _parse(data, path)
    except InputError as exc:
        return None, [], None, str(exc)
    except Exception as exc:
        # A parser bug on one file must not stop a run over thousands: report it, go on.
        return None, [], None, f"parser error: {type(exc).__name__}: {exc}"
    return issue, fts.pretokenise(issue, scheme), pack_issue(issue, issue_text(issue, data)), None


def _resolve_links(store: Store) -> None:
    """Resolve citations across the database when the links stage is installed."""
    try:
        module = importlib.import_module("gongbao.links.resolve")
    except ImportError:
        return
    resolve = getattr(module, "resolve_citations", None)
    if resolve is not None:
        with store.transaction():
            resolve(store)


def ingest_paths(paths: Iterable[str | os.PathLike], db_path: str | os.PathLike = "gongbao.db",
                 progress: bool = True, tokenizer: str | None = None) -> IngestSummary:
    """Ingest every file under ``paths`` into the database at ``db_path``."""
    started = time.perf_counter()
    files, failures = collect_files(paths)
    summary = IngestSummary(files=len(files), failures=failures)
    with open_store(db_path, tokenizer=tokenizer) as store:
        bar = _progress(progress and len(files) > 1)
        with bar, store.bulk_load(len(files)):
            task = bar.add_task("ingest", total=len(files))
            workers = min(os.cpu_count() or 1, MAX_WORKERS)
            if workers > 1 and len(files) >= PARALLEL_MIN_FILES:
                _ingest_parallel(store, files, summary, bar, task, workers)
            else:
                with _Batches(store) as batches:
                    for path in files:
                        bar.update(task, description=path.name[:40])
                        data = _read(store, path, summary)
                        if data is not False:
                            _store(store, path, data, _prepare(data, path, store.scheme), summary)
                            batches.stored()
                        bar.advance(task)
        _resolve_links(store)
        stats = store.stats()
        summary.citations, summary.citations_resolved = stats.citations, stats.citations_resolved
    summary.seconds = time.perf_counter() - started
    return summary


def _ingest_parallel(store: Store, files: list[Path], summary: IngestSummary, bar, task, workers: int) -> None:
    """Parse and tokenise in ``workers`` processes while this one writes, issue by issue in
    the order of ``files`` (ids depend on which issue comes first)."""
    queue: deque = deque()
    ahead = iter(files)
    pool = ProcessPoolExecutor(workers, initializer=_worker_start, initargs=(os.getpid(),))
    try:
        with _Batches(store) as batches:
            while True:
                while len(queue) < 2 * workers:
                    path = next(ahead, None)
                    if path is None:
                        break
                    data = _read(store, path, summary)
                    future = pool.submit(_prepare, data, path, store.scheme) if data is not False else None
                    queue.append((path, data, future))
                if not queue:
                    break
                path, data, future = queue.popleft()
                bar.update(task, description=path.name[:40])
                if future is not None:
                    _store(store, path, data, future.result(), summary)
                    batches.stored()
                bar.advance(task)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class _Batches:
    """The store's batch (``Store.batch``) open while issues are stored, committed every
    BATCH_SECONDS (``stored()`` after each issue): each issue is still its own savepoint, and an
    interruption loses only the batch being written (a re-run stores what is missing)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.open = ExitStack()
        self.until = 0.0

    def __enter__(self) -> _Batches:
        self._begin()
        return self

    def __exit__(self, *exc) -> bool | None:
        return self.open.__exit__(*exc)

    def _begin(self) -> None:
        self.open.enter_context(self.store.batch())
        self.until = time.monotonic() + BATCH_SECONDS

    def stored(self) -> None:
        if time.monotonic() >= self.until:
            self.open.close()
            self._begin()


def _worker_start(parent: int) -> None:
    """In a parsing process: Ctrl-C is the writer's to handle (it rolls back the issue it is
    writing and stops the pool), so the workers print no tracebacks of their own; and the
    process dies with the writer, even when that one is killed with SIGKILL (no orphans)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:  # Linux: the kernel sends SIGKILL when the parent goes
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
    send_by_constructor()
    # Elsewhere (and as a second guard): a daemon thread notices being re-parented.
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="parent-watch").start()


def send_by_constructor() -> None:
    """Pickle the parsed issue and its tokens as constructor calls of their dataclasses, not
    with pickle's default for slotted dataclasses (a Python ``__setstate__`` per object, some
    34 k objects for 300 laws): unpickling them took a quarter of the writer's CPU, and half
    of that now.  Classes whose constructor does more than assign (``__post_init__``) or does
    not take every field keep the default, and those that pickle themselves (``__reduce__``:
    ``Runs``, its arrays out of band) keep theirs."""
    for module in (models, records):
        for cls in vars(module).values():
            if not (isinstance(cls, type) and cls.__module__ == module.__name__ and dataclasses.is_dataclass(cls)):
                continue
            fields = dataclasses.fields(cls)
            if (not hasattr(cls, "__post_init__") and "__reduce__" not in vars(cls)
                    and all(f.init and not f.kw_only for f in fields)):
                copyreg.pickle(cls, functools.partial(_by_constructor, tuple(f.name for f in fields)))


def _by_constructor(names: tuple[str, ...], obj: object) -> tuple:
    return type(obj), tuple(getattr(obj, name) for name in names)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)


def _read(store: Store, path: Path, summary: IngestSummary) -> bytes | None | bool:
    """The file's bytes; None for a folder of page images (read by ``extract``); False when
    it cannot be read or is stored already (counted here)."""
    if path.is_dir():
        return None
    try:
        data = read_file(path)
    except InputError as exc:
        summary.failures.append(Failure(str(path), str(exc)))
        return False
    if store.has_source(hashlib.sha256(data).hexdigest()):
        summary.unchanged += 1
        return False
    return data


def _store(store: Store, path: Path, data: bytes, prepared: tuple, summary: IngestSummary) -> None:
    issue, tokens, source, failure = prepared
    if failure is not None:
        summary.failures.append(Failure(str(path), failure))
        return
    try:
        result = store.ingest_issue(issue, raw=data, tokens=tokens, source=source)
    except ServerGoneError as exc:
        # the database server restarted: this issue was rolled back; a re-run stores it
        summary.failures.append(Failure(str(path), str(exc)))
        return
    if result.status == "unchanged":
        summary.unchanged += 1
        return
    setattr(summary, result.status, getattr(summary, result.status) + 1)
    summary.documents += result.documents
    summary.tasks += result.tasks
    summary.warnings += result.warnings
    summary.bytes += issue.source.size


class _NoProgress:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def add_task(self, *args, **kwargs):
        return 0

    def update(self, *args, **kwargs):
        pass

    def advance(self, *args, **kwargs):
        pass


def _progress(enabled: bool):
    if not enabled:
        return _NoProgress()
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(
        TextColumn("[bold]{task.description:<40}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=Console(stderr=True), transient=True,
    )
