"""``gongbao serve`` (the portal) and ``gongbao export`` (bulk JSONL/CSV export)."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import typer

from gongbao.cli import app
from gongbao.cli.options import DB_OPTION, choice
from gongbao.errors import StoreError


def _existing_db(db: str) -> str:
    from gongbao.store.pgconn import is_url

    if not is_url(db) and not Path(db).is_file():
        raise StoreError(f"数据库 {db} 不存在；请先用 `gongbao ingest PATH --db {db}` 建立")
    return db


@app.command()
def serve(
    db: str = DB_OPTION,
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", help="TCP port."),
    workers: int = typer.Option(1, "--workers", min=1, help="Worker processes."),
    jurisdiction: str = typer.Option(None, "--jurisdiction",
                                     help="The portal's jurisdiction (重庆): 政策问答 ranks its own and national "
                                          "rules first (default $GONGBAO_JURISDICTION)."),
) -> None:
    """Serve the portal and the JSON API (http://HOST:PORT/, API under /api/v1)."""
    import os

    import uvicorn

    _existing_db(db)
    if jurisdiction:
        os.environ["GONGBAO_JURISDICTION"] = jurisdiction  # read by search.place (workers inherit it)
    from gongbao.store.pgconn import is_url, safe_url

    typer.echo(f"gongbao portal on http://{host}:{port}/  (database {safe_url(db)}; Ctrl-C to stop)")
    with _page_cache():
        if workers == 1:
            from gongbao.web import create_app

            uvicorn.run(create_app(db), host=host, port=port, log_level="warning")
        else:
            # Worker processes import the app themselves; they find the database in the environment.
            os.environ["GONGBAO_DB"] = db if is_url(db) else str(Path(db).resolve())
            uvicorn.run("gongbao.web.asgi:app", host=host, port=port, workers=workers, log_level="warning")


@contextmanager
def _page_cache():
    """The directory of rendered answers the worker processes share (web/cache.py): the
    operator's ``$GONGBAO_PAGE_CACHE`` (kept across restarts), else a temporary one removed
    when the server stops."""
    import os
    import tempfile

    from gongbao.web.cache import SHARED_ENV

    if os.environ.get(SHARED_ENV):
        yield
        return
    with tempfile.TemporaryDirectory(prefix="gongbao-pages-") as tmp:
        os.environ[SHARED_ENV] = tmp
        try:
            yield
        finally:
            del os.environ[SHARED_ENV]


@app.command()
def export(
    db: str = DB_OPTION,
    format: str = typer.Option("jsonl", "--format", help="jsonl or csv."),
    out: Path = typer.Option(Path("export"), "--out", help="Directory to write documents/tasks/citations files into."),
) -> None:
    """Export the whole database: documents, tasks and citations as JSONL or CSV files."""
    from gongbao.export import export_database

    written = export_database(_existing_db(db), out, choice("--format", format, ("jsonl", "csv")))
    for path, count in written.items():
        typer.echo(f"{path}\t{count} rows")
